/*
 * report_inv.c - the --sites inventories in a report (report_inv.h):
 * read into r->inv, which of their sites ran, coverage per module.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "logread.h"
#include "report_types.h"
#include "report_inv.h"
#include "report_modules.h"
#include "strbuf.h"
#include "util.h"

/* An inventory string member, cut like a log's fields ("" if absent):
 * jansson's strings are UTF-8, so the cut only has to end before a
 * character's first byte. */
static char *jdup(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	size_t n = s ? strlen(s) : 0;
	struct strbuf sb = STRBUF_INIT;

	if (n <= REPORT_MAX_FIELD)
		return xstrdup(s ? s : "");
	n = REPORT_MAX_FIELD - 3;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	strbuf_add(&sb, s, n);
	strbuf_addstr(&sb, "\xe2\x80\xa6"); /* U+2026 */
	return strbuf_detach(&sb, NULL);
}

struct invkey {
	const char *module, *id;
};

static int eq_inv(const void *item, const void *key)
{
	const struct rinv *v = item;
	const struct invkey *k = key;
	return !strcmp(v->module, k->module) && !strcmp(v->id, k->id);
}

struct sctx {
	struct report *r;
	const char *path;
};

static int sites_line(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
		      void *ctx)
{
	struct sctx *c = ctx;
	struct report *r = c->r;
	json_t *o;
	const char *id, *mod;
	struct invkey k;
	struct strbuf kb = STRBUF_INIT;
	uint64_t h;
	size_t slot;
	struct rinv *v;

	if (kind == LOGREAD_TOOLONG)
		return error("%s:%lu: line longer than %u bytes", c->path, lineno, LOGREAD_MAX_LINE);
	if (kind == LOGREAD_BADGZ)
		return error("%s:%lu: gzip data corrupt or cut short", c->path, lineno);
	o = json_loadb(line, len, 0, NULL);
	id = json_string_value(json_object_get(o, "id"));
	mod = json_string_value(json_object_get(o, "module"));
	if (!id || !mod || strlen(id) > REPORT_MAX_FIELD || strlen(mod) > REPORT_MAX_FIELD) {
		json_decref(o);
		return error("%s:%lu: not a sites inventory line", c->path, lineno);
	}
	report_modules_add_inventory(r, o);
	k = (struct invkey){ mod, id };
	strbuf_addf(&kb, "%s%c%s", mod, 0, id);
	h = htab_hash(kb.buf, kb.len);
	strbuf_release(&kb);
	slot = htab_slot(&r->inv_ix, h, eq_inv, &k);
	if (!r->inv_ix.v[slot]) {
		if (r->ninv == r->ainv) {
			r->ainv = r->ainv ? 2 * r->ainv : 256;
			r->inv = xrealloc(r->inv, r->ainv * sizeof(*r->inv));
		}
		v = r->inv[r->ninv++] = xcalloc(1, sizeof(*v));
		v->id = xstrdup(id);
		v->module = xstrdup(mod);
		v->op = jdup(o, "op");
		v->cat = jdup(o, "category");
		if (!*v->cat && !strncmp(v->op, "unsafe.", 7)) {
			free(v->cat);
			v->cat = xstrdup("unsafe");
		}
		v->pkg = jdup(o, "package");
		v->file = jdup(o, "file");
		v->expr = jdup(o, "expr");
		v->line = json_integer_value(json_object_get(o, "line"));
		v->col = json_integer_value(json_object_get(o, "col"));
		v->wrapped = json_is_true(json_object_get(o, "wrapped"));
		v->blind = json_is_true(json_object_get(o, "blind"));
		htab_put(&r->inv_ix, slot, h, v);
	}
	json_decref(o);
	return 0;
}

int report_add_sites(struct report *r, const char *path)
{
	struct sctx c = { r, strcmp(path, "-") ? path : "(standard input)" };
	struct logread_limit lim = { REPORT_MAX_INVENTORY, r->gzip_ratio };

	return logread_file(path, 0, &lim, sites_line, &c) ? -1 : 0;
}

int report_add_sites_mem(struct report *r, const char *name, const void *data, size_t len)
{
	struct sctx c = { r, name };
	struct logread_limit lim = { REPORT_MAX_INVENTORY, r->gzip_ratio };

	return logread_mem_limit(data, len, name, &lim, sites_line, &c) ? -1 : 0;
}

static int cmp_inv(const void *a, const void *b)
{
	const struct rinv *x = *(const struct rinv *const *)a, *y = *(const struct rinv *const *)b;
	int c = strcmp(x->module, y->module);

	if (!c)
		c = strcmp(x->file, y->file);
	if (!c && x->line != y->line)
		c = x->line < y->line ? -1 : 1;
	if (!c && x->col != y->col)
		c = x->col < y->col ? -1 : 1;
	return c ? c : strcmp(x->id, y->id);
}

void report_inv_finish(struct report *r)
{
	const char **ids = xmalloc((r->nsites + 1) * sizeof(*ids));
	const char **ops = xmalloc((r->nsites + 1) * sizeof(*ops));
	size_t nids = 0;

	/* An inventory site ran if an event names its id (unsafe) or its op
	 * (reflect entry points use the op as id). */
	for (size_t i = 0; i < r->nsites; i++) {
		if (r->sites[i]->id)
			ids[nids++] = r->sites[i]->id;
		ops[i] = r->sites[i]->op;
	}
	qsort(ids, nids, sizeof(*ids), cmp_strp);
	qsort(ops, r->nsites, sizeof(*ops), cmp_strp);
	if (r->ninv)
		qsort(r->inv, r->ninv, sizeof(*r->inv), cmp_inv);
	for (size_t i = 0; i < r->ninv; i++) {
		struct rinv *v = r->inv[i];
		const char *k = v->id;
		if (!strncmp(v->op, "unsafe.", 7))
			v->executed = !!bsearch(&k, ids, nids, sizeof(*ids), cmp_strp);
		else
			v->executed = !!bsearch(&k, ops, r->nsites, sizeof(*ops), cmp_strp);
	}
	free(ids);
	free(ops);
}

struct rcov *report_coverage(const struct report *r, size_t *n)
{
	struct rcov *v = NULL;

	*n = 0;
	/* r->inv is sorted by module (report_finish). */
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *s = r->inv[i];
		if (!s->wrapped && !s->blind)
			continue;
		if (!*n || strcmp(v[*n - 1].module, s->module)) {
			v = xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = (struct rcov){ s->module, 0, 0, 0 };
		}
		v[*n - 1].found += !!s->wrapped;
		v[*n - 1].executed += s->wrapped && s->executed;
		v[*n - 1].blind += !!s->blind;
	}
	return v;
}

double report_percent(const struct rcov *c)
{
	size_t all = c->found + c->blind;
	return all ? 100.0 * (double)c->executed / (double)all : 0.0;
}

void report_inv_release(struct report *r)
{
	for (size_t i = 0; i < r->ninv; i++) {
		struct rinv *v = r->inv[i];
		free(v->id), free(v->op), free(v->cat), free(v->pkg), free(v->module);
		free(v->file), free(v->expr), free(v);
	}
	free(r->inv);
}
