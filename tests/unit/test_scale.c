/*
 * test_scale.c - generated Go files of a given shape and size, for the
 * linearity of the unsafe rewrite (tests/scale.sh counts the instructions
 * of goinstr-types planning one, and of goinstr applying its plan, under
 * valgrind for two sizes ten times apart: a pass that is quadratic in some
 * dimension of a file shows as a ratio near 100, not 10).
 *
 * usage: test_scale gen SHAPE N FILE    write a file of SHAPE with N elements
 *        test_scale apply FILE PLAN     apply goinstr-types' plan of FILE
 *                                       (rwunsafe_load, _apply, _support)
 *        test_scale HELPER              every shape at a small size, planned
 *                                       by the helper and applied, checked:
 *                                       the sites the shape has, same lines
 *
 * Each shape makes one dimension of a file large, with small elements:
 *   decls   top-level functions (the root's width; //go:nosplit on some)
 *   stmts   statements of one block
 *   line    elements of one composite literal, on one line
 *   args    keepalive arguments of one call, on one line
 *   nest    terms of one expression, each nested in the one before
 *   dot     functions of a file that dot-imports unsafe
 *   error   declarations, then a syntax error on the last line
 */
#include <stdlib.h>

#include "check.h"
#include "gotypes.h"
#include "rwunsafe.h"
#include "util.h"

static const char *const shapes[] = { "decls", "stmts", "line", "args", "nest", "dot", "error" };
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
		strbuf_addstr(src, "func f(p unsafe.Pointer) {\n");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "\t_ = (*T)(p)\n");
		strbuf_addstr(src, "}\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "line")) {
		strbuf_addstr(src, "func f(p *T) { _ = []unsafe.Pointer{");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "unsafe.Pointer(p), ");
		strbuf_addstr(src, "} }\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "args")) {
		strbuf_addstr(src, "func h(x ...uintptr) {}\n\nfunc f(p unsafe.Pointer) { h(");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, "uintptr(p), ");
		strbuf_addstr(src, ") }\n");
		sites = (size_t)n;
	} else if (!strcmp(s, "nest")) {
		strbuf_addstr(src, "func f(p unsafe.Pointer) uintptr { return 0");
		for (long i = 0; i < n; i++)
			strbuf_addstr(src, " + uintptr(p)");
		strbuf_addstr(src, " }\n");
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

/* Apply a plan to its file (and write the wrapper file): the C side of a
 * compile's rewrite. 0, or -1 (reported). */
static int apply(const char *file, const char *plan, struct rwunsafe *ru, struct strbuf *src,
		 struct strbuf *out, int *changed)
{
	struct strbuf p = STRBUF_INIT, sup = STRBUF_INIT;
	int ret = -1;

	*changed = 0;
	if (strbuf_read_file(src, file) < 0 || strbuf_read_file(&p, plan) < 0)
		ret = error("cannot read '%s' or '%s'", file, plan);
	else if (rwunsafe_load(ru, p.buf, p.len) == 0 &&
		 rwunsafe_apply(ru, 0, src->buf, src->len, out, changed) == 0) {
		if (ru->nslots)
			rwunsafe_support(ru, &sup);
		ret = 0;
	}
	strbuf_release(&p);
	strbuf_release(&sup);
	return ret;
}

/* One shape at a small size through the helper and apply, checked. */
static void verify(const char *helper, const char *dir, const char *shape)
{
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT, file = STRBUF_INIT, plan = STRBUF_INIT;
	struct strbuf res = STRBUF_INIT;
	struct argv files = ARGV_INIT;
	struct rwunsafe ru;
	size_t want = generate(shape, 200, &src);
	int changed = 0, st;

	rwunsafe_init(&ru);
	strbuf_addf(&file, "%s/%s.go", dir, shape);
	strbuf_addf(&plan, "%s/%s.plan", dir, shape);
	argv_pushf(&files, "r=%s", file.buf);
	write_file(file.buf, src.buf, src.len, 0600);
	st = gotypes_run(helper, "", "go1.26", &files, 0, &out);
	write_file(plan.buf, out.buf, out.len, 0600);
	strbuf_reset(&src);
	check(st == 0 && apply(file.buf, plan.buf, &ru, &src, &res, &changed) == 0 &&
		      ru.nslots == want && !!ru.error == !strcmp(shape, "error") &&
		      (!want || (changed && count_lines(res.buf, res.len) == count_lines(src.buf, src.len))),
	      "%s, 200 elements (%zu bytes): %u sites wrapped (want %zu), same lines", shape, src.len,
	      ru.nslots, want);
	rwunsafe_release(&ru);
	argv_release(&files);
	strbuf_release(&src);
	strbuf_release(&out);
	strbuf_release(&file);
	strbuf_release(&plan);
	strbuf_release(&res);
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "gen")) {
		struct strbuf src = STRBUF_INIT;
		size_t sites = generate(argv[2], atol(argv[3]), &src);
		if (write_file(argv[4], src.buf, src.len, 0600) < 0)
			return 2;
		printf("%s %s: %zu bytes, %zu sites\n", argv[2], argv[3], src.len, sites);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "apply")) {
		struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
		struct rwunsafe ru;
		int changed;
		rwunsafe_init(&ru);
		if (apply(argv[2], argv[3], &ru, &src, &out, &changed) < 0)
			return 2;
		printf("%zu bytes, %u sites wrapped\n", src.len, ru.nslots);
		return 0;
	}
	if (argc == 2) {
		struct strbuf dir = STRBUF_INIT;
		if (workdir_create(&dir) < 0)
			return 2;
		for (int i = 0; i < NSHAPES; i++)
			verify(argv[1], dir.buf, shapes[i]);
		remove_tree(dir.buf);
		return check_done();
	}
	fprintf(stderr, "usage: test_scale gen SHAPE N FILE | apply FILE PLAN | HELPER\n");
	return 2;
}
