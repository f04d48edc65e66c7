/*
 * manifest_pack.c - write the pack of built-in manifests (manifest.h's
 * manifest_pack: goinstr manifest pack, scripts/mkmanifest.sh); its
 * format is described where manifest.c reads it.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gorelease.h"
#include "manifest.h"
#include "strbuf.h"
#include "util.h"

static int cmp_manifest_ptr(const void *a, const void *b)
{
	return gorelease_cmp((*(const struct manifest *const *)a)->name,
			     (*(const struct manifest *const *)b)->name);
}

struct pair {
	const char *name;   /* module file name (owned by the names buffer) */
	unsigned char sha[32];
	size_t release;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (!c)
		c = memcmp(x->sha, y->sha, 32);
	return c ? c : (x->release > y->release) - (x->release < y->release);
}

static int unhex(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void add_varint(struct strbuf *sb, size_t v)
{
	do {
		strbuf_addch(sb, (int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
		v >>= 7;
	} while (v);
}

void manifest_pack(const struct manifest *v, size_t n, struct strbuf *out)
{
	const struct manifest **r = xmalloc((n + 1) * sizeof(*r));
	struct strbuf raw = STRBUF_INIT, names = STRBUF_INIT;
	struct pair *pairs;
	size_t np = 0, total = 0, *off, bytes = (n + 7) / 8, npairs = 0;
	const char *prev = "";
	unsigned char *bits = xcalloc(bytes, 1);

	for (size_t i = 0; i < n; i++) {
		r[i] = &v[i];
		total += v[i].nr;
	}
	qsort(r, n, sizeof(*r), cmp_manifest_ptr);
	pairs = xmalloc((total + 1) * sizeof(*pairs));
	off = xmalloc((total + 1) * sizeof(*off));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < r[i]->nr; j++) {
			off[np] = names.len;
			manifest_zip_name(&r[i]->v[j], &names);
			strbuf_addch(&names, '\0');
			for (int b = 0; b < 32; b++)
				pairs[np].sha[b] = (unsigned char)(unhex(r[i]->v[j].hash[2 * b]) << 4 |
								   unhex(r[i]->v[j].hash[2 * b + 1]));
			pairs[np++].release = i;
		}
	for (size_t i = 0; i < np; i++)
		pairs[i].name = names.buf + off[i];
	qsort(pairs, np, sizeof(*pairs), cmp_pair);

	strbuf_addf(&raw, "releases %zu\n", n);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&raw, "%s %s %zu\n", r[i]->name, r[i]->sum, r[i]->nr);
	for (size_t i = 0; i < np; i++)
		npairs += !i || strcmp(pairs[i - 1].name, pairs[i].name) ||
			  memcmp(pairs[i - 1].sha, pairs[i].sha, 32);
	strbuf_addf(&raw, "pairs %zu\n", npairs);
	for (size_t i = 0; i < np;) {
		size_t j = i, shared = 0, len = strlen(pairs[i].name);
		memset(bits, 0, bytes);
		while (j < np && !strcmp(pairs[j].name, pairs[i].name) &&
		       !memcmp(pairs[j].sha, pairs[i].sha, 32)) {
			bits[pairs[j].release / 8] |= (unsigned char)(1u << (pairs[j].release % 8));
			j++;
		}
		while (prev[shared] && prev[shared] == pairs[i].name[shared])
			shared++;
		add_varint(&raw, shared);
		add_varint(&raw, len - shared);
		strbuf_add(&raw, pairs[i].name + shared, len - shared);
		strbuf_add(&raw, pairs[i].sha, 32);
		strbuf_add(&raw, bits, bytes);
		prev = pairs[i].name;
		i = j;
	}

	{
		uLongf zlen = compressBound(raw.len);
		strbuf_addf(out, PACK_MAGIC "%zu\n", raw.len);
		strbuf_grow(out, zlen);
		if (compress2((Bytef *)out->buf + out->len, &zlen, (const Bytef *)raw.buf, raw.len,
			      Z_BEST_COMPRESSION) != Z_OK)
			abort(); /* only out of memory: the bound is enough */
		strbuf_setlen(out, out->len + zlen);
	}
	free(r);
	free(pairs);
	free(off);
	free(bits);
	strbuf_release(&raw);
	strbuf_release(&names);
}
