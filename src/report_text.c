/*
 * report_text.c - goinstr report's text format: the module -> package ->
 * op table with the coverage table, or with --baseline/--policy the
 * gate's lines; and the processes whose logs lack parts, on stderr.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_inv.h"
#include "report_fmt.h"
#include "strbuf.h"
#include "util.h"

void report_put_field(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addterm(&sb, s);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* printf("%*s%-*s", indent, "", width, s) with s as strbuf_addterm. */
static void put_cell(int indent, int width, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addterm(&sb, s);
	printf("%*s%-*s", indent, "", width, sb.buf);
	strbuf_release(&sb);
}

/* "part 1", "parts 1-3, 7" (", and more" when not all are known). */
static void parts_text(struct strbuf *out, const struct rincomplete *ic)
{
	int many = ic->nmissing > 1 || ic->more ||
		   (ic->nmissing && ic->missing[0].first != ic->missing[0].last);

	strbuf_addstr(out, many ? "parts " : "part ");
	for (size_t i = 0; i < ic->nmissing; i++) {
		const struct rpart *p = &ic->missing[i];
		strbuf_addf(out, "%s%llu", i ? ", " : "", p->first);
		if (p->last != p->first)
			strbuf_addf(out, "-%llu", p->last);
	}
	if (ic->more)
		strbuf_addstr(out, ic->nmissing ? ", and more" : "between those read");
}

/*
 * On stderr, each process whose log lacks parts before the last one read
 * (rotation removed them, or they were not named): what the report
 * counts is not all it did. At most diag_max lines, then how many more.
 */
void report_text_incomplete(const struct report *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;

	for (size_t i = 0; i < r->nincomplete && shown < r->diag_max; i++, shown++) {
		const struct rincomplete *ic = &r->incomplete[i];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "process %lld (", ic->pid);
		strbuf_addterm(&sb, *ic->exe ? ic->exe : "?");
		strbuf_addstr(&sb, ", started ");
		strbuf_addterm(&sb, ic->start);
		strbuf_addstr(&sb, "): ");
		parts_text(&sb, ic);
		strbuf_addstr(&sb, " of its log not read (rotated away, or not named)");
		error("%s", sb.buf);
	}
	if (r->incomplete_procs > shown)
		error("%llu more process%s with parts of their logs not read",
		      r->incomplete_procs - shown, PLURAL_ES(r->incomplete_procs - shown));
	strbuf_release(&sb);
}

static void print_coverage_text(const struct report *r)
{
	size_t n;
	struct rcov *c = report_coverage(r, &n);

	printf("\n%-47s %8s %8s %8s %8s\n", "COVERAGE (--sites)", "FOUND", "EXECUTED", "UNSEEN",
	       "PERCENT");
	for (size_t i = 0; i < n; i++) {
		put_cell(0, 47, c[i].module);
		printf(" %8zu %8zu %8zu %7.1f%%\n", c[i].found, c[i].executed, c[i].blind,
		       report_percent(&c[i]));
	}
	printf("(UNSEEN: blind spots, not instrumented: calls into C, functions not in Go,\n"
	       " linkname pulls into the runtime, unsafe operations left unwrapped; counted\n"
	       " as not executed)\n");
	free(c);
	printf("\nnever executed:\n");
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *v = r->inv[i];
		if (!v->wrapped || v->executed)
			continue;
		printf("  ");
		report_put_field(v->module);
		printf("  ");
		report_put_field(v->op);
		putchar(' ');
		report_put_field(v->file);
		printf(":%lld", v->line);
		if (strncmp(v->op, "unsafe.", 7) == 0) {
			printf(":%lld  ", v->col);
			report_put_field(v->expr);
		}
		printf("\n");
	}
}

