#!/bin/sh
# isolate.sh - --isolate: goinstr build/test (and a drop-in toolchain made
# with --isolate) run the go command and every tool it starts in a
# bubblewrap sandbox. Checked: a network attempt of the build (a module
# fetch from a proxy listening outside) and of a test binary fail inside
# and succeed outside, as seen by the listener (tests/isolate/listen); a
# write outside the writable paths fails; the log and the outputs are
# written; the binary is byte for byte a normal build's; a missing module
# and a machine where bubblewrap cannot run are each told in one line.
# Uses the Go toolchain selected by the environment (tests/lib.sh).
set -u
SUITE=isolate
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin" "$T/out" "$T/logs" "$T/outside"
ISO=$ROOT/tests/isolate
UP=$ROOT/tests/unsafe/prog

# Where bubblewrap cannot make a sandbox (no user namespaces), goinstr
# says so in one line, exit 2 (a bwrap that fails as it does there).
mkdir -p "$T/fakebwrap"
printf '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n' >"$T/fakebwrap/bwrap"
chmod +x "$T/fakebwrap/bwrap"
(cd "$UP" && PATH=$T/fakebwrap:$PATH "$GOINSTR" build --isolate -o "$T/bin/nope" . 2>"$T/nons.err"); rc=$?
check "bubblewrap cannot make a sandbox: exit 2, one line" one_line $rc "$T/nons.err"
check "bubblewrap cannot make a sandbox: the line names user namespaces, nothing is built" sh -c "
	grep -q 'user namespaces' '$T/nons.err' && [ ! -e '$T/bin/nope' ]"

if ! command -v bwrap >/dev/null 2>&1; then
	skip "--isolate: bubblewrap is not installed (scripts/deps.sh installs it)"
	finish
fi
if ! bwrap --unshare-all --ro-bind / / true 2>"$T/bwrap.err"; then
	skip "--isolate: bubblewrap cannot run here: $(head -n 1 "$T/bwrap.err")"
	finish
fi
(cd "$ISO" && go build -o "$T/bin/listen" ./listen) || { notok "build the listener"; finish; }
"$T/bin/listen" >"$T/listen.out" &
lpid=$!
if [ -n "${KEEP_T:-}" ]; then
	trap 'kill $lpid 2>/dev/null' EXIT
else
	trap 'kill $lpid 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fi
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/listen.out" ] && break; sleep 0.2; done
ADDR=$(head -n 1 "$T/listen.out")
conns() { grep -c '^connection' "$T/listen.out"; }

# The same binary and inventory as a normal build (a module with a
# dependency from the module cache, every unsafe pattern).
# (-o in a directory still to be made, as the go command makes it.)
(cd "$UP" && "$GOINSTR" build -o "$T/out/plain" . && "$GOINSTR" build --isolate -o "$T/out/new/iso" . 2>"$T/iso.err"); rc=$?
check "--isolate builds the binary of a normal build, byte for byte, and its inventory" sh -c "
	[ $rc -eq 0 ] && cmp -s '$T/out/plain' '$T/out/new/iso' && cmp -s '$T/out/plain.sites.jsonl' '$T/out/new/iso.sites.jsonl'"

# A build's network attempt: a module to fetch from a proxy outside.
mkdir -p "$T/fetch" && printf 'module fetch\n\ngo 1.26\n\nrequire example.com/missing v1.0.0\n' >"$T/fetch/go.mod"
printf 'package main\n\nimport "example.com/missing"\n\nfunc main() { missing.F() }\n' >"$T/fetch/main.go"
before=$(conns)
(cd "$T/fetch" && GOPROXY=http://$ADDR GONOSUMDB=example.com GOFLAGS=-mod=mod "$GOINSTR" build --isolate -o "$T/out/fetch" . >"$T/fetch.out" 2>&1); rc=$?
check "--isolate: a module fetch cannot reach the network; goinstr says in one line why the build failed" sh -c "
	[ $rc -ne 0 ] && [ $(conns) -eq $before ] &&
	[ \$(grep -c '^goinstr: --isolate builds offline, and a module of the build is not in the module cache' '$T/fetch.out') -eq 1 ]"
(cd "$T/fetch" && GOPROXY=http://$ADDR GONOSUMDB=example.com GOFLAGS=-mod=mod "$GOINSTR" build -o "$T/out/fetch" . >/dev/null 2>&1)
check "without --isolate the same build does reach the listener (the witness works)" [ "$(conns)" -gt "$before" ]

# A test binary: the network and a write outside the writable paths fail
# inside, succeed outside; the log is written.
for iso in --isolate ""; do
	before=$(conns)
	rm -f "$T/outside/x" "$T/logs/t.log"
	(cd "$ISO" && ISO_ADDR=$ADDR ISO_FILE=$T/outside/x INSTRUMENTATION_LOG_PATH=$T/logs/t.log \
		"$GOINSTR" test $iso -count=1 -v ./escape >"$T/escape.out" 2>&1)
	if [ -n "$iso" ]; then
		check "--isolate: a test's connection to a listener outside fails" sh -c "
			grep -q -- '--- FAIL: TestNetwork' '$T/escape.out' && [ $(conns) -eq $before ]"
		check "--isolate: a test's write outside the writable paths fails" sh -c "
			grep -q -- '--- FAIL: TestWrite' '$T/escape.out' && grep -q 'read-only file system' '$T/escape.out' &&
			[ ! -e '$T/outside/x' ]"
		check "--isolate: the test's log is written (its directory is writable)" sh -c "
			grep -q -- '--- PASS: TestLog' '$T/escape.out' && grep -q '\"op\":\"reflect.Value.SetInt\"' '$T/logs/t.log'"
	else
		check "without --isolate the same tests connect and write" sh -c "
			grep -q -- '--- PASS: TestNetwork' '$T/escape.out' && grep -q -- '--- PASS: TestWrite' '$T/escape.out' &&
			[ -s '$T/outside/x' ] && [ $(conns) -gt $before ]"
	fi
done

# A drop-in toolchain made with --isolate: its go runs in the sandbox (the
# compile shim, like every tool, inside it).
# The same DIR first without, then with --isolate: the same binary.
"$GOINSTR" toolchain "$T/tc" >/dev/null && (cd "$UP" && PATH=$T/tc/bin:$PATH go build -o "$T/out/tc.plain" .)
"$GOINSTR" toolchain --force --isolate "$T/tc" >/dev/null && (cd "$UP" && PATH=$T/tc/bin:$PATH go build -o "$T/out/tc.iso" .)
check "toolchain --isolate: go build gives the binary the same toolchain without it gives" sh -c "
	[ -s '$T/out/tc.iso' ] && cmp -s '$T/out/tc.iso' '$T/out/tc.plain'"
rm -f "$T/outside/x"
(cd "$ISO" && ISO_FILE=$T/outside/x PATH=$T/tc/bin:$PATH go test -count=1 -run TestWrite ./escape >"$T/tcw.out" 2>&1)
check "toolchain --isolate: a test's write outside fails" sh -c "
	grep -q -- '--- FAIL: TestWrite' '$T/tcw.out' && [ ! -e '$T/outside/x' ]"
check "toolchain --isolate: go version says so" sh -c "PATH='$T/tc/bin':\$PATH go version | grep -q ' isolate)\$'"

finish
