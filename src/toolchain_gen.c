/*
 * toolchain_gen.c - what goinstr writes into a drop-in toolchain, for
 * making and verifying alike (see toolchain_gen.h and docs/toolchain.md).
 */
#include "toolchain_gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gotypes.h"
#include "hash.h"
#include "instrument.h"
#include "reflectops.h"
#include "tree.h"
#include "util.h"
#include "version.h"

static const char *const kind_names[] = { "kept", "changed", "added" };

void tc_init(struct tc *t, const char *root, int write)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	t->write = write;
	strbuf_init(&t->what, 0);
	strbuf_init(&t->id, 0);
	strbuf_init(&t->goenv_orig, 0);
}

void tc_release(struct tc *t)
{
	tc_entries_release(&t->e);
	strbuf_release(&t->what);
	strbuf_release(&t->id);
	strbuf_release(&t->goenv_orig);
}

/* "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" */
void tc_format_options(struct tc *t)
{
	strbuf_reset(&t->what);
	strbuf_addstr(&t->what, "ops=");
	cats_format(t->ops, &t->what);
	strbuf_addf(&t->what, " unsafe=%s%s%s", t->unsafe, t->trust_goroot ? " trust-goroot" : "",
		    t->isolate ? " isolate" : "");
}

void tc_record(struct tc_entries *es, const char *path, enum tc_kind k, const char *orig,
	       const char *new)
{
	struct tc_entry *e;

	if (es->nr == es->alloc) {
		es->alloc = es->alloc ? 2 * es->alloc : 1024;
		es->v = xrealloc(es->v, es->alloc * sizeof(*es->v));
	}
	e = &es->v[es->nr];
	e->path = xstrdup(path);
	e->kind = k;
	snprintf(e->orig, sizeof(e->orig), "%s", orig ? orig : "-");
	snprintf(e->new, sizeof(e->new), "%s", new);
	e->seq = es->nr++;
}

void tc_entries_release(struct tc_entries *es)
{
	for (size_t i = 0; i < es->nr; i++)
		free(es->v[i].path);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

static int cmp_entry(const void *a, const void *b)
{
	const struct tc_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_entry_path(const void *a, const void *b)
{
	return strcmp(((const struct tc_entry *)a)->path, ((const struct tc_entry *)b)->path);
}

/* Sort by path; of several records of one path the last one counts. */
void tc_entries_fold(struct tc_entries *es)
{
	size_t w = 0;

	qsort(es->v, es->nr, sizeof(*es->v), cmp_entry);
	for (size_t i = 0; i < es->nr; i++) {
		if (w && !strcmp(es->v[w - 1].path, es->v[i].path)) {
			free(es->v[w - 1].path);
			es->v[w - 1] = es->v[i];
			continue;
		}
		es->v[w++] = es->v[i];
	}
	es->nr = w;
}

struct tc_entry *tc_entries_find(const struct tc_entries *es, const char *path)
{
	struct tc_entry key = { 0 };
	key.path = (char *)path;
	return bsearch(&key, es->v, es->nr, sizeof(*es->v), cmp_entry_path);
}

void tc_hex(const void *data, size_t len, char out[65])
{
	struct strbuf h = STRBUF_INIT;
	sha256_buf_hex(data, len, &h);
	memcpy(out, h.buf, 65);
	strbuf_release(&h);
}

int tc_mkdir(const struct tc *t, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&p, "%s/%s", t->root, rel);
	if (t->write && (mkdir(p.buf, 0755) < 0 || chmod(p.buf, 0755) < 0))
		ret = error("cannot create '%s': %s", p.buf, strerror(errno));
	strbuf_release(&p);
	return ret;
}

/* Write root/rel (replacing the link there, if any) and record it. */
static int put_file(struct tc *t, const char *rel, const char *orig, size_t olen, int had_orig,
		    const char *data, size_t len, unsigned mode)
{
	struct strbuf path = STRBUF_INIT;
	char o[65], n[65];
	int ret = 0;

	strbuf_addf(&path, "%s/%s", t->root, rel);
	if (t->write)
		ret = write_file(path.buf, data, len, mode);
	if (!ret) {
		if (had_orig)
			tc_hex(orig, olen, o);
		tc_hex(data, len, n);
		tc_record(&t->e, rel, had_orig ? TC_CHANGED : TC_ADDED, had_orig ? o : NULL, n);
	}
	strbuf_release(&path);
	return ret;
}

/* Move root/from to root/to (a link stays a link), recorded as added. */
static int move_file(struct tc *t, const char *from, const char *to)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, data = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	strbuf_addf(&a, "%s/%s", t->root, t->write ? from : to);
	strbuf_addf(&b, "%s/%s", t->root, to);
	if (strbuf_read_file(&data, a.buf) < 0)
		ret = error("cannot read '%s': %s", a.buf, strerror(errno));
	else if (t->write && rename(a.buf, b.buf) < 0)
		ret = error("cannot rename '%s': %s", a.buf, strerror(errno));
	if (!ret) {
		tc_hex(data.buf, data.len, hex);
		tc_record(&t->e, to, TC_ADDED, NULL, hex);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&data);
	return ret;
}

