/*
 * gotypes.c - build and run goinstr-types (helper/), see gotypes.h.
 */
#include "gotypes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "embedded.h"
#include "hash.h"
#include "manifest.h"
#include "run.h"

#define HELPER_PREFIX "helper/"

/* The environment of the go command that builds the helper: the
 * toolchain's own (env->childenv), for the host, nothing of the user's
 * build settings (the helper has no dependencies). */
/*
 * The helper is built by the release's own go command, $GOROOT/bin/go,
 * with GOROOT set and GOTOOLCHAIN=local: whatever go is in PATH (the
 * installed go1.26 while GOTOOLCHAIN asks for a downloaded go1.27), its
 * go/types must be the compiling release's. Its environment into out.
 */
static void build_env(const struct goenv *env, struct argv *out)
{
	for (const char *const *e = env->childenv; *e; e++)
		argv_push(out, *e);
	argv_pushf(out, "GOROOT=%s", env->goroot);
	argv_push(out, "GOTOOLCHAIN=local");
	argv_push(out, "GOFLAGS=-buildvcs=false");
	argv_pushf(out, "GOOS=%s", env->hostos);
	argv_pushf(out, "GOARCH=%s", env->hostarch);
	argv_push(out, "CGO_ENABLED=0");
	argv_push(out, "GOWORK=off");
	argv_push(out, "GO111MODULE=on");
}

/* Write the embedded helper sources into dir. 0 or -1 (reported). */
static int write_sources(const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	int ret = 0, n = 0;

	for (const struct embedded *e = embedded_files; e->name && !ret; e++) {
		if (strncmp(e->name, HELPER_PREFIX, strlen(HELPER_PREFIX)))
			continue;
		const struct embedded *f = embedded_find(e->name); /* --inject-dir */
		if (!f)
			return -1;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->name + strlen(HELPER_PREFIX));
		ret = write_file(path.buf, f->data, f->len, 0600);
		n++;
	}
	strbuf_release(&path);
	return ret ? ret : n ? 0 : error("goinstr was built without its helper's sources");
}

/* Check one GOROOT file (rel: relative to GOROOT) against m. */
static int check_file(const struct manifest *m, const char *goroot, const char *rel)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", goroot, rel);
	if (strbuf_read_file(&data, path.buf) < 0)
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
	else
		ret = manifest_check(m, goroot, rel, data.buf, data.len);
	strbuf_release(&path);
	strbuf_release(&data);
	return ret;
}

/*
 * Check what building the helper in src reads of GOROOT: the files of
 * its standard-library dependencies and the tools. 0 or -1 (reported).
 */
static int verify_inputs(const struct goenv *env, const char *src, const char *const *cenv)
{
	static const char *const tools[] = { "compile", "link", "asm", NULL };
	struct manifest m = MANIFEST_INIT;
	struct strbuf out = STRBUF_INIT, rel = STRBUF_INIT, gocmd = STRBUF_INIT;
	struct child c = CHILD_INIT;
	size_t glen = strlen(env->goroot);
	int ret = -1, st;

	if (manifest_load(&m, env->version, env->hostos, env->hostarch) < 0)
		goto out;
	strbuf_addf(&gocmd, "%s/bin/go", env->goroot);
	c.argv = (const char *const[]){ gocmd.buf, "list", "-deps", "-f",
		"{{if .Standard}}{{range .GoFiles}}{{$.Dir}}/{{.}}\n{{end}}"
		"{{range .SFiles}}{{$.Dir}}/{{.}}\n{{end}}{{range .HFiles}}{{$.Dir}}/{{.}}\n{{end}}{{end}}",
		".", NULL };
	c.env = cenv;
	c.in = CHILD_NULL;
	c.out = CHILD_CAPTURE, c.out_buf = &out;
	if (chdir(src) < 0) {
		error("cannot enter '%s': %s", src, strerror(errno));
		goto out;
	}
	st = run_child(&c);
	if (st) {
		if (st > 0)
			error("'go list' of goinstr's helper failed (exit status %d)", st);
		goto out;
	}
	ret = 0;
	for (const char *l = out.buf; *l && !ret;) {
		size_t n = strcspn(l, "\n");
		if (n > glen + 1 && !strncmp(l, env->goroot, glen) && l[glen] == '/') {
			strbuf_reset(&rel);
			strbuf_add(&rel, l + glen + 1, n - glen - 1);
			ret = check_file(&m, env->goroot, rel.buf);
		} else if (n) {
			ret = error("goinstr's helper would build from '%.*s', outside GOROOT", (int)n, l);
		}
		l += n + (l[n] == '\n');
	}
	if (!ret)
		ret = check_file(&m, env->goroot, "bin/go");
	for (const char *const *t = tools; *t && !ret; t++) {
		strbuf_reset(&rel);
		strbuf_addf(&rel, "pkg/tool/%s_%s/%s", env->hostos, env->hostarch, *t);
		ret = check_file(&m, env->goroot, rel.buf);
	}
out:
	manifest_release(&m);
	strbuf_release(&out);
	strbuf_release(&gocmd);
	strbuf_release(&rel);
	return ret;
}

