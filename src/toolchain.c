/*
 * toolchain.c - make and verify drop-in instrumented toolchains (see
 * toolchain.h and docs/toolchain.md).
 *
 * Making and verifying run the same generator (put_std, put_tools): what
 * goinstr writes into a toolchain — the instrumented standard library,
 * the originals it replaced, the scripts, its own copy, go.env and the
 * MANIFEST — is computed the same way both times, from the same inputs;
 * making writes the files, verifying only records what they must be. So
 * the MANIFEST is never the trust root of what goinstr generates.
 */
#include "toolchain.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gotypes.h"
#include "hash.h"
#include "instrument.h"
#include "manifest.h"
#include "reflectops.h"
#include "tree.h"
#include "util.h"
#include "version.h"

enum kind { K_KEPT, K_CHANGED, K_ADDED };
static const char *const kind_names[] = { "kept", "changed", "added" };

struct entry {
	char *path; /* relative to DIR */
	enum kind kind;
	char orig[65], new[65]; /* hex; orig "-" for an added file */
	size_t seq;
};

struct entries {
	struct entry *v;
	size_t nr, alloc;
};

/* Where goinstr keeps what it replaced, relative to DIR. */
#define ORIG_DIR "pkg/goinstr/orig"
/*
 * The release's go command, moved aside from bin/go (a script now). Two
 * levels below DIR, so that the go command finds DIR as its GOROOT from
 * its own path (cmd/go's findGOROOT tries the executable's ../.. and
 * ../../..), and the script need not set GOROOT for it: programs that go
 * run and go test start see the user's GOROOT, as with a plain toolchain.
 */
#define REAL_GO "pkg/goinstr/go"

/*
 * A toolchain being made (write: files are written below root, a
 * temporary directory) or verified (root is DIR; files are only recorded).
 */
struct tc {
	const char *root;
	int write;
	const struct manifest *rel; /* the release manifest; NULL: --trust-goroot */
	struct goenv env;   /* release, platform, and the source GOROOT's path */
	unsigned ops;
	const char *unsafe; /* all, main, deps, none */
	int trust_goroot;
	int isolate;        /* bin/go runs the go command in goinstr's sandbox */
	struct strbuf what; /* "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" */
	struct strbuf id;   /* what compile -V=full adds */
	struct entries e;   /* every file changed, added or kept */
	struct strbuf goenv_orig; /* verify: go.env's recorded original digest */
	const struct entries *recorded; /* verify: what the MANIFEST says */
	int no_std; /* verify: the originals differ, so nothing to rewrite */
};

static volatile sig_atomic_t caught;
static void on_signal(int sig) { caught = sig; }

static void record(struct entries *es, const char *path, enum kind k, const char *orig,
		   const char *new)
{
	struct entry *e;

	if (es->nr == es->alloc) {
		es->alloc = es->alloc ? 2 * es->alloc : 1024;
		es->v = xrealloc(es->v, es->alloc * sizeof(*es->v));
	}
	e = &es->v[es->nr];
	e->path = xstrdup(path);
	e->kind = k;
	snprintf(e->orig, sizeof(e->orig), "%s", orig ? orig : "-");
	snprintf(e->new, sizeof(e->new), "%s", new);
	e->seq = es->nr++;
}

static void entries_release(struct entries *es)
{
	for (size_t i = 0; i < es->nr; i++)
		free(es->v[i].path);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_entry_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Sort by path; of several records of one path the last one counts. */
static void entries_fold(struct entries *es)
{
	size_t w = 0;

	qsort(es->v, es->nr, sizeof(*es->v), cmp_entry);
	for (size_t i = 0; i < es->nr; i++) {
		if (w && !strcmp(es->v[w - 1].path, es->v[i].path)) {
			free(es->v[w - 1].path);
			es->v[w - 1] = es->v[i];
			continue;
		}
		es->v[w++] = es->v[i];
	}
	es->nr = w;
}

static struct entry *entries_find(const struct entries *es, const char *path)
{
	struct entry key = { 0 };
	key.path = (char *)path;
	return bsearch(&key, es->v, es->nr, sizeof(*es->v), cmp_entry_path);
}

static void hex_of(const void *data, size_t len, char out[65])
{
	struct strbuf h = STRBUF_INIT;
	sha256_buf_hex(data, len, &h);
	memcpy(out, h.buf, 65);
	strbuf_release(&h);
}

static int mkdir_in(const struct tc *t, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&p, "%s/%s", t->root, rel);
	if (t->write && (mkdir(p.buf, 0755) < 0 || chmod(p.buf, 0755) < 0))
		ret = error("cannot create '%s': %s", p.buf, strerror(errno));
	strbuf_release(&p);
	return ret;
}

/* Write root/rel (replacing the link there, if any) and record it. */
static int put_file(struct tc *t, const char *rel, const char *orig, size_t olen, int had_orig,
		    const char *data, size_t len, unsigned mode)
{
	struct strbuf path = STRBUF_INIT;
	char o[65], n[65];
	int ret = 0;

	strbuf_addf(&path, "%s/%s", t->root, rel);
	if (t->write)
		ret = write_file(path.buf, data, len, mode);
	if (!ret) {
		if (had_orig)
			hex_of(orig, olen, o);
		hex_of(data, len, n);
		record(&t->e, rel, had_orig ? K_CHANGED : K_ADDED, had_orig ? o : NULL, n);
	}
	strbuf_release(&path);
	return ret;
}

/* Move root/from to root/to (a link stays a link), recorded as added. */
static int move_file(struct tc *t, const char *from, const char *to)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, data = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	strbuf_addf(&a, "%s/%s", t->root, t->write ? from : to);
	strbuf_addf(&b, "%s/%s", t->root, to);
	if (strbuf_read_file(&data, a.buf) < 0)
		ret = error("cannot read '%s': %s", a.buf, strerror(errno));
	else if (t->write && rename(a.buf, b.buf) < 0)
		ret = error("cannot rename '%s': %s", a.buf, strerror(errno));
	if (!ret) {
		hex_of(data.buf, data.len, hex);
		record(&t->e, to, K_ADDED, NULL, hex);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&data);
	return ret;
}

/* Replace root/rel by a script; the original (root/orig_rel) is recorded. */
static int put_script(struct tc *t, const char *rel, const char *orig_rel,
		      const struct strbuf *text)
{
	struct strbuf orig = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", t->root, orig_rel);
	if (strbuf_read_file(&orig, path.buf) < 0)
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
	else
		ret = put_file(t, rel, orig.buf, orig.len, 1, text->buf, text->len, 0755);
	strbuf_release(&orig);
	strbuf_release(&path);
	return ret;
}