/* Replace root/rel by a script; the original (root/orig_rel) is recorded. */
static int put_script(struct tc *t, const char *rel, const char *orig_rel,
		      const struct strbuf *text)
{
	struct strbuf orig = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", t->root, orig_rel);
	if (strbuf_read_file(&orig, path.buf) < 0)
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
	else
		ret = put_file(t, rel, orig.buf, orig.len, 1, text->buf, text->len, 0755);
	strbuf_release(&orig);
	strbuf_release(&path);
	return ret;
}

/*
 * Files the release manifest must have: whatever the release's toolchain
 * module holds, and nothing added to what the go command compiles or
 * runs (src/, bin/, pkg/, lib/). Other files (a tarball's api/, doc/,
 * misc/, test/) are kept as they are, and listed in the MANIFEST.
 */
int tc_covered(const struct manifest *rel, const char *path)
{
	return rel && (!strncmp(path, "src/", 4) || !strncmp(path, "bin/", 4) ||
		       !strncmp(path, "pkg/", 4) || !strncmp(path, "lib/", 4) ||
		       manifest_find(rel, path));
}


/* --- 2. the instrumented standard library ---------------------------------- */

struct std_sink_ctx {
	struct tc *t;
	const char *from; /* the GOROOT instrument_std reads: ORIG_DIR of root */
};

static int std_sink(void *ctx, const char *target, const char *rel,
		    const char *orig, size_t olen, const char *data, size_t len)
{
	struct std_sink_ctx *c = ctx;
	size_t n = strlen(c->from);

	(void)rel;
	if (strncmp(target, c->from, n) || target[n] != '/')
		return error("internal error: '%s' is not in '%s'", target, c->from);
	return put_file(c->t, target + n + 1, orig, olen, orig != NULL, data, len, 0644);
}

static int keep_one(void *ctx, const struct tree_entry *e)
{
	struct tc *t = ctx;
	struct strbuf rel = STRBUF_INIT, to = STRBUF_INIT;
	int ret = 0;

	if (e->kind != TREE_FILE)
		return 0; /* the directory, testdata/: not read by the rewrite */
	strbuf_addf(&rel, ORIG_DIR "/src/reflect/%s", e->rel);
	strbuf_addf(&to, "%s/%s", t->root, rel.buf);
	if (t->write && tree_share(e->path, to.buf, e->st, NULL) < 0)
		ret = -1;
	else
		ret = move_file(t, rel.buf, rel.buf); /* records its digest */
	strbuf_release(&rel);
	strbuf_release(&to);
	return ret;
}

/* Keep the original reflect sources in ORIG_DIR: the rewrite reads them,
 * and verify rewrites them again. */
static int keep_originals(struct tc *t)
{
	struct strbuf dir = STRBUF_INIT;
	int ret;

	if (tc_mkdir(t, ORIG_DIR) < 0 || tc_mkdir(t, ORIG_DIR "/src") < 0 ||
	    tc_mkdir(t, ORIG_DIR "/src/reflect") < 0)
		return -1;
	strbuf_addf(&dir, "%s/%s", t->root, t->write ? "src/reflect" : ORIG_DIR "/src/reflect");
	ret = tree_walk(dir.buf, TREE_SHALLOW, keep_one, t);
	strbuf_release(&dir);
	return ret;
}

int tc_put_std(struct tc *t)
{
	struct goenv from = t->env;
	struct strbuf orig = STRBUF_INIT;
	struct rwreflect rw;
	int ret = 0;

	if (tc_mkdir(t, "pkg/goinstr") < 0 || keep_originals(t) < 0)
		return -1;
	strbuf_addf(&orig, "%s/" ORIG_DIR, t->root);
	from.goroot = orig.buf;
	rwreflect_init(&rw, t->ops);
	rw.trust_goroot = t->trust_goroot;
	if (!t->no_std) {
		struct std_sink_ctx c = { t, orig.buf };
		struct sink sink = { std_sink, &c };
		ret = instrument_std(&from, &rw, &sink);
	}
	/* The identity compile -V=full answers with, as goinstr build's --id
	 * (instrument.h): what the unsafe rewrite depends on, not the ops. */
	if (!ret && !t->id.len)
		instrument_unsafe_id(t->env.goroot, t->unsafe, "", &t->id);
	rwreflect_release(&rw);
	strbuf_release(&orig);
	return ret;
}

