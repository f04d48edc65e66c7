#!/bin/sh
# bench/run.sh - what goinstr costs, as ratios from one run on this machine.
#
#   sh bench/run.sh            (from the repository root, or anywhere)
#
# 1. BenchmarkJSON and BenchmarkTemplate (bench/json_template, reflect) and
#    BenchmarkCast, BenchmarkHash, BenchmarkCodec and BenchmarkJsoniterDecode
#    (bench/unsafe, unsafe sites)
#    in plain test binaries (go test -c) and instrumented ones (goinstr
#    test -c, default ops, logging on), run alternately ROUNDS times;
#    median ns/op, and the median of the rounds' ratios with its 95%
#    confidence interval (each round's two runs are back to back, so
#    drift cancels). With
#    valgrind installed, also instructions per op (repeatable where times
#    are not).
# 2. 'goinstr build' vs 'go build' of examples/demo on a warm build cache:
#    one warm-up each, then BUILD_ROUNDS alternating timed runs (a build
#    is short and its time spreads by 15%); median wall time.
# 3. the drop-in toolchain: 'goinstr toolchain DIR' (wall time, and the new
#    disk it takes: du of the source GOROOT and DIR in one invocation, so
#    hard links count once, for the source), and plain 'go build' through
#    PATH=DIR/bin vs 'goinstr build' of examples/demo, warm cache, as in 2.
# 4. goinstr report's reading speed against wc -l on the same large log,
#    and its peak memory (bench/report.sh; REPORT_MB, default 1000); then
#    a flood of 10^6 new names past the logger's limits (bench/flood.sh).
# 5. code at scale (bench/scale.sh): modernc.org/sqlite and
#    google.golang.org/protobuf's generated packages, cold and warm builds,
#    binary size, the plan against the compile and a workload each, and build cost
#    against the number of sites (SCALE=0 leaves it out: it takes about
#    15 minutes more, most of it cold builds).
#
# The Markdown table goes to stdout, progress to stderr. Environment:
# ROUNDS (default 61), BUILD_ROUNDS (default 31), BENCHTIME (default 0.3s,
# as -test.benchtime).
set -eu

ROUNDS=${ROUNDS:-61}
BUILD_ROUNDS=${BUILD_ROUNDS:-31}
BENCHTIME=${BENCHTIME:-0.3s}

. "$(dirname "$0")/lib.sh"
MOD=$ROOT/bench/json_template
if [ -d "$ROOT/examples/demo" ]; then
	PROG=$ROOT/examples/demo
	PROGNAME=examples/demo
else
	PROG=$MOD/cmd/demo
	PROGNAME=bench/json_template/cmd/demo
fi

say "== make -s"
make -s
[ -x "$GOINSTR" ] || die "$GOINSTR was not built"

# medians FILE: input lines "VARIANT NAME... VALUE" (VARIANT plain or
# instrumented, MED_ROUNDS of each, default ROUNDS). Per name, one
# tab-separated line: NAME, the median of each variant, and the median of
# the rounds' ratios instrumented / plain (the k-th result of each) with
# its 95% confidence interval. A round's two runs are back to back, so
# slow drift of the machine's speed cancels in their ratio. The interval
# holds whatever the shape of the noise: it runs from the j-th to the
# (n+1-j)-th smallest of the n ratios, j = floor((n - 1.96 sqrt(n)) / 2),
# and the true median of the ratios lies there with probability 95%
# (the binomial count of ratios below it, in its normal approximation).
medians() {
	awk '
	{
		v = $1; val = $NF; $1 = ""; $NF = ""
		name = $0; sub(/^ +/, "", name); sub(/ +$/, "", name)
		if (!(name in seen)) { seen[name] = 1; order[++nn] = name }
		x[v, name, ++cnt[v, name]] = val + 0
	}
	function sort(a, n,    i, j, t) {   # insertion sort; n is small
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
	}
	function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	END {
		for (i = 1; i <= nn; i++) {
			nm = order[i]
			if (cnt["plain", nm] != rounds || cnt["instrumented", nm] != rounds) {
				printf "missing results for %s (%d plain, %d instrumented)\n",
					nm, cnt["plain", nm], cnt["instrumented", nm] > "/dev/stderr"
				bad = 1
				continue
			}
			for (k = 1; k <= rounds; k++) {
				p[k] = x["plain", nm, k]; q[k] = x["instrumented", nm, k]; r[k] = q[k] / p[k]
			}
			sort(p, rounds); sort(q, rounds); sort(r, rounds)
			lo = int((rounds - 1.96 * sqrt(rounds)) / 2); if (lo < 1) lo = 1
			hi = rounds + 1 - lo
			printf "%s\t%s\t%s\t%s\t%s\t%s\n", nm, median(p, rounds), median(q, rounds),
				median(r, rounds), r[lo], r[hi]
		}
		exit bad
	}' rounds="${MED_ROUNDS:-$ROUNDS}" "$@"
}

