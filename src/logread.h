/*
 * logread.h - stream goinstr logs line by line and pick out the fields a
 * report needs, without building a JSON tree per line.
 *
 * logread_file() reads a file with large read(2)s and hands each line
 * (without its '\n') to a callback; memory is one buffer the size of the
 * longest line (at least LOGREAD_CHUNK). logread_parse() walks one line as
 * JSON: it checks the structure (strings, escapes, numbers, literals,
 * nesting) and records where the wanted fields are, as spans into the line
 * that are still JSON-escaped. It never allocates.
 */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <stddef.h>

#include "strbuf.h"

#define LOGREAD_CHUNK (4u << 20)

/* The newest log schema this reader understands; a header carrying a
 * larger "schema" is from a newer goinstr. Headers without it are 1. */
#define LOGREAD_SCHEMA 1

/* Bytes of a JSON string's contents, still escaped; p == NULL: absent. */
struct span {
	const char *p;
	size_t n;
};

struct logline {
	struct span msg, op, cat, target;
	struct span exe, go;                  /* header */
	long long pid, schema;                /* -1 / 1 when absent */
	struct span caller_func, caller_file; /* "caller" */
	long long caller_line;
	struct span site_id, site_file, site_expr; /* "site" (unsafe) */
	long long site_line, site_col;
};

/*
 * Parse one line. Returns 0 with *l filled, or -1 with *why set to a
 * static reason when the line is not a JSON object.
 */
int logread_parse(const char *line, size_t len, struct logline *l, const char **why);

/* Decode a span to a NUL-terminated string appended to out (escapes
 * resolved). 0, or -1 on a malformed escape (logread_parse accepted the
 * line, so only \u sequences that jansson rejects fail). */
int logread_unescape(const struct span *s, struct strbuf *out);

/*
 * Read path and call fn(line, len, lineno, complete, ctx) per line, lineno
 * from 1; complete is 0 for a last line without '\n'. A nonzero return of
 * fn stops the read and is returned. -1 (reported) if the file cannot be
 * read.
 */
int logread_file(const char *path,
		 int (*fn)(const char *line, size_t len, unsigned long lineno, int complete,
			   void *ctx),
		 void *ctx);

#endif
