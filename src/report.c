/*
 * report.c - the site table: logs in, distinct sites, call edges and
 * build-time inventories out. Each log line is scanned in place
 * (logread.c); only a site or edge not seen before allocates, and what it
 * keeps is cut at REPORT_MAX_FIELD bytes.
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
#include "modpath.h"
#include "reflectops.h"
#include "report.h"
#include "strbuf.h"
#include "run.h"
#include "tree.h"
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

/* A span's text, cut at REPORT_MAX_FIELD bytes; NULL if absent. */
static char *span_dup(const struct span *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->p)
		return NULL;
	logread_decode(s, REPORT_MAX_FIELD, &sb);
	return strbuf_detach(&sb, NULL);
}

/* --- modules ------------------------------------------------------------- */

struct modent {
	char *path, *name; /* name: "path@version", or path for the main module */
	char *dir;         /* inventory entries: the package's directory */
};

/* Module (or package, from an inventory) paths -> module names, indexed
 * by path. budget, when set, is what the set may still add (the sets of
 * every binary share one: report.h, REPORT_MAX_MODULES). */
struct pkgset {
	struct modent **v;
	size_t nr, alloc;
	struct htab ix;
	struct modbudget *budget;
};

static int eq_mod(const void *item, const void *key)
{
	const struct modent *m = item;
	const struct rawkey *k = key;
	return !strncmp(m->path, k->p, k->n) && !m->path[k->n];
}

static struct modent *mods_get(const struct pkgset *set, const char *path, size_t n)
{
	struct rawkey k = { path, n };

	if (!set->ix.cap)
		return NULL;
	return set->ix.v[htab_slot(&set->ix, htab_hash(path, n), eq_mod, &k)];
}

/* Add path -> name (dir: see modent). 0, or -1 when the set's budget
 * has no room for it (nothing added). */
static int mods_add(struct pkgset *set, const char *path, const char *name, const char *dir)
{
	size_t n = strlen(path);
	struct rawkey k = { path, n };
	uint64_t h = htab_hash(path, n);
	size_t slot, cost;
	struct modent *m;

	if (!set->ix.cap)
		htab_init(&set->ix);
	slot = htab_slot(&set->ix, h, eq_mod, &k);
	if (set->ix.v[slot])
		return 0;
	/* The text and what holds it: an entry, its slot, three strings. */
	cost = n + strlen(name) + (dir ? strlen(dir) : 0) + sizeof(*m) + 4 * sizeof(void *) + 48;
	if (set->budget) {
		if (set->budget->left < cost) {
			set->budget->cut = 1;
			return -1;
		}
		set->budget->left -= cost;
	}
	m = xmalloc(sizeof(*m));
	*m = (struct modent){ xstrdup(path), xstrdup(name), dir ? xstrdup(dir) : NULL };
	htab_put(&set->ix, slot, h, m);
	if (set->nr == set->alloc) {
		set->alloc = set->alloc ? 2 * set->alloc : 16;
		set->v = xrealloc(set->v, set->alloc * sizeof(*set->v));
	}
	set->v[set->nr++] = m;
	return 0;
}

static void mods_free(struct pkgset *set)
{
	for (size_t i = 0; i < set->nr; i++)
		free(set->v[i]->path), free(set->v[i]->name), free(set->v[i]->dir), free(set->v[i]);
	free(set->v);
	if (set->ix.cap)
		htab_release(&set->ix);
}

/* The package an inventory lists for the directory of file, or NULL. */
static const char *mods_pkg_of_file(const struct pkgset *set, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n = slash ? (size_t)(slash - file) : 0;

	for (size_t i = 0; i < set->nr; i++) {
		const char *d = set->v[i]->dir;
		if (d && strlen(d) == n && !strncmp(d, file, n))
			return set->v[i]->path;
	}
	return NULL;
}

/* Module of a package: the longest module path that is the package path
 * or a prefix of it ending at a '/'. */
static const char *mods_find(const struct pkgset *set, const char *pkg)
{
	size_t n = strlen(pkg);
	struct modent *m;

	while (n) {
		if ((m = mods_get(set, pkg, n)))
			return m->name;
		while (n && pkg[n - 1] != '/')
			n--;
		if (n)
			n--;
	}
	return NULL;
}

