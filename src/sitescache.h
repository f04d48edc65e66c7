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
 * Entries live in cache_dir()/sites/<key>, gzip-compressed, are written atomically, and are
 * touched on use; those unused for a week are removed, at most once a day.
 * A hit's files are checked with one stat each (distinct file names are
 * found in the lines without decoding them, but for escaped ones).
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

/* A remembered inventory into out: 0 on a usable hit, -1 otherwise. */
int sitescache_get(const char *key, struct strbuf *out);

/* Remember an inventory; failures are silent (it is only a cache). */
void sitescache_put(const char *key, const char *data, size_t len);

/*
 * The inventory lines of one source file, remembered (sitescache_put)
 * under a key of all they depend on (inventory.h: inventory_file_key):
 * 0 on a hit (appended to out), -1 otherwise. No file is checked.
 */
int sitescache_file_get(const char *key, struct strbuf *out);

/*
 * Files gzip-compressed (zlib): write data to path through a temporary
 * file and rename, mode as given (0, or -1 reported); append the contents
 * of path to out, inflated if they are gzip (0, or -1 if unreadable or
 * corrupt). Inventories (BIN.sites.jsonl: about 25 bytes a site, where
 * their JSON Lines take 350; goinstr report reads them as they are, zcat
 * prints them) and this cache's entries.
 */
int gz_write_file(const char *path, const char *data, size_t len, unsigned mode);
int gz_read_file(const char *path, struct strbuf *out);

#endif
