/*
 * commands.c - the command table, and the two commands that read it:
 * help and version.
 */
#include "commands.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cmds.h"
#include "goenv.h"
#include "goflags.h"
#include "util.h"
#include "version.h"

/* In a usage text: the supported releases, as goenv.c states them
 * ("go1.26.x and go1.27.x"; cmd_usage fills them in). */
#define SUPPORTED "@SUPPORTED@"

/* goinstr manifest's subcommands (cmd_manifest.c). */
static const struct cmd manifest_cmds[] = {
	{ "list", cmd_manifest_list, "every release goinstr can verify",
	  "usage: goinstr manifest list\n\n"
	  "Lists every Go release goinstr can verify, built in or added, each\n"
	  "checked against its module's go.sum hash. Exit 1 if one does not match.\n",
	  NULL, 0, NULL },
	{ "add", cmd_manifest_add, "record the manifest of a release",
	  "usage: goinstr manifest add [--trust-sumdb] RELEASE...\n\n"
	  "For a release newer than goinstr, or another platform (go1.26.9,\n"
	  "go1.26.9.linux-riscv64): download its toolchain module with 'go mod\n"
	  "download', which checks it against the checksum database, check that its\n"
	  "files hash to that checksum, and record their hashes in\n"
	  "$XDG_DATA_HOME/goinstr/manifests (else ~/.local/share/goinstr/manifests;\n"
	  "0700, files 0600). The only goinstr step that uses the network. It trusts\n"
	  "the go command in PATH to check the module, and only the Go checksum\n"
	  "database (sum.golang.org) to vouch for it: another GOSUMDB is refused\n"
	  "without --trust-sumdb.\n",
	  manifest_add_options, 0, NULL },
	{ "pack", cmd_manifest_pack, "pack recorded manifests (goinstr's developers)",
	  "usage: goinstr manifest pack OUT FILE...\n\n"
	  "For goinstr's developers: packs recorded manifests (FILE...) into OUT,\n"
	  "manifests/releases.pack (scripts/mkmanifest.sh).\n",
	  NULL, 0, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL },
};

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
	  instr_options, 1, NULL },
	{ "install", cmd_install, "compile and install with instrumentation (go install)",
	  "usage: goinstr install [goinstr options] [go install flags] [packages]\n", instr_options, 1, NULL },
	{ "run", cmd_run, "compile and run with instrumentation (go run)",
	  "usage: goinstr run [goinstr options] [go run flags] package [arguments]\n", instr_options, 1, NULL },
	{ "test", cmd_test, "test packages with instrumentation (go test)",
	  "usage: goinstr test [goinstr options] [go test flags] [packages] [test flags]\n",
	  instr_options, 1, NULL },
	{ "env", cmd_env, "print the toolchain goinstr would instrument",
	  "usage: goinstr env [goinstr options] [-json] [NAME...]\n\n"
	  "Prints the toolchain goinstr would instrument (the 'go' in PATH, with\n"
	  "GOTOOLCHAIN and go.mod honoured), whether it is supported, the ops\n"
	  "selected, and whether binaries for its target (GOOS/GOARCH) log: they\n"
	  "log on Linux only (GOINSTR_TARGET_LOGS; a warning otherwise). As 'go\n"
	  "env': with NAMEs, only their values, one a line; with -json, a JSON\n"
	  "object.\n",
	  instr_common_options, 0, NULL },
	{ "diff", cmd_diff, "show, as a unified diff, every change instrumenting makes",
	  "usage: goinstr diff [goinstr options] [go build flags] [packages]\n\n"
	  "Prints, as a unified diff, every change an instrumented build makes:\n"
	  "the rewritten files of package reflect and the files added to reflect\n"
	  "and runtime; with packages, also the unsafe wrappers of each package\n"
	  "of the build outside the standard library (in the --unsafe scope) and\n"
	  "the file of wrappers it gets. Builds nothing.\n",
	  instr_common_options, 1, NULL },
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
	  sites_options, 1, NULL },
	{ "ops", cmd_ops, "list reflect operations, their categories and status",
	  "usage: goinstr ops [goinstr options]\n\n"
	  "Lists every exported function and method of package reflect of the\n"
	  "current toolchain: op name, category, and whether it is instrumented,\n"
	  "not selected, or left out (with the reason).\n",
	  instr_common_options, 0, NULL },
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
	  toolchain_options, 0, NULL },
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
	  NULL, 0, NULL },
	{ "manifest", NULL, "list the Go releases goinstr verifies, or add one",
	  "usage: goinstr manifest list\n"
	  "       goinstr manifest add [--trust-sumdb] RELEASE...\n"
	  "       goinstr manifest pack OUT FILE...\n\n"
	  "The Go releases goinstr checks GOROOTs against (every standard-library\n"
	  "file it rewrites, 'goinstr toolchain', 'goinstr verify'): the SHA-256 of\n"
	  "every file of each release's toolchain module, golang.org/toolchain.\n"
	  "Every " SUPPORTED " release goinstr knows of is built in, for\n"
	  "linux-amd64 and linux-arm64. 'goinstr help manifest add' tells more.\n"
	  "\n"
	  "  list             every release goinstr can verify, built in or added,\n"
	  "                   each checked against its module's go.sum hash\n"
	  "  add RELEASE...   record a release newer than goinstr, or of another\n"
	  "                   platform (go1.26.9, go1.26.9.linux-riscv64)\n"
	  "  pack OUT FILE... for goinstr's developers: pack recorded manifests into\n"
	  "                   manifests/releases.pack (scripts/mkmanifest.sh)\n"
	  "\n"
	  "A recorded manifest is used only if it is private and its hashes still\n"
	  "hash to the checksum it records.\n",
	  NULL, 0, manifest_cmds },
	{ "check-log-path", cmd_checklog, "tell what a program would do with a log path, and warn",
	  "usage: goinstr check-log-path [--brief] PATH\n\n"
	  "Tells what a program built by goinstr would do with\n"
	  "INSTRUMENTATION_LOG_PATH=PATH (create it 0600, tighten it, append, or\n"
	  "log nothing: a symlink, another user's file, a missing directory), and\n"
	  "warns about world-writable or shared directories such as /tmp.\n"
	  "With --brief, only one line on standard error when it would log\n"
	  "nothing (goinstr run and test say it so).\n"
	  "Exit 0: it would log; 1: it would not.\n",
	  checklog_options, 0, NULL },
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
	  report_options, 0, NULL },
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
	  selftest_options, 0, NULL },
	{ "version", cmd_version, "print goinstr's version, or how a binary was instrumented",
	  "usage: goinstr version [BINARY...]\n\n"
	  "Prints goinstr's version; with BINARYs, for each its Go release and\n"
	  "whether goinstr instrumented it, read from its build information (where\n"
	  "'go version -m' reads the same build settings: goinstr=VERSION,\n"
	  "goinstr.ops, goinstr.unsafe and goinstr.goroot, verified or trusted,\n"
	  "that is built with --trust-goroot). Exit 0; 1 if a BINARY is a plain Go\n"
	  "binary; 2 if one is not a Go binary or cannot be read.\n",
	  NULL, 0, NULL },
	{ "help", cmd_help, "show help for goinstr or a command", "usage: goinstr help [command [subcommand]]\n",
	  NULL, 0, NULL },
	/* internal: the go command's -toolexec, and the compile shim of a
	 * drop-in toolchain */
	{ "toolexec", cmd_toolexec, NULL,
	  "usage: goinstr toolexec [--unsafe=SCOPE] [--main=DIR]... [--main-from-cwd]\n"
	  "                        [--goroot=DIR] [--id=ID] [--work=DIR] [--helper=PATH]\n"
	  "                        [--go=RELEASE] [--ops=LIST] [--trust-goroot] [--warn-link]\n"
	  "                        TOOL ARGS...\n",
	  NULL, 0, NULL },
	/* internal: the instrumented side of goinstr selftest runs each test
	 * binary through it (go test -exec) */
	{ "selftest-exec", cmd_selftest_exec, NULL,
	  "usage: goinstr selftest-exec LOGDIR TEST [ARGS...]\n", NULL, 0, NULL },
	/* internal: the go command of a drop-in toolchain made with --isolate */
	{ "isolate", cmd_isolate, NULL, "usage: goinstr isolate GO [ARGS...]\n", NULL, 0, NULL },
	/* internal: the go command's -exec inside the --isolate sandbox */
	{ "isolate-exec", cmd_isolate_exec, NULL, "usage: goinstr isolate-exec PROG [ARGS...]\n",
	  NULL, 0, NULL },
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

