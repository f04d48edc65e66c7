#!/bin/sh
# toolchain.sh - tests of `goinstr toolchain DIR`, the drop-in toolchain:
#   1. making it: output, time, hard links, files written (not written
#      through), the source GOROOT unchanged, permissions, the manifest;
#   2. plain go commands through PATH=DIR/bin: `go version` marked, `go env
#      GOROOT` is DIR, GOTOOLCHAIN and GOROOT cannot lead away from it,
#      gofmt and `go version -m` work; what a program built, run or tested
#      through it sees of the Go installation (tests/goroot's probe) is
#      what the source toolchain's own go gives, DIR for its GOROOT: the
#      user's GOROOT and GOTOOLCHAIN in its environment;
#   3. programs (reflect; unsafe in main, internal packages and
#      dependencies) built with go build, go run, go test, go install and
#      a user's -toolexec log exactly the sites (op, caller file:line,
#      target) that `goinstr build` of the same program logs, and the
#      wanted events (tests/e2e/logcheck); --unsafe=main and deps likewise;
#      plain builds stay plain (the build cache never mixes them);
#      go version -m and goinstr version show the binaries are instrumented;
#      go test -C DIR and go -C DIR test, logging, run every time;
#      a package too large for a command line (a response file) logs too;
#   4. go/build's TestDependencies passes on the instrumented sources;
#   5. goinstr verify DIR: clean, then a byte changed in a written file, a
#      linked file replaced by a changed copy, an added file, a changed
#      tool, files writable by others; and changes to what goinstr
#      generates (the logger, its copy, bin/go, the real go) with the
#      MANIFEST updated to match, and a 'kept' line for an added source;
#   6. determinism (two toolchains, one manifest), refusals (DIR exists,
#      not a toolchain, bad option, tampered GOROOT), --force, and no half
#      toolchain after a failure, SIGTERM or SIGKILL;
#   7. made by root from another user's GOROOT: none of that user's files
#      is linked, and verify names one that is.
# Uses the toolchain selected by the environment (GOTOOLCHAIN=go1.27.3 sh
# tests/toolchain.sh tests Go 1.27). Prints "ok - ..." / "not ok - ..." per
# check and "N passed, N failed".
set -u
SUITE=toolchain
. "$(dirname "$0")/lib.sh"
E2E=$ROOT/tests/e2e
UP=$ROOT/tests/unsafe/prog
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin" "$T/gobin"
cd "$E2E" || exit 1
SRC=$(go env GOROOT)
GOOSARCH=$(go env GOOS)_$(go env GOARCH)
# sites LOG: each distinct site of a log (goinstr report --format json:
# op and caller file:line, function, events), one per line, any GOROOT
# (source or a toolchain) written $GOROOT. Modules are left
# out (go run deletes its binary, whose build information names them), and
# so is the first target seen (concurrent programs see theirs in any order).
sites() {
	"$GOINSTR" report --format json "$1" |
		awk '/^  "sites": \[/ { on = 1; next } on && /^  \]/ { on = 0 }
		     on && /^ *"(site|func|events)":/ { sub(/^ */, ""); r = r " " $0 }
		     on && /^ *}/ && r != "" { print r; r = "" }' |
		sed -e "s|$SRC/|\$GOROOT/|g" -e "s|$T/tc[0-9a-z]*/|\$GOROOT/|g" | sort
}
# same_sites A B: both logs hold events, and the same sites
same_sites() { [ -s "$1" ] && [ -s "$2" ] && sites "$1" >"$1.s" && sites "$2" >"$2.s" && cmp -s "$1.s" "$2.s" ||
	{ diff "$1.s" "$2.s" | sed 's/^/# /' | head -20; return 1; }; }
tc() { PATH=$T/tc/bin:$PATH "$@"; }

go build -o "$T/bin/logcheck" ./logcheck || { notok "build logcheck"; finish; }
LOGCHECK=$T/bin/logcheck
before_src=$(tree_sum "$SRC/src/reflect" "$SRC/src/runtime" "$SRC/bin" "$SRC/pkg/tool/$GOOSARCH/compile" "$SRC/go.env")

