/*
 * logline.c - the single-pass JSON field scanner for goinstr log lines
 * (logline.h). A report reads gigabytes of log: building a jansson tree
 * per line costs several times what the scan below does, and the report
 * needs a dozen fields, so it walks the bytes once, checking the JSON
 * structure as it goes, and keeps only spans.
 *
 * The format it reads is docs/log.md's, which owns it (the logger in
 * inject/reflect/ writes it); tests/unit/test_logformat.c reads the
 * format's golden fixture, tests/logger/golden.jsonl, with this scanner,
 * and tests/logger.sh checks the writer against the same file.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "logline.h"

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