/* The command named name in table t (n rows, or up to a NULL name). */
static const struct cmd *find(const struct cmd *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n && t[i].name; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

/* "manifest add" or "build": the command, or NULL. */
static const struct cmd *find_path(const char *name)
{
	size_t n = strcspn(name, " ");
	char *first = xstrndup(name, n);
	const struct cmd *c = find(commands, NCOMMANDS, first);

	free(first);
	if (c && name[n])
		c = c->subs ? find(c->subs, SIZE_MAX, name + n + 1) : NULL;
	return c;
}

static int is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "-help") || !strcmp(a, "--help");
}

/*
 * Whether argv asks command c for help: -h, -help or --help where its
 * options are read. Before "--"; for a command the go command's flags
 * follow, before its first package (go run's program may take -h).
 * Internal commands (a tool's command line follows): only first.
 */
static int wants_help(const struct cmd *c, int argc, const char **argv)
{
	int pos = 1;

	if (!c->summary)
		return argc > 1 && is_help(argv[1]);
	while (pos < argc && strcmp(argv[pos], "--")) {
		const char *a = argv[pos];
		struct goflag f;

		if (is_help(a))
			return 1;
		if (!c->go_flags_follow) {
			pos++;
			continue;
		}
		if (a[0] != '-' || !a[1])
			return 0; /* a package */
		goflags_next(argc, argv, &pos, &f); /* a flag and its value */
	}
	return 0;
}

