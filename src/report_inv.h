/*
 * report_inv.h - the --sites inventories of a report (goinstr build's
 * BIN.sites.jsonl): their sites, deduplicated by (module, id), in
 * r->inv; which of them ran; coverage per module. report_add_sites,
 * report_add_sites_mem, report_coverage and report_percent (report.h)
 * are this module's. Everything is owned by the report; nothing here
 * fails.
 */
#ifndef REPORT_INV_H
#define REPORT_INV_H

#include "report.h"

/* After the sites are sorted: r->inv sorted by module, file, line and
 * column, and each inventory site marked executed if an event names it. */
void report_inv_finish(struct report *r);
/* Free r->inv. */
void report_inv_release(struct report *r);

#endif
