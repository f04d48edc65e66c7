/*
 * isolate.c - the bubblewrap sandboxes of --isolate (see isolate.h): what
 * each sees and may write, the build's run, the checks after it.
 */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "gocache.h"
#include "goflags.h"
#include "progbox.h"
#include "run.h"
#include "srctree.h"
#include "strbuf.h"
#include "tree.h"
#include "util.h"

/* What the sandboxes see: paths bound at the same place, resolved. */
struct plan {
	json_t *goenv;       /* go env -json of the variables below */
	const char *goflags; /* GOFLAGS, from goenv */
	char cwd[PATH_MAX];
	struct argv src;     /* the source tree's directories */
	struct argv ro;      /* read-only for both sandboxes */
	struct argv build;   /* writable for the build's */
	struct argv prog;    /* writable for programs' */
	struct argv made;    /* files made empty for a bind: removed if still empty */
	struct strbuf tmp;   /* private: go/ (GOTMPDIR), prog/ (programs' TMPDIR), sock */
	struct strbuf log;   /* INSTRUMENTATION_LOG_PATH, absolute */
};

static const char *genv(const struct plan *p, const char *name)
{
	const char *v = json_string_value(json_object_get(p->goenv, name));
	return v && *v ? v : NULL;
}

/* Every sandbox: new namespaces (network included: only a loopback of its
 * own), no capabilities (root's sandbox could remount its binds writable),
 * a minimal /dev, its own /proc. Its root, where bubblewrap makes the
 * directories its binds need, is made read-only after them (binds()). */
static void sandbox_base(struct argv *a)
{
	static const char *const base[] = {
		"--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
		"--dev", "/dev", "--proc", "/proc", NULL
	};

	for (const char *const *p = base; *p; p++)
		argv_push(a, *p);
}

/* The system's directories, read-only (symbolic links such as /bin ->
 * usr/bin stay links). */
static void system_view(struct argv *a)
{
	static const char *const dirs[] = {
		"/usr", "/etc", "/opt", "/nix", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
		"/libx32", NULL
	};
	char target[PATH_MAX];
	struct stat st;

	for (const char *const *d = dirs; *d; d++) {
		ssize_t n;
		if (lstat(*d, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode) && (n = readlink(*d, target, sizeof(target) - 1)) > 0) {
			target[n] = '\0';
			argv_push(a, "--symlink");
			argv_push(a, target);
		} else if (S_ISDIR(st.st_mode)) {
			argv_push(a, "--ro-bind");
			argv_push(a, *d);
		} else {
			continue;
		}
		argv_push(a, *d);
	}
}

/* The first line of s, for a one-line message. */
static int first_len(const char *s)
{
	return (int)strcspn(s, "\n");
}

/*
 * Run cmd in a sandbox that sees everything, read-only, its output
 * captured (out: stdout; err: stderr): for the go command's answers,
 * never for a program. Returns its status, or -1 (reported).
 */
static int run_readonly(const char *const *cmd, const char *const *env, struct strbuf *out,
			struct strbuf *err)
{
	static const char *const base[] = {
		"bwrap", "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--ro-bind", "/",
		"/", "--dev", "/dev", "--proc", "/proc", "--", NULL
	};
	struct argv a = ARGV_INIT;
	struct child c = CHILD_INIT;
	int st;

	for (const char *const *p = base; *p; p++)
		argv_push(&a, *p);
	for (; *cmd; cmd++)
		argv_push(&a, *cmd);
	c.argv = (const char *const *)a.v;
	c.env = env;
	c.in = CHILD_NULL;
	c.out = c.err = CHILD_CAPTURE;
	c.out_buf = out;
	c.err_buf = err;
	st = run_child(&c);
	argv_release(&a);
	return st;
}

/* --- the source tree ------------------------------------------------------- */

