#!/bin/sh
# bench/scale.sh - what goinstr costs as code grows: two large cases and a
# series of generated packages, as ratios from one run on this machine.
#
#   sh bench/scale.sh          (from anywhere; bench/run.sh calls it last)
#
# 1. bench/sqlite (modernc.org/sqlite v1.62.0: a C library transpiled to
#    Go, about 103,000 unsafe operations, single files of 4 to 5 MB) and
#    bench/protobuf (google.golang.org/protobuf v1.36.12's generated
#    packages and runtime), each:
#    - cold build: go build against goinstr build, each from an empty
#      GOCACHE and an empty goinstr cache (the module cache stays), in
#      SCALE_ROUNDS alternating rounds;
#    - rebuild after touching main.go, the binary deleted (so it links),
#      warm caches, BUILD_ROUNDS alternating rounds;
#    - binary size; wrapped sites and the inventory's size;
#    - the plan of its largest package (goinstr-types: parse, type-check,
#      plan; build/goinstr-types) against that package's compile alone
#      (go tool compile, same files and export data), BUILD_ROUNDS
#      alternating rounds;
#    - the workload's run time, plain against instrumented with logging
#      on, ROUNDS alternating runs, and with valgrind its instructions at
#      a tenth of the size, logging off (what seen sites cost).
# 2. Build cost against the number of sites: generated packages of
#    SITES_SERIES unsafe sites (sqlite's shape: casts of uintptr
#    variables, 25 to a function), each built plain and instrumented (the
#    standard library comes from the warm cache), BUILD_ROUNDS times.
#
# The Markdown tables go to stdout, progress to stderr. Environment:
# SCALE_ROUNDS (default 3), BUILD_ROUNDS (default 5), ROUNDS (default 11),
# SITES_SERIES (default "1000 4000 16000 64000"). Needs the Go module
# proxy (or a module cache holding both modules), GNU date, awk.
set -eu

SCALE_ROUNDS=${SCALE_ROUNDS:-3}
BUILD_ROUNDS=${BUILD_ROUNDS:-5}
ROUNDS=${ROUNDS:-11}
SITES_SERIES=${SITES_SERIES:-1000 4000 16000 64000}

. "$(dirname "$0")/lib.sh"
TYPES=$ROOT/build/goinstr-types

say "== make -s build/goinstr build/goinstr-types"
make -s build/goinstr build/goinstr-types
[ -x "$GOINSTR" ] && [ -x "$TYPES" ] || die "goinstr or goinstr-types was not built"

# timed FILE CMD...: run CMD, append its wall time in ms to FILE.
timed() {
	f=$1
	shift
	t0=$(now)
	run "$@"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) / 1e6 }' >>"$f"
}

# gobuild VARIANT OUT [TIMES]: build the program of the current directory
# plain or instrumented into OUT; with TIMES, its time is appended there.
gobuild() {
	if [ "$1" = instrumented ]; then
		set -- "$2" "${3:-}" "$GOINSTR" build -o "$2" .
	else
		set -- "$2" "${3:-}" go build -o "$2" .
	fi
	rm -f "$1"
	if [ -n "$2" ]; then
		f=$2
		shift 2
		timed "$f" "$@"
	else
		shift 2
		run "$@"
	fi
}

# alternate N WHAT FN: N rounds of `FN plain R` and `FN instrumented R`,
# the variant that goes first alternating (R: the round); the times FN
# appends to $tmp/t.plain and $tmp/t.instrumented (emptied first).
alternate() {
	: >"$tmp/t.plain"
	: >"$tmp/t.instrumented"
	r=1
	while [ "$r" -le "$1" ]; do
		say "== $2, round $r/$1"
		if [ $((r % 2)) -eq 1 ]; then
			"$3" plain "$r"
			"$3" instrumented "$r"
		else
			"$3" instrumented "$r"
			"$3" plain "$r"
		fi
		r=$((r + 1))
	done
}

# row CASE MEASURE PLAIN GOINSTR: a table row with the ratio.
row() {
	awk -v c="$1" -v m="$2" -v p="$3" -v i="$4" \
		'BEGIN { printf "| %s | %s | %s | %s | %.2f |\n", c, m, p, i, i / p }'
}

# A private GOCACHE and goinstr cache (XDG_CACHE_HOME), emptied for cold
# builds. The module cache is the user's, filled once before timing.
export GOCACHE="$tmp/gocache" XDG_CACHE_HOME="$tmp/xdg"

