#!/bin/sh
# report.sh - goinstr report on logs of real programs built with goinstr
# (tests/e2e/dyncall, tests/e2e/basic, tests/unsafe/prog): exact rows of
# every format, call edges, SARIF against the schema, the HTML page as
# headless Chromium renders it, site coverage, the --baseline gate and
# --allow, bad input, rotated logs; hostile logs (SARIF valid, peak memory
# bounded); a baseline kept across a real edit (-trimpath); attribution
# from another directory and of go test's deleted binaries; a program
# logging through two real logrotate runs (compress, delaycompress), read
# with LOG.1 and LOG.2.gz, and age decrypting into goinstr report -.
#
# --quick (make check) compares goinstr report on the fixtures of
# tests/report/ with their goldens, plus generated inputs (a line over
# 1 MiB, gzip, standard input, FIFO and symlinked inventories).
# Needs what `scripts/deps.sh --test` installs (chromium, python3-jsonschema,
# logrotate, age, build/deps/sarif/sarif-2.1.0.json). GOINSTR_SARIF_SCHEMA
# names another schema to validate against as well (e.g. OASIS's draft-04
# original).
set -u
SUITE=report
. "$(dirname "$0")/lib.sh"
E2E=$ROOT/tests/e2e
UP=$ROOT/tests/unsafe/prog
mkdir -p "$T/bin" "$T/rot"
unset INSTRUMENTATION_LOG_MAX_BYTES INSTRUMENTATION_LOG_KEEP INSTRUMENTATION_REDACT

# --- fixtures: tests/report/*.log against goldens (make check) ------------
# app.log holds the logs of tests/e2e/dyncall (twice), tests/unsafe/prog
# and tests/e2e/basic, with the checkout at /src/goinstr and the module
# cache at /home/dev/go/pkg/mod; their binaries are gone (/build/out), so
# modules come from the inventory app.sites.jsonl. bad.log holds lines
# a report must skip and name. hostile.log holds what a log may carry that
# a terminal, a JSON reader or a SARIF service must not get raw (terminal
# escapes, bytes that are not UTF-8, NUL, lone surrogates, numbers out of
# range, torn lines). v2.log.1 and v2.log are a rotated pair of schema 2
# logs written by hand from the header's spec (docs/report.md): binaries
# gone, modules from the headers; v2gap.log is v2.log without v2.log.1
# (part 1 of process 100 missing) and a process 400 whose parts 1, 3 and
# 6 only are there (2, 4-5 missing). baseline.json is a schema 1 --format
# json (file:line keys), baseline2.json a schema 2 one of app.log's first
# three processes; moved.log is app.log's dyncall processes with every
# line of dyncall/main.go one lower (a comment added above the package
# clause). Each golden is the command's stdout, then its stderr and exit
# status; UPDATE_GOLDEN=1 writes them (review the diff).
FX=$ROOT/tests/report
golden() { # golden NAME CMD...: run CMD in tests/report, compare with NAME
	_g=$1
	shift
	(cd "$FX" && "$@" >"$T/g.out" 2>"$T/g.err"; echo "--- exit $?" >"$T/g.rc")
	{ cat "$T/g.out"; echo "--- stderr"; cat "$T/g.err" "$T/g.rc"; } >"$T/g.all"
	[ -z "${UPDATE_GOLDEN:-}" ] || cp "$T/g.all" "$FX/$_g"
	if cmp -s "$T/g.all" "$FX/$_g"; then
		ok "golden $_g"
	else
		notok "golden $_g"
		diff -u "$FX/$_g" "$T/g.all" | head -n 30 | sed 's/^/# /'
	fi
}
for f in text json sarif edges html; do
	golden "app.$f.golden" "$GOINSTR" report --format $f app.log --sites app.sites.jsonl
	golden "hostile.$f.golden" "$GOINSTR" report --format $f hostile.log
done
golden bad.text.golden "$GOINSTR" report bad.log
golden baseline.text.golden "$GOINSTR" report --baseline baseline.json app.log --sites app.sites.jsonl
golden baseline2.text.golden "$GOINSTR" report --baseline baseline2.json --allow allow.jsonl app.log --sites app.sites.jsonl
golden moved.text.golden "$GOINSTR" report --baseline baseline2.json moved.log
golden hostile.baseline.golden "$GOINSTR" report --baseline app.log hostile.log
golden v2.text.golden "$GOINSTR" report v2.log
golden v2.json.golden "$GOINSTR" report --format json v2.log
golden v2.sarif.golden "$GOINSTR" report --format sarif v2.log
golden v2.part1.text.golden "$GOINSTR" report v2.log.1
# report_stdin LOG: goinstr report reading LOG on its standard input
report_stdin() { "$GOINSTR" report - <"$1"; }
golden v2.stdin.text.golden report_stdin v2.log
golden v2gap.text.golden "$GOINSTR" report v2gap.log
golden v2gap.json.golden "$GOINSTR" report --format json v2gap.log
golden v2gap.html.golden "$GOINSTR" report --format html v2gap.log
# testbin.log: a real `goinstr test` log of gopkg.in/yaml.v3's suite (its
# header's "deps":[], as the go command leaves a test binary's build
# information), plus a line of a dependency whose cache path has the "!x"
# case encoding: modules from the cache paths, packages with the linker's
# "%2e" undone, the external test package in its module.
golden testbin.text.golden "$GOINSTR" report testbin.log
# JSON may hold C1 controls (U+009B starts a terminal command as ESC [
# does), bidirectional overrides and line separators raw: the outputs
# escape them (\u009b), as text does, and the strings keep them.
for f in json sarif; do
	(cd "$FX" && "$GOINSTR" report --format $f hostile.log >"$T/c1.$f" 2>/dev/null)
	check "$f: no C1 control, bidi override or line separator raw; still in the strings, escaped" python3 -c "
import json, re, sys
raw = open(sys.argv[1], 'rb').read()
sys.exit(re.search(rb'\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]', raw) is not None or
	b'\\u009b' not in raw or '\x9b' not in json.dumps(json.loads(raw), ensure_ascii=False))" "$T/c1.$f"
done

# Generated inputs: too long a line, gzip, standard input, files a log
# names that are not regular files.
jget() { python3 -c "import json,sys; j = json.load(open(sys.argv[1])); v = $2; print(v)" "$1"; }
mkdir -p "$T/q"
Q=$T/q
{
	sed -n 1,2p "$FX/v2.log"
	printf '{"time":"x","msg":"m","op":"o","target":"'
	head -c 1100000 /dev/zero | tr '\0' a
	printf '"}\n'
	sed -n '3,$p' "$FX/v2.log"
} >"$Q/long.log"
"$GOINSTR" report --format json "$Q/long.log" >"$Q/long.json" 2>"$Q/long.err"
echo $? >"$Q/long.rc"
long_named() {
	[ "$(cat "$Q/long.rc")" -eq 3 ] &&
		has_line "$Q/long.err" "goinstr: $Q/long.log:3: line of 1100043 bytes, longer than 1048576: read past"
}
check "a line over 1 MiB: named, read past, exit 3" long_named
check "a line over 1 MiB: every other line counted" [ "$(jget "$Q/long.json" "j['totals']['events'], j['totals']['lines'], j['totals']['skipped_lines']")" = "(7, 14, 1)" ]

"$GOINSTR" report --format json "$FX/v2.log" >"$Q/plain.json"
cp "$FX/v2.log.1" "$Q/z.log.2"
gzip -n "$Q/z.log.2"
cp "$FX/v2.log" "$Q/z.log.1"
: >"$Q/z.log"
"$GOINSTR" report --format json "$Q/z.log" >"$Q/z.json"
check "gzip: LOG reads LOG.2.gz, LOG.1 and LOG" [ "$(jget "$Q/z.json" "j['totals']['files'], j['modules'] == json.load(open('$Q/plain.json'))['modules'], j['sites'] == json.load(open('$Q/plain.json'))['sites']")" = "(3, True, True)" ]
gzip -n -c "$FX/v2.log" >"$Q/v2.gz"
gzip -n -c "$FX/v2.log.1" >>"$Q/v2.gz" # two members
"$GOINSTR" report --format json - <"$Q/v2.gz" >"$Q/stdin.json"
check "gzip on standard input, two members: recognized by content" [ "$(jget "$Q/stdin.json" "j['totals']['events'], j['totals']['processes'], j['totals']['skipped_lines']")" = "(12, 4, 0)" ]
printf 'junk\n' | "$GOINSTR" report - >/dev/null 2>"$Q/stdin.err"
check "standard input named so in diagnostics" [ "$(head -1 "$Q/stdin.err")" = "goinstr: (standard input):1: not JSON: not a JSON object" ]
head -c 900 "$Q/v2.gz" >"$Q/cut.gz"
"$GOINSTR" report --format json "$Q/cut.gz" >"$Q/cut.json" 2>"$Q/cut.err"
echo $? >"$Q/cut.rc"
cut_named() {
	[ "$(cat "$Q/cut.rc")" -eq 3 ] && has "$Q/cut.err" 'gzip data corrupt or cut short' &&
		[ "$(tail -1 "$Q/cut.err")" = 'goinstr: 1 line skipped in 1 file' ]
}
check "gzip cut short: the lines before it, then a bad line, exit 3" cut_named
check "gzip cut short: the whole lines before the cut are read" [ "$(jget "$Q/cut.json" "j['totals']['events'] > 0")" = True ]
# A gzip bomb: 48 KB of gzip that inflate to 50 MB of newlines (a 10 MB
# one, to 10 GB, took minutes): read no further than 100 times its size,
# one line, exit 2; --gzip-ratio=0 reads it all. An inventory a header
# names (beside the binary) is read the same way.
head -c 50000000 /dev/zero | tr '\0' '\n' | gzip -9 >"$Q/bomb.gz"
for how in file stdin; do
	if [ $how = file ]; then "$GOINSTR" report "$Q/bomb.gz" >/dev/null 2>"$Q/bomb.err"; brc=$?; name=$Q/bomb.gz
	else "$GOINSTR" report - <"$Q/bomb.gz" >/dev/null 2>"$Q/bomb.err"; brc=$?; name='(standard input)'; fi
	check "gzip bomb ($how): read no further, exit 2, the last line says why" [ "$brc $(tail -n 1 "$Q/bomb.err")" = "2 goinstr: '$name' inflates to more than 100 times its compressed size (a gzip bomb?): read no further; --gzip-ratio=N allows more" ]
