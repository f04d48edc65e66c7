/*
 * inventory.c - plan the packages of a build and list their sites.
 */
#include "inventory.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "goflags.h"
#include "hash.h"
#include "run.h"
#include "rwunsafe.h"
#include "sitescache.h"
#include "util.h"

void inventory_reflect(const struct goenv *env, const struct rwreflect *rw, struct strbuf *out)
{
	static const char *const how[] = { "entry hook", "category not selected", NULL };

	for (size_t i = 0; i < rw->nops; i++) {
		const struct reflect_op *o = &rw->ops[i];
		struct strbuf file = STRBUF_INIT;
		strbuf_addf(&file, "%s/src/reflect/%s", env->goroot, o->file);
		strbuf_addstr(out, "{\"id\":");
		strbuf_addjson(out, o->name, strlen(o->name));
		strbuf_addstr(out, ",\"op\":");
		strbuf_addjson(out, o->name, strlen(o->name));
		strbuf_addf(out, ",\"category\":\"%s\",\"package\":\"reflect\",\"module\":\"std\",\"file\":",
			    cat_name(o->cat));
		strbuf_addjson(out, file.buf, file.len);
		strbuf_addf(out, ",\"line\":%u,\"col\":%u,\"expr\":", o->line, o->col);
		strbuf_addjson(out, o->name, strlen(o->name));
		strbuf_addf(out, ",\"wrapped\":%s,\"reason\":", o->status == OP_HOOKED ? "true" : "false");
		{
			const char *r = o->status == OP_EXCLUDED ? o->why : how[o->status];
			strbuf_addjson(out, r, strlen(r));
		}
		strbuf_addstr(out, "}\n");
		strbuf_release(&file);
	}
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The language version of a module's go line: go1.18 or later has generics. */
static int has_generics(const char *v)
{
	int minor = 0;
	if (!*v)
		return 1; /* no go.mod line: the toolchain's own */
	if (!strncmp(v, "1.", 2))
		minor = atoi(v + 2);
	return minor >= 18;
}

struct unsafe_ctx {
	const char *scope, *mains;
	struct strbuf *out;
};

void inventory_file_key(const char *path, const char *trim, int generics, const char *src,
			size_t len, struct strbuf *key)
{
	struct strbuf file = STRBUF_INIT;
	struct sha256 h;

	/* The sites name the file as the compile names it: that, not the
	 * compile's -trimpath value (which holds its $WORK), is what counts. */
	go_trimpath(path, trim, &file);
	sha256_init(&h);
	sha256_field(&h, "unsafe sites of a file v1", 25);
	sha256_field(&h, self_digest(), strlen(self_digest()));
	sha256_field(&h, file.buf, file.len);
	sha256_field(&h, generics ? "1" : "0", 1);
	sha256_field(&h, src, len);
	sha256_hex(&h, key);
	strbuf_release(&file);
}

static void site_lines(const struct usite *v, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		usite_json(&v[i], out);
		strbuf_addch(out, '\n');
	}
}

void inventory_remember(const struct rwunsafe *ru, size_t first, const char *path,
			const char *src, size_t len)
{
	struct strbuf key = STRBUF_INIT, lines = STRBUF_INIT;

	inventory_file_key(path, ru->trim, ru->generics, src, len, &key);
	site_lines(ru->v + first, ru->nr - first, &lines);
	sitescache_file_put(key.buf, lines.buf, lines.len);
	strbuf_release(&key);
	strbuf_release(&lines);
}

/*
 * The sites of one file as inventory lines: remembered, or found now (and
 * remembered). A file that cannot be read has none.
 */
static void file_sites(const struct plan_pkg *p, const char *path, struct strbuf *lines)
{
	struct strbuf src = STRBUF_INIT, key = STRBUF_INIT, res = STRBUF_INIT;
	struct rwunsafe ru;
	int changed;

	if (strbuf_read_file(&src, path) < 0)
		goto out;
	inventory_file_key(path, p->trim, p->generics, src.buf, src.len, &key);
	if (sitescache_file_get(key.buf, lines) == 0)
		goto out;
	rwunsafe_init(&ru, p->generics);
	ru.trim = p->trim;
	if (rwunsafe_file(&ru, path, src.buf, src.len, &res, &changed) >= 0) {
		size_t at = lines->len;
		site_lines(ru.v, ru.nr, lines);
		sitescache_file_put(key.buf, lines->buf + at, lines->len - at);
	}
	rwunsafe_release(&ru);
out:
	strbuf_release(&src);
	strbuf_release(&key);
	strbuf_release(&res);
}