/* --- 1. share every file of the release, checked ------------------------- */

struct share {
	struct tc *t;
	const char *src; /* the source GOROOT */
	struct strbuf data;
};

/*
 * Files the release manifest must have: whatever the release's toolchain
 * module holds, and nothing added to what the go command compiles or
 * runs (src/, bin/, pkg/, lib/). Other files (a tarball's api/, doc/,
 * misc/, test/) are kept as they are, and listed in the MANIFEST.
 */
static int covered(const struct manifest *rel, const char *path)
{
	return rel && (!strncmp(path, "src/", 4) || !strncmp(path, "bin/", 4) ||
		       !strncmp(path, "pkg/", 4) || !strncmp(path, "lib/", 4) ||
		       manifest_find(rel, path));
}

static int share_one(void *ctx, const struct tree_entry *e)
{
	struct share *s = ctx;
	struct tc *t = s->t;
	struct strbuf to = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	if (caught)
		return -1;
	strbuf_addf(&to, "%s%s%s", t->root, *e->rel ? "/" : "", e->rel);
	switch (e->kind) {
	case TREE_DIR:
		if (!strcmp(e->rel, "pkg/goinstr")) {
			ret = error("'%s' is a goinstr toolchain already: make toolchains from a Go"
				    " release", s->src);
			break;
		}
		if (*e->rel)
			ret = mkdir_in(t, e->rel);
		break;
	case TREE_FILE:
		strbuf_reset(&s->data);
		if (strbuf_read_file(&s->data, e->path) < 0) {
			ret = error("cannot read '%s': %s", e->path, strerror(errno));
			break;
		}
		/* Every file of the release is checked: src/ must be complete
		 * and unchanged, the rest the release's. */
		if (covered(t->rel, e->rel)) {
			ret = manifest_check(t->rel, s->src, e->rel, s->data.buf, s->data.len);
		} else {
			hex_of(s->data.buf, s->data.len, hex);
			record(&t->e, e->rel, K_KEPT, hex, hex);
		}
		if (!ret)
			ret = tree_share(e->path, to.buf, e->st, &s->data);
		break;
	case TREE_SYMLINK:
		ret = error("'%s' is a symbolic link: not in a Go release", e->path);
		break;
	default:
		ret = error("cannot read '%s': not a file or directory", e->path);
	}
	strbuf_release(&to);
	return ret;
}

static int share_release(struct tc *t, const char *src)
{
	struct share s = { t, src, STRBUF_INIT };
	struct strbuf path = STRBUF_INIT, alt = STRBUF_INIT;
	int ret;

	ret = tree_walk(src, 0, share_one, &s);
	/* Nothing of the release may be missing either (a go.mod may be
	 * there as the module zip's _go.mod). */
	for (size_t i = 0; !ret && t->rel && i < t->rel->nr; i++) {
		const char *p = t->rel->v[i].path;
		size_t n = strlen(p);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", t->root, p);
		strbuf_reset(&alt);
		if (n >= 6 && !strcmp(p + n - 6, "go.mod"))
			strbuf_addf(&alt, "%s/%.*s_go.mod", t->root, (int)(n - 6), p);
		if (access(path.buf, F_OK) < 0 && (!alt.len || access(alt.buf, F_OK) < 0))
			ret = error("'%s/%s' is missing: not a complete %s GOROOT; --trust-goroot"
				    " overrides", src, p, t->rel->name);
	}
	strbuf_release(&s.data);
	strbuf_release(&path);
	strbuf_release(&alt);
	return ret;
}

/* --- 2. the instrumented standard library ---------------------------------- */

struct std_sink_ctx {
	struct tc *t;
	const char *from; /* the GOROOT instrument_std reads: ORIG_DIR of root */
};

static int std_sink(void *ctx, const char *target, const char *rel,
		    const char *orig, size_t olen, const char *data, size_t len)
{
	struct std_sink_ctx *c = ctx;
	size_t n = strlen(c->from);

	(void)rel;
	if (strncmp(target, c->from, n) || target[n] != '/')
		return error("internal error: '%s' is not in '%s'", target, c->from);
	return put_file(c->t, target + n + 1, orig, olen, orig != NULL, data, len, 0644);
}

static int keep_one(void *ctx, const struct tree_entry *e)
{
	struct tc *t = ctx;
	struct strbuf rel = STRBUF_INIT, to = STRBUF_INIT;
	int ret = 0;

	if (e->kind != TREE_FILE)
		return 0; /* the directory, testdata/: not read by the rewrite */
	strbuf_addf(&rel, ORIG_DIR "/src/reflect/%s", e->rel);
	strbuf_addf(&to, "%s/%s", t->root, rel.buf);
	if (t->write && tree_share(e->path, to.buf, e->st, NULL) < 0)
		ret = -1;
	else
		ret = move_file(t, rel.buf, rel.buf); /* records its digest */
	strbuf_release(&rel);
	strbuf_release(&to);
	return ret;
}

/* Keep the original reflect sources in ORIG_DIR: the rewrite reads them,
 * and verify rewrites them again. */
static int keep_originals(struct tc *t)
{
	struct strbuf dir = STRBUF_INIT;
	int ret;

	if (mkdir_in(t, ORIG_DIR) < 0 || mkdir_in(t, ORIG_DIR "/src") < 0 ||
	    mkdir_in(t, ORIG_DIR "/src/reflect") < 0)
		return -1;
	strbuf_addf(&dir, "%s/%s", t->root, t->write ? "src/reflect" : ORIG_DIR "/src/reflect");
	ret = tree_walk(dir.buf, TREE_SHALLOW, keep_one, t);
	strbuf_release(&dir);
	return ret;
}

