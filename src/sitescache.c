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

#include "hash.h"
#include "sitescache.h"
#include "util.h"

#define PT_NOTE 4
#define NOTE_GO_BUILDID 4 /* cmd/link: ELF_NOTE_GOBUILDID_TAG */
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

static void entry_path(const char *key, struct strbuf *out)
{
	cache_dir(out);
	strbuf_addf(out, "/sites/%s", key);
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

/* Every file the inventory names still exists (it may have moved). */
static int files_exist(const struct strbuf *inv)
{
	struct strbuf last = STRBUF_INIT, file = STRBUF_INIT;
	const char *p = inv->buf, *end = inv->buf + inv->len;
	int ret = 0;

	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct stat st;

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
		if (!ret && file.len && strcmp(file.buf, last.buf)) {
			if (stat(file.buf, &st) < 0)
				ret = -1;
			strbuf_reset(&last);
			strbuf_add(&last, file.buf, file.len);
		}
		p += n + 1;
	}
	strbuf_release(&last);
	strbuf_release(&file);
	return ret;
}

/* An entry into out: 0, or -1 (out left as it was). Touched when used. */
static int entry_get(const char *key, struct strbuf *out, int check_files)
{
	struct strbuf path = STRBUF_INIT;
	size_t len = out->len;
	int ret = -1;

	entry_path(key, &path);
	if (gz_read_file(path.buf, out) == 0 && (!check_files || files_exist(out) == 0)) {
		utimensat(AT_FDCWD, path.buf, NULL, 0); /* used: keep it */
		ret = 0;
	} else {
		strbuf_setlen(out, len);
	}
	strbuf_release(&path);
	return ret;
}

int sitescache_get(const char *key, struct strbuf *out)
{
	return entry_get(key, out, 1);
}

int sitescache_file_get(const char *key, struct strbuf *out)
{
	return entry_get(key, out, 0);
}

/* Remove entries unused for MAX_AGE, at most once per TRIM_EVERY. */
static void trim(const char *dir)
{
	struct strbuf mark = STRBUF_INIT, path = STRBUF_INIT;
	time_t now = time(NULL);
	struct stat st;
	DIR *d;

	strbuf_addf(&mark, "%s/.trimmed", dir);
	if (stat(mark.buf, &st) == 0 && now - st.st_mtime < TRIM_EVERY)
		goto out;
	write_file(mark.buf, "", 0, 0600);
	if (!(d = opendir(dir)))
		goto out;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->d_name);
		if (stat(path.buf, &st) == 0 && now - st.st_mtime > MAX_AGE)
			unlink(path.buf);
	}
	closedir(d);
out:
	strbuf_release(&mark);
	strbuf_release(&path);
}

void sitescache_put(const char *key, const char *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;

	entry_path(key, &path);
	char *slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (mkdir_p(path.buf, 0700) == 0) {
		trim(path.buf);
		*slash = '/';
		gz_write_file(path.buf, data, len, 0600);
	}
	strbuf_release(&path);
}

int gz_write_file(const char *path, const char *data, size_t len, unsigned mode)
{
	struct strbuf gz = STRBUF_INIT;
	z_stream z;
	int ret = 0;

	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX / 2)
		return error("'%s': too large to compress (%zu bytes)", path, len);
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return error("cannot compress '%s': zlib could not start", path);
	strbuf_grow(&gz, deflateBound(&z, (uLong)len));
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)gz.buf;
	z.avail_out = (uInt)(gz.alloc - 1);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		ret = error("cannot compress '%s': zlib: %s", path, z.msg ? z.msg : "deflate failed");
	else
		strbuf_setlen(&gz, z.total_out);
	deflateEnd(&z);
	if (!ret)
		ret = write_file(path, gz.buf, gz.len, mode); /* reports */
	strbuf_release(&gz);
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
