#!/bin/sh
# determinism.sh - goinstr's output depends on its inputs only:
#   1. rewriting the same sources twice (goinstr build --keep-work, two
#      fresh work directories) gives byte-identical files;
#   2. building the same program twice with `goinstr build -trimpath` gives
#      identical binaries, also from a copy of the sources elsewhere (another
#      checkout) with warm caches, and the same content ID there from empty
#      caches (a fresh GOCACHE, a fresh goinstr cache, another TMPDIR): no
#      directory of a build leaks into a binary.
# Uses the toolchain selected by the environment (GOTOOLCHAIN=go1.27.3 sh
# tests/determinism.sh tests Go 1.27). Prints "ok - ..." / "not ok - ...".
set -u
SUITE=determinism
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/tmp1" "$T/tmp2" "$T/tmp3"
cd "$ROOT/tests/e2e" || exit 1

# kept WORKDIR_FILE: the directory a --keep-work build printed
kept() { sed -n 's/^goinstr: work directory kept: //p' "$1"; }

# --- 1. the rewrite, twice, in two fresh work directories ------------------
for i in 1 2; do
	TMPDIR=$T/tmp$i "$GOINSTR" build --keep-work --ops=all -o "$T/keep$i" ./basic 2>"$T/keep$i.err"
done
w1=$(kept "$T/keep1.err") w2=$(kept "$T/keep2.err")
if [ -d "$w1" ] && [ -d "$w2" ] && [ "$w1" != "$w2" ]; then
	# (unsafe/ holds the copies of the packages compiled: the second
	# build takes them from the build cache, and compiles none.)
	n=$(find "$w1" -type f ! -path '*/unsafe/*' | wc -l)
	check "rewrite twice: $n files, byte-identical (diff -r)" \
		diff -r -x overlay.json -x unsafe "$w1" "$w2"
	# overlay.json names its own directory; the rest must be equal.
	sed "s|$w1|WORK|g" "$w1/overlay.json" >"$T/ov1"
	sed "s|$w2|WORK|g" "$w2/overlay.json" >"$T/ov2"
	check "rewrite twice: overlay.json identical but for the work directory" cmp -s "$T/ov1" "$T/ov2"
else
	notok "goinstr build --keep-work printed two work directories"
fi
rm -rf "$w1" "$w2"

# --- 2. binaries -------------------------------------------------------------
# -buildvcs=false: the copy below is outside any repository, and version
# control stamping (the commit, whether the tree is modified) is an input
# of its own, not a place.
check "goinstr build -trimpath ./basic" "$GOINSTR" build -trimpath -buildvcs=false -o "$T/bin1" ./basic
check "again into another path" "$GOINSTR" build -trimpath -buildvcs=false -o "$T/bin2" ./basic
check "-trimpath twice: identical binaries (cmp)" cmp "$T/bin1" "$T/bin2"
# From empty caches: everything is rewritten and compiled again, in a copy
# of the sources elsewhere (another checkout): -trimpath builds name no
# directory, so the go command shares their objects across checkouts, and
# what goinstr bakes in must not depend on where the sources are.
cp -R "$ROOT/tests/e2e" "$T/checkout"
(cd "$T/checkout" && GOCACHE=$T/gocache XDG_CACHE_HOME=$T/xdg TMPDIR=$T/tmp3 \
	"$GOINSTR" build -trimpath -buildvcs=false -o "$T/bin3" ./basic)
# And with the warm caches there: objects compiled here are right there.
(cd "$T/checkout" && "$GOINSTR" build -trimpath -buildvcs=false -o "$T/bin4" ./basic)
# The binaries' build IDs (and the ELF build ID derived from them) hash
# the overlay's location, goinstr's cache directory, another one here: so
# compare what Go compares for reproducibility, the content ID (a hash of
# the binary without its build IDs).
cid() { go tool buildid "$1" | awk -F/ '{ print $NF }'; }
check "-trimpath in another checkout from empty GOCACHE and goinstr cache: same content ID" \
	[ "$(cid "$T/bin1")" = "$(cid "$T/bin3")" ]
check "-trimpath in another checkout with warm caches: identical binary" cmp -s "$T/bin1" "$T/bin4"
# Name the build-specific paths that leaked into a binary, if any.
for b in "$T/bin1" "$T/bin3" "$T/bin4"; do
	grep -a -o -E "/[[:alnum:]/._-]*(goinstr-[[:alnum:]]{6}|/xdg/|/gocache/|$ROOT/|$T/)[[:alnum:]/._-]*" "$b" |
		sort -u | head -n 5 | sed "s|^|# $(basename "$b") holds |"
done >"$T/leaks"
cat "$T/leaks"
check "-trimpath binaries hold no checkout, cache or work directory" [ ! -s "$T/leaks" ]
chmod -R u+w "$T/gocache" 2>/dev/null
check "the binary is instrumented (holds the logger)" grep -q goinstr.start "$T/bin1"
# Without -trimpath the binary records GOROOT and the work paths of its
# build, as a plain build does; that is expected and not checked here
# (tests/goroot.sh: nothing in goinstr's cache).

finish
