#!/bin/sh
# cli.sh - goinstr's command line against its peers' conventions:
#   1. help: every command (and manifest's subcommands) answers -h, -help
#      and --help, also among its options, with exactly `goinstr help CMD`
#      on stdout and exit 0 (a table, read from `goinstr help`);
#   2. goinstr's options wherever they stand before the packages, and
#      what --ops takes said when a package follows it;
#   3. -C DIR as go's (goinstr build -C DIR, goinstr -C DIR CMD);
#   4. env NAME... and env -json as go env's;
#   5. errors before output (diff of a missing package), -o DIR/ writes an
#      inventory beside each binary, an unsupported Go release and a
#      missing go command each named in one line;
#   6. marked binaries: go version -m and goinstr version BIN tell an
#      instrumented binary (its ops, unsafe scope, verified GOROOT) from a
#      plain one; the log header names the unsafe scope. The drop-in
#      toolchain's binaries: tests/toolchain.sh.
#   0. make install PREFIX=DIR puts a goinstr on PATH that runs.
# Uses the Go in PATH; builds small programs of tests/e2e. --quick (make
# check): the help table and make install only.
set -u
SUITE=cli
. "$(dirname "$0")/lib.sh"
quick=0
[ "${1:-}" = --quick ] && quick=1
E2E=$ROOT/tests/e2e
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
cd "$E2E" || exit 1

# --- 1. help ------------------------------------------------------------------
cmds=$("$GOINSTR" help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
lists_cmds() { echo "$cmds" | grep -qx build && echo "$cmds" | grep -qx help; }
check "help lists the commands (build ... help)" lists_cmds
# each command, alone and after its options (goinstr's or the go command's)
for c in $cmds "manifest list" "manifest add" "manifest pack"; do
	case $c in
	build | install | run | test | diff | sites) pre="-v --ops=all" ;;
	report) pre="--format json" ;;
	check-log-path) pre="--brief" ;;
	toolchain) pre="--force" ;;
	*) pre="" ;;
	esac
	# shellcheck disable=SC2086 # c is "manifest add": two words
	"$GOINSTR" help $c >"$T/want" 2>&1
	for h in -h -help --help; do
		for p in "" "$pre"; do
			[ -z "$p" ] && [ -n "$pre" ] && [ "$h" != -h ] && continue
			# shellcheck disable=SC2086
			"$GOINSTR" $c $p $h >"$T/got" 2>"$T/got.err"; rc=$?
			if [ $rc -eq 0 ] && [ -s "$T/want" ] && same_bytes "$T/want" "$T/got" && [ ! -s "$T/got.err" ]; then
				ok "goinstr $c ${p:+$p }$h: its usage, exit 0"
			else
				notok "goinstr $c ${p:+$p }$h: its usage, exit 0 (exit $rc)"
				head -n 3 "$T/got" "$T/got.err" | sed 's/^/# /'
			fi
		done
	done
done
help_lists() { "$GOINSTR" --help | grep -q '^commands:' && "$GOINSTR" -h | grep -q '^commands:'; }
check "goinstr --help and -h: the command list" help_lists
"$GOINSTR" help | grep -A 1 '^goinstr options of' >"$T/opts"
check "help names the commands the build options are for from the table" \
	grep -q '^goinstr options of build, install, run, test, sites:$' "$T/opts"
# The supported releases are stated once (src/goenv.c): 'help manifest'
# names the releases 'goinstr env' reports, as "go1.26.x and go1.27.x".
rels=$("$GOINSTR" env GOINSTR_SUPPORTED_RELEASES | sed 's/, /.x, /g; s/$/.x/; s/\(.*\), /\1 and /')
"$GOINSTR" help manifest | tr '\n' ' ' >"$T/help-manifest"
check "help manifest: the supported releases of goinstr env ($rels)" \
	grep -qF "Every $rels release goinstr knows of" "$T/help-manifest"
