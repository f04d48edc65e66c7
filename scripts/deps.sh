#!/bin/sh
# deps.sh - install what goinstr needs to build on a fresh Debian machine,
# then fetch the pinned tree-sitter runtime and Go grammar from npm.
#
#   scripts/deps.sh [DIR]          DIR defaults to build/deps
#   scripts/deps.sh --test [DIR]   also what the tests need (make test):
#       Debian's chromium (renders report --format html headless),
#       python3-jsonschema, clang (libFuzzer targets, tests/fuzz.sh),
#       logrotate and age (rotated, compressed and encrypted logs read by
#       goinstr report), valgrind (instruction counts, tests/scale.sh),
#       and the SARIF 2.1.0 JSON schema that report --format sarif is
#       validated against, from the npm tarball of
#       @microsoft/sarif-multitool-linux (MIT; it ships sarif-2.1.0.json),
#       pinned like the tree-sitter tarballs, to DIR/sarif/sarif-2.1.0.json,
#       with its Sarif.Multitool, whose GitHub rule set checks the SARIF
#       as code scanning's ingestion does;
#       and qemu-user-static (tests/ports.sh runs every Linux port's
#       instrumented binaries under qemu-user)
#   scripts/deps.sh --dist [DIR]   also what make dist needs: the arm64
#       cross compiler (gcc-aarch64-linux-gnu) and, through multiarch
#       (dpkg --add-architecture arm64), the arm64 static jansson,
#       libcrypto and zlib; the amd64 ones come with the build's own
#       packages (libjansson-dev, libssl-dev and zlib1g-dev ship .a files);
#       qemu-user-static and bubblewrap run the archives' binaries in a
#       bare root (tests/dist.sh)
#
# Debian packages are installed only when missing (needs root or sudo).
# The npm tarballs are fetched with `npm pack` (no install scripts run) and
# checked against the registry integrity hashes pinned below before they
# are unpacked; a mismatch stops here and nothing is compiled.
set -eu

TEST= DIST=
if [ "${1:-}" = --test ]; then
	TEST=1
	shift
elif [ "${1:-}" = --dist ]; then
	DIST=1
	shift
fi
DIR=${1:-build/deps}

TS_PKG=tree-sitter@0.25.1
TS_SRI=sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==
TSGO_PKG=tree-sitter-go@0.25.0
TSGO_SRI=sha512-APBc/Dq3xz/e35Xpkhb1blu5UgW+2E3RyGWawZSCNcbGwa7jhSQPS8KsUupuzBla8PCo8+lz9W/JDJjmfRa2tw==
SARIF_PKG=@microsoft/sarif-multitool-linux@5.7.0
SARIF_SRI=sha512-NxUbpq6ISCWoTQ/NfOYEwEDKq1Heka/rMoJ5R5LMydcAZQX/X7g5mWHcgxDub+0M07LC96tZ5LZHvF1Qy3gjTA==

# Debian packages: compiler, make, npm (for `npm pack`), jansson, libcrypto,
# zlib (gzip logs and inventories, the packed release manifests), strace
# (tests), bubblewrap (--isolate's sandbox).
need=""
pkgs="gcc make libc6-dev libjansson-dev libssl-dev zlib1g-dev npm strace bubblewrap"
[ -z "$TEST" ] || pkgs="$pkgs chromium python3-jsonschema clang logrotate age qemu-user-static valgrind"
if [ -n "$DIST" ]; then
	pkgs="$pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross libjansson-dev:arm64 libssl-dev:arm64"
	pkgs="$pkgs zlib1g-dev:arm64 qemu-user-static"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "deps: dpkg --add-architecture arm64 (the arm64 static libraries)" >&2
		if [ "$(id -u)" -eq 0 ]; then dpkg --add-architecture arm64; else sudo dpkg --add-architecture arm64; fi
	fi
fi
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		need="$need $p"
done
# npm may come with node from elsewhere (not as a Debian package).
case "$need" in *npm*) command -v npm >/dev/null 2>&1 &&
	need=$(echo "$need" | sed 's/ npm//') ;; esac
if [ -n "$need" ]; then
	echo "deps: installing Debian packages:$need" >&2
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi

fetch() { # fetch PKG SRI NAME [FILE...]: unpack the FILEs (default: all) to DIR/NAME
	(cd "$DIR/dl" && npm pack --silent --ignore-scripts "$1" >/dev/null)
	tgz=$(ls "$DIR"/dl/*"$3"-[0-9]*.tgz)
	got=sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
	if [ "$got" != "$2" ]; then
		echo "deps: integrity mismatch for $1: want $2, got $got" >&2
		exit 1
	fi
	mkdir -p "$DIR/$3"
	_name=$3
	shift 3
	for _f in "$@"; do set -- "$@" "package/$_f"; shift; done
	tar -xzf "$tgz" -C "$DIR/$_name" --strip-components=1 "$@"
}

if [ -n "$TEST" ] && ! { [ -f "$DIR/.ok-test" ] && [ "$(cat "$DIR/.ok-test")" = "$SARIF_SRI multitool" ]; }; then
	rm -rf "$DIR/sarif" "$DIR/dl"
	mkdir -p "$DIR/dl"
	# the schema, and the Multitool (a self-contained Linux binary) whose
	# GitHub rule set (validate --rule-kind Gh) code scanning's ingestion
	# follows: tests/report.sh runs both
	fetch "$SARIF_PKG" "$SARIF_SRI" sarif-multitool-linux sarif-2.1.0.json Sarif.Multitool
	mv "$DIR/sarif-multitool-linux" "$DIR/sarif"
	chmod 755 "$DIR/sarif/Sarif.Multitool"
	rm -rf "$DIR/dl"
	echo "$SARIF_SRI multitool" >"$DIR/.ok-test"
	echo "deps: $SARIF_PKG verified (sarif-2.1.0.json, Sarif.Multitool)" >&2
fi
# Up to date: mark it so, or make would run this script on every build.
[ -z "$TEST" ] || touch "$DIR/.ok-test"

if [ -f "$DIR/.ok" ] && [ "$(cat "$DIR/.ok")" = "$TS_SRI $TSGO_SRI" ]; then
	touch "$DIR/.ok"
	exit 0
fi
rm -rf "$DIR/tree-sitter" "$DIR/tree-sitter-go" "$DIR/dl"
mkdir -p "$DIR/dl"
fetch "$TS_PKG" "$TS_SRI" tree-sitter
fetch "$TSGO_PKG" "$TSGO_SRI" tree-sitter-go
rm -rf "$DIR/dl"
echo "$TS_SRI $TSGO_SRI" >"$DIR/.ok"
echo "deps: $TS_PKG and $TSGO_PKG verified" >&2
