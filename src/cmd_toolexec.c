/*
 * cmd_toolexec.c - `goinstr toolexec`: the -toolexec program goinstr hands
 * the go command, to wrap unsafe operations in packages outside the
 * standard library and to name, in every binary, what it could not wrap.
 *
 * Why not the overlay, as for reflect: the go command refuses overlays for
 * files beneath GOMODCACHE, where dependencies live. A compile's inputs can
 * be swapped instead: for each compile of a non-standard package in scope,
 * goinstr-types (gotypes.h) type-checks the package with the compile's own
 * -importcfg and plans the taps (rwunsafe.h); the files with taps are
 * rewritten into a private directory, a generated file with the taps'
 * wrapper is added, and the real compiler runs on them. The copies name
 * the original file in a line directive before the package clause, so
 * positions, panics and debug info name the originals; the compiler
 * applies -trimpath to that name as it would to the original's. What the
 * taps bake in (site files and ids) gets the compile's -trimpath rewrites
 * too. The taps add no import but "unsafe" (the go command fixes each
 * compile's imports beforehand): they reach the logger through a pull of
 * the runtime's goinstrUnsafeEvent.
 *
 * Every compile of a non-standard package leaves its sites in goinstr's
 * cache under the compile's action ID (the go command's -buildid), blind
 * spots and all (sitescache.h): the inventory reads them back, and the
 * link step (below) finds them from the archives' build IDs.
 *
 * Nothing is skipped in silence: a package whose rewrite cannot be made
 * (a type error goinstr-types reports, a full disk) or does not compile is
 * compiled as written, with a warning and a blind-spot record. The link
 * of a binary reads the build ID of every archive it links and passes the
 * blind spots of their packages to the linker as runtime.goinstrBlind
 * (-X), which every log header names: the binary says what goinstr could
 * not see in it, even when its packages came from the build cache.
 *
 * `compile -V=full` is answered with the compiler's line plus the unsafe
 * rewrite's identity (--id: instrument_unsafe_id), which the go command
 * makes part of every compile's cache key: instrumented and plain objects
 * never mix.
 *
 * The tool shims of a drop-in toolchain (toolchain.h) run this as
 * `goinstr toolexec --main-from-cwd ... DIR/pkg/goinstr/tool/compile ARGS`:
 * with no goinstr command line to name the main modules, they are found
 * from the working directory, which the go command gives every compile
 * (its own), the way the go command finds them (modroot.h); they are
 * then part of the -V=full answer, as --main's are part of --id. Their
 * arguments may come in response files (respfile.h).
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
 * The link also marks the binary in its build information (buildinfo.h:
 * go version -m shows goinstr's version, --ops, --unsafe and whether the
 * GOROOT was verified), from --ops and --trust-goroot.
 *
 * usage: goinstr toolexec [--unsafe=all|main|deps|none] [--main=DIR]... [--main-from-cwd]
 *                         [--goroot=DIR] [--id=ID] [--work=DIR] [--helper=PATH]
 *                         [--go=VERSION] [--trimpath-rewrite=FROM=>TO] [--ops=LIST]
 *                         [--trust-goroot] TOOL ARGS...
 *
 * --work=DIR (goinstr build --keep-work): each compiled package's copies
 * are kept in DIR/unsafe/PKG instead of a temporary directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cmds.h"
#include "commands.h"
#include "gocover.h"
#include "gotypes.h"
#include "hash.h"
#include "linkblind.h"
#include "modroot.h"
#include "plan.h"
#include "respfile.h"
#include "rwunsafe.h"
#include "run.h"
#include "sitescache.h"
#include "toolver.h"
#include "tree.h"
#include "trimpath.h"
#include "util.h"

struct texec {
	const char *scope;    /* all, main, deps */
	struct strbuf mains;  /* main module directories, one per line */
	const char *id;
	const char *goroot;   /* the standard library's test packages (no -std) live here */
	int from_cwd;         /* mains found from the working directory */
	const char *keep;     /* --work: keep the rewritten copies in KEEP/unsafe/PKG (keep_dir) */
	const char *helper;   /* goinstr-types */
	const char *go;       /* the release ("go1.27.3"): its response files' format */
	int gcc;              /* response files in Go 1.27's format */
	int respond;          /* the tool was given a response file: give it one */
	int warn_link;        /* a link warns about the blind spots it links */
	const char *rewrite;  /* --trimpath-rewrite: added to compiles' and assemblies' -trimpath */
	const char *ops;      /* the op categories: the link marks the binary (buildinfo.h) */
	int trusted;          /* --trust-goroot: said in the mark */
};

