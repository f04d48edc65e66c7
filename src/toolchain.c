/*
 * toolchain.c - make drop-in instrumented toolchains (see toolchain.h and
 * docs/toolchain.md): share the release's files, checked, then write what
 * toolchain_gen.h computes, in a temporary directory renamed into place.
 */
#include "toolchain.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "toolchain_gen.h"
#include "tree.h"
#include "util.h"

static volatile sig_atomic_t caught;
static void on_signal(int sig) { caught = sig; }

/* --- 1. share every file of the release, checked ------------------------- */

struct share {
	struct tc *t;
	const char *src; /* the source GOROOT */
	struct strbuf data;
};

static int share_one(void *ctx, const struct tree_entry *e)
{
	struct share *s = ctx;
	struct tc *t = s->t;
	struct strbuf to = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	if (caught)
		return -1;
	strbuf_addf(&to, "%s%s%s", t->root, *e->rel ? "/" : "", e->rel);
	switch (e->kind) {
	case TREE_DIR:
		if (!strcmp(e->rel, "pkg/goinstr")) {
			ret = error("'%s' is a goinstr toolchain already: make toolchains from a Go"
				    " release", s->src);
			break;
		}
		if (*e->rel)
			ret = tc_mkdir(t, e->rel);
		break;
	case TREE_FILE:
		strbuf_reset(&s->data);
		if (strbuf_read_file(&s->data, e->path) < 0) {
			ret = error("cannot read '%s': %s", e->path, strerror(errno));
			break;
		}
		/* Every file of the release is checked: src/ must be complete
		 * and unchanged, the rest the release's. */
		if (tc_covered(t->rel, e->rel)) {
			ret = manifest_check(t->rel, s->src, e->rel, s->data.buf, s->data.len);
		} else {
			tc_hex(s->data.buf, s->data.len, hex);
			tc_record(&t->e, e->rel, TC_KEPT, hex, hex);
		}
		if (!ret)
			ret = tree_share(e->path, to.buf, e->st, &s->data);
		break;
	case TREE_SYMLINK:
		ret = error("'%s' is a symbolic link: not in a Go release", e->path);
		break;
	default:
		ret = error("cannot read '%s': not a file or directory", e->path);
	}
	strbuf_release(&to);
	return ret;
}

static int share_release(struct tc *t, const char *src)
{
	struct share s = { t, src, STRBUF_INIT };
	struct strbuf path = STRBUF_INIT, alt = STRBUF_INIT;
	int ret;

	ret = tree_walk(src, 0, share_one, &s);
	/* Nothing of the release may be missing either (a go.mod may be
	 * there as the module zip's _go.mod). */
	for (size_t i = 0; !ret && t->rel && i < t->rel->nr; i++) {
		const char *p = t->rel->v[i].path;
		size_t n = strlen(p);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", t->root, p);
		strbuf_reset(&alt);
		if (n >= 6 && !strcmp(p + n - 6, "go.mod"))
			strbuf_addf(&alt, "%s/%.*s_go.mod", t->root, (int)(n - 6), p);
		if (access(path.buf, F_OK) < 0 && (!alt.len || access(alt.buf, F_OK) < 0))
			ret = error("'%s/%s' is missing: not a complete %s GOROOT; --trust-goroot"
				    " overrides", src, p, t->rel->name);
	}
	strbuf_release(&s.data);
	strbuf_release(&path);
	strbuf_release(&alt);
	return ret;
}

/* --- making one ------------------------------------------------------------ */

static int stale_one(void *ctx, const struct tree_entry *e)
{
	const char *prefix = ctx;
	size_t n = strlen(prefix);
	long pid;
	char *end;

	if (!*e->rel || strncmp(e->rel, prefix, n))
		return 0;
	pid = strtol(e->rel + n, &end, 10);
	if (pid > 0 && *end == '-' && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		remove_tree(e->path);
	return 0;
}

/* Remove DIR.tmp-PID-* left by runs that were killed (PID gone). */
static void remove_stale(const char *dir)
{
	struct strbuf parent = STRBUF_INIT, prefix = STRBUF_INIT;
	const char *slash = strrchr(dir, '/');

	strbuf_add(&parent, dir, slash > dir ? (size_t)(slash - dir) : 1);
	strbuf_addf(&prefix, "%s.tmp-", slash + 1);
	tree_walk(parent.buf, TREE_SHALLOW, stale_one, prefix.buf);
	strbuf_release(&parent);
	strbuf_release(&prefix);
}

/* dir made absolute (its parent must exist), without trailing slashes. */
static int abs_dir(const char *dir, struct strbuf *out)
{
	struct strbuf d = STRBUF_INIT;
	char real[PATH_MAX];
	char *slash;
	int ret = 0;

	strbuf_addstr(&d, dir);
	while (d.len > 1 && d.buf[d.len - 1] == '/')
		strbuf_setlen(&d, d.len - 1);
	slash = strrchr(d.buf, '/');
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*d.buf ? d.buf : "/") : ".", real)) {
		ret = error("cannot use '%s': %s", dir, strerror(errno));
		goto out;
	}
	{
		const char *base = slash ? slash + 1 : d.buf;
		if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
			ret = error("'%s': name a new directory", dir);
			goto out;
		}
		strbuf_addf(out, "%s/%s", strcmp(real, "/") ? real : "", base);
	}