/* srctree_edit_fn: go WHAT edit -json FILE, asked in a read-only sandbox. */
static json_t *go_edit_json(void *ctx, const char *what, const char *file)
{
	const char *cmd[] = { ctx, what, "edit", "-json", file, NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	json_t *j = NULL;

	if (run_readonly(cmd, NULL, &out, &err) == 0)
		j = json_loadb(out.buf, out.len, 0, NULL);
	strbuf_release(&out);
	strbuf_release(&err);
	return j;
}

/* The source tree (srctree.h), read-only for both sandboxes. */
static void source_tree(struct plan *p, const char *gocmd)
{
	const char *off = genv(p, "GO111MODULE");
	struct srctree_env e = { p->cwd, genv(p, "GOMOD"), genv(p, "GOWORK"),
				 off && !strcmp(off, "off") ? genv(p, "GOPATH") : NULL };

	srctree_collect(&e, go_edit_json, (void *)gocmd, &p->src);
	for (size_t i = 0; i < p->src.nr; i++)
		argv_push(&p->ro, p->src.v[i]);
}

/* --- what may be written --------------------------------------------------- */

/* A directory named as output: made, writable; refused if it is or holds
 * the source tree. 0 or -1 (reported). */
static int output_dir(struct plan *p, struct argv *list, const char *dir)
{
	char real[PATH_MAX];

	if (mkdir_p(dir, 0777) < 0 || !realpath(dir, real))
		return error("--isolate: cannot create the output directory '%s'", dir);
	for (size_t i = 0; i < p->src.nr; i++)
		if (path_within(p->src.v[i], real))
			return error("--isolate: the output directory '%s' holds the source tree '%s', "
				     "which stays read-only: name another", dir, p->src.v[i]);
	argv_push(list, real);
	return 0;
}

/*
 * A file named as output, bound alone (never its directory): made first
 * if missing, empty, with mode (exactly, if exact; else as umask allows),
 * its directory too. 0 or -1 (reported).
 */
static int output_file(struct plan *p, struct argv *list, const char *file, unsigned mode,
		       int exact)
{
	struct strbuf abs = STRBUF_INIT;
	struct stat st;
	char *slash;
	int fd, ret = 0;

	path_absolute(p->cwd, file, &abs);
	slash = strrchr(abs.buf, '/');
	*slash = '\0';
	if (slash > abs.buf && mkdir_p(abs.buf, 0777) < 0) {
		ret = -1;
		goto out;
	}
	*slash = '/';
	if (lstat(abs.buf, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISLNK(st.st_mode))
			ret = error("--isolate: the output '%s' is a symbolic link: name the file", file);
		goto out; /* a directory or a device: the go command says what it does */
	}
	/* written in place in the sandbox (not replaced, as outside): never
	 * through a link into another file */
	if (lstat(abs.buf, &st) == 0 && st.st_nlink > 1) {
		ret = error("--isolate: the output '%s' has other links (a hard link): remove it "
			    "first", file);
		goto out;
	}
	fd = open(abs.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd >= 0) {
		if (exact)
			fchmod(fd, mode);
		close(fd);
		argv_push(&p->made, abs.buf);
	} else if (errno != EEXIST) {
		ret = error("--isolate: cannot create the output '%s': %s", file, strerror(errno));
		goto out;
	}
	argv_push_real(list, abs.buf);
out:
	strbuf_release(&abs);
	return ret;
}

/* The value of go flag name as the go command reads it, or NULL. */
static const char *flag(const struct plan *p, int argc, const char **args, const char *name,
			struct strbuf *v)
{
	strbuf_reset(v);
	return goflags_get(p->goflags, argc, args, name, v) ? v->buf : NULL;
}

/* -o of build and test: a file, a directory (existing, or ending in /),
 * or /dev/null. 0 or -1 (reported). */
static int output_o(struct plan *p, const char *o, unsigned flags)
{
	struct stat st;
	struct strbuf sites = STRBUF_INIT;
	int ret;

	if (!*o || !strcmp(o, "/dev/null"))
		return 0;
	if (o[strlen(o) - 1] == '/' || (stat(o, &st) == 0 && S_ISDIR(st.st_mode)))
		return output_dir(p, &p->build, o);
	ret = output_file(p, &p->build, o, 0777, 0);
	if (!ret && (flags & ISOLATE_SITES)) {
		strbuf_addf(&sites, "%s.sites.jsonl", o);
		ret = output_file(p, &p->build, sites.buf, 0644, 1);
	}
	strbuf_release(&sites);
	return ret;
}

/* go test's files: -coverprofile (written by the go command) and the
 * profiles its binaries write, relative to -outputdir. */
static int test_outputs(struct plan *p, int argc, const char **args)
{
	static const char *const profiles[] = {
		"cpuprofile", "memprofile", "blockprofile", "mutexprofile", "trace", NULL
	};
	struct strbuf v = STRBUF_INIT, dir = STRBUF_INIT, path = STRBUF_INIT;
	int ret = 0;

	strbuf_addstr(&dir, p->cwd);
	if (flag(p, argc, args, "outputdir", &v) && *v.buf)
		path_absolute(p->cwd, v.buf, &dir);
	if (flag(p, argc, args, "coverprofile", &v) && *v.buf) {
		path_absolute(dir.buf, v.buf, &path);
		ret = output_file(p, &p->build, path.buf, 0666, 0);
	}
	for (const char *const *f = profiles; *f && !ret; f++)
		if (flag(p, argc, args, *f, &v) && *v.buf) {
			path_absolute(dir.buf, v.buf, &path);
			ret = output_file(p, &p->prog, path.buf, 0666, 0);
		}
	strbuf_release(&v);
	strbuf_release(&dir);
	strbuf_release(&path);
	return ret;
}

/*
 * The log file of the programs, bound alone (its directory never is):
 * made 0600 if missing, as the logger would; anything but a regular file
 * with one link is left out, which the logger would not write either. 0
 * or -1.
 */
static int log_file(struct plan *p)
{
	const char *lp = getenv("INSTRUMENTATION_LOG_PATH");
	struct stat st;

	if (!lp || !*lp)
		return 0;
	if ((lp = getenv("INSTRUMENTATION_LOG_MAX_BYTES")) && *lp)
		warning("--isolate: the log cannot be rotated in the sandbox (its directory is not "
			"writable there): INSTRUMENTATION_LOG_MAX_BYTES has no effect");
	lp = getenv("INSTRUMENTATION_LOG_PATH");
	path_absolute(p->cwd, lp, &p->log);
	if (lstat(p->log.buf, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_nlink > 1))
		return 0;
	return output_file(p, &p->prog, p->log.buf, 0600, 1);
}

/* Where the go command's verb and its programs write (isolate.h). 0 or
 * -1 (reported). */
static int outputs(struct plan *p, unsigned flags, const char *verb, int argc, const char **args)
{
	struct strbuf v = STRBUF_INIT;
	const char *s;
	int ret = 0;

	if (!strcmp(verb, "build") || !strcmp(verb, "test")) {
		if (flag(p, argc, args, "o", &v))
			ret = output_o(p, v.buf, !strcmp(verb, "build") ? flags : 0);
	} else if (!strcmp(verb, "install")) {
		if ((s = genv(p, "GOBIN"))) {
			strbuf_addstr(&v, s);
		} else if ((s = genv(p, "GOPATH"))) {
			strbuf_add(&v, s, strcspn(s, ":"));
			strbuf_addstr(&v, "/bin");
		}
		if (v.len)
			ret = output_dir(p, &p->build, v.buf);
	}
	if (!ret && !strcmp(verb, "test"))
		ret = test_outputs(p, argc, args);
	if (!ret && (!strcmp(verb, "run") || !strcmp(verb, "test"))) {
		ret = log_file(p);
		if ((s = getenv("GOCOVERDIR")) && *s)
			argv_push_real(&p->prog, s);
	}
	strbuf_release(&v);
	return ret;
}

/* What --isolate does not take: -exec, -fuzz. 0 or -1 (reported). */
static int refuse_flags(const struct plan *p, const char *verb, int argc, const char **args)
{
	struct strbuf v = STRBUF_INIT;
	int ret = 0;

	if ((!strcmp(verb, "run") || !strcmp(verb, "test")) && flag(p, argc, args, "exec", &v))
		ret = error("--isolate runs programs in a sandbox of its own: '-exec=%s' cannot be "
			    "used with it", v.buf);
	else if (!strcmp(verb, "test") && flag(p, argc, args, "fuzz", &v) && *v.buf)
		ret = error("--isolate: -fuzz keeps its corpus in GOCACHE, which programs in the "
			    "sandbox may not write: fuzz without --isolate");
	strbuf_release(&v);
	return ret;
}

/* --- the views ------------------------------------------------------------- */

struct mount {
	const char *path;
	int rw;
	size_t seq;
};

/* Parents before what they hold; in a tie, the order added. */
static int cmp_mount(const void *a, const void *b)
{
	const struct mount *x = a, *y = b;
	size_t m = strlen(x->path), n = strlen(y->path);

	if (m != n)
		return m < n ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Bind ro (read-only) and rw (writable) at their own paths, parents first.
 * Then, after any other bind, the sandbox's own root (a tmpfs: /, and the
 * directories made for the binds, such as the log's) is made read-only
 * too: "--remount-ro /". */
static void binds(struct argv *a, const struct argv *ro, const struct argv *rw)
{
	size_t n = ro->nr + rw->nr, k = 0;
	struct mount *m = xcalloc(n, sizeof(*m));

	for (size_t i = 0; i < ro->nr; i++, k++)
		m[k] = (struct mount){ ro->v[i], 0, k };
	for (size_t i = 0; i < rw->nr; i++, k++)
		m[k] = (struct mount){ rw->v[i], 1, k };
	qsort(m, n, sizeof(*m), cmp_mount);
	for (size_t i = 0; i < n; i++) {
		argv_push(a, m[i].rw ? "--bind" : "--ro-bind");
		argv_push(a, m[i].path);
		argv_push(a, m[i].path);
	}
	free(m);
}

/* What both sandboxes read: GOROOT, the module cache and checksum
 * database, the go command's env file and GOROOT, goinstr itself (the
 * source tree: source_tree). */
static void read_view(struct plan *p, const char *gocmd, const char *self)
{
	static const char *const vars[] = { "GOROOT", "GOMODCACHE", "GOENV", NULL };
	struct strbuf found = STRBUF_INIT;
	char real[PATH_MAX];

	for (const char *const *v = vars; *v; v++)
		argv_push_real(&p->ro, genv(p, *v));
	/* the checksum database's tiles, which verify a toolchain GOTOOLCHAIN
	 * switches to (GOPATH's, not GOMODCACHE's) */
	for (const char *e = genv(p, "GOPATH"); e && *e; e += strcspn(e, ":"), e += *e == ':') {
		strbuf_reset(&found);
		strbuf_addf(&found, "%.*s/pkg/sumdb", (int)strcspn(e, ":"), e);
		argv_push_real(&p->ro, found.buf);
	}
	strbuf_reset(&found);
	argv_push_real(&p->ro, self);
	/* the go command's own GOROOT (GOTOOLCHAIN may switch from it) */
	if (strchr(gocmd, '/'))
		strbuf_addstr(&found, gocmd);
	else
		for (const char *d = getenv("PATH"); d && *d && !found.len; d += strcspn(d, ":"), d += *d == ':') {
			strbuf_addf(&found, "%.*s/%s", (int)strcspn(d, ":"), d, gocmd);
			if (access(found.buf, X_OK) < 0)
				strbuf_reset(&found);
		}
	if (found.len && realpath(found.buf, real)) {
		char *s = strrchr(real, '/');
		*s = '\0';
		if ((s = strrchr(real, '/')) && !strcmp(s, "/bin"))
			*s = '\0';
		argv_push(&p->ro, real);
	}
	strbuf_release(&found);
}

/* The programs' sandbox (progbox.h). */
static void prog_view(struct plan *p, struct argv *a)
{
	struct strbuf v = STRBUF_INIT;
	struct argv ro = ARGV_INIT;

	sandbox_base(a); /* "bwrap" and the environment: the broker's */
	argv_push(a, "--new-session"); /* no TIOCSTI into the user's terminal */
	system_view(a);
	for (size_t i = 0; i < p->ro.nr; i++)
		argv_push(&ro, p->ro.v[i]);
	strbuf_addf(&v, "%s/prog", p->tmp.buf);
	argv_push(&p->prog, v.buf);
	binds(a, &ro, &p->prog);
	argv_push(a, "--setenv");
	argv_push(a, "TMPDIR");
	argv_push(a, v.buf);
	argv_release(&ro);
	strbuf_release(&v);
}

/* --- the build's run ----------------------------------------------------- */

/*
 * After a failed build: whether a module is missing from the module
 * cache (go mod download, offline, says so), said in one line.
 */
static void explain_failure(const char *gocmd)
{
	static const char *const env[] = { "GOPROXY=off", NULL };
	const char *cmd[] = { gocmd, "mod", "download", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	if (run_readonly(cmd, env, &out, &err) > 0 && strstr(err.buf, "GOPROXY=off"))
		error("--isolate builds offline, and a module of the build is not in the module "
		      "cache: run 'go mod download' outside the sandbox first");
	strbuf_release(&out);
	strbuf_release(&err);
}

/* The go command's answers, asked in a sandbox: whether one can be made
 * here at all. 0 or -1 (reported). */
static int ask_go(struct plan *p, const char *gocmd)
{
	const char *query[] = { gocmd, "env", "-json", "GOCACHE", "GOBIN", "GOPATH", "GOROOT",
				"GOMODCACHE", "GOENV", "GOMOD", "GOWORK", "GOFLAGS", "GO111MODULE",
				NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	int st, ret = -1;

	st = run_readonly(query, NULL, &out, &err);
	if (st < 0)
		goto out;
	if (st) {
		if (!strncmp(err.buf, "bwrap:", 6))
			error("--isolate: bubblewrap cannot make a sandbox here (it needs user "
			      "namespaces): %.*s", first_len(err.buf), err.buf);
		else
			error("--isolate: 'go env' failed in the sandbox: %.*s", first_len(err.buf),
			      err.buf);
		goto out;
	}
	if (!(p->goenv = json_loadb(out.buf, out.len, 0, NULL))) {
		error("--isolate: cannot parse the output of 'go env -json'");
		goto out;
	}
	p->goflags = genv(p, "GOFLAGS");
	ret = 0;
out:
	strbuf_release(&out);
	strbuf_release(&err);
	return ret;
}

/* The writable directories of the build: GOCACHE, goinstr's cache, its
 * temporary directory and the programs' (made here). 0 or -1. */
static int build_dirs(struct plan *p)
{
	struct strbuf d = STRBUF_INIT;
	const char *gocache = genv(p, "GOCACHE");
	int ret = -1;

	if (gocache && strcmp(gocache, "off") && mkdir_p(gocache, 0777) == 0)
		argv_push_real(&p->build, gocache);
	if (cache_root(&d) < 0)
		goto out;
	argv_push_real(&p->build, d.buf);
	if (workdir_create(&p->tmp) < 0)
		goto out;
	for (const char *const *s = (const char *const[]){ "go", "prog", "sock", NULL }; *s; s++) {
		strbuf_reset(&d);
		strbuf_addf(&d, "%s/%s", p->tmp.buf, *s);
		if (mkdir(d.buf, 0700) < 0) {
			error("cannot create '%s': %s", d.buf, strerror(errno));
			goto out;
		}
	}
	strbuf_reset(&d);
	strbuf_addf(&d, "%s/go", p->tmp.buf);
	argv_push(&p->build, d.buf);
	ret = 0;
out:
	strbuf_release(&d);
	return ret;
}

static void setenv_arg(struct argv *a, const char *name, const char *value)
{
	argv_push(a, "--setenv");
	argv_push(a, name);
	argv_push(a, value);
}

/* The build's bwrap command line, cmd (pre, -exec, args) at its end. */
static void build_command(struct plan *p, struct argv *a, const char *self, int progs,
			  const char *const *pre, int argc, const char **args)
{
	struct strbuf v = STRBUF_INIT, sock = STRBUF_INIT;
	struct argv ro = ARGV_INIT;

	argv_push(a, "bwrap");
	sandbox_base(a);
	system_view(a);
	for (size_t i = 0; i < p->ro.nr; i++)
		argv_push(&ro, p->ro.v[i]);
	strbuf_addf(&sock, "%s/sock", p->tmp.buf);
	if (progs)
		argv_push(&ro, sock.buf);
	binds(a, &ro, &p->build);
	argv_push(a, "--remount-ro");
	argv_push(a, "/");
	strbuf_addf(&v, "%s/go", p->tmp.buf);
	setenv_arg(a, "TMPDIR", v.buf);
	setenv_arg(a, "GOTMPDIR", v.buf);
	setenv_arg(a, ISOLATE_ENV, "1");
	if (p->log.len)
		setenv_arg(a, "INSTRUMENTATION_LOG_PATH", p->log.buf);
	if (progs) {
		strbuf_addstr(&sock, "/s");
		setenv_arg(a, PROGBOX_SOCK_ENV, sock.buf);
	}
	argv_push(a, "--chdir");
	argv_push(a, p->cwd);
	argv_push(a, "--");
	for (; *pre; pre++)
		argv_push(a, *pre);
	if (progs) { /* every program through the broker */
		strbuf_reset(&v);
		strbuf_addstr(&v, "-exec=");
		goflags_add_word(&v, self);
		goflags_add_word(&v, "isolate-exec");
		argv_push(a, v.buf);
	}
	for (int i = 0; i < argc; i++)
		argv_push(a, args[i]);
	argv_release(&ro);
	strbuf_release(&v);
	strbuf_release(&sock);
}

/* Remove the files made for binds that nothing wrote. */
static void remove_unwritten(const struct plan *p)
{
	struct stat st;

	for (size_t i = 0; i < p->made.nr; i++)
		if (lstat(p->made.v[i], &st) == 0 && S_ISREG(st.st_mode) && !st.st_size)
			unlink(p->made.v[i]);
}

static void plan_release(struct plan *p)
{
	if (p->tmp.len)
		remove_tree(p->tmp.buf);
	json_decref(p->goenv);
	argv_release(&p->src);
	argv_release(&p->ro);
	argv_release(&p->build);
	argv_release(&p->prog);
	argv_release(&p->made);
	strbuf_release(&p->tmp);
	strbuf_release(&p->log);
}

/* Plan both sandboxes. 0 or -1 (reported). */
static int plan(struct plan *p, const char *gocmd, const char *self, unsigned flags,
		const char *verb, int argc, const char **args)
{
	if (ask_go(p, gocmd) < 0)
		return -1;
	if (!getcwd(p->cwd, sizeof(p->cwd)))
		return error("cannot find the current directory: %s", strerror(errno));
	if (refuse_flags(p, verb, argc, args) < 0)
		return -1;
	source_tree(p, gocmd);
	read_view(p, gocmd, self);
	if (build_dirs(p) < 0)
		return -1;
	return outputs(p, flags, verb, argc, args);
}

int isolate_run(const char *gocmd, const char *const *pre, unsigned flags, const char *verb,
		int argc, const char **args)
{
	struct plan p = { 0 };
	struct progbox pb = { ARGV_INIT, NULL, NULL, NULL, 0 };
	struct argv a = ARGV_INIT;
	struct strbuf work = STRBUF_INIT, sock = STRBUF_INIT;
	struct child c = CHILD_INIT;
	int progs = !strcmp(verb, "run") || !strcmp(verb, "test");
	char self[PATH_MAX];
	time_t start = time(NULL);
	ssize_t n;
	int ret = -1;

	strbuf_init(&p.tmp, 0);
	strbuf_init(&p.log, 0);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		error("cannot find goinstr's own path: %s", strerror(errno));
		goto out;
	}
	self[n] = '\0';
	if (plan(&p, gocmd, self, flags, verb, argc, args) < 0)
		goto out;
	if (progs) {
		prog_view(&p, &pb.view);
		strbuf_addf(&work, "%s/go", p.tmp.buf);
		strbuf_addf(&sock, "%s/sock/s", p.tmp.buf);
		pb.work = work.buf;
		pb.bin = genv(&p, "GOCACHE");
		pb.sock = sock.buf;
		if (progbox_start(&pb) < 0)
			goto out;
	}
	build_command(&p, &a, self, progs, pre, argc, args);
	c.argv = (const char *const *)a.v;
	c.wait_like_system = 1;
	ret = run_child(&c);
	progbox_stop(&pb);
	if (ret == 1 && (!strcmp(verb, "build") || !strcmp(verb, "install") || progs))
		explain_failure(gocmd);
	/* what the build wrote where later builds look: checked from here */
	if (cache_check_since(start) < 0)
		ret = -1;
	if (genv(&p, "GOCACHE") && gocache_check(genv(&p, "GOCACHE"), start) < 0)
		ret = -1;
out:
	remove_unwritten(&p);
	plan_release(&p);
	argv_release(&pb.view);
	argv_release(&a);
	strbuf_release(&work);
	strbuf_release(&sock);
	return ret;
}