/*
 * A tool's -V answer; for the compiler and linker (t not NULL) with
 * " goinstr-ID" appended, and the main modules' digest when they come
 * from the working directory.
 */
static int version_query(const char *const *argv, const struct texec *t)
{
	struct strbuf out = STRBUF_INIT;
	int st;

	if ((st = toolver_answer(argv, &out)) < 0)
		return 2;
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
	return st;
}

/* The package, for messages: as the go command names it under -toolexec
 * ("p [p.test]"), else its -p (main packages' is "main"). */
static const char *pkg_desc(const char *p)
{
	const char *e = getenv("TOOLEXEC_IMPORTPATH");
	return e && *e ? e : p;
}

/*
 * Run a tool: args as the tool takes them (in a response file of the
 * release's format when it was given one: they may be too long for
 * exec's). With wait 0 and no response file the tool replaces this
 * process (run_exec). Returns the tool's status, or 2 (reported).
 */
static int run_tool(const struct argv *args, const struct texec *t, int wait)
{
	struct strbuf dir = STRBUF_INIT, rsp = STRBUF_INIT, text = STRBUF_INIT;
	int st;

	if (!t->respond && !wait)
		return run_exec((const char *const *)args->v, NULL), 2;
	if (!t->respond)
		return (st = run_inherit((const char *const *)args->v, NULL)) < 0 ? 2 : st;
	if (workdir_create(&dir) < 0)
		return 2;
	strbuf_addf(&rsp, "%s/args", dir.buf);
	respfile_encode(args, 1, t->gcc, &text);
	if (write_file(rsp.buf, text.buf, text.len, 0600) < 0) {
		st = 2;
	} else {
		strbuf_reset(&text);
		strbuf_addf(&text, "@%s", rsp.buf);
		st = run_inherit((const char *const[]){ args->v[0], text.buf, NULL }, NULL);
		st = st < 0 ? 2 : st;
	}
	remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&rsp);
	strbuf_release(&text);
	return st;
}

/* One compile of a package outside the standard library. */
struct unit {
	struct argv args;       /* the go command's compile command, expanded */
	const char *pkg;        /* -p */
	const char *aid;        /* the go command's action ID (-buildid), or NULL */
	const char *lang, *importcfg;
	struct strbuf **copies; /* per argument: its rewritten source, or NULL */
	int *input;             /* per argument: the cover input it is the copy of, or -1 */
	int *hin;               /* per argument: its index among the helper's files, or -1 */
	struct argv files;      /* the helper's files: "r=PATH" or "c=PATH" */
	size_t nrewrite;        /* how many of them are "r=" */
	int goroot_files;       /* a standard-library test package (files in GOROOT) */
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
	struct argv names = ARGV_INIT;

	if (slash) {
		strbuf_addf(out, "%.*s/cover", (int)(slash - compiler), compiler);
		if (access(out->buf, X_OK) == 0)
			return 0;
	}
	strbuf_addf(&dir, "%s/pkg/tool", goroot ? goroot : ".");
	if (goroot && tree_list(dir.buf, &names) == 0) {
		char *best = NULL;
		for (size_t i = 0; i < names.nr; i++) {
			strbuf_reset(out);
			strbuf_addf(out, "%s/%s/cover", dir.buf, names.v[i]);
			if (names.v[i][0] != '.' && access(out->buf, X_OK) == 0 &&
			    (!best || strcmp(out->buf, best) < 0)) {
				free(best);
				best = xstrdup(out->buf);
			}
		}
		strbuf_reset(out);
		if (best)
			strbuf_addstr(out, best);
		free(best);
	}
	argv_release(&names);
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
	int ret = 0, cover = 0, argc = (int)u->args.nr;

