/*
 * commands.c - the command table, and the two commands that read it:
 * help and version.
 */
#include "commands.h"

#include <string.h>

#include "cmds.h"
#include "util.h"
#include "version.h"

static const struct cmd commands[] = {
	{ "build", cmd_build, "compile packages with instrumentation (go build)",
	  "usage: goinstr build [goinstr options] [go build flags] [packages]\n"
	  "\n"
	  "Runs 'go build' with the standard library's reflect instrumented (an\n"
	  "overlay) and the unsafe operations of the packages in the --unsafe scope\n"
	  "wrapped (a -toolexec), so the binary logs the reflect and unsafe\n"
	  "operations it performs to the file named by INSTRUMENTATION_LOG_PATH\n"
	  "(JSON Lines, mode 0600, appended). With -o BIN it also writes the sites\n"
	  "inventory BIN.sites.jsonl. Nothing on disk changes: not GOROOT, not your\n"
	  "tree, not go.mod or go.sum.\n",
	  instr_options, 1 },
	{ "install", cmd_install, "compile and install with instrumentation (go install)",
	  "usage: goinstr install [goinstr options] [go install flags] [packages]\n", instr_options, 1 },
	{ "run", cmd_run, "compile and run with instrumentation (go run)",
	  "usage: goinstr run [goinstr options] [go run flags] package [arguments]\n", instr_options, 1 },
	{ "test", cmd_test, "test packages with instrumentation (go test)",
	  "usage: goinstr test [goinstr options] [go test flags] [packages] [test flags]\n",
	  instr_options, 1 },
	{ "env", cmd_env, "print the toolchain goinstr would instrument",
	  "usage: goinstr env [goinstr options]\n\n"
	  "Prints the toolchain goinstr would instrument (the 'go' in PATH, with\n"
	  "GOTOOLCHAIN and go.mod honoured), whether it is supported, the ops\n"
	  "selected, and whether binaries for its target (GOOS/GOARCH) log: they\n"
	  "log on Linux only (GOINSTR_TARGET_LOGS; a warning otherwise).\n",
	  instr_common_options, 0 },
	{ "diff", cmd_diff, "show, as a unified diff, every change instrumenting makes",
	  "usage: goinstr diff [goinstr options] [go build flags] [packages]\n\n"
	  "Prints, as a unified diff, every change an instrumented build makes:\n"
	  "the rewritten files of package reflect and the files added to reflect\n"
	  "and runtime; with packages, also the unsafe wrappers of each package\n"
	  "of the build outside the standard library (in the --unsafe scope) and\n"
	  "the file of wrappers it gets. Builds nothing.\n",
	  instr_common_options, 1 },
	{ "sites", cmd_sites, "list the instrumented and found sites of packages",
	  "usage: goinstr sites [goinstr options] [go build flags] [packages]\n\n"
	  "Prints the sites inventory of a build without building: one JSON line\n"
	  "per reflect entry point and per unsafe site (wrapped or not, with the\n"
	  "reason), constant and //go:linkname pull. 'goinstr build -o BIN' writes\n"
	  "the same to BIN.sites.jsonl.\n\n"
	  "With --baseline OLD (a committed inventory) it is the static gate: it\n"
	  "prints the sites that are new and those removed, by keys that survive\n"
	  "moved lines, and exits 1 on a new site that --policy does not allow\n"
	  "(docs/policy.md); with -test, the tests' files count too.\n",
	  sites_options, 1 },
	{ "ops", cmd_ops, "list reflect operations, their categories and status",
	  "usage: goinstr ops [goinstr options]\n\n"
	  "Lists every exported function and method of package reflect of the\n"
	  "current toolchain: op name, category, and whether it is instrumented,\n"
	  "not selected, or left out (with the reason).\n",
	  instr_common_options, 0 },
	{ "toolchain", cmd_toolchain, "make a drop-in instrumented Go toolchain (a GOROOT for PATH)",
	  "usage: goinstr toolchain [options] DIR\n"
	  "\n"
	  "Makes DIR a Go toolchain instrumented as 'goinstr build' with the same\n"
	  "options instruments: with PATH=DIR/bin:$PATH, plain 'go build', 'go test',\n"
	  "'go run' and 'go install' build programs that log their reflect and unsafe\n"
	  "operations. Made from the go command's GOROOT, checked file by file against\n"
	  "the release manifest; unchanged files are hard links to it (reflinks or\n"
	  "copies where links fail), the instrumented standard library is written in\n"
	  "DIR/src. 'DIR/bin/go version' says it is instrumented; DIR/pkg/goinstr/MANIFEST\n"
	  "lists every file changed or added (original and new SHA-256), and\n"
	  "'goinstr verify DIR' checks it. Built beside DIR and renamed into place;\n"
	  "DIR must not exist (--force replaces a goinstr toolchain). See\n"
	  "docs/toolchain.md.\n",
	  toolchain_options, 0 },
	{ "verify", cmd_verify, "check a GOROOT against goinstr's verified manifest",
	  "usage: goinstr verify [GOROOT|TOOLCHAIN]\n\n"
	  "Checks every file of GOROOT's release (default: the go command's GOROOT)\n"
	  "against goinstr's manifest of that release, made from the checksum-verified\n"
	  "toolchain module (goinstr manifest). Lists what differs, is missing or was\n"
	  "added, and set-user-ID or set-group-ID files; exit 1 if anything does. A\n"
	  "goinstr toolchain (goinstr toolchain): what goinstr wrote into it is made\n"
	  "again and compared, the rest is checked against the release manifest, and\n"
	  "files writable by others, owned by another user or set-id are listed, and\n"
	  "so are the directories above it that others could rename it in.\n",
	  NULL, 0 },
	{ "manifest", cmd_manifest, "list the Go releases goinstr verifies, or add one",
	  "usage: goinstr manifest list\n"
	  "       goinstr manifest add [--trust-sumdb] RELEASE...\n\n"
	  "The Go releases goinstr checks GOROOTs against (every standard-library\n"
	  "file it rewrites, 'goinstr toolchain', 'goinstr verify'): the SHA-256 of\n"
	  "every file of each release's toolchain module, golang.org/toolchain.\n"
	  "Every go1.26.x and go1.27.x release goinstr knows of is built in, for\n"
	  "linux-amd64 and linux-arm64.\n"
	  "\n"
	  "  list             every release goinstr can verify, built in or added,\n"
	  "                   each checked against its module's go.sum hash\n"
	  "  add RELEASE...   for a release newer than goinstr, or another platform\n"
	  "                   (go1.26.9, go1.26.9.linux-riscv64): download its\n"
	  "                   toolchain module with 'go mod download', which checks\n"
	  "                   it against the checksum database, check that its files\n"
	  "                   hash to that checksum, and record their hashes in\n"
	  "                   $XDG_DATA_HOME/goinstr/manifests (else\n"
	  "                   ~/.local/share/goinstr/manifests; 0700, files 0600).\n"
	  "                   The only goinstr step that uses the network. It trusts\n"
	  "                   the go command in PATH to check the module, and only\n"
	  "                   the Go checksum database (sum.golang.org) to vouch for\n"
	  "                   it: another GOSUMDB is refused without --trust-sumdb.\n"
	  "  pack OUT FILE... for goinstr's developers: pack recorded manifests into\n"
	  "                   manifests/releases.pack (scripts/mkmanifest.sh)\n"
	  "\n"
	  "A recorded manifest is used only if it is private and its hashes still\n"
	  "hash to the checksum it records.\n",
	  NULL, 0 },
	{ "check-log-path", cmd_checklog, "tell what a program would do with a log path, and warn",
	  "usage: goinstr check-log-path [--brief] PATH\n\n"
	  "Tells what a program built by goinstr would do with\n"
	  "INSTRUMENTATION_LOG_PATH=PATH (create it 0600, tighten it, append, or\n"
	  "log nothing: a symlink, another user's file, a missing directory), and\n"
	  "warns about world-writable or shared directories such as /tmp.\n"
	  "With --brief, only one line on standard error when it would log\n"
	  "nothing (goinstr run and test say it so).\n"
	  "Exit 0: it would log; 1: it would not.\n",
	  NULL, 0 },
	{ "report", cmd_report, "summarize instrumentation logs",
	  "usage: goinstr report [options] LOG... [--sites FILE...]\n"
	  "\n"
	  "Summarizes logs of programs built by goinstr (each LOG with its rotated\n"
	  "LOG.N ... LOG.1), streaming, per module, package and op, with events and\n"
	  "distinct sites; modules from each process's log header (or its\n"
	  "binary's build info, or its sites inventory). LOG may be - (standard\n"
	  "input); gzip-compressed logs and inventories are read as such (LOG.N.gz\n"
	  "too). Output is sorted and has no timestamps.\n"
	  "\n"
	  "  --format text    the module -> package -> op table (default)\n"
	  "  --format json    the same and every site, call edge and coverage\n"
	  "  --format sarif   SARIF 2.1.0: a rule per op category, a result per site\n"
	  "  --format edges   CALLER<TAB>TARGET<TAB>OP of Value.Call, CallSlice,\n"
	  "                   Method, MethodByName and MakeFunc, sorted, unique\n"
	  "  --format html    one self-contained page: filter, chart, sites, source\n"
	  "\n"
	  "Bad lines (not JSON, truncated, a newer log schema) are reported as\n"
	  "FILE:LINE on stderr and skipped; so are files beside a LOG it cannot\n"
	  "read (LOG.2.gz.age) and processes whose logs lack parts. Exit 0; 1 the\n"
	  "gate failed (--baseline: new sites; --policy: a denied site or target,\n"
	  "an expired rule); 2 usage or bad input (an unreadable file, a gzip bomb,\n"
	  "a malformed policy, an inventory given as a log); 3 lines were skipped\n"
	  "or rotated files not read. See docs/report.md and docs/policy.md.\n",
	  report_options, 0 },
	{ "selftest", cmd_selftest, "run std's tests plain and instrumented, compare",
	  "usage: goinstr selftest [options] [packages]\n"
	  "\n"
	  "Runs packages' own tests twice, with 'go test -json -count=1' and with\n"
	  "'goinstr test --ops=all' logging to private temporary files, and compares\n"
	  "the verdict of every test that ran in both. --quick (the default) tests\n"
	  "reflect and its heaviest users in the standard library (a few minutes),\n"
	  "--full every package of std that has tests; or name packages (any\n"
	  "pattern 'go list' takes). Prints progress per package on stderr and a\n"
	  "table on stdout: tests compared, both verdicts, events logged, distinct\n"
	  "sites. Exits 1 when a package differs or logged nothing (see\n"
	  "docs/selftest.md), 2 on its own errors.\n",
	  selftest_options, 0 },
	{ "version", cmd_version, "print goinstr's version", "usage: goinstr version\n", NULL, 0 },
	{ "help", cmd_help, "show help for goinstr or a command", "usage: goinstr help [command]\n",
	  NULL, 0 },
	/* internal: the go command's -toolexec, and the compile shim of a
	 * drop-in toolchain */
	{ "toolexec", cmd_toolexec, NULL,
	  "usage: goinstr toolexec [--unsafe=SCOPE] [--main=DIR]... [--main-from-cwd]\n"
	  "                        [--goroot=DIR] [--id=ID] [--work=DIR] TOOL ARGS...\n",
	  NULL, 0 },
	/* internal: the instrumented side of goinstr selftest runs each test
	 * binary through it (go test -exec) */
	{ "selftest-exec", cmd_selftest_exec, NULL,
	  "usage: goinstr selftest-exec LOGDIR TEST [ARGS...]\n", NULL, 0 },
	/* internal: the go command of a drop-in toolchain made with --isolate */
	{ "isolate", cmd_isolate, NULL, "usage: goinstr isolate GO [ARGS...]\n", NULL, 0 },
	/* internal: the go command's -exec inside the --isolate sandbox */
	{ "isolate-exec", cmd_isolate_exec, NULL, "usage: goinstr isolate-exec PROG [ARGS...]\n",
	  NULL, 0 },
};

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cmd_usage(const struct cmd *c, FILE *fp)
{
	fputs(c->usage, fp);
	if (c->opts) {
		fputs("\noptions:\n", fp);
		opts_usage(c->opts, fp);
	}
	if (c->go_flags_follow)
		fputs("\ngoinstr's options come right after the command; the go command's flags\n"
		      "and packages follow, unchanged.\n", fp);
}

