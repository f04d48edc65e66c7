/*
 * test_rewrite.c - rewriter golden tests: each tests/rewrite/X.go is
 * rewritten with every category selected and compared byte for byte with
 * X.go.golden (the rewritten file, then the generated goinstr_ops.go).
 * UPDATE_GOLDEN=1 rewrites the goldens instead: review their diff.
 *
 * Invariants checked on every fixture: the output parses with no error,
 * has the same number of lines, and each original line survives in its
 * rewritten line in order at its own columns up to the first insertion.
 */
#include <dirent.h>
#include <stdlib.h>

#include "check.h"
#include "gosyn.h"
#include "rwreflect.h"
#include "rwunsafe.h"
#include "util.h"

static size_t count_lines(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* Whether every line of a is a subsequence of the same line of b. */
static int lines_kept(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	while (i < an) {
		if (j >= bn)
			return 0;
		if (a[i] == b[j]) {
			i++, j++;
		} else if (b[j] == '\n') {
			return 0; /* b's line ended first */
		} else {
			j++;
		}
	}
	return 1;
}

static void compare_golden(const char *gold, struct strbuf *out, const char *what)
{
	struct strbuf want = STRBUF_INIT;

	if (getenv("UPDATE_GOLDEN")) {
		check(write_file(gold, out->buf, out->len, 0644) == 0, "update %s", gold);
	} else if (strbuf_read_file(&want, gold) < 0) {
		check(0, "read %s (UPDATE_GOLDEN=1 creates it)", gold);
	} else {
		int same = want.len == out->len && !memcmp(want.buf, out->buf, out->len);
		check(same, "%s matches %s", what, gold);
		if (!same) {
			struct strbuf got = STRBUF_INIT;
			strbuf_addf(&got, "%s.got", gold);
			write_file(got.buf, out->buf, out->len, 0644);
			printf("#   output written to %s\n", got.buf);
			strbuf_release(&got);
		}
	}
	strbuf_release(&want);
}

static void run_fixture(const char *dir, const char *name)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT, out = STRBUF_INIT;
	struct strbuf gold = STRBUF_INIT;
	struct rwreflect rw;
	struct gosyn g;
	unsigned hooks;
	size_t at;

	rwreflect_init(&rw, CATS_ALL);
	strbuf_addf(&path, "%s/%s", dir, name);
	if (strbuf_read_file(&src, path.buf) < 0) {
		check(0, "read %s", path.buf);
		return;
	}
	check(rwreflect_file(&rw, name, src.buf, src.len, &out, &hooks) == 0,
	      "%s rewrites", name);
	check(hooks > 0, "%s gets hooks (%u)", name, hooks);
	check(count_lines(out.buf, out.len) == count_lines(src.buf, src.len),
	      "%s keeps its line count", name);
	check(lines_kept(src.buf, src.len, out.buf, out.len),
	      "%s keeps every original line in place", name);
	check(gosyn_parse(&g, out.buf, out.len) == 0 && !gosyn_has_error(&g, &at),
	      "%s output parses", name);
	gosyn_release(&g);

	strbuf_addstr(&out, "\n// ---- goinstr_ops.go ----\n");
	rwreflect_support(&rw, "test", &out);
	strbuf_addf(&gold, "%s.golden", path.buf);
	compare_golden(gold.buf, &out, name);
	/* Same input, same output: no hidden state between runs. */
	{
		struct rwreflect rw2;
		struct strbuf out2 = STRBUF_INIT, first = STRBUF_INIT;
		rwreflect_init(&rw2, CATS_ALL);
		rwreflect_file(&rw2, name, src.buf, src.len, &out2, &hooks);
		strbuf_add(&first, out.buf, strstr(out.buf, "\n// ---- goinstr_ops.go") - out.buf);
		check(first.len == out2.len && !memcmp(first.buf, out2.buf, out2.len),
		      "%s rewrites identically twice", name);
		rwreflect_release(&rw2);
		strbuf_release(&out2);
		strbuf_release(&first);
	}
	rwreflect_release(&rw);
	strbuf_release(&path);
	strbuf_release(&src);
	strbuf_release(&out);
	strbuf_release(&gold);
}

/*
 * Unsafe fixtures: tests/rewrite/unsafe/X.plan.jsonl, the plan
 * goinstr-types made of its fixture helper/testdata/X.go (whose goldens
 * there are the helper's own), applied as the compile step applies it;
 * X.go.golden here holds the rewritten file, the sites as the inventory
 * lists them and the wrapper file.
 */
