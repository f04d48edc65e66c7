#!/bin/sh
# unsafe.sh - unsafe operations in user and dependency code, end to end.
# tests/unsafe/prog is a module whose main package, internal packages
# (generic, cgo, assembly, new(expr), a local variable named make, a dot
# import of unsafe), a local
# go-1.17 dependency (tests/unsafe/udep) and golang.org/x/sys from the
# module cache perform every unsafe pattern; each wanted site is marked
# with a want comment (tests/e2e/logcheck). Built with goinstr and run:
# same output, exactly the wanted events, the inventory, scopes, checkptr,
# positions of compile errors, -trimpath names, goinstr diff. Uses the Go
# toolchain selected by the environment (tests/lib.sh).
set -u
SUITE=unsafe
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
UP=$ROOT/tests/unsafe/prog
(cd "$ROOT/tests/e2e" && go build -o "$T/bin/logcheck" ./logcheck) || { notok "build logcheck"; finish; }
LOGCHECK=$T/bin/logcheck

# --- build and run -----------------------------------------------------------
(cd "$UP" && go build -o "$T/bin/uprog.plain" .)
(cd "$UP" && "$GOINSTR" build -o "$T/bin/uprog" .)
check "goinstr build of an unsafe-using module" [ -x "$T/bin/uprog" ]
"$T/bin/uprog.plain" >"$T/up.plain" 2>&1; prc=$?
INSTRUMENTATION_LOG_PATH=$T/up.log "$T/bin/uprog" >"$T/up.instr" 2>&1; irc=$?
ran_as_plain() { same_run "$T/up.plain" "$T/up.instr" "$prc" "$irc" && [ "$prc" -eq 4 ]; }
check "same output and exit code ($prc) as the plain build" ran_as_plain
check "every wanted site logged once, nothing else" \
	"$LOGCHECK" -log "$T/up.log" -src "$ROOT/tests/unsafe"
# BIN.sites.jsonl is gzip-compressed (goinstr report reads it as it is).
# small_gzip: the inventory is gzip (unpacked to inv.jsonl), under 60 bytes a site
small_gzip() {
	gzip -t "$T/bin/uprog.sites.jsonl" && zcat "$T/bin/uprog.sites.jsonl" >"$T/inv.jsonl" &&
		[ "$(wc -c <"$T/bin/uprog.sites.jsonl")" -lt "$((60 * $(wc -l <"$T/inv.jsonl")))" ]
}
check "BIN.sites.jsonl is gzip, under 60 bytes a site" small_gzip
inv=$T/inv.jsonl
# lists_ran: the ids of the log's sites (ran), each in the inventory
lists_ran() {
	grep -o '"site":{"id":"[0-9a-f]*' "$T/up.log" | sed 's/.*"//' | sort -u >"$T/ran" &&
		[ -s "$T/ran" ] && for id in $(cat "$T/ran"); do has "$inv" "\"id\":\"$id\"" || return 1; done
}
check "BIN.sites.jsonl lists every site that ran" lists_ran
for why in "constant: evaluated at compile time" "inside a //go:nosplit function" \
	"a call into C: what the C code does is not instrumented" "its body is not Go" "linkname pull" \
	"logged with the operation it is an operand of" "entry hook" "inliner-critical"; do
	check "inventory says why: $why" grep -q "$why" "$inv"
done
# same_inv GZ: the gzip inventory GZ holds inv.jsonl's bytes
same_inv() { zcat "$1" | cmp -s - "$inv"; }
sites_same() { (cd "$UP" && "$GOINSTR" sites . | cmp -s - "$inv"); }
check "goinstr sites prints the same inventory" sites_same
# A rebuild has the same Go build ID: its inventory is the remembered one,
# without planning (no go list), and the same.
(cd "$UP" && strace -f -qq -e trace=execve -o "$T/rebuild.trace" "$GOINSTR" build -o "$T/bin/uprog2" .)
remembered() {
	same_inv "$T/bin/uprog2.sites.jsonl" && has "$T/rebuild.trace" 'execve(.*"build"' &&
		lacks "$T/rebuild.trace" 'execve(.*"list"'
}
check "a rebuilt binary's inventory is remembered under its build ID (no go list)" remembered

