/*
 * report.c - the site table: logs in, distinct sites and call edges out,
 * sorted and given their baseline keys; the module -> package -> op
 * table. Each log line is scanned in place (logline.c); only a site or
 * edge not seen before allocates, and what it keeps is cut at
 * REPORT_MAX_FIELD bytes. Its parts: report_key (table keys),
 * report_modules (a site's module), report_procs (processes and their
 * parts), report_inv (--sites inventories), report_rotated (a LOG's files).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "logread.h"
#include "reflectops.h"
#include "report.h"
#include "report_inv.h"
#include "report_key.h"
#include "report_modules.h"
#include "report_procs.h"
#include "strbuf.h"
#include "util.h"

static int eq_site(const void *item, const void *key)
{
	const struct rsite *s = item;
	const struct rawkey *k = key;
	return s->rawlen == k->n && !memcmp(s->raw, k->p, k->n);
}

/* Edges reuse the site's raw-key comparison through a parallel struct. */
struct edge_item {
	struct redge e;
	char *raw;
	size_t rawlen;
};

static int eq_edge(const void *item, const void *key)
{
	const struct edge_item *s = item;
	const struct rawkey *k = key;
	return s->rawlen == k->n && !memcmp(s->raw, k->p, k->n);
}

/* --- reading logs -------------------------------------------------------- */

struct lctx {
	struct report *r;
	const char *path;
	long long *skip_pids; /* processes of a newer schema, in this file */
	size_t nskip, askip;
	unsigned long skipped_here;
};