static void print_text(const struct report *r)
{
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	printf("%llu event%s at %zu site%s, %llu process%s, %lu file%s", r->events,
	       PLURAL(r->events), r->nsites, PLURAL(r->nsites), r->procs, PLURAL_ES(r->procs),
	       r->files, PLURAL(r->files));
	if (r->dropped)
		printf(", %llu event%s over the logger's limit not logged", r->dropped,
		       PLURAL(r->dropped));
	if (r->skipped)
		printf(", %llu line%s skipped", r->skipped, PLURAL(r->skipped));
	if (r->unread_files)
		printf(", %lu rotated file%s not read", r->unread_files, PLURAL(r->unread_files));
	if (r->missing_parts)
		printf(", %llu part%s of %llu %s logs not read", r->missing_parts,
		       PLURAL(r->missing_parts), r->incomplete_procs,
		       r->incomplete_procs == 1 ? "process's" : "processes'");
	printf("\n\n%-56s %8s %8s\n", "MODULE / PACKAGE / OP", "EVENTS", "SITES");
	for (size_t i = 0; i < n; i++) {
		put_cell(0, 56, g[i].name);
		printf(" %8llu %8llu\n", g[i].events, g[i].sites);
		for (size_t j = 0; j < g[i].nkids; j++) {
			const struct rgroup *p = &g[i].kids[j];
			put_cell(2, 54, p->name);
			printf(" %8llu %8llu\n", p->events, p->sites);
			for (size_t k = 0; k < p->nkids; k++) {
				put_cell(4, 52, p->kids[k].name);
				printf(" %8llu %8llu\n", p->kids[k].events, p->kids[k].sites);
			}
		}
	}
	report_groups_free(g, n);
	if (r->ninv)
		print_coverage_text(r);
}

/* "KEY at FILE:LINE[:COL] (MODULE)": the baseline key, then where. */
static void put_site(const struct rsite *s)
{
	report_put_field(s->bkey);
	printf(" at ");
	report_put_field(s->file);
	printf(":%lld", s->line);
	if (s->col > 0)
		printf(":%lld", s->col);
	printf(" (");
	report_put_field(s->module);
	putchar(')');
}

static void print_baseline(const struct report *r)
{
	size_t fresh = 0, allowed = 0, denied = 0, targets = 0;

	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		if (s->deny) {
			printf("denied: ");
			put_site(s);
			printf(": ");
			report_put_field(s->deny);
			putchar('\n');
			denied++;
		}
		if (!s->is_new || s->deny)
			continue;
		printf(s->allow ? "allowed: " : "new: ");
		put_site(s);
		if (s->allow) {
			printf(": ");
			report_put_field(s->allow);
			allowed++;
		} else {
			fresh++;
		}
		putchar('\n');
	}
	for (size_t i = 0; i < r->nnew_targets; i++) {
		const struct rnewtarget *t = &r->new_targets[i];
		printf(t->deny ? "denied target: " : t->allow ? "allowed target: " : "new target: ");
		report_put_field(t->site->bkey);
		printf(" -> ");
		report_put_field(t->edge->target);
		printf(" (");
		report_put_field(t->site->module);
		putchar(')');
		if (t->deny || t->allow) {
			printf(": ");
			report_put_field(t->deny ? t->deny : t->allow);
		}
		targets += !t->allow;
		putchar('\n');
	}
	for (size_t i = 0; i < r->ngone; i++) {
		printf("gone: ");
		report_put_field(r->gone[i].key);
		printf(" at ");
		report_put_field(r->gone[i].where);
		printf(" (");
		report_put_field(r->gone[i].module);
		printf(")\n");
	}
	printf("%zu new sites, %zu allowed", fresh, allowed);
	if (denied)
		printf(", %zu denied", denied);
	if (r->nnew_targets)
		printf(", %zu new targets", targets);
	if (r->ngone)
		printf(", %zu gone", r->ngone);
	putchar('\n');
}

void report_write_text(const struct report_view *v)
{
	if (v->gate)
		print_baseline(v->r);
	else
		print_text(v->r);
}