	if ((t->keep ? keep_dir(t->keep, pkg_desc(u->pkg), work) : workdir_create(work)) < 0) {
		strbuf_reset(work);
		return -1;
	}
	if (u->gc.ins.nr) {
		text = xcalloc(u->gc.ins.nr, sizeof(*text));
		for (int i = 1; i < argc; i++)
			if (u->copies[i] && u->input[i] >= 0)
				text[u->input[i]] = u->copies[i], cover = 1;
	}
	if (cover && (cover_tool(u->args.v[0], t->goroot, &tool) < 0 ||
		      gocover_redo(&u->gc, tool.buf, work->buf, text, &redone) < 0))
		ret = -1;
	argv_push(args, u->args.v[0]);
	for (int i = 1; i < argc && !ret; i++) {
		const char *a = u->args.v[i];
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
 * The record of a package goinstr could not wrap, for the inventory and
 * the binary's blind spots (rwunsafe_blind): ru holds it alone.
 */
static void blind_package(struct unit *u, const char *why)
{
	rwunsafe_blind_package(&u->ru, pkg_desc(u->pkg), why);
}

/*
 * Leave the package's sites and blind spots in goinstr's cache under its
 * compile's action ID, for the inventory and the link (sitescache.h).
 */
static void remember(const struct unit *u)
{
	struct strbuf lines = STRBUF_INIT, blind = STRBUF_INIT;

	if (!u->aid)
		return;
	for (size_t i = 0; i < u->ru.nr; i++) {
		usite_json(&u->ru.v[i], &lines);
		strbuf_addch(&lines, '\n');
	}
	rwunsafe_blind(&u->ru, &blind);
	sitescache_pkg_put(u->aid, lines.buf, lines.len, blind.buf);
	strbuf_release(&lines);
	strbuf_release(&blind);
}

/*
 * Compile the package as written (its output passed on as it comes),
 * after its rewrite failed: why it failed is warned about once it
 * compiled, and recorded (remember) as a blind spot. The held warnings
 * are for a compile that works: after a failed one the user reads the
 * compiler's messages alone, as without goinstr. Returns the compiler's
 * status.
 */
static int compile_as_written(struct unit *u, const struct texec *t, const char *why)
{
	int st = run_tool(&u->args, t, 1);

	if (!st) {
		print_notes(&u->notes);
		warning("package %s is compiled without its unsafe taps (%s): "
			"its unsafe operations are not logged",
			pkg_desc(u->pkg), why);
		blind_package(u, why);
		remember(u);
	}
	return st;
}

/*
 * Compile the rewrite (args). Its output (stdout and stderr: the go
 * command reads them as one) is held: passed on if it compiles. If it
 * does not, the go command's own arguments are compiled instead, so the
 * user reads the compiler's messages about their own source, byte for
 * byte, never the taps; and if those compile, the rewrite was at fault:
 * the package is built as written, with a warning.
 */
static int compile_rewrite(struct unit *u, const struct texec *t, const struct argv *args)
{
	struct child c = CHILD_INIT;
	struct strbuf out = STRBUF_INIT, dir = STRBUF_INIT, rsp = STRBUF_INIT;
	const char *rargv[3] = { args->v[0], NULL, NULL };
	int st;

	c.argv = (const char *const *)args->v;
	if (t->respond) { /* long arguments: as the tool was given them */
		struct strbuf text = STRBUF_INIT;
		if (workdir_create(&dir) < 0)
			return 2;
		strbuf_addf(&rsp, "@%s/args", dir.buf);
		respfile_encode(args, 1, t->gcc, &text);
		st = write_file(rsp.buf + 1, text.buf, text.len, 0600);
		strbuf_release(&text);
		if (st < 0) {
			remove_tree(dir.buf);
			return 2;
		}
		rargv[1] = rsp.buf;
		c.argv = rargv;
	}
	c.out = c.err = CHILD_CAPTURE;
	c.out_buf = c.err_buf = &out; /* one stream, in the order written */
	c.wait_like_system = 1;
	st = run_child(&c);
	if (dir.len)
		remove_tree(dir.buf);
	if (st < 0) {
		st = 2;
	} else if (!st) {
		fwrite(out.buf, 1, out.len, stdout);
		print_notes(&u->notes);
		remember(u);
	} else if (st < 128) { /* not killed by a signal */
		st = compile_as_written(u, t, "its rewrite does not compile");
	} else {
		fwrite(out.buf, 1, out.len, stdout);
	}
	strbuf_release(&out);
	strbuf_release(&dir);
	strbuf_release(&rsp);
	return st;
}

/*
 * Classify argument i of u for the helper: a source file of the package
 * in scope ("r=", rewritten), the go command's coverage copy of one (its
 * original is what is type-checked and rewritten, as without -cover), a
 * cgo output (x.cgo1.go holds the package's code: rewritten; the rest is
 * cgo's glue: type-checked only), or a file out of scope ("c=").
 * objroot: the go command's own directory for this compile.
 */
static void classify(struct unit *u, const struct texec *t, int i, const char *objroot)
{
	const char *a = u->args.v[i];
	size_t n = strlen(a);
	struct strbuf path = STRBUF_INIT, orig = STRBUF_INIT;
	int rewrite;

	u->input[i] = u->hin[i] = -1;
	if (n < 4 || strcmp(a + n - 3, ".go") || a[0] == '-')
		return;
	if (a[0] != '/') { /* line directives and scopes need absolute names */
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)))
			strbuf_addf(&path, "%s/", cwd);
	}
	strbuf_addstr(&path, a);
	if (path_beneath(path.buf, objroot) && (u->input[i] = gocover_input(&u->gc, a)) >= 0) {
		strbuf_reset(&path);
		strbuf_addstr(&path, u->gc.ins.v[u->input[i]]);
	}
	n = path.len;
	if (path_beneath(path.buf, objroot)) {
		/* the original's name decides the scope */
		rewrite = n > 8 && !strcmp(path.buf + n - 8, ".cgo1.go") &&
			  gotypes_directive_file(path.buf, &orig) == 0;
	} else if (path_beneath(path.buf, t->goroot)) {
		/* The standard library's own external test packages compile without -std. */
		u->goroot_files = 1;
		rewrite = 0;
	} else {
		strbuf_addstr(&orig, path.buf);
		rewrite = 1;
	}
	rewrite = rewrite && !strchr(path.buf, '\n') && unsafe_in_scope(t->scope, t->mains.buf, orig.buf);
	u->hin[i] = (int)u->files.nr;
	argv_pushf(&u->files, "%c=%s", rewrite ? 'r' : 'c', path.buf);
	u->nrewrite += rewrite;
	strbuf_release(&path);
	strbuf_release(&orig);
}

