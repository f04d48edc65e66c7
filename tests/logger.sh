#!/bin/sh
# logger.sh - the injected Go code tested as Go. The logger's files that
# use nothing of package reflect (inject/reflect/goinstr_*.go whose header
# says "Pure:") are copied, unchanged but for their package clause, into a
# test package with tests/logger/*.go (the runtime primitives they call,
# and their tests), and go vet and go test run there. Every inject/ file is
# gofmt-clean. Quick (seconds): part of make check.
set -u
SUITE=logger
. "$(dirname "$0")/lib.sh"

P=$T/goinstrtest
mkdir -p "$P"
printf 'module goinstrtest\n\ngo 1.26\n' >"$P/go.mod"
pure=$(grep -l '^// Pure:' "$ROOT"/inject/reflect/goinstr_*.go)
check "pure logger files found ($(echo $pure | wc -w))" [ "$(echo $pure | wc -w)" -ge 5 ]
# only_clause FILE COPY: COPY differs from FILE in its package clause alone
only_clause() { diff "$1" "$2" | grep '^[<>]' | tr '\n' ' ' | grep -qx '< package reflect > package goinstrtest '; }
for f in $pure; do
	# Only the package clause changes: the test compiles the real file.
	sed '0,/^package reflect$/s//package goinstrtest/' "$f" >"$P/$(basename "$f")"
	check "$(basename "$f"): only its package clause rewritten" only_clause "$f" "$P/$(basename "$f")"
done
cp "$ROOT"/tests/logger/*.go "$P/"
check "inject/ is gofmt-clean" gofmt_clean "$ROOT/inject" "$ROOT/tests/logger"
(cd "$P" && GOFLAGS=-mod=mod go vet . >"$T/vet.out" 2>&1)
check "go vet on the pure files and their tests" empty "$T/vet.out" || show "$T/vet.out"
(cd "$P" && GOFLAGS=-mod=mod go test -count=1 . >"$T/test.out" 2>&1); rc=$?
check "go test on the pure files" [ $rc -eq 0 ]
[ $rc -eq 0 ] || show "$T/test.out"
# On a 32-bit port too (uintptr and int are 4 bytes there), if this
# machine can run it.
if GOARCH=386 go env GOARCH >/dev/null 2>&1 && (cd "$P" && GOARCH=386 go test -count=1 . >"$T/test386.out" 2>&1); then
	ok "go test on the pure files, GOARCH=386"
else
	notok "go test on the pure files, GOARCH=386"
	show "$T/test386.out"
fi
finish
