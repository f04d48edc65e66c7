/*
 * manifest.c - release manifests of Go toolchains: built in (a pack),
 * added (data files), made from a module directory, checked against the
 * module's go.sum hash (see manifest.h).
 */
#include "manifest.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "embedded.h"
#include "hash.h"
#include "tree.h"
#include "util.h"

#define PACK_NAME "manifests/releases.pack"
#define DATA_MAGIC "# goinstr release manifest "

/* --- entries ------------------------------------------------------------ */

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
		      ((const struct manifest_entry *)b)->path);
}

/* Is name's last element `base`? */
static int basename_is(const char *name, const char *base)
{
	size_t n = strlen(name), k = strlen(base);
	return n >= k && !strcmp(name + n - k, base) && (n == k || name[n - k - 1] == '/');
}

/* Add an entry for a module (zip) file name: _go.mod becomes go.mod. */
static void add_entry(struct manifest *m, const char *zipname, size_t len, const char *hex)
{
	struct manifest_entry *e;
	char *path = xstrndup(zipname, len);

	if (basename_is(path, "_go.mod"))
		memmove(path + len - 7, path + len - 6, 7); /* "_go.mod" -> "go.mod" */
	if (m->nr == m->alloc) {
		m->alloc = m->alloc ? 2 * m->alloc : 16384;
		m->v = xrealloc(m->v, m->alloc * sizeof(*m->v));
	}
	e = &m->v[m->nr++];
	e->path = path;
	memcpy(e->hash, hex, 64);
	e->hash[64] = '\0';
}

void manifest_zip_name(const struct manifest_entry *e, struct strbuf *out)
{
	size_t n = strlen(e->path);

	if (basename_is(e->path, "go.mod")) {
		strbuf_add(out, e->path, n - 6);
		strbuf_addstr(out, "_go.mod");
	} else {
		strbuf_add(out, e->path, n);
	}
}

void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->nr; i++)
		free(m->v[i].path);
	free(m->v);
	free(m->name);
	free(m->sum);
	free(m->origin);
	memset(m, 0, sizeof(*m));
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_entry key = { (char *)path, { 0 } };
	const struct manifest_entry *e;
	struct strbuf alt = STRBUF_INIT;

	if (!basename_is(path, "_go.mod"))
		return bsearch(&key, m->v, m->nr, sizeof(*m->v), cmp_entry);
	strbuf_add(&alt, path, strlen(path) - 7);
	strbuf_addstr(&alt, "go.mod");
	key.path = alt.buf;
	e = bsearch(&key, m->v, m->nr, sizeof(*m->v), cmp_entry);
	strbuf_release(&alt);
	return e;
}

void manifest_digest(const char *path, const char *data, size_t len, char out[65])
{
	struct strbuf h = STRBUF_INIT, norm = STRBUF_INIT;

	if (!strcmp(path, "go.env")) {
		for (size_t i = 0; i < len;) {
			const char *nl = memchr(data + i, '\n', len - i);
			size_t n = nl ? (size_t)(nl - (data + i)) + 1 : len - i;
			if (n >= 12 && !memcmp(data + i, "GOTOOLCHAIN=", 12))
				strbuf_addstr(&norm, "GOTOOLCHAIN=auto\n");
			else
				strbuf_add(&norm, data + i, n);
			i += n;
		}
		data = norm.buf;
		len = norm.len;
	}
	sha256_buf_hex(data, len, &h);
	memcpy(out, h.buf, 65);
	strbuf_release(&h);
	strbuf_release(&norm);
}

int manifest_check(const struct manifest *m, const char *goroot, const char *path,
		   const char *data, size_t len)
{
	const struct manifest_entry *e = manifest_find(m, path);
	char got[65];

	manifest_digest(path, data, len, got);
	if (!e)
		return error("'%s/%s' is not in the %s manifest (sha256 %s); --trust-goroot overrides",
			     goroot, path, m->name, got);
	if (strcmp(e->hash, got))
		return error("'%s/%s' does not match the %s manifest: sha256 %s expected, %s found;"
			     " --trust-goroot overrides", goroot, path, m->name, e->hash, got);
	return 0;
}

