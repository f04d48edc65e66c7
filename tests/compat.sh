#!/bin/sh
# compat.sh [--quick] - the compatibility corpus: real third-party modules,
# reflect- and unsafe-heavy, pinned in go.mod here, whose own test suites
# run plain and instrumented (`goinstr selftest --ops=all`, package by
# package: `go test -json -count=1 PKG`, then `goinstr test` with logging
# on) and must pass and fail the same tests. Prints "ok - ..." / "not ok -
# ..." per module and a Markdown table (docs/compat.md keeps the last
# full one). --quick runs the modules marked quick (CI's subset, from
# tests/run.sh); `make compat` runs them all.
#
# go.mod and go.sum were made with `go get -t MOD/...@VERSION` for each
# module, which records what their tests import too; `go mod tidy` would
# drop it all (nothing here imports them), so do not run it.
set -u
SUITE=compat
. "$(dirname "$0")/lib.sh"
quick=0
[ "${1:-}" = --quick ] && quick=1
cd "$ROOT/tests/compat" || exit 1

# module, version, quick or -, packages left out (an ERE on import paths,
# or -), tests skipped (a go test -skip pattern, or -). Why each is left
# out: docs/compat.md.
MODULES='
gopkg.in/yaml.v3                    v3.0.1   quick -        -
github.com/davecgh/go-spew          v1.1.1   quick -        -
github.com/BurntSushi/toml          v1.6.0   quick -        -
github.com/google/go-cmp            v0.7.0   -     -        -
github.com/stretchr/testify         v1.12.1  -     -        -
github.com/vmihailenco/msgpack/v5   v5.4.1   -     -        -
github.com/json-iterator/go         v1.1.12  -     -        -
github.com/bytedance/sonic          v1.15.5  -     -        -
github.com/goccy/go-json            v0.12.0  -     -        -
google.golang.org/protobuf          v1.36.12 -     -        -
github.com/spf13/cobra              v1.10.2  -     -        -
github.com/go-viper/mapstructure/v2 v2.5.0   -     -        -
github.com/fxamacker/cbor/v2        v2.10.0  -     -        -
golang.org/x/sys                    v0.50.0  -     /(unix/internal/mkmerge|windows/mkwinsyscall)$ -
'

echo "$MODULES" | while read -r mod ver q exclude skip; do
	[ -n "$mod" ] || continue
	[ $quick -eq 1 ] && [ "$q" != quick ] && continue
	echo "$mod $ver $exclude $skip"
done >"$T/list"

table=$T/table.md
echo "| module | version | packages | tests compared | events logged | distinct sites | result |" >"$table"
echo "|---|---|---:|---:|---:|---:|---|" >>"$table"
start_all=$(date +%s)
while read -r mod ver exclude skip; do
	got=$(go list -m -f '{{.Version}}' "$mod" 2>/dev/null)
	if [ "$got" != "$ver" ]; then
		notok "$mod: pinned at $ver in go.mod (found '${got:-nothing}')"
		continue
	fi
	go list "$mod/..." >"$T/pkgs" 2>"$T/pkgs.err" ||
		{ notok "$mod@$ver: go list"; sed 's/^/# /' "$T/pkgs.err"; continue; }
	if [ "$exclude" != - ]; then
		grep -v -E "^$mod$exclude" "$T/pkgs" >"$T/pkgs2"
		mv "$T/pkgs2" "$T/pkgs"
	fi
	set -- selftest
	[ "$skip" != - ] && set -- "$@" "--skip=$skip"
	start=$(date +%s)
	# shellcheck disable=SC2046 # one package per word
	"$GOINSTR" "$@" $(cat "$T/pkgs") >"$T/out" 2>"$T/err"
	rc=$?
	secs=$(($(date +%s) - start))
	# "N packages: X identical, Y different; T tests compared, E events
	# logged, S distinct sites"
	sum=$(grep -E '^[0-9]+ packages: ' "$T/out")
	npk=$(echo "$sum" | sed -n 's/^\([0-9]*\) packages:.*/\1/p')
	tests=$(echo "$sum" | sed -n 's/.*; \([0-9]*\) tests compared.*/\1/p')
	events=$(echo "$sum" | sed -n 's/.*, \([0-9]*\) events logged.*/\1/p')
	sites=$(echo "$sum" | sed -n 's/.*, \([0-9]*\) distinct sites.*/\1/p')
	if [ $rc -eq 0 ]; then
		ok "$mod@$ver: same pass/fail in $npk packages (${tests} tests, ${events} events, ${sites} sites, ${secs}s)"
		result=identical
	else
		notok "$mod@$ver: selftest exited $rc (${secs}s)"
		sed 's/^/# /' "$T/out" "$T/err"
		result="DIFFERENT (exit $rc)"
	fi
	echo "| $mod | $ver | ${npk:-?} | ${tests:-?} | ${events:-?} | ${sites:-?} | $result |" >>"$table"
done <"$T/list"

echo
cat "$table"
echo
echo "$GOV, $(date -u +%Y-%m-%d), $(($(date +%s) - start_all))s"
finish
