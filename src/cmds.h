/*
 * cmds.h - the subcommands (the table is commands.c). Each cmd_* gets
 * argv from the subcommand's name on (argv[0] is the name) and returns
 * the process exit code: 0 ok, the go command's own code for build,
 * install, run and test, 2 for goinstr's own failures (one line on
 * stderr). Commands with options export their option table for help.
 */
#ifndef CMDS_H
#define CMDS_H

#include "opts.h"

int cmd_build(int argc, const char **argv);
int cmd_install(int argc, const char **argv);
int cmd_run(int argc, const char **argv);
int cmd_test(int argc, const char **argv);
int cmd_env(int argc, const char **argv);
int cmd_ops(int argc, const char **argv);
int cmd_report(int argc, const char **argv);
int cmd_selftest(int argc, const char **argv);
int cmd_selftest_exec(int argc, const char **argv);
int cmd_version(int argc, const char **argv);
int cmd_help(int argc, const char **argv);
int cmd_toolexec(int argc, const char **argv);
int cmd_sites(int argc, const char **argv);
int cmd_diff(int argc, const char **argv);
int cmd_checklog(int argc, const char **argv);
int cmd_verify(int argc, const char **argv);
int cmd_toolchain(int argc, const char **argv);
int cmd_manifest(int argc, const char **argv);
int cmd_isolate(int argc, const char **argv);
int cmd_isolate_exec(int argc, const char **argv);

/* goinstr's own options, shared by the commands that instrument
 * (cmd_build.c): they come right after the command; the go command's
 * flags and packages follow. */
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
/* the same, --keep-work and --isolate */
extern const struct option instr_options[];
/* instr_options, --baseline and --policy (goinstr sites) */
extern const struct option sites_options[];
extern const struct option toolchain_options[];
extern const struct option selftest_options[];
extern const struct option report_options[];

/* The defaults: ops CATS_DEFAULT, unsafe "all", nothing else set. */
void instr_opts_init(struct instr_opts *o);

/*
 * Parse goinstr's options (table opts: instr_options or a table that
 * groups it) at the front of argv, into dst. Returns the index of the
 * first argument that is not goinstr's (the go command's flags and
 * packages), or -1 (reported).
 */
int instr_opts_parse(const struct option *opts, void *dst, int argc, const char **argv);

#define EXIT_USAGE 2
/* A gate failed: new or denied sites, a failed policy rule (report
 * --baseline, sites --baseline). Never a usage error or bad input. */
#define EXIT_GATE 1

#endif