void manifest_h1(const struct manifest *m, struct strbuf *out)
{
	struct strbuf names = STRBUF_INIT, line = STRBUF_INIT;
	size_t *off = xmalloc((m->nr + 1) * sizeof(*off));
	char **sorted = xmalloc((m->nr + 1) * sizeof(*sorted));
	struct sha256 h;

	/* Each entry as "ZIPNAME\0HEX\0", sorted by ZIPNAME, hashed as
	 * "HEX  golang.org/toolchain@v0.0.1-NAME/ZIPNAME\n" (cmd/go's dirhash). */
	for (size_t i = 0; i < m->nr; i++) {
		off[i] = names.len;
		manifest_zip_name(&m->v[i], &names);
		strbuf_addch(&names, '\0');
		strbuf_add(&names, m->v[i].hash, 65);
	}
	for (size_t i = 0; i < m->nr; i++)
		sorted[i] = names.buf + off[i];
	qsort(sorted, m->nr, sizeof(*sorted), cmp_strp);
	sha256_init(&h);
	for (size_t i = 0; i < m->nr; i++) {
		const char *name = sorted[i], *hex = name + strlen(name) + 1;
		strbuf_reset(&line);
		strbuf_add(&line, hex, 64);
		strbuf_addstr(&line, "  " MANIFEST_MODULE_PREFIX);
		strbuf_addstr(&line, m->name);
		strbuf_addch(&line, '/');
		strbuf_addstr(&line, name);
		strbuf_addch(&line, '\n');
		sha256_add(&h, line.buf, line.len);
	}
	strbuf_addstr(out, "h1:");
	sha256_base64(&h, out);
	free(off);
	free(sorted);
	strbuf_release(&names);
	strbuf_release(&line);
}

/* Sort m's entries; a path twice is an error (reported). */
static int finish_entries(struct manifest *m, const char *where)
{
	qsort(m->v, m->nr, sizeof(*m->v), cmp_entry);
	for (size_t i = 1; i < m->nr; i++)
		if (!strcmp(m->v[i].path, m->v[i - 1].path))
			return error("'%s': '%s' twice", where, m->v[i].path);
	return 0;
}

/* --- from a module directory -------------------------------------------- */

struct modwalk {
	struct manifest *m;
	struct strbuf data;
};

static int module_one(void *ctx, const struct tree_entry *e)
{
	struct modwalk *w = ctx;
	struct strbuf hex = STRBUF_INIT, sib = STRBUF_INIT;
	struct stat st;

	if (e->kind == TREE_DIR)
		return 0;
	if (e->kind != TREE_FILE)
		return error("'%s' is not a regular file: not in a module", e->path);
	/* The go command copies each _go.mod to go.mod the first time it runs
	 * a toolchain; a module zip never holds a nested go.mod. */
	if (basename_is(e->rel, "go.mod")) {
		strbuf_add(&sib, e->path, strlen(e->path) - 6);
		strbuf_addstr(&sib, "_go.mod");
		if (lstat(sib.buf, &st) == 0) {
			strbuf_release(&sib);
			return 0;
		}
		strbuf_release(&sib);
	}
	strbuf_reset(&w->data);
	if (strbuf_read_file(&w->data, e->path) < 0)
		return error("cannot read '%s': %s", e->path, strerror(errno));
	sha256_buf_hex(w->data.buf, w->data.len, &hex);
	add_entry(w->m, e->rel, strlen(e->rel), hex.buf);
	strbuf_release(&hex);
	return 0;
}

int manifest_from_module(struct manifest *m, const char *name, const char *dir,
			 const char *sum)
{
	struct modwalk w = { m, STRBUF_INIT };
	struct strbuf h1 = STRBUF_INIT;
	int ret;

	memset(m, 0, sizeof(*m));
	m->name = xstrdup(name);
	m->sum = xstrdup(sum);
	m->origin = xstrdup(dir);
	ret = tree_walk(dir, 0, module_one, &w);
	if (!ret)
		ret = finish_entries(m, dir);
	if (!ret) {
		manifest_h1(m, &h1);
		if (strcmp(h1.buf, sum))
			ret = error("'%s' does not match its checksum: its files hash to %s, the"
				    " checksum database says %s (go clean -modcache removes it)",
				    dir, h1.buf, sum);
	}
	strbuf_release(&w.data);
	strbuf_release(&h1);
	if (ret)
		manifest_release(m);
	return ret;
}

/* --- data files ---------------------------------------------------------- */

int manifest_data_dir(struct strbuf *out)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share", out);
}

static int manifest_write(const struct manifest *m, const char *path)
{
	struct strbuf sb = STRBUF_INIT, name = STRBUF_INIT;
	int ret;

	strbuf_addf(&sb, DATA_MAGIC "%s\n# " MANIFEST_MODULE_PREFIX "%s %s\n", m->name,
		    m->name, m->sum);
	for (size_t i = 0; i < m->nr; i++) {
		strbuf_reset(&name);
		manifest_zip_name(&m->v[i], &name);
		strbuf_addf(&sb, "%s  %s\n", m->v[i].hash, name.buf);
	}
	ret = write_file(path, sb.buf, sb.len, 0600);
	strbuf_release(&sb);
	strbuf_release(&name);
	return ret;
}

