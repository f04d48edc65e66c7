/*
 * cmds.h - the subcommands. Each cmd_* gets argv after the subcommand
 * name (argv[0] is the name) and returns the process exit code: 0 ok,
 * the go command's own code for build/install/run/test, 2 for goinstr's
 * own failures (one line on stderr).
 */
#ifndef CMDS_H
#define CMDS_H

int cmd_build(int argc, const char **argv);
int cmd_install(int argc, const char **argv);
int cmd_run(int argc, const char **argv);
int cmd_test(int argc, const char **argv);
int cmd_env(int argc, const char **argv);
int cmd_ops(int argc, const char **argv);
int cmd_report(int argc, const char **argv);
int cmd_selftest(int argc, const char **argv);
int cmd_version(int argc, const char **argv);
int cmd_help(int argc, const char **argv);
int cmd_toolexec(int argc, const char **argv);
int cmd_sites(int argc, const char **argv);
int cmd_diff(int argc, const char **argv);
int cmd_checklog(int argc, const char **argv);
int cmd_verify(int argc, const char **argv);
int cmd_toolchain(int argc, const char **argv);
int cmd_manifest(int argc, const char **argv);

/* goinstr's own options, shared by the commands that instrument. */
struct instr_opts {
	unsigned ops;  /* category mask */
	int keep_work; /* --keep-work */
	const char *inject_dir; /* --inject-dir: replaces inject/ files */
	const char *unsafe;     /* --unsafe: all, main, deps or none */
	int trust_goroot;       /* --trust-goroot: skip the manifest check */
};

/*
 * Consume goinstr's options at the front of argv (they come right after
 * the subcommand; the go command's flags and packages follow). Returns
 * the number of arguments consumed, or -1 (reported) on a bad option.
 */
int instr_opts_parse(struct instr_opts *o, int argc, const char **argv);

#define EXIT_USAGE 2

#endif
