/*
 * main.c - find the command in the table (commands.h), run it, and turn
 * an unwritable standard output into a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "commands.h"
#include "util.h"

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
	if (!(c = cmd_find(argv[1]))) {
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
