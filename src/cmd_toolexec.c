/*
 * cmd_toolexec.c - `goinstr toolexec`: the -toolexec program goinstr hands
 * the go command, to wrap unsafe operations in packages outside the
 * standard library.
 *
 * Why not the overlay, as for reflect: the go command refuses overlays for
 * files beneath GOMODCACHE, where dependencies live. A compile's inputs can
 * be swapped instead: for each compile of a non-standard package in scope,
 * the files that import unsafe are rewritten (rwunsafe) into a private
 * directory, a generated file with the wrappers is added, and the real
 * compiler runs on them. The copies name the original file (absolute) in a
 * line directive before the package clause, so positions, panics and debug
 * info name the originals; the compiler applies -trimpath to that name as
 * it would to the original's. What the wrappers bake in (site files and
 * ids) gets the compile's -trimpath rewrites too (rwunsafe's trim).
 * The wrappers add no import (the go command fixes each compile's imports
 * beforehand): they reach the logger through a pull of the runtime's
 * goinstrUnsafeEvent.
 *
 * `compile -V=full` is answered with the compiler's line plus goinstr's
 * identity (version and options, --id), which the go command makes part
 * of every compile's cache key: instrumented and plain objects never mix.
 *
 * The compile shim of a drop-in toolchain (toolchain.h) runs this as
 * `goinstr toolexec --main-from-cwd ... DIR/pkg/goinstr/tool/compile ARGS`:
 * with no goinstr command line to name the main modules, they are found
 * from the working directory, which the go command gives every compile
 * (its own), the way the go command finds them (modroot.h); they are
 * then part of the -V=full answer, as --main's are part of --id.
 *
 * usage: goinstr toolexec [--unsafe=all|main|deps] [--main=DIR]... [--main-from-cwd]
 *                         [--goroot=DIR] [--id=ID] TOOL ARGS...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "hash.h"
#include "inventory.h"
#include "modroot.h"
#include "rwunsafe.h"
#include "util.h"

struct texec {
	const char *scope;    /* all, main, deps */
	struct strbuf mains;  /* main module directories, one per line */
	const char *id;
	const char *goroot;   /* the standard library's test packages (no -std) live here */
	int from_cwd;         /* mains found from the working directory */
};

static int has_prefix_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

/*
 * Where the answer of a tool to -V=full is remembered: it depends only on
 * the tool's binary and on the GO* environment (GOEXPERIMENT shows in it),
 * and asking costs a process start on every go command run.
 */
