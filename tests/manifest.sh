#!/bin/sh
# manifest.sh - the release manifests goinstr verifies GOROOTs with
# (src/manifest.c, `goinstr manifest`):
#   1. built in: every release listed, each hashing to its module's go.sum
#      hash, that hash the checksum database's (go mod download), an older
#      patch release (go1.26.5) builds verified, without --trust-goroot,
#      and verifies, and so does a linux-arm64 GOROOT;
#   2. a release goinstr does not have (go1.26rc1, a real one) is refused
#      with the command that fixes it; `goinstr manifest add` records it
#      (private data directory) and then it builds verified;
#   3. refusals: a damaged recorded manifest, a wrong checksum in it, one
#      writable by others, a module whose files do not match its checksum,
#      a go command that would not check the checksum database, another
#      checksum database than Go's (without --trust-sumdb), a bad release
#      name.
# Needs the Go module proxy (toolchain modules, about 70 MB each, cached).
# The data directory (XDG_DATA_HOME) and goinstr's cache are the test's own.
set -u
SUITE=manifest
. "$(dirname "$0")/lib.sh"
E2E=$ROOT/tests/e2e
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
cd "$E2E" || exit 1
export GOCACHE="$(go env GOCACHE)" GOFLAGS=-buildvcs=false
export XDG_CACHE_HOME="$T/cache" XDG_DATA_HOME="$T/data"
OLD=go1.26.5 # an older patch release: built in
ADD=go1.26rc1 # a real release goinstr does not build in (not a final one)
PLAT=$(go env GOOS)-$(go env GOARCH)
DATA=$T/data/goinstr/manifests

# --- 1. built in -------------------------------------------------------------
"$GOINSTR" manifest list >"$T/list" 2>"$T/list.err"; rc=$?
check "manifest list: every built-in release hashes to its go.sum hash (exit 0, nothing on stderr)" \
	ok_quiet $rc "$T/list.err"
n=$(grep -c ' built in$' "$T/list")
# built_in: the built-in manifests of these releases, both platforms
built_in() {
	for v in 1.26.0 1.26.5 1.26.8 1.26.11 1.27.0 1.27.3 1.27.4; do for p in amd64 arm64; do
		has "$T/list" "^go$v.linux-$p h1:[A-Za-z0-9+/]*= built in\$" || return 1
	done; done
}
check "manifest list: go1.26.0 to go1.26.11 and go1.27.0 to go1.27.4, linux-amd64 and linux-arm64 ($n)" built_in
# Releases the proxy lists that goinstr does not have yet: scripts/mkmanifest.sh adds them.
newer=$(cd "$T" && go list -m -versions golang.org/toolchain 2>/dev/null | tr ' ' '\n' |
	sed -En 's/^v0\.0\.1-(go1\.2[67]\.[0-9]+\.linux-(amd64|arm64))$/\1/p' |
	while read -r r; do grep -q "^$r " "$T/list" || echo "$r"; done | tr '\n' ' ')
if [ -n "$newer" ]; then
	skip "releases newer than the built-in manifests (scripts/mkmanifest.sh): $newer"
else
	ok "every go1.26.x and go1.27.x release the proxy lists for linux-amd64/arm64 is built in"
fi
for r in $OLD.linux-amd64 go1.27.3.linux-arm64; do
	(cd "$T" && go mod download -json "golang.org/toolchain@v0.0.1-$r") >"$T/dl.json"
	sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' "$T/dl.json")
	check "built-in $r: the checksum database's go.sum hash ($sum)" grep -q "^$r $sum built in$" "$T/list"
done
ARM=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$T/dl.json")
"$GOINSTR" verify "$ARM" >"$T/arm.out"; rc=$?
check "verify a linux-arm64 GOROOT (go1.27.3's module): every file matches" \
	ok_has $rc "$T/arm.out" 'go1.27.3.linux-arm64 (built in manifest).* 0 differ, 0 missing; 0 extra'