done
"$GOINSTR" report --gzip-ratio=0 --format json "$Q/bomb.gz" >"$Q/bomb.json" 2>/dev/null; brc=$?
check "gzip bomb, --gzip-ratio=0: read to its end (every line skipped, exit 3)" [ "$brc $(jget "$Q/bomb.json" "j['totals']['lines'], j['totals']['skipped_lines']")" = "3 (50000000, 50000000)" ]
"$GOINSTR" report --gzip-ratio=ten "$Q/bomb.gz" >/dev/null 2>"$Q/bomb.err"; brc=$?
check "--gzip-ratio=ten: exit 2, one line" one_line $brc "$Q/bomb.err"
mkdir -p "$Q/bombinv"
sed "s|\"exe\":\"/build/out/uprog\"|\"exe\":\"$Q/bombinv/uprog\"|" "$FX/app.log" >"$Q/bombinv.log"
cp "$Q/bomb.gz" "$Q/bombinv/uprog.sites.jsonl"
"$GOINSTR" report "$Q/bombinv.log" >"$Q/bombinv.out" 2>"$Q/bombinv.err"; brc=$?
check "inventory beside the binary is a gzip bomb: not read, one line, the logs reported" [ "$brc $(cat "$Q/bombinv.err")" = "0 goinstr: '$Q/bombinv/uprog.sites.jsonl' inflates to more than 100 times its compressed size (a gzip bomb?): read no further; --gzip-ratio=N allows more" ]
"$GOINSTR" report "$FX/app.log" --sites "$Q/bomb.gz" >/dev/null 2>"$Q/bomb.err"; brc=$?
check "--sites names a gzip bomb: exit 2, one line" one_line $brc "$Q/bomb.err"

# A header names /dir/app; /dir/app.sites.jsonl is a FIFO, or a symlink
# to /dev/zero: neither is opened (read /dev/zero, or wait on the FIFO,
# and the report never ends: timeout only guards the test).
# not_opened KIND: exit 0, and stderr is the one warning about the inventory
not_opened() {
	[ "$(cat "$Q/$1.rc")" -eq 0 ] &&
		[ "$(cat "$Q/$1.err")" = "goinstr: warning: '$Q/$1/uprog.sites.jsonl' is not a regular file: not read" ]
}
for kind in fifo link; do
	mkdir -p "$Q/$kind"
	sed "s|\"exe\":\"/build/out/uprog\"|\"exe\":\"$Q/$kind/uprog\"|" "$FX/app.log" >"$Q/$kind.log"
	if [ $kind = fifo ]; then mkfifo "$Q/$kind/uprog.sites.jsonl"; else ln -s /dev/zero "$Q/$kind/uprog.sites.jsonl"; fi
	timeout 60 "$GOINSTR" report "$Q/$kind.log" >"$Q/$kind.out" 2>"$Q/$kind.err"
	echo $? >"$Q/$kind.rc"
	check "inventory beside the binary is a $kind: not opened, said once" not_opened $kind
done
# Inventories read like logs: gzip by content, beside the binary and --sites.
mkdir -p "$Q/gzinv"
sed "s|\"exe\":\"/build/out/uprog\"|\"exe\":\"$Q/gzinv/uprog\"|" "$FX/app.log" >"$Q/gzinv.log"
gzip -n -c "$FX/app.sites.jsonl" >"$Q/gzinv/uprog.sites.jsonl"
"$GOINSTR" report "$Q/gzinv.log" >"$Q/gzinv.out"
(cd "$FX" && "$GOINSTR" report app.log --sites app.sites.jsonl) >"$Q/inv.plain"
"$GOINSTR" report "$FX/app.log" --sites "$Q/gzinv/uprog.sites.jsonl" >"$Q/inv.gz"
check "inventory gzip-compressed (same name) beside the binary: read" grep -q '^example.com/uprog ' "$Q/gzinv.out"
check "inventory gzip-compressed given to --sites: the same report" same_bytes "$Q/inv.plain" "$Q/inv.gz"
ln -s "$FX/app.sites.jsonl" "$Q/link/uprog.sites.jsonl.real" # a regular file
rm "$Q/link/uprog.sites.jsonl"
ln -s uprog.sites.jsonl.real "$Q/link/uprog.sites.jsonl"
"$GOINSTR" report "$Q/link.log" >"$Q/link2.out" 2>"$Q/link2.err"
check "inventory beside the binary is a symlink to a file: not followed" grep -q "not a regular file: not read" "$Q/link2.err"
# No LOG: the usage line is the command table's (goinstr help report's
# first line), not a copy of it, in one line, exit 2.
"$GOINSTR" report >"$Q/nolog.out" 2>"$Q/nolog.err"; nrc=$?
"$GOINSTR" help report | head -n 1 | sed "s/.*/goinstr: & (see 'goinstr help report')/" >"$Q/nolog.want"
check "no LOG: exit 2, one line" one_line $nrc "$Q/nolog.err"
check "no LOG: nothing on stdout" [ ! -s "$Q/nolog.out" ]
check "no LOG: the usage line is goinstr help report's" same_bytes "$Q/nolog.want" "$Q/nolog.err"
[ "${1:-}" = --quick ] && finish
# row FILE NAME EVENTS SITES: a text-table row with exactly these fields
row() { awk -v n="$2" -v e="$3" -v s="$4" '$1 == n && $2 == e && $3 == s && NF == 3 { f = 1 } END { exit !f }' "$1"; }
# rc CMD...: run CMD (stdout to $T/out, stderr to $T/err); its exit code in $T/rc
rc() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
is_rc() { [ "$(cat "$T/rc")" -eq "$1" ]; }
# rc_line N LINE: status N and LINE a whole line of stdout; rc_out_is N
# TEXT: status N and stdout exactly TEXT; usage_error [PATTERN]: exit 2 and
# one line on stderr (matching PATTERN)
rc_line() { is_rc "$1" && has_line "$T/out" "$2"; }
rc_out_is() { is_rc "$1" && [ "$(cat "$T/out")" = "$2" ]; }
usage_error() { one_said "$(cat "$T/rc")" 2 "$T/err" "$@"; }

# --- programs and logs --------------------------------------------------
(cd "$E2E" && "$GOINSTR" build -o "$T/bin/dyncall" ./dyncall && "$GOINSTR" build -o "$T/bin/basic" ./basic) ||
	{ notok "build e2e programs"; finish; }
(cd "$UP" && "$GOINSTR" build -o "$T/bin/uprog" .) ||
	{ notok "build tests/unsafe/prog"; finish; }
INSTRUMENTATION_LOG_PATH=$T/old.log "$T/bin/dyncall" >/dev/null
INSTRUMENTATION_LOG_PATH=$T/d.log "$T/bin/dyncall" >/dev/null
INSTRUMENTATION_LOG_PATH=$T/d.log "$T/bin/dyncall" more >/dev/null
INSTRUMENTATION_LOG_PATH=$T/basic.log "$T/bin/basic" >/dev/null
INSTRUMENTATION_LOG_PATH=$T/up.log "$T/bin/uprog" >/dev/null 2>&1
D=$E2E/dyncall/main.go

