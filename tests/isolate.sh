#!/bin/sh
# isolate.sh - --isolate: goinstr build/test (and a drop-in toolchain made
# with --isolate) run the go command and every tool it starts in a
# bubblewrap sandbox, and the programs they start (test binaries) in a
# tighter one of their own (src/isolate.h, src/progbox.h). Checked: the
# binary is byte for byte a normal build's; a module fetch and a test's
# connections (TCP, a Unix socket such as an ssh-agent's) fail inside and
# succeed outside, as seen by the listener (tests/isolate/listen); a
# test cannot write outside, beside its log, in GOCACHE or in goinstr's
# cache (planted code there would reach the next build without
# --isolate), cannot read $HOME, see the build's processes or make its
# read-only files writable again (tests/isolate/escape: each attempt
# passes outside, the witness); the source tree is never writable; what
# the build itself writes to GOCACHE and goinstr's cache is checked after
# it; a missing module, -exec, -fuzz and a machine where bubblewrap cannot
# run are each told in one line.
# Uses the Go toolchain selected by the environment (tests/lib.sh).
set -u
SUITE=isolate
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin" "$T/out" "$T/logs" "$T/outside" "$T/agent"
# The test module is copied: a test that escapes writes into its copy.
cp -r "$ROOT/tests/isolate" "$T/iso"
ISO=$T/iso
UP=$ROOT/tests/unsafe/prog
GC=$(go env GOCACHE)

# Where bubblewrap cannot make a sandbox (no user namespaces), goinstr
# says so in one line, exit 2 (a bwrap that fails as it does there).
mkdir -p "$T/fakebwrap"
printf '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n' >"$T/fakebwrap/bwrap"
chmod +x "$T/fakebwrap/bwrap"
(cd "$UP" && PATH=$T/fakebwrap:$PATH "$GOINSTR" build --isolate -o "$T/bin/nope" . 2>"$T/nons.err"); rc=$?
check "bubblewrap cannot make a sandbox: exit 2, one line" one_line $rc "$T/nons.err"
nothing_built() { has "$T/nons.err" 'user namespaces' && absent "$T/bin/nope"; }
check "bubblewrap cannot make a sandbox: the line names user namespaces, nothing is built" nothing_built

if ! command -v bwrap >/dev/null 2>&1; then
	skip "--isolate: bubblewrap is not installed (scripts/deps.sh installs it)"
	finish
fi
if ! bwrap --unshare-all --ro-bind / / true 2>"$T/bwrap.err"; then
	skip "--isolate: bubblewrap cannot run here: $(head -n 1 "$T/bwrap.err")"
	finish
fi
(cd "$ISO" && go build -o "$T/bin/listen" ./listen) || { notok "build the listener"; finish; }
"$T/bin/listen" "$T/agent/sock" >"$T/listen.out" &
lpid=$!
if [ -n "${KEEP_T:-}" ]; then
	trap 'kill $lpid 2>/dev/null; rm -f "$GC/ff/goinstr-escape-test" "$GC/ff/goinstr-escape-run"' EXIT
else
	trap 'kill $lpid 2>/dev/null; rm -f "$GC/ff/goinstr-escape-test" "$GC/ff/goinstr-escape-run"; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fi
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/listen.out" ] && break; sleep 0.2; done
ADDR=$(head -n 1 "$T/listen.out")
conns() { grep -c '^connection' "$T/listen.out"; }
uconns() { grep -c '^unix connection' "$T/listen.out"; }

# The same binary and inventory as a normal build (a module with a
# dependency from the module cache, every unsafe pattern).
# (-o in a directory still to be made, as the go command makes it.)
(cd "$UP" && "$GOINSTR" build -o "$T/out/plain" . && "$GOINSTR" build --isolate -o "$T/out/new/iso" . 2>"$T/iso.err"); rc=$?
same_iso() {
	[ "$1" -eq 0 ] && same_bytes "$T/out/plain" "$T/out/new/iso" &&
		same_bytes "$T/out/plain.sites.jsonl" "$T/out/new/iso.sites.jsonl"
}
check "--isolate builds the binary of a normal build, byte for byte, and its inventory" same_iso $rc

