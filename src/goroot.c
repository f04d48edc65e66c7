/*
 * goroot.c - mirror a GOROOT that lives in the module cache (see goenv.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "goenv.h"
#include "hash.h"
#include "tree.h"
#include "util.h"

static const char marker[] = ".goinstr-mirror";

/* The mirror under construction: tree_walk's context. */
struct mirror {
	const char *dst;
};

static int mirror_one(void *ctx, const struct tree_entry *e)
{
	const struct mirror *m = ctx;
	struct strbuf to = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&to, "%s%s%s", m->dst, *e->rel ? "/" : "", e->rel);
	switch (e->kind) {
	case TREE_DIR:
		/* Our own directories stay writable, so the mirror can be removed. */
		if (mkdir(to.buf, 0755) < 0 && errno != EEXIST)
			ret = error("cannot create '%s': %s", to.buf, strerror(errno));
		break;
	case TREE_FILE:
		ret = tree_share(e->path, to.buf, e->st, NULL);
		break;
	case TREE_SYMLINK: {
		char buf[4096];
		ssize_t n = readlink(e->path, buf, sizeof(buf) - 1);
		if (n < 0 || (buf[n] = '\0', symlink(buf, to.buf) < 0))
			ret = error("cannot copy link '%s': %s", e->path, strerror(errno));
		break;
	}
	default:
		ret = error("cannot mirror '%s': not a file, directory or link", e->path);
	}
	strbuf_release(&to);
	return ret;
}

int goroot_prepare(struct goenv *env)
{
	struct strbuf dst = STRBUF_INIT, tmp = STRBUF_INIT, mark = STRBUF_INIT;
	struct strbuf have = STRBUF_INIT;
	struct strbuf h = STRBUF_INIT;
	int ret = 0;

	if (!path_within(env->goroot, env->gomodcache))
		return 0;
	sha256_buf_hex(env->goroot, strlen(env->goroot), &h);
	/* goinstr's cache, its goroot directory and the mirror: the user's,
	 * private, no symbolic link (cache.h), or refused */
	if ((ret = cache_kind_dir("goroot", &dst)) < 0)
		goto out;
	strbuf_addf(&dst, "/%s-%.16s", env->version, h.buf);
	strbuf_release(&h);
	if (cache_check_entry(dst.buf) < 0) {
		ret = -1;
		goto out;
	}
	strbuf_addf(&mark, "%s/%s", dst.buf, marker);
	if (strbuf_read_file(&have, mark.buf) == 0 && !strcmp(have.buf, env->goroot))
		goto done; /* made before */

	/* Build beside, then rename: no half mirror is ever seen. */
	strbuf_addf(&tmp, "%s.tmp%ld", dst.buf, (long)getpid());
	remove_tree(tmp.buf);
	{
		struct mirror m = { tmp.buf };
		if ((ret = tree_walk(env->goroot, 0, mirror_one, &m)) < 0)
			goto fail;
	}
	strbuf_reset(&mark);
	strbuf_addf(&mark, "%s/%s", tmp.buf, marker);
	if ((ret = write_file(mark.buf, env->goroot, strlen(env->goroot), 0644)))
		goto fail;
	if (chmod(tmp.buf, 0700) < 0) { /* a cache entry is private */
		ret = error("cannot chmod '%s': %s", tmp.buf, strerror(errno));
		goto fail;
	}
	remove_tree(dst.buf); /* a stale or foreign mirror */
	if (rename(tmp.buf, dst.buf) < 0) {
		ret = error("cannot rename '%s': %s", tmp.buf, strerror(errno));
		goto fail;
	}
done:
	env->mirrored_from = env->goroot;
	env->goroot = xstrdup(dst.buf);
	free(env->gocmd);
	strbuf_reset(&tmp);
	strbuf_addf(&tmp, "%s/bin/go", dst.buf);
	env->gocmd = strbuf_detach(&tmp, NULL);
	strbuf_addf(&tmp, "GOROOT=%s", env->goroot);
	env->goroot_var = strbuf_detach(&tmp, NULL);
	env->childenv[0] = env->goroot_var;
	env->childenv[1] = "GOTOOLCHAIN=local";
	env->childenv[2] = NULL;
	goto out;
fail:
	remove_tree(tmp.buf);
out:
	strbuf_release(&h);
	strbuf_release(&dst);
	strbuf_release(&tmp);
	strbuf_release(&mark);
	strbuf_release(&have);
	return ret;
}

