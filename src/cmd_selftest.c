/*
 * cmd_selftest.c - prove the instrumentation changes no behaviour: run
 * packages' own tests plain and instrumented and compare the verdict of
 * every test. The packages are the standard library's (--quick: reflect
 * and its heaviest users; --full: every package of std with tests) or
 * any the go command can list (the compatibility corpus, tests/compat).
 *
 * Each side is one go command over all the packages, one after the
 * other: `go test -json -count=1 PKG...`, then this very binary
 * (/proc/self/exe) as `goinstr test --ops=all -json -count=1 -exec
 * 'goinstr selftest-exec DIR' PKG...`. The go command runs each package's
 * test binary in the package's directory; selftest-exec gives it, before
 * it execs the test, an INSTRUMENTATION_LOG_PATH of its own in the private
 * (0700) directory DIR, named by that directory, so each package's events
 * are counted apart. The test2json streams (each event names its Package)
 * are reduced to one verdict per test (pass, fail, skip; addresses in
 * subtest names are masked); tests that passed or failed in both runs are
 * compared (a test that skipped or did not run in one of them is
 * environment-dependent and not compared). A package differs when a
 * compared test's verdict differs, when the package's own verdict
 * differs, when its log holds a line that is not JSON, or when it logged
 * no event although the read ops are selected (a test binary links
 * package testing, whose initialization alone performs reflect
 * operations, so silence means the logger is broken).
 *
 * With --toolchain DIR the instrumented side is the drop-in toolchain's
 * own `DIR/bin/go test -json -count=1 -exec ... PKG...` (toolchain.h),
 * with the op categories it was made with: it compiles the instrumented
 * sources on disk, so go/build's tests see them too. The plain side must
 * then use another go (the toolchain's bin must not come first in PATH).
 *
 * Progress goes to stderr, one line per package; the table (tests
 * compared, verdicts, events, distinct sites) and the details of each
 * difference to stdout. Exit 0 when every package is identical, 1 on a
 * difference, 2 on goinstr's own failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "commands.h"
#include "goenv.h"
#include "gotest.h"
#include "hash.h"
#include "htab.h"
#include "reflectops.h"
#include "toolchain.h"
#include "run.h"
#include "util.h"

/* The packages of --quick: reflect and its heaviest users in std. */
static const char *const quick_pkgs[] = {
	"reflect", "encoding/json", "encoding/gob", "encoding/xml",
	"encoding/asn1", "encoding/binary", "text/template", "html/template",
	"fmt", "internal/fmtsort", "flag", "net/rpc", "database/sql", "go/ast",
	"go/build", "math/big", "sort", "strings", NULL
};

/*
 * Packages --full leaves out, with the reason (docs/selftest.md says
 * more). Keep this list short: each entry is a package whose tests
 * cannot tell the instrumentation apart from the environment.
 */
static const struct {
	const char *pkg, *why;
} full_skip[] = {
	{ NULL, NULL },
};

/* One package, both sides. */
struct pkg {
	char *path, *dir;
	struct gotest_run plain, instr;
};

/* What the table shows of one package. */
struct pkgrow {
	char *pkg, *plain, *instr, *result;
	size_t compared, sites;
	unsigned long events;
	int differs;
};

struct selftest {
	struct strbuf tmp;       /* private work directory */
	struct pkg *pkgs;        /* in the order given */
	size_t npkgs;
	struct htab pkg_ix;      /* import path -> pkgs[i] */
	struct strbuf ops;       /* --ops value, as given ("all" by default) */
	unsigned mask;
	const char *inject_dir;  /* --inject-dir, passed through */
	int short_mode;          /* --short: go test -short */
	int keep;                /* --keep: leave tmp (streams, logs) */
	const char *run, *skip; /* --run, --skip: go test -run, -skip */
	const char *toolchain;   /* --toolchain: instrumented runs use DIR/bin/go */
	struct pkgrow *rows;
	size_t nrows;
	struct htab sites;     /* every package's, for the total */
	struct strbuf details;   /* what differs, printed after the table */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { interrupted = sig; }

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int eq_pkg(const void *item, const void *key)
{
	return !strcmp(((const struct pkg *)item)->path, key);
}

static struct pkg *pkg_find(struct selftest *st, const char *path)
{
	size_t slot = htab_slot(&st->pkg_ix, htab_hash(path, strlen(path)), eq_pkg, path);
	return st->pkg_ix.v[slot];
}

/* One side of the run, for gotest_load. */
struct side {
	struct selftest *st;
	int instr;
};

static struct gotest_run *side_find(void *ctx, const char *path)
{
	const struct side *sd = ctx;
	struct pkg *k = pkg_find(sd->st, path);

