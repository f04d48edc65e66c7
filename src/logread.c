/*
 * logread.c - a streaming line reader and a single-pass JSON field scanner
 * for goinstr logs. A report reads gigabytes of log: building a jansson
 * tree per line costs several times what the scan below does, and the
 * report needs a dozen fields, so it walks the bytes once, checking the
 * JSON structure as it goes, and keeps only spans.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "logread.h"
#include "util.h"

struct scan {
	const char *p, *end;
	const char *why;
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

/* A number: JSON's grammar; its integer value (0 if not an integer) to *v. */
static int scan_number(struct scan *s, long long *v)
{
	const char *p = s->p, *e = s->end;
	long long n = 0;
	int neg = 0, isint = 1;

	if (p < e && *p == '-')
		neg = 1, p++;
	if (p >= e || *p < '0' || *p > '9')
		return fail(s, "bad number");
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9') {
			if (n < 1000000000000000000LL)
				n = n * 10 + (*p - '0');
			p++;
		}
	if (p < e && *p == '.') {
		isint = 0;
		if (++p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		isint = 0;
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (v)
		*v = isint ? (neg ? -n : n) : 0;
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
		return scan_number(s, NULL);
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

static int take_number(struct scan *s, long long *out)
{
	if (s->p >= s->end || (*s->p != '-' && (*s->p < '0' || *s->p > '9')))
		return 0;
	return scan_number(s, out) ? -1 : 1;
}

static int caller_field(const struct span *k, struct scan *s, void *ctx)
{
	struct logline *l = ctx;

	if (KEY_IS(k, "func"))
		return take_string(s, &l->caller_func);
	if (KEY_IS(k, "file"))
		return take_string(s, &l->caller_file);
	if (KEY_IS(k, "line"))
		return take_number(s, &l->caller_line);
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
		return take_number(s, &l->site_line);
	if (KEY_IS(k, "col"))
		return take_number(s, &l->site_col);
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
			return take_number(s, &l->pid);
		if (KEY_IS(k, "exe"))
			return take_string(s, &l->exe);
		break;
	case 4:
		if (KEY_IS(k, "site") && s->p < s->end && *s->p == '{')
			return scan_object(s, 1, site_field, l) ? -1 : 1;
		break;
	case 6:
		if (KEY_IS(k, "caller") && s->p < s->end && *s->p == '{')
			return scan_object(s, 1, caller_field, l) ? -1 : 1;
		if (KEY_IS(k, "target"))
			return take_string(s, &l->target);
		if (KEY_IS(k, "schema"))
			return take_number(s, &l->schema);
		break;
	}
	return 0;
}

int logread_parse(const char *line, size_t len, struct logline *l, const char **why)
{
	struct scan s = { line, line + len, NULL };

	memset(l, 0, sizeof(*l));
	l->pid = -1;
	l->schema = 1;
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
		return -1;
	}
	skip_ws(&s);
	if (s.p != s.end) {
		*why = "text after the JSON object";
		return -1;
	}
	return 0;
}

int logread_unescape(const struct span *sp, struct strbuf *out)
{
	json_t *j;
	struct strbuf q = STRBUF_INIT;

	if (!memchr(sp->p, '\\', sp->n)) {
		strbuf_add(out, sp->p, sp->n);
		return 0;
	}
	strbuf_addch(&q, '"');
	strbuf_add(&q, sp->p, sp->n);
	strbuf_addch(&q, '"');
	j = json_loadb(q.buf, q.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	strbuf_release(&q);
	if (!j)
		return -1;
	strbuf_add(out, json_string_value(j), json_string_length(j));
	json_decref(j);
	return 0;
}

int logread_file(const char *path,
		 int (*fn)(const char *line, size_t len, unsigned long lineno, int complete,
			   void *ctx),
		 void *ctx)
{
	size_t alloc = LOGREAD_CHUNK, have = 0;
	char *buf;
	unsigned long lineno = 0;
	int fd, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	/* Sequential reads: let the kernel read ahead aggressively. */
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	buf = xmalloc(alloc);
	for (;;) {
		ssize_t n;
		char *p, *nl, *end;

		if (have == alloc) /* one line longer than the buffer */
			buf = xrealloc(buf, alloc *= 2);
		n = read(fd, buf + have, alloc - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = error("cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (n == 0) {
			if (have)
				ret = fn(buf, have, ++lineno, 0, ctx);
			break;
		}
		have += (size_t)n;
		p = buf;
		end = buf + have;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if ((ret = fn(p, (size_t)(nl - p), ++lineno, 1, ctx)))
				goto out;
			p = nl + 1;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
	}
out:
	free(buf);
	close(fd);
	return ret;
}
