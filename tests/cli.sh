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
check "help lists the commands (build ... help)" sh -c "echo '$cmds' | grep -qx build && echo '$cmds' | grep -qx help"
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
check "goinstr --help and -h: the command list" sh -c "'$GOINSTR' --help | grep -q '^commands:' && '$GOINSTR' -h | grep -q '^commands:'"
"$GOINSTR" help | grep -A 1 '^goinstr options of' >"$T/opts"
check "help names the commands the build options are for from the table" \
	grep -q '^goinstr options of build, install, run, test, sites:$' "$T/opts"
# The supported releases are stated once (src/goenv.c): 'help manifest'
# names the releases 'goinstr env' reports, as "go1.26.x and go1.27.x".
rels=$("$GOINSTR" env GOINSTR_SUPPORTED_RELEASES | sed 's/, /.x, /g; s/$/.x/; s/\(.*\), /\1 and /')
check "help manifest: the supported releases of goinstr env ($rels)" \
	sh -c "'$GOINSTR' help manifest | tr '\n' ' ' | grep -qF 'Every $rels release goinstr knows of'"
"$GOINSTR" run ./basic -h >"$T/run-h.out" 2>&1; rc=$?
check "goinstr run PKG -h: -h is the program's (it runs; go run exits 1 for its 3)" \
	sh -c "[ $rc -eq 1 ] && grep -q '^double: 42' '$T/run-h.out' && ! grep -q '^usage: goinstr' '$T/run-h.out'"
"$GOINSTR" manifest >/dev/null 2>"$T/e"; rc=$?
check "goinstr manifest without a subcommand: exit 2, one line" one_line $rc "$T/e"
"$GOINSTR" manifest frob >/dev/null 2>"$T/e"; rc=$?
check "goinstr manifest frob: exit 2, one line naming it" sh -c "one() { [ \$1 -eq 2 ] && [ \$(wc -l <\$2) -eq 1 ]; }; one $rc '$T/e' && grep -q \"'manifest frob'\" '$T/e'"
"$GOINSTR" verify --frob >/dev/null 2>"$T/e"; rc=$?
check "goinstr verify --frob: an unknown option, not a GOROOT (exit 2, one line)" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/e') -eq 1 ] && grep -q \"unknown option '--frob'\" '$T/e'"
"$GOINSTR" check-log-path --frob >"$T/o" 2>"$T/e"; rc=$?
check "goinstr check-log-path --frob: an unknown option, not a path" \
	sh -c "[ $rc -eq 2 ] && [ ! -s '$T/o' ] && grep -q \"unknown option '--frob'\" '$T/e'"
