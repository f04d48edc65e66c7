#!/bin/sh
# run.sh - every test of goinstr (what `make test` runs, and CI through it):
#   1. C unit tests (strbuf, edit, op categories)
#   2. rewriter golden tests (tests/rewrite)
#   3. the real GOROOT: every file parses; instrumenting is deterministic
#   4. end-to-end programs (tests/e2e.sh) with the installed Go
#   5. 3 and 4 again with GOTOOLCHAIN=go1.27.3 (set GOINSTR_TEST_GO127=0
#      to skip, e.g. offline; CI never skips)
# Prints each suite's checks and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

pass=0 fail=0
run() { # run NAME CMD...: count TAP-ish "ok"/"not ok" lines of CMD
	echo "# $1"
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok' "$out")
	f=$(grep -c '^not ok' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $* exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f))
	rm -f "$out"
}

run "unit" build/tests/test_core
run "rewrite goldens" build/tests/test_rewrite tests/rewrite
run "GOROOT parse and determinism" build/tests/test_goroot
run "end to end" sh tests/e2e.sh
if [ "${GOINSTR_TEST_GO127:-1}" != 0 ]; then
	GOTOOLCHAIN=go1.27.3 run "GOROOT go1.27.3" build/tests/test_goroot
	GOTOOLCHAIN=go1.27.3 run "end to end go1.27.3" sh tests/e2e.sh
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