/* path (a file or directory) is ours and writable by nobody else. */
static int private_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	if (st.st_uid != geteuid() || (st.st_mode & 022) || S_ISLNK(st.st_mode))
		return error("'%s' is not private (owner %u, mode %03o): a release manifest is"
			     " used only from a file and directory no one else can change",
			     path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
	return 0;
}

int manifest_save(const struct manifest *m, struct strbuf *path)
{
	struct strbuf dir = STRBUF_INIT;
	int ret = -1;

	if (manifest_data_dir(&dir) < 0) {
		error("no data directory: set HOME or XDG_DATA_HOME");
		goto out;
	}
	strbuf_addstr(&dir, "/manifests");
	if (mkdir_p(dir.buf, 0700) < 0 || private_path(dir.buf) < 0)
		goto out;
	strbuf_addf(path, "%s/%s", dir.buf, m->name);
	ret = manifest_write(m, path->buf);
out:
	strbuf_release(&dir);
	return ret;
}

static int is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* A module file name as a manifest may hold it: relative, clean. */
static int good_name(const char *s, size_t n)
{
	if (!n || s[0] == '/' || memchr(s, '\0', n) || memchr(s, '\\', n))
		return 0;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (i + k < n && s[i + k] != '/')
			k++;
		if (!k || (k == 1 && s[i] == '.') || (k == 2 && s[i] == '.' && s[i + 1] == '.') ||
		    (k == 6 && !memcmp(s + i, "go.mod", 6) && i + k == n))
			return 0;
		i += k + 1;
	}
	return s[n - 1] != '/';
}

int manifest_read(struct manifest *m, const char *path)
{
	struct strbuf text = STRBUF_INIT, h1 = STRBUF_INIT, dir = STRBUF_INIT;
	const char *p, *end;
	size_t line = 2;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	strbuf_add(&dir, path, strrchr(path, '/') ? (size_t)(strrchr(path, '/') - path) : 0);
	if ((dir.len && private_path(dir.buf) < 0) || private_path(path) < 0) {
		ret = -1;
		goto out;
	}
	if (strbuf_read_file(&text, path) < 0) {
		ret = error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	/* "# goinstr release manifest NAME\n# golang.org/toolchain@v0.0.1-NAME SUM\n" */
	p = text.buf;
	end = text.buf + text.len;
	if (strncmp(p, DATA_MAGIC, strlen(DATA_MAGIC)) || !memchr(p, '\n', text.len)) {
		ret = error("'%s': not a goinstr release manifest", path);
		goto out;
	}
	p += strlen(DATA_MAGIC);
	m->name = xstrndup(p, strcspn(p, "\n"));
	p += strlen(m->name) + 1;
	{
		size_t n = strlen("# " MANIFEST_MODULE_PREFIX), k = strlen(m->name);
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || (size_t)(nl - p) < n + k + 2 || strncmp(p, "# " MANIFEST_MODULE_PREFIX, n) ||
		    strncmp(p + n, m->name, k) || p[n + k] != ' ') {
			ret = error("'%s:2': not the module line of %s", path, m->name);
			goto out;
		}
		m->sum = xstrndup(p + n + k + 1, (size_t)(nl - (p + n + k + 1)));
		p = nl + 1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		line++;
		if (!nl || nl - p < 67 || !is_hex64(p) || p[64] != ' ' || p[65] != ' ' ||
		    !good_name(p + 66, (size_t)(nl - p - 66))) {
			ret = error("'%s:%zu': not a line 'SHA256  PATH'", path, line);
			goto out;
		}
		add_entry(m, p + 66, (size_t)(nl - p - 66), p);
		p = nl + 1;
	}
	if ((ret = finish_entries(m, path)))
		goto out;
	manifest_h1(m, &h1);
	if (strcmp(h1.buf, m->sum))
		ret = error("'%s' is damaged: its files hash to %s, not to the %s it records;"
			    " 'goinstr manifest add' records the release again", path, h1.buf, m->sum);
	m->origin = xstrdup(path);
out:
	if (ret)
		manifest_release(m);
	strbuf_release(&text);
	strbuf_release(&h1);
	strbuf_release(&dir);
	return ret;
}

