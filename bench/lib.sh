# lib.sh - what the bench scripts share; each sources it first:
#
#	. "$(dirname "$0")/lib.sh"
#
# It moves to the repository root and sets ROOT and GOINSTR; keeps go
# commands away from a go.work above and unsets the logger's variables
# (each bench sets its own log); makes $tmp, a private temporary directory
# removed at exit; and defines
#
#   say MSG...     a line on stderr (progress)
#   die MSG...     "bench/NAME: MSG" on stderr, exit 1
#   now            nanoseconds since the epoch (GNU date)
#   run CMD...     run CMD with its output in $tmp/out; show it and die if
#                  CMD fails
#   median         the median of the numbers on stdin
cd "$(dirname "$0")/.."
ROOT=$(pwd)
GOINSTR=$ROOT/build/goinstr
GOWORK=off
export GOWORK
unset INSTRUMENTATION_LOG_PATH INSTRUMENTATION_LOG_MAX_BYTES

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/${0##*/}: $*"; exit 1; }
now() { date +%s%N; }
case $(now) in
*[!0-9]*) die "date +%s%N does not give nanoseconds here (GNU date needed)" ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/goinstr-bench.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

run() {
	if ! "$@" >"$tmp/out" 2>&1; then
		cat "$tmp/out" >&2
		die "failed: $*"
	fi
}

median() {
	sort -n | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
