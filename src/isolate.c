/*
 * isolate.c - the bubblewrap sandbox of --isolate (see isolate.h).
 */
#include "isolate.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "goflags.h"
#include "run.h"
#include "strbuf.h"
#include "util.h"

/* Every sandbox: new namespaces (network included: only a loopback of its
 * own), the whole file system read-only, a minimal /dev, its own /proc. */
static void sandbox_base(struct argv *a)
{
	static const char *const base[] = {
		"bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
		"--dev", "/dev", "--proc", "/proc", NULL
	};

	for (const char *const *p = base; *p; p++)
		argv_push(a, *p);
}

/* The first line of s, for a one-line message. */
static int first_len(const char *s)
{
	return (int)strcspn(s, "\n");
}

/*
 * Run cmd in a sandbox with nothing writable, its output captured (out:
 * stdout; err: stderr). Returns its status, or -1 (reported).
 */
static int run_readonly(const char *const *cmd, const char *const *env, struct strbuf *out,
			struct strbuf *err)
{
	struct argv a = ARGV_INIT;
	struct child c = CHILD_INIT;
	int st;

	sandbox_base(&a);
	argv_push(&a, "--");
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

/* Add dir (made absolute from the working directory, resolved) to the
 * writable directories, if it exists. */
static void add_dir(struct argv *dirs, const char *dir)
{
	char real[PATH_MAX];
	struct stat st;

	if (realpath(dir, real) && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
		argv_push(dirs, real);
}

/* Add the directory a file is written in ("." for a bare name); made
 * first if make (as the go command makes -o's). */
static void add_parent(struct argv *dirs, const char *file, int make)
{
	struct strbuf v = STRBUF_INIT;
	const char *slash = strrchr(file, '/');

	if (!slash)
		strbuf_addch(&v, '.');
	else
		strbuf_add(&v, file, slash == file ? 1 : (size_t)(slash - file));
	if (make)
		mkdir_p(v.buf, 0777);
	add_dir(dirs, v.buf);
	strbuf_release(&v);
}

/* The directory a go flag's file is written in: name's value's. */
static void add_flag_dir(struct argv *dirs, const char *goflags, int argc, const char **args,
			 const char *name)
{
	struct strbuf v = STRBUF_INIT;

	if (goflags_get(goflags, argc, args, name, &v) && v.len)
		add_parent(dirs, v.buf, !strcmp(name, "o"));
	strbuf_release(&v);
}

/* Where the go command's verb writes: see isolate.h. */
static void output_dirs(struct argv *dirs, const char *verb, int argc, const char **args,
			json_t *goenv)
{
	const char *goflags = json_string_value(json_object_get(goenv, "GOFLAGS"));
	struct strbuf v = STRBUF_INIT;

	if (!strcmp(verb, "build")) {
		if (goflags_get(goflags, argc, args, "o", &v)) {
			struct stat st;
			if (v.len && (v.buf[v.len - 1] == '/' ||
				      (stat(v.buf, &st) == 0 && S_ISDIR(st.st_mode)))) {
				mkdir_p(v.buf, 0777);
				add_dir(dirs, v.buf);
			} else {
				add_flag_dir(dirs, goflags, argc, args, "o");
			}
		} else {
			add_dir(dirs, ".");
		}
	} else if (!strcmp(verb, "install")) {
		const char *bin = json_string_value(json_object_get(goenv, "GOBIN"));
		const char *gopath = json_string_value(json_object_get(goenv, "GOPATH"));
		if (bin && *bin) {
			strbuf_addstr(&v, bin);
		} else if (gopath && *gopath) {
			strbuf_add(&v, gopath, strcspn(gopath, ":"));
			strbuf_addstr(&v, "/bin");
		}
		if (v.len && mkdir_p(v.buf, 0777) == 0)
			add_dir(dirs, v.buf);
	} else if (!strcmp(verb, "test")) {
		static const char *const files[] = {
			"o", "coverprofile", "cpuprofile", "memprofile", "blockprofile",
			"mutexprofile", "trace", NULL
		};
		for (const char *const *f = files; *f; f++)
			add_flag_dir(dirs, goflags, argc, args, *f);
		if (goflags_get(goflags, argc, args, "outputdir", &v))
			add_dir(dirs, v.buf);
		strbuf_reset(&v);
		if (goflags_get(goflags, argc, args, "c", &v) && goflags_true(v.buf) &&
		    !goflags_get(goflags, argc, args, "o", &v))
			add_dir(dirs, ".");
	}
	if (!strcmp(verb, "run") || !strcmp(verb, "test")) { /* programs that log */
		const char *lp = getenv("INSTRUMENTATION_LOG_PATH");
		if (lp && *lp)
			add_parent(dirs, lp, 0);
	}
	strbuf_release(&v);
}

static int cmp_len(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return x < y ? -1 : x > y;
}

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

int isolate_run(const char *gocmd, const char *const *cmd, const char *verb,
		int argc, const char **args)
{
	const char *query[] = { gocmd, "env", "-json", "GOCACHE", "GOBIN", "GOPATH", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, tmp = STRBUF_INIT, dir = STRBUF_INIT;
	struct argv dirs = ARGV_INIT, a = ARGV_INIT;
	struct child c = CHILD_INIT;
	json_t *goenv = NULL;
	const char *cache;
	char cwd[PATH_MAX];
	int st, ret = -1;

	/* The go command's answers, asked inside a sandbox: whether one can
	 * be made here at all, and without a network even for go env. */
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
	if (!(goenv = json_loadb(out.buf, out.len, 0, NULL))) {
		error("--isolate: cannot parse the output of 'go env -json'");
		goto out;
	}
	if (!getcwd(cwd, sizeof(cwd))) {
		error("cannot find the current directory: %s", strerror(errno));
		goto out;
	}

	/* What the sandbox may write. */
	cache = json_string_value(json_object_get(goenv, "GOCACHE"));
	if (cache && *cache && strcmp(cache, "off") && mkdir_p(cache, 0777) == 0)
		add_dir(&dirs, cache);
	if (cache_root(&dir) < 0)
		goto out;
	add_dir(&dirs, dir.buf);
	if (workdir_create(&tmp) < 0)
		goto out;
	add_dir(&dirs, tmp.buf);
	output_dirs(&dirs, verb, argc, args, goenv);
	qsort(dirs.v, dirs.nr, sizeof(*dirs.v), cmp_len); /* parents first */

	sandbox_base(&a);
	for (size_t i = 0; i < dirs.nr; i++) {
		argv_push(&a, "--bind");
		argv_push(&a, dirs.v[i]);
		argv_push(&a, dirs.v[i]);
	}
	argv_push(&a, "--setenv");
	argv_push(&a, "TMPDIR");
	argv_push(&a, tmp.buf);
	argv_push(&a, "--setenv");
	argv_push(&a, "GOTMPDIR");
	argv_push(&a, tmp.buf);
	argv_push(&a, "--chdir");
	argv_push(&a, cwd);
	argv_push(&a, "--");
	for (const char *const *p = cmd; *p; p++)
		argv_push(&a, *p);
	c.argv = (const char *const *)a.v;
	c.wait_like_system = 1;
	ret = run_child(&c);
	if (ret == 1 && (!strcmp(verb, "build") || !strcmp(verb, "install") ||
			 !strcmp(verb, "run") || !strcmp(verb, "test")))
		explain_failure(gocmd);
out:
	if (tmp.len)
		remove_tree(tmp.buf);
	json_decref(goenv);
	argv_release(&dirs);
	argv_release(&a);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&tmp);
	strbuf_release(&dir);
	return ret;
}
