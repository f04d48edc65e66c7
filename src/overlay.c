/*
 * overlay.c - work directories, cache entries and Go overlay files.
 */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "util.h"

static void overlay_zero(struct overlay *ov)
{
	memset(ov, 0, sizeof(*ov));
	strbuf_init(&ov->dir, 0);
	strbuf_init(&ov->final, 0);
	strbuf_init(&ov->json, 0);
	strbuf_init(&ov->manifest, 0);
}

int overlay_init(struct overlay *ov)
{
	overlay_zero(ov);
	if (workdir_create(&ov->dir) < 0)
		return -1;
	strbuf_addstr(&ov->final, ov->dir.buf);
	return 0;
}

/* Whether every file MANIFEST lists in dir has the digest it lists. */
static int entry_intact(const char *dir)
{
	struct strbuf path = STRBUF_INIT, man = STRBUF_INIT, data = STRBUF_INIT;
	struct strbuf got = STRBUF_INIT;
	int ok = 1, n = 0;

	strbuf_addf(&path, "%s/MANIFEST", dir);
	if (strbuf_read_file(&man, path.buf) < 0) {
		ok = 0;
		goto out;
	}
	for (char *line = man.buf, *nl; ok && *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')) || nl - line < 67 || line[64] != ' ') {
			ok = 0;
			break;
		}
		*nl = '\0';
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, line + 66);
		strbuf_reset(&data);
		strbuf_reset(&got);
		if (strbuf_read_file(&data, path.buf) < 0) {
			ok = 0;
			break;
		}
		sha256_buf_hex(data.buf, data.len, &got);
		ok = !strncmp(got.buf, line, 64);
		n++;
	}
	ok = ok && n > 0;
out:
	strbuf_release(&path);
	strbuf_release(&man);
	strbuf_release(&data);
	strbuf_release(&got);
	return ok;
}

int overlay_open_cached(struct overlay *ov, const char *key, int *hit,
			struct strbuf *path)
{
	overlay_zero(ov);
	*hit = 0;
	cache_dir(&ov->final);
	strbuf_addstr(&ov->final, "/overlay");
	if (mkdir_p(ov->final.buf, 0700) < 0)
		return -1;
	strbuf_addf(&ov->final, "/%s", key);
	if (entry_intact(ov->final.buf)) {
		*hit = 1;
		strbuf_reset(path);
		strbuf_addf(path, "%s/overlay.json", ov->final.buf);
		return 0;
	}
	strbuf_addf(&ov->dir, "%s.tmpXXXXXX", ov->final.buf);
	if (!mkdtemp(ov->dir.buf))
		return error("cannot create '%s': %s", ov->dir.buf, strerror(errno));
	ov->cached = 1;
	return 0;
}

int overlay_add_extra(struct overlay *ov, const char *rel, const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", ov->dir.buf, rel);
	ret = write_file(path.buf, data, len, 0600);
	if (!ret) {
		sha256_buf_hex(data, len, &ov->manifest);
		strbuf_addf(&ov->manifest, "  %s\n", rel);
	}
	strbuf_release(&path);
	return ret;
}

int overlay_add(struct overlay *ov, const char *target, const char *rel,
		const void *data, size_t len)
{
	struct strbuf path = STRBUF_INIT, final = STRBUF_INIT;
	int ret;

	if (strchr(target, '\n') || strchr(rel, '\n'))
		return error("path with a newline: '%s'", target);
	strbuf_addf(&path, "%s/%s", ov->dir.buf, rel);
	strbuf_addf(&final, "%s/%s", ov->final.buf, rel);
	{
		char *slash = strrchr(path.buf, '/');
		*slash = '\0';
		ret = mkdir_p(path.buf, 0700);
		*slash = '/';
	}
	if (!ret)
		ret = write_file(path.buf, data, len, 0600);
	if (!ret) {
		strbuf_addstr(&ov->json, ov->nfiles++ ? ",\n\t\t" : "\n\t\t");
		strbuf_addjson(&ov->json, target, strlen(target));
		strbuf_addstr(&ov->json, ": ");
		strbuf_addjson(&ov->json, final.buf, final.len);
		sha256_buf_hex(data, len, &ov->manifest);
		strbuf_addf(&ov->manifest, "  %s\n", rel);
	}
	strbuf_release(&path);
	strbuf_release(&final);
	return ret;
}

int overlay_finish(struct overlay *ov, struct strbuf *path)
{
	struct strbuf doc = STRBUF_INIT, p = STRBUF_INIT;
	int ret;

	strbuf_addf(&doc, "{\n\t\"Replace\": {%s\n\t}\n}\n", ov->json.buf);
	strbuf_addf(&p, "%s/overlay.json", ov->dir.buf);
	ret = write_file(p.buf, doc.buf, doc.len, 0600);
	if (!ret) {
		sha256_buf_hex(doc.buf, doc.len, &ov->manifest);
		strbuf_addstr(&ov->manifest, "  overlay.json\n");
	}
	if (!ret && ov->cached) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/MANIFEST", ov->dir.buf);
		ret = write_file(p.buf, ov->manifest.buf, ov->manifest.len, 0600);
		if (!ret && rename(ov->dir.buf, ov->final.buf) < 0) {
			/* Another goinstr made the same entry first: use it. */
			if ((errno != EEXIST && errno != ENOTEMPTY) || !entry_intact(ov->final.buf)) {
				remove_tree(ov->final.buf);
				if (rename(ov->dir.buf, ov->final.buf) < 0)
					ret = error("cannot rename '%s': %s", ov->dir.buf,
						    strerror(errno));
			}
		}
		if (!ret)
			ov->cached = 0; /* in place (or superseded): nothing to clean */
		remove_tree(ov->dir.buf); /* a no-op once renamed */
	}
	strbuf_reset(path);
	strbuf_addf(path, "%s/overlay.json", ov->final.buf);
	strbuf_release(&doc);
	strbuf_release(&p);
	return ret;
}

void overlay_release(struct overlay *ov)
{
	if (ov->dir.len && (ov->cached || (!ov->keep && !strcmp(ov->dir.buf, ov->final.buf))))
		remove_tree(ov->dir.buf);
	strbuf_release(&ov->dir);
	strbuf_release(&ov->final);
	strbuf_release(&ov->json);
	strbuf_release(&ov->manifest);
}