/* "path@version", or path alone for a version that says nothing. */
static void module_name(struct strbuf *out, const char *path, const char *version)
{
	strbuf_addstr(out, path);
	if (version && *version && strcmp(version, "(devel)"))
		strbuf_addf(out, "@%s", version);
}

/* --- binaries ------------------------------------------------------------ */

#define NO_BIN ((size_t)-1)

struct binfo {
	char *exe, *go, *mainpkg;
	char *raw; /* the header's exe, go, main and deps, as key_add keeps them */
	size_t rawlen;
	int loaded;
	size_t ix;
	struct pkgset mods;     /* from go version -m, else from BIN.sites.jsonl */
	struct pkgset hmods;    /* the header's main module and deps (schema 2) */
	char *mainmod, *mainpath; /* the header's main module: name and path */
};

static int eq_bin(const void *item, const void *key)
{
	const struct binfo *b = item;
	const struct rawkey *k = key;
	return b->rawlen == k->n && !memcmp(b->raw, k->p, k->n);
}

/* `go version -m EXE`: the main package and every module of the build. */
static int bin_buildinfo(struct binfo *b)
{
	const char *argv[] = { "go", "version", "-m", b->exe, NULL };
	struct strbuf out = STRBUF_INIT;
	struct stat st;
	char *line, *save = NULL;
	int ret = -1;

	/* exe is absolute (schema 2), or the process's argv[0], relative to
	 * where it ran (taken as here). Never let it pass for a flag of go
	 * version, and never hand it anything but a regular file. */
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
			module_name(&name, f[1], f[2]);
			mods_add(&b->mods, f[1], name.buf, NULL);
			strbuf_release(&name);
		}
	}
	ret = 0;
out:
	strbuf_release(&out);
	return ret;
}

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

/* One inventory record's package -> module (std left out: is_std says).
 * -1 when the set has no room left for it. */
static int inv_record(struct pkgset *set, json_t *o)
{
	const char *pkg = json_string_value(json_object_get(o, "package"));
	const char *mod = json_string_value(json_object_get(o, "module"));
	const char *file = json_string_value(json_object_get(o, "file"));
	const char *slash = file ? strrchr(file, '/') : NULL;
	char *dir;

	int ret;

	if (!pkg || !mod || !*mod || !strcmp(mod, "std") || strlen(pkg) > REPORT_MAX_FIELD ||
	    strlen(mod) > REPORT_MAX_FIELD)
		return 0;
	dir = slash && slash - file <= REPORT_MAX_FIELD ? xstrndup(file, (size_t)(slash - file))
						       : NULL;
	ret = mods_add(set, pkg, mod, dir);
	free(dir);
	return ret;
}

static int inv_modules_line(const char *line, size_t len, unsigned long lineno,
			    enum logread_kind kind, void *ctx)
{
	json_t *o;
	int ret;

	if (kind == LOGREAD_TOOLONG || kind == LOGREAD_BADGZ)
		return 0;
	o = json_loadb(line, len, 0, NULL);
	ret = inv_record(ctx, o);
	json_decref(o);
	return ret ? 1 : 0; /* no room left: read no further */
}

/* Package -> module pairs of BIN.sites.jsonl, a file a log names: read
 * only if it is a regular file (not through a symlink), without blocking,
 * and up to REPORT_MAX_INVENTORY bytes. */
static void inv_modules(const char *path, struct pkgset *set, unsigned ratio)
{
	struct logread_limit lim = { REPORT_MAX_INVENTORY, ratio };
	struct stat st;

	if (lstat(path, &st))
		return;
	if (!S_ISREG(st.st_mode)) {
		warning("'%s' is not a regular file: not read", path);
		return;
	}
	logread_file(path, LOGREAD_REGULAR, &lim, inv_modules_line, set);
}

static void bin_load(struct report *r, struct binfo *b)
{
	if (b->loaded)
		return;
	b->loaded = 1;
	if (r->use_bins && bin_buildinfo(b) && *b->exe) {
		struct strbuf inv = STRBUF_INIT;
		strbuf_addf(&inv, "%s.sites.jsonl", b->exe);
		inv_modules(inv.buf, &b->mods, r->gzip_ratio);
		strbuf_release(&inv);
	}
}

