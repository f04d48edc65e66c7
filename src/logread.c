/*
 * logread.c - a streaming line reader (plain or gzip, bounded memory) and
 * a single-pass JSON field scanner for goinstr logs. A report reads
 * gigabytes of log: building a jansson tree per line costs several times
 * what the scan below does, and the report needs a dozen fields, so it
 * walks the bytes once, checking the JSON structure as it goes, and keeps
 * only spans.
 *
 * The format it reads is docs/log.md's, which owns it (the logger in
 * inject/reflect/ writes it); tests/unit/test_logformat.c reads the
 * format's golden fixture, tests/logger/golden.jsonl, with this scanner,
 * and tests/logger.sh checks the writer against the same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "logread.h"
#include "util.h"

struct scan {
	const char *p, *end;
	const char *why;
	int range; /* why: a number the report reads is out of range */
};

static int fail(struct scan *s, const char *why)
{
	if (!s->why)
		s->why = why;
	return -1;
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static int hexdig(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at s->p ('"'); its contents go to out. */
static int scan_string(struct scan *s, struct span *out)
{
	const char *p = s->p + 1, *e = s->end;

	for (;;) {
		/*
		 * The common case: a run of plain bytes, eight at a time (most of
		 * a report's time is here). A word stops the run if any byte is a
		 * quote, a backslash or below 0x20; the byte loop finds which.
		 */
		while (e - p >= 8) {
			const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
			uint64_t w, q, b;

			memcpy(&w, p, 8);
			q = w ^ (ones * '"');
			b = w ^ (ones * '\\');
			if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & high)
				break;
			p += 8;
		}
		while (p < e && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
			p++;
		if (p >= e)
			return fail(s, "unterminated string");
		if (*p == '"')
			break;
		if ((unsigned char)*p < 0x20)
			return fail(s, "control character in string");
		if (++p >= e)
			return fail(s, "unterminated string");
		if (*p == 'u') {
			if (e - p < 5 || !hexdig(p[1]) || !hexdig(p[2]) || !hexdig(p[3]) || !hexdig(p[4]))
				return fail(s, "bad \\u escape");
			p += 5;
		} else if (strchr("\"\\/bfnrt", *p) && *p) {
			p++;
		} else {
			return fail(s, "bad escape in string");
		}
	}
	if (out) {
		out->p = s->p + 1;
		out->n = (size_t)(p - out->p);
	}
	s->p = p + 1;
	return 0;
}

/* A number: JSON's grammar (its value is not needed: see take_int). */
static int scan_number(struct scan *s)
{
	const char *p = s->p, *e = s->end;

	if (p < e && *p == '-')
		p++;
	if (p >= e || *p < '0' || *p > '9')
		return fail(s, "bad number");
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	if (p < e && *p == '.') {
		if (++p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

static int scan_value(struct scan *s, int depth);

/*
 * An object at s->p ('{'). For each member, field(key, s, ctx) may consume
 * the value and return 1; when it returns 0 the value is skipped.
 */
static int scan_object(struct scan *s, int depth,
		       int (*field)(const struct span *key, struct scan *s, void *ctx), void *ctx)
{
	struct span key;

	if (depth > 64)
		return fail(s, "nested too deep");
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		int r = 0;

		skip_ws(s);
		if (s->p >= s->end || *s->p != '"')
			return fail(s, "object key expected");
		if (scan_string(s, &key))
			return -1;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return fail(s, "':' expected");
		s->p++;
		skip_ws(s);
		if (field && (r = field(&key, s, ctx)) < 0)
			return -1;
		if (!r && scan_value(s, depth + 1))
			return -1;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return 0;
		}
		return fail(s, "',' or '}' expected");
	}
}

static int scan_value(struct scan *s, int depth)
{
	if (s->p >= s->end)
		return fail(s, "value expected");
	switch (*s->p) {
	case '"':
		return scan_string(s, NULL);
	case '{':
		return scan_object(s, depth, NULL, NULL);
	case '[':
		if (depth > 64)
			return fail(s, "nested too deep");
		s->p++;
		skip_ws(s);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		for (;;) {
			skip_ws(s);
			if (scan_value(s, depth + 1))
				return -1;
			skip_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				return 0;
			}
			return fail(s, "',' or ']' expected");
		}
	case 't':
	case 'f':
	case 'n': {
		static const char *const lit[] = { "true", "false", "null" };
		for (int i = 0; i < 3; i++) {
			size_t n = strlen(lit[i]);
			if ((size_t)(s->end - s->p) >= n && !memcmp(s->p, lit[i], n)) {
				s->p += n;
				return 0;
			}
		}
		return fail(s, "bad literal");
	}
	default:
		return scan_number(s);
	}
}

#define KEY_IS(k, lit) ((k)->n == sizeof(lit) - 1 && !memcmp((k)->p, lit, sizeof(lit) - 1))

/* A string member: take it when it is a string, else leave it to skip. */
static int take_string(struct scan *s, struct span *out)
{
	if (s->p >= s->end || *s->p != '"')
		return 0;
	return scan_string(s, out) ? -1 : 1;
}

/*
 * A number member the report reads: an integer from 0 to 2^63-1, else the
 * line is refused with bad (1e400 or 30 digits must not pass for another
 * number). Not a number at all: left to skip.
 */
static int take_int(struct scan *s, long long *out, const char *bad)
{
	const char *b = s->p, *p = b, *e = s->end;
	unsigned long long n = 0;

	if (p >= e || (*p != '-' && (*p < '0' || *p > '9')))
		return 0;
	/* The common case in one pass: up to 18 digits (no overflow), no
	 * leading zero, no fraction or exponent. */
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	if (p > b && p - b <= 18 && (*b != '0' || p - b == 1) &&
	    (p == e || (*p != '.' && *p != 'e' && *p != 'E'))) {
		for (; b < p; b++)
			n = n * 10 + (unsigned)(*b - '0');
		s->p = p;
		*out = (long long)n;
		return 1;
	}
	if (scan_number(s))
		return -1;
	for (p = b; p < s->p && *p >= '0' && *p <= '9'; p++) {
		if (n > (unsigned long long)(LLONG_MAX - (*p - '0')) / 10)
			break;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (p != s->p) {
		s->range = 1;
		return fail(s, bad);
	}
	*out = (long long)n;
	return 1;
}

#define TAKE_INT(s, out, name) take_int(s, out, "\"" name "\" is not an integer from 0 to 2^63-1")

/* An object or array member kept whole (its JSON text). */
static int take_raw(struct scan *s, struct span *out, char open)
{
	const char *b = s->p;

	if (s->p >= s->end || *s->p != open)
		return 0;
	if (scan_value(s, 1))
		return -1;
	out->p = b;
	out->n = (size_t)(s->p - b);
	return 1;
}

static int caller_field(const struct span *k, struct scan *s, void *ctx)
{
	struct logline *l = ctx;

	if (KEY_IS(k, "func"))
		return take_string(s, &l->caller_func);
	if (KEY_IS(k, "file"))
		return take_string(s, &l->caller_file);
	if (KEY_IS(k, "line"))
		return TAKE_INT(s, &l->caller_line, "caller.line");
	return 0;
}

static int site_field(const struct span *k, struct scan *s, void *ctx)
{
	struct logline *l = ctx;

	if (KEY_IS(k, "id"))
		return take_string(s, &l->site_id);
	if (KEY_IS(k, "file"))
		return take_string(s, &l->site_file);
	if (KEY_IS(k, "expr"))
		return take_string(s, &l->site_expr);
	if (KEY_IS(k, "line"))
		return TAKE_INT(s, &l->site_line, "site.line");
	if (KEY_IS(k, "col"))
		return TAKE_INT(s, &l->site_col, "site.col");
	return 0;
}

static int top_field(const struct span *k, struct scan *s, void *ctx)
{
	struct logline *l = ctx;

	/* Keys by length first: most members are skipped after one compare. */
	switch (k->n) {
	case 2:
		if (KEY_IS(k, "op"))
			return take_string(s, &l->op);
		if (KEY_IS(k, "go"))
			return take_string(s, &l->go);
		break;
	case 3:
		if (KEY_IS(k, "msg"))
			return take_string(s, &l->msg);
		if (KEY_IS(k, "cat"))
			return take_string(s, &l->cat);
		if (KEY_IS(k, "pid"))
			return TAKE_INT(s, &l->pid, "pid");
		if (KEY_IS(k, "exe"))
			return take_string(s, &l->exe);
		break;
	case 4: /* "time", "recv" and "args" on every line: one compare */
		switch (k->p[0]) {
		case 's':
			if (KEY_IS(k, "site") && s->p < s->end && *s->p == '{')
				return scan_object(s, 1, site_field, l) ? -1 : 1;
			break;
		case 'p':
			if (KEY_IS(k, "part"))
				return TAKE_INT(s, &l->part, "part");
			break;
		case 'm':
			if (KEY_IS(k, "main"))
				return take_raw(s, &l->main, '{');
			break;
		case 'd':
			if (KEY_IS(k, "deps"))
				return take_raw(s, &l->deps, '[');
			break;
		}
		break;
	case 5:
		if (KEY_IS(k, "start"))
			return take_string(s, &l->start);
		break;
	case 6:
		if (KEY_IS(k, "caller") && s->p < s->end && *s->p == '{')
			return scan_object(s, 1, caller_field, l) ? -1 : 1;
		if (KEY_IS(k, "target"))
			return take_string(s, &l->target);
		if (KEY_IS(k, "schema"))
			return TAKE_INT(s, &l->schema, "schema");
		break;
	case 7:
		if (KEY_IS(k, "dropped"))
			return TAKE_INT(s, &l->dropped, "dropped");
		break;
	}
	return 0;
}

int logread_parse(const char *line, size_t len, struct logline *l, const char **why)
{
	struct scan s = { line, line + len, NULL, 0 };

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	l->schema = 1;
	l->dropped = -1;
	skip_ws(&s);
	if (s.p >= s.end) {
		*why = "empty line";
		return -1;
	}
	if (*s.p != '{') {
		*why = "not a JSON object";
		return -1;
	}
	if (scan_object(&s, 0, top_field, l)) {
		*why = s.why;
		return s.range ? -2 : -1;
	}
	skip_ws(&s);
	if (s.p != s.end) {
		*why = "text after the JSON object";
		return -1;
	}
	return 0;
}

/* --- decoding ------------------------------------------------------------ */

static unsigned hex4(const unsigned char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i];
		v = v << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static size_t utf8_put(unsigned char *u, unsigned cp)
{
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

int logread_decode(const struct span *sp, size_t max, struct strbuf *out)
{
	static const unsigned char fffd[] = { 0xef, 0xbf, 0xbd };
	const unsigned char *p = (const unsigned char *)sp->p, *e = p + sp->n;
	size_t start = out->len, mark = 0; /* mark: where a cut may end */

	while (p < e) {
		unsigned char u[8];
		const unsigned char *piece = u;
		size_t k, room = max - (out->len - start);
		int plain = 0;

		if (*p == '\\' && e - p >= 2) {
			unsigned cp;
			switch (p[1]) {
			case 'b': u[0] = '\b', k = 1; break;
			case 'f': u[0] = '\f', k = 1; break;
			case 'n': u[0] = '\n', k = 1; break;
			case 'r': u[0] = '\r', k = 1; break;
			case 't': u[0] = '\t', k = 1; break;
			case 'u':
				if (e - p < 6) { /* logread_parse never passes this */
					piece = fffd, k = 3, p = e;
					goto add;
				}
				cp = hex4(p + 2);
				p += 6;
				if (cp >= 0xd800 && cp < 0xdc00 && e - p >= 6 && p[0] == '\\' &&
				    p[1] == 'u' && hex4(p + 2) >= 0xdc00 && hex4(p + 2) < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(p + 2) - 0xdc00);
					p += 6;
				} else if (cp >= 0xd800 && cp < 0xe000) {
					cp = 0xfffd; /* a lone surrogate */
				}
				if (!cp) {
					piece = (const unsigned char *)"\\u0000", k = 6;
				} else {
					k = utf8_put(u, cp);
				}
				goto add;
			default: u[0] = p[1], k = 1; break; /* " \ / */
			}
			p += 2;
		} else if (*p < 0x80) { /* a run of plain ASCII at once, no further than can fit */
			const unsigned char *q = p + 1, *lim = (size_t)(e - p) > room ? p + room + 1 : e;
			while (q < lim && *q < 0x80 && *q != '\\')
				q++;
			piece = p, k = (size_t)(q - p), p = q, plain = 1;
		} else if ((k = utf8_len(p, (size_t)(e - p)))) {
			piece = p, p += k;
		} else {
			piece = fffd, k = 3, p++;
		}
add:
		if (k > room) {
			if (plain && out->len - start + 3 <= max) /* ASCII: cut anywhere */
				strbuf_add(out, piece, max - 3 - (out->len - start));
			else
				strbuf_setlen(out, start + mark);
			strbuf_add(out, "\xe2\x80\xa6", 3); /* U+2026 */
			return 1;
		}
		if (plain && out->len - start + 3 <= max && out->len - start + k + 3 > max)
			mark = max - 3; /* inside this run: any ASCII byte ends a character */
		strbuf_add(out, piece, k);
		if (out->len - start + 3 <= max)
			mark = out->len - start;
	}
	return 0;
}

/* --- reading ------------------------------------------------------------- */

/* Where the bytes come from: a descriptor or memory, inflated when they
 * start with gzip's magic. */
struct src {
	const char *name;
	int fd; /* -1: memory */
	const unsigned char *mem;
	size_t memlen, memoff;
	int gz, zend, zbad; /* inflating; the last member ended; corrupt */
	z_stream z;
	unsigned char *zin;
	unsigned long long total, max;
	unsigned ratio;                 /* struct logread_limit */
	unsigned long long zin_used, zout; /* compressed bytes inflated, and what they gave */
};

#define ZIN_SIZE (256u << 10)

/* Raw bytes: >= 0, or -1 (reported). */
static ssize_t raw_read(struct src *s, void *buf, size_t n)
{
	ssize_t r;

	if (s->fd < 0) {
		size_t k = s->memlen - s->memoff < n ? s->memlen - s->memoff : n;
		memcpy(buf, s->mem + s->memoff, k);
		s->memoff += k;
		return (ssize_t)k;
	}
	while ((r = read(s->fd, buf, n)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return error("cannot read '%s': %s", s->name, strerror(errno));
	return r;
}

#define READ_BADGZ (-2)

/* Inflated bytes: > 0, 0 at the end, -1 (reported) or READ_BADGZ (after
 * the bytes inflated before the fault are returned). */
static ssize_t gz_read(struct src *s, unsigned char *buf, size_t n)
{
	uInt want = (uInt)(n > UINT_MAX ? UINT_MAX : n);

	if (s->zbad)
		return READ_BADGZ;
	s->z.next_out = buf;
	s->z.avail_out = want;
	while (s->z.avail_out == want) {
		int ret;

		if (!s->z.avail_in) {
			ssize_t r = raw_read(s, s->zin, ZIN_SIZE);
			if (r < 0)
				return -1;
			if (!r) {
				if (s->zend)
					return 0;
				s->zbad = 1; /* cut short */
				break;
			}
			s->z.next_in = s->zin;
			s->z.avail_in = (uInt)r;
		}
		if (s->zend) { /* another member follows */
			if (inflateReset(&s->z) != Z_OK) {
				s->zbad = 1;
				break;
			}
			s->zend = 0;
		}
		{
			uInt in = s->z.avail_in, out = s->z.avail_out;
			ret = inflate(&s->z, Z_NO_FLUSH);
			s->zin_used += in - s->z.avail_in;
			s->zout += out - s->z.avail_out;
		}
		if (ret == Z_STREAM_END) {
			s->zend = 1;
		} else if (ret != Z_OK && !(ret == Z_BUF_ERROR && !s->z.avail_in)) {
			s->zbad = 1;
			break;
		}
	}
	return s->z.avail_out < want ? (ssize_t)(want - s->z.avail_out) : READ_BADGZ;
}

/* Whether gzip data inflated past the ratio its limit allows. */
static int too_inflated(const struct src *s)
{
	return s->gz && s->ratio && s->zout > LOGREAD_RATIO_SLACK &&
	       s->zout / s->ratio > s->zin_used;
}

static ssize_t src_read(struct src *s, unsigned char *buf, size_t n)
{
	ssize_t r = s->gz ? gz_read(s, buf, n) : raw_read(s, buf, n);

	if (r > 0 && s->max && (s->total += (unsigned long long)r) > s->max)
		return error("'%s' is larger than %llu bytes", s->name, s->max);
	if (r > 0 && too_inflated(s))
		return error("'%s' inflates to more than %u times its compressed size "
			     "(a gzip bomb?): read no further; --gzip-ratio=N allows more",
			     s->name, s->ratio);
	return r;
}

/*
 * The first bytes: switch to inflating if they are gzip's magic (1f 8b).
 * They were read into buf (have bytes, at least 2 unless the input is
 * shorter); a gzip stream moves to the inflater's input.
 */
static int src_sniff(struct src *s, unsigned char *buf, size_t *have)
{
	if (*have < 2 || buf[0] != 0x1f || buf[1] != 0x8b)
		return 0;
	s->zin = xmalloc(ZIN_SIZE);
	memcpy(s->zin, buf, *have); /* *have <= ZIN_SIZE: see src_start() */
	memset(&s->z, 0, sizeof(s->z));
	if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return error("cannot inflate '%s'", s->name);
	s->gz = 1;
	s->z.next_in = s->zin;
	s->z.avail_in = (uInt)*have;
	*have = 0;
	s->total = 0;
	return 0;
}

/*
 * The start of s: the first read into buf (alloc bytes; at most what the
 * inflater's input holds), then at least two bytes or the end, sniffed
 * (src_sniff). *have: the plain bytes left in buf. 0, or -1 (reported).
 */
static int src_start(struct src *s, unsigned char *buf, size_t alloc, size_t *have)
{
	ssize_t n;

	do {
		n = raw_read(s, buf + *have, (alloc < ZIN_SIZE ? alloc : ZIN_SIZE) - *have);
		if (n < 0)
			return -1;
		*have += (size_t)n;
	} while (n > 0 && *have < 2);
	if (src_sniff(s, buf, have))
		return -1;
	if (s->max && !s->gz && (s->total = *have) > s->max)
		return error("'%s' is larger than %llu bytes", s->name, s->max);
	return 0;
}

/* The lines of s, to fn; alloc is the first buffer size (it grows up to
 * LOGREAD_CHUNK while a line does not fit). */
static int run(struct src *s, size_t alloc, logread_fn *fn, void *ctx)
{
	unsigned char *buf;
	size_t have = 0, pending, skipped = 0;
	unsigned long lineno = 0;
	int skipping = 0, ret = 0;
	ssize_t n;

	alloc = alloc < 4096 ? 4096 : alloc > LOGREAD_CHUNK ? LOGREAD_CHUNK : alloc;
	buf = xmalloc(alloc);
	if (src_start(s, buf, alloc, &have) < 0) {
		ret = -1;
		goto out;
	}
	pending = have; /* plain bytes already in buf, not yet split */
	have = 0;
	for (;;) {
		unsigned char *p, *q, *nl, *end;

		if (have == alloc) {
			if (alloc < LOGREAD_CHUNK) {
				alloc = alloc * 2 < LOGREAD_CHUNK ? alloc * 2 : LOGREAD_CHUNK;
				buf = xrealloc(buf, alloc);
			} else { /* one line fills the buffer: read past it */
				skipping = 1;
				skipped += have;
				have = 0;
			}
		}
		if (pending) {
			n = (ssize_t)pending;
			pending = 0;
		} else if ((n = src_read(s, buf + have, alloc - have)) < 0) {
			ret = n == READ_BADGZ ? fn(NULL, 0, ++lineno, LOGREAD_BADGZ, ctx) : -1;
			goto out;
		}
		if (n == 0) {
			if (skipping)
				ret = fn(NULL, skipped + have, ++lineno, LOGREAD_TOOLONG, ctx);
			else if (have)
				ret = fn((char *)buf, have, ++lineno,
					 have > LOGREAD_MAX_LINE ? LOGREAD_TOOLONG : LOGREAD_PARTIAL, ctx);
			goto out;
		}
		q = buf + have; /* the bytes before have no newline */
		have += (size_t)n;
		end = buf + have;
		p = buf;
		while ((nl = memchr(q, '\n', (size_t)(end - q)))) {
			size_t len = (size_t)(nl - p);
			if (skipping)
				ret = fn(NULL, skipped + len, ++lineno, LOGREAD_TOOLONG, ctx);
			else if (len > LOGREAD_MAX_LINE)
				ret = fn(NULL, len, ++lineno, LOGREAD_TOOLONG, ctx);
			else
				ret = fn((char *)p, len, ++lineno, LOGREAD_LINE, ctx);
			if (ret)
				goto out;
			skipping = 0;
			skipped = 0;
			p = q = nl + 1;
		}
		have = (size_t)(end - p);
		if (p != buf)
			memmove(buf, p, have);
	}
out:
	if (s->gz)
		inflateEnd(&s->z);
	free(s->zin);
	free(buf);
	return ret;
}

int logread_file(const char *path, unsigned flags, const struct logread_limit *lim,
		 logread_fn *fn, void *ctx)
{
	struct src s = { .name = strcmp(path, "-") ? path : "(standard input)",
			 .max = lim ? lim->max_bytes : 0,
			 .ratio = lim ? lim->ratio : LOGREAD_RATIO };
	struct stat st;
	size_t alloc = LOGREAD_CHUNK;
	int ret;

	if (!strcmp(path, "-")) {
		s.fd = dup(0); /* closed below like any other */
		if (s.fd < 0)
			return error("cannot read standard input: %s", strerror(errno));
	} else {
		int of = O_RDONLY | O_CLOEXEC;
		if (flags & LOGREAD_REGULAR)
			of |= O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
		if ((s.fd = open(path, of)) < 0)
			return error("cannot open '%s': %s", path,
				     errno == ELOOP && (flags & LOGREAD_REGULAR)
					     ? "a symbolic link (not followed)" : strerror(errno));
	}
	if (fstat(s.fd, &st)) {
		ret = error("cannot stat '%s': %s", path, strerror(errno));
		goto out;
	}
	if ((flags & LOGREAD_REGULAR) && !S_ISREG(st.st_mode)) {
		ret = error("cannot open '%s': not a regular file", path);
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size < LOGREAD_CHUNK)
			alloc = (size_t)st.st_size + 1;
		/* Sequential reads: let the kernel read ahead aggressively. */
		posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	ret = run(&s, alloc, fn, ctx);
out:
	close(s.fd);
	return ret;
}

int logread_mem_limit(const void *data, size_t len, const char *name,
		      const struct logread_limit *lim, logread_fn *fn, void *ctx)
{
	struct src s = { .name = name, .fd = -1, .mem = data, .memlen = len,
			 .max = lim ? lim->max_bytes : 0,
			 .ratio = lim ? lim->ratio : LOGREAD_RATIO };

	return run(&s, len + 1, fn, ctx);
}

int logread_mem(const void *data, size_t len, logread_fn *fn, void *ctx)
{
	return logread_mem_limit(data, len, "(memory)", NULL, fn, ctx);
}