/*
 * The taps of u's package: goinstr-types run on its files, the files
 * with taps rewritten into u->copies. 0; 1 if the package is to be
 * compiled as written (why in *why: it does not type-check, the helper
 * failed); or -1 (reported).
 */
static int plan_taps(struct unit *u, const struct texec *t, const char *trim, const char **why)
{
	struct strbuf out = STRBUF_INIT, src = STRBUF_INIT, res = STRBUF_INIT;
	int st, ret = 0;

	*why = NULL;
	rwunsafe_init(&u->ru);
	u->ru.trim = trim;
	if (!t->helper) {
		*why = "no type checker was given to goinstr's compile step";
		return 1;
	}
	st = gotypes_run(t->helper, u->importcfg, u->lang, &u->files, 0, &out);
	if (st) {
		*why = "goinstr-types failed";
		ret = 1;
		goto out;
	}
	if (rwunsafe_load(&u->ru, out.buf, out.len) < 0) {
		*why = "goinstr-types' output cannot be read";
		ret = 1;
		goto out;
	}
	if (u->ru.error) {
		/* A type error: the compiler says it, alone (compile_as_written);
		 * if the compiler accepts what go/types does not, its warning
		 * names this. */
		*why = "go/types cannot type-check it";
		ret = 1;
		goto out;
	}
	for (size_t i = 1; i < u->args.nr && !ret; i++) {
		int changed = 0, in = u->hin[i];
		const char *f = in >= 0 ? u->files.v[in] : NULL;
		if (!f || f[0] != 'r')
			continue;
		strbuf_reset(&src);
		strbuf_reset(&res);
		if (strbuf_read_file(&src, f + 2) < 0) {
			*why = "a source file cannot be read again";
			ret = 1;
		} else if (rwunsafe_apply(&u->ru, in, src.buf, src.len, &res, &changed) < 0) {
			*why = "goinstr-types planned an edit outside a file";
			ret = 1;
		} else if (changed) {
			u->copies[i] = xmalloc(sizeof(**u->copies));
			*u->copies[i] = res; /* handed over */
			strbuf_init(&res, 0);
		}
	}
out:
	strbuf_release(&out);
	strbuf_release(&src);
	strbuf_release(&res);
	return ret;
}

/* The value of flag name (as "-name V" or "-name=V") in args, or NULL. */
static const char *flag_value(const struct argv *args, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 1; i < args->nr; i++) {
		const char *a = args->v[i];
		if (a[0] != '-' || strncmp(a + 1, name, n))
			continue;
		if (!a[n + 1] && i + 1 < args->nr)
			return args->v[i + 1];
		if (a[n + 1] == '=')
			return a + n + 2;
	}
	return NULL;
}