	return !k ? NULL : sd->instr ? &k->instr : &k->plain;
}

/* Read one side's test2json stream into its packages' runs. 0, or -1 if
 * the file is unreadable (reported). */
static int load_stream(struct selftest *st, int instr, const char *path)
{
	struct side sd = { st, instr };

	if (gotest_load(path, side_find, &sd) < 0)
		return -1;
	for (size_t i = 0; i < st->npkgs; i++)
		gotest_run_finish(instr ? &st->pkgs[i].instr : &st->pkgs[i].plain);
	return 0;
}

/* What a package's log holds. */
struct logstat {
	unsigned long events, procs, bad;
	size_t sites; /* distinct (op, caller file:line, target) */
};

/*
 * Count a log's events (lines that are not a process's header line) and
 * distinct sites, adding the sites to all (the run's union too).
 */
static void log_count(const char *path, struct logstat *ls, struct htab *all)
{
	struct strbuf line = STRBUF_INIT, key = STRBUF_INIT;
	struct htab sites = { 0 };
	FILE *fp = fopen(path, "r");

	memset(ls, 0, sizeof(*ls));
	if (!fp)
		return; /* no event, no file */
	while (strbuf_getline(&line, fp) != -1) {
		/* Arguments may be uint64s beyond json_int_t: read numbers as reals. */
		json_t *o = json_loadb(line.buf, line.len, JSON_DECODE_INT_AS_REAL, NULL);
		const char *msg = json_string_value(json_object_get(o, "msg"));
		const char *op = json_string_value(json_object_get(o, "op"));
		const char *target = json_string_value(json_object_get(o, "target"));
		json_t *caller = json_object_get(o, "caller");
		const char *file = json_string_value(json_object_get(caller, "file"));

		if (!msg) {
			ls->bad++;
		} else if (!strcmp(msg, "goinstr.start")) {
			ls->procs++;
		} else if (!strcmp(msg, "goinstr.limit")) {
			/* the logger's cap on distinct events: no event itself */
		} else {
			ls->events++;
			strbuf_reset(&key);
			strbuf_addf(&key, "%s\x1f%s:%.0f\x1f%s", op ? op : "", file ? file : "",
				    json_number_value(json_object_get(caller, "line")),
				    target ? target : "");
			htab_strset_add(&sites, key.buf);
			htab_strset_add(all, key.buf);
		}
		json_decref(o);
	}
	ls->sites = sites.nr;
	fclose(fp);
	htab_strset_release(&sites);
	strbuf_release(&key);
	strbuf_release(&line);
}

/* The log of the package whose tests run in dir (selftest-exec). */
static void log_path(const char *logdir, const char *dir, struct strbuf *out)
{
	struct strbuf h = STRBUF_INIT;

	sha256_buf_hex(dir, strlen(dir), &h); /* the same in selftest-exec's process */
	strbuf_addf(out, "%s/%.16s.log", logdir, h.buf);
	strbuf_release(&h);
}

/* gotest_compare of k's runs, with the files of st's work directory. */
static unsigned compare(struct selftest *st, const struct pkg *k, size_t *compared,
			size_t *one_sided)
{
	struct strbuf p[4] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct gotest_files f;
	unsigned diffs;

	for (int i = 0; i < 4; i++)
		strbuf_addf(&p[i], "%s/%s.%s", st->tmp.buf, i & 1 ? "instr" : "plain",
			    i & 2 ? "err" : "json");
	f = (struct gotest_files){ { p[0].buf, p[1].buf }, { p[2].buf, p[3].buf } };
	diffs = gotest_compare(&st->details, &f, k->path, &k->plain, &k->instr, compared,
			       one_sided);
	for (int i = 0; i < 4; i++)
		strbuf_release(&p[i]);
	return diffs;
}

/*
 * Compare the two runs of package k (the idx'th of total), with its log;
 * print its progress line and add its row. Returns 1 if it differs.
 */
static int compare_pkg(struct selftest *st, struct pkg *k, size_t idx, size_t total)
{
	struct strbuf log = STRBUF_INIT, logdir = STRBUF_INIT;
	struct gotest_run *plain = &k->plain, *instr = &k->instr;
	struct logstat ls;
	size_t compared, one_sided;
	unsigned diffs;
	struct pkgrow *row;

	strbuf_addf(&logdir, "%s/logs", st->tmp.buf);
	log_path(logdir.buf, k->dir, &log);
	log_count(log.buf, &ls, &st->sites);
	diffs = compare(st, k, &compared, &one_sided);
	if (ls.bad) {
		strbuf_addf(&st->details, "  %s: %lu log lines are not JSON\n", k->path, ls.bad);
		diffs++;
	}
	if (!ls.events && (st->mask & (1u << CAT_READ)) && instr->pkg != GOTEST_NONE &&
	    !instr->build_failed && instr->nr) {
		strbuf_addf(&st->details,
			    "  %s: no event logged (with read ops selected every test binary logs)\n",
			    k->path);
		strbuf_reset(&log);
		strbuf_addf(&log, "%s/instr.json", st->tmp.buf);
		gotest_output(&st->details, log.buf, k->path, NULL, 0, 8);
		diffs++;
	}
	if (plain->pkg == GOTEST_NONE && instr->pkg == GOTEST_NONE) {
		/* Neither run said anything: go itself failed (bad package?). */
		strbuf_addf(&st->details, "  %s: no test results\n", k->path);
		strbuf_reset(&log);
		strbuf_addf(&log, "%s/plain.err", st->tmp.buf);
		gotest_tail(&st->details, log.buf, 8);
		diffs++;
	}

	st->rows = xrealloc(st->rows, (st->nrows + 1) * sizeof(*st->rows));
	row = &st->rows[st->nrows++];
	row->pkg = xstrdup(k->path);
	row->plain = gotest_run_describe(plain, plain->pkg != GOTEST_NONE || plain->build_failed);
	row->instr = gotest_run_describe(instr, instr->pkg != GOTEST_NONE || instr->build_failed);
	row->compared = compared;
	row->events = ls.events;
	row->sites = ls.sites;
	row->differs = diffs > 0;
	if (diffs) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "DIFFERENT (%u)", diffs);
		row->result = strbuf_detach(&sb, NULL);
	} else {
		row->result = xstrdup(plain->pkg == GOTEST_SKIP ? "no tests" : "identical");
	}
	fprintf(stderr, "selftest: [%zu/%zu] %s ... %s: %zu tests compared", idx + 1, total,
		k->path, row->result, compared);
	if (one_sided)
		fprintf(stderr, " (%zu ran in one run only)", one_sided);
	fprintf(stderr, ", %lu events from %lu process%s (%.1fs plain, %.1fs instrumented)\n",
		ls.events, ls.procs, ls.procs == 1 ? "" : "es", plain->secs, instr->secs);
	strbuf_release(&log);
	strbuf_release(&logdir);
	return diffs > 0;
}

