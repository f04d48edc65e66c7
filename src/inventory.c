/*
 * inventory.c - plan the packages of a build and list their sites.
 */
#include "inventory.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rwunsafe.h"
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

static void add_package(json_t *p, const char *scope, const char *mains, struct strbuf *out)
{
	static const char *const lists[] = { "GoFiles", "CgoFiles", NULL };
	json_t *mod = json_object_get(p, "Module");
	struct strbuf modname = STRBUF_INIT;
	struct rwunsafe ru;
	const char *dir = jstr(p, "Dir");

	if (json_is_true(json_object_get(p, "Standard")))
		return;
	if (mod) {
		strbuf_addstr(&modname, jstr(mod, "Path"));
		if (*jstr(mod, "Version"))
			strbuf_addf(&modname, "@%s", jstr(mod, "Version"));
	}
	rwunsafe_init(&ru, has_generics(mod ? jstr(mod, "GoVersion") : ""));
	for (const char *const *l = lists; *l; l++) {
		json_t *files = json_object_get(p, *l);
		size_t i;
		json_t *f;
		json_array_foreach(files, i, f) {
			struct strbuf path = STRBUF_INIT, src = STRBUF_INIT, res = STRBUF_INIT;
			int changed;
			strbuf_addf(&path, "%s/%s", dir, json_string_value(f));
			if (unsafe_in_scope(scope, mains, path.buf) &&
			    strbuf_read_file(&src, path.buf) == 0)
				rwunsafe_file(&ru, path.buf, src.buf, src.len, &res, &changed);
			strbuf_release(&path);
			strbuf_release(&src);
			strbuf_release(&res);
		}
	}
	for (size_t i = 0; i < ru.nr; i++) {
		struct strbuf line = STRBUF_INIT;
		usite_json(&ru.v[i], &line);
		/* splice package and module in after the id */
		strbuf_setlen(&line, line.len - 1);
		strbuf_addstr(&line, ",\"package\":");
		strbuf_addjson(&line, jstr(p, "ImportPath"), strlen(jstr(p, "ImportPath")));
		strbuf_addstr(&line, ",\"module\":");
		strbuf_addjson(&line, modname.buf, modname.len);
		strbuf_addstr(&line, "}\n");
		strbuf_add(out, line.buf, line.len);
		strbuf_release(&line);
	}
	rwunsafe_release(&ru);
	strbuf_release(&modname);
}

int inventory_unsafe(const struct goenv *env, const char *scope, const char *mains,
		     int argc, const char **args, struct strbuf *out)
{
	struct argv cmd = ARGV_INIT;
	struct strbuf list = STRBUF_INIT;
	size_t pos = 0;
	int st, ret = 0;

	if (!strcmp(scope, "none"))
		return 0;
	argv_push(&cmd, env->gocmd);
	argv_push(&cmd, "list");
	argv_push(&cmd, "-deps");
	argv_push(&cmd, "-json=ImportPath,Dir,GoFiles,CgoFiles,Standard,Module");
	for (int i = 0; i < argc; i++) {
		const char *a = args[i];
		if (!strcmp(a, "-o") || !strcmp(a, "--o")) {
			i++; /* and its value */
			continue;
		}
		if (!strncmp(a, "-o=", 3) || !strncmp(a, "--o=", 4) || !strcmp(a, "-x") ||
		    !strcmp(a, "-n") || !strcmp(a, "-v") || !strcmp(a, "-work"))
			continue;
		argv_push(&cmd, a);
	}
	st = run_capture((const char *const *)cmd.v, &list);
	if (st) {
		ret = st < 0 ? -1 : error("'go list' failed (exit status %d)", st);
		goto out;
	}
	while (pos < list.len) {
		json_error_t jerr;
		json_t *p = json_loadb(list.buf + pos, list.len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		if (!p) {
			while (pos < list.len && strchr(" \t\r\n", list.buf[pos]))
				pos++;
			if (pos < list.len)
				ret = error("cannot parse 'go list' output: %s", jerr.text);
			break;
		}
		pos += jerr.position;
		add_package(p, scope, mains, out);
		json_decref(p);
	}
out:
	argv_release(&cmd);
	strbuf_release(&list);
	return ret;
}