# verified_build RELEASE NAME: GOTOOLCHAIN=RELEASE goinstr build of ./noos
# exits 0, says nothing (but, the first time, that it builds its type
# checker for RELEASE), and the program's log header names RELEASE and no
# trust_goroot.
verified_build() {
	GOTOOLCHAIN=$1 "$GOINSTR" build -o "$T/bin/$2" ./noos 2>"$T/$2.err" &&
		! grep -v "^goinstr: building its type checker for $1 (once per Go release)\$" "$T/$2.err" ||
		{ show "$T/$2.err"; return 1; }
	INSTRUMENTATION_LOG_PATH=$T/$2.log "$T/bin/$2" >/dev/null 2>&1
	head -n 1 "$T/$2.log" | grep -q "\"go\":\"$1\"" && ! grep -q trust_goroot "$T/$2.log"
}
check "GOTOOLCHAIN=$OLD goinstr build: verified; the log header names $OLD, no trust_goroot" \
	verified_build $OLD old
GOTOOLCHAIN=$OLD "$GOINSTR" verify >"$T/oldv.out"; rc=$?
check "GOTOOLCHAIN=$OLD goinstr verify: its GOROOT (the module) matches" \
	ok_has $rc "$T/oldv.out" ' 0 differ, 0 missing; 0 extra'

# --- 2. a release goinstr does not have, added ----------------------------------
# said RC FILE PATTERN: goinstr's own failure, its one line matching PATTERN
said() { one_line "$1" "$2" && grep -q "$3" "$2" || { show "$2"; return 1; }; }
# The toolchain fetched first: on a fresh machine the go command says
# "go: downloading ..." on stderr, and only goinstr's own line is tested.
GOTOOLCHAIN=$ADD go version >/dev/null 2>&1
GOTOOLCHAIN=$ADD "$GOINSTR" build -o "$T/bin/add" ./noos 2>"$T/add.err"; rc=$?
check "GOTOOLCHAIN=$ADD: refused, exit 2, one line naming 'goinstr manifest add $ADD'" \
	said $rc "$T/add.err" "'goinstr manifest add $ADD'"
"$GOINSTR" manifest add $ADD >"$T/madd.out" 2>"$T/madd.err"; rc=$?
check "manifest add $ADD: exit 0, one line naming the file" one_said $rc 0 "$T/madd.out" "$DATA/$ADD.$PLAT\$"
[ $rc -eq 0 ] || show "$T/madd.err"
data_private() { mode_is "$T/data/goinstr" 700 && mode_is "$DATA" 700 && mode_is "$DATA/$ADD.$PLAT" 600; }
check "the data directory is private: 0700 directories, a 0600 file" data_private
"$GOINSTR" manifest list >"$T/list2"
check "manifest list names the added release and its file" grep -q "^$ADD.$PLAT h1:.* $DATA/$ADD.$PLAT\$" "$T/list2"
check "GOTOOLCHAIN=$ADD goinstr build after manifest add: verified; the log header names $ADD, no trust_goroot" \
	verified_build $ADD add
GOTOOLCHAIN=$ADD "$GOINSTR" verify >"$T/addv.out"; rc=$?
check "GOTOOLCHAIN=$ADD goinstr verify: matches the added manifest" \
	ok_has $rc "$T/addv.out" "$ADD.$PLAT ($DATA/$ADD.$PLAT manifest).* 0 differ, 0 missing; 0 extra"

# --- 3. refusals ------------------------------------------------------------------
# refused NAME: a fresh build with GOTOOLCHAIN=$ADD (no reuse of a verified
# rewrite) is refused with one line matching PATTERN.
refused() {
	rm -rf "$T/cache/goinstr"
	GOTOOLCHAIN=$ADD "$GOINSTR" build -o "$T/bin/add2" ./noos 2>"$T/ref.err"
	said $? "$T/ref.err" "$1"
}
F=$DATA/$ADD.$PLAT
cp "$F" "$T/saved"
# One hash in the file changed (its first digit changed to another).
awk 'NR == 10 { c = substr($0, 1, 1); $0 = (c == "0" ? "1" : "0") substr($0, 2) } { print }' \
	"$T/saved" >"$F"