static void bad(struct lctx *c, unsigned long lineno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad(struct lctx *c, unsigned long lineno, const char *fmt, ...)
{
	struct report *r = c->r;

	r->skipped++;
	c->skipped_here++;
	if (r->diags++ < r->diag_max) {
		va_list ap;
		fprintf(stderr, "goinstr: %s:%lu: ", c->path, lineno);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

static int span_is(const struct span *s, const char *lit)
{
	size_t n = strlen(lit);
	return s->p && s->n == n && !memcmp(s->p, lit, n);
}

static void edge(struct report *r, const struct logline *l)
{
	size_t n = 0, slot;
	uint64_t h;
	struct edge_item *e;

	if (!l->op.p || !reflectop_is_edge(l->op.p, l->op.n) || !l->target.p || !l->caller_func.p)
		return;
	report_key_span(r, &n, &l->caller_func);
	report_key_span(r, &n, &l->op);
	report_key_span(r, &n, &l->target);
	slot = report_key_slot(r, &r->edge_ix, n, eq_edge, &h);
	if (r->edge_ix.v[slot])
		return;
	e = xcalloc(1, sizeof(*e));
	e->raw = xmalloc(n);
	memcpy(e->raw, r->keybuf, n);
	e->rawlen = n;
	e->e.caller = report_span_dup(&l->caller_func);
	e->e.op = report_span_dup(&l->op);
	e->e.target = report_span_dup(&l->target);
	htab_put(&r->edge_ix, slot, h, e);
	if (r->nedges == r->aedges) {
		r->aedges = r->aedges ? 2 * r->aedges : 64;
		r->edges = xrealloc(r->edges, r->aedges * sizeof(*r->edges));
	}
	r->edges[r->nedges++] = &e->e;
}

/* Undo the linker's escaping of an import path in a symbol name, in
 * place: "%XX" for '.' in the last element ("gopkg.in/yaml%2ev3"), '%'
 * and '"' (cmd/internal/objabi.PathToPrefix; it escapes spaces, control
 * and non-ASCII bytes too, which are left escaped here). */
static void pkg_unescape(char *p)
{
	static const char hex[] = "0123456789abcdef";
	char *w = p;

	for (; *p; p++) {
		const char *hi, *lo;
		/* printable ASCII only: other bytes stay escaped (a report's
		 * text is UTF-8, without controls) */
		if (*p == '%' && p[1] && p[2] && (hi = strchr(hex, p[1] | 0x20)) &&
		    (lo = strchr(hex, p[2] | 0x20)) && (hi - hex) * 16 + (lo - hex) > 0x20 &&
		    (hi - hex) * 16 + (lo - hex) < 0x7f) {
			*w++ = (char)((hi - hex) * 16 + (lo - hex));
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

static void new_site(struct report *r, const struct logline *l, const struct span *file,
		     long long line, long long col, struct rsite *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *fn, *slash, *dot;

	s->op = report_span_dup(&l->op);
	s->cat = l->cat.p ? report_span_dup(&l->cat) : xstrdup("");
	s->file = file->p ? report_span_dup(file) : xstrdup("?");
	s->func = l->caller_func.p ? report_span_dup(&l->caller_func) : xstrdup("?");
	s->id = report_span_dup(&l->site_id);
	s->expr = report_span_dup(&l->site_expr);
	s->target = report_span_dup(&l->target);
	s->line = line;
	s->col = col;
	strbuf_addf(&sb, "%s %s:%lld", s->op, s->file, line);
	if (col > 0)
		strbuf_addf(&sb, ":%lld", col);
	s->key = strbuf_detach(&sb, NULL);

	/* The package is the function's: its path up to the first '.' after
	 * the last '/' ("encoding/json.(*decodeState).object"). */
	fn = s->func;
	slash = strrchr(fn, '/');
	dot = strchr(slash ? slash : fn, '.');
	s->pkg = dot ? xstrndup(fn, (size_t)(dot - fn)) : xstrdup(fn);
	pkg_unescape(s->pkg);
	report_module_of(r, report_proc_bin(r, l->pid), &s->pkg, s->file, &sb);
	s->module = strbuf_detach(&sb, NULL);
}

static void event(struct report *r, const struct logline *l)
{
	const struct span *file = l->site_id.p ? &l->site_file : &l->caller_file;
	long long line = l->site_id.p ? l->site_line : l->caller_line;
	long long col = l->site_id.p ? l->site_col : 0;
	long long lc[2] = { line, col };
	size_t n = 0, slot;
	uint64_t h;
	struct rsite *s;

	r->events++;
	report_key_span(r, &n, &l->op);
	report_key_span(r, &n, file);
	report_key_add(r, &n, lc, sizeof(lc));
	slot = report_key_slot(r, &r->site_ix, n, eq_site, &h);
	if ((s = r->site_ix.v[slot])) {
		s->events++;
	} else {
		s = xcalloc(1, sizeof(*s));
		s->raw = xmalloc(n);
		memcpy(s->raw, r->keybuf, n);
		s->rawlen = n;
		s->hash = h;
		s->events = 1;
		new_site(r, l, file, line, col, s);
		htab_put(&r->site_ix, slot, h, s);
		if (r->nsites == r->asites) {
			r->asites = r->asites ? 2 * r->asites : 64;
			r->sites = xrealloc(r->sites, r->asites * sizeof(*r->sites));
		}
		r->sites[r->nsites++] = s;
	}
	edge(r, l);
}

/* Say once, at the line that made it happen, that a bound on what
 * binaries may add was reached (report.h, REPORT_MAX_MODULES). */
static void cut_warnings(struct lctx *c, unsigned long lineno)
{
	struct report *r = c->r;

	if (r->mods_budget.cut && !(r->warned & 1)) {
		r->warned |= 1;
		warning("%s:%lu: more modules than a report keeps (%u KiB a header, %u MiB for "
			"all binaries): the rest are not kept (docs/report.md)", c->path, lineno,
			REPORT_MAX_HDR_MODULES >> 10, REPORT_MAX_MODULES >> 20);
	}
	if (r->bins_cut && !(r->warned & 2)) {
		r->warned |= 2;
		warning("%s:%lu: headers of more than %d binaries: the later ones are not kept "
			"(docs/report.md)", c->path, lineno, REPORT_MAX_BINS);
	}
}

/* A line that is JSON: what kind of goinstr line it is. */
static void one_line(struct lctx *c, const struct logline *l, unsigned long lineno)
{
	struct report *r = c->r;

	if (!l->msg.p) {
		bad(c, lineno, "not a goinstr line (no \"msg\")");
		return;
	}
	for (size_t i = 0; i < c->nskip; i++)
		if (c->skip_pids[i] == l->pid) {
			if (span_is(&l->msg, "goinstr.start") && l->schema <= LOGREAD_SCHEMA) {
				c->skip_pids[i] = c->skip_pids[--c->nskip]; /* pid reused */
				break;
			}
			/* One diagnostic for the header; its lines are counted. */
			r->skipped++;
			c->skipped_here++;
			return;
		}
	if (span_is(&l->msg, "goinstr.start")) {
		if (l->schema > LOGREAD_SCHEMA) {
			bad(c, lineno, "log schema %lld is newer than this goinstr reads (%d): "
				"process %lld skipped", l->schema, LOGREAD_SCHEMA, l->pid);
			if (c->nskip == c->askip) {
				c->askip = c->askip ? 2 * c->askip : 4;
				c->skip_pids = xrealloc(c->skip_pids, c->askip * sizeof(*c->skip_pids));
			}
			c->skip_pids[c->nskip++] = l->pid;
			return;
		}
		report_proc_header(r, l);
		return;
	}
	if (span_is(&l->msg, "goinstr.limit")) {
		if (l->dropped < 0)
			bad(c, lineno, "goinstr.limit line without \"dropped\"");
		else
			report_proc_limit(r, l);
		return;
	}
	if (!l->op.p) {
		bad(c, lineno, "not a goinstr event (no \"op\")");
		return;
	}
	event(r, l);
}

/* Where the last line glued to a torn one starts: every line the logger
 * writes starts so, and inside a JSON string '"' is always escaped. */
static const char line_start[] = "{\"time\":\"";

static const char *last_line_start(const char *line, size_t len)
{
	const char *p = line + 1, *e = line + len, *f, *last = NULL;

	while (p < e && (f = memmem(p, (size_t)(e - p), line_start, sizeof(line_start) - 1))) {
		last = f;
		p = f + 1;
	}
	return last;
}

static int on_line(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
		   void *ctx)
{
	struct lctx *c = ctx;
	struct logline l;
	const char *why, *next;
	int rc;

	c->r->lines++;
	switch (kind) {
	case LOGREAD_PARTIAL:
		bad(c, lineno, "truncated line (no newline at the end of the file)");
		return 0;
	case LOGREAD_TOOLONG:
		bad(c, lineno, "line of %zu bytes, longer than %u: read past", len, LOGREAD_MAX_LINE);
		return 0;
	case LOGREAD_BADGZ:
		bad(c, lineno, "gzip data corrupt or cut short: the rest of the file is not read");
		return 0;
	case LOGREAD_LINE:
		break;
	}
	rc = logread_parse(line, len, &l, &why);
	if (rc == -1 && (next = last_line_start(line, len))) {
		/*
		 * A torn line: a write cut short (full disk, a killed writer)
		 * leaves part of a line, and the next line lands after it. Read
		 * the glued line on its own; the part before it is a line only
		 * if it is whole.
		 */
		size_t n = (size_t)(next - line);
		c->r->lines++;
		if (!logread_parse(line, n, &l, &why)) {
			one_line(c, &l, lineno);
			cut_warnings(c, lineno);
		}
		else
			bad(c, lineno, "torn line (%s): read again from byte %zu", why, n + 1);
		rc = logread_parse(next, len - n, &l, &why);
	}
	if (rc == -1)
		bad(c, lineno, "not JSON: %s", why);
	else if (rc == -2)
		bad(c, lineno, "bad number: %s", why);
	else
		one_line(c, &l, lineno);
	cut_warnings(c, lineno);
	return 0;
}

static int add_log(struct report *r, const char *path, const void *data, size_t len)
{
	struct lctx c = { r, strcmp(path, "-") ? path : "(standard input)", NULL, 0, 0, 0 };
	struct logread_limit lim = { 0, r->gzip_ratio };
	int ret;

	if (data)
		ret = logread_mem_limit(data, len, path, &lim, on_line, &c);
	else
		ret = logread_file(path, 0, &lim, on_line, &c);
	free(c.skip_pids);
	if (ret)
		return -1;
	r->files++;
	if (c.skipped_here)
		r->skipped_files++;
	return 0;
}

int report_add_log(struct report *r, const char *path)
{
	return add_log(r, path, NULL, 0);
}

int report_add_mem(struct report *r, const char *name, const void *data, size_t len)
{
	return add_log(r, name, data, len);
}

/* --- finishing ----------------------------------------------------------- */

static int cmp_site(const void *a, const void *b)
{
	const struct rsite *x = *(const struct rsite *const *)a, *y = *(const struct rsite *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if ((c = strcmp(x->op, y->op)))
		return c;
	/* Equal as text, different as logged (a name cut, or escaped another
	 * way): still one order whatever the order of the logs. */
	if (x->rawlen != y->rawlen)
		return x->rawlen < y->rawlen ? -1 : 1;
	return memcmp(x->raw, y->raw, x->rawlen);
}

/* Baseline keys first, then where the sites are. */
static int cmp_bkey(const void *a, const void *b)
{
	const struct rsite *x = *(const struct rsite *const *)a, *y = *(const struct rsite *const *)b;
	int c = strcmp(x->bkey, y->bkey);

	return c ? c : cmp_site(a, b);
}

/*
 * Baseline keys: what a site is, not where: "OP FUNC" (reflect) or "OP
 * FUNC EXPR" (unsafe); the N-th site (N >= 2, in file, line, column
 * order) with the same key gets " #N". FUNC names its package, but every
 * command's is "main": for those it is written DIR/FUNC, DIR the last
 * element of the file's directory ("dyncall/main.main"), the same with
 * and without -trimpath.
 */
static void baseline_keys(struct report *r)
{
	struct rsite **v = xmalloc((r->nsites + 1) * sizeof(*v));
	struct strbuf sb = STRBUF_INIT;
	char *prev = NULL;
	size_t n = 0;

	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = v[i] = r->sites[i];
		const char *slash = strrchr(s->file, '/'), *dir = slash;

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s ", s->op);
		if (!strncmp(s->func, "main.", 5) && slash) {
			while (dir > s->file && dir[-1] != '/')
				dir--;
			if (dir < slash)
				strbuf_addf(&sb, "%.*s/", (int)(slash - dir), dir);
		}
		strbuf_addstr(&sb, s->func);
		if (s->expr)
			strbuf_addf(&sb, " %s", s->expr);
		s->bkey = xstrdup(sb.buf);
	}
	if (r->nsites)
		qsort(v, r->nsites, sizeof(*v), cmp_bkey);
	for (size_t i = 0; i < r->nsites; i++) {
		if (prev && !strcmp(prev, v[i]->bkey)) {
			n++;
		} else {
			free(prev);
			prev = xstrdup(v[i]->bkey);
			n = 1;
		}
		if (n > 1) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s #%zu", prev, n);
			free(v[i]->bkey);
			v[i]->bkey = strbuf_detach(&sb, NULL);
		}
	}
	free(prev);
	strbuf_release(&sb);
	free(v);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct redge *x = *(const struct redge *const *)a, *y = *(const struct redge *const *)b;
	int c = strcmp(x->caller, y->caller);

	if (!c)
		c = strcmp(x->target, y->target);
	return c ? c : strcmp(x->op, y->op);
}

void report_finish(struct report *r)
{
	report_procs_finish(r);
	/* Empty arrays are NULL, which qsort may not be given. */
	if (r->nsites)
		qsort(r->sites, r->nsites, sizeof(*r->sites), cmp_site);
	if (r->nedges)
		qsort(r->edges, r->nedges, sizeof(*r->edges), cmp_edge);
	baseline_keys(r);
	report_inv_finish(r);
}

/* --- lifecycle ----------------------------------------------------------- */

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->diag_max = 100;
	r->use_bins = 1;
	r->mods_budget.left = REPORT_MAX_MODULES;
	r->gzip_ratio = LOGREAD_RATIO;
	htab_init(&r->site_ix);
	htab_init(&r->edge_ix);
	htab_init(&r->pid_ix);
	htab_init(&r->bin_ix);
	htab_init(&r->inv_ix);
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = r->sites[i];
		free(s->key), free(s->bkey), free(s->op), free(s->cat), free(s->file), free(s->func);
		free(s->pkg), free(s->module), free(s->id), free(s->expr), free(s->target);
		free(s->raw), free(s);
	}
	for (size_t i = 0; i < r->edge_ix.cap; i++) {
		struct edge_item *e = r->edge_ix.v[i];
		if (!e)
			continue;
		free(e->e.caller), free(e->e.op), free(e->e.target), free(e->raw), free(e);
	}
	report_procs_release(r);
	free(r->new_targets);
	for (size_t i = 0; i < r->ngone; i++)
		free(r->gone[i].key), free(r->gone[i].where), free(r->gone[i].module);
	free(r->gone);
	report_modules_release(r);
	report_inv_release(r);
	free(r->sites);
	free(r->edges);
	free(r->keybuf);
	htab_release(&r->site_ix);
	htab_release(&r->edge_ix);
	htab_release(&r->pid_ix);
	htab_release(&r->bin_ix);
	htab_release(&r->inv_ix);
}

/* --- tables -------------------------------------------------------------- */

static int cmp_by_mpo(const void *a, const void *b)
{
	const struct rsite *x = *(const struct rsite *const *)a, *y = *(const struct rsite *const *)b;
	int c = strcmp(x->module, y->module);

	if (!c)
		c = strcmp(x->pkg, y->pkg);
	return c ? c : strcmp(x->op, y->op);
}

static int cmp_group(const void *a, const void *b)
{
	const struct rgroup *x = a, *y = b;

	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->name, y->name);
}

static struct rgroup *group_push(struct rgroup **v, size_t *n, const char *name)
{
	/* Sites come sorted by name at this level: only the last can match. */
	if (*n && !strcmp((*v)[*n - 1].name, name))
		return &(*v)[*n - 1];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].name = name;
	return &(*v)[(*n)++];
}

struct rgroup *report_groups(const struct report *r, size_t *n)
{
	struct rsite **v = xmalloc((r->nsites + 1) * sizeof(*v));
	struct rgroup *mods = NULL;

	*n = 0;
	if (r->nsites)
		memcpy(v, r->sites, r->nsites * sizeof(*v));
	qsort(v, r->nsites, sizeof(*v), cmp_by_mpo);
	for (size_t i = 0; i < r->nsites; i++) {
		struct rgroup *m = group_push(&mods, n, v[i]->module);
		struct rgroup *p = group_push(&m->kids, &m->nkids, v[i]->pkg);
		struct rgroup *o = group_push(&p->kids, &p->nkids, v[i]->op);
		o->cat = v[i]->cat;
		m->events += v[i]->events, p->events += v[i]->events, o->events += v[i]->events;
		m->sites++, p->sites++, o->sites++;
	}
	free(v);
	if (!*n)
		return NULL;
	qsort(mods, *n, sizeof(*mods), cmp_group);
	for (size_t i = 0; i < *n; i++) {
		qsort(mods[i].kids, mods[i].nkids, sizeof(*mods), cmp_group);
		for (size_t j = 0; j < mods[i].nkids; j++)
			qsort(mods[i].kids[j].kids, mods[i].kids[j].nkids, sizeof(*mods), cmp_group);
	}
	return mods;
}

void report_groups_free(struct rgroup *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_groups_free(g[i].kids, g[i].nkids);
	free(g);
}