# --- 1. making it -------------------------------------------------------------
start=$(date +%s%N)
"$GOINSTR" toolchain "$T/tc" >"$T/make.out" 2>"$T/make.err"; rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
made() { ok_quiet "$1" "$T/make.err" && lines_are "$T/make.out" 1; }
check "goinstr toolchain DIR: exit 0, one line (${ms} ms)" made $rc
[ $rc -eq 0 ] || { show "$T/make.err"; finish; }
check "nothing left beside DIR" [ "$(ls "$T" | grep -c '^tc')" -eq 1 ]
if [ "$(stat -c %d "$SRC")" = "$(stat -c %d "$T")" ]; then
	check "unchanged files are hard links to the source GOROOT" \
		[ "$(stat -c %i "$T/tc/src/fmt/print.go")" = "$(stat -c %i "$SRC/src/fmt/print.go")" ]
	newkb=$(du -sk "$SRC" "$T/tc" | tail -n 1 | cut -f1)
	check "new disk: ${newkb} KiB (< 50 MB)" [ "$newkb" -lt 51200 ]
else
	skip "hard links to the source GOROOT: $T is on another file system"
fi
# reflect_written: DIR's value.go is its own file (one link), instrumented;
# the source's is not; the logger's files are added
reflect_written() {
	[ "$(stat -c %h "$T/tc/src/reflect/value.go")" -eq 1 ] && has "$T/tc/src/reflect/value.go" goinstrOn &&
		lacks "$SRC/src/reflect/value.go" goinstrOn && [ -f "$T/tc/src/reflect/goinstr_log.go" ] &&
		[ -f "$T/tc/src/runtime/goinstr_linux.go" ]
}
check "instrumented reflect is written on disk, not through the link" reflect_written
check "the source GOROOT is unchanged" [ "$(tree_sum "$SRC/src/reflect" "$SRC/src/runtime" "$SRC/bin" \
	"$SRC/pkg/tool/$GOOSARCH/compile" "$SRC/go.env")" = "$before_src" ]
owner_writable() { [ -z "$(find "$T/tc" -perm /022 | head -n 1)" ] && mode_is "$T/tc" 755; }
check "DIR is writable by its owner only (no group/other write bit anywhere)" owner_writable
M_REL=pkg/goinstr/MANIFEST
M=$T/tc/$M_REL
check "manifest: the changed reflect files with both digests" \
	grep -Eq "^changed [0-9a-f]{64} [0-9a-f]{64} src/reflect/value.go$" "$M"
check "manifest: added files with '-' as original" \
	grep -Eq "^added - [0-9a-f]{64} src/reflect/goinstr_log.go$" "$M"
go_local() {
	has "$M" ' bin/go$' " pkg/tool/$GOOSARCH/compile\$" && grep -qx GOTOOLCHAIN=local "$T/tc/go.env"
}
check "manifest: go and compile; go.env says GOTOOLCHAIN=local" go_local
# digests_match: each changed or added file's digest is its own (exit 1
# leaves the loop's subshell, failing the pipeline)
digests_match() {
	grep '^changed\|^added' "$M" | while read -r k o n p; do
		[ "$(sha256sum <"$T/tc/$p" | cut -c1-64)" = "$n" ] || exit 1
	done
}
check "manifest: the digests are the files'" digests_match
original_digest() {
	_o=$(awk '$4 == "src/reflect/value.go" {print $2}' "$M") &&
		[ "$(sha256sum <"$SRC/src/reflect/value.go" | cut -c1-64)" = "$_o" ]
}
check "manifest: original digests are the source's" original_digest

# --- 2. plain go commands -------------------------------------------------------
tc go version >"$T/v.out"
check "go version names $GOV and goinstr" grep -Eq "^go version $GOV [a-z0-9]+/[a-z0-9]+ \(instrumented by goinstr [0-9.]+: ops=.* unsafe=all\)$" "$T/v.out"
check "go env GOROOT is DIR" [ "$(tc go env GOROOT)" = "$T/tc" ]
check "GOROOT in the environment does not lead away" [ "$(GOROOT=$SRC tc go env GOROOT)" = "$T/tc" ]
check "GOTOOLCHAIN in the environment does not switch toolchains" \
	[ "$(GOTOOLCHAIN=go1.26.0 tc go env GOVERSION)" = "$GOV" ]