# --- text ---------------------------------------------------------------
rc "$GOINSTR" report "$T/d.log"
cp "$T/out" "$T/d.txt"
check "text: exit 0, nothing on stderr" ok_quiet "$(cat "$T/rc")" "$T/err"
check "text: totals line" [ "$(head -1 "$T/d.txt")" = "18 events at 9 sites, 2 processes, 1 file" ]
check "text: module row (from the binary's build info)" row "$T/d.txt" goinstr.test/e2e 18 9
check "text: package row (main named by its import path)" row "$T/d.txt" goinstr.test/e2e/dyncall 18 9
check "text: Value.Call 7 events at 3 sites" row "$T/d.txt" reflect.Value.Call 7 3
check "text: MakeFunc 2 events at 1 site" row "$T/d.txt" reflect.MakeFunc 2 1
check "text: New 1 event at 1 site" row "$T/d.txt" reflect.New 1 1
check "text: most-used module first" [ "$(awk 'NR > 3 { print $1; exit }' "$T/d.txt" | head -1)" = goinstr.test/e2e ] 
ops_order() {
	awk '/^    /{ print $1 }' "$T/d.txt" | tr '\n' ' ' |
		grep -qx 'reflect.Value.Call reflect.MakeFunc reflect.Value.CallSlice reflect.Value.Method reflect.Value.MethodByName reflect.Value.Set reflect.New '
}
check "text: ops sorted by events, then name" ops_order

rc "$GOINSTR" report "$T/up.log"
cp "$T/out" "$T/up.txt"
check "text: main module without version" row "$T/up.txt" example.com/uprog 44 44
check "text: replaced dependency keeps its required version" row "$T/up.txt" example.com/udep@v0.0.0 3 3
check "text: module-cache dependency with version" row "$T/up.txt" golang.org/x/sys@v0.50.0 2 2
check "text: unsafe ops in package internal/conv" row "$T/up.txt" example.com/uprog/internal/conv 5 5

rc "$GOINSTR" report "$T/basic.log"
check "text: std packages are std@GOVERSION" grep -q "^std@$GOV " "$T/out"
check "text: encoding/json's own reflect calls are under std" grep -q '^  encoding/json ' "$T/out"

# The binary gone: BIN.sites.jsonl beside it, then --sites, name the modules.
mkdir -p "$T/gone"
cp "$T/bin/uprog" "$T/bin/uprog.sites.jsonl" "$T/gone/"
sed "s|\"exe\":\"[^\"]*\"|\"exe\":\"$T/gone/uprog\"|" "$T/up.log" >"$T/gone.log"
rm "$T/gone/uprog"
rc "$GOINSTR" report "$T/gone.log"
check "binary gone: modules from BIN.sites.jsonl" same_bytes "$T/out" "$T/up.txt"
mv "$T/gone/uprog.sites.jsonl" "$T/inv.jsonl"
rc "$GOINSTR" report "$T/gone.log" --sites "$T/inv.jsonl"
check "binary and inventory gone: modules from --sites" row "$T/out" golang.org/x/sys@v0.50.0 2 2
# A schema 2 header names the modules itself: without them too, only the
# module cache's paths say (MODULE@VERSION/); the rest is unknown.
sed 's|,"main":{[^}]*},"deps":\[[^]]*\]||' "$T/gone.log" >"$T/gone2.log"
rc "$GOINSTR" report "$T/gone2.log"
paths_only() { row "$T/out" unknown 47 47 && row "$T/out" golang.org/x/sys@v0.50.0 2 2; }
check "nothing left to say but paths: x/sys from the module cache, the rest unknown" paths_only

# --- json ---------------------------------------------------------------
"$GOINSTR" report --format json "$T/d.log" >"$T/d.json"
check "json: totals" [ "$(jget "$T/d.json" "j['report'], j['totals']['events'], j['totals']['sites'], j['totals']['processes'], j['totals']['skipped_lines']")" = "('goinstr', 18, 9, 2, 0)" ]
check "json: first op of the module's package" [ "$(jget "$T/d.json" "j['modules'][0]['packages'][0]['ops'][0]")" = "{'op': 'reflect.Value.Call', 'category': 'call', 'events': 7, 'sites': 3}" ]
check "json: the call helper's site, key and counts" [ "$(jget "$T/d.json" "[(s['func'], s['target'], s['events'], s['col']) for s in j['sites'] if s['site'] == 'reflect.Value.Call $D:31']")" = "[('main.call', 'main.add', 3, 0)]" ]
check "json: sites sorted by file, line, column, op" [ "$(jget "$T/d.json" "[s['line'] for s in j['sites']] == sorted(s['line'] for s in j['sites'])")" = True ]
"$GOINSTR" report --format json "$T/basic.log" "$T/d.log" "$T/up.log" >"$T/a1.json"
"$GOINSTR" report --format json "$T/up.log" "$T/d.log" "$T/basic.log" >"$T/a2.json"
check "json: same bytes whatever the order of the logs" cmp -s "$T/a1.json" "$T/a2.json"
check "json: no timestamps" lacks "$T/a1.json" '"time"\|T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
check "json: unsafe site carries its inventory id and expression" [ "$(jget "$T/a1.json" "[(s['id'] is not None, s['expr']) for s in j['sites'] if s['site'] == 'unsafe.Pointer $UP/main.go:43:7']")" = "[(True, '(*[2]int64)(unsafe.Pointer(&v))')]" ]

# --- edges --------------------------------------------------------------
"$GOINSTR" report --format edges "$T/d.log" >"$T/edges"
printf '%s\t%s\t%s\n' \
	main.call main.add reflect.Value.Call \
	main.call main.sum reflect.Value.Call \
	main.main 'func(int) int' reflect.MakeFunc \
	main.main main.Greeter.Bye reflect.Value.Call \
	main.main main.Greeter.Bye reflect.Value.Method \
	main.main main.Greeter.Hello reflect.Value.Call \
	main.main main.Greeter.Hello reflect.Value.MethodByName \
	main.main main.sum reflect.Value.CallSlice >"$T/edges.want"
check "edges: exactly the dynamic call edges, deduplicated and sorted" cmp "$T/edges.want" "$T/edges"
"$GOINSTR" report --format edges "$T/basic.log" >"$T/edges2"
newline_escaped() { lines_are "$T/edges2" 5 && has "$T/edges2" '^main.main	map\[string\]int."é\\n"é'; }
check "edges: a newline in a target is escaped (one edge per line)" newline_escaped

# --- sarif --------------------------------------------------------------
"$GOINSTR" report --format sarif "$T/basic.log" "$T/d.log" "$T/up.log" >"$T/r.sarif"
validate() { # validate SCHEMA DOC
	python3 -c "
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.validators.validator_for(s)(s).validate(json.load(open(sys.argv[2])))" "$1" "$2"
}
SCHEMA=$ROOT/build/deps/sarif/sarif-2.1.0.json
check "sarif: valid against the SARIF 2.1.0 schema ($(basename "$SCHEMA"))" validate "$SCHEMA" "$T/r.sarif"
for s in "${GOINSTR_SARIF_SCHEMA:-}" "$ROOT/../shared/sarif-schema-2.1.0.json"; do
	[ -n "$s" ] && [ -f "$s" ] || continue
	check "sarif: valid against $s" validate "$s" "$T/r.sarif"
done
check "sarif: one result per distinct site" [ "$(jget "$T/r.sarif" "len(j['runs'][0]['results'])")" = "$(jget "$T/a1.json" "j['totals']['sites']")" ]
check "sarif: a rule per op category" [ "$(jget "$T/r.sarif" "[r['id'] for r in j['runs'][0]['tool']['driver']['rules']]")" = "['goinstr/call', 'goinstr/unsafe', 'goinstr/mutate', 'goinstr/construct', 'goinstr/lookup', 'goinstr/read']" ]
check "sarif: unsafe result with its location" [ "$(cd "$ROOT" && "$GOINSTR" report --format sarif "$T/up.log" >"$T/up.sarif" && jget "$T/up.sarif" "[(r['ruleId'], r['level'], r['locations'][0]['physicalLocation']['artifactLocation']['uri'], r['locations'][0]['physicalLocation']['region']) for r in j['runs'][0]['results'] if r['properties']['site'] == 'unsafe.Pointer $UP/main.go:43:19']")" = "[('goinstr/unsafe', 'warning', 'tests/unsafe/prog/main.go', {'startLine': 43, 'startColumn': 19})]" ]
check "sarif: a dependency's file outside the current directory: module-relative under GOMODCACHE" [ "$(jget "$T/up.sarif" "[r['locations'][0]['physicalLocation']['artifactLocation'] for r in j['runs'][0]['results'] if 'x/sys' in r['properties']['site']][0]")" = "{'uri': 'golang.org/x/sys@v0.50.0/unix/zsyscall_linux.go', 'uriBaseId': 'GOMODCACHE'}" ]
# Code scanning: no absolute path, ever (reported from / too), rules that
# rank as security findings with help into docs/rules.md, a category.
(cd / && "$GOINSTR" report --format sarif "$T/basic.log" "$T/d.log" "$T/up.log" >"$T/root.sarif")
for f in r root up; do
	check "sarif ($f): no absolute path or file:// URI; every location has a uriBaseId or is logical" [ "$(jget "$T/$f.sarif" "[l for r in j['runs'][0]['results'] for l in r['locations'] if not (('physicalLocation' in l and l['physicalLocation']['artifactLocation'].get('uriBaseId') in ('SRCROOT', 'GOROOT', 'GOMODCACHE') and not l['physicalLocation']['artifactLocation']['uri'].startswith(('/', 'file:'))) or ('physicalLocation' not in l and l['logicalLocations'][0]['fullyQualifiedName']))]")" = "[]" ]
