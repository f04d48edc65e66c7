#!/bin/sh
# selftest.sh - tests of `goinstr selftest`, and the selftest itself:
#   1. its own errors: one line, exit 2;
#   2. a broken instrumentation is caught: inject/ copied, the logger made
#      to panic (recovered inside the logger, so the program runs on but
#      logs nothing), `goinstr selftest --inject-dir=... flag` must exit 1
#      and name flag;
#   3. `goinstr selftest --quick`: every package identical, with events,
#      in a private 0700 directory with 0600 logs, removed afterwards;
#   4. `goinstr selftest --toolchain DIR --quick` through a drop-in
#      toolchain made with --ops=all (goinstr toolchain): every package
#      identical, with events, go/build's dependency rules included (its
#      tests read the instrumented sources in DIR/src).
# Uses the toolchain selected by the environment (run.sh runs it again
# with GOTOOLCHAIN=go1.27.3). SELFTEST_QUICK=0 skips steps 3 and 4,
# SELFTEST_TOOLCHAIN=0 step 4.
# Prints "ok - ..." / "not ok - ..." per check and "N passed, N failed".
set -u
SUITE=selftest
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"   # selftest's work directory lands here: checked
mkdir -p "$TMPDIR"
# row_ok RESULT TESTS EVENTS: identical, tests compared, events logged
row_ok() { [ "$1" = identical ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ]; }
# quick_rows WHAT TABLE: one check per package of --quick: its row says
# identical, with tests compared and events logged.
# Table rows: PACKAGE TESTS PLAIN(2 words) INSTRUMENTED(2) EVENTS SITES RESULT
# The packages of --quick are the selftest's own list (goinstr selftest --list).
quick_rows() {
	for pkg in $("$GOINSTR" selftest --quick --list); do
		row=$(awk -v p="$pkg" '$1 == p' "$2")
		tests=$(echo "$row" | awk '{print $2}')
		events=$(echo "$row" | awk '{print $7}')
		result=$(echo "$row" | awk '{print $9}')
		check "$1: $pkg identical, ${tests:-no} tests, ${events:-no} events" \
			row_ok "$result" "${tests:-0}" "${events:-0}"
	done
}

# --- 1. goinstr's own errors -------------------------------------------------
"$GOINSTR" selftest --bogus >/dev/null 2>"$T/e1"; rc=$?
check "selftest --bogus: exit 2, one line" one_line $rc "$T/e1"
"$GOINSTR" selftest --ops=nosuch flag >/dev/null 2>"$T/e2"; rc=$?
check "selftest --ops=nosuch: exit 2, one line" one_line $rc "$T/e2"
"$GOINSTR" selftest nosuch/pkg >/dev/null 2>"$T/e3"; rc=$?
check "selftest nosuch/pkg: exit 2, one line" one_line $rc "$T/e3"
"$GOINSTR" selftest --inject-dir="$T/none" flag >/dev/null 2>"$T/e4"; rc=$?
check "selftest --inject-dir=missing: exit 2, one line" one_line $rc "$T/e4"
"$GOINSTR" selftest --toolchain="$T/none" flag >/dev/null 2>"$T/e5"; rc=$?
check "selftest --toolchain=not-a-toolchain: exit 2, one line" one_line $rc "$T/e5"
help_usage() { "$GOINSTR" help selftest | grep -q '^usage: goinstr selftest'; }
check "goinstr help selftest" help_usage
# lists: --quick lists 18 packages, the full list starts with reflect
lists() { [ "$("$GOINSTR" selftest --quick --list | wc -l)" -eq 18 ] && [ "$("$GOINSTR" selftest --list | head -n 1)" = reflect ]; }
check "selftest --quick --list: 18 packages, reflect first" lists

