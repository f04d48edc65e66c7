/*
 * cmd_build.c - build, install, run, test: the go command with the user's
 * flags plus an overlay that instruments the standard library.
 *
 * Pipeline: goenv (plan) -> instrument_std (rewrite) -> overlay -> go.
 * The rewrite of the standard library is kept in goinstr's cache, keyed
 * by all of its inputs (instrument_key), so repeated builds skip it.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "embedded.h"
#include "instrument.h"
#include "overlay.h"
#include "util.h"

int instr_opts_parse(struct instr_opts *o, int argc, const char **argv)
{
	int i;

	o->ops = CATS_DEFAULT;
	o->keep_work = 0;
	o->inject_dir = NULL;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		struct strbuf err = STRBUF_INIT;

		if (!strcmp(a, "--keep-work")) {
			o->keep_work = 1;
			continue;
		}
		if (!strncmp(a, "--inject-dir=", 13)) {
			o->inject_dir = a + 13;
			embedded_override(o->inject_dir);
			continue;
		}
		if (!strncmp(a, "--ops=", 6)) {
			val = a + 6;
		} else if (!strcmp(a, "--ops")) {
			if (i + 1 >= argc)
				return error("--ops needs a value (all, default or a comma list)");
			val = argv[++i];
		} else if (!strcmp(a, "--")) {
			return i + 1;
		} else {
			break; /* the go command's flags and packages start here */
		}
		if (cats_parse(val, &o->ops, &err) < 0) {
			error("%s", err.buf);
			strbuf_release(&err);
			return -1;
		}
	}
	return i;
}

static int overlay_sink(void *ctx, const char *target, const char *rel,
			const char *orig, size_t olen, const char *data, size_t len)
{
	(void)orig, (void)olen;
	return overlay_add(ctx, target, rel, data, len);
}

static int go_verb(const char *verb, int argc, const char **argv)
{
	struct instr_opts o;
	struct goenv env = { 0 };
	struct overlay ov = { 0 };
	struct rwreflect rw;
	struct strbuf ovpath = STRBUF_INIT;
	struct argv args = ARGV_INIT;
	int n, hit = 0, ret = EXIT_USAGE;

	rwreflect_init(&rw, 0);
	if ((n = instr_opts_parse(&o, argc - 1, argv + 1)) < 0)
		goto out;
	rw.mask = o.ops;
	for (int i = 1 + n; i < argc; i++)
		if (!strncmp(argv[i], "-overlay", 8) || !strncmp(argv[i], "--overlay", 9)) {
			error("'%s': goinstr supplies -overlay itself", argv[i]);
			goto out;
		}
	if (goenv_load(&env) < 0 || goenv_check_supported(&env) < 0 ||
	    goroot_prepare(&env) < 0)
		goto out;
	if (o.keep_work) {
		/* A fresh work directory, left for inspection. */
		if (overlay_init(&ov) < 0)
			goto out;
		ov.keep = 1;
	} else {
		/* The rewrite depends on nothing but its inputs: reuse it. */
		struct strbuf key = STRBUF_INIT;
		int r = instrument_key(&env, o.ops, &key);
		if (!r)
			r = overlay_open_cached(&ov, key.buf, &hit, &ovpath);
		strbuf_release(&key);
		if (r < 0)
			goto out;
	}
	if (!hit) {
		struct sink sink = { overlay_sink, &ov };
		if (instrument_std(&env, &rw, &sink) < 0 || overlay_finish(&ov, &ovpath) < 0)
			goto out;
	}
	if (o.keep_work)
		fprintf(stderr, "goinstr: work directory kept: %s\n", ov.dir.buf);

	goroot_setenv(&env);
	argv_push(&args, env.gocmd);
	argv_push(&args, verb);
	argv_pushf(&args, "-overlay=%s", ovpath.buf);
	for (int i = 1 + n; i < argc; i++)
		argv_push(&args, argv[i]);
	ret = run_inherit((const char *const *)args.v);
	if (ret < 0)
		ret = EXIT_USAGE;
out:
	argv_release(&args);
	strbuf_release(&ovpath);
	overlay_release(&ov);
	rwreflect_release(&rw);
	goenv_release(&env);
	return ret;
}

int cmd_build(int argc, const char **argv) { return go_verb("build", argc, argv); }
int cmd_install(int argc, const char **argv) { return go_verb("install", argc, argv); }
int cmd_run(int argc, const char **argv) { return go_verb("run", argc, argv); }
int cmd_test(int argc, const char **argv) { return go_verb("test", argc, argv); }
