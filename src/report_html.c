/*
 * report_html.c - goinstr report --format html: one page that opens from
 * disk anywhere (CI artifacts, mail) without fetching anything, so the
 * chart is SVG drawn here and the style is inline; there is no script:
 * the filter by module and op is radio buttons and CSS rules made here.
 * Executed sites come first, then the never-executed ones (with --sites),
 * then the source around each site, file by file, as go tool cover -html
 * shows it: executed sites' lines marked, never-executed sites' too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "htab.h"
#include "strbuf.h"
#include "util.h"

#include "report.h"
#include "report_inv.h"
#include "report_fmt.h"

/* Text as HTML: markup characters as references, control characters
 * (which HTML does not allow in text) shown as \xNN (C0, DEL) or \u{NNNN}
 * (C1). A report's text is UTF-8 (logread_decode). */
static void esc_src(FILE *out, const char *s, int tabs);

static void esc(FILE *out, const char *s)
{
	esc_src(out, s, 0);
}

/* The same; with tabs, a tab stays a tab (source lines in a <pre>). */
static void esc_src(FILE *out, const char *s, int tabs)
{
	for (; s && *s; s++) {
		if (tabs && *s == '\t') {
			fputc('\t', out);
			continue;
		}
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
	"svg text{font:12px system-ui,sans-serif;fill:#222}"
	".filter{margin:.3em 0}.filter label{margin-right:1em}"
	"pre.src{font:12px ui-monospace,monospace;border:1px solid #ccc;padding:4px;overflow-x:auto}"
	"pre.src span{display:block;white-space:pre;tab-size:4}"
	"pre.src .hit{background:#c8f0c8}pre.src .miss{background:#f6c8c8}"
	"pre.src .gap{color:#888}pre.src i{color:#888;font-style:normal}";

/* A bar's width on the chart's one scale: logarithmic (events outnumber
 * sites by orders of magnitude), the same for both bars, so 2 events and
 * 2 sites are bars of one length. */
static double log2_1p(unsigned long long v)
{
	/* log2(1 + v), linear between powers of two: monotone, no libm */
	unsigned long long x = v + 1;
	int k = 0;

	while (k < 63 && (x >> (k + 1)))
		k++;
	return k + ((double)x / (double)(1ull << k) - 1.0);
}

static int bar(int width, unsigned long long v, unsigned long long max)
{
	return (int)((double)width * log2_1p(v) / log2_1p(max));
}

/* Bars: events and sites per module, on one scale. */
static void chart(const struct report *r, FILE *out, const struct rgroup *g, size_t n)
{
	const int label = 320, width = 360, row = 40;
	unsigned long long max = 1;

	for (size_t i = 0; i < n; i++) {
		if (g[i].events > max)
			max = g[i].events;
		if (g[i].sites > max)
			max = g[i].sites;
	}
	fprintf(out, "<svg id=\"chart\" role=\"img\" width=\"%d\" height=\"%zu\" "
		"viewBox=\"0 0 %d %zu\">\n", label + width + 80, n * (size_t)row + 30,
		label + width + 80, n * (size_t)row + 30);
	fprintf(out, "<rect class=\"events\" x=\"%d\" y=\"4\" width=\"12\" height=\"10\"/>"
		"<text x=\"%d\" y=\"14\">events</text>", label, label + 16);
	fprintf(out, "<rect class=\"sites\" x=\"%d\" y=\"4\" width=\"12\" height=\"10\"/>"
		"<text x=\"%d\" y=\"14\">distinct sites (one logarithmic scale)</text>\n",
		label + 80, label + 96);
	for (size_t i = 0; i < n; i++) {
		int y = 24 + (int)i * row;
		int we = bar(width, g[i].events, max), ws = bar(width, g[i].sites, max);

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
	fputs("</tbody></table>\n", out);
	free(c);
}

/* The filter's names: modules and ops, each numbered once (data-m,
 * data-o attributes and the CSS rules refer to the numbers). */
struct names {
	struct argv v;
};

static size_t name_ix(struct names *n, const char *s)
{
	for (size_t i = 0; i < n->v.nr; i++)
		if (!strcmp(n->v.v[i], s))
			return i;
	argv_push(&n->v, s);
	return n->v.nr - 1;
}

static void never(const struct report *r, FILE *out, struct names *mods, struct names *ops)
{
	fputs("<h3>Never executed</h3>\n<table id=\"never\"><thead><tr>"
	      "<th>module</th><th>op</th><th>location</th><th>expression</th></tr></thead>"
	      "<tbody>\n", out);
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *v = r->inv[i];
		if (!v->wrapped || v->executed)
			continue;
		fprintf(out, "<tr data-m=\"%zu\" data-o=\"%zu\">", name_ix(mods, v->module),
			name_ix(ops, v->op));
		td(out, v->module, 0);
		td(out, v->op, 0);
		td_loc(out, v->file, v->line, v->col);
		td(out, v->expr, 1);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
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

/* The radio buttons of one filter group (f: "m" modules, "o" ops) and,
 * into css, the rules that hide the rows and sections of the others. */
static void filter(FILE *out, struct strbuf *css, const char *f, const char *what,
		   const struct names *n)
{
	fprintf(out, "<div class=\"filter\">%s: <input type=\"radio\" name=\"f%s\" id=\"f%s-all\" "
		"checked><label for=\"f%s-all\">all</label>", what, f, f, f);
	for (size_t i = 0; i < n->v.nr; i++) {
		fprintf(out, "<input type=\"radio\" name=\"f%s\" id=\"f%s-%zu\"><label for=\"f%s-%zu\">",
			f, f, i, f, i);
		esc(out, n->v.v[i]);
		fputs("</label>", out);
		strbuf_addf(css, "body:has(#f%s-%zu:checked) [data-%s]:not([data-%s=\"%zu\"])"
			    "{display:none}", f, i, f, f, i);
	}
	fputs("</div>\n", out);
}

/* Source view: the lines around each site of one file. */
#define SRC_CONTEXT 3
#define SRC_MAX_FILE (4u << 20)
#define SRC_MAX_FILES 500

struct mark {
	long long line;
	int hit; /* an executed site on it (else only never-executed ones) */
	size_t m, o;
};

static int cmp_mark(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line ? 1 : y->hit - x->hit;
}

/* Whether the page shows file's source: Go source below the current
 * directory (the checkout, as code scanning's SRCROOT), a regular file
 * not reached through a symlink: a log names any path, and the page may
 * be shared. */
static int shown_file(const char *file, const char *cwd)
{
	struct stat st;
	size_t n = strlen(file);

	return n > 3 && !strcmp(file + n - 3, ".go") && *cwd && path_beneath(file, cwd) &&
	       !strstr(file, "/../") && lstat(file, &st) == 0 && S_ISREG(st.st_mode) &&
	       (size_t)st.st_size <= SRC_MAX_FILE;
}

static void source_file(FILE *out, const char *file, struct mark *mk, size_t nm)
{
	struct strbuf src = STRBUF_INIT;
	const char **lines = NULL;
	size_t nl = 0;
	long long shown = 0;

	qsort(mk, nm, sizeof(*mk), cmp_mark);
	fprintf(out, "<section class=\"src\" data-m=\"%zu\">\n<h3><code>", mk[0].m);
	esc(out, file);
	fputs("</code></h3>\n", out);
	if (strbuf_read_file(&src, file) < 0) {
		fputs("<p>Source not shown: it cannot be read.</p></section>\n", out);
		strbuf_release(&src);
		return;
	}
	for (char *p = src.buf; p < src.buf + src.len || (!nl && !src.len);) {
		char *e = memchr(p, '\n', (size_t)(src.buf + src.len - p));
		lines = xrealloc(lines, (nl + 1) * sizeof(*lines));
		lines[nl++] = p;
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
	}
	fputs("<pre class=\"src\">", out);
	for (size_t i = 0; i < nm; i++) {
		long long from = mk[i].line - SRC_CONTEXT, to = mk[i].line + SRC_CONTEXT;
		if (from < shown + 1)
			from = shown + 1;
		if (from < 1)
			from = 1;
		if (shown && from > shown + 1)
			fputs("<span class=\"gap\">…</span>", out);
		for (long long l = from; l <= to && l <= (long long)nl; l++) {
			const char *cls = "";
			for (size_t k = 0; k < nm; k++)
				if (mk[k].line == l) {
					cls = mk[k].hit ? " class=\"hit\"" : " class=\"miss\"";
					break;
				}
			fprintf(out, "<span%s><i>%5lld</i>  ", cls, l);
			esc_src(out, lines[l - 1], 1);
			fputs("</span>", out);
			shown = l;
		}
	}
	fputs("</pre></section>\n", out);
	free(lines);
	strbuf_release(&src);
}

/* Every file with a site, executed or (with --sites) never executed. */
static void sources(const struct report *r, FILE *out, struct names *mods, struct names *ops)
{
	struct argv files = ARGV_INIT;
	size_t shown = 0, others = 0;
	char cwd[4096];

	for (size_t i = 0; i < r->nsites; i++)
		argv_push(&files, r->sites[i]->file);
	for (size_t i = 0; i < r->ninv; i++)
		if (r->inv[i]->wrapped && !r->inv[i]->executed)
			argv_push(&files, r->inv[i]->file);
	if (files.nr)
		qsort(files.v, files.nr, sizeof(*files.v), cmp_strp);
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	fputs("<h2>Source</h2>\n<p>The lines around each site: <span class=\"hit\">executed"
	      "</span>, <span class=\"miss\">never executed</span>. Files below the directory the "
	      "report ran in only.</p>\n", out);
	for (size_t i = 0; i < files.nr; i++) {
		struct mark *mk = NULL;
		size_t nm = 0;
		if (i && !strcmp(files.v[i], files.v[i - 1]))
			continue;
		if (shown >= SRC_MAX_FILES || !shown_file(files.v[i], cwd)) {
			others++;
			continue;
		}
		for (size_t k = 0; k < r->nsites; k++)
			if (!strcmp(r->sites[k]->file, files.v[i])) {
				mk = xrealloc(mk, (nm + 1) * sizeof(*mk));
				mk[nm++] = (struct mark){ r->sites[k]->line, 1,
							  name_ix(mods, r->sites[k]->module),
							  name_ix(ops, r->sites[k]->op) };
			}
		for (size_t k = 0; k < r->ninv; k++)
			if (r->inv[k]->wrapped && !r->inv[k]->executed &&
			    !strcmp(r->inv[k]->file, files.v[i])) {
				mk = xrealloc(mk, (nm + 1) * sizeof(*mk));
				mk[nm++] = (struct mark){ r->inv[k]->line, 0, name_ix(mods, r->inv[k]->module),
							  name_ix(ops, r->inv[k]->op) };
			}
		source_file(out, files.v[i], mk, nm);
		free(mk);
		shown++;
	}
	if (others)
		fprintf(out, "<p id=\"unshown\">Source not shown for %zu files (outside the "
			"directory the report ran in, or past %d files).</p>\n", others, SRC_MAX_FILES);
	argv_release(&files);
}

/* One self-contained page (inline CSS and SVG, no script, no URL):
 * totals, a bar chart of events and sites per module, the coverage table
 * with --sites, the site table and the source view. */
static void report_html(const struct report *r, FILE *out)
{
	size_t n;
	struct rgroup *g = report_groups(r, &n);
	struct names mods = { ARGV_INIT }, ops = { ARGV_INIT };
	struct strbuf css = STRBUF_INIT;

	/* number the names first: executed sites', then never-executed ones' */
	for (size_t i = 0; i < r->nsites; i++)
		name_ix(&mods, r->sites[i]->module), name_ix(&ops, r->sites[i]->op);
	for (size_t i = 0; i < r->ninv; i++)
		if (r->inv[i]->wrapped && !r->inv[i]->executed)
			name_ix(&mods, r->inv[i]->module), name_ix(&ops, r->inv[i]->op);

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>goinstr report</title><style>%s", style);
	{
		/* the filter's rules go into the head: render them to a buffer */
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		filter(mem, &css, "m", "module", &mods);
		filter(mem, &css, "o", "op", &ops);
		fclose(mem);
		fprintf(out, "%s</style></head><body>\n", css.buf);
		fprintf(out, "<h1>goinstr report</h1>\n<p id=\"totals\">%llu event%s at %zu site%s, "
			"%llu process%s, %lu file%s, ", r->events, PLURAL(r->events), r->nsites,
			PLURAL(r->nsites), r->procs, PLURAL_ES(r->procs), r->files, PLURAL(r->files));
		if (r->dropped)
			fprintf(out, "%llu event%s over the logger's limit not logged, ", r->dropped,
				PLURAL(r->dropped));
		if (r->unread_files)
			fprintf(out, "%lu rotated file%s not read, ", r->unread_files,
				PLURAL(r->unread_files));
		if (r->missing_parts)
			fprintf(out, "%llu part%s of %llu %s logs not read, ", r->missing_parts,
				PLURAL(r->missing_parts), r->incomplete_procs,
				r->incomplete_procs == 1 ? "process's" : "processes'");
		fprintf(out, "%llu line%s skipped</p>\n", r->skipped, PLURAL(r->skipped));
		fputs("<h2>Filter</h2>\n", out);
		fwrite(buf, 1, len, out);
		free(buf);
	}
	if (r->nincomplete)
		incomplete(r, out);
	fputs("<h2>Events and sites per module</h2>\n", out);
	chart(r, out, g, n);
	report_groups_free(g, n);
	fputs("<h2>Executed sites</h2>\n<table id=\"sites\"><thead><tr><th>module</th><th>package</th>"
	      "<th>op</th><th>location</th><th>function</th><th>target</th><th>events</th>"
	      "</tr></thead><tbody>\n", out);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		fprintf(out, "<tr data-m=\"%zu\" data-o=\"%zu\" data-site=\"", name_ix(&mods, s->module),
			name_ix(&ops, s->op));
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
	fputs("</tbody></table>\n", out);
	if (r->ninv) {
		coverage(r, out);
		never(r, out, &mods, &ops);
	}
	sources(r, out, &mods, &ops);
	fputs("</body></html>\n", out);
	argv_release(&mods.v);
	argv_release(&ops.v);
	strbuf_release(&css);
}

void report_write_html(const struct report_view *v)
{
	report_html(v->r, stdout);
}
