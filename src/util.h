/*
 * util.h - errors, memory, argv arrays and files: the small libc-level helpers every
 * other module uses. Nothing here calls exit().
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>

#include "strbuf.h"

/* Print "goinstr: <msg>" on stderr; always returns -1. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "goinstr: warning: <msg>" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* qsort's comparison of two char * elements, by strcmp. */
int cmp_strp(const void *a, const void *b);
/* path is dir's (dir/...); path_within: or dir itself. Both are false for
 * an empty or NULL dir. By name only: no file system access. */
int path_beneath(const char *path, const char *dir);
int path_within(const char *path, const char *dir);
/* path made absolute from base (a directory) into out (reset first). */
void path_absolute(const char *base, const char *path, struct strbuf *out);

/* A NULL-terminated, growable argv; strings are owned (strdup'ed). */
struct argv {
	char **v;
	size_t nr, alloc;
};
#define ARGV_INIT { NULL, 0, 0 }

/* The plural ending of a count: printf("%d file%s", n, PLURAL(n)); for
 * "process"/"processes", PLURAL_ES. */
#define PLURAL(n) ((n) == 1 ? "" : "s")
#define PLURAL_ES(n) ((n) == 1 ? "" : "es")
void argv_push(struct argv *a, const char *s);
void argv_pushf(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void argv_release(struct argv *a);
/* Push path, resolved by realpath(3), if it exists (path may be NULL). */
void argv_push_real(struct argv *a, const char *path);

/* goinstr's directory of an XDG kind: $VAR/goinstr if VAR is absolute,
 * else $HOME/HOME_SUB/goinstr (appended to out; not created). 0, or -1
 * if neither is set. */
int xdg_dir(const char *var, const char *home_sub, struct strbuf *out);
/* goinstr's cache is cache.h's. */
/* Create a private (0700) temporary directory; path in dir. 0 or -1. */
int workdir_create(struct strbuf *dir);
/* Remove a tree (no symlink is followed). 0 or -1 (reported). In tree.c,
 * with the one directory walker (tree.h). */
int remove_tree(const char *path);
/* mkdir -p with mode for every created directory. 0 or -1 (reported). */
int mkdir_p(const char *path, unsigned mode);
/* write(2) all of data to fd, again after EINTR: 0, or -1 (errno set). */
int write_all(int fd, const void *data, size_t len);
/* Write data to path through a temporary file and rename(2). 0 or -1. */
int write_file(const char *path, const void *data, size_t len, unsigned mode);
/* Write data over the existing regular file path (truncated; no link is
 * followed): where its directory may not be written. 0 or -1 (reported). */
int write_in_place(const char *path, const void *data, size_t len);

#endif
