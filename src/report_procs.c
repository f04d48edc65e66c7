/*
 * report_procs.c - the processes that wrote a report's logs
 * (report_procs.h): headers, the parts of each process's log, the
 * processes whose logs lack parts, the events loggers dropped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "logread.h"
#include "report_types.h"
#include "report_modules.h"
#include "report_procs.h"
#include "strbuf.h"
#include "util.h"

/* Parts of a process's log seen (its headers' "part"), as sorted,
 * disjoint ranges: one for a log read whole, one more per gap. */
#define PROC_MAX_RANGES 64

struct proc {
	long long pid;
	uint64_t start; /* hash of the header's "start" (never 0); 0: none */
	size_t bin;     /* index in r->bins, or REPORT_NO_BIN */
	unsigned long long dropped; /* the largest goinstr.limit "dropped" */
	struct rpart *parts; /* NULL: no header with a part yet */
	size_t nparts;
	int parts_full;   /* more than PROC_MAX_RANGES ranges: some not kept */
	char *start_text; /* the header's start, once a part is missing */
};

static void proc_free(struct proc *pe)
{
	if (pe) {
		free(pe->parts);
		free(pe->start_text);
		free(pe);
	}
}

/* Part p seen: added to the ranges (merging neighbours). */
static void parts_add(struct proc *pe, unsigned long long p)
{
	size_t i = 0;

	while (i < pe->nparts && pe->parts[i].last + 1 < p)
		i++;
	if (i < pe->nparts && pe->parts[i].first <= p + 1) { /* touches range i */
		if (p < pe->parts[i].first)
			pe->parts[i].first = p;
		if (p > pe->parts[i].last) {
			pe->parts[i].last = p;
			if (i + 1 < pe->nparts && pe->parts[i + 1].first == p + 1) {
				pe->parts[i].last = pe->parts[i + 1].last;
				memmove(pe->parts + i + 1, pe->parts + i + 2,
					(pe->nparts - i - 2) * sizeof(*pe->parts));
				pe->nparts--;
			}
		}
		return;
	}
	if (pe->nparts == PROC_MAX_RANGES) {
		pe->parts_full = 1;
		return;
	}
	pe->parts = xrealloc(pe->parts, (pe->nparts + 1) * sizeof(*pe->parts));
	memmove(pe->parts + i + 1, pe->parts + i, (pe->nparts - i) * sizeof(*pe->parts));
	pe->parts[i] = (struct rpart){ p, p };
	pe->nparts++;
}

/* Whether parts of pe's log up to the last one seen were not read. */
static int parts_gap(const struct proc *pe)
{
	return pe->nparts && (pe->nparts > 1 || pe->parts[0].first > 1 || pe->parts_full);
}

static int cmp_incomplete(const void *a, const void *b)
{
	const struct rincomplete *x = a, *y = b;
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if ((c = strcmp(x->start, y->start)))
		return c;
	return strcmp(x->exe, y->exe);
}

/*
 * A process whose log misses parts (rotation removed them, or they were
 * not named): recorded in r->incomplete with the parts missing before
 * the last seen, and counted. Past REPORT_MAX_INCOMPLETE processes the
 * list keeps the first in cmp_incomplete's order, whatever the order of
 * the logs.
 */
static void note_incomplete(struct report *r, const struct proc *pe)
{
	struct rincomplete ic = { 0 };
	unsigned long long next = 1;
	size_t at = r->nincomplete;

	if (!parts_gap(pe))
		return;
	r->incomplete_procs++;
	ic.pid = pe->pid;
	ic.start = xstrdup(pe->start_text ? pe->start_text : "");
	ic.exe = xstrdup(report_bin_exe(r, pe->bin));
	ic.more = pe->parts_full;
	ic.missing = xmalloc(pe->nparts * sizeof(*ic.missing));
	for (size_t i = 0; i < pe->nparts; next = pe->parts[i++].last + 1)
		if (pe->parts[i].first > next) {
			ic.missing[ic.nmissing++] = (struct rpart){ next, pe->parts[i].first - 1 };
			r->missing_parts += pe->parts[i].first - next;
		}
	if (r->nincomplete == REPORT_MAX_INCOMPLETE) { /* replace the last, if after ic */
		at = 0;
		for (size_t i = 1; i < r->nincomplete; i++)
			if (cmp_incomplete(&r->incomplete[i], &r->incomplete[at]) > 0)
				at = i;
		if (cmp_incomplete(&ic, &r->incomplete[at]) > 0) {
			free(ic.start), free(ic.exe), free(ic.missing);
			return;
		}
		free(r->incomplete[at].start), free(r->incomplete[at].exe);
		free(r->incomplete[at].missing);
	} else {
		r->incomplete = xrealloc(r->incomplete, (at + 1) * sizeof(*r->incomplete));
		r->nincomplete++;
	}
	r->incomplete[at] = ic;
}

