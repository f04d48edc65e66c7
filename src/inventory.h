/*
 * inventory.h - the sites inventory: every instrumented or found site of a
 * build, one JSON object per line. Reflect entry points (from the rewrite
 * of package reflect) and, for each package outside the standard library
 * in the --unsafe scope, its unsafe sites, constants, sites left
 * unwrapped and //go:linkname pulls, with the reason.
 *
 * The packages come from `go list -deps` with the user's build flags and
 * patterns; the unsafe sites from rwunsafe, the same code the compile-time
 * rewrite runs, so ids match the "site" ids of the log's events. Reflect
 * entries use the op name as id (events carry it as "op").
 */
#ifndef INVENTORY_H
#define INVENTORY_H

#include "goenv.h"
#include "rwreflect.h"
#include "strbuf.h"

/* Append the reflect entry points of a rewrite of reflect. */
void inventory_reflect(const struct goenv *env, const struct rwreflect *rw,
		       struct strbuf *out);
/*
 * Append the sites of the packages outside the standard library. args:
 * the go command's flags and packages as the user gave them (-o and its
 * value are skipped); scope: --unsafe; mains: newline-separated main
 * module directories. 0 or -1 (reported).
 */
int inventory_unsafe(const struct goenv *env, const char *scope, const char *mains,
		     int argc, const char **args, struct strbuf *out);

/*
 * The sites of one source file as inventory lines are remembered in
 * goinstr's cache (sitescache.h) under a key of all they depend on: the
 * file's content, its name as the sites give it (its path after the
 * compile's -trimpath rewrites, trim, which may be NULL), whether its
 * language version has generics, and this goinstr. The
 * compile that rewrites a file remembers its sites (cmd_toolexec.c:
 * inventory_remember, with the sites the file added to ru, from first
 * on); an inventory reads them back and rewrites only the files it has
 * none for, so a rebuild's inventory costs what changed.
 */
void inventory_file_key(const char *path, const char *trim, int generics, const char *src,
			size_t len, struct strbuf *key);
struct rwunsafe;
void inventory_remember(const struct rwunsafe *ru, size_t first, const char *path,
			const char *src, size_t len);

/*
 * A package outside the standard library of the build, for plan_packages'
 * callback: its import path, directory, module ("path@version", "" if
 * none), the rewrite of -trimpath (if the flags have it), whether its
 * language version has generics, and its Go files (GoFiles then
 * CgoFiles, absolute, in go list's order).
 */
struct plan_pkg {
	const char *path, *dir, *module;
	/* its compile's -trimpath rewrite under -trimpath, then the module
	 * cache's (goenv.h: modcache_trim), else NULL */
	const char *trim;
	int generics;
	const char **files;
	size_t nfiles;
};

/*
 * Run `go list -deps` with the user's build flags and patterns (as
 * inventory_unsafe takes them) and call fn for each package outside the
 * standard library, in go list's order. 0, -1 (reported), or fn's first
 * nonzero return.
 */
int plan_packages(const struct goenv *env, int argc, const char **args,
		  int (*fn)(const struct plan_pkg *p, void *ctx), void *ctx);

#endif
