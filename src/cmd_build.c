/*
 * cmd_build.c - build, install, run, test (and sites): the go command with
 * the user's flags plus an overlay that instruments the standard library
 * and a -toolexec that wraps unsafe operations elsewhere (cmd_toolexec.c).
 *
 * Pipeline: goenv (plan) -> instrument_std (rewrite) -> overlay -> go,
 * with the sites inventory (inventory.c) written beside -o BIN.
 * The rewrite of the standard library is kept in goinstr's cache, keyed
 * by all of its inputs (instrument_key), so repeated builds skip it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "embedded.h"
#include "hash.h"
#include "inventory.h"
#include "instrument.h"
#include "overlay.h"
#include "sitescache.h"
#include "toolchain.h"
#include "util.h"

int instr_opts_parse(struct instr_opts *o, int argc, const char **argv)
{
	int i;

	o->ops = CATS_DEFAULT;
	o->keep_work = 0;
	o->inject_dir = NULL;
	o->unsafe = "all";
	o->trust_goroot = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		struct strbuf err = STRBUF_INIT;

		if (!strcmp(a, "--keep-work")) {
			o->keep_work = 1;
			continue;
		}
		if (!strcmp(a, "--trust-goroot")) {
			o->trust_goroot = 1;
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
			 const char *ikey, const char *mains, struct strbuf *out)
{
	struct strbuf key = STRBUF_INIT, id = STRBUF_INIT, w = STRBUF_INIT;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ret = 0;

	if (n <= 0) {
		ret = error("cannot find goinstr's own path: %s", strerror(errno));
		goto out;
	}
	self[n] = '\0';
	strbuf_addf(&key, "%s|%s|%s", ikey, o->unsafe, mains);
	sha256_buf_hex(key.buf, key.len, &id);
	strbuf_setlen(&id, 16);

	strbuf_addstr(out, "-toolexec=");
	add_word(out, self);
	add_word(out, "toolexec");
	strbuf_addf(&w, "--unsafe=%s", o->unsafe);
	add_word(out, w.buf);
	for (const char *m = mains; *m;) {
		size_t k = strcspn(m, "\n");
		if (k) {
			strbuf_reset(&w);
			strbuf_addf(&w, "--main=%.*s", (int)k, m);
			add_word(out, w.buf);
		}
		m += k + (m[k] == '\n');
	}
	strbuf_reset(&w);
	strbuf_addf(&w, "--goroot=%s", env->goroot);
	add_word(out, w.buf);
	strbuf_reset(&w);
	strbuf_addf(&w, "--id=%s", id.buf);
	add_word(out, w.buf);
out:
	strbuf_release(&key);
	strbuf_release(&id);
	strbuf_release(&w);
	return ret;
}

/* The value of the go command's -o flag, or NULL. */
static const char *output_flag(int argc, const char **argv)
{
	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--o")) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "-o=", 3))
			return argv[i] + 3;
		if (!strncmp(argv[i], "--o=", 4))
			return argv[i] + 4;
	}
	return NULL;
}

/* Everything a command that instruments needs: plan, rewrite, overlay. */
struct prep {
	struct instr_opts o;
	struct goenv env;
	struct overlay ov;
	struct rwreflect rw;
	struct strbuf ovpath, mains, reflect_sites;
	struct strbuf key; /* instrument_key() of the rewrite */
	int nopts;         /* goinstr options consumed */
};

static void prep_release(struct prep *p)
{
	overlay_release(&p->ov);
	rwreflect_release(&p->rw);
	goenv_release(&p->env);
	strbuf_release(&p->ovpath);
	strbuf_release(&p->mains);
	strbuf_release(&p->reflect_sites);
	strbuf_release(&p->key);
}

/*
 * Parse goinstr's options, ask the toolchain, and get the standard
 * library's rewrite into an overlay: from goinstr's cache when an
 * identical rewrite was made before, else made now (and cached; or in a
 * kept work directory with --keep-work). 0 or -1 (reported).
 */
static int prepare(struct prep *p, int argc, const char **argv)
{
	int hit = 0;

	memset(p, 0, sizeof(*p));
	strbuf_init(&p->ovpath, 0);
	strbuf_init(&p->mains, 0);
	strbuf_init(&p->reflect_sites, 0);
	strbuf_init(&p->key, 0);
	rwreflect_init(&p->rw, 0);
	if ((p->nopts = instr_opts_parse(&p->o, argc - 1, argv + 1)) < 0)
		return -1;
	p->rw.mask = p->o.ops;
	p->rw.trust_goroot = p->o.trust_goroot;
	for (int i = 1 + p->nopts; i < argc; i++)
		if (!strncmp(argv[i], "-overlay", 8) || !strncmp(argv[i], "--overlay", 9) ||
		    !strncmp(argv[i], "-toolexec", 9) || !strncmp(argv[i], "--toolexec", 10))
			return error("'%s': goinstr supplies -overlay and -toolexec itself", argv[i]);
	if (goenv_load(&p->env) < 0 || goenv_check_supported(&p->env) < 0)
		return -1;
	if (toolchain_is(p->env.goroot))
		return error("the go in PATH is the instrumented toolchain '%s': build with plain go"
			     " commands, or put another go first in PATH", p->env.goroot);
	if (goroot_prepare(&p->env) < 0)
		return -1;
	goroot_setenv(&p->env);
	if (goenv_main_dirs(&p->env, p->o.unsafe, &p->mains) < 0 ||
	    instrument_key(&p->env, p->o.ops, p->o.trust_goroot, &p->key) < 0)
		return -1;
	if (p->o.keep_work) {
		/* A fresh work directory, left for inspection. */
		if (overlay_init(&p->ov) < 0)
			return -1;
		p->ov.keep = 1;
	} else {
		/* The rewrite depends on nothing but its inputs: reuse it. */
		if (overlay_open_cached(&p->ov, p->key.buf, &hit, &p->ovpath) < 0)
			return -1;
	}
	if (hit) {
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/reflect-sites.jsonl", p->ov.final.buf);
		int r = strbuf_read_file(&p->reflect_sites, path.buf);
		strbuf_release(&path);
		if (r < 0)
			return error("cannot read the cached reflect sites: %s", strerror(errno));
	} else {
		struct sink sink = { overlay_sink, &p->ov };
		if (instrument_std(&p->env, &p->rw, &sink) < 0)
			return -1;
		inventory_reflect(&p->env, &p->rw, &p->reflect_sites);
		if (overlay_add_extra(&p->ov, "reflect-sites.jsonl", p->reflect_sites.buf,
				      p->reflect_sites.len) < 0 ||
		    overlay_finish(&p->ov, &p->ovpath) < 0)
			return -1;
	}
	if (p->o.keep_work)
		fprintf(stderr, "goinstr: work directory kept: %s\n", p->ov.dir.buf);
	return 0;
}

