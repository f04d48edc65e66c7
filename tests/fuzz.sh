#!/bin/sh
# fuzz.sh - run each libFuzzer target: tests/fuzz/NAME.c, built by make as
# build/fuzz/NAME (clang, address and undefined-behaviour sanitizers),
# with its corpus tests/fuzz/NAME/ (seed inputs, and one file per crash
# found and fixed: regress-*) and its dictionary tests/fuzz/NAME.dict if
# there is one. For each target: every corpus file runs once and must not
# crash; then FUZZTIME seconds (default 20) of fuzzing from the corpus
# must find no crash. New inputs stay in the temporary directory; a crash
# is shown with the file that makes it (copy it to tests/fuzz/NAME/ as
# regress-WHAT once fixed).
#
#   make build/fuzz/NAME ...        what this suite needs (make test does it)
#   FUZZTIME=600 sh tests/fuzz.sh   longer (or: make fuzz FUZZTIME=600)
set -u
SUITE=fuzz
. "$(dirname "$0")/lib.sh"
FUZZTIME=${FUZZTIME:-20}

for src in "$ROOT"/tests/fuzz/*.c; do
	name=$(basename "$src" .c)
	bin=$ROOT/build/fuzz/$name
	corpus=$ROOT/tests/fuzz/$name
	dict=$ROOT/tests/fuzz/$name.dict
	if [ ! -x "$bin" ]; then
		notok "$name: build/fuzz/$name not built (make build/fuzz/$name; needs clang: scripts/deps.sh --test)"
		continue
	fi
	[ -f "$dict" ] || dict=
	"$bin" -runs=0 -artifact_prefix="$T/$name-replay-" "$corpus" >"$T/$name.replay" 2>&1
	rc=$?
	check "$name: each file of tests/fuzz/$name runs clean ($(ls "$corpus" | wc -l) files)" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || tail -n 30 "$T/$name.replay" | show /dev/stdin
	mkdir -p "$T/$name.corpus"
	"$bin" -max_total_time="$FUZZTIME" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$T/$name-" ${dict:+-dict="$dict"} "$T/$name.corpus" "$corpus" \
		>"$T/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/$name.log")
	check "$name: ${FUZZTIME}s of fuzzing (${runs:-?} inputs), no crash" [ $rc -eq 0 ]
	if [ $rc -ne 0 ]; then
		grep -m1 -E 'ERROR|runtime error|report_line:|SUMMARY' "$T/$name.log" | show /dev/stdin
		for f in "$T/$name"-*; do
			[ -f "$f" ] || continue
			echo "# input: $(od -An -c "$f" | head -c 600 | tr -s ' ')"
		done
		tail -n 40 "$T/$name.log" | show /dev/stdin
	fi
done
finish