/*
 * Run one side: one go test over every package, its test2json stream to
 * tmp/SIDE.json and its stderr to tmp/SIDE.err. The instrumented side's
 * test binaries run through selftest-exec, which gives each package its
 * own log in tmp/logs. Its exit status, or -1 (reported).
 */
static int run_side(struct selftest *st, int instr)
{
	struct argv a = ARGV_INIT;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, ex = STRBUF_INIT;
	struct child c = CHILD_INIT;
	int rc;

	if (!instr) {
		argv_push(&a, "go");
		argv_push(&a, "test");
	} else if (st->toolchain) {
		argv_pushf(&a, "%s/bin/go", st->toolchain);
		argv_push(&a, "test");
	} else {
		argv_push(&a, "/proc/self/exe"); /* this goinstr, whatever its path */
		argv_push(&a, "test");
		argv_pushf(&a, "--ops=%s", st->ops.buf);
		if (st->inject_dir)
			argv_pushf(&a, "--inject-dir=%s", st->inject_dir);
	}
	argv_push(&a, "-json");
	argv_push(&a, "-count=1");
	if (st->short_mode)
		argv_push(&a, "-short");
	if (st->run)
		argv_pushf(&a, "-run=%s", st->run);
	if (st->skip)
		argv_pushf(&a, "-skip=%s", st->skip);
	if (instr) {
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0) {
			rc = error("cannot find goinstr's own path: %s", strerror(errno));
			goto out;
		}
		self[n] = '\0';
		/* The go command splits -exec's value like a shell would. */
		strbuf_addf(&ex, "-exec='%s' selftest-exec '%s/logs'", self, st->tmp.buf);
		argv_push(&a, ex.buf);
	}
	for (size_t i = 0; i < st->npkgs; i++)
		argv_push(&a, st->pkgs[i].path);
	strbuf_addf(&out, "%s/%s.json", st->tmp.buf, instr ? "instr" : "plain");
	strbuf_addf(&err, "%s/%s.err", st->tmp.buf, instr ? "instr" : "plain");
	fprintf(stderr, "selftest: running the %s side ...\n", instr ? "instrumented" : "plain");
	c.argv = (const char *const *)a.v;
	c.env = (const char *const[]){ "INSTRUMENTATION_LOG_PATH", NULL };
	c.in = CHILD_NULL;
	c.out = CHILD_FILE, c.out_path = out.buf;
	c.err = CHILD_FILE, c.err_path = err.buf;
	rc = run_child(&c);