# --- 1. benchmarks -----------------------------------------------------------

# Benchmark modules: reflect-heavy (json_template) and unsafe-heavy
# (unsafe: a loop of pointer casts, json-iterator decoding).
MODS="$MOD $ROOT/bench/unsafe"
say "== building test binaries"
m=0
for d in $MODS; do
	m=$((m + 1))
	(cd "$d" && run go test -c -o "$tmp/plain$m.test" .)
	(cd "$d" && run "$GOINSTR" test -c -o "$tmp/instr$m.test" .)
done
NMODS=$m

LOG=$tmp/log/instrumentation.jsonl
mkdir "$tmp/log"

# bench VARIANT: one run of each test binary; appends "VARIANT NAME NS" lines.
bench() {
	m=1
	while [ "$m" -le "$NMODS" ]; do
		if [ "$1" = instrumented ]; then
			run env INSTRUMENTATION_LOG_PATH="$LOG" "$tmp/instr$m.test" \
				-test.run='^$' -test.bench=. -test.count=1 \
				-test.benchtime="$BENCHTIME"
		else
			run "$tmp/plain$m.test" \
				-test.run='^$' -test.bench=. -test.count=1 \
				-test.benchtime="$BENCHTIME"
		fi
		awk -v v="$1" '$1 ~ /^Benchmark/ && $4 == "ns/op" {
			name = $1; sub(/-[0-9]+$/, "", name); print v, name, $3
		}' "$tmp/out" >>"$tmp/bench.txt"
		m=$((m + 1))
	done
}

: >"$tmp/bench.txt"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	say "== benchmarks, round $r/$ROUNDS"
	# Alternate which variant goes first, so drift hits both alike.
	if [ $((r % 2)) -eq 1 ]; then
		bench plain; bench instrumented
	else
		bench instrumented; bench plain
	fi
	r=$((r + 1))
done

# Logging really was on: one header line per instrumented process.
[ -s "$LOG" ] || die "the instrumented binary wrote no log to $LOG"
starts=$(grep -c '"msg":"goinstr.start"' "$LOG" || true)
[ "$starts" -eq $((ROUNDS * NMODS)) ] ||
	die "expected $((ROUNDS * NMODS)) goinstr.start lines in the log, found $starts"
grep -q '"cat":"unsafe"' "$LOG" || die "the unsafe benchmarks logged no unsafe event"
loglines=$(awk 'END { print NR }' "$LOG")

# --- 1b. instructions per op ------------------------------------------------