out:
	strbuf_release(&d);
	return ret;
}
/* The checks before anything is made: DIR, the source, the release. */
static int create_checks(const struct goenv *env, const struct toolchain_opts *o,
			 const char *dir, int *exists)
{
	char real_src[PATH_MAX];
	struct stat st;

	remove_stale(dir);
	if (toolchain_is(env->goroot))
		return error("the go in PATH is the instrumented toolchain '%s': make toolchains"
			     " from a Go release", env->goroot);
	if (!realpath(env->goroot, real_src))
		return error("cannot read GOROOT '%s': %s", env->goroot, strerror(errno));
	if (path_within(dir, real_src) || path_within(real_src, dir))
		return error("'%s' and the GOROOT '%s' overlap", dir, real_src);
	*exists = lstat(dir, &st) == 0;
	if (*exists && !o->force)
		return error("'%s' exists (--force replaces a goinstr toolchain)", dir);
	if (*exists && !toolchain_is(dir))
		return error("'%s' exists and is not a goinstr toolchain: not replaced", dir);
	return 0;
}

int toolchain_create(const struct goenv *env, const struct toolchain_opts *o,
		     const char *dir_arg)
{
	struct strbuf dir = STRBUF_INIT, tmp = STRBUF_INIT;
	struct manifest man = MANIFEST_INIT;
	struct sigaction sa = { .sa_handler = on_signal }, oint, oterm, ohup;
	struct tc t;
	int ret = -1, exists = 0;

	tc_init(&t, NULL, 1);
	if (abs_dir(dir_arg, &dir) < 0 || create_checks(env, o, dir.buf, &exists) < 0)
		goto out_nosig;
	if (!o->trust_goroot && manifest_load(&man, env->version, env->hostos, env->hostarch) < 0)
		goto out_nosig;
	t.rel = o->trust_goroot ? NULL : &man;
	t.env = *env;
	/* A toolchain is made for the machine it runs on (pkg/tool/HOST). */
	t.env.goos = env->hostos;
	t.env.goarch = env->hostarch;
	t.ops = o->ops;
	t.unsafe = o->unsafe;
	t.trust_goroot = o->trust_goroot;
	t.isolate = o->isolate;
	tc_format_options(&t);

	caught = 0;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGHUP, &sa, &ohup);
	strbuf_addf(&tmp, "%s.tmp-%ld-XXXXXX", dir.buf, (long)getpid());
	if (!mkdtemp(tmp.buf)) {
		error("cannot create '%s': %s", tmp.buf, strerror(errno));
		strbuf_reset(&tmp);
		goto out;
	}
	t.root = tmp.buf;

	/* 1. Share every file of the release, checked. 2. The instrumented
	 * standard library, on disk. 3. Scripts, goinstr, go.env, MANIFEST. */
	if (share_release(&t, env->goroot) < 0 || caught || tc_put_std(&t) < 0 || caught ||
	    tc_put_tools(&t) < 0 || caught)
		goto out;
	/* 4. Into place, atomically: a new name, or swapped with the old. */
	if (renameat2(AT_FDCWD, tmp.buf, AT_FDCWD, dir.buf,
		      exists ? RENAME_EXCHANGE : RENAME_NOREPLACE) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp.buf, dir.buf, strerror(errno));
		goto out;
	}
	if (!exists)
		strbuf_reset(&tmp);
	ret = 0;
out:
	if (tmp.len)
		remove_tree(tmp.buf); /* the unfinished toolchain, or the old one */
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
out_nosig:
	tc_release(&t);
	manifest_release(&man);
	strbuf_release(&dir);
	strbuf_release(&tmp);
	return ret;
}

int toolchain_is(const char *dir)
{
	struct strbuf p = STRBUF_INIT, head = STRBUF_INIT;
	int ok;

	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	ok = strbuf_read_file(&head, p.buf) == 0 &&
	     !strncmp(head.buf, "# goinstr toolchain manifest\n", 29);
	strbuf_release(&p);
	strbuf_release(&head);
	return ok;
}

int toolchain_header(const char *dir, const char *key, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) == 0)
		ret = tc_header_of(text.buf, key, out);
	strbuf_release(&p);
	strbuf_release(&text);
	return ret;
}
