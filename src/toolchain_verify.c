/*
 * toolchain_verify.c - check a drop-in toolchain file by file (see
 * toolchain_verify.h): what goinstr generates is generated again
 * (toolchain_gen.h) and compared, the rest against the release manifest.
 */
#include "toolchain_verify.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "reflectops.h"
#include "toolchain_gen.h"
#include "tree.h"
#include "util.h"

/* --- verifying one ----------------------------------------------------------- */

struct check {
	struct tc *t;
	const struct tc_entries *recorded; /* the MANIFEST's lines */
	const struct strbuf *manifest;  /* the MANIFEST goinstr would write */
	uid_t owner;                    /* DIR's */
	char *seen, *rseen;             /* expected and release entries found */
	struct strbuf data;
	unsigned long ok, differ, missing, extra, writable, foreign, setid, parents;
};

/* What goinstr moved aside is the release's: REAL_GO, tool/compile, tool/link,
 * ORIG_DIR/. */
static void release_path(const struct tc *t, const char *rel, struct strbuf *out)
{
	if (!strcmp(rel, REAL_GO))
		strbuf_addstr(out, "bin/go");
	else if (!strncmp(rel, "pkg/goinstr/tool/", 17))
		strbuf_addf(out, "pkg/tool/%s_%s/%s", t->env.goos, t->env.goarch, rel + 17);
	else if (!strncmp(rel, ORIG_DIR "/", strlen(ORIG_DIR) + 1))
		strbuf_addstr(out, rel + strlen(ORIG_DIR) + 1);
}