# Wall time on a shared machine spreads by 15%; instruction counts do not.
# Under valgrind (cachegrind, no cache simulation), each benchmark runs with
# two iteration counts, A and A+N; the difference of the totals over N is
# the instructions of one op, without the process's start and warm-up.
# Asynchronous preemption is off (valgrind mishandles its signals at
# times), alike for both variants, and so is the garbage collector: where
# its cycles fall in A and A+N would move a count by a few percent, and
# both variants allocate alike (the hooks allocate nothing). N is chosen
# from the median ns/op so that a run takes about 0.05 s natively.
: >"$tmp/instr.txt"
if command -v valgrind >/dev/null 2>&1; then
	say "== instructions per op (valgrind)"
	MED_ROUNDS=$ROUNDS medians "$tmp/bench.txt" >"$tmp/bench.pre" || die "incomplete benchmark results"
	# irefs BIN NAME ITERS: the instructions of one run (a second try if
	# valgrind itself fails, as it rarely does on a Go program's signals).
	irefs() {
		for try in 1 2; do
			if env GODEBUG=asyncpreemptoff=1 GOGC=off INSTRUMENTATION_LOG_PATH="$LOG.vg" \
				valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
				"$1" -test.run='^$' -test.bench="^$2\$" -test.benchtime="$3x" -test.cpu=1 \
				>"$tmp/out" 2>&1; then
				awk '/I *refs:/ { gsub(",", "", $NF); print $NF; f = 1 } END { exit !f }' "$tmp/out" &&
					return 0
			fi
		done
		cat "$tmp/out" >&2
		die "valgrind failed on $1 -test.bench=$2"
	}
	m=1
	while [ "$m" -le "$NMODS" ]; do
		for name in $("$tmp/plain$m.test" -test.list '^Benchmark'); do
			ns=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' "$tmp/bench.pre")
			n=$(awk -v ns="$ns" 'BEGIN { n = int(5e7 / ns); print n < 100 ? 100 : n }')
			a=$((n / 4))
			for v in plain instrumented; do
				bin=$tmp/plain$m.test
				[ "$v" = instrumented ] && bin=$tmp/instr$m.test
				for it in "$a" "$((a + n))"; do
					irefs "$bin" "$name" "$it" >"$tmp/ir.$it"
				done
				awk -v v="$v" -v name="$name" -v n="$n" -v lo="$(cat "$tmp/ir.$a")" \
					-v hi="$(cat "$tmp/ir.$((a + n))")" \
					'BEGIN { printf "%s %s %.0f\n", v, name, (hi - lo) / n }' >>"$tmp/instr.txt"
			done
		done
		m=$((m + 1))
	done
	rm -f "$LOG.vg"*
else
	say "== valgrind not found: no instruction counts"
fi

# --- 2. build time -----------------------------------------------------------

# build VARIANT [timed]: one build of $PROG into a fresh output file.
build() {
	out=$tmp/prog.$1
	rm -f "$out"
	if [ "$1" = instrumented ]; then
		set -- "$1" "$GOINSTR" build -o "$out" .
	elif [ "$1" = toolchain ]; then
		set -- "$1" env PATH="$tmp/tc/bin:$PATH" go build -o "$out" .
	else
		set -- "$1" go build -o "$out" .
	fi
	v=$1
	shift
	t0=$(now)
	(cd "$PROG" && run "$@")
	t1=$(now)
	[ -x "$out" ] || die "no binary from: $*"
	awk -v v="$v" -v n="build $PROGNAME" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%s %s %.0f\n", v, n, (b - a) / 1e6 }' >>"${BUILDTXT:-$tmp/build.txt}"
}

say "== builds of $PROGNAME, warm-up"
: >"$tmp/build.txt"
build plain
build instrumented
: >"$tmp/build.txt"
# build_rounds WHAT A B: BUILD_ROUNDS timed builds of variants A and B, the
# one that goes first alternating.
build_rounds() {
	r=1
	while [ "$r" -le "$BUILD_ROUNDS" ]; do
		say "== $1, round $r/$BUILD_ROUNDS"
		if [ $((r % 2)) -eq 1 ]; then
			build "$2"; build "$3"
		else
			build "$3"; build "$2"
		fi
		r=$((r + 1))
	done
}
build_rounds builds plain instrumented

# --- 3. the drop-in toolchain ------------------------------------------------

say "== goinstr toolchain"
t0=$(now)
run "$GOINSTR" toolchain "$tmp/tc"
t1=$(now)
tc_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
src=$(go env GOROOT)
if [ "$(stat -c %d "$src")" = "$(stat -c %d "$tmp")" ]; then
	tc_kb=$(du -sk "$src" "$tmp/tc" | awk 'END { print $1 }')
	tc_fs="same file system as GOROOT: hard links"
else
	tc_kb=$(du -sk "$tmp/tc" | awk '{ print $1 }')
	tc_fs="another file system than GOROOT: copies"
fi
say "== builds of $PROGNAME through the toolchain, warm-up"
BUILDTXT=$tmp/tcbuild.txt
build toolchain
build instrumented
: >"$BUILDTXT"
build_rounds "toolchain builds" instrumented toolchain
unset BUILDTXT

# --- report ------------------------------------------------------------------

# Every run, for judging the spread (stderr, not part of the table).
say "== raw results (variant, name, ns/op or ms)"
cat "$tmp/bench.txt" "$tmp/build.txt" "$tmp/tcbuild.txt" >&2

