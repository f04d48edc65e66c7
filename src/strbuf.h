/*
 * strbuf.h - growable byte buffers (libc only), after git's strbuf.
 *
 * buf is never NULL and always NUL-terminated; len is authoritative, so a
 * strbuf holds binary data too. Allocation failure aborts the process (the
 * only place goinstr does so): there is nothing sensible to do without memory.
 */
#ifndef STRBUF_H
#define STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc, len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (free() it); sb is reset to empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Length of the valid UTF-8 sequence (shortest form, no surrogate, at most
 * U+10FFFF) at s, of at most n >= 1 bytes; 0 if the bytes there are not one. */
size_t utf8_len(const void *s, size_t n);
/* Append s as a JSON string literal (quotes included); bytes that are not
 * valid UTF-8 become \ufffd so the output is always valid JSON. */
void strbuf_addjson(struct strbuf *sb, const char *s, size_t len);
/* Append s as a Go interpreted string literal (bytes outside printable
 * ASCII as \xNN escapes). */
void strbuf_addgoquoted(struct strbuf *sb, const char *s, size_t len);
/* Append s as text for a terminal: a log may hold any bytes, which a
 * terminal would obey. A backslash is \\, tab and newline \t and \n,
 * other C0 controls and DEL \xNN, bytes that are not UTF-8 \xNN; C1
 * controls (U+0080 to U+009F: U+009B starts a terminal command as ESC [
 * does), the bidirectional overrides and isolates (U+202A to U+202E,
 * U+2066 to U+2069) and the line and paragraph separators (U+2028,
 * U+2029) are \u{NNNN}. */
void strbuf_addterm(struct strbuf *sb, const char *s);
/* Read a whole file; 0 or -1 with errno set. */
int strbuf_read_file(struct strbuf *sb, const char *path);
/* Read one line without its '\n'; returns -1 at end of file. */
int strbuf_getline(struct strbuf *sb, void *fp);

#endif
