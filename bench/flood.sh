#!/bin/sh
# bench/flood.sh - what a flood of new names costs a program whose logger
# is past its limits (its table of 65,536 keys full, the cap on distinct
# events reached), against the plain build, in one run.
#
#   sh bench/flood.sh        (from anywhere; bench/run.sh calls it)
#
# tests/e2e/manynames looks up N distinct names, as a server looks up the
# names its clients send. It is built plain and with goinstr, and each
# runs N = FLOOD_N (default 10^6) names, ROUNDS (default 11) alternating
# rounds, with logging on: with the default cap (100,000 events, each a
# line written) and with INSTRUMENTATION_LOG_MAX_EVENTS=1000 (the flood
# after a thousand lines); medians of wall time, and the peak RSS the
# program reports. With valgrind, the instructions of one name past the
# limits: the difference of runs of 200,000 and 100,000 names (cap 1,000,
# GOGC=off) over 100,000, for each build (the figure tests/e2e.sh holds to
# at most 3 times plain's). The Markdown table goes to stdout.
set -eu

ROUNDS=${ROUNDS:-11}
FLOOD_N=${FLOOD_N:-1000000}

. "$(dirname "$0")/lib.sh"

make -s
say "== building tests/e2e/manynames, plain and with goinstr"
(cd tests/e2e && go build -o "$tmp/plain" ./manynames && "$GOINSTR" build -o "$tmp/instr" ./manynames) >&2

# one VARIANT: one timed run; appends "VARIANT NS HWM" to $tmp/times.
one() {
	rm -f "$tmp/flood.log"*
	case $1 in
	plain) bin=$tmp/plain ;;
	instr) bin=$tmp/instr ;;
	capped) bin=$tmp/instr ;;
	esac
	t0=$(now)
	if [ "$1" = capped ]; then
		INSTRUMENTATION_LOG_MAX_EVENTS=1000 INSTRUMENTATION_LOG_PATH=$tmp/flood.log "$bin" "$FLOOD_N" >"$tmp/out"
	else
		INSTRUMENTATION_LOG_PATH=$tmp/flood.log "$bin" "$FLOOD_N" >"$tmp/out"
	fi
	t1=$(now)
	[ "$1" = plain ] || grep -q '"msg":"goinstr.limit"' "$tmp/flood.log" || die "$1: no limit line in the log"
	echo "$1 $((t1 - t0)) $(sed -n 's/^hwm: //p' "$tmp/out")" >>"$tmp/times"
}

: >"$tmp/times"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	say "== round $r/$ROUNDS"
	if [ $((r % 2)) -eq 1 ]; then one plain; one instr; one capped; else one capped; one instr; one plain; fi
	r=$((r + 1))
done
med() { awk -v v="$1" -v f="$2" '$1 == v { print $f }' "$tmp/times" | median; }
ms() { awk -v x="$(med "$1" 2)" 'BEGIN { printf "%.0f", x / 1e6 }'; }
mb() { awk -v x="$(med "$1" 3)" 'BEGIN { printf "%.1f", x / 1024 }'; }
ratio() { awk -v a="$(med "$1" 2)" -v b="$(med plain 2)" 'BEGIN { printf "%.2f", a / b }'; }

instr=
if command -v valgrind >/dev/null 2>&1; then
	say "== instructions past the limits (valgrind)"
	irefs() { # irefs BINARY N
		GOGC=off GODEBUG=asyncpreemptoff=1 INSTRUMENTATION_LOG_MAX_EVENTS=1000 INSTRUMENTATION_LOG_PATH=$tmp/vg.log \
			valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" "$2" >"$tmp/vg.out" 2>&1 ||
			{ cat "$tmp/vg.out" >&2; die "valgrind failed on $1"; }
		awk '/I *refs:/ { gsub(",", "", $NF); print $NF }' "$tmp/vg.out"
	}
	p=$(($(irefs "$tmp/plain" 200000) - $(irefs "$tmp/plain" 100000)))
	rm -f "$tmp/vg.log"
	i=$(($(irefs "$tmp/instr" 200000) - $(irefs "$tmp/instr" 100000)))
	instr=$(awk -v p="$p" -v i="$i" 'BEGIN { printf "| a new name past the limits (instructions) | %.0f | %.0f | %.2f |", p / 1e5, i / 1e5, i / p }')
fi

echo "| manynames, $FLOOD_N distinct names | plain | goinstr | ratio |"
echo "|---|---:|---:|---:|"
echo "| wall time (ms), default cap: 100,000 events logged | $(ms plain) | $(ms instr) | $(ratio instr) |"
echo "| wall time (ms), INSTRUMENTATION_LOG_MAX_EVENTS=1000 | $(ms plain) | $(ms capped) | $(ratio capped) |"
echo "| peak RSS (MB), default cap | $(mb plain) | $(mb instr) | |"
[ -z "$instr" ] || echo "$instr"
