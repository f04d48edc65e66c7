/*
 * instrument.c - the standard library's part of the plan and rewrite.
 */
#include "instrument.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "hash.h"
#include "manifest.h"
#include "util.h"
#include "version.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The non-test .go files of dir, sorted; NULL-terminated, caller frees. */
static char **go_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;

	if (!d) {
		error("cannot read '%s': %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!has_suffix(de->d_name, ".go") || has_suffix(de->d_name, "_test.go") ||
		    de->d_name[0] == '.' || de->d_name[0] == '_')
			continue;
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	v = xrealloc(v, (n + 1) * sizeof(*v));
	v[n] = NULL;
	qsort(v, n, sizeof(*v), cmp_str);
	return v;
}

static void free_list(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* Add an embedded inject/ file as GOROOT/src/<name>. */
static int add_embedded(const struct goenv *env, struct sink *sink, const char *name)
{
	const struct embedded *e = embedded_find(name);
	struct strbuf target = STRBUF_INIT;
	int ret;

	if (!e)
		return error("internal error: '%s' is not embedded", name);
	strbuf_addf(&target, "%s/src/%s", env->goroot, name);
	ret = sink->file(sink->ctx, target.buf, name, NULL, 0, (const char *)e->data, e->len);
	strbuf_release(&target);
	return ret;
}

int instrument_std(const struct goenv *env, struct rwreflect *rw, struct sink *sink)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, rel = STRBUF_INIT;
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct manifest man = { 0 };
	char **files = NULL;
	int ret = 0;

	if (!rw->trust_goroot &&
	    manifest_load(&man, env->version, env->hostos, env->hostarch) < 0) {
		ret = -1;
		goto out;
	}
	strbuf_addf(&dir, "%s/src/reflect", env->goroot);
	if (!(files = go_files(dir.buf))) {
		ret = -1;
		goto out;
	}
	for (char **f = files; *f && !ret; f++) {
		unsigned hooks;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, *f);
		strbuf_reset(&src);
		if (strbuf_read_file(&src, path.buf) < 0) {
			ret = error("cannot read '%s': %s", path.buf, strerror(errno));
			break;
		}
		strbuf_reset(&rel);
		strbuf_addf(&rel, "src/reflect/%s", *f);
		if (!rw->trust_goroot &&
		    manifest_check(&man, env->goroot, rel.buf, src.buf, src.len) < 0) {
			ret = -1;
			break;
		}
		strbuf_reset(&out);
		if (rwreflect_file(rw, *f, src.buf, src.len, &out, &hooks) < 0) {
			ret = -1;
			break;
		}
		if (!hooks)
			continue;
		strbuf_reset(&rel);
		strbuf_addf(&rel, "reflect/%s", *f);
		ret = sink->file(sink->ctx, path.buf, rel.buf, src.buf, src.len, out.buf, out.len);
	}
	if (ret)
		goto out;

	/*
	 * The logger: every reflect/ and runtime/ file of inject/ (in the
	 * table's sorted order), and the generated helpers.
	 */
	for (const struct embedded *e = embedded_files; e->name && !ret; e++)
		if (!strncmp(e->name, "reflect/goinstr_", 16) || !strncmp(e->name, "runtime/goinstr_", 16))
			ret = add_embedded(env, sink, e->name);
	if (ret)
		goto out;
	strbuf_reset(&out);
	rwreflect_support(rw, GOINSTR_VERSION, &out);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/goinstr_ops.go", dir.buf);
	ret = sink->file(sink->ctx, path.buf, "reflect/goinstr_ops.go", NULL, 0, out.buf, out.len);
out:
	free_list(files);
	manifest_release(&man);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&rel);
	strbuf_release(&src);
	strbuf_release(&out);
	return ret;
}

int instrument_key(const struct goenv *env, unsigned mask, int trust_goroot,
		   struct strbuf *key)
{
	return instrument_key_at(env, env->goroot, mask, trust_goroot, key);
}

int instrument_key_at(const struct goenv *env, const char *srcroot, unsigned mask,
		      int trust_goroot, struct strbuf *key)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, src = STRBUF_INIT;
	struct sha256 h;
	char **files;
	int ret = 0;

	const char *self = self_digest();

	sha256_init(&h);
	sha256_field(&h, GOINSTR_VERSION, strlen(GOINSTR_VERSION));
	sha256_field(&h, self, strlen(self));
	for (const struct embedded *e = embedded_files; e->name; e++) {
		const struct embedded *x;
		if (!strncmp(e->name, "manifests/", 10))
			continue; /* covered by the binary's digest */
		x = embedded_find(e->name); /* maybe overridden */
		if (!x) {
			sha256_hex(&h, key); /* frees the context */
			return -1;
		}
		sha256_field(&h, x->name, strlen(x->name));
		sha256_field(&h, x->data, x->len);
	}
	sha256_field(&h, env->goroot, strlen(env->goroot));
	sha256_field(&h, env->version, strlen(env->version));
	sha256_field(&h, &mask, sizeof(mask));
	sha256_field(&h, &trust_goroot, sizeof(trust_goroot));
	strbuf_addf(&dir, "%s/src/reflect", srcroot);
	if (!(files = go_files(dir.buf)))
		ret = -1;
	for (char **f = files; f && *f && !ret; f++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, *f);
		strbuf_reset(&src);
		if (strbuf_read_file(&src, path.buf) < 0) {
			ret = error("cannot read '%s': %s", path.buf, strerror(errno));
			break;
		}
		sha256_field(&h, *f, strlen(*f));
		sha256_field(&h, src.buf, src.len);
	}
	sha256_hex(&h, key);
	free_list(files);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&src);
	return ret;
}

void instrument_unsafe_id(const char *goroot, const char *scope, const char *mains,
			  struct strbuf *id)
{
	const char *self = self_digest();
	struct strbuf hex = STRBUF_INIT;
	struct sha256 h;

	sha256_init(&h);
	sha256_field(&h, self, strlen(self));
	sha256_field(&h, goroot, strlen(goroot));
	sha256_field(&h, scope, strlen(scope));
	sha256_field(&h, mains, strlen(mains));
	sha256_hex(&h, &hex);
	strbuf_add(id, hex.buf, 16);
	strbuf_release(&hex);
}
