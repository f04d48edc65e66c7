/*
 * modpath.c - the module of a source file from its path (module cache,
 * vendor directory); see modpath.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "modpath.h"
#include "util.h"

int modpath_unescape(const char *s, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '!') {
			if (i + 1 >= n || s[i + 1] < 'a' || s[i + 1] > 'z')
				return -1;
			c = (char)(s[++i] - 'a' + 'A');
		}
		strbuf_addch(out, c);
	}
	return 0;
}

/* Does dir (n bytes) end with the module path m (k bytes), as whole
 * path elements? */
static int ends_with_path(const char *dir, size_t n, const char *m, size_t k)
{
	return k && k <= n && !memcmp(dir + n - k, m, k) && (k == n || dir[n - k - 1] == '/');
}

/* The module path of the decoded directory before "@" (n bytes): the
 * longest prefix of pkg it ends with, else by where the cache starts.
 * Its offset in dir, or -1. */
static long cache_module(const char *dir, size_t n, const char *pkg, int absolute)
{
	if (pkg && *pkg && strcmp(pkg, "main")) {
		size_t k = strlen(pkg);
		for (;;) {
			if (ends_with_path(dir, n, pkg, k))
				return (long)(n - k);
			while (k && pkg[k - 1] != '/')
				k--;
			if (!k)
				break;
			k--; /* drop the '/' */
		}
		return -1; /* the package is not in this module: not its file */
	}
	if (!absolute)
		return 0;
	for (size_t i = n; i >= 9; i--)
		if (!memcmp(dir + i - 9, "/pkg/mod/", 9))
			return (long)i;
	return -1;
}

int modpath_from_cache(const char *file, const char *pkg, struct strbuf *out)
{
	struct strbuf dir = STRBUF_INIT, ver = STRBUF_INIT;
	int ret = -1;

	/* the last "@" of the path whose element is MODULE@VERSION: a
	 * module path never holds "@", a file below it may */
	for (const char *at = strchr(file, '@'); at; at = strchr(at + 1, '@')) {
		const char *end = strchr(at, '/');
		long off;

		if (!end || at == file || at[-1] == '/' || at[1] != 'v')
			continue;
		strbuf_reset(&dir);
		strbuf_reset(&ver);
		if (modpath_unescape(file, (size_t)(at - file), &dir) < 0)
			continue;
		if (modpath_unescape(at + 1, (size_t)(end - at - 1), &ver) < 0)
			continue;
		off = cache_module(dir.buf, dir.len, pkg, file[0] == '/');
		if (off < 0 || (size_t)off >= dir.len)
			continue;
		strbuf_addf(out, "%s@%s", dir.buf + off, ver.buf);
		ret = 0;
		break;
	}
	strbuf_release(&dir);
	strbuf_release(&ver);
	return ret;
}

/* The "# PATH VERSION" line of modules.txt (n bytes at p) whose PATH is
 * the longest prefix of imp: into out. 0 or -1. */
static int vendor_module(const char *p, size_t n, const char *imp, struct strbuf *out)
{
	size_t best = 0;
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		if (e - p > 2 && p[0] == '#' && p[1] == ' ') {
			const char *m = p + 2, *sp = memchr(m, ' ', (size_t)(e - m));
			size_t k = sp ? (size_t)(sp - m) : (size_t)(e - m);
			if (k > best && !strncmp(imp, m, k) && (imp[k] == '/' || !imp[k])) {
				const char *v = sp ? sp + 1 : e, *ve = v;
				while (ve < e && *ve != ' ')
					ve++;
				best = k;
				strbuf_reset(out);
				strbuf_add(out, m, k);
				if (ve > v && *v != '=')
					strbuf_addch(out, '@'), strbuf_add(out, v, (size_t)(ve - v));
			}
		}
		p = e + (nl != NULL);
	}
	return best ? 0 : -1;
}

int modpath_from_vendor(const char *file, struct strbuf *out)
{
	const char *v = NULL, *slash = strrchr(file, '/');
	struct strbuf txt = STRBUF_INIT, name = STRBUF_INIT, imp = STRBUF_INIT;
	FILE *fp = NULL;
	int ret = -1;

	for (const char *p = strstr(file, "vendor/"); p; p = strstr(p + 1, "vendor/"))
		if (p == file || p[-1] == '/')
			v = p; /* the last vendor/: vendored code has none of its own */
	if (!v || slash < v + 7)
		goto out;
	strbuf_add(&imp, v + 7, (size_t)(slash - v - 7));
	strbuf_add(&txt, file, (size_t)(v - file));
	strbuf_addstr(&txt, "vendor/modules.txt");
	if (!(fp = fopen(txt.buf, "r")))
		goto out;
	strbuf_reset(&txt);
	strbuf_grow(&txt, 65536);
	for (size_t n; (n = fread(txt.buf + txt.len, 1, 65536, fp)) > 0;) {
		strbuf_setlen(&txt, txt.len + n);
		if (txt.len > MODPATH_MAX_MODULES_TXT)
			goto out;
		strbuf_grow(&txt, 65536);
	}
	if (ferror(fp))
		goto out;
	if (!vendor_module(txt.buf, txt.len, imp.buf, &name)) {
		strbuf_addstr(out, name.buf);
		ret = 0;
	}
out:
	if (fp)
		fclose(fp);
	strbuf_release(&txt);
	strbuf_release(&name);
	strbuf_release(&imp);
	return ret;
}
