#!/bin/sh
# e2e.sh - end-to-end tests: build real programs with goinstr, run them,
# and check their logs line by line (tests/e2e/logcheck) and their
# behaviour against plain builds. Uses the Go toolchain selected by the
# environment (GOTOOLCHAIN=go1.27.3 sh tests/e2e.sh tests Go 1.27).
#
# --quick (make check) builds and runs the acceptance program only.
# Unsafe operations: tests/unsafe.sh.
set -u
SUITE=
. "$(dirname "$0")/lib.sh"
quick=0
[ "${1:-}" = --quick ] && quick=1
E2E=$ROOT/tests/e2e
export TMPDIR="$T/tmp"   # goinstr's work directories land here: checked empty
mkdir -p "$TMPDIR" "$T/bin"

cd "$E2E" || exit 1
go build -o "$T/bin/logcheck" ./logcheck || { notok "build logcheck"; finish; }
LOGCHECK=$T/bin/logcheck
GOROOT_DIR=$(go env GOROOT)
before_goroot=$(tree_sum "$GOROOT_DIR/src/reflect" "$GOROOT_DIR/src/runtime")
before_tree=$(tree_sum "$E2E")

# --- basic: the acceptance program --------------------------------------
go build -o "$T/bin/basic.plain" ./basic
check "goinstr build ./basic" "$GOINSTR" build -o "$T/bin/basic" ./basic
"$T/bin/basic.plain" >"$T/plain.out" 2>"$T/plain.err"; plain_rc=$?
INSTRUMENTATION_LOG_PATH=$T/basic.log "$T/bin/basic" >"$T/instr.out" 2>"$T/instr.err"; instr_rc=$?
check "basic: same stdout as the plain build" cmp -s "$T/plain.out" "$T/instr.out"
check "basic: same stderr (empty)" cmp -s "$T/plain.err" "$T/instr.err"
check "basic: exit code passes through ($plain_rc)" [ "$instr_rc" -eq "$plain_rc" -a "$plain_rc" -eq 3 ]
check "basic: log has exactly the wanted events" "$LOGCHECK" -log "$T/basic.log" -src basic
check "basic: strings are cut at 64 bytes with the length noted" \
	grep -q '"args":{"name":{"value":"\\"é\\n\\"é\\n' "$T/basic.log"
check "basic: cut string records its full length" grep -q '"len":160}' "$T/basic.log"
# make demo's script: each command shown, the report, outputs kept
sh "$ROOT/examples/demo.sh" >"$T/demo.out" 2>&1; rc=$?
# demo_kept RC: the demo showed its report command and the report; build/demo
# holds its binary, inventory and log
demo_kept() {
	[ "$1" -eq 0 ] &&
		has "$T/demo.out" '^$ build/goinstr report build/demo/demo.log' '^    reflect.Value.Call  *2  *2$' '"msg":"reflect.Value.Call"' &&
		[ -x "$ROOT/build/demo/demo" ] && [ -s "$ROOT/build/demo/demo.sites.jsonl" ] && [ -s "$ROOT/build/demo/demo.log" ]
}
check "examples/demo.sh: shows its commands and the report; build/demo keeps the binary, inventory and log" demo_kept $rc
[ $rc -eq 0 ] || show "$T/demo.out"
[ $quick -eq 1 ] && finish

# Logging off: no file, same behaviour.
"$T/bin/basic" >"$T/off.out" 2>"$T/off.err"; rc=$?
check "log path unset: same output, no log" same_silent "$T/plain.out" "$T/off.out" "$T/off.err" $rc 3

# Unopenable paths: missing directory, a directory, a symlink (never followed).
mkdir "$T/adir"
echo precious >"$T/target"
ln -s "$T/target" "$T/link.log"
for p in "$T/missing/dir/x.log" "$T/adir" "$T/link.log"; do
	INSTRUMENTATION_LOG_PATH=$p "$T/bin/basic" >"$T/bad.out" 2>"$T/bad.err"; rc=$?
	check "unopenable log '$(basename "$p")': same stdout, silent, exit 3" \
		same_silent "$T/plain.out" "$T/bad.out" "$T/bad.err" $rc 3
done
INSTRUMENTATION_LOG_PATH=/dev/full "$T/bin/basic" >"$T/full.out" 2>"$T/full.err"; rc=$?
check "full disk (/dev/full): same stdout, silent, exit 3" \
	same_silent "$T/plain.out" "$T/full.out" "$T/full.err" $rc 3
check "symlink target untouched" [ "$(cat "$T/target")" = precious ]
check "no file created in a missing directory" [ ! -e "$T/missing" ]

# umask 000: still 0600.
(umask 000 && INSTRUMENTATION_LOG_PATH=$T/umask.log "$T/bin/basic" >/dev/null)
check "umask 000: log is 0600" mode_is "$T/umask.log" 600

# An existing log of ours with broader permissions is tightened to 0600;
# one owned by another user is never written.
: >"$T/wide.log" && chmod 666 "$T/wide.log"
INSTRUMENTATION_LOG_PATH=$T/wide.log "$T/bin/basic" >/dev/null
tightened() { mode_is "$T/wide.log" 600 && [ -s "$T/wide.log" ]; }
check "an existing 0666 log is tightened to 0600 and written" tightened
theirs_kept() { [ "$(cat "$T/theirs.log")" = keep ] && same_run "$T/plain.out" "$T/theirs.out" "$1" 3; }
if [ "$(id -u)" -eq 0 ]; then
	echo keep >"$T/theirs.log" && chown nobody "$T/theirs.log"
	INSTRUMENTATION_LOG_PATH=$T/theirs.log "$T/bin/basic" >"$T/theirs.out" 2>&1; rc=$?
	check "a log owned by another user is not written; behaviour unchanged" \
		theirs_kept $rc
else
	skip "a log owned by another user: needs root to chown one"
fi

# check-log-path tells what the program does with each of these paths.
mkdir -m 700 "$T/priv" && : >"$T/priv/wide.log" && chmod 644 "$T/priv/wide.log"
ln -s "$T/target" "$T/priv/link.log"
echo other >"$T/priv/other" && ln "$T/priv/other" "$T/priv/hard.log"
for case in "new.log 0" "wide.log 0" "link.log 1" "missing/x.log 1" "hard.log 1"; do
	set -- $case
	"$GOINSTR" check-log-path "$T/priv/$1" >"$T/clp.out"; crc=$?
	rm -f "$T/priv/probe.log"
	INSTRUMENTATION_LOG_PATH=$T/priv/$1 "$T/bin/basic" >/dev/null
	logged=1
	grep -q goinstr.start "$T/priv/$1" 2>/dev/null && logged=0
	check "check-log-path $1: exit $crc, and the program logs: $([ $logged -eq 0 ] && echo yes || echo no)" \
		[ "$crc" -eq "$2" -a "$logged" -eq "$2" ]
