/*
 * report_line.c - libFuzzer target: goinstr report's log reader and line
 * scanner on any bytes.
 *
 * The input is a log, plain or (when it starts with gzip's magic) gzip:
 * logread splits it into lines, logread_parse scans each, and what
 * report_add_log does with a line follows (headers, processes across
 * rotated parts, sites, edges, the logger's limit, torn lines read again),
 * then report_finish (sorting, baseline keys) and the module table. The
 * binaries and inventories a header names are not consulted (use_bins).
 * Then the invariants every output relies on: each text a report keeps is
 * UTF-8 with no NUL (logread_decode; SARIF is schema-valid only so) and
 * no longer than REPORT_MAX_FIELD. A failed invariant
 * aborts, which libFuzzer reports as a crash.
 *
 * Built by `make build/fuzz/report_line` (clang, -fsanitize=fuzzer,
 * address,undefined); run by tests/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strbuf.h"

#define NEED_TARGET "report_line"
#include "need.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r;
	struct rgroup *g;
	size_t ng;

	report_init(&r);
	r.diag_max = 0;
	r.use_bins = 0;
	need(!report_add_mem(&r, "fuzz", data, size), "report_add_mem failed", NULL);
	report_finish(&r);
	for (size_t i = 0; i < r.nsites; i++) {
		const struct rsite *s = r.sites[i];
		text(s->op, REPORT_MAX_FIELD, "op");
		text(s->cat, REPORT_MAX_FIELD, "cat");
		text(s->file, REPORT_MAX_FIELD, "file");
		text(s->func, REPORT_MAX_FIELD, "func");
		text(s->pkg, REPORT_MAX_FIELD, "package");
		text(s->module, 2 * REPORT_MAX_FIELD + 8, "module");
		text(s->id, REPORT_MAX_FIELD, "id");
		text(s->expr, REPORT_MAX_FIELD, "expr");
		text(s->target, REPORT_MAX_FIELD, "target");
		text(s->key, 0, "location key");
		text(s->bkey, 0, "baseline key");
		need(s->events > 0, "site without events", s->key);
	}
	for (size_t i = 0; i < r.nedges; i++) {
		text(r.edges[i]->caller, REPORT_MAX_FIELD, "edge caller");
		text(r.edges[i]->target, REPORT_MAX_FIELD, "edge target");
	}
	g = report_groups(&r, &ng);
	report_groups_free(g, ng);
	need(r.lines >= r.skipped, "more lines skipped than read", NULL);
	report_release(&r);
	return 0;
}
