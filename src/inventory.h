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

#endif
