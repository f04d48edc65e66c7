/*
 * test_goroot.c - the real standard library: every .go file of GOROOT/src
 * (testdata excluded: it holds deliberately broken files) parses with no
 * error node (none exempt), and instrumenting it twice gives
 * byte-identical files that keep their line counts.
 *
 * usage: test_goroot   (GOROOT from `go env`)
 */
#include <ftw.h>
#include <stdlib.h>

#include "check.h"
#include "goenv.h"
#include "gosyn.h"
#include "instrument.h"
#include "util.h"

static unsigned long files, bad, bytes;

static size_t count_lines(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* Whether src parses with no error node; if not, say where (what: whose). */
static int parses_clean(const char *what, const char *path, const char *src, size_t len)
{
	struct gosyn g;
	size_t at;
	unsigned l, c;

	if (gosyn_parse(&g, src, len) < 0) {
		printf("# %s %s: no tree\n", what, path);
		return 0;
	}
	if (gosyn_has_error(&g, &at)) {
		gosyn_linecol(&g, at, &l, &c);
		printf("# %s %s: syntax error node at %u:%u\n", what, path, l, c);
		gosyn_release(&g);
		return 0;
	}
	gosyn_release(&g);
	return 1;
}

/*
 * No file is exempt: syntax tree-sitter-go 0.25.0 predates (Go 1.26's
 * new(expr), a local variable named make called as a function, Go 1.27's
 * methods with type parameters in math/rand/v2 and runtime's tests) parses
 * through gosyn's respelling, to a tree with no error node.
 */
static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);
	struct strbuf src = STRBUF_INIT;

	(void)st, (void)ftw;
	if (flag == FTW_D && !strcmp(path + ftw->base, "testdata"))
		return FTW_SKIP_SUBTREE;
	if (flag != FTW_F || n < 3 || strcmp(path + n - 3, ".go"))
		return FTW_CONTINUE;
	files++;
	if (strbuf_read_file(&src, path) < 0) {
		bad++;
		printf("# cannot read %s\n", path);
	} else {
		bad += !parses_clean("parse of", path, src.buf, src.len);
		bytes += src.len;
	}
	strbuf_release(&src);
	return FTW_CONTINUE;
}

struct capture {
	struct strbuf all;
	int lines_ok;
};

static int capture(void *ctx, const char *target, const char *rel,
		   const char *orig, size_t olen, const char *data, size_t len)
{
	struct capture *c = ctx;

	strbuf_addf(&c->all, "== %s %s\n", target, rel);
	strbuf_add(&c->all, data, len);
	if (orig && count_lines(orig, olen) != count_lines(data, len)) {
		printf("# %s: line count changed\n", rel);
		c->lines_ok = 0;
	}
	return 0;
}

static int instrument_once(const struct goenv *env, struct capture *c, unsigned *hooks,
			   int check_table)
{
	struct rwreflect rw;
	struct sink sink = { capture, c };
	int r;

	strbuf_init(&c->all, 0);
	c->lines_ok = 1;
	rwreflect_init(&rw, CATS_ALL);
	r = instrument_std(env, &rw, &sink);
	*hooks = rw.nhooks;
	/* Every op the category table names exists in this reflect. */
	for (size_t i = 0; check_table && reflectop_listed(i); i++) {
		const char *op = reflectop_listed(i);
		int found = 0;
		for (size_t j = 0; j < rw.nops && !found; j++)
			found = !strcmp(rw.ops[j].name, op);
		check(found, "categorized op %s exists", op);
	}
	rwreflect_release(&rw);
	return r;
}

int main(void)
{
	struct goenv env;
	struct strbuf src = STRBUF_INIT;
	struct capture a, b;
	unsigned ha, hb;

	if (goenv_load(&env) < 0) {
		check(0, "go env");
		return check_done();
	}
	strbuf_addf(&src, "%s/src", env.goroot);
	nftw(src.buf, visit, 32, FTW_PHYS | FTW_ACTIONRETVAL);
	check(files > 4000, "GOROOT %s has %lu .go files (%lu MB)", env.version, files, bytes >> 20);
	check(bad == 0, "all parse without error nodes (%lu failed)", bad);

	check(instrument_once(&env, &a, &ha, 1) == 0, "instrument %s (all ops)", env.version);
	check(instrument_once(&env, &b, &hb, 0) == 0, "instrument again");
	check(ha > 100 && ha == hb, "%u hooks both times", ha);
	check(a.all.len == b.all.len && !memcmp(a.all.buf, b.all.buf, a.all.len),
	      "both runs are byte-identical (%zu bytes)", a.all.len);
	check(a.lines_ok, "every rewritten file keeps its line count");
	strbuf_release(&a.all);
	strbuf_release(&b.all);
	strbuf_release(&src);
	goenv_release(&env);
	return check_done();
}
