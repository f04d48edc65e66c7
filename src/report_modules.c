/*
 * report_modules.c - which module a site belongs to (report_modules.h):
 * module sets, the binaries logs' headers name, and the way from a
 * package and its file to a module name.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "htab.h"
#include "logread.h"
#include "modpath.h"
#include "report_types.h"
#include "report_key.h"
#include "report_modules.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

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

struct binfo {
	char *exe, *go, *mainpkg;
	char *raw; /* the header's exe, go, main and deps, as report_key_add keeps them */
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

/* The index of the binary of a header (its exe, go, main and deps), made
 * on first sight (not loaded: go version -m runs only when a site of one
 * of its processes is new). */
size_t report_bin_index(struct report *r, const struct logline *l)
{
	size_t n = 0, slot;
	uint64_t h;
	struct binfo *b;

	report_key_span(r, &n, &l->exe);
	report_key_span(r, &n, &l->go);
	report_key_span(r, &n, &l->main);
	report_key_span(r, &n, &l->deps);
	slot = report_key_slot(r, &r->bin_ix, n, eq_bin, &h);
	if ((b = r->bin_ix.v[slot]))
		return b->ix;
	if (r->nbins >= REPORT_MAX_BINS) {
		r->bins_cut = 1;
		return REPORT_NO_BIN;
	}
	b = xcalloc(1, sizeof(*b));
	b->raw = xmalloc(n);
	memcpy(b->raw, r->keybuf, n);
	b->rawlen = n;
	b->exe = l->exe.p ? report_span_dup(&l->exe) : xstrdup("");
	b->go = l->go.p ? report_span_dup(&l->go) : xstrdup("");
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
void report_module_of(struct report *r, struct binfo *b, char **pkgp, const char *file,
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

const char *report_bin_exe(const struct report *r, size_t bin)
{
	return bin != REPORT_NO_BIN ? r->bins[bin]->exe : "";
}

void report_modules_add_inventory(struct report *r, json_t *o)
{
	if (!r->pkgmap)
		r->pkgmap = xcalloc(1, sizeof(struct pkgset));
	inv_record(r->pkgmap, o);
}

void report_modules_release(struct report *r)
{
	for (size_t i = 0; i < r->nbins; i++) {
		struct binfo *b = r->bins[i];
		mods_free(&b->mods);
		mods_free(&b->hmods);
		free(b->exe), free(b->go), free(b->mainpkg), free(b->mainmod), free(b->mainpath);
		free(b->raw);
		free(b);
	}
	if (r->pkgmap)
		mods_free(r->pkgmap);
	free(r->pkgmap);
	free(r->bins);
}