"$GOINSTR" run ./basic -h >"$T/run-h.out" 2>&1; rc=$?
# program_h RC: the program ran with -h (its output, go run's exit 1), no usage of goinstr's
program_h() { [ "$1" -eq 1 ] && has "$T/run-h.out" '^double: 42' && lacks "$T/run-h.out" '^usage: goinstr'; }
check "goinstr run PKG -h: -h is the program's (it runs; go run exits 1 for its 3)" program_h $rc
"$GOINSTR" manifest >/dev/null 2>"$T/e"; rc=$?
check "goinstr manifest without a subcommand: exit 2, one line" one_line $rc "$T/e"
"$GOINSTR" manifest frob >/dev/null 2>"$T/e"; rc=$?
check "goinstr manifest frob: exit 2, one line naming it" one_said $rc 2 "$T/e" "'manifest frob'"
"$GOINSTR" verify --frob >/dev/null 2>"$T/e"; rc=$?
check "goinstr verify --frob: an unknown option, not a GOROOT (exit 2, one line)" \
	one_said $rc 2 "$T/e" "unknown option '--frob'"
"$GOINSTR" check-log-path --frob >"$T/o" 2>"$T/e"; rc=$?
not_a_path() { [ "$1" -eq 2 ] && empty "$T/o" && has "$T/e" "unknown option '--frob'"; }
check "goinstr check-log-path --frob: an unknown option, not a path" not_a_path $rc
# make install PREFIX=DIR (the README's way onto PATH)
make -s -C "$ROOT" install PREFIX="$T/prefix" >"$T/inst.out" 2>&1; rc=$?
# installed RC: make install put build/goinstr at DIR/bin, mode 755, and
# PATH finds it
installed() {
	[ "$1" -eq 0 ] && mode_is "$T/prefix/bin/goinstr" 755 && same_bytes "$T/prefix/bin/goinstr" "$GOINSTR" &&
		[ "$(PATH="$T/prefix/bin":/usr/bin:/bin goinstr version)" = "$("$GOINSTR" version)" ]
}
check "make install PREFIX=DIR: DIR/bin/goinstr, mode 755, runs from PATH" installed $rc || show "$T/inst.out"
[ $quick -eq 1 ] && finish

# --- 2. goinstr's options among the go command's flags -------------------------
"$GOINSTR" build -v --ops=all -o "$T/bin/basic" ./basic 2>"$T/b.err"; rc=$?
INSTRUMENTATION_LOG_PATH=$T/basic.log "$T/bin/basic" >/dev/null 2>&1
# header_ok RC LOG PATTERN: exit 0 and LOG's header matches PATTERN
header_ok() { [ "$1" -eq 0 ] && first_has "$2" "$3"; }
check "build -v --ops=all -o BIN PKG: --ops is goinstr's (the log's ops include read)" \
	header_ok $rc "$T/basic.log" '"ops":"[a-z,]*read"'
"$GOINSTR" build -o "$T/bin/x" --ops ./basic >"$T/o" 2>"$T/e"; rc=$?
ops_refused() { one_said "$1" 2 "$T/e" "'--ops=LIST PACKAGES'" && absent "$T/bin/x"; }
check "build --ops PKG: exit 2, one line saying what --ops takes" ops_refused $rc
"$GOINSTR" build -o "$T/bin/basic2" --ops call ./basic 2>"$T/e"; rc=$?
INSTRUMENTATION_LOG_PATH=$T/basic2.log "$T/bin/basic2" >/dev/null 2>&1
check "build -o BIN --ops call PKG: the value, then the package" \
	header_ok $rc "$T/basic2.log" '"ops":"call"'

# --- 3. -C DIR ------------------------------------------------------------------
(cd "$T" && "$GOINSTR" build -C "$E2E/basic" -o "$T/bin/c1" --ops=all) 2>"$T/e"; rc=$?
built_c1() { [ "$1" -eq 0 ] && [ -x "$T/bin/c1" ] && [ -s "$T/bin/c1.sites.jsonl" ]; }
check "build -C DIR -o BIN --ops=all: built in DIR (go's -C first)" built_c1 $rc
(cd "$T" && "$GOINSTR" -C "$E2E" build -o "$T/bin/c2" ./basic) 2>"$T/e"; rc=$?
built_c2() { [ "$1" -eq 0 ] && [ -x "$T/bin/c2" ]; }
check "goinstr -C DIR build: as go -C DIR build" built_c2 $rc
(cd "$T" && INSTRUMENTATION_LOG_PATH=$T/t1.log "$GOINSTR" test -C "$E2E" ./testpkg >"$T/t1.out" 2>&1 &&
	INSTRUMENTATION_LOG_PATH=$T/t2.log "$GOINSTR" test -C "$E2E" ./testpkg >"$T/t2.out" 2>&1); rc=$?