/* --- 3. scripts, goinstr's copy, go.env, the manifest ---------------------- */

/*
 * goinstr-types, built from the source GOROOT (gotypes.h) into
 * pkg/goinstr/bin; when verifying, built again and compared, if the
 * source GOROOT is still there. 0 or -1 (reported).
 */
static int put_helper(struct tc *t)
{
	struct strbuf dir = STRBUF_INIT, bin = STRBUF_INIT, data = STRBUF_INIT;
	int ret = -1;

	if (!t->write && access(t->env.gocmd, X_OK) < 0) {
		/* the source GOROOT is gone: only the MANIFEST can say */
		const struct tc_entry *r = tc_entries_find(t->recorded, "pkg/goinstr/bin/goinstr-types");
		printf("note: %s is gone: pkg/goinstr/bin/goinstr-types is checked against the "
		       "MANIFEST only\n", t->env.goroot);
		tc_record(&t->e, "pkg/goinstr/bin/goinstr-types", TC_ADDED, NULL, r ? r->new : "-");
		ret = 0;
		goto out;
	}
	if (workdir_create(&dir) < 0)
		goto out;
	if (gotypes_build(&t->env, t->trust_goroot, dir.buf) < 0)
		goto out;
	strbuf_addf(&bin, "%s/goinstr-types", dir.buf);
	if (strbuf_read_file(&data, bin.buf) < 0) {
		error("cannot read '%s': %s", bin.buf, strerror(errno));
		goto out;
	}
	ret = put_file(t, "pkg/goinstr/bin/goinstr-types", NULL, 0, 0, data.buf, data.len, 0755);
out:
	if (dir.len)
		remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&bin);
	strbuf_release(&data);
	return ret;
}

/* go.env's text with every GOTOOLCHAIN line (or one at the end) set to local. */
void tc_goenv_local(const struct strbuf *old, struct strbuf *new)
{
	int set = 0;

	for (const char *p = old->buf; *p;) {
		size_t n = strcspn(p, "\n");
		if (!strncmp(p, "GOTOOLCHAIN=", 12)) {
			strbuf_addstr(new, "GOTOOLCHAIN=local\n");
			set = 1;
		} else {
			strbuf_add(new, p, n);
			strbuf_addch(new, '\n');
		}
		p += n + (p[n] == '\n');
	}
	if (!set)
		strbuf_addstr(new, "GOTOOLCHAIN=local\n");
}

