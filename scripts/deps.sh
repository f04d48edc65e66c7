#!/bin/sh
# deps.sh - install what goinstr needs to build on a fresh Debian machine,
# then fetch the pinned tree-sitter runtime and Go grammar from npm.
#
#   scripts/deps.sh [DIR]     DIR defaults to build/deps
#
# Debian packages are installed only when missing (needs root or sudo).
# The npm tarballs are fetched with `npm pack` (no install scripts run) and
# checked against the registry integrity hashes pinned below before they
# are unpacked; a mismatch stops here and nothing is compiled.
set -eu

DIR=${1:-build/deps}

TS_PKG=tree-sitter@0.25.1
TS_SRI=sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==
TSGO_PKG=tree-sitter-go@0.25.0
TSGO_SRI=sha512-APBc/Dq3xz/e35Xpkhb1blu5UgW+2E3RyGWawZSCNcbGwa7jhSQPS8KsUupuzBla8PCo8+lz9W/JDJjmfRa2tw==

# Debian packages: compiler, make, npm (for `npm pack`), jansson, libcrypto.
need=""
for p in gcc make libc6-dev libjansson-dev libssl-dev npm strace; do
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

if [ -f "$DIR/.ok" ] && [ "$(cat "$DIR/.ok")" = "$TS_SRI $TSGO_SRI" ]; then
	exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/dl"

fetch() { # fetch PKG SRI NAME
	(cd "$DIR/dl" && npm pack --silent --ignore-scripts "$1" >/dev/null)
	tgz=$(ls "$DIR"/dl/"$3"-[0-9]*.tgz)
	got=sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
	if [ "$got" != "$2" ]; then
		echo "deps: integrity mismatch for $1: want $2, got $got" >&2
		exit 1
	fi
	mkdir -p "$DIR/$3"
	tar -xzf "$tgz" -C "$DIR/$3" --strip-components=1
}
fetch "$TS_PKG" "$TS_SRI" tree-sitter
fetch "$TSGO_PKG" "$TSGO_SRI" tree-sitter-go
rm -rf "$DIR/dl"
echo "$TS_SRI $TSGO_SRI" >"$DIR/.ok"
echo "deps: $TS_PKG and $TSGO_PKG verified" >&2
