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
#   tree_sum DIR...        a digest of the names, modes and contents below DIR
#   show FILE              FILE's lines as TAP comments (for failures)
#   finish                 print "N passed, N failed, N skipped" and exit
#                          1 if anything failed
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
tree_sum() { find "$@" -type f -printf '%p %m\n' -exec sha256sum {} + | sort | sha256sum; }
show() { sed 's/^/# /' "$1"; }
finish() {
	echo "$pass passed, $fail failed, $skipped skipped"
	[ "$fail" -eq 0 ]
	exit
}