check "go env GOVERSION is unchanged" [ "$(tc go env GOVERSION)" = "$GOV" ]
# seen ROOT VERB [VAR=VALUE...]: the obs lines of tests/goroot's probe built,
# run or tested by ROOT/bin/go first in PATH, ROOT written DIR.
seen() {
	_r=$1 _v=$2
	shift 2
	(cd "$ROOT/tests/goroot" && case $_v in
	build) env "$@" PATH="$_r/bin:$PATH" go build -o "$T/bin/probe" . &&
		env "$@" PATH="$_r/bin:$PATH" "$T/bin/probe" ;;
	run) env "$@" PATH="$_r/bin:$PATH" go run . ;;
	test) env "$@" PATH="$_r/bin:$PATH" go test -count=1 -v -run '^TestProbe$' . ;;
	esac) 2>&1 | grep '^obs ' | sed "s|$_r|DIR|g"
}
# goinstr build first: the build cache then holds its objects of reflect
# and runtime, which DIR's builds share (same sources, same compiler ID);
# they must name no GOROOT but the linking one's ($GOROOT: cmd_toolexec.c).
(cd "$ROOT/tests/goroot" && "$GOINSTR" build -o "$T/bin/probe.gi" .)
for e in "" GOTOOLCHAIN=local GOTOOLCHAIN=$GOV; do
	for v in build run test; do
		seen "$SRC" $v $e >"$T/seen.plain"
		seen "$T/tc" $v $e >"$T/seen.tc"
		sn="go $v${e:+ with $e}: the program sees what a plain toolchain at DIR gives it"
		if [ "$(wc -l <"$T/seen.plain")" -ge 12 ] && cmp -s "$T/seen.plain" "$T/seen.tc"; then
			ok "$sn"
		else
			notok "$sn"
			diff "$T/seen.plain" "$T/seen.tc" | sed 's/^/# /'
		fi
	done
done
printf 'package x\nvar  y=1\n' >"$T/fmt.go"
gofmt_runs() { PATH="$T/tc/bin":$PATH gofmt -l "$T/fmt.go" | grep -q fmt.go; }
check "gofmt of DIR/bin works" gofmt_runs

tc "$GOINSTR" build ./basic >/dev/null 2>"$T/e0"; rc=$?
check "goinstr build with the toolchain's go in PATH: refused, exit 2, one line" one_line $rc "$T/e0"
tc "$GOINSTR" toolchain "$T/tcx" >/dev/null 2>"$T/e0"; rc=$?
check "a toolchain is not made from a toolchain: exit 2, one line" one_line $rc "$T/e0"
tc "$GOINSTR" verify >"$T/v0.out"; rc=$?
check "goinstr verify with the toolchain's go in PATH checks the toolchain" ok_has $rc "$T/v0.out" 'goinstr toolchain'

# --- 3. programs: the same sites as goinstr build ------------------------------
"$GOINSTR" build -o "$T/bin/basic.gi" ./basic
start=$(date +%s%N)
tc go build -o "$T/bin/basic.tc" ./basic; rc=$?
secs=$((($(date +%s%N) - start) / 1000000000))
check "go build through DIR/bin (${secs}s, instrumented std compiled)" [ $rc -eq 0 ]
INSTRUMENTATION_LOG_PATH=$T/basic.gi.log "$T/bin/basic.gi" >"$T/basic.gi.out"
INSTRUMENTATION_LOG_PATH=$T/basic.tc.log "$T/bin/basic.tc" >"$T/basic.tc.out"; rc=$?
check "basic: same output and exit code (3)" same_run "$T/basic.gi.out" "$T/basic.tc.out" $rc 3
check "basic: exactly the wanted events" "$LOGCHECK" -log "$T/basic.tc.log" -src basic
check "basic: the same sites as goinstr build" same_sites "$T/basic.gi.log" "$T/basic.tc.log"
version_m() { PATH="$T/tc/bin":$PATH go version -m "$T/bin/basic.tc" | grep -q "^$T/bin/basic.tc: $GOV"; }
check "go version -m reads the binary" version_m
tc go build -x -o "$T/bin/basic.tc2" ./basic 2>"$T/x.err"
cached() { lacks "$T/x.err" '/compile ' && same_bytes "$T/bin/basic.tc" "$T/bin/basic.tc2"; }
check "second build is served from the cache" cached
go build -o "$T/bin/basic.plain" ./basic
INSTRUMENTATION_LOG_PATH=$T/plain.log "$T/bin/basic.plain" >/dev/null
check "a plain build afterwards stays plain (no instrumented object from the cache)" [ ! -e "$T/plain.log" ]
tc go version -m "$T/bin/basic.tc" >"$T/vm.out"
tc_settings() {
	has "$T/vm.out" '^	build	goinstr=[0-9]' &&
		has_line "$T/vm.out" '	build	goinstr.unsafe=all' '	build	goinstr.ops=call,unsafe,mutate,construct,lookup' \
			'	build	goinstr.goroot=verified'
}
check "go version -m shows the toolchain's binary is instrumented (goinstr's build settings)" tc_settings
"$GOINSTR" version "$T/bin/basic.tc" >"$T/v.out"; rc=$?
tc_version() {
	ok_has "$1" "$T/v.out" "^$T/bin/basic.tc: $GOV, instrumented by goinstr" &&
		has_line "$T/v.out" '	unsafe	all' '	goroot	verified'
}
check "goinstr version BIN (toolchain): instrumented, its ops, unsafe scope and GOROOT" tc_version $rc
"$GOINSTR" version "$T/bin/basic.plain" >/dev/null; rc=$?
plain_after() { [ "$1" -eq 1 ] && ! go version -m "$T/bin/basic.plain" | grep -q '	build	goinstr'; }
check "the plain build afterwards is not marked (goinstr version: exit 1)" plain_after $rc
check "the toolchain's log header names the unsafe scope" first_has "$T/basic.tc.log" '"unsafe":"all"'