done
"$GOINSTR" check-log-path "$T/priv/hard.log" >"$T/clp.out"
check "check-log-path: a hard link is refused, with the reason" grep -q '^no: .*2 links' "$T/clp.out"
mkfifo "$T/priv/fifo.log"
"$GOINSTR" check-log-path "$T/priv/fifo.log" >"$T/clp.out"; crc=$?
timeout 60 env INSTRUMENTATION_LOG_PATH=$T/priv/fifo.log "$T/bin/basic" >/dev/null 2>&1; rc=$?
fifo_refused() { [ "$crc" -eq 1 ] && has "$T/clp.out" '^no: .*FIFO' && [ "$rc" -eq 3 ]; }
check "check-log-path: a FIFO logs nothing, and the program neither hangs nor logs" fifo_refused
ln -s "$T/priv" "$T/privlink"
"$GOINSTR" check-log-path "$T/privlink/new.log" >"$T/clp.out"
check "check-log-path warns about a symbolic link among the directories" \
	grep -q "^warning: $T/privlink is a symbolic link" "$T/clp.out"
"$GOINSTR" check-log-path /tmp/goinstr-clp-$$.log >"$T/clp.out"
check "check-log-path warns about /tmp" grep -q '^warning: directory /tmp is world-writable' "$T/clp.out"
"$GOINSTR" check-log-path "$T/priv/new2.log" >"$T/clp.out"
check "check-log-path: a private directory draws no warning" lacks "$T/clp.out" '^warning'

# Redaction: no argument string, home path or raw address of the run.
HOME=$ROOT INSTRUMENTATION_REDACT=strings,paths,addresses INSTRUMENTATION_LOG_PATH=$T/redact.log \
	"$T/bin/basic" >"$T/redact.out"
check "redacted run: same output" cmp -s "$T/plain.out" "$T/redact.out"
check "redacted log is well formed" "$LOGCHECK" -valid -log "$T/redact.log" -src basic
redacted() {
	has "$T/redact.log" '"redact":"strings,paths,addresses"' '"file":"~/tests/e2e/basic/main.go"' '"sha256":"' '"addr":"k:' &&
		lacks "$T/redact.log" "admin\\|\\\\\"é\\|$ROOT/" && ! grep -Eq '"0x[0-9a-f]{2,}' "$T/redact.log"
}
check "redacted log: no string argument, home path or raw address" redacted
INSTRUMENTATION_MAX_STRING=8 INSTRUMENTATION_LOG_PATH=$T/cut.log "$T/bin/basic" >/dev/null
check "INSTRUMENTATION_MAX_STRING=8 cuts strings at 8 bytes" \
	grep -q '"name":{"value":"\\"é\\n\\"é\\n","len":160}' "$T/cut.log"
INSTRUMENTATION_MAX_STRING=lots INSTRUMENTATION_LOG_MAX_EVENTS=-3 INSTRUMENTATION_LOG_PATH=$T/bad.log "$T/bin/basic" >/dev/null
defaults() {
	has "$T/bad.log" '"max_string":64[,}]' '"max_events":100000[,}]' && lacks "$T/bad.log" '"redact"' && has "$T/bad.log" admin
}
check "malformed numeric INSTRUMENTATION_* values fall back to the defaults" defaults

# A log removed while the program runs: the program goes on unchanged (and,
# with rotation on, later events start a new file at the name).
check "goinstr build ./slow" "$GOINSTR" build -o "$T/bin/slow" ./slow
# gone_same: the run's status (5) and output as without the removal;
# part2: with rotation, a new file at the name, its header part 2
gone_same() { [ "$rc" -eq 5 ] && [ "$(cat "$T/gone.out")" = '{1 2}' ]; }
part2() { first_has "$T/gone.log" '"msg":"goinstr.start",.*"part":2,' && has "$T/gone.log" '"target":"main.T.B"'; }
for rot in 0 1; do
	rm -f "$T/gone.log" "$T/fifo" && mkfifo "$T/fifo"
	if [ $rot -eq 1 ]; then export INSTRUMENTATION_LOG_MAX_BYTES=1000000; fi
	INSTRUMENTATION_LOG_PATH=$T/gone.log "$T/bin/slow" <"$T/fifo" >"$T/gone.out" 2>&1 &
	pid=$!
	exec 9>"$T/fifo"
	for i in 1 2 3 4 5 6 7 8 9 10; do grep -q SetInt "$T/gone.log" 2>/dev/null && break; sleep 0.2; done
	rm -f "$T/gone.log"
	echo go >&9
	exec 9>&-
	wait $pid; rc=$?
	unset INSTRUMENTATION_LOG_MAX_BYTES
	check "log removed mid-run (rotation $rot): same output and exit code" \
		gone_same
	[ $rot -eq 1 ] && check "with rotation on, later events go to a new file at the name, after the process's header (part 2)" \
		part2
done

# Appending: a second run adds a header and its events, keeps the first.
INSTRUMENTATION_LOG_PATH=$T/basic.log "$T/bin/basic" >/dev/null
check "second process appends to the log" "$LOGCHECK" -log "$T/basic.log" -src basic -procs 2

# --- nothing at the log path hangs, redirects or bloats the program -----
# A FIFO (another user can plant one in /tmp): the program neither hangs
# nor logs, with or without a reader.
mkfifo "$T/fifo.log"
timeout 60 env INSTRUMENTATION_LOG_PATH=$T/fifo.log "$T/bin/basic" >"$T/fifo.out" 2>&1; rc=$?
check "a FIFO at the log path: no hang, same output, exit 3" same_run "$T/plain.out" "$T/fifo.out" $rc 3
fifo_unwritten() { same_run "$T/plain.out" "$T/fifo2.out" "$1" 3 && empty "$T/fifo.read"; }
cat "$T/fifo.log" >"$T/fifo.read" &
reader=$!
sleep 0.2
timeout 60 env INSTRUMENTATION_LOG_PATH=$T/fifo.log "$T/bin/basic" >"$T/fifo2.out" 2>&1; rc=$?
kill $reader 2>/dev/null; wait $reader 2>/dev/null
check "a FIFO with a reader: no hang, same output, nothing written to it" \
	fifo_unwritten $rc
# A hard link to another file: never appended to, never chmod'ed.
printf 'echo precious\n' >"$T/bashrc" && chmod 644 "$T/bashrc"
ln "$T/bashrc" "$T/hard.log"
INSTRUMENTATION_LOG_PATH=$T/hard.log "$T/bin/basic" >"$T/hard.out" 2>&1; rc=$?
hard_alone() {
	same_run "$T/plain.out" "$T/hard.out" "$1" 3 &&
		[ "$(cat "$T/bashrc")" = 'echo precious' ] && mode_is "$T/bashrc" 644
}
check "a hard link at the log path: its file untouched (contents, mode 644), same output" hard_alone $rc
# The program closed fd 2: the log takes another descriptor, so neither
# the program's writes to fd 2 nor its panic trace reach the log.
check "goinstr build ./stderr" "$GOINSTR" build -o "$T/bin/stderr" ./stderr
INSTRUMENTATION_LOG_PATH=$T/stderr.log "$T/bin/stderr" >/dev/null 2>&1; rc=$?
fd2_clean() { [ "$1" -eq 2 ] && lacks "$T/stderr.log" 'forged\|panic' && "$LOGCHECK" -log "$T/stderr.log" -src stderr; }
check "fd 2 closed by the program: the log is not on fd 2 (no forged line, no panic trace in it)" fd2_clean $rc
# A relative path is resolved once, at the first event: a chdir later
# does not move the log or its rotated files.
check "goinstr build ./chdir" "$GOINSTR" build -o "$T/bin/chdir" ./chdir
mkdir -p "$T/cwd/elsewhere"
(cd "$T/cwd" && INSTRUMENTATION_LOG_MAX_BYTES=2000 INSTRUMENTATION_LOG_KEEP=100 INSTRUMENTATION_LOG_PATH=rel.log \
	"$T/bin/chdir" elsewhere >/dev/null 2>&1)