/* One module of a schema 2 header: {"path":..., "version":...} (a
 * "replace" does not rename it: go version -m names it the same way). */
static const char *hdr_module(struct pkgset *set, json_t *o)
{
	const char *path = json_string_value(json_object_get(o, "path"));
	const char *version = json_string_value(json_object_get(o, "version"));
	struct strbuf name = STRBUF_INIT;

	int r;

	if (!path || !*path || strlen(path) > REPORT_MAX_FIELD ||
	    (version && strlen(version) > REPORT_MAX_FIELD))
		return NULL;
	module_name(&name, path, version);
	r = mods_add(set, path, name.buf, NULL);
	strbuf_release(&name);
	return r ? NULL : path;
}

/*
 * The modules of a schema 2 header: what it adds is bounded twice, by
 * REPORT_MAX_HDR_MODULES bytes (the logger writes at most 64 KiB of
 * them) and by what the report's budget has left; past either, the rest
 * of its list is not kept (and mb->cut says so).
 */
static void bin_header(struct binfo *b, const struct logline *l, struct modbudget *mb)
{
	json_t *m = l->main.p ? json_loadb(l->main.p, l->main.n, 0, NULL) : NULL;
	json_t *d = l->deps.p ? json_loadb(l->deps.p, l->deps.n, 0, NULL) : NULL, *e;
	struct modbudget hb = { mb->left < REPORT_MAX_HDR_MODULES ? mb->left : REPORT_MAX_HDR_MODULES, 0 };
	const char *path;
	size_t i;

	b->hmods.budget = &hb;
	if ((path = hdr_module(&b->hmods, m))) {
		const char *pkg = json_string_value(json_object_get(m, "pkg"));
		b->mainpath = xstrdup(path);
		b->mainmod = xstrdup(mods_get(&b->hmods, path, strlen(path))->name);
		/* the main package's import path, as the build info's "path" */
		if (pkg && *pkg && strlen(pkg) <= REPORT_MAX_FIELD && !b->mainpkg)
			b->mainpkg = xstrdup(pkg);
	}
	json_array_foreach(d, i, e)
		if (!hdr_module(&b->hmods, e) && hb.cut)
			break;
	mb->left -= (mb->left < REPORT_MAX_HDR_MODULES ? mb->left : REPORT_MAX_HDR_MODULES) - hb.left;
	mb->cut |= hb.cut;
	b->hmods.budget = NULL; /* nothing more is added to it */
	json_decref(m);
	json_decref(d);
}

/* The raw bytes of a key part: the span itself when short, else its first
 * REPORT_MAX_FIELD bytes and a hash of the rest, so a key stays small. */
static void key_add(struct report *r, size_t *n, const void *p, size_t len)
{
	size_t k = len <= REPORT_MAX_FIELD ? len : REPORT_MAX_FIELD + sizeof(uint64_t);

	if (*n + k + 1 > r->keyalloc) {
		r->keyalloc = 2 * (*n + k + 1) + 256;
		r->keybuf = xrealloc(r->keybuf, r->keyalloc);
	}
	if (len <= REPORT_MAX_FIELD) {
		memcpy(r->keybuf + *n, p, len);
	} else {
		uint64_t h = htab_hash(p, len);
		memcpy(r->keybuf + *n, p, REPORT_MAX_FIELD);
		memcpy(r->keybuf + *n + REPORT_MAX_FIELD, &h, sizeof(h));
	}
	*n += k;
	r->keybuf[(*n)++] = '\0';
}

static void key_span(struct report *r, size_t *n, const struct span *s)
{
	key_add(r, n, s->p ? s->p : "", s->p ? s->n : 0);
}

/* The slot of t for the key of n bytes built in r->keybuf (its hash to *h). */
static size_t key_slot(struct report *r, struct htab *t, size_t n,
		       int (*eq)(const void *item, const void *key), uint64_t *h)
{
	struct rawkey k = { r->keybuf, n };

	*h = htab_hash(k.p, k.n);
	return htab_slot(t, *h, eq, &k);
}

/* The index of the binary of a header (its exe, go, main and deps), made
 * on first sight (not loaded: go version -m runs only when a site of one
 * of its processes is new). */
