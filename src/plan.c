/*
 * plan.c - plan the packages of a build (see plan.h).
 */
#include "plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goflags.h"
#include "gotypes.h"
#include "run.h"
#include "util.h"

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

int unsafe_in_scope(const char *scope, const char *mains, const char *path)
{
	int main = 0;

	if (!strcmp(scope, "all") || !strcmp(scope, "none"))
		return !strcmp(scope, "all");
	for (const char *m = mains; m && *m && !main;) {
		size_t n = strcspn(m, "\n");
		if (n && !strncmp(path, m, n) && path[n] == '/')
			main = strncmp(path + n + 1, "vendor/", 7) != 0;
		m += n + (m[n] == '\n');
	}
	return !strcmp(scope, "main") ? main : !main;
}