go run ./basic >/dev/null 2>&1; prc=$?
INSTRUMENTATION_LOG_PATH=$T/run.log tc go run ./basic >"$T/run.out" 2>/dev/null; rc=$?
check "go run: same output and exit code ($prc) as plain go run" same_run "$T/basic.gi.out" "$T/run.out" $rc $prc
check "go run: the same sites as goinstr build" same_sites "$T/basic.gi.log" "$T/run.log"
INSTRUMENTATION_LOG_PATH=$T/test.log tc go test -count=1 ./testpkg >"$T/test.out" 2>&1
check "go test passes" grep -q '^ok' "$T/test.out"
check "go test: the test binary logs the wanted events" "$LOGCHECK" -log "$T/test.log" -src testpkg
# -C DIR: go takes it only first, so -count=1 goes after it; a second run
# logging runs again (not "(cached)") and logs again.
# twice_ran RC: both runs ran (the second not cached) and logged
twice_ran() {
	[ "$1" -eq 0 ] && has "$T/c2.out" '^ok' && lacks "$T/c2.out" '(cached)' && [ -s "$T/c.log" ] && [ -s "$T/c2.log" ]
}
for form in "test -C $E2E/testpkg ." "-C $E2E/testpkg test ." "test -C=$E2E/testpkg ." "-C=$E2E/testpkg test ."; do
	rm -f "$T/c.log"
	# shellcheck disable=SC2086 # form is the go command's words
	(cd "$T" && INSTRUMENTATION_LOG_PATH=$T/c.log tc go $form >"$T/c1.out" 2>&1 &&
		INSTRUMENTATION_LOG_PATH=$T/c2.log tc go $form >"$T/c2.out" 2>&1); rc=$?
	check "go $form, logging, twice: both run (not cached) and log" twice_ran $rc ||
		show "$T/c2.out"
	rm -f "$T/c2.log"
done
GOBIN=$T/gobin tc go install ./basic
INSTRUMENTATION_LOG_PATH=$T/install.log "$T/gobin/basic" >/dev/null
check "go install (GOBIN): the same sites as goinstr build" same_sites "$T/basic.gi.log" "$T/install.log"
printf '#!/bin/sh\necho "$(basename "$1")" >>"%s"\nexec "$@"\n' "$T/tools.txt" >"$T/bin/mytoolexec"
chmod +x "$T/bin/mytoolexec"
# A package written just now (never in the build cache) makes the go
# command run the compiler through the user's -toolexec; -a would
# recompile the standard library for the same proof.
mkdir -p "$T/te" && cp concurrent/main.go "$T/te/" && printf 'module te\n\ngo 1.26\n' >"$T/te/go.mod"
echo "// written for this run: $T" >>"$T/te/main.go"
(cd "$T/te" && tc go build -toolexec="$T/bin/mytoolexec" -o "$T/bin/basic.te" . 2>"$T/te.err"); rc=$?
(cd "$T/te" && tc go build -o "$T/bin/conc.tc" .)
INSTRUMENTATION_LOG_PATH=$T/te.log "$T/bin/basic.te" >/dev/null
INSTRUMENTATION_LOG_PATH=$T/conc.log "$T/bin/conc.tc" >/dev/null
toolexec_ran() { [ "$1" -eq 0 ] && grep -qx compile "$T/tools.txt"; }
check "a user's -toolexec still runs, and wraps the shim" toolexec_ran $rc
check "-toolexec build: the same sites" same_sites "$T/conc.log" "$T/te.log"

(cd "$UP" && "$GOINSTR" build -o "$T/bin/up.gi" . && PATH=$T/tc/bin:$PATH go build -o "$T/bin/up.tc" .)
"$T/bin/up.gi" >"$T/up.gi.out" 2>&1
INSTRUMENTATION_LOG_PATH=$T/up.gi.log "$T/bin/up.gi" >/dev/null 2>&1
INSTRUMENTATION_LOG_PATH=$T/up.tc.log "$T/bin/up.tc" >"$T/up.tc.out" 2>&1; rc=$?
check "unsafe: same output and exit code (4)" same_run "$T/up.gi.out" "$T/up.tc.out" $rc 4
check "unsafe: every wanted site (main, internal, go-1.17 dep, x/sys), nothing else" \
	"$LOGCHECK" -log "$T/up.tc.log" -src "$ROOT/tests/unsafe"
