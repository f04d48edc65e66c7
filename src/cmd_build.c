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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "cmds.h"
#include "commands.h"
#include "embedded.h"
#include "goflags.h"
#include "gotypes.h"
#include "hash.h"
#include "inventory.h"
#include "instrument.h"
#include "isolate.h"
#include "logpath.h"
#include "overlay.h"
#include "policy.h"
#include "progbox.h"
#include "sitegate.h"
#include "sitescache.h"
#include "toolchain.h"
#include "run.h"
#include "util.h"

static int overlay_sink(void *ctx, const char *target, const char *rel,
			const char *orig, size_t olen, const char *data, size_t len)
{
	(void)orig, (void)olen;
	return overlay_add(ctx, target, rel, data, len);
}

/*
 * The -toolexec flag that wraps unsafe operations (cmd_toolexec.c): this
 * goinstr, the scope, the main modules' directories (for main/deps) and
 * the rewrite's identity (instrument_unsafe_id: not the op mask, which
 * reaches the compiler through the overlay's content); for a toolchain
 * in the module cache, the rewrite that names dependencies' files as
 * plain builds do (goroot_prepare). Passed with --unsafe=none too: the
 * shim also names the overlaid standard-library files $GOROOT/... in the
 * objects (cmd_toolexec.c).
 */
static int toolexec_flag(const struct goenv *env, const struct instr_opts *o,
			 const char *mains, const char *keep, const char *helper, struct strbuf *out)
{
	struct strbuf id = STRBUF_INIT, w = STRBUF_INIT;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int ret = 0;

	if (n <= 0) {
		ret = error("cannot find goinstr's own path: %s", strerror(errno));
		goto out;
	}
	self[n] = '\0';
	instrument_unsafe_id(env->goroot, o->unsafe, mains, &id);

	strbuf_addstr(out, "-toolexec=");
	goflags_add_word(out, self);
	goflags_add_word(out, "toolexec");
	strbuf_addf(&w, "--unsafe=%s", o->unsafe);
	goflags_add_word(out, w.buf);
	for (const char *m = mains; *m;) {
		size_t k = strcspn(m, "\n");
		if (k) {
			strbuf_reset(&w);
			strbuf_addf(&w, "--main=%.*s", (int)k, m);
			goflags_add_word(out, w.buf);
		}
		m += k + (m[k] == '\n');
	}
	strbuf_reset(&w);
	strbuf_addf(&w, "--goroot=%s", env->goroot);
	goflags_add_word(out, w.buf);
	strbuf_reset(&w);
	strbuf_addf(&w, "--id=%s", id.buf);
	goflags_add_word(out, w.buf);
	if (*helper) { /* none with --unsafe=none */
		strbuf_reset(&w);
		strbuf_addf(&w, "--helper=%s", helper);
		goflags_add_word(out, w.buf);
	}
	strbuf_reset(&w);
	strbuf_addf(&w, "--go=%s", env->version);
	goflags_add_word(out, w.buf);
	if (env->modcache_trim) {
		strbuf_reset(&w);
		strbuf_addf(&w, "--trimpath-rewrite=%s", env->modcache_trim);
		goflags_add_word(out, w.buf);
	}
	strbuf_reset(&w); /* the link marks the binary with them (buildinfo.h) */
	strbuf_addstr(&w, "--ops=");
	cats_format(o->ops, &w);
	goflags_add_word(out, w.buf);
	if (o->trust_goroot)
		goflags_add_word(out, "--trust-goroot");
	if (keep) { /* --keep-work: the compiles' copies beside the overlay */
		strbuf_reset(&w);
		strbuf_addf(&w, "--work=%s", keep);
		goflags_add_word(out, w.buf);
	}
out:
	strbuf_release(&id);
	strbuf_release(&w);
	return ret;
}

/* Everything a command that instruments needs: plan, rewrite, overlay. */
struct prep {
	struct instr_opts o;
	struct goenv env;
	struct overlay ov;
	struct rwreflect rw;
	struct strbuf ovpath, mains, reflect_sites;
	struct strbuf key;    /* instrument_key() of the rewrite */
	struct strbuf helper; /* goinstr-types (gotypes.h) */
	struct argv iflags;   /* -overlay and -toolexec: what instruments a go command */
	int goargs;           /* argv index of the go command's first flag or package */
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
	strbuf_release(&p->helper);
	argv_release(&p->iflags);
}

/* Parse goinstr's options opts (once: instropts.h) into a fresh p, which
 * prep_release frees either way; *argc may shrink (-C). 0 or -1. */