# make install PREFIX=DIR (the README's way onto PATH)
make -s -C "$ROOT" install PREFIX="$T/prefix" >"$T/inst.out" 2>&1; rc=$?
check "make install PREFIX=DIR: DIR/bin/goinstr, mode 755, runs from PATH" sh -c "[ $rc -eq 0 ] &&
	mode() { stat -c %a \"\$1\"; }; [ \"\$(mode '$T/prefix/bin/goinstr')\" = 755 ] &&
	cmp -s '$T/prefix/bin/goinstr' '$GOINSTR' &&
	[ \"\$(PATH='$T/prefix/bin':/usr/bin:/bin goinstr version)\" = \"\$('$GOINSTR' version)\" ]" || show "$T/inst.out"
[ $quick -eq 1 ] && finish

# --- 2. goinstr's options among the go command's flags -------------------------
"$GOINSTR" build -v --ops=all -o "$T/bin/basic" ./basic 2>"$T/b.err"; rc=$?
INSTRUMENTATION_LOG_PATH=$T/basic.log "$T/bin/basic" >/dev/null 2>&1
check "build -v --ops=all -o BIN PKG: --ops is goinstr's (the log's ops include read)" \
	sh -c "[ $rc -eq 0 ] && head -n 1 '$T/basic.log' | grep -q '\"ops\":\"[a-z,]*read\"'"
"$GOINSTR" build -o "$T/bin/x" --ops ./basic >"$T/o" 2>"$T/e"; rc=$?
check "build --ops PKG: exit 2, one line saying what --ops takes" \
	sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/e') -eq 1 ] && grep -q \"'--ops=LIST PACKAGES'\" '$T/e' && [ ! -e '$T/bin/x' ]"
"$GOINSTR" build -o "$T/bin/basic2" --ops call ./basic 2>"$T/e"; rc=$?
INSTRUMENTATION_LOG_PATH=$T/basic2.log "$T/bin/basic2" >/dev/null 2>&1
check "build -o BIN --ops call PKG: the value, then the package" \
	sh -c "[ $rc -eq 0 ] && head -n 1 '$T/basic2.log' | grep -q '\"ops\":\"call\"'"

# --- 3. -C DIR ------------------------------------------------------------------
(cd "$T" && "$GOINSTR" build -C "$E2E/basic" -o "$T/bin/c1" --ops=all) 2>"$T/e"; rc=$?
check "build -C DIR -o BIN --ops=all: built in DIR (go's -C first)" sh -c "[ $rc -eq 0 ] && [ -x '$T/bin/c1' ] && [ -s '$T/bin/c1.sites.jsonl' ]"
(cd "$T" && "$GOINSTR" -C "$E2E" build -o "$T/bin/c2" ./basic) 2>"$T/e"; rc=$?
check "goinstr -C DIR build: as go -C DIR build" sh -c "[ $rc -eq 0 ] && [ -x '$T/bin/c2' ]"
(cd "$T" && INSTRUMENTATION_LOG_PATH=$T/t1.log "$GOINSTR" test -C "$E2E" ./testpkg >"$T/t1.out" 2>&1 &&
	INSTRUMENTATION_LOG_PATH=$T/t2.log "$GOINSTR" test -C "$E2E" ./testpkg >"$T/t2.out" 2>&1); rc=$?
check "test -C DIR PKG, logging, twice: both run (-count=1 after -C), both log" sh -c "[ $rc -eq 0 ] &&
	grep -q '^ok' '$T/t2.out' && ! grep -q '(cached)' '$T/t2.out' && [ -s '$T/t1.log' ] && [ -s '$T/t2.log' ]" ||
	show "$T/t2.out"
"$GOINSTR" build -C "$T/nonexistent" ./basic >/dev/null 2>"$T/e"; rc=$?
check "build -C MISSING: exit 2, one line" one_line $rc "$T/e"

# --- 4. env -----------------------------------------------------------------------
"$GOINSTR" env GOROOT GOINSTR_OPS >"$T/env.out"; rc=$?
check "env NAME NAME: their values, one a line" sh -c "[ $rc -eq 0 ] &&
	[ \"\$(sed -n 1p '$T/env.out')\" = '$(go env GOROOT)' ] &&
	[ \"\$(sed -n 2p '$T/env.out')\" = call,unsafe,mutate,construct,lookup ] && [ \$(wc -l <'$T/env.out') -eq 2 ]"
"$GOINSTR" env --ops=all -json >"$T/env.json"; rc=$?
check "env --ops=all -json: a JSON object of every variable" sh -c "[ $rc -eq 0 ] &&
	[ \"\$(jq -r .GOINSTR_OPS '$T/env.json')\" = call,unsafe,mutate,construct,lookup,read ] &&
	[ \"\$(jq -r .GOROOT '$T/env.json')\" = '$(go env GOROOT)' ] && [ \$(jq length '$T/env.json') -ge 10 ]"
"$GOINSTR" env -json GOOS >"$T/env1.json"
check "env -json NAME: only that one" [ "$(jq -c . "$T/env1.json")" = "{\"GOOS\":\"$(go env GOOS)\"}" ]
"$GOINSTR" env -frob >/dev/null 2>"$T/e"; rc=$?
check "env -frob: exit 2, one line" one_line $rc "$T/e"

# --- 5. errors, inventories, releases --------------------------------------------
"$GOINSTR" diff ./nonexistent >"$T/diff.out" 2>"$T/e"; rc=$?
check "diff ./nonexistent: the error and no output (not the standard library's diff first)" \
	sh -c "[ $rc -eq 2 ] && [ ! -s '$T/diff.out' ] && grep -q '^goinstr: ' '$T/e'"
"$GOINSTR" diff ./basic >"$T/diff.out" 2>"$T/e"; rc=$?
check "diff ./basic still prints the standard library's diff" sh -c "[ $rc -eq 0 ] && grep -q '^+++ b.*/reflect/value.go' '$T/diff.out'"
mkdir -p "$T/out"
"$GOINSTR" build -o "$T/out/" ./basic ./names 2>"$T/e"; rc=$?
check "build -o DIR/ PKG PKG: each binary's inventory beside it" sh -c "[ $rc -eq 0 ] &&
	[ -x '$T/out/basic' ] && [ -x '$T/out/names' ] &&
	gzip -dc '$T/out/basic.sites.jsonl' | grep -q 'e2e/basic/main.go' &&
	gzip -dc '$T/out/names.sites.jsonl' | grep -q '\"id\":\"reflect.ValueOf\"' &&
	! gzip -dc '$T/out/names.sites.jsonl' | grep -q 'e2e/basic/'"
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
	sh -c "one() { [ \$1 -eq 2 ] && [ \$(wc -l <\$2) -eq 1 ]; }; one $rc '$T/e' &&
	grep -q \"unsupported Go release 'go1.25.5'.*go1.26, go1.27.*GOTOOLCHAIN=go1.26.8\" '$T/e'" || show "$T/e"
env PATH=/nonexistent "$GOINSTR" build ./basic >/dev/null 2>"$T/e"; rc=$?
check "no go in PATH: exit 2, one line saying so" sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/e') -eq 1 ] && grep -q \"no 'go' command in PATH\" '$T/e'"

# --- 6. marked binaries --------------------------------------------------------
go build -o "$T/bin/plain" ./basic
go version -m "$T/bin/basic" >"$T/vm.out"
check "go version -m BIN (goinstr build): goinstr's build settings" sh -c "
	grep -q '^	build	goinstr=[0-9]' '$T/vm.out' &&
	grep -qx '	build	goinstr.ops=call,unsafe,mutate,construct,lookup,read' '$T/vm.out' &&
	grep -qx '	build	goinstr.unsafe=all' '$T/vm.out' && grep -qx '	build	goinstr.goroot=verified' '$T/vm.out'"
check "go version -m PLAIN: no goinstr setting" sh -c "go version -m '$T/bin/plain' >'$T/vp.out' && grep -q '	build	GOOS=' '$T/vp.out' && ! grep -q '	build	goinstr' '$T/vp.out'"
"$GOINSTR" version "$T/bin/basic" >"$T/v.out"; rc=$?
check "goinstr version BIN: goinstr's version, the Go release, ops, unsafe scope, GOROOT verified" sh -c "[ $rc -eq 0 ] &&
	[ \"\$(cat '$T/v.out')\" = \"$T/bin/basic: $GOV, instrumented by goinstr $("$GOINSTR" version | cut -d' ' -f3)
	ops	call,unsafe,mutate,construct,lookup,read
	unsafe	all
	goroot	verified\" ]" || show "$T/v.out"
"$GOINSTR" version "$T/bin/plain" >"$T/v.out"; rc=$?
check "goinstr version PLAIN: not instrumented, exit 1" sh -c "[ $rc -eq 1 ] && [ \"\$(cat '$T/v.out')\" = '$T/bin/plain: $GOV, not instrumented by goinstr' ]"
"$GOINSTR" version "$E2E/go.mod" >/dev/null 2>"$T/e"; rc=$?
check "goinstr version NOT-A-BINARY: exit 2, one line" one_line $rc "$T/e"
"$GOINSTR" build --unsafe=none --trust-goroot --ops=call -o "$T/bin/none" ./basic 2>/dev/null
"$GOINSTR" version "$T/bin/none" >"$T/v.out"
check "--unsafe=none --trust-goroot --ops=call: marked so" sh -c "grep -qx '	ops	call' '$T/v.out' &&
	grep -qx '	unsafe	none' '$T/v.out' && grep -qx '	goroot	trusted' '$T/v.out'"
INSTRUMENTATION_LOG_PATH=$T/none.log "$T/bin/none" >/dev/null 2>&1
check "the log header names the unsafe scope (all, none)" sh -c "
	head -n 1 '$T/basic.log' | grep -q '\"unsafe\":\"all\"' && head -n 1 '$T/none.log' | grep -q '\"unsafe\":\"none\"'"
"$T/bin/plain" >"$T/p.out" 2>&1; prc=$?
"$T/bin/none" >"$T/n.out" 2>&1; nrc=$?
check "the marked binary behaves as the plain one (output, exit $prc)" sh -c "[ $prc -eq $nrc ] && cmp -s '$T/p.out' '$T/n.out'"
"$GOINSTR" test -c -o "$T/bin/testpkg.test" ./testpkg 2>/dev/null
check "goinstr test -c: the test binary is marked too" sh -c "go version -m '$T/bin/testpkg.test' | grep -qx '	build	goinstr.unsafe=all'"
finish
