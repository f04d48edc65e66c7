/*
 * toolchain.c - make and verify drop-in instrumented toolchains (see
 * toolchain.h and docs/toolchain.md).
 */
#include "toolchain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "instrument.h"
#include "manifest.h"
#include "reflectops.h"
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

/* The toolchain under construction (nftw has no context pointer). */
static struct build {
	const char *src;            /* source GOROOT */
	size_t srclen;
	struct strbuf tmp;          /* DIR.tmp-PID-XXXXXX */
	const struct manifest *rel; /* release manifest, or NULL (--trust-goroot) */
	struct entry *v;
	size_t nr, alloc;
	int failed; /* link_one reported an error */
} B;

static volatile sig_atomic_t caught;
static void on_signal(int sig) { caught = sig; }

static void record(const char *path, enum kind k, const char *orig, const char *new)
{
	struct entry *e;

	if (B.nr == B.alloc) {
		B.alloc = B.alloc ? 2 * B.alloc : 1024;
		B.v = xrealloc(B.v, B.alloc * sizeof(*B.v));
	}
	e = &B.v[B.nr];
	e->path = xstrdup(path);
	e->kind = k;
	snprintf(e->orig, sizeof(e->orig), "%s", orig ? orig : "-");
	snprintf(e->new, sizeof(e->new), "%s", new);
	e->seq = B.nr++;
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
static void entries_fold(void)
{
	size_t w = 0;

	qsort(B.v, B.nr, sizeof(*B.v), cmp_entry);
	for (size_t i = 0; i < B.nr; i++) {
		if (w && !strcmp(B.v[w - 1].path, B.v[i].path)) {
			free(B.v[w - 1].path);
			B.v[w - 1] = B.v[i];
			continue;
		}
		B.v[w++] = B.v[i];
	}
	B.nr = w;
}

/*
 * The release manifest's entry for rel. Module zips (the GOROOTs that
 * GOTOOLCHAIN downloads) hold each nested go.mod also as _go.mod, which
 * the manifest names go.mod.
 */
static const struct manifest_entry *release_find(const struct manifest *m, const char *rel)
{
	const struct manifest_entry *e = manifest_find(m, rel);
	size_t n = strlen(rel);

	if (!e && n >= 8 && !strcmp(rel + n - 8, "/_go.mod")) {
		struct strbuf alt = STRBUF_INIT;
		strbuf_add(&alt, rel, n - 8);
		strbuf_addstr(&alt, "/go.mod");
		e = manifest_find(m, alt.buf);
		strbuf_release(&alt);
	}
	return e;
}

static void hex_of(const void *data, size_t len, char out[65])
{
	struct strbuf h = STRBUF_INIT;
	sha256_buf_hex(data, len, &h);
	memcpy(out, h.buf, 65);
	strbuf_release(&h);
}

/*
 * Give to the same contents as from without writing through any link:
 * a hard link, else a reflink (FICLONE), else a copy. Files writable by
 * group or others are always copied, without those bits.
 */
static int share_file(const char *from, const char *to, const struct stat *st,
		      const struct strbuf *data)
{
	int in, out, ok;

	if (!(st->st_mode & 022) && link(from, to) == 0)
		return 0;
	if (!(st->st_mode & 022) && (in = open(from, O_RDONLY | O_CLOEXEC)) >= 0) {
		out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 0755);
		ok = out >= 0 && ioctl(out, FICLONE, in) == 0 && fchmod(out, st->st_mode & 0755) == 0;
		if (out >= 0)
			close(out);
		close(in);
		if (ok)
			return 0;
		if (out >= 0)
			unlink(to);
	}
	return write_file(to, data->buf, data->len, st->st_mode & 0755);
}

