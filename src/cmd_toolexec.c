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
 * `compile -V=full` is answered with the compiler's line plus the unsafe
 * rewrite's identity (--id: instrument_unsafe_id), which the go command
 * makes part of every compile's cache key: instrumented and plain objects
 * never mix.
 *
 * The compile shim of a drop-in toolchain (toolchain.h) runs this as
 * `goinstr toolexec --main-from-cwd ... DIR/pkg/goinstr/tool/compile ARGS`:
 * with no goinstr command line to name the main modules, they are found
 * from the working directory, which the go command gives every compile
 * (its own), the way the go command finds them (modroot.h); they are
 * then part of the -V=full answer, as --main's are part of --id.
 *
 * The standard library's overlaid files (goinstr build's reflect and
 * runtime) get the name $GOROOT/src/... in the objects, as the compiler
 * names the files of GOROOT it reads itself and the linker expands: the
 * go command's rewrite of an overlaid file to its GOROOT name would keep
 * the compiler from it, and the object, which the build cache shares
 * between GOROOTs of one release (the action ID of a GOROOT package does
 * not hold its directory), would name another GOROOT in a build at a
 * different place (a drop-in toolchain made from this one).
 *
 * --trimpath-rewrite=FROM=>TO (goinstr build with a toolchain in the
 * module cache, which the go command then sees under another name:
 * goroot_prepare in goenv.h) is added, last, to the -trimpath rewrites
 * of every compile and assembly, so what they record names the files as
 * a plain build's do; unsafe sites' names come from the same rewrites.
 *
 * usage: goinstr toolexec [--unsafe=all|main|deps|none] [--main=DIR]... [--main-from-cwd]
 *                         [--goroot=DIR] [--id=ID] [--work=DIR]
 *                         [--trimpath-rewrite=FROM=>TO] TOOL ARGS...
 *
 * --work=DIR (goinstr build --keep-work): each compiled package's copies
 * are kept in DIR/unsafe/PKG instead of a temporary directory.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "gocover.h"
#include "hash.h"
#include "inventory.h"
#include "modroot.h"
#include "rwunsafe.h"
#include "run.h"
#include "util.h"

struct texec {
	const char *scope;    /* all, main, deps */
	struct strbuf mains;  /* main module directories, one per line */
	const char *id;
	const char *goroot;   /* the standard library's test packages (no -std) live here */
	int from_cwd;         /* mains found from the working directory */
	const char *keep;     /* --work: keep the rewritten copies in KEEP/unsafe/PKG (keep_dir) */
	const char *rewrite;  /* --trimpath-rewrite: added to compiles' and assemblies' -trimpath */
};

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
		st = run_capture(argv, NULL, &out);
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

/* The package, for messages: as the go command names it under -toolexec
 * ("p [p.test]"), else its -p (main packages' is "main"). */
static const char *pkg_desc(const char *p)
{
	const char *e = getenv("TOOLEXEC_IMPORTPATH");
	return e && *e ? e : p;
}

/* Run the tool as the go command asked, unchanged. Returns only on failure. */
static int exec_tool(const char **argv)
{
	execv(argv[0], (char *const *)argv);
	error("cannot run '%s': %s", argv[0], strerror(errno));
	return 2;
}

/* One compile of a package outside the standard library. */
struct unit {
	const char **argv;      /* the go command's compile command */
	int argc;
	const char *pkg;        /* -p */
	struct strbuf **copies; /* per argv index: its rewritten source, or NULL */
	int *input;             /* per argv index: the cover input it is the copy of, or -1 */
	struct gocover gc;      /* with -cover: what the go command's cover step left */
	struct rwunsafe ru;
	struct strbuf notes;    /* warnings held until the package compiles */
};

/*
 * cmd/cover of the toolchain: beside the compiler, else in a directory of
 * GOROOT/pkg/tool (a drop-in toolchain's compiler is in pkg/goinstr/tool).
 * 0 or -1 (reported).
 */