# A rebuild after an edit has a new build ID: its inventory is planned
# again, from the records the compiles left under their action IDs
# (goinstr's cache): the edited package's compile left a new one (entries
# counted without their seals).
mkdir -p "$T/ed" && printf 'module ed\n\ngo 1.26\n' >"$T/ed/go.mod"
printf 'package main\n\nimport "unsafe"\n\nvar x int\n\nfunc main() { println(*(*int)(unsafe.Pointer(&x)), other()) }\n' >"$T/ed/main.go"
printf 'package main\n\nimport "unsafe"\n\nfunc other() uintptr { return uintptr(unsafe.Pointer(&x)) & 0 }\n' >"$T/ed/other.go"
(cd "$T/ed" && XDG_CACHE_HOME=$T/edcache "$GOINSTR" build -o "$T/bin/ed" .)
n1=$(ls "$T/edcache/goinstr/sites" | grep '^pkg-' | grep -vc '[.]seal$')
printf 'func more() { _ = unsafe.Add(unsafe.Pointer(&x), 0) }\n' >>"$T/ed/main.go"
(cd "$T/ed" && XDG_CACHE_HOME=$T/edcache "$GOINSTR" build -o "$T/bin/ed" .)
n2=$(ls "$T/edcache/goinstr/sites" | grep '^pkg-' | grep -vc '[.]seal$')
(cd "$T/ed" && XDG_CACHE_HOME=$T/edcache "$GOINSTR" sites . | grep '"module":"ed"' >"$T/ed.sites")
# replanned: the binary's records of ed are the package's sites (6
# wrapped, an unsafe.Add among them); 1 record, then 2
replanned() {
	zcat "$T/bin/ed.sites.jsonl" | grep '"module":"ed"' | cmp -s - "$T/ed.sites" &&
		[ "$(grep -c '"wrapped":true' "$T/ed.sites")" -eq 6 ] && has "$T/ed.sites" '"op":"unsafe.Add"' &&
		[ "$n1" -eq 1 ] && [ "$n2" -eq 2 ]
}
check "a rebuild after an edit: the edited package's record is new, its sites all there ($n1, then $n2 records)" replanned
# A record lost (goinstr's cache cleaned, the go command's kept): the
# inventory is found again, by the same type checker, the same.
rm -f "$T/edcache/goinstr/sites/pkg-"* "$T/edcache/goinstr/sites/blind-"*
(cd "$T/ed" && XDG_CACHE_HOME=$T/edcache "$GOINSTR" sites . | grep '"module":"ed"' >"$T/ed.sites2")
check "a package whose compile record is gone: its sites found again, the same" cmp -s "$T/ed.sites" "$T/ed.sites2"

# -trimpath: what the wrappers bake in (site files, ids) is trimmed as the
# compiler trims positions: each event's site names the file its caller
# frame names (MODULE@VERSION/... for a dependency), the inventory has the
# same ids and files, and no directory of this build is in the binary.
(cd "$UP" && "$GOINSTR" build -trimpath -o "$T/bin/uprog.tp" .)
INSTRUMENTATION_LOG_PATH=$T/up.tp.log "$T/bin/uprog.tp" >/dev/null 2>&1
sed -n 's/.*"caller":{[^}]*"file":"\([^"]*\)".*"site":{"id":"\([0-9a-f]*\)","file":"\([^"]*\)".*/\1 \2 \3/p' \
	"$T/up.tp.log" | sort -u >"$T/tp.sites"