static void run_unsafe_fixture(const char *dir, const char *helper_dir, const char *plan_name)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT, out = STRBUF_INIT, gold = STRBUF_INIT;
	struct strbuf plan = STRBUF_INIT, name = STRBUF_INIT;
	struct rwunsafe ru;
	int changed = 0;

	rwunsafe_init(&ru);
	strbuf_addf(&name, "%.*s.go", (int)(strlen(plan_name) - strlen(".plan.jsonl")), plan_name);
	strbuf_addf(&path, "%s/%s", helper_dir, name.buf);
	strbuf_addf(&plan, "%s/%s", dir, plan_name);
	if (strbuf_read_file(&src, path.buf) < 0) {
		check(0, "read %s", path.buf);
		goto out;
	}
	strbuf_reset(&gold);
	if (strbuf_read_file(&gold, plan.buf) < 0) {
		check(0, "read %s", plan.buf);
		goto out;
	}
	check(rwunsafe_load(&ru, gold.buf, gold.len) == 0 && !ru.error, "%s: its plan loads",
	      name.buf);
	check(rwunsafe_apply(&ru, 0, src.buf, src.len, &out, &changed) == 0 && changed,
	      "%s: its plan applies", name.buf);
	check(count_lines(out.buf, out.len) == count_lines(src.buf, src.len),
	      "%s keeps its line count", name.buf);
	strbuf_addstr(&out, "\n// ---- sites ----\n");
	for (size_t i = 0; i < ru.nr; i++) {
		strbuf_addstr(&out, "// ");
		usite_json(&ru.v[i], &out);
		strbuf_addch(&out, '\n');
	}
	strbuf_addstr(&out, "\n// ---- blind spots ----\n// ");
	rwunsafe_blind(&ru, &out);
	strbuf_addch(&out, '\n');
	if (ru.nslots) {
		strbuf_addstr(&out, "\n// ---- zz_goinstr_unsafe.go ----\n");
		rwunsafe_support(&ru, &out);
	}
	strbuf_reset(&gold);
	strbuf_addf(&gold, "%s/%s.golden", dir, name.buf);
	compare_golden(gold.buf, &out, name.buf);
out:
	rwunsafe_release(&ru);
	strbuf_release(&name);
	strbuf_release(&path);
	strbuf_release(&src);
	strbuf_release(&out);
	strbuf_release(&gold);
	strbuf_release(&plan);
}

/* Output goinstr does not understand is refused, never half applied. */
static void bad_plans(void)
{
	static const char *const plans[] = {
		"not json\n",
		"{\"what\":1}\n",
		"{\"site\":{\"op\":\"unsafe.Pointer\"}}\n",
		"{\"site\":{\"file\":\"a.go\",\"op\":\"unsafe.Pointer\",\"wrapped\":true,\"slot\":3}}\n",
		"{\"edit\":{\"in\":0,\"off\":1,\"text\":\"a\\nb\"}}\n",
		"{\"edit\":{\"in\":0,\"off\":-1,\"text\":\"x\"}}\n",
	};
	for (size_t i = 0; i < sizeof(plans) / sizeof(*plans); i++) {
		struct rwunsafe ru;
		rwunsafe_init(&ru);
		check(rwunsafe_load(&ru, plans[i], strlen(plans[i])) < 0, "bad plan %zu refused", i);
		rwunsafe_release(&ru);
	}
	{
		const char *p = "{\"edit\":{\"in\":0,\"off\":99,\"text\":\"x\"}}\n";
		struct rwunsafe ru;
		struct strbuf out = STRBUF_INIT;
		int changed = 1;
		rwunsafe_init(&ru);
		check(rwunsafe_load(&ru, p, strlen(p)) == 0 &&
			      rwunsafe_apply(&ru, 0, "package p\n", 10, &out, &changed) < 0 && !out.len,
		      "an edit past the end of its file is refused");
		rwunsafe_release(&ru);
		strbuf_release(&out);
	}
}

/*
 * Op numbers have 9 bits of a dedup key: a reflect with more hookable
 * functions than that is refused with an error, never silently wrapped.
 */
static void too_many_hooks(void)
{
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct rwreflect rw;
	unsigned hooks;

	strbuf_addstr(&src, "package reflect\n");
	for (int i = 0; i < RWREFLECT_MAX_HOOKS; i++)
		strbuf_addf(&src, "func F%d(t Type) {}\n", i);
	rwreflect_init(&rw, CATS_ALL);
	check(rwreflect_file(&rw, "max.go", src.buf, src.len, &out, &hooks) == 0 &&
		      hooks == RWREFLECT_MAX_HOOKS,
	      "%d hooks are accepted", RWREFLECT_MAX_HOOKS);
	strbuf_addstr(&src, "func One(t Type) {}\n");
	strbuf_reset(&out);
	rwreflect_release(&rw);
	rwreflect_init(&rw, CATS_ALL);
	check(rwreflect_file(&rw, "max.go", src.buf, src.len, &out, &hooks) < 0,
	      "%d hooks are refused", RWREFLECT_MAX_HOOKS + 1);
	rwreflect_release(&rw);
	strbuf_release(&src);
	strbuf_release(&out);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/rewrite";
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	check(n > 0, "fixtures in %s", dir);
	for (int i = 0; i < n; i++) {
		if (has_suffix(ents[i]->d_name, ".go"))
			run_fixture(dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);

	{
		struct strbuf ud = STRBUF_INIT, hd = STRBUF_INIT;
		strbuf_addf(&ud, "%s/unsafe", dir);
		strbuf_addf(&hd, "%s/../../helper/testdata", dir);
		n = scandir(ud.buf, &ents, NULL, alphasort);
		check(n > 0, "unsafe fixtures in %s", ud.buf);
		for (int i = 0; i < n; i++) {
			if (has_suffix(ents[i]->d_name, ".plan.jsonl"))
				run_unsafe_fixture(ud.buf, hd.buf, ents[i]->d_name);
			free(ents[i]);
		}
		free(ents);
		strbuf_release(&ud);
		strbuf_release(&hd);
	}
	too_many_hooks();
	bad_plans();
	return check_done();
}
