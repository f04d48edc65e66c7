/*
 * report.h - aggregate goinstr logs into a table of distinct sites.
 *
 * A site is where an operation happens: for an unsafe event the wrapped
 * expression (site.file:line:col, its inventory id), for a reflect event
 * the caller's line. Its key, "OP FILE:LINE" or "OP FILE:LINE:COL", is
 * what --baseline compares and --allow names. Memory grows with distinct
 * sites, call edges and binaries (plus at most REPORT_MAX_PIDS small
 * pid -> binary entries), never with the number of lines: each line is
 * scanned in place and only counted unless its site is new.
 *
 * Modules: each process's header names its binary; `go version -m BINARY`
 * (once per binary) maps a package to the module with the longest
 * matching path. When the binary is gone, BINARY.sites.jsonl (written by
 * goinstr build) or the --sites inventories do; std packages (first path
 * element without a dot) are "std@GOVERSION".
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "htab.h"

struct rsite {
	char *key;  /* "op file:line[:col]" */
	char *op, *cat, *file, *func, *pkg, *module;
	char *id;     /* unsafe: the inventory id; reflect: NULL */
	char *expr;   /* unsafe: the source text; reflect: NULL */
	char *target; /* first target seen (may be NULL) */
	long long line, col;
	unsigned long long events;
	const char *allow; /* --allow justification, or NULL */
	int is_new;        /* --baseline: not in OLD */
	/* private */
	uint64_t hash;
	char *raw;
	size_t rawlen;
};

/* A dynamic call edge: caller function -> resolved target. */
struct redge {
	char *caller, *op, *target;
	uint64_t hash;
};

/* One build-time site of a --sites inventory. */
struct rinv {
	char *id, *op, *cat, *pkg, *module, *file, *expr;
	long long line, col;
	int wrapped, executed;
};

/* Processes remembered (pid -> binary) before the map starts over. */
#define REPORT_MAX_PIDS 65536

struct report {
	struct rsite **sites; /* after report_finish: sorted by key */
	size_t nsites, asites;
	struct redge **edges; /* after report_finish: sorted */
	size_t nedges, aedges;
	struct rinv **inv; /* --sites, deduplicated by (module, id); after
			    * report_finish sorted by module, file, line, col */
	size_t ninv, ainv;
	unsigned long long events, procs, lines, skipped;
	unsigned long files, skipped_files;
	unsigned long diag_max, diags; /* stderr diagnostics: cap and count */
	/* private */
	struct htab site_ix, edge_ix, pid_ix, bin_ix, inv_ix;
	struct binfo **bins;
	size_t nbins, abins, last_bin; /* last_bin: index + 1, 0 if none */
	void *pkgmap; /* struct pkgset: package -> module from --sites */
	char *keybuf;
	size_t keyalloc;
};

void report_init(struct report *r);
void report_release(struct report *r);

/*
 * Read one log. Bad lines (not JSON, truncated, not goinstr's, newer
 * schema) are reported on stderr as "goinstr: FILE:LINE: reason" (up to
 * diag_max of them in all), counted in r->skipped and otherwise ignored.
 * 0, or -1 (reported) if the file cannot be read.
 */
int report_add_log(struct report *r, const char *path);

/* Read a sites inventory (goinstr build's BIN.sites.jsonl). 0 or -1. */
int report_add_sites(struct report *r, const char *path);

/* Sort sites and edges and mark executed inventory sites. Call once,
 * after the last add. */
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

/* Site coverage per module of the --sites inventories, by module name:
 * found = instrumented (wrapped) sites, executed = those an event names.
 * free() the array. */
struct rcov {
	const char *module;
	size_t found, executed;
};
struct rcov *report_coverage(const struct report *r, size_t *n);

/* One self-contained HTML page (inline CSS and SVG, no script, no URL):
 * totals, a bar chart of events and sites per module, the coverage table
 * with --sites, and the site table. report_html.c. */
void report_html(const struct report *r, FILE *out);

/* Expand a LOG argument to its rotated files, oldest first: LOG.N ...
 * LOG.1, LOG (those that exist; LOG itself always). Strings are owned by
 * the caller (free each). Returns the count. */
size_t report_rotated(const char *log, char ***out);

#endif
