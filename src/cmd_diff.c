/*
 * cmd_diff.c - `goinstr diff`: the exact changes an instrumented build
 * makes, as a unified diff: the standard library's rewrite (reflect's
 * hooks, the files added to reflect and runtime) and, with packages, the
 * unsafe wrappers of user and dependency code and the file of wrappers
 * each such package gets. Nothing is built; the output is deterministic.
 *
 * The diff itself is diff(1)'s (diffutils), on copies in a private
 * temporary directory.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "goenv.h"
#include "gotypes.h"
#include "instrument.h"
#include "plan.h"
#include "rwunsafe.h"
#include "run.h"
#include "util.h"

struct differ {
	struct strbuf dir; /* private temporary directory */
	int failed;
	/* the whole diff, printed when every package was found and planned:
	 * an error comes before any output */
	struct strbuf out;
};

/* Print the unified diff of orig (NULL: an added file) and data as path. */
static int show(void *ctx, const char *target, const char *rel,
		const char *orig, size_t olen, const char *data, size_t len)
{
	struct differ *d = ctx;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, la = STRBUF_INIT, lb = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT;
	int st, ret = 0;

	(void)rel;
	strbuf_addf(&a, "%s/a", d->dir.buf);
	strbuf_addf(&b, "%s/b", d->dir.buf);
	strbuf_addf(&la, "a%s", orig ? target : "/dev/null");
	strbuf_addf(&lb, "b%s", target);
	if (write_file(a.buf, orig ? orig : "", orig ? olen : 0, 0600) < 0 ||
	    write_file(b.buf, data, len, 0600) < 0) {
		ret = -1;
		goto out;
	}
	{
		const char *argv[] = { "diff", "-u", "--label", la.buf, "--label", lb.buf,
				       a.buf, b.buf, NULL };
		st = run_capture(argv, NULL, &out);
	}
	if (st < 0 || st > 1) {
		ret = error("'diff' failed on '%s'", target);
		goto out;
	}
	strbuf_add(&d->out, out.buf, out.len);
out:
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&la);
	strbuf_release(&lb);
	strbuf_release(&out);
	return ret;
}

struct pkgdiff {
	struct differ *d;
	const char *helper;
};

/* One package's taps, planned as its compile plans them, shown as diffs. */
static int diff_package(const struct plan_pkg *p, void *vctx)
{
	struct pkgdiff *c = vctx;
	struct strbuf out = STRBUF_INIT;
	struct rwunsafe ru;
	int ret = 0;

	rwunsafe_init(&ru);
	ru.trim = p->trim;
	if (plan_helper(p, c->helper, 0, &out) != 0 || rwunsafe_load(&ru, out.buf, out.len) < 0) {
		ret = error("cannot plan the taps of '%s'", p->path);
		goto out;
	}
	if (ru.error) {
		warning("package %s: go/types cannot type-check it: %s", p->path, ru.error);
		goto out;
	}
	for (size_t i = 0; i < p->files.nr && !ret; i++) {
		struct strbuf src = STRBUF_INIT, res = STRBUF_INIT;
		const char *f = p->files.v[i] + 2;
		int changed = 0;
		if (p->files.v[i][0] == 'r' && strbuf_read_file(&src, f) == 0 &&
		    rwunsafe_apply(&ru, (int)i, src.buf, src.len, &res, &changed) == 0 && changed)
			ret = show(c->d, f, NULL, src.buf, src.len, res.buf, res.len);
		strbuf_release(&src);
		strbuf_release(&res);
	}
	if (!ret && ru.nslots) {
		struct strbuf sup = STRBUF_INIT, path = STRBUF_INIT;
		rwunsafe_support(&ru, &sup);
		strbuf_addf(&path, "%s/zz_goinstr_unsafe.go", p->dir);
		ret = show(c->d, path.buf, NULL, NULL, 0, sup.buf, sup.len);
		strbuf_release(&sup);
		strbuf_release(&path);
	}
out:
	rwunsafe_release(&ru);
	strbuf_release(&out);
	return ret;
}

int cmd_diff(int argc, const char **argv)
{
	struct instr_opts o;
	struct goenv env = { 0 };
	struct rwreflect rw;
	struct differ d = { STRBUF_INIT, 0, STRBUF_INIT };
	struct strbuf mains = STRBUF_INIT, helper = STRBUF_INIT;
	int n, ret = EXIT_USAGE;

	rwreflect_init(&rw, 0);
	instr_opts_init(&o);
	if ((n = instr_opts_parse(instr_common_options, &o, &argc, argv, 1)) < 0)
		goto out;
	rw.mask = o.ops;
	rw.trust_goroot = o.trust_goroot;
	if (goenv_load(&env) < 0 || goenv_check_supported(&env) < 0 ||
	    workdir_create(&d.dir) < 0)
		goto out;
	{
		struct sink sink = { show, &d };
		if (instrument_std(&env, &rw, &sink) < 0)
			goto out;
	}
	if (n < argc && strcmp(o.unsafe, "none")) {
		struct pkgdiff c = { &d, NULL };
		if (goenv_main_dirs(&env, o.unsafe, &mains) < 0 ||
		    gotypes_ensure(&env, o.trust_goroot, &helper) < 0)
			goto out;
		c.helper = helper.buf;
		if (plan_packages(&env, NULL, 0, argc - n, argv + n, o.unsafe, mains.buf,
				  diff_package, &c) != 0)
			goto out;
	}
	if (fwrite(d.out.buf, 1, d.out.len, stdout) != d.out.len) {
		error("cannot write to standard output");
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&d.out);
	if (d.dir.len)
		remove_tree(d.dir.buf);
	strbuf_release(&d.dir);
	strbuf_release(&mains);
	strbuf_release(&helper);
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}
