/*
 * report_header.c - libFuzzer target: goinstr report's reading of log
 * headers (schema 2: pid, start, part, exe, main, deps) and what follows
 * from them: processes across parts, parts not read, binaries and the
 * modules they name, events attributed to those modules.
 *
 * The input is a small script, one record a line, fields split by tabs,
 * so that the fuzzer spends its time on headers' values rather than on
 * JSON punctuation:
 *
 *	H pid start part exe main deps   a header (main, deps: raw JSON text)
 *	E pid func file line             an event (reflect.New) of process pid
 *	L pid dropped                    a goinstr.limit line
 *	anything else                    the line as it is
 *
 * pid, part, line and dropped go in as written (numbers or not), start,
 * exe, func and file as JSON strings (escaped), main and deps as raw JSON.
 * The binaries headers name are not consulted (use_bins 0). Then the
 * invariants: every text kept is UTF-8 and bounded, what headers add is
 * within report.h's bounds (REPORT_MAX_BINS, REPORT_MAX_MODULES), and
 * the parts said missing are sorted, disjoint ranges before a part read.
 * A failed invariant aborts, which libFuzzer reports as a crash.
 *
 * Built by `make build/fuzz/report_header`; run by tests/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strbuf.h"

#define NEED_TARGET "report_header"
#include "need.h"

/* Field i of the tab-separated record [p, e): start and length. */
static void field(const char *p, const char *e, int i, const char **f, size_t *n)
{
	const char *t;

	for (; i > 0 && p < e; i--) {
		t = memchr(p, '\t', (size_t)(e - p));
		p = t ? t + 1 : e;
	}
	t = memchr(p, '\t', (size_t)(e - p));
	*f = p;
	*n = (size_t)((t ? t : e) - p);
}

/* Field i as a JSON string: quotes, backslashes and controls escaped. */
static void str(struct strbuf *out, const char *p, const char *e, int i)
{
	const char *f;
	size_t n;

	field(p, e, i, &f, &n);
	strbuf_addch(out, '"');
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)f[k];
		if (c == '"' || c == '\\')
			strbuf_addch(out, '\\'), strbuf_addch(out, (char)c);
		else if (c < 0x20)
			strbuf_addf(out, "\\u%04x", c);
		else
			strbuf_addch(out, (char)c);
	}
	strbuf_addch(out, '"');
}

/* Field i as it is (a number, raw JSON); "0" when empty. */
static void raw(struct strbuf *out, const char *p, const char *e, int i, const char *empty)
{
	const char *f;
	size_t n;

	field(p, e, i, &f, &n);
	if (n)
		strbuf_add(out, f, n);
	else
		strbuf_addstr(out, empty);
}

static void record(struct strbuf *log, const char *p, const char *e)
{
	const char *b = p + 1;

	switch (p < e ? *p : 0) {
	case 'H':
		strbuf_addstr(log, "{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":");
		raw(log, b, e, 0, "0");
		strbuf_addstr(log, ",\"start\":");
		str(log, b, e, 1);
		strbuf_addstr(log, ",\"part\":");
		raw(log, b, e, 2, "1");
		strbuf_addstr(log, ",\"exe\":");
		str(log, b, e, 3);
		strbuf_addstr(log, ",\"go\":\"go1.26.8\",\"main\":");
		raw(log, b, e, 4, "{}");
		strbuf_addstr(log, ",\"deps\":");
		raw(log, b, e, 5, "[]");
		strbuf_addch(log, '}');
		break;
	case 'E':
		strbuf_addstr(log, "{\"time\":\"x\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"pid\":");
		raw(log, b, e, 0, "0");
		strbuf_addstr(log, ",\"caller\":{\"func\":");
		str(log, b, e, 1);
		strbuf_addstr(log, ",\"file\":");
		str(log, b, e, 2);
		strbuf_addstr(log, ",\"line\":");
		raw(log, b, e, 3, "1");
		strbuf_addstr(log, "}}");
		break;
	case 'L':
		strbuf_addstr(log, "{\"time\":\"x\",\"msg\":\"goinstr.limit\",\"pid\":");
		raw(log, b, e, 0, "0");
		strbuf_addstr(log, ",\"limit\":1,\"dropped\":");
		raw(log, b, e, 1, "1");
		strbuf_addch(log, '}');
		break;
	default:
		strbuf_add(log, p, (size_t)(e - p));
	}
	strbuf_addch(log, '\n');
}

static void check_incomplete(const struct report *r)
{
	unsigned long long listed = 0;

	need(r->nincomplete <= REPORT_MAX_INCOMPLETE, "too many incomplete processes kept", NULL);
	need(r->nincomplete <= r->incomplete_procs, "incomplete processes not counted", NULL);
	for (size_t i = 0; i < r->nincomplete; i++) {
		const struct rincomplete *ic = &r->incomplete[i];
		unsigned long long prev = 0;

		text(ic->start, 64, "start");
		text(ic->exe, REPORT_MAX_FIELD, "exe");
		need(ic->nmissing > 0 || ic->more, "incomplete process without a missing part", ic->exe);
		for (size_t k = 0; k < ic->nmissing; k++) {
			need(ic->missing[k].first >= 1 && ic->missing[k].first <= ic->missing[k].last,
			     "bad range of missing parts", ic->exe);
			need(k == 0 || ic->missing[k].first > prev + 1, "missing ranges not disjoint",
			     ic->exe);
			prev = ic->missing[k].last;
			listed += ic->missing[k].last - ic->missing[k].first + 1;
		}
	}
	need(listed <= r->missing_parts, "more parts listed than counted missing", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *e = p + size;
	struct strbuf log = STRBUF_INIT;
	struct report r;
	struct rgroup *g;
	size_t ng;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		record(&log, p, nl ? nl : e);
		p = nl ? nl + 1 : e;
	}
	report_init(&r);
	r.diag_max = 0;
	r.use_bins = 0;
	need(!report_add_mem(&r, "fuzz", log.buf, log.len), "report_add_mem failed", NULL);
	report_finish(&r);
	need(r.nbins <= REPORT_MAX_BINS, "more binaries than REPORT_MAX_BINS", NULL);
	need(r.mods_budget.left <= REPORT_MAX_MODULES, "module budget overdrawn", NULL);
	for (size_t i = 0; i < r.nsites; i++) {
		const struct rsite *s = r.sites[i];
		text(s->pkg, REPORT_MAX_FIELD, "package");
		text(s->module, 2 * REPORT_MAX_FIELD + 8, "module");
		text(s->func, REPORT_MAX_FIELD, "func");
		text(s->file, REPORT_MAX_FIELD, "file");
	}
	check_incomplete(&r);
	g = report_groups(&r, &ng);
	report_groups_free(g, ng);
	report_release(&r);
	strbuf_release(&log);
	return 0;
}
