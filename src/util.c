/*
 * util.c - errors, processes and files.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("goinstr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("goinstr: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *nonnull(void *p)
{
	if (!p) {
		fputs("goinstr: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n) { return nonnull(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return nonnull(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return nonnull(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return nonnull(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return nonnull(strndup(s, n)); }

int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int path_beneath(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && !strncmp(path, dir, n) && path[n] == '/';
}

int path_within(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

void path_absolute(const char *base, const char *path, struct strbuf *out)
{
	strbuf_reset(out);
	if (*path != '/')
		strbuf_addf(out, "%s/", base);
	strbuf_addstr(out, path);
}

void argv_push_real(struct argv *a, const char *path)
{
	char real[PATH_MAX];

	if (path && realpath(path, real))
		argv_push(a, real);
}

void argv_push(struct argv *a, const char *s)
{
	if (a->nr + 2 > a->alloc) {
		a->alloc = a->alloc ? a->alloc * 2 : 16;
		a->v = xrealloc(a->v, a->alloc * sizeof(*a->v));
	}
	a->v[a->nr++] = xstrdup(s);
	a->v[a->nr] = NULL;
}

void argv_pushf(struct argv *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	argv_push(a, sb.buf);
	strbuf_release(&sb);
}

void argv_release(struct argv *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->nr = a->alloc = 0;
}

int xdg_dir(const char *var, const char *home_sub, struct strbuf *out)
{
	const char *x = getenv(var), *h = getenv("HOME");

	if (x && *x == '/')
		strbuf_addf(out, "%s/goinstr", x);
	else if (h && *h)
		strbuf_addf(out, "%s/%s/goinstr", h, home_sub);
	else
		return -1;
	return 0;
}

int workdir_create(struct strbuf *dir)
{
	const char *tmp = getenv("TMPDIR");

	strbuf_reset(dir);
	strbuf_addf(dir, "%s/goinstr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir->buf)) /* mkdtemp creates 0700 */
		return error("cannot create work directory '%s': %s", dir->buf,
			     strerror(errno));
	return 0;
}

int mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path);
	int ret = 0;

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ret;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const void *data, size_t len, unsigned mode)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, ret = 0;

	strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0) {
		ret = error("cannot create '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) < 0)
		ret = error("cannot write '%s': %s", tmp.buf, strerror(errno));
	if (!ret && fchmod(fd, mode) < 0)
		ret = error("cannot chmod '%s': %s", tmp.buf, strerror(errno));
	if (close(fd) < 0 && !ret)
		ret = error("cannot write '%s': %s", tmp.buf, strerror(errno));
	if (!ret && rename(tmp.buf, path) < 0)
		ret = error("cannot rename '%s': %s", tmp.buf, strerror(errno));
	if (ret && fd >= 0)
		unlink(tmp.buf);
out:
	strbuf_release(&tmp);
	return ret;
}

int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	if (write_all(fd, data, len) < 0)
		ret = error("cannot write '%s': %s", path, strerror(errno));
	if (close(fd) < 0 && !ret)
		ret = error("cannot write '%s': %s", path, strerror(errno));
	return ret;
}
