/*
 * report_key.c - the keys of a report's hash tables, and the texts it
 * keeps from a log line (report_key.h).
 */
#include <string.h>

#include "htab.h"
#include "logread.h"
#include "report_types.h"
#include "report_key.h"
#include "strbuf.h"
#include "util.h"

/* The raw bytes of a key part: the span itself when short, else its first
 * REPORT_MAX_FIELD bytes and a hash of the rest, so a key stays small. */
void report_key_add(struct report *r, size_t *n, const void *p, size_t len)
{
	size_t k = len <= REPORT_MAX_FIELD ? len : REPORT_MAX_FIELD + sizeof(uint64_t);

	if (*n + k + 1 > r->keyalloc) {
		r->keyalloc = 2 * (*n + k + 1) + 256;
		r->keybuf = xrealloc(r->keybuf, r->keyalloc);
	}
	if (len <= REPORT_MAX_FIELD) {
		memcpy(r->keybuf + *n, p, len);
	} else {
		uint64_t h = htab_hash(p, len);
		memcpy(r->keybuf + *n, p, REPORT_MAX_FIELD);
		memcpy(r->keybuf + *n + REPORT_MAX_FIELD, &h, sizeof(h));
	}
	*n += k;
	r->keybuf[(*n)++] = '\0';
}

void report_key_span(struct report *r, size_t *n, const struct span *s)
{
	report_key_add(r, n, s->p ? s->p : "", s->p ? s->n : 0);
}

/* The slot of t for the key of n bytes built in r->keybuf (its hash to *h). */
size_t report_key_slot(struct report *r, struct htab *t, size_t n,
		       int (*eq)(const void *item, const void *key), uint64_t *h)
{
	struct rawkey k = { r->keybuf, n };

	*h = htab_hash(k.p, k.n);
	return htab_slot(t, *h, eq, &k);
}

/* A span's text, cut at REPORT_MAX_FIELD bytes; NULL if absent. */
char *report_span_dup(const struct span *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->p)
		return NULL;
	logread_decode(s, REPORT_MAX_FIELD, &sb);
	return strbuf_detach(&sb, NULL);
}
