/*
 * opts.h - goinstr's own options, described as tables that one parser
 * walks and help prints (git's parse-options shape). A table is static
 * const: each row names a field of the caller's struct by offset, so one
 * table serves every call and the help text.
 *
 *	struct o { int force; const char *ops; };
 *	static const struct option rows[] = {
 *		OPT_BOOL("force", struct o, force, "replace an existing one"),
 *		OPT_STRING("ops", struct o, ops, "LIST", "categories to log"),
 *		OPT_END(),
 *	};
 *	n = opts_parse(rows, &o, argc, argv, OPTS_STOP_AT_ARG);
 *
 * Options are spelled --name, --name=VALUE or --name VALUE (a value that
 * starts with "-" must use "="); "--" ends them.
 */
#ifndef OPTS_H
#define OPTS_H

#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"
#include "util.h"

enum opt_type {
	OPT_T_END,
	OPT_T_BOOL,   /* int: set to 1 */
	OPT_T_STRING, /* const char *: the value (argv's storage) */
	OPT_T_CALL,   /* cb(dst, value, err): 0, or -1 with a message in err
		       * (dst: the struct, or a group's embedded struct) */
	OPT_T_GROUP,  /* another table, parsed into the field at off */
	OPT_T_LIST,   /* struct argv: --name=V adds V; --name V1 V2 ... adds
		       * every operand up to the next option or "--" */
};

struct option {
	const char *name; /* without the leading "--" */
	enum opt_type type;
	size_t off;       /* of the field in the caller's struct */
	const char *argh; /* the value's name in help ("LIST"); NULL: no value */
	const char *help; /* one line; NULL: not shown (internal) */
	int (*cb)(void *dst, const char *value, struct strbuf *err);
	const struct option *group;
};

#define OPT_BOOL(n, S, f, h) { n, OPT_T_BOOL, offsetof(S, f), NULL, h, NULL, NULL }
#define OPT_STRING(n, S, f, a, h) { n, OPT_T_STRING, offsetof(S, f), a, h, NULL, NULL }
/* A callback with a value (a != NULL) or without (a == NULL: value is NULL). */
#define OPT_CALL(n, a, h, fn) { n, OPT_T_CALL, 0, a, h, fn, NULL }
#define OPT_LIST(n, S, f, a, h) { n, OPT_T_LIST, offsetof(S, f), a, h, NULL, NULL }
/* Another table (g) read into this same struct (OPT_INCLUDE), or into the
 * struct embedded as field f of S (OPT_GROUP). */
#define OPT_INCLUDE(g) { "", OPT_T_GROUP, 0, NULL, NULL, NULL, g }
#define OPT_GROUP(S, f, g) { "", OPT_T_GROUP, offsetof(S, f), NULL, NULL, NULL, g }
#define OPT_END() { NULL, OPT_T_END, 0, NULL, NULL, NULL, NULL }

enum {
	/* Stop at the first operand: the options come first (goinstr's, before
	 * the go command's flags, or before a tool's command line). Without
	 * it, operands may come anywhere and are collected in order. */
	OPTS_STOP_AT_ARG = 1,
	/* An option the table does not know stops the parse too (the go
	 * command's, e.g. --o), instead of being an error. */
	OPTS_STOP_AT_UNKNOWN = 2,
};

/*
 * Parse argv[1..argc) (argv[0] is the command's name) into dst. Returns
 * the index of the first argument not consumed; without OPTS_STOP_AT_ARG
 * the operands are moved, in order, to argv[ret..argc). -1 on a bad
 * option (reported in one line, naming the command).
 */
int opts_parse(const struct option *opts, void *dst, int argc, const char **argv,
	       unsigned flags);

/*
 * Read the one option argv[i] of the table into dst (for a parser that
 * interleaves these options with others': instropts.h). Returns how many
 * arguments it took (1, or 2 for "--name VALUE"), 0 if argv[i] is not one
 * of the table's, -1 on a bad value (reported).
 */
int opts_take(const struct option *opts, void *dst, int argc, const char **argv, int i);

/* Print each option with a help line: "  --name=ARG   help". */
void opts_usage(const struct option *opts, FILE *fp);

#endif
