/*
 * commands.h - goinstr's subcommands as one table (git's commands[]):
 * name, function, a summary, the usage text and the option table. main
 * dispatches through it and help prints from it; a command is added here
 * and nowhere else.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include <stdio.h>

#include "opts.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, const char **argv); /* cmds.h: argv[0] is the name */
	const char *summary; /* one line for the list; NULL: internal, unlisted */
	const char *usage;   /* "usage: goinstr NAME ..." and what it does */
	const struct option *opts; /* goinstr's options it takes, or NULL */
	/* After the options: the go command's flags and packages. */
	int go_flags_follow;
};

/* The command named name, or NULL. */
const struct cmd *cmd_find(const char *name);

/* Print a command's help: usage text, then its options. */
void cmd_usage(const struct cmd *c, FILE *fp);

#endif
