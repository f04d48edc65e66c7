#!/bin/sh
# typed.sh - the unsafe layer works on the program, not on its text:
#   - conversions found by their types (operands of type unsafe.Pointer
#     from a local, a parameter, a field, an alias, uintptr), in a file
#     tree-sitter-go 0.25 could not parse, and never one inside
#     unsafe.Sizeof (tests/typed/conv, against its want comments);
#   - gc's evaluation order kept: statement shapes whose operands gc reads
#     after the statement's calls (tests/typed/order) and random programs
#     of them (tests/typed/ordergen), plain and instrumented, the same
#     output byte for byte, also with -cover and -race;
#   - nothing skipped in silence: blind spots (calls into C, functions not
#     in Go, linkname pulls into the runtime, nosplit sites) named in every
#     log header and the inventory, warned about on every build, unseen in
#     report --sites, a failure with --strict (tests/unsafe/prog);
#   - a log path that cannot log is said in one line by goinstr run and
#     goinstr test, never by the program.
# Uses the toolchain selected by the environment (tests/lib.sh);
# TYPED_SEEDS (default 4) random programs.
set -u
SUITE=typed
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
TD=$ROOT/tests/typed
(cd "$ROOT/tests/e2e" && go build -o "$T/bin/logcheck" ./logcheck) || { notok "build logcheck"; finish; }

# --- conversions found by their types ------------------------------------------
(cd "$TD" && go build -o "$T/bin/conv.plain" ./conv && "$GOINSTR" build -o "$T/bin/conv" ./conv) 2>"$T/conv.err"
"$T/bin/conv.plain" >"$T/conv.plain" 2>&1
INSTRUMENTATION_LOG_PATH=$T/conv.log "$T/bin/conv" >"$T/conv.instr" 2>&1
check "conv: same output as the plain build" cmp -s "$T/conv.plain" "$T/conv.instr"
check "conv: every conversion logged once (locals, parameters, fields, aliases, uintptr, a { ; file), none in unsafe.Sizeof" \
	"$T/bin/logcheck" -log "$T/conv.log" -src "$TD/conv"
zcat "$T/bin/conv.sites.jsonl" >"$T/conv.inv"
# conv_inventory: the Sizeof operand unwrapped as never evaluated; the
# module's 8 other sites wrapped
conv_inventory() {
	has "$T/conv.inv" '"expr":"(\*int64)(p)",.*"wrapped":false,"reason":"never evaluated' &&
		[ "$(grep '"module":"example.com/typed"' "$T/conv.inv" | grep -c '"wrapped":true')" -eq 8 ]
}
check "conv: the inventory lists the Sizeof operand as never evaluated, the rest wrapped" conv_inventory

# --- gc's evaluation order -----------------------------------------------------
# same_both NAME: the runs of order NAME wrote the same stdout and stderr
same_both() { same_bytes "$T/$1.plain" "$T/$1.instr" && same_bytes "$T/$1.perr" "$T/$1.ierr"; }
order() { # order NAME DIR FLAGS...: plain and instrumented runs, compared
	name=$1 dir=$2
	shift 2
	(cd "$dir" && go run "$@" . >"$T/$name.plain" 2>"$T/$name.perr"
		"$GOINSTR" run "$@" . >"$T/$name.instr" 2>"$T/$name.err")
	grep -v '^goinstr: ' "$T/$name.err" >"$T/$name.ierr"
	check "$name: the same output as the plain build, byte for byte ($(wc -l <"$T/$name.plain") lines)" \
		same_both "$name"
}
order "order" "$TD/order"
check "order: the length prefix lands where plain puts it" grep -qx 'len field: 24' "$T/order.plain"
order "order -cover" "$TD/order" -cover
if go env CGO_ENABLED | grep -q 1 && command -v gcc >/dev/null 2>&1; then
	order "order -race (checkptr on)" "$TD/order" -race
else
	skip "order -race: needs cgo"
fi
mkdir -p "$T/og" && printf 'module og\n\ngo 1.26\n' >"$T/og/go.mod"
seed=1
while [ $seed -le "${TYPED_SEEDS:-4}" ]; do
	(cd "$TD" && go run ./ordergen -seed $seed -n 80 >"$T/og/main.go")
	order "random statements, seed $seed" "$T/og"
	seed=$((seed + 1))