rel_resolved() { [ -f "$T/cwd/rel.log" ] && [ -f "$T/cwd/rel.log.1" ] && [ -z "$(ls -A "$T/cwd/elsewhere")" ]; }
check "relative log path: resolved at the first event, not moved by a chdir (rotation too)" rel_resolved
# A write cut short (RLIMIT_FSIZE; a full disk alike) leaves no half line
# for the next process's header to glue onto.
rm -f "$T/short.log"
prlimit --fsize=3000 env INSTRUMENTATION_LOG_PATH=$T/short.log "$T/bin/basic" >"$T/short.out" 2>&1; rc=$?
INSTRUMENTATION_LOG_PATH=$T/short.log "$T/bin/basic" >/dev/null 2>&1
short_whole() {
	same_run "$T/plain.out" "$T/short.out" "$1" 3 && [ "$(stat -c %s "$T/short.log")" -gt 3000 ] &&
		"$LOGCHECK" -valid -log "$T/short.log" -procs 2
}
check "a short write (file size limit): same output, exit 3; every line whole, the next process logs" short_whole $rc

# Bounded memory and log: a million distinct names looked up (a server
# taking names from its clients) cost at most 64 MB of memory more than a
# plain build, and the log stays under 100 MB.
go build -o "$T/bin/manynames.plain" ./manynames
check "goinstr build ./manynames" "$GOINSTR" build -o "$T/bin/manynames" ./manynames
"$T/bin/manynames.plain" 1000000 >"$T/many.plain"
INSTRUMENTATION_LOG_PATH=$T/many.log "$T/bin/manynames" 1000000 >"$T/many.instr"
hwm_plain=$(sed -n 's/^hwm: //p' "$T/many.plain") hwm_instr=$(sed -n 's/^hwm: //p' "$T/many.instr")
log_kb=$(($(stat -c %s "$T/many.log") / 1024))
echo "# 10^6 names: peak RSS plain ${hwm_plain} KiB, instrumented ${hwm_instr} KiB; log ${log_kb} KiB"
bounded() { [ -n "$hwm_instr" ] && [ $((hwm_instr - hwm_plain)) -le 65536 ] && [ "$log_kb" -lt 102400 ]; }
check "10^6 distinct names: at most 64 MB more memory than plain, log under 100 MB" bounded
check "10^6 distinct names: the cap line says how many distinct events were dropped" \
	has "$T/many.log" '"msg":"goinstr.limit","pid":[0-9]*,"limit":100000,"dropped":524288}'
# Past the logger's limits (its table of 65,536 keys full, the cap on
# events reached) a new name costs no stack walk: it is decided by key and
# remembered by a keyed fingerprint. Counted in instructions (valgrind, as
# tests/scale.sh), the difference of 200,000 and 100,000 names (cap 1,000,
# so every name past the first thousand is dropped, and past 65,536 the
# table is full) against the plain build's: at most 3 times (about 50
# before: a stack walk, the event described, its line's identity, each).
if command -v valgrind >/dev/null 2>&1; then
	irefs() { # irefs BINARY N: the instructions of a run
		GOGC=off GODEBUG=asyncpreemptoff=1 INSTRUMENTATION_LOG_MAX_EVENTS=1000 INSTRUMENTATION_LOG_PATH=$T/flood.log \
			valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" "$2" >"$T/vg.out" 2>&1 &&
			awk '/I *refs:/ { gsub(",", "", $NF); print $NF; f = 1 } END { exit !f }' "$T/vg.out"
	}
	rm -f "$T/flood.log"
	if p1=$(irefs "$T/bin/manynames.plain" 100000) && p2=$(irefs "$T/bin/manynames.plain" 200000) &&
		i1=$(irefs "$T/bin/manynames" 100000) && i2=$(irefs "$T/bin/manynames" 200000); then
		flood=$(awk -v p1="$p1" -v p2="$p2" -v i1="$i1" -v i2="$i2" 'BEGIN { printf "%.2f", (i2 - i1) / (p2 - p1) }')
		echo "# past the limits, a new name: $(( (p2 - p1) / 100000 )) instructions plain, $(( (i2 - i1) / 100000 )) instrumented"
		check "a flood of names past the logger's limits: $flood times plain's instructions a name, at most 3" \
			awk -v r="$flood" 'BEGIN { exit !(r <= 3) }'
		check "... the flood's cap line counts every name dropped past the cap" \
			grep -q '"msg":"goinstr.limit","pid":[0-9]*,"limit":1000,"dropped":131072}' "$T/flood.log"
	else
		show "$T/vg.out"
		notok "a flood of names past the logger's limits: valgrind ran"
	fi
else
	skip "a flood of names past the logger's limits: valgrind is not installed (scripts/deps.sh --test installs it)"
fi
INSTRUMENTATION_LOG_MAX_EVENTS=100 INSTRUMENTATION_LOG_PATH=$T/cap.log "$T/bin/manynames" 1000 >/dev/null
capped_events() {
	[ "$(grep -c '"cat":' "$T/cap.log")" -eq 100 ] && has "$T/cap.log" '"max_events":100[,}]' &&
		[ "$(grep '"goinstr.limit"' "$T/cap.log" | sed 's/.*"dropped"://; s/}//' | tr '\n' ' ')" = '1 2 4 8 16 32 64 128 256 512 ' ] &&
		"$LOGCHECK" -valid -log "$T/cap.log"
}
check "INSTRUMENTATION_LOG_MAX_EVENTS=100: 100 events, then a limit line at each power of two dropped" capped_events

# Names longer than the cut that share what is shown of them, at one call
# site, and run-time types whose strings do: each logged once, as the
# distinct event it is, shown cut.
check "goinstr build ./longnames" "$GOINSTR" build -o "$T/bin/longnames" ./longnames
INSTRUMENTATION_LOG_PATH=$T/longnames.log "$T/bin/longnames" >/dev/null
long_names() {
	[ "$(grep -c "\"op\":\"reflect.Value.FieldByName\",.*\"target\":\"main.T.NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN…\"}" "$T/longnames.log")" -eq 3 ] &&
		[ "$(grep -c "\"op\":\"reflect.New\",.*\"target\":\"struct { FNNN[N]*…\"}" "$T/longnames.log")" -eq 2 ] &&
		"$LOGCHECK" -valid -log "$T/longnames.log"
}
check "long names sharing their first 64 bytes: 3 names and 2 types, each logged once, shown cut" long_names

