/*
 * sitegate.c - the static gate: two sites inventories compared by keys
 * that survive moved lines; see sitegate.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "policy.h"
#include "sitegate.h"
#include "sitescache.h"
#include "srcallow.h"
#include "strbuf.h"
#include "util.h"

struct gsite {
	char *key, *op, *pkg, *module, *file, *expr, *to;
	long long line, col;
	int is_new;
};

struct gset {
	struct gsite *v;
	size_t nr;
};

static char *jdup(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? xstrdup(s) : NULL;
}

static void gsite_free(struct gsite *g)
{
	free(g->key), free(g->op), free(g->pkg), free(g->module), free(g->file);
	free(g->expr), free(g->to);
}

static void gset_release(struct gset *s)
{
	for (size_t i = 0; i < s->nr; i++)
		gsite_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->nr = 0;
}

static int cmp_place(const void *a, const void *b)
{
	const struct gsite *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (!c)
		c = strcmp(x->file, y->file);
	if (!c)
		c = x->line < y->line ? -1 : x->line > y->line;
	if (!c)
		c = x->col < y->col ? -1 : x->col > y->col;
	return c;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct gsite *)a)->key, ((const struct gsite *)b)->key);
}

static int is_log_line(json_t *o)
{
	return json_object_get(o, "msg") != NULL || json_object_get(o, "report") != NULL;
}

int sitegate_is_inventory(const char *data, size_t len)
{
	size_t n = 0;
	json_t *o;
	int ok;

	while (n < len && data[n] != '\n')
		n++;
	o = json_loadb(data, n, 0, NULL);
	ok = json_is_object(o) && json_object_get(o, "id") && json_object_get(o, "op") &&
	     json_object_get(o, "wrapped") && !is_log_line(o);
	json_decref(o);
	return ok;
}

int sitegate_is_inventory_file(const char *path)
{
	char buf[16384];
	gzFile gz = gzopen(path, "rb"); /* reads plain files as they are */
	int ok = 0;

	if (!gz)
		return 0;
	if (gzgets(gz, buf, sizeof(buf)))
		ok = sitegate_is_inventory(buf, strlen(buf));
	gzclose(gz);
	return ok;
}

/* Drop a site listed twice; then " #N" for the N-th of one key, in
 * file, line, column order (counted on the plain keys, then renamed). */
static void gset_number(struct gset *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = 0, *nth;

	if (s->nr)
		qsort(s->v, s->nr, sizeof(*s->v), cmp_place);
	/* a package and its test variant (-test) list the same site twice */
	for (size_t i = 0; i < s->nr; i++) {
		if (w && !cmp_place(&s->v[w - 1], &s->v[i])) {
			gsite_free(&s->v[i]);
			continue;
		}
		s->v[w++] = s->v[i];
	}
	s->nr = w;
	nth = xcalloc(s->nr + 1, sizeof(*nth));
	for (size_t i = 0; i < s->nr; i++)
		nth[i] = i && !strcmp(s->v[i - 1].key, s->v[i].key) ? nth[i - 1] + 1 : 1;
	for (size_t i = 0; i < s->nr; i++)
		if (nth[i] > 1) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s #%zu", s->v[i].key, nth[i]);
			free(s->v[i].key);
			s->v[i].key = xstrdup(sb.buf);
		}
	free(nth);
	strbuf_release(&sb);
}

/* Read an inventory's sites outside std, keyed and sorted by key. */
static int gset_load(struct gset *s, const char *name, const char *data, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long lineno = 0;
	size_t alloc = 0;

	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		json_t *o;
		struct gsite g = { 0 };

		lineno++;
		if (e == p) {
			p = e + 1;
			continue;
		}
		o = json_loadb(p, (size_t)(e - p), 0, NULL);
		p = e + (nl != NULL);
		if (!json_is_object(o) || is_log_line(o) || !(g.op = jdup(o, "op")) ||
		    !(g.file = jdup(o, "file")) || !(g.pkg = jdup(o, "package")) ||
		    !json_object_get(o, "wrapped")) {
			int log = json_is_object(o) && is_log_line(o);
			gsite_free(&g);
			json_decref(o);
			strbuf_release(&sb);
			gset_release(s);
			if (log)
				return error("%s:%lu: a goinstr log or report, not a sites inventory: "
					     "write one with goinstr sites", name, lineno);
			return error("%s:%lu: not a sites inventory line (goinstr sites writes them)",
				     name, lineno);
		}
		{
			/* a test variant, "p [p.test]", is package p */
			char *sp = strstr(g.pkg, " [");
			if (sp)
				*sp = '\0';
		}
		g.module = jdup(o, "module");
		g.expr = jdup(o, "expr");
		g.to = jdup(o, "to");
		g.line = json_integer_value(json_object_get(o, "line"));
		g.col = json_integer_value(json_object_get(o, "col"));
		json_decref(o);
		if (!g.module || !strcmp(g.module, "std") || !strncmp(g.module, "std@", 4)) {
			gsite_free(&g);
			continue;
		}
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s %s %s", g.op, g.pkg, g.expr ? g.expr : "");
		g.key = xstrdup(sb.buf);
		if (s->nr == alloc)
			s->v = xrealloc(s->v, (alloc = 2 * alloc + 64) * sizeof(*s->v));
		s->v[s->nr++] = g;
	}
	strbuf_release(&sb);
	gset_number(s);
	if (s->nr)
		qsort(s->v, s->nr, sizeof(*s->v), cmp_key);
	return 0;
}