static int link_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *rel = path + B.srclen;
	struct strbuf to = STRBUF_INIT, data = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	(void)ftw;
	if (caught)
		return 1;
	if (*rel == '/')
		rel++;
	if (!*rel)
		return 0; /* the root: tmp itself */
	strbuf_addf(&to, "%s/%s", B.tmp.buf, rel);
	switch (flag) {
	case FTW_D:
		if (!strcmp(rel, "pkg/goinstr")) {
			ret = error("'%s' is a goinstr toolchain already: make toolchains from a Go release",
				    B.src);
			break;
		}
		if (mkdir(to.buf, 0755) < 0 || chmod(to.buf, 0755) < 0)
			ret = error("cannot create '%s': %s", to.buf, strerror(errno));
		break;
	case FTW_F:
		if (strbuf_read_file(&data, path) < 0) {
			ret = error("cannot read '%s': %s", path, strerror(errno));
			break;
		}
		/* Every file of the release is checked: src/ must be complete
		 * and unchanged; go and compile must be the release's. */
		if (B.rel && (!strncmp(rel, "src/", 4) || manifest_find(B.rel, rel))) {
			const struct manifest_entry *e = release_find(B.rel, rel);
			if (manifest_check(B.rel, B.src, e ? e->path : rel, data.buf, data.len) < 0) {
				ret = -1;
				break;
			}
		} else {
			hex_of(data.buf, data.len, hex);
			record(rel, K_KEPT, hex, hex);
		}
		ret = share_file(path, to.buf, st, &data);
		break;
	case FTW_SL:
		ret = error("'%s' is a symbolic link: not in a Go release", path);
		break;
	default:
		ret = error("cannot read '%s'", path);
	}
	strbuf_release(&to);
	strbuf_release(&data);
	B.failed |= ret != 0;
	return ret ? -1 : 0;
}

/* Write tmp/rel (replacing the link there, if any) and record it. */
static int put_file(const char *rel, const char *orig, size_t olen, int had_orig,
		    const char *data, size_t len, unsigned mode)
{
	struct strbuf path = STRBUF_INIT;
	char o[65], n[65];
	int ret;

	strbuf_addf(&path, "%s/%s", B.tmp.buf, rel);
	ret = write_file(path.buf, data, len, mode);
	if (!ret) {
		if (had_orig)
			hex_of(orig, olen, o);
		hex_of(data, len, n);
		record(rel, had_orig ? K_CHANGED : K_ADDED, had_orig ? o : NULL, n);
	}
	strbuf_release(&path);
	return ret;
}

static int std_sink(void *ctx, const char *target, const char *rel,
		    const char *orig, size_t olen, const char *data, size_t len)
{
	const struct goenv *env = ctx;
	size_t n = strlen(env->goroot);

	(void)rel;
	if (strncmp(target, env->goroot, n) || target[n] != '/')
		return error("internal error: '%s' is not in GOROOT", target);
	return put_file(target + n + 1, orig, olen, orig != NULL, data, len, 0644);
}

/* Move tmp/from to tmp/to (a link stays a link), recorded as added. */
static int move_file(const char *from, const char *to)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, data = STRBUF_INIT;
	char hex[65];
	int ret = 0;

	strbuf_addf(&a, "%s/%s", B.tmp.buf, from);
	strbuf_addf(&b, "%s/%s", B.tmp.buf, to);
	if (strbuf_read_file(&data, a.buf) < 0)
		ret = error("cannot read '%s': %s", a.buf, strerror(errno));
	else if (rename(a.buf, b.buf) < 0)
		ret = error("cannot rename '%s': %s", a.buf, strerror(errno));
	if (!ret) {
		hex_of(data.buf, data.len, hex);
		record(to, K_ADDED, NULL, hex);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&data);
	return ret;
}

/* Replace tmp/rel by a script; the original's digest is recorded. */
static int put_script(const char *rel, const char *orig_rel, const struct strbuf *text)
{
	struct strbuf orig = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", B.tmp.buf, orig_rel);
	if (strbuf_read_file(&orig, path.buf) < 0)
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
	else
		ret = put_file(rel, orig.buf, orig.len, 1, text->buf, text->len, 0755);
	strbuf_release(&orig);
	strbuf_release(&path);
	return ret;
}

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