/* go.env with GOTOOLCHAIN=local (written only if that changes it). */
static int put_goenv(struct tc *t)
{
	struct strbuf path = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/go.env", t->root);
	if (strbuf_read_file(&old, path.buf) < 0 && errno != ENOENT) {
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	tc_goenv_local(&old, &new);
	if (t->write && (new.len != old.len || memcmp(new.buf, old.buf, new.len)))
		ret = put_file(t, "go.env", old.buf, old.len, access(path.buf, F_OK) == 0,
			       new.buf, new.len, 0644);
	else if (!t->write && t->goenv_orig.len) {
		/* Verifying: the original is not kept, its digest is recorded. */
		char n[65];
		tc_hex(new.buf, new.len, n);
		tc_record(&t->e, "go.env", TC_CHANGED, t->goenv_orig.buf, n);
	}
out:
	strbuf_release(&path);
	strbuf_release(&old);
	strbuf_release(&new);
	return ret;
}

void tc_manifest_text(struct tc *t, struct strbuf *sb)
{
	tc_entries_fold(&t->e);
	strbuf_addf(sb,
		    "# goinstr toolchain manifest\n"
		    "# goinstr %s\n# go %s %s/%s\n# source %s\n# release-manifest %s\n"
		    "# options %s\n# id %s\n"
		    "# Every file goinstr changed or added, and every file kept from the\n"
		    "# source that the release manifest does not cover:\n"
		    "# KIND ORIGINAL-SHA256 NEW-SHA256 PATH (ORIGINAL '-': added)\n",
		    GOINSTR_VERSION, t->env.version, t->env.goos, t->env.goarch, t->env.goroot,
		    t->rel ? t->rel->name : "none (--trust-goroot)", t->what.buf, t->id.buf);
	for (size_t i = 0; i < t->e.nr; i++)
		strbuf_addf(sb, "%s %s %s %s\n", kind_names[t->e.v[i].kind], t->e.v[i].orig,
			    t->e.v[i].new, t->e.v[i].path);
}

int tc_put_tools(struct tc *t)
{
	struct strbuf sb = STRBUF_INIT, tool = STRBUF_INIT, path = STRBUF_INIT;
	struct toolchain_script_opts so = { t->what.buf, t->unsafe, t->env.version, t->id.buf,
					    t->ops, t->trust_goroot };
	int ret = -1;

	/* The go command and the compiler become scripts. */
	if (tc_mkdir(t, "pkg/goinstr/bin") < 0 ||
	    move_file(t, "bin/go", REAL_GO) < 0)
		goto out;
	toolchain_script_go(&sb, t->what.buf, t->env.version, t->isolate);
	if (put_script(t, "bin/go", REAL_GO, &sb) < 0)
		goto out;
	/* the linker's marks every binary (buildinfo.h), --unsafe=none too */
	for (const char *const *tl = (const char *const[]){ "compile", "link", NULL }; *tl; tl++) {
		struct strbuf real = STRBUF_INIT;
		int r;
		if (!strcmp(*tl, "compile") && !strcmp(t->unsafe, "none"))
			continue;
		strbuf_reset(&tool);
		strbuf_addf(&tool, "pkg/tool/%s_%s/%s", t->env.goos, t->env.goarch, *tl);
		strbuf_addf(&real, "pkg/goinstr/tool/%s", *tl);
		strbuf_reset(&sb);
		toolchain_script_tool(&sb, *tl, &so);
		r = ((!strcmp(*tl, "compile") || !strcmp(t->unsafe, "none")) &&
		     tc_mkdir(t, "pkg/goinstr/tool") < 0) ||
		    move_file(t, tool.buf, real.buf) < 0 || put_script(t, tool.buf, real.buf, &sb) < 0;
		strbuf_release(&real);
		if (r)
			goto out;
	}
	if (strcmp(t->unsafe, "none") && put_helper(t) < 0)
		goto out;
	/* The compile shim's goinstr: a copy, so rebuilding goinstr does not
	 * change the toolchain. */
	strbuf_reset(&sb);
	if (strbuf_read_file(&sb, "/proc/self/exe") < 0) {
		error("cannot read goinstr's own binary: %s", strerror(errno));
		goto out;
	}
	if (put_file(t, "pkg/goinstr/bin/goinstr", NULL, 0, 0, sb.buf, sb.len, 0755) < 0 ||
	    put_goenv(t) < 0)
		goto out;
	strbuf_reset(&sb);
	tc_manifest_text(t, &sb);
	strbuf_addf(&path, "%s/" TOOLCHAIN_MANIFEST, t->root);
	if (t->write && write_file(path.buf, sb.buf, sb.len, 0644) < 0)
		goto out;
	if (t->write && chmod(t->root, 0755) < 0) {
		error("cannot chmod '%s': %s", t->root, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&sb);
	strbuf_release(&tool);
	strbuf_release(&path);
	return ret;
}

/* The value of header line "# KEY VALUE" of a manifest's text. */
int tc_header_of(const char *text, const char *key, struct strbuf *out)
{
	size_t n = strlen(key);

	for (const char *s = text; *s == '#'; s += strcspn(s, "\n") + 1) {
		if (!strncmp(s + 2, key, n) && s[2 + n] == ' ') {
			strbuf_add(out, s + 3 + n, strcspn(s + 3 + n, "\n"));
			return 0;
		}
		if (!s[strcspn(s, "\n")])
			break;
	}
	return -1;
}

/* The MANIFEST's lines "KIND ORIG NEW PATH" (text is cut into lines). */
void tc_parse_entries(char *text, struct tc_entries *es)
{
	for (char *s = text, *nl; *s; s = nl + 1) {
		char kind[16], orig[65], new[65];
		int off = 0;
		if (!(nl = strchr(s, '\n')))
			nl = s + strlen(s) - 1;
		else
			*nl = '\0';
		if (*s != '#' && sscanf(s, "%15s %64s %64s %n", kind, orig, new, &off) == 3 && off) {
			enum tc_kind k = !strcmp(kind, "kept") ? TC_KEPT :
				      !strcmp(kind, "changed") ? TC_CHANGED : TC_ADDED;
			tc_record(es, s + off, k, orig, new);
		}
		if (!nl[1])
			break;
	}
	qsort(es->v, es->nr, sizeof(*es->v), cmp_entry_path);
}
