/*
 * cmd_info.c - env and ops: what goinstr would instrument, and how.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "instrument.h"
#include "util.h"
#include "version.h"

static int null_sink(void *ctx, const char *target, const char *rel,
		     const char *orig, size_t olen, const char *data, size_t len)
{
	(void)ctx, (void)target, (void)rel, (void)orig, (void)olen, (void)data, (void)len;
	return 0;
}

/*
 * Parse goinstr's options, load the toolchain and rewrite its reflect in
 * memory (nothing written). With rest, arguments may follow goinstr's
 * options (go env's: -json, NAMEs): *rest is where they start.
 */
static int dry_run(int *argc, const char **argv, struct goenv *env,
		   struct rwreflect *rw, int *supported, int *rest)
{
	struct instr_opts o;
	struct sink sink = { null_sink, NULL };
	int n;

	instr_opts_init(&o);
	if ((n = instr_opts_parse(instr_common_options, &o, argc, argv, rest != NULL)) < 0)
		return -1;
	if (rest)
		*rest = n;
	rwreflect_init(rw, o.ops);
	rw->trust_goroot = o.trust_goroot;
	if (goenv_load(env) < 0)
		return -1;
	*supported = goenv_check_supported(env) == 0;
	if (!*supported)
		return 0;
	return instrument_std(env, rw, &sink);
}

/* 'name=value', quoted for the shell (go env's form on Unix). */
static void print_var(const char *k, const char *v)
{
	printf("%s=", k);
	putchar('\'');
	for (const char *p = v; *p; p++)
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	puts("'");
}

/*
 * Print vars (name, value, name, value, ... NULL) as go env does: all
 * as NAME='VALUE'; with names, each one's value on a line of its own
 * (an unknown one: an empty line); with -json, a JSON object of them.
 */
static void print_env(const char *const *vars, const struct argv *names, int json)
{
	json_t *obj = json ? json_object() : NULL;

	for (const char *const *v = vars; *v; v += 2) {
		int want = !names->nr;
		for (size_t i = 0; i < names->nr; i++)
			want |= !strcmp(names->v[i], v[0]);
		if (want && json)
			json_object_set_new(obj, v[0], json_string(v[1]));
		else if (want && !names->nr)
			print_var(v[0], v[1]);
	}
	for (size_t i = 0; !json && i < names->nr; i++) {
		const char *const *v = vars;
		while (*v && strcmp(v[0], names->v[i]))
			v += 2;
		puts(*v ? v[1] : "");
	}
	if (json) {
		char *s = json_dumps(obj, JSON_INDENT(1) | JSON_SORT_KEYS);
		puts(s ? s : "{}");
		free(s);
		json_decref(obj);
	}
}

/* go env's own arguments, argv[i..argc): -json and NAMEs. */
static int env_args(int i, int argc, const char **argv, int *json, struct argv *names)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-json") || !strcmp(argv[i], "--json"))
			*json = 1;
		else if (argv[i][0] == '-')
			return error("unknown option '%s' (see 'goinstr help env')", argv[i]);
		else
			argv_push(names, argv[i]);
	}
	return 0;
}

int cmd_env(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct rwreflect rw;
	struct strbuf ops = STRBUF_INIT, rels = STRBUF_INIT, hooks = STRBUF_INIT;
	struct argv names = ARGV_INIT;
	int supported = 0, ret = EXIT_USAGE, json = 0, rest = -1;
	const char *lp = getenv("INSTRUMENTATION_LOG_PATH");

	memset(&rw, 0, sizeof(rw));
	if (dry_run(&argc, argv, &env, &rw, &supported, &rest) < 0 ||
	    env_args(rest, argc, argv, &json, &names) < 0)
		goto out;
	goenv_supported_releases(&rels);
	cats_format(rw.mask, &ops);
	strbuf_addf(&hooks, "%u", rw.nhooks);
	{
		const char *const vars[] = {
			"GOINSTR_VERSION", GOINSTR_VERSION,
			"GOROOT", env.goroot,
			"GOVERSION", env.version,
			"GOOS", env.goos,
			"GOARCH", env.goarch,
			"GOINSTR_SUPPORTED", supported ? "true" : "false",
			"GOINSTR_SUPPORTED_RELEASES", rels.buf,
			"GOINSTR_TARGET_LOGS", goenv_target_logs(&env, 1) ? "true" : "false",
			"GOINSTR_OPS", ops.buf,
			"GOINSTR_HOOKS", hooks.buf,
			"INSTRUMENTATION_LOG_PATH", lp ? lp : "",
			NULL,
		};
		print_env(vars, &names, json);
	}
	ret = supported ? 0 : EXIT_USAGE;
out:
	strbuf_release(&ops);
	strbuf_release(&rels);
	strbuf_release(&hooks);
	argv_release(&names);
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}

int cmd_ops(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct rwreflect rw;
	int supported = 0, ret = EXIT_USAGE;
	static const char *const status[] = { "hooked", "not-selected", "left-out" };

	memset(&rw, 0, sizeof(rw));
	if (dry_run(&argc, argv, &env, &rw, &supported, NULL) < 0 || !supported)
		goto out;
	printf("%-36s %-10s %-13s %s\n", "OP", "CATEGORY", "STATUS", "WHERE / WHY");
	for (size_t i = 0; i < rw.nops; i++) {
		const struct reflect_op *o = &rw.ops[i];
		printf("%-36s %-10s %-13s reflect/%s:%u", o->name, cat_name(o->cat),
		       status[o->status], o->file, o->line);
		if (o->why)
			printf(" (%s)", o->why);
		putchar('\n');
	}
	ret = 0;
out:
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}
