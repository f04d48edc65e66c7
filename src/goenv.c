/*
 * goenv.c - `go env -json` for the toolchain that will build.
 */
#include "goenv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char goenv_supported_releases[] = "go1.26, go1.27";

static char *get(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

int goenv_load(struct goenv *env)
{
	static const char *const argv[] = {
		"go", "env", "-json", "GOROOT", "GOVERSION", "GOOS", "GOARCH",
		"GOMODCACHE", NULL
	};
	struct strbuf out = STRBUF_INIT;
	json_error_t jerr;
	json_t *o = NULL;
	int ret = 0, st;

	memset(env, 0, sizeof(*env));
	st = run_capture(argv, &out);
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
	env->gomodcache = get(o, "GOMODCACHE");
	env->gocmd = xstrdup("go");
	if (!env->goroot || !*env->goroot || !env->version || !env->goos || !env->goarch)
		ret = error("'go env' did not report GOROOT, GOVERSION, GOOS and GOARCH");
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
	free(env->gomodcache);
	free(env->gocmd);
	free(env->mirrored_from);
	memset(env, 0, sizeof(*env));
}

int goenv_check_supported(const struct goenv *env)
{
	static const char *const prefixes[] = { "go1.26", "go1.27" };
	const char *v = env->version;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		/* go1.26, go1.26.8, go1.26rc1: not go1.260 */
		if (!strncmp(v, prefixes[i], n) &&
		    (v[n] == '\0' || v[n] == '.' || v[n] == 'r' || v[n] == ' '))
			return 0;
	}
	return error("unsupported Go release '%s' at '%s' (goinstr supports %s)",
		     v, env->goroot, goenv_supported_releases);
}

int goenv_main_dirs(const struct goenv *env, const char *scope, struct strbuf *out)
{
	const char *cmd[] = { env->gocmd, "list", "-m", "-f", "{{.Dir}}", NULL };

	if (!strcmp(scope, "all") || !strcmp(scope, "none"))
		return 0;
	if (run_capture(cmd, out) != 0)
		return error("'go list -m' failed: --unsafe=%s needs a main module", scope);
	return 0;
}