# trimmed_callers: 20 or more events, each site's file its caller's, trimmed
trimmed_callers() {
	[ "$(wc -l <"$T/tp.sites")" -ge 20 ] && awk '$1 != $3 { exit 1 }' "$T/tp.sites" &&
		has "$T/tp.sites" ' golang.org/x/sys@v[0-9.]*/unix/' ' example.com/uprog/main.go$'
}
check "-trimpath: each event's site file is its caller's trimmed file ($(wc -l <"$T/tp.sites") sites)" trimmed_callers
# ids_with_files GZ COPY: GZ (unpacked to COPY) has each id of tp.sites with its file
ids_with_files() {
	zcat "$1" >"$2" && while read -r f id _; do has "$2" "\"id\":\"$id\",.*\"file\":\"$f\"" || return 1; done <"$T/tp.sites"
}
check "-trimpath: the inventory has every event's id with the same file" \
	ids_with_files "$T/bin/uprog.tp.sites.jsonl" "$T/tp.inv"
no_build_dirs() { ! grep -q -a -F -e "$ROOT" -e "$(go env GOMODCACHE)" "$T/bin/uprog.tp"; }
check "-trimpath: no directory of the build in the binary" no_build_dirs
# The same with -trimpath from the go env file's GOFLAGS (go env -w),
# which goinstr reads through go env, not its own environment.
printf 'GOFLAGS=-trimpath\n' >"$T/goenv.tp"
(cd "$UP" && GOENV=$T/goenv.tp "$GOINSTR" build -o "$T/bin/uprog.tpenv" .)
check "GOFLAGS=-trimpath in the go env file: the inventory has every event's id with the same file" \
	ids_with_files "$T/bin/uprog.tpenv.sites.jsonl" "$T/tpenv.inv"

# Coverage: with -cover the go command compiles cover's copies of the
# files, not the files. The copies are wrapped too: the same sites (id,
# file, line, column, expression) log as without -cover, for each cover
# flag, the inventory is the same, and so is a plain build's coverage
# profile.
sites() { grep -o '"site":{[^}]*}' "$1" | sort -u >"$2"; }
sites "$T/up.log" "$T/sites.plain"
mkdir -p "$T/covdir"
(cd "$UP" && "$GOINSTR" build -cover -o "$T/bin/uprog.cover" .)
GOCOVERDIR=$T/covdir INSTRUMENTATION_LOG_PATH=$T/cov.build.log "$T/bin/uprog.cover" >/dev/null 2>&1
sites "$T/cov.build.log" "$T/sites.cov"
cover_build_same() {
	[ -s "$T/sites.plain" ] && same_bytes "$T/sites.cov" "$T/sites.plain" &&
		"$LOGCHECK" -log "$T/cov.build.log" -src "$ROOT/tests/unsafe" >/dev/null
}
check "go build -cover: the same sites log ($(wc -l <"$T/sites.plain")), byte for byte" cover_build_same
check "go build -cover: the same sites inventory" same_inv "$T/bin/uprog.cover.sites.jsonl"
(cd "$UP" && INSTRUMENTATION_LOG_PATH=$T/cov.test.log "$GOINSTR" test -count=1 . >"$T/cov.test.out" 2>&1)
sites "$T/cov.test.log" "$T/sites.cov"
test_same() { has "$T/cov.test.out" '^ok' && same_bytes "$T/sites.cov" "$T/sites.plain"; }
check "goinstr test (the program as a test): the same sites log" test_same
(cd "$UP" && go test -count=1 -coverprofile="$T/cov.plain.prof" . >/dev/null 2>&1)
# cover_test_same: go test with $flags ran with coverage, logged the same sites, whole
cover_test_same() {
	has "$T/cov.flag.out" '^ok.*coverage: ' && same_bytes "$T/sites.cov" "$T/sites.plain" &&
		"$LOGCHECK" -log "$T/cov.flag.log" -src "$ROOT/tests/unsafe" >/dev/null
}
for flags in "-cover" "-coverpkg=./...,example.com/udep,golang.org/x/sys/unix" "-coverprofile=$T/cov.instr.prof"; do
	rm -f "$T/cov.flag.log"
	(cd "$UP" && INSTRUMENTATION_LOG_PATH=$T/cov.flag.log "$GOINSTR" test -count=1 "$flags" . >"$T/cov.flag.out" 2>&1)
	sites "$T/cov.flag.log" "$T/sites.cov"
	check "go test ${flags%%=*}: the same sites log, byte for byte" cover_test_same
