/*
 * cmd_info.c - help, version, env and ops: commands that explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "instrument.h"
#include "util.h"
#include "version.h"

void usage_commands(FILE *fp);

static const struct {
	const char *cmd, *text;
} helps[] = {
	{ "build",
	  "usage: goinstr build [goinstr options] [go build flags] [packages]\n"
	  "\n"
	  "Runs 'go build' with an overlay that instruments package reflect, so the\n"
	  "binary logs the reflect operations it performs to the file named by\n"
	  "INSTRUMENTATION_LOG_PATH (JSON Lines, mode 0600, appended). Nothing on\n"
	  "disk changes: not GOROOT, not your tree, not go.mod or go.sum.\n" },
	{ "install", "usage: goinstr install [goinstr options] [go install flags] [packages]\n" },
	{ "run", "usage: goinstr run [goinstr options] [go run flags] package [arguments]\n" },
	{ "test", "usage: goinstr test [goinstr options] [go test flags] [packages] [test flags]\n" },
	{ "env", "usage: goinstr env [goinstr options]\n\n"
		 "Prints the toolchain goinstr would instrument (the 'go' in PATH, with\n"
		 "GOTOOLCHAIN and go.mod honoured), whether it is supported, and the ops\n"
		 "selected.\n" },
	{ "ops", "usage: goinstr ops [goinstr options]\n\n"
		 "Lists every exported function and method of package reflect of the\n"
		 "current toolchain: op name, category, and whether it is instrumented,\n"
		 "not selected, or left out (with the reason).\n" },
	{ "diff", "usage: goinstr diff [goinstr options] [go build flags] [packages]\n\n"
		  "Prints, as a unified diff, every change an instrumented build makes:\n"
		  "the rewritten files of package reflect and the files added to reflect\n"
		  "and runtime; with packages, also the unsafe wrappers of each package\n"
		  "of the build outside the standard library (in the --unsafe scope) and\n"
		  "the file of wrappers it gets. Builds nothing.\n" },
	{ "sites", "usage: goinstr sites [goinstr options] [go build flags] [packages]\n\n"
		   "Prints the sites inventory of a build without building: one JSON line\n"
		   "per reflect entry point and per unsafe site (wrapped or not, with the\n"
		   "reason), constant and //go:linkname pull. 'goinstr build -o BIN' writes\n"
		   "the same to BIN.sites.jsonl.\n" },
	{ "toolchain",
	  "usage: goinstr toolchain [--ops=LIST] [--unsafe=SCOPE] [--trust-goroot] [--force] DIR\n"
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
	  "docs/toolchain.md.\n" },
	{ "verify", "usage: goinstr verify [GOROOT|TOOLCHAIN]\n\n"
		    "Checks every file of GOROOT's release (default: the go command's GOROOT)\n"
		    "against goinstr's manifest of that release, made from the checksum-verified\n"
		    "toolchain module (goinstr manifest). Lists what differs, is missing or was\n"
		    "added; exit 1 if anything does. A goinstr toolchain (goinstr toolchain):\n"
		    "what goinstr wrote into it is made again and compared, the rest is checked\n"
		    "against the release manifest, and files writable by others or owned by\n"
		    "another user are listed.\n" },
	{ "manifest", "usage: goinstr manifest list\n"
		      "       goinstr manifest add RELEASE...\n\n"
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
		      "                   The only goinstr step that uses the network.\n"
		      "  pack OUT FILE... for goinstr's developers: pack recorded manifests into\n"
		      "                   manifests/releases.pack (scripts/mkmanifest.sh)\n"
		      "\n"
		      "A recorded manifest is used only if it is private and its hashes still\n"
		      "hash to the checksum it records.\n" },
	{ "check-log-path", "usage: goinstr check-log-path PATH\n\n"
			    "Tells what a program built by goinstr would do with\n"
			    "INSTRUMENTATION_LOG_PATH=PATH (create it 0600, tighten it, append, or\n"
			    "log nothing: a symlink, another user's file, a missing directory), and\n"
			    "warns about world-writable or shared directories such as /tmp.\n"
			    "Exit 0: it would log; 1: it would not.\n" },
	{ "report",
	  "usage: goinstr report [--format FORMAT] [--baseline OLD] [--allow FILE]\n"
	  "                      LOG... [--sites FILE...]\n"
	  "\n"
	  "Summarizes logs of programs built by goinstr (each LOG with its rotated\n"
	  "LOG.N ... LOG.1), streaming, per module, package and op, with events and\n"
	  "distinct sites; modules from each binary's build info (go version -m)\n"
	  "or its sites inventory. Output is sorted and has no timestamps.\n"
	  "\n"
	  "  --format text    the module -> package -> op table (default)\n"
	  "  --format json    the same and every site, call edge and coverage\n"
	  "  --format sarif   SARIF 2.1.0: a rule per op category, a result per site\n"
	  "  --format edges   CALLER<TAB>TARGET<TAB>OP of Value.Call, CallSlice,\n"
	  "                   Method, MethodByName and MakeFunc, sorted, unique\n"
	  "  --format html    one self-contained page with a chart and the sites\n"
	  "  --sites FILE...  sites inventories (BIN.sites.jsonl): coverage per module\n"
	  "  --baseline OLD   print the sites not in OLD (a log or a --format json\n"
	  "                   output); exit 1 if there are any\n"
	  "  --allow FILE     accepted sites, JSON Lines {\"site\",\"justification\"}:\n"
	  "                   not new for --baseline, suppressed in SARIF\n"
	  "\n"
	  "Bad lines (not JSON, truncated, a newer log schema) are reported as\n"
	  "FILE:LINE on stderr and skipped. Exit 0; 1 new sites (--baseline);\n"
	  "2 usage or unreadable file; 3 lines were skipped. See docs/report.md.\n" },
	{ "selftest",
	  "usage: goinstr selftest [--quick|--full] [options] [packages]\n"
	  "\n"
	  "Runs packages' own tests twice, with 'go test -json -count=1' and with\n"
	  "'goinstr test --ops=all' logging to a private temporary file, and compares\n"
	  "the verdict of every test that ran in both. --quick (the default) tests\n"
	  "reflect and its heaviest users in the standard library (a few minutes),\n"
	  "--full every package of std that has tests; or name packages (any\n"
	  "pattern 'go list' takes). Prints progress per package on stderr and a\n"
	  "table on stdout: tests compared, both verdicts, events logged, distinct\n"
	  "sites. Exits 1 when a package differs or logged nothing (see\n"
	  "docs/selftest.md), 2 on its own errors.\n"
	  "\n"
	  "  --short          pass -short to both runs\n"
	  "  --run=RE, --skip=RE  pass -run, -skip to both runs\n"
	  "  --ops=LIST       categories the instrumented runs select (default all)\n"
	  "  --inject-dir=DIR passed to the instrumented runs\n"
	  "  --toolchain=DIR  the instrumented runs are DIR/bin/go test, the drop-in\n"
	  "                   toolchain's (goinstr toolchain), with its own ops\n"
	  "  --keep           keep the work directory (test2json streams, logs)\n" },
	{ "version", "usage: goinstr version\n" },
	{ "help", "usage: goinstr help [command]\n" },
};

static const char options_help[] =
	"\ngoinstr options (right after the command):\n"
	"  --ops=LIST     op categories to instrument: 'all', 'default' (all but\n"
	"                 read) or a comma list of call,unsafe,mutate,construct,\n"
	"                 lookup,read\n"
	"  --unsafe=SCOPE packages whose unsafe operations are wrapped and logged:\n"
	"                 all (default: every package outside the standard\n"
	"                 library), main (the main modules), deps, or none\n"
	"  --trust-goroot build from a GOROOT that does not match goinstr's verified\n"
	"                 manifest (recorded in every log header)\n"
	"  --keep-work    keep the work directory (overlay and rewritten sources)\n"
	"                 and print its path\n"
	"  --inject-dir=DIR  for goinstr developers: take the injected Go files\n"
	"                 (reflect/goinstr_log.go, runtime/goinstr_*.go) from DIR\n";

int cmd_help(int argc, const char **argv)
{
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(helps) / sizeof(*helps); i++)
			if (!strcmp(helps[i].cmd, argv[1])) {
				fputs(helps[i].text, stdout);
				if (strstr("build install run test env ops sites diff toolchain", argv[1]))
					fputs(options_help, stdout);
				return 0;
			}
		error("no help for '%s': unknown command", argv[1]);
		return EXIT_USAGE;
	}
	fputs("goinstr: build Go programs that log their reflect and unsafe operations\n"
	      "\nusage: goinstr <command> [arguments]\n\ncommands:\n", stdout);
	usage_commands(stdout);
	fputs(options_help, stdout);
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

static int null_sink(void *ctx, const char *target, const char *rel,
		     const char *orig, size_t olen, const char *data, size_t len)
{
	(void)ctx, (void)target, (void)rel, (void)orig, (void)olen, (void)data, (void)len;
	return 0;
}

/* Load the toolchain and rewrite its reflect in memory (nothing written). */
static int dry_run(int argc, const char **argv, struct goenv *env,
		   struct rwreflect *rw, int *supported)
{
	struct instr_opts o;
	struct sink sink = { null_sink, NULL };
	int n = instr_opts_parse(&o, argc - 1, argv + 1);

