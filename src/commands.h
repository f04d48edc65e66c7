/*
 * commands.h - goinstr's subcommands as one table (git's commands[]):
 * name, function, its help and the option table. main dispatches through
 * it and help prints from it. A command is a row of the table in
 * commands.c and a section of docs/commands.md, the source of its help
 * (tools/cmddocs.c makes it the cmd_doc objects of build/gen/cmddocs.h).
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include <stdio.h>

#include "opts.h"

/* A command's help, from its section of docs/commands.md. */
struct cmd_doc {
	const char *summary; /* one line for the list; NULL: internal, unlisted */
	const char *usage;   /* "usage: goinstr NAME ..." and what it does */
};

struct cmd {
	const char *name;
	int (*fn)(int argc, const char **argv); /* cmds.h: argv[0] is the name */
	const struct cmd_doc *doc;
	const struct option *opts; /* goinstr's options it takes, or NULL */
	/* After the options: the go command's flags and packages. */
	int go_flags_follow;
	/* Its subcommands (goinstr manifest add), ending in a NULL name; fn is
	 * then NULL: the subcommand's runs, with argv from its name on. */
	const struct cmd *subs;
};

/*
 * Run the command argv[1] (argv[0]: "goinstr"), or its subcommand, or
 * print its usage and return 0 when asked for help (-h, -help, --help
 * among its options: as 'goinstr help CMD'). Returns the exit code.
 */
int cmd_dispatch(int argc, const char **argv);

/* Print a command's help: usage text, then its options. */
void cmd_usage(const struct cmd *c, FILE *fp);

/* Report the first line of the usage of the command (or "manifest add")
 * named name, and where to read more. Returns EXIT_USAGE. */
int cmd_usage_error(const char *name);

#endif
