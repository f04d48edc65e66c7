/*
 * sitescache.h - the sites inventory of a built binary, remembered under
 * the go command's build ID of that binary.
 *
 * Planning an inventory runs `go list -deps`, which costs about as much as
 * a cached build. But the binary's build ID already names everything the
 * inventory depends on: its action ID hashes every compiled source file,
 * the compile and link flags (our -toolexec identity among them, which
 * covers the rewrite, the --unsafe scope and the main modules) and the
 * module versions. What it does not name (where files live: -trimpath
 * drops directories from the hash) goes into our key beside it, and a hit
 * is used only if every file it lists is still there.
 *
 * Entries are sealed file entries of goinstr's cache, sites/<key>
 * (cache.h: checked against their seal on every use), gzip-compressed;
 * those unused for a week are removed, at most once a day.
 */
#ifndef SITESCACHE_H
#define SITESCACHE_H

#include "strbuf.h"

/*
 * The Go build ID of the ELF binary at path (its .note.go.buildid note)
 * into out. 0 if found, -1 if not (not ELF, no note, unreadable): not an
 * error, the caller plans the inventory instead.
 */
int buildid_read(const char *path, struct strbuf *out);

/*
 * The key of a binary's inventory: its build ID, plus what the build ID
 * leaves out (ctx: the caller's identity of the build, e.g. the toolexec
 * identity, the working directory and the module cache).
 */
void sitescache_key(const char *buildid, const char *ctx, struct strbuf *key);

/*
 * A remembered inventory, gzip-compressed as BIN.sites.jsonl holds it,
 * appended to gz: 0 on a usable hit (every file it names is still there:
 * one stat each, from the list the entry keeps, nothing inflated), 1
 * otherwise, -1 if the cache refused (reported: cache.h).
 */
int sitescache_get(const char *key, struct strbuf *gz);

/*
 * Remember an inventory: its JSON Lines (for the files they name) and
 * their gzip form (gz_compress's), which the entry keeps. A failure is
 * reported and otherwise ignored: it is only a cache.
 */
void sitescache_put(const char *key, const char *inv, size_t len, const char *gz, size_t gzlen);

/*
 * A package's compile record (cmd_toolexec.c), under the go command's
 * action ID of that compile: its inventory lines and its blind spots in
 * one line ("" if none; the record of a compile that saw nothing out of
 * scope is empty), one sealed entry, sites/pkg-<aid> (the line, then the
 * lines gzip). A record's presence says goinstr's compile step saw the
 * package. put reports a failure of the cache and otherwise ignores it (a
 * missing record is reported where it is missed); pkg_get appends the
 * lines, 0 on a hit, -1 otherwise; pkg_blind appends the blind spots, 0
 * if there is a record, -1 if not.
 */
void sitescache_pkg_put(const char *aid, const char *lines, size_t len, const char *blind);
int sitescache_pkg_get(const char *aid, struct strbuf *out);
int sitescache_pkg_blind(const char *aid, struct strbuf *out);

/*
 * gzip (zlib): append data's gzip form to gz (0, or -1 reported); append
 * the contents of path to out, inflated if they are gzip (0, or -1 if
 * unreadable or corrupt). BIN.sites.jsonl is gzip: about 22 bytes a site,
 * where its JSON Lines take 350; goinstr report reads it as it is, zcat
 * prints it.
 */
int gz_compress(const char *data, size_t len, struct strbuf *gz);
int gz_read_file(const char *path, struct strbuf *out);

#endif
