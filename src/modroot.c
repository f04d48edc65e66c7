/*
 * modroot.c - main modules from go.work and go.mod (see modroot.h).
 */
#include "modroot.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* dir/name is a regular file. */
static int has_file(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	int ok;

	strbuf_addf(&p, "%s/%s", strcmp(dir, "/") ? dir : "", name);
	ok = stat(p.buf, &st) == 0 && S_ISREG(st.st_mode);
	strbuf_release(&p);
	return ok;
}

/* The first of dir (absolute) and its parents holding name, into found;
 * 0 or -1. */
static int find_up(const char *dir, const char *name, struct strbuf *found)
{
	strbuf_reset(found);
	strbuf_addstr(found, dir);
	for (;;) {
		char *slash;
		if (has_file(found->buf, name))
			return 0;
		if (!strcmp(found->buf, "/") || !(slash = strrchr(found->buf, '/')))
			return -1;
		strbuf_setlen(found, slash > found->buf ? (size_t)(slash - found->buf) : 1);
	}
}

/* An absolute path cleaned lexically, as Go's filepath.Clean does. */
static void clean_path(struct strbuf *p)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = p->buf;

	while (*s) {
		size_t n;
		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 1 && s[0] == '.') {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = strrchr(out.buf, '/');
			strbuf_setlen(&out, slash ? (size_t)(slash - out.buf) : 0);
		} else if (n) {
			strbuf_addch(&out, '/');
			strbuf_add(&out, s, n);
		}
		s += n;
	}
	if (!out.len)
		strbuf_addch(&out, '/');
	strbuf_reset(p);
	strbuf_add(p, out.buf, out.len);
	strbuf_release(&out);
}

static void add_dir(struct strbuf *out, const char *base, const char *p, size_t n)
{
	struct strbuf d = STRBUF_INIT;
	char real[PATH_MAX];

	if (n && p[0] == '/')
		strbuf_add(&d, p, n);
	else
		strbuf_addf(&d, "%s/%.*s", base, (int)n, p);
	clean_path(&d);
	if (realpath(d.buf, real))
		strbuf_addf(out, "%s\n", real);
	else
		strbuf_addf(out, "%s\n", d.buf);
	strbuf_release(&d);
}

/*
 * The next token of go.work's syntax (golang.org/x/mod/modfile): a word,
 * a quoted string ("..." or `...`, quotes kept), "(", ")" or "\n";
 * comments skipped. Returns its length (0 at the end), *tok its start.
 */
static size_t next_token(const char **s, const char **tok)
{
	const char *p = *s;
	size_t n;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (p[0] != '/' || p[1] != '/')
			break;
		while (*p && *p != '\n')
			p++;
	}
	*tok = p;
	if (!*p)
		return 0;
	if (*p == '\n' || *p == '(' || *p == ')') {
		*s = p + 1;
		return 1;
	}
	if (*p == '"' || *p == '`') {
		const char *e = strchr(p + 1, *p);
		n = e ? (size_t)(e - p) + 1 : strlen(p);
	} else {
		n = strcspn(p, " \t\r\n()");
	}
	*s = p + n;
	return n;
}

int modroot_parse_work(const char *text, const char *base, struct strbuf *out)
{
	const char *s = text, *t;
	size_t n;
	int count = 0, line_start = 1;

	while ((n = next_token(&s, &t))) {
		int block;

		if (*t == '\n') {
			line_start = 1;
			continue;
		}
		if (!line_start || n != 3 || strncmp(t, "use", 3)) {
			line_start = 0;
			continue;
		}
		line_start = 0;
		n = next_token(&s, &t);
		block = n == 1 && *t == '(';
		for (;;) {
			if (block)
				n = next_token(&s, &t);
			if (!n || (n == 1 && *t == ')'))
				break;
			if (!(n == 1 && *t == '\n')) {
				if (*t == '"' || *t == '`') /* no escapes in paths */
					add_dir(out, base, t + 1, n >= 2 ? n - 2 : 0);
				else
					add_dir(out, base, t, n);
				count++;
			} else if (!block) {
				line_start = 1;
			}
			if (!block)
				break;
		}
	}
	return count;
}

int modroot_main_dirs(const char *dir, struct strbuf *out)
{
	const char *mod = getenv("GO111MODULE"), *work = getenv("GOWORK");
	struct strbuf found = STRBUF_INIT, text = STRBUF_INIT, path = STRBUF_INIT;
	int count = 0;

	if (mod && !strcmp(mod, "off"))
		return 0;
	if (work && *work && strcmp(work, "off"))
		strbuf_addstr(&path, work);
	else if ((!work || !*work) && find_up(dir, "go.work", &found) == 0)
		strbuf_addf(&path, "%s/go.work", strcmp(found.buf, "/") ? found.buf : "");
	if (path.len) {
		if (strbuf_read_file(&text, path.buf) == 0) {
			char *slash = strrchr(path.buf, '/');
			if (!slash) {
				strbuf_reset(&path);
				strbuf_addstr(&path, dir);
			} else {
				strbuf_setlen(&path, slash > path.buf ? (size_t)(slash - path.buf) : 1);
			}
			count = modroot_parse_work(text.buf, path.buf, out);
		}
	} else if (find_up(dir, "go.mod", &found) == 0) {
		add_dir(out, found.buf, "", 0);
		count = 1;
	}
	strbuf_release(&found);
	strbuf_release(&text);
	strbuf_release(&path);
	return count;
}
