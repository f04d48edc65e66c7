#!/bin/sh
# mkmanifest.sh - write manifests/VERSION.GOOS-GOARCH.txt: the SHA-256 of
# every file under src/ of a Go release (Go, assembly, C, testdata...),
# and of its go and compile binaries, taken from the toolchain module the Go module proxy serves
# (golang.org/toolchain@v0.0.1-VERSION.GOOS-GOARCH), which the go command
# verifies against the checksum database (sum.golang.org) when it
# downloads it. goinstr checks GOROOT against these before rewriting
# anything, and `goinstr verify` checks a whole GOROOT.
#
#   sh scripts/mkmanifest.sh go1.26.8 [linux-amd64]
set -eu
VERSION=$1
PLATFORM=${2:-linux-amd64}
MOD=golang.org/toolchain@v0.0.1-$VERSION.$PLATFORM
OUT=$(cd "$(dirname "$0")/.." && pwd)/manifests/$VERSION.$PLATFORM.txt

json=$(GOFLAGS=-mod=mod go mod download -json "$MOD")
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
sum=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "mkmanifest: no module directory for $MOD" >&2; exit 1; }
goos=${PLATFORM%-*}
goarch=${PLATFORM#*-}
tmp=$OUT.tmp
{
	echo "# goinstr manifest: $VERSION $PLATFORM"
	echo "# from $MOD $sum (checksum-verified by the go command)"
	cd "$dir"
	# Module zips name go.mod files _go.mod; a GOROOT has them as go.mod.
	{ find src -type f; echo bin/go; echo "pkg/tool/${goos}_$goarch/compile"; } |
		LC_ALL=C sort | xargs sha256sum | sed 's|/_go\.mod$|/go.mod|' | LC_ALL=C sort -k2
} >"$tmp"
mv "$tmp" "$OUT"
echo "mkmanifest: $(grep -vc '^#' "$OUT") files in $OUT" >&2