done
same_profile() { [ -s "$T/cov.plain.prof" ] && same_bytes "$T/cov.plain.prof" "$T/cov.instr.prof"; }
check "go test -coverprofile: the profile of a plain go test" same_profile

# Go 1.27's methods with type parameters: goinstr-types reads them with
# the release's own go/parser and go/types, so such a file is wrapped and
# its unsafe operations logged like any other's, with no warning.
case $GOV in go1.2[7-9]*|go1.[3-9]*)
	mkdir -p "$T/gm/lk"
	printf 'module gm\n\ngo 1.27\n' >"$T/gm/go.mod"
	cat >"$T/gm/main.go" <<-'EOF'
	package main

	import ("fmt"; "unsafe"; "gm/lk")

	type box struct{ v int64 }

	func (b *box) Get[T any](f func(int64) T) T { return f(*(*int64)(unsafe.Pointer(b))) } // want: unsafe.Pointer *int64; unsafe.Pointer

	func main() { b := &box{41}; fmt.Println(b.Get(func(x int64) int64 { return x + 1 }), *(*int64)(unsafe.Add(unsafe.Pointer(b), 0)), lk.N()) } // want: unsafe.Pointer *int64; unsafe.Add; unsafe.Pointer
	EOF
	printf '%s\n' 'package lk' '' 'import _ "unsafe"' '' 'type c struct{}' '' \
		'func (c) Id[T any](x T) T { return x }' '' 'func N() int { return c{}.Id(3) }' >"$T/gm/lk/lk.go"
	(cd "$T/gm" && "$GOINSTR" build -o "$T/bin/gm" . 2>"$T/gm.err"); gmrc=$?
	INSTRUMENTATION_LOG_PATH=$T/gm.log "$T/bin/gm" >"$T/gm.out" 2>&1
	gm_ok() { [ "$gmrc" -eq 0 ] && [ "$(cat "$T/gm.out")" = '42 41 3' ] && empty "$T/gm.err"; }
	check "a file with a generic method (Go 1.27): built, wrapped, no warning" gm_ok
	check "a file with a generic method (Go 1.27): its sites logged, in the method too" \
		"$LOGCHECK" -log "$T/gm.log" -src "$T/gm"
esac

# Scope: --unsafe=main, deps, none.
# main_deps OP OP: the counts of main-module and of dependency events, each
# compared with 0 (-gt, -eq)
main_deps() { [ "$(cat "$T/n.main")" "$1" 0 ] && [ "$(cat "$T/n.deps")" "$2" 0 ]; }
for scope in main deps none; do
	(cd "$UP" && "$GOINSTR" build --unsafe=$scope -o "$T/bin/uprog.$scope" .)
	INSTRUMENTATION_LOG_PATH=$T/up.$scope.log "$T/bin/uprog.$scope" >/dev/null 2>&1
	touch "$T/up.$scope.log" # with nothing to log, no file is made
	grep '"cat":"unsafe"' "$T/up.$scope.log" | grep -c '"caller":{"func":"example.com/uprog\|"caller":{"func":"main\.' >"$T/n.main"
	grep '"cat":"unsafe"' "$T/up.$scope.log" | grep -c '"caller":{"func":"golang.org/x/sys\|"caller":{"func":"example.com/udep' >"$T/n.deps"
	case $scope in
	main) check "--unsafe=main logs main-module sites only" main_deps -gt -eq ;;
	deps) check "--unsafe=deps logs dependency sites only" main_deps -eq -gt ;;
	none) check "--unsafe=none logs no unsafe site" lacks "$T/up.$scope.log" '"cat":"unsafe"' ;;
	esac
