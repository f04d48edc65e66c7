/*
 * tree.c - the directory walker and the tree linker (see tree.h).
 */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

static enum tree_kind kind_of(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return TREE_DIR;
	if (S_ISREG(st->st_mode))
		return TREE_FILE;
	if (S_ISLNK(st->st_mode))
		return TREE_SYMLINK;
	return TREE_OTHER;
}

/* The part of path below the root (rootlen bytes), without a leading '/'. */
static const char *rel_of(const struct strbuf *path, size_t rootlen)
{
	const char *p = path->buf + rootlen;
	return *p == '/' ? p + 1 : p;
}

int tree_list(const char *dir, struct argv *out)
{
	size_t first = out->nr;
	struct dirent *de;
	DIR *d;
	int err;

	if (!(d = opendir(dir)))
		return -1;
	while ((errno = 0, de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			argv_push(out, de->d_name);
	err = errno;
	closedir(d);
	if (err) {
		errno = err;
		return -1;
	}
	qsort(out->v + first, out->nr - first, sizeof(*out->v), cmp_strp);
	return 0;
}

static int walk(struct strbuf *path, size_t rootlen, unsigned flags, tree_fn fn, void *ctx)
{
	struct stat st;
	struct tree_entry e;
	struct argv names = ARGV_INIT;
	size_t len = path->len;
	int ret;

	if (lstat(path->buf, &st) < 0)
		return error("cannot read '%s': %s", path->buf, strerror(errno));
	e.path = path->buf;
	e.rel = rel_of(path, rootlen);
	e.st = &st;
	e.kind = kind_of(&st);
	if ((ret = fn(ctx, &e)) < 0)
		return -1;
	if (e.kind != TREE_DIR || ret == TREE_PRUNE ||
	    ((flags & TREE_SHALLOW) && path->len > rootlen))
		return 0;

	ret = 0;
	if (tree_list(path->buf, &names) < 0)
		ret = error("cannot read '%s': %s", path->buf, strerror(errno));
	for (size_t i = 0; i < names.nr && !ret; i++) {
		strbuf_setlen(path, len);
		if (path->buf[len - 1] != '/')
			strbuf_addch(path, '/');
		strbuf_addstr(path, names.v[i]);
		ret = walk(path, rootlen, flags, fn, ctx);
	}
	argv_release(&names);
	strbuf_setlen(path, len);
	if (ret)
		return -1;
	if (flags & TREE_POSTORDER) {
		e.path = path->buf;
		e.rel = rel_of(path, rootlen);
		e.kind = TREE_DIR_POST;
		if (fn(ctx, &e) < 0)
			return -1;
	}
	return 0;
}

int tree_walk(const char *root, unsigned flags, tree_fn fn, void *ctx)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	if (!*root)
		return error("cannot read '': %s", strerror(ENOENT));
	strbuf_addstr(&path, root);
	ret = walk(&path, path.len, flags, fn, ctx);
	strbuf_release(&path);
	return ret;
}

int tree_may_link(const struct stat *st)
{
	return (st->st_uid == geteuid() || st->st_uid == 0) && !(st->st_mode & 022);
}

int tree_share(const char *from, const char *to, const struct stat *st,
	       const struct strbuf *data)
{
	struct strbuf buf = STRBUF_INIT;
	mode_t mode = st->st_mode & 0755;
	int in, out, ret;

	if (tree_may_link(st)) {
		if (link(from, to) == 0)
			return 0;
		/* Another file system, or protected_hardlinks: a clone is as cheap. */
		if ((in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
			int ok;
			out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
			ok = out >= 0 && ioctl(out, FICLONE, in) == 0 && fchmod(out, mode) == 0;
			if (out >= 0)
				close(out);
			close(in);
			if (ok)
				return 0;
			if (out >= 0)
				unlink(to);
		}
	}
	/* A copy of the bytes the caller checked, never of the file as it is
	 * now: another user may be changing it. */
	if (!data) {
		if (strbuf_read_file(&buf, from) < 0) {
			ret = error("cannot read '%s': %s", from, strerror(errno));
			goto out;
		}
		data = &buf;
	}
	ret = write_file(to, data->buf, data->len, mode);
out:
	strbuf_release(&buf);
	return ret;
}

static int remove_one(void *ctx, const struct tree_entry *e)
{
	(void)ctx;
	if (e->kind == TREE_DIR)
		return 0;
	if ((e->kind == TREE_DIR_POST ? rmdir(e->path) : unlink(e->path)) < 0)
		return error("cannot remove '%s': %s", e->path, strerror(errno));
	return 0;
}

int remove_tree(const char *root)
{
	struct stat st;

	if (lstat(root, &st) < 0 && errno == ENOENT)
		return 0;
	return tree_walk(root, TREE_POSTORDER, remove_one, NULL);
}
