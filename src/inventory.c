/*
 * inventory.c - list the sites of a build (see inventory.h).
 */
#include "inventory.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