done
check "sarif from /: the main module's files relative to its root, std's to GOROOT" [ "$(jget "$T/root.sarif" "sorted(set((l['physicalLocation']['artifactLocation']['uriBaseId'], l['physicalLocation']['artifactLocation']['uri'].rsplit('/', 1)[0]) for r in j['runs'][0]['results'] for l in r['locations'] if 'physicalLocation' in l and l['physicalLocation']['artifactLocation']['uri'].startswith(('main.go', 'internal/conv/', 'src/'))))")" = "[('GOROOT', 'src/encoding/json'), ('SRCROOT', 'internal/conv'), ('SRCROOT', 'main.go')]" ]
check "sarif: informationUri and automationDetails.id" [ "$(jget "$T/r.sarif" "(j['runs'][0]['tool']['driver']['informationUri'].startswith('https://'), j['runs'][0]['automationDetails']['id'])")" = "(True, 'goinstr/report/')" ]
check "sarif: each rule: help text, helpUri to its section of docs/rules.md, security-severity, tags" [ "$(jget "$T/r.sarif" "[(r['name'], r['helpUri'].split('/docs/')[1], r['properties']['security-severity'], r['properties']['tags'][0], len(r['help']['text']) > 80) for r in j['runs'][0]['tool']['driver']['rules']]")" = "[('ReflectCall', 'rules.md#reflectcall', '5.0', 'security', True), ('UnsafeOperation', 'rules.md#unsafeoperation', '7.5', 'security', True), ('ReflectMutate', 'rules.md#reflectmutate', '3.5', 'security', True), ('ReflectConstruct', 'rules.md#reflectconstruct', '3.0', 'security', True), ('ReflectLookup', 'rules.md#reflectlookup', '3.0', 'security', True), ('ReflectRead', 'rules.md#reflectread', '1.0', 'security', True)]" ]
check "sarif: docs/rules.md has a section for every rule" has_line "$ROOT/docs/rules.md" \
	'## ReflectCall' '## UnsafeOperation' '## ReflectMutate' '## ReflectConstruct' '## ReflectLookup' '## ReflectRead'
"$GOINSTR" report --format sarif --main-only "$T/basic.log" "$T/d.log" "$T/up.log" >"$T/main.sarif"
check "sarif --main-only: the main modules' results only, its own category" [ "$(jget "$T/main.sarif" "(sorted(set(r['properties']['module'] for r in j['runs'][0]['results'])), j['runs'][0]['automationDetails']['id'])")" = "(['example.com/uprog', 'goinstr.test/e2e'], 'goinstr/report/main/')" ]
check "sarif --main-only: valid" validate "$SCHEMA" "$T/main.sarif"
# The SARIF Multitool's GitHub rule set (what code scanning's ingestion
# checks) and its own SARIF rules: no error, no warning.
MT=$ROOT/build/deps/sarif/Sarif.Multitool
if [ -x "$MT" ]; then
	for f in r root main; do
		rm -f "$T/mt-$f.sarif"
		"$MT" validate --rule-kind "Gh;Sarif" -o "$T/mt-$f.sarif" "$T/$f.sarif" >"$T/mt.out" 2>&1
		check "sarif ($f): SARIF Multitool, GitHub and SARIF rules: no error or warning" [ "$(jget "$T/mt-$f.sarif" "[r['message']['text'] for r in j['runs'][0]['results'] if r.get('level', 'warning') in ('error', 'warning')]")" = "[]" ]
		[ "$(jget "$T/mt-$f.sarif" "len(j['runs'][0]['results'])")" = 0 ] || show "$T/mt.out"
	done
else
	skip "sarif: SARIF Multitool not installed (scripts/deps.sh --test puts it in build/deps/sarif)"
fi

# --- coverage -----------------------------------------------------------
INV=$T/bin/uprog.sites.jsonl
rc "$GOINSTR" report "$T/up.log" --sites "$INV"
cp "$T/out" "$T/cov.txt"
xs_found=$(zcat -f "$INV" | grep '"module":"golang.org/x/sys@v0.50.0"' | grep -c '"wrapped":true')
# cov FILE MODULE FOUND EXECUTED UNSEEN PERCENT: its coverage row; the
# unseen (blind spots) count as not executed
cov() { awk -v n="$2" -v f="$3" -v e="$4" -v u="$5" -v p="$6" '$1 == n && $2 == f && $3 == e && $4 == u && $5 == p { x = 1 } END { exit !x }' "$1"; }
check "coverage: exit 0" is_rc 0
# uprog: 44 sites, all run; 4 blind spots (an assembly function, a call into
# C, 2 operations in a //go:nosplit function)
check "coverage: main module 44 of 44, 4 unseen" cov "$T/cov.txt" example.com/uprog 44 44 4 91.7%
check "coverage: dependency 3 of 3" cov "$T/cov.txt" example.com/udep@v0.0.0 3 3 0 100.0%
xs_unseen=9 # its blind spots: 7 functions not in Go, 2 linkname pulls (the build warns of them)
check "coverage: x/sys 2 of $xs_found, $xs_unseen unseen" cov "$T/cov.txt" golang.org/x/sys@v0.50.0 "$xs_found" 2 "$xs_unseen" "$(awk -v f="$xs_found" -v u="$xs_unseen" 'BEGIN { printf "%.1f%%", 200 / (f + u) }')"
std_found=$(zcat -f "$INV" | grep '"module":"std"' | grep -c '"wrapped":true')
check "coverage: std's $std_found reflect entry points, none run" cov "$T/cov.txt" std "$std_found" 0 0 0.0%
check "coverage: never-executed list has every unrun x/sys site" [ "$(grep -c '^  golang.org/x/sys@v0.50.0  unsafe' "$T/cov.txt")" -eq $((xs_found - 2)) ]
check "coverage: an executed site is not listed" lacks "$T/cov.txt" 'udep.go:9:23'
"$GOINSTR" report --format json "$T/up.log" "$T/d.log" --sites "$INV" >"$T/cov.json"
# dyncall runs 7 reflect ops: Call, CallSlice, Method, MethodByName, MakeFunc, Set, New.
check "coverage: json (a reflect op run by another program counts)" [ "$(jget "$T/cov.json" "[(c['module'], c['found'], c['executed'], c['percent'], len(c['never_executed'])) for c in j['coverage'] if c['module'] in ('std', 'example.com/uprog')]")" = "[('example.com/uprog', 44, 44, '91.7', 0), ('std', $std_found, 7, '$(awk -v f="$std_found" 'BEGIN { printf "%.1f", 700 / f }')', $((std_found - 7)))]" ]