printf '%s, goinstr %s, %s CPUs, %s\n\n' "$(go version | sed 's/^go version //')" \
	"$("$GOINSTR" version | awk '{ print $3 }')" "$(getconf _NPROCESSORS_ONLN)" \
	"$(date -u '+%Y-%m-%d %H:%M UTC')"

# --- 1. the large cases -------------------------------------------------------
cold() {
	chmod -R u+w "$GOCACHE" "$XDG_CACHE_HOME" 2>/dev/null || true
	rm -rf "$GOCACHE" "$XDG_CACHE_HOME"
	(cd "$dir" && gobuild "$1" "$tmp/$case.$1" "$tmp/t.$1")
}
rebuild() {
	touch "$dir/main.go"
	(cd "$dir" && gobuild "$1" "$tmp/$case.$1" "$tmp/t.$1")
}
workload() {
	timed "$tmp/t.$1" env INSTRUMENTATION_LOG_PATH="$tmp/$case.log" "$tmp/$case.$1" "$arg"
}
# largest: in a module's directory, set big to the package outside the
# standard library with the most bytes of Go, bigsize to that number, and
# write what compiling or planning it reads: $tmp/big.files (its files),
# $tmp/big.cfg (its dependencies' export data), $tmp/big.lang.
largest() {
	go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{range .GoFiles}} {{$.Dir}}/{{.}}{{end}}{{end}}' . |
		while read -r p f; do
			[ -n "$f" ] || continue
			# shellcheck disable=SC2086
			printf '%s %s\n' "$(cat $f | wc -c)" "$p"
		done | sort -rn | head -n 1 >"$tmp/big"
	read -r bigsize big <"$tmp/big"
	go list -f '{{range .GoFiles}}{{$.Dir}}/{{.}} {{end}}' "$big" >"$tmp/big.files"
	go list -f 'go{{with .Module}}{{.GoVersion}}{{end}}' "$big" | cut -d. -f1,2 >"$tmp/big.lang"
	go list -deps -export -f '{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}' "$big" |
		grep . >"$tmp/big.cfg"
}
# plan_or_compile VARIANT: goinstr-types' plan of $big (instrumented) or
# its compile alone (plain), timed.
plan_or_compile() {
	files=$(cat "$tmp/big.files")
	if [ "$1" = instrumented ]; then
		# shellcheck disable=SC2086
		timed "$tmp/t.$1" "$TYPES" -importcfg "$tmp/big.cfg" -lang "$(cat "$tmp/big.lang")" \
			$(printf 'r=%s ' $files)
		grep -q '"edit"' "$tmp/out" || die "goinstr-types planned no edit for $big"
	else
		# shellcheck disable=SC2086
		timed "$tmp/t.$1" "$(go env GOTOOLDIR)/compile" -p "$big" -importcfg "$tmp/big.cfg" \
			-lang "$(cat "$tmp/big.lang")" -o "$tmp/big.a" $files
	fi
}
irefs() { awk '/I *refs:/ { gsub(",", "", $NF); print $NF }' "$@"; }

