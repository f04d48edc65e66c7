/*
 * edit.c - queued byte-range edits applied in one pass.
 */
#include "edit.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void editbuf_init(struct editbuf *eb, const char *src, size_t len)
{
	memset(eb, 0, sizeof(*eb));
	eb->src = src;
	eb->len = len;
}

void editbuf_release(struct editbuf *eb)
{
	for (size_t i = 0; i < eb->nr; i++)
		free(eb->v[i].text);
	free(eb->v);
	eb->v = NULL;
	eb->nr = eb->alloc = 0;
}

void edit_replace(struct editbuf *eb, size_t start, size_t end,
		  const char *text, size_t len)
{
	struct edit *e;

	if (eb->nr == eb->alloc) {
		eb->alloc = eb->alloc ? eb->alloc * 2 : 32;
		eb->v = xrealloc(eb->v, eb->alloc * sizeof(*eb->v));
	}
	e = &eb->v[eb->nr];
	e->start = (uint32_t)start;
	e->end = (uint32_t)end;
	e->seq = (uint32_t)eb->nr;
	e->text = xstrndup(text, len);
	e->len = len;
	eb->nr++;
}

void edit_insert(struct editbuf *eb, size_t at, const char *text)
{
	edit_replace(eb, at, at, text, strlen(text));
}

void edit_retext(struct editbuf *eb, size_t i, const char *text, size_t len)
{
	free(eb->v[i].text);
	eb->v[i].text = xstrndup(text, len);
	eb->v[i].len = len;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int edit_apply(struct editbuf *eb, struct strbuf *out)
{
	size_t pos = 0;

	qsort(eb->v, eb->nr, sizeof(*eb->v), cmp_edit);
	for (size_t i = 0; i < eb->nr; i++) {
		const struct edit *e = &eb->v[i];
		if (e->start < pos || e->end > eb->len || e->end < e->start)
			return error("overlapping edits at byte %u", (unsigned)e->start);
		strbuf_add(out, eb->src + pos, e->start - pos);
		strbuf_add(out, e->text, e->len);
		pos = e->end;
	}
	strbuf_add(out, eb->src + pos, eb->len - pos);
	return 0;
}