out:
	argv_release(&a);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&ex);
	return rc;
}

static void print_table(const struct selftest *st)
{
	size_t w = strlen("PACKAGE");
	size_t ndiff = 0, tests = 0;
	unsigned long events = 0;

	for (size_t i = 0; i < st->nrows; i++)
		if (strlen(st->rows[i].pkg) > w)
			w = strlen(st->rows[i].pkg);
	printf("%-*s %7s  %-20s %-20s %8s %7s  %s\n", (int)w, "PACKAGE", "TESTS",
	       "PLAIN", "INSTRUMENTED", "EVENTS", "SITES", "RESULT");
	for (size_t i = 0; i < st->nrows; i++) {
		const struct pkgrow *r = &st->rows[i];
		printf("%-*s %7zu  %-20s %-20s %8lu %7zu  %s\n", (int)w, r->pkg, r->compared,
		       r->plain, r->instr, r->events, r->sites, r->result);
		ndiff += r->differs;
		tests += r->compared;
		events += r->events;
	}
	printf("\n%zu packages: %zu identical, %zu different; %zu tests compared, "
	       "%lu events logged, %zu distinct sites\n(PLAIN and INSTRUMENTED: "
	       "package verdict and tests passed/failed/skipped; a site is an op, "
	       "its caller's file:line and its target)\n",
	       st->nrows, st->nrows - ndiff, ndiff, tests, events, st->sites.nr);
	if (st->details.len)
		printf("\ndifferences:\n%s", st->details.buf);
}

static void pkg_add(struct selftest *st, const char *path, const char *dir)
{
	struct pkg *k;
	uint64_t h = htab_hash(path, strlen(path));
	size_t slot;

	if (!st->pkg_ix.cap)
		htab_init(&st->pkg_ix);
	slot = htab_slot(&st->pkg_ix, h, eq_pkg, path);
	if (st->pkg_ix.v[slot])
		return; /* named twice */
	st->pkgs = xrealloc(st->pkgs, (st->npkgs + 1) * sizeof(*st->pkgs));
	k = &st->pkgs[st->npkgs++];
	memset(k, 0, sizeof(*k));
	k->path = xstrdup(path);
	k->dir = xstrdup(dir);
	/* the table is rebuilt: pkgs moved */
	htab_release(&st->pkg_ix);
	htab_init(&st->pkg_ix);
	for (size_t i = 0; i < st->npkgs; i++) {
		const char *p = st->pkgs[i].path;
		uint64_t hp = htab_hash(p, strlen(p));
		htab_put(&st->pkg_ix, htab_slot(&st->pkg_ix, hp, eq_pkg, p), hp, &st->pkgs[i]);
	}
	(void)h;
}