check "unsafe: the same sites as goinstr build" same_sites "$T/up.gi.log" "$T/up.tc.log"
for scope in main deps; do
	"$GOINSTR" toolchain --unsafe=$scope "$T/tc$scope" >/dev/null
	(cd "$UP" && "$GOINSTR" build --unsafe=$scope -o "$T/bin/up.gi.$scope" . &&
		PATH=$T/tc$scope/bin:$PATH go build -o "$T/bin/up.tc.$scope" .)
	INSTRUMENTATION_LOG_PATH=$T/up.gi.$scope.log "$T/bin/up.gi.$scope" >/dev/null 2>&1
	INSTRUMENTATION_LOG_PATH=$T/up.tc.$scope.log "$T/bin/up.tc.$scope" >/dev/null 2>&1
	check "--unsafe=$scope: the same sites as goinstr build --unsafe=$scope" \
		same_sites "$T/up.gi.$scope.log" "$T/up.tc.$scope.log"
done
main_only() {
	has "$T/up.tc.main.log" '"cat":"unsafe".*"caller":{"func":"main\.' &&
		lacks "$T/up.tc.main.log" '"cat":"unsafe".*"caller":{"func":"golang.org/x/sys\|"cat":"unsafe".*"caller":{"func":"example.com/udep'
}
check "--unsafe=main: main-module sites only" main_only
# A workspace: go.work's use directories are main modules too, found by
# the compile shim without the go command's help (GOWORK here).
printf 'go 1.26.0\n\nuse (\n\t%s\n\t%s\n)\n' "$UP" "$ROOT/tests/unsafe/udep" >"$T/go.work"
(cd "$UP" && GOWORK=$T/go.work "$GOINSTR" build --unsafe=main -o "$T/bin/up.gi.work" . &&
	GOWORK=$T/go.work PATH=$T/tcmain/bin:$PATH go build -o "$T/bin/up.tc.work" .)
INSTRUMENTATION_LOG_PATH=$T/up.gi.work.log "$T/bin/up.gi.work" >/dev/null 2>&1
INSTRUMENTATION_LOG_PATH=$T/up.tc.work.log "$T/bin/up.tc.work" >/dev/null 2>&1
check "--unsafe=main in a workspace (GOWORK): the same sites as goinstr build" \
	same_sites "$T/up.gi.work.log" "$T/up.tc.work.log"
check "--unsafe=main in a workspace: the other use directory is main too" \
	grep -q '"cat":"unsafe".*"caller":{"func":"example.com/udep' "$T/up.tc.work.log"
# (go.work gone too: it would hold every module below $T)
rm -rf "$T/tcmain" "$T/tcdeps" "$T/go.work"

# A package whose compile arguments pass 30 KB: the go command hands them
# to the toolchain's compile (a file named compile) in a response file,
# whose format is the release's; the shim reads it and gives the real
# compiler one: every site of the 400 files logs.
mkdir -p "$T/rsp/big"
printf 'module rsp\n\ngo 1.26\n' >"$T/rsp/go.mod"
long=a_file_name_long_enough_that_four_hundred_of_them_make_the_compile_command_pass_thirty_kilobytes
i=0
while [ $i -lt 400 ]; do
	printf 'package big\n\nimport "unsafe"\n\nfunc F%d(p unsafe.Pointer) int64 { return *(*int64)(p) }\n' $i \
		>"$T/rsp/big/f${i}_$long.go"
	i=$((i + 1))
done
# this run's own package: a compile the build cache cannot answer
printf 'package big\n\nconst Run = "%s"\n' "$T" >"$T/rsp/big/run.go"
{
	printf 'package main\n\nimport (\n\t"fmt"\n\t"rsp/big"\n\t"unsafe"\n)\n\nfunc main() {\n\tx := int64(1)\n\tn := int64(0)\n'
	i=0
	while [ $i -lt 400 ]; do
		printf '\tn += big.F%d(unsafe.Pointer(&x))\n' $i
		i=$((i + 1))
	done
	printf '\tfmt.Println(n)\n}\n'
} >"$T/rsp/main.go"
(cd "$T/rsp" && strace -f -qq -s 4096 -e trace=execve -o "$T/rsp.trace" env GOWORK=off PATH="$T/tc/bin:$PATH" \
	go build -o "$T/bin/rsp" . >"$T/rsp.out" 2>&1)
