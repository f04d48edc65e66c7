/*
 * instropts.h - goinstr's instrumentation options (--ops, --unsafe, ...),
 * parsed once, for every command that instruments or shows what it would
 * (build, install, run, test, sites, diff, env, ops; toolchain groups
 * them). They may stand anywhere among the go command's flags before the
 * first package: `goinstr build -v --ops=all .`. The go command's -C DIR
 * is taken too, and done as go does it: goinstr changes into DIR first.
 */
#ifndef INSTROPTS_H
#define INSTROPTS_H

#include "opts.h"

struct instr_opts {
	unsigned ops;           /* --ops: category mask */
	const char *unsafe;     /* --unsafe: all, main, deps or none */
	int trust_goroot;       /* --trust-goroot: skip the manifest check */
	const char *inject_dir; /* --inject-dir: replaces inject/ files */
	int keep_work;          /* --keep-work */
	int isolate;            /* --isolate: in a bubblewrap sandbox (isolate.h) */
	int strict;             /* --strict: blind spots fail the build */
	const char *baseline;   /* sites --baseline: the static gate (sitegate.h) */
	const char *policy;     /* sites --policy: its policy file (policy.h) */
};

/* --ops, --unsafe, --trust-goroot, --inject-dir */
extern const struct option instr_common_options[];
/* the same, --keep-work, --isolate and --strict */
extern const struct option instr_options[];
/* instr_options, --baseline and --policy (goinstr sites) */
extern const struct option sites_options[];

/* The defaults: ops CATS_DEFAULT, unsafe "all", nothing else set. */
void instr_opts_init(struct instr_opts *o);

/*
 * Parse argv[1..*argc) (argv[0]: the command's name) into o (after
 * instr_opts_init), with opts instr_options or instr_common_options:
 * goinstr's options, wherever they stand before the first operand (a
 * package) or "--", are moved to argv[1..ret), the go command's flags and
 * operands keep their order in argv[ret..*argc). "-C DIR" (also -C=DIR,
 * --C) is removed (*argc shrinks) and done: the working directory is DIR.
 * With go_flags 0 (env, ops) nothing but goinstr's options and -C may
 * follow the command. Returns ret, or -1 (reported in one line).
 */
int instr_opts_parse(const struct option *opts, struct instr_opts *o, int *argc,
		     const char **argv, int go_flags);

#endif
