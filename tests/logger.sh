#!/bin/sh
# logger.sh - the injected Go code tested as Go. The logger's files that
# use nothing of package reflect (inject/reflect/goinstr_*.go whose header
# says "Pure:") are copied, unchanged but for their package clause, into a
# test package with tests/logger/*.go (the runtime primitives they call,
# and their tests), and go vet and go test run there. Every inject/ file is
# gofmt-clean. Then the whole writer, in a real instrumented program,
# against the log format's golden fixture (below). Quick (seconds, with
# goinstr's cache warm): part of make check.
set -u
SUITE=logger
. "$(dirname "$0")/lib.sh"

P=$T/goinstrtest
mkdir -p "$P"
printf 'module goinstrtest\n\ngo 1.26\n' >"$P/go.mod"
pure=$(grep -l '^// Pure:' "$ROOT"/inject/reflect/goinstr_*.go)
check "pure logger files found ($(echo $pure | wc -w))" [ "$(echo $pure | wc -w)" -ge 5 ]
# only_clause FILE COPY: COPY differs from FILE in its package clause alone
only_clause() { diff "$1" "$2" | grep '^[<>]' | tr '\n' ' ' | grep -qx '< package reflect > package goinstrtest '; }
for f in $pure; do
	# Only the package clause changes: the test compiles the real file.
	sed '0,/^package reflect$/s//package goinstrtest/' "$f" >"$P/$(basename "$f")"
	check "$(basename "$f"): only its package clause rewritten" only_clause "$f" "$P/$(basename "$f")"
done
cp "$ROOT"/tests/logger/*.go "$P/"
check "inject/ is gofmt-clean" gofmt_clean "$ROOT/inject" "$ROOT/tests/logger"
(cd "$P" && GOFLAGS=-mod=mod go vet . >"$T/vet.out" 2>&1)
check "go vet on the pure files and their tests" empty "$T/vet.out" || show "$T/vet.out"
(cd "$P" && GOFLAGS=-mod=mod go test -count=1 . >"$T/test.out" 2>&1); rc=$?
check "go test on the pure files" [ $rc -eq 0 ]
[ $rc -eq 0 ] || show "$T/test.out"
# On a 32-bit port too (uintptr and int are 4 bytes there), if this
# machine can run it.
if GOARCH=386 go env GOARCH >/dev/null 2>&1 && (cd "$P" && GOARCH=386 go test -count=1 . >"$T/test386.out" 2>&1); then
	ok "go test on the pure files, GOARCH=386"
else
	notok "go test on the pure files, GOARCH=386"
	show "$T/test386.out"
fi

# --- the log format's golden fixture (docs/log.md owns the format) ---------
# tests/logger/golden is built with goinstr (-trimpath: its file names are
# fixed) and run three times, each with its own log and settings; the
# three logs, normalized, concatenated, must be tests/logger/golden.jsonl
# byte for byte (build/tests/test_logformat reads the same file). What
# varies per run is normalized, nothing else: in run K (1, 2, 3) every
# "time" and "start" becomes 2026-12-01T00:00:0K.000000000Z and "pid"
# 100K; every address ("0x...") 0xc000010000, every keyed one
# ("k:" and 16 hex digits) k:0000000000000000; the directory of "exe"
# /opt/golden; and this run's Go release, GOOS, GOARCH and goinstr
# version (exactly those) go1.26.8, linux, amd64, 0.1.0.
mkdir -p "$T/bin"
GOLDEN=$ROOT/tests/logger/golden.jsonl
if (cd "$ROOT/tests/logger/golden" && "$GOINSTR" build -trimpath -o "$T/bin/golden" . >"$T/gbuild.out" 2>&1); then
	ok "goinstr build tests/logger/golden"
else
	notok "goinstr build tests/logger/golden"
	show "$T/gbuild.out"
fi
bin=$(cd "$T/bin" && pwd -P)
facts="\"go\":\"$(go env GOVERSION)\",\"goos\":\"$(go env GOOS)\",\"goarch\":\"$(go env GOARCH)\",\"goinstr\":\"$("$GOINSTR" --version | awk '{print $3}')\""
inherited=$(env | sed -n 's/^\(INSTRUMENTATION_[A-Za-z0-9_]*\)=.*/-u \1/p')
golden_run() { # golden_run K SET [VAR=VALUE...]: run K of the program, normalized, to $T/golden.K
	k=$1 set=$2
	shift 2
	# Only the settings given (none inherited); HOME=/ : no path shown as ~/.
	(cd "$bin" && env $inherited HOME=/ "$@" INSTRUMENTATION_LOG_PATH="$T/golden.$k.log" \
		./golden "$set" >/dev/null)
	# After rotation the older lines are in LOG.1.
	cat $(ls "$T/golden.$k.log.1" 2>/dev/null) "$T/golden.$k.log" |
	sed -e "s/\"\(time\|start\)\":\"[0-9T:.Z-]*\"/\"\1\":\"2026-12-01T00:00:0$k.000000000Z\"/g" \
		-e "s/\"pid\":[0-9]*/\"pid\":100$k/g" \
		-e 's/"0x[0-9a-f]*"/"0xc000010000"/g' \
		-e 's/"k:[0-9a-f]\{16\}"/"k:0000000000000000"/g' \
		-e "s|\"exe\":\"$bin/|\"exe\":\"/opt/golden/|" \
		-e "s|$facts|\"go\":\"go1.26.8\",\"goos\":\"linux\",\"goarch\":\"amd64\",\"goinstr\":\"0.1.0\"|" \
		>"$T/golden.$k"
}
# 1: every category, each kind of argument, awkward strings, strings and
# targets cut at 16 bytes, rotation's settings, and 5 events past a cap
# of 21; 2: a line too long for its receiver and arguments, then the
# dependency's event in a new file (rotation past 1 byte: part 2); 3:
# redaction, with an unknown word.
golden_run 1 events INSTRUMENTATION_MAX_STRING=16 INSTRUMENTATION_LOG_MAX_EVENTS=21 \
	INSTRUMENTATION_LOG_MAX_BYTES=1048576 INSTRUMENTATION_LOG_KEEP=2
golden_run 2 wide INSTRUMENTATION_MAX_STRING=4096 INSTRUMENTATION_LOG_MAX_BYTES=1 INSTRUMENTATION_LOG_KEEP=1
golden_run 3 redacted INSTRUMENTATION_REDACT=paths,addresses,nosuch
cat "$T/golden.1" "$T/golden.2" "$T/golden.3" >"$T/golden.jsonl"
if same_bytes "$GOLDEN" "$T/golden.jsonl"; then
	ok "the logger writes tests/logger/golden.jsonl byte for byte (normalized)"
else
	notok "the logger writes tests/logger/golden.jsonl byte for byte (normalized)"
	diff "$GOLDEN" "$T/golden.jsonl" >"$T/golden.diff"
	show "$T/golden.diff"
fi
finish