INSTRUMENTATION_LOG_PATH=$T/rsp.log "$T/bin/rsp" >/dev/null 2>&1
# rsp_compiled: compile ran with @FILE, and the sites of all 400 files logged
rsp_compiled() {
	has "$T/rsp.trace" "execve(\"$T/tc/pkg/tool/[^\"]*/compile\", \\[\"[^\"]*\", \"@" &&
		[ "$(grep -c '"site":{[^}]*rsp/big/' "$T/rsp.log")" -eq 400 ]
}
check "a compile given a response file (@FILE): all 400 files' sites log" rsp_compiled
[ -x "$T/bin/rsp" ] || show "$T/rsp.out"

# --- 4. go/build's dependency rules, read from the instrumented sources --------
tc go test -count=1 -run '^TestDependencies$' go/build >"$T/deps.out" 2>&1
check "go/build TestDependencies passes on DIR/src" grep -q '^ok' "$T/deps.out"
grep -q '^ok' "$T/deps.out" || sed 's/^/# /' "$T/deps.out" | head -20

# --- 5. goinstr verify DIR ------------------------------------------------------
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: clean toolchain, exit 0" ok_has $rc "$T/ver.out" ' 0 differ, 0 missing; 0 extra, 0 writable'
cp "$T/tc/src/reflect/value.go" "$T/value.go.orig"
printf 'x' | dd of="$T/tc/src/reflect/value.go" bs=1 seek=100 conv=notrunc 2>/dev/null
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
one_differs() { status_has "$1" 1 "$T/ver.out" "^differs: *$T/tc/src/reflect/value.go" && [ "$(grep -c '^differs' "$T/ver.out")" -eq 1 ]; }
check "verify DIR: one byte changed in an instrumented file: exit 1, named" one_differs $rc
cp "$T/value.go.orig" "$T/tc/src/reflect/value.go"
src_print=$(sha256sum <"$SRC/src/fmt/print.go")
cp --remove-destination "$SRC/src/fmt/print.go" "$T/tc/src/fmt/print.go" && chmod 644 "$T/tc/src/fmt/print.go" &&
	printf 'x' | dd of="$T/tc/src/fmt/print.go" bs=1 seek=100 conv=notrunc 2>/dev/null
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: a linked file replaced by a changed copy: exit 1, named" \
	status_has $rc 1 "$T/ver.out" "^differs: *$T/tc/src/fmt/print.go"
check "the source GOROOT's file is unchanged" [ "$(sha256sum <"$SRC/src/fmt/print.go")" = "$src_print" ]
cp --remove-destination "$SRC/src/fmt/print.go" "$T/tc/src/fmt/print.go"
echo 'package x' >"$T/tc/src/fmt/zz.go"
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: an added file: exit 1, named" status_has $rc 1 "$T/ver.out" "^extra: *$T/tc/src/fmt/zz.go"
rm "$T/tc/src/fmt/zz.go"
cp "$T/tc/pkg/tool/$GOOSARCH/link" "$T/link" && cp --remove-destination "$T/link" "$T/tc/pkg/tool/$GOOSARCH/link" &&
	printf 'x' >>"$T/tc/pkg/tool/$GOOSARCH/link"
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: a tool (link) changed: exit 1, named" \
	status_has $rc 1 "$T/ver.out" "^differs: *$T/tc/pkg/tool/$GOOSARCH/link"
cp --remove-destination "$T/link" "$T/tc/pkg/tool/$GOOSARCH/link"
"$GOINSTR" verify "$T/tc" >/dev/null; rc=$?
check "verify DIR: clean again once restored" [ $rc -eq 0 ]
# Files writable by others than the owner: a script, a rewritten source, the manifest.
for f in pkg/tool/$GOOSARCH/compile src/reflect/value.go pkg/goinstr/MANIFEST; do
	chmod o+w "$T/tc/$f"
	"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
	check "verify DIR: $f writable by others: exit 1, named" status_has $rc 1 "$T/ver.out" "^writable: *$T/tc/$f "
	chmod o-w "$T/tc/$f"
done
# Set-user-ID and set-group-ID files run as their owner or group, whoever
# starts them: each is named.
for f in bin/go:u pkg/tool/$GOOSARCH/compile:g src/reflect/value.go:u; do
	chmod "${f##*:}+s" "$T/tc/${f%:*}"
	"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
	check "verify DIR: ${f%:*} set-${f##*:}id: exit 1, named" \
		status_has $rc 1 "$T/ver.out" "^setid: *$T/tc/${f%:*} (mode [0-7]*: runs as its"
	chmod "${f##*:}-s" "$T/tc/${f%:*}"
