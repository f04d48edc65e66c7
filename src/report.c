/*
 * report.c - the site table: logs in, distinct sites, call edges and
 * build-time inventories out. Each log line is scanned in place
 * (logread.c); only a site or edge not seen before allocates.
 */
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "htab.h"
#include "logread.h"
#include "report.h"
#include "strbuf.h"
#include "run.h"
#include "util.h"

struct rawkey {
	const char *p;
	size_t n;
};

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

/* --- binaries and modules ------------------------------------------------ */

struct modent {
	char *path, *name; /* name: "path@version", or path for the main module */
	char *dir;         /* inventory entries: the package's directory */
};

/* Module (or package, from an inventory) paths -> module names. */
struct pkgset {
	struct modent *v;
	size_t nr, alloc;
};

struct binfo {
	char *exe, *go, *mainpkg;
	int loaded;
	size_t ix;
	struct pkgset mods; /* from go version -m, else from BIN.sites.jsonl */
};

struct pident {
	long long pid;
	size_t bin;
};

static int eq_pid(const void *item, const void *key)
{
	return ((const struct pident *)item)->pid == *(const long long *)key;
}

static int eq_bin(const void *item, const void *key)
{
	return !strcmp(((const struct binfo *)item)->exe, key);
}

static void mods_add(struct pkgset *set, const char *path, const char *name, const char *dir)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->v[i].path, path))
			return;
	if (set->nr == set->alloc) {
		set->alloc = set->alloc ? 2 * set->alloc : 16;
		set->v = xrealloc(set->v, set->alloc * sizeof(*set->v));
	}
	set->v[set->nr++] = (struct modent){ xstrdup(path), xstrdup(name), dir ? xstrdup(dir) : NULL };
}

static void mods_free(struct pkgset *set)
{
	for (size_t i = 0; i < set->nr; i++)
		free(set->v[i].path), free(set->v[i].name), free(set->v[i].dir);
	free(set->v);
}

/* The package an inventory lists for the directory of file, or NULL. */
static const char *mods_pkg_of_file(const struct pkgset *set, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n = slash ? (size_t)(slash - file) : 0;

	for (size_t i = 0; i < set->nr; i++)
		if (set->v[i].dir && strlen(set->v[i].dir) == n && !strncmp(set->v[i].dir, file, n))
			return set->v[i].path;
	return NULL;
}

/* Module of a package: the longest module path that is the package path
 * or a prefix of it ending at a '/'. */
static const char *mods_find(const struct pkgset *set, const char *pkg)
{
	const struct modent *v = set->v;
	size_t nr = set->nr;
	const char *best = NULL;
	size_t bestn = 0;

	for (size_t i = 0; i < nr; i++) {
		size_t n = strlen(v[i].path);
		if (n > bestn && !strncmp(pkg, v[i].path, n) && (!pkg[n] || pkg[n] == '/')) {
			best = v[i].name;
			bestn = n;
		}
	}
	return best;
}

