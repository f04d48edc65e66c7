#!/bin/sh
# helper.sh - goinstr-types (helper/) tested as Go: vet-clean and gofmt'd,
# its rewrite goldens (helper/testdata/X.go.golden: each fixture
# rewritten, with its sites; the rewrite keeps every line and
# type-checks), what counts as an unsafe operation (TestSiteKinds), and
# the plans the C rewrite goldens apply (tests/rewrite/unsafe) as it
# makes them today.
# Without --quick also the standard library planned as if it were user
# code (TestGOROOT: every package's rewrite keeps its lines and parses).
# Uses the toolchain selected by the environment (tests/lib.sh).
set -u
SUITE=helper
. "$(dirname "$0")/lib.sh"
cd "$ROOT/helper" || exit 1
check "gofmt: no file to reformat" gofmt_clean *.go
check "go vet" go vet .
go test -count=1 . >"$T/test.out" 2>&1; rc=$?
check "goldens and site kinds (go test)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || show "$T/test.out"
# The C side's unsafe goldens (tests/rewrite/unsafe) apply plans made of
# these fixtures: they are what goinstr-types makes of them today.
for plan in "$ROOT"/tests/rewrite/unsafe/*.plan.jsonl; do
	x=$(basename "$plan" .plan.jsonl)
	(cd "$ROOT/helper/testdata" && "$ROOT/build/goinstr-types" -importcfg= -- "r=$x.go") >"$T/$x.plan" 2>&1
	check "tests/rewrite/unsafe/$x.plan.jsonl is goinstr-types' plan of helper/testdata/$x.go" \
		cmp -s "$T/$x.plan" "$plan"
done
if [ "${1:-}" != --quick ]; then
	GOINSTR_TEST_GOROOT=1 go test -count=1 -timeout=20m -run TestGOROOT -v . >"$T/goroot.out" 2>&1; rc=$?
	check "the standard library planned as user code: $(sed -n 's/.*sites_test.go:[0-9]*: //p' "$T/goroot.out")" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || show "$T/goroot.out"
fi
finish
