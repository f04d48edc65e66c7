#!/bin/sh
# goroot.sh - a program built, run or tested by goinstr sees the Go
# installation a plain build's sees, with the installed toolchain and with
# toolchains the go command downloads into the module cache (which
# goinstr builds from without a copy: src/goroot.c).
#
# The probe (tests/goroot) prints runtime.GOROOT(), GOROOT, GOTOOLCHAIN
# and the first PATH entry of its environment, the file:line of each
# frame of a stack trace taken in a panic inside reflect and of a
# dependency's function from the module cache, and what `go env GOROOT
# GOVERSION` says when it runs go. Its lines must be the plain build's
# for go build (the binary then run), go run and go test, with and
# without -trimpath, for:
#   - the toolchain the environment selects (tests/run.sh runs this suite
#     with the installed one and with GOTOOLCHAIN=go1.27.3, downloaded);
#   - with the installed one: a downloaded release (GOTOOLCHAIN=go1.26.7,
#     GOROOT_TEST_OTHER to change it; skipped if it cannot be
#     downloaded), a switch asked by a go.mod's toolchain line
#     (GOTOOLCHAIN=auto, toolchain go1.27.3), and a downloaded toolchain's
#     go run from PATH with GOTOOLCHAIN=local (no switch).
# And, with a downloaded toolchain: a binary built, then goinstr's cache
# removed, still reports the plain build's GOROOT; no binary goinstr
# builds holds a path into goinstr's cache, or the name goinstr gives the
# module cache (/proc/self/root/...); a second identical build compiles
# nothing.
set -u
SUITE=goroot
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
PROBE=$ROOT/tests/goroot
OTHER=${GOROOT_TEST_OTHER:-go1.26.7}
NEWER=${GOROOT_TEST_NEWER:-go1.27.3}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/goinstr
GOCACHE=$(go env GOCACHE)
MODCACHE=$(go env GOMODCACHE)
n=0

# obs DIR TOOL VERB TRIM OUT [VAR=VALUE...]: the probe's lines into OUT,
# everything it and TOOL printed into OUT.all (a built binary: OUT.bin).
obs() {
	_d=$1 _tool=$2 _verb=$3 _trim=$4 _out=$5
	shift 5
	case $_verb in
	build) (cd "$_d" && env "$@" "$_tool" build $_trim -o "$_out.bin" . &&
		env "$@" "$_out.bin") ;;
	run) (cd "$_d" && env "$@" "$_tool" run $_trim .) ;;
	test) (cd "$_d" && env "$@" "$_tool" test -count=1 -v -run '^TestProbe$' $_trim .) ;;
	esac >"$_out.all" 2>&1
	grep '^obs ' "$_out.all" >"$_out"
}

# same LABEL DIR VERB TRIM [VAR=VALUE...]: the probe sees the same with
# goinstr as with go. Leaves the plain lines in $o.plain.
same() {
	_l=$1 _d=$2 _v=$3 _t=$4
	shift 4
	n=$((n + 1))
	o=$T/o$n
	obs "$_d" go "$_v" "$_t" "$o.plain" "$@"
	obs "$_d" "$GOINSTR" "$_v" "$_t" "$o.instr" "$@"
	# the lines of a complete run: 4 + 2 + at least 6 frames
	if [ "$(wc -l <"$o.plain")" -ge 12 ] && cmp -s "$o.plain" "$o.instr"; then
		ok "$_l: $_v${_t:+ $_t}: what the program sees is the plain build's"
	else
		notok "$_l: $_v${_t:+ $_t}: what the program sees is the plain build's"
		diff -u "$o.plain" "$o.instr" >"$o.diff"
		show "$o.diff"
		tail -n 5 "$o.instr.all" | sed 's/^/# goinstr: /'
	fi
}

# matrix LABEL DIR [VAR=VALUE...]: build, run and test, with and without
# -trimpath.
matrix() {
	_l=$1 _d=$2
	shift 2
	for v in build run test; do
		for t in "" -trimpath; do
			same "$_l" "$_d" "$v" "$t" "$@"
		done
	done
}

# is_downloaded LABEL FILE: the plain build's runtime.GOROOT() (FILE: its
# obs lines) is a toolchain in the module cache (not a vacuous check).
is_downloaded() {
	check "$1: the plain build's GOROOT is a toolchain in the module cache" \
		grep -q "^obs runtime.GOROOT()=$MODCACHE/golang.org/toolchain@" "$2"
}

# holds BIN PATH...: BIN holds one of the PATHs, in its bytes or in its
# debug information (which the linker compresses: objcopy, from binutils,
# which gcc brings, decompresses it).
holds() {
	_b=$1
	shift
	objcopy --decompress-debug-sections "$_b" "$T/dec" || return 0
	for _p in "$@"; do
		grep -a -q -F -e "$_p" "$_b" "$T/dec" && return 0
	done
	return 1
}