# --- baseline and allow -------------------------------------------------
NEWSITE="reflect.New $D:51"
NEWKEY="reflect.New dyncall/main.main"
rc "$GOINSTR" report --baseline "$T/old.log" "$T/d.log"
check "baseline: a new site exits 1" is_rc 1
check "baseline: prints its key and place (and the run-time diff: the new target of an old site)" [ "$(cat "$T/out")" = "new: $NEWKEY at $D:51 (goinstr.test/e2e)
new target: reflect.Value.Call dyncall/main.call -> main.sum (goinstr.test/e2e)
1 new sites, 0 allowed, 1 new targets" ]
"$GOINSTR" report --format json "$T/old.log" >"$T/old.json"
rc "$GOINSTR" report --baseline "$T/old.json" "$T/d.log"
check "baseline: OLD may be --format json output" rc_line 1 "new: $NEWKEY at $D:51 (goinstr.test/e2e)"
rc "$GOINSTR" report --baseline "$T/d.log" "$T/old.log"
check "baseline: nothing new exits 0 (the site gone is listed)" rc_out_is 0 "gone: $NEWKEY at $D:51 (goinstr.test/e2e)
0 new sites, 0 allowed, 1 gone"
printf '{"site":"%s","justification":"zero values for the demo"}\n' "$NEWSITE" >"$T/allow.jsonl"
rc "$GOINSTR" report --baseline "$T/old.log" --allow "$T/allow.jsonl" "$T/d.log"
check "allow: an allowed new site (by location) exits 0 and is listed" \
	rc_line 0 "allowed: $NEWKEY at $D:51 (goinstr.test/e2e): zero values for the demo"
printf '{"site":"%s","justification":"zero values for the demo"}\n' "$NEWKEY" >"$T/allow2.jsonl"
rc "$GOINSTR" report --baseline "$T/old.log" --allow "$T/allow2.jsonl" "$T/d.log"
check "allow: an allowed new site (by baseline key) exits 0 and is listed" \
	rc_line 0 "allowed: $NEWKEY at $D:51 (goinstr.test/e2e): zero values for the demo"
"$GOINSTR" report --format sarif --baseline "$T/old.log" --allow "$T/allow.jsonl" "$T/d.log" >"$T/allow.sarif"
check "allow: SARIF suppression with the justification" [ "$(jget "$T/allow.sarif" "[(r['baselineState'], r['suppressions']) for r in j['runs'][0]['results'] if 'suppressions' in r]")" = "[('new', [{'kind': 'external', 'justification': 'zero values for the demo'}])]" ]
check "allow: that SARIF is valid too" validate "$SCHEMA" "$T/allow.sarif"
echo '{"site":"x"}' >"$T/badallow"
rc "$GOINSTR" report --allow "$T/badallow" "$T/d.log"
check "allow: an entry without justification is a usage error (2, one line)" usage_error

# --- bad input ----------------------------------------------------------
B=$T/bad.log
{
	sed -n 1,2p "$T/old.log"
	echo 'this is not JSON'
	echo '{"time":"2030-01-01T00:00:00Z","msg":"goinstr.start","pid":777,"exe":"/x","schema":3}'
	echo '{"time":"2030-01-01T00:00:00Z","msg":"reflect.New","op":"reflect.New","cat":"construct","pid":777}'
	printf '%s' '{"time":"2026-11-29T11:13:38Z","msg":"reflect.New","op":"refl'
} >"$B"
rc "$GOINSTR" report "$B"
check "bad input: exit 3 (lines skipped)" is_rc 3
check "bad input: non-JSON line named with file and line" grep -qx "goinstr: $B:3: not JSON: not a JSON object" "$T/err"
check "bad input: newer schema named with file and line" grep -qx "goinstr: $B:4: log schema 3 is newer than this goinstr reads (2): process 777 skipped" "$T/err"
check "bad input: truncated last line named" grep -qx "goinstr: $B:6: truncated line (no newline at the end of the file)" "$T/err"
check "bad input: summary counts the newer process's lines too" grep -qx "goinstr: 4 lines skipped in 1 file" "$T/err"
check "bad input: good lines still reported" [ "$(head -1 "$T/out")" = "1 event at 1 site, 1 process, 1 file, 4 lines skipped" ]
head -c 300000 /dev/urandom >"$T/noise.log"
rc "$GOINSTR" report --format json "$T/noise.log"
check "bad input: random bytes: exit 3, no crash" is_rc 3
capped() { [ "$(wc -l <"$T/err")" -le 102 ] && tail -1 "$T/err" | grep -q 'lines skipped in 1 file'; }
check "bad input: diagnostics capped with a summary" capped
rc "$GOINSTR" report "$T/missing.log"
check "unreadable log: exit 2, one line" usage_error "^goinstr: cannot open '$T/missing.log'"
rc "$GOINSTR" report --format yaml "$T/d.log"
check "unknown format: exit 2, one line" usage_error
rc "$GOINSTR" report --bogus "$T/d.log"
check "unknown flag: exit 2, one line" usage_error

rc "$GOINSTR" report "$T/d.log" --sites
check "--sites without a file: exit 2, one line" usage_error
rc "$GOINSTR" report --sites "$T/d.log"
check "--sites before the logs: exit 2, one line that says why" usage_error 'no LOG: --sites takes every file'

# --- rotated logs -------------------------------------------------------
for i in 1 2 3 4 5 6; do
	INSTRUMENTATION_LOG_PATH=$T/rot/r.log INSTRUMENTATION_LOG_MAX_BYTES=3000 INSTRUMENTATION_LOG_KEEP=20 \
		"$T/bin/dyncall" more >/dev/null
done
nrot=$(ls "$T/rot" | wc -l)
check "rotation made several files ($nrot)" [ "$nrot" -ge 3 ]
# shellcheck disable=SC2046
cat $(ls "$T/rot"/r.log.* | sed 's/.*\.//' | sort -rn | sed "s|^|$T/rot/r.log.|") "$T/rot/r.log" >"$T/cat.log"
"$GOINSTR" report --format json "$T/rot/r.log" >"$T/rot.json"
"$GOINSTR" report --format json "$T/cat.log" >"$T/cat.json"
check "rotated: LOG reads LOG.N ... LOG.1, LOG: 6 processes, 60 events" [ "$(jget "$T/rot.json" "j['totals']['files'], j['totals']['processes'], j['totals']['events'], j['totals']['skipped_lines']")" = "($nrot, 6, 60, 0)" ]
check "rotated: same sites and counts as the files concatenated" [ "$(jget "$T/rot.json" "j['modules'], j['sites']")" = "$(jget "$T/cat.json" "j['modules'], j['sites']")" ]
"$GOINSTR" report --format json "$T"/rot/r.log* >"$T/glob.json"
check "rotated: a glob of the same files counts each once" cmp -s "$T/rot.json" "$T/glob.json"
check "rotated: every part of every process read: none said missing" [ "$(jget "$T/rot.json" "j['totals']['missing_parts'], j['incomplete']")" = "(0, [])" ]
# Rotation that removes files (INSTRUMENTATION_LOG_KEEP=1): the report
# names each process whose earlier parts are gone, on stderr and in JSON.
mkdir -p "$T/keep1"
for i in 1 2 3; do
	INSTRUMENTATION_LOG_PATH=$T/keep1/r.log INSTRUMENTATION_LOG_MAX_BYTES=1200 INSTRUMENTATION_LOG_KEEP=1 \
		"$T/bin/dyncall" more >/dev/null
done
rc "$GOINSTR" report --format json "$T/keep1/r.log"
cp "$T/out" "$T/keep1.json"
# parts_named: every incomplete process misses part 1 on, and the totals add them up
parts_named() {
	is_rc 0 && [ "$(jget "$T/keep1.json" "len(j['incomplete']) > 0 and all(p['missing_parts'][0][0] == 1 for p in j['incomplete']) and j['totals']['incomplete_processes'] == len(j['incomplete']) and j['totals']['missing_parts'] == sum(b - a + 1 for p in j['incomplete'] for a, b in p['missing_parts'])")" = True ]
}
check "rotated away (KEEP=1): exit 0; parts missing named, from part 1, for some process" parts_named
check "rotated away (KEEP=1): one line on stderr per such process" [ "$(grep -c "^goinstr: process [0-9]* ($T/bin/dyncall, started [0-9T:.-]*Z): parts\\{0,1\\} [0-9, -]* of its log not read (rotated away, or not named)\$" "$T/err")" -eq "$(jget "$T/keep1.json" "len(j['incomplete'])")" ]

# Thousands of logs: each read once, in one run.
mkdir -p "$T/many"
i=0
while [ $i -lt 1500 ]; do i=$((i + 1)); cp "$T/d.log" "$T/many/$i.log"; done
rc "$GOINSTR" report "$T"/many/*.log "$T"/many/1*.log
# (Copies of one log name the same two processes: a process is its pid and
# its start time, whatever file holds its lines.)
check "1,500 logs (some named twice): each read once" [ "$(head -1 "$T/out")" = "27000 events at 9 sites, 2 processes, 1500 files" ]

# --- hostile logs: SARIF valid, memory bounded ---------------------------
(cd "$FX" && "$GOINSTR" report --format sarif hostile.log >"$T/hostile.sarif" 2>/dev/null)
check "hostile: SARIF valid (terminal escapes, not UTF-8, NUL, surrogates)" validate "$SCHEMA" "$T/hostile.sarif"
(cd "$FX" && "$GOINSTR" report --format sarif v2.log >"$T/v2.sarif")
check "schema 2: SARIF valid (uriBaseIds)" validate "$SCHEMA" "$T/v2.sarif"
head -c 20000 /dev/urandom >"$T/rnd"
"$GOINSTR" report --format sarif "$T/rnd" "$FX/hostile.log" >"$T/rnd.sarif" 2>/dev/null
check "hostile: SARIF of random bytes and hostile lines valid" validate "$SCHEMA" "$T/rnd.sarif"
# Peak memory (max RSS, /usr/bin/time) stays far below the input: one line
# of 300 MB; 200 sites each with a target of 900 KB (each line under the
# 1 MiB limit, 180 MB of targets). The bound, 64 MB, is five times what a
# small log takes.
maxrss() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
{
	printf '{"time":"x","msg":"m","op":"o","target":"'
	head -c 300000000 /dev/zero | tr '\0' a
	printf '"}\n'
	cat "$FX/v2.log"
} | /usr/bin/time -v "$GOINSTR" report --format json - >"$T/big1.json" 2>"$T/big1.time"
check "hostile: a 300 MB line costs no 300 MB ($(maxrss "$T/big1.time") KB peak)" [ "$(maxrss "$T/big1.time")" -lt 65536 ]
check "hostile: the lines after it are read" [ "$(jget "$T/big1.json" "j['totals']['events'], j['totals']['skipped_lines']")" = "(7, 1)" ]
python3 -c "
import sys
t = 'T' * 900000
for i in range(200):
    sys.stdout.write('{\"time\":\"x\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"pid\":1,\"caller\":{\"func\":\"main.f%d\",\"file\":\"/a.go\",\"line\":%d},\"target\":\"%s\"}\n' % (i, i + 1, t))
" | /usr/bin/time -v "$GOINSTR" report --format json - >"$T/big2.json" 2>"$T/big2.time"
check "hostile: 200 sites with 900 KB targets cost no 180 MB ($(maxrss "$T/big2.time") KB peak)" [ "$(maxrss "$T/big2.time")" -lt 65536 ]
check "hostile: each target kept cut to 4096 bytes" [ "$(jget "$T/big2.json" "j['totals']['sites'], sorted(set(len(s['target'].encode()) for s in j['sites']))")" = "(200, [4096])" ]
# Headers name modules: 100 binaries listing 11,000 each (840 KB a
# header, 1,100,000 in all) cost what a header of the logger's may (64 KiB
# of modules each, 8 MiB in all), said once; headers of more than 1,024
# binaries are not all kept, said once.
python3 -c "
import sys
for h in range(100):
    deps = ','.join('{\"path\":\"example.com/h%d/m%05d/%s\",\"version\":\"v1.0.%d\"}' % (h, i, 'x' * 20, i) for i in range(11000))
    sys.stdout.write('{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":%d,\"start\":\"s%d\",\"part\":1,\"exe\":\"/x/app%d\",\"go\":\"go1.26.8\",\"main\":{\"path\":\"example.com/app\",\"version\":\"(devel)\",\"pkg\":\"example.com/app\"},\"deps\":[%s]}\n' % (h + 1, h, h, deps))
    sys.stdout.write('{\"time\":\"x\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"cat\":\"construct\",\"pid\":%d,\"caller\":{\"func\":\"main.f\",\"file\":\"/a.go\",\"line\":1},\"target\":\"int\"}\n' % (h + 1))
" >"$T/deps.log"
/usr/bin/time -v "$GOINSTR" report --format json "$T/deps.log" >"$T/deps.json" 2>"$T/deps.time"
check "hostile: headers listing 1,100,000 modules cost no 250 MB ($(maxrss "$T/deps.time") KB peak)" [ "$(maxrss "$T/deps.time")" -lt 65536 ]
check "hostile: ... said once, on stderr" [ "$(grep -c '^goinstr: warning: '"$T"'/deps.log:1: more modules than a report keeps (64 KiB a header, 8 MiB for all binaries): the rest are not kept (docs/report.md)$' "$T/deps.time")" -eq 1 ]
check "hostile: ... every event counted, the main module named still" [ "$(jget "$T/deps.json" "j['totals']['events'], [s['module'] for s in j['sites']]")" = "(100, ['example.com/app'])" ]
python3 -c "
import sys
for h in range(1500):
    sys.stdout.write('{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":%d,\"start\":\"s\",\"exe\":\"/x/app%d\",\"go\":\"go1.26.8\",\"main\":{\"path\":\"example.com/app%d\",\"version\":\"(devel)\"},\"deps\":[]}\n' % (h + 1, h, h))
    sys.stdout.write('{\"time\":\"x\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"pid\":%d,\"caller\":{\"func\":\"main.f\",\"file\":\"/a%d.go\",\"line\":1}}\n' % (h + 1, h))
" >"$T/bins.log"
"$GOINSTR" report --format json "$T/bins.log" >"$T/bins.json" 2>"$T/bins.err"; brc=$?
check "hostile: headers of 1,500 binaries: said once, exit 0" [ "$brc $(cat "$T/bins.err")" = "0 goinstr: warning: $T/bins.log:2049: headers of more than 1024 binaries: the later ones are not kept (docs/report.md)" ]
check "hostile: ... the first 1,024 kept: their sites in their main modules, the others unknown" [ "$(jget "$T/bins.json" "sum(s['module'].startswith('example.com/app') for s in j['sites']), sum(s['module'] == 'unknown' for s in j['sites'])")" = "(1024, 476)" ]

# --- baselines across a real edit ----------------------------------------
# A module built with -trimpath, logged and baselined; then a comment above
# the package clause of each file (every line moves): the gate passes; then
# one new site: the gate fails naming it alone.
E=$T/edit
mkdir -p "$E/p"
printf 'module example.com/edit\n\ngo 1.26\n' >"$E/go.mod"
cat >"$E/p/p.go" <<'GO'
package p

import (
	"reflect"
	"unsafe"
)

type T struct{ A, B int64 }

func Set(x any, name string, v int64) {
	reflect.ValueOf(x).Elem().FieldByName(name).SetInt(v)
}

func Second(t *T) int64 { return *(*int64)(unsafe.Add(unsafe.Pointer(t), 8)) }
GO
cat >"$E/main.go" <<'GO'
package main

import (
	"fmt"
	"reflect"

	"example.com/edit/p"
)

func add(a, b int) int { return a + b }

func main() {
	t := &p.T{}
	p.Set(t, "A", 1)
	p.Set(t, "B", 2)
	f := reflect.ValueOf(add)
	fmt.Println(f.Call([]reflect.Value{reflect.ValueOf(1), reflect.ValueOf(2)})[0].Int(), p.Second(t))
	// NEW SITE
}
GO
edit_run() { # edit_run N: build, run, log to $E/N.log
	(cd "$E" && "$GOINSTR" build -trimpath -o "$E/app" . >/dev/null 2>&1) &&
		INSTRUMENTATION_LOG_PATH=$E/$1.log "$E/app" >/dev/null
}
if edit_run 1; then
	"$GOINSTR" report --format json "$E/1.log" >"$E/base.json"
	for f in main.go p/p.go; do
		{ echo '// A comment above the package clause.'; cat "$E/$f"; } >"$E/x" && mv "$E/x" "$E/$f"
	done
	edit_run 2
	"$GOINSTR" report --format json "$E/2.log" >"$E/2.json"
	check "edit: every line moved (no location key kept)" [ "$(jget "$E/base.json" "len(set(s['site'] for s in j['sites']) & set(s['site'] for s in json.load(open('$E/2.json'))['sites']))")" = 0 ]
	rc "$GOINSTR" report --baseline "$E/base.json" "$E/2.log"
	check "edit: a comment above the package clause: --baseline exits 0" rc_out_is 0 '0 new sites, 0 allowed'
	sed 's|// NEW SITE|_ = reflect.New(reflect.TypeOf(0))|' "$E/main.go" >"$E/x" && mv "$E/x" "$E/main.go"
	newline=$(grep -n 'reflect.New' "$E/main.go" | cut -d: -f1)
	edit_run 3
	rc "$GOINSTR" report --baseline "$E/base.json" "$E/3.log"
	check "edit: a new site: --baseline exits 1 naming it alone" \
		rc_out_is 1 "new: reflect.New edit/main.main at example.com/edit/main.go:$newline (example.com/edit)
1 new sites, 0 allowed"
	[ "$(cat "$T/rc")" -eq 1 ] || show "$T/out"
	printf '{"site":"reflect.New edit/main.main","justification":"a zero int"}\n' >"$E/allow"
	rc "$GOINSTR" report --baseline "$E/base.json" --allow "$E/allow" "$E/3.log"
	check "edit: --allow by baseline key accepts it" is_rc 0
	(cd "$E" && "$GOINSTR" report --format sarif "$E/1.log" >"$E/1.sarif" && "$GOINSTR" report --format sarif "$E/3.log" >"$E/3.sarif")
	check "edit: SARIF under -trimpath: module-relative URIs" [ "$(jget "$E/3.sarif" "sorted(set((l['physicalLocation']['artifactLocation']['uri'], l['physicalLocation']['artifactLocation'].get('uriBaseId')) for r in j['runs'][0]['results'] for l in r['locations'] if not l['physicalLocation']['artifactLocation']['uri'].startswith('src/')))")" = "[('main.go', 'SRCROOT'), ('p/p.go', 'SRCROOT')]" ]
	check "edit: SARIF fingerprints kept across the edit" [ "$(jget "$E/3.sarif" "sorted(r['partialFingerprints']['goinstrKey/v1'] for r in j['runs'][0]['results'] if r['properties']['key'] != 'reflect.New edit/main.main')")" = "$(jget "$E/1.sarif" "sorted(r['partialFingerprints']['goinstrKey/v1'] for r in j['runs'][0]['results'])")" ]
	check "edit: that SARIF is valid" validate "$SCHEMA" "$E/3.sarif"
else
	notok "edit: build and run the module"
fi

# --- attribution from anywhere --------------------------------------------
# The binary started through PATH, the report run from another directory,
# the binary gone, its inventory beside it: a schema 2 header names the
# binary by its resolved path, so the inventory is found and the main
# package named by its import path.
mkdir -p "$T/pathbin" "$T/elsewhere"
(cd "$E" && "$GOINSTR" build -o "$T/pathbin/editapp" . >/dev/null 2>&1)
(cd "$T/elsewhere" && PATH=$T/pathbin:$PATH INSTRUMENTATION_LOG_PATH=$T/path.log editapp >/dev/null)
rm -f "$T/pathbin/editapp"
(cd / && "$GOINSTR" report --format json "$T/path.log" >"$T/path.json")
check "from anywhere: started through PATH, binary gone: the header names the binary and main's package" [ "$(jget "$T/path.json" "sorted(set((s['module'], s['package']) for s in j['sites'] if s['func'].startswith('main.')))")" = "[('example.com/edit', 'example.com/edit')]" ]
# The same from a header written so (absolute exe), from another directory.
sed "s|\"exe\":\"[^\"]*\"|\"exe\":\"$T/gone2/uprog\"|" "$T/up.log" >"$T/gone2.log"
mkdir -p "$T/gone2" && cp "$T/bin/uprog.sites.jsonl" "$T/gone2/"
(cd / && "$GOINSTR" report "$T/gone2.log" >"$T/gone2.txt")
check "from anywhere: the inventory beside an absolute exe, report run from /" same_bytes "$T/gone2.txt" "$T/up.txt"
# go test deletes its binaries: the header names the modules.
(cd "$E2E" && INSTRUMENTATION_LOG_PATH=$T/gotest.log "$GOINSTR" test -count=1 ./testpkg >/dev/null 2>&1)
"$GOINSTR" report "$T/gotest.log" >"$T/gotest.txt"
check "go test: no site of unknown module (test binary deleted)" lacks "$T/gotest.txt" '^unknown '
# pkg_after_module: the package's row follows its module's
pkg_after_module() {
	awk 'prev ~ /^goinstr.test\/e2e / && $1 == "goinstr.test/e2e/testpkg" { f = 1 } { prev = $0 } END { exit !f }' "$T/gotest.txt"
}
check "go test: the package under test in its module" pkg_after_module
# Real suites' logs (goinstr test in tests/compat: yaml.v3 with
# gopkg.in/check.v1, testify's assert with its spew): every site whose file
# lies in the module cache has its module, though the test binaries'
# headers name no dependency.
(cd "$ROOT/tests/compat" && INSTRUMENTATION_LOG_PATH=$T/suites.log "$GOINSTR" test -count=1 \
	-skip 'TestDidPanic' gopkg.in/yaml.v3 github.com/stretchr/testify/assert >/dev/null 2>&1)
"$GOINSTR" report --format json "$T/suites.log" >"$T/suites.json"
check "real suites: sites in the module cache, in a dependency of the module tested" [ "$(jget "$T/suites.json" "len([s for s in j['sites'] if '/pkg/mod/gopkg.in/check.v1@' in s['file'] and s['module'].startswith('gopkg.in/check.v1@v0.0.0-')])")" -gt 0 ]
check "real suites: no unknown module for a site in the module cache" [ "$(jget "$T/suites.json" "len([s for s in j['sites'] if '/pkg/mod/' in s['file'] and s['module'] == 'unknown'])")" = 0 ]
check "real suites: packages named as imported (no %2e)" [ "$(jget "$T/suites.json" "sorted(set(s['package'] for s in j['sites'] if 'yaml' in s['package'] or 'check' in s['package']))")" = "['go.yaml.in/yaml/v3', 'gopkg.in/check.v1', 'gopkg.in/yaml.v3', 'gopkg.in/yaml.v3_test']" ]
# A schema 1 header (an older goinstr's) leaves the deleted binary's
# package unknown: nothing else names it.
sed '1s|"schema":2,|"schema":1,|; 1s|,"main":{[^}]*},"deps":\[[^]]*\]||' "$T/gotest.log" >"$T/gotest1.log"
"$GOINSTR" report "$T/gotest1.log" >"$T/gotest1.txt"
check "go test, schema 1 header: the deleted test binary leaves its package unknown" grep -q '^unknown ' "$T/gotest1.txt"

# --- logrotate, gzip and age ------------------------------------------------
# A program logs a new event per step while logrotate (rename, create,
# compress, delaycompress) rotates its log twice: steps 1-10 end in
# app.log.2.gz, 11-20 in app.log.1, 21-30 in app.log. The report reads the
# three together; the compressed file, encrypted with age, is read from
# age -d on standard input.
L=$T/lr
mkdir -p "$L/log"
chmod 700 "$L/log"
(cd "$ROOT/tests/report/logloop" && "$GOINSTR" build -o "$L/logloop" . >/dev/null 2>&1) ||
	notok "logrotate: build tests/report/logloop"
printf '%s {\n\trotate 4\n\tcreate 0600\n\tcompress\n\tdelaycompress\n\tmissingok\n}\n' "$L/log/app.log" >"$L/logrotate.conf"
step() { # step N: have the program reach step N, wait for it (60 s at most)
	echo "$1" >"$L/ctl"
	_i=0
	while [ "$(cat "$L/ack" 2>/dev/null)" != "$1" ] && [ $_i -lt 6000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
}
echo 0 >"$L/ctl"
INSTRUMENTATION_LOG_PATH=$L/log/app.log "$L/logloop" "$L/ctl" "$L/ack" &
loop=$!
step 10
logrotate -f -s "$L/state" "$L/logrotate.conf"
step 20
logrotate -f -s "$L/state" "$L/logrotate.conf"
step 30
echo -1 >"$L/ctl"
wait $loop
check "logrotate: app.log, app.log.1, app.log.2.gz" [ "$(cd "$L/log" && echo *)" = "app.log app.log.1 app.log.2.gz" ]
check "logrotate: create made the new log 0600" mode_is "$L/log/app.log" 600
steps() { # steps FILE: the steps FILE logged (k of each [k]uint8 target), in order
	{ case $1 in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac; } |
		sed -n 's/.*"target":"\[\([0-9]*\)\]uint8".*/\1/p' | tr '\n' ' '
}
check "logrotate: no line lost (each step once)" [ "$(for f in "$L/log/app.log.2.gz" "$L/log/app.log.1" "$L/log/app.log"; do steps "$f"; done)" = "$(seq 1 30 | tr '\n' ' ')" ]
check "logrotate: every new line in the new file" [ "$(steps "$L/log/app.log.2.gz")|$(steps "$L/log/app.log.1")|$(steps "$L/log/app.log")" = "$(seq 1 10 | tr '\n' ' ')|$(seq 11 20 | tr '\n' ' ')|$(seq 21 30 | tr '\n' ' ')" ]
"$GOINSTR" report --format json "$L/log/app.log" >"$L/all.json" 2>"$L/all.err"
echo $? >"$L/all.rc"
check "logrotate: report reads LOG, LOG.1 and LOG.2.gz together, no bad line" [ "$(cat "$L/all.rc") $(jget "$L/all.json" "j['totals']['files'], j['totals']['skipped_lines']")" = "0 (3, 0)" ]
nlines=$(($(cat "$L/log/app.log" "$L/log/app.log.1" | wc -l) + $(gzip -dc "$L/log/app.log.2.gz" | wc -l)))
check "logrotate: the report counts every line of the three files ($nlines)" [ "$(jget "$L/all.json" "j['totals']['lines']")" -eq "$nlines" ]
age-keygen -o "$L/key" >/dev/null 2>&1
age -r "$(age-keygen -y "$L/key")" -o "$L/log/app.log.2.gz.age" "$L/log/app.log.2.gz"
"$GOINSTR" report --format json "$L/log/app.log.2.gz" >"$L/gz.json"
age -d -i "$L/key" "$L/log/app.log.2.gz.age" | "$GOINSTR" report --format json - >"$L/age.json"
at_rest() { lacks "$L/log/app.log.2.gz.age" goinstr && ! gzip -t "$L/log/app.log.2.gz.age" 2>/dev/null; }
check "age: encrypted at rest (no log text in the file)" at_rest
same_json() { [ -s "$L/gz.json" ] && same_bytes "$L/gz.json" "$L/age.json"; }
check "age: age -d ... | goinstr report - reads what the .gz holds" same_json
# The recipe of docs/SECURITY.md: logrotate encrypting as it compresses
# (compresscmd gzip-age, compressext .gz.age) leaves app.log, app.log.1
# and app.log.2.gz.age. goinstr report app.log cannot read the last: it
# names it and exits 3 (it used to leave it out, exit 0); the page's own
# command line reports every line.
L1=$L
L=$T/lra
mkdir -p "$L/log"
chmod 700 "$L/log"
printf '#!/bin/sh\ngzip -9 | age -r %s\n' "$(age-keygen -y "$L1/key")" >"$L/gzip-age"
chmod +x "$L/gzip-age"
printf '%s {\n\trotate 4\n\tcreate 0600\n\tcompress\n\tdelaycompress\n\tcompresscmd %s\n\tcompressext .gz.age\n\tmissingok\n}\n' \
	"$L/log/app.log" "$L/gzip-age" >"$L/logrotate.conf"