/*
 * The packages matched by patterns (argv style, NULL-terminated) that
 * have tests, minus full_skip when skip is set (reported), with the
 * directory the instrumented side runs their tests in: under GOROOT, that
 * of its go command (goroot: a drop-in toolchain's), physical (as getcwd
 * names it). A pattern
 * naming a package that does not exist is an error: one line, go list's
 * own message. 0 or -1 (reported).
 */
static int list_pkgs(struct selftest *st, const char *const *patterns, int skip,
		     const char *goroot)
{
	struct argv a = ARGV_INIT;
	struct strbuf out = STRBUF_INIT, dir = STRBUF_INIT;
	int rc, ret = 0;

	argv_push(&a, "go");
	argv_push(&a, "list");
	argv_push(&a, "-e");
	argv_push(&a, "-f");
	argv_push(&a, "{{if .Error}}!{{.ImportPath}}: {{.Error}}"
		      "{{else if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}\t{{.Goroot}}\t{{.Dir}}"
		      "\t{{.Root}}{{end}}");
	for (; *patterns; patterns++)
		argv_push(&a, *patterns);
	rc = run_capture((const char *const *)a.v, NULL, &out);
	if (rc) {
		ret = rc < 0 ? -1 : error("'go list' failed (exit %d)", rc);
		goto out;
	}
	for (char *p = out.buf, *nl; *p; p = nl + 1) {
		const char *why = NULL;
		char *f[4] = { p, NULL, NULL, NULL }, real[4096];
		if ((nl = strchr(p, '\n')))
			*nl = '\0';
		else
			nl = p + strlen(p) - 1;
		if (*p == '!') {
			ret = error("%s", p + 1);
			goto out;
		}
		if (!*p)
			continue;
		for (int k = 1; k < 4; k++)
			if ((f[k] = strchr(f[k - 1], '\t')))
				*f[k]++ = '\0';
			else
				f[k] = "";
		for (size_t i = 0; skip && full_skip[i].pkg; i++)
			if (!strcmp(full_skip[i].pkg, p))
				why = full_skip[i].why;
		if (why) {
			fprintf(stderr, "selftest: leaving out %s: %s\n", p, why);
			continue;
		}
		/* Goroot true: Dir is ROOT/src/..., ROOT the plain go's GOROOT */
		strbuf_reset(&dir);
		if (!strcmp(f[1], "true") && goroot && *f[3] && !strncmp(f[2], f[3], strlen(f[3])))
			strbuf_addf(&dir, "%s%s", goroot, f[2] + strlen(f[3]));
		else
			strbuf_addstr(&dir, f[2]);
		pkg_add(st, p, realpath(dir.buf, real) ? real : dir.buf);
	}
out:
	strbuf_release(&out);
	strbuf_release(&dir);
	argv_release(&a);
	return ret;
}

/*
 * For --toolchain: take its ops from its manifest, and make sure the
 * plain runs' go is another one. 0 or -1 (reported).
 */
static int selftest_toolchain(struct selftest *st)
{
	static const char *const where[] = { "go", "env", "GOROOT", NULL };
	struct strbuf opts = STRBUF_INIT, plain = STRBUF_INIT;
	char a[4096], b[4096];
	const char *o;
	int ret = 0;

	if (toolchain_header(st->toolchain, "options", &opts) < 0 ||
	    !(o = strstr(opts.buf, "ops="))) {
		ret = error("'%s': no options in its manifest", st->toolchain);
		goto out;
	}
	strbuf_reset(&st->ops);
	strbuf_add(&st->ops, o + 4, strcspn(o + 4, " "));
	if (run_capture(where, NULL, &plain) != 0) {
		ret = error("'go env GOROOT' failed: the plain runs need a go command");
		goto out;
	}
	plain.buf[strcspn(plain.buf, "\n")] = '\0';
	if (realpath(plain.buf, a) && realpath(st->toolchain, b) && !strcmp(a, b))
		ret = error("the go in PATH is the toolchain's: the plain runs need another one");
out:
	strbuf_release(&opts);
	strbuf_release(&plain);
	return ret;
}

