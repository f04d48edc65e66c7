/*
 * gotest.h - the verdicts of `go test -json` runs (test2json streams):
 * one verdict per test of a package, and one package's plain and
 * instrumented runs compared test by test, what differs described with
 * the tests' own output (goinstr selftest).
 *
 * Test names are paired as given, then with the addresses in them masked
 * (0x and six hex digits or more, as %p prints them). A test that skipped in either run is not compared.
 * Nothing here exits or prints to stdout; files that cannot be read add
 * nothing.
 */
#ifndef GOTEST_H
#define GOTEST_H

#include <stddef.h>

#include "strbuf.h"

enum gotest_verdict { GOTEST_NONE, GOTEST_PASS, GOTEST_FAIL, GOTEST_SKIP };

struct gotest_test {
	char *name; /* owned */
	enum gotest_verdict v;
	size_t seq; /* order of arrival, for a stable sort */
};

/* One run of one package. */
struct gotest_run {
	struct gotest_test *t;
	size_t nr, alloc;
	enum gotest_verdict pkg; /* the package's own verdict */
	int build_failed;
	unsigned npass, nfail, nskip; /* set by gotest_run_finish */
	double secs; /* the package's test run (test2json's Elapsed) */
};

/* "none", "pass", "fail", "skip". */
const char *gotest_verdict_name(enum gotest_verdict v);

/* Frees the tests and zeroes r. */
void gotest_run_release(struct gotest_run *r);

/*
 * Sort r's tests by name, keep one per name (fail if one failed, else
 * pass if one passed) and count them by verdict. Call once, after the
 * last gotest_load of r's stream.
 */
void gotest_run_finish(struct gotest_run *r);

/*
 * The run a stream's Package belongs to (the side being loaded), or NULL
 * to ignore its events.
 */
typedef struct gotest_run *gotest_find_fn(void *ctx, const char *pkg);

/*
 * Read one test2json stream: each event goes to find(ctx, Package)'s
 * run, a test's verdict added, the package's own verdict and time set. A
 * build failure names the package in ImportPath ("p [p.test]"). Lines
 * that are not JSON are ignored. 0, or -1 if the file cannot be opened
 * (reported).
 */
int gotest_load(const char *path, gotest_find_fn *find, void *ctx);

/* "ok 3/0/1", "FAIL ...", "build failed", or "no result" when !ran. The
 * caller frees it. */
char *gotest_run_describe(const struct gotest_run *r, int ran);

/*
 * Append to out up to max output lines of test in pkg (NULL: the
 * package's own lines, the last ones; masked: test is a name with its
 * addresses masked) from a test2json stream, indented by eight spaces.
 */
void gotest_output(struct strbuf *out, const char *path, const char *pkg,
		   const char *test, int masked, size_t max);

/* The last max lines of a file (a go command's stderr), indented. */
void gotest_tail(struct strbuf *out, const char *path, size_t max);

/* The files of the two runs: [0] plain, [1] instrumented. */
struct gotest_files {
	const char *json[2]; /* the test2json streams */
	const char *err[2];  /* the go commands' stderr */
};

/*
 * Compare the two runs of pkg (each finished): append what differs to
 * details, with the output of the side that failed, and return the number
 * of differences. compared gets the number of tests compared, one_sided
 * those that ran in one run only.
 */
unsigned gotest_compare(struct strbuf *details, const struct gotest_files *f,
			const char *pkg, const struct gotest_run *plain,
			const struct gotest_run *instr, size_t *compared, size_t *one_sided);

#endif