int cmd_help(int argc, const char **argv)
{
	const struct cmd *c;

	if (argc > 2) {
		error("usage: goinstr help [command]");
		return EXIT_USAGE;
	}
	if (argc == 2) {
		if (!(c = cmd_find(argv[1]))) {
			error("no help for '%s': unknown command", argv[1]);
			return EXIT_USAGE;
		}
		cmd_usage(c, stdout);
		return 0;
	}
	fputs("goinstr: build Go programs that log their reflect and unsafe operations\n"
	      "\nusage: goinstr <command> [arguments]\n\ncommands:\n", stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (commands[i].summary)
			printf("  %-14s %s\n", commands[i].name, commands[i].summary);
	fputs("\ngoinstr options of build, install, run, test, sites and diff:\n", stdout);
	opts_usage(instr_options, stdout);
	fputs("\nRun a program built by goinstr with INSTRUMENTATION_LOG_PATH=FILE to log.\n"
	      "'goinstr help <command>' tells more.\n", stdout);
	return 0;
}

int cmd_version(int argc, const char **argv)
{
	(void)argc, (void)argv;
	printf("goinstr version %s (tree-sitter %s, tree-sitter-go %s)\n",
	       GOINSTR_VERSION, TREE_SITTER_VERSION, TREE_SITTER_GO_VERSION);
	return 0;
}