done

# --- nothing skipped in silence --------------------------------------------------
UP=$ROOT/tests/unsafe/prog
(cd "$UP" && "$GOINSTR" build -o "$T/bin/uprog" .) 2>"$T/b1.err"
(cd "$UP" && "$GOINSTR" build -o "$T/bin/uprog" .) 2>"$T/b2.err"
for e in b1 b2; do
	check "every build warns about each package with blind spots ($e)" has "$T/$e.err" \
		'^goinstr: warning: example.com/uprog/internal/asm: 1 function not in Go (first at .*/add_decl_amd64.go:4): not instrumented$' \
		'^goinstr: warning: example.com/uprog/internal/cg: 1 call into C (first at .*/cg.go:16): not instrumented$' \
		'^goinstr: warning: golang.org/x/sys/unix: [0-9]* functions not in Go; [0-9]* linkname pulls into the runtime or reflect' \
		'^goinstr: warning: example.com/uprog: 2 unsafe operations not wrapped (inside a //go:nosplit function'
done
INSTRUMENTATION_LOG_PATH=$T/up.log "$T/bin/uprog" >/dev/null 2>&1
check "the log header names every package with blind spots" first_has "$T/up.log" \
	'"blind":\[.*"pkg":"example.com/uprog/internal/asm","why":"1 function not in Go"' \
	'"pkg":"example.com/uprog/internal/cg","why":"1 call into C"' \
	'"pkg":"golang.org/x/sys/unix","why":"[0-9]* functions not in Go; [0-9]* linkname pulls'
"$GOINSTR" report "$T/up.log" --sites "$T/bin/uprog.sites.jsonl" >"$T/up.report" 2>&1
# blind_unseen: the module's row counts unseen sites and is not at 100%
blind_unseen() {
	grep -E '^example.com/uprog +[0-9]+ +[0-9]+ +[1-9][0-9]* +[0-9.]+%' "$T/up.report" >/dev/null &&
		! grep -E '^example.com/uprog .* 100.0%' "$T/up.report" >/dev/null
}
check "report --sites counts the blind spots as unseen: no module reads 100% with one" blind_unseen
(cd "$UP" && "$GOINSTR" build --strict -o "$T/bin/strict" .) >"$T/strict.out" 2>"$T/strict.err"; rc=$?
strict_refused() { one_said "$1" 2 "$T/strict.err" '--strict: 4 packages would run unseen' && absent "$T/bin/strict"; }
check "--strict: blind spots fail the build before it runs: exit 2, one line" strict_refused $rc
(cd "$TD" && "$GOINSTR" build --strict -o "$T/bin/conv.strict" ./conv) 2>"$T/strict2.err"; rc=$?
strict_builds() { ok_quiet "$1" "$T/strict2.err" && [ -x "$T/bin/conv.strict" ]; }
check "--strict: a build with no blind spot builds" strict_builds $rc

# --- a log path that cannot log ------------------------------------------------
(cd "$TD" && INSTRUMENTATION_LOG_PATH=$T/nodir/x.log "$GOINSTR" run ./conv >"$T/lp.out" 2>"$T/lp.err"); rc=$?
# run_warns RC: goinstr run exited 0 with the plain output and one warning line
run_warns() {
	same_run "$T/conv.plain" "$T/lp.out" "$1" 0 && one_said 0 0 "$T/lp.err" \
		"^goinstr: warning: INSTRUMENTATION_LOG_PATH=$T/nodir/x.log: the program will log nothing: its directory does not exist"
}
check "goinstr run: one line when the log path would log nothing, the program's output as plain" run_warns $rc
(cd "$TD" && INSTRUMENTATION_LOG_PATH=$T/nodir/x.log "$GOINSTR" test ./conv >"$T/lpt.out" 2>"$T/lpt.err"); rc=$?
check "goinstr test: the same line" one_said $rc 0 "$T/lpt.err" 'the program will log nothing: its directory does not exist'
INSTRUMENTATION_LOG_PATH=$T/nodir/x.log "$T/bin/conv" >/dev/null 2>"$T/lpp.err"; rc=$?
check "the program itself stays silent" ok_quiet $rc "$T/lpp.err"
finish
