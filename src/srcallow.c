/*
 * srcallow.c - "//goinstr:allow REASON" comments on a site's line; see
 * srcallow.h.
 */
#include <stdlib.h>
#include <string.h>

#include "gosyn.h"
#include "srcallow.h"
#include "util.h"

#define DIRECTIVE "//goinstr:allow"

void srcallow_release(struct srcallow *sa)
{
	if (sa->syn) {
		gosyn_release(sa->syn);
		free(sa->syn);
	}
	free(sa->file);
	strbuf_release(&sa->src);
	sa->syn = NULL;
	sa->file = NULL;
}

struct find {
	const struct gosyn *g;
	unsigned line;
	TSNode hit;
	int found;
};

static int visit(void *ctx, const struct gosyn_path *path, TSNode n, int leave)
{
	struct find *f = ctx;
	unsigned line, col;

	(void)path;
	if (leave || f->found)
		return 1;
	if (ts_node_start_point(n).row + 1 > f->line || ts_node_end_point(n).row + 1 < f->line)
		return 1; /* nothing of this subtree is on the line */
	if (gosyn_is(n, "comment")) {
		gosyn_linecol(f->g, ts_node_start_byte(n), &line, &col);
		if (line == f->line) {
			size_t len;
			const char *t = gosyn_text(f->g, n, &len);
			if (len >= sizeof(DIRECTIVE) - 1 && !memcmp(t, DIRECTIVE, sizeof(DIRECTIVE) - 1) &&
			    (len == sizeof(DIRECTIVE) - 1 || t[sizeof(DIRECTIVE) - 1] == ' ' ||
			     t[sizeof(DIRECTIVE) - 1] == '\t')) {
				f->hit = n;
				f->found = 1;
			}
		}
	}
	return 0;
}

static int load(struct srcallow *sa, const char *file)
{
	if (sa->file && !strcmp(sa->file, file))
		return sa->syn ? 0 : -1;
	srcallow_release(sa);
	sa->file = xstrdup(file);
	strbuf_reset(&sa->src);
	if (strbuf_read_file(&sa->src, file) < 0)
		return -1;
	sa->syn = xcalloc(1, sizeof(struct gosyn));
	if (gosyn_parse(sa->syn, sa->src.buf, sa->src.len) < 0) {
		free(sa->syn);
		sa->syn = NULL;
		return -1;
	}
	return 0;
}

int srcallow_reason(struct srcallow *sa, const char *file, long long line, struct strbuf *reason)
{
	struct find f = { NULL, (unsigned)line, { { 0 }, NULL, NULL }, 0 };
	size_t len;
	const char *t;

	strbuf_reset(reason);
	if (line < 1 || line > 0xffffffffLL || load(sa, file) < 0)
		return 0;
	f.g = sa->syn;
	gosyn_walk(f.g->root, visit, &f);
	if (!f.found)
		return 0;
	t = gosyn_text(f.g, f.hit, &len);
	t += sizeof(DIRECTIVE) - 1, len -= sizeof(DIRECTIVE) - 1;
	while (len && (*t == ' ' || *t == '\t'))
		t++, len--;
	while (len && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r'))
		len--;
	if (!len) {
		error("%s:%lld: //goinstr:allow without a reason allows nothing", file, line);
		return -1;
	}
	strbuf_add(reason, t, len);
	return 1;
}
