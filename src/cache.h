/*
 * cache.h - goinstr's cache: one directory of the user's, and entries in
 * it that are checked on every use, so that neither another user nor a
 * program goinstr ran can make one lie. Every cached thing goes through
 * this API (the standard library's rewrite, the sites inventories and
 * compile records, goinstr-types, the tools' -V answers; anything new,
 * too).
 *
 * The root is $XDG_CACHE_HOME/goinstr, else $HOME/.cache/goinstr, else
 * $GOCACHE/goinstr (the go command's own per-user cache, for systemd
 * units, cron and CI that set only GOCACHE), each only if absolute; with
 * none of them goinstr refuses: there is no shared fallback such as a
 * name in /tmp another user could create first. The root is made 0700
 * and used only if
 *   - it is a directory, not a symbolic link, owned by the effective
 *     user, with no permission for group or others;
 *   - every directory above it (symbolic links resolved) belongs to that
 *     user or root and is writable by no one else, unless sticky (/tmp):
 *     so no one else can rename it away and put theirs in its place.
 * An entry is ROOT/KIND/NAME: KIND a word ("overlay", "sites"), NAME a
 * key the caller computed from every input of what the entry holds (and
 * goinstr's own digest, hash.h), so equal names mean equal contents. The
 * same checks apply to KIND and to every entry (a directory or a file):
 * owned by the user, private, not a symbolic link. A check that fails is
 * refused: one line naming the path, its owner and mode, and what to do
 * (functions below return -1). Only a directory or entry of the user's
 * that others could read but not write (an older goinstr made GOROOT
 * mirrors 0755 in it) is made private instead, with a warning, as the logger
 * tightens a log: no one else could have changed it.
 *
 * Sealed entries (cache_begin/cache_commit, cache_write) cannot lie: an
 * entry is made under a temporary name beside its own, then sealed and
 * renamed into place (atomic: no one ever uses half an entry). The seal
 * is KIND/NAME.seal, outside the entry: an HMAC-SHA-256, under a secret
 * of this cache (ROOT/seal.key, 32 random bytes, 0600), of KIND, NAME and
 * every file in the entry (relative name, kind, contents; only regular
 * files and directories, each the user's and private, files with one
 * link). cache_lookup and cache_read recompute it on every use; an entry
 * that does not match (damaged, or changed by something without the
 * secret) is never used: it is removed, with a warning, and made again.
 * Nothing inside an entry vouches for it. Programs that `--isolate` runs
 * see neither the secret nor the cache (isolate.h).
 *
 * A new kind of entry (a directory; a file: cache_read/cache_write):
 *
 *	struct cache_entry e;
 *	int r = cache_lookup("helper", name, &e); // name: hex digest of all inputs
 *	if (r == 0) {                               // none yet (or it was bad)
 *		cache_entry_release(&e);
 *		r = cache_begin("helper", name, &e) < 0 ? -1 : 1;
 *		... write files in e.tmp, naming them by e.path ...
 *		if (r == 1 && cache_commit(&e) < 0)
 *			r = -1;
 *	}
 *	... r == 1: use e.path; r < 0: refused or failed (reported) ...
 *	cache_entry_release(&e);
 *
 * The seal is recomputed on every use: reading every file of the entry
 * (SHA-256 at about 1.5 GB/s).
 *
 * Nothing here exits; nothing is cached across calls but the root's path.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <time.h>

#include "strbuf.h"

/* The root, made if missing and checked, appended to out. 0 or -1 (refused
 * or not creatable: reported). */
int cache_root(struct strbuf *out);

/* A directory entry, found or being made. */
struct cache_entry {
	struct strbuf path; /* ROOT/KIND/NAME: where the entry is used */
	struct strbuf tmp;  /* cache_begin: the private directory to fill */
	char *kind, *name;  /* owned */
};
#define CACHE_ENTRY_INIT { STRBUF_INIT, STRBUF_INIT, NULL, NULL }

/*
 * Find the sealed directory entry KIND/NAME: 1 if it is there, passes its
 * checks and matches its seal (e->path names it); 0 if not (none, no seal,
 * or a mismatch: removed and warned about); -1 if refused (reported).
 * e is initialised by the call; release it.
 */
int cache_lookup(const char *kind, const char *name, struct cache_entry *e);

/*
 * Start making KIND/NAME: e->tmp is a new empty directory (0700) beside
 * it, e->path its final name (files written in e->tmp are used, once
 * committed, from e->path). 0 or -1 (reported). e is initialised by the
 * call; release it.
 */
int cache_begin(const char *kind, const char *name, struct cache_entry *e);

/*
 * Seal e->tmp and rename it to e->path. If another goinstr published the
 * same entry first and it matches its seal, that one stays. 0 or -1
 * (reported; e->tmp is removed by cache_entry_release).
 */
int cache_commit(struct cache_entry *e);

/* Free e; an entry begun and not committed is removed. */
void cache_entry_release(struct cache_entry *e);

/*
 * A sealed file entry: cache_read appends KIND/NAME's contents to data and
 * returns 1 if it is there, checked and matching its seal (and marks it
 * used: its mtime, for cache_trim); 0 if not (as cache_lookup); -1 if
 * refused (reported). cache_write writes one (temporary file, seal,
 * rename): 0 or -1 (reported).
 */
int cache_read(const char *kind, const char *name, struct strbuf *data);
int cache_write(const char *kind, const char *name, const void *data, size_t len);

/* Remove the entries of KIND (and their seals) unused for max_age seconds,
 * at most once every `every` seconds. Silent: it is only a cache. */
void cache_trim(const char *kind, long max_age, long every);

/*
 * After a sandbox wrote the cache (isolate.c): every entry of every kind
 * made or used since `since` (the ctime of its name) gets its checks, and
 * a sealed one its seal (one that does not match is removed). 0, or -1 if
 * anything failed (each reported in one line).
 */
int cache_check_since(time_t since);

#endif
