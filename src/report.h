/*
 * report.h - aggregate goinstr logs into a table of distinct sites.
 *
 * A site is where an operation happens: for an unsafe event the wrapped
 * expression (site.file:line:col, its inventory id), for a reflect event
 * the caller's line. Its location key, "OP FILE:LINE" or "OP FILE:LINE:COL",
 * names it for people; its baseline key (bkey), "OP FUNC" or "OP FUNC
 * EXPR", with " #N" for the N-th site of one function with the same key,
 * is what --baseline compares: it survives lines that move.
 *
 * Memory grows with distinct sites, call edges and binaries (plus at most
 * REPORT_MAX_PIDS small process entries), never with the number or the
 * size of lines: each line is scanned in place and only counted unless its
 * site is new, and no field is kept longer than REPORT_MAX_FIELD bytes.
 *
 * Processes: a schema 2 header names its process by (pid, start); the
 * copies of it that start each rotated file count once. Modules: the
 * module whose path is the longest prefix of a package, from the header's
 * main module and deps (schema 2), else `go version -m BINARY` (once per
 * binary), else BINARY.sites.jsonl (written by goinstr build), else the
 * --sites inventories; std packages (first path element without a dot)
 * are "std@GOVERSION"; else the site's file path (modpath.h: module
 * cache, vendor/modules.txt); else "unknown".
 *
 * The parts, each with its header: report.c (logs in, sites and edges,
 * finishing, the module -> package -> op table), report_key (the tables'
 * keys), report_modules (a site's module), report_procs (processes and
 * the parts of their logs), report_inv (--sites inventories and coverage),
 * report_rotated (the files a LOG stands for).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#include "report_types.h"

void report_init(struct report *r);
void report_release(struct report *r);

/*
 * Read one log (plain or gzip; "-": standard input). Bad lines (not JSON,
 * torn, too long, truncated, not goinstr's, a number out of range, newer
 * schema) are reported on stderr as "goinstr: FILE:LINE: reason" (up to
 * diag_max of them in all), counted in r->skipped and otherwise ignored; a
 * torn line (a write cut short, the next line appended to it) is read
 * again from where the next line starts. 0, or -1 (reported) if the file
 * cannot be read.
 */
int report_add_log(struct report *r, const char *path);
/* The same for len bytes at data, named name in diagnostics. */
int report_add_mem(struct report *r, const char *name, const void *data, size_t len);

/* Sort sites and edges, give each site its baseline key and mark executed
 * inventory sites. Call once, after the last add. */
void report_finish(struct report *r);

/* The module -> package -> op table: each level most events first, then
 * by name. Names point into r's sites (valid while r is). Free with
 * report_groups_free. */
struct rgroup {
	const char *name, *cat; /* cat: ops only */
	unsigned long long events, sites;
	struct rgroup *kids;
	size_t nkids;
};
struct rgroup *report_groups(const struct report *r, size_t *n);
void report_groups_free(struct rgroup *g, size_t n);

/* The --sites inventories and coverage: report_inv.h. */

#endif