static void go_script(struct strbuf *sb, const char *what, int isolate)
{
	/* --isolate: the real go command inside goinstr's sandbox */
	const char *pre = isolate ? "\"$r/pkg/goinstr/bin/goinstr\" isolate " : "";

	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The go command of a Go toolchain instrumented by goinstr %s (%s).\n"
		    "# Runs the real one, pkg/goinstr/bin/go, with GOROOT set to this\n"
		    "# toolchain and GOTOOLCHAIN=local, so no build leaves it; marks\n"
		    "# 'go version'. Changes: pkg/goinstr/MANIFEST; 'goinstr verify DIR'.\n",
		    GOINSTR_VERSION, what);
	script_root(sb, "/bin/go");
	strbuf_addf(sb,
		    "export GOROOT=\"$r\" GOTOOLCHAIN=local\n"
		    "if [ $# -eq 1 ] && [ \"$1\" = version ]; then\n"
		    "\tv=$(\"$r/pkg/goinstr/bin/go\" version) || exit\n"
		    "\techo \"$v (instrumented by goinstr %s: %s)\"\n"
		    "\texit 0\n"
		    "fi\n"
		    "if [ \"${1:-}\" = test ] && [ -n \"${INSTRUMENTATION_LOG_PATH:-}\" ]; then\n"
		    "\tshift # a test asked to log runs: not from the test cache\n"
		    "\texec %s\"$r/pkg/goinstr/bin/go\" test -count=1 \"$@\"\n"
		    "fi\n"
		    "exec %s\"$r/pkg/goinstr/bin/go\" \"$@\"\n",
		    GOINSTR_VERSION, what, pre, pre);
}

static void compile_script(struct strbuf *sb, const char *what, const char *unsafe,
			   const char *id)
{
	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The compiler of a Go toolchain instrumented by goinstr %s (%s):\n"
		    "# wraps unsafe operations outside the standard library, as\n"
		    "# 'goinstr build' does, then runs pkg/goinstr/tool/compile.\n",
		    GOINSTR_VERSION, what);
	script_root(sb, "/pkg/tool/*");
	strbuf_addf(sb,
		    "exec \"$r/pkg/goinstr/bin/goinstr\" toolexec --unsafe=%s%s --goroot=\"$r\" --id=%s \\\n"
		    "\t\"$r/pkg/goinstr/tool/compile\" \"$@\"\n",
		    unsafe, strcmp(unsafe, "all") ? " --main-from-cwd" : "", id);
}

/* go.env with GOTOOLCHAIN=local (written only if that changes it). */
static int put_goenv(void)
{
	struct strbuf path = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	int ret = 0, set = 0;

	strbuf_addf(&path, "%s/go.env", B.tmp.buf);
	if (strbuf_read_file(&old, path.buf) < 0 && errno != ENOENT) {
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	for (const char *p = old.buf; *p;) {
		size_t n = strcspn(p, "\n");
		if (!strncmp(p, "GOTOOLCHAIN=", 12)) {
			strbuf_addstr(&new, "GOTOOLCHAIN=local\n");
			set = 1;
		} else {
			strbuf_add(&new, p, n);
			strbuf_addch(&new, '\n');
		}
		p += n + (p[n] == '\n');
	}
	if (!set)
		strbuf_addstr(&new, "GOTOOLCHAIN=local\n");
	if (new.len != old.len || memcmp(new.buf, old.buf, new.len))
		ret = put_file("go.env", old.buf, old.len, access(path.buf, F_OK) == 0,
			       new.buf, new.len, 0644);
out:
	strbuf_release(&path);
	strbuf_release(&old);
	strbuf_release(&new);
	return ret;
}

static int write_manifest(const struct goenv *env, const struct toolchain_opts *o,
			  const char *what, const char *id)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	entries_fold();
	strbuf_addf(&sb,
		    "# goinstr toolchain manifest\n"
		    "# goinstr %s\n# go %s %s/%s\n# source %s\n# release-manifest %s\n"
		    "# options %s\n# id %s\n"
		    "# Every file goinstr changed or added, and every file kept from the\n"
		    "# source that the release manifest does not cover:\n"
		    "# KIND ORIGINAL-SHA256 NEW-SHA256 PATH (ORIGINAL '-': added)\n",
		    GOINSTR_VERSION, env->version, env->goos, env->goarch, env->goroot,
		    B.rel ? B.rel->name : "none (--trust-goroot)", what, id);
	for (size_t i = 0; i < B.nr; i++)
		strbuf_addf(&sb, "%s %s %s %s\n", kind_names[B.v[i].kind], B.v[i].orig,
			    B.v[i].new, B.v[i].path);
	strbuf_addf(&path, "%s/" TOOLCHAIN_MANIFEST, B.tmp.buf);
	ret = write_file(path.buf, sb.buf, sb.len, 0644);
	strbuf_release(&sb);
	strbuf_release(&path);
	(void)o;
	return ret;
}

