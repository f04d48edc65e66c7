/*
 * commands.c - the command table, and the two commands that read it:
 * help and version.
 */
#include "commands.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cmddocs.h"
#include "cmds.h"
#include "goenv.h"
#include "goflags.h"
#include "util.h"
#include "version.h"

/* In a help text (docs/commands.md): the supported releases, as goenv.c
 * states them ("go1.26.x and go1.27.x"; cmd_usage fills them in). */
#define SUPPORTED "@SUPPORTED@"

/* goinstr manifest's subcommands (cmd_manifest.c). */
static const struct cmd manifest_cmds[] = {
	{ "list", cmd_manifest_list, &cmd_doc_manifest_list, NULL, 0, NULL },
	{ "add", cmd_manifest_add, &cmd_doc_manifest_add, manifest_add_options, 0, NULL },
	{ "pack", cmd_manifest_pack, &cmd_doc_manifest_pack, NULL, 0, NULL },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct cmd commands[] = {
	{ "build", cmd_build, &cmd_doc_build, instr_options, 1, NULL },
	{ "install", cmd_install, &cmd_doc_install, instr_options, 1, NULL },
	{ "run", cmd_run, &cmd_doc_run, instr_options, 1, NULL },
	{ "test", cmd_test, &cmd_doc_test, instr_options, 1, NULL },
	{ "env", cmd_env, &cmd_doc_env, instr_common_options, 0, NULL },
	{ "diff", cmd_diff, &cmd_doc_diff, instr_common_options, 1, NULL },
	{ "sites", cmd_sites, &cmd_doc_sites, sites_options, 1, NULL },
	{ "ops", cmd_ops, &cmd_doc_ops, instr_common_options, 0, NULL },
	{ "toolchain", cmd_toolchain, &cmd_doc_toolchain, toolchain_options, 0, NULL },
	{ "verify", cmd_verify, &cmd_doc_verify, NULL, 0, NULL },
	{ "manifest", NULL, &cmd_doc_manifest, NULL, 0, manifest_cmds },
	{ "check-log-path", cmd_checklog, &cmd_doc_check_log_path, checklog_options, 0, NULL },
	{ "report", cmd_report, &cmd_doc_report, report_options, 0, NULL },
	{ "selftest", cmd_selftest, &cmd_doc_selftest, selftest_options, 0, NULL },
	{ "version", cmd_version, &cmd_doc_version, NULL, 0, NULL },
	{ "help", cmd_help, &cmd_doc_help, NULL, 0, NULL },
	/* internal (unlisted): see their sections of docs/commands.md */
	{ "toolexec", cmd_toolexec, &cmd_doc_toolexec, NULL, 0, NULL },
	{ "selftest-exec", cmd_selftest_exec, &cmd_doc_selftest_exec, NULL, 0, NULL },
	{ "isolate", cmd_isolate, &cmd_doc_isolate, NULL, 0, NULL },
	{ "isolate-exec", cmd_isolate_exec, &cmd_doc_isolate_exec, NULL, 0, NULL },
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

/* The command named name in table t (n rows, or up to a NULL name). */
static const struct cmd *find(const struct cmd *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n && t[i].name; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

/* "manifest add" or "build": the command, or NULL. */
static const struct cmd *find_path(const char *name)
{
	size_t n = strcspn(name, " ");
	char *first = xstrndup(name, n);
	const struct cmd *c = find(commands, NCOMMANDS, first);

	free(first);
	if (c && name[n])
		c = c->subs ? find(c->subs, SIZE_MAX, name + n + 1) : NULL;
	return c;
}

static int is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "-help") || !strcmp(a, "--help");
}

/*
 * Whether argv asks command c for help: -h, -help or --help where its
 * options are read. Before "--"; for a command the go command's flags
 * follow, before its first package (go run's program may take -h).
 * Internal commands (a tool's command line follows): only first.
 */
static int wants_help(const struct cmd *c, int argc, const char **argv)
{
	int pos = 1;

	if (!c->doc->summary)
		return argc > 1 && is_help(argv[1]);
	while (pos < argc && strcmp(argv[pos], "--")) {
		const char *a = argv[pos];
		struct goflag f;

		if (is_help(a))
			return 1;
		if (!c->go_flags_follow) {
			pos++;
			continue;
		}
		if (a[0] != '-' || !a[1])
			return 0; /* a package */
		goflags_next(argc, argv, &pos, &f); /* a flag and its value */
	}
	return 0;
}

int cmd_dispatch(int argc, const char **argv)
{
	static char subname[64];
	const struct cmd *c, *sub;
	const char *name = argv[1];

	if (argc < 2) {
		cmd_help(1, (const char *[]){ "help", NULL });
		return EXIT_USAGE;
	}
	if (!strcmp(name, "-C") || !strcmp(name, "--C")) {
		/* goinstr -C DIR CMD, as go -C DIR CMD */
		if (argc < 4)
			return cmd_usage_error("help");
		if (chdir(argv[2]) < 0) {
			error("-C %s: %s", argv[2], strerror(errno));
			return EXIT_USAGE;
		}
		argc -= 2, argv += 2;
		name = argv[1];
	}
	if (is_help(name))
		name = "help";
	if (!strcmp(name, "--version"))
		name = "version";
	if (!(c = find(commands, NCOMMANDS, name))) {
		error("unknown command '%s' (see 'goinstr help')", name);
		return EXIT_USAGE;
	}
	argc--, argv++;
	if (c->subs && argc > 1 && (sub = find(c->subs, SIZE_MAX, argv[1]))) {
		/* messages name "manifest add" (opts.h names argv[0]) */
		snprintf(subname, sizeof(subname), "%s %s", c->name, sub->name);
		c = sub;
		argc--, argv++;
		argv[0] = subname;
	}
	if (wants_help(c, argc, argv)) {
		cmd_usage(c, stdout);
		return 0;
	}
	if (!c->fn) { /* a command of subcommands, none named */
		if (argc > 1)
			error("unknown subcommand '%s %s' (see 'goinstr help %s')", c->name, argv[1],
			      c->name);
		else
			error("'%s' needs a subcommand (see 'goinstr help %s')", c->name, c->name);
		return EXIT_USAGE;
	}
	return c->fn(argc, argv);
}

/* A usage text, with each SUPPORTED filled in. */
static void put_usage(const char *u, FILE *fp)
{
	struct strbuf series = STRBUF_INIT;

	for (const char *at; (at = strstr(u, SUPPORTED)); u = at + strlen(SUPPORTED)) {
		if (!series.len)
			goenv_supported_series(&series);
		fwrite(u, 1, (size_t)(at - u), fp);
		fputs(series.buf, fp);
	}
	fputs(u, fp);
	strbuf_release(&series);
}

void cmd_usage(const struct cmd *c, FILE *fp)
{
	put_usage(c->doc->usage, fp);
	if (c->opts) {
		fputs("\noptions:\n", fp);
		opts_usage(c->opts, fp);
	}
	if (c->go_flags_follow)
		fputs("\ngoinstr's options go before the packages, among the go command's flags\n"
		      "if you like; the go command's flags and packages pass to it unchanged\n"
		      "(-C DIR too: goinstr works in DIR, as go does).\n", fp);
}

int cmd_usage_error(const char *name)
{
	const struct cmd *c = find_path(name);
	const char *u = c ? c->doc->usage : "";

	error("%.*s (see 'goinstr help %s')", (int)strcspn(u, "\n"), u, name);
	return EXIT_USAGE;
}

int cmd_help(int argc, const char **argv)
{
	const struct cmd *c;
	struct strbuf names = STRBUF_INIT;

	if (argc > 3)
		return cmd_usage_error("help");
	if (argc >= 2) {
		const char *sub = argc == 3 ? argv[2] : NULL;
		if (!(c = find(commands, NCOMMANDS, argv[1])) ||
		    (sub && !(c = c->subs ? find(c->subs, SIZE_MAX, sub) : NULL))) {
			error("no help for '%s%s%s': unknown command", argv[1], sub ? " " : "",
			      sub ? sub : "");
			return EXIT_USAGE;
		}
		cmd_usage(c, stdout);
		return 0;
	}
	printf("goinstr: %s\n\n%s\ncommands:\n", cmd_doc_goinstr.summary, cmd_doc_goinstr.usage);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (commands[i].doc->summary)
			printf("  %-14s %s\n", commands[i].name, commands[i].doc->summary);
		if (commands[i].opts == instr_options || commands[i].opts == sites_options)
			strbuf_addf(&names, "%s%s", names.len ? ", " : "", commands[i].name);
	}
	printf("\ngoinstr options of %s:\n", names.buf);
	opts_usage(instr_options, stdout);
	fputs("\nRun a program built by goinstr with INSTRUMENTATION_LOG_PATH=FILE to log.\n"
	      "'goinstr help <command>' or 'goinstr <command> --help' tells more.\n", stdout);
	strbuf_release(&names);
	return 0;
}

