/*
 * inventory.c - plan the packages of a build and list their sites.
 */
#include "inventory.h"

#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "goflags.h"
#include "hash.h"
#include "run.h"
#include "gotypes.h"
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

/* A module's go line as the compile's -lang: "1.21.3" -> "go1.21". */
static void lang_of(const char *v, struct strbuf *out)
{
	size_t n;

	if (!*v)
		return; /* no go.mod line: the toolchain's own */
	n = strcspn(v, ".");
	if (v[n] == '.')
		n += 1 + strcspn(v + n + 1, ".");
	strbuf_addf(out, "go%.*s", (int)n, v);
}

/*
 * The helper's files of a package as its compile has them: its own
 * ("r=", in scope) and cgo's outputs (the ones holding its code "r=",
 * cgo's glue "c="). Returns how many are "r=".
 */
static size_t package_files(json_t *j, const char *scope, const char *mains, struct argv *out)
{
	const char *dir = jstr(j, "Dir");
	struct strbuf abs = STRBUF_INIT, orig = STRBUF_INIT;
	size_t i, nr = 0;
	json_t *f;

	json_array_foreach(json_object_get(j, "CompiledGoFiles"), i, f) {
		const char *name = json_string_value(f);
		int r;
		if (!name)
			continue;
		strbuf_reset(&abs);
		strbuf_reset(&orig);
		if (name[0] != '/')
			strbuf_addf(&abs, "%s/", dir);
		strbuf_addstr(&abs, name);
		if (path_beneath(abs.buf, dir))
			strbuf_addstr(&orig, abs.buf);
		else if (gotypes_directive_file(abs.buf, &orig) < 0 || !path_beneath(orig.buf, dir))
			strbuf_reset(&orig);
		r = orig.len && !strchr(abs.buf, '\n') && unsafe_in_scope(scope, mains, orig.buf);
		argv_pushf(out, "%c=%s", r ? 'r' : 'c', abs.buf);
		nr += r;
	}
	strbuf_release(&abs);
	strbuf_release(&orig);
	return nr;
}

/* The import configuration of j's imports, from every package's export data. */
static void package_importcfg(json_t *j, json_t *exports, struct strbuf *out)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach(json_object_get(j, "ImportMap"), k, v)
		strbuf_addf(out, "importmap %s=%s\n", k, json_string_value(v));
	json_array_foreach(json_object_get(j, "Imports"), i, v) {
		const char *exp = json_string_value(json_object_get(exports, json_string_value(v)));
		if (exp && *exp)
			strbuf_addf(out, "packagefile %s=%s\n", json_string_value(v), exp);
	}
}

static int each_package(json_t *j, json_t *exports, int trimpath, const char *modcache_trim,
			const char *scope, const char *mains,
			int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx)
{
	json_t *mod = json_object_get(j, "Module");
	struct strbuf modname = STRBUF_INIT, trim = STRBUF_INIT, aid = STRBUF_INIT;
	struct strbuf lang = STRBUF_INIT, cfg = STRBUF_INIT;
	struct plan_pkg p;
	int ret = 0;

	memset(&p, 0, sizeof(p));
	if (json_is_true(json_object_get(j, "Standard")))
		return 0;
	if (!package_files(j, scope, mains, &p.files))
		goto out; /* nothing in scope */
	if (mod) {
		strbuf_addstr(&modname, jstr(mod, "Path"));
		if (*jstr(mod, "Version"))
			strbuf_addf(&modname, "@%s", jstr(mod, "Version"));
		lang_of(jstr(mod, "GoVersion"), &lang);
	}
	strbuf_add(&aid, jstr(j, "BuildID"), strcspn(jstr(j, "BuildID"), "/"));
	p.path = jstr(j, "ImportPath");
	p.dir = jstr(j, "Dir");
	p.module = modname.buf;
	p.aid = aid.buf;
	p.lang = lang.len ? lang.buf : NULL;
	if (trimpath)
		go_trimpath_rewrite(p.dir, p.path, mod ? jstr(mod, "Path") : "",
				    mod ? jstr(mod, "Version") : "", &trim);
	if (modcache_trim) /* after the go command's, as the compile shim adds it */
		strbuf_addf(&trim, "%s%s", trim.len ? ";" : "", modcache_trim);
	if (trim.len)
		p.trim = trim.buf;
	package_importcfg(j, exports, &cfg);
	p.importcfg = cfg.buf;
	ret = fn(&p, ctx);
out:
	argv_release(&p.files);
	strbuf_release(&modname);
	strbuf_release(&trim);
	strbuf_release(&aid);
	strbuf_release(&lang);
	strbuf_release(&cfg);
	return ret;
}