/*
 * Write BIN.sites.jsonl beside a binary just built with -o BIN: the
 * inventory remembered under BIN's build ID (sitescache.h) when there is
 * one, else planned now with go list (and remembered).
 */
static int write_sites(struct prep *p, const char *bin, int argc, const char **args)
{
	struct strbuf inv = STRBUF_INIT, id = STRBUF_INIT, key = STRBUF_INIT;
	struct strbuf ctx = STRBUF_INIT, path = STRBUF_INIT, gz = STRBUF_INIT;
	char cwd[4096];
	struct stat st;
	size_t n = strlen(bin);
	int ret = 0;

	if (!n || bin[n - 1] == '/' || (stat(bin, &st) == 0 && S_ISDIR(st.st_mode)))
		return 0; /* -o DIR: several binaries, no single inventory */
	if (buildid_read(bin, &id) == 0 && getcwd(cwd, sizeof(cwd))) {
		strbuf_addf(&ctx, "%s|%s|%s|%s|%s|%s", p->key.buf, p->o.unsafe, p->mains.buf,
			    cwd, p->env.gomodcache, p->env.goroot);
		sitescache_key(id.buf, ctx.buf, &key);
	}
	if (!key.len || sitescache_get(key.buf, &gz) < 0) { /* gz: BIN.sites.jsonl's bytes */
		strbuf_add(&inv, p->reflect_sites.buf, p->reflect_sites.len);
		if (inventory_unsafe(&p->env, p->o.unsafe, p->mains.buf, argc, args, &inv) < 0 ||
		    gz_compress(inv.buf, inv.len, &gz) < 0) {
			ret = error("cannot write the sites inventory of '%s'", bin);
			goto out;
		}
		if (key.len)
			sitescache_put(key.buf, inv.buf, inv.len, gz.buf, gz.len);
	}
	strbuf_addf(&path, "%s.sites.jsonl", bin);
	ret = write_file(path.buf, gz.buf, gz.len, 0644);
out:
	strbuf_release(&inv);
	strbuf_release(&id);
	strbuf_release(&key);
	strbuf_release(&ctx);
	strbuf_release(&path);
	strbuf_release(&gz);
	return ret;
}

static int go_verb(const char *verb, int argc, const char **argv)
{
	struct prep p;
	struct argv args = ARGV_INIT;
	int ret = EXIT_USAGE;
	const char **gargs, *bin;
	int gargc;

	if (prepare(&p, argc, argv) < 0)
		goto out;
	gargs = argv + 1 + p.nopts;
	gargc = argc - 1 - p.nopts;
	argv_push(&args, p.env.gocmd);
	argv_push(&args, verb);
	argv_pushf(&args, "-overlay=%s", p.ovpath.buf);
	if (strcmp(p.o.unsafe, "none")) {
		struct strbuf te = STRBUF_INIT;
		int r = toolexec_flag(&p.env, &p.o, p.key.buf, p.mains.buf, &te);
		if (!r)
			argv_push(&args, te.buf);
		strbuf_release(&te);
		if (r < 0)
			goto out;
	}
	for (int i = 0; i < gargc; i++)
		argv_push(&args, gargs[i]);
	ret = run_inherit((const char *const *)args.v);
	if (ret < 0)
		ret = EXIT_USAGE;
	if (!ret && !strcmp(verb, "build") && (bin = output_flag(gargc, gargs)) &&
	    write_sites(&p, bin, gargc, gargs) < 0)
		ret = EXIT_USAGE;
out:
	argv_release(&args);
	prep_release(&p);
	return ret;
}

int cmd_build(int argc, const char **argv) { return go_verb("build", argc, argv); }
int cmd_install(int argc, const char **argv) { return go_verb("install", argc, argv); }
int cmd_run(int argc, const char **argv) { return go_verb("run", argc, argv); }
int cmd_test(int argc, const char **argv) { return go_verb("test", argc, argv); }

/* goinstr sites [options] [build flags] [packages]: the inventory alone. */
int cmd_sites(int argc, const char **argv)
{
	struct prep p;
	struct strbuf out = STRBUF_INIT;
	int ret = EXIT_USAGE;

	if (prepare(&p, argc, argv) < 0)
		goto out;
	strbuf_add(&out, p.reflect_sites.buf, p.reflect_sites.len);
	if (inventory_unsafe(&p.env, p.o.unsafe, p.mains.buf, argc - 1 - p.nopts,
			     argv + 1 + p.nopts, &out) < 0)
		goto out;
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	prep_release(&p);
	return ret;
}
