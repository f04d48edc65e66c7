/*
 * logread.h - stream goinstr logs (and sites inventories) line by line and
 * pick out the fields a report needs, without building a JSON tree per line.
 * The format it reads is docs/log.md's (the logger in inject/reflect/
 * writes it); a change of the format changes both and that file.
 *
 * logread_file() reads a file or standard input ("-"), logread_mem() bytes
 * in memory; gzip data (RFC 1952, one member or several) is recognized by
 * its magic bytes, whatever the name, and inflated as it is read. Each
 * line (without its '\n') goes to a callback. Memory is one buffer of at
 * most LOGREAD_CHUNK bytes, whatever the input: a line longer than
 * LOGREAD_MAX_LINE is read past, never held whole, and handed over as
 * LOGREAD_TOOLONG.
 *
 * logread_parse() walks one line as JSON: it checks the structure
 * (strings, escapes, numbers, literals, nesting) and records where the
 * wanted fields are, as spans into the line that are still JSON-escaped.
 * It never allocates. logread_decode() turns a span into text a report
 * can keep and print anywhere: valid UTF-8, no NUL, at most a given size.
 */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <stddef.h>

#include "strbuf.h"

#define LOGREAD_CHUNK (4u << 20)
/* The longest line read: the logger's lines are far shorter (strings cut
 * at 64 bytes, expressions at 120, its header's module list cut). */
#define LOGREAD_MAX_LINE (1u << 20)

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

enum logread_kind {
	LOGREAD_LINE,    /* a line */
	LOGREAD_PARTIAL, /* the last line, without its '\n' */
	LOGREAD_TOOLONG, /* a line longer than LOGREAD_MAX_LINE: line is NULL,
			  * len its length (up to the end of the input) */
	LOGREAD_BADGZ,   /* the gzip data is corrupt or cut short: line is NULL,
			  * nothing after it is read */
};

typedef int logread_fn(const char *line, size_t len, unsigned long lineno,
		       enum logread_kind kind, void *ctx);

/* Open only a regular file, never through a symlink, without blocking (a
 * FIFO is refused, not waited on): for files a log names. */
#define LOGREAD_REGULAR 1u

/*
 * What a read may cost. max_bytes (0: no limit) caps the bytes read,
 * after inflating. ratio (0: no limit) caps what gzip data may inflate
 * to: at most ratio times the compressed bytes it came from (once past
 * LOGREAD_RATIO_SLACK), so a gzip bomb (a few MB of newlines inflate to
 * gigabytes, about 1,000 to 1) stops early, while logs, which inflate
 * 10 to 15 times, never do.
 */
struct logread_limit {
	unsigned long long max_bytes;
	unsigned ratio;
};
#define LOGREAD_RATIO 100
#define LOGREAD_RATIO_SLACK (1u << 20)

/*
 * Read path ("-": standard input) and call fn(line, len, lineno, kind,
 * ctx) per line, lineno from 1. A nonzero return of fn stops the read and
 * is returned. lim NULL: no max_bytes, ratio LOGREAD_RATIO. -1 (reported
 * in one line, naming path) if the file cannot be opened or read, is not
 * a regular file under LOGREAD_REGULAR, or passes a limit of lim.
 */
int logread_file(const char *path, unsigned flags, const struct logread_limit *lim,
		 logread_fn *fn, void *ctx);
/* The same over len bytes at data (gzip or not), named name in messages. */
int logread_mem_limit(const void *data, size_t len, const char *name,
		      const struct logread_limit *lim, logread_fn *fn, void *ctx);
/* logread_mem_limit(data, len, "(memory)", NULL, fn, ctx) */
int logread_mem(const void *data, size_t len, logread_fn *fn, void *ctx);

#endif
