/*
 * cmds.h - the subcommands (the table is commands.c). Each cmd_* gets
 * argv from the subcommand's name on (argv[0] is the name) and returns
 * the process exit code: 0 ok, the go command's own code for build,
 * install, run and test, 2 for goinstr's own failures (one line on
 * stderr). Commands with options export their option table for help.
 */
#ifndef CMDS_H
#define CMDS_H

#include "instropts.h"
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
int cmd_manifest_list(int argc, const char **argv);
int cmd_manifest_add(int argc, const char **argv);
int cmd_manifest_pack(int argc, const char **argv);
int cmd_isolate(int argc, const char **argv);
int cmd_isolate_exec(int argc, const char **argv);

extern const struct option toolchain_options[];
extern const struct option selftest_options[];
extern const struct option report_options[];
extern const struct option checklog_options[];
extern const struct option manifest_add_options[];

#define EXIT_USAGE 2
/* A gate failed: new or denied sites, a failed policy rule (report
 * --baseline, sites --baseline). Never a usage error or bad input. */
#define EXIT_GATE 1

#endif