echo 0 >"$L/ctl"
INSTRUMENTATION_LOG_PATH=$L/log/app.log "$L1/logloop" "$L/ctl" "$L/ack" &
loop=$!
step 10
logrotate -f -s "$L/state" "$L/logrotate.conf"
step 20
logrotate -f -s "$L/state" "$L/logrotate.conf"
step 30
echo -1 >"$L/ctl"
wait $loop
rotated_files() {
	[ "$(cd "$L/log" && echo *)" = 'app.log app.log.1 app.log.2.gz.age' ] && lacks "$L/log/app.log.2.gz.age" goinstr
}
check "age recipe: app.log, app.log.1, app.log.2.gz.age (encrypted)" rotated_files
(cd "$L/log" && "$GOINSTR" report app.log >"$L/plain.out" 2>"$L/plain.err"; echo $? >"$L/plain.rc")
check "age recipe: goinstr report LOG names LOG.2.gz.age, not read, and exits 3" [ "$(cat "$L/plain.rc") $(head -n 1 "$L/plain.err")" = "3 goinstr: app.log.2.gz.age: not read: beside a LOG named, but goinstr report reads LOG.K and LOG.K.gz only (decrypt or decompress it into goinstr report -)" ]
part1_named() {
	lines_are "$L/plain.err" 2 && tail -n 1 "$L/plain.err" |
		grep -q "^goinstr: process [0-9]* ($L1/logloop, started .*): part 1 of its log not read (rotated away, or not named)\$"
}
check "age recipe: ... and names the process whose part 1 it holds" part1_named
recipe=$(sed -n 's/^    \(cd \/var\/log\/go-instrumentation && { for f in .*\)$/\1/p' "$ROOT/docs/SECURITY.md")
recipe=$(printf '%s\n' "$recipe" | sed "s|/var/log/go-instrumentation|$L/log|; s|key.txt|$L1/key|; s|goinstr report -|'$GOINSTR' report --format json -|")
# sh -c on purpose: the recipe is a shell command line, run as written
sh -c "$recipe" >"$L/recipe.json" 2>"$L/recipe.err"; rrc=$?
nlines=$(($(cat "$L/log/app.log" "$L/log/app.log.1" | wc -l) + $(age -d -i "$L1/key" "$L/log/app.log.2.gz.age" | gzip -dc | wc -l)))
recipe_ok() {
	[ -n "$recipe" ] && [ $rrc -eq 0 ] && [ ! -s "$L/recipe.err" ] &&
		[ "$(jget "$L/recipe.json" "j['totals']['lines'], j['totals']['skipped_lines'], j['totals']['events']")" = "($nlines, 0, $(jget "$L1/all.json" "j['totals']['events']"))" ]
}
check "age recipe: the command line of docs/SECURITY.md reports every line ($nlines) and every step, exit 0" recipe_ok
L=$L1