static int cover_tool(const char *compiler, const char *goroot, struct strbuf *out)
{
	const char *slash = strrchr(compiler, '/');
	struct strbuf dir = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	if (slash) {
		strbuf_addf(out, "%.*s/cover", (int)(slash - compiler), compiler);
		if (access(out->buf, X_OK) == 0)
			return 0;
	}
	strbuf_addf(&dir, "%s/pkg/tool", goroot ? goroot : ".");
	if (goroot && (d = opendir(dir.buf))) {
		char *best = NULL;
		while ((de = readdir(d))) {
			strbuf_reset(out);
			strbuf_addf(out, "%s/%s/cover", dir.buf, de->d_name);
			if (de->d_name[0] != '.' && access(out->buf, X_OK) == 0 &&
			    (!best || strcmp(out->buf, best) < 0)) {
				free(best);
				best = xstrdup(out->buf);
			}
		}
		closedir(d);
		strbuf_reset(out);
		if (best)
			strbuf_addstr(out, best);
		free(best);
	}
	strbuf_release(&dir);
	return out->len ? 0 : error("cannot find the cover tool beside '%s'", compiler);
}

/*
 * A new directory for a package's copies under keep (goinstr build
 * --keep-work): keep/unsafe/PKG, PKG the package as the go command names
 * it, flat: every byte but letters, digits, '.' and '-' becomes '_'
 * ("golang.org_x_sys_unix", a test variant "p_p.test_"), with "~N" added
 * if another compile took that name. 0 or -1 (reported).
 */