static int version_cache_path(const char *tool, const char *flag, struct strbuf *path)
{
	extern char **environ;
	struct strbuf key = STRBUF_INIT;
	struct stat st;

	if (stat(tool, &st) < 0)
		return -1;
	strbuf_addf(&key, "%s %s\n%ju %ju %jd %ld.%09ld %ld.%09ld\n", tool, flag, (uintmax_t)st.st_dev,
		    (uintmax_t)st.st_ino, (intmax_t)st.st_size, (long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec, (long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "GO", 2))
			strbuf_addf(&key, "%s\n", *e);
	cache_dir(path);
	strbuf_addstr(path, "/tools/");
	sha256_buf_hex(key.buf, key.len, path);
	strbuf_release(&key);
	return 0;
}

/*
 * A tool's -V answer; for the compiler (t not NULL) with " goinstr-ID"
 * appended, and the main modules' digest when they come from the
 * working directory.
 */
static int version_query(const char *const *argv, const struct texec *t)
{
	struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;
	int st = 0;

	if (version_cache_path(argv[0], argv[1], &path) < 0 || strbuf_read_file(&out, path.buf) < 0) {
		strbuf_reset(&out);
		st = run_capture(argv, &out);
		if (st < 0)
			return 2;
		if (!st && path.len) {
			char *slash = strrchr(path.buf, '/');
			*slash = '\0';
			if (mkdir_p(path.buf, 0700) == 0) {
				*slash = '/';
				write_file(path.buf, out.buf, out.len, 0600);
			}
		}
	}
	while (out.len && out.buf[out.len - 1] == '\n')
		strbuf_setlen(&out, out.len - 1);
	if (!t) {
		printf("%s\n", out.buf);
		goto out;
	}
	printf("%s goinstr-%s", out.buf, t->id ? t->id : "0");
	if (t->from_cwd) { /* the rewrite depends on which modules are main */
		struct strbuf h = STRBUF_INIT;
		sha256_buf_hex(t->mains.buf, t->mains.len, &h);
		printf("-%.16s", h.buf);
		strbuf_release(&h);
	}
	putchar('\n');
out:
	strbuf_release(&out);
	strbuf_release(&path);
	return st;
}

/* "go1.21" -> 21; 0 if unknown. */
static int lang_minor(const char *lang)
{
	if (!lang || strncmp(lang, "go1.", 4))
		return 0;
	return atoi(lang + 4);
}

static int compile(const char **argv, int argc, const struct texec *t)
{
	const char *pkg = NULL, *lang = NULL, *out = NULL, *trim = NULL;
	int std = 0, ret, any = 0;
	struct strbuf work = STRBUF_INIT, objroot = STRBUF_INIT;
	struct argv args = ARGV_INIT;
	struct rwunsafe ru;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-std"))
			std = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			pkg = argv[++i];
		else if (!strncmp(argv[i], "-lang=", 6))
			lang = argv[i] + 6;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-trimpath") && i + 1 < argc)
			trim = argv[++i];
		else if (!strncmp(argv[i], "-trimpath=", 10))
			trim = argv[i] + 10;
	}
	if (std || !pkg) {
		execv(argv[0], (char *const *)argv);
		error("cannot run '%s': %s", argv[0], strerror(errno));
		return 2;
	}
	/* The go command's own files ($WORK/bNNN/...: cgo output, test main,
	 * coverage copies) are not the package's sources. */
	if (out) {
		strbuf_addstr(&objroot, out);
		for (int k = 0; k < 2; k++) {
			char *s = strrchr(objroot.buf, '/');
			if (s)
				strbuf_setlen(&objroot, (size_t)(s - objroot.buf));
		}
	}

	rwunsafe_init(&ru, lang_minor(lang) >= 18 || !lang);
	ru.trim = trim;
	argv_push(&args, argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t n = strlen(a);
		struct strbuf src = STRBUF_INIT, res = STRBUF_INIT, path = STRBUF_INIT;
		int changed = 0;

		if (a[0] != '/') { /* line directives and scopes need absolute names */
			char cwd[4096];
			if (getcwd(cwd, sizeof(cwd)))
				strbuf_addf(&path, "%s/", cwd);
		}
		strbuf_addstr(&path, a);
		/* GOROOT's files: the standard library's own external test
		 * packages (runtime_test...) compile without -std. */
		if (n < 4 || strcmp(a + n - 3, ".go") || a[0] == '-' ||
		    (objroot.len && has_prefix_dir(path.buf, objroot.buf)) ||
		    (t->goroot && has_prefix_dir(path.buf, t->goroot)) ||
		    !unsafe_in_scope(t->scope, t->mains.buf, path.buf)) {
			argv_push(&args, a);
			strbuf_release(&path);
			continue;
		}
		if (strbuf_read_file(&src, a) < 0 || strchr(path.buf, '\n')) {
			changed = 0;
		} else {
			size_t first = ru.nr;
			int r = rwunsafe_file(&ru, path.buf, src.buf, src.len, &res, &changed);
			if (r >= 0) /* for the inventory after the build (inventory.h) */
				inventory_remember(&ru, first, path.buf, src.buf, src.len);
			if (r == 1) { /* never fail a build over it, never hide it */
				const struct usite *s = &ru.v[ru.nr - 1];
				warning("%s:%u:%u: tree-sitter-go 0.25.0 cannot parse this file "
					"(newer Go syntax?): its unsafe operations are not logged",
					path.buf, s->line, s->col);
			}
			if (r != 0)
				changed = 0; /* never fail a build over a file we can't rewrite */
		}
		if (changed && !work.len && workdir_create(&work) < 0)
			changed = 0;
		if (changed) {
			struct strbuf dst = STRBUF_INIT;
			const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
			strbuf_addf(&dst, "%s/%d_%s", work.buf, i, base);
			if (write_file(dst.buf, res.buf, res.len, 0600) == 0) {
				argv_push(&args, dst.buf);
				any = 1;
			} else {
				argv_push(&args, a);
			}
			strbuf_release(&dst);
		} else {
			argv_push(&args, a);
		}
		strbuf_release(&src);
		strbuf_release(&res);
		strbuf_release(&path);
	}
	if (any && ru.nslots) {
		struct strbuf sup = STRBUF_INIT, dst = STRBUF_INIT;
		rwunsafe_support(&ru, &sup);
		strbuf_addf(&dst, "%s/zz_goinstr_unsafe.go", work.buf);
		if (write_file(dst.buf, sup.buf, sup.len, 0600) == 0)
			argv_push(&args, dst.buf);
		strbuf_release(&sup);
		strbuf_release(&dst);
	}
	(void)pkg;
	ret = run_inherit((const char *const *)args.v);
	if (ret < 0)
		ret = 2;
	if (work.len)
		remove_tree(work.buf);
	argv_release(&args);
	rwunsafe_release(&ru);
	strbuf_release(&work);
	strbuf_release(&objroot);
	return ret;
}

int cmd_toolexec(int argc, const char **argv)
{
	struct texec t = { "all", STRBUF_INIT, NULL, NULL, 0 };
	int i, is_compile;
	const char *tool, *base;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strncmp(argv[i], "--unsafe=", 9)) {
			t.scope = argv[i] + 9;
		} else if (!strncmp(argv[i], "--main=", 7)) {
			strbuf_addf(&t.mains, "%s\n", argv[i] + 7);
		} else if (!strncmp(argv[i], "--id=", 5)) {
			t.id = argv[i] + 5;
		} else if (!strncmp(argv[i], "--goroot=", 9)) {
			t.goroot = argv[i] + 9;
		} else if (!strcmp(argv[i], "--main-from-cwd")) {
			t.from_cwd = 1;
		} else {
			error("toolexec: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		error("usage: goinstr toolexec [options] TOOL ARGS...");
		return EXIT_USAGE;
	}
	if (t.from_cwd && strcmp(t.scope, "all") && strcmp(t.scope, "none")) {
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)))
			modroot_main_dirs(cwd, &t.mains);
	} else {
		t.from_cwd = 0;
	}
	tool = argv[i];
	base = strrchr(tool, '/') ? strrchr(tool, '/') + 1 : tool;
	is_compile = !strcmp(base, "compile") || !strcmp(base, "compile.exe");
	/* A version query is the tool with -V or -V=... alone: elsewhere a -V
	 * may be a value (the go command's build IDs can start with "-V"). */
	if (argc - i == 2 && (!strcmp(argv[i + 1], "-V") || !strncmp(argv[i + 1], "-V=", 3)))
		return version_query(argv + i, is_compile ? &t : NULL);
	if (!is_compile) {
		execv(tool, (char *const *)(argv + i));
		error("cannot run '%s': %s", tool, strerror(errno));
		return EXIT_USAGE;
	}
	return compile(argv + i, argc - i, &t);
}
