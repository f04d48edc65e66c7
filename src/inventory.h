/*
 * inventory.h - plan the packages of a build and list their sites: every
 * instrumented or found site, one JSON object per line. Reflect entry
 * points (from the rewrite of package reflect) and, for each package
 * outside the standard library in the --unsafe scope, its unsafe sites,
 * constants, sites left unwrapped and blind spots (calls into C,
 * functions not in Go, //go:linkname pulls, packages compiled without
 * their taps), each with the reason.
 *
 * The packages come from `go list -deps -export` with the user's build
 * flags and patterns and the build's own -overlay and -toolexec, so each
 * package's BuildID names the very compile the build ran: its sites are
 * that compile's record (sitescache.h: cmd_toolexec.c wrote it), so ids
 * match the "site" ids of the log's events. A package with no record (a
 * cleaned cache) is type-checked again with the same helper against the
 * export data go list names. Reflect entries use the op name as id
 * (events carry it as "op").
 */
#ifndef INVENTORY_H
#define INVENTORY_H

#include "goenv.h"
#include "rwreflect.h"
#include "strbuf.h"
#include "util.h"

/* Append the reflect entry points of a rewrite of reflect. */
void inventory_reflect(const struct goenv *env, const struct rwreflect *rw,
		       struct strbuf *out);

/*
 * A package outside the standard library of the build, for
 * plan_packages' callback.
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
 * scope (scope, mains: rwunsafe.h). 0, -1 (reported), or fn's first
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
 * Append the sites of the packages outside the standard library (as
 * plan_packages takes them, test too; helper: goinstr-types, for packages whose
 * compile left no record). 0 or -1 (reported).
 */
int inventory_unsafe(const struct goenv *env, const struct argv *flags, int test,
		     const char *helper, const char *scope, const char *mains, int argc,
		     const char **args, struct strbuf *out);

/*
 * Append the blind spots of an inventory (lines with "blind":true), one
 * "PACKAGE: WHAT" line per package, to out. Returns how many packages.
 */
size_t inventory_blind(const char *inv, size_t len, struct strbuf *out);

#endif
