/*
 * goenv.c - `go env -json` for the toolchain that will build.
 */
#include "goenv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

/* The Go releases goinstr supports: here and nowhere else in the code;
 * and the one an unsupported release's message suggests (GOTOOLCHAIN). */
static const char *const supported[] = { "go1.26", "go1.27" };
static const char suggested[] = "go1.26.8";

/* Whether an executable "go" is in PATH (else run_capture's message,
 * "cannot run 'go'", would not say what goinstr needs). */
static int go_in_path(void)
{
	const char *path = getenv("PATH");
	struct strbuf f = STRBUF_INIT;
	int found = 0;

	for (const char *p = path ? path : ""; !found;) {
		size_t n = strcspn(p, ":");
		strbuf_reset(&f);
		strbuf_addf(&f, "%.*s/go", (int)n, n ? p : ".");
		found = access(f.buf, X_OK) == 0;
		if (!p[n])
			break;
		p += n + 1;
	}
	strbuf_release(&f);
	return found;
}

void goenv_supported_releases(struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(supported) / sizeof(*supported); i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", supported[i]);
}

void goenv_supported_series(struct strbuf *out)
{
	size_t n = sizeof(supported) / sizeof(*supported);

	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%s%s.x", !i ? "" : i + 1 < n ? ", " : " and ", supported[i]);
}

static char *get(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

int goenv_load(struct goenv *env)
{
	static const char *const argv[] = {
		"go", "env", "-json", "GOROOT", "GOVERSION", "GOOS", "GOARCH",
		"GOMODCACHE", "GOFLAGS", "GOHOSTOS", "GOHOSTARCH", NULL
	};
	struct strbuf out = STRBUF_INIT;
	json_error_t jerr;
	json_t *o = NULL;
	int ret = 0, st;

	memset(env, 0, sizeof(*env));
	if (!go_in_path()) {
		struct strbuf list = STRBUF_INIT;
		goenv_supported_releases(&list);
		error("no 'go' command in PATH: goinstr builds with Go (%s; https://go.dev/dl/)",
		      list.buf);
		strbuf_release(&list);
		return -1;
	}
	st = run_capture(argv, NULL, &out);
	if (st < 0) {
		ret = -1; /* cannot run 'go': reported */
		goto out;
	}
	if (st) {
		ret = error("'go env' failed (exit status %d)", st);
		goto out;
	}
	o = json_loadb(out.buf, out.len, 0, &jerr);
	if (!o) {
		ret = error("cannot parse the output of 'go env -json': %s", jerr.text);
		goto out;
	}
	env->goroot = get(o, "GOROOT");
	env->version = get(o, "GOVERSION");
	env->goos = get(o, "GOOS");
	env->goarch = get(o, "GOARCH");
	env->hostos = get(o, "GOHOSTOS");
	env->hostarch = get(o, "GOHOSTARCH");
	env->gomodcache = get(o, "GOMODCACHE");
	env->goflags = get(o, "GOFLAGS");
	if (!env->goflags)
		env->goflags = xstrdup("");
	env->gocmd = xstrdup("go");
	if (!env->goroot || !*env->goroot || !env->version || !env->goos || !env->goarch)
		ret = error("'go env' did not report GOROOT, GOVERSION, GOOS and GOARCH");
	else if (!env->hostos || !env->hostarch) { /* not a cross build, then */
		free(env->hostos), free(env->hostarch);
		env->hostos = xstrdup(env->goos);
		env->hostarch = xstrdup(env->goarch);
	}
out:
	json_decref(o);
	strbuf_release(&out);
	if (ret)
		goenv_release(env);
	return ret;
}

void goenv_release(struct goenv *env)
{
	free(env->goroot);
	free(env->version);
	free(env->goos);
	free(env->goarch);
	free(env->hostos);
	free(env->hostarch);
	free(env->gomodcache);
	free(env->goflags);
	free(env->gocmd);
	for (size_t i = 0; i < sizeof(env->env_vars) / sizeof(*env->env_vars); i++)
		free(env->env_vars[i]);
	free(env->modcache_trim);
	memset(env, 0, sizeof(*env));
}

int goenv_check_supported(const struct goenv *env)
{
	const char *v = env->version;
	struct strbuf list = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(supported) / sizeof(*supported); i++) {
		size_t n = strlen(supported[i]);
		/* go1.26, go1.26.8, go1.26rc1: not go1.260 */
		if (!strncmp(v, supported[i], n) &&
		    (v[n] == '\0' || v[n] == '.' || v[n] == 'r' || v[n] == ' '))
			return 0;
	}
	goenv_supported_releases(&list);
	error("unsupported Go release '%s' at '%s': goinstr supports %s; get one with "
	      "GOTOOLCHAIN=%s (the go command downloads it) or from https://go.dev/dl/",
	      v, env->goroot, list.buf, suggested);
	strbuf_release(&list);
	return -1;
}

