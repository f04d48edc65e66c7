/*
 * cmd_build.c - build, install, run, test: the go command with the user's
 * flags plus an overlay that instruments the standard library.
 *
 * Pipeline: goenv (plan) -> instrument_std (rewrite) -> overlay -> go.
 * The rewrite of the standard library is kept in goinstr's cache, keyed
 * by all of its inputs (instrument_key), so repeated builds skip it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "embedded.h"
#include "hash.h"
#include "instrument.h"
#include "overlay.h"
#include "util.h"

int instr_opts_parse(struct instr_opts *o, int argc, const char **argv)
{
	int i;

	o->ops = CATS_DEFAULT;
	o->keep_work = 0;
	o->inject_dir = NULL;
	o->unsafe = "all";
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
		if (!strncmp(a, "--unsafe=", 9)) {
			o->unsafe = a + 9;
			if (strcmp(o->unsafe, "all") && strcmp(o->unsafe, "main") &&
			    strcmp(o->unsafe, "deps") && strcmp(o->unsafe, "none"))
				return error("unknown --unsafe scope '%s' (want all, main, deps or none)",
					     o->unsafe);
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

/* Append word to a -toolexec value, quoted for the go command's splitter. */
static void add_word(struct strbuf *sb, const char *w)
{
	if (sb->len && sb->buf[sb->len - 1] != '=')
		strbuf_addch(sb, ' ');
	if (!w[strcspn(w, " \t\n'\"")])
		strbuf_addstr(sb, w);
	else
		strbuf_addf(sb, strchr(w, '\'') ? "\"%s\"" : "'%s'", w);
}

/*
 * The -toolexec flag that wraps unsafe operations (cmd_toolexec.c): this
 * goinstr, the scope, the main modules' directories (for main/deps) and an
 * identity that changes with anything that changes the rewrite.
 */
static int toolexec_flag(const struct goenv *env, const struct instr_opts *o,
			 struct strbuf *out)
{
	static const char *const list_mods[] = { "go", "list", "-m", "-f", "{{.Dir}}", NULL };
	struct strbuf self = STRBUF_INIT, mods = STRBUF_INIT, key = STRBUF_INIT;
	struct strbuf id = STRBUF_INIT, w = STRBUF_INIT;
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	int ret = 0;

	if (n <= 0) {
		ret = error("cannot find goinstr's own path: %s", strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	strbuf_addstr(&self, buf);
	if (strcmp(o->unsafe, "all")) {
		const char *const *cmd = list_mods;
		if (run_capture(cmd, &mods) != 0) {
			ret = error("'go list -m' failed: --unsafe=%s needs a main module", o->unsafe);
			goto out;
		}
	}
	if ((ret = instrument_key(env, o->ops, &key)) < 0)
		goto out;
	strbuf_addf(&key, "|%s|%s", o->unsafe, mods.buf);
	sha256_buf_hex(key.buf, key.len, &id);
	strbuf_setlen(&id, 16);

	strbuf_addstr(out, "-toolexec=");
	add_word(out, self.buf);
	add_word(out, "toolexec");
	strbuf_addf(&w, "--unsafe=%s", o->unsafe);
	add_word(out, w.buf);
	for (char *line = mods.buf, *nl; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if (*line) {
			strbuf_reset(&w);
			strbuf_addf(&w, "--main=%s", line);
			add_word(out, w.buf);
		}
		if (!nl[1])
			break;
	}
	strbuf_reset(&w);
	strbuf_addf(&w, "--id=%s", id.buf);
	add_word(out, w.buf);
out:
	strbuf_release(&self);
	strbuf_release(&mods);
	strbuf_release(&key);
	strbuf_release(&id);
	strbuf_release(&w);
	return ret;
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
		if (!strncmp(argv[i], "-overlay", 8) || !strncmp(argv[i], "--overlay", 9) ||
		    !strncmp(argv[i], "-toolexec", 9) || !strncmp(argv[i], "--toolexec", 10)) {
			error("'%s': goinstr supplies -overlay and -toolexec itself", argv[i]);
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
	if (strcmp(o.unsafe, "none")) {
		struct strbuf te = STRBUF_INIT;
		if (toolexec_flag(&env, &o, &te) < 0) {
			strbuf_release(&te);
			goto out;
		}
		argv_push(&args, te.buf);
		strbuf_release(&te);
	}
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
