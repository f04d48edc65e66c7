/*
 * tree.h - walk a directory tree, share its files into another, remove
 * it: the one walker and the one linker every module uses (the drop-in
 * toolchain, manifests, verify, remove_tree).
 *
 * The walker is a small recursive opendir(3) walk that hands its
 * callback a context pointer; it never follows a symbolic link and visits
 * the entries of a directory in strcmp order, so whatever it feeds is
 * deterministic. tree_list is its listing of one directory, for the
 * callers that want names only (and no message when there is none).
 */
#ifndef TREE_H
#define TREE_H

#include <sys/stat.h>

#include "strbuf.h"
#include "util.h"

enum tree_kind {
	TREE_DIR,      /* a directory, before its entries */
	TREE_DIR_POST, /* the same directory after them (with TREE_POSTORDER) */
	TREE_FILE,     /* a regular file */
	TREE_SYMLINK,  /* a symbolic link (never followed) */
	TREE_OTHER,    /* anything else: device, fifo, socket */
};

struct tree_entry {
	const char *path; /* root/rel */
	const char *rel;  /* relative to the root; "" for the root itself */
	const struct stat *st; /* lstat(2) of path */
	enum tree_kind kind;
};

/*
 * The callback returns 0 to go on, TREE_PRUNE on a TREE_DIR to leave its
 * entries out, or -1 to stop the walk (it has reported why).
 */
#define TREE_PRUNE 1
typedef int (*tree_fn)(void *ctx, const struct tree_entry *e);

/* flags for tree_walk */
#define TREE_POSTORDER 1 /* call fn for each directory after its entries too */
#define TREE_SHALLOW 2   /* the root and its entries only: a directory listing */

/*
 * The shallow listing: the names of dir's entries ("." and ".." left
 * out), appended to out in strcmp order; none is lstat'ed or followed.
 * 0, or -1 with errno set and nothing reported, for callers to whom a
 * missing or unreadable directory is no error or who say so their way.
 * tree_walk reads every directory through it.
 */
int tree_list(const char *dir, struct argv *out);

/*
 * Call fn(ctx, entry) for root and everything below it. 0, or -1 when fn
 * stopped the walk or an entry could not be read (reported: "cannot
 * read 'PATH': ..."); a missing root is such an error.
 */
int tree_walk(const char *root, unsigned flags, tree_fn fn, void *ctx);

/*
 * Give the new name `to` the contents of the regular file `from` (whose
 * lstat is st) without ever sharing a writable inode: a hard link when
 * `from` is owned by this process's user or by root and not writable by
 * group or others; else, for such files, a reflink (FICLONE) where the
 * file system cannot link; else a copy of data (read from `from` when
 * data is NULL). Whoever can rewrite a linked file in place could rewrite
 * the new tree's: only its owner, or root. A new file's mode is st's
 * permission bits without group/other write and set-id bits. 0 or -1
 * (reported).
 */
int tree_share(const char *from, const char *to, const struct stat *st,
	       const struct strbuf *data);

/* 1 if tree_share links a file with this lstat (see above), else 0. */
int tree_may_link(const struct stat *st);

/* Remove root and everything below it (no link is followed); a missing
 * root is not an error. 0 or -1 (reported). Declared in util.h too. */
int remove_tree(const char *root);

#endif