static int put_std(struct tc *t)
{
	struct goenv from = t->env;
	struct strbuf orig = STRBUF_INIT;
	struct rwreflect rw;
	int ret = 0;

	if (mkdir_in(t, "pkg/goinstr") < 0 || keep_originals(t) < 0)
		return -1;
	strbuf_addf(&orig, "%s/" ORIG_DIR, t->root);
	from.goroot = orig.buf;
	rwreflect_init(&rw, t->ops);
	rw.trust_goroot = t->trust_goroot;
	if (!t->no_std) {
		struct std_sink_ctx c = { t, orig.buf };
		struct sink sink = { std_sink, &c };
		ret = instrument_std(&from, &rw, &sink);
	}
	/* The identity compile -V=full answers with, as goinstr build's --id
	 * (instrument.h): what the unsafe rewrite depends on, not the ops. */
	if (!ret && !t->id.len)
		instrument_unsafe_id(t->env.goroot, t->unsafe, "", &t->id);
	rwreflect_release(&rw);
	strbuf_release(&orig);
	return ret;
}

/* --- 3. scripts, goinstr's copy, go.env, the manifest ---------------------- */

/* The lines of a script that set r to DIR, from $0 (suffix: "/bin/go"). */
static void script_root(struct strbuf *sb, const char *suffix)
{
	strbuf_addf(sb,
		    "r=${0%%%s}\n"
		    "if [ \"$r\" = \"$0\" ] || [ ! -f \"$r/" TOOLCHAIN_MANIFEST "\" ]; then\n"
		    "\tr=$(readlink -f -- \"$0\") && r=${r%%%s} || exit 2\n"
		    "fi\n"
		    "case $r in /*) ;; *) r=$(cd -- \"$r\" && pwd) || exit 2 ;; esac\n",
		    suffix, suffix);
}

/*
 * bin/go. It leaves GOROOT and GOTOOLCHAIN as the user has them where
 * they keep the go command in this toolchain, since the programs go run
 * and go test start inherit them; else it sets them, so no build leaves
 * the toolchain: GOROOT when the user's names any (REAL_GO finds DIR
 * without it), GOTOOLCHAIN=local when the user's, from the environment or
 * the go env file (go.env's local is the default), is another release or
 * allows upgrades.
 */
static void go_script(struct strbuf *sb, const char *what, const char *release, int isolate)
{
	/* --isolate: the real go command inside goinstr's sandbox */
	const char *pre = isolate ? "\"$r/pkg/goinstr/bin/goinstr\" isolate " : "";

	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The go command of a Go toolchain instrumented by goinstr %s (%s).\n"
		    "# Runs the real one, " REAL_GO ", in this toolchain: GOROOT and\n"
		    "# GOTOOLCHAIN are set only where the user's would lead away; marks\n"
		    "# 'go version'. Changes: pkg/goinstr/MANIFEST; 'goinstr verify DIR'.\n",
		    GOINSTR_VERSION, what);
	script_root(sb, "/bin/go");
	strbuf_addf(sb,
		    "[ -z \"${GOROOT:-}\" ] || export GOROOT=\"$r\"\n"
		    "t=${GOTOOLCHAIN:-}\n"
		    "f=${GOENV:-${XDG_CONFIG_HOME:-$HOME/.config}/go/env}\n"
		    "if [ -z \"$t\" ] && [ \"$f\" != off ] && [ -f \"$f\" ]; then\n"
		    "\twhile IFS= read -r l || [ -n \"$l\" ]; do\n"
		    "\t\tcase $l in GOTOOLCHAIN=*) t=${l#GOTOOLCHAIN=} ;; esac\n"
		    "\tdone <\"$f\"\n"
		    "fi\n"
		    "case $t in \"\" | local | %.*s) ;; *) export GOTOOLCHAIN=local ;; esac\n"
		    "if [ $# -eq 1 ] && [ \"$1\" = version ]; then\n"
		    "\tv=$(\"$r/" REAL_GO "\" version) || exit\n"
		    "\techo \"$v (instrumented by goinstr %s: %s)\"\n"
		    "\texit 0\n"
		    "fi\n"
		    "v=${1:-} # the verb, after go's -C DIR if that comes first\n"
		    "case $v in -C | --C) v=${3:-} ;; -C=* | --C=*) v=${2:-} ;; esac\n"
		    "case $v:${INSTRUMENTATION_LOG_PATH:-} in run:?* | test:/*)\n"
		    "\t# one line when the program would log nothing\n"
		    "\t\"$r/pkg/goinstr/bin/goinstr\" check-log-path --brief \"$INSTRUMENTATION_LOG_PATH\"\n"
		    "esac\n"
		    "if [ \"$v\" = test ] && [ -n \"${INSTRUMENTATION_LOG_PATH:-}\" ]; then\n"
		    "\t# a test asked to log runs: not from the test cache; -count=1\n"
		    "\t# after -C DIR, which go takes only first (go -C DIR test, go test -C DIR)\n"
		    "\tcase $1 in\n"
		    "\t-C | --C) c=$1 d=$2 && shift 3 && set -- \"$c\" \"$d\" test -count=1 \"$@\" ;;\n"
		    "\t-C=* | --C=*) c=$1 && shift 2 && set -- \"$c\" test -count=1 \"$@\" ;;\n"
		    "\t*) shift\n"
		    "\t\tcase ${1:-} in\n"
		    "\t\t-C | --C) c=$1 d=${2:-} && shift $(($# < 2 ? $# : 2)) &&\n"
		    "\t\t\tset -- test \"$c\" \"$d\" -count=1 \"$@\" ;;\n"
		    "\t\t-C=* | --C=*) c=$1 && shift && set -- test \"$c\" -count=1 \"$@\" ;;\n"
		    "\t\t*) set -- test -count=1 \"$@\" ;;\n"
		    "\t\tesac ;;\n"
		    "\tesac\n"
		    "fi\n"
		    "exec %s\"$r/" REAL_GO "\" \"$@\"\n",
		    (int)strcspn(release, " "), release, GOINSTR_VERSION, what, pre);
}

/*
 * The compiler's and the linker's scripts: `goinstr toolexec` with the
 * options baked in, on the real tool in pkg/goinstr/tool (tool: compile
 * or link). The compiler's wraps unsafe operations as 'goinstr build'
 * does; the linker's marks the binary (buildinfo.h), puts the blind
 * spots of what it links into it and warns about them.
 */