/* `go version -m EXE`: the main package and every module of the build. */
static int bin_buildinfo(struct binfo *b)
{
	const char *argv[] = { "go", "version", "-m", b->exe, NULL };
	struct strbuf out = STRBUF_INIT;
	struct stat st;
	char *line, *save = NULL;
	int ret = -1;

	/* exe is the process's argv[0]: absolute, or relative to where it ran
	 * (taken as here). Never let it pass for a flag of go version. */
	if (!*b->exe || b->exe[0] == '-' || stat(b->exe, &st) || !S_ISREG(st.st_mode))
		return -1;
	if (run_capture(argv, NULL, &out))
		goto out;
	for (line = strtok_r(out.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { 0 }, *p = line, *tok;
		int n = 0;

		if (*line != '\t')
			continue;
		while (n < 4 && (tok = strsep(&p, "\t")))
			if (*tok || n) /* the leading tab gives an empty first field */
				f[n++] = tok;
		if (n >= 2 && !strcmp(f[0], "path")) {
			free(b->mainpkg);
			b->mainpkg = xstrdup(f[1]);
		} else if (n >= 3 && (!strcmp(f[0], "mod") || !strcmp(f[0], "dep"))) {
			struct strbuf name = STRBUF_INIT;
			strbuf_addstr(&name, f[1]);
			if (*f[2] && strcmp(f[2], "(devel)"))
				strbuf_addf(&name, "@%s", f[2]);
			mods_add(&b->mods, f[1], name.buf, NULL);
			strbuf_release(&name);
		}
	}
	ret = 0;
out:
	strbuf_release(&out);
	return ret;
}

/* One inventory record's package -> module (std left out: is_std says). */
static void inv_record(struct pkgset *set, json_t *o)
{
	const char *pkg = json_string_value(json_object_get(o, "package"));
	const char *mod = json_string_value(json_object_get(o, "module"));
	const char *file = json_string_value(json_object_get(o, "file"));
	const char *slash = file ? strrchr(file, '/') : NULL;
	char *dir;

	if (!pkg || !mod || !*mod || !strcmp(mod, "std"))
		return;
	dir = slash ? xstrndup(file, (size_t)(slash - file)) : NULL;
	mods_add(set, pkg, mod, dir);
	free(dir);
}

/* Package -> module pairs of an inventory file, into set. */
static int inv_modules(const char *path, struct pkgset *set)
{
	FILE *fp = fopen(path, "r");
	struct strbuf line = STRBUF_INIT;

	if (!fp)
		return -1;
	while (strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		inv_record(set, o);
		json_decref(o);
	}
	strbuf_release(&line);
	fclose(fp);
	return 0;
}

static void bin_load(struct binfo *b)
{
	if (b->loaded)
		return;
	b->loaded = 1;
	if (bin_buildinfo(b) && *b->exe) {
		struct strbuf inv = STRBUF_INIT;
		strbuf_addf(&inv, "%s.sites.jsonl", b->exe);
		inv_modules(inv.buf, &b->mods);
		strbuf_release(&inv);
	}
}

/* The index of exe's entry in r->bins, made on first sight (not loaded:
 * go version -m runs only when a site of one of its processes is new). */
static size_t bin_index(struct report *r, const char *exe, const char *go)
{
	uint64_t h = htab_hash(exe, strlen(exe));
	size_t slot = htab_slot(&r->bin_ix, h, eq_bin, exe);
	struct binfo *b = r->bin_ix.v[slot];

	if (b)
		return b->ix;
	b = xcalloc(1, sizeof(*b));
	b->exe = xstrdup(exe);
	b->go = xstrdup(go ? go : "");
	b->ix = r->nbins;
	if (r->nbins == r->abins) {
		r->abins = r->abins ? 2 * r->abins : 8;
		r->bins = xrealloc(r->bins, r->abins * sizeof(*r->bins));
	}
	r->bins[r->nbins++] = b;
	htab_put(&r->bin_ix, slot, h, b);
	return b->ix;
}

static int is_std(const char *pkg)
{
	const char *slash = strchr(pkg, '/');
	const char *dot = strchr(pkg, '.');
	return !dot || (slash && dot > slash);
}

/*
 * The module name of *pkg, a package of file, for a process of binary b
 * ("unknown" if nothing says). A "main" package is renamed to its import
 * path: the build info's, else the inventory's package in file's directory.
 */
static void module_of(struct report *r, struct binfo *b, char **pkgp, const char *file,
		      struct strbuf *out)
{
	struct pkgset *inv = r->pkgmap;
	const char *pkg = *pkgp, *m = NULL;

	if (b)
		bin_load(b);
	if (!strcmp(pkg, "main")) {
		const char *p = b ? b->mainpkg : NULL;
		if (!p && b)
			p = mods_pkg_of_file(&b->mods, file);
		if (!p && inv)
			p = mods_pkg_of_file(inv, file);
		if (p) {
			pkg = xstrdup(p);
			free(*pkgp);
			*pkgp = (char *)pkg;
		}
	}
	if (b)
		m = mods_find(&b->mods, pkg);
	if (!m && inv)
		m = mods_find(inv, pkg);
	if (m) {
		strbuf_addstr(out, m);
	} else if (strcmp(pkg, "main") && is_std(pkg)) {
		strbuf_addstr(out, "std");
		if (b && *b->go)
			strbuf_addf(out, "@%s", b->go);
	} else {
		strbuf_addstr(out, "unknown");
	}
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

static char *span_dup(const struct span *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->p)
		return NULL;
	if (logread_unescape(s, &sb))
		strbuf_add(&sb, s->p, s->n); /* keep the raw text rather than lose it */
	return strbuf_detach(&sb, NULL);
}

static void key_add(struct report *r, size_t *n, const void *p, size_t len)
{
	if (*n + len + 1 > r->keyalloc) {
		r->keyalloc = 2 * (*n + len + 1) + 256;
		r->keybuf = xrealloc(r->keybuf, r->keyalloc);
	}
	memcpy(r->keybuf + *n, p, len);
	*n += len;
	r->keybuf[(*n)++] = '\0';
}

/* The binary of a process: its header's, else (header not seen, or
 * forgotten, see header()) the last header's. */
static struct binfo *bin_of_pid(struct report *r, long long pid)
{
	uint64_t h = htab_hash(&pid, sizeof(pid));
	size_t slot = htab_slot(&r->pid_ix, h, eq_pid, &pid);
	struct pident *pe = r->pid_ix.v[slot];

	if (pe)
		return r->bins[pe->bin];
	return r->last_bin ? r->bins[r->last_bin - 1] : NULL;
}

static void header(struct report *r, const struct logline *l)
{
	char *exe = span_dup(&l->exe), *go = span_dup(&l->go);
	uint64_t h = htab_hash(&l->pid, sizeof(l->pid));
	size_t slot = htab_slot(&r->pid_ix, h, eq_pid, &l->pid);
	struct pident *pe = r->pid_ix.v[slot];

	r->procs++;
	/*
	 * Processes grow with the log, not with the sites: past REPORT_MAX_PIDS
	 * the map starts over, so memory stays bounded. A forgotten process
	 * whose site is new is then taken for the last header's binary, which
	 * is right whenever one binary wrote the logs.
	 */
	if (!pe && r->pid_ix.nr >= REPORT_MAX_PIDS) {
		for (size_t i = 0; i < r->pid_ix.cap; i++) {
			free(r->pid_ix.v[i]);
			r->pid_ix.v[i] = NULL;
		}
		r->pid_ix.nr = 0;
		slot = htab_slot(&r->pid_ix, h, eq_pid, &l->pid);
	}
	if (!pe) {
		pe = xmalloc(sizeof(*pe));
		pe->pid = l->pid;
		htab_put(&r->pid_ix, slot, h, pe);
	}
	pe->bin = bin_index(r, exe ? exe : "", go);
	r->last_bin = pe->bin + 1;
	free(exe);
	free(go);
}

static const char *const edge_ops[] = {
	"reflect.Value.Call",        "reflect.Value.CallSlice", "reflect.Value.Method",
	"reflect.Value.MethodByName", "reflect.Type.Method",    "reflect.Type.MethodByName",
	"reflect.MakeFunc",
};

static void edge(struct report *r, const struct logline *l)
{
	struct rawkey k;
	size_t n = 0, slot;
	uint64_t h;
	struct edge_item *e;
	size_t i;

	for (i = 0; i < sizeof(edge_ops) / sizeof(*edge_ops); i++)
		if (span_is(&l->op, edge_ops[i]))
			break;
	if (i == sizeof(edge_ops) / sizeof(*edge_ops) || !l->target.p || !l->caller_func.p)
		return;
	key_add(r, &n, l->caller_func.p, l->caller_func.n);
	key_add(r, &n, l->op.p, l->op.n);
	key_add(r, &n, l->target.p, l->target.n);
	k = (struct rawkey){ r->keybuf, n };
	h = htab_hash(k.p, k.n);
	slot = htab_slot(&r->edge_ix, h, eq_edge, &k);
	if (r->edge_ix.v[slot])
		return;
	e = xcalloc(1, sizeof(*e));
	e->raw = xmalloc(n);
	memcpy(e->raw, k.p, n);
	e->rawlen = n;
	e->e.caller = span_dup(&l->caller_func);
	e->e.op = span_dup(&l->op);
	e->e.target = span_dup(&l->target);
	htab_put(&r->edge_ix, slot, h, e);
	if (r->nedges == r->aedges) {
		r->aedges = r->aedges ? 2 * r->aedges : 64;
		r->edges = xrealloc(r->edges, r->aedges * sizeof(*r->edges));
	}
	r->edges[r->nedges++] = &e->e;
}

static void new_site(struct report *r, const struct logline *l, const struct span *file,
		     long long line, long long col, struct rsite *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *fn;

	s->op = span_dup(&l->op);
	s->cat = l->cat.p ? span_dup(&l->cat) : xstrdup("");
	s->file = file->p ? span_dup(file) : xstrdup("?");
	s->func = l->caller_func.p ? span_dup(&l->caller_func) : xstrdup("?");
	s->id = span_dup(&l->site_id);
	s->expr = span_dup(&l->site_expr);
	s->target = span_dup(&l->target);
	s->line = line;
	s->col = col;
	strbuf_addf(&sb, "%s %s:%lld", s->op, s->file, line);
	if (col > 0)
		strbuf_addf(&sb, ":%lld", col);
	s->key = strbuf_detach(&sb, NULL);

	/* The package is the function's: its path up to the first '.' after
	 * the last '/' ("encoding/json.(*decodeState).object"). */
	fn = s->func;
	{
		const char *slash = strrchr(fn, '/');
		const char *dot = strchr(slash ? slash : fn, '.');
		s->pkg = dot ? xstrndup(fn, (size_t)(dot - fn)) : xstrdup(fn);
	}
	module_of(r, bin_of_pid(r, l->pid), &s->pkg, s->file, &sb);
	s->module = strbuf_detach(&sb, NULL);
}

static void event(struct report *r, const struct logline *l)
{
	const struct span *file = l->site_id.p ? &l->site_file : &l->caller_file;
	long long line = l->site_id.p ? l->site_line : l->caller_line;
	long long col = l->site_id.p ? l->site_col : 0;
	long long lc[2] = { line, col };
	struct rawkey k;
	size_t n = 0, slot;
	uint64_t h;
	struct rsite *s;

	r->events++;
	key_add(r, &n, l->op.p, l->op.n);
	key_add(r, &n, file->p ? file->p : "", file->p ? file->n : 0);
	key_add(r, &n, lc, sizeof(lc));
	k = (struct rawkey){ r->keybuf, n };
	h = htab_hash(k.p, k.n);
	slot = htab_slot(&r->site_ix, h, eq_site, &k);
	if ((s = r->site_ix.v[slot])) {
		s->events++;
	} else {
		s = xcalloc(1, sizeof(*s));
		s->raw = xmalloc(n);
		memcpy(s->raw, k.p, n);
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

static int on_line(const char *line, size_t len, unsigned long lineno, int complete, void *ctx)
{
	struct lctx *c = ctx;
	struct report *r = c->r;
	struct logline l;
	const char *why;

	r->lines++;
	if (!complete) {
		bad(c, lineno, "truncated line (no newline at the end of the file)");
		return 0;
	}
	if (logread_parse(line, len, &l, &why)) {
		bad(c, lineno, "not JSON: %s", why);
		return 0;
	}
	if (!l.msg.p) {
		bad(c, lineno, "not a goinstr line (no \"msg\")");
		return 0;
	}
	for (size_t i = 0; i < c->nskip; i++)
		if (c->skip_pids[i] == l.pid) {
			if (span_is(&l.msg, "goinstr.start") && l.schema <= LOGREAD_SCHEMA) {
				c->skip_pids[i] = c->skip_pids[--c->nskip]; /* pid reused */
				break;
			}
			/* One diagnostic for the header; its lines are counted. */
			r->skipped++;
			c->skipped_here++;
			return 0;
		}
	if (span_is(&l.msg, "goinstr.start")) {
		if (l.schema > LOGREAD_SCHEMA) {
			bad(c, lineno, "log schema %lld is newer than this goinstr reads (%d): "
				"process %lld skipped", l.schema, LOGREAD_SCHEMA, l.pid);
			if (c->nskip == c->askip) {
				c->askip = c->askip ? 2 * c->askip : 4;
				c->skip_pids = xrealloc(c->skip_pids, c->askip * sizeof(*c->skip_pids));
			}
			c->skip_pids[c->nskip++] = l.pid;
			return 0;
		}
		header(r, &l);
		return 0;
	}
	if (!l.op.p) {
		bad(c, lineno, "not a goinstr event (no \"op\")");
		return 0;
	}
	event(r, &l);
	return 0;
}

int report_add_log(struct report *r, const char *path)
{
	struct lctx c = { r, path, NULL, 0, 0, 0 };
	int ret = logread_file(path, on_line, &c);

	free(c.skip_pids);
	if (ret)
		return -1;
	r->files++;
	if (c.skipped_here)
		r->skipped_files++;
	return 0;
}

/* --- inventories --------------------------------------------------------- */

struct invkey {
	const char *module, *id;
};

static int eq_inv(const void *item, const void *key)
{
	const struct rinv *v = item;
	const struct invkey *k = key;
	return !strcmp(v->module, k->module) && !strcmp(v->id, k->id);
}

static char *jdup(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return xstrdup(s ? s : "");
}

int report_add_sites(struct report *r, const char *path)
{
	FILE *fp = fopen(path, "r");
	struct strbuf line = STRBUF_INIT;
	unsigned long lineno = 0;
	int ret = 0;

	if (!fp)
		return error("cannot open '%s': %s", path, strerror(errno));
	while (strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *mod = json_string_value(json_object_get(o, "module"));
		struct invkey k;
		struct strbuf kb = STRBUF_INIT;
		uint64_t h;
		size_t slot;
		struct rinv *v;

		lineno++;
		if (!id || !mod) {
			ret = error("%s:%lu: not a sites inventory line", path, lineno);
			json_decref(o);
			break;
		}
		if (!r->pkgmap)
			r->pkgmap = xcalloc(1, sizeof(struct pkgset));
		inv_record(r->pkgmap, o);
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
			v = r->inv[r->ninv++] = xmalloc(sizeof(*v));
			memset(v, 0, sizeof(*v));
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
			v->line = (long long)json_number_value(json_object_get(o, "line"));
			v->col = (long long)json_number_value(json_object_get(o, "col"));
			v->wrapped = json_is_true(json_object_get(o, "wrapped"));
			htab_put(&r->inv_ix, slot, h, v);
		}
		json_decref(o);
	}
	strbuf_release(&line);
	fclose(fp);
	return ret;
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
	return strcmp(x->op, y->op);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct redge *x = *(const struct redge *const *)a, *y = *(const struct redge *const *)b;
	int c = strcmp(x->caller, y->caller);

	if (!c)
		c = strcmp(x->target, y->target);
	return c ? c : strcmp(x->op, y->op);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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

void report_finish(struct report *r)
{
	const char **ids = xmalloc((r->nsites + 1) * sizeof(*ids));
	const char **ops = xmalloc((r->nsites + 1) * sizeof(*ops));
	size_t nids = 0;

	/* Empty arrays are NULL, which qsort may not be given. */
	if (r->nsites)
		qsort(r->sites, r->nsites, sizeof(*r->sites), cmp_site);
	if (r->nedges)
		qsort(r->edges, r->nedges, sizeof(*r->edges), cmp_edge);
	/* An inventory site ran if an event names its id (unsafe) or its op
	 * (reflect entry points use the op as id). */
	for (size_t i = 0; i < r->nsites; i++) {
		if (r->sites[i]->id)
			ids[nids++] = r->sites[i]->id;
		ops[i] = r->sites[i]->op;
	}
	qsort(ids, nids, sizeof(*ids), cmp_str);
	qsort(ops, r->nsites, sizeof(*ops), cmp_str);
	if (r->ninv)
		qsort(r->inv, r->ninv, sizeof(*r->inv), cmp_inv);
	for (size_t i = 0; i < r->ninv; i++) {
		struct rinv *v = r->inv[i];
		const char *k = v->id;
		if (!strncmp(v->op, "unsafe.", 7))
			v->executed = !!bsearch(&k, ids, nids, sizeof(*ids), cmp_str);
		else
			v->executed = !!bsearch(&k, ops, r->nsites, sizeof(*ops), cmp_str);
	}
	free(ids);
	free(ops);
}

/* --- lifecycle ----------------------------------------------------------- */

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->diag_max = 100;
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
		free(s->key), free(s->op), free(s->cat), free(s->file), free(s->func);
		free(s->pkg), free(s->module), free(s->id), free(s->expr), free(s->target);
		free(s->raw), free(s);
	}
	for (size_t i = 0; i < r->edge_ix.cap; i++) {
		struct edge_item *e = r->edge_ix.v[i];
		if (!e)
			continue;
		free(e->e.caller), free(e->e.op), free(e->e.target), free(e->raw), free(e);
	}
	for (size_t i = 0; i < r->pid_ix.cap; i++)
		free(r->pid_ix.v[i]);
	for (size_t i = 0; i < r->nbins; i++) {
		struct binfo *b = r->bins[i];
		mods_free(&b->mods);
		free(b->exe), free(b->go), free(b->mainpkg), free(b);
	}
	for (size_t i = 0; i < r->ninv; i++) {
		struct rinv *v = r->inv[i];
		free(v->id), free(v->op), free(v->cat), free(v->pkg), free(v->module);
		free(v->file), free(v->expr), free(v);
	}
	if (r->pkgmap)
		mods_free(r->pkgmap);
	free(r->pkgmap);
	free(r->inv);
	free(r->sites);
	free(r->edges);
	free(r->bins);
	free(r->keybuf);
	htab_release(&r->site_ix);
	htab_release(&r->edge_ix);
	htab_release(&r->pid_ix);
	htab_release(&r->bin_ix);
	htab_release(&r->inv_ix);
}

size_t report_rotated(const char *log, char ***out)
{
	struct strbuf p = STRBUF_INIT;
	size_t n = 0;
	char **v;
	struct stat st;

	/* The logger rotates LOG -> LOG.1 -> ... -> LOG.N: the higher, the older. */
	for (;;) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.%zu", log, n + 1);
		if (stat(p.buf, &st) || !S_ISREG(st.st_mode))
			break;
		n++;
	}
	v = xmalloc((n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s.%zu", log, n - i);
		v[i] = xstrdup(p.buf);
	}
	v[n] = xstrdup(log);
	strbuf_release(&p);
	*out = v;
	return n + 1;
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

struct rcov *report_coverage(const struct report *r, size_t *n)
{
	struct rcov *v = NULL;

	*n = 0;
	/* r->inv is sorted by module (report_finish). */
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *s = r->inv[i];
		if (!s->wrapped)
			continue;
		if (!*n || strcmp(v[*n - 1].module, s->module)) {
			v = xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = (struct rcov){ s->module, 0, 0 };
		}
		v[*n - 1].found++;
		v[*n - 1].executed += !!s->executed;
	}
	return v;
}
