#!/bin/sh
# cache.sh - goinstr's cache belongs to its user and cannot lie (issue
# 21, item 1; src/cache.h). Each check is a reproduction of the review:
# the cache root or an entry left in a state another user or another
# program could leave it in (planted code in the rewrite of reflect, a
# forged inventory or tool answer, broad modes, a symbolic link, a
# directory above it others can change, no HOME) must be refused (exit 2,
# one line) or not used (made again), and the program must run only its
# own code and log. With two users (root only: setpriv to two unused
# uids) user B plants an entry for user A where the cache used to fall
# back to (/tmp/goinstr-cache-UID) or in B's own directories.
# Uses the Go toolchain selected by the environment (tests/lib.sh).
set -u
SUITE=cache
. "$(dirname "$0")/lib.sh"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/bin"
PROG=$ROOT/tests/cache/prog
GC=$(go env GOCACHE)

# b XDG OUT [goinstr options]: build prog with XDG_CACHE_HOME=XDG
b() {
	xdg=$1 out=$2
	shift 2
	(cd "$PROG" && GOCACHE=$GC XDG_CACHE_HOME=$xdg "$GOINSTR" build "$@" -o "$out" .)
}
# runs_clean BIN [LOGDIR]: BIN prints what it computes, runs nobody else's
# code (nothing "planted") and logs its reflect operation
runs_clean() {
	log=${2:-$T}/run.log
	rm -f "$log"
	INSTRUMENTATION_LOG_PATH=$log "$1" >"${2:-$T}/run.out" 2>"${2:-$T}/run.err" &&
		[ "$(cat "${2:-$T}/run.out")" = "prog 42" ] && ! grep -q planted "${2:-$T}/run.err" &&
		grep -q '"op":"reflect.Value.SetInt"' "$log"
}
# plant ENTRY: another's code in an overlay entry: an init in the injected
# logger (and the entry's MANIFEST, where it has one, made to match)
plant() {
	f=$1/reflect/goinstr_log.go
	chmod -R u+w "$1"
	printf '\nfunc init() { println("planted") }\n' >>"$f"
	if [ -f "$1/MANIFEST" ]; then
		sum=$(sha256sum "$f" | cut -c1-64)
		sed -i "s|^[0-9a-f]\{64\}  reflect/goinstr_log.go\$|$sum  reflect/goinstr_log.go|" "$1/MANIFEST"
	fi
}
# entry_of XDG: the overlay entry of the cache in XDG
entry_of() { ls -d "$1"/goinstr/overlay/* 2>/dev/null | grep -v '[.]seal$' | grep -v '[.]tmp' | head -n 1; }
# refused RC FILE TEXT: goinstr's own failure (exit 2, one line) saying TEXT
refused() { one_line "$1" "$2" && grep -qF -- "$3" "$2"; }

b "$T/c1" "$T/bin/p1"
check "a build with a fresh cache runs and logs" runs_clean "$T/bin/p1"
cache_private() {
	mode_is "$T/c1/goinstr" 700 && mode_is "$(entry_of "$T/c1")" 700 &&
		[ "$(stat -c %u "$T/c1/goinstr")" = "$(id -u)" ]
}
check "the cache and its entries are 0700 directories of the user's" cache_private

# Code planted in the cached rewrite of reflect (its MANIFEST made to
# match): the seal, outside the entry, does not; never used, made again.
plant "$(entry_of "$T/c1")"
b "$T/c1" "$T/bin/p2" 2>"$T/p2.err"; rc=$?
check "planted code in a cache entry is never built: made again, with a warning" \
	ok_has $rc "$T/p2.err" 'does not match its seal: removed' &&
	check "planted code in a cache entry: the program runs only its own code, and logs" \
		runs_clean "$T/bin/p2"
# The same entry with its seal too (what a writer without the key can do:
# a seal of the planted files made with a key of its own).
e=$(entry_of "$T/c1")
plant "$e"
cp "$e.seal" "$T/seal.keep" 2>/dev/null
printf '%064d\n' 0 >"$e.seal"
b "$T/c1" "$T/bin/p3" 2>"$T/p3.err"
# remade: the entry ($e) was found out and made again, without the plant
remade() { has "$T/p3.err" 'does not match its seal' && lacks "$e/reflect/goinstr_log.go" planted; }
check "a forged seal is not taken: the entry is made again" remade &&
	check "a forged seal: the program runs only its own code" runs_clean "$T/bin/p3"

# Modes, owners and links of the root and of an entry.
chmod 777 "$T/c1/goinstr"
b "$T/c1" "$T/bin/p4" 2>"$T/p4.err"; rc=$?
check "chmod 777 on the cache: refused, exit 2, one line naming it; nothing built" \
	refused $rc "$T/p4.err" "'$T/c1/goinstr' is not private (owner $(id -u), mode 777)"
chmod 700 "$T/c1/goinstr"
e=$(entry_of "$T/c1")
chmod 775 "$e"
b "$T/c1" "$T/bin/p5" 2>"$T/p5.err"; rc=$?
check "an entry writable by others (group): refused, exit 2, one line naming it" \
	refused $rc "$T/p5.err" "cache entry '$e' is not private (owner $(id -u), mode 775)"
# Readable, not writable, by others (older mirrors): no one else could
# have changed it; made private, with a warning, as the logger tightens a log.
chmod 755 "$e"
b "$T/c1" "$T/bin/p5" 2>"$T/p5.err"; rc=$?
made_private() { ok_has "$1" "$T/p5.err" "'$e' was readable by others (mode 755): made private" && mode_is "$e" 700; }
check "an entry only readable by others: made private (0700), with a warning, and used" made_private $rc
chmod 700 "$e"
if [ "$(id -u)" -eq 0 ]; then
	chown 4242 "$e"
	b "$T/c1" "$T/bin/p6" 2>"$T/p6.err"; rc=$?
	check "an entry owned by another user: refused, exit 2, one line naming it" \
		refused $rc "$T/p6.err" "cache entry '$e' is not private (owner 4242"
	chown 0 "$e"
else
	skip "an entry owned by another user: needs root to give it away"
fi
# A symbolic link as the cache, to a directory someone else left open
# with a planted entry in it.
mkdir -p "$T/other" "$T/c2"
cp -a "$T/c1/goinstr" "$T/other/goinstr" && plant "$(entry_of "$T/other")" && chmod -R 777 "$T/other"
ln -s "$T/other/goinstr" "$T/c2/goinstr"
b "$T/c2" "$T/bin/p7" 2>"$T/p7.err"; rc=$?
check "a symbolic link as the cache: refused, exit 2, one line" \
	refused $rc "$T/p7.err" "goinstr's cache '$T/c2/goinstr' is a symbolic link"
check "a symbolic link as the cache: nothing built, nothing planted ran" [ ! -e "$T/bin/p7" ]
# A directory above the cache that others can write (not sticky).
mkdir -p "$T/open/x" && chmod 777 "$T/open"
b "$T/open/x" "$T/bin/p8" 2>"$T/p8.err"; rc=$?
check "a directory above the cache writable by others: refused, exit 2, one line" \
	refused $rc "$T/p8.err" "'$T/open', above goinstr's cache"

# The sites cache: a forged inventory for the binary is not used.
b "$T/c3" "$T/bin/s1"
s=$(grep -l '^goinstr-sites 2 ' "$T"/c3/goinstr/sites/* 2>/dev/null | head -n 1)
{ printf 'goinstr-sites 2 0\n'; printf '{"id":"forged"}\n' | gzip -n; } >"$s"
rm -f "$T/bin/s1"
b "$T/c3" "$T/bin/s1" 2>"$T/s1.err"
# real_inventory: a forged entry was there ($s), and the binary's
# inventory is not it
real_inventory() {
	[ -n "$s" ] && ! zcat "$T/bin/s1.sites.jsonl" | grep -q forged &&
		zcat "$T/bin/s1.sites.jsonl" | grep -q '"op":"reflect.Value.SetInt"'
}
check "a forged inventory in the sites cache: BIN.sites.jsonl is the real one" real_inventory
# Trimming (at most once a day, at a put): entries of the sites cache
# unused for over a week go, and old seals whose entry is gone; the
# others stay. The binary's entry is removed so that the build puts one.
sd=$T/c3/goinstr/sites
old=$(printf '%064d' 7)
keep=$(printf '%064d' 8)
printf x >"$sd/$old" && printf x >"$sd/orphan.seal" && printf x >"$sd/$keep"
chmod 600 "$sd/$old" "$sd/orphan.seal" "$sd/$keep"
touch -d '8 days ago' "$sd/$old" "$sd/orphan.seal" && touch -d '2 days ago' "$sd/.trimmed"
rm -f "$s" "$s.seal" "$T/bin/s1"
b "$T/c3" "$T/bin/s1" 2>"$T/s3.err"; rc=$?
trimmed() { [ "$1" -eq 0 ] && [ -f "$sd/$keep" ] && [ ! -e "$sd/$old" ] && [ ! -e "$sd/orphan.seal" ]; }
check "the sites cache trimmed: an entry and a lone seal unused for 8 days gone, a fresh entry kept" trimmed $rc
# The tools cache: a forged -V answer is asked again, not used.
for f in "$T"/c3/goinstr/tools/*; do
	case $f in *.seal) ;; *) echo 'compile version go1.26.8 forged' >"$f" ;; esac
done
b "$T/c3" "$T/bin/s2" 2>"$T/s2.err"; rc=$?
asked_again() { [ "$1" -eq 0 ] && ls "$T"/c3/goinstr/tools/*.seal >/dev/null && ! grep -q forged "$T"/c3/goinstr/tools/*; }
check "forged tool answers in the cache: asked again (the entries hold the tools' own), not used" asked_again $rc

# No HOME, XDG_CACHE_HOME or GOCACHE (env -i): no shared fallback in /tmp.
(cd "$PROG" && env -i PATH="$PATH" GOFLAGS=-buildvcs=false "$GOINSTR" build -o "$T/bin/n1" . >"$T/n1.err" 2>&1); rc=$?
check "no HOME, XDG_CACHE_HOME or GOCACHE: refused, exit 2, one line naming them" \
	refused $rc "$T/n1.err" "set HOME, XDG_CACHE_HOME or GOCACHE"
(cd "$PROG" && env -i PATH="$PATH" GOCACHE="$T/gc" GOPATH="$T/gopath" GOFLAGS=-buildvcs=false \
	GOTOOLCHAIN="$(go env GOTOOLCHAIN)" "$GOINSTR" build -o "$T/bin/n2" .); rc=$?
gocache_own() { [ "$1" -eq 0 ] && mode_is "$T/gc/goinstr" 700 && [ -d "$T/gc/goinstr/overlay" ]; }
check "only GOCACHE set (CI, cron): the cache is GOCACHE/goinstr, private" gocache_own $rc &&
	check "only GOCACHE set: the program runs and logs" runs_clean "$T/bin/n2"

# --- two users --------------------------------------------------------------
# User B plants an entry for user A where A's cache used to be, and in
# directories of B's that A's cache could be pointed at.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip "two users: needs root and setpriv to act as two users"
	finish
fi
UA=$((3900000 + $$ % 50000 * 2)) UB=$((3900001 + $$ % 50000 * 2))
U=$(mktemp -d /tmp/goinstr-users.XXXXXX)
chmod 755 "$U"
if [ -n "${KEEP_T:-}" ]; then
	trap 'rm -rf "$U" "/tmp/goinstr-cache-$UA"' EXIT
else
	trap 'rm -rf "$U" "/tmp/goinstr-cache-$UA"; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fi
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
# a_runs_clean BIN: as runs_clean, as user A
a_runs_clean() {
	rm -f "$U/a/run.log"
	as "$UA" env INSTRUMENTATION_LOG_PATH="$U/a/run.log" "$1" >"$U/a/out" 2>"$U/a/err" &&
		! grep -q planted "$U/a/err" && grep -q '"op":"reflect.Value.SetInt"' "$U/a/run.log"
}
# goenv U: the environment of user U's builds (no HOME: a cron job)
goenv() { echo "PATH=$PATH GOCACHE=$U/$1/gc GOPATH=$U/$1/gopath GOFLAGS=-buildvcs=false GOTOOLCHAIN=local"; }
for w in a b; do
	mkdir -p "$U/$w" && cp -r "$ROOT/tests/cache" "$U/$w/src"
done
chown -R "$UA:$UA" "$U/a"
chown -R "$UB:$UB" "$U/b"
# B makes an entry with the same goinstr (entry names are equal for every
# user), plants code in it and leaves it where A's cache used to be, and
# in a directory of B's open to all.
# sh -c on purpose (here and below): setpriv runs one command as the user;
# the shell changes directory and chains the steps as that user.
as "$UB" env -i $(goenv b) XDG_CACHE_HOME="$U/b/xdg" sh -c "cd '$U/b/src/prog' && '$GOINSTR' build -o '$U/b/p' ." &&
	as "$UB" sh -c "
	e=\$(ls -d '$U'/b/xdg/goinstr/overlay/* | grep -v '[.]seal\$' | head -n 1)
	for d in /tmp/goinstr-cache-$UA '$U/b/share/goinstr'; do
		mkdir -p \$d/overlay && cp -r \"\$e\" \$d/overlay/ && chmod -R a+rwX \$d '$U/b/share' 2>/dev/null
	done
	true"
for d in "/tmp/goinstr-cache-$UA" "$U/b/share/goinstr"; do
	plant "$(ls -d "$d"/overlay/* | head -n 1)" && chown -R "$UB:$UB" "$d" && chmod -R a+rwX "$d"
done
check "two users: B's planted entries are in place (the witness)" \
	grep -q planted /tmp/goinstr-cache-$UA/overlay/*/reflect/goinstr_log.go
# A, without HOME: the cache is A's own (GOCACHE/goinstr), never B's.
as "$UA" env -i $(goenv a) sh -c "cd '$U/a/src/prog' && '$GOINSTR' build -o '$U/a/p1' ." 2>"$T/u1.err"; rc=$?
a_own_cache() { [ "$1" -eq 0 ] && [ -d "$U/a/gc/goinstr/overlay" ]; }
check "two users: A without HOME builds in a cache of A's own, never B's planted one" a_own_cache $rc &&
	check "two users: A's program runs only A's code, and logs" a_runs_clean "$U/a/p1"
# A pointed at B's open directory, directly or through a link of A's.
as "$UA" env -i $(goenv a) XDG_CACHE_HOME="$U/b/share" sh -c "cd '$U/a/src/prog' && '$GOINSTR' build -o '$U/a/p2' ." \
	>"$T/u2.err" 2>&1; rc=$?
check "two users: a cache in B's directory open to all: refused, exit 2, one line" \
	refused $rc "$T/u2.err" "above goinstr's cache '$U/b/share/goinstr', can be changed by others"
as "$UA" sh -c "mkdir -p '$U/a/xdg' && ln -s '$U/b/share/goinstr' '$U/a/xdg/goinstr'"
as "$UA" env -i $(goenv a) XDG_CACHE_HOME="$U/a/xdg" sh -c "cd '$U/a/src/prog' && '$GOINSTR' build -o '$U/a/p3' ." \
	>"$T/u3.err" 2>&1; rc=$?
check "two users: A's cache a symbolic link into B's directory: refused, exit 2, one line" \
	refused $rc "$T/u3.err" "goinstr's cache '$U/a/xdg/goinstr' is a symbolic link"
finish
