#!/bin/sh
# scale.sh - the unsafe rewrite stays linear in the size of a file, by a
# deterministic measure: the instructions valgrind counts (cachegrind, no
# cache simulation) for rewriting a generated file of each shape
# (build/tests/test_scale: decls, stmts, line, args, respell, dot, error)
# with N and with 10 N elements, less those of an empty one. A linear
# rewrite grows about 10 times; one pass that reads the file from its start
# for each site (as gosyn_linecol once did), or that steps through a node's
# siblings for each child (tree-sitter's ts_node_child, ts_node_parent),
# grows about 100 times. No timing: instruction counts repeat exactly.
#
# SCALE_N (default 1000) sets N; SCALE_MAX (default 12) the largest ratio
# that passes (n log n at these sizes stays below 11).
set -u
SUITE=scale
. "$(dirname "$0")/lib.sh"
N=${SCALE_N:-1000}
MAX=${SCALE_MAX:-12}
PROG=$ROOT/build/tests/test_scale

if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind is not installed (scripts/deps.sh --test installs it)"
	finish
fi
[ -x "$PROG" ] || { notok "build/tests/test_scale is built (make)"; finish; }
check "every shape rewrites to a file that parses, with its sites (native run)" \
	sh -c "'$PROG' >'$T/native' 2>&1 && ! grep -q '^not ok' '$T/native'"

# irefs SHAPE N: the instructions of one rewrite.
irefs() {
	valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$PROG" "$1" "$2" >"$T/vg.out" 2>&1 &&
		awk '/I *refs:/ { gsub(",", "", $NF); print $NF; f = 1 } END { exit !f }' "$T/vg.out"
}

for shape in decls stmts line args respell dot error; do
	if ! i0=$(irefs "$shape" 0) || ! i1=$(irefs "$shape" "$N") ||
		! i10=$(irefs "$shape" $((10 * N))); then
		show "$T/vg.out"
		notok "$shape: valgrind ran"
		continue
	fi
	ratio=$(awk -v a="$i0" -v b="$i1" -v c="$i10" 'BEGIN { printf "%.2f", (c - a) / (b - a) }')
	size=$(sed -n 's/.*: \([0-9]*\) bytes.*/\1/p' "$T/vg.out")
	check "$shape: $((10 * N)) elements ($size bytes) cost $ratio times $N's, at most $MAX" \
		awk -v r="$ratio" -v m="$MAX" 'BEGIN { exit !(r <= m) }'
done
finish
