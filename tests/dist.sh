#!/bin/sh
# dist.sh - the release archives of `make dist` (scripts/dist.sh):
#   1. an archive per architecture and SHA256SUMS that checks them;
#   2. each goinstr is statically linked (no program interpreter, no
#      shared library);
#   3. in a bare root (bubblewrap: an empty tmpfs as /, with only the
#      archive's goinstr, a Go release's GOROOT and the test program; no
#      /lib, no /usr): `goinstr version`, a build, the binary run with
#      logging, `goinstr version BIN`, `goinstr report`; and without Go,
#      the one line that names what is missing. amd64 natively; arm64
#      under qemu-user (qemu-aarch64-static, called directly): version,
#      version BIN and report (a build needs the go command to run goinstr
#      again as its -toolexec, which needs binfmt_misc for qemu: a SKIP
#      line says when it is not registered).
# Needs scripts/deps.sh --dist (make dist installs it). DIST_ARCHS narrows.
set -u
SUITE=dist
. "$(dirname "$0")/lib.sh"
E2E=$ROOT/tests/e2e
VERSION=$(sed -n 's/^#define GOINSTR_VERSION "\(.*\)"$/\1/p' "$ROOT/src/version.h")
GOROOT_DIR=$(go env GOROOT)
ARCHS=${DIST_ARCHS:-amd64 arm64}
QEMU=$(command -v qemu-aarch64-static)

command -v bwrap >/dev/null 2>&1 || { skip "bubblewrap is not installed"; finish; }
bwrap --unshare-user --ro-bind / / true 2>/dev/null || { skip "bubblewrap cannot make a sandbox here"; finish; }

# --- 1. the archives ------------------------------------------------------------
# shellcheck disable=SC2086 # ARCHS: words
sh "$ROOT/scripts/dist.sh" $ARCHS >"$T/dist.out" 2>&1; rc=$?
check "scripts/dist.sh $ARCHS: exit 0" [ $rc -eq 0 ] || { show "$T/dist.out"; finish; }
D=$ROOT/build/dist
# sums_check: SHA256SUMS has one line per archive, each archive its sum
sums_check() { (cd "$D" && sha256sum -c --quiet SHA256SUMS && [ "$(wc -l <SHA256SUMS)" -eq "$(echo $ARCHS | wc -w)" ]); }
check "SHA256SUMS checks every archive" sums_check

# bare ARCH-DIR CMD...: CMD in a root holding only the archive's goinstr
# (/goinstr), the Go release (/go, read-only), the test programs (/src,
# read-only), /proc, /dev, a private /tmp and qemu for arm64 (/qemu).
bare() {
	_x=$1
	shift
	bwrap --unshare-all --die-with-parent --tmpfs / --ro-bind "$_x/goinstr" /goinstr \
		${GOINSTR_BARE_GO:+--ro-bind "$GOINSTR_BARE_GO" /go} --ro-bind "$E2E" /src \
		${QEMU:+--ro-bind "$QEMU" /qemu} --proc /proc --dev /dev \
		--bind "$T/tmp-$(basename "$_x")" /tmp --clearenv --setenv PATH /go/bin \
		--setenv HOME /tmp --setenv XDG_CACHE_HOME /tmp/cache --setenv GOCACHE /tmp/gocache \
		--setenv GOPATH /tmp/gopath --setenv GOFLAGS -buildvcs=false --setenv GOTOOLCHAIN local \
		--setenv CGO_ENABLED 0 --chdir /src "$@"
}

# archive_holds: the archive ($D/$name.tar.gz, unpacked in $x) holds
# goinstr, README.md, SECURITY.md and its directory, nothing else
archive_holds() {
	[ -x "$x/goinstr" ] && [ -f "$x/README.md" ] && [ -f "$x/SECURITY.md" ] && [ "$(tar -tzf "$D/$name.tar.gz" | wc -l)" -eq 4 ]
}
# static_elf MACHINE: $x/goinstr is an ELF for MACHINE with no interpreter
# and no shared library
static_elf() {
	readelf -hW "$x/goinstr" | grep -q "Machine:.*$1" &&
		! readelf -lW "$x/goinstr" | grep -q INTERP && ! readelf -dW "$x/goinstr" | grep -q NEEDED
}

