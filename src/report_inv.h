/*
 * report_inv.h - the --sites inventories of a report (goinstr build's
 * BIN.sites.jsonl): their sites, deduplicated by (module, id), in
 * r->inv; which of them ran; coverage per module. Everything is owned
 * by the report.
 */
#ifndef REPORT_INV_H
#define REPORT_INV_H

#include "report_types.h"

/* Read a sites inventory (goinstr build's BIN.sites.jsonl, plain or gzip).
 * 0 or -1 (reported). */
int report_add_sites(struct report *r, const char *path);
/* The same for len bytes at data, named name in messages. */
int report_add_sites_mem(struct report *r, const char *name, const void *data, size_t len);

/*
 * Site coverage per module of the --sites inventories, by module name:
 * sites wrapped (found) and executed (an event names them), and blind
 * spots (not instrumented: calls into C, functions not in Go, operations
 * left unwrapped, packages compiled without their taps). percent is
 * executed over found plus blind: never 100 while something is unseen.
 * report_coverage's array: free() it.
 */
struct rcov {
	const char *module;
	size_t found, executed, blind;
};
double report_percent(const struct rcov *c);
struct rcov *report_coverage(const struct report *r, size_t *n);

/* After the sites are sorted: r->inv sorted by module, file, line and
 * column, and each inventory site marked executed if an event names it. */
void report_inv_finish(struct report *r);
/* Free r->inv. */
void report_inv_release(struct report *r);

#endif