# --- 2. a broken logger is caught and the package named ----------------------
cp -R "$ROOT/inject" "$T/inject"
sed -i 's/^func goinstrOpen() bool {$/&\n\tpanic("broken")/' "$T/inject/reflect/goinstr_file.go"
check "the logger was broken on purpose" grep -q 'panic("broken")' "$T/inject/reflect/goinstr_file.go"
"$GOINSTR" selftest --inject-dir="$T/inject" flag >"$T/broken.out" 2>"$T/broken.err"; rc=$?
check "broken logger: selftest exits 1" [ $rc -eq 1 ]
check "broken logger: the table marks flag DIFFERENT" grep -q '^flag .* DIFFERENT' "$T/broken.out"
check "broken logger: the differences name flag" grep -q '^  flag: no event logged' "$T/broken.out"
check "broken logger: progress names flag" grep -q '\] flag \.\.\. DIFFERENT' "$T/broken.err"
[ $rc -eq 1 ] || { show "$T/broken.out"; show "$T/broken.err"; }
check "work directory removed" [ -z "$(ls -A "$TMPDIR")" ]

# --- 3. selftest --quick -------------------------------------------------------
# kept_logs DIR: the kept work directory's logs are all 0600, one per
# package of --quick
kept_logs() {
	[ -z "$(find "$1" -name '*.log' ! -perm 600)" ] &&
		[ "$(ls "$1"/logs/*.log | wc -l)" -eq "$("$GOINSTR" selftest --quick --list | wc -l)" ]
}
if [ "${SELFTEST_QUICK:-1}" != 0 ]; then
	start=$(date +%s)
	"$GOINSTR" selftest --quick --keep >"$T/quick.out" 2>"$T/quick.err"; rc=$?
	secs=$(($(date +%s) - start))
	cat "$T/quick.out" | sed 's/^/# /'
	check "selftest --quick exits 0 (${secs}s)" [ $rc -eq 0 ]
	quick_rows "selftest --quick" "$T/quick.out"
	kept=$(sed -n 's/^selftest: work directory kept: //p' "$T/quick.err")
	check "selftest works in a private 0700 directory" [ "$(stat -c %a "$kept")" = 700 ]
	check "its logs are 0600, one per package" kept_logs "$kept"
	rm -rf "$kept"
	check "work directory removed" [ -z "$(ls -A "$TMPDIR")" ]
	[ $rc -eq 0 ] || show "$T/quick.err"
fi

# --- 4. selftest --toolchain DIR --quick ----------------------------------------
if [ "${SELFTEST_QUICK:-1}" != 0 ] && [ "${SELFTEST_TOOLCHAIN:-1}" != 0 ]; then
	"$GOINSTR" toolchain --ops=all "$T/tc" >/dev/null; rc=$?
	check "goinstr toolchain --ops=all DIR" [ $rc -eq 0 ]
	"$GOINSTR" selftest --toolchain="$T/tc" --ops=all flag >/dev/null 2>"$T/e6"; rc=$?
	check "selftest --toolchain with --ops: exit 2, one line" one_line $rc "$T/e6"
	PATH=$T/tc/bin:$PATH "$GOINSTR" selftest --toolchain="$T/tc" flag >/dev/null 2>"$T/e7"; rc=$?
	check "selftest --toolchain with the toolchain first in PATH: exit 2, one line" one_line $rc "$T/e7"
	start=$(date +%s)
	"$GOINSTR" selftest --toolchain="$T/tc" --quick >"$T/tq.out" 2>"$T/tq.err"; rc=$?
	secs=$(($(date +%s) - start))
	sed 's/^/# /' "$T/tq.out"
	check "selftest --toolchain DIR --quick exits 0 (${secs}s)" [ $rc -eq 0 ]
	check "its instrumented runs are the toolchain's, with its ops" \
		grep -q "^selftest: 18 packages, plain and instrumented (toolchain $T/tc, --ops=call,unsafe,mutate,construct,lookup,read)" "$T/tq.err"
	quick_rows "selftest --toolchain" "$T/tq.out"
	[ $rc -eq 0 ] || show "$T/tq.err"
fi

finish