/* Parse go list's stream of JSON objects into an array. 0 or -1 (reported). */
static int parse_list(const struct strbuf *list, json_t *all)
{
	size_t pos = 0;

	while (pos < list->len) {
		json_error_t jerr;
		json_t *j = json_loadb(list->buf + pos, list->len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		if (!j) {
			while (pos < list->len && strchr(" \t\r\n", list->buf[pos]))
				pos++;
			if (pos < list->len)
				return error("cannot parse 'go list' output: %s", jerr.text);
			break;
		}
		pos += jerr.position;
		json_array_append_new(all, j);
	}
	return 0;
}

int plan_packages(const struct goenv *env, const struct argv *flags, int test, int argc,
		  const char **args, const char *scope, const char *mains,
		  int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx)
{
	struct argv cmd = ARGV_INIT;
	struct strbuf list = STRBUF_INIT, tp = STRBUF_INIT, errs = STRBUF_INIT;
	struct goflag f;
	json_t *all = json_array(), *exports = json_object(), *j;
	int st, ret = 0, fpos = 0;
	int trimpath = goflags_get(env->goflags, argc, args, "trimpath", &tp) && goflags_true(tp.buf);
	size_t i;

	argv_push(&cmd, env->gocmd);
	argv_push(&cmd, "list");
	argv_push(&cmd, "-deps");
	argv_push(&cmd, "-export");
	argv_push(&cmd, "-compiled");
	if (test)
		argv_push(&cmd, "-test");
	argv_push(&cmd, "-json=ImportPath,Dir,Module,Standard,BuildID,Export,CompiledGoFiles,"
		  "Imports,ImportMap");
	for (size_t k = 0; flags && k < flags->nr; k++)
		argv_push(&cmd, flags->v[k]);
	/* The build flags and packages: what decides the build's packages
	 * and files (not where it writes, nor go test's own flags). */
	while (goflags_next(argc, args, &fpos, &f))
		if (!f.name || ((f.kind & GF_BUILD) && !(f.kind & GF_OUTPUT)))
			for (int k = 0; k < f.n; k++)
				argv_push(&cmd, args[f.index + k]);
	{
		/* Its standard error held: go list -export replays the
		 * compiles' diagnostics (-gcflags=-m...), which the build
		 * printed already; shown only if it fails. */
		struct child c = CHILD_INIT;
		c.argv = (const char *const *)cmd.v;
		c.env = env->childenv;
		c.in = CHILD_NULL;
		c.out = CHILD_CAPTURE, c.out_buf = &list;
		c.err = CHILD_CAPTURE, c.err_buf = &errs;
		st = run_child(&c);
	}
	if (st) {
		fwrite(errs.buf, 1, errs.len, stderr);
		ret = st < 0 ? -1 : error("'go list' failed (exit status %d)", st);
		goto out;
	}
	if ((ret = parse_list(&list, all)))
		goto out;
	json_array_foreach(all, i, j)
		json_object_set(exports, jstr(j, "ImportPath"), json_object_get(j, "Export"));
	json_array_foreach(all, i, j) {
		if ((ret = each_package(j, exports, trimpath, env->modcache_trim, scope, mains, fn, ctx)))
			break;
	}
out:
	json_decref(all);
	json_decref(exports);
	argv_release(&cmd);
	strbuf_release(&list);
	strbuf_release(&tp);
	strbuf_release(&errs);
	return ret;
}

int plan_helper(const struct plan_pkg *p, const char *helper, int list, struct strbuf *out)
{
	struct strbuf dir = STRBUF_INIT, cfg = STRBUF_INIT;
	int st = -1;

	if (workdir_create(&dir) < 0)
		return -1;
	strbuf_addf(&cfg, "%s/importcfg", dir.buf);
	if (write_file(cfg.buf, p->importcfg, strlen(p->importcfg), 0600) == 0)
		st = gotypes_run(helper, cfg.buf, p->lang, &p->files, list, out);
	remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&cfg);
	return st;
}

