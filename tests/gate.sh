#!/bin/sh
# gate.sh - the gates a pull request runs (docs/policy.md, docs/ci.md):
# `goinstr sites --baseline` (static) on tests/gate/app, a module whose
# tests never run rare(): a new unsafe site there fails the static gate
# though `goinstr test` and the dynamic gate (`report --baseline` on the
# tests' logs) see nothing new; moved lines do not; removed sites are
# named; -test counts the tests' files. The policy file: allow (passes,
# with the rule named), expired and matching-nothing rules (fail, one
# line naming the rule), deny (fails, new or not), unknown key (bad
# input, exit 2). //goinstr:allow REASON on the site's line, and without
# a reason. `report --baseline` given an inventory: one line, exit 2. The
# dynamic gate with the same policy: allowed, denied, expired, and JSON's
# "denied". The run-time diff (tests/gate/bump): a dependency bump whose
# existing call site reaches a new method, and a site gone; in JSON; a
# policy rule with a target pattern.
set -u
SUITE=gate
. "$(dirname "$0")/lib.sh"
A=$T/app
cp -r "$ROOT/tests/gate/app" "$A"
cd "$A" || exit 1
# rc CMD...: stdout to $T/out, stderr to $T/err, exit code to $T/rc
rc() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
is_rc() { [ "$(cat "$T/rc")" -eq "$1" ]; }
last() { [ "$(tail -n 1 "$T/out")" = "$1" ]; }
gate() { rc "$GOINSTR" sites --baseline "$T/base.jsonl" "$@" .; }
show_fail() { show "$T/out"; show "$T/err"; }
# The last command's status is N and: rc_last N LINE its last line of
# stdout is LINE; rc_out / rc_err N PATTERN its stdout / stderr has a line
# matching PATTERN; rc_count N COUNT PATTERN COUNT lines of stdout match.
rc_last() { is_rc "$1" && last "$2"; }
rc_out() { is_rc "$1" && has "$T/out" "$2"; }
rc_err() { is_rc "$1" && has "$T/err" "$2"; }
rc_count() { is_rc "$1" && [ "$(grep -c -e "$3" "$T/out")" = "$2" ]; }
# said PATTERN: the last command failed as goinstr does on bad input (exit
# 2, one line) and the line matches PATTERN
said() { one_line "$(cat "$T/rc")" "$T/err" && has "$T/err" "$1"; }
# err_is N LINE: status N, and stderr is exactly LINE
err_is() { is_rc "$1" && [ "$(cat "$T/err")" = "$2" ]; }
jget() { python3 -c "import json,sys; j = json.load(open(sys.argv[1])); v = $2; print(v)" "$1"; }

"$GOINSTR" sites . >"$T/base.jsonl" || { notok "sites: the baseline inventory"; finish; }
gate
check "static: unchanged: exit 0, nothing new, nothing removed" rc_last 0 '0 new sites, 0 removed, 0 allowed, 0 denied'

# Lines move (a comment above the package clause, a blank line in main):
# the keys stay.
{ echo '// Moved.'; echo; cat main.go; } >"$T/m.go" && mv "$T/m.go" main.go
gate
check "static: moved lines: exit 0, nothing new" rc_last 0 '0 new sites, 0 removed, 0 allowed, 0 denied'

# A new unsafe site on the path the tests never run.
cat >rare.go <<'GO'
package main

import "unsafe"

func rare() int {
	var b [4]byte
	return int(*(*int32)(unsafe.Pointer(&b)))
}
GO
rm -f "$T/old.log" "$T/new.log"
(cd "$ROOT/tests/gate/app" && INSTRUMENTATION_LOG_PATH=$T/old.log "$GOINSTR" test -count=1 . >/dev/null 2>&1)
INSTRUMENTATION_LOG_PATH=$T/new.log "$GOINSTR" test -count=1 . >"$T/test.out" 2>&1
check "the tests pass with the new site (they never run it)" grep -q '^ok' "$T/test.out"
rc "$GOINSTR" report --baseline "$T/old.log" "$T/new.log"
check "dynamic gate: the tests' logs show nothing new (exit 0)" is_rc 0
gate
check "static: new site on an untested path: exit 1" is_rc 1
check "static: both new sites named, with file:line:col, nothing else" [ "$(grep -c '^new: unsafe.Pointer example.com/gated .* at .*/rare.go:7:[0-9]* (example.com/gated)$' "$T/out")" = 2 ] 
check "static: the summary" last '2 new sites, 0 removed, 0 allowed, 0 denied'
is_rc 1 || show_fail