# The log holds one descriptor from the program's first event on: near
# RLIMIT_NOFILE the program gets one descriptor fewer (EMFILE one sooner).
# A program that took every descriptor before its first event logs
# nothing (the logger's open fails and it stops), and runs as plain.
check "goinstr build ./fdlimit" "$GOINSTR" build -o "$T/bin/fdlimit" ./fdlimit
go build -o "$T/bin/fdlimit.plain" ./fdlimit
rm -f "$T/fd.log"
prlimit --nofile=64 "$T/bin/fdlimit.plain" >"$T/fd.plain"
INSTRUMENTATION_LOG_PATH=$T/fd.log prlimit --nofile=64 "$T/bin/fdlimit" >"$T/fd.instr"
np=$(cut -d' ' -f1 "$T/fd.plain") ni=$(cut -d' ' -f1 "$T/fd.instr")
echo "# RLIMIT_NOFILE 64: the program opened $np descriptors plain, $ni instrumented"
fd_one() {
	[ "$ni" -eq $((np - 1)) ] && [ "$(cut -d' ' -f2- "$T/fd.plain")" = "$(cut -d' ' -f2- "$T/fd.instr")" ] &&
		has "$T/fd.log" '"op":"reflect.Value.SetInt"'
}
check "RLIMIT_NOFILE 64: the log costs the program one descriptor ($np plain, $ni instrumented), nothing else" fd_one
rm -f "$T/fd.log"
prlimit --nofile=64 "$T/bin/fdlimit.plain" before >"$T/fd.plain"
INSTRUMENTATION_LOG_PATH=$T/fd.log prlimit --nofile=64 "$T/bin/fdlimit" before >"$T/fd.instr"
fd_none() { same_bytes "$T/fd.plain" "$T/fd.instr" && empty "$T/fd.log"; }
check "RLIMIT_NOFILE 64, every descriptor taken before the first event: same output as plain, nothing logged" fd_none

# Redaction and cuts cover every string: type strings built at run time
# (StructOf field names and tags, MapOf key types) and targets too.
check "goinstr build ./hostile" "$GOINSTR" build -o "$T/bin/hostile" ./hostile
secret=Hunter2SecretToken0123456789abcdef
INSTRUMENTATION_REDACT=strings INSTRUMENTATION_LOG_PATH=$T/hostile.log "$T/bin/hostile" >/dev/null
secret_kept() {
	[ "$(grep -c '"cat":' "$T/hostile.log")" -ge 5 ] && lacks "$T/hostile.log" 'Hunter2\|0123456789abcdef' &&
		"$LOGCHECK" -valid -log "$T/hostile.log"
}
check "INSTRUMENTATION_REDACT=strings: a secret used as field name, tag, map key type or looked-up name never logged" secret_kept
INSTRUMENTATION_MAX_STRING=8 INSTRUMENTATION_LOG_PATH=$T/hostile8.log "$T/bin/hostile" >/dev/null
cut8() { has "$T/hostile8.log" 'Hunter2S' && lacks "$T/hostile8.log" 'Hunter2Se'; }
check "INSTRUMENTATION_MAX_STRING=8: no target or type string holds the whole name" cut8
INSTRUMENTATION_LOG_PATH=$T/bigtag.log "$T/bin/hostile" bigtag >/dev/null
# longest FILE: the length of FILE's longest line
longest() { awk '{ if (length($0) > m) m = length($0) } END { print m }' "$1"; }
bigtag() {
	[ "$(grep -c '"cat":' "$T/bigtag.log")" -ge 5 ] && [ "$(longest "$T/bigtag.log")" -le 16384 ] &&
		"$LOGCHECK" -valid -log "$T/bigtag.log"
}
check "a 10 MB struct tag: every line at most 16 KiB" bigtag
INSTRUMENTATION_MAX_STRING=4096 INSTRUMENTATION_LOG_PATH=$T/bigtag2.log "$T/bin/hostile" bigtag >/dev/null
bigtag_cut() {
	[ "$(longest "$T/bigtag2.log")" -le 16384 ] && has "$T/bigtag2.log" '"cut":true}' &&
		"$LOGCHECK" -valid -log "$T/bigtag2.log"
}
check "a 10 MB struct tag, strings cut at 4 KiB: lines that would pass 16 KiB are written cut, without arguments" bigtag_cut
fails_closed() { has "$T/fc.log" '"redact":"strings,paths,addresses","redact_unknown":' && lacks "$T/fc.log" 'Hunter2'; }
for w in STRINGS all ' strings' 'strings,bogus'; do
	rm -f "$T/fc.log"
	INSTRUMENTATION_REDACT=$w INSTRUMENTATION_LOG_PATH=$T/fc.log "$T/bin/hostile" >/dev/null
	check "INSTRUMENTATION_REDACT='$w' fails closed: everything redacted, the unknown word in the header" fails_closed
done

# --- concurrency: 64 goroutines x 4 processes on one log ----------------
# Names that differ in one byte, at one call site, from fresh copies: each
# distinct name logged once (the dedup key reads names by content).
check "goinstr build ./names" "$GOINSTR" build -o "$T/bin/names" ./names
INSTRUMENTATION_LOG_PATH=$T/names.log "$T/bin/names" >"$T/names.out" 2>&1
names_once() { grep -qx 36 "$T/names.out" && "$LOGCHECK" -log "$T/names.log" -src names; }
check "names: one event per distinct name, whatever its length or address" \
	names_once
