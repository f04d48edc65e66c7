#!/bin/sh
# dist.sh - release archives (make dist): for each ARCH of linux-amd64 and
# linux-arm64, goinstr compiled from the same sources and generated files
# as build/goinstr (make builds build/gen first), statically linked with
# Debian's static jansson, libcrypto and zlib (and glibc), so that it runs
# on any Linux of that architecture with no library installed, packed as
#
#   build/dist/goinstr-VERSION-linux-ARCH.tar.gz
#     goinstr-VERSION-linux-ARCH/goinstr, README.md, SECURITY.md
#
# and build/dist/SHA256SUMS over the archives (sha256sum -c reads it).
# arm64 is cross-compiled with Debian's gcc-aarch64-linux-gnu and the arm64
# static libraries of multiarch (scripts/deps.sh --dist installs both).
# The archives are reproducible: files sorted, owner 0, mtime fixed.
#
#   scripts/dist.sh [ARCH...]     default: amd64 arm64
set -eu
cd "$(dirname "$0")/.."

VERSION=$(sed -n 's/^#define GOINSTR_VERSION "\(.*\)"$/\1/p' src/version.h)
TS=build/deps/tree-sitter/vendor/tree-sitter/lib
TSGO=build/deps/tree-sitter-go/src
OUT=build/dist
CFLAGS="-O2"
WARN="-std=c17 -Wall -Wextra -Werror -Wno-unused-parameter"
# The time of the last commit, for the archives' mtimes (else a fixed one).
MTIME=$(git log -1 --format=%cI 2>/dev/null || echo 2026-01-01T00:00:00Z)

for f in build/gen/embedded_data.c build/gen/digest.c build/gen/cmddocs.c build/gen/cmddocs.h; do
	[ -f "$f" ] || { echo "dist: $f missing: run make first" >&2; exit 2; }
done

build() { # build ARCH: $OUT/ARCH/goinstr
	arch=$1
	case $arch in
	amd64) cc=${CC_AMD64:-x86_64-linux-gnu-gcc}; triplet=x86_64-linux-gnu ;;
	arm64) cc=${CC_ARM64:-aarch64-linux-gnu-gcc}; triplet=aarch64-linux-gnu ;;
	*) echo "dist: unknown ARCH '$arch' (amd64, arm64)" >&2; exit 2 ;;
	esac
	command -v "$cc" >/dev/null 2>&1 || { [ "$arch" = amd64 ] && [ "$(uname -m)" = x86_64 ] && cc=cc; }
	command -v "$cc" >/dev/null 2>&1 ||
		{ echo "dist: no C compiler for $arch ($cc): sh scripts/deps.sh --dist" >&2; exit 2; }
	for lib in jansson crypto z; do
		[ -f "/usr/lib/$triplet/lib$lib.a" ] || { echo "dist: no static lib$lib for $arch" \
			"(/usr/lib/$triplet/lib$lib.a): sh scripts/deps.sh --dist" >&2; exit 2; }
	done
	obj=$OUT/$arch/obj
	rm -rf "$OUT/$arch"
	mkdir -p "$obj"
	for c in src/*.c build/gen/embedded_data.c build/gen/digest.c build/gen/cmddocs.c; do
		"$cc" -D_GNU_SOURCE -Isrc -Ibuild/gen -I$TS/include $WARN $CFLAGS -c -o "$obj/$(basename "$c" .c).o" "$c"
	done
	"$cc" -std=gnu11 -O2 -I$TS/include -I$TS/src -c -o "$obj/ts_lib.o" $TS/src/lib.c
	"$cc" -std=gnu11 -O2 -I$TSGO -c -o "$obj/ts_go_parser.o" $TSGO/parser.c
	# -L: the architecture's multiarch directory, first (a cross linker
	# searches its own sysroot, not /usr/lib/TRIPLET)
	"$cc" -static -o "$OUT/$arch/goinstr" "$obj"/*.o -L"/usr/lib/$triplet" \
		-ljansson -lcrypto -lz -lpthread
	strip_tool=${cc%gcc}strip
	command -v "$strip_tool" >/dev/null 2>&1 || strip_tool=strip
	"$strip_tool" "$OUT/$arch/goinstr"
}

pack() { # pack ARCH: the archive
	name=goinstr-$VERSION-linux-$1
	rm -rf "${OUT:?}/$name"
	mkdir -p "$OUT/$name"
	cp "$OUT/$1/goinstr" "$OUT/$name/goinstr"
	cp README.md "$OUT/$name/README.md"
	cp docs/SECURITY.md "$OUT/$name/SECURITY.md"
	chmod 0755 "$OUT/$name/goinstr"
	chmod 0644 "$OUT/$name/README.md" "$OUT/$name/SECURITY.md"
	tar -C "$OUT" --sort=name --owner=0 --group=0 --numeric-owner --mtime="$MTIME" \
		-cf - "$name" | gzip -n -9 >"$OUT/$name.tar.gz"
	rm -rf "${OUT:?}/$name"
}

archs=${*:-amd64 arm64}
mkdir -p "$OUT"
for a in $archs; do
	build "$a"
	pack "$a"
	echo "dist: $OUT/goinstr-$VERSION-linux-$a.tar.gz"
done
(cd "$OUT" && sha256sum goinstr-"$VERSION"-linux-*.tar.gz >SHA256SUMS)
echo "dist: $OUT/SHA256SUMS"