static int keep_dir(const char *keep, const char *pkg, struct strbuf *dir)
{
	size_t at;

	strbuf_reset(dir);
	strbuf_addf(dir, "%s/unsafe", keep);
	if (mkdir_p(dir->buf, 0700) < 0)
		return -1;
	strbuf_addch(dir, '/');
	if (*pkg == '.' || !*pkg)
		strbuf_addch(dir, '_');
	for (const char *p = pkg; *p; p++)
		strbuf_addch(dir, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				  (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ? *p : '_');
	at = dir->len;
	for (int n = 2; mkdir(dir->buf, 0700) < 0; n++) {
		if (errno != EEXIST || n > 1000)
			return error("cannot create '%s': %s", dir->buf, strerror(errno));
		strbuf_setlen(dir, at);
		strbuf_addf(dir, "~%d", n);
	}
	return 0;
}

/*
 * Write the package's rewritten files and its wrapper file into a new
 * work directory (with -cover, redo the coverage copies of the rewritten
 * inputs there), and make args the compile command on them. All or
 * nothing: 0, or -1 (reported) with nothing written left behind and args
 * empty.
 */
static int write_rewrite(struct unit *u, const struct texec *t, struct strbuf *work,
			 struct argv *args)
{
	struct strbuf dst = STRBUF_INIT, sup = STRBUF_INIT, tool = STRBUF_INIT;
	struct argv redone = ARGV_INIT;
	struct strbuf **text = NULL;
	int ret = 0, cover = 0;

	if ((t->keep ? keep_dir(t->keep, pkg_desc(u->pkg), work) : workdir_create(work)) < 0) {
		strbuf_reset(work);
		return -1;
	}
	if (u->gc.ins.nr) {
		text = xcalloc(u->gc.ins.nr, sizeof(*text));
		for (int i = 1; i < u->argc; i++)
			if (u->copies[i] && u->input[i] >= 0)
				text[u->input[i]] = u->copies[i], cover = 1;
	}
	if (cover && (cover_tool(u->argv[0], t->goroot, &tool) < 0 ||
		      gocover_redo(&u->gc, tool.buf, work->buf, text, &redone) < 0))
		ret = -1;
	argv_push(args, u->argv[0]);
	for (int i = 1; i < u->argc && !ret; i++) {
		const char *a = u->argv[i];
		const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
		if (!u->copies[i]) {
			argv_push(args, a);
		} else if (u->input[i] >= 0) {
			argv_push(args, redone.v[u->input[i]]);
		} else {
			strbuf_reset(&dst);
			strbuf_addf(&dst, "%s/%d_%s", work->buf, i, base);
			ret = write_file(dst.buf, u->copies[i]->buf, u->copies[i]->len, 0600);
			argv_push(args, dst.buf);
		}
	}
	if (!ret && u->ru.nslots) {
		rwunsafe_support(&u->ru, &sup);
		strbuf_reset(&dst);
		strbuf_addf(&dst, "%s/zz_goinstr_unsafe.go", work->buf);
		ret = write_file(dst.buf, sup.buf, sup.len, 0600);
		argv_push(args, dst.buf);
	}
	if (ret) {
		remove_tree(work->buf);
		strbuf_reset(work);
		argv_release(args);
	}
	free(text);
	argv_release(&redone);
	strbuf_release(&dst);
	strbuf_release(&sup);
	strbuf_release(&tool);
	return ret;
}

/* Print the held warnings (lines), once the compile they concern worked. */
static void print_notes(const struct strbuf *notes)
{
	for (const char *p = notes->buf; *p;) {
		size_t n = strcspn(p, "\n");
		warning("%.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/*
 * Compile the package as the go command asked, its output passed on as
 * it comes. why: the reason its rewrite is not compiled (warned about
 * once it compiled), or NULL (it had none). The held warnings are for a
 * compile that works: after a failed one the user reads the compiler's
 * messages alone, as without goinstr. Returns the compiler's status.
 */
static int compile_as_written(const char **argv, const char *pkg, const struct strbuf *notes,
			      const char *why)
{
	int st = run_inherit(argv, NULL);

	if (st < 0)
		return 2;
	if (!st) {
		print_notes(notes);
		if (why)
			warning("package %s is compiled without its unsafe wrappers (%s): "
				"its unsafe operations are not logged",
				pkg_desc(pkg), why);
	}
	return st;
}

/*
 * Compile the rewrite (args). Its output (stdout and stderr: the go
 * command reads them as one) is held: passed on if it compiles. If it
 * does not, the go command's own arguments are compiled instead, so the
 * user reads the compiler's messages about their own source, byte for
 * byte, never the wrappers; and if those compile, the rewrite was at
 * fault: the package is built as written, with a warning.
 */
static int compile_rewrite(const char *const *args, const char **argv, const char *pkg,
			   const struct strbuf *notes)
{
	struct child c = CHILD_INIT;
	struct strbuf out = STRBUF_INIT;
	int st;

	c.argv = args;
	c.out = c.err = CHILD_CAPTURE;
	c.out_buf = c.err_buf = &out; /* one stream, in the order written */
	c.wait_like_system = 1;
	st = run_child(&c);
	if (st < 0) {
		st = 2;
	} else if (!st) {
		fwrite(out.buf, 1, out.len, stdout);
		print_notes(notes);
	} else if (st < 128) { /* not killed by a signal */
		st = compile_as_written(argv, pkg, notes, "its rewrite does not compile");
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
	strbuf_release(&out);
	return st;
}

/*
 * Compile argument i of u, if it is a source file of the package in the
 * scope (or a coverage copy of one, under objroot: the go command's own
 * directory for this compile), rewritten into u->copies[i]; its sites are
 * remembered for the inventory and a file the grammar cannot read is
 * noted. Returns 1 if the file changed, else 0.
 */
static int rewrite_input(struct unit *u, const struct texec *t, int i, const char *objroot)
{
	const char *a = u->argv[i];
	size_t n = strlen(a);
	struct strbuf src = STRBUF_INIT, res = STRBUF_INIT, path = STRBUF_INIT;
	int changed = 0, r;

	u->input[i] = -1;
	if (a[0] != '/') { /* line directives and scopes need absolute names */
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)))
			strbuf_addf(&path, "%s/", cwd);
	}
	strbuf_addstr(&path, a);
	if (path_beneath(path.buf, objroot) &&
	    (u->input[i] = gocover_input(&u->gc, a)) >= 0) {
		strbuf_reset(&path);
		strbuf_addstr(&path, u->gc.ins.v[u->input[i]]);
	}
	/* GOROOT's files: the standard library's own external test
	 * packages (runtime_test...) compile without -std. */
	if (n < 4 || strcmp(a + n - 3, ".go") || a[0] == '-' ||
	    path_beneath(path.buf, objroot) ||
	    path_beneath(path.buf, t->goroot) ||
	    !unsafe_in_scope(t->scope, t->mains.buf, path.buf) ||
	    strbuf_read_file(&src, path.buf) < 0 || strchr(path.buf, '\n'))
		goto out;
	size_t first = u->ru.nr;
	r = rwunsafe_file(&u->ru, path.buf, src.buf, src.len, &res, &changed);
	if (r >= 0) /* for the inventory after the build (inventory.h) */
		inventory_remember(&u->ru, first, path.buf, src.buf, src.len);
	if (r == 1) { /* never fail a build over it, never hide it */
		const struct usite *s = &u->ru.v[u->ru.nr - 1];
		strbuf_addf(&u->notes, "%s:%u:%u: tree-sitter-go 0.25.0 cannot parse this file "
			    "(newer Go syntax?): its unsafe operations are not logged\n",
			    path.buf, s->line, s->col);
	}
	if (r != 0 || !changed) { /* never fail a build over a file we can't rewrite */
		changed = 0;
		goto out;
	}
	u->copies[i] = xmalloc(sizeof(**u->copies));
	*u->copies[i] = res; /* handed over */
	strbuf_init(&res, 0);
out:
	strbuf_release(&src);
	strbuf_release(&res);
	strbuf_release(&path);
	return changed;
}

static int compile(const char **argv, int argc, const struct texec *t)
{
	const char *lang = NULL, *out = NULL, *trim = NULL, *covercfg = NULL;
	int std = 0, ret, nchanged = 0;
	struct strbuf work = STRBUF_INIT, objroot = STRBUF_INIT;
	struct argv args = ARGV_INIT;
	struct unit u = { argv, argc, NULL, NULL, NULL, GOCOVER_INIT, { 0 }, STRBUF_INIT };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-std"))
			std = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			u.pkg = argv[++i];
		else if (!strncmp(argv[i], "-lang=", 6))
			lang = argv[i] + 6;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-trimpath") && i + 1 < argc)
			trim = argv[++i];
		else if (!strncmp(argv[i], "-trimpath=", 10))
			trim = argv[i] + 10;
		else if (!strcmp(argv[i], "-coveragecfg") && i + 1 < argc)
			covercfg = argv[++i];
		else if (!strncmp(argv[i], "-coveragecfg=", 13))
			covercfg = argv[i] + 13;
	}
	if (std || !u.pkg)
		return exec_tool(argv);
	/* The go command's own files ($WORK/bNNN/...: cgo output, test main,
	 * coverage copies) are not the package's sources; a coverage copy
	 * stands for its original, which is rewritten as without -cover. */
	if (out) {
		strbuf_addstr(&objroot, out);
		for (int k = 0; k < 2; k++) {
			char *s = strrchr(objroot.buf, '/');
			if (s)
				strbuf_setlen(&objroot, (size_t)(s - objroot.buf));
		}
	}
	if (covercfg && gocover_load(&u.gc, covercfg) < 0) {
		gocover_release(&u.gc);
		strbuf_addf(&u.notes, "package %s: its coverage copies are not what goinstr knows: "
			    "its unsafe operations are not logged\n", pkg_desc(u.pkg));
	}

	rwunsafe_init(&u.ru, lang_minor(lang) >= 18 || !lang);
	u.ru.trim = trim;
	u.copies = xcalloc((size_t)argc, sizeof(*u.copies));
	u.input = xcalloc((size_t)argc, sizeof(*u.input));
	for (int i = 1; i < argc; i++)
		nchanged += rewrite_input(&u, t, i, objroot.buf);
	/* Never half a rewrite: the copies without their wrappers, or some
	 * files wrapped and others not, would not compile or not log. */
	if (!nchanged && !u.notes.len)
		ret = exec_tool(argv);
	else if (!nchanged)
		ret = compile_as_written(argv, u.pkg, &u.notes, NULL);
	else if (write_rewrite(&u, t, &work, &args) < 0)
		ret = compile_as_written(argv, u.pkg, &u.notes, "its rewrite cannot be written");
	else
		ret = compile_rewrite((const char *const *)args.v, argv, u.pkg, &u.notes);
	if (work.len && !t->keep)
		remove_tree(work.buf);
	for (int i = 0; i < argc; i++)
		if (u.copies[i]) {
			strbuf_release(u.copies[i]);
			free(u.copies[i]);
		}
	free(u.copies);
	free(u.input);
	gocover_release(&u.gc);
	argv_release(&args);
	rwunsafe_release(&u.ru);
	strbuf_release(&work);
	strbuf_release(&objroot);
	strbuf_release(&u.notes);
	return ret;
}

/*
 * One -trimpath value, changed: a rewrite of a file to a name in goroot
 * (std, a package of GOROOT: the go command's rewrite of each overlaid
 * file back to its name) names it $GOROOT/... instead, as the compiler
 * names GOROOT's other files; then rw, if any, last (the first rewrite
 * that matches a file wins: the go command's stay first). Appended to out.
 */
static void trimpath_value(const char *v, const char *goroot, const char *rw, struct strbuf *out)
{
	size_t ng = goroot ? strlen(goroot) : 0;

	for (const char *r = v; *r;) {
		size_t n = strcspn(r, ";");
		const char *to = memmem(r, n, "=>", 2);
		if (to)
			to += 2;
		if (to && ng && (size_t)(r + n - to) > ng && !strncmp(to, goroot, ng) && to[ng] == '/')
			strbuf_addf(out, "%.*s$GOROOT%.*s", (int)(to - r), r,
				    (int)(r + n - to - ng), to + ng);
		else
			strbuf_add(out, r, n);
		r += n;
		if (*r == ';')
			strbuf_addch(out, *r++);
	}
	if (rw)
		strbuf_addf(out, "%s%s", out->len ? ";" : "", rw);
}

/*
 * The tool's arguments with its -trimpath changed by trimpath_value (one
 * added if it has none and rw is set). Into out.
 */
static void fix_trimpath(const char **argv, int argc, const char *goroot, const char *rw,
			 struct argv *out)
{
	struct strbuf v = STRBUF_INIT;
	int seen = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (i > 0 && !seen && !strcmp(a, "-trimpath") && i + 1 < argc) {
			argv_push(out, a);
			val = a = argv[++i];
		} else if (i > 0 && !seen && !strncmp(a, "-trimpath=", 10)) {
			val = a + 10;
		}
		if (!val) {
			argv_push(out, a);
			continue;
		}
		seen = 1;
		strbuf_reset(&v);
		strbuf_add(&v, a, (size_t)(val - a));
		trimpath_value(val, goroot, rw, &v);
		argv_push(out, v.buf);
	}
	if (!seen && rw) {
		argv_push(out, "-trimpath");
		argv_push(out, rw);
	}
	strbuf_release(&v);
}