done

# --keep-work keeps the compiles' rewritten copies too, beside the overlay,
# one directory per package (a package never built before: the go command
# compiles only what its cache does not hold).
mkdir -p "$T/kw" && printf 'module kw\n\ngo 1.26\n' >"$T/kw/go.mod"
printf 'package main\n\nimport "unsafe"\n\n// %s\nfunc main() { x := 1; println(*(*int)(unsafe.Pointer(&x))) }\n' \
	"$$ $(date +%s%N)" >"$T/kw/main.go"
(cd "$T/kw" && "$GOINSTR" build --keep-work -o "$T/bin/kw" . 2>"$T/kw.err")
kept=$(sed -n 's/^goinstr: work directory kept: //p' "$T/kw.err")
# kept_work: the overlay, the wrappers and a rewritten main.go (0700)
kept_work() {
	[ -f "$kept/overlay.json" ] && [ -s "$kept/unsafe/kw/zz_goinstr_unsafe.go" ] && mode_is "$kept/unsafe/kw" 700 &&
		_k=$(ls "$kept/unsafe/kw/"*_main.go) && [ -s "$_k" ] && ! cmp -s "$_k" "$T/kw/main.go"
}
check "--keep-work keeps a package's rewritten files and wrappers beside the overlay" kept_work
[ -n "$kept" ] && rm -rf "$kept"

# Without a go.mod there is no main module to tell main from deps: refused
# (main would silently wrap nothing), not guessed.
mkdir -p "$T/nomod" && printf 'package main\n\nimport "unsafe"\n\nfunc main() { x := 1; println(*(*int)(unsafe.Pointer(&x))) }\n' >"$T/nomod/main.go"
for scope in main deps; do
	(cd "$T/nomod" && "$GOINSTR" build --unsafe=$scope -o "$T/bin/nomod" main.go 2>"$T/nomod.err"); rc=$?
	check "--unsafe=$scope without a go.mod: refused, exit 2, one line" one_said $rc 2 "$T/nomod.err" 'needs a main module'
done

# checkptr verifies at run time that every unsafe.Pointer conversion from
# uintptr arithmetic is still valid: the rewrite must keep them whole.
# Only code outside the standard library is rewritten: checkptr goes on for
# those packages (all= would recompile the standard library for nothing).
(cd "$UP" && "$GOINSTR" build -gcflags=example.com/...=-d=checkptr -gcflags=golang.org/x/...=-d=checkptr \
	-o "$T/bin/uprog.checkptr" .)
"$T/bin/uprog.checkptr" >"$T/up.checkptr" 2>&1
check "checkptr finds nothing (uintptr rules kept)" cmp -s "$T/up.plain" "$T/up.checkptr"

