#!/bin/sh
# demo.sh - what `make demo` shows: goinstr builds examples/demo, the
# program runs with INSTRUMENTATION_LOG_PATH set, and goinstr report
# summarizes what it did through reflect.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GOINSTR=$ROOT/build/goinstr
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

cd "$ROOT/examples/demo"
echo "\$ goinstr build -o demo ./examples/demo"
"$GOINSTR" build -o "$T/demo" .
echo "\$ INSTRUMENTATION_LOG_PATH=demo.log ./demo"
INSTRUMENTATION_LOG_PATH=$T/demo.log "$T/demo"
echo
echo "\$ ls -l demo.log"
ls -l "$T/demo.log" | awk '{print $1, $5, "bytes"}'
echo "\$ head -c 600 demo.log"
head -n 2 "$T/demo.log" | tail -n 1 | cut -c1-600
echo
echo "\$ goinstr report demo.log"
"$GOINSTR" report "$T/demo.log"