/* --- the pack -------------------------------------------------------------
 *
 * PACK_MAGIC RAWSIZE "\n", then zlib (RFC 1950) of RAWSIZE bytes:
 *   "releases N\n"
 *   N lines "NAME SUM FILES\n", sorted by release, then platform
 *   "pairs M\n"
 *   M records, sorted by (module file name, sha256):
 *     varint  bytes shared with the previous record's name
 *     varint  length of the rest, then the rest
 *     32 bytes  the sha256
 *     (N+7)/8 bytes  bit i set: file of release i
 * A file unchanged across releases and platforms is one record.
 */

/* The built-in pack, inflated once. NULL if none (reported). */
static const struct strbuf *pack_raw(void)
{
	static struct strbuf raw = STRBUF_INIT;
	static int done;
	const struct embedded *e;
	const char *p;
	char *end;
	uLongf n;

	if (done)
		return done > 0 ? &raw : NULL;
	done = -1;
	if (!(e = embedded_find(PACK_NAME))) {
		error("internal error: no built-in release manifests");
		return NULL;
	}
	p = (const char *)e->data;
	if (e->len < strlen(PACK_MAGIC) || strncmp(p, PACK_MAGIC, strlen(PACK_MAGIC))) {
		error("internal error: bad built-in release manifests");
		return NULL;
	}
	n = strtoul(p + strlen(PACK_MAGIC), &end, 10);
	if (*end != '\n') {
		error("internal error: bad built-in release manifests");
		return NULL;
	}
	end++;
	strbuf_grow(&raw, n);
	if (uncompress((Bytef *)raw.buf, &n, (const Bytef *)end,
		       e->len - (size_t)(end - p)) != Z_OK) {
		error("internal error: cannot inflate the built-in release manifests");
		return NULL;
	}
	strbuf_setlen(&raw, n);
	done = 1;
	return &raw;
}

struct pack_release {
	const char *name, *sum; /* into a copy of the header line */
	size_t files;
};

/* The releases in the pack's header; *records is set past it. */
static struct pack_release *pack_releases(const struct strbuf *raw, size_t *n,
					  const char **records, size_t *npairs)
{
	const char *p = raw->buf;
	struct pack_release *v;
	char *e;

	if (strncmp(p, "releases ", 9))
		return NULL;
	*n = strtoul(p + 9, &e, 10);
	p = e + 1;
	v = xcalloc(*n + 1, sizeof(*v));
	for (size_t i = 0; i < *n; i++) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len), *sp1 = strchr(line, ' '), *sp2;
		if (!sp1 || !(sp2 = strchr(sp1 + 1, ' '))) {
			free(line);
			*n = i;
			return v;
		}
		*sp1 = *sp2 = '\0';
		v[i].name = line;
		v[i].sum = sp1 + 1;
		v[i].files = strtoul(sp2 + 1, NULL, 10);
		p += len + 1;
	}
	if (strncmp(p, "pairs ", 6))
		return v;
	*npairs = strtoul(p + 6, &e, 10);
	*records = e + 1;
	return v;
}

static void free_releases(struct pack_release *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].name);
	free(v);
}

static size_t get_varint(const unsigned char **p, const unsigned char *end)
{
	size_t v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = *(*p)++;
		v |= (size_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
	}
	return v;
}

/* Fill m with release i of the pack. 0 or -1 (reported). */
static int pack_decode(const struct strbuf *raw, const struct pack_release *rel, size_t nrel,
		       size_t i, const char *records, size_t npairs, struct manifest *m)
{
	const unsigned char *p = (const unsigned char *)records,
			    *end = (const unsigned char *)raw->buf + raw->len;
	size_t bytes = (nrel + 7) / 8;
	struct strbuf name = STRBUF_INIT;
	char hex[65];

	memset(m, 0, sizeof(*m));
	m->name = xstrdup(rel[i].name);
	m->sum = xstrdup(rel[i].sum);
	m->origin = xstrdup("built in");
	for (size_t k = 0; k < npairs; k++) {
		size_t shared = get_varint(&p, end), rest = get_varint(&p, end);
		if (shared > name.len || rest > (size_t)(end - p) ||
		    32 + bytes > (size_t)(end - p) - rest)
			break;
		strbuf_setlen(&name, shared);
		strbuf_add(&name, p, rest);
		p += rest;
		if (p[32 + i / 8] & (1u << (i % 8))) {
			static const char digits[] = "0123456789abcdef";
			for (int b = 0; b < 32; b++) {
				hex[2 * b] = digits[p[b] >> 4];
				hex[2 * b + 1] = digits[p[b] & 15];
			}
			add_entry(m, name.buf, name.len, hex);
		}
		p += 32 + bytes;
	}
	strbuf_release(&name);
	if (m->nr != rel[i].files || finish_entries(m, "built-in manifest") < 0) {
		manifest_release(m);
		return error("internal error: the built-in manifest of %s is damaged", rel[i].name);
	}
	return 0;
}

