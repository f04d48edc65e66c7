/*
 * report_html.c - goinstr report --format html: one page that opens from
 * disk anywhere (CI artifacts, mail) without fetching anything, so the
 * chart is SVG drawn here and the style is inline; there is no script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Text as HTML: markup characters as references, control characters
 * (which HTML does not allow in text) shown as \xNN (C0, DEL) or \u{NNNN}
 * (C1). A report's text is UTF-8 (logread_decode). */
static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\x%02x", (unsigned char)*s);
			} else if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
				   (unsigned char)s[1] <= 0x9f) { /* C1: U+0080..U+009F */
				fprintf(out, "\\u{%04X}", (unsigned char)s[1]);
				s++;
			} else {
				fputc(*s, out);
			}
		}
	}
}

/* One table cell; code: in a <code> (file names, functions, source). */
static void td(FILE *out, const char *s, int code)
{
	fputs(code ? "<td><code>" : "<td>", out);
	esc(out, s);
	fputs(code ? "</code></td>" : "</td>", out);
}

/* A FILE:LINE[:COL] cell (col 0: none). */
static void td_loc(FILE *out, const char *file, long long line, long long col)
{
	fputs("<td><code>", out);
	esc(out, file);
	fprintf(out, ":%lld", line);
	if (col > 0)
		fprintf(out, ":%lld", col);
	fputs("</code></td>", out);
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
	"table{border-collapse:collapse;margin:1em 0}"
	"th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"code{font:12px ui-monospace,monospace}"
	".events{fill:#4a7bd0}.sites{fill:#e08a2c}"
	"svg text{font:12px system-ui,sans-serif;fill:#222}";

/* Bars: events and sites per module, each scaled to its own maximum (events
 * outnumber sites by orders of magnitude). */
static void chart(const struct report *r, FILE *out, const struct rgroup *g, size_t n)
{
	const int label = 320, width = 360, row = 40;
	unsigned long long maxe = 1, maxs = 1;

	for (size_t i = 0; i < n; i++) {
		if (g[i].events > maxe)
			maxe = g[i].events;
		if (g[i].sites > maxs)
			maxs = g[i].sites;
	}
	fprintf(out, "<svg id=\"chart\" role=\"img\" width=\"%d\" height=\"%zu\" "
		"viewBox=\"0 0 %d %zu\">\n", label + width + 80, n * (size_t)row + 30,
		label + width + 80, n * (size_t)row + 30);
	fprintf(out, "<rect class=\"events\" x=\"%d\" y=\"4\" width=\"12\" height=\"10\"/>"
		"<text x=\"%d\" y=\"14\">events</text>", label, label + 16);
	fprintf(out, "<rect class=\"sites\" x=\"%d\" y=\"4\" width=\"12\" height=\"10\"/>"
		"<text x=\"%d\" y=\"14\">distinct sites</text>\n", label + 80, label + 96);
	for (size_t i = 0; i < n; i++) {
		int y = 24 + (int)i * row;
		int we = (int)((double)width * (double)g[i].events / (double)maxe);
		int ws = (int)((double)width * (double)g[i].sites / (double)maxs);

		fprintf(out, "<g class=\"module\" data-module=\"");
		esc(out, g[i].name);
		fprintf(out, "\"><text x=\"0\" y=\"%d\">", y + 16);
		esc(out, g[i].name);
		fprintf(out, "</text>\n<rect class=\"bar events\" data-value=\"%llu\" x=\"%d\" "
			"y=\"%d\" width=\"%d\" height=\"14\"/><text x=\"%d\" y=\"%d\">%llu</text>\n",
			g[i].events, label, y, we > 1 ? we : 1, label + we + 4, y + 12, g[i].events);
		fprintf(out, "<rect class=\"bar sites\" data-value=\"%llu\" x=\"%d\" y=\"%d\" "
			"width=\"%d\" height=\"14\"/><text x=\"%d\" y=\"%d\">%llu</text></g>\n",
			g[i].sites, label, y + 16, ws > 1 ? ws : 1, label + ws + 4, y + 28,
			g[i].sites);
	}
	fputs("</svg>\n", out);
	(void)r;
}

static void coverage(const struct report *r, FILE *out)
{
	size_t n;
	struct rcov *c = report_coverage(r, &n);

	fputs("<h2>Site coverage</h2>\n<table id=\"coverage\"><thead><tr><th>module</th>"
	      "<th>found</th><th>executed</th><th>unseen</th><th>percent</th></tr></thead><tbody>\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr>", out);
		td(out, c[i].module, 0);
		fprintf(out, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%.1f%%</td></tr>\n", c[i].found, c[i].executed, c[i].blind,
			report_percent(&c[i]));
	}
	fputs("</tbody></table>\n<h3>Never executed</h3>\n<table id=\"never\"><thead><tr>"
	      "<th>module</th><th>op</th><th>location</th><th>expression</th></tr></thead>"
	      "<tbody>\n", out);
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *v = r->inv[i];
		if (!v->wrapped || v->executed)
			continue;
		fputs("<tr>", out);
		td(out, v->module, 0);
		td(out, v->op, 0);
		td_loc(out, v->file, v->line, v->col);
		td(out, v->expr, 1);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	free(c);
}

