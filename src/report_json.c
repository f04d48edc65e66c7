/*
 * report_json.c - goinstr report's JSON format (schema REPORT_JSON_SCHEMA,
 * docs/report.md), and the one writer of JSON to standard output that
 * both JSON and SARIF use.
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
#include "version.h"

static json_t *group_json(const struct rgroup *g, size_t n, int level)
{
	static const char *const names[] = { "module", "package", "op" };
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, names[level], json_string(g[i].name));
		if (level == 2)
			json_object_set_new(o, "category", json_string(g[i].cat));
		json_object_set_new(o, "events", json_integer((json_int_t)g[i].events));
		json_object_set_new(o, "sites", json_integer((json_int_t)g[i].sites));
		if (level < 2)
			json_object_set_new(o, level ? "ops" : "packages",
					    group_json(g[i].kids, g[i].nkids, level + 1));
		json_array_append_new(a, o);
	}
	return a;
}

void report_json_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

/* The processes whose logs lack parts: pid, start, exe, the parts
 * missing as [first, last] ranges, and "more" when not all are listed. */
static json_t *incomplete_json(const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nincomplete; i++) {
		const struct rincomplete *ic = &r->incomplete[i];
		json_t *o = json_object(), *m = json_array();
		json_object_set_new(o, "pid", json_integer(ic->pid));
		report_json_str(o, "start", ic->start);
		report_json_str(o, "exe", ic->exe);
		for (size_t k = 0; k < ic->nmissing; k++)
			json_array_append_new(m, json_pack("[II]", (json_int_t)ic->missing[k].first,
							   (json_int_t)ic->missing[k].last));
		json_object_set_new(o, "missing_parts", m);
		if (ic->more)
			json_object_set_new(o, "more", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *totals_json(const struct report *r)
{
	json_t *t = json_object();

	json_object_set_new(t, "events", json_integer((json_int_t)r->events));
	json_object_set_new(t, "sites", json_integer((json_int_t)r->nsites));
	json_object_set_new(t, "processes", json_integer((json_int_t)r->procs));
	json_object_set_new(t, "files", json_integer((json_int_t)r->files));
	json_object_set_new(t, "lines", json_integer((json_int_t)r->lines));
	json_object_set_new(t, "skipped_lines", json_integer((json_int_t)r->skipped));
	json_object_set_new(t, "dropped_events", json_integer((json_int_t)r->dropped));
	json_object_set_new(t, "unread_files", json_integer((json_int_t)r->unread_files));
	json_object_set_new(t, "missing_parts", json_integer((json_int_t)r->missing_parts));
	json_object_set_new(t, "incomplete_processes", json_integer((json_int_t)r->incomplete_procs));
	return t;
}

static json_t *site_json(const struct rsite *s, int with_baseline)
{
	json_t *o = json_object();

	report_json_str(o, "site", s->key);
	report_json_str(o, "key", s->bkey);
	report_json_str(o, "op", s->op);
	report_json_str(o, "category", s->cat);
	report_json_str(o, "module", s->module);
	report_json_str(o, "package", s->pkg);
	report_json_str(o, "func", s->func);
	report_json_str(o, "file", s->file);
	json_object_set_new(o, "line", json_integer(s->line));
	json_object_set_new(o, "col", json_integer(s->col));
	report_json_str(o, "id", s->id);
	report_json_str(o, "expr", s->expr);
	report_json_str(o, "target", s->target);
	json_object_set_new(o, "events", json_integer((json_int_t)s->events));
	if (with_baseline)
		json_object_set_new(o, "new", json_boolean(s->is_new));
	report_json_str(o, "allowed", s->allow);
	report_json_str(o, "denied", s->deny);
	return o;
}

static json_t *edges_json(const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nedges; i++) {
		json_t *o = json_object();
		report_json_str(o, "caller", r->edges[i]->caller);
		report_json_str(o, "target", r->edges[i]->target);
		report_json_str(o, "op", r->edges[i]->op);
		json_array_append_new(a, o);
	}
	return a;
}

/* --baseline's run-time diff against OLD: new targets at its sites, and
 * its sites gone. */
static void diff_json(const struct report *r, json_t *root)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nnew_targets; i++) {
		const struct rnewtarget *t = &r->new_targets[i];
		json_t *o = json_object();
		report_json_str(o, "key", t->site->bkey);
		report_json_str(o, "site", t->site->key);
		report_json_str(o, "module", t->site->module);
		report_json_str(o, "op", t->edge->op);
		report_json_str(o, "caller", t->edge->caller);
		report_json_str(o, "target", t->edge->target);
		report_json_str(o, "allowed", t->allow);
		report_json_str(o, "denied", t->deny);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "new_targets", a);
	a = json_array();
	for (size_t i = 0; i < r->ngone; i++) {
		json_t *o = json_object();
		report_json_str(o, "key", r->gone[i].key);
		report_json_str(o, "site", r->gone[i].where);
		report_json_str(o, "module", r->gone[i].module);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "gone", a);
}