static int parse(struct prep *p, const struct option *opts, int *argc, const char **argv)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->ovpath, 0);
	strbuf_init(&p->mains, 0);
	strbuf_init(&p->reflect_sites, 0);
	strbuf_init(&p->key, 0);
	strbuf_init(&p->helper, 0);
	rwreflect_init(&p->rw, 0);
	instr_opts_init(&p->o);
	p->goargs = instr_opts_parse(opts, &p->o, argc, argv, 1);
	return p->goargs < 0 ? -1 : 0;
}

/* -overlay and -toolexec are goinstr's: refused among the go command's
 * flags. 0 or -1 (reported). */
static int refuse_own_flags(const struct prep *p, int argc, const char **argv)
{
	struct goflag f;
	int pos = p->goargs;

	while (goflags_next(argc, argv, &pos, &f))
		if (f.name && (!strncmp(f.name, "overlay", 7) || !strncmp(f.name, "toolexec", 8)) &&
		    (f.kind & GF_VALUE))
			return error("'%s': goinstr supplies -overlay and -toolexec itself",
				     argv[f.index]);
	return 0;
}

/* The same in GOFLAGS (p->env loaded). */
static int refuse_goflags(const struct prep *p)
{
	for (const char *const *n = (const char *const[]){ "overlay", "toolexec", NULL }; *n; n++) {
		struct strbuf v = STRBUF_INIT;
		int set = goflags_in(p->env.goflags, *n, &v);
		if (set)
			error("'-%s=%s' in GOFLAGS: goinstr supplies -overlay and -toolexec itself",
			      *n, v.buf);
		strbuf_release(&v);
		if (set)
			return -1;
	}
	return 0;
}

/*
 * The standard library's rewrite into p->ov (its overlay file in
 * p->ovpath, its reflect sites in p->reflect_sites): from goinstr's cache
 * when an identical rewrite was made before, else made now (and cached;
 * or in a kept work directory with --keep-work). 0 or -1 (reported).
 */
static int std_overlay(struct prep *p)
{
	int hit = 0;

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
	return 0;
}

/* The -toolexec flag, pushed to p->iflags: with --unsafe=none too
 * (toolexec_flag: the shim names std's files; its link marks the binary),
 * but no type checker. 0 or -1 (reported). */
static int push_toolexec(struct prep *p)
{
	struct strbuf te = STRBUF_INIT;
	int r = strcmp(p->o.unsafe, "none") ? gotypes_ensure(&p->env, p->o.trust_goroot, &p->helper)
					    : 0;

	if (!r)
		r = toolexec_flag(&p->env, &p->o, p->mains.buf,
				  p->o.keep_work ? p->ov.dir.buf : NULL, p->helper.buf, &te);
	if (!r)
		argv_push(&p->iflags, te.buf);
	strbuf_release(&te);
	return r < 0 ? -1 : 0;
}

/*
 * Ask the toolchain (goinstr's options parsed into p), and get the standard
 * library's rewrite into an overlay (std_overlay) and the flags that name
 * it and the compile shim into p->iflags. 0 or -1 (reported).
 */
static int prepare(struct prep *p, int argc, const char **argv)
{
	{
		/* goinstr's cache is the user's, or nothing is built (cache.h) */
		struct strbuf root = STRBUF_INIT;
		int r = cache_root(&root);
		strbuf_release(&root);
		if (r < 0)
			return -1;
	}
	p->rw.mask = p->o.ops;
	p->rw.trust_goroot = p->o.trust_goroot;
	if (refuse_own_flags(p, argc, argv) < 0)
		return -1;
	if (goenv_load(&p->env) < 0 || goenv_check_supported(&p->env) < 0 || refuse_goflags(p) < 0)
		return -1;
	if (toolchain_is(p->env.goroot))
		return error("the go in PATH is the instrumented toolchain '%s': build with plain go"
			     " commands, or put another go first in PATH", p->env.goroot);
	if (goroot_prepare(&p->env) < 0)
		return -1;
	if (goenv_main_dirs(&p->env, p->o.unsafe, &p->mains) < 0 ||
	    instrument_key(&p->env, p->o.ops, p->o.trust_goroot, &p->key) < 0)
		return -1;
	if (std_overlay(p) < 0)
		return -1;
	if (p->o.keep_work)
		fprintf(stderr, "goinstr: work directory kept: %s\n", p->ov.dir.buf);
	argv_pushf(&p->iflags, "-overlay=%s", p->ovpath.buf);
	return push_toolexec(p);
}

/* The unsafe sites of a build (inventory_unsafe), with test its tests'. */
static int plan_sites(struct prep *p, int test, int argc, const char **args, struct strbuf *out)
{
	return inventory_unsafe(&p->env, &p->iflags, test, p->helper.buf, p->o.unsafe,
				p->mains.buf, argc, args, out);
}