int goenv_main_dirs(const struct goenv *env, const char *scope, struct strbuf *out)
{
	const char *cmd[] = { env->gocmd, "list", "-m", "-f", "{{.Dir}}", NULL };

	size_t at = out->len;

	if (!strcmp(scope, "all") || !strcmp(scope, "none"))
		return 0;
	if (run_capture(cmd, env->childenv, out) != 0)
		return error("'go list -m' failed: --unsafe=%s needs a main module", scope);
	/* Without a go.mod the go command answers with an empty directory:
	 * main would wrap nothing, deps everything. */
	if (!out->buf[at + strspn(out->buf + at, "\n")])
		return error("--unsafe=%s needs a main module: 'go list -m' names none "
			     "(no go.mod in or above the current directory)", scope);
	return 0;
}

/* objabi.hasPathPrefix: t is s, or s's prefix before a separator. */
static int has_path_prefix(const char *s, size_t ns, const char *t, size_t nt)
{
	size_t i;

	if (nt > ns)
		return 0;
	for (i = 0; i < nt; i++) {
		int cs = (unsigned char)s[i], ct = (unsigned char)t[i];
		cs = cs >= 'A' && cs <= 'Z' ? cs + ('a' - 'A') : cs == '\\' ? '/' : cs;
		ct = ct >= 'A' && ct <= 'Z' ? ct + ('a' - 'A') : ct == '\\' ? '/' : ct;
		if (cs != ct)
			return 0;
	}
	return i >= ns || s[i] == '/' || s[i] == '\\';
}

void go_trimpath(const char *file, const char *rewrites, struct strbuf *out)
{
	size_t nf = strlen(file);

	for (const char *r = rewrites; r && *r;) {
		const char *end = strchr(r, ';'), *arrow = NULL;
		size_t n = end ? (size_t)(end - r) : strlen(r);
		for (const char *a = r; a + 1 < r + n; a++) /* the last "=>" */
			if (a[0] == '=' && a[1] == '>')
				arrow = a;
		size_t np = arrow ? (size_t)(arrow - r) : n;
		if (np && has_path_prefix(file, nf, r, np)) {
			const char *rep = arrow ? arrow + 2 : "";
			size_t nrep = arrow ? n - np - 2 : 0;
			if (nf == np)
				strbuf_add(out, rep, nrep);
			else if (!nrep)
				strbuf_addstr(out, file + np + 1);
			else {
				strbuf_add(out, rep, nrep);
				strbuf_addstr(out, file + np);
			}
			return;
		}
		r += n + (end != NULL);
	}
	strbuf_addstr(out, file);
}

void go_trimpath_rewrite(const char *dir, const char *importpath, const char *modpath,
			 const char *version, struct strbuf *out)
{
	size_t nm = strlen(modpath);

	strbuf_addf(out, "%s=>", dir);
	if (*version) {
		strbuf_addf(out, "%s@%s", modpath, version);
		/* strings.TrimPrefix(importPath, m.Path) */
		strbuf_addstr(out, !strncmp(importpath, modpath, nm) ? importpath + nm : importpath);
	} else {
		strbuf_addstr(out, importpath);
	}
}

int goenv_target_logs(const struct goenv *env, int warn)
{
	int logs = !strcmp(env->goos, "linux");

	if (!logs && warn)
		warning("target %s/%s: its binaries will not log (goinstr logs on linux only)",
			env->goos, env->goarch);
	return logs;
}
