/*
 * report_key.h - the keys of a report's hash tables, and the texts it
 * keeps from a log line.
 *
 * A key is built part by part in r->keybuf (owned by the report, reused
 * for every line): each part is its bytes when short, else its first
 * REPORT_MAX_FIELD bytes and a hash of the rest, then a NUL, so a key
 * stays small whatever the line. Tables compare an item's kept copy of
 * those bytes with a struct rawkey. Nothing here fails (util.h's x*
 * allocators die).
 */
#ifndef REPORT_KEY_H
#define REPORT_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "logread.h"
#include "report_types.h"

/* A key as its bytes: what the tables' eq functions are given. */
struct rawkey {
	const char *p;
	size_t n;
};

/* Append the part p[0..len) to the key of *n bytes in r->keybuf. */
void report_key_add(struct report *r, size_t *n, const void *p, size_t len);
/* The same for a span ("" if absent). */
void report_key_span(struct report *r, size_t *n, const struct span *s);
/* The slot of t for the key of n bytes built in r->keybuf (its hash to *h). */
size_t report_key_slot(struct report *r, struct htab *t, size_t n,
		       int (*eq)(const void *item, const void *key), uint64_t *h);

/* A span's text decoded, cut at REPORT_MAX_FIELD bytes; NULL if absent.
 * The caller frees it. */
char *report_span_dup(const struct span *s);

#endif
