/*
 * edit.h - queue byte-range edits against an immutable source and apply
 * them in one pass (the technique of Go's cmd/internal/edit), so parse-tree
 * offsets stay valid while edits are collected.
 *
 * Edits are applied sorted by (start, end, seq): an insertion at x comes
 * before a replacement of [x,y), and insertions at one offset keep the order
 * they were queued in. Overlapping edits are a bug and make apply fail.
 */
#ifndef EDIT_H
#define EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct edit {
	uint32_t start, end, seq;
	char *text; /* owned */
	size_t len;
};

struct editbuf {
	const char *src; /* borrowed: must outlive the editbuf */
	size_t len;
	struct edit *v;
	size_t nr, alloc;
};

void editbuf_init(struct editbuf *eb, const char *src, size_t len);
void editbuf_release(struct editbuf *eb);
/* Replace src[start,end) by text (start == end: insert). */
void edit_replace(struct editbuf *eb, size_t start, size_t end,
		  const char *text, size_t len);
void edit_insert(struct editbuf *eb, size_t at, const char *text);
/* Replace the text of queued edit i (its range stays); text is copied. */
void edit_retext(struct editbuf *eb, size_t i, const char *text, size_t len);
/* Append the edited source to out. 0, or -1 on overlap (reported). */
int edit_apply(struct editbuf *eb, struct strbuf *out);

#endif