done
# A directory above DIR that others may write to, without the sticky bit:
# they can rename DIR and put another toolchain in its place. With the
# sticky bit (as /tmp has) they cannot.
chmod 777 "$T"
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: its parent writable by others: exit 1, the parent named" status_has $rc 1 "$T/ver.out" \
	"^parent: *$T (mode 0777, uid [0-9]*: others than its owner can rename DIR" ' 1 parent directories others can change$'
chmod 1777 "$T"
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: its parent writable by others but sticky (as /tmp): clean" [ $rc -eq 0 ]
chmod 700 "$T"
# A change to what goinstr generates, with the MANIFEST updated to match,
# is still found: verify writes them again and compares. remanifest FILE
# makes the MANIFEST's digest of FILE its current one; tampered NAME FILE
# runs verify and wants FILE named, exit 1; each is undone after.
remanifest() {
	_new=$(sha256sum <"$T/tc/$1" | cut -c1-64)
	awk -v p="$1" -v n="$_new" '$4 == p { $3 = n } { print }' "$M" >"$T/M.new" && cat "$T/M.new" >"$M"
}
tampered() {
	"$GOINSTR" verify "$T/tc" >"$T/ver.out"; _rc=$?
	check "verify DIR: $1, MANIFEST updated to match: exit 1, named" status_has $_rc 1 "$T/ver.out" "^differs: *$T/tc/$2 "
	[ $_rc -eq 1 ] || show "$T/ver.out"
}
mkdir "$T/save"
L=src/reflect/goinstr_log.go
for f in $L pkg/goinstr/bin/goinstr bin/go pkg/goinstr/go $M_REL; do
	cp "$T/tc/$f" "$T/save/$(echo "$f" | tr / _)"
done
# restore FILE: FILE and the MANIFEST as goinstr made them (a new inode: a
# link to the source GOROOT is never written through)
restore() {
	cp --remove-destination "$T/save/$(echo "$1" | tr / _)" "$T/tc/$1" &&
		cp "$T/save/$(echo "$M_REL" | tr / _)" "$M"
}
sed 's/"INSTRUMENTATION_LOG_PATH"/"INSTRUMENTATION_LOG_OFF"/' "$T/save/$(echo $L | tr / _)" >"$T/tc/$L" &&
	remanifest $L
tampered "logging turned off in the injected logger" $L
restore $L
cp /bin/true "$T/tc/pkg/goinstr/bin/goinstr" && remanifest pkg/goinstr/bin/goinstr
tampered "goinstr's copy replaced" pkg/goinstr/bin/goinstr
restore pkg/goinstr/bin/goinstr
sed 's|^exec |GOFLAGS=-toolexec=/bin/true exec |' "$T/save/bin_go" >"$T/tc/bin/go" && remanifest bin/go
tampered "the bin/go script changed" bin/go
restore bin/go
cp --remove-destination /bin/true "$T/tc/pkg/goinstr/go" && remanifest pkg/goinstr/go
tampered "the real go command replaced" pkg/goinstr/go
restore pkg/goinstr/go
echo 'package fmt' >"$T/tc/src/fmt/zz.go"
z=$(sha256sum <"$T/tc/src/fmt/zz.go" | cut -c1-64)
echo "kept $z $z src/fmt/zz.go" >>"$M"
"$GOINSTR" verify "$T/tc" >"$T/ver.out"; rc=$?
check "verify DIR: a file added to src/ with a 'kept' line in the MANIFEST: exit 1, named" \
	status_has $rc 1 "$T/ver.out" "^extra: *$T/tc/src/fmt/zz.go"
rm "$T/tc/src/fmt/zz.go" && restore $M_REL
"$GOINSTR" verify "$T/tc" >/dev/null; rc=$?
check "verify DIR: clean again after the tampering checks" [ $rc -eq 0 ]

# --- 6. determinism, refusals, atomicity ----------------------------------------
"$GOINSTR" toolchain "$T/tc2" >/dev/null
check "deterministic: a second toolchain has the same manifest" cmp -s "$M" "$T/tc2/pkg/goinstr/MANIFEST"
"$GOINSTR" toolchain "$T/tc2" >/dev/null 2>"$T/e1"; rc=$?
check "DIR exists: refused, exit 2, one line" one_line $rc "$T/e1"
mkdir "$T/plain"
"$GOINSTR" toolchain --force "$T/plain" >/dev/null 2>"$T/e2"; rc=$?
check "--force on a directory that is not a toolchain: refused, exit 2, one line" one_line $rc "$T/e2"
"$GOINSTR" toolchain --force --ops=all "$T/tc2" >/dev/null; rc=$?
check "--force replaces a toolchain" \
	ok_has $rc "$T/tc2/pkg/goinstr/MANIFEST" '^# options ops=call,unsafe,mutate,construct,lookup,read '
"$GOINSTR" toolchain --bogus "$T/tc3" >/dev/null 2>"$T/e3"; rc=$?
check "unknown option: exit 2, one line" one_line $rc "$T/e3"
"$GOINSTR" toolchain >/dev/null 2>"$T/e4"; rc=$?
check "no DIR: exit 2, one line" one_line $rc "$T/e4"
cp -al "$SRC" "$T/goroot" && chmod u+w "$T/goroot/src/reflect" &&
	cp --remove-destination "$SRC/src/reflect/type.go" "$T/goroot/src/reflect/type.go" &&
	chmod u+w "$T/goroot/src/reflect/type.go" && printf ' ' >>"$T/goroot/src/reflect/type.go"
PATH=$T/goroot/bin:$PATH GOROOT=$T/goroot GOTOOLCHAIN=local "$GOINSTR" toolchain "$T/tc3" >/dev/null 2>"$T/e5"; rc=$?
check "a tampered source GOROOT is refused: exit 2, one line naming the file" one_said $rc 2 "$T/e5" 'src/reflect/type.go'
check "a failed run leaves no DIR and no temporary directory" [ -z "$(ls -d "$T"/tc3* 2>/dev/null)" ]
rm -rf "$T/goroot"
"$GOINSTR" toolchain "$T/tc4" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid; rc=$?
# whole_or_none DIR: no DIR, or one that verifies
whole_or_none() { absent "$1" || "$GOINSTR" verify "$1" >/dev/null; }
no_tmp_left() { [ -z "$(ls -d "$T"/tc4.tmp* 2>/dev/null)" ] && whole_or_none "$T/tc4"; }
check "SIGTERM during creation: no temporary directory left, and no DIR unless complete (rc $rc)" no_tmp_left
rm -rf "$T/tc4"
"$GOINSTR" toolchain "$T/tc5" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -KILL $pid
wait $pid 2>/dev/null
check "SIGKILL during creation: never a half DIR" whole_or_none "$T/tc5"
"$GOINSTR" toolchain --force "$T/tc5" >/dev/null 2>&1
check "SIGKILL leftovers of a dead run are removed by the next run" [ -z "$(ls -d "$T"/tc5.tmp* 2>/dev/null)" ]

# --- 7. another user's GOROOT ----------------------------------------------------
# Made by root from a GOROOT another user owns, a toolchain links only
# root's files: a link to that user's file would let them rewrite the
# compiler (or any source) in place. A copy of the GOROOT owned by nobody,
# but for one file root keeps.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp -a "$SRC" "$T/foreign" && chown -R nobody "$T/foreign" && chown root "$T/foreign/src/fmt/print.go"
	PATH=$T/foreign/bin:$PATH GOROOT=$T/foreign GOTOOLCHAIN=local "$GOINSTR" toolchain "$T/tcf" >/dev/null 2>"$T/ef"; rc=$?
	check "a toolchain from another user's GOROOT: exit 0" [ $rc -eq 0 ]
	check "... no file of it is that user's (copies, not links)" [ -z "$(find "$T/tcf" -user nobody | head -n 1)" ]
	check "... the compiler is a copy: its inode is not the source's" [ "$(stat -c %i "$T/tcf/pkg/goinstr/tool/compile")" != \
		"$(stat -c %i "$T/foreign/pkg/tool/$GOOSARCH/compile")" ]
	check "... root's own file is still a link" \
		[ "$(stat -c %i "$T/tcf/src/fmt/print.go")" = "$(stat -c %i "$T/foreign/src/fmt/print.go")" ]
	"$GOINSTR" verify "$T/tcf" >"$T/verf.out"; rc=$?
	check "... verify: clean" [ $rc -eq 0 ]
	ln -f "$T/foreign/src/fmt/scan.go" "$T/tcf/src/fmt/scan.go"
	"$GOINSTR" verify "$T/tcf" >"$T/verf.out"; rc=$?
	check "verify DIR: a file linked to another user's: exit 1, named" \
		status_has $rc 1 "$T/verf.out" "^foreign: *$T/tcf/src/fmt/scan.go "
	rm -rf "$T/tcf" "$T/foreign"
else
	skip "another user's GOROOT: needs root (to chown a GOROOT copy to nobody)"
fi

finish
