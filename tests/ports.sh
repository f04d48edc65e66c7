#!/bin/sh
# ports.sh - every Linux port builds and logs. The system call numbers and
# stat layouts of inject/runtime/goinstr_{sys,stat}_*.go are what this Go
# release's syscall package says (scripts/gensys.go -check); then, for each
# port, tests/e2e/noos (reflect without os: little of the standard library
# to compile) is built plain and instrumented and run under qemu-user
# (Debian's qemu-user-static, called directly: binfmt may not be
# registered; 386 runs natively, as qemu-i386 cannot run Go's 386
# binaries, plain or not): the same output as the plain build, exactly the
# wanted events, and the log file's checks, which use each port's own
# system calls: created 0600 under umask 000, an existing 0666 log
# tightened, a hard link and another user's file left alone, a FIFO
# neither waited on nor written, a relative path, exe from
# /proc/self/exe, and rotation (flock, fstat, fstatat, renameat) with each
# file beginning with a header.
#
# PORTS (default: every linux port of `go tool dist list` but amd64, which
# tests/e2e.sh covers) selects the ports to run; the others are built
# only if PORTS_BUILD=1. tests/run.sh runs every port with Go 1.26 and, with
# Go 1.27, one of each family of layouts and flags (386: stat64 and
# geteuid32; arm: 32-bit ARM's O_NOFOLLOW; s390x: big-endian; loong64:
# statx; mips64le: the kernel's stat_t and MIPS's open flags): the kernel
# ABI is the same whatever the release (gensys -check proves the numbers
# are), so the second release only has to show its runtime takes the shim.
set -u
SUITE=ports
. "$(dirname "$0")/lib.sh"
E2E=$ROOT/tests/e2e
cd "$E2E" || exit 1
mkdir -p "$T/bin"
go build -o "$T/bin/logcheck" ./logcheck || { notok "build logcheck"; finish; }
LOGCHECK=$T/bin/logcheck
GOROOT_DIR=$(go env GOROOT)

(cd "$ROOT" && go run scripts/gensys.go -goroot "$GOROOT_DIR" -check) >"$T/gensys.err" 2>&1
check "inject/runtime/goinstr_{sys,stat}_*.go say what $GOV's syscall package says (scripts/gensys.go -check)" \
	[ ! -s "$T/gensys.err" ]
show "$T/gensys.err"

all=$(go tool dist list | sed -n 's,^linux/,,p' | grep -vx amd64)
ports=${PORTS:-$all}
qemu_of() { # the qemu-user binary for a GOARCH ("" for native)
	case $1 in
	386) [ "$(uname -m)" = x86_64 ] && echo "" || echo qemu-i386-static ;;
	arm) echo qemu-arm-static ;;
	arm64) echo qemu-aarch64-static ;;
	loong64) echo qemu-loongarch64-static ;;
	mips64le) echo qemu-mips64el-static ;;
	mipsle) echo qemu-mipsel-static ;;
	*) echo "qemu-$1-static" ;;
	esac
}

# The checks of one port ($D its directory):
# tightened: the 0666 log made 0600 and written to
tightened() { mode_is "$D/wide" 600 && has "$D/wide" goinstr.start; }
# hard_link_alone: the hard-linked file keeps its content and mode, the
# program its output
hard_link_alone() {
	[ "$(cat "$D/other")" = keep ] && mode_is "$D/other" 644 && same_bytes "$T/plain.out" "$T/hard.out"
}
# rotated: 3 or more files, and logcheck finds them whole ($files: the
# older ones, oldest first)
rotated() { [ "$n" -ge 3 ] && "$LOGCHECK" -log "${files}$D/rot" -src noos -procs 3 -max-bytes 400; }
for arch in $all; do
	case " $(echo $ports) " in
	*" $arch "*) run=1 ;;
	*) run=0 ;;
	esac
	if [ $run -eq 0 ] && [ "${PORTS_BUILD:-0}" != 1 ]; then
		continue
	fi
	B=$T/bin/noos.$arch
	GOARCH=$arch "$GOINSTR" build -o "$B" ./noos >"$T/build.err" 2>&1
	check "$arch: goinstr build" [ -x "$B" ]
	[ -x "$B" ] || { show "$T/build.err"; continue; }
	[ $run -eq 1 ] || continue
	emu=$(qemu_of "$arch")
	if [ -n "$emu" ] && ! command -v "$emu" >/dev/null 2>&1; then
		skip "$arch: $emu is not installed (scripts/deps.sh --test installs qemu-user-static)"
		continue
	fi
	GOARCH=$arch go build -o "$B.plain" ./noos
	$emu "$B.plain" >"$T/plain.out" 2>&1; prc=$?
	D=$T/$arch && mkdir -p "$D"
	(umask 000 && INSTRUMENTATION_LOG_PATH=$D/log $emu "$B" >"$T/instr.out" 2>&1); irc=$?
	check "$arch: same output and exit code as the plain build" same_run "$T/plain.out" "$T/instr.out" $prc $irc
	check "$arch: exactly the wanted events; 0600 under umask 000" "$LOGCHECK" -log "$D/log" -src noos
	check "$arch: the header names the port and the executable (/proc/self/exe)" \
		grep -q "\"exe\":\"$B\",.*\"goarch\":\"$arch\"" "$D/log"
	: >"$D/wide" && chmod 666 "$D/wide"
	INSTRUMENTATION_LOG_PATH=$D/wide $emu "$B" >/dev/null 2>&1
	check "$arch: an existing 0666 log is tightened to 0600 and written" tightened
	echo keep >"$D/other" && chmod 644 "$D/other" && ln "$D/other" "$D/hard"
	INSTRUMENTATION_LOG_PATH=$D/hard $emu "$B" >"$T/hard.out" 2>&1
	check "$arch: a hard link is left alone" hard_link_alone
	if [ "$(id -u)" -eq 0 ]; then
		echo keep >"$D/theirs" && chown nobody "$D/theirs" && chmod 600 "$D/theirs"
		INSTRUMENTATION_LOG_PATH=$D/theirs $emu "$B" >/dev/null 2>&1
		check "$arch: another user's file is left alone" [ "$(cat "$D/theirs")" = keep ]
	fi
	mkfifo "$D/fifo"
	timeout 120 env INSTRUMENTATION_LOG_PATH=$D/fifo $emu "$B" >"$T/fifo.out" 2>&1; rc=$?
	check "$arch: a FIFO at the log path: no hang, same output" same_run "$T/plain.out" "$T/fifo.out" $rc $prc
	(cd "$D" && INSTRUMENTATION_LOG_PATH=rel.log $emu "$B" >/dev/null 2>&1)
	check "$arch: a relative path is the working directory's" grep -q goinstr.start "$D/rel.log"
	for i in 1 2 3; do
		INSTRUMENTATION_LOG_MAX_BYTES=400 INSTRUMENTATION_LOG_KEEP=20 INSTRUMENTATION_LOG_PATH=$D/rot $emu "$B" >/dev/null 2>&1
	done
	n=$(ls "$D"/rot.* 2>/dev/null | wc -l) files=
	k=$n; while [ $k -ge 1 ]; do files=$files$D/rot.$k,; k=$((k - 1)); done
	check "$arch: rotation ($n files): every file begins with a header, every event once per process, sizes within one write" \
		rotated
done
finish
