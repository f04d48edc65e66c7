/*
 * inventory.h - list the sites of a build's packages: every
 * instrumented or found site, one JSON object per line. Reflect entry
 * points (from the rewrite of package reflect) and, for each package
 * outside the standard library in the --unsafe scope, its unsafe sites,
 * constants, sites left unwrapped and blind spots (calls into C,
 * functions not in Go, //go:linkname pulls, packages compiled without
 * their taps), each with the reason.
 *
 * The packages are the plan's (plan.h: `go list -deps -export` with the
 * user's build flags and patterns and the build's own -overlay and
 * -toolexec), so each package's BuildID names the very compile the build
 * ran: its sites are that compile's record (sitescache.h: cmd_toolexec.c
 * wrote it), so ids match the "site" ids of the log's events. A package with no record (a
 * cleaned cache) is type-checked again with the same helper against the
 * export data go list names. Reflect entries use the op name as id
 * (events carry it as "op").
 *
 * It comes after the plan and the rewriters and uses them (plan.h,
 * rwreflect.h, rwunsafe.h, sitescache.h); none of them uses it.
 */
#ifndef INVENTORY_H
#define INVENTORY_H

#include "goenv.h"
#include "plan.h"
#include "rwreflect.h"
#include "strbuf.h"
#include "util.h"

/* Append the reflect entry points of a rewrite of reflect. */
void inventory_reflect(const struct goenv *env, const struct rwreflect *rw,
		       struct strbuf *out);

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
