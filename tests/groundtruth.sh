#!/bin/sh
# groundtruth.sh - the ground truth: a generated program (groundtruth/gen/) performs a known
# set of distinct reflect and unsafe operations at known sites, some once, some 1,000
# times, some from 16 goroutines at once. Built with `goinstr build
# --ops=all` and run twice on one log, its log must hold every announced
# event exactly once per process (recall 100%: tests/e2e/logcheck against
# the program's `// want:` comments) and nothing else (no spurious event:
# the log's event count is exactly the number of wants per process times
# the processes).
# Uses the toolchain selected by the environment (tests/lib.sh).
set -u
SUITE="ground truth"
. "$(dirname "$0")/lib.sh"
GT=$ROOT/tests/groundtruth

mkdir -p "$T/prog"
(cd "$ROOT/tests/e2e" && go build -o "$T/logcheck" ./logcheck) ||
	{ notok "build tests/e2e/logcheck"; finish; }
wants=$(cd "$GT" && go run ./gen -o "$T/prog/main.go" 2>"$T/gen.err")
check "generate the program ($(cat "$T/gen.err"))" [ -n "$wants" ]
printf 'module groundtruth\n\ngo 1.26\n' >"$T/prog/go.mod"
cd "$T/prog" || exit 1
check "the generated program vets clean" go vet .
check "goinstr build --ops=all" "$GOINSTR" build --ops=all -o "$T/prog/prog" .
for i in 1 2; do
	INSTRUMENTATION_LOG_PATH=$T/gt.log "$T/prog/prog"
done
check "every wanted event, once per process, none unwanted at the program's sites (logcheck)" \
	"$T/logcheck" -log "$T/gt.log" -src "$T/prog" -procs 2
# Each unsafe event names its site as the inventory does (the runtime
# decodes the package's site table: every field, across its blocks).
check "each unsafe event's site (id, file, line, col, expr) is its inventory line's" python3 -c '
import gzip, json, sys
raw = open(sys.argv[2], "rb").read()
inv = {}
for l in (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).splitlines():
    j = json.loads(l)
    inv[j["id"]] = {k: j[k] for k in ("id", "file", "line", "col", "expr")}
n = 0
for l in open(sys.argv[1]):
    j = json.loads(l)
    if j.get("op", "").startswith("unsafe."):
        n += 1
        s = j["site"]
        if inv.get(s["id"]) != s:
            sys.exit("event site %r, inventory %r" % (s, inv.get(s["id"])))
sys.exit(0 if n >= 60 else "only %d unsafe events" % n)
' "$T/gt.log" "$T/prog/prog.sites.jsonl"
events=$(grep -vc '"msg":"goinstr.start"' "$T/gt.log")
check "no spurious event anywhere: $events events = 2 processes x $wants wants" \
	[ "$events" -eq $((2 * wants)) ]
# The same program plain: no log, same (empty) output.
go build -o "$T/prog/plain" .
"$T/prog/plain" >"$T/plain.out" 2>&1; prc=$?
INSTRUMENTATION_LOG_PATH=$T/gt2.log "$T/prog/prog" >"$T/instr.out" 2>&1; irc=$?
check "same output and exit code as the plain build" \
	same_run "$T/plain.out" "$T/instr.out" $prc $irc

finish