# Calls through wrappers several sites share (a method value, an interface
# holding a *reflect.Value): each site logged, once.
check "goinstr build ./methodvalue" "$GOINSTR" build -o "$T/bin/methodvalue" ./methodvalue
INSTRUMENTATION_LOG_PATH=$T/mv.log "$T/bin/methodvalue" >"$T/mv.out" 2>&1
mv_once() { [ "$(cat "$T/mv.out")" = '1005
4' ] && "$LOGCHECK" -log "$T/mv.log" -src methodvalue; }
check "methodvalue: each site behind a shared wrapper logged once, two ops at one site apart" \
	mv_once
check "goinstr build ./concurrent" "$GOINSTR" build -o "$T/bin/conc" ./concurrent
for i in 1 2 3 4; do
	INSTRUMENTATION_LOG_PATH=$T/conc.log "$T/bin/conc" >/dev/null &
done
wait
check "concurrent: whole lines, one per key per process" "$LOGCHECK" -log "$T/conc.log" -src concurrent -procs 4

# Rotation: four processes of 64 goroutines at 4 KiB and at 1 KiB (less
# than a header and a few lines): every file begins with a header, each
# process's first line in each file is its header (its identity never
# rotates away), whole lines, none lost, each file within one write of
# the limit.
rotfiles() { # the rotated files of $1, oldest first, comma-separated
	k=$(ls "$1".* 2>/dev/null | wc -l); l=
	while [ $k -ge 1 ]; do l=$l$1.$k,; k=$((k - 1)); done
	echo "$l$1"
}
for size in 4096 1024; do
	rm -f "$T"/rot.log*
	for i in 1 2 3 4; do
		INSTRUMENTATION_LOG_MAX_BYTES=$size INSTRUMENTATION_LOG_KEEP=1000 INSTRUMENTATION_LOG_PATH=$T/rot.log \
			"$T/bin/conc" >/dev/null &
	done
	wait
	n=$(ls "$T"/rot.log.* 2>/dev/null | wc -l)
	check "rotation at $size bytes made several files ($n)" [ "$n" -ge 2 ]
	check "rotation at $size bytes: every file begins with the header of each process in it; every line, whole, once per key per process; sizes within one write" \
		"$LOGCHECK" -log "$(rotfiles "$T/rot.log")" -src concurrent -procs 4 -max-bytes $size
done
# Under heavy contention (8 processes, 2,000 distinct events each, a file
# every 40 lines or so) a writer may find PATH rotated again and again:
# it follows, and never writes past the limit (files of 20,700 bytes at a
# 20,000 limit before).
rm -f "$T"/rot.log*
for i in 1 2 3 4 5 6 7 8; do
	INSTRUMENTATION_LOG_MAX_BYTES=20000 INSTRUMENTATION_LOG_KEEP=1000 INSTRUMENTATION_LOG_PATH=$T/rot.log \
		"$T/bin/manynames" 2000 >/dev/null &
done
wait
big=$(for f in "$T"/rot.log*; do [ "$(stat -c %s "$f")" -gt 20000 ] && echo "$f"; done | wc -l)
rot_whole() {
	[ "$big" -eq 0 ] && "$LOGCHECK" -valid -log "$(rotfiles "$T/rot.log")" -procs 8 -max-bytes 20000 &&
		[ "$(cat "$T"/rot.log* | grep -c '"op":"reflect.Value.FieldByName"')" -eq 16000 ]
}
check "rotation under contention (8 processes, 20,000 bytes): no file past the limit ($big), every line once" rot_whole
rm -f "$T"/rot.log*
for i in 1 2 3 4; do
	INSTRUMENTATION_LOG_MAX_BYTES=2048 INSTRUMENTATION_LOG_KEEP=2 INSTRUMENTATION_LOG_PATH=$T/rot.log \
		"$T/bin/conc" >/dev/null &
done
wait
kept_two() { [ -f "$T/rot.log.2" ] && absent "$T/rot.log.3"; }
check "INSTRUMENTATION_LOG_KEEP=2 keeps PATH.1 and PATH.2 only" \
	kept_two
procs=$(cat "$T"/rot.log* | grep -o '"pid":[0-9]*' | sort -u | wc -l)
check "INSTRUMENTATION_LOG_KEEP=2: the files kept still name each process in them ($procs)" \
	"$LOGCHECK" -valid -log "$(rotfiles "$T/rot.log")" -procs "$procs" -max-bytes 2048

# The header names the binary: exe its absolute path (run as ./basic),
# argv0 as given, main and deps its modules (as go version -m lists them,
# replacements included), part 1 and start its time in the first file.
(cd "$T/bin" && INSTRUMENTATION_LOG_PATH=$T/hdr.log ./basic >/dev/null)
check "header: schema 2, exe the absolute path, argv0 as given, main module and package, part 1" \
	first_has "$T/hdr.log" "\"schema\":2,.*\"part\":1,\"exe\":\"$T/bin/basic\",\"argv0\":\"./basic\",.*\"main\":{\"path\":\"goinstr.test/e2e\",\"version\":\"(devel)\",\"pkg\":\"goinstr.test/e2e/basic\"},\"deps\":\[\]"
UPROG=$ROOT/tests/unsafe/prog
(cd "$UPROG" && "$GOINSTR" build -o "$T/bin/uprog" .) >/dev/null 2>&1
INSTRUMENTATION_LOG_PATH=$T/uprog.log "$T/bin/uprog" >/dev/null 2>&1
go version -m "$T/bin/uprog" | awk -F '\t' '
	$2 == "path" { pkg = $3 }
	$2 == "mod" { printf "{\"path\":\"%s\",\"version\":\"%s\",\"pkg\":\"%s\"}\n", $3, $4, pkg }
	$2 == "dep" { d = sprintf("{\"path\":\"%s\",\"version\":\"%s\"", $3, $4) }
	$2 == "=>" { d = d sprintf(",\"replace\":{\"path\":\"%s\",\"version\":\"%s\"}", $3, $4) }
	$2 == "dep" || $2 == "=>" { deps[$2 == "dep" ? ++n : n] = d "}" }
	END { printf "["; for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "," : ""), deps[i]; print "]" }' >"$T/uprog.want"
deps_listed() {
	has "$T/uprog.log" "\"main\":$(head -n 1 "$T/uprog.want"),\"deps\":$(tail -n 1 "$T/uprog.want" | sed 's/[][]/\\&/g')" \
		'"replace":{"path":"../udep"'
}
check "header: main and deps as go version -m lists them (a replaced dependency too)" deps_listed

# --- a program that imports reflect but not os --------------------------
no_os() { ! go list -deps ./noos | grep -qx os; }
check "noos: the program does not link os" no_os
check "goinstr build ./noos" "$GOINSTR" build -o "$T/bin/noos" ./noos
INSTRUMENTATION_LOG_PATH=$T/noos.log "$T/bin/noos" 2>/dev/null
check "noos: logs without os" "$LOGCHECK" -log "$T/noos.log" -src noos

# --- op selection ---------------------------------------------------------
check "goinstr build --ops=lookup" "$GOINSTR" build --ops=lookup --unsafe=none -o "$T/bin/basic.lookup" ./basic
INSTRUMENTATION_LOG_PATH=$T/lookup.log "$T/bin/basic.lookup" >/dev/null
check "--ops=lookup logs lookups only" "$LOGCHECK" -log "$T/lookup.log" -src basic -cat lookup
# Another op set changes reflect only (through the overlay's content): the
# compiler's identity must not change with it, or the go command compiles
# the whole standard library again. A reflect never built before (a nonce
# in an --inject-dir copy of the logger) makes both builds compile it; the
# nonce is a variable, not a comment, so that reflect's object differs
# too: the go command keys an importer's compile by its imports' objects,
# and would take fmt from an earlier run's cache if reflect's were the same.
mkdir -p "$T/inj/reflect"
cp "$ROOT/inject/reflect/goinstr_log.go" "$T/inj/reflect/" &&
	echo "var goinstrNonce = \"$$ $(date +%s%N)\"" >>"$T/inj/reflect/goinstr_log.go"
"$GOINSTR" build --inject-dir="$T/inj" --ops=call -v -o "$T/bin/ops1" ./basic 2>"$T/ops1.v"; ops1=$?
"$GOINSTR" build --inject-dir="$T/inj" --ops=lookup -v -o "$T/bin/ops2" ./basic 2>"$T/ops.v"
if [ $ops1 -eq 0 ] && grep -qx reflect "$T/ops1.v" &&
	grep -qx reflect "$T/ops.v" && grep -qx fmt "$T/ops.v" && grep -qx encoding/json "$T/ops.v" &&
	! grep -qx runtime "$T/ops.v" && ! grep -qx internal/abi "$T/ops.v"; then
	ok "another --ops compiles reflect and its importers again, not runtime or internal/abi"
else
	notok "another --ops compiles reflect and its importers again, not runtime or internal/abi"
	echo "# first build (exit $ops1):"; show "$T/ops1.v"; echo "# second build:"; show "$T/ops.v"
fi
"$GOINSTR" toolchain --ops=call "$T/tc.call" && "$GOINSTR" toolchain --ops=lookup "$T/tc.lookup"
same_id() {
	_i1=$(grep -o -- '--id=[0-9a-f]*' "$T/tc.call/pkg/tool/$(go env GOOS)_$(go env GOARCH)/compile") &&
		_i2=$(grep -o -- '--id=[0-9a-f]*' "$T/tc.lookup/pkg/tool/$(go env GOOS)_$(go env GOARCH)/compile") &&
		[ -n "$_i1" ] && [ "$_i1" = "$_i2" ]
}
check "drop-in toolchains of two op sets: their compilers answer with the same identity" same_id
rm -rf "$T/tc.call" "$T/tc.lookup"

# --- go test and go run ---------------------------------------------------
INSTRUMENTATION_LOG_PATH=$T/test.log "$GOINSTR" test -count=1 ./testpkg >"$T/test.out" 2>&1
check "goinstr test passes" grep -q '^ok' "$T/test.out"
check "goinstr test: the test binary logs" "$LOGCHECK" -log "$T/test.log" -src testpkg
# A repeated test asked to log runs again, and logs; go test's cache knows
# nothing of the log. Without logging the cache serves it as before. The
# same through a drop-in toolchain's go.
"$GOINSTR" toolchain "$T/tc.rt" >/dev/null
# ran_again: the repeated test ran (not cached) and logged
ran_again() { has "$T/rt.out" '^ok' && lacks "$T/rt.out" '(cached)' && "$LOGCHECK" -log "$T/rt.log" -src testpkg >/dev/null; }
for how in goinstr toolchain; do
	case $how in
	goinstr) gotest() { "$GOINSTR" test "$@"; } ;;
	toolchain) gotest() { PATH=$T/tc.rt/bin:$PATH go test "$@"; } ;;
	esac
	INSTRUMENTATION_LOG_PATH=$T/rt.log gotest ./testpkg >/dev/null 2>&1
	rm -f "$T/rt.log"
	INSTRUMENTATION_LOG_PATH=$T/rt.log gotest ./testpkg >"$T/rt.out" 2>&1
	check "$how: a repeated test with logging on runs again and logs" ran_again
	gotest ./testpkg >/dev/null 2>&1
	gotest ./testpkg >"$T/rt.out" 2>&1
	check "$how: logging off, a repeated test comes from the test cache" grep -q '(cached)' "$T/rt.out"