# The policy.
cat >goinstr.policy <<'P'
# The gate's policy (docs/policy.md).
allow package=example.com/gated op=unsafe.Pointer owner=@core reason="reads a header word" expires=2099-12-31
P
rc "$GOINSTR" sites --baseline "$T/base.jsonl" --policy goinstr.policy .
check "policy: allowed: exit 0" is_rc 0
check "policy: each allowed site names the rule, owner and reason" [ "$(grep -c '^allowed: .*rare.go.*: goinstr.policy:2 (owner @core): reads a header word$' "$T/out")" = 2 ]
sed -i 's/2099-12-31/2020-01-01/' goinstr.policy
rc "$GOINSTR" sites --baseline "$T/base.jsonl" --policy goinstr.policy .
check "policy: expired rule: exit 1" is_rc 1
check "policy: expired rule: one line naming it" \
	[ "$(cat "$T/err")" = 'goinstr: goinstr.policy:2: allow rule expired on 2020-01-01 (owner @core): renew or remove it' ]
sed -i 's/2020-01-01/2099-12-31/' goinstr.policy
echo 'allow module=golang.org/x/sys owner=@core reason="syscalls"' >>goinstr.policy
rc "$GOINSTR" sites --baseline "$T/base.jsonl" --policy goinstr.policy .
check "policy: a rule that matches nothing: exit 1, one line naming it" \
	err_is 1 'goinstr: goinstr.policy:3: allow rule matches no site any more (owner @core): remove it'
printf 'allow package=example.com/gated owner=o reason=r expiry=2099-01-01\n' >bad.policy
rc "$GOINSTR" sites --baseline "$T/base.jsonl" --policy bad.policy .
check "policy: unknown key: exit 2, one line naming file and line" said '^goinstr: bad.policy:1: unknown key'
printf 'deny op=unsafe.Pointer target=*uint64 owner=sec reason="no float bits"\n' >deny.policy
rc "$GOINSTR" sites --baseline "$T/base.jsonl" --policy deny.policy .
check "policy: deny refuses a site already in the baseline: exit 1" is_rc 1
check "policy: denied line names the rule" grep -q '^denied: unsafe.Pointer example.com/gated (\*uint64)(unsafe.Pointer(&f)) at .*main.go:.*: deny.policy:1 (owner sec): no float bits$' "$T/out"

# //goinstr:allow REASON on the site's line.
sed -i '7s|$| //goinstr:allow reads the length word, see #42|' rare.go
gate
check "in source: allowed with its reason: exit 0" rc_count 0 2 '^allowed: .*rare.go:7:.*: reads the length word, see #42$'
sed -i '7s|//goinstr:allow.*|//goinstr:allow|' rare.go
gate
check "in source: no reason: exit 1, said" rc_err 1 'rare.go:7: //goinstr:allow without a reason allows nothing'
# A directive in a string is no comment.
sed -i '7s|//goinstr:allow$||' rare.go
printf '\nvar s = "x //goinstr:allow in a string"; var _ = unsafe.Sizeof(s) + uintptr(unsafe.Pointer(&s)) //\n' >>rare.go
gate
allows_nothing() { is_rc 1 && lacks "$T/out" '^allowed:'; }
check "in source: a directive inside a string literal allows nothing" allows_nothing

# Removed sites are named; they do not fail the gate.
cp "$ROOT/tests/gate/app/rare.go" rare.go
sed -i 's|return \*(\*uint64)(unsafe.Pointer(&f))|return math.Float64bits(f)|; s|"unsafe"|"math"|' main.go
gate
check "static: removed sites named, exit 0" rc_count 0 2 '^removed: unsafe.Pointer example.com/gated '
cp "$ROOT/tests/gate/app/main.go" main.go

# -test: a site in a test file counts with -test only.
printf 'package main\n\nimport "unsafe"\n\nvar testWord = *(*int64)(unsafe.Pointer(&[8]byte{}))\n' >word_test.go
"$GOINSTR" sites -test . >"$T/base-test.jsonl"
gate
check "-test: without it, a test file's site is not in the build" is_rc 0
rm word_test.go
rc "$GOINSTR" sites --baseline "$T/base-test.jsonl" -test .
check "-test: with it, the site is in the inventory (removed once the file is gone)" rc_out 0 '^removed: .*word_test.go'

