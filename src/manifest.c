/*
 * manifest.c - release manifests of Go sources and binaries.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "hash.h"
#include "util.h"

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
		      ((const struct manifest_entry *)b)->path);
}

int manifest_load(struct manifest *m, const char *version, const char *goos,
		  const char *goarch)
{
	struct strbuf name = STRBUF_INIT;
	const struct embedded *e;
	size_t alloc = 0;

	memset(m, 0, sizeof(*m));
	strbuf_addf(&name, "manifests/%s.%s-%s.txt", version, goos, goarch);
	/* The sources are the same on every platform: fall back to linux-amd64's. */
	if (!(e = embedded_find(name.buf))) {
		strbuf_reset(&name);
		strbuf_addf(&name, "manifests/%s.linux-amd64.txt", version);
		e = embedded_find(name.buf);
	}
	if (!e) {
		strbuf_release(&name);
		return error("no verified manifest for Go release '%s' (goinstr has go1.26.8, go1.27.3);"
			     " --trust-goroot skips the check", version);
	}
	m->name = xstrndup(name.buf + 10, name.len - 14);
	strbuf_release(&name);
	m->text = xstrndup((const char *)e->data, e->len);
	for (char *line = m->text, *nl; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if (*line != '#' && strlen(line) > 66 && line[64] == ' ') {
			if (m->nr == alloc) {
				alloc = alloc ? 2 * alloc : 8192;
				m->v = xrealloc(m->v, alloc * sizeof(*m->v));
			}
			m->v[m->nr].hash = line;
			m->v[m->nr].path = line + 66;
			m->nr++;
		}
		if (!nl[1])
			break;
	}
	qsort(m->v, m->nr, sizeof(*m->v), cmp_entry);
	return 0;
}

void manifest_release(struct manifest *m)
{
	free(m->name);
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_entry key = { path, NULL };
	return bsearch(&key, m->v, m->nr, sizeof(*m->v), cmp_entry);
}

int manifest_check(const struct manifest *m, const char *goroot, const char *path,
		   const char *data, size_t len)
{
	const struct manifest_entry *e = manifest_find(m, path);
	struct strbuf got = STRBUF_INIT;
	int ret = 0;

	sha256_buf_hex(data, len, &got);
	if (!e)
		ret = error("'%s/%s' is not in the %s manifest (sha256 %s); --trust-goroot overrides",
			    goroot, path, m->name, got.buf);
	else if (strncmp(e->hash, got.buf, 64))
		ret = error("'%s/%s' does not match the %s manifest: sha256 %.64s expected, %s found;"
			    " --trust-goroot overrides", goroot, path, m->name, e->hash, got.buf);
	strbuf_release(&got);
	return ret;
}
