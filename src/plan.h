/*
 * plan.h - plan the packages of a build: which packages outside the
 * standard library it compiles, their files in the --unsafe scope, their
 * import configuration, language version and -trimpath rewrite. What it
 * plans is what the rewriters (rwunsafe.h, through goinstr-types) and the
 * inventory (inventory.h) take; it depends on neither: planning comes
 * before rewriting.
 *
 * The packages come from `go list -deps -export -compiled` with the
 * user's build flags and patterns and the build's own -overlay and
 * -toolexec, so each package's BuildID names the very compile the build
 * ran (sitescache.h keys its record by it).
 */
#ifndef PLAN_H
#define PLAN_H

#include "goenv.h"
#include "strbuf.h"
#include "util.h"

/*
 * A package outside the standard library of the build, for
 * plan_packages' callback. Everything is owned by plan_packages and valid
 * during the callback only.
 */
struct plan_pkg {
	const char *path, *dir;
	const char *module;    /* "path@version", "" if none */
	const char *aid;       /* its compile's action ID (go list's BuildID), "" if none */
	/* its compile's -trimpath rewrite under -trimpath, then the module
	 * cache's (goenv.h: modcache_trim), else NULL */
	const char *trim;
	const char *lang;      /* its language version ("go1.21"), or NULL */
	struct argv files;     /* its compiled files for goinstr-types: "r=PATH" or "c=PATH" */
	const char *importcfg; /* an import configuration of its imports' export data */
};

/*
 * Run `go list -deps -export -compiled` with the instrumenting flags
 * (flags: -overlay and -toolexec, so the action IDs are the build's, or
 * none), the user's build flags and patterns (args; -o and its value
 * skipped) and, with test, -test; call fn for each package outside the
 * standard library, in go list's order, whose files are in the --unsafe
 * scope (scope, mains: unsafe_in_scope). 0, -1 (reported), or fn's first
 * nonzero return.
 */
int plan_packages(const struct goenv *env, const struct argv *flags, int test, int argc,
		  const char **args, const char *scope, const char *mains,
		  int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx);

/*
 * Run goinstr-types on a package of the plan (rwunsafe.h reads its
 * output, appended to out); list: sites only. Its status, or -1
 * (reported).
 */
int plan_helper(const struct plan_pkg *p, const char *helper, int list, struct strbuf *out);

/*
 * Whether a source file is in the --unsafe scope: "all", "none", or
 * "main"/"deps" judged by the main modules' directories (mains, newline
 * separated): a file under one of them, not in its vendor/, is main.
 * The plan and the compile shim judge files by it alike.
 */
int unsafe_in_scope(const char *scope, const char *mains, const char *path);

#endif
