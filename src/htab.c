/*
 * htab.c - open addressing with linear probing (see htab.h).
 */
#include "htab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* This process's key, drawn on first use (see htab.h). */
static uint64_t hash_key(void)
{
	static uint64_t key;
	static int drawn;

	if (!drawn) {
		if (getrandom(&key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key))
			key = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
		drawn = 1;
	}
	return key;
}

uint64_t htab_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = (14695981039346656037ULL ^ hash_key()) ^ n, w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

void htab_init(struct htab *t)
{
	t->cap = 64;
	t->nr = 0;
	t->v = xcalloc(t->cap, sizeof(*t->v));
	t->h = xcalloc(t->cap, sizeof(*t->h));
}

void htab_release(struct htab *t)
{
	free(t->v);
	free(t->h);
	memset(t, 0, sizeof(*t));
}

size_t htab_slot(const struct htab *t, uint64_t h,
		 int (*eq)(const void *item, const void *key), const void *key)
{
	size_t m = t->cap - 1, i = (size_t)h & m;

	while (t->v[i] && !(t->h[i] == h && eq(t->v[i], key)))
		i = (i + 1) & m;
	return i;
}

void htab_put(struct htab *t, size_t slot, uint64_t h, void *item)
{
	void **ov = t->v;
	uint64_t *oh = t->h;
	size_t ocap = t->cap;

	t->v[slot] = item;
	t->h[slot] = h;
	if (++t->nr * 2 < t->cap)
		return;
	/* Grow: rehash by stored hashes, no key compares needed. */
	t->cap *= 2;
	t->v = xcalloc(t->cap, sizeof(*t->v));
	t->h = xcalloc(t->cap, sizeof(*t->h));
	for (size_t i = 0; i < ocap; i++) {
		size_t j = (size_t)oh[i] & (t->cap - 1);
		if (!ov[i])
			continue;
		while (t->v[j])
			j = (j + 1) & (t->cap - 1);
		t->v[j] = ov[i];
		t->h[j] = oh[i];
	}
	free(ov);
	free(oh);
}

static int eq_str(const void *item, const void *key)
{
	return !strcmp(item, key);
}

int htab_strset_add(struct htab *t, const char *s)
{
	uint64_t h;
	size_t slot;

	if (!t->cap)
		htab_init(t);
	h = htab_hash(s, strlen(s));
	slot = htab_slot(t, h, eq_str, s);
	if (t->v[slot])
		return 0;
	htab_put(t, slot, h, xstrdup(s));
	return 1;
}

void htab_strset_release(struct htab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i]);
	htab_release(t);
}
