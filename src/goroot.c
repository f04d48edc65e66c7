/*
 * goroot.c - build from a GOROOT that lives in the module cache (see
 * goroot_prepare in goenv.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goenv.h"
#include "util.h"

/* The module cache's other name: the same directory, through the root. */
static const char alias_prefix[] = "/proc/self/root";

/* a and b name the same existing file or directory. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/*
 * Whether the go command in PATH runs from goroot itself, or was told to
 * by a GOROOT in the environment: else it switched to that toolchain
 * (GOTOOLCHAIN, a go.mod's go or toolchain line), and the switch set
 * GOROOT for it.
 */
static int runs_without_switch(const char *goroot)
{
	const char *user = getenv("GOROOT"), *path = getenv("PATH");
	struct strbuf go = STRBUF_INIT, mine = STRBUF_INIT;
	int same = 0;

	if (user && *user && same_file(user, goroot))
		return 1;
	strbuf_addf(&mine, "%s/bin/go", goroot);
	/* the first go in PATH, as execvp(3) and the shell find it */
	for (const char *p = path ? path : "";;) {
		size_t n = strcspn(p, ":");
		strbuf_reset(&go);
		strbuf_addf(&go, "%.*s/go", n ? (int)n : 1, n ? p : "."); /* "": . */
		if (access(go.buf, X_OK) == 0) {
			same = same_file(go.buf, mine.buf);
			break;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	strbuf_release(&go);
	strbuf_release(&mine);
	return same;
}

static const char *own(struct goenv *env, int i, struct strbuf *sb)
{
	env->env_vars[i] = strbuf_detach(sb, NULL);
	return env->env_vars[i];
}

int goroot_prepare(struct goenv *env)
{
	struct strbuf mc = STRBUF_INIT, alias = STRBUF_INIT, sb = STRBUF_INIT;
	int n = 0;

	if (!path_within(env->goroot, env->gomodcache))
		return 0;
	/* -trimpath matches whole path elements: no final slash */
	strbuf_addstr(&mc, env->gomodcache);
	while (mc.len > 1 && mc.buf[mc.len - 1] == '/')
		strbuf_setlen(&mc, mc.len - 1);
	strbuf_addf(&alias, "%s%s", alias_prefix, mc.buf);
	if (mc.buf[0] != '/' || !same_file(alias.buf, mc.buf)) {
		error("cannot reach the module cache '%s' as '%s' (is /proc mounted?): "
		      "the go command refuses overlays for the GOROOT '%s' beneath it",
		      mc.buf, alias.buf, env->goroot);
		strbuf_release(&mc);
		strbuf_release(&alias);
		return -1;
	}
	strbuf_addf(&sb, "%s=>%s", alias.buf, mc.buf);
	env->modcache_trim = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "GOMODCACHE=%s", alias.buf);
	env->childenv[n] = own(env, n, &sb), n++;
	if (!runs_without_switch(env->goroot)) {
		strbuf_addf(&sb, "GOROOT=%s", env->goroot);
		env->childenv[n] = own(env, n, &sb), n++;
		/* the release alone: GOVERSION may carry " X:experiments" */
		strbuf_addf(&sb, "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=%.*s",
			    (int)strcspn(env->version, " "), env->version);
		env->childenv[n] = own(env, n, &sb), n++;
		free(env->gocmd);
		strbuf_addf(&sb, "%s/bin/go", env->goroot);
		env->gocmd = strbuf_detach(&sb, NULL);
	}
	env->childenv[n] = NULL;
	strbuf_release(&mc);
	strbuf_release(&alias);
	return 0;
}