static int eq_pid(const void *item, const void *key)
{
	return ((const struct proc *)item)->pid == *(const long long *)key;
}

/*
 * The entry of the process that has pid now, made if new. Processes grow
 * with the log, not with the sites: past REPORT_MAX_PIDS the map starts
 * over, so memory stays bounded. A forgotten process whose site is new is
 * then taken for the last header's binary, which is right whenever one
 * binary wrote the logs (and a process spanning the start-over may count
 * twice).
 */
static struct proc *proc_get(struct report *r, long long pid, int *made)
{
	uint64_t h = htab_hash(&pid, sizeof(pid));
	size_t slot = htab_slot(&r->pid_ix, h, eq_pid, &pid);
	struct proc *pe = r->pid_ix.v[slot];

	*made = !pe;
	if (pe)
		return pe;
	if (r->pid_ix.nr >= REPORT_MAX_PIDS) {
		for (size_t i = 0; i < r->pid_ix.cap; i++) {
			if (r->pid_ix.v[i])
				note_incomplete(r, r->pid_ix.v[i]);
			proc_free(r->pid_ix.v[i]);
			r->pid_ix.v[i] = NULL;
		}
		r->pid_ix.nr = 0;
		slot = htab_slot(&r->pid_ix, h, eq_pid, &pid);
	}
	pe = xcalloc(1, sizeof(*pe));
	pe->pid = pid;
	pe->bin = r->last_bin ? r->last_bin - 1 : REPORT_NO_BIN;
	htab_put(&r->pid_ix, slot, h, pe);
	return pe;
}

/* The binary of a process: its header's, else (header not seen, or
 * forgotten) the last header's. */
struct binfo *report_proc_bin(struct report *r, long long pid)
{
	uint64_t h = htab_hash(&pid, sizeof(pid));
	struct proc *pe = r->pid_ix.v[htab_slot(&r->pid_ix, h, eq_pid, &pid)];
	size_t bin = pe ? pe->bin : r->last_bin ? r->last_bin - 1 : REPORT_NO_BIN;

	return bin == REPORT_NO_BIN ? NULL : r->bins[bin];
}

/*
 * A header. Schema 2 names its process by (pid, start): the copy that
 * starts each later file the process writes (part 2, 3, ...) is the same
 * process. Schema 1 has no start: each header is a process, as it was.
 */
void report_proc_header(struct report *r, const struct logline *l)
{
	size_t bin = report_bin_index(r, l);
	uint64_t start = l->start.p ? htab_hash(l->start.p, l->start.n) | 1 : 0;
	int made;
	struct proc *pe = proc_get(r, l->pid, &made);

	if (made || !start || pe->start != start) {
		if (!made) /* the pid's earlier process */
			note_incomplete(r, pe);
		r->procs++;
		pe->start = start;
		pe->dropped = 0;
		free(pe->parts);
		pe->parts = NULL;
		pe->nparts = 0;
		pe->parts_full = 0;
		free(pe->start_text);
		pe->start_text = NULL;
	}
	pe->bin = bin;
	r->last_bin = bin + 1;
	if (start && l->part > 0) { /* schema 2: which file of the process this is */
		parts_add(pe, (unsigned long long)l->part);
		if (parts_gap(pe) && !pe->start_text) {
			struct strbuf sb = STRBUF_INIT;
			logread_decode(&l->start, 64, &sb);
			pe->start_text = strbuf_detach(&sb, NULL);
		}
	}
}

/* goinstr.limit: the logger's cap on distinct events was reached, and
 * "dropped" events were not logged since; repeated as it grows. */
void report_proc_limit(struct report *r, const struct logline *l)
{
	int made;
	struct proc *pe = proc_get(r, l->pid, &made);

	if ((unsigned long long)l->dropped > pe->dropped) {
		r->dropped += (unsigned long long)l->dropped - pe->dropped;
		pe->dropped = (unsigned long long)l->dropped;
	}
}

/* The processes still in the map whose logs miss parts, then all of
 * them in one order whatever the order of the logs. */
void report_procs_finish(struct report *r)
{
	for (size_t i = 0; i < r->pid_ix.cap; i++)
		if (r->pid_ix.v[i])
			note_incomplete(r, r->pid_ix.v[i]);
	if (r->nincomplete)
		qsort(r->incomplete, r->nincomplete, sizeof(*r->incomplete), cmp_incomplete);
}

void report_procs_release(struct report *r)
{
	for (size_t i = 0; i < r->pid_ix.cap; i++)
		proc_free(r->pid_ix.v[i]);
	for (size_t i = 0; i < r->nincomplete; i++) {
		free(r->incomplete[i].start);
		free(r->incomplete[i].exe);
		free(r->incomplete[i].missing);
	}
	free(r->incomplete);
}
