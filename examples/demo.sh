#!/bin/sh
# demo.sh - what `make demo` shows: goinstr builds examples/demo, the
# program runs with INSTRUMENTATION_LOG_PATH set, and goinstr report
# summarizes what it did through reflect and unsafe. Each command is
# printed as it runs; the outputs stay in build/demo/ (the binary, its
# sites inventory demo.sites.jsonl, the log), for you to look at after.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=build/demo
mkdir -p "$OUT"
rm -f "$OUT/demo.log" # the logger appends: one run's log
say() { printf '\n$ %s\n' "$*"; }

say "cd examples/demo && ../../build/goinstr build -o ../../$OUT/demo ."
(cd examples/demo && ../../build/goinstr build -o "../../$OUT/demo" .)
say "INSTRUMENTATION_LOG_PATH=$OUT/demo.log $OUT/demo"
INSTRUMENTATION_LOG_PATH=$OUT/demo.log "$OUT/demo"
say "sed -n 2p $OUT/demo.log     # the first event (line 1 is the process's header)"
sed -n 2p "$OUT/demo.log"
say "build/goinstr report $OUT/demo.log"
build/goinstr report "$OUT/demo.log"
echo
echo "The binary, its sites inventory and the log are in $OUT/."
