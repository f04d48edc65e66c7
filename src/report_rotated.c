/*
 * report_rotated.c - a LOG and its rotated files, oldest first
 * (report_rotated.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_rotated.h"
#include "strbuf.h"
#include "tree.h"
#include "util.h"

/* One file beside a LOG that looks rotated from it (report_rotated). */
struct rotated {
	unsigned long long k; /* LOG.K, LOG.K.gz */
	int gz;
	char *path;
};

struct rotctx {
	const char *dir, *base; /* LOG is dir/base (dir NULL: base alone) */
	size_t nbase;
	struct rotated *v;
	size_t nr, alloc;
	struct argv *unread;
};

/* The path of name beside LOG, spelled as LOG is. */
static char *beside(const struct rotctx *c, const char *name)
{
	struct strbuf p = STRBUF_INIT;

	if (c->dir)
		strbuf_addf(&p, "%s%s", c->dir, c->dir[strlen(c->dir) - 1] == '/' ? "" : "/");
	strbuf_addstr(&p, name);
	return strbuf_detach(&p, NULL);
}

/*
 * An entry of LOG's directory. LOG.K and LOG.K.gz (K digits) are read;
 * any other name that starts LOG.K (LOG.K.gz.age, LOG.K.xz ...) or LOG-
 * and a digit (logrotate's dateext) is a rotated file of LOG the report
 * cannot read: it goes to unread.
 */
static int rotated_entry(void *ctx, const struct tree_entry *e)
{
	struct rotctx *c = ctx;
	const char *n = e->rel, *p;
	struct stat st;
	unsigned long long k = 0;
	int gz;

	if (strncmp(n, c->base, c->nbase) || (n[c->nbase] != '.' && n[c->nbase] != '-'))
		return 0;
	p = n + c->nbase + 1;
	if (*p < '0' || *p > '9')
		return 0;
	if (e->kind == TREE_DIR)
		return 0;
	if (n[c->nbase] == '.') {
		for (; *p >= '0' && *p <= '9'; p++)
			k = k > (~0ull - 9) / 10 ? ~0ull : k * 10 + (unsigned)(*p - '0');
	}
	gz = !strcmp(p, ".gz");
	if (n[c->nbase] == '.' && (!*p || gz) &&
	    (e->kind == TREE_FILE ||
	     (e->kind == TREE_SYMLINK && !stat(e->path, &st) && S_ISREG(st.st_mode)))) {
		if (c->nr == c->alloc) {
			c->alloc = c->alloc ? 2 * c->alloc : 16;
			c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
		}
		c->v[c->nr++] = (struct rotated){ k, gz, beside(c, n) };
		return 0;
	}
	if (c->unread) {
		char *path = beside(c, n);
		argv_push(c->unread, path);
		free(path);
	}
	return 0;
}

/* LOG.1, LOG.2 ... (or LOG.K.gz), up to the first missing, for a
 * directory that cannot be listed (nothing else beside LOG can be seen). */
static void rotated_probe(const char *log, struct rotctx *c)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;

	for (unsigned long long k = 1;; k++) {
		int found = 0;
		for (int gz = 0; gz < 2 && !found; gz++) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s.%llu%s", log, k, gz ? ".gz" : "");
			found = !stat(p.buf, &st) && S_ISREG(st.st_mode);
		}
		if (!found)
			break;
		if (c->nr == c->alloc) {
			c->alloc = c->alloc ? 2 * c->alloc : 16;
			c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
		}
		c->v[c->nr++] = (struct rotated){ k, 0, strbuf_detach(&p, NULL) };
	}
	strbuf_release(&p);
}

/* Oldest first: the higher K, the older; LOG.K before LOG.K.gz. */
static int cmp_rotated(const void *a, const void *b)
{
	const struct rotated *x = a, *y = b;

	if (x->k != y->k)
		return x->k > y->k ? -1 : 1;
	return x->gz - y->gz;
}

size_t report_rotated(const char *log, char ***out, struct argv *unread)
{
	const char *slash = strrchr(log, '/');
	struct rotctx c = { NULL, slash ? slash + 1 : log, 0, NULL, 0, 0, unread };
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	char **v;
	size_t n = 0;

	/*
	 * The logger rotates LOG -> LOG.1 -> ... -> LOG.N: the higher, the
	 * older; logrotate's compress makes them LOG.K.gz (with delaycompress
	 * all but LOG.1). While LOG.K is being compressed both exist: the
	 * whole LOG.K is read.
	 */
	c.nbase = strlen(c.base);
	if (slash)
		strbuf_add(&dir, log, slash > log ? (size_t)(slash - log) : 1);
	c.dir = slash ? dir.buf : NULL;
	if (strcmp(log, "-") && c.nbase && !stat(slash ? dir.buf : ".", &st) && S_ISDIR(st.st_mode)) {
		if (!access(slash ? dir.buf : ".", R_OK))
			tree_walk(slash ? dir.buf : ".", TREE_SHALLOW, rotated_entry, &c);
		else /* a directory that can be searched, not listed */
			rotated_probe(log, &c);
	}
	if (c.nr)
		qsort(c.v, c.nr, sizeof(*c.v), cmp_rotated);
	v = xmalloc((c.nr + 1) * sizeof(*v));
	for (size_t i = 0; i < c.nr; i++) {
		if (i && c.v[i].k == c.v[i - 1].k) { /* LOG.K.gz beside LOG.K */
			free(c.v[i].path);
			continue;
		}
		v[n++] = c.v[i].path;
	}
	v[n++] = xstrdup(log);
	free(c.v);
	strbuf_release(&dir);
	*out = v;
	return n;
}
