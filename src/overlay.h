/*
 * overlay.h - the directory of rewritten files and the overlay file handed
 * to the go command (-overlay): files replaced or added for the build,
 * never touched on disk.
 *
 * Two kinds of directory:
 *   - a work directory (overlay_init): private (0700), removed by
 *     overlay_release() unless keep is set;
 *   - a cache entry (overlay_open_cached): the same content as the sealed
 *     entry overlay/KEY of goinstr's cache (cache.h), KEY a digest of every
 *     input of the rewrite, so an identical build skips rewriting. It is
 *     built beside its final name, sealed and renamed into place; its seal
 *     (outside it, under the cache's secret) is checked on every use, so an
 *     entry changed since is never used (it is made again).
 * Entries are written in the order added: add them in a fixed order.
 */
#ifndef OVERLAY_H
#define OVERLAY_H

#include <stddef.h>

#include "cache.h"
#include "strbuf.h"

struct overlay {
	struct strbuf dir;      /* where files are written */
	struct strbuf final;    /* where the go command will read them */
	struct strbuf json;     /* "Replace" entries so far */
	size_t nfiles;
	int keep;   /* keep dir on release */
	int cached; /* dir is a cache entry under construction (ce) */
	struct cache_entry ce;
};

/* Create a work directory. 0 or -1 (reported). */
int overlay_init(struct overlay *ov);
/*
 * Open the cache entry for key. If a complete entry matching its seal
 * exists, *hit is set and path gets its overlay file; otherwise ov is
 * ready to be filled and finished. 0 or -1 (reported: the cache refused).
 */
int overlay_open_cached(struct overlay *ov, const char *key, int *hit,
			struct strbuf *path);
/*
 * Write data to DIR/rel and map the absolute path target to it.
 * 0 or -1 (reported).
 */
int overlay_add(struct overlay *ov, const char *target, const char *rel,
		const void *data, size_t len);
/* Write data to DIR/rel, sealed with the entry but not part of the overlay
 * (goinstr's own records, e.g. the reflect sites). 0 or -1 (reported). */
int overlay_add_extra(struct overlay *ov, const char *rel, const void *data, size_t len);
/* Write the overlay file (and, for a cache entry, seal it and move it
 * into place); path gets the overlay file's name. 0 or -1 (reported). */
int overlay_finish(struct overlay *ov, struct strbuf *path);
/* Remove the directory if it is a work directory (unless keep), or an
 * unfinished cache entry; free. */
void overlay_release(struct overlay *ov);

#endif