# A build's network attempt: a module to fetch from a proxy outside.
mkdir -p "$T/fetch" && printf 'module fetch\n\ngo 1.26\n\nrequire example.com/missing v1.0.0\n' >"$T/fetch/go.mod"
printf 'package main\n\nimport "example.com/missing"\n\nfunc main() { missing.F() }\n' >"$T/fetch/main.go"
before=$(conns)
(cd "$T/fetch" && GOPROXY=http://$ADDR GONOSUMDB=example.com GOFLAGS=-mod=mod "$GOINSTR" build --isolate -o "$T/out/fetch" . >"$T/fetch.out" 2>&1); rc=$?
# fetch_offline RC: the build failed, made no connection, and said why once
fetch_offline() {
	[ "$1" -ne 0 ] && [ "$(conns)" -eq "$before" ] &&
		[ "$(grep -c '^goinstr: --isolate builds offline, and a module of the build is not in the module cache' "$T/fetch.out")" -eq 1 ]
}
check "--isolate: a module fetch cannot reach the network; goinstr says in one line why the build failed" fetch_offline $rc
(cd "$T/fetch" && GOPROXY=http://$ADDR GONOSUMDB=example.com GOFLAGS=-mod=mod "$GOINSTR" build -o "$T/out/fetch" . >/dev/null 2>&1)
check "without --isolate the same build does reach the listener (the witness works)" [ "$(conns)" -gt "$before" ]

# A test binary's escapes. $HOME holds a secret; the log is in a
# directory of its own; goinstr's cache is a private one (XDG), GOCACHE
# the real one (the test would leave goinstr-escape-test there, removed
# at exit). First in the sandbox, then without it (the witness: each
# attempt succeeds).
mkdir -p "$T/home/.ssh" && echo 'not for tests' >"$T/home/.ssh/id_secret"
# escapes ISO XDG: the escape tests, in $T/escape.out
# (TestRemount only in the sandbox: outside it would remount the host's.)
GOENV_FILE=$(go env GOENV) GMC=$(go env GOMODCACHE) GP=$(go env GOPATH)
escapes() {
	rm -f "$T/outside/x" "$T/logs/t.log" "$T/logs/.bashrc" "$GC/ff/goinstr-escape-test"
	(cd "$ISO" && HOME=$T/home GOENV=$GOENV_FILE GOCACHE=$GC GOPATH=$GP GOMODCACHE=$GMC \
		XDG_CACHE_HOME=$2 ISO_CACHE=$2/goinstr ISO_GOCACHE=$GC ISO_HOME=1 ISO_PROC=1 \
		ISO_REMOUNT=${1:+1} ISO_UNIX=$T/agent/sock ISO_ADDR=$ADDR ISO_FILE=$T/outside/x \
		INSTRUMENTATION_LOG_PATH=$T/logs/t.log "$GOINSTR" test $1 -count=1 -v ./escape >"$T/escape.out" 2>&1)
	cp "$T/escape.out" "$T/escape${1:-.plain}.out"
}
failed() { grep -q -- "--- FAIL: $1 " "$T/escape.out"; }
passed() { grep -q -- "--- PASS: $1 " "$T/escape.out"; }
before=$(conns) ubefore=$(uconns)
escapes --isolate "$T/xdg"
# test_failed TEST: escape.out has TEST's failure; blocked TEST PATH: and
# nothing is at PATH
test_failed() { has "$T/escape.out" "--- FAIL: $1"; }
blocked() { test_failed "$1" && absent "$2"; }
net_blocked() { test_failed TestNetwork && [ "$(conns)" -eq "$before" ]; }
check "--isolate: a test's connection to a listener outside fails" net_blocked
unix_blocked() { test_failed TestUnix && [ "$(uconns)" -eq "$ubefore" ]; }
check "--isolate: a test's connection to a Unix socket outside (an ssh-agent's) fails" unix_blocked
check "--isolate: a test's write outside the writable paths fails" blocked TestWrite "$T/outside/x"
log_bound() { has "$T/escape.out" '--- PASS: TestLog' && has "$T/logs/t.log" '"op":"reflect.Value.SetInt"'; }
check "--isolate: the test's log is written (the file is bound)" log_bound
check "--isolate: a test cannot write beside its log (the log's directory is not writable)" \
	blocked TestLogDir "$T/logs/.bashrc"
check "--isolate: a test cannot read \$HOME (~/.ssh/id_secret)" failed TestHome
check "--isolate: a test cannot write GOCACHE" blocked TestGocache "$GC/ff/goinstr-escape-test"
cache_kept() { test_failed TestCache && ! grep -q 'planted by a test' "$T"/xdg/goinstr/overlay/*/reflect/goinstr_log.go; }
check "--isolate: a test cannot rewrite goinstr's cached reflect" cache_kept
check "--isolate: a test sees none of the build's processes" failed TestProc
check "--isolate: a test cannot make its read-only files writable again (mount)" \
	blocked TestRemount "$ISO/escape/remounted.txt"
# The next build, without --isolate and with the same cache, runs only
# its own code.
(cd "$ROOT/tests/cache/prog" && XDG_CACHE_HOME=$T/xdg "$GOINSTR" build -o "$T/bin/after" . &&
	"$T/bin/after" >"$T/after.out" 2>&1)
after_clean() { has "$T/after.out" '^prog 42' && lacks "$T/after.out" planted; }
check "--isolate: the next build without it runs no code of the test's" after_clean
before=$(conns) ubefore=$(uconns)
escapes "" "$T/xdg2"
# all_escape: without the sandbox every test passes, and what they did is seen
all_escape() {
	for t in TestNetwork TestUnix TestWrite TestLog TestLogDir TestHome TestGocache TestCache TestProc; do
		has "$T/escape.out" "--- PASS: $t " || return 1
	done
	[ -s "$T/outside/x" ] && [ "$(conns)" -gt "$before" ] && [ "$(uconns)" -gt "$ubefore" ] && [ -e "$GC/ff/goinstr-escape-test" ]
}
check "without --isolate the same tests connect, write, read, plant and see (the witness)" all_escape
rm -f "$GC/ff/goinstr-escape-test"

# goinstr run's program: in the same tighter sandbox; its exit status
# and its log as without one.
runs() {
	rm -f "$T/logs/r.log" "$GC/ff/goinstr-escape-run"
	(cd "$ISO" && HOME=$T/home GOENV=$GOENV_FILE GOCACHE=$GC GOPATH=$GP GOMODCACHE=$GMC ISO_GOCACHE=$GC \
		INSTRUMENTATION_LOG_PATH=$T/logs/r.log "$GOINSTR" run $1 ./runner >"$T/run.out" 2>&1)
}
runs --isolate; rc=$?
# run_confined RC: the program read no $HOME and wrote no GOCACHE, exited 3
# (go run: 1), and logged
run_confined() {
	has "$T/run.out" '^read home: false' '^wrote gocache: false' && absent "$GC/ff/goinstr-escape-run" &&
		has "$T/run.out" 'exit status 3' && [ "$1" -eq 1 ] && has "$T/logs/r.log" '"op":"reflect.Value.SetInt"'
}
check "run --isolate: the program cannot read \$HOME or write GOCACHE; its status and log as usual" run_confined $rc
INSTRUMENTATION_LOG_MAX_BYTES=100 runs --isolate; rc=$?
run_no_rotation() {
	[ "$1" -eq 1 ] && has "$T/run.out" 'exit status 3' 'INSTRUMENTATION_LOG_MAX_BYTES has no effect' &&
		has "$T/logs/r.log" '"op":"reflect.Value.SetInt"' && absent "$T/logs/r.log.1"
}
check "run --isolate again (go run takes the program from the build cache), rotation asked for: a warning that the log cannot rotate there; runs and logs" run_no_rotation $rc
runs ""
check "without --isolate the same program reads \$HOME and writes GOCACHE (the witness)" \
	has "$T/run.out" '^read home: true' '^wrote gocache: true'
rm -f "$GC/ff/goinstr-escape-run"

# The source tree is never writable: without -o, a main package's binary
# cannot be written into it; an output directory holding it is refused.
(cd "$ISO/listen" && "$GOINSTR" build --isolate >"$T/noo.out" 2>&1); rc=$?
tree_read_only() { [ "$1" -ne 0 ] && absent "$ISO/listen/listen" && has "$T/noo.out" 'read-only file system'; }
check "--isolate: build without -o cannot write into the source tree (read-only file system)" tree_read_only $rc
(cd "$ISO/listen" && "$GOINSTR" build --isolate -o . >"$T/dot.err" 2>&1); rc=$?
holds_tree() { one_said "$1" 2 "$T/dot.err" 'holds the source tree' && absent "$ISO/listen/listen"; }
check "--isolate: an output directory holding the source tree: refused, exit 2, one line" holds_tree $rc
# An output written in place in the sandbox must not write through a
# hard link into another file.
echo 'not to be written' >"$T/outside/victim" && ln "$T/outside/victim" "$T/out/hl"
(cd "$ISO/listen" && "$GOINSTR" build --isolate -o "$T/out/hl" . >"$T/hl.err" 2>&1); rc=$?
victim_kept() { one_said "$1" 2 "$T/hl.err" 'other links' && [ "$(cat "$T/outside/victim")" = 'not to be written' ]; }
check "--isolate: an output with another link: refused, exit 2, one line; the linked file untouched" victim_kept $rc
rm -f "$ISO/listen/listen"
(cd "$ISO/listen" && "$GOINSTR" build --isolate -o /dev/null . >"$T/null.err" 2>&1); rc=$?
null_out() { [ "$1" -eq 0 ] && absent "$ISO/listen/listen"; }
check "--isolate: -o /dev/null builds and writes nothing" null_out $rc

# -exec and -fuzz are refused.
(cd "$ISO" && "$GOINSTR" test --isolate -exec=/bin/true ./escape >"$T/exec.err" 2>&1); rc=$?
check "--isolate: -exec refused, exit 2, one line" one_said $rc 2 "$T/exec.err"
(cd "$ISO" && "$GOINSTR" test --isolate -fuzz=Fuzz ./escape >"$T/fuzz.err" 2>&1); rc=$?
check "--isolate: -fuzz refused, exit 2, one line" one_said $rc 2 "$T/fuzz.err"

# What the build itself writes, checked after it: a go command that
# writes GOCACHE an output that does not hash to its name, and goinstr's
# cache an entry without a valid seal (goinstr isolate GO: how a drop-in
# toolchain's go runs).
mkdir -p "$T/fakego/bin" "$T/fakesrc" "$T/fakegc"
ZERO=$(printf '%064d' 0) ONE=$(printf '%064d' 1)
EXE=$(printf exe | sha256sum | cut -c1-64)
cat >"$T/fakego/bin/go" <<EOF
#!/bin/sh
case \$1 in env|mod|work) exec "$(command -v go)" "\$@" ;; esac
umask 077
mkdir -p "$T/fakegc/00" && printf forged >"$T/fakegc/00/$ZERO-d"
mkdir -p "$T/fakegc/90/$EXE-d" "$T/fakegc/01/$ONE-d"
printf exe >"$T/fakegc/90/$EXE-d/a.out" && printf exe >"$T/fakegc/01/$ONE-d/a.out"
ln -s /etc "$T/fakegc/01/link"
printf forged >"$T/xdg/goinstr/sites/$ONE" && echo $ZERO >"$T/xdg/goinstr/sites/$ONE.seal"
EOF
chmod +x "$T/fakego/bin/go"
(cd "$T/fakesrc" && GOCACHE=$T/fakegc XDG_CACHE_HOME=$T/xdg "$GOINSTR" isolate "$T/fakego/bin/go" build \
	>"$T/fake.err" 2>&1); rc=$?
gocache_checked() {
	[ "$1" -eq 2 ] && absent "$T/fakegc/00/$ZERO-d" && has "$T/fake.err" "'$T/fakegc/00/$ZERO-d' in GOCACHE"
}
check "--isolate: an output in GOCACHE that does not hash to its name, written by the build: removed, exit 2" gocache_checked $rc
check "--isolate: an executable's output directory whose file hashes to its name: kept" \
	[ -f "$T/fakegc/90/$EXE-d/a.out" ]
# gone, and named in one line
gocache_removed() { [ ! -e "$1" ] && [ ! -L "$1" ] && grep -qF "'$1' in GOCACHE" "$T/fake.err"; }
check "--isolate: an executable's output directory whose file does not hash to its name: removed" \
	gocache_removed "$T/fakegc/01/$ONE-d"
check "--isolate: a symbolic link the build put in GOCACHE: removed" gocache_removed "$T/fakegc/01/link"
unsealed_removed() { absent "$T/xdg/goinstr/sites/$ONE" && has "$T/fake.err" 'does not match its seal'; }
check "--isolate: an entry of goinstr's cache without a valid seal, written by the build: removed" unsealed_removed

# A drop-in toolchain made with --isolate: its go runs in the sandbox (the
# compile shim, like every tool, inside it).
# The same DIR first without, then with --isolate: the same binary.
"$GOINSTR" toolchain "$T/tc" >/dev/null && (cd "$UP" && PATH=$T/tc/bin:$PATH go build -o "$T/out/tc.plain" .)
"$GOINSTR" toolchain --force --isolate "$T/tc" >/dev/null && (cd "$UP" && PATH=$T/tc/bin:$PATH go build -o "$T/out/tc.iso" .)
tc_same() { [ -s "$T/out/tc.iso" ] && same_bytes "$T/out/tc.iso" "$T/out/tc.plain"; }
check "toolchain --isolate: go build gives the binary the same toolchain without it gives" tc_same
rm -f "$T/outside/x"
(cd "$ISO" && ISO_FILE=$T/outside/x PATH=$T/tc/bin:$PATH go test -count=1 -run TestWrite ./escape >"$T/tcw.out" 2>&1)
tc_write_fails() { has "$T/tcw.out" '--- FAIL: TestWrite' && absent "$T/outside/x"; }
check "toolchain --isolate: a test's write outside fails" tc_write_fails
tc_says() { PATH="$T/tc/bin":$PATH go version | grep -q ' isolate)$'; }
check "toolchain --isolate: go version says so" tc_says

finish