/* goinstr version BIN: goinstr's mark in BIN's build information. 0 if it
 * is there, 1 if BIN is a plain Go binary, -1 (reported) otherwise. */
static int version_of(const char *bin)
{
	static const char *const keys[] = { "goinstr.ops", "goinstr.unsafe", "goinstr.goroot" };
	struct strbuf ver = STRBUF_INIT, info = STRBUF_INIT, v = STRBUF_INIT;
	int r = buildinfo_read(bin, &ver, &info);

	if (r > 0)
		r = error("'%s' is not a Go binary (or not one of Go 1.18 or later)", bin);
	if (r == 0 && !buildinfo_setting(info.buf, "goinstr", &v)) {
		printf("%s: %s, not instrumented by goinstr\n", bin, ver.buf);
		r = 1;
	} else if (r == 0) {
		printf("%s: %s, instrumented by goinstr %s\n", bin, ver.buf, v.buf);
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			strbuf_reset(&v);
			if (buildinfo_setting(info.buf, keys[i], &v))
				printf("\t%s\t%s\n", keys[i] + 8, v.buf);
		}
	}
	strbuf_release(&ver);
	strbuf_release(&info);
	strbuf_release(&v);
	return r;
}

int cmd_version(int argc, const char **argv)
{
	int ret = 0, n = opts_parse((const struct option[]){ OPT_END() }, NULL, argc, argv, 0);

	if (n < 0)
		return EXIT_USAGE;
	if (n == argc) {
		printf("goinstr version %s (tree-sitter %s, tree-sitter-go %s)\n",
		       GOINSTR_VERSION, TREE_SITTER_VERSION, TREE_SITTER_GO_VERSION);
		return 0;
	}
	for (int i = n; i < argc; i++) {
		int r = version_of(argv[i]);
		if (r < 0)
			ret = EXIT_USAGE;
		else if (r > 0 && !ret)
			ret = 1;
	}
	return ret;
}
