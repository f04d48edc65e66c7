/*
 * cmd_info.c - env and ops: what goinstr would instrument, and how.
 */
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

/* Load the toolchain and rewrite its reflect in memory (nothing written). */
static int dry_run(int argc, const char **argv, struct goenv *env,
		   struct rwreflect *rw, int *supported)
{
	struct instr_opts o;
	struct sink sink = { null_sink, NULL };
	int n;

	instr_opts_init(&o);
	if ((n = instr_opts_parse(instr_common_options, &o, argc, argv)) < 0)
		return -1;
	if (n != argc)
		return error("unexpected argument '%s' (see 'goinstr help %s')", argv[n], argv[0]);
	rwreflect_init(rw, o.ops);
	rw->trust_goroot = o.trust_goroot;
	if (goenv_load(env) < 0)
		return -1;
	*supported = goenv_check_supported(env) == 0;
	if (!*supported)
		return 0;
	return instrument_std(env, rw, &sink);
}

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

int cmd_env(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct rwreflect rw;
	struct strbuf sb = STRBUF_INIT;
	int supported = 0, ret = EXIT_USAGE;
	const char *lp = getenv("INSTRUMENTATION_LOG_PATH");

	memset(&rw, 0, sizeof(rw));
	if (dry_run(argc, argv, &env, &rw, &supported) < 0)
		goto out;
	print_var("GOINSTR_VERSION", GOINSTR_VERSION);
	print_var("GOROOT", env.goroot);
	print_var("GOVERSION", env.version);
	print_var("GOOS", env.goos);
	print_var("GOARCH", env.goarch);
	print_var("GOINSTR_SUPPORTED", supported ? "true" : "false");
	strbuf_reset(&sb);
	goenv_supported_releases(&sb);
	print_var("GOINSTR_SUPPORTED_RELEASES", sb.buf);
	print_var("GOINSTR_TARGET_LOGS", goenv_target_logs(&env, 1) ? "true" : "false");
	strbuf_reset(&sb);
	cats_format(rw.mask, &sb);
	print_var("GOINSTR_OPS", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%u", rw.nhooks);
	print_var("GOINSTR_HOOKS", sb.buf);
	print_var("INSTRUMENTATION_LOG_PATH", lp ? lp : "");
	ret = supported ? 0 : EXIT_USAGE;
out:
	strbuf_release(&sb);
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
	if (dry_run(argc, argv, &env, &rw, &supported) < 0 || !supported)
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