# Positions: compile errors on lines with wrapped sites name the same
# line and column as a plain build's; -trimpath names stay trimmed.
mkdir -p "$T/pos" && printf 'module pos\n\ngo 1.26\n' >"$T/pos/go.mod"
printf 'package main\n\nimport "unsafe"\n\nfunc main() {\n\tvar x int\n\tp := (*int)(unsafe.Pointer(&x)); var s string = 1\n\tq := unsafe.Add(unsafe.Pointer(&x), 1); _ = q; undefinedFn()\n\t_, _ = p, s\n}\n' >"$T/pos/main.go"
(cd "$T/pos" && go build . >"$T/pos.plain" 2>&1; "$GOINSTR" build . >"$T/pos.instr" 2>&1)
# as_plain PATTERN PLAIN INSTR: the plain build's messages have PATTERN, and
# goinstr's are the same bytes
as_plain() { has "$2" "$1" && same_bytes "$2" "$3"; }
check "compile errors keep their lines and columns" as_plain ':7:50' "$T/pos.plain" "$T/pos.instr"
# A compile error reads exactly as the go command's own: never the wrapper
# code a type error would quote, nor a warning about a file the grammar
# cannot parse when the compiler cannot either.
printf 'package main\n\nimport "unsafe"\n\nfunc main() {\n\tb := []byte("x")\n\tvar n int = unsafe.String(&b[0], 1)\n\tvar m string = *(*int)(unsafe.Pointer(&n))\n\t_, _ = n, m\n}\n' >"$T/pos/main.go"
(cd "$T/pos" && go build . 2>"$T/te.plain"; "$GOINSTR" build . 2>"$T/te.instr")
check "a type error on wrapped sites: the go command's own messages, byte for byte" \
	as_plain 'cannot use unsafe.String(&b\[0\], 1)' "$T/te.plain" "$T/te.instr"
printf 'package main\n\nimport "unsafe"\n\nfunc main() {\n\tvar x int\n\tp := (*int)(unsafe.Pointer(&x))\n\tq := \n\t_ = p\n}\n' >"$T/pos/main.go"
(cd "$T/pos" && go build . 2>"$T/se.plain"; "$GOINSTR" build . 2>"$T/se.instr")
check "a syntax error in a file with unsafe sites: the go command's own messages, byte for byte" \
	as_plain 'syntax error' "$T/se.plain" "$T/se.instr"
printf 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n\t"unsafe"\n)\n\nfunc main() {\n\tvar x int\n\tp := (*int)(unsafe.Pointer(&x)); _, f, l, _ := runtime.Caller(0)\n\tfmt.Println(f, l, *p)\n}\n' >"$T/pos/main.go"
(cd "$T/pos" && go run -trimpath . >"$T/tp.plain" 2>&1; "$GOINSTR" run -trimpath . >"$T/tp.instr" 2>&1)
check "-trimpath file names as in a plain build" \
	as_plain '^pos/main.go 11 0' "$T/tp.plain" "$T/tp.instr"