static void tool_script(struct strbuf *sb, const char *tool, const struct tc *t, const char *id)
{
	int link = !strcmp(tool, "link");
	struct strbuf mark = STRBUF_INIT;

	if (link) { /* the binary's mark (buildinfo.h) */
		strbuf_addstr(&mark, " --ops=");
		cats_format(t->ops, &mark);
		if (t->trust_goroot)
			strbuf_addstr(&mark, " --trust-goroot");
	}
	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The %s of a Go toolchain instrumented by goinstr %s (%s):\n"
		    "# %s, as 'goinstr build' does,\n"
		    "# then runs pkg/goinstr/tool/%s.\n",
		    link ? "linker" : "compiler", GOINSTR_VERSION, t->what.buf,
		    link ? "marks the binary and names what it could not instrument in it"
			 : "wraps unsafe operations outside the standard library", tool);
	script_root(sb, "/pkg/tool/*");
	strbuf_addf(sb,
		    "exec \"$r/pkg/goinstr/bin/goinstr\" toolexec --unsafe=%s%s --goroot=\"$r\" --id=%s \\\n"
		    "\t--helper=\"$r/pkg/goinstr/bin/goinstr-types\" --go=%s%s%s \\\n"
		    "\t\"$r/pkg/goinstr/tool/%s\" \"$@\"\n",
		    t->unsafe, strcmp(t->unsafe, "all") ? " --main-from-cwd" : "", id, t->env.version,
		    link ? " --warn-link" : "", mark.buf, tool);
	strbuf_release(&mark);
}

/*
 * goinstr-types, built from the source GOROOT (gotypes.h) into
 * pkg/goinstr/bin; when verifying, built again and compared, if the
 * source GOROOT is still there. 0 or -1 (reported).
 */
static int put_helper(struct tc *t)
{
	struct strbuf dir = STRBUF_INIT, bin = STRBUF_INIT, data = STRBUF_INIT;
	int ret = -1;

	if (!t->write && access(t->env.gocmd, X_OK) < 0) {
		/* the source GOROOT is gone: only the MANIFEST can say */
		const struct entry *r = entries_find(t->recorded, "pkg/goinstr/bin/goinstr-types");
		printf("note: %s is gone: pkg/goinstr/bin/goinstr-types is checked against the "
		       "MANIFEST only\n", t->env.goroot);
		record(&t->e, "pkg/goinstr/bin/goinstr-types", K_ADDED, NULL, r ? r->new : "-");
		ret = 0;
		goto out;
	}
	if (workdir_create(&dir) < 0)
		goto out;
	if (gotypes_build(&t->env, t->trust_goroot, dir.buf) < 0)
		goto out;
	strbuf_addf(&bin, "%s/goinstr-types", dir.buf);
	if (strbuf_read_file(&data, bin.buf) < 0) {
		error("cannot read '%s': %s", bin.buf, strerror(errno));
		goto out;
	}
	ret = put_file(t, "pkg/goinstr/bin/goinstr-types", NULL, 0, 0, data.buf, data.len, 0755);
out:
	if (dir.len)
		remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&bin);
	strbuf_release(&data);
	return ret;
}

/* go.env's text with every GOTOOLCHAIN line (or one at the end) set to local. */
static void goenv_local(const struct strbuf *old, struct strbuf *new)
{
	int set = 0;

	for (const char *p = old->buf; *p;) {
		size_t n = strcspn(p, "\n");
		if (!strncmp(p, "GOTOOLCHAIN=", 12)) {
			strbuf_addstr(new, "GOTOOLCHAIN=local\n");
			set = 1;
		} else {
			strbuf_add(new, p, n);
			strbuf_addch(new, '\n');
		}
		p += n + (p[n] == '\n');
	}
	if (!set)
		strbuf_addstr(new, "GOTOOLCHAIN=local\n");
}

