/*
 * report_fmt.h - goinstr report's output formats behind one interface:
 * a table of {name, help, write} rows (report_formats.c) that the
 * command's --format, its validation and its help all read. Each format
 * is one file (report_text.c, report_json.c, report_sarif.c,
 * report_edges.c, report_html.c); adding one is a file and a row.
 * Formats write to standard output; they read the report, never change it.
 */
#ifndef REPORT_FMT_H
#define REPORT_FMT_H

#include <jansson.h>

#include "report.h"

/* The layout of --format json: 2 added baseline keys ("key"), which
 * --baseline compares instead of "site", and totals.dropped_events. */
#define REPORT_JSON_SCHEMA 2

/* What a format is given: the report, and how it was asked for. */
struct report_view {
	const struct report *r;
	int with_baseline; /* --baseline: sites carry is_new */
	int main_only;     /* --main-only (sarif) */
	int gate;          /* --baseline or --policy: text prints the gate's lines */
};

struct report_format {
	const char *name, *help;
	void (*write)(const struct report_view *v);
};

/* The formats, in help order; the first is the default. NULL-terminated. */
extern const struct report_format report_formats[];
/* The row named name, or NULL. */
const struct report_format *report_format_find(const char *name);
/* "text, json, sarif, edges or html" (static storage). */
const char *report_format_names(void);

void report_write_text(const struct report_view *v);
void report_write_json(const struct report_view *v);
void report_write_sarif(const struct report_view *v);
void report_write_edges(const struct report_view *v);
void report_write_html(const struct report_view *v);

/* Shared by the formats: s escaped for a terminal (strbuf_addterm), to
 * standard output; a JSON value to standard output, its non-ASCII line
 * breaking and control characters escaped; o[k] = v unless v is NULL. */
void report_put_field(const char *s);
void report_json_dump(json_t *j);
void report_json_str(json_t *o, const char *k, const char *v);

/* On stderr: each process whose log lacks parts (report_text.c). */
void report_text_incomplete(const struct report *r);

#endif
