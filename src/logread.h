/*
 * logread.h - stream goinstr logs (and sites inventories) line by line.
 * The format it reads is docs/log.md's (the logger in inject/reflect/
 * writes it); a change of the format changes both and that file. Each
 * line's fields are picked out by logline.h, which this includes.
 *
 * logread_file() reads a file or standard input ("-"), logread_mem() bytes
 * in memory; gzip data (RFC 1952, one member or several) is recognized by
 * its magic bytes, whatever the name, and inflated as it is read. Each
 * line (without its '\n') goes to a callback. Memory is one buffer of at
 * most LOGREAD_CHUNK bytes, whatever the input: a line longer than
 * LOGREAD_MAX_LINE is read past, never held whole, and handed over as
 * LOGREAD_TOOLONG.
 */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <stddef.h>

#include "logline.h"

#define LOGREAD_CHUNK (4u << 20)
/* The longest line read: the logger's lines are far shorter (strings cut
 * at 64 bytes, expressions at 120, its header's module list cut). */
#define LOGREAD_MAX_LINE (1u << 20)

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