/*
 * u for the compile args (u->pkg already set): its flags, and where the
 * go command's own files are (objroot: two levels above -o). The go
 * command's own files ($WORK/bNNN/...: cgo output, test main, coverage
 * copies) are not the package's sources; a coverage copy stands for its
 * original, which is rewritten as without -cover.
 */
static void unit_init(struct unit *u, struct strbuf *aid, struct strbuf *objroot)
{
	const char *out = flag_value(&u->args, "o"), *buildid;

	u->lang = flag_value(&u->args, "lang");
	u->importcfg = flag_value(&u->args, "importcfg");
	if ((buildid = flag_value(&u->args, "buildid"))) {
		strbuf_add(aid, buildid, strcspn(buildid, "/"));
		u->aid = aid->buf;
	}
	strbuf_init(&u->notes, 0);
	u->gc = (struct gocover)GOCOVER_INIT;
	rwunsafe_init(&u->ru);
	if (out) {
		strbuf_addstr(objroot, out);
		for (int k = 0; k < 2; k++) {
			char *s = strrchr(objroot->buf, '/');
			if (s)
				strbuf_setlen(objroot, (size_t)(s - objroot->buf));
		}
	}
	u->copies = xcalloc(u->args.nr, sizeof(*u->copies));
	u->input = xcalloc(u->args.nr, sizeof(*u->input));
	u->hin = xcalloc(u->args.nr, sizeof(*u->hin));
}

/* What unit_init and the compile left in u (not u->args: the caller's). */
static void unit_release(struct unit *u)
{
	for (size_t i = 0; i < u->args.nr; i++)
		if (u->copies && u->copies[i]) {
			strbuf_release(u->copies[i]);
			free(u->copies[i]);
		}
	free(u->copies);
	free(u->input);
	free(u->hin);
	argv_release(&u->files);
	gocover_release(&u->gc);
	rwunsafe_release(&u->ru);
	strbuf_release(&u->notes);
}

/*
 * One compile: of the standard library or nothing in scope, as it is;
 * else planned by goinstr-types and compiled rewritten, or as written
 * with the reason (a blind spot). The tool's status, or 2.
 */
static int compile(struct argv *argsin, struct texec *t)
{
	const char *covercfg, *why = NULL;
	int ret, std = 0;
	struct strbuf work = STRBUF_INIT, objroot = STRBUF_INIT, aid = STRBUF_INIT;
	struct argv args = ARGV_INIT;
	struct unit u;

	memset(&u, 0, sizeof(u));
	u.args = *argsin;
	for (size_t i = 1; i < u.args.nr; i++)
		std |= !strcmp(u.args.v[i], "-std");
	u.pkg = flag_value(&u.args, "p");
	if (std || !u.pkg)
		return run_tool(&u.args, t, 0);
	unit_init(&u, &aid, &objroot);
	covercfg = flag_value(&u.args, "coveragecfg");
	if (covercfg && gocover_load(&u.gc, covercfg) < 0) {
		ret = compile_as_written(&u, t, "its coverage copies are not what goinstr knows");
		goto out;
	}
	for (size_t i = 1; i < u.args.nr; i++)
		classify(&u, t, (int)i, objroot.buf);
	if (u.goroot_files || !u.nrewrite) { /* nothing in scope: as it is */
		remember(&u);
		ret = run_tool(&u.args, t, 0);
		goto out;
	}
	if (plan_taps(&u, t, flag_value(&u.args, "trimpath"), &why))
		ret = compile_as_written(&u, t, why ? why : "goinstr-types failed");
	else if (!u.ru.nslots) { /* no taps: only what it saw */
		remember(&u);
		ret = run_tool(&u.args, t, 0);
	} else if (write_rewrite(&u, t, &work, &args) < 0)
		ret = compile_as_written(&u, t, "its rewrite cannot be written");
	else
		ret = compile_rewrite(&u, t, &args);
out:
	if (work.len && !t->keep)
		remove_tree(work.buf);
	unit_release(&u);
	argv_release(&args);
	strbuf_release(&work);
	strbuf_release(&objroot);
	strbuf_release(&aid);
	return ret;
}