/*
 * The GOROOT the instrumented side builds with, physical: a drop-in
 * toolchain's, else that of the go command goinstr test runs (the plain
 * go's). 0 or -1 (reported).
 */
static int instr_goroot(const struct selftest *st, struct strbuf *out)
{
	struct goenv env;
	char real[4096];
	int ret = 0;

	if (st->toolchain) {
		strbuf_addstr(out, realpath(st->toolchain, real) ? real : st->toolchain);
		return 0;
	}
	if (goenv_load(&env) < 0)
		return -1;
	if (goenv_check_supported(&env) < 0)
		ret = -1;
	else
		strbuf_addstr(out, realpath(env.goroot, real) ? real : env.goroot);
	goenv_release(&env);
	return ret;
}

/*
 * goinstr selftest-exec LOGDIR TEST ARGS...: the instrumented side's go
 * test -exec. The go command runs each package's test binary in the
 * package's directory; this gives the test its own log there (log_path),
 * then becomes the test. Internal.
 */
int cmd_selftest_exec(int argc, const char **argv)
{
	struct strbuf log = STRBUF_INIT;
	char cwd[4096];

	if (argc < 3 || !getcwd(cwd, sizeof(cwd)))
		return cmd_usage_error("selftest-exec");
	strbuf_addstr(&log, "INSTRUMENTATION_LOG_PATH=");
	log_path(argv[1], cwd, &log);
	/* This process becomes the test, with its log's path. */
	run_exec(argv + 2, (const char *const[]){ log.buf, NULL });
	strbuf_release(&log);
	return EXIT_USAGE;
}

/* The command line, as given. */
struct cli {
	int full, list;
	int short_mode, keep;
	const char *run, *skip, *ops, *toolchain, *inject_dir;
};

static int opt_quick(void *dst, const char *v, struct strbuf *err)
{
	(void)v, (void)err;
	((struct cli *)dst)->full = 0;
	return 0;
}

static int opt_full(void *dst, const char *v, struct strbuf *err)
{
	(void)v, (void)err;
	((struct cli *)dst)->full = 1;
	return 0;
}

const struct option selftest_options[] = {
	OPT_CALL("quick", NULL, "reflect and its heaviest users in std (the default)", opt_quick),
	OPT_CALL("full", NULL, "every package of std that has tests", opt_full),
	OPT_BOOL("short", struct cli, short_mode, "pass -short to both runs"),
	OPT_STRING("run", struct cli, run, "RE", "pass -run to both runs"),
	OPT_STRING("skip", struct cli, skip, "RE", "pass -skip to both runs"),
	OPT_STRING("ops", struct cli, ops, "LIST", "categories the instrumented runs select (default all)"),
	OPT_STRING("inject-dir", struct cli, inject_dir, "DIR", "passed to the instrumented runs"),
	OPT_STRING("toolchain", struct cli, toolchain, "DIR",
		   "the instrumented runs are DIR/bin/go test, the drop-in toolchain's, with its own ops"),
	OPT_BOOL("keep", struct cli, keep, "keep the work directory (test2json streams, logs)"),
	OPT_BOOL("list", struct cli, list, "print the packages it would test, and stop"),
	OPT_END(),
};