int gotypes_build(const struct goenv *env, int trust_goroot, const char *dir)
{
	struct strbuf src = STRBUF_INIT, bin = STRBUF_INIT, out = STRBUF_INIT, gocmd = STRBUF_INIT;
	struct argv cenv = ARGV_INIT;
	struct child c = CHILD_INIT;
	char cwd[4096];
	int ret = -1, st;

	if (!getcwd(cwd, sizeof(cwd)))
		return error("cannot get the working directory: %s", strerror(errno));
	build_env(env, &cenv);
	if (workdir_create(&src) < 0 || write_sources(src.buf) < 0)
		goto out;
	if (!trust_goroot && verify_inputs(env, src.buf, (const char *const *)cenv.v) < 0)
		goto out;
	strbuf_addf(&bin, "%s/goinstr-types", dir);
	strbuf_addf(&gocmd, "%s/bin/go", env->goroot);
	c.argv = (const char *const[]){ gocmd.buf, "build", "-trimpath", "-o", bin.buf, ".", NULL };
	c.env = (const char *const *)cenv.v;
	c.in = CHILD_NULL;
	c.out = c.err = CHILD_CAPTURE;
	c.out_buf = c.err_buf = &out;
	if (chdir(src.buf) < 0) {
		error("cannot enter '%s': %s", src.buf, strerror(errno));
		goto out;
	}
	st = run_child(&c);
	if (st > 0) {
		fwrite(out.buf, 1, out.len, stderr);
		error("cannot build goinstr's helper with %s (exit status %d)", env->version, st);
	}
	ret = st ? -1 : 0;
out:
	if (chdir(cwd) < 0 && !ret)
		ret = error("cannot return to '%s': %s", cwd, strerror(errno));
	if (src.len)
		remove_tree(src.buf);
	argv_release(&cenv);
	strbuf_release(&src);
	strbuf_release(&bin);
	strbuf_release(&out);
	strbuf_release(&gocmd);
	return ret;
}

/* The helper's cache key (gotypes.h). */
static void helper_key(const struct goenv *env, int trust_goroot, struct strbuf *key)
{
	struct sha256 h;

	sha256_init(&h);
	sha256_field(&h, "goinstr-types v1", 16);
	for (const struct embedded *e = embedded_files; e->name; e++)
		if (!strncmp(e->name, HELPER_PREFIX, strlen(HELPER_PREFIX))) {
			const struct embedded *f = embedded_find(e->name);
			sha256_field(&h, e->name, strlen(e->name));
			if (f)
				sha256_field(&h, (const char *)f->data, f->len);
		}
	sha256_field(&h, env->version, strlen(env->version));
	sha256_field(&h, env->goroot, strlen(env->goroot));
	sha256_field(&h, env->hostos, strlen(env->hostos));
	sha256_field(&h, env->hostarch, strlen(env->hostarch));
	sha256_field(&h, trust_goroot ? "trusted" : "verified", trust_goroot ? 7 : 8);
	sha256_hex(&h, key);
}

int gotypes_ensure(const struct goenv *env, int trust_goroot, struct strbuf *path)
{
	struct strbuf key = STRBUF_INIT;
	struct cache_entry e;
	size_t at = path->len;
	int r;

	helper_key(env, trust_goroot, &key);
	/* a sealed entry: checked on every use, so no one can swap the
	 * program every compile runs */
	r = cache_lookup("types", key.buf, &e);
	if (r == 0) {
		cache_entry_release(&e);
		if ((r = cache_begin("types", key.buf, &e)) == 0) {
			fprintf(stderr,
				"goinstr: building its type checker for %s (once per Go release)\n",
				env->version);
			strbuf_addf(path, "%s/goinstr-types", e.tmp.buf);
			/* private, as every file of the cache (go build made it 0755) */
			r = gotypes_build(env, trust_goroot, e.tmp.buf) < 0 ||
					    chmod(path->buf + at, 0700) < 0 || cache_commit(&e) < 0
				    ? -1
				    : 1;
			strbuf_setlen(path, at);
		}
	}
	if (r == 1)
		strbuf_addf(path, "%s/goinstr-types", e.path.buf);
	cache_entry_release(&e);
	strbuf_release(&key);
	return r == 1 ? 0 : -1;
}

int gotypes_run(const char *helper, const char *importcfg, const char *lang,
		const struct argv *files, int list, struct strbuf *out)
{
	struct argv cmd = ARGV_INIT;
	struct strbuf err = STRBUF_INIT;
	struct child c = CHILD_INIT;
	int st;

	argv_push(&cmd, helper);
	argv_pushf(&cmd, "-importcfg=%s", importcfg ? importcfg : "");
	if (lang)
		argv_pushf(&cmd, "-lang=%s", lang);
	if (list)
		argv_push(&cmd, "-list");
	argv_push(&cmd, "--");
	for (size_t i = 0; i < files->nr; i++)
		argv_push(&cmd, files->v[i]);
	c.argv = (const char *const *)cmd.v;
	c.in = CHILD_NULL;
	c.out = CHILD_CAPTURE, c.out_buf = out;
	c.err = CHILD_CAPTURE, c.err_buf = &err;
	st = run_child(&c);
	if (st > 0) /* it crashed: what it said is the reason */
		error("goinstr-types failed (exit status %d): %.*s", st,
		      (int)strcspn(err.buf, "\n"), err.buf);
	argv_release(&cmd);
	strbuf_release(&err);
	return st;
}

int gotypes_directive_file(const char *path, struct strbuf *out)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	int ret = -1;

	if (!f)
		return -1;
	while (ret && fgets(buf, sizeof(buf), f)) {
		char *c1, *c2;
		if (strncmp(buf, "//line ", 7))
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		c2 = strrchr(buf, ':');
		if (c2 && (c1 = memrchr(buf, ':', (size_t)(c2 - buf))) && c1 > buf + 7) {
			strbuf_add(out, buf + 7, (size_t)(c1 - buf - 7));
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}