# report --baseline given inventories.
"$GOINSTR" sites . >"$T/new.jsonl"
rc "$GOINSTR" report --baseline "$T/base.jsonl" "$T/new.jsonl"
check "report: an inventory as OLD: exit 2, one line saying what to use" said 'is a sites inventory, not a log: compare inventories with .goinstr sites --baseline'
gzip -c "$T/new.jsonl" >"$T/new.jsonl.gz"
rc "$GOINSTR" report --baseline "$T/old.log" "$T/new.jsonl.gz"
check "report: a gzip inventory as LOG: exit 2, one line" said "new.jsonl.gz' is a sites inventory, not a log"

# The dynamic gate with the same policy: a run that reaches rare().
cat >rare.go <<'GO'
package main

import "unsafe"

func rare() int {
	var b [4]byte
	return int(*(*int32)(unsafe.Pointer(&b)))
}
GO
"$GOINSTR" build -o "$T/gated" . 2>/dev/null
rm -f "$T/a.log" "$T/b.log"
INSTRUMENTATION_LOG_PATH=$T/a.log "$T/gated" >/dev/null
INSTRUMENTATION_LOG_PATH=$T/b.log "$T/gated" rare >/dev/null
rc "$GOINSTR" report --baseline "$T/a.log" "$T/b.log"
check "dynamic: the run that reaches rare(): exit 1, 2 new" rc_last 1 '2 new sites, 0 allowed'
sed -i '3d' goinstr.policy
rc "$GOINSTR" report --baseline "$T/a.log" --policy goinstr.policy "$T/b.log"
check "dynamic: the policy allows them: exit 0" rc_last 0 '0 new sites, 2 allowed'
rc "$GOINSTR" report --baseline "$T/a.log" --policy goinstr.policy --format sarif "$T/b.log"
check "dynamic: SARIF carries them as suppressions with the reason" [ "$(grep -c '"justification": "goinstr.policy:2 (owner @core): reads a header word"' "$T/out")" = 2 ]
sed -i 's/2099-12-31/2020-01-01/' goinstr.policy
rc "$GOINSTR" report --baseline "$T/a.log" --policy goinstr.policy "$T/b.log"
check "dynamic: expired rule: exit 1, one line naming it" rc_err 1 '^goinstr: goinstr.policy:2: allow rule expired on 2020-01-01'
rc "$GOINSTR" report --policy deny.policy --format json "$T/b.log"
check "dynamic: deny without a baseline: exit 1, JSON names the rule" rc_out 1 '"denied": "deny.policy:1 (owner sec): no float bits"'
rc "$GOINSTR" report --policy bad.policy "$T/b.log"
check "dynamic: unknown key: exit 2, one line" one_line "$(cat "$T/rc")" "$T/err"