done
rm -rf "$T/tc.rt"
# Escape analysis of reflect's own parameters is the plain build's: a hook
# that kept an argument would move what a program passes to the heap
# (testpkg's TestArgumentsDoNotEscape shows it one way, this every way).
esc() { sed -n -E 's,^([^ ]*/)?(reflect/[a-z0-9_]+\.go:[0-9]+:[0-9]+: (leaking param|[A-Za-z0-9_.]+ does not escape)),\2,p' |
	grep -v '^reflect/goinstr_' | sort; }
go build -gcflags=reflect=-m -o /dev/null reflect 2>&1 | esc >"$T/esc.plain"
"$GOINSTR" build -gcflags=reflect=-m -o /dev/null reflect 2>&1 | esc >"$T/esc.instr"
esc_same() { [ "$(wc -l <"$T/esc.plain")" -gt 400 ] && same_bytes "$T/esc.plain" "$T/esc.instr"; }
check "reflect's parameters escape as in the plain build ($(wc -l <"$T/esc.plain") lines)" esc_same
go run ./basic >"$T/run.plain" 2>&1; prc=$?
"$GOINSTR" run ./basic >"$T/run.instr" 2>&1; irc=$?
check "goinstr run: same output and exit code as go run" same_run "$T/run.plain" "$T/run.instr" $prc $irc

# --- build cache, determinism, nothing changed on disk -------------------
"$GOINSTR" build -x -o "$T/bin/basic2" ./basic 2>"$T/x.err"
check "second identical build is served from the cache" lacks "$T/x.err" '/compile '
check "second build gives the same binary" cmp -s "$T/bin/basic" "$T/bin/basic2"
check "GOROOT unchanged" [ "$(tree_sum "$GOROOT_DIR/src/reflect" "$GOROOT_DIR/src/runtime")" = "$before_goroot" ]
check "source tree, go.mod and go.sum unchanged" [ "$(tree_sum "$E2E")" = "$before_tree" ]
check "work directories removed" [ -z "$(ls -A "$TMPDIR")" ]
"$GOINSTR" build --keep-work -o "$T/bin/basic3" ./basic 2>"$T/keep.err"
kept=$(sed -n 's/^goinstr: work directory kept: //p' "$T/keep.err")
keeps_overlay() { [ -f "$kept/overlay.json" ] && mode_is "$kept" 700; }
check "--keep-work keeps a 0700 directory with the overlay" keeps_overlay
rm -rf "$kept"
go build -o "$T/bin/loggercheck" ./loggercheck
# An inventory goes beside a binary only: never /dev/null.sites.jsonl
# (watched by its system calls: another build may have left one there).
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=openat,rename -o "$T/devnull.trace" "$GOINSTR" build -o /dev/null ./noos; rc=$?
	devnull_bare() { [ "$1" -eq 0 ] && lacks "$T/devnull.trace" 'null[.]sites'; }
	check "-o /dev/null: no inventory beside it" devnull_bare $rc
else
	skip "-o /dev/null: no inventory beside it: strace is not installed (scripts/deps.sh installs it)"
fi
"$GOINSTR" build -n -o "$T/bin/nothing" ./noos 2>/dev/null
check "-n: no binary, no inventory" [ ! -e "$T/bin/nothing.sites.jsonl" ]
"$GOINSTR" build --keep-work --ops=all -o /dev/null ./noos 2>"$T/keep2.err"
kept=$(sed -n 's/^goinstr: work directory kept: //p' "$T/keep2.err")
check "the logger calls no exported reflect function (type-checked, all ops)" \
	"$T/bin/loggercheck" -overlay "$kept/overlay.json" -inject "$ROOT/inject/reflect"
rm -rf "$kept"