/* The processes whose logs lack parts, and which parts. */
static void incomplete(const struct report *r, FILE *out)
{
	fputs("<h2>Logs not read whole</h2>\n<p>Parts of these processes' logs (before the last "
	      "one read) were not read: rotation removed them, or their files were not named.</p>\n"
	      "<table id=\"incomplete\"><thead><tr><th>pid</th><th>binary</th><th>started</th>"
	      "<th>parts not read</th></tr></thead><tbody>\n", out);
	for (size_t i = 0; i < r->nincomplete; i++) {
		const struct rincomplete *ic = &r->incomplete[i];
		fprintf(out, "<tr><td class=\"n\">%lld</td>", ic->pid);
		td(out, ic->exe, 1);
		td(out, ic->start, 0);
		fputs("<td>", out);
		for (size_t k = 0; k < ic->nmissing; k++) {
			fprintf(out, "%s%llu", k ? ", " : "", ic->missing[k].first);
			if (ic->missing[k].last != ic->missing[k].first)
				fprintf(out, "-%llu", ic->missing[k].last);
		}
		fputs(ic->more ? " and more</td></tr>\n" : "</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

void report_html(const struct report *r, FILE *out)
{
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>goinstr report</title><style>%s</style></head><body>\n", style);
	fprintf(out, "<h1>goinstr report</h1>\n<p id=\"totals\">%llu event%s at %zu site%s, "
		"%llu process%s, %lu file%s, ", r->events, PLURAL(r->events), r->nsites,
		PLURAL(r->nsites), r->procs, PLURAL_ES(r->procs), r->files, PLURAL(r->files));
	if (r->dropped)
		fprintf(out, "%llu event%s over the logger's limit not logged, ", r->dropped,
			PLURAL(r->dropped));
	if (r->unread_files)
		fprintf(out, "%lu rotated file%s not read, ", r->unread_files, PLURAL(r->unread_files));
	if (r->missing_parts)
		fprintf(out, "%llu part%s of %llu %s logs not read, ", r->missing_parts,
			PLURAL(r->missing_parts), r->incomplete_procs,
			r->incomplete_procs == 1 ? "process's" : "processes'");
	fprintf(out, "%llu line%s skipped</p>\n", r->skipped, PLURAL(r->skipped));
	if (r->nincomplete)
		incomplete(r, out);
	fputs("<h2>Events and sites per module</h2>\n", out);
	chart(r, out, g, n);
	report_groups_free(g, n);
	if (r->ninv)
		coverage(r, out);
	fputs("<h2>Sites</h2>\n<table id=\"sites\"><thead><tr><th>module</th><th>package</th>"
	      "<th>op</th><th>location</th><th>function</th><th>target</th><th>events</th>"
	      "</tr></thead><tbody>\n", out);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		fputs("<tr data-site=\"", out);
		esc(out, s->key);
		fputs("\">", out);
		td(out, s->module, 0);
		td(out, s->pkg, 0);
		td(out, s->op, 0);
		td_loc(out, s->file, s->line, s->col);
		td(out, s->func, 1);
		td(out, s->expr ? s->expr : s->target, 1);
		fprintf(out, "<td class=\"n\">%llu</td></tr>\n", s->events);
	}
	fputs("</tbody></table>\n</body></html>\n", out);
}
