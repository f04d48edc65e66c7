/*
 * cmd_selftest.c - prove the instrumentation changes no behaviour: run
 * packages' own tests plain and instrumented and compare the verdict of
 * every test. The packages are the standard library's (--quick: reflect
 * and its heaviest users; --full: every package of std with tests) or
 * any the go command can list (the compatibility corpus, tests/compat).
 *
 * Each package runs twice, one after the other: `go test -json -count=1
 * PKG`, then this very binary (/proc/self/exe) as `goinstr test --ops=all
 * -json -count=1 PKG` with INSTRUMENTATION_LOG_PATH naming a fresh file in
 * a private (0700) temporary directory. The test2json streams are reduced
 * to one verdict per test (pass, fail, skip; addresses in subtest names
 * are masked); tests that passed or failed in both runs are compared (a
 * test that skipped or did not run in one of them is environment-
 * dependent and not compared). A package differs when a compared test's
 * verdict differs, when the package's own verdict differs, when its log
 * holds a line that is not JSON, or when it logged no event although the
 * read ops are selected (a test binary links package testing, whose
 * initialization alone performs reflect operations, so silence means the
 * logger is broken).
 *
 * With --toolchain DIR the instrumented runs are the drop-in toolchain's
 * own `DIR/bin/go test -json -count=1 PKG` (toolchain.h), with the op
 * categories it was made with: they compile the instrumented sources on
 * disk, so go/build's tests see them too. The plain runs must then use
 * another go (the toolchain's bin must not come first in PATH).
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
#include "htab.h"
#include "reflectops.h"
#include "toolchain.h"
#include "util.h"

/* The packages of --quick: reflect and its heaviest users in std. */
static const char *const quick_pkgs[] = {
	"reflect", "encoding/json", "encoding/gob", "encoding/xml",
	"encoding/asn1", "encoding/binary", "text/template", "html/template",
	"fmt", "internal/fmtsort", "flag", "net/rpc", "database/sql", "go/ast",
	"go/build", "math/big", "sort", "strings",
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

enum verdict { V_NONE, V_PASS, V_FAIL, V_SKIP };

static const char *verdict_name(enum verdict v)
{
	static const char *const names[] = { "none", "pass", "fail", "skip" };
	return names[v];
}

struct tres {
	char *name;
	enum verdict v;
	size_t seq; /* order of arrival, for a stable sort */
};

/* One run of one package. */
struct run {
	struct tres *t;
	size_t nr, alloc;
	enum verdict pkg; /* the package's own verdict */
	int build_failed, rc;
	unsigned npass, nfail, nskip;
	double secs;
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

/*
 * Run argv with stdin from /dev/null, stdout to out_path and stderr to
 * err_path (both truncated). Returns the exit status (128+signal if
 * killed), or -1 if it could not be started (reported).
 */
static int spawn(const char *const *argv, const char *out_path, const char *err_path)
{
	int ep[2], e = 0, st;
	ssize_t n;
	pid_t pid;

	fflush(NULL);
	if (pipe2(ep, O_CLOEXEC) < 0)
		return error("cannot create pipe: %s", strerror(errno));
	if ((pid = fork()) < 0) {
		close(ep[0]), close(ep[1]);
		return error("cannot fork: %s", strerror(errno));
	}
	if (!pid) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
		    dup2(out, 1) < 0 || dup2(err, 2) < 0)
			e = errno;
		else
			execvp(argv[0], (char *const *)argv), e = errno;
		if (write(ep[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(ep[1]);
	while ((n = read(ep[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(ep[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return error("cannot wait for '%s': %s", argv[0], strerror(errno));
	if (n == sizeof(e) && e)
		return error("cannot run '%s': %s", argv[0], strerror(e));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static enum verdict verdict_of(const char *action)
{
	if (!strcmp(action, "pass"))
		return V_PASS;
	if (!strcmp(action, "fail"))
		return V_FAIL;
	if (!strcmp(action, "skip"))
		return V_SKIP;
	return V_NONE;
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->t[i].name);
	free(r->t);
	memset(r, 0, sizeof(*r));
}

/*
 * A test's name with the addresses in it (0x and six hex digits or more,
 * as %p prints them: some suites name subtests after their values) made
 * 0x?, to pair the tests whose names differ between the runs.
 */
static char *test_name(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		size_t n = 0;
		if (s[0] == '0' && s[1] == 'x')
			while (s[2 + n] && strchr("0123456789abcdef", s[2 + n]))
				n++;
		if (n >= 6) {
			strbuf_addstr(&sb, "0x?");
			s += 2 + n;
		} else {
			strbuf_addch(&sb, *s++);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static int cmp_tres(const void *a, const void *b)
{
	const struct tres *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void tres_add(struct run *r, char *name, enum verdict v)
{
	if (r->nr == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 256;
		r->t = xrealloc(r->t, r->alloc * sizeof(*r->t));
	}
	r->t[r->nr] = (struct tres){ name, v, r->nr };
	r->nr++;
}

/* Sort by name; one entry per name: fail if one failed, else pass if one
 * passed (names repeat only once masked by test_name). */
static void tres_fold(struct run *r)
{
	size_t w = 0;

	qsort(r->t, r->nr, sizeof(*r->t), cmp_tres);
	for (size_t i = 0; i < r->nr; i++) {
		if (w && !strcmp(r->t[w - 1].name, r->t[i].name)) {
			enum verdict *v = &r->t[w - 1].v;
			if (r->t[i].v == V_FAIL || (r->t[i].v == V_PASS && *v == V_SKIP))
				*v = r->t[i].v;
			free(r->t[i].name);
			continue;
		}
		r->t[w++] = r->t[i];
	}
	r->nr = w;
}

/*
 * Read a test2json stream: one verdict per test, sorted by name, and the
 * package's own verdict. Lines that are not JSON (there should be none)
 * are ignored. 0, or -1 if the file is unreadable.
 */
static int run_load(struct run *r, const char *pkg, const char *path)
{
	struct strbuf line = STRBUF_INIT;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return error("cannot open '%s': %s", path, strerror(errno));
	while (strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		const char *act = json_string_value(json_object_get(o, "Action"));
		const char *p = json_string_value(json_object_get(o, "Package"));
		const char *test = json_string_value(json_object_get(o, "Test"));
		enum verdict v = act ? verdict_of(act) : V_NONE;

		if (act && !strcmp(act, "build-fail"))
			r->build_failed = 1;
		if (v != V_NONE && p && !strcmp(p, pkg)) {
			if (!test) {
				r->pkg = v;
				if (json_object_get(o, "FailedBuild"))
					r->build_failed = 1;
			} else {
				tres_add(r, xstrdup(test), v);
			}
		}
		json_decref(o);
	}
	fclose(fp);
	strbuf_release(&line);
	tres_fold(r);
	for (size_t i = 0; i < r->nr; i++) {
		r->npass += r->t[i].v == V_PASS;
		r->nfail += r->t[i].v == V_FAIL;
		r->nskip += r->t[i].v == V_SKIP;
	}
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

/*
 * Append to out up to max output lines of test (NULL: the package's own
 * lines, the last ones; masked: test is a name from test_name) from a
 * test2json stream, indented.
 */
static void add_output(struct strbuf *out, const char *path, const char *pkg,
		       const char *test, int masked, size_t max)
{
	struct strbuf line = STRBUF_INIT;
	char **ring = xcalloc(max, sizeof(*ring));
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	while (fp && strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		const char *act = json_string_value(json_object_get(o, "Action"));
		const char *p = json_string_value(json_object_get(o, "Package"));
		const char *t = json_string_value(json_object_get(o, "Test"));
		const char *text = json_string_value(json_object_get(o, "Output"));

		char *tn = t && masked ? test_name(t) : NULL;
		int match = test ? t && !strcmp(tn ? tn : t, test) : !t;

		free(tn);
		if (match && act && text && p && !strcmp(p, pkg) &&
		    (!strcmp(act, "output") || !strcmp(act, "build-output")) &&
		    strncmp(text, "=== ", 4)) {
			if (test && n >= max) {
				json_decref(o);
				continue; /* a test's first lines say what failed */
			}
			free(ring[n % max]);
			ring[n % max] = xstrdup(text);
			n++;
		}
		json_decref(o);
	}
	for (size_t i = n > max ? n - max : 0; i < n; i++) {
		const char *s = ring[i % max];
		size_t len = strlen(s);
		while (len && s[len - 1] == '\n')
			len--;
		strbuf_addstr(out, "        ");
		strbuf_add(out, s, len);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < max; i++)
		free(ring[i]);
	free(ring);
	if (fp)
		fclose(fp);
	strbuf_release(&line);
}

/* The last lines of a file (a go command's stderr), indented. */
static void add_tail(struct strbuf *out, const char *path, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lines = 0, start;

	if (strbuf_read_file(&sb, path) < 0 || !sb.len)
		goto out;
	start = sb.len;
	if (sb.buf[start - 1] == '\n')
		start--;
	while (start > 0 && lines < max)
		if (sb.buf[--start] == '\n')
			lines++;
	if (sb.buf[start] == '\n')
		start++;
	for (char *p = sb.buf + start; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		strbuf_addstr(out, "        ");
		strbuf_add(out, p, len);
		strbuf_addch(out, '\n');
		p += len + (nl != NULL);
	}
out:
	strbuf_release(&sb);
}

static char *describe(const struct run *r, int ran)
{
	struct strbuf sb = STRBUF_INIT;

	if (!ran)
		strbuf_addstr(&sb, "no result");
	else if (r->build_failed)
		strbuf_addstr(&sb, "build failed");
	else
		strbuf_addf(&sb, "%s %u/%u/%u",
			    r->pkg == V_PASS ? "ok" : r->pkg == V_FAIL ? "FAIL" :
			    r->pkg == V_SKIP ? "skip" : "none",
			    r->npass, r->nfail, r->nskip);
	return strbuf_detach(&sb, NULL);
}

/*
 * Merge two sorted verdict lists: count the tests in both that neither
 * skipped, report those whose verdicts differ, and move the tests found
 * in one list only to oa and ob (masked by test_name), if not NULL.
 */
static unsigned merge(struct selftest *st, const char *pkg, size_t idx,
		      const struct run *a, const struct run *b, int masked,
		      size_t *compared, struct run *oa, struct run *ob)
{
	struct strbuf *d = &st->details, path = STRBUF_INIT;
	unsigned diffs = 0;
	size_t i = 0, j = 0;

	while (i < a->nr || j < b->nr) {
		int c = i >= a->nr ? 1 : j >= b->nr ? -1 : strcmp(a->t[i].name, b->t[j].name);
		if (c < 0) {
			if (oa)
				tres_add(oa, test_name(a->t[i].name), a->t[i].v);
			i++;
			continue;
		}
		if (c > 0) {
			if (ob)
				tres_add(ob, test_name(b->t[j].name), b->t[j].v);
			j++;
			continue;
		}
		if (a->t[i].v != V_SKIP && b->t[j].v != V_SKIP) {
			(*compared)++;
			if (a->t[i].v != b->t[j].v) {
				int in_instr = b->t[j].v == V_FAIL;
				strbuf_addf(d, "  %s: %s: plain %s, instrumented %s\n", pkg,
					    a->t[i].name, verdict_name(a->t[i].v),
					    verdict_name(b->t[j].v));
				strbuf_reset(&path);
				strbuf_addf(&path, "%s/%03zu.%s.json", st->tmp.buf, idx + 1,
					    in_instr ? "instr" : "plain");
				add_output(d, path.buf, pkg, a->t[i].name, masked, 8);
				diffs++;
			}
		}
		i++, j++;
	}
	strbuf_release(&path);
	return diffs;
}

/*
 * Compare the two runs of pkg: append what differs to st->details and
 * return the number of differences. Tests are paired by name, then the
 * rest by name with addresses masked; one_sided counts those left.
 */
static unsigned compare(struct selftest *st, const char *pkg, size_t idx,
			const struct run *a, const struct run *b, size_t *compared,
			size_t *one_sided)
{
	struct strbuf *d = &st->details, path = STRBUF_INIT;
	struct run ra = { 0 }, rb = { 0 };
	unsigned diffs;

	*compared = 0;
	diffs = merge(st, pkg, idx, a, b, 0, compared, &ra, &rb);
	tres_fold(&ra);
	tres_fold(&rb);
	*one_sided = ra.nr + rb.nr;
	if (ra.nr && rb.nr) {
		struct run la = { 0 }, lb = { 0 };
		diffs += merge(st, pkg, idx, &ra, &rb, 1, compared, &la, &lb);
		*one_sided = la.nr + lb.nr;
		run_release(&la);
		run_release(&lb);
	}
	run_release(&ra);
	run_release(&rb);
	if (a->pkg != b->pkg || a->build_failed != b->build_failed) {
		int in_instr = b->pkg != V_PASS && b->pkg != V_SKIP;
		strbuf_addf(d, "  %s: package: plain %s%s, instrumented %s%s\n", pkg,
			    verdict_name(a->pkg), a->build_failed ? " (build failed)" : "",
			    verdict_name(b->pkg), b->build_failed ? " (build failed)" : "");
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%03zu.%s.json", st->tmp.buf, idx + 1,
			    in_instr ? "instr" : "plain");
		add_output(d, path.buf, pkg, NULL, 0, 12);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%03zu.%s.err", st->tmp.buf, idx + 1,
			    in_instr ? "instr" : "plain");
		add_tail(d, path.buf, 8);
		diffs++;
	}
	strbuf_release(&path);
	return diffs;
}

/*
 * Run pkg plain, then instrumented; compare; add a row. Returns 0, 1 if
 * the package differs, -1 on goinstr's own failure (reported).
 */
static int selftest_pkg(struct selftest *st, const char *pkg, size_t idx, size_t total)
{
	struct run plain = { 0 }, instr = { 0 };
	struct argv a = ARGV_INIT, b = ARGV_INIT;
	struct strbuf pj = STRBUF_INIT, pe = STRBUF_INIT, ij = STRBUF_INIT,
		      ie = STRBUF_INIT, log = STRBUF_INIT;
	struct logstat ls;
	size_t compared, one_sided;
	unsigned diffs;
	double t0, t1, t2;
	int ret = -1;
	struct pkgrow *row;

	fprintf(stderr, "selftest: [%zu/%zu] %s ...", idx + 1, total, pkg);
	strbuf_addf(&pj, "%s/%03zu.plain.json", st->tmp.buf, idx + 1);
	strbuf_addf(&pe, "%s/%03zu.plain.err", st->tmp.buf, idx + 1);
	strbuf_addf(&ij, "%s/%03zu.instr.json", st->tmp.buf, idx + 1);
	strbuf_addf(&ie, "%s/%03zu.instr.err", st->tmp.buf, idx + 1);
	strbuf_addf(&log, "%s/%03zu.log", st->tmp.buf, idx + 1);

	argv_push(&a, "go");
	argv_push(&a, "test");
	argv_push(&a, "-json");
	argv_push(&a, "-count=1");
	if (st->short_mode)
		argv_push(&a, "-short");
	if (st->run)
		argv_pushf(&a, "-run=%s", st->run);
	if (st->skip)
		argv_pushf(&a, "-skip=%s", st->skip);
	argv_push(&a, pkg);

	if (st->toolchain) {
		argv_pushf(&b, "%s/bin/go", st->toolchain);
		argv_push(&b, "test");
	} else {
		argv_push(&b, "/proc/self/exe"); /* this goinstr, whatever its path */
		argv_push(&b, "test");
		argv_pushf(&b, "--ops=%s", st->ops.buf);
	}
	if (st->inject_dir)
		argv_pushf(&b, "--inject-dir=%s", st->inject_dir);
	for (size_t i = 2; i < a.nr; i++) /* after "go test" */
		argv_push(&b, a.v[i]);

	t0 = now();
	unsetenv("INSTRUMENTATION_LOG_PATH");
	plain.rc = spawn((const char *const *)a.v, pj.buf, pe.buf);
	t1 = now();
	if (plain.rc < 0 || interrupted)
		goto out;
	if (unlink(log.buf) < 0 && errno != ENOENT) {
		error("cannot remove '%s': %s", log.buf, strerror(errno));
		goto out;
	}
	setenv("INSTRUMENTATION_LOG_PATH", log.buf, 1);
	instr.rc = spawn((const char *const *)b.v, ij.buf, ie.buf);
	unsetenv("INSTRUMENTATION_LOG_PATH");
	t2 = now();
	if (instr.rc < 0 || interrupted)
		goto out;
	plain.secs = t1 - t0, instr.secs = t2 - t1;
	if (run_load(&plain, pkg, pj.buf) < 0 || run_load(&instr, pkg, ij.buf) < 0)
		goto out;
	log_count(log.buf, &ls, &st->sites);

	diffs = compare(st, pkg, idx, &plain, &instr, &compared, &one_sided);
	if (ls.bad) {
		strbuf_addf(&st->details, "  %s: %lu log lines are not JSON\n", pkg, ls.bad);
		diffs++;
	}
	if (!ls.events && (st->mask & (1u << CAT_READ)) && instr.pkg != V_NONE &&
	    !instr.build_failed && instr.nr) {
		strbuf_addf(&st->details,
			    "  %s: no event logged (with read ops selected every test binary logs)\n",
			    pkg);
		add_tail(&st->details, ie.buf, 8);
		diffs++;
	}
	if (plain.pkg == V_NONE && instr.pkg == V_NONE) {
		/* Neither run said anything: go itself failed (bad package?). */
		strbuf_addf(&st->details, "  %s: no test results (go test exited %d)\n",
			    pkg, plain.rc);
		add_tail(&st->details, pe.buf, 8);
		diffs++;
	}

	st->rows = xrealloc(st->rows, (st->nrows + 1) * sizeof(*st->rows));
	row = &st->rows[st->nrows++];
	row->pkg = xstrdup(pkg);
	row->plain = describe(&plain, plain.pkg != V_NONE || plain.build_failed);
	row->instr = describe(&instr, instr.pkg != V_NONE || instr.build_failed);
	row->compared = compared;
	row->events = ls.events;
	row->sites = ls.sites;
	row->differs = diffs > 0;
	if (diffs) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "DIFFERENT (%u)", diffs);
		row->result = strbuf_detach(&sb, NULL);
	} else {
		row->result = xstrdup(plain.pkg == V_SKIP ? "no tests" : "identical");
	}
	fprintf(stderr, " %s: %zu tests compared", row->result, compared);
	if (one_sided)
		fprintf(stderr, " (%zu ran in one run only)", one_sided);
	fprintf(stderr, ", %lu events from %lu process%s (%.1fs plain, %.1fs instrumented)\n",
		ls.events, ls.procs, ls.procs == 1 ? "" : "es", plain.secs, instr.secs);
	ret = diffs > 0;
out:
	if (ret < 0)
		fputc('\n', stderr);
	run_release(&plain);
	run_release(&instr);
	argv_release(&a);
	argv_release(&b);
	strbuf_release(&pj);
	strbuf_release(&pe);
	strbuf_release(&ij);
	strbuf_release(&ie);
	strbuf_release(&log);
	return ret;
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

/*
 * The packages matched by patterns (argv style, NULL-terminated) that
 * have tests, minus full_skip when skip is set (reported), appended to
 * pkgs. A pattern naming a package that does not exist is an error: one
 * line, go list's own message. 0 or -1 (reported).
 */
static int list_pkgs(const char *const *patterns, int skip, struct argv *pkgs)
{
	struct argv a = ARGV_INIT;
	struct strbuf out = STRBUF_INIT;
	int rc, ret = 0;

	argv_push(&a, "go");
	argv_push(&a, "list");
	argv_push(&a, "-e");
	argv_push(&a, "-f");
	argv_push(&a, "{{if .Error}}!{{.ImportPath}}: {{.Error}}"
		      "{{else if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}");
	for (; *patterns; patterns++)
		argv_push(&a, *patterns);
	rc = run_capture((const char *const *)a.v, &out);
	if (rc) {
		ret = rc < 0 ? -1 : error("'go list' failed (exit %d)", rc);
		goto out;
	}
	for (char *p = out.buf, *nl; *p; p = nl + 1) {
		const char *why = NULL;
		if ((nl = strchr(p, '\n')))
			*nl = '\0';
		else
			nl = p + strlen(p) - 1;
		if (*p == '!') {
			ret = error("%s", p + 1);
			goto out;
		}
		for (size_t i = 0; skip && *p && full_skip[i].pkg; i++)
			if (!strcmp(full_skip[i].pkg, p))
				why = full_skip[i].why;
		if (why)
			fprintf(stderr, "selftest: leaving out %s: %s\n", p, why);
		else if (*p)
			argv_push(pkgs, p);
	}
out:
	strbuf_release(&out);
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
	if (run_capture(where, &plain) != 0) {
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

int cmd_selftest(int argc, const char **argv)
{
	struct selftest st = { .tmp = STRBUF_INIT, .ops = STRBUF_INIT,
			       .details = STRBUF_INIT };
	struct argv pkgs = ARGV_INIT;
	struct sigaction sa = { .sa_handler = on_signal }, oint, oterm;
	int full = 0, ret = EXIT_USAGE, any_diff = 0, i, ops_given = 0;
	double t0 = now();

	strbuf_addstr(&st.ops, "all");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick")) {
			full = 0;
		} else if (!strcmp(a, "--full")) {
			full = 1;
		} else if (!strcmp(a, "--short")) {
			st.short_mode = 1;
		} else if (!strcmp(a, "--keep")) {
			st.keep = 1;
		} else if (!strncmp(a, "--run=", 6)) {
			st.run = a + 6;
		} else if (!strncmp(a, "--skip=", 7)) {
			st.skip = a + 7;
		} else if (!strncmp(a, "--ops=", 6) || !strcmp(a, "--ops")) {
			const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v) {
				error("--ops needs a value (all, default or a comma list)");
				goto out;
			}
			strbuf_reset(&st.ops);
			strbuf_addstr(&st.ops, v);
			ops_given = 1;
		} else if (!strncmp(a, "--toolchain=", 12) || !strcmp(a, "--toolchain")) {
			st.toolchain = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
			if (!st.toolchain || !toolchain_is(st.toolchain)) {
				error("--toolchain: '%s' is not a goinstr toolchain",
				      st.toolchain ? st.toolchain : "");
				goto out;
			}
		} else if (!strncmp(a, "--inject-dir=", 13)) {
			struct stat sb;
			st.inject_dir = a + 13;
			if (stat(st.inject_dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
				error("--inject-dir: '%s' is not a directory", st.inject_dir);
				goto out;
			}
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (a[0] == '-') {
			error("unknown option '%s' (see 'goinstr help selftest')", a);
			goto out;
		} else {
			break;
		}
	}
	if (st.toolchain && (ops_given || st.inject_dir)) {
		error("--toolchain: the toolchain's own ops and injected files are used");
		goto out;
	}
	if (st.toolchain && selftest_toolchain(&st) < 0)
		goto out;
	{
		struct strbuf err = STRBUF_INIT;
		if (cats_parse(st.ops.buf, &st.mask, &err) < 0) {
			error("%s", err.buf);
			strbuf_release(&err);
			goto out;
		}
	}
	if (i < argc) {
		if (list_pkgs(argv + i, 0, &pkgs) < 0)
			goto out;
	} else if (full) {
		if (list_pkgs((const char *[]){ "std", NULL }, 1, &pkgs) < 0)
			goto out;
	} else {
		for (size_t k = 0; k < sizeof(quick_pkgs) / sizeof(*quick_pkgs); k++)
			argv_push(&pkgs, quick_pkgs[k]);
	}
	if (!pkgs.nr) {
		error("no package with tests to run");
		goto out;
	}
	if (workdir_create(&st.tmp) < 0)
		goto out;
	/* ^C reaches the go commands too; stop after them and clean up. */
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	fprintf(stderr, "selftest: %zu packages, plain and instrumented (%s%s%s--ops=%s%s%s); "
		"the first instrumented run compiles the instrumented standard library\n",
		pkgs.nr, st.toolchain ? "toolchain " : "", st.toolchain ? st.toolchain : "",
		st.toolchain ? ", " : "", st.ops.buf, st.inject_dir ? ", --inject-dir=" : "",
		st.inject_dir ? st.inject_dir : "");
	for (size_t k = 0; k < pkgs.nr && !interrupted; k++) {
		int r = selftest_pkg(&st, pkgs.v[k], k, pkgs.nr);
		if (r < 0 && !interrupted)
			goto out;
		any_diff |= r > 0;
	}
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
	for (size_t k = 0; k < st.nrows; k++) {
		free(st.rows[k].pkg);
		free(st.rows[k].plain);
		free(st.rows[k].instr);
		free(st.rows[k].result);
	}
	free(st.rows);
	strbuf_release(&st.tmp);
	strbuf_release(&st.ops);
	strbuf_release(&st.details);
	htab_strset_release(&st.sites);
	argv_release(&pkgs);
	if (interrupted) {
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return ret;
}