static void differs(struct check *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void differs(struct check *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	printf("differs:  %s (", path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs(")\n", stdout);
	c->differ++;
}

/* Compare a digest with the one wanted: ok, or a differs line. */
static void compare(struct check *c, const char *path, const char *want, const char *got)
{
	if (strcmp(want, got))
		differs(c, path, "sha256 %s expected, %s found", want, got);
	else
		c->ok++;
}

static int setid_file(const struct tree_entry *e);

static int check_one(void *ctx, const struct tree_entry *e)
{
	struct check *c = ctx;
	struct tc *t = c->t;
	const struct tc_entry *gen, *rec;
	const struct manifest_entry *m = NULL;
	struct strbuf rp = STRBUF_INIT;
	char hex[65];

	if (e->st->st_mode & 022) {
		printf("writable: %s (mode %03o: writable by others than its owner)\n", e->path,
		       (unsigned)(e->st->st_mode & 0777));
		c->writable++;
	}
	if (e->st->st_uid != c->owner && e->st->st_uid != 0) {
		printf("foreign:  %s (owned by uid %u, who can change it: not DIR's owner or root)\n",
		       e->path, (unsigned)e->st->st_uid);
		c->foreign++;
	}
	if (e->kind == TREE_DIR)
		return 0;
	if (setid_file(e))
		c->setid++;
	strbuf_reset(&c->data);
	if (e->kind != TREE_FILE || strbuf_read_file(&c->data, e->path) < 0) {
		differs(c, e->path, "not a readable regular file");
		return 0;
	}
	tc_hex(c->data.buf, c->data.len, hex);
	if (!strcmp(e->rel, TOOLCHAIN_MANIFEST)) {
		if (c->data.len != c->manifest->len || memcmp(c->data.buf, c->manifest->buf, c->data.len))
			differs(c, e->path, "not the manifest goinstr writes for these files and options");
		else
			c->ok++;
		return 0;
	}
	/* What goinstr moved aside must be the release's; what it generates,
	 * what it generates now; the rest the release's, or, for files no
	 * release has (and with --trust-goroot), as the MANIFEST says. */
	release_path(t, e->rel, &rp);
	if ((gen = tc_entries_find(&t->e, e->rel)))
		c->seen[gen - t->e.v] = 1;
	rec = tc_entries_find(c->recorded, e->rel);
	if (t->rel && (m = manifest_find(t->rel, rp.len ? rp.buf : e->rel)))
		c->rseen[m - t->rel->v] = 1;
	if (rp.len && t->rel) {
		manifest_digest(m ? m->path : rp.buf, c->data.buf, c->data.len, hex);
		if (!m)
			differs(c, e->path, "not a file of %s", t->rel->name);
		else
			compare(c, e->path, m->hash, hex);
	} else if (rp.len) {
		compare(c, e->path, rec ? rec->new : "-", hex);
	} else if (!strcmp(e->rel, "go.env")) {
		struct strbuf local = STRBUF_INIT;
		tc_goenv_local(&c->data, &local);
		if (local.len != c->data.len || memcmp(local.buf, c->data.buf, local.len))
			differs(c, e->path, "GOTOOLCHAIN=local expected");
		else if (m)
			compare(c, e->path, m->hash, (manifest_digest("go.env", c->data.buf,
								     c->data.len, hex), hex));
		else
			compare(c, e->path, gen ? gen->new : "-", hex);
		strbuf_release(&local);
	} else if (gen) {
		compare(c, e->path, gen->new, hex);
	} else if (m) {
		manifest_digest(m->path, c->data.buf, c->data.len, hex);
		compare(c, e->path, m->hash, hex);
	} else {
		printf("extra:    %s\n", e->path);
		c->extra++;
	}
	strbuf_release(&rp);
	return 0;
}

struct origcheck {
	const struct manifest *rel;
	struct strbuf data;
	int bad;
};

static int orig_one(void *ctx, const struct tree_entry *e)
{
	struct origcheck *o = ctx;
	struct strbuf path = STRBUF_INIT;
	const struct manifest_entry *m;
	char hex[65];

	if (e->kind == TREE_DIR)
		return 0;
	strbuf_addf(&path, "src/reflect/%s", e->rel);
	strbuf_reset(&o->data);
	if (e->kind != TREE_FILE || !(m = manifest_find(o->rel, path.buf)) ||
	    strbuf_read_file(&o->data, e->path) < 0)
		o->bad = 1;
	else if ((tc_hex(o->data.buf, o->data.len, hex), strcmp(hex, m->hash)))
		o->bad = 1;
	strbuf_release(&path);
	return 0;
}

/* 1 if a file of DIR/ORIG_DIR/src/reflect is not the release's. */
static int originals_differ(const struct tc *t)
{
	struct origcheck o = { t->rel, STRBUF_INIT, 0 };
	struct strbuf dir = STRBUF_INIT;

	strbuf_addf(&dir, "%s/" ORIG_DIR "/src/reflect", t->root);
	if (access(dir.buf, F_OK) < 0 || tree_walk(dir.buf, TREE_SHALLOW, orig_one, &o) < 0)
		o.bad = 1;
	strbuf_release(&dir);
	strbuf_release(&o.data);
	return o.bad;
}

/* Parse "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" into t. */
static int parse_options(struct tc *t, const char *what, const char *where)
{
	struct strbuf ops = STRBUF_INIT, err = STRBUF_INIT;
	const char *u = strstr(what, " unsafe=");
	static const char *const scopes[] = { "all", "main", "deps", "none" };
	int ret = -1;

	if (strncmp(what, "ops=", 4) || !u)
		goto bad;
	strbuf_add(&ops, what + 4, (size_t)(u - what - 4));
	if (cats_parse(ops.buf, &t->ops, &err) < 0)
		goto bad;
	u += 8;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		size_t n = strlen(scopes[i]);
		const char *rest = u + n;
		if (strncmp(u, scopes[i], n) || (*rest && *rest != ' '))
			continue;
		t->unsafe = scopes[i];
		t->trust_goroot = !strncmp(rest, " trust-goroot", 13);
		rest += t->trust_goroot ? 13 : 0;
		t->isolate = !strcmp(rest, " isolate");
		rest += t->isolate ? 8 : 0;
		if (!*rest)
			ret = 0;
	}
	if (ret)
		goto bad;
	tc_format_options(t);
	goto out;
bad:
	ret = error("'%s': bad options line '%s'", where, what);
out:
	strbuf_release(&ops);
	strbuf_release(&err);
	return ret;
}

/*
 * The directories above DIR: one that others can write to (without the
 * sticky bit, which keeps them from renaming what is not theirs) or that
 * is owned by someone but DIR's owner or root lets its writers rename DIR
 * and put another toolchain in its place. Both the path as given (its
 * symbolic links' directories too) and the real one are checked; each
 * directory is named once. Returns how many were named.
 */
static unsigned long check_parents(const char *dir, uid_t owner)
{
	struct strbuf path = STRBUF_INIT, seen = STRBUF_INIT, key = STRBUF_INIT;
	char *real = realpath(dir, NULL), cwd[PATH_MAX];
	unsigned long n = 0;

	strbuf_addch(&seen, '\n'); /* "\nA\nB\n": each named directory between newlines */
	for (int pass = 0; pass < 2; pass++) {
		strbuf_reset(&path);
		if (pass == 1)
			strbuf_addstr(&path, real ? real : "/");
		else if (dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
			strbuf_addf(&path, "%s/%s", cwd, dir);
		else
			strbuf_addstr(&path, dir);
		while (path.len > 1) {
			char *slash = strrchr(path.buf, '/');
			struct stat st;

			strbuf_setlen(&path, slash && slash > path.buf ? (size_t)(slash - path.buf) : 1);
			if (lstat(path.buf, &st) || !S_ISDIR(st.st_mode) ||
			    (!((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) &&
			     (st.st_uid == owner || st.st_uid == 0)))
				continue;
			strbuf_reset(&key);
			strbuf_addf(&key, "\n%s\n", path.buf);
			if (strstr(seen.buf, key.buf))
				continue;
			strbuf_addstr(&seen, key.buf + 1);
			printf("parent:   %s (mode %04o, uid %u: %s can rename DIR and put another in "
			       "its place)\n", path.buf, (unsigned)(st.st_mode & 07777),
			       (unsigned)st.st_uid,
			       st.st_uid != owner && st.st_uid != 0 ? "its owner" : "others than its owner");
			n++;
		}
	}
	free(real);
	strbuf_release(&path);
	strbuf_release(&seen);
	strbuf_release(&key);
	return n;
}

/* A regular file that runs as its owner or group whoever starts it:
 * named (goinstr never makes one; no release has one). */
static int setid_file(const struct tree_entry *e)
{
	if (e->kind != TREE_FILE || !(e->st->st_mode & (S_ISUID | S_ISGID)))
		return 0;
	printf("setid:    %s (mode %04o: runs as its %s, whoever starts it)\n", e->path,
	       (unsigned)(e->st->st_mode & 07777),
	       e->st->st_mode & S_ISUID ? "owner" : "group");
	return 1;
}

/* What verify reads from the MANIFEST's header, and the strings t.env
 * points into. */
struct header {
	struct strbuf go;      /* "go1.26.8 linux/amd64" */
	struct strbuf rel;     /* the release manifest's name */
	struct strbuf what;    /* the options */
	struct strbuf source;  /* the source GOROOT */
	struct strbuf gocmd, gorootvar;
};

static void header_release(struct header *h)
{
	strbuf_release(&h->go);
	strbuf_release(&h->rel);
	strbuf_release(&h->what);
	strbuf_release(&h->source);
	strbuf_release(&h->gocmd);
	strbuf_release(&h->gorootvar);
}

/* t's release, platform and source GOROOT from h (path: the MANIFEST's). */
static int env_of(struct tc *t, struct header *h, const char *path)
{
	/* "go1.26.8 linux/amd64" */
	char *sp = strchr(h->go.buf, ' '), *sl = sp ? strchr(sp, '/') : NULL;

	if (!sp || !sl)
		return error("'%s': bad go line '%s'", path, h->go.buf);
	t->env.version = xstrndup(h->go.buf, (size_t)(sp - h->go.buf));
	t->env.goos = xstrndup(sp + 1, (size_t)(sl - sp - 1));
	t->env.goarch = xstrdup(sl + 1);
	t->env.hostos = t->env.goos; /* a toolchain's platform is its host's */
	t->env.hostarch = t->env.goarch;
	t->env.goroot = xstrdup(h->source.buf);
	/* goinstr-types is built again with the source's go command */
	strbuf_addf(&h->gocmd, "%s/bin/go", h->source.buf);
	strbuf_addf(&h->gorootvar, "GOROOT=%s", h->source.buf);
	t->env.gocmd = h->gocmd.buf;
	t->env.childenv[0] = h->gorootvar.buf;
	return 0;
}

/*
 * t as the MANIFEST at path (text, cut into lines) says it was made: the
 * release, platform, source and options; its lines into recorded. 0 or -1
 * (reported).
 */
static int load(struct tc *t, const char *path, char *text, struct header *h,
		struct manifest *man, struct tc_entries *recorded)
{
	const struct tc_entry *ge;

	if (tc_header_of(text, "go", &h->go) < 0 ||
	    tc_header_of(text, "release-manifest", &h->rel) < 0 ||
	    tc_header_of(text, "options", &h->what) < 0 ||
	    tc_header_of(text, "source", &h->source) < 0)
		return error("'%s': not a goinstr toolchain manifest", path);
	if (env_of(t, h, path) < 0 || parse_options(t, h->what.buf, path) < 0)
		return -1;
	if (!t->trust_goroot) {
		if (manifest_load(man, t->env.version, t->env.goos, t->env.goarch) < 0)
			return -1;
		t->rel = man;
	}
	tc_parse_entries(text, recorded);
	t->recorded = recorded;
	ge = tc_entries_find(recorded, "go.env");
	if (ge && ge->kind == TC_CHANGED)
		strbuf_addstr(&t->goenv_orig, ge->orig);
	return 0;
}

/*
 * Into t->e and expect: what goinstr would write into dir now, from the
 * originals it kept (when they are the release's: else they are reported
 * by the walk), and the kept files recorded. 0 or -1 (reported).
 */
static int expected(struct tc *t, const char *dir, struct strbuf *expect)
{
	const struct tc_entries *recorded = t->recorded;

	t->no_std = t->rel && originals_differ(t);
	if (tc_put_std(t) < 0 || tc_put_tools(t) < 0)
		return error("'%s': cannot make what goinstr writes into it (above): not verified",
			     dir);
	tc_entries_fold(&t->e);
	/* Kept files are as the MANIFEST says, but only where no release
	 * file may be (a MANIFEST line cannot make an added file the release's). */
	for (size_t i = 0; i < recorded->nr; i++)
		if (recorded->v[i].kind == TC_KEPT && !tc_covered(t->rel, recorded->v[i].path) &&
		    !tc_entries_find(&t->e, recorded->v[i].path))
			tc_record(&t->e, recorded->v[i].path, TC_KEPT, recorded->v[i].orig,
				  recorded->v[i].new);
	tc_manifest_text(t, expect);
	return 0;
}

/* A missing line for every expected or release file the walk did not see. */
static void check_missing(struct check *c, const char *dir)
{
	const struct tc *t = c->t;

	for (size_t i = 0; i < t->e.nr; i++)
		if (!c->seen[i]) {
			printf("missing:  %s/%s\n", dir, t->e.v[i].path);
			c->missing++;
		}
	for (size_t i = 0; t->rel && i < t->rel->nr; i++)
		if (!c->rseen[i] && !tc_entries_find(&t->e, t->rel->v[i].path)) {
			printf("missing:  %s/%s\n", dir, t->rel->v[i].path);
			c->missing++;
		}
}

int toolchain_verify(const char *dir)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT, expect = STRBUF_INIT;
	struct header h = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			    STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct manifest man = MANIFEST_INIT;
	struct tc_entries recorded = { 0 };
	struct check c = { 0 };
	struct stat st;
	struct tc t;
	int ret = -1;

	tc_init(&t, dir, 0);
	strbuf_init(&c.data, 0);
	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) < 0 || stat(dir, &st) < 0) {
		error("cannot read '%s': %s", p.buf, strerror(errno));
		goto out;
	}
	if (load(&t, p.buf, text.buf, &h, &man, &recorded) < 0 || expected(&t, dir, &expect) < 0)
		goto out;
	c.t = &t;
	c.recorded = &recorded;
	c.manifest = &expect;
	c.owner = st.st_uid;
	c.seen = xcalloc(t.e.nr + 1, 1);
	c.rseen = xcalloc(t.rel ? t.rel->nr + 1 : 1, 1);
	c.parents = check_parents(dir, st.st_uid);
	if (tree_walk(dir, 0, check_one, &c) < 0)
		goto out;
	check_missing(&c, dir);
	printf("%s: goinstr toolchain, %s %s, release manifest %s: %lu files checked: "
	       "%lu match, %lu differ, %lu missing; %lu extra, %lu writable by others, "
	       "%lu owned by others, %lu set-id, %lu parent directories others can change\n",
	       dir, h.go.buf, h.what.buf, h.rel.buf, c.ok + c.differ, c.ok, c.differ, c.missing,
	       c.extra, c.writable, c.foreign, c.setid, c.parents);
	ret = (int)(c.differ + c.missing + c.extra + c.writable + c.foreign + c.setid + c.parents);
out:
	free(c.seen);
	free(c.rseen);
	strbuf_release(&c.data);
	free(t.env.version);
	free(t.env.goos);
	free(t.env.goarch);
	free(t.env.goroot);
	tc_release(&t);
	tc_entries_release(&recorded);
	manifest_release(&man);
	header_release(&h);
	strbuf_release(&p);
	strbuf_release(&text);
	strbuf_release(&expect);
	return ret;
}
