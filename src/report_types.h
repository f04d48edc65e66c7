/*
 * report_types.h - the data a report builds (report.h): sites, call
 * edges, inventory sites, processes and the bounds on each. Types and
 * limits only: report.c and each part of the report (report_key,
 * report_modules, report_procs, report_inv) share them, and none of the
 * parts needs report.c's functions.
 */
#ifndef REPORT_TYPES_H
#define REPORT_TYPES_H

#include <stddef.h>
#include <stdint.h>

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

#endif
