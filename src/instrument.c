/*
 * instrument.c - the standard library's part of the plan and rewrite.
 */
#include "instrument.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "hash.h"
#include "manifest.h"
#include "tree.h"
#include "util.h"
#include "version.h"

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The non-test .go files of dir, sorted, appended to out. 0 or -1 (reported). */
static int go_files(const char *dir, struct argv *out)
{
	struct argv all = ARGV_INIT;

	if (tree_list(dir, &all) < 0)
		return error("cannot read '%s': %s", dir, strerror(errno));
	for (size_t i = 0; i < all.nr; i++) {
		const char *name = all.v[i];
		if (has_suffix(name, ".go") && !has_suffix(name, "_test.go") &&
		    name[0] != '.' && name[0] != '_')
			argv_push(out, name);
	}
	argv_release(&all);
	return 0;
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

/*
 * Call fn(ctx, name, path, src) for each non-test .go file of
 * root/src/reflect, sorted, with its contents; stop at the first nonzero
 * return, which is returned. -1 (reported) if a file cannot be read.
 */
static int each_reflect_source(const char *root,
			       int (*fn)(void *ctx, const char *name, const char *path,
					 const struct strbuf *src),
			       void *ctx)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, src = STRBUF_INIT;
	struct argv files = ARGV_INIT;
	int ret = 0;

	strbuf_addf(&dir, "%s/src/reflect", root);
	ret = go_files(dir.buf, &files);
	for (char **f = files.v; f && *f && !ret; f++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, *f);
		strbuf_reset(&src);
		if (strbuf_read_file(&src, path.buf) < 0)
			ret = error("cannot read '%s': %s", path.buf, strerror(errno));
		else
			ret = fn(ctx, *f, path.buf, &src);
	}
	argv_release(&files);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&src);
	return ret;
}

struct std_ctx {
	const struct goenv *env;
	struct rwreflect *rw;
	struct sink *sink;
	struct manifest man;
};

/* Check one reflect source against the manifest, rewrite it, hand it on. */
static int std_file(void *vctx, const char *name, const char *path, const struct strbuf *src)
{
	struct std_ctx *c = vctx;
	struct strbuf rel = STRBUF_INIT, out = STRBUF_INIT;
	unsigned hooks;
	int ret = 0;

	strbuf_addf(&rel, "src/reflect/%s", name);
	if (!c->rw->trust_goroot &&
	    manifest_check(&c->man, c->env->goroot, rel.buf, src->buf, src->len) < 0)
		ret = -1;
	else if (rwreflect_file(c->rw, name, src->buf, src->len, &out, &hooks) < 0)
		ret = -1;
	else if (hooks)
		ret = c->sink->file(c->sink->ctx, path, rel.buf + 4, src->buf, src->len, out.buf,
				    out.len);
	strbuf_release(&rel);
	strbuf_release(&out);
	return ret;
}

int instrument_std(const struct goenv *env, struct rwreflect *rw, struct sink *sink)
{
	struct strbuf path = STRBUF_INIT, out = STRBUF_INIT;
	struct std_ctx c = { env, rw, sink, { 0 } };
	int ret = 0;

	if ((!rw->trust_goroot &&
	     manifest_load(&c.man, env->version, env->hostos, env->hostarch) < 0) ||
	    each_reflect_source(env->goroot, std_file, &c) != 0) {
		ret = -1;
		goto out;
	}

	/*
	 * The logger: every reflect/ and runtime/ file of inject/ (in the
	 * table's sorted order), and the generated helpers.
	 */
	for (const struct embedded *e = embedded_files; e->name && !ret; e++)
		if (!strncmp(e->name, "reflect/goinstr_", 16) || !strncmp(e->name, "runtime/goinstr_", 16))
			ret = add_embedded(env, sink, e->name);
	if (ret)
		goto out;
	rwreflect_support(rw, GOINSTR_VERSION, &out);
	strbuf_addf(&path, "%s/src/reflect/goinstr_ops.go", env->goroot);
	ret = sink->file(sink->ctx, path.buf, "reflect/goinstr_ops.go", NULL, 0, out.buf, out.len);
out:
	manifest_release(&c.man);
	strbuf_release(&path);
	strbuf_release(&out);
	return ret;
}

int instrument_key(const struct goenv *env, unsigned mask, int trust_goroot,
		   struct strbuf *key)
{
	return instrument_key_at(env, env->goroot, mask, trust_goroot, key);
}

/* Hash one reflect source's name and contents into the key. */
static int key_file(void *ctx, const char *name, const char *path, const struct strbuf *src)
{
	(void)path;
	sha256_field(ctx, name, strlen(name));
	sha256_field(ctx, src->buf, src->len);
	return 0;
}

int instrument_key_at(const struct goenv *env, const char *srcroot, unsigned mask,
		      int trust_goroot, struct strbuf *key)
{
	struct sha256 h;
	int ret;

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
	ret = each_reflect_source(srcroot, key_file, &h);
	sha256_hex(&h, key);
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
