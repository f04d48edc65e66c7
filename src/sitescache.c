/*
 * sitescache.c - inventories remembered under the binary's Go build ID.
 * See sitescache.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cache.h"
#include "hash.h"
#include "sitescache.h"
#include "util.h"

#define PT_NOTE 4
#define NOTE_GO_BUILDID 4 /* cmd/link: ELF_NOTE_GOBUILDID_TAG */
#define KIND "sites"
#define MAX_AGE (7 * 24 * 3600)
#define TRIM_EVERY (24 * 3600)

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* pread exactly n bytes at off: 0, or -1. */
static int read_at(FILE *f, uint64_t off, void *buf, size_t n)
{
	return fseeko(f, (off_t)off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n ? 0 : -1;
}

/* ELF64 little-endian only (amd64, arm64): other binaries have no cache. */
int buildid_read(const char *path, struct strbuf *out)
{
	unsigned char eh[64], ph[56], *notes = NULL;
	FILE *f = fopen(path, "rb");
	int ret = -1;

	if (!f)
		return -1;
	if (read_at(f, 0, eh, sizeof(eh)) || memcmp(eh, "\177ELF\2\1", 6))
		goto out;
	uint64_t phoff = le(eh + 32, 8), phentsize = le(eh + 54, 2), phnum = le(eh + 56, 2);
	for (uint64_t i = 0; i < phnum && ret; i++) {
		if (phentsize < sizeof(ph) || read_at(f, phoff + i * phentsize, ph, sizeof(ph)))
			goto out;
		uint64_t off = le(ph + 8, 8), size = le(ph + 32, 8);
		if (le(ph, 4) != PT_NOTE || size > 1 << 16)
			continue;
		free(notes);
		notes = xmalloc(size);
		if (read_at(f, off, notes, size))
			goto out;
		for (uint64_t p = 0; p + 12 <= size;) {
			uint64_t namesz = le(notes + p, 4), descsz = le(notes + p + 4, 4);
			uint64_t type = le(notes + p + 8, 4);
			uint64_t name = p + 12, desc = name + ((namesz + 3) & ~3ull);
			if (desc + descsz > size)
				break;
			if (type == NOTE_GO_BUILDID && namesz == 4 && !memcmp(notes + name, "Go\0", 4) &&
			    descsz) {
				strbuf_add(out, (const char *)notes + desc, descsz);
				ret = 0;
				break;
			}
			p = desc + ((descsz + 3) & ~3ull);
		}
	}
out:
	free(notes);
	fclose(f);
	return ret;
}

void sitescache_key(const char *buildid, const char *ctx, struct strbuf *key)
{
	struct sha256 h;

	sha256_init(&h);
	sha256_field(&h, "sites v1", 8);
	sha256_field(&h, buildid, strlen(buildid));
	sha256_field(&h, ctx, strlen(ctx));
	sha256_hex(&h, key);
}

/*
 * The "file" value of an inventory line into out: 0, or -1 if the line has
 * none or it is escaped (then the caller decodes the line).
 */
static int line_file(const char *p, size_t n, struct strbuf *out)
{
	static const char field[] = ",\"file\":\"";
	const char *f = memmem(p, n, field, sizeof(field) - 1), *q, *end = p + n;

	if (!f)
		return -1;
	f += sizeof(field) - 1;
	for (q = f; q < end && *q != '"' && *q != '\\'; q++)
		;
	if (q == end || *q != '"')
		return -1;
	strbuf_add(out, f, (size_t)(q - f));
	return 0;
}

/* The distinct files an inventory names, one a line, into out. */
static int inventory_files(const char *inv, size_t len, struct strbuf *out)
{
	struct strbuf last = STRBUF_INIT, file = STRBUF_INIT;
	const char *p = inv, *end = inv + len;
	int ret = 0;

	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		strbuf_reset(&file);
		if (line_file(p, n, &file) < 0) {
			json_t *j = json_loadb(p, n, 0, NULL);
			const char *f = json_string_value(json_object_get(j, "file"));
			if (!j)
				ret = -1;
			else if (f)
				strbuf_addstr(&file, f);
			json_decref(j);
		}
		if (!ret && file.len && strcmp(file.buf, last.buf) && !strchr(file.buf, '\n')) {
			strbuf_add(out, file.buf, file.len);
			strbuf_addch(out, '\n');
			strbuf_reset(&last);
			strbuf_add(&last, file.buf, file.len);
		}
		p += n + 1;
	}
	strbuf_release(&last);
	strbuf_release(&file);
	return ret;
}

/* Inflate gzip data (all of it) into out: 0, or -1 if corrupt. */
static int gz_inflate(const char *data, size_t len, struct strbuf *out)
{
	z_stream z;
	size_t at = out->len;
	int r;

	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX || inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	do {
		strbuf_grow(out, 1 << 16);
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		r = inflate(&z, Z_NO_FLUSH);
		strbuf_setlen(out, out->alloc - 1 - z.avail_out);
	} while (r == Z_OK);
	inflateEnd(&z);
	if (r != Z_STREAM_END || z.avail_in) {
		strbuf_setlen(out, at);
		return -1;
	}
	return 0;
}

/*
 * An inventory's entry: the header "goinstr-sites 2 N\n", N bytes of the
 * distinct files it names, one a line, then the inventory as
 * BIN.sites.jsonl holds it (gzip). A hit appends the gzip part to gz if
 * every file is still there (one stat each, nothing inflated).
 */
#define ENTRY_TAG "goinstr-sites 2 "

