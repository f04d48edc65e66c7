#!/bin/sh
# run.sh - every test of goinstr (what `make test` runs, and CI through it):
#   1. C unit tests (strbuf, edit, op categories, the log line scanner)
#   2. rewriter golden tests (tests/rewrite)
#   3. the real GOROOT: every file parses; instrumenting is deterministic
#   4. end-to-end programs (tests/e2e.sh) with the installed Go, and
#      goinstr report on their logs, every format (tests/report.sh)
#   5. 3 and 4 again with GOTOOLCHAIN=go1.27.3 (set GOINSTR_TEST_GO127=0
#      to skip, e.g. offline; CI never skips)
#   6. determinism (tests/determinism.sh), ground truth (tests/groundtruth),
#      goinstr selftest --quick (tests/selftest.sh), each with both Go
#      releases, and the compatibility corpus's quick subset (tests/compat)
#   7. the drop-in toolchain (tests/toolchain.sh) with both Go releases;
#      selftest --toolchain --quick (in tests/selftest.sh) with Go 1.26
#      only, to keep the suite under an hour
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
run "report unit" build/tests/test_report
run "rewrite goldens" build/tests/test_rewrite tests/rewrite
run "GOROOT parse and determinism" build/tests/test_goroot
run "end to end" sh tests/e2e.sh
run "report" sh tests/report.sh
# Determinism, ground truth, goinstr selftest --quick, compat corpus subset.
run "determinism" sh tests/determinism.sh
run "ground truth" sh tests/groundtruth/run.sh
run "selftest" sh tests/selftest.sh
run "compatibility corpus (quick)" sh tests/compat/run.sh --quick
run "drop-in toolchain" sh tests/toolchain.sh
if [ "${GOINSTR_TEST_GO127:-1}" != 0 ]; then
	GOTOOLCHAIN=go1.27.3 run "GOROOT go1.27.3" build/tests/test_goroot
	GOTOOLCHAIN=go1.27.3 run "end to end go1.27.3" sh tests/e2e.sh
	GOTOOLCHAIN=go1.27.3 run "determinism go1.27.3" sh tests/determinism.sh
	GOTOOLCHAIN=go1.27.3 run "ground truth go1.27.3" sh tests/groundtruth/run.sh
	GOTOOLCHAIN=go1.27.3 SELFTEST_TOOLCHAIN=0 run "selftest go1.27.3" sh tests/selftest.sh
	GOTOOLCHAIN=go1.27.3 run "drop-in toolchain go1.27.3" sh tests/toolchain.sh
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