printf '| case | measure | plain | goinstr | ratio |\n|---|---|---:|---:|---:|\n'
for case in sqlite protobuf; do
	dir=$ROOT/bench/$case
	say "== $case: module download"
	(cd "$dir" && run go mod download)
	case $case in
	sqlite) arg=100000 ;;
	protobuf) arg=400 ;;
	esac

	alternate "$SCALE_ROUNDS" "$case: cold build" cold
	row "$case" "cold build (ms)" "$(median <"$tmp/t.plain")" "$(median <"$tmp/t.instrumented")"
	for v in plain instrumented; do # both warm in one cache
		(cd "$dir" && gobuild "$v" "$tmp/$case.$v")
	done
	alternate "$BUILD_ROUNDS" "$case: rebuild after touching main.go" rebuild
	row "$case" "rebuild after touching main.go (ms)" "$(median <"$tmp/t.plain")" \
		"$(median <"$tmp/t.instrumented")"
	row "$case" "binary (bytes)" "$(stat -c %s "$tmp/$case.plain")" "$(stat -c %s "$tmp/$case.instrumented")"
	inv=$tmp/$case.instrumented.sites.jsonl
	zcat "$inv" >"$tmp/inv"
	printf '| %s | wrapped unsafe sites; inventory | | %s; %s bytes, %s lines (%.1f bytes a line) | |\n' \
		"$case" "$(grep -c '"wrapped":true' "$tmp/inv" || true)" "$(stat -c %s "$inv")" \
		"$(awk 'END { print NR }' "$tmp/inv")" \
		"$(awk -v s="$(stat -c %s "$inv")" 'END { print s / NR }' "$tmp/inv")"

	(cd "$dir" && largest)
	read -r bigsize big <"$tmp/big" # largest ran in a subshell
	alternate "$BUILD_ROUNDS" "$case: plan and compile of $big" plan_or_compile
	row "$case" "\`$big\` ($bigsize bytes of Go): compile alone against goinstr-types' plan (ms)" \
		"$(median <"$tmp/t.plain")" "$(median <"$tmp/t.instrumented")"

	run "$tmp/$case.plain" "$arg"
	cp "$tmp/out" "$tmp/$case.out"
	run env INSTRUMENTATION_LOG_PATH="$tmp/$case.log" "$tmp/$case.instrumented" "$arg"
	cmp -s "$tmp/out" "$tmp/$case.out" || die "$case: the instrumented workload printed something else"
	grep -q '"msg":"unsafe.' "$tmp/$case.log" || die "$case: the instrumented workload logged no unsafe event"
	alternate "$ROUNDS" "$case: workload" workload
	row "$case" "workload $arg (ms, logging on)" "$(median <"$tmp/t.plain")" "$(median <"$tmp/t.instrumented")"
	if command -v valgrind >/dev/null 2>&1; then
		for v in plain instrumented; do # logging off: what a seen site costs
			env GODEBUG=asyncpreemptoff=1 valgrind \
				--tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
				"$tmp/$case.$v" "$((arg / 10))" >"$tmp/vg.$v" 2>&1 ||
				{ cat "$tmp/vg.$v" >&2; die "valgrind failed on $case.$v"; }
		done
		row "$case" "workload $((arg / 10)) (instructions, logging off)" "$(irefs "$tmp/vg.plain")" \
			"$(irefs "$tmp/vg.instrumented")"
	fi
done

# --- 2. build cost against the number of sites --------------------------------
# gen N DIR R: a package main of N lines of two sites each, in functions
# of 25 lines (as transpiled C has them), all called (none is dead code),
# round R written in (so that no build comes from the cache).
gen() {
	mkdir -p "$2"
	printf 'module gen\n\ngo 1.26\n' >"$2/go.mod"
	awk -v n="$1" -v r="$3" 'BEGIN {
		printf "package main\n\nimport \"unsafe\"\n\ntype rec struct{ a, b, c int64 }\n\nconst round = %d\n\n", r
		f = 0
		for (i = 0; i < n; i += 25) {
			printf "func f%d(p uintptr, q *rec) int64 {\n\tvar s int64\n", f
			for (k = 0; k < 25 && i + k < n; k++)
				printf "\ts += (*rec)(unsafe.Pointer(p)).a*%d + *(*int64)(unsafe.Pointer(&q.b))\n", k
			printf "\treturn s\n}\n\n"
			f++
		}
		printf "var fs = []func(uintptr, *rec) int64{"
		for (k = 0; k < f; k++)
			printf "f%d, ", k
		printf "}\n\nfunc main() {\n\tvar r rec\n\ts := int64(round)\n"
		printf "\tfor _, f := range fs {\n\t\ts += f(uintptr(unsafe.Pointer(&r)), &r)\n\t}\n\tprintln(s)\n}\n"
	}' >"$2/main.go"
}
generated() {
	gen "$((n / 2))" "$tmp/gen" "$2"
	(cd "$tmp/gen" && gobuild "$1" "$tmp/gen.$1" "$tmp/t.$1")
}
printf '\n| sites | source (bytes) | build plain (ms) | goinstr (ms) | ratio | extra ms per 1000 sites | binary plain | goinstr | extra bytes per site |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in $SITES_SERIES; do
	alternate "$BUILD_ROUNDS" "$n sites" generated
	gp=$(median <"$tmp/t.plain") gi=$(median <"$tmp/t.instrumented")
	bp=$(stat -c %s "$tmp/gen.plain") bi=$(stat -c %s "$tmp/gen.instrumented")
	awk -v n="$n" -v s="$(stat -c %s "$tmp/gen/main.go")" -v gp="$gp" -v gi="$gi" -v bp="$bp" -v bi="$bi" \
		'BEGIN { printf "| %d | %d | %d | %d | %.2f | %.0f | %d | %d | %.1f |\n",
			n, s, gp, gi, gi / gp, (gi - gp) * 1000 / n, bp, bi, (bi - bp) / n }'
done
printf '\nMedians: cold builds of %s rounds, rebuilds and generated packages of %s, workloads of %s;\n' \
	"$SCALE_ROUNDS" "$BUILD_ROUNDS" "$ROUNDS"
printf 'wall clock on this machine (instructions: valgrind).\n'