/*
 * A link: the blind spots of what it links go into the binary
 * (runtime.goinstrBlind, which every log header names); with warn (a
 * drop-in toolchain, which has no goinstr command to warn after the
 * build) each is warned about too.
 */
static int link_tool(struct argv *args, struct texec *t, int warn)
{
	const char *cfg = flag_value(args, "importcfg");
	struct strbuf blind = STRBUF_INIT, x = STRBUF_INIT;
	struct argv full = ARGV_INIT;
	int ret;

	if (cfg && t->ops) { /* go version -m shows it: goinstr instrumented this */
		struct buildinfo_mark m = { t->ops, t->scope, t->trusted };
		if (buildinfo_mark_importcfg(cfg, &m) < 0)
			return 2;
	}
	if (cfg)
		linkblind_collect(cfg, t->goroot, &blind);
	if (!blind.len)
		return run_tool(args, t, 0);
	for (const char *p = blind.buf; warn && *p;) {
		size_t n = strcspn(p, "\n"), k = strcspn(p, "\t");
		warning("%.*s: %.*s: not instrumented", (int)k, p, (int)(n - k - 1), p + k + 1);
		p += n + (p[n] == '\n');
	}
	strbuf_addf(&x, "-X=runtime.goinstrBlind=%s", blind.buf);
	argv_push(&full, args->v[0]);
	argv_push(&full, x.buf);
	for (size_t i = 1; i < args->nr; i++)
		argv_push(&full, args->v[i]);
	ret = run_tool(&full, t, 0);
	argv_release(&full);
	strbuf_release(&blind);
	strbuf_release(&x);
	return ret;
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
	OPT_STRING("helper", struct texec, helper, "PATH", NULL),
	OPT_STRING("go", struct texec, go, "VERSION", NULL),
	OPT_BOOL("warn-link", struct texec, warn_link, NULL),
	OPT_STRING("trimpath-rewrite", struct texec, rewrite, "FROM=>TO", NULL),
	OPT_STRING("ops", struct texec, ops, "LIST", NULL),
	OPT_BOOL("trust-goroot", struct texec, trusted, NULL),
	OPT_END(),
};

int cmd_toolexec(int argc, const char **argv)
{
	struct texec t = { "all", STRBUF_INIT, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, 0 };
	struct argv args = ARGV_INIT, mapped = ARGV_INIT;
	int i, ret, minor;
	const char *tool, *base;

	if ((i = opts_parse(toolexec_options, &t, argc, argv, OPTS_STOP_AT_ARG)) < 0)
		return EXIT_USAGE;
	if (i >= argc)
		return cmd_usage_error("toolexec");
	if (t.from_cwd && strcmp(t.scope, "all") && strcmp(t.scope, "none")) {
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)))
			modroot_main_dirs(cwd, &t.mains);
	} else {
		t.from_cwd = 0;
	}
	tool = argv[i];
	base = strrchr(tool, '/') ? strrchr(tool, '/') + 1 : tool;
	/* A version query is the tool with -V or -V=... alone: elsewhere a -V
	 * may be a value (the go command's build IDs can start with "-V"). */
	if (argc - i == 2 && (!strcmp(argv[i + 1], "-V") || !strncmp(argv[i + 1], "-V=", 3)))
		return version_query(argv + i, !strcmp(base, "compile") || !strcmp(base, "link")
							? &t : NULL);
	minor = t.go && !strncmp(t.go, "go1.", 4) ? atoi(t.go + 4) : 26;
	t.gcc = respfile_gcc(minor);
	if (respfile_expand(argc - i, argv + i, t.gcc, &args, &t.respond) < 0) {
		argv_release(&args);
		return EXIT_USAGE;
	}
	if (!strcmp(base, "compile") || !strcmp(base, "asm")) {
		int std = 0;
		for (size_t k = 1; k < args.nr && !strcmp(base, "compile"); k++)
			std |= !strcmp(args.v[k], "-std");
		trimpath_fix((const char **)args.v, (int)args.nr, std ? t.goroot : NULL, t.rewrite,
			     &mapped);
		argv_release(&args);
		args = mapped;
	}
	if (!strcmp(base, "compile"))
		ret = compile(&args, &t);
	else if (!strcmp(base, "link"))
		ret = link_tool(&args, &t, t.warn_link);
	else
		ret = run_tool(&args, &t, 0);
	argv_release(&args);
	strbuf_release(&t.mains);
	return ret;
}
