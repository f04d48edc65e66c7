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
#include <stdint.h>
#include <stdio.h>

#include "htab.h"
#include "util.h"

/* Bytes of any text a report keeps from a log (a longer one is cut). */
#define REPORT_MAX_FIELD 4096

/* The largest inventory read (after inflating). */
#define REPORT_MAX_INVENTORY (256ull << 20)

struct rsite {
	char *key;  /* location key: "op file:line[:col]" */
	char *bkey; /* baseline key (after report_finish) */
	char *op, *cat, *file, *func, *pkg, *module;
	char *id;     /* unsafe: the inventory id; reflect: NULL */
	char *expr;   /* unsafe: the source text; reflect: NULL */
	char *target; /* first target seen (may be NULL) */
	long long line, col;
	unsigned long long events;
	const char *allow; /* --allow justification (or --policy allow rule, or
			    * //goinstr:allow reason), or NULL */
	const char *deny;  /* --policy: the deny rule that refuses it, or NULL */
	int allow_in_source; /* allow is a //goinstr:allow comment's reason */
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
	int blind; /* not instrumented, and it runs unseen (inventory "blind") */
};

/* Processes remembered (pid -> binary) before the map starts over. */
#define REPORT_MAX_PIDS 65536

/* Parts first..last of a process's log (its headers' "part"). */
struct rpart {
	unsigned long long first, last;
};

/* A process whose log lacks parts before the last one read: rotation
 * removed them (INSTRUMENTATION_LOG_KEEP, logrotate's rotate), or their
 * files were not named. */
struct rincomplete {
	long long pid;
	char *start, *exe; /* its header's start (cut at 64 bytes) and exe */
	struct rpart *missing;
	size_t nmissing;
	int more; /* too many gaps to list them all */
};
#define REPORT_MAX_INCOMPLETE 1000

/*
 * What the modules of binaries may cost, whatever the headers say: one
 * header adds at most REPORT_MAX_HDR_MODULES bytes of module names (the
 * logger writes at most 64 KiB of them), the headers, build information
 * and inventories beside the binaries at most REPORT_MAX_MODULES in all,
 * and the headers of at most REPORT_MAX_BINS distinct binaries are kept.
 * Past a bound, what is left out is not kept (a warning says so) and the
 * packages it would have named fall through to the next source (the
 * --sites inventories, std, unknown).
 */
#define REPORT_MAX_HDR_MODULES (64u << 10)
#define REPORT_MAX_MODULES (8u << 20)
#define REPORT_MAX_BINS 1024

struct modbudget {
	size_t left; /* bytes */
	int cut;     /* something was left out for want of room */
};

/* --baseline's run-time diff (cmd_report.c): a call edge new at a site
 * OLD had (a Value.Call or MethodByName site that reaches a target it
 * never reached), and a site of OLD that no run reached. */
struct rnewtarget {
	const struct rsite *site;
	const struct redge *edge;
	const char *allow; /* --policy: the allow rule's text, or NULL */
	const char *deny;  /* --policy: the deny rule's text (fails the gate), or NULL */
};
struct rgone {
	char *key, *where, *module; /* where: "FILE:LINE[:COL]" */
};

struct report {
	struct rsite **sites; /* after report_finish: sorted by key */
	size_t nsites, asites;
	struct redge **edges; /* after report_finish: sorted */
	size_t nedges, aedges;
	struct rinv **inv; /* --sites, deduplicated by (module, id); after
			    * report_finish sorted by module, file, line, col */
	size_t ninv, ainv;
	struct rnewtarget *new_targets; /* --baseline, sorted by site key */
	size_t nnew_targets;
	struct rgone *gone; /* --baseline, sorted by key */
	size_t ngone;
	unsigned long long events, procs, lines, skipped;
	unsigned long long dropped; /* events over the logger's limit, not logged */
	unsigned long files, skipped_files;
	unsigned long unread_files; /* rotated files beside a LOG not read (cmd_report.c) */
	/* after report_finish: processes missing parts of their logs (the
	 * first REPORT_MAX_INCOMPLETE), how many in all, parts missing */
	struct rincomplete *incomplete;
	size_t nincomplete;
	unsigned long long incomplete_procs, missing_parts;
	unsigned long diag_max, diags; /* stderr diagnostics: cap and count */
	int use_bins; /* consult the binaries and inventories headers name (1) */
	unsigned gzip_ratio; /* gzip input inflates at most this many times (logread.h) */
	/* private */
	struct htab site_ix, edge_ix, pid_ix, bin_ix, inv_ix;
	struct binfo **bins;
	size_t nbins, abins, last_bin; /* last_bin: index + 1, 0 if none */
	void *pkgmap; /* struct pkgset: package -> module from --sites */
	struct modbudget mods_budget; /* REPORT_MAX_MODULES */
	int bins_cut;                 /* a binary past REPORT_MAX_BINS */
	unsigned warned;              /* the warnings above, once each */
	char *keybuf;
	size_t keyalloc;
};

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

/* Read a sites inventory (goinstr build's BIN.sites.jsonl, plain or gzip).
 * 0 or -1 (reported). */
int report_add_sites(struct report *r, const char *path);
/* The same for len bytes at data, named name in messages. */
int report_add_sites_mem(struct report *r, const char *name, const void *data, size_t len);

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

/* Site coverage per module of the --sites inventories, by module name:
 * found = instrumented (wrapped) sites, executed = those an event names.
 * free() the array. */
/*
 * A module's coverage: sites wrapped (found) and executed, and blind
 * spots (not instrumented: calls into C, functions not in Go, operations
 * left unwrapped, packages compiled without their taps). percent is
 * executed over found plus blind: never 100 while something is unseen.
 */
struct rcov {
	const char *module;
	size_t found, executed, blind;
};
double report_percent(const struct rcov *c);
struct rcov *report_coverage(const struct report *r, size_t *n);

/* One self-contained HTML page (inline CSS and SVG, no script, no URL):
 * totals, a bar chart of events and sites per module, the coverage table
 * with --sites, and the site table. report_html.c. */
void report_html(const struct report *r, FILE *out);

#endif