	if (n < 0)
		return -1;
	if (n != argc - 1)
		return error("unexpected argument '%s'", argv[1 + n]);
	rwreflect_init(rw, o.ops);
	rw->trust_goroot = o.trust_goroot;
	if (goenv_load(env) < 0)
		return -1;
	*supported = goenv_check_supported(env) == 0;
	if (!*supported)
		return 0;
	return instrument_std(env, rw, &sink);
}

static void print_var(const char *k, const char *v)
{
	printf("%s=", k);
	putchar('\'');
	for (const char *p = v; *p; p++)
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	puts("'");
}

int cmd_env(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct rwreflect rw;
	struct strbuf sb = STRBUF_INIT;
	int supported = 0, ret = EXIT_USAGE;
	const char *lp = getenv("INSTRUMENTATION_LOG_PATH");

	memset(&rw, 0, sizeof(rw));
	if (dry_run(argc, argv, &env, &rw, &supported) < 0)
		goto out;
	print_var("GOINSTR_VERSION", GOINSTR_VERSION);
	print_var("GOROOT", env.goroot);
	print_var("GOVERSION", env.version);
	print_var("GOOS", env.goos);
	print_var("GOARCH", env.goarch);
	print_var("GOINSTR_SUPPORTED", supported ? "true" : "false");
	print_var("GOINSTR_SUPPORTED_RELEASES", goenv_supported_releases);
	cats_format(rw.mask, &sb);
	print_var("GOINSTR_OPS", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%u", rw.nhooks);
	print_var("GOINSTR_HOOKS", sb.buf);
	print_var("INSTRUMENTATION_LOG_PATH", lp ? lp : "");
	ret = supported ? 0 : EXIT_USAGE;
out:
	strbuf_release(&sb);
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}

int cmd_ops(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct rwreflect rw;
	int supported = 0, ret = EXIT_USAGE;
	static const char *const status[] = { "hooked", "not-selected", "left-out" };

	memset(&rw, 0, sizeof(rw));
	if (dry_run(argc, argv, &env, &rw, &supported) < 0 || !supported)
		goto out;
	printf("%-36s %-10s %-13s %s\n", "OP", "CATEGORY", "STATUS", "WHERE / WHY");
	for (size_t i = 0; i < rw.nops; i++) {
		const struct reflect_op *o = &rw.ops[i];
		printf("%-36s %-10s %-13s reflect/%s:%u", o->name, cat_name(o->cat),
		       status[o->status], o->file, o->line);
		if (o->why)
			printf(" (%s)", o->why);
		putchar('\n');
	}
	ret = 0;
out:
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}
