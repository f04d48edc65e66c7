#!/bin/sh
# bench/report.sh - how fast goinstr report reads logs, against wc -l on the
# same file in the same run, and its peak memory.
#
#   sh bench/report.sh        (from anywhere; bench/run.sh calls it last)
#
# Builds tests/e2e/basic and tests/e2e/dyncall with goinstr, runs them to
# get real log lines (reflect events with the user's and encoding/json's
# callers), and replicates them with a new pid per copy into a log of
# REPORT_MB megabytes (default 1000): as many processes as copies, the same
# few dozen sites, so memory should stay flat however large the log. Then
# ROUNDS (default 3) alternating timed runs of `wc -l` and `goinstr report
# --format json`, after one read to warm the page cache; medians. Peak RSS
# from /usr/bin/time -v when present. The Markdown table goes to stdout.
set -eu

ROUNDS=${ROUNDS:-3}
REPORT_MB=${REPORT_MB:-1000}

. "$(dirname "$0")/lib.sh"

make -s
say "== building the log's programs"
(cd tests/e2e && "$GOINSTR" build -o "$tmp/basic" ./basic && "$GOINSTR" build -o "$tmp/dyncall" ./dyncall) >&2
INSTRUMENTATION_LOG_PATH=$tmp/seed.log "$tmp/basic" >/dev/null || true
INSTRUMENTATION_LOG_PATH=$tmp/seed.log "$tmp/dyncall" more >/dev/null
[ -s "$tmp/seed.log" ] || die "no seed log"

say "== writing a ${REPORT_MB} MB log"
awk -v mb="$REPORT_MB" '
	{ line[NR] = $0 }
	END {
		want = mb * 1000000; size = 0; pid = 1000000
		while (size < want) {
			pid++
			for (i = 1; i <= NR; i++) {
				l = line[i]
				sub(/"pid":[0-9]+/, "\"pid\":" pid, l)
				print l
				size += length(l) + 1
			}
		}
	}' "$tmp/seed.log" >"$tmp/big.log"
bytes=$(wc -c <"$tmp/big.log")
cat "$tmp/big.log" >/dev/null # warm the page cache for both readers

r=1
: >"$tmp/times"
while [ "$r" -le "$ROUNDS" ]; do
	say "== round $r/$ROUNDS"
	t0=$(now); wc -l "$tmp/big.log" >/dev/null; t1=$(now)
	"$GOINSTR" report --format json "$tmp/big.log" >"$tmp/out.json"; t2=$(now)
	echo "$((t1 - t0)) $((t2 - t1))" >>"$tmp/times"
	r=$((r + 1))
done
rss=?
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$GOINSTR" report --format json "$tmp/big.log" 2>"$tmp/time.txt" >/dev/null
	rss=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$tmp/time.txt")
fi
seedrss=?
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$GOINSTR" report --format json "$tmp/seed.log" 2>"$tmp/time.txt" >/dev/null
	seedrss=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$tmp/time.txt")
fi
sites=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals']['sites'])" "$tmp/out.json" 2>/dev/null || echo ?)

med() { sort -n | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
wc_ns=$(awk '{ print $1 }' "$tmp/times" | med)
rep_ns=$(awk '{ print $2 }' "$tmp/times" | med)

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
printf '\ngoinstr report, %s CPUs, %s\n\n' "$ncpu" "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf '| log | wc -l | goinstr report --format json | ratio | peak RSS |\n'
printf '|---|---:|---:|---:|---:|\n'
awk -v b="$bytes" -v w="$wc_ns" -v r="$rep_ns" -v rss="$rss" -v s="$sites" 'BEGIN {
	printf "| %.0f MB, %s sites | %.0f MB/s | %.0f MB/s | %.2f | %s MB |\n",
		b / 1e6, s, b / 1e6 / (w / 1e9), b / 1e6 / (r / 1e9), r / w, rss }'
printf '\nMedians of %s alternating runs on a warm page cache; ratio = report time / wc -l\n' "$ROUNDS"
printf 'time. Peak RSS on the seed log (%s bytes): %s MB.\n' "$(wc -c <"$tmp/seed.log")" "$seedrss"