/* Check the command line and take it into st. 0 or -1 (reported). */
static int setup(struct selftest *st, const struct cli *cli)
{
	struct strbuf err = STRBUF_INIT;
	struct stat sb;

	strbuf_addstr(&st->ops, cli->ops ? cli->ops : "all");
	st->short_mode = cli->short_mode;
	st->keep = cli->keep;
	st->run = cli->run;
	st->skip = cli->skip;
	st->toolchain = cli->toolchain;
	st->inject_dir = cli->inject_dir;
	if (st->toolchain && !toolchain_is(st->toolchain))
		return error("--toolchain: '%s' is not a goinstr toolchain", st->toolchain);
	if (st->inject_dir && (stat(st->inject_dir, &sb) < 0 || !S_ISDIR(sb.st_mode)))
		return error("--inject-dir: '%s' is not a directory", st->inject_dir);
	if (st->toolchain && (cli->ops || st->inject_dir))
		return error("--toolchain: the toolchain's own ops and injected files are used");
	if (st->toolchain && selftest_toolchain(st) < 0)
		return -1;
	if (cats_parse(st->ops.buf, &st->mask, &err) < 0) {
		error("%s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	return 0;
}

static void selftest_release(struct selftest *st)
{
	for (size_t k = 0; k < st->nrows; k++) {
		free(st->rows[k].pkg);
		free(st->rows[k].plain);
		free(st->rows[k].instr);
		free(st->rows[k].result);
	}
	free(st->rows);
	for (size_t k = 0; k < st->npkgs; k++) {
		free(st->pkgs[k].path);
		free(st->pkgs[k].dir);
		gotest_run_release(&st->pkgs[k].plain);
		gotest_run_release(&st->pkgs[k].instr);
	}
	free(st->pkgs);
	htab_release(&st->pkg_ix);
	htab_strset_release(&st->sites);
	strbuf_release(&st->tmp);
	strbuf_release(&st->ops);
	strbuf_release(&st->details);
}

int cmd_selftest(int argc, const char **argv)
{
	struct selftest st = { .tmp = STRBUF_INIT, .ops = STRBUF_INIT,
			       .details = STRBUF_INIT };
	struct cli cli = { 0 };
	struct strbuf goroot = STRBUF_INIT, logs = STRBUF_INIT;
	struct sigaction sa = { .sa_handler = on_signal }, oint, oterm;
	int ret = EXIT_USAGE, any_diff = 0, i, r;
	double t0 = now();

	if ((i = opts_parse(selftest_options, &cli, argc, argv, OPTS_STOP_AT_ARG)) < 0 ||
	    setup(&st, &cli) < 0 || instr_goroot(&st, &goroot) < 0)
		goto out;
	if (i < argc)
		r = list_pkgs(&st, argv + i, 0, goroot.buf);
	else if (cli.full)
		r = list_pkgs(&st, (const char *[]){ "std", NULL }, 1, goroot.buf);
	else
		r = list_pkgs(&st, quick_pkgs, 0, goroot.buf);
	if (r < 0)
		goto out;
	if (!st.npkgs) {
		error("no package with tests to run");
		goto out;
	}
	if (cli.list) {
		for (size_t k = 0; k < st.npkgs; k++)
			printf("%s\n", st.pkgs[k].path);
		ret = 0;
		goto out;
	}
	if (workdir_create(&st.tmp) < 0)
		goto out;
	strbuf_addf(&logs, "%s/logs", st.tmp.buf);
	if (mkdir(logs.buf, 0700) < 0) {
		error("cannot create '%s': %s", logs.buf, strerror(errno));
		goto out;
	}
	/* ^C reaches the go commands too; stop after them and clean up. */
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	fprintf(stderr, "selftest: %zu packages, plain and instrumented (%s%s%s--ops=%s%s%s); "
		"the instrumented side compiles the instrumented standard library\n",
		st.npkgs, st.toolchain ? "toolchain " : "", st.toolchain ? st.toolchain : "",
		st.toolchain ? ", " : "", st.ops.buf, st.inject_dir ? ", --inject-dir=" : "",
		st.inject_dir ? st.inject_dir : "");
	for (int side = 0; side < 2 && !interrupted; side++) {
		strbuf_reset(&logs);
		strbuf_addf(&logs, "%s/%s.json", st.tmp.buf, side ? "instr" : "plain");
		if (run_side(&st, side) < 0 || (!interrupted && load_stream(&st, side, logs.buf) < 0))
			goto out;
	}
	for (size_t k = 0; k < st.npkgs && !interrupted; k++)
		any_diff |= compare_pkg(&st, &st.pkgs[k], k, st.npkgs);
	if (interrupted)
		goto out;
	print_table(&st);
	fprintf(stderr, "selftest: %.0fs\n", now() - t0);
	ret = any_diff ? 1 : 0;
out:
	if (st.tmp.len) {
		if (st.keep)
			fprintf(stderr, "selftest: work directory kept: %s\n", st.tmp.buf);
		else
			remove_tree(st.tmp.buf);
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGTERM, &oterm, NULL);
	}
	selftest_release(&st);
	strbuf_release(&goroot);
	strbuf_release(&logs);
	if (interrupted) {
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return ret;
}