# tested_twice RC: the second run ran (not cached), both logged
tested_twice() {
	[ "$1" -eq 0 ] && has "$T/t2.out" '^ok' && lacks "$T/t2.out" '(cached)' && [ -s "$T/t1.log" ] && [ -s "$T/t2.log" ]
}
check "test -C DIR PKG, logging, twice: both run (-count=1 after -C), both log" tested_twice $rc ||
	show "$T/t2.out"
"$GOINSTR" build -C "$T/nonexistent" ./basic >/dev/null 2>"$T/e"; rc=$?
check "build -C MISSING: exit 2, one line" one_line $rc "$T/e"

# --- 4. env -----------------------------------------------------------------------
"$GOINSTR" env GOROOT GOINSTR_OPS >"$T/env.out"; rc=$?
env_values() {
	[ "$1" -eq 0 ] && [ "$(sed -n 1p "$T/env.out")" = "$(go env GOROOT)" ] &&
		[ "$(sed -n 2p "$T/env.out")" = call,unsafe,mutate,construct,lookup ] && lines_are "$T/env.out" 2
}
check "env NAME NAME: their values, one a line" env_values $rc
"$GOINSTR" env --ops=all -json >"$T/env.json"; rc=$?
env_json() {
	[ "$1" -eq 0 ] && [ "$(jq -r .GOINSTR_OPS "$T/env.json")" = call,unsafe,mutate,construct,lookup,read ] &&
		[ "$(jq -r .GOROOT "$T/env.json")" = "$(go env GOROOT)" ] && [ "$(jq length "$T/env.json")" -ge 10 ]
}
check "env --ops=all -json: a JSON object of every variable" env_json $rc
"$GOINSTR" env -json GOOS >"$T/env1.json"
check "env -json NAME: only that one" [ "$(jq -c . "$T/env1.json")" = "{\"GOOS\":\"$(go env GOOS)\"}" ]
"$GOINSTR" env -frob >/dev/null 2>"$T/e"; rc=$?
check "env -frob: exit 2, one line" one_line $rc "$T/e"

# --- 5. errors, inventories, releases --------------------------------------------
"$GOINSTR" diff ./nonexistent >"$T/diff.out" 2>"$T/e"; rc=$?
diff_fails_first() { [ "$1" -eq 2 ] && empty "$T/diff.out" && has "$T/e" '^goinstr: '; }
check "diff ./nonexistent: the error and no output (not the standard library's diff first)" \
	diff_fails_first $rc
"$GOINSTR" diff ./basic >"$T/diff.out" 2>"$T/e"; rc=$?
check "diff ./basic still prints the standard library's diff" ok_has $rc "$T/diff.out" '^+++ b.*/reflect/value.go'
mkdir -p "$T/out"
"$GOINSTR" build -o "$T/out/" ./basic ./names 2>"$T/e"; rc=$?
# each_inventory RC: both binaries, each inventory of its own package only
each_inventory() {
	[ "$1" -eq 0 ] && [ -x "$T/out/basic" ] && [ -x "$T/out/names" ] &&
		gzip -dc "$T/out/basic.sites.jsonl" | grep -q 'e2e/basic/main.go' &&
		gzip -dc "$T/out/names.sites.jsonl" | grep -q '"id":"reflect.ValueOf"' &&
		! gzip -dc "$T/out/names.sites.jsonl" | grep -q 'e2e/basic/'
}
check "build -o DIR/ PKG PKG: each binary's inventory beside it" each_inventory $rc
# An unsupported release: a go command that says it is go1.25.
mkdir -p "$T/go125"
cat >"$T/go125/go" <<EOF
#!/bin/sh
if [ "\$1" = env ]; then "$(command -v go)" "\$@" | sed 's/go1\.2[67][.0-9]*/go1.25.5/'; exit; fi
exec "$(command -v go)" "\$@"
EOF
chmod +x "$T/go125/go"
PATH=$T/go125:$PATH "$GOINSTR" build ./basic >/dev/null 2>"$T/e"; rc=$?
check "go1.25: exit 2, one line naming the supported releases and GOTOOLCHAIN=go1.26.8" \
	one_said $rc 2 "$T/e" "unsupported Go release 'go1.25.5'.*go1.26, go1.27.*GOTOOLCHAIN=go1.26.8" || show "$T/e"
