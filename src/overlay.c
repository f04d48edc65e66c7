/*
 * overlay.c - work directories, cache entries and Go overlay files.
 */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void overlay_zero(struct overlay *ov)
{
	memset(ov, 0, sizeof(*ov));
	strbuf_init(&ov->dir, 0);
	strbuf_init(&ov->final, 0);
	strbuf_init(&ov->json, 0);
	ov->ce = (struct cache_entry)CACHE_ENTRY_INIT;
}

int overlay_init(struct overlay *ov)
{
	overlay_zero(ov);
	if (workdir_create(&ov->dir) < 0)
		return -1;
	strbuf_addstr(&ov->final, ov->dir.buf);
	return 0;
}

int overlay_open_cached(struct overlay *ov, const char *key, int *hit,
			struct strbuf *path)
{
	int r;

	overlay_zero(ov);
	*hit = 0;
	if ((r = cache_lookup("overlay", key, &ov->ce)) < 0)
		return -1;
	strbuf_addstr(&ov->final, ov->ce.path.buf);
	if (r == 1) {
		*hit = 1;
		strbuf_reset(path);
		strbuf_addf(path, "%s/overlay.json", ov->final.buf);
		return 0;
	}
	cache_entry_release(&ov->ce);
	if (cache_begin("overlay", key, &ov->ce) < 0)
		return -1;
	strbuf_addstr(&ov->dir, ov->ce.tmp.buf);
	ov->cached = 1;
	return 0;
}

int overlay_add_extra(struct overlay *ov, const char *rel, const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", ov->dir.buf, rel);
	ret = write_file(path.buf, data, len, 0600);
	strbuf_release(&path);
	return ret;
}

int overlay_add(struct overlay *ov, const char *target, const char *rel,
		const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT, final = STRBUF_INIT;
	int ret;

	if (strchr(target, '\n') || strchr(rel, '\n'))
		return error("path with a newline: '%s'", target);
	strbuf_addf(&path, "%s/%s", ov->dir.buf, rel);
	strbuf_addf(&final, "%s/%s", ov->final.buf, rel);
	{
		char *slash = strrchr(path.buf, '/');
		*slash = '\0';
		ret = mkdir_p(path.buf, 0700);
		*slash = '/';
	}
	if (!ret)
		ret = write_file(path.buf, data, len, 0600);
	if (!ret) {
		strbuf_addstr(&ov->json, ov->nfiles++ ? ",\n\t\t" : "\n\t\t");
		strbuf_addjson(&ov->json, target, strlen(target));
		strbuf_addstr(&ov->json, ": ");
		strbuf_addjson(&ov->json, final.buf, final.len);
	}
	strbuf_release(&path);
	strbuf_release(&final);
	return ret;
}

int overlay_finish(struct overlay *ov, struct strbuf *path)
{
	struct strbuf doc = STRBUF_INIT, p = STRBUF_INIT;
	int ret;

	strbuf_addf(&doc, "{\n\t\"Replace\": {%s\n\t}\n}\n", ov->json.buf);
	strbuf_addf(&p, "%s/overlay.json", ov->dir.buf);
	ret = write_file(p.buf, doc.buf, doc.len, 0600);
	if (!ret && ov->cached) {
		ret = cache_commit(&ov->ce);
		if (!ret)
			ov->cached = 0; /* in place (or superseded): nothing to clean */
	}
	strbuf_reset(path);
	strbuf_addf(path, "%s/overlay.json", ov->final.buf);
	strbuf_release(&doc);
	strbuf_release(&p);
	return ret;
}

void overlay_release(struct overlay *ov)
{
	if (ov->dir.len && !ov->cached && !ov->keep && !strcmp(ov->dir.buf, ov->final.buf))
		remove_tree(ov->dir.buf);
	cache_entry_release(&ov->ce); /* removes an unfinished entry */
	strbuf_release(&ov->dir);
	strbuf_release(&ov->final);
	strbuf_release(&ov->json);
}