/* go.env with GOTOOLCHAIN=local (written only if that changes it). */
static int put_goenv(struct tc *t)
{
	struct strbuf path = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/go.env", t->root);
	if (strbuf_read_file(&old, path.buf) < 0 && errno != ENOENT) {
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	goenv_local(&old, &new);
	if (t->write && (new.len != old.len || memcmp(new.buf, old.buf, new.len)))
		ret = put_file(t, "go.env", old.buf, old.len, access(path.buf, F_OK) == 0,
			       new.buf, new.len, 0644);
	else if (!t->write && t->goenv_orig.len) {
		/* Verifying: the original is not kept, its digest is recorded. */
		char n[65];
		hex_of(new.buf, new.len, n);
		record(&t->e, "go.env", K_CHANGED, t->goenv_orig.buf, n);
	}
out:
	strbuf_release(&path);
	strbuf_release(&old);
	strbuf_release(&new);
	return ret;
}

static void manifest_text(struct tc *t, struct strbuf *sb)
{
	entries_fold(&t->e);
	strbuf_addf(sb,
		    "# goinstr toolchain manifest\n"
		    "# goinstr %s\n# go %s %s/%s\n# source %s\n# release-manifest %s\n"
		    "# options %s\n# id %s\n"
		    "# Every file goinstr changed or added, and every file kept from the\n"
		    "# source that the release manifest does not cover:\n"
		    "# KIND ORIGINAL-SHA256 NEW-SHA256 PATH (ORIGINAL '-': added)\n",
		    GOINSTR_VERSION, t->env.version, t->env.goos, t->env.goarch, t->env.goroot,
		    t->rel ? t->rel->name : "none (--trust-goroot)", t->what.buf, t->id.buf);
	for (size_t i = 0; i < t->e.nr; i++)
		strbuf_addf(sb, "%s %s %s %s\n", kind_names[t->e.v[i].kind], t->e.v[i].orig,
			    t->e.v[i].new, t->e.v[i].path);
}

static int put_tools(struct tc *t)
{
	struct strbuf sb = STRBUF_INIT, tool = STRBUF_INIT, path = STRBUF_INIT;
	int ret = -1;

	/* The go command and the compiler become scripts. */
	if (mkdir_in(t, "pkg/goinstr/bin") < 0 ||
	    move_file(t, "bin/go", REAL_GO) < 0)
		goto out;
	go_script(&sb, t->what.buf, t->env.version, t->isolate);
	if (put_script(t, "bin/go", REAL_GO, &sb) < 0)
		goto out;
	/* the linker's marks every binary (buildinfo.h), --unsafe=none too */
	for (const char *const *tl = (const char *const[]){ "compile", "link", NULL }; *tl; tl++) {
		struct strbuf real = STRBUF_INIT;
		int r;
		if (!strcmp(*tl, "compile") && !strcmp(t->unsafe, "none"))
			continue;
		strbuf_reset(&tool);
		strbuf_addf(&tool, "pkg/tool/%s_%s/%s", t->env.goos, t->env.goarch, *tl);
		strbuf_addf(&real, "pkg/goinstr/tool/%s", *tl);
		strbuf_reset(&sb);
		tool_script(&sb, *tl, t, t->id.buf);
		r = ((!strcmp(*tl, "compile") || !strcmp(t->unsafe, "none")) &&
		     mkdir_in(t, "pkg/goinstr/tool") < 0) ||
		    move_file(t, tool.buf, real.buf) < 0 || put_script(t, tool.buf, real.buf, &sb) < 0;
		strbuf_release(&real);
		if (r)
			goto out;
	}
	if (strcmp(t->unsafe, "none") && put_helper(t) < 0)
		goto out;
	/* The compile shim's goinstr: a copy, so rebuilding goinstr does not
	 * change the toolchain. */
	strbuf_reset(&sb);
	if (strbuf_read_file(&sb, "/proc/self/exe") < 0) {
		error("cannot read goinstr's own binary: %s", strerror(errno));
		goto out;
	}
	if (put_file(t, "pkg/goinstr/bin/goinstr", NULL, 0, 0, sb.buf, sb.len, 0755) < 0 ||
	    put_goenv(t) < 0)
		goto out;
	strbuf_reset(&sb);
	manifest_text(t, &sb);
	strbuf_addf(&path, "%s/" TOOLCHAIN_MANIFEST, t->root);
	if (t->write && write_file(path.buf, sb.buf, sb.len, 0644) < 0)
		goto out;
	if (t->write && chmod(t->root, 0755) < 0) {
		error("cannot chmod '%s': %s", t->root, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&sb);
	strbuf_release(&tool);
	strbuf_release(&path);
	return ret;
}

/* --- making one ------------------------------------------------------------ */

static int stale_one(void *ctx, const struct tree_entry *e)
{
	const char *prefix = ctx;
	size_t n = strlen(prefix);
	long pid;
	char *end;

	if (!*e->rel || strncmp(e->rel, prefix, n))
		return 0;
	pid = strtol(e->rel + n, &end, 10);
	if (pid > 0 && *end == '-' && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		remove_tree(e->path);
	return 0;
}

/* Remove DIR.tmp-PID-* left by runs that were killed (PID gone). */
static void remove_stale(const char *dir)
{
	struct strbuf parent = STRBUF_INIT, prefix = STRBUF_INIT;
	const char *slash = strrchr(dir, '/');

	strbuf_add(&parent, dir, slash > dir ? (size_t)(slash - dir) : 1);
	strbuf_addf(&prefix, "%s.tmp-", slash + 1);
	tree_walk(parent.buf, TREE_SHALLOW, stale_one, prefix.buf);
	strbuf_release(&parent);
	strbuf_release(&prefix);
}

/* dir made absolute (its parent must exist), without trailing slashes. */
static int abs_dir(const char *dir, struct strbuf *out)
{
	struct strbuf d = STRBUF_INIT;
	char real[PATH_MAX];
	char *slash;
	int ret = 0;

	strbuf_addstr(&d, dir);
	while (d.len > 1 && d.buf[d.len - 1] == '/')
		strbuf_setlen(&d, d.len - 1);
	slash = strrchr(d.buf, '/');
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*d.buf ? d.buf : "/") : ".", real)) {
		ret = error("cannot use '%s': %s", dir, strerror(errno));
		goto out;
	}
	{
		const char *base = slash ? slash + 1 : d.buf;
		if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
			ret = error("'%s': name a new directory", dir);
			goto out;
		}
		strbuf_addf(out, "%s/%s", strcmp(real, "/") ? real : "", base);
	}
out:
	strbuf_release(&d);
	return ret;
}

static void tc_init(struct tc *t, const char *root, int write)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	t->write = write;
	strbuf_init(&t->what, 0);
	strbuf_init(&t->id, 0);
	strbuf_init(&t->goenv_orig, 0);
}

static void tc_release(struct tc *t)
{
	entries_release(&t->e);
	strbuf_release(&t->what);
	strbuf_release(&t->id);
	strbuf_release(&t->goenv_orig);
}

/* "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" */
static void format_options(struct tc *t)
{
	strbuf_reset(&t->what);
	strbuf_addstr(&t->what, "ops=");
	cats_format(t->ops, &t->what);
	strbuf_addf(&t->what, " unsafe=%s%s%s", t->unsafe, t->trust_goroot ? " trust-goroot" : "",
		    t->isolate ? " isolate" : "");
}

/* The checks before anything is made: DIR, the source, the release. */
static int create_checks(const struct goenv *env, const struct toolchain_opts *o,
			 const char *dir, int *exists)
{
	char real_src[PATH_MAX];
	struct stat st;

	remove_stale(dir);
	if (toolchain_is(env->goroot))
		return error("the go in PATH is the instrumented toolchain '%s': make toolchains"
			     " from a Go release", env->goroot);
	if (!realpath(env->goroot, real_src))
		return error("cannot read GOROOT '%s': %s", env->goroot, strerror(errno));
	if (path_within(dir, real_src) || path_within(real_src, dir))
		return error("'%s' and the GOROOT '%s' overlap", dir, real_src);
	*exists = lstat(dir, &st) == 0;
	if (*exists && !o->force)
		return error("'%s' exists (--force replaces a goinstr toolchain)", dir);
	if (*exists && !toolchain_is(dir))
		return error("'%s' exists and is not a goinstr toolchain: not replaced", dir);
	return 0;
}