# --- the rewrite cache ----------------------------------------------------
# A private cache directory; GOCACHE stays where it is (it would follow).
GOCACHE=$(go env GOCACHE) XDG_CACHE_HOME=$T/cache "$GOINSTR" build -o "$T/bin/c1" ./basic
entry=$(ls -d "$T"/cache/goinstr/overlay/* 2>/dev/null | grep -v '[.]seal$' | head -n 1)
sealed_entry() {
	[ -f "$entry/overlay.json" ] && absent "$entry/MANIFEST" && [ -s "$entry.seal" ] && mode_is "$entry" 700
}
check "rewrite cached in a 0700 entry, its seal beside it (outside the entry)" sealed_entry
touch -d '2001-01-01' "$entry/overlay.json"
GOCACHE=$(go env GOCACHE) XDG_CACHE_HOME=$T/cache "$GOINSTR" build -o "$T/bin/c2" ./basic
check "identical build reuses the entry" [ "$(stat -c %Y "$entry/overlay.json")" -lt 1000000000 ]
chmod u+w "$entry/reflect/value.go" && echo '// damaged' >>"$entry/reflect/value.go"
GOCACHE=$(go env GOCACHE) XDG_CACHE_HOME=$T/cache "$GOINSTR" build -o "$T/bin/c3" ./basic 2>"$T/c3.err"
remade() {
	lacks "$entry/reflect/value.go" damaged && same_bytes "$T/bin/c1" "$T/bin/c3" && has "$T/c3.err" 'does not match its seal'
}
check "a damaged entry is rebuilt, with a warning" remade

# --- verified sources ------------------------------------------------------
"$GOINSTR" verify >"$T/verify.out"; rc=$?
check "goinstr verify: this GOROOT matches the manifest" \
	ok_has $rc "$T/verify.out" ' 0 differ, 0 missing; 0 extra'
# A GOROOT copy (hard links) with one byte changed in reflect/value.go.
cp -al "$GOROOT_DIR" "$T/goroot" && chmod u+w "$T/goroot/src/reflect" &&
	cp --remove-destination "$GOROOT_DIR/src/reflect/value.go" "$T/goroot/src/reflect/value.go" &&
	chmod u+w "$T/goroot/src/reflect/value.go" && printf ' ' >>"$T/goroot/src/reflect/value.go"
PATH=$T/goroot/bin:$PATH GOROOT=$T/goroot GOTOOLCHAIN=local "$GOINSTR" build -o "$T/bin/tampered" ./basic 2>"$T/tamper.err"; rc=$?
check "a changed GOROOT file is refused: exit 2, one line naming it and both hashes" \
	one_said $rc 2 "$T/tamper.err" 'src/reflect/value.go.*sha256 [0-9a-f]\{64\} expected, [0-9a-f]\{64\} found'
"$GOINSTR" verify "$T/goroot" >"$T/verify2.out"; rc=$?
check "goinstr verify finds the changed file" status_has $rc 1 "$T/verify2.out" '^differs: .*/src/reflect/value.go'
printf 'package reflect\n' >"$T/goroot/src/reflect/zz_added.go"
"$GOINSTR" verify "$T/goroot" >"$T/verify3.out"
check "goinstr verify finds an added .go file" grep -q '^extra: .*/src/reflect/zz_added.go' "$T/verify3.out"
# Any file added to src/ or bin/, and go.env setting more than GOTOOLCHAIN.
printf 'TEXT ·x(SB),0,$0\n' >"$T/goroot/src/reflect/zz_added.s"
chmod u+w "$T/goroot" "$T/goroot/bin" && cp /bin/true "$T/goroot/bin/gcc"
cp --remove-destination "$GOROOT_DIR/go.env" "$T/goroot/go.env" && chmod u+w "$T/goroot/go.env" &&
	echo 'GOFLAGS=-toolexec=/bin/true' >>"$T/goroot/go.env"
"$GOINSTR" verify "$T/goroot" >"$T/verify4.out"
check "goinstr verify finds an added assembly file, a program added to bin/ and a changed go.env" \
	has "$T/verify4.out" '^extra: .*/src/reflect/zz_added.s$' '^extra: .*/bin/gcc$' '^differs: .*/go.env '
# A set-user-ID program in GOROOT (a copy: the real one is linked).
cp --remove-destination "$GOROOT_DIR/bin/gofmt" "$T/goroot/bin/gofmt" && chmod 4755 "$T/goroot/bin/gofmt"
"$GOINSTR" verify "$T/goroot" >"$T/verify5.out"; rc=$?
check "goinstr verify finds a set-user-ID file" \
	status_has $rc 1 "$T/verify5.out" "^setid: *$T/goroot/bin/gofmt (mode 4755)\$" ' 1 set-id$'
rm -rf "$T/goroot"
# goinstr-types is built from GOROOT too (go/types, go/parser, ...: files
# the program never compiles): a change there is refused before its build.
cp -al "$GOROOT_DIR" "$T/goroot" && chmod u+w "$T/goroot/src/go/types" &&
	cp --remove-destination "$GOROOT_DIR/src/go/types/api.go" "$T/goroot/src/go/types/api.go" &&
	chmod u+w "$T/goroot/src/go/types/api.go" && printf ' ' >>"$T/goroot/src/go/types/api.go"
PATH=$T/goroot/bin:$PATH GOROOT=$T/goroot GOTOOLCHAIN=local XDG_CACHE_HOME=$T/helpercache \
	"$GOINSTR" build -o "$T/bin/tampered" ./basic 2>"$T/tamper2.err"; rc=$?
types_refused() {
	[ "$1" -eq 2 ] && [ "$(grep -vc 'building its type checker' "$T/tamper2.err")" -eq 1 ] &&
		has "$T/tamper2.err" "^goinstr: '$T/goroot/src/go/types/api.go' does not match .*sha256 [0-9a-f]\{64\} expected, [0-9a-f]\{64\} found" &&
		absent "$T/bin/tampered" && ! ls "$T"/helpercache/goinstr/types/*/goinstr-types 2>/dev/null
}
check "a changed GOROOT file goinstr-types builds from is refused: exit 2, one error naming it" types_refused $rc
[ $rc -eq 2 ] || show "$T/tamper2.err"
rm -rf "$T/goroot" "$T/helpercache"
"$GOINSTR" build --trust-goroot -o "$T/bin/trusted" ./noos
INSTRUMENTATION_LOG_PATH=$T/trusted.log "$T/bin/trusted" 2>/dev/null
check "--trust-goroot is recorded in the log header" grep -q '"trust_goroot":true' "$T/trusted.log"
check "without it, no such mark" lacks "$T/noos.log" trust_goroot

# --- isolation: no network --------------------------------------------------
# goinstr and the tools it runs open no socket during a build, and an
# instrumented program's logger makes no network system call (the
# program's own behaviour aside: basic does none). The go command's own
# fetches (modules, a GOTOOLCHAIN switch, VCS stamping through git) are
# Go's business: they are listed, not counted. The go command on PATH runs
# directly (GOTOOLCHAIN=local) and stamps no VCS information, so there
# should be none.
if command -v strace >/dev/null 2>&1; then
	GOBIN_DIR=$(go env GOROOT)/bin
	PATH=$GOBIN_DIR:$PATH GOTOOLCHAIN=local strace -f -qq -e signal=none \
		-e trace=%network,execve,clone,clone3,fork,vfork -o "$T/strace.build" \
		"$GOINSTR" build -buildvcs=false -o "$T/bin/basic.st" ./basic >/dev/null 2>&1
	# Name the program behind each network call: a process or thread runs
	# what its creator ran until it execs something else.
	awk '{ pid = $1 }
	     / execve\(/ && !/resumed>/ { split($0, a, "\""); n = split(a[2], b, "/"); exe[pid] = b[n]; next }
	     /(clone|clone3|fork|vfork)[(]|<[.][.][.] (clone|clone3|fork|vfork) resumed>/ {
		if ($NF ~ /^[0-9]+$/) exe[$NF] = exe[pid]; next }
	     / execve\(|resumed>|<detached [.][.][.]>|^[0-9]+ +[+][+][+]/ { next }
	     { print (exe[pid] ? exe[pid] : "?") ": " $0 }' "$T/strace.build" >"$T/strace.net"
	grep '^go: \|^git: ' "$T/strace.net" | sed 's/^/# the go command'"'"'s own: /' | head -5
	build_no_net() { [ -x "$T/bin/basic.st" ] && ! grep -v '^go: \|^git: ' "$T/strace.net" | grep -q .; }
	check "goinstr and the tools it runs make no network system call" build_no_net
	grep -v '^go: \|^git: ' "$T/strace.net" | head -5
	INSTRUMENTATION_LOG_PATH=$T/st.log strace -f -qq -e signal=none -e trace=%network \
		-o "$T/strace.run" "$T/bin/basic.st" >/dev/null 2>&1
	# "PID ???( <detached ...>" is strace's note of a thread that exited
	# inside a system call as the process ended (seen about once in 300
	# runs), not a call it made.
	grep -v '<detached [.][.][.]>' "$T/strace.run" >"$T/strace.run.net"
	run_no_net() { [ -s "$T/st.log" ] && ! grep -q . "$T/strace.run.net"; }
	check "an instrumented run makes no network system call" run_no_net
	sed "s/^/# network call: /" "$T/strace.run.net" | head -5
else
	skip "no network system call: strace is not installed (scripts/deps.sh installs it)"
fi

# --- goinstr diff: every change, as a unified diff ------------------------
"$GOINSTR" diff --ops=all >"$T/std.diff"
hooks=$("$GOINSTR" env --ops=all | sed -n "s/^GOINSTR_HOOKS='\(.*\)'/\1/p")
check "diff shows every injected hook ($hooks)" \
	[ "$(grep -c '^+.*{if goinstrOn { if goinstrPC := goinstrsys.GetCallerPC(); .* goinstr[0-9]*(goinstrK[,)]' "$T/std.diff")" -eq "$hooks" ]
"$GOINSTR" build --keep-work --ops=all -o /dev/null ./noos 2>"$T/keep3.err"
kept=$(sed -n 's/^goinstr: work directory kept: //p' "$T/keep3.err")
# diff_names_overlay: each file of the overlay has its diff
diff_names_overlay() {
	for t in $(grep -o '"/[^"]*": ' "$kept/overlay.json" | sed 's/^"//; s/": $//'); do
		has "$T/std.diff" "^+++ b.*/src/${t#*/src/}\$" || return 1
	done
}
check "diff names every file of the overlay" diff_names_overlay
rm -rf "$kept"

# --- goinstr's own errors: one line, exit 2 -------------------------------
"$GOINSTR" frobnicate >/dev/null 2>"$T/e1"; rc=$?
check "unknown command: exit 2, one line" one_said $rc 2 "$T/e1"
"$GOINSTR" build --ops=bogus ./basic 2>"$T/e2"; rc=$?
check "bad --ops: exit 2, one line" one_said $rc 2 "$T/e2"
"$GOINSTR" build -overlay=x.json ./basic 2>"$T/e3"; rc=$?
check "user -overlay refused: exit 2, one line" one_said $rc 2 "$T/e3"
# Nor through GOFLAGS, in the environment or in the go env file.
for gf in "-toolexec=/bin/true" "-buildvcs=false -overlay=$T/x.json"; do
	GOFLAGS=$gf "$GOINSTR" build -o "$T/bin/gf" ./basic 2>"$T/e3g"; rc=$?
	check "GOFLAGS='$gf' refused: exit 2, one line" one_line $rc "$T/e3g"
done
printf 'GOFLAGS=-toolexec=/bin/true\n' >"$T/goenv"
GOENV=$T/goenv "$GOINSTR" build -o "$T/bin/gf" ./basic 2>"$T/e3e"; rc=$?
check "GOFLAGS=-toolexec in the go env file refused: exit 2, one line" one_line $rc "$T/e3e"
PATH=/nonexistent "$GOINSTR" build ./basic 2>"$T/e4"; rc=$?
check "no go command: exit 2, one line" one_said $rc 2 "$T/e4" go
mkdir -p "$T/fakego"
printf '#!/bin/sh\necho "{\\"GOROOT\\":\\"/x\\",\\"GOVERSION\\":\\"go1.20.1\\",\\"GOOS\\":\\"linux\\",\\"GOARCH\\":\\"amd64\\"}"\n' >"$T/fakego/go"
chmod +x "$T/fakego/go"
PATH=$T/fakego:$PATH "$GOINSTR" build ./basic 2>"$T/e5"; rc=$?
check "unsupported Go release: exit 2, one line naming it" \
	one_said $rc 2 "$T/e5" go1.20.1
mkdir -p "$T/broken" && printf 'module broken\n\ngo 1.26\n' >"$T/broken/go.mod"
printf 'package main\n\nfunc main() { x := }\n' >"$T/broken/main.go"
(cd "$T/broken" && go build . >/dev/null 2>&1); prc=$?
(cd "$T/broken" && "$GOINSTR" build . >/dev/null 2>&1); irc=$?
check "syntax error in user code: go's exit code ($prc) passes through" [ "$irc" -eq "$prc" -a "$prc" -ne 0 ]
help_usage() { "$GOINSTR" help | grep -q '^usage: goinstr \[-C DIR\] <command>'; }
check "goinstr help" help_usage
says_version() { "$1" version | grep -q '^goinstr version '; }
check "goinstr version" says_version "$GOINSTR"
make -C "$ROOT" -s install PREFIX="$T/prefix" >/dev/null
installed() { "$T/prefix/bin/goinstr" version | grep -q '^goinstr version'; }
check "make install PREFIX=... installs a working goinstr" installed
env_names() { "$GOINSTR" env | grep -qx "GOVERSION='$GOV'"; }
check "goinstr env names this toolchain" env_names
# Targets whose binaries cannot log (the runtime shim is Linux's) are never
# silent: the build warns once, naming the target, and so does goinstr env.
GOOS=darwin "$GOINSTR" build -n -o "$T/bin/basic.darwin" ./basic 2>"$T/darwin.err"; rc=$?
darwin_warns() {
	[ "$1" -eq 0 ] && [ "$(grep -c '^goinstr: ' "$T/darwin.err")" -eq 1 ] &&
		has "$T/darwin.err" "^goinstr: warning: target darwin/$(go env GOARCH): its binaries will not log"
}
check "GOOS=darwin: the build says, in one warning line, that its binaries will not log" darwin_warns $rc
GOOS=windows GOARCH=arm64 "$GOINSTR" env >"$T/env.win" 2>"$T/env.win.err"
"$GOINSTR" env >"$T/env.linux" 2>"$T/env.linux.err"
target_logs() {
	has_line "$T/env.win" "GOINSTR_TARGET_LOGS='false'" "GOOS='windows'" &&
		has "$T/env.win.err" '^goinstr: warning: target windows/arm64: its binaries will not log' &&
		has_line "$T/env.linux" "GOINSTR_TARGET_LOGS='true'" && empty "$T/env.linux.err"
}
check "goinstr env: GOOS=windows binaries will not log, Linux ones do" target_logs

finish