/* Load name from the pack: 1 found, 0 not there, -1 error (reported). */
static int pack_load(const char *name, struct manifest *m)
{
	const struct strbuf *raw = pack_raw();
	struct pack_release *rel;
	const char *records = NULL;
	size_t n = 0, npairs = 0;
	int ret = 0;

	if (!raw)
		return -1;
	if (!(rel = pack_releases(raw, &n, &records, &npairs)) || !records) {
		if (rel)
			free_releases(rel, n);
		return error("internal error: bad built-in release manifests");
	}
	for (size_t i = 0; i < n && !ret; i++)
		if (!strcmp(rel[i].name, name))
			ret = pack_decode(raw, rel, n, i, records, npairs, m) < 0 ? -1 : 1;
	free_releases(rel, n);
	return ret;
}

/* --- loading ------------------------------------------------------------- */

int manifest_load(struct manifest *m, const char *version, const char *goos,
		  const char *goarch)
{
	struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	memset(m, 0, sizeof(*m));
	strbuf_addf(&name, "%s.%s-%s", version, goos, goarch);
	if ((ret = pack_load(name.buf, m)) != 0)
		goto out;
	if (manifest_data_dir(&path) == 0) {
		strbuf_addf(&path, "/manifests/%s", name.buf);
		if (access(path.buf, F_OK) == 0) {
			ret = manifest_read(m, path.buf) < 0 ? -1 : 1;
			goto out;
		}
	}
	ret = error("no verified manifest for Go release '%s' on %s/%s (neither built in nor"
		    " added): 'goinstr manifest add %s' fetches and records it; --trust-goroot"
		    " skips the check", version, goos, goarch, version);
out:
	strbuf_release(&name);
	strbuf_release(&path);
	return ret < 0 ? -1 : 0;
}

struct listing {
	const struct pack_release *rel; /* the built-in ones */
	size_t n;
	struct strbuf *out;
	unsigned *bad;
};

/* One file of the data directory. */
static int list_added(void *ctx, const struct tree_entry *e)
{
	struct listing *l = ctx;
	struct manifest m;
	int builtin = 0;

	if (e->kind == TREE_DIR || e->rel[0] == '.' || strstr(e->rel, ".tmp"))
		return 0; /* the directory itself, write_file's temporary files */
	for (size_t k = 0; k < l->n; k++)
		builtin |= !strcmp(l->rel[k].name, e->rel);
	if (manifest_read(&m, e->path) < 0) {
		(*l->bad)++;
		return 0;
	}
	strbuf_addf(l->out, "%s %s %s%s\n", m.name, m.sum, e->path,
		    builtin ? " (built in: not used)" : "");
	manifest_release(&m);
	return 0;
}

int manifest_list(struct strbuf *out, unsigned *bad)
{
	const struct strbuf *raw = pack_raw();
	struct pack_release *rel;
	const char *records = NULL;
	size_t n = 0, npairs = 0;
	struct strbuf dir = STRBUF_INIT, h1 = STRBUF_INIT;
	int ret = 0;

	*bad = 0;
	if (!raw || !(rel = pack_releases(raw, &n, &records, &npairs)) || !records)
		return error("internal error: bad built-in release manifests");
	for (size_t i = 0; i < n; i++) {
		struct manifest m;
		strbuf_addf(out, "%s %s built in\n", rel[i].name, rel[i].sum);
		if (pack_decode(raw, rel, n, i, records, npairs, &m) < 0) {
			(*bad)++;
			continue;
		}
		strbuf_reset(&h1);
		manifest_h1(&m, &h1);
		if (strcmp(h1.buf, m.sum)) {
			error("built-in manifest of %s: its files hash to %s, not %s", m.name,
			      h1.buf, m.sum);
			(*bad)++;
		}
		manifest_release(&m);
	}
	if (manifest_data_dir(&dir) == 0) {
		struct listing l = { rel, n, out, bad };
		strbuf_addstr(&dir, "/manifests");
		if (access(dir.buf, F_OK) == 0)
			ret = tree_walk(dir.buf, TREE_SHALLOW, list_added, &l);
	}
	free_releases(rel, n);
	strbuf_release(&dir);
	strbuf_release(&h1);
	return ret;
}