# The run-time diff: tests/gate/bump/app runs its plug-in's handlers by
# name; bumping the plug-in (plug1 to plug2, a replace in go.mod) makes the
# existing MethodByName/Call site reach Shout, and drops legacy()'s site.
cp -r "$ROOT/tests/gate/bump" "$T/bump"
B=$T/bump/app
(cd "$B" && "$GOINSTR" build -o "$T/bump/b1" . 2>/dev/null) && INSTRUMENTATION_LOG_PATH=$T/bump/1.log "$T/bump/b1" >/dev/null
sed -i 's|\.\./plug1|../plug2|' "$B/go.mod"
(cd "$B" && "$GOINSTR" build -o "$T/bump/b2" . 2>/dev/null) && INSTRUMENTATION_LOG_PATH=$T/bump/2.log "$T/bump/b2" >/dev/null
rc "$GOINSTR" report --baseline "$T/bump/1.log" "$T/bump/2.log"
check "run-time diff: a bump that adds a dynamic target: reported, exit 0 (no rule denies it)" is_rc 0
check "run-time diff: the new target of the existing Call and MethodByName site, named" [ "$(grep '^new target: ' "$T/out")" = 'new target: reflect.Value.Call example.com/plug.Run -> plug.Handlers.Shout (example.com/plug@v1.0.0)
new target: reflect.Value.MethodByName example.com/plug.Run -> plug.Handlers.Shout (example.com/plug@v1.0.0)' ]
check "run-time diff: the site that disappeared, named" grep -q '^gone: reflect.New example.com/plug.legacy at .*/plug1/plug.go:27 (example.com/plug@v1.0.0)$' "$T/out"
check "run-time diff: the summary" last '0 new sites, 0 allowed, 2 new targets, 1 gone'
rc "$GOINSTR" report --baseline "$T/bump/1.log" --format json "$T/bump/2.log"
check "run-time diff: JSON lists each new target and each gone site" [ "$(jget "$T/out" "([(t['key'], t['target']) for t in j['new_targets']], [g['key'] for g in j['gone']])")" = "([('reflect.Value.Call example.com/plug.Run', 'plug.Handlers.Shout'), ('reflect.Value.MethodByName example.com/plug.Run', 'plug.Handlers.Shout')], ['reflect.New example.com/plug.legacy'])" ]
printf 'allow module=example.com/plug target=*.Shout owner=@core reason="Shout reviewed in the bump"\n' >"$T/bump/p"
rc "$GOINSTR" report --baseline "$T/bump/1.log" --policy "$T/bump/p" "$T/bump/2.log"
check "run-time diff: a policy allow rule with a target pattern: listed as allowed, exit 0" rc_count 0 2 '^allowed target: .*Shout (example.com/plug@v1.0.0): .*Shout reviewed in the bump$'
printf 'deny op=reflect.Value.Call target=*.Shout owner=@sec reason="no shouting"\n' >"$T/bump/d"
rc "$GOINSTR" report --baseline "$T/bump/1.log" --policy "$T/bump/d" "$T/bump/2.log"
check "run-time diff: a deny rule with a target pattern fails the gate: exit 1, named" rc_out 1 '^denied target: reflect.Value.Call example.com/plug.Run -> plug.Handlers.Shout (example.com/plug@v1.0.0): .*(owner @sec): no shouting$'
rc "$GOINSTR" report --baseline "$T/bump/1.log" "$T/bump/1.log"
check "run-time diff: the same log against itself: nothing new, nothing gone, exit 0" rc_last 0 '0 new sites, 0 allowed'
# --- docs/ci.md's recipe, as written, on a sample repository -------------
# The script between its recipe markers runs in a copy of tests/gate/app
# with the committed files the recipe names: it passes; a commit adding
# an unsafe operation on a path the tests never run fails it (the static
# gate names the site); a policy entry makes it pass again.
sed -n '/^<!-- recipe:begin -->$/,/^<!-- recipe:end -->$/p' "$ROOT/docs/ci.md" | grep -v '^<!--\|^```' >"$T/recipe.sh"
R=$T/repo
cp -r "$ROOT/tests/gate/app" "$R"
cd "$R" || exit 1
mkdir -p "$T/recipe-bin" && ln -sf "$GOINSTR" "$T/recipe-bin/goinstr"
recipe() { PATH=$T/recipe-bin:$PATH sh -e "$T/recipe.sh" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
: >goinstr.policy
"$GOINSTR" sites -test ./... >goinstr.sites.jsonl
INSTRUMENTATION_LOG_PATH=$T/main.log "$GOINSTR" test ./... >/dev/null 2>&1
"$GOINSTR" report --format json "$T/main.log" >goinstr-baseline.json
check "ci recipe: the commands are in docs/ci.md" [ "$(grep -c '^goinstr \|goinstr test' "$T/recipe.sh")" -ge 4 ]
recipe
recipe_passes() { is_rc 0 && [ -s goinstr.sarif ]; }
check "ci recipe: the accepted state passes" recipe_passes
is_rc 0 || show_fail
cat >rare.go <<'GO'
package main

import "unsafe"

func rare() int {
	var b [4]byte
	return int(*(*int32)(unsafe.Pointer(&b)))
}
GO
recipe
check "ci recipe: a new unsafe site on an untested path fails it, at the static gate, naming the site" rc_out 1 '^new: unsafe.Pointer example.com/gated (\*int32)(unsafe.Pointer(&b)) at .*rare.go:7:'
printf 'allow package=example.com/gated op=unsafe.Pointer owner=@core reason="header word, reviewed" expires=2099-12-31\n' >goinstr.policy
recipe
check "ci recipe: with a policy entry it passes again" is_rc 0
is_rc 0 || show_fail
check "ci recipe: the SARIF is the main module's" [ "$(python3 -c "import json; j = json.load(open('goinstr.sarif')); print(sorted(set(r['properties']['module'] for r in j['runs'][0]['results'])), j['runs'][0]['automationDetails']['id'])")" = "['example.com/gated'] goinstr/report/main/" ]
finish
