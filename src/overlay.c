/*
 * overlay.c - work directory and Go overlay file.
 */
#include "overlay.h"

#include <string.h>

#include "util.h"

int overlay_init(struct overlay *ov)
{
	memset(ov, 0, sizeof(*ov));
	strbuf_init(&ov->dir, 0);
	strbuf_init(&ov->json, 0);
	return workdir_create(&ov->dir);
}

int overlay_add(struct overlay *ov, const char *target, const char *rel,
		const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	if (strchr(target, '\n') || strchr(rel, '\n'))
		return error("path with a newline: '%s'", target);
	strbuf_addf(&path, "%s/%s", ov->dir.buf, rel);
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
		strbuf_addjson(&ov->json, path.buf, path.len);
	}
	strbuf_release(&path);
	return ret;
}

int overlay_finish(struct overlay *ov, struct strbuf *path)
{
	struct strbuf doc = STRBUF_INIT;
	int ret;

	strbuf_addf(&doc, "{\n\t\"Replace\": {%s\n\t}\n}\n", ov->json.buf);
	strbuf_reset(path);
	strbuf_addf(path, "%s/overlay.json", ov->dir.buf);
	ret = write_file(path->buf, doc.buf, doc.len, 0600);
	strbuf_release(&doc);
	return ret;
}

void overlay_release(struct overlay *ov)
{
	if (ov->dir.len && !ov->keep)
		remove_tree(ov->dir.buf);
	strbuf_release(&ov->dir);
	strbuf_release(&ov->json);
}
