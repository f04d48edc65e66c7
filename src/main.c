/*
 * main.c - run the command (commands.h: the table, help), and turn
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
	int ret = cmd_dispatch(argc, argv);

	/* Output that cannot be written is a failure (git's run_builtin). */
	if (fflush(stdout) || ferror(stdout)) {
		error("cannot write to standard output: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return ret;
}