int toolchain_create(const struct goenv *env, const struct toolchain_opts *o,
		     const char *dir_arg)
{
	struct strbuf dir = STRBUF_INIT, tmp = STRBUF_INIT;
	struct manifest man = MANIFEST_INIT;
	struct sigaction sa = { .sa_handler = on_signal }, oint, oterm, ohup;
	struct tc t;
	int ret = -1, exists = 0;

	tc_init(&t, NULL, 1);
	if (abs_dir(dir_arg, &dir) < 0 || create_checks(env, o, dir.buf, &exists) < 0)
		goto out_nosig;
	if (!o->trust_goroot && manifest_load(&man, env->version, env->hostos, env->hostarch) < 0)
		goto out_nosig;
	t.rel = o->trust_goroot ? NULL : &man;
	t.env = *env;
	/* A toolchain is made for the machine it runs on (pkg/tool/HOST). */
	t.env.goos = env->hostos;
	t.env.goarch = env->hostarch;
	t.ops = o->ops;
	t.unsafe = o->unsafe;
	t.trust_goroot = o->trust_goroot;
	t.isolate = o->isolate;
	format_options(&t);

	caught = 0;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGHUP, &sa, &ohup);
	strbuf_addf(&tmp, "%s.tmp-%ld-XXXXXX", dir.buf, (long)getpid());
	if (!mkdtemp(tmp.buf)) {
		error("cannot create '%s': %s", tmp.buf, strerror(errno));
		strbuf_reset(&tmp);
		goto out;
	}
	t.root = tmp.buf;

	/* 1. Share every file of the release, checked. 2. The instrumented
	 * standard library, on disk. 3. Scripts, goinstr, go.env, MANIFEST. */
	if (share_release(&t, env->goroot) < 0 || caught || put_std(&t) < 0 || caught ||
	    put_tools(&t) < 0 || caught)
		goto out;
	/* 4. Into place, atomically: a new name, or swapped with the old. */
	if (renameat2(AT_FDCWD, tmp.buf, AT_FDCWD, dir.buf,
		      exists ? RENAME_EXCHANGE : RENAME_NOREPLACE) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp.buf, dir.buf, strerror(errno));
		goto out;
	}
	if (!exists)
		strbuf_reset(&tmp);
	ret = 0;
out:
	if (tmp.len)
		remove_tree(tmp.buf); /* the unfinished toolchain, or the old one */
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
out_nosig:
	tc_release(&t);
	manifest_release(&man);
	strbuf_release(&dir);
	strbuf_release(&tmp);
	return ret;
}

int toolchain_is(const char *dir)
{
	struct strbuf p = STRBUF_INIT, head = STRBUF_INIT;
	int ok;

	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	ok = strbuf_read_file(&head, p.buf) == 0 &&
	     !strncmp(head.buf, "# goinstr toolchain manifest\n", 29);
	strbuf_release(&p);
	strbuf_release(&head);
	return ok;
}

/* The value of header line "# KEY VALUE" of a manifest's text. */
static int header_of(const char *text, const char *key, struct strbuf *out)
{
	size_t n = strlen(key);

	for (const char *s = text; *s == '#'; s += strcspn(s, "\n") + 1) {
		if (!strncmp(s + 2, key, n) && s[2 + n] == ' ') {
			strbuf_add(out, s + 3 + n, strcspn(s + 3 + n, "\n"));
			return 0;
		}
		if (!s[strcspn(s, "\n")])
			break;
	}
	return -1;
}

int toolchain_header(const char *dir, const char *key, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) == 0)
		ret = header_of(text.buf, key, out);
	strbuf_release(&p);
	strbuf_release(&text);
	return ret;
}

/* --- verifying one ----------------------------------------------------------- */

struct check {
	struct tc *t;
	const struct entries *recorded; /* the MANIFEST's lines */
	const struct strbuf *manifest;  /* the MANIFEST goinstr would write */
	uid_t owner;                    /* DIR's */
	char *seen, *rseen;             /* expected and release entries found */
	struct strbuf data;
	unsigned long ok, differ, missing, extra, writable, foreign, setid, parents;
};

/* What goinstr moved aside is the release's: REAL_GO, tool/compile, tool/link,
 * ORIG_DIR/. */
static void release_path(const struct tc *t, const char *rel, struct strbuf *out)
{
	if (!strcmp(rel, REAL_GO))
		strbuf_addstr(out, "bin/go");
	else if (!strncmp(rel, "pkg/goinstr/tool/", 17))
		strbuf_addf(out, "pkg/tool/%s_%s/%s", t->env.goos, t->env.goarch, rel + 17);
	else if (!strncmp(rel, ORIG_DIR "/", strlen(ORIG_DIR) + 1))
		strbuf_addstr(out, rel + strlen(ORIG_DIR) + 1);
}

