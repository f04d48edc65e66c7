/*
 * report_procs.h - the processes that wrote a report's logs.
 *
 * A schema 2 header names its process by (pid, start): the copies of it
 * that start each later file of the process (its "part" 2, 3, ...) are the
 * same process, counted once in r->procs; schema 1 has no start, and each
 * header is a process. Each process keeps its binary (report_modules.h),
 * the parts of its log read, and the largest count of events its logger
 * dropped (goinstr.limit, added to r->dropped). A process whose log lacks
 * parts goes to r->incomplete (report.h). At most REPORT_MAX_PIDS
 * processes are kept: past it the map starts over. Everything is owned by
 * the report and freed by report_procs_release; nothing here fails.
 */
#ifndef REPORT_PROCS_H
#define REPORT_PROCS_H

#include "logread.h"
#include "report_types.h"

struct binfo;

/* A goinstr.start line. */
void report_proc_header(struct report *r, const struct logline *l);
/* A goinstr.limit line (l->dropped >= 0). */
void report_proc_limit(struct report *r, const struct logline *l);
/* The binary of process pid: its header's, else (header not seen, or
 * forgotten) the last header's; NULL if none. */
struct binfo *report_proc_bin(struct report *r, long long pid);

/* After the last log: r->incomplete complete and sorted. */
void report_procs_finish(struct report *r);
/* Free the processes and r->incomplete. */
void report_procs_release(struct report *r);

#endif