/* Remove DIR.tmp-PID-* left by runs that were killed (PID gone). */
static void remove_stale(const char *dir)
{
	struct strbuf parent = STRBUF_INIT, prefix = STRBUF_INIT, p = STRBUF_INIT;
	const char *slash = strrchr(dir, '/');
	DIR *d;
	struct dirent *de;

	strbuf_add(&parent, dir, slash > dir ? (size_t)(slash - dir) : 1);
	strbuf_addf(&prefix, "%s.tmp-", slash + 1);
	if (!(d = opendir(parent.buf)))
		goto out;
	while ((de = readdir(d))) {
		long pid;
		char *end;
		if (strncmp(de->d_name, prefix.buf, prefix.len))
			continue;
		pid = strtol(de->d_name + prefix.len, &end, 10);
		if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", parent.buf, de->d_name);
		remove_tree(p.buf);
	}
	closedir(d);
out:
	strbuf_release(&parent);
	strbuf_release(&prefix);
	strbuf_release(&p);
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

static int nested(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0');
}

int toolchain_create(const struct goenv *env, const struct toolchain_opts *o,
		     const char *dir_arg)
{
	struct strbuf dir = STRBUF_INIT, what = STRBUF_INIT, key = STRBUF_INIT,
		      id = STRBUF_INIT, sb = STRBUF_INIT, path = STRBUF_INIT;
	struct manifest man = { 0 };
	struct rwreflect rw;
	struct sigaction sa = { .sa_handler = on_signal }, oint, oterm, ohup;
	struct stat st;
	char real_src[PATH_MAX];
	int ret = -1, exists;

	memset(&B, 0, sizeof(B));
	strbuf_init(&B.tmp, 0);
	rwreflect_init(&rw, o->ops);
	rw.trust_goroot = o->trust_goroot;
	if (abs_dir(dir_arg, &dir) < 0)
		goto out_nosig;
	remove_stale(dir.buf);
	if (toolchain_is(env->goroot)) {
		error("the go in PATH is the instrumented toolchain '%s': make toolchains from a Go"
		      " release", env->goroot);
		goto out_nosig;
	}
	if (!realpath(env->goroot, real_src)) {
		error("cannot read GOROOT '%s': %s", env->goroot, strerror(errno));
		goto out_nosig;
	}
	if (nested(dir.buf, real_src) || nested(real_src, dir.buf)) {
		error("'%s' and the GOROOT '%s' overlap", dir.buf, real_src);
		goto out_nosig;
	}
	exists = lstat(dir.buf, &st) == 0;
	if (exists && !o->force) {
		error("'%s' exists (--force replaces a goinstr toolchain)", dir.buf);
		goto out_nosig;
	}
	if (exists && !toolchain_is(dir.buf)) {
		error("'%s' exists and is not a goinstr toolchain: not replaced", dir.buf);
		goto out_nosig;
	}
	if (!o->trust_goroot && manifest_load(&man, env->version, env->goos, env->goarch) < 0)
		goto out_nosig;
	B.rel = o->trust_goroot ? NULL : &man;
	B.src = env->goroot;
	B.srclen = strlen(env->goroot);

	/* The options and the identity compile -V=full answers with. */
	strbuf_addstr(&what, "ops=");
	cats_format(o->ops, &what);
	strbuf_addf(&what, " unsafe=%s%s%s", o->unsafe, o->trust_goroot ? " trust-goroot" : "",
		    o->isolate ? " isolate" : "");
	instrument_unsafe_id(env->goroot, o->unsafe, "", &id); /* as goinstr build's --id */

	caught = 0;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGHUP, &sa, &ohup);
	strbuf_addf(&B.tmp, "%s.tmp-%ld-XXXXXX", dir.buf, (long)getpid());
	if (!mkdtemp(B.tmp.buf)) {
		error("cannot create '%s': %s", B.tmp.buf, strerror(errno));
		strbuf_reset(&B.tmp);
		goto out;
	}

	/* 1. Share every file of the release, checked. */
	if (nftw(env->goroot, link_one, 64, FTW_PHYS) != 0) {
		if (!caught && !B.failed)
			error("cannot make the toolchain from '%s'", env->goroot);
		goto out;
	}
	/* Nothing of the release may be missing either. */
	for (size_t i = 0; B.rel && i < B.rel->nr; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", B.tmp.buf, B.rel->v[i].path);
		if (access(path.buf, F_OK) < 0) {
			error("'%s/%s' is missing: not a complete %s GOROOT; --trust-goroot overrides",
			      env->goroot, B.rel->v[i].path, B.rel->name);
			goto out;
		}
	}
	strbuf_reset(&path);
	/* 2. The instrumented standard library, on disk. */
	{
		struct sink sink = { std_sink, (void *)env };
		if (caught || instrument_std(env, &rw, &sink) < 0)
			goto out;
	}
	/* 3. The go command and the compiler become scripts. */
	strbuf_addf(&path, "%s/pkg/goinstr", B.tmp.buf);
	if (mkdir(path.buf, 0755) < 0 || chmod(path.buf, 0755) < 0) {
		error("cannot create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	strbuf_addstr(&path, "/bin");
	if (mkdir(path.buf, 0755) < 0 || chmod(path.buf, 0755) < 0) {
		error("cannot create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	if (move_file("bin/go", "pkg/goinstr/bin/go") < 0)
		goto out;
	go_script(&sb, what.buf, o->isolate);
	if (put_script("bin/go", "pkg/goinstr/bin/go", &sb) < 0)
		goto out;
	if (strcmp(o->unsafe, "none")) {
		struct strbuf tool = STRBUF_INIT;
		int r;
		strbuf_addf(&tool, "pkg/tool/%s_%s/compile", env->goos, env->goarch);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/pkg/goinstr/tool", B.tmp.buf);
		r = mkdir(path.buf, 0755) < 0 || chmod(path.buf, 0755) < 0 ?
			error("cannot create '%s': %s", path.buf, strerror(errno)) : 0;
		if (!r)
			r = move_file(tool.buf, "pkg/goinstr/tool/compile");
		strbuf_reset(&sb);
		compile_script(&sb, what.buf, o->unsafe, id.buf);
		if (!r)
			r = put_script(tool.buf, "pkg/goinstr/tool/compile", &sb);
		strbuf_release(&tool);
		if (r < 0)
			goto out;
	}
	/* The compile shim's goinstr: a copy, so rebuilding goinstr does not
	 * change the toolchain. */
	strbuf_reset(&sb);
	if (strbuf_read_file(&sb, "/proc/self/exe") < 0) {
		error("cannot read goinstr's own binary: %s", strerror(errno));
		goto out;
	}
	if (put_file("pkg/goinstr/bin/goinstr", NULL, 0, 0, sb.buf, sb.len, 0755) < 0 ||
	    put_goenv() < 0 || write_manifest(env, o, what.buf, id.buf) < 0)
		goto out;
	if (chmod(B.tmp.buf, 0755) < 0) {
		error("cannot chmod '%s': %s", B.tmp.buf, strerror(errno));
		goto out;
	}
	if (caught)
		goto out;
	/* 4. Into place, atomically: a new name, or swapped with the old. */
	if (renameat2(AT_FDCWD, B.tmp.buf, AT_FDCWD, dir.buf,
		      exists ? RENAME_EXCHANGE : RENAME_NOREPLACE) < 0) {
		error("cannot rename '%s' to '%s': %s", B.tmp.buf, dir.buf, strerror(errno));
		goto out;
	}
	if (!exists)
		strbuf_reset(&B.tmp);
	ret = 0;
out:
	if (B.tmp.len)
		remove_tree(B.tmp.buf); /* the unfinished toolchain, or the old one */
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	if (caught) {
		signal(caught, SIG_DFL);
		raise(caught);
	}
out_nosig:
	for (size_t i = 0; i < B.nr; i++)
		free(B.v[i].path);
	free(B.v);
	strbuf_release(&B.tmp);
	manifest_release(&man);
	rwreflect_release(&rw);
	strbuf_release(&dir);
	strbuf_release(&what);
	strbuf_release(&key);
	strbuf_release(&id);
	strbuf_release(&sb);
	strbuf_release(&path);
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

int toolchain_header(const char *dir, const char *key, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	size_t n = strlen(key);
	int ret = -1;

	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) == 0)
		for (const char *s = text.buf; *s == '#'; s += strcspn(s, "\n") + 1) {
			if (!strncmp(s + 2, key, n) && s[2 + n] == ' ') {
				strbuf_add(out, s + 3 + n, strcspn(s + 3 + n, "\n"));
				ret = 0;
				break;
			}
			if (!s[strcspn(s, "\n")])
				break;
		}
	strbuf_release(&p);
	strbuf_release(&text);
	return ret;
}

/* What verify walks: the toolchain's manifest and the release's. */
static struct check {
	const char *root;
	size_t rootlen;
	struct entry *v; /* the toolchain's, sorted by path */
	size_t nr;
	char *seen, *rseen;
	const struct manifest *rel;
	unsigned long ok, differ, missing, extra, writable;
} C;

static struct entry *check_find(const char *path)
{
	struct entry key = { 0 };
	key.path = (char *)path;
	return bsearch(&key, C.v, C.nr, sizeof(*C.v), cmp_entry_path);
}

static int check_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *rel = path + C.rootlen;
	const struct entry *e;
	const struct manifest_entry *m = NULL;
	struct strbuf data = STRBUF_INIT;
	char hex[65];

	(void)ftw;
	if (*rel == '/')
		rel++;
	if (flag == FTW_D || flag == FTW_DNR) {
		if (st->st_mode & 022) {
			printf("writable: %s (mode %03o: writable by others than its owner)\n", path,
			       (unsigned)(st->st_mode & 0777));
			C.writable++;
		}
		return 0;
	}
	if (!strcmp(rel, TOOLCHAIN_MANIFEST))
		return 0;
	e = check_find(rel);
	if (!e && C.rel)
		m = release_find(C.rel, rel);
	if (!e && !m) {
		printf("extra:    %s\n", path);
		C.extra++;
		return 0;
	}
	if (e)
		C.seen[e - C.v] = 1;
	else
		C.rseen[m - C.rel->v] = 1;
	if (flag != FTW_F || strbuf_read_file(&data, path) < 0) {
		printf("differs:  %s (not a readable regular file)\n", path);
		C.differ++;
		strbuf_release(&data);
		return 0;
	}
	hex_of(data.buf, data.len, hex);
	if (strncmp(hex, e ? e->new : m->hash, 64)) {
		printf("differs:  %s (sha256 %.64s expected, %s found)\n", path,
		       e ? e->new : m->hash, hex);
		C.differ++;
	} else {
		C.ok++;
	}
	if (!e && (st->st_mode & 022)) {
		printf("writable: %s (mode %03o)\n", path, (unsigned)(st->st_mode & 0777));
		C.writable++;
	}
	strbuf_release(&data);
	return 0;
}

int toolchain_verify(const char *dir)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT, go = STRBUF_INIT,
		      rel = STRBUF_INIT, what = STRBUF_INIT;
	struct manifest man = { 0 };
	char *ver = NULL, *goos = NULL, *goarch = NULL;
	int ret = -1;

	memset(&C, 0, sizeof(C));
	strbuf_addf(&p, "%s/" TOOLCHAIN_MANIFEST, dir);
	if (strbuf_read_file(&text, p.buf) < 0) {
		error("cannot read '%s': %s", p.buf, strerror(errno));
		goto out;
	}
	if (toolchain_header(dir, "go", &go) < 0 || toolchain_header(dir, "release-manifest", &rel) < 0) {
		error("'%s': not a goinstr toolchain manifest", p.buf);
		goto out;
	}
	toolchain_header(dir, "options", &what);
	/* "go1.26.8 linux/amd64" */
	{
		char *sp = strchr(go.buf, ' '), *sl = sp ? strchr(sp, '/') : NULL;
		if (!sp || !sl) {
			error("'%s': bad go line '%s'", p.buf, go.buf);
			goto out;
		}
		ver = xstrndup(go.buf, (size_t)(sp - go.buf));
		goos = xstrndup(sp + 1, (size_t)(sl - sp - 1));
		goarch = xstrdup(sl + 1);
	}
	if (strncmp(rel.buf, "none", 4)) {
		if (manifest_load(&man, ver, goos, goarch) < 0)
			goto out;
		C.rel = &man;
	}
	/* The entries: "KIND ORIG NEW PATH". */
	for (char *s = text.buf, *nl; *s; s = nl + 1) {
		char kind[16], orig[65], new[65];
		int off = 0;
		if (!(nl = strchr(s, '\n')))
			nl = s + strlen(s) - 1;
		else
			*nl = '\0';
		if (*s != '#' && sscanf(s, "%15s %64s %64s %n", kind, orig, new, &off) == 3 && off) {
			C.v = xrealloc(C.v, (C.nr + 1) * sizeof(*C.v));
			memset(&C.v[C.nr], 0, sizeof(*C.v));
			C.v[C.nr].path = s + off;
			memcpy(C.v[C.nr].new, new, 65);
			C.nr++;
		}
		if (!nl[1])
			break;
	}
	qsort(C.v, C.nr, sizeof(*C.v), cmp_entry_path);
	C.seen = xcalloc(C.nr + 1, 1);
	C.rseen = xcalloc(C.rel ? C.rel->nr + 1 : 1, 1);
	C.root = dir;
	C.rootlen = strlen(dir);
	if (nftw(dir, check_one, 64, FTW_PHYS) != 0) {
		error("cannot read '%s': %s", dir, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < C.nr; i++)
		if (!C.seen[i]) {
			printf("missing:  %s/%s\n", dir, C.v[i].path);
			C.missing++;
		}
	/* The manifest may name a path twice (go.mod and _go.mod): seen once
	 * is seen. */
	for (size_t i = 1; C.rel && i < C.rel->nr; i++)
		if (!strcmp(C.rel->v[i].path, C.rel->v[i - 1].path))
			C.rseen[i] = C.rseen[i - 1] = C.rseen[i] | C.rseen[i - 1];
	for (size_t i = 0; C.rel && i < C.rel->nr; i++)
		if (!C.rseen[i] && !check_find(C.rel->v[i].path)) {
			printf("missing:  %s/%s\n", dir, C.rel->v[i].path);
			C.missing++;
		}
	printf("%s: goinstr toolchain, %s %s, release manifest %s: %lu files checked: "
	       "%lu match, %lu differ, %lu missing; %lu extra, %lu writable by others\n",
	       dir, go.buf, what.buf, rel.buf, C.ok + C.differ, C.ok, C.differ, C.missing,
	       C.extra, C.writable);
	ret = (int)(C.differ + C.missing + C.extra + C.writable);
out:
	free(C.v);
	free(C.seen);
	free(C.rseen);
	free(ver);
	free(goos);
	free(goarch);
	manifest_release(&man);
	strbuf_release(&p);
	strbuf_release(&text);
	strbuf_release(&go);
	strbuf_release(&rel);
	strbuf_release(&what);
	return ret;
}