static size_t bin_index(struct report *r, const struct logline *l)
{
	size_t n = 0, slot;
	uint64_t h;
	struct binfo *b;

	key_span(r, &n, &l->exe);
	key_span(r, &n, &l->go);
	key_span(r, &n, &l->main);
	key_span(r, &n, &l->deps);
	slot = key_slot(r, &r->bin_ix, n, eq_bin, &h);
	if ((b = r->bin_ix.v[slot]))
		return b->ix;
	if (r->nbins >= REPORT_MAX_BINS) {
		r->bins_cut = 1;
		return NO_BIN;
	}
	b = xcalloc(1, sizeof(*b));
	b->raw = xmalloc(n);
	memcpy(b->raw, r->keybuf, n);
	b->rawlen = n;
	b->exe = l->exe.p ? span_dup(&l->exe) : xstrdup("");
	b->go = l->go.p ? span_dup(&l->go) : xstrdup("");
	b->ix = r->nbins;
	b->mods.budget = &r->mods_budget;
	bin_header(b, l, &r->mods_budget);
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

/* The import path of the main package a file of a process of b belongs
 * to, or NULL: under -trimpath its directory, when below the header's
 * main module; else the build info's; else an inventory's package for the
 * file's directory. */
static char *main_pkg(struct report *r, struct binfo *b, const char *file)
{
	struct pkgset *inv = r->pkgmap;
	const char *p = NULL;

	if (b && b->mainpath && file[0] != '/') {
		/* "example.com/m/cmd/app/main.go", or from the module cache
		 * (go install m@v): "example.com/m@v1.0.0/cmd/app/main.go". */
		const char *slash = strrchr(file, '/');
		for (int i = 0; i < 2; i++) {
			const char *m = i ? b->mainmod : b->mainpath;
			size_t n = strlen(m);
			if (!strncmp(file, m, n) && file + n <= slash && file[n] == '/') {
				struct strbuf sb = STRBUF_INIT;
				strbuf_addstr(&sb, b->mainpath);
				strbuf_add(&sb, file + n, (size_t)(slash - file - n));
				return strbuf_detach(&sb, NULL);
			}
		}
	}
	if (b) {
		bin_load(r, b);
		p = b->mainpkg;
		if (!p)
			p = mods_pkg_of_file(&b->mods, file);
	}
	if (!p && inv)
		p = mods_pkg_of_file(inv, file);
	return p ? xstrdup(p) : NULL;
}

/*
 * The module name of *pkg, a package of file, for a process of binary b
 * ("unknown" if nothing says). A "main" package is renamed to its import
 * path when something says which; it is in the main module.
 */
static void module_of(struct report *r, struct binfo *b, char **pkgp, const char *file,
		      struct strbuf *out)
{
	struct pkgset *inv = r->pkgmap;
	const char *pkg = *pkgp, *m = NULL;

	if (!strcmp(pkg, "main")) {
		char *p = main_pkg(r, b, file);
		if (p) {
			free(*pkgp);
			*pkgp = p;
			pkg = p;
		} else if (b && b->mainmod) {
			m = b->mainmod;
		}
	}
	/* an external test package ("p_test") is in p's module */
	size_t n = strlen(pkg);
	char *find = n > 5 && !strcmp(pkg + n - 5, "_test") ? xstrndup(pkg, n - 5) : NULL;
	if (find)
		pkg = find;
	if (!m && b)
		m = mods_find(&b->hmods, pkg);
	if (!m && b) {
		bin_load(r, b);
		m = mods_find(&b->mods, pkg);
	}
	if (!m && inv)
		m = mods_find(inv, pkg);
	if (m) {
		strbuf_addstr(out, m);
	} else if (strcmp(pkg, "main") && is_std(pkg)) {
		strbuf_addstr(out, "std");
		if (b && *b->go)
			strbuf_addf(out, "@%s", b->go);
	} else if (modpath_from_cache(file, pkg, out) < 0 &&
		   modpath_from_vendor(file, out) < 0) {
		/* only what truly has no module: a file outside the module
		 * cache and vendor/, of a package nothing names */
		strbuf_addstr(out, "unknown");
	}
	free(find);
}

/* --- processes ----------------------------------------------------------- */


/* Parts of a process's log seen (its headers' "part"), as sorted,
 * disjoint ranges: one for a log read whole, one more per gap. */
#define PROC_MAX_RANGES 64

struct proc {
	long long pid;
	uint64_t start; /* hash of the header's "start" (never 0); 0: none */
	size_t bin;     /* index in r->bins, or NO_BIN */
	unsigned long long dropped; /* the largest goinstr.limit "dropped" */
	struct rpart *parts; /* NULL: no header with a part yet */
	size_t nparts;
	int parts_full;   /* more than PROC_MAX_RANGES ranges: some not kept */
	char *start_text; /* the header's start, once a part is missing */
};

static void proc_free(struct proc *pe)
{
	if (pe) {
		free(pe->parts);
		free(pe->start_text);
		free(pe);
	}
}

/* Part p seen: added to the ranges (merging neighbours). */
static void parts_add(struct proc *pe, unsigned long long p)
{
	size_t i = 0;

	while (i < pe->nparts && pe->parts[i].last + 1 < p)
		i++;
	if (i < pe->nparts && pe->parts[i].first <= p + 1) { /* touches range i */
		if (p < pe->parts[i].first)
			pe->parts[i].first = p;
		if (p > pe->parts[i].last) {
			pe->parts[i].last = p;
			if (i + 1 < pe->nparts && pe->parts[i + 1].first == p + 1) {
				pe->parts[i].last = pe->parts[i + 1].last;
				memmove(pe->parts + i + 1, pe->parts + i + 2,
					(pe->nparts - i - 2) * sizeof(*pe->parts));
				pe->nparts--;
			}
		}
		return;
	}
	if (pe->nparts == PROC_MAX_RANGES) {
		pe->parts_full = 1;
		return;
	}
	pe->parts = xrealloc(pe->parts, (pe->nparts + 1) * sizeof(*pe->parts));
	memmove(pe->parts + i + 1, pe->parts + i, (pe->nparts - i) * sizeof(*pe->parts));
	pe->parts[i] = (struct rpart){ p, p };
	pe->nparts++;
}

/* Whether parts of pe's log up to the last one seen were not read. */
static int parts_gap(const struct proc *pe)
{
	return pe->nparts && (pe->nparts > 1 || pe->parts[0].first > 1 || pe->parts_full);
}

static int cmp_incomplete(const void *a, const void *b)
{
	const struct rincomplete *x = a, *y = b;
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if ((c = strcmp(x->start, y->start)))
		return c;
	return strcmp(x->exe, y->exe);
}

/*
 * A process whose log misses parts (rotation removed them, or they were
 * not named): recorded in r->incomplete with the parts missing before
 * the last seen, and counted. Past REPORT_MAX_INCOMPLETE processes the
 * list keeps the first in cmp_incomplete's order, whatever the order of
 * the logs.
 */
static void note_incomplete(struct report *r, const struct proc *pe)
{
	struct rincomplete ic = { 0 };
	unsigned long long next = 1;
	size_t at = r->nincomplete;

	if (!parts_gap(pe))
		return;
	r->incomplete_procs++;
	ic.pid = pe->pid;
	ic.start = xstrdup(pe->start_text ? pe->start_text : "");
	ic.exe = xstrdup(pe->bin != NO_BIN ? r->bins[pe->bin]->exe : "");
	ic.more = pe->parts_full;
	ic.missing = xmalloc(pe->nparts * sizeof(*ic.missing));
	for (size_t i = 0; i < pe->nparts; next = pe->parts[i++].last + 1)
		if (pe->parts[i].first > next) {
			ic.missing[ic.nmissing++] = (struct rpart){ next, pe->parts[i].first - 1 };
			r->missing_parts += pe->parts[i].first - next;
		}
	if (r->nincomplete == REPORT_MAX_INCOMPLETE) { /* replace the last, if after ic */
		at = 0;
		for (size_t i = 1; i < r->nincomplete; i++)
			if (cmp_incomplete(&r->incomplete[i], &r->incomplete[at]) > 0)
				at = i;
		if (cmp_incomplete(&ic, &r->incomplete[at]) > 0) {
			free(ic.start), free(ic.exe), free(ic.missing);
			return;
		}
		free(r->incomplete[at].start), free(r->incomplete[at].exe);
		free(r->incomplete[at].missing);
	} else {
		r->incomplete = xrealloc(r->incomplete, (at + 1) * sizeof(*r->incomplete));
		r->nincomplete++;
	}
	r->incomplete[at] = ic;
}

static int eq_pid(const void *item, const void *key)
{
	return ((const struct proc *)item)->pid == *(const long long *)key;
}

/*
 * The entry of the process that has pid now, made if new. Processes grow
 * with the log, not with the sites: past REPORT_MAX_PIDS the map starts
 * over, so memory stays bounded. A forgotten process whose site is new is
 * then taken for the last header's binary, which is right whenever one
 * binary wrote the logs (and a process spanning the start-over may count
 * twice).
 */
static struct proc *proc_get(struct report *r, long long pid, int *made)
{
	uint64_t h = htab_hash(&pid, sizeof(pid));
	size_t slot = htab_slot(&r->pid_ix, h, eq_pid, &pid);
	struct proc *pe = r->pid_ix.v[slot];

	*made = !pe;
	if (pe)
		return pe;
	if (r->pid_ix.nr >= REPORT_MAX_PIDS) {
		for (size_t i = 0; i < r->pid_ix.cap; i++) {
			if (r->pid_ix.v[i])
				note_incomplete(r, r->pid_ix.v[i]);
			proc_free(r->pid_ix.v[i]);
			r->pid_ix.v[i] = NULL;
		}
		r->pid_ix.nr = 0;
		slot = htab_slot(&r->pid_ix, h, eq_pid, &pid);
	}
	pe = xcalloc(1, sizeof(*pe));
	pe->pid = pid;
	pe->bin = r->last_bin ? r->last_bin - 1 : NO_BIN;
	htab_put(&r->pid_ix, slot, h, pe);
	return pe;
}

/* The binary of a process: its header's, else (header not seen, or
 * forgotten) the last header's. */
static struct binfo *bin_of_pid(struct report *r, long long pid)
{
	uint64_t h = htab_hash(&pid, sizeof(pid));
	struct proc *pe = r->pid_ix.v[htab_slot(&r->pid_ix, h, eq_pid, &pid)];
	size_t bin = pe ? pe->bin : r->last_bin ? r->last_bin - 1 : NO_BIN;

	return bin == NO_BIN ? NULL : r->bins[bin];
}

/*
 * A header. Schema 2 names its process by (pid, start): the copy that
 * starts each later file the process writes (part 2, 3, ...) is the same
 * process. Schema 1 has no start: each header is a process, as it was.
 */
static void header(struct report *r, const struct logline *l)
{
	size_t bin = bin_index(r, l);
	uint64_t start = l->start.p ? htab_hash(l->start.p, l->start.n) | 1 : 0;
	int made;
	struct proc *pe = proc_get(r, l->pid, &made);

	if (made || !start || pe->start != start) {
		if (!made) /* the pid's earlier process */
			note_incomplete(r, pe);
		r->procs++;
		pe->start = start;
		pe->dropped = 0;
		free(pe->parts);
		pe->parts = NULL;
		pe->nparts = 0;
		pe->parts_full = 0;
		free(pe->start_text);
		pe->start_text = NULL;
	}
	pe->bin = bin;
	r->last_bin = bin + 1;
	if (start && l->part > 0) { /* schema 2: which file of the process this is */
		parts_add(pe, (unsigned long long)l->part);
		if (parts_gap(pe) && !pe->start_text) {
			struct strbuf sb = STRBUF_INIT;
			logread_decode(&l->start, 64, &sb);
			pe->start_text = strbuf_detach(&sb, NULL);
		}
	}
}

/* goinstr.limit: the logger's cap on distinct events was reached, and
 * "dropped" events were not logged since; repeated as it grows. */
static void limit(struct report *r, const struct logline *l)
{
	int made;
	struct proc *pe = proc_get(r, l->pid, &made);

	if ((unsigned long long)l->dropped > pe->dropped) {
		r->dropped += (unsigned long long)l->dropped - pe->dropped;
		pe->dropped = (unsigned long long)l->dropped;
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

static void edge(struct report *r, const struct logline *l)
{
	size_t n = 0, slot;
	uint64_t h;
	struct edge_item *e;

	if (!l->op.p || !reflectop_is_edge(l->op.p, l->op.n) || !l->target.p || !l->caller_func.p)
		return;
	key_span(r, &n, &l->caller_func);
	key_span(r, &n, &l->op);
	key_span(r, &n, &l->target);
	slot = key_slot(r, &r->edge_ix, n, eq_edge, &h);
	if (r->edge_ix.v[slot])
		return;
	e = xcalloc(1, sizeof(*e));
	e->raw = xmalloc(n);
	memcpy(e->raw, r->keybuf, n);
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
	slash = strrchr(fn, '/');
	dot = strchr(slash ? slash : fn, '.');
	s->pkg = dot ? xstrndup(fn, (size_t)(dot - fn)) : xstrdup(fn);
	pkg_unescape(s->pkg);
	module_of(r, bin_of_pid(r, l->pid), &s->pkg, s->file, &sb);
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
	key_span(r, &n, &l->op);
	key_span(r, &n, file);
	key_add(r, &n, lc, sizeof(lc));
	slot = key_slot(r, &r->site_ix, n, eq_site, &h);
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
		header(r, l);
		return;
	}
	if (span_is(&l->msg, "goinstr.limit")) {
		if (l->dropped < 0)
			bad(c, lineno, "goinstr.limit line without \"dropped\"");
		else
			limit(r, l);
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

/* The processes still in the map whose logs miss parts, then all of
 * them in one order whatever the order of the logs. */
static void finish_incomplete(struct report *r)
{
	for (size_t i = 0; i < r->pid_ix.cap; i++)
		if (r->pid_ix.v[i])
			note_incomplete(r, r->pid_ix.v[i]);
	if (r->nincomplete)
		qsort(r->incomplete, r->nincomplete, sizeof(*r->incomplete), cmp_incomplete);
}

void report_finish(struct report *r)
{
	const char **ids = xmalloc((r->nsites + 1) * sizeof(*ids));
	const char **ops = xmalloc((r->nsites + 1) * sizeof(*ops));
	size_t nids = 0;

	finish_incomplete(r);
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
	baseline_keys(r);
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
	for (size_t i = 0; i < r->pid_ix.cap; i++)
		proc_free(r->pid_ix.v[i]);
	for (size_t i = 0; i < r->nincomplete; i++) {
		free(r->incomplete[i].start);
		free(r->incomplete[i].exe);
		free(r->incomplete[i].missing);
	}
	free(r->incomplete);
	free(r->new_targets);
	for (size_t i = 0; i < r->ngone; i++)
		free(r->gone[i].key), free(r->gone[i].where), free(r->gone[i].module);
	free(r->gone);
	for (size_t i = 0; i < r->nbins; i++) {
		struct binfo *b = r->bins[i];
		mods_free(&b->mods);
		mods_free(&b->hmods);
		free(b->exe), free(b->go), free(b->mainpkg), free(b->mainmod), free(b->mainpath);
		free(b->raw);
		free(b);
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

/* One file beside a LOG that looks rotated from it (report_rotated). */
struct rotated {
	unsigned long long k; /* LOG.K, LOG.K.gz */
	int gz;
	char *path;
};

struct rotctx {
	const char *dir, *base; /* LOG is dir/base (dir NULL: base alone) */
	size_t nbase;
	struct rotated *v;
	size_t nr, alloc;
	struct argv *unread;
};

/* The path of name beside LOG, spelled as LOG is. */
static char *beside(const struct rotctx *c, const char *name)
{
	struct strbuf p = STRBUF_INIT;

	if (c->dir)
		strbuf_addf(&p, "%s%s", c->dir, c->dir[strlen(c->dir) - 1] == '/' ? "" : "/");
	strbuf_addstr(&p, name);
	return strbuf_detach(&p, NULL);
}

/*
 * An entry of LOG's directory. LOG.K and LOG.K.gz (K digits) are read;
 * any other name that starts LOG.K (LOG.K.gz.age, LOG.K.xz ...) or LOG-
 * and a digit (logrotate's dateext) is a rotated file of LOG the report
 * cannot read: it goes to unread.
 */
static int rotated_entry(void *ctx, const struct tree_entry *e)
{
	struct rotctx *c = ctx;
	const char *n = e->rel, *p;
	struct stat st;
	unsigned long long k = 0;
	int gz;

	if (strncmp(n, c->base, c->nbase) || (n[c->nbase] != '.' && n[c->nbase] != '-'))
		return 0;
	p = n + c->nbase + 1;
	if (*p < '0' || *p > '9')
		return 0;
	if (e->kind == TREE_DIR)
		return 0;
	if (n[c->nbase] == '.') {
		for (; *p >= '0' && *p <= '9'; p++)
			k = k > (~0ull - 9) / 10 ? ~0ull : k * 10 + (unsigned)(*p - '0');
	}
	gz = !strcmp(p, ".gz");
	if (n[c->nbase] == '.' && (!*p || gz) &&
	    (e->kind == TREE_FILE ||
	     (e->kind == TREE_SYMLINK && !stat(e->path, &st) && S_ISREG(st.st_mode)))) {
		if (c->nr == c->alloc) {
			c->alloc = c->alloc ? 2 * c->alloc : 16;
			c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
		}
		c->v[c->nr++] = (struct rotated){ k, gz, beside(c, n) };
		return 0;
	}
	if (c->unread) {
		char *path = beside(c, n);
		argv_push(c->unread, path);
		free(path);
	}
	return 0;
}

/* LOG.1, LOG.2 ... (or LOG.K.gz), up to the first missing, for a
 * directory that cannot be listed (nothing else beside LOG can be seen). */
static void rotated_probe(const char *log, struct rotctx *c)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;

	for (unsigned long long k = 1;; k++) {
		int found = 0;
		for (int gz = 0; gz < 2 && !found; gz++) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s.%llu%s", log, k, gz ? ".gz" : "");
			found = !stat(p.buf, &st) && S_ISREG(st.st_mode);
		}
		if (!found)
			break;
		if (c->nr == c->alloc) {
			c->alloc = c->alloc ? 2 * c->alloc : 16;
			c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
		}
		c->v[c->nr++] = (struct rotated){ k, 0, strbuf_detach(&p, NULL) };
	}
	strbuf_release(&p);
}

/* Oldest first: the higher K, the older; LOG.K before LOG.K.gz. */
static int cmp_rotated(const void *a, const void *b)
{
	const struct rotated *x = a, *y = b;

	if (x->k != y->k)
		return x->k > y->k ? -1 : 1;
	return x->gz - y->gz;
}

size_t report_rotated(const char *log, char ***out, struct argv *unread)
{
	const char *slash = strrchr(log, '/');
	struct rotctx c = { NULL, slash ? slash + 1 : log, 0, NULL, 0, 0, unread };
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	char **v;
	size_t n = 0;

	/*
	 * The logger rotates LOG -> LOG.1 -> ... -> LOG.N: the higher, the
	 * older; logrotate's compress makes them LOG.K.gz (with delaycompress
	 * all but LOG.1). While LOG.K is being compressed both exist: the
	 * whole LOG.K is read.
	 */
	c.nbase = strlen(c.base);
	if (slash)
		strbuf_add(&dir, log, slash > log ? (size_t)(slash - log) : 1);
	c.dir = slash ? dir.buf : NULL;
	if (strcmp(log, "-") && c.nbase && !stat(slash ? dir.buf : ".", &st) && S_ISDIR(st.st_mode)) {
		if (!access(slash ? dir.buf : ".", R_OK))
			tree_walk(slash ? dir.buf : ".", TREE_SHALLOW, rotated_entry, &c);
		else /* a directory that can be searched, not listed */
			rotated_probe(log, &c);
	}
	if (c.nr)
		qsort(c.v, c.nr, sizeof(*c.v), cmp_rotated);
	v = xmalloc((c.nr + 1) * sizeof(*v));
	for (size_t i = 0; i < c.nr; i++) {
		if (i && c.v[i].k == c.v[i - 1].k) { /* LOG.K.gz beside LOG.K */
			free(c.v[i].path);
			continue;
		}
		v[n++] = c.v[i].path;
	}
	v[n++] = xstrdup(log);
	free(c.v);
	strbuf_release(&dir);
	*out = v;
	return n;
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