static int add_package(const struct plan_pkg *p, void *vctx)
{
	struct unsafe_ctx *c = vctx;
	struct strbuf lines = STRBUF_INIT, tail = STRBUF_INIT;

	for (size_t i = 0; i < p->nfiles; i++)
		if (unsafe_in_scope(c->scope, c->mains, p->files[i]))
			file_sites(p, p->files[i], &lines);
	/* each line gets the package and the module */
	strbuf_addstr(&tail, ",\"package\":");
	strbuf_addjson(&tail, p->path, strlen(p->path));
	strbuf_addstr(&tail, ",\"module\":");
	strbuf_addjson(&tail, p->module, strlen(p->module));
	strbuf_addstr(&tail, "}\n");
	for (const char *l = lines.buf, *end = lines.buf + lines.len; l < end;) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		if (n > 1 && l[n - 1] == '}') {
			strbuf_add(c->out, l, n - 1);
			strbuf_add(c->out, tail.buf, tail.len);
		}
		l += n + 1;
	}
	strbuf_release(&lines);
	strbuf_release(&tail);
	return 0;
}

static int each_package(json_t *j, int trimpath, const char *modcache_trim,
			int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx)
{
	static const char *const lists[] = { "GoFiles", "CgoFiles", NULL };
	json_t *mod = json_object_get(j, "Module");
	struct strbuf modname = STRBUF_INIT, trim = STRBUF_INIT;
	struct plan_pkg p = { 0 };
	struct argv files = ARGV_INIT;
	int ret;

	if (json_is_true(json_object_get(j, "Standard")))
		return 0;
	if (mod) {
		strbuf_addstr(&modname, jstr(mod, "Path"));
		if (*jstr(mod, "Version"))
			strbuf_addf(&modname, "@%s", jstr(mod, "Version"));
	}
	for (const char *const *l = lists; *l; l++) {
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(j, *l), i, f)
			argv_pushf(&files, "%s/%s", jstr(j, "Dir"), json_string_value(f));
	}
	p.path = jstr(j, "ImportPath");
	p.dir = jstr(j, "Dir");
	p.module = modname.buf;
	if (trimpath)
		go_trimpath_rewrite(p.dir, p.path, mod ? jstr(mod, "Path") : "",
				    mod ? jstr(mod, "Version") : "", &trim);
	if (modcache_trim) /* after the go command's, as the compile shim adds it */
		strbuf_addf(&trim, "%s%s", trim.len ? ";" : "", modcache_trim);
	if (trim.len)
		p.trim = trim.buf;
	p.generics = has_generics(mod ? jstr(mod, "GoVersion") : "");
	p.files = (const char **)files.v;
	p.nfiles = files.nr;
	ret = fn(&p, ctx);
	argv_release(&files);
	strbuf_release(&modname);
	strbuf_release(&trim);
	return ret;
}

int plan_packages(const struct goenv *env, int argc, const char **args,
		  int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx)
{
	struct argv cmd = ARGV_INIT;
	struct strbuf list = STRBUF_INIT;
	size_t pos = 0;
	struct strbuf tp = STRBUF_INIT;
	struct goflag f;
	int st, ret = 0, fpos = 0;
	int trimpath = goflags_get(env->goflags, argc, args, "trimpath", &tp) && goflags_true(tp.buf);

	argv_push(&cmd, env->gocmd);
	argv_push(&cmd, "list");
	argv_push(&cmd, "-deps");
	argv_push(&cmd, "-json=ImportPath,Dir,GoFiles,CgoFiles,Standard,Module");
	/* The build flags and packages: what decides the build's packages
	 * and files (not where it writes, nor go test's own flags). */
	while (goflags_next(argc, args, &fpos, &f))
		if (!f.name || ((f.kind & GF_BUILD) && !(f.kind & GF_OUTPUT)))
			for (int k = 0; k < f.n; k++)
				argv_push(&cmd, args[f.index + k]);
	st = run_capture((const char *const *)cmd.v, env->childenv, &list);
	if (st) {
		ret = st < 0 ? -1 : error("'go list' failed (exit status %d)", st);
		goto out;
	}
	while (pos < list.len && !ret) {
		json_error_t jerr;
		json_t *j = json_loadb(list.buf + pos, list.len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		if (!j) {
			while (pos < list.len && strchr(" \t\r\n", list.buf[pos]))
				pos++;
			if (pos < list.len)
				ret = error("cannot parse 'go list' output: %s", jerr.text);
			break;
		}
		pos += jerr.position;
		ret = each_package(j, trimpath, env->modcache_trim, fn, ctx);
		json_decref(j);
	}
out:
	argv_release(&cmd);
	strbuf_release(&list);
	strbuf_release(&tp);
	return ret;
}

int inventory_unsafe(const struct goenv *env, const char *scope, const char *mains,
		     int argc, const char **args, struct strbuf *out)
{
	struct unsafe_ctx c = { scope, mains, out };

	if (!strcmp(scope, "none"))
		return 0;
	return plan_packages(env, argc, args, add_package, &c);
}