medians "$tmp/bench.txt" >"$tmp/bench.med" || die "incomplete benchmark results"
MED_ROUNDS=$BUILD_ROUNDS medians "$tmp/build.txt" >"$tmp/build.med" || die "incomplete build results"
nbench=0 m=1
while [ "$m" -le "$NMODS" ]; do # every benchmark the test binaries hold
	nbench=$((nbench + $("$tmp/plain$m.test" -test.list '^Benchmark' | awk 'END { print NR }')))
	m=$((m + 1))
done
[ "$(awk 'END { print NR }' "$tmp/bench.med")" -eq "$nbench" ] ||
	die "expected $nbench benchmarks, got: $(cat "$tmp/bench.med")"

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
printf '%s, goinstr %s, %s CPUs, %s\n\n' "$(go version | sed 's/^go version //')" \
	"$("$GOINSTR" version | awk '{ print $3 }')" "$ncpu" "$(date -u '+%Y-%m-%d %H:%M UTC')"
# row UNIT FILE: a table row per line of medians' output.
row() {
	awk -F '\t' -v unit="$1" '{ f = $2 < 100 ? "%.1f" : "%.0f"
		printf "| %s (%s) | " f " | " f " | %.2f | %.2f (%.2f–%.2f) |\n",
			$1, unit, $2, $3, $3 / $2, $4, $5, $6 }' "$2"
}
printf '| benchmark | plain | instrumented | ratio | round ratios: median (95%% CI) |\n'
printf '|---|---:|---:|---:|---:|\n'
row ns/op "$tmp/bench.med"
row "ms, warm cache" "$tmp/build.med"
printf '\nMedians of %s alternating runs (-test.benchtime=%s; builds: %s runs); instrumented =\n' \
	"$ROUNDS" "$BENCHTIME" "$BUILD_ROUNDS"
printf 'default ops, logging on (%s log lines from %s processes). Ratio = instrumented / plain,\n' \
	"$loglines" "$((ROUNDS * NMODS))"
printf 'of the medians; a round ratio is that of one round'"'"'s two runs, back to back, and the\n'
printf 'interval is where the median of all such ratios lies, with 95%% confidence.\n'

if [ -s "$tmp/instr.txt" ]; then
	MED_ROUNDS=1 medians "$tmp/instr.txt" >"$tmp/instr.med" || die "incomplete instruction counts"
	printf '\n| benchmark | plain | instrumented | ratio |\n'
	printf '|---|---:|---:|---:|\n'
	awk -F '\t' '{ printf "| %s (instructions/op) | %.0f | %.0f | %.3f |\n", $1, $2, $3, $3 / $2 }' "$tmp/instr.med"
	printf '\nInstructions per op under valgrind (cachegrind), from the difference of two runs\n'
	printf '(GOGC=off): repeatable to about 0.1%%, unlike the times above.\n'
fi

# The toolchain: goinstr build (as "instrumented" above) vs go through DIR/bin.
sed 's/^instrumented /plain /; s/^toolchain /instrumented /' "$tmp/tcbuild.txt" >"$tmp/tcbuild.pi"
MED_ROUNDS=$BUILD_ROUNDS medians "$tmp/tcbuild.pi" >"$tmp/tcbuild.med" || die "incomplete toolchain build results"
printf '\n| drop-in toolchain | goinstr build | toolchain | ratio |\n'
printf '|---|---:|---:|---:|\n'
printf '| goinstr toolchain DIR (ms) | | %s | |\n' "$tc_ms"
printf '| new disk for DIR (KiB; %s) | | %s | |\n' "$tc_fs" "$tc_kb"
awk -F '\t' '{ printf "| %s (ms, warm cache) | %.0f | %.0f | %.2f |\n", $1, $2, $3, $3 / $2 }' \
	"$tmp/tcbuild.med"
printf '\nToolchain build = plain go build with PATH=DIR/bin:$PATH; ratio = toolchain / goinstr build.\n'

# --- 4. goinstr report ------------------------------------------------------
ROUNDS=3 sh "$ROOT/bench/report.sh"

# --- 4b. a flood of new names past the logger's limits -------------------------
printf '\n'
ROUNDS=11 sh "$ROOT/bench/flood.sh"

# --- 5. code at scale ---------------------------------------------------------
if [ "${SCALE:-1}" != 0 ]; then
	printf '\n'
	sh "$ROOT/bench/scale.sh"
fi