check "a recorded manifest with one hash changed is refused, naming the file" refused "'$F' is damaged"
cp "$T/saved" "$F"
# The go.sum hash it records changed (the last base64 digit before '=').
sed '2s/.=$/'"$(sed -n '2s/.*\(.\)=$/\1/p' "$T/saved" | tr 'A-Za-z0-9+/' 'B-Za-z0-9+/A')"'=/' "$T/saved" >"$F"
check "a recorded manifest with a wrong checksum is refused" refused "'$F' is damaged"
cp "$T/saved" "$F"
chmod 0666 "$F"
check "a recorded manifest writable by others is refused" refused "'$F' is not private"
chmod 0600 "$F"
rm -rf "$T/cache/goinstr"
check "restored: the build is verified again" verified_build $ADD add3

# A module download whose files no longer match its checksum (one file
# changed in the module cache) is not recorded.
(cd "$T" && GOMODCACHE=$T/modcache GOFLAGS=-modcacherw go mod download "golang.org/toolchain@v0.0.1-$ADD.$PLAT")
M=$T/modcache/golang.org/toolchain@v0.0.1-$ADD.$PLAT
printf ' ' >>"$M/src/reflect/value.go"
rm -rf "$T/data"
GOMODCACHE=$T/modcache "$GOINSTR" manifest add $ADD >/dev/null 2>"$T/bad.err"; rc=$?
check "manifest add: module files that do not match the checksum are refused, exit 2, one line" \
	said $rc "$T/bad.err" 'does not match its checksum'
check "... and nothing is recorded" [ ! -e "$DATA/$ADD.$PLAT" ]
GOMODCACHE=$T/modcache GOPROXY=file://$T/modcache/cache/download GOSUMDB=off \
	"$GOINSTR" manifest add $ADD >/dev/null 2>"$T/nosum.err"; rc=$?
check "manifest add with no checksum database (file:// proxy, GOSUMDB=off): refused, exit 2, one line" \
	said $rc "$T/nosum.err" "checksum database"
# Another checksum database vouches for whatever its key signs: refused
# unless asked (--trust-sumdb); the Go checksum database by name, with its
# key or through its mirror is not another.
for db in "sum.example.com+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ww0hkXkx5/Ey4cQPGx" "sum.example.com https://sum.golang.org"; do
	GOSUMDB=$db "$GOINSTR" manifest add $ADD >/dev/null 2>"$T/sumdb.err"; rc=$?
	check "manifest add with GOSUMDB='$db': refused, exit 2, one line naming it" \
		said $rc "$T/sumdb.err" "GOSUMDB=sum.example.com.* is not the Go checksum database (sum.golang.org).*--trust-sumdb"
done
check "... and nothing is recorded" [ ! -e "$DATA/$ADD.$PLAT" ]
GOPROXY=off GOSUMDB=sum.example.com+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ww0hkXkx5/Ey4cQPGx \
	"$GOINSTR" manifest add --trust-sumdb $ADD >/dev/null 2>"$T/sumdb.err"; rc=$?
check "manifest add --trust-sumdb: that GOSUMDB passes to the go command (here offline: its download fails)" \
	said $rc "$T/sumdb.err" "cannot download"
# (GOPROXY=off: recorded if the go command has the module and its
# checksum database answer cached, else its download fails.)
# sumdb_taken RC: the add worked or failed only to download, never over GOSUMDB
sumdb_taken() { { [ "$1" -eq 0 ] || has "$T/sumdb.err" 'cannot download'; } && lacks "$T/sumdb.err" GOSUMDB; }
for db in sum.golang.org "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ww0hkXkx5/Ey4cQPGx" sum.golang.google.cn; do
	GOPROXY=off GOSUMDB=$db "$GOINSTR" manifest add $ADD >/dev/null 2>"$T/sumdb.err"; rc=$?
	check "manifest add with GOSUMDB=$db (the Go checksum database): not refused for it" sumdb_taken $rc
done
"$GOINSTR" manifest add go1.26.x >/dev/null 2>"$T/name.err"; rc=$?
check "manifest add of a bad release name: exit 2, one line" one_line $rc "$T/name.err"

finish
