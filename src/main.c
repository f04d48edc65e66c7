/*
 * main.c - goinstr's command table and exit codes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "util.h"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, const char **argv);
	const char *summary;
} commands[] = {
	{ "build", cmd_build, "compile packages with instrumentation (go build)" },
	{ "install", cmd_install, "compile and install with instrumentation (go install)" },
	{ "run", cmd_run, "compile and run with instrumentation (go run)" },
	{ "test", cmd_test, "test packages with instrumentation (go test)" },
	{ "env", cmd_env, "print the toolchain goinstr would instrument" },
	{ "diff", cmd_diff, "show, as a unified diff, every change instrumenting makes" },
	{ "sites", cmd_sites, "list the instrumented and found sites of packages" },
	{ "ops", cmd_ops, "list reflect operations, their categories and status" },
	{ "toolchain", cmd_toolchain, "make a drop-in instrumented Go toolchain (a GOROOT for PATH)" },
	{ "verify", cmd_verify, "check a GOROOT against goinstr's verified manifest" },
	{ "manifest", cmd_manifest, "list the Go releases goinstr verifies, or add one" },
	{ "check-log-path", cmd_checklog, "tell what a program would do with a log path, and warn" },
	{ "report", cmd_report, "summarize instrumentation logs" },
	{ "selftest", cmd_selftest, "run std's tests plain and instrumented, compare" },
	{ "version", cmd_version, "print goinstr's version" },
	{ "help", cmd_help, "show help for goinstr or a command" },
	{ "toolexec", cmd_toolexec, NULL }, /* internal: the go command's -toolexec */
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void usage_commands(FILE *fp);
void usage_commands(FILE *fp)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (commands[i].summary)
			fprintf(fp, "  %-14s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, const char **argv)
{
	const struct cmd *c;
	int ret;

	if (argc < 2) {
		cmd_help(1, (const char *[]){ "help", NULL });
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		argv[1] = "help";
	if (!strcmp(argv[1], "--version"))
		argv[1] = "version";
	if (!(c = find_cmd(argv[1]))) {
		error("unknown command '%s' (see 'goinstr help')", argv[1]);
		return EXIT_USAGE;
	}
	ret = c->fn(argc - 1, argv + 1);
	/* Output that cannot be written is a failure (git's run_builtin). */
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return ret;
}