/*
 * Write BIN.sites.jsonl beside a binary (a regular file) just built with
 * -o BIN: the inventory remembered under BIN's build ID (sitescache.h)
 * when there is one, else planned now with go list (and remembered); its
 * lines go to inv too. Returns 1, 0 if there is no single binary, or -1
 * (reported).
 */
static int write_sites(struct prep *p, const char *bin, int argc, const char **args,
		       struct strbuf *inv)
{
	struct strbuf id = STRBUF_INIT, key = STRBUF_INIT;
	struct strbuf ctx = STRBUF_INIT, path = STRBUF_INIT, gz = STRBUF_INIT;
	char cwd[4096];
	struct stat st;
	size_t n = strlen(bin);
	int ret = 1, miss = 1;

	/* -o DIR: several binaries, no single inventory; -o /dev/null, or
	 * nothing built (-n): no binary to put one beside. */
	if (!n || bin[n - 1] == '/' || stat(bin, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (buildid_read(bin, &id) == 0 && getcwd(cwd, sizeof(cwd))) {
		strbuf_addf(&ctx, "%s|%s|%s|%s|%s|%s", p->key.buf, p->o.unsafe, p->mains.buf,
			    cwd, p->env.gomodcache, p->env.goroot);
		sitescache_key(id.buf, ctx.buf, &key);
	}
	strbuf_addf(&path, "%s.sites.jsonl", bin);
	if (key.len && (miss = sitescache_get(key.buf, &gz)) < 0) {
		ret = -1; /* the cache refused: said */
		goto out;
	}
	if (miss) { /* or no key; a hit: gz holds BIN.sites.jsonl's bytes */
		strbuf_add(inv, p->reflect_sites.buf, p->reflect_sites.len);
		if (plan_sites(p, 0, argc, args, inv) < 0 ||
		    gz_compress(inv->buf, inv->len, &gz) < 0) {
			ret = error("cannot write the sites inventory of '%s'", bin);
			goto out;
		}
		if (key.len)
			sitescache_put(key.buf, inv->buf, inv->len, gz.buf, gz.len);
	}
	/* under --isolate its directory is read-only; the file was made for us */
	if ((getenv(ISOLATE_ENV) ? write_in_place(path.buf, gz.buf, gz.len)
				 : write_file(path.buf, gz.buf, gz.len, 0644)) < 0)
		ret = -1;
	else if (!miss && gz_read_file(path.buf, inv) < 0)
		ret = error("cannot write the sites inventory of '%s'", bin);
out:
	strbuf_release(&id);
	strbuf_release(&key);
	strbuf_release(&ctx);
	strbuf_release(&path);
	strbuf_release(&gz);
	return ret;
}

/*
 * With -o DIR (a directory, or a name ending in "/"), go build writes each
 * main package's binary into DIR: write DIR/NAME.sites.jsonl beside each
 * (write_sites), NAME as the go command names it (the import path's last
 * element, the one before a major version suffix "/vN"). 0 or -1.
 */
static int write_dir_sites(struct prep *p, const char *dir, int argc, const char **args)
{
	struct argv cmd = ARGV_INIT, flags = ARGV_INIT;
	struct strbuf out = STRBUF_INIT, bin = STRBUF_INIT, inv = STRBUF_INIT;
	struct goflag f;
	int pos = 0, ret = 0;

	argv_push(&cmd, p->env.gocmd);
	argv_push(&cmd, "list");
	argv_push(&cmd, "-f");
	argv_push(&cmd, "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}");
	while (goflags_next(argc, args, &pos, &f)) {
		for (int k = 0; f.name && k < f.n; k++)
			argv_push(&flags, args[f.index + k]); /* the plan drops -o */
		if (!f.name || ((f.kind & GF_BUILD) && !(f.kind & GF_OUTPUT)))
			for (int k = 0; k < f.n; k++)
				argv_push(&cmd, args[f.index + k]);
	}
	if (run_capture((const char *const *)cmd.v, p->env.childenv, &out) != 0) {
		ret = error("'go list' failed: cannot name the binaries in '%s'", dir);
		goto out;
	}
	for (char *l = out.buf, *e; *l; l = e + (*e == '\n')) {
		const char *name;
		e = l + strcspn(l, "\n");
		if (e == l)
			continue;
		*e = '\0';
		name = strrchr(l, '/') ? strrchr(l, '/') + 1 : l;
		if (name > l + 1 && name[0] == 'v' && name[1] && !name[1 + strspn(name + 1, "0123456789")]) {
			const char *q = name - 2; /* "/vN": the element before */
			while (q > l && q[-1] != '/')
				q--;
			strbuf_reset(&bin);
			strbuf_addf(&bin, "%s/%.*s", dir, (int)(name - 1 - q), q);
		} else {
			strbuf_reset(&bin);
			strbuf_addf(&bin, "%s/%s", dir, name);
		}
		if (!strcmp(p->env.goos, "windows"))
			strbuf_addstr(&bin, ".exe");
		argv_push(&flags, l);
		strbuf_reset(&inv);
		if (write_sites(p, bin.buf, (int)flags.nr, (const char **)flags.v, &inv) < 0)
			ret = -1;
		free(flags.v[--flags.nr]);
		flags.v[flags.nr] = NULL;
		*e = '\n';
	}
out:
	argv_release(&cmd);
	argv_release(&flags);
	strbuf_release(&out);
	strbuf_release(&bin);
	strbuf_release(&inv);
	return ret;
}

/*
 * --isolate: this goinstr command again, without --isolate, in the
 * sandbox (isolate.h), so that everything it runs is in it: go env, go
 * list, the build and its tools (goargs: instr_opts_parse's, which
 * moved goinstr's options first). Returns its exit status, or EXIT_USAGE
 * (reported).
 */
static int isolated(const char *verb, int argc, const char **argv, int goargs)
{
	struct argv cmd = ARGV_INIT;
	char self[4096];
	ssize_t n;
	int ret;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		error("cannot find goinstr's own path: %s", strerror(errno));
		return EXIT_USAGE;
	}
	self[n] = '\0';
	argv_push(&cmd, self);
	for (int i = 0; i < goargs; i++)
		if (strcmp(argv[i], "--isolate"))
			argv_push(&cmd, argv[i]);
	ret = isolate_run("go", (const char *const *)cmd.v, ISOLATE_SITES, verb, argc - goargs,
			  argv + goargs);
	argv_release(&cmd);
	return ret < 0 ? EXIT_USAGE : ret;
}

/* goinstr isolate GO [ARGS...] (internal: a drop-in toolchain's bin/go
 * with --isolate): the go command GO in the sandbox, for its verb. */
int cmd_isolate(int argc, const char **argv)
{
	int ret;

	if (argc < 2)
		return cmd_usage_error("isolate");
	{
		const char *pre[] = { argv[1], argc > 2 ? argv[2] : NULL, NULL };
		ret = isolate_run(argv[1], pre, 0, argc > 2 ? argv[2] : "", argc > 2 ? argc - 3 : 0,
				  argv + 3);
	}
	return ret < 0 ? EXIT_USAGE : ret;
}

/* goinstr isolate-exec PROG [ARGS...] (internal: the go command's -exec in
 * the --isolate sandbox): PROG in a sandbox of its own (progbox.h). */
int cmd_isolate_exec(int argc, const char **argv)
{
	int ret = progbox_exec(argc, argv);
	return ret < 0 ? EXIT_USAGE : ret;
}

/*
 * The blind spots of what the go command builds (inventory.h), one line
 * per package into out: from BIN's inventory when there is one (inv),
 * else planned (for test, with its test packages). Returns how many
 * packages, or -1 (reported).
 */
static long blind_spots(struct prep *p, const char *verb, const struct strbuf *inv, int argc,
			const char **args, struct strbuf *out)
{
	struct strbuf planned = STRBUF_INIT;
	long n;

	if (!strcmp(p->o.unsafe, "none"))
		return 0;
	if (!inv) {
		if (plan_sites(p, !strcmp(verb, "test"), argc, args, &planned) < 0) {
			strbuf_release(&planned);
			return -1;
		}
		inv = &planned;
	}
	n = (long)inventory_blind(inv->buf, inv->len, out);
	strbuf_release(&planned);
	return n;
}

/* goinstr run and test: say it when the program would log nothing. */
static void check_log_path(const char *verb)
{
	const char *path = getenv("INSTRUMENTATION_LOG_PATH");
	struct strbuf why = STRBUF_INIT;

	/* go test runs each test in its package's directory: a relative
	 * path is not this directory's */
	if (!path || !*path || (!strcmp(verb, "test") && path[0] != '/'))
		return;
	if (!logpath_check(path, &why))
		warning("INSTRUMENTATION_LOG_PATH=%s: the program will log nothing: %s", path, why.buf);
	strbuf_release(&why);
}

static int go_verb(const char *verb, int argc, const char **argv)
{
	struct prep p;
	struct argv args = ARGV_INIT;
	struct strbuf bin = STRBUF_INIT, inv = STRBUF_INIT, blind = STRBUF_INIT;
	int ret = EXIT_USAGE, has_inv = 0;
	const char **gargs;
	int gargc;
	long nblind = 0;

	if (parse(&p, instr_options, &argc, argv) < 0)
		goto out;
	if (p.o.isolate) {
		ret = isolated(verb, argc, argv, p.goargs);
		goto out;
	}
	if (prepare(&p, argc, argv) < 0)
		goto out;
	goenv_target_logs(&p.env, 1);
	gargs = argv + p.goargs;
	gargc = argc - p.goargs;
	if (p.o.strict) { /* before anything runs: the plan compiles what the build will */
		if ((nblind = blind_spots(&p, verb, NULL, gargc, gargs, &blind)) < 0)
			goto out;
		if (nblind) {
			error("--strict: %ld package%s would run unseen, first %.*s", nblind,
			      nblind == 1 ? "" : "s", (int)strcspn(blind.buf, "\n"), blind.buf);
			goto out;
		}
	}
	if (!strcmp(verb, "run") || !strcmp(verb, "test"))
		check_log_path(verb);
	argv_push(&args, p.env.gocmd);
	argv_push(&args, verb);
	for (size_t i = 0; i < p.iflags.nr; i++)
		argv_push(&args, p.iflags.v[i]);
	/* A test asked to log must run: never a result from go test's cache,
	 * which knows nothing of the log (the user's own -count still wins). */
	if (!strcmp(verb, "test") && getenv("INSTRUMENTATION_LOG_PATH") &&
	    *getenv("INSTRUMENTATION_LOG_PATH"))
		argv_push(&args, "-count=1");
	for (int i = 0; i < gargc; i++)
		argv_push(&args, gargs[i]);
	ret = run_inherit((const char *const *)args.v, p.env.childenv);
	if (ret < 0)
		ret = EXIT_USAGE;
	if (!ret && !strcmp(verb, "build") && goflags_get(p.env.goflags, gargc, gargs, "o", &bin)) {
		struct stat st;
		if ((bin.len && bin.buf[bin.len - 1] == '/') ||
		    (stat(bin.buf, &st) == 0 && S_ISDIR(st.st_mode))) {
			if (write_dir_sites(&p, bin.buf, gargc, gargs) < 0)
				ret = EXIT_USAGE;
		} else if ((has_inv = write_sites(&p, bin.buf, gargc, gargs, &inv)) < 0) {
			ret = EXIT_USAGE;
		}
	}
	/* Every build says what it could not instrument, not only the
	 * first: the binary and the link may come from a cache. */
	if (!ret && !p.o.strict) {
		strbuf_reset(&blind);
		nblind = blind_spots(&p, verb, has_inv > 0 ? &inv : NULL, gargc, gargs, &blind);
		for (const char *l = blind.buf; nblind > 0 && *l;) {
			size_t n = strcspn(l, "\n");
			warning("%.*s: not instrumented", (int)n, l);
			l += n + (l[n] == '\n');
		}
	}
out:
	argv_release(&args);
	strbuf_release(&bin);
	strbuf_release(&inv);
	strbuf_release(&blind);
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
	struct policy pol = { 0 };
	struct strbuf out = STRBUF_INIT;
	int ret = EXIT_USAGE, test = 0;

	if (parse(&p, sites_options, &argc, argv) < 0)
		goto out;
	if (p.o.isolate) {
		ret = isolated("sites", argc, argv, p.goargs);
		goto out;
	}
	if (prepare(&p, argc, argv) < 0)
		goto out;
	if (p.o.policy && !p.o.baseline) {
		error("--policy: give --baseline OLD too (the policy is the gate's)");
		goto out;
	}
	if (p.o.policy && policy_load(&pol, p.o.policy) < 0)
		goto out;
	{
		/* -test: the packages' tests too, as go list -test lists them */
		struct goflag f;
		int pos = p.goargs;
		while (goflags_next(argc, argv, &pos, &f))
			if (f.name && !strcmp(f.name, "test") && (!f.value || !strcmp(f.value, "true")))
				test = 1;
	}
	strbuf_add(&out, p.reflect_sites.buf, p.reflect_sites.len);
	if (plan_sites(&p, test, argc - p.goargs, argv + p.goargs, &out) < 0)
		goto out;
	if (p.o.baseline) {
		long n = sitegate_compare(p.o.baseline, out.buf, out.len, p.o.policy ? &pol : NULL);
		ret = n < 0 ? EXIT_USAGE : n > 0 ? EXIT_GATE : 0;
		goto out;
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	policy_release(&pol);
	prep_release(&p);
	return ret;
}