# rebuilt_nothing RC: the second build (-x in x.err) ran no compile and
# made the first one's bytes.
rebuilt_nothing() { [ "$1" -eq 0 ] && lacks "$T/x.err" '/compile ' && same_bytes "$T/bin/gone" "$T/bin/gone2"; }
# sees_plain_goroot: the cacheless binary observes what the plain one does
# (at least 12 observations).
sees_plain_goroot() { [ "$(wc -l <"$T/gone.plain")" -ge 12 ] && same_bytes "$T/gone.plain" "$T/gone.instr"; }

# removed LABEL [VAR=VALUE...]: a binary built with goinstr's cache in
# $T/xdg sees the plain build's GOROOT once that cache is gone; neither it
# nor a -trimpath one holds the cache's path or /proc/self/root; a second
# build compiles nothing.
removed() {
	_l=$1
	shift
	(cd "$PROBE" && env "$@" go build -o "$T/bin/plain" . &&
		env "$@" XDG_CACHE_HOME="$T/xdg" GOCACHE="$GOCACHE" "$GOINSTR" build -o "$T/bin/gone" . &&
		env "$@" XDG_CACHE_HOME="$T/xdg" GOCACHE="$GOCACHE" "$GOINSTR" build -trimpath -o "$T/bin/gone-trim" . &&
		env "$@" XDG_CACHE_HOME="$T/xdg" GOCACHE="$GOCACHE" "$GOINSTR" build -x -o "$T/bin/gone2" . 2>"$T/x.err")
	rc=$?
	check "$_l: a second identical build compiles nothing" rebuilt_nothing $rc
	rm -rf "$T/xdg"
	(cd "$T" && env "$@" "$T/bin/plain" | grep '^obs ' >"$T/gone.plain"
		env "$@" "$T/bin/gone" | grep '^obs ' >"$T/gone.instr")
	check "$_l: goinstr's cache removed, the binary sees the plain build's GOROOT and frames" sees_plain_goroot
	for b in "$T/bin/gone" "$T/bin/gone-trim"; do
		if holds "$b" "$T/xdg" /proc/self/root; then
			notok "$_l: $(basename "$b"): no path into goinstr's cache, no /proc/self/root"
		else
			ok "$_l: $(basename "$b"): no path into goinstr's cache, no /proc/self/root"
		fi
	done
}

ENVROOT=$(cd "$PROBE" && go env GOROOT)
case $ENVROOT in
"$MODCACHE"/*) downloaded=1 ;;
*) downloaded=0 ;;
esac

matrix "$GOV" "$PROBE"
[ $downloaded = 1 ] && is_downloaded "$GOV" "$T/o1.plain"
[ $downloaded = 1 ] && removed "$GOV"

if [ $downloaded = 0 ]; then
	# A release the go command downloads (once: then from the module cache).
	if ! OTHERROOT=$(cd "$PROBE" && GOTOOLCHAIN=$OTHER go env GOROOT 2>"$T/dl.err"); then
		skip "GOTOOLCHAIN=$OTHER: cannot download it: $(tail -n 1 "$T/dl.err")"
	else
		first=$((n + 1))
		matrix "GOTOOLCHAIN=$OTHER" "$PROBE" GOTOOLCHAIN="$OTHER"
		is_downloaded "GOTOOLCHAIN=$OTHER" "$T/o$first.plain"
		removed "GOTOOLCHAIN=$OTHER" GOTOOLCHAIN="$OTHER"
		# Its go first in PATH, GOTOOLCHAIN=local: no switch, no GOROOT set.
		first=$((n + 1))
		for v in run test; do
			same "its go in PATH" "$PROBE" $v "" PATH="$OTHERROOT/bin:$PATH" GOTOOLCHAIN=local
		done
		is_downloaded "its go in PATH" "$T/o$first.plain"
	fi
	# A go.mod's toolchain line makes the go command switch.
	mkdir -p "$T/tcline"
	cp "$PROBE"/*.go "$PROBE/go.sum" "$T/tcline/"
	sed "s/^go .*/&\n\ntoolchain $NEWER/" "$PROBE/go.mod" >"$T/tcline/go.mod"
	if ! (cd "$T/tcline" && GOTOOLCHAIN=auto go env GOROOT >/dev/null 2>"$T/dl.err"); then
		skip "toolchain $NEWER in go.mod: cannot download it: $(tail -n 1 "$T/dl.err")"
	else
		first=$((n + 1))
		for v in run test; do
			same "go.mod toolchain $NEWER, GOTOOLCHAIN=auto" "$T/tcline" $v "" GOTOOLCHAIN=auto
		done
		is_downloaded "go.mod toolchain $NEWER" "$T/o$first.plain"
	fi
fi

# Nothing a binary goinstr built records points into goinstr's cache.
for b in "$T"/o*.instr.bin; do
	holds "$b" "$CACHE/" /proc/self/root && echo "$b" >>"$T/leaky"
done
check "no binary goinstr built holds '$CACHE/' or /proc/self/root" [ ! -s "$T/leaky" ]
[ -s "$T/leaky" ] && show "$T/leaky"

finish