int cmd_dispatch(int argc, const char **argv)
{
	static char subname[64];
	const struct cmd *c, *sub;
	const char *name = argv[1];

	if (argc < 2) {
		cmd_help(1, (const char *[]){ "help", NULL });
		return EXIT_USAGE;
	}
	if (!strcmp(name, "-C") || !strcmp(name, "--C")) {
		/* goinstr -C DIR CMD, as go -C DIR CMD */
		if (argc < 4)
			return cmd_usage_error("help");
		if (chdir(argv[2]) < 0) {
			error("-C %s: %s", argv[2], strerror(errno));
			return EXIT_USAGE;
		}
		argc -= 2, argv += 2;
		name = argv[1];
	}
	if (is_help(name))
		name = "help";
	if (!strcmp(name, "--version"))
		name = "version";
	if (!(c = find(commands, NCOMMANDS, name))) {
		error("unknown command '%s' (see 'goinstr help')", name);
		return EXIT_USAGE;
	}
	argc--, argv++;
	if (c->subs && argc > 1 && (sub = find(c->subs, SIZE_MAX, argv[1]))) {
		/* messages name "manifest add" (opts.h names argv[0]) */
		snprintf(subname, sizeof(subname), "%s %s", c->name, sub->name);
		c = sub;
		argc--, argv++;
		argv[0] = subname;
	}
	if (wants_help(c, argc, argv)) {
		cmd_usage(c, stdout);
		return 0;
	}
	if (!c->fn) { /* a command of subcommands, none named */
		if (argc > 1)
			error("unknown subcommand '%s %s' (see 'goinstr help %s')", c->name, argv[1],
			      c->name);
		else
			error("'%s' needs a subcommand (see 'goinstr help %s')", c->name, c->name);
		return EXIT_USAGE;
	}
	return c->fn(argc, argv);
}

/* A usage text, with each SUPPORTED filled in. */
static void put_usage(const char *u, FILE *fp)
{
	struct strbuf series = STRBUF_INIT;

	for (const char *at; (at = strstr(u, SUPPORTED)); u = at + strlen(SUPPORTED)) {
		if (!series.len)
			goenv_supported_series(&series);
		fwrite(u, 1, (size_t)(at - u), fp);
		fputs(series.buf, fp);
	}
	fputs(u, fp);
	strbuf_release(&series);
}