/* The inventory sites of module that were instrumented and never ran. */
static json_t *never_json(const struct report *r, const char *module)
{
	json_t *never = json_array();

	for (size_t k = 0; k < r->ninv; k++) {
		const struct rinv *v = r->inv[k];
		json_t *s;
		if (!v->wrapped || v->executed || strcmp(v->module, module))
			continue;
		s = json_object();
		report_json_str(s, "id", v->id);
		report_json_str(s, "op", v->op);
		report_json_str(s, "package", v->pkg);
		report_json_str(s, "file", v->file);
		json_object_set_new(s, "line", json_integer(v->line));
		json_object_set_new(s, "col", json_integer(v->col));
		report_json_str(s, "expr", v->expr);
		json_array_append_new(never, s);
	}
	return never;
}

/* Coverage per module of the --sites inventories. */
static json_t *coverage_json(const struct report *r)
{
	size_t n;
	struct rcov *c = report_coverage(r, &n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		char pct[32];
		json_object_set_new(o, "module", json_string(c[i].module));
		json_object_set_new(o, "found", json_integer((json_int_t)c[i].found));
		json_object_set_new(o, "executed", json_integer((json_int_t)c[i].executed));
		json_object_set_new(o, "unseen", json_integer((json_int_t)c[i].blind));
		/* Tenths of a percent, as text: no float formatting drift. */
		snprintf(pct, sizeof(pct), "%.1f", report_percent(&c[i]));
		json_object_set_new(o, "percent", json_string(pct));
		json_object_set_new(o, "never_executed", never_json(r, c[i].module));
		json_array_append_new(a, o);
	}
	free(c);
	return a;
}

static json_t *report_json(const struct report *r, int with_baseline)
{
	json_t *root = json_object(), *a;
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	json_object_set_new(root, "report", json_string("goinstr"));
	json_object_set_new(root, "schema", json_integer(REPORT_JSON_SCHEMA));
	json_object_set_new(root, "totals", totals_json(r));
	json_object_set_new(root, "modules", group_json(g, n, 0));
	report_groups_free(g, n);
	a = json_array();
	for (size_t i = 0; i < r->nsites; i++)
		json_array_append_new(a, site_json(r->sites[i], with_baseline));
	json_object_set_new(root, "sites", a);
	json_object_set_new(root, "edges", edges_json(r));
	if (with_baseline)
		diff_json(r, root);
	json_object_set_new(root, "incomplete", incomplete_json(r));
	if (r->ninv)
		json_object_set_new(root, "coverage", coverage_json(r));
	return root;
}

/*
 * The code point a UTF-8 sequence p[0..k) that JSON may hold raw but a
 * terminal or an editor would obey, or 0: C1 controls (U+0080 to U+009F:
 * U+009B starts a terminal command as ESC [ does), the bidirectional
 * overrides and isolates (U+202A to U+202E, U+2066 to U+2069) and the
 * line and paragraph separators (U+2028, U+2029) -- what strbuf_addterm
 * escapes beyond ASCII.
 */
static unsigned json_unsafe_cp(const unsigned char *p, size_t k)
{
	unsigned cp;

	if (k == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
		return p[1];
	if (k != 3 || p[0] != 0xe2)
		return 0;
	cp = 0x2000 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	return (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ? cp : 0;
}

/*
 * Print a JSON document (json and sarif): jansson escapes only what JSON
 * requires, so the characters json_unsafe_cp names are written \uXXXX
 * here. jansson's output is UTF-8 and its structure ASCII: such a
 * sequence can only be inside a string, where the escape means the same.
 */
void report_json_dump(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	const unsigned char *p = (const unsigned char *)(s ? s : "null");
	size_t n = strlen((const char *)p), done = 0;

	for (size_t i = 0; i < n;) {
		size_t k = p[i] < 0x80 ? 1 : utf8_len(p + i, n - i);
		unsigned cp = json_unsafe_cp(p + i, k);

		if (!k)
			k = 1; /* not from jansson: written as it is */
		if (cp) {
			fwrite(p + done, 1, i - done, stdout);
			printf("\\u%04x", cp);
			done = i + k;
		}
		i += k;
	}
	fwrite(p + done, 1, n - done, stdout);
	putchar('\n');
	free(s);
}

void report_write_json(const struct report_view *v)
{
	json_t *j = report_json(v->r, v->with_baseline);
	report_json_dump(j);
	json_decref(j);
}
