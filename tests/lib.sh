# lib.sh - what every test suite shares. A suite is tests/NAME.sh, with its
# data in tests/NAME/; it sets SUITE (a word its check names start with,
# may be empty) and sources this file:
#
#	set -u
#	SUITE=report
#	. "$(dirname "$0")/lib.sh"
#
# and ends with `finish`. It then has:
#
#   ROOT, GOINSTR   the checkout and build/goinstr (GOINSTR may be preset)
#   T               a private temporary directory, removed at exit
#                   (KEEP_T=1 keeps it and prints its name)
#   GOV             the Go release the environment selects (go env
#                   GOVERSION in tests/e2e: GOTOOLCHAIN=go1.27.3 switches)
#   ok NAME, notok NAME    one TAP line, counted
#   skip REASON     "SKIP: REASON": a check that cannot run here, counted
#                   (never silently left out)
#   check NAME CMD...      ok if CMD succeeds, else notok
#   one_line RC FILE       goinstr's own failure: exit status 2 and exactly
#                          one line in FILE, starting "goinstr: "
#   same_bytes A B         the two files hold the same bytes
#   mode_is FILE MODE      FILE's permission bits are MODE (octal, e.g. 600)
#   status_is RC N         RC (an exit status saved from a run) is N
#   has FILE PATTERN...    every PATTERN (a grep basic regex) matches a line
#                          of FILE (false if FILE is missing)
#   lacks FILE PATTERN...  no PATTERN matches a line of FILE (also true if
#                          FILE is missing: ! grep -q)
#   has_line FILE LINE...  every LINE (a basic regex, grep -x) matches a
#                          whole line of FILE
#   first_has FILE PATTERN...  as has, on FILE's first line (a log header)
#   empty FILE             FILE is empty or absent (test ! -s)
#   absent PATH            nothing at PATH (test ! -e)
#   lines_are FILE N       FILE has exactly N lines
#   ok_quiet RC FILE       exit status 0 and FILE (its stderr) empty
#   ok_has RC FILE PATTERN...  exit status 0 and FILE has every PATTERN
#   status_has RC N FILE PATTERN...  exit status N and FILE has every PATTERN
#   one_said RC N FILE [PATTERN]  exit status N and FILE exactly one line
#                          (matching PATTERN; unlike one_line, any line)
#   same_run A B RCA RCB   files A and B hold the same bytes and the exit
#                          statuses RCA and RCB are equal (a plain and an
#                          instrumented run)
#   same_silent A B ERR RC N  A and B hold the same bytes, ERR is empty and
#                          RC is N (a run's stdout as plain, nothing on stderr)
#   gofmt_clean PATH...    gofmt would reformat no file of PATH...
#   tree_sum DIR...        a digest of the names, modes and contents below DIR
#   show FILE              FILE's lines as TAP comments (for failures)
#   finish                 print "N passed, N failed, N skipped" and exit
#                          1 if anything failed
#
# A one-off check of several conditions is a small function of its suite,
# named for what it checks, passed to check; never a `sh -c` string
# (tests/docs.sh fails on `check ... sh -c`, except on a line marked
# "# sh -c on purpose: WHY", where running through a shell is the point).
#
# tests/run.sh runs the suites and adds up their ok, not ok and SKIP lines.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GOINSTR=${GOINSTR:-$ROOT/build/goinstr}
T=$(mktemp -d)
if [ -n "${KEEP_T:-}" ]; then
	echo "# kept: $T"
else
	trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
fi
GOV=$(cd "$ROOT/tests/e2e" && go env GOVERSION 2>/dev/null)
pass=0 fail=0 skipped=0

ok() { pass=$((pass + 1)); echo "ok - [$GOV] ${SUITE:+$SUITE: }$1"; }
notok() { fail=$((fail + 1)); echo "not ok - [$GOV] ${SUITE:+$SUITE: }$1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: [$GOV] ${SUITE:+$SUITE: }$1"; }
check() { _n=$1; shift; if "$@"; then ok "$_n"; else notok "$_n"; fi; }
one_line() { [ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q '^goinstr: ' "$2"; }
same_bytes() { cmp -s "$1" "$2"; }
mode_is() { [ "$(stat -c %a "$1")" = "$2" ]; }
status_is() { [ "$1" -eq "$2" ]; }
has() {
	_f=$1
	shift
	for _p; do grep -q -e "$_p" "$_f" || return 1; done
}
has_line() {
	_f=$1
	shift
	for _p; do grep -q -x -e "$_p" "$_f" || return 1; done
}
lacks() {
	_f=$1
	shift
	for _p; do ! grep -q -e "$_p" "$_f" || return 1; done
}
first_has() {
	_f=$1
	shift
	for _p; do head -n 1 "$_f" | grep -q -e "$_p" || return 1; done
}
empty() { [ ! -s "$1" ]; }
absent() { [ ! -e "$1" ]; }
lines_are() { [ "$(wc -l <"$1")" -eq "$2" ]; }
ok_quiet() { [ "$1" -eq 0 ] && empty "$2"; }
ok_has() {
	[ "$1" -eq 0 ] || return 1
	shift
	has "$@"
}
status_has() {
	[ "$1" -eq "$2" ] || return 1
	shift 2
	has "$@"
}
one_said() { [ "$1" -eq "$2" ] && lines_are "$3" 1 && { [ $# -lt 4 ] || grep -q -e "$4" "$3"; }; }
same_silent() { cmp -s "$1" "$2" && empty "$3" && [ "$4" -eq "$5" ]; }
same_run() { cmp -s "$1" "$2" && [ "$3" -eq "$4" ]; }
gofmt_clean() { [ -z "$(gofmt -l "$@")" ]; }
tree_sum() { find "$@" -type f -printf '%p %m\n' -exec sha256sum {} + | sort | sha256sum; }
show() { sed 's/^/# /' "$1"; }
finish() {
	echo "$pass passed, $fail failed, $skipped skipped"
	[ "$fail" -eq 0 ]
	exit
}
