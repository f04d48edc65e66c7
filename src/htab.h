/*
 * htab.h - the hash table every module uses: open addressing over
 * pointers to the caller's items, each slot keeping its item's 64-bit
 * hash, so lookups compare keys only on equal hashes and growing never
 * compares keys. The table owns its arrays, never the items.
 *
 *	uint64_t h = htab_hash(key, len);
 *	size_t slot = htab_slot(&t, h, eq, &key);
 *	if (!t.v[slot])
 *		htab_put(&t, slot, h, item_new(key));  (slot is invalid after)
 */
#ifndef HTAB_H
#define HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab {
	void **v;    /* items; NULL: empty slot */
	uint64_t *h; /* their hashes */
	size_t cap, nr; /* cap: a power of two, at least twice nr */
};

void htab_init(struct htab *t);
/* Free the table's arrays (not the items). */
void htab_release(struct htab *t);

/*
 * The hash every caller uses: fast on short keys, eight bytes per
 * multiply and a final mix (the table indexes by the low bits). Keyed
 * with a random number drawn once per process, so that input crafted
 * offline (a hostile log) cannot make the report's tables collide; hence
 * never the same in two processes: not for names that outlive the
 * process (use hash.h), and never the order of anything printed.
 */
uint64_t htab_hash(const void *data, size_t n);

/* The slot holding an item equal to key (eq(item, key) nonzero), or the
 * empty slot where such an item goes. */
size_t htab_slot(const struct htab *t, uint64_t h,
		 int (*eq)(const void *item, const void *key), const void *key);
/* Put item (hash h) in the empty slot found by htab_slot; may grow the
 * table, which moves every item: find slots again after. */
void htab_put(struct htab *t, size_t slot, uint64_t h, void *item);

/* A set of strings on the same table: 1 if s was added (a copy), 0 if
 * it was there. htab_strset_release frees the copies and the table. */
int htab_strset_add(struct htab *t, const char *s);
void htab_strset_release(struct htab *t);

#endif
