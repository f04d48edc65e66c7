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

int toolchain_verify(const char *dir)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT, go = STRBUF_INIT, rel = STRBUF_INIT,
		      what = STRBUF_INIT, source = STRBUF_INIT, expect = STRBUF_INIT,
		      gocmd = STRBUF_INIT, gorootvar = STRBUF_INIT;
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
	if (tc_header_of(text.buf, "go", &go) < 0 || tc_header_of(text.buf, "release-manifest", &rel) < 0 ||
	    tc_header_of(text.buf, "options", &what) < 0 || tc_header_of(text.buf, "source", &source) < 0) {
		error("'%s': not a goinstr toolchain manifest", p.buf);
		goto out;
	}
	/* "go1.26.8 linux/amd64" */
	{
		char *sp = strchr(go.buf, ' '), *sl = sp ? strchr(sp, '/') : NULL;
		if (!sp || !sl) {
			error("'%s': bad go line '%s'", p.buf, go.buf);
			goto out;
		}
		t.env.version = xstrndup(go.buf, (size_t)(sp - go.buf));
		t.env.goos = xstrndup(sp + 1, (size_t)(sl - sp - 1));
		t.env.goarch = xstrdup(sl + 1);
		t.env.hostos = t.env.goos; /* a toolchain's platform is its host's */
		t.env.hostarch = t.env.goarch;
		t.env.goroot = xstrdup(source.buf);
		/* goinstr-types is built again with the source's go command */
		strbuf_addf(&gocmd, "%s/bin/go", source.buf);
		strbuf_addf(&gorootvar, "GOROOT=%s", source.buf);
		t.env.gocmd = gocmd.buf;
		t.env.childenv[0] = gorootvar.buf;
	}
	if (parse_options(&t, what.buf, p.buf) < 0)
		goto out;
	if (!t.trust_goroot) {
		if (manifest_load(&man, t.env.version, t.env.goos, t.env.goarch) < 0)
			goto out;
		t.rel = &man;
	}
	tc_parse_entries(text.buf, &recorded);
	t.recorded = &recorded;
	{
		const struct tc_entry *ge = tc_entries_find(&recorded, "go.env");
		if (ge && ge->kind == TC_CHANGED)
			strbuf_addstr(&t.goenv_orig, ge->orig);
	}
	/* What goinstr would write now, from the originals it kept (when they
	 * are the release's: else they are reported below). */
	t.no_std = t.rel && originals_differ(&t);
	if (tc_put_std(&t) < 0 || tc_put_tools(&t) < 0) {
		error("'%s': cannot make what goinstr writes into it (above): not verified", dir);
		goto out;
	}
	tc_entries_fold(&t.e);
	/* Kept files are as the MANIFEST says, but only where no release
	 * file may be (a MANIFEST line cannot make an added file the release's). */
	for (size_t i = 0; i < recorded.nr; i++)
		if (recorded.v[i].kind == TC_KEPT && !tc_covered(t.rel, recorded.v[i].path) &&
		    !tc_entries_find(&t.e, recorded.v[i].path))
			tc_record(&t.e, recorded.v[i].path, TC_KEPT, recorded.v[i].orig,
			       recorded.v[i].new);
	tc_manifest_text(&t, &expect);

	c.t = &t;
	c.recorded = &recorded;
	c.manifest = &expect;
	c.owner = st.st_uid;
	c.seen = xcalloc(t.e.nr + 1, 1);
	c.rseen = xcalloc(t.rel ? t.rel->nr + 1 : 1, 1);
	c.parents = check_parents(dir, st.st_uid);
	if (tree_walk(dir, 0, check_one, &c) < 0)
		goto out;
	for (size_t i = 0; i < t.e.nr; i++)
		if (!c.seen[i]) {
			printf("missing:  %s/%s\n", dir, t.e.v[i].path);
			c.missing++;
		}
	for (size_t i = 0; t.rel && i < t.rel->nr; i++)
		if (!c.rseen[i] && !tc_entries_find(&t.e, t.rel->v[i].path)) {
			printf("missing:  %s/%s\n", dir, t.rel->v[i].path);
			c.missing++;
		}
	printf("%s: goinstr toolchain, %s %s, release manifest %s: %lu files checked: "
	       "%lu match, %lu differ, %lu missing; %lu extra, %lu writable by others, "
	       "%lu owned by others, %lu set-id, %lu parent directories others can change\n",
	       dir, go.buf, what.buf, rel.buf, c.ok + c.differ, c.ok, c.differ, c.missing,
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
	strbuf_release(&p);
	strbuf_release(&text);
	strbuf_release(&go);
	strbuf_release(&rel);
	strbuf_release(&what);
	strbuf_release(&source);
	strbuf_release(&expect);
	strbuf_release(&gocmd);
	strbuf_release(&gorootvar);
	return ret;
}
