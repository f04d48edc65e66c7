/*
 * report_gzip.c - libFuzzer target: goinstr report's gzip path (logread:
 * gzip recognized by its magic, several members, inflated as read, the
 * inflate ratio limit).
 *
 * The first byte of the input picks what the rest is:
 *
 *   even   plain text D. It is gzip-compressed (zlib, the level from the
 *          byte, split into one or two members at a point from the
 *          byte) and both D and its gzip are read: the reader must hand
 *          over the same lines, of the same kinds, in the same order
 *          (no ratio limit: D may be all newlines). Then the gzip is read
 *          again under the default ratio: either the same lines, or a
 *          prefix of them and an error (a bomb stops early).
 *   odd    gzip data as it is, after gzip's magic (corrupt, cut short,
 *          members of any kind): read under the default ratio, it must
 *          end (no crash, no hang, no line longer than LOGREAD_MAX_LINE
 *          handed over) and inflate no more than the ratio allows.
 *
 * Built by `make build/fuzz/report_gzip`; run by tests/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "logread.h"
#include "strbuf.h"

static void need(int cond, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "report_gzip: %s\n", what);
	abort();
}

/* What a read handed over: each line's kind, length and hash. */
struct seen {
	uint64_t *v;
	size_t nr, alloc;
	unsigned long long bytes;
};

static uint64_t fnv(const char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

static int collect(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
		   void *ctx)
{
	struct seen *s = ctx;
	uint64_t h = fnv((const char *)&kind, sizeof(kind), 0xcbf29ce484222325ULL);

	need(lineno == s->nr + 1, "line numbers not consecutive");
	need(kind == LOGREAD_TOOLONG || kind == LOGREAD_BADGZ || len <= LOGREAD_MAX_LINE,
	     "a line longer than LOGREAD_MAX_LINE handed over");
	need(line || kind == LOGREAD_TOOLONG || kind == LOGREAD_BADGZ, "a line without bytes");
	h = fnv((const char *)&len, sizeof(len), h);
	if (line)
		h = fnv(line, len, h);
	s->bytes += len + 1;
	if (s->nr == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 64;
		s->v = realloc(s->v, s->alloc * sizeof(*s->v));
		need(s->v != NULL, "out of memory");
	}
	s->v[s->nr++] = h;
	return 0;
}

/* data as gzip (one member, or two split at cut), at level. */
static void gzip(const uint8_t *data, size_t size, int level, size_t cut, struct strbuf *out)
{
	for (int m = 0; m < 2; m++) {
		const uint8_t *p = m ? data + cut : data;
		size_t n = m ? size - cut : cut;
		z_stream z;
		int r;

		if (m && !n)
			break;
		memset(&z, 0, sizeof(z));
		need(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK,
		     "deflateInit2");
		strbuf_grow(out, deflateBound(&z, n) + 64);
		z.next_in = (Bytef *)p;
		z.avail_in = (uInt)n;
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		r = deflate(&z, Z_FINISH);
		need(r == Z_STREAM_END, "deflate");
		strbuf_setlen(out, out->len + z.total_out);
		deflateEnd(&z);
	}
}

static void differential(const uint8_t *data, size_t size, unsigned pick)
{
	struct seen plain = { 0 }, gz = { 0 }, limited = { 0 };
	struct logread_limit none = { 0, 0 };
	struct strbuf z = STRBUF_INIT;
	int r;

	/* Plain text that starts with gzip's magic would be read as gzip. */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return;
	gzip(data, size, (int)(pick >> 1) % 10, size ? (pick * 7919u) % (size + 1) : 0, &z);
	need(!logread_mem_limit(data, size, "plain", &none, collect, &plain), "plain read failed");
	need(!logread_mem_limit(z.buf, z.len, "gzip", &none, collect, &gz), "gzip read failed");
	need(plain.nr == gz.nr && (!plain.nr || !memcmp(plain.v, gz.v, plain.nr * sizeof(*plain.v))),
	     "gzip and plain read differ");
	r = logread_mem_limit(z.buf, z.len, "gzip", NULL, collect, &limited);
	need(limited.nr <= plain.nr &&
	     (!limited.nr || !memcmp(plain.v, limited.v, limited.nr * sizeof(*plain.v))),
	     "under the ratio: not a prefix of the plain read");
	need(r || limited.nr == plain.nr, "under the ratio: lines lost without an error");
	need(!r || size > LOGREAD_RATIO_SLACK,
	     "a ratio error below the ratio");
	free(plain.v), free(gz.v), free(limited.v);
	strbuf_release(&z);
}

/* collect's checks, without keeping anything: a bomb hands over a
 * million lines. */
static int count(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
		 void *ctx)
{
	struct seen *s = ctx;

	need(lineno == ++s->nr, "line numbers not consecutive");
	need(kind == LOGREAD_TOOLONG || kind == LOGREAD_BADGZ || len <= LOGREAD_MAX_LINE,
	     "a line longer than LOGREAD_MAX_LINE handed over");
	need(line || kind == LOGREAD_TOOLONG || kind == LOGREAD_BADGZ, "a line without bytes");
	s->bytes += len + 1;
	return 0;
}

static void raw_gzip(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	struct strbuf in = STRBUF_INIT;

	strbuf_add(&in, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	strbuf_add(&in, data, size);
	logread_mem(in.buf, in.len, count, &s);
	/* What the reader hands over is what it inflated (within a buffer). */
	need(s.bytes <= (unsigned long long)LOGREAD_RATIO * in.len + LOGREAD_RATIO_SLACK +
			       2 * LOGREAD_CHUNK,
	     "inflated past the ratio");
	strbuf_release(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		raw_gzip(data + 1, size - 1);
	else
		differential(data + 1, size - 1, data[0]);
	return 0;
}
