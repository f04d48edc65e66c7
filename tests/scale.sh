#!/bin/sh
# scale.sh - the unsafe rewrite stays linear in the size of a file, by a
# deterministic measure: the instructions valgrind counts (cachegrind, no
# cache simulation) for goinstr-types planning a generated file of each
# shape (build/tests/test_scale: decls, stmts, line, args, nest, dot,
# error), and for goinstr applying that plan, with N and with 10 N
# elements, less those of an empty one. A linear pass grows about 10
# times; one that walks every site's ancestors, or reads the file from its
# start for each site, grows about 100 times. No timing: instruction
# counts repeat (the Go helper runs with one P and no collector).
#
# SCALE_N (default 1000) sets N; SCALE_MAX (default 12) the largest ratio
# that passes (n log n at these sizes stays below 11).
set -u
SUITE=scale
. "$(dirname "$0")/lib.sh"
N=${SCALE_N:-1000}
MAX=${SCALE_MAX:-12}
PROG=$ROOT/build/tests/test_scale
HELPER=$ROOT/build/goinstr-types

if ! command -v valgrind >/dev/null 2>&1; then
	skip "valgrind is not installed (scripts/deps.sh --test installs it)"
	finish
fi
[ -x "$PROG" ] && [ -x "$HELPER" ] || { notok "build/tests/test_scale and build/goinstr-types are built (make)"; finish; }
# native_run: test_scale's own run passes every shape
native_run() { "$PROG" "$HELPER" >"$T/native" 2>&1 && lacks "$T/native" '^not ok'; }
check "every shape is planned and applied, with its sites (native run)" native_run

# irefs CMD...: the instructions of one run.
irefs() {
	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=cachegrind --cache-sim=no \
		--cachegrind-out-file=/dev/null "$@" >"$T/vg.out" 2>&1 &&
		awk '/I *refs:/ { gsub(",", "", $NF); print $NF; f = 1 } END { exit !f }' "$T/vg.out"
}

# ratio WHAT SHAPE: the cost of 10 N elements over N's, both less 0's.
ratio() {
	i0=$(cat "$T/$1.$2.0") i1=$(cat "$T/$1.$2.$N") i10=$(cat "$T/$1.$2.$((10 * N))")
	awk -v a="$i0" -v b="$i1" -v c="$i10" 'BEGIN { printf "%.2f", (c - a) / (b - a) }'
}

for shape in decls stmts line args nest dot error; do
	ok=1
	for n in 0 "$N" $((10 * N)); do
		f=$T/$shape.$n.go
		"$PROG" gen "$shape" "$n" "$f" >/dev/null &&
			irefs "$HELPER" -importcfg= -lang=go1.26 -- "r=$f" >"$T/plan.$shape.$n.irefs" &&
			"$HELPER" -importcfg= -lang=go1.26 -- "r=$f" >"$T/$shape.$n.plan" &&
			irefs "$PROG" apply "$f" "$T/$shape.$n.plan" >"$T/apply.$shape.$n.irefs" || ok=0
		mv "$T/plan.$shape.$n.irefs" "$T/plan.$shape.$n" 2>/dev/null
		mv "$T/apply.$shape.$n.irefs" "$T/apply.$shape.$n" 2>/dev/null
	done
	if [ $ok = 0 ]; then
		show "$T/vg.out"
		notok "$shape: valgrind ran"
		continue
	fi
	size=$(wc -c <"$T/$shape.$((10 * N)).go")
	whats="plan apply"
	[ "$shape" = error ] && whats=plan # a plan that is an error: nothing to apply
	for what in $whats; do
		r=$(ratio "$what" "$shape")
		check "$shape: $what $((10 * N)) elements ($size bytes) costs $r times $N's, at most $MAX" \
			awk -v r="$r" -v m="$MAX" 'BEGIN { exit !(r <= m) }'
	done
done
finish