# --- html ---------------------------------------------------------------
(cd "$ROOT" && "$GOINSTR" report --format html "$T/basic.log" "$T/d.log" "$T/up.log" --sites "$INV") >"$T/r.html"
# (the source view's lines are text, and Go comments hold URLs: left out)
no_external() {
	! sed 's|<pre class="src">.*</pre>||' "$T/r.html" | grep -Eiq 'https?:|//[a-z]|src=|href=|<script|<link|@import'
}
check "html: no external reference (no URL, no src/href)" no_external
# The source view: tests/gate/app built with its inventory, run without
# reaching rare(): main.go's site executed, rare.go's never.
HA=$T/htmlapp
cp -r "$ROOT/tests/gate/app" "$HA"
printf 'package main\n\nimport "unsafe"\n\nfunc rare() int {\n\tvar b [4]byte\n\treturn int(*(*int32)(unsafe.Pointer(&b)))\n}\n' >"$HA/rare.go"
(cd "$HA" && "$GOINSTR" build -o "$HA/app" . 2>/dev/null && INSTRUMENTATION_LOG_PATH=$HA/app.log ./app >/dev/null &&
	"$GOINSTR" report --format html app.log --sites app.sites.jsonl >"$HA/r.html")
check "html: source view: the executed site's line marked" grep -q '<span class="hit"><i>   1[0-9]</i>  func bits(f float64) uint64 { return \*(\*uint64)(unsafe.Pointer(&amp;f)) }</span>' "$HA/r.html"
check "html: source view: the never-executed site's line marked" grep -q '<span class="miss"><i>    7</i>  	return int(\*(\*int32)(unsafe.Pointer(&amp;b)))</span>' "$HA/r.html"
sections_order() { tr -d '\n' <"$HA/r.html" | grep -q 'id="sites".*id="never".*<h2>Source</h2>'; }
check "html: executed sites first, then the never-executed ones, then the source" sections_order
nmod=$(jget "$T/a1.json" "len(j['modules'])")
nsite=$(jget "$T/a1.json" "j['totals']['sites']")
if command -v chromium >/dev/null 2>&1; then
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$T/r.html" >"$T/dom.html" 2>/dev/null
	check "html: Chromium renders the page" grep -q '<h1>goinstr report</h1>' "$T/dom.html"
	check "html: chart has one group per module ($nmod)" [ "$(grep -o '<g class="module"' "$T/dom.html" | wc -l)" -eq "$nmod" ]
	e2e_bar() {
		tr -d '\n' <"$T/dom.html" |
			grep -q 'data-module="goinstr.test/e2e"><text x="0" y="[0-9]*">goinstr.test/e2e</text><rect class="bar events" data-value="37"'
	}
	check "html: chart bar for goinstr.test/e2e events (19 basic + 18 dyncall)" e2e_bar
	check "html: site table has one row per site ($nsite)" [ "$(grep -o '<tr data-m="[0-9]*" data-o="[0-9]*" data-site=' "$T/dom.html" | wc -l)" -eq "$nsite" ]
	check "html: coverage row for the main module" grep -q '<tr><td>example.com/uprog</td><td class="n">44</td><td class="n">44</td><td class="n">4</td><td class="n">91.7%</td></tr>' "$T/dom.html"
	# No request of the page's own: the hosts Chromium's net log names for it
	# are those it names for a blank page (its own background traffic, whose
	# Google hosts are left out as they come and go). A page with an
	# external image shows the check can tell.
	hosts() { # hosts PAGE OUT
		chromium --headless --no-sandbox --disable-gpu --log-net-log="$2.json" \
			--dump-dom "file://$1" >/dev/null 2>&1
		grep -o '"url":"[a-z]*://[^/"]*' "$2.json" | sed 's|.*://||' |
			grep -Ev '(^|[.])(google[.]com|googleapis[.]com|gvt1[.]com|gstatic[.]com)$' |
			sort -u >"$2"
	}
	echo '<!DOCTYPE html><title>x</title>' >"$T/blank.html"
	echo '<!DOCTYPE html><img src="http://example.com/x.png">' >"$T/ext.html"
	hosts "$T/blank.html" "$T/blank.hosts"
	hosts "$T/r.html" "$T/page.hosts"
	hosts "$T/ext.html" "$T/ext.hosts"
	own_requests() {
		[ -s "$T/page.hosts.json" ] && [ -z "$(comm -23 "$T/page.hosts" "$T/blank.hosts")" ] &&
			[ "$(comm -23 "$T/ext.hosts" "$T/blank.hosts")" = example.com ]
	}
	check "html: no network request of its own (net log)" own_requests
	chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --screenshot="$T/shot.png" --window-size=1200,900 "file://$T/r.html" >/dev/null 2>"$T/shot.err"
	check "html: screenshot taken" [ -s "$T/shot.png" ]
	check "html: no console message (no error)" lacks "$T/shot.err" CONSOLE
	check "html: both bars on one scale (equal counts, equal bars)" [ "$(python3 -c "
import re, sys
d = open(sys.argv[1]).read().replace('\n', '')
eq = [m for m in re.findall(r'data-value=\"(\d+)\" x=\"\d+\" y=\"\d+\" width=\"(\d+)\"[^>]*>(?:</rect>)?<text[^>]*>\d+</text>\s*<rect class=\"bar sites\" data-value=\"(\d+)\" x=\"\d+\" y=\"\d+\" width=\"(\d+)\"', d) if m[0] == m[2]]
print(len(eq) > 0 and all(m[1] == m[3] for m in eq))" "$T/dom.html")" = True ]
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$HA/r.html" >"$HA/dom.html" 2>/dev/null
	check "html: Chromium renders the source view" grep -q '<span class="miss">' "$HA/dom.html"
	# The filter is CSS only: a copy of the page with a script that picks a
	# module and an op and records which rows Chromium then displays.
	sed 's|</body>|<script>\
function vis(sel) { return [...document.querySelectorAll(sel)].filter(e => getComputedStyle(e).display != "none").length; }\
let all = vis("#sites tr[data-m]");\
document.getElementById("fm-0").checked = true;\
let m0 = vis("#sites tr[data-m]"), m0rows = document.querySelectorAll("#sites tr[data-m=\\"0\\"]").length;\
document.getElementById("fm-all").checked = true;\
document.getElementById("fo-0").checked = true;\
let o0 = vis("#sites tr[data-o]"), o0rows = document.querySelectorAll("#sites tr[data-o=\\"0\\"]").length;\
document.body.setAttribute("data-result", [all, m0, m0rows, o0, o0rows].join(","));\
</script></body>|' "$T/r.html" >"$T/filter.html"
	chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$T/filter.html" >"$T/filter.dom" 2>/dev/null
	res=$(sed -n 's/.*data-result="\([0-9,]*\)".*/\1/p' "$T/filter.dom")
	# rows_shown: all rows, fewer for a module, fewer for an op, as the page counts them
	rows_shown() {
		[ -n "$nsite" ] && echo "$res" |
			awk -F, -v n="$nsite" '$1 == n && $2 == $3 && $2 < $1 && $4 == $5 && $4 < $1 { ok = 1 } END { exit !ok }'
	}
	check "html: filter by module and by op (CSS): only the chosen rows shown ($res)" rows_shown
else
	notok "html: chromium not installed (scripts/deps.sh --test)"
fi

finish