/* "KEY at FILE:LINE:COL (MODULE)", for a terminal. */
static void put_site(const char *what, const struct gsite *g, const char *tail)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s: ", what);
	strbuf_addterm(&sb, g->key);
	strbuf_addstr(&sb, " at ");
	strbuf_addterm(&sb, g->file);
	strbuf_addf(&sb, ":%lld:%lld (", g->line, g->col);
	strbuf_addterm(&sb, g->module);
	strbuf_addch(&sb, ')');
	if (tail) {
		strbuf_addstr(&sb, ": ");
		strbuf_addterm(&sb, tail);
	}
	puts(sb.buf);
	strbuf_release(&sb);
}

/* Whether module is a main module's: the project's own code, which a
 * //goinstr:allow comment may opt out (a dependency's module has a
 * version). */
static int own_module(const char *module)
{
	return !strchr(module, '@');
}

long sitegate_compare(const char *old, const char *cur, size_t len, struct policy *pol)
{
	struct strbuf od = STRBUF_INIT, why = STRBUF_INIT, rs = STRBUF_INIT;
	struct gset o = { 0 }, c = { 0 };
	struct srcallow sa = SRCALLOW_INIT;
	size_t fresh = 0, removed = 0, allowed = 0, denied = 0, bad = 0;
	char today[11];
	long ret = -1;

	if (gz_read_file(old, &od) < 0) {
		error("cannot read baseline '%s'", old);
		goto out;
	}
	if (gset_load(&o, old, od.buf, od.len) < 0 || gset_load(&c, "the build's inventory", cur, len) < 0)
		goto out;
	for (size_t i = 0; i < c.nr; i++) {
		struct gsite *g = &c.v[i];
		struct prule *r = policy_match(pol, g->module, g->pkg, g->op, g->to);

		g->is_new = !bsearch(g, o.v, o.nr, sizeof(*o.v), cmp_key);
		if (r && r->deny) {
			strbuf_reset(&rs);
			strbuf_addf(&rs, "%s (owner %s): %s", policy_where(pol, r), r->owner, r->reason);
			put_site("denied", g, rs.buf);
			denied++;
		} else if (!g->is_new) {
			;
		} else if (r) {
			strbuf_reset(&rs);
			strbuf_addf(&rs, "%s (owner %s): %s", policy_where(pol, r), r->owner, r->reason);
			put_site("allowed", g, rs.buf);
			allowed++;
		} else if (own_module(g->module) && srcallow_reason(&sa, g->file, g->line, &why) > 0) {
			put_site("allowed", g, why.buf);
			allowed++;
		} else {
			put_site("new", g, NULL);
			fresh++;
		}
	}
	for (size_t i = 0; i < o.nr; i++)
		if (!bsearch(&o.v[i], c.v, c.nr, sizeof(*c.v), cmp_key)) {
			put_site("removed", &o.v[i], NULL);
			removed++;
		}
	policy_today(today);
	bad = policy_check(pol, today, 1);
	printf("%zu new sites, %zu removed, %zu allowed, %zu denied", fresh, removed, allowed, denied);
	if (pol)
		printf(", %zu policy rules failed", bad);
	putchar('\n');
	ret = (long)(fresh + denied + bad);
out:
	gset_release(&o);
	gset_release(&c);
	srcallow_release(&sa);
	strbuf_release(&od);
	strbuf_release(&why);
	strbuf_release(&rs);
	return ret;
}
