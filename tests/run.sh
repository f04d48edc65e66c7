#!/bin/sh
# run.sh [--check] - goinstr's test suites. `make test` (and CI, through
# .ci/run) runs them all; `make check` runs the quick tier (--check), which
# answers in a few minutes with warm caches:
#
#   check tier  C unit tests (strbuf, edit, op categories, the log line
#               scanner, the log format's golden fixture read by it),
#               rewriter goldens (tests/rewrite), goinstr report
#               on the JSONL fixtures of tests/report/, the injected
#               logger's pure files tested as Go (tests/logger.sh),
#               goinstr-types' goldens (tests/helper.sh --quick), and one
#               end-to-end build and run (tests/e2e.sh --quick), every
#               command's help (tests/cli.sh --quick), and the docs'
#               checks (tests/docs.sh: the architecture map names every
#               file of src/, no check asserts through a sh -c string)
#   full        the check tier's C tests, then every suite with the Go in
#               PATH: the real GOROOT (parse, determinism), the unsafe
#               rewrite's linearity (scale.sh, valgrind), logger.sh, e2e.sh,
#               cli.sh,
#               unsafe.sh, typed.sh, corpus.sh, isolate.sh, cache.sh (Go
#               1.26 round only: the cache's checks do not depend on the
#               release), report.sh, determinism.sh,
#               groundtruth.sh, selftest.sh, compat.sh --quick,
#               goroot.sh (what programs see of the Go installation,
#               also with downloaded toolchains), toolchain.sh, ports.sh
#               (every Linux port under qemu-user),
#               manifest.sh (release manifests; Go 1.26 round only: it
#               picks its own releases), fuzz.sh (once: the libFuzzer
#               targets, no Go), dist.sh (the release archives in a bare
#               root); then the same with GOTOOLCHAIN=go1.27.3,
#               ports.sh with one port per family (GOINSTR_TEST_GO127=0
#               skips that, e.g. offline; CI never does)
#
# Each suite prints "ok", "not ok" and "SKIP:" lines (tests/lib.sh) and is
# timed; the last line is "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.." || exit 1

tier=full
[ "${1:-}" = --check ] && tier=check
pass=0 fail=0 skipped=0 start_all=$(date +%s)
run() { # run NAME CMD...: count CMD's ok / not ok / SKIP lines, time it
	name=$1
	echo "# $name"
	shift
	out=$(mktemp)
	start=$(date +%s)
	"$@" >"$out" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	cat "$out"
	p=$(grep -c '^ok' "$out")
	f=$(grep -c '^not ok' "$out")
	s=$(grep -c '^SKIP:' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $* exited with status $rc"
		f=1
	fi
	echo "# time: ${secs}s: $name ($p passed, $f failed, $s skipped)"
	pass=$((pass + p)) fail=$((fail + f)) skipped=$((skipped + s))
	rm -f "$out"
}

run "unit" build/tests/test_core
run "report unit" build/tests/test_report
run "log format's golden fixture, read (unit)" build/tests/test_logformat
run "module from a path (unit)" build/tests/test_modpath
run "release manifests' pack, round trip (unit)" build/tests/test_manifest
run "policy (unit)" build/tests/test_policy
run "rewrite goldens" build/tests/test_rewrite tests/rewrite
if [ $tier = check ]; then
	run "report fixtures" sh tests/report.sh --quick
	run "logger (Go tests)" sh tests/logger.sh
	run "goinstr-types (Go tests)" sh tests/helper.sh --quick
	run "end to end (quick)" sh tests/e2e.sh --quick
	run "command line (quick: every command's help)" sh tests/cli.sh --quick
	run "docs (the map names every file; help, links, no sh -c checks)" sh tests/docs.sh
else
	run "GOROOT parse and determinism" build/tests/test_goroot
	run "scale (valgrind)" sh tests/scale.sh
	run "logger (Go tests)" sh tests/logger.sh
	run "goinstr-types (Go tests)" sh tests/helper.sh
	run "end to end" sh tests/e2e.sh
	run "command line" sh tests/cli.sh
	run "docs (the map names every file; help, links, no sh -c checks)" sh tests/docs.sh
	run "unsafe" sh tests/unsafe.sh
	run "unsafe by types, in gc's order" sh tests/typed.sh
	run "unsafe ground truth on real modules" sh tests/corpus.sh
	run "isolate" sh tests/isolate.sh
	run "cache" sh tests/cache.sh
	run "report" sh tests/report.sh
	run "gates" sh tests/gate.sh
	run "determinism" sh tests/determinism.sh
	run "ground truth" sh tests/groundtruth.sh
	run "selftest" sh tests/selftest.sh
	run "compatibility corpus (quick)" sh tests/compat.sh --quick
	run "GOROOT as programs see it" sh tests/goroot.sh
	run "drop-in toolchain" sh tests/toolchain.sh
	run "Linux ports (qemu-user)" sh tests/ports.sh
	run "release manifests" sh tests/manifest.sh
	run "fuzzing" sh tests/fuzz.sh
	run "release archives (make dist, bare root)" sh tests/dist.sh
	if [ "${GOINSTR_TEST_GO127:-1}" != 0 ]; then
		GOTOOLCHAIN=go1.27.3 run "GOROOT go1.27.3" build/tests/test_goroot
		GOTOOLCHAIN=go1.27.3 run "logger (Go tests) go1.27.3" sh tests/logger.sh
		GOTOOLCHAIN=go1.27.3 run "goinstr-types (Go tests) go1.27.3" sh tests/helper.sh --quick
		GOTOOLCHAIN=go1.27.3 run "end to end go1.27.3" sh tests/e2e.sh
		GOTOOLCHAIN=go1.27.3 run "unsafe go1.27.3" sh tests/unsafe.sh
		GOTOOLCHAIN=go1.27.3 run "unsafe by types go1.27.3" sh tests/typed.sh
		GOTOOLCHAIN=go1.27.3 run "unsafe ground truth go1.27.3 (quick)" sh tests/corpus.sh --quick
		GOTOOLCHAIN=go1.27.3 run "isolate go1.27.3" sh tests/isolate.sh
		GOTOOLCHAIN=go1.27.3 run "determinism go1.27.3" sh tests/determinism.sh
		GOTOOLCHAIN=go1.27.3 run "ground truth go1.27.3" sh tests/groundtruth.sh
		GOTOOLCHAIN=go1.27.3 SELFTEST_TOOLCHAIN=0 run "selftest go1.27.3" sh tests/selftest.sh
		GOTOOLCHAIN=go1.27.3 run "GOROOT as programs see it go1.27.3" sh tests/goroot.sh
		GOTOOLCHAIN=go1.27.3 run "drop-in toolchain go1.27.3" sh tests/toolchain.sh
		# One port of each family of layouts and flags (tests/ports.sh).
		GOTOOLCHAIN=go1.27.3 PORTS="386 arm s390x loong64 mips64le" \
			run "Linux ports (qemu-user) go1.27.3" sh tests/ports.sh
	fi
fi
echo "# $tier tier: $(($(date +%s) - start_all))s"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
