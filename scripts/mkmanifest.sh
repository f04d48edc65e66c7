#!/bin/sh
# mkmanifest.sh - make manifests/releases.pack, goinstr's built-in release
# manifests: the SHA-256 of every file of each Go release's toolchain
# module (golang.org/toolchain@v0.0.1-VERSION.GOOS-GOARCH), for every
# released go1.26.x and go1.27.x the Go module proxy lists, for
# linux-amd64 and linux-arm64.
#
# Each release is fetched and recorded by `goinstr manifest add` (into a
# temporary data directory): the go command downloads the module and
# checks it against the checksum database (sum.golang.org), and goinstr
# hashes its files and checks that they hash to that go.sum hash. `goinstr
# manifest pack` then packs them: one table of the distinct (path,
# sha256) pairs of all releases, each with the releases it belongs to,
# zlib-compressed. goinstr checks GOROOTs against it (manifest.h).
#
#   sh scripts/mkmanifest.sh            # after make: uses build/goinstr
#   SERIES="1.26 1.27" PLATFORMS="linux-amd64 linux-arm64" sh scripts/mkmanifest.sh
#
# The download is about 70 MB per release and platform, kept in the
# module cache (GOMODCACHE): a second run fetches nothing.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GOINSTR=${GOINSTR:-$ROOT/build/goinstr}
SERIES=${SERIES:-1.26 1.27}
PLATFORMS=${PLATFORMS:-linux-amd64 linux-arm64}
OUT=$ROOT/manifests/releases.pack

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
# Released versions only (no rc or beta), as the proxy lists them.
series=$(echo "$SERIES" | sed 's/\./\\./g; s/ /|/g')
platforms=$(echo "$PLATFORMS" | sed 's/ /|/g')
releases=$(cd "$tmp" && go list -m -versions golang.org/toolchain | tr ' ' '\n' |
	sed -En "s/^v0\.0\.1-(go($series)\.[0-9]+\.($platforms))$/\1/p" | sort -V)
[ -n "$releases" ] || { echo "mkmanifest: no releases of go$SERIES listed" >&2; exit 1; }
# shellcheck disable=SC2086
XDG_DATA_HOME=$tmp "$GOINSTR" manifest add $releases >&2
"$GOINSTR" manifest pack "$OUT" "$tmp"/goinstr/manifests/* >&2
