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

/* Every file the inventory names still exists (it may have moved). */
static int files_exist(const struct strbuf *inv)
{
	struct strbuf last = STRBUF_INIT;
	const char *p = inv->buf, *end = inv->buf + inv->len;
	int ret = 0;

	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *j = json_loadb(p, n, 0, NULL);
		const char *file = json_string_value(json_object_get(j, "file"));
		struct stat st;

		if (!j)
			ret = -1;
		else if (file && strcmp(file, last.buf)) {
			if (stat(file, &st) < 0)
				ret = -1;
			strbuf_reset(&last);
			strbuf_addstr(&last, file);
		}
		json_decref(j);
		p += n + 1;
	}
	strbuf_release(&last);
	return ret;
}

int sitescache_get(const char *key, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	int ret = -1;

	entry_path(key, &path);
	if (strbuf_read_file(out, path.buf) == 0 && files_exist(out) == 0) {
		utimensat(AT_FDCWD, path.buf, NULL, 0); /* used: keep it */
		ret = 0;
	} else {
		strbuf_reset(out);
	}
	strbuf_release(&path);
	return ret;
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
		write_file(path.buf, data, len, 0600);
	}
	strbuf_release(&path);
}