static int opt_main(void *dst, const char *v, struct strbuf *err)
{
	(void)err;
	strbuf_addf(&((struct texec *)dst)->mains, "%s\n", v);
	return 0;
}

static const struct option toolexec_options[] = {
	OPT_STRING("unsafe", struct texec, scope, "SCOPE", NULL),
	OPT_CALL("main", "DIR", NULL, opt_main),
	OPT_STRING("id", struct texec, id, "ID", NULL),
	OPT_STRING("goroot", struct texec, goroot, "DIR", NULL),
	OPT_BOOL("main-from-cwd", struct texec, from_cwd, NULL),
	OPT_STRING("work", struct texec, keep, "DIR", NULL),
	OPT_STRING("trimpath-rewrite", struct texec, rewrite, "FROM=>TO", NULL),
	OPT_END(),
};

int cmd_toolexec(int argc, const char **argv)
{
	struct texec t = { "all", STRBUF_INIT, NULL, NULL, 0, NULL, NULL };
	struct argv mapped = ARGV_INIT;
	int i, is_compile, ret;
	const char *tool, *base;

	if ((i = opts_parse(toolexec_options, &t, argc, argv, OPTS_STOP_AT_ARG)) < 0)
		return EXIT_USAGE;
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
	if (is_compile || !strcmp(base, "asm") || !strcmp(base, "asm.exe")) {
		int std = 0;
		for (int k = i + 1; k < argc && is_compile; k++)
			std |= !strcmp(argv[k], "-std");
		fix_trimpath(argv + i, argc - i, std ? t.goroot : NULL, t.rewrite, &mapped);
		argv = (const char **)mapped.v;
		argc = (int)mapped.nr;
		i = 0;
	}
	if (!is_compile) {
		execv(tool, (char *const *)(argv + i));
		error("cannot run '%s': %s", tool, strerror(errno));
		argv_release(&mapped);
		return EXIT_USAGE;
	}
	ret = compile(argv + i, argc - i, &t);
	argv_release(&mapped);
	return ret;
}