env PATH=/nonexistent "$GOINSTR" build ./basic >/dev/null 2>"$T/e"; rc=$?
check "no go in PATH: exit 2, one line saying so" one_said $rc 2 "$T/e" "no 'go' command in PATH"

# --- 6. marked binaries --------------------------------------------------------
go build -o "$T/bin/plain" ./basic
go version -m "$T/bin/basic" >"$T/vm.out"
marked_settings() {
	has "$T/vm.out" '^	build	goinstr=[0-9]' &&
		has_line "$T/vm.out" '	build	goinstr.ops=call,unsafe,mutate,construct,lookup,read' \
			'	build	goinstr.unsafe=all' '	build	goinstr.goroot=verified'
}
check "go version -m BIN (goinstr build): goinstr's build settings" marked_settings
plain_unmarked() {
	go version -m "$T/bin/plain" >"$T/vp.out" && has "$T/vp.out" '	build	GOOS=' && lacks "$T/vp.out" '	build	goinstr'
}
check "go version -m PLAIN: no goinstr setting" plain_unmarked
"$GOINSTR" version "$T/bin/basic" >"$T/v.out"; rc=$?
# version_says RC: goinstr version BIN's whole answer
version_says() {
	[ "$1" -eq 0 ] && [ "$(cat "$T/v.out")" = "$T/bin/basic: $GOV, instrumented by goinstr $("$GOINSTR" version | cut -d' ' -f3)
	ops	call,unsafe,mutate,construct,lookup,read
	unsafe	all
	goroot	verified" ]
}
check "goinstr version BIN: goinstr's version, the Go release, ops, unsafe scope, GOROOT verified" version_says $rc ||
	show "$T/v.out"
"$GOINSTR" version "$T/bin/plain" >"$T/v.out"; rc=$?
plain_says() { [ "$1" -eq 1 ] && [ "$(cat "$T/v.out")" = "$T/bin/plain: $GOV, not instrumented by goinstr" ]; }
check "goinstr version PLAIN: not instrumented, exit 1" plain_says $rc
"$GOINSTR" version "$E2E/go.mod" >/dev/null 2>"$T/e"; rc=$?
check "goinstr version NOT-A-BINARY: exit 2, one line" one_line $rc "$T/e"
"$GOINSTR" build --unsafe=none --trust-goroot --ops=call -o "$T/bin/none" ./basic 2>/dev/null
"$GOINSTR" version "$T/bin/none" >"$T/v.out"
check "--unsafe=none --trust-goroot --ops=call: marked so" \
	has_line "$T/v.out" '	ops	call' '	unsafe	none' '	goroot	trusted'
INSTRUMENTATION_LOG_PATH=$T/none.log "$T/bin/none" >/dev/null 2>&1
unsafe_scopes() { first_has "$T/basic.log" '"unsafe":"all"' && first_has "$T/none.log" '"unsafe":"none"'; }
check "the log header names the unsafe scope (all, none)" unsafe_scopes
"$T/bin/plain" >"$T/p.out" 2>&1; prc=$?
"$T/bin/none" >"$T/n.out" 2>&1; nrc=$?
check "the marked binary behaves as the plain one (output, exit $prc)" same_run "$T/p.out" "$T/n.out" $prc $nrc
"$GOINSTR" test -c -o "$T/bin/testpkg.test" ./testpkg 2>/dev/null
test_marked() { go version -m "$T/bin/testpkg.test" | grep -qx '	build	goinstr.unsafe=all'; }
check "goinstr test -c: the test binary is marked too" test_marked
finish