# All or nothing: when a package's rewrite cannot be written whole (here
# its wrapper file: goinstr's work directories are on a 4 KiB file system,
# which the package's one rewritten file fills), the package compiles as
# written, with a warning; never the rewritten files without the wrappers.
if unshare -rm true 2>/dev/null; then
	mkdir -p "$T/aon/small" "$T/aon/gotmp" "$T/aon/m"
	printf 'module aon\n\ngo 1.26\n' >"$T/aon/m/go.mod"
	printf 'package main\n\nimport (\n\t"reflect"\n\t"unsafe"\n)\n\nfunc main() {\n\tx := 6\n\treflect.ValueOf(&x).Elem().SetInt(7)\n\tprintln(*(*int)(unsafe.Pointer(&x)))\n}\n' >"$T/aon/m/main.go"
	# sh -c on purpose: in unshare's mount namespace, mount then build
	(cd "$T/aon/m" && unshare -rm sh -c "mount -t tmpfs -o size=4k tmpfs '$T/aon/small' &&
		TMPDIR='$T/aon/small' GOTMPDIR='$T/aon/gotmp' CGO_ENABLED=0 '$GOINSTR' build -o '$T/bin/aon' ." \
		>"$T/aon.err" 2>&1); rc=$?
	aon_fallback() {
		[ "$1" -eq 0 ] && [ "$("$T/bin/aon" 2>&1)" = 7 ] &&
			has "$T/aon.err" '^goinstr: warning: package aon is compiled without its unsafe taps'
	}
	check "a rewrite that cannot be written whole: the package compiles as written, with a warning" aon_fallback $rc
	# The fallback's object is in the go command's cache: a later build
	# takes it without compiling, and still says it, every time; the
	# binary's log header names it; its inventory lists it as not wrapped.
	for k in 1 2; do
		(cd "$T/aon/m" && GOTMPDIR="$T/aon/gotmp" CGO_ENABLED=0 "$GOINSTR" build -o "$T/bin/aon" .) \
			>"$T/aon$k.err" 2>&1
		check "the fallback compile is said again by a later build ($k)" \
			grep -q '^goinstr: warning: aon: compiled without its taps (its rewrite cannot be written): not instrumented' "$T/aon$k.err"
	done
	INSTRUMENTATION_LOG_PATH=$T/aon.log "$T/bin/aon" >/dev/null 2>&1
	aon_blind() {
		first_has "$T/aon.log" '"blind":\[{"pkg":"aon","why":"compiled without its taps' &&
			zcat "$T/bin/aon.sites.jsonl" | grep -q '"op":"package",.*"wrapped":false,"blind":true'
	}
	check "the fallback compile is in the binary's log header and its inventory" aon_blind
else
	skip "a rewrite that cannot be written whole: no user namespaces here (unshare -rm) to mount a small file system"
fi

# The shim answers a version query only when that is all it was asked: the
# go command's build IDs are random and start with "-V" one time in 4096.
mkdir -p "$T/fake" && printf '#!/bin/sh\necho "fake $*"\n' >"$T/fake/compile" && chmod +x "$T/fake/compile"
"$GOINSTR" toolexec --unsafe=all --id=feed "$T/fake/compile" -V=full >"$T/fake.v" 2>&1
"$GOINSTR" toolexec --unsafe=all --id=feed "$T/fake/compile" -o x.a -p x -buildid -Vab/-Vab -pack >"$T/fake.c" 2>&1
check "toolexec: compile -V=full is answered with goinstr's identity" grep -qx 'fake -V=full goinstr-feed' "$T/fake.v"
check "toolexec: a build ID that starts with -V is compiled, not a version query" \
	grep -qx 'fake -o x.a -p x -buildid -Vab/-Vab -pack' "$T/fake.c"

# A tool the shim leaves alone runs as if the go command ran it itself: its
# arguments as given, its exit status, and its death by a signal (the shell
# says 128+N only for a process killed by signal N), sent to it or to the shim.
printf '#!/bin/sh\nprintf "%%s|" "$@"; echo\ncase $1 in exit) exit $2;; kill) kill -$2 $$;; sleep) exec sleep $2;; esac\n' >"$T/fake/tool"
chmod +x "$T/fake/tool"
"$GOINSTR" toolexec "$T/fake/tool" exit 7 ' a  b' '' >"$T/tool.out" 2>&1; trc=$?
# tool_passed RC: the shim's status and the tool's arguments, exactly
tool_passed() { [ "$1" -eq 7 ] && [ "$(cat "$T/tool.out")" = 'exit|7| a  b||' ]; }
check "toolexec: a tool's arguments and exit status pass through" tool_passed $trc
"$GOINSTR" toolexec "$T/fake/tool" kill TERM >/dev/null 2>&1; trc=$?
check "toolexec: a tool killed by SIGTERM: the shim dies of SIGTERM ($trc)" [ $trc -eq 143 ]
sh -c "exec '$GOINSTR' toolexec '$T/fake/tool' sleep 30" >/dev/null 2>&1 &
tpid=$!
sleep 1
kill -TERM $tpid
wait $tpid; trc=$?
check "toolexec: SIGTERM sent to the shim reaches the tool, and the status says so ($trc)" [ $trc -eq 143 ]

# --- goinstr diff of the packages ---------------------------------------------
(cd "$UP" && "$GOINSTR" diff . >"$T/up.diff")
check "diff with packages shows the unsafe wrappers of main and dependencies" has "$T/up.diff" \
	"^+++ b$UP/main.go" '^+++ b.*golang.org/x/sys@.*/unix/zsyscall_linux.go' '^+++ b.*/udep/zz_goinstr_unsafe.go'

finish
