/*
 * overlay.h - the private work directory and the overlay file handed to
 * the go command (-overlay): files replaced or added, never touched on disk.
 *
 * The directory is created 0700 and removed by overlay_release() unless
 * keep is set. Entries are written in the order added; add them in a fixed
 * order for a deterministic overlay.
 */
#ifndef OVERLAY_H
#define OVERLAY_H

#include <stddef.h>

#include "strbuf.h"

struct overlay {
	struct strbuf dir;  /* work directory */
	struct strbuf json; /* "Replace" entries so far */
	size_t nfiles;
	int keep;
};

/* Create the work directory. 0 or -1 (reported). */
int overlay_init(struct overlay *ov);
/*
 * Write data to DIR/rel and map the absolute path target to it.
 * 0 or -1 (reported).
 */
int overlay_add(struct overlay *ov, const char *target, const char *rel,
		const void *data, size_t len);
/* Write DIR/overlay.json; path gets its name. 0 or -1 (reported). */
int overlay_finish(struct overlay *ov, struct strbuf *path);
/* Remove the work directory (unless keep) and free. */
void overlay_release(struct overlay *ov);

#endif