struct unsafe_ctx {
	const char *helper;
	struct strbuf *out;
};

/* A package's inventory lines when its compile left none: found again. */
static int sites_again(const struct plan_pkg *p, const char *helper, struct strbuf *lines)
{
	struct strbuf out = STRBUF_INIT;
	struct rwunsafe ru;
	int ret = -1;

	rwunsafe_init(&ru);
	ru.trim = p->trim;
	if (helper && plan_helper(p, helper, 1, &out) == 0 &&
	    rwunsafe_load(&ru, out.buf, out.len) == 0) {
		if (ru.error)
			rwunsafe_blind_package(&ru, p->path, "it does not type-check with go/types");
		for (size_t i = 0; i < ru.nr; i++) {
			usite_json(&ru.v[i], lines);
			strbuf_addch(lines, '\n');
		}
		ret = 0;
	}
	rwunsafe_release(&ru);
	strbuf_release(&out);
	return ret ? error("cannot list the sites of '%s'", p->path) : 0;
}

static int add_package(const struct plan_pkg *p, void *vctx)
{
	struct unsafe_ctx *c = vctx;
	struct strbuf lines = STRBUF_INIT, tail = STRBUF_INIT;
	int ret = 0;

	if (!*p->aid || sitescache_pkg_get(p->aid, &lines) < 0)
		ret = sites_again(p, c->helper, &lines);
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
	return ret;
}

int inventory_unsafe(const struct goenv *env, const struct argv *flags, int test,
		     const char *helper, const char *scope, const char *mains, int argc,
		     const char **args, struct strbuf *out)
{
	struct unsafe_ctx c = { helper, out };

	if (!strcmp(scope, "none"))
		return 0;
	return plan_packages(env, flags, test, argc, args, scope, mains, add_package, &c);
}

/* A package's blind spots (its records in ru) as one warning line. */
static void blind_line(const char *pkg, struct rwunsafe *ru, struct strbuf *out)
{
	const struct usite *s = &ru->v[0];

	strbuf_addf(out, "%s: ", pkg);
	rwunsafe_blind(ru, out);
	if (strcmp(s->op, "package"))
		strbuf_addf(out, " (first at %s:%u)", s->file, s->line);
	strbuf_addch(out, '\n');
}

size_t inventory_blind(const char *inv, size_t len, struct strbuf *out)
{
	struct strbuf pkg = STRBUF_INIT;
	struct rwunsafe ru;
	size_t npkg = 0;
	const char *l = inv, *end = inv + len;

	rwunsafe_init(&ru);
	for (;;) {
		const char *nl = l < end ? memchr(l, '\n', (size_t)(end - l)) : NULL;
		size_t k = nl ? (size_t)(nl - l) : (size_t)(end - l);
		json_t *j = k && memmem(l, k, "\"blind\":true", 12) ? json_loadb(l, k, 0, NULL) : NULL;
		const char *p = j ? jstr(j, "package") : NULL;
		/* a package's records are together */
		if (ru.nr && (l >= end || (p && strcmp(p, pkg.buf)))) {
			blind_line(pkg.buf, &ru, out);
			rwunsafe_release(&ru);
			rwunsafe_init(&ru);
			npkg++;
		}
		if (p) {
			struct usite *s;
			strbuf_reset(&pkg);
			strbuf_addstr(&pkg, p);
			ru.v = xrealloc(ru.v, (ru.nr + 1) * sizeof(*ru.v));
			s = memset(&ru.v[ru.nr++], 0, sizeof(*ru.v));
			s->op = xstrdup(jstr(j, "op"));
			s->file = xstrdup(jstr(j, "file"));
			s->expr = xstrdup("");
			s->why = xstrdup(jstr(j, "reason"));
			s->line = (unsigned)json_integer_value(json_object_get(j, "line"));
			s->blind = 1;
		}
		json_decref(j);
		if (l >= end)
			break;
		l += k + 1;
	}
	rwunsafe_release(&ru);
	strbuf_release(&pkg);
	return npkg;
}