int sitescache_get(const char *key, struct strbuf *gz)
{
	struct strbuf e = STRBUF_INIT;
	const char *files, *nl;
	size_t n;
	int ret;

	if ((ret = cache_read(KIND, key, &e)) < 0)
		goto out; /* refused */
	if (ret == 0) { /* not there */
		ret = 1;
		goto out;
	}
	ret = 1;
	if (e.len < sizeof(ENTRY_TAG) || memcmp(e.buf, ENTRY_TAG, sizeof(ENTRY_TAG) - 1) ||
	    !(nl = memchr(e.buf, '\n', e.len)))
		goto out;
	n = strtoul(e.buf + sizeof(ENTRY_TAG) - 1, NULL, 10);
	files = nl + 1;
	if (n > e.len - (size_t)(files - e.buf))
		goto out;
	for (const char *f = files; f < files + n;) {
		const char *eol = memchr(f, '\n', (size_t)(files + n - f));
		struct strbuf one = STRBUF_INIT;
		struct stat st;
		int gone;
		if (!eol)
			goto out;
		strbuf_add(&one, f, (size_t)(eol - f));
		gone = stat(one.buf, &st) < 0;
		strbuf_release(&one);
		if (gone)
			goto out; /* moved or removed: plan again */
		f = eol + 1;
	}
	strbuf_add(gz, files + n, e.len - (size_t)(files + n - e.buf));
	ret = 0;
out:
	strbuf_release(&e);
	return ret;
}

/* An action ID as the go command writes them: nothing else names a file. */
static int aid_ok(const char *aid)
{
	size_t n = strspn(aid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
	return n && n < 128 && !aid[n];
}

/*
 * A package record is one sealed file, "pkg-AID": its blind spots (one
 * line, maybe empty), then its inventory lines (gzip). One file, so the
 * two parts are always of the same compile.
 */
static int pkg_read(const char *aid, struct strbuf *rec, const char **gz)
{
	struct strbuf name = STRBUF_INIT;
	const char *nl;
	int ret = -1;

	if (!aid_ok(aid))
		return -1;
	strbuf_addf(&name, "pkg-%s", aid);
	if (cache_read(KIND, name.buf, rec) == 1 && (nl = memchr(rec->buf, '\n', rec->len))) {
		*gz = nl + 1;
		ret = 0;
	}
	strbuf_release(&name);
	return ret;
}

int sitescache_pkg_get(const char *aid, struct strbuf *out)
{
	struct strbuf rec = STRBUF_INIT;
	const char *gz;
	int ret = pkg_read(aid, &rec, &gz);

	if (!ret)
		ret = gz_inflate(gz, rec.len - (size_t)(gz - rec.buf), out);
	strbuf_release(&rec);
	return ret;
}

int sitescache_pkg_blind(const char *aid, struct strbuf *out)
{
	struct strbuf rec = STRBUF_INIT;
	const char *gz;
	int ret = pkg_read(aid, &rec, &gz);

	/* one line, no tab: nothing else is ours */
	if (!ret && !memchr(rec.buf, '\t', (size_t)(gz - 1 - rec.buf)))
		strbuf_add(out, rec.buf, (size_t)(gz - 1 - rec.buf));
	strbuf_release(&rec);
	return ret;
}

void sitescache_put(const char *key, const char *inv, size_t len, const char *gz, size_t gzlen)
{
	struct strbuf files = STRBUF_INIT, e = STRBUF_INIT;

	cache_trim(KIND, MAX_AGE, TRIM_EVERY);
	if (inventory_files(inv, len, &files) == 0) {
		strbuf_addf(&e, ENTRY_TAG "%zu\n", files.len);
		strbuf_add(&e, files.buf, files.len);
		strbuf_add(&e, gz, gzlen);
		cache_write(KIND, key, e.buf, e.len);
	}
	strbuf_release(&files);
	strbuf_release(&e);
}

void sitescache_pkg_put(const char *aid, const char *lines, size_t len, const char *blind)
{
	struct strbuf rec = STRBUF_INIT, name = STRBUF_INIT;

	if (!aid_ok(aid) || strchr(blind, '\n'))
		return;
	cache_trim(KIND, MAX_AGE, TRIM_EVERY);
	strbuf_addf(&rec, "%s\n", blind);
	strbuf_addf(&name, "pkg-%s", aid);
	if (gz_compress(lines, len, &rec) == 0)
		cache_write(KIND, name.buf, rec.buf, rec.len);
	strbuf_release(&rec);
	strbuf_release(&name);
}

int gz_compress(const char *data, size_t len, struct strbuf *gz)
{
	z_stream z;
	int ret = 0;

	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX / 2)
		return error("too much to compress (%zu bytes)", len);
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return error("cannot compress: zlib could not start");
	strbuf_grow(gz, deflateBound(&z, (uLong)len));
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)gz->buf + gz->len;
	z.avail_out = (uInt)(gz->alloc - gz->len - 1);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		ret = error("cannot compress: zlib: %s", z.msg ? z.msg : "deflate failed");
	else
		strbuf_setlen(gz, gz->len + z.total_out);
	deflateEnd(&z);
	return ret;
}

int gz_read_file(const char *path, struct strbuf *out)
{
	gzFile f = gzopen(path, "rb"); /* a plain file reads as it is */
	size_t len = out->len;
	int n = 0;

	if (!f)
		return -1;
	for (;;) {
		strbuf_grow(out, 1 << 16);
		n = gzread(f, out->buf + out->len, (unsigned)(out->alloc - out->len - 1));
		if (n <= 0)
			break;
		strbuf_setlen(out, out->len + (size_t)n);
	}
	if (gzclose(f) != Z_OK || n < 0) {
		strbuf_setlen(out, len);
		return -1;
	}
	return 0;
}
