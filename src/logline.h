/*
 * logline.h - pick out the fields a report needs from one log line,
 * without building a JSON tree per line. The format is docs/log.md's,
 * which owns it; tests/unit/test_logformat.c checks this against its
 * golden fixture.
 *
 * logread_parse() walks one line as JSON: it checks the structure
 * (strings, escapes, numbers, literals, nesting) and records where the
 * wanted fields are, as spans into the line that are still JSON-escaped.
 * It never allocates. logread_decode() turns a span into text a report
 * can keep and print anywhere: valid UTF-8, no NUL, at most a given size.
 * (They keep the logread_ names they had when logread.c held them.)
 */
#ifndef LOGLINE_H
#define LOGLINE_H

#include <stddef.h>

#include "strbuf.h"

/* The newest log schema this reader understands; a header carrying a
 * larger "schema" is from a newer goinstr. Headers without it are 1. */
#define LOGREAD_SCHEMA 2

/* Bytes of a JSON string's contents, still escaped; p == NULL: absent.
 * For "main" and "deps", the whole JSON value. */
struct span {
	const char *p;
	size_t n;
};

struct logline {
	struct span msg, op, cat, target;
	struct span exe, go, start, main, deps; /* header (start, main, deps: schema 2) */
	long long pid, schema, part;            /* -1 / 1 / 0 when absent */
	long long dropped;                      /* goinstr.limit; -1 when absent */
	struct span caller_func, caller_file;   /* "caller" */
	long long caller_line;
	struct span site_id, site_file, site_expr; /* "site" (unsafe) */
	long long site_line, site_col;
};

/*
 * Parse one line. 0 with *l filled; -1 with *why set to a static reason
 * when the line is not a JSON object; -2 (and *why) when it is, but a
 * number the report reads (pid, schema, part, dropped, caller.line,
 * site.line, site.col) is not an integer from 0 to 2^63-1.
 */
int logread_parse(const char *line, size_t len, struct logline *l, const char **why);

/*
 * Append the text of a span (escapes resolved) to out, at most max bytes
 * of it (max >= 8). Bytes that are not UTF-8, and lone surrogates, become
 * U+FFFD; a NUL (\u0000) stays written "\u0000", so the text is a C
 * string. A longer text is cut at a character boundary and ends with
 * U+2026 "...". Returns 1 if it was cut, else 0. The span must come from
 * logread_parse (its escapes are well formed).
 */
int logread_decode(const struct span *s, size_t max, struct strbuf *out);

#endif