void cmd_usage(const struct cmd *c, FILE *fp)
{
	put_usage(c->usage, fp);
	if (c->opts) {
		fputs("\noptions:\n", fp);
		opts_usage(c->opts, fp);
	}
	if (c->go_flags_follow)
		fputs("\ngoinstr's options go before the packages, among the go command's flags\n"
		      "if you like; the go command's flags and packages pass to it unchanged\n"
		      "(-C DIR too: goinstr works in DIR, as go does).\n", fp);
}

int cmd_usage_error(const char *name)
{
	const struct cmd *c = find_path(name);
	const char *u = c ? c->usage : "";

	error("%.*s (see 'goinstr help %s')", (int)strcspn(u, "\n"), u, name);
	return EXIT_USAGE;
}

int cmd_help(int argc, const char **argv)
{
	const struct cmd *c;
	struct strbuf names = STRBUF_INIT;

	if (argc > 3)
		return cmd_usage_error("help");
	if (argc >= 2) {
		const char *sub = argc == 3 ? argv[2] : NULL;
		if (!(c = find(commands, NCOMMANDS, argv[1])) ||
		    (sub && !(c = c->subs ? find(c->subs, SIZE_MAX, sub) : NULL))) {
			error("no help for '%s%s%s': unknown command", argv[1], sub ? " " : "",
			      sub ? sub : "");
			return EXIT_USAGE;
		}
		cmd_usage(c, stdout);
		return 0;
	}
	fputs("goinstr: build Go programs that log their reflect and unsafe operations\n"
	      "\nusage: goinstr [-C DIR] <command> [arguments]\n\ncommands:\n", stdout);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary)
			printf("  %-14s %s\n", commands[i].name, commands[i].summary);
		if (commands[i].opts == instr_options || commands[i].opts == sites_options)
			strbuf_addf(&names, "%s%s", names.len ? ", " : "", commands[i].name);
	}
	printf("\ngoinstr options of %s:\n", names.buf);
	opts_usage(instr_options, stdout);
	fputs("\nRun a program built by goinstr with INSTRUMENTATION_LOG_PATH=FILE to log.\n"
	      "'goinstr help <command>' or 'goinstr <command> --help' tells more.\n", stdout);
	strbuf_release(&names);
	return 0;
}

/* goinstr version BIN: goinstr's mark in BIN's build information. 0 if it
 * is there, 1 if BIN is a plain Go binary, -1 (reported) otherwise. */
static int version_of(const char *bin)
{
	static const char *const keys[] = { "goinstr.ops", "goinstr.unsafe", "goinstr.goroot" };
	struct strbuf ver = STRBUF_INIT, info = STRBUF_INIT, v = STRBUF_INIT;
	int r = buildinfo_read(bin, &ver, &info);

	if (r > 0)
		r = error("'%s' is not a Go binary (or not one of Go 1.18 or later)", bin);
	if (r == 0 && !buildinfo_setting(info.buf, "goinstr", &v)) {
		printf("%s: %s, not instrumented by goinstr\n", bin, ver.buf);
		r = 1;
	} else if (r == 0) {
		printf("%s: %s, instrumented by goinstr %s\n", bin, ver.buf, v.buf);
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
			strbuf_reset(&v);
			if (buildinfo_setting(info.buf, keys[i], &v))
				printf("\t%s\t%s\n", keys[i] + 8, v.buf);
		}
	}
	strbuf_release(&ver);
	strbuf_release(&info);
	strbuf_release(&v);
	return r;
}

int cmd_version(int argc, const char **argv)
{
	int ret = 0, n = opts_parse((const struct option[]){ OPT_END() }, NULL, argc, argv, 0);

	if (n < 0)
		return EXIT_USAGE;
	if (n == argc) {
		printf("goinstr version %s (tree-sitter %s, tree-sitter-go %s)\n",
		       GOINSTR_VERSION, TREE_SITTER_VERSION, TREE_SITTER_GO_VERSION);
		return 0;
	}
	for (int i = n; i < argc; i++) {
		int r = version_of(argv[i]);
		if (r < 0)
			ret = EXIT_USAGE;
		else if (r > 0 && !ret)
			ret = 1;
	}
	return ret;
}