for arch in $ARCHS; do
	name=goinstr-$VERSION-linux-$arch
	x=$T/$arch
	mkdir -p "$x" "$T/tmp-$arch"
	tar -xzf "$D/$name.tar.gz" -C "$x" --strip-components=1
	check "$arch: the archive holds goinstr, README.md and SECURITY.md" \
		archive_holds
	want=$([ $arch = amd64 ] && echo X86-64 || echo AArch64)
	check "$arch: an ELF of $want, statically linked (no interpreter, no shared library)" static_elf "$want"
	run=""
	[ $arch = arm64 ] && run=/qemu
	if [ $arch = arm64 ] && [ -z "$QEMU" ]; then
		skip "arm64: no qemu-aarch64-static (scripts/deps.sh --dist)"
		continue
	fi
	GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" $run /goinstr version >"$T/v.out" 2>&1; rc=$?
	check "$arch, bare root: goinstr version" ok_has $rc "$T/v.out" "^goinstr version $VERSION " ||
		show "$T/v.out"
	if [ $arch = amd64 ]; then
		# sh -c on purpose: a shell in the bare root is what must not run
		GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" sh -c : 2>/dev/null &&
			notok "amd64, bare root: the root holds no shell (it is bare)"
		GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" /goinstr build -o /tmp/basic ./basic >"$T/b.out" 2>&1; rc=$?
		check "amd64, bare root: goinstr build ./basic" [ $rc -eq 0 ] || show "$T/b.out"
		GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" /goinstr version /tmp/basic >"$T/vb.out" 2>&1; rc=$?
		check "amd64, bare root: goinstr version BIN: instrumented" \
			ok_has $rc "$T/vb.out" "^/tmp/basic: go1\.2[67]\.[0-9]*, instrumented by goinstr $VERSION"
		bwrap --unshare-all --die-with-parent --tmpfs / --ro-bind "$T/tmp-amd64/basic" /basic --proc /proc \
			--dev /dev --bind "$T/tmp-amd64" /tmp --clearenv --setenv INSTRUMENTATION_LOG_PATH /tmp/basic.log \
			/basic >/dev/null 2>&1
		GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" /goinstr report /tmp/basic.log >"$T/r.out" 2>&1; rc=$?
		check "amd64, bare root: the binary logs, goinstr report reads it" ok_has $rc "$T/r.out" \
			'^[1-9][0-9]* events at [1-9][0-9]* sites, 1 process' '^goinstr.test/e2e ' || show "$T/r.out"
		cp "$T/tmp-amd64/basic" "$T/tmp-amd64/basic.log" "$T/" 2>/dev/null
		bare "$x" /goinstr build ./basic >"$T/nogo.out" 2>&1; rc=$?
		check "amd64, bare root without Go: exit 2, one line naming it" \
			one_said $rc 2 "$T/nogo.out" "^goinstr: no 'go' command in PATH" ||
			show "$T/nogo.out"
	else
		if [ ! -f "$T/basic.log" ]; then
			skip "$arch: version BIN and report need the amd64 round's binary and log (DIST_ARCHS)"
			continue
		fi
		cp "$T/basic" "$T/basic.log" "$T/tmp-$arch/"
		bare "$x" /qemu /goinstr version /tmp/basic >"$T/vb.out" 2>&1; rc=$?
		check "$arch (qemu), bare root: goinstr version BIN" \
			ok_has $rc "$T/vb.out" "^/tmp/basic: go1\.2[67]\.[0-9]*, instrumented by goinstr $VERSION" || show "$T/vb.out"
		bare "$x" /qemu /goinstr report /tmp/basic.log >"$T/r2.out" 2>&1; rc=$?
		check "$arch (qemu), bare root: goinstr report, the same as amd64's" same_run "$T/r.out" "$T/r2.out" $rc 0 ||
			show "$T/r2.out"
		if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
			GOINSTR_BARE_GO=$GOROOT_DIR bare "$x" /goinstr build -o /tmp/basic2 ./basic >"$T/b2.out" 2>&1; rc=$?
			check "$arch (qemu, binfmt_misc), bare root: goinstr build ./basic" [ $rc -eq 0 ] || show "$T/b2.out"
		else
			skip "$arch: a build under qemu: binfmt_misc has no qemu-aarch64 (the go command runs goinstr again as its -toolexec)"
		fi
	fi
done
finish
