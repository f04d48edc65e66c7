/*
 * test_scale.c - generated Go files of a given shape and size, rewritten
 * once by the unsafe rewriter (tests/scale.sh counts the instructions
 * under valgrind for two sizes ten times apart: a pass that is quadratic
 * in some dimension of a file shows as a ratio near 100, not 10).
 *
 * usage: test_scale SHAPE N   rewrite one file of SHAPE with N elements
 *        test_scale           every shape at a small size, checked: the
 *                             output parses, keeps its line count, and
 *                             has the sites the shape has
 *        test_scale --throughput FILE...
 *                             parse, then rewrite (and write the package's
 *                             wrapper file for) each file, and print the
 *                             MB/s of each, by CPU time (bench/scale.sh)
 *
 * Each shape makes one dimension of a file large, with small elements:
 *   decls   top-level functions (the root's width; //go:nosplit on some)
 *   stmts   statements of one block
 *   line    elements of one composite literal, on one line
 *   args    keepalive arguments of one call, on one line
 *   respell new(expr) calls and methods with type parameters (the
 *           respelled parses of gosyn)
 *   dot     functions of a file that dot-imports unsafe, each declaring
 *           local names that hide some of its operations
 *   error   declarations, then a syntax error on the last line
 */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "gosyn.h"
#include "rwunsafe.h"
#include "util.h"

static const char *const shapes[] = { "decls", "stmts", "line", "args", "respell", "dot", "error" };
enum { NSHAPES = sizeof(shapes) / sizeof(*shapes) };

/* Generate a file of shape s with n elements; returns its wrapped sites. */
static size_t generate(const char *s, long n, struct strbuf *src)
{
	size_t sites = 0;

	if (!strcmp(s, "dot"))
		strbuf_addstr(src, "package scale\n\nimport . \"unsafe\"\n\ntype T struct{ a, b int64 }\n\n");
	else
		strbuf_addstr(src, "package scale\n\nimport \"unsafe\"\n\ntype T struct{ a, b int64 }\n\n"
				   "func g(p unsafe.Pointer) unsafe.Pointer { return p }\n\n");
	if (!strcmp(s, "decls") || !strcmp(s, "error")) {
		for (long i = 0; i < n; i++) {
			if (i % 10 == 0)
				strbuf_addstr(src, "//go:nosplit\n");
			strbuf_addf(src, "func f%ld(p *T) { _ = unsafe.Pointer(p) }\n", i);
			sites += i % 10 != 0;
		}
		if (!strcmp(s, "error")) {
			strbuf_addstr(src, "func broken( {\n");
			sites = 0;
		}
	} else if (!strcmp(s, "stmts")) {
		strbuf_addstr(src, "func f(p *T) {\n");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "\t_ = (*T)(unsafe.Pointer(p))\n");
		strbuf_addstr(src, "}\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "line")) {
		strbuf_addstr(src, "func f(p *T) { _ = []unsafe.Pointer{");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "unsafe.Pointer(p), ");
		strbuf_addstr(src, "} }\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "args")) {
		strbuf_addstr(src, "func h(x ...uintptr) {}\n\nfunc f(p *T) { h(");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "uintptr(unsafe.Pointer(p)), ");
		strbuf_addstr(src, ") }\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "respell")) {
		for (long i = 0; i < n; i++)
			strbuf_addf(src, "func (t *T) M%ld[X any]() { _ = new(g(unsafe.Pointer(t))) }\n", i);
		sites = (size_t)n;
	} else if (!strcmp(s, "dot")) {
		for (long i = 0; i < n; i++)
			strbuf_addf(src, "func f%ld(p *T, Add int) { String := Pointer(p); _ = String; _ = Add }\n", i);
		sites = (size_t)n;
	}
	return sites;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* Rewrite one generated file; check it when asked. */
static void run(const char *shape, long n, int verify)
{
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct rwunsafe ru;
	size_t want = generate(shape, n, &src), at;
	int changed = 0, r;

	rwunsafe_init(&ru, 1);
	r = rwunsafe_file(&ru, "scale.go", src.buf, src.len, &out, &changed);
	if (verify) {
		struct gosyn g;
		int parses = 0;
		if (changed && gosyn_parse(&g, out.buf, out.len) == 0) {
			parses = !gosyn_has_error(&g, &at);
			gosyn_release(&g);
		}
		check(r == (!strcmp(shape, "error") ? 1 : 0) && ru.nslots == want &&
			      (!want || (changed && parses &&
					 count_lines(out.buf, out.len) == count_lines(src.buf, src.len))),
		      "%s, %ld elements (%zu bytes): %u sites wrapped, output parses, same lines",
		      shape, n, src.len, ru.nslots);
	} else {
		printf("%s %ld: %zu bytes, %u sites wrapped\n", shape, n, src.len, ru.nslots);
	}
	rwunsafe_release(&ru);
	strbuf_release(&src);
	strbuf_release(&out);
}

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Parse only, then rewrite, each file; MB/s of each over all the files. */
static int throughput(int n, char **files)
{
	double parse = 0, rewrite = 0;
	size_t bytes = 0, sites = 0;

	for (int i = 0; i < n; i++) {
		struct strbuf src = STRBUF_INIT, out = STRBUF_INIT, sup = STRBUF_INIT;
		struct rwunsafe ru;
		struct gosyn g;
		double t0, t1, t2;
		int changed;

		if (strbuf_read_file(&src, files[i]) < 0) {
			fprintf(stderr, "test_scale: cannot read '%s'\n", files[i]);
			return 2;
		}
		t0 = cpu_seconds();
		if (gosyn_parse(&g, src.buf, src.len) == 0)
			gosyn_release(&g);
		t1 = cpu_seconds();
		rwunsafe_init(&ru, 1);
		rwunsafe_file(&ru, files[i], src.buf, src.len, &out, &changed);
		if (ru.nslots)
			rwunsafe_support(&ru, &sup);
		t2 = cpu_seconds();
		parse += t1 - t0;
		rewrite += t2 - t1;
		bytes += src.len;
		sites += ru.nslots;
		rwunsafe_release(&ru);
		strbuf_release(&src);
		strbuf_release(&out);
		strbuf_release(&sup);
	}
	printf("%d files, %zu bytes, %zu sites wrapped: parse %.2f MB/s, rewrite %.2f MB/s\n", n,
	       bytes, sites, bytes / 1e6 / (parse > 0 ? parse : 1e-9),
	       bytes / 1e6 / (rewrite > 0 ? rewrite : 1e-9));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--throughput"))
		return throughput(argc - 2, argv + 2);
	if (argc == 3) {
		run(argv[1], atol(argv[2]), 0);
		return 0;
	}
	for (int i = 0; i < NSHAPES; i++)
		run(shapes[i], 200, 1);
	return check_done();
}