static void differs(struct check *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void differs(struct check *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	printf("differs:  %s (", path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputs(")\n", stdout);
	c->differ++;
}

/* Compare a digest with the one wanted: ok, or a differs line. */
static void compare(struct check *c, const char *path, const char *want, const char *got)
{
	if (strcmp(want, got))
		differs(c, path, "sha256 %s expected, %s found", want, got);
	else
		c->ok++;
}

static int setid_file(const struct tree_entry *e);

static int check_one(void *ctx, const struct tree_entry *e)
{
	struct check *c = ctx;
	struct tc *t = c->t;
	const struct entry *gen, *rec;
	const struct manifest_entry *m = NULL;
	struct strbuf rp = STRBUF_INIT;
	char hex[65];

	if (e->st->st_mode & 022) {
		printf("writable: %s (mode %03o: writable by others than its owner)\n", e->path,
		       (unsigned)(e->st->st_mode & 0777));
		c->writable++;
	}
	if (e->st->st_uid != c->owner && e->st->st_uid != 0) {
		printf("foreign:  %s (owned by uid %u, who can change it: not DIR's owner or root)\n",
		       e->path, (unsigned)e->st->st_uid);
		c->foreign++;
	}
	if (e->kind == TREE_DIR)
		return 0;
	if (setid_file(e))
		c->setid++;
	strbuf_reset(&c->data);
	if (e->kind != TREE_FILE || strbuf_read_file(&c->data, e->path) < 0) {
		differs(c, e->path, "not a readable regular file");
		return 0;
	}
	hex_of(c->data.buf, c->data.len, hex);
	if (!strcmp(e->rel, TOOLCHAIN_MANIFEST)) {
		if (c->data.len != c->manifest->len || memcmp(c->data.buf, c->manifest->buf, c->data.len))
			differs(c, e->path, "not the manifest goinstr writes for these files and options");
		else
			c->ok++;
		return 0;
	}
	/* What goinstr moved aside must be the release's; what it generates,
	 * what it generates now; the rest the release's, or, for files no
	 * release has (and with --trust-goroot), as the MANIFEST says. */
	release_path(t, e->rel, &rp);
	if ((gen = entries_find(&t->e, e->rel)))
		c->seen[gen - t->e.v] = 1;
	rec = entries_find(c->recorded, e->rel);
	if (t->rel && (m = manifest_find(t->rel, rp.len ? rp.buf : e->rel)))
		c->rseen[m - t->rel->v] = 1;
	if (rp.len && t->rel) {
		manifest_digest(m ? m->path : rp.buf, c->data.buf, c->data.len, hex);
		if (!m)
			differs(c, e->path, "not a file of %s", t->rel->name);
		else
			compare(c, e->path, m->hash, hex);
	} else if (rp.len) {
		compare(c, e->path, rec ? rec->new : "-", hex);
	} else if (!strcmp(e->rel, "go.env")) {
		struct strbuf local = STRBUF_INIT;
		goenv_local(&c->data, &local);
		if (local.len != c->data.len || memcmp(local.buf, c->data.buf, local.len))
			differs(c, e->path, "GOTOOLCHAIN=local expected");
		else if (m)
			compare(c, e->path, m->hash, (manifest_digest("go.env", c->data.buf,
								     c->data.len, hex), hex));
		else
			compare(c, e->path, gen ? gen->new : "-", hex);
		strbuf_release(&local);
	} else if (gen) {
		compare(c, e->path, gen->new, hex);
	} else if (m) {
		manifest_digest(m->path, c->data.buf, c->data.len, hex);
		compare(c, e->path, m->hash, hex);
	} else {
		printf("extra:    %s\n", e->path);
		c->extra++;
	}
	strbuf_release(&rp);
	return 0;
}

struct origcheck {
	const struct manifest *rel;
	struct strbuf data;
	int bad;
};

static int orig_one(void *ctx, const struct tree_entry *e)
{
	struct origcheck *o = ctx;
	struct strbuf path = STRBUF_INIT;
	const struct manifest_entry *m;
	char hex[65];

	if (e->kind == TREE_DIR)
		return 0;
	strbuf_addf(&path, "src/reflect/%s", e->rel);
	strbuf_reset(&o->data);
	if (e->kind != TREE_FILE || !(m = manifest_find(o->rel, path.buf)) ||
	    strbuf_read_file(&o->data, e->path) < 0)
		o->bad = 1;
	else if ((hex_of(o->data.buf, o->data.len, hex), strcmp(hex, m->hash)))
		o->bad = 1;
	strbuf_release(&path);
	return 0;
}

/* 1 if a file of DIR/ORIG_DIR/src/reflect is not the release's. */
static int originals_differ(const struct tc *t)
{
	struct origcheck o = { t->rel, STRBUF_INIT, 0 };
	struct strbuf dir = STRBUF_INIT;

	strbuf_addf(&dir, "%s/" ORIG_DIR "/src/reflect", t->root);
	if (access(dir.buf, F_OK) < 0 || tree_walk(dir.buf, TREE_SHALLOW, orig_one, &o) < 0)
		o.bad = 1;
	strbuf_release(&dir);
	strbuf_release(&o.data);
	return o.bad;
}

/* Parse "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" into t. */
static int parse_options(struct tc *t, const char *what, const char *where)
{
	struct strbuf ops = STRBUF_INIT, err = STRBUF_INIT;
	const char *u = strstr(what, " unsafe=");
	static const char *const scopes[] = { "all", "main", "deps", "none" };
	int ret = -1;

	if (strncmp(what, "ops=", 4) || !u)
		goto bad;
	strbuf_add(&ops, what + 4, (size_t)(u - what - 4));
	if (cats_parse(ops.buf, &t->ops, &err) < 0)
		goto bad;
	u += 8;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		size_t n = strlen(scopes[i]);
		const char *rest = u + n;
		if (strncmp(u, scopes[i], n) || (*rest && *rest != ' '))
			continue;
		t->unsafe = scopes[i];
		t->trust_goroot = !strncmp(rest, " trust-goroot", 13);
		rest += t->trust_goroot ? 13 : 0;
		t->isolate = !strcmp(rest, " isolate");
		rest += t->isolate ? 8 : 0;
		if (!*rest)
			ret = 0;
	}
	if (ret)
		goto bad;
	format_options(t);
	goto out;
bad:
	ret = error("'%s': bad options line '%s'", where, what);
out:
	strbuf_release(&ops);
	strbuf_release(&err);
	return ret;
}

/* The MANIFEST's lines "KIND ORIG NEW PATH" (text is cut into lines). */
static void parse_entries(char *text, struct entries *es)
{
	for (char *s = text, *nl; *s; s = nl + 1) {
		char kind[16], orig[65], new[65];
		int off = 0;
		if (!(nl = strchr(s, '\n')))
			nl = s + strlen(s) - 1;
		else
			*nl = '\0';
		if (*s != '#' && sscanf(s, "%15s %64s %64s %n", kind, orig, new, &off) == 3 && off) {
			enum kind k = !strcmp(kind, "kept") ? K_KEPT :
				      !strcmp(kind, "changed") ? K_CHANGED : K_ADDED;
			record(es, s + off, k, orig, new);
		}
		if (!nl[1])
			break;
	}
	qsort(es->v, es->nr, sizeof(*es->v), cmp_entry_path);
}

/*
 * The directories above DIR: one that others can write to (without the
 * sticky bit, which keeps them from renaming what is not theirs) or that
 * is owned by someone but DIR's owner or root lets its writers rename DIR
 * and put another toolchain in its place. Both the path as given (its
 * symbolic links' directories too) and the real one are checked; each
 * directory is named once. Returns how many were named.
 */
static unsigned long check_parents(const char *dir, uid_t owner)
{
	struct strbuf path = STRBUF_INIT, seen = STRBUF_INIT, key = STRBUF_INIT;
	char *real = realpath(dir, NULL), cwd[PATH_MAX];
	unsigned long n = 0;

	strbuf_addch(&seen, '\n'); /* "\nA\nB\n": each named directory between newlines */
	for (int pass = 0; pass < 2; pass++) {
		strbuf_reset(&path);
		if (pass == 1)
			strbuf_addstr(&path, real ? real : "/");
		else if (dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
			strbuf_addf(&path, "%s/%s", cwd, dir);
		else
			strbuf_addstr(&path, dir);
		while (path.len > 1) {
			char *slash = strrchr(path.buf, '/');
			struct stat st;

			strbuf_setlen(&path, slash && slash > path.buf ? (size_t)(slash - path.buf) : 1);
			if (lstat(path.buf, &st) || !S_ISDIR(st.st_mode) ||
			    (!((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) &&
			     (st.st_uid == owner || st.st_uid == 0)))
				continue;
			strbuf_reset(&key);
			strbuf_addf(&key, "\n%s\n", path.buf);
			if (strstr(seen.buf, key.buf))
				continue;
			strbuf_addstr(&seen, key.buf + 1);
			printf("parent:   %s (mode %04o, uid %u: %s can rename DIR and put another in "
			       "its place)\n", path.buf, (unsigned)(st.st_mode & 07777),
			       (unsigned)st.st_uid,
			       st.st_uid != owner && st.st_uid != 0 ? "its owner" : "others than its owner");
			n++;
		}
	}
	free(real);
	strbuf_release(&path);
	strbuf_release(&seen);
	strbuf_release(&key);
	return n;
}

/* A regular file that runs as its owner or group whoever starts it:
 * named (goinstr never makes one; no release has one). */
static int setid_file(const struct tree_entry *e)
{
	if (e->kind != TREE_FILE || !(e->st->st_mode & (S_ISUID | S_ISGID)))
		return 0;
	printf("setid:    %s (mode %04o: runs as its %s, whoever starts it)\n", e->path,
	       (unsigned)(e->st->st_mode & 07777),
	       e->st->st_mode & S_ISUID ? "owner" : "group");
	return 1;
}

int toolchain_verify(const char *dir)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT, go = STRBUF_INIT, rel = STRBUF_INIT,
		      what = STRBUF_INIT, source = STRBUF_INIT, expect = STRBUF_INIT,
		      gocmd = STRBUF_INIT, gorootvar = STRBUF_INIT;
	struct manifest man = MANIFEST_INIT;
	struct entries recorded = { 0 };
	struct check c = { 0 };
	struct stat st;
	struct tc t;
	int ret = -1;

	tc_init(&t, dir, 0);
	strbuf_init(&c.data, 0);
	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) < 0 || stat(dir, &st) < 0) {
		error("cannot read '%s': %s", p.buf, strerror(errno));
		goto out;
	}
	if (header_of(text.buf, "go", &go) < 0 || header_of(text.buf, "release-manifest", &rel) < 0 ||
	    header_of(text.buf, "options", &what) < 0 || header_of(text.buf, "source", &source) < 0) {
		error("'%s': not a goinstr toolchain manifest", p.buf);
		goto out;
	}
	/* "go1.26.8 linux/amd64" */
	{
		char *sp = strchr(go.buf, ' '), *sl = sp ? strchr(sp, '/') : NULL;
		if (!sp || !sl) {
			error("'%s': bad go line '%s'", p.buf, go.buf);
			goto out;
		}
		t.env.version = xstrndup(go.buf, (size_t)(sp - go.buf));
		t.env.goos = xstrndup(sp + 1, (size_t)(sl - sp - 1));
		t.env.goarch = xstrdup(sl + 1);
		t.env.hostos = t.env.goos; /* a toolchain's platform is its host's */
		t.env.hostarch = t.env.goarch;
		t.env.goroot = xstrdup(source.buf);
		/* goinstr-types is built again with the source's go command */
		strbuf_addf(&gocmd, "%s/bin/go", source.buf);
		strbuf_addf(&gorootvar, "GOROOT=%s", source.buf);
		t.env.gocmd = gocmd.buf;
		t.env.childenv[0] = gorootvar.buf;
	}
	if (parse_options(&t, what.buf, p.buf) < 0)
		goto out;
	if (!t.trust_goroot) {
		if (manifest_load(&man, t.env.version, t.env.goos, t.env.goarch) < 0)
			goto out;
		t.rel = &man;
	}
	parse_entries(text.buf, &recorded);
	t.recorded = &recorded;
	{
		const struct entry *ge = entries_find(&recorded, "go.env");
		if (ge && ge->kind == K_CHANGED)
			strbuf_addstr(&t.goenv_orig, ge->orig);
	}
	/* What goinstr would write now, from the originals it kept (when they
	 * are the release's: else they are reported below). */
	t.no_std = t.rel && originals_differ(&t);
	if (put_std(&t) < 0 || put_tools(&t) < 0) {
		error("'%s': cannot make what goinstr writes into it (above): not verified", dir);
		goto out;
	}
	entries_fold(&t.e);
	/* Kept files are as the MANIFEST says, but only where no release
	 * file may be (a MANIFEST line cannot make an added file the release's). */
	for (size_t i = 0; i < recorded.nr; i++)
		if (recorded.v[i].kind == K_KEPT && !covered(t.rel, recorded.v[i].path) &&
		    !entries_find(&t.e, recorded.v[i].path))
			record(&t.e, recorded.v[i].path, K_KEPT, recorded.v[i].orig,
			       recorded.v[i].new);
	manifest_text(&t, &expect);

	c.t = &t;
	c.recorded = &recorded;
	c.manifest = &expect;
	c.owner = st.st_uid;
	c.seen = xcalloc(t.e.nr + 1, 1);
	c.rseen = xcalloc(t.rel ? t.rel->nr + 1 : 1, 1);
	c.parents = check_parents(dir, st.st_uid);
	if (tree_walk(dir, 0, check_one, &c) < 0)
		goto out;
	for (size_t i = 0; i < t.e.nr; i++)
		if (!c.seen[i]) {
			printf("missing:  %s/%s\n", dir, t.e.v[i].path);
			c.missing++;
		}
	for (size_t i = 0; t.rel && i < t.rel->nr; i++)
		if (!c.rseen[i] && !entries_find(&t.e, t.rel->v[i].path)) {
			printf("missing:  %s/%s\n", dir, t.rel->v[i].path);
			c.missing++;
		}
	printf("%s: goinstr toolchain, %s %s, release manifest %s: %lu files checked: "
	       "%lu match, %lu differ, %lu missing; %lu extra, %lu writable by others, "
	       "%lu owned by others, %lu set-id, %lu parent directories others can change\n",
	       dir, go.buf, what.buf, rel.buf, c.ok + c.differ, c.ok, c.differ, c.missing,
	       c.extra, c.writable, c.foreign, c.setid, c.parents);
	ret = (int)(c.differ + c.missing + c.extra + c.writable + c.foreign + c.setid + c.parents);
out:
	free(c.seen);
	free(c.rseen);
	strbuf_release(&c.data);
	free(t.env.version);
	free(t.env.goos);
	free(t.env.goarch);
	free(t.env.goroot);
	tc_release(&t);
	entries_release(&recorded);
	manifest_release(&man);
	strbuf_release(&p);
	strbuf_release(&text);
	strbuf_release(&go);
	strbuf_release(&rel);
	strbuf_release(&what);
	strbuf_release(&source);
	strbuf_release(&expect);
	strbuf_release(&gocmd);
	strbuf_release(&gorootvar);
	return ret;
}
