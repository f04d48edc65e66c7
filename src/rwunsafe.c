/*
 * rwunsafe.c - a package's unsafe sites and wrappers from goinstr-types'
 * plan (rwunsafe.h).
 */
#include "rwunsafe.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "goenv.h"
#include "hash.h"
#include "htab.h"
#include "util.h"

void rwunsafe_init(struct rwunsafe *ru)
{
	memset(ru, 0, sizeof(*ru));
}

void rwunsafe_release(struct rwunsafe *ru)
{
	for (size_t i = 0; i < ru->nr; i++) {
		struct usite *s = &ru->v[i];
		free(s->op), free(s->file), free(s->expr), free(s->from), free(s->to), free(s->why);
	}
	for (size_t i = 0; i < ru->ne; i++)
		free(ru->e[i].text);
	free(ru->v);
	free(ru->e);
	free(ru->pkgname);
	free(ru->dir);
	free(ru->error);
	memset(ru, 0, sizeof(*ru));
}

static char *jstrdup(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? xstrdup(s) : NULL;
}

static int jint(json_t *o, const char *k)
{
	return (int)json_integer_value(json_object_get(o, k));
}

/* The ops a tap can log, by their number in the site table. */
static const char *const tap_ops[] = { "unsafe.Pointer", "unsafe.Add", "unsafe.Slice",
				       "unsafe.SliceData", "unsafe.String", "unsafe.StringData" };
enum { NTAP_OPS = sizeof(tap_ops) / sizeof(*tap_ops) };

static int tap_op(const char *op)
{
	for (int i = 0; i < NTAP_OPS; i++)
		if (!strcmp(op, tap_ops[i]))
			return i;
	return -1;
}

/* One "site" object into ru->v. 0 or -1 (reported). */
static int load_site(struct rwunsafe *ru, json_t *o)
{
	struct usite *s;
	struct strbuf key = STRBUF_INIT, hex = STRBUF_INIT;
	const char *file = json_string_value(json_object_get(o, "file"));
	const char *op = json_string_value(json_object_get(o, "op"));

	if (!file || !op)
		return error("goinstr-types: a site without file or op");
	/* files are named in line directives: a block comment, one line */
	if (strchr(file, '\n') || strstr(file, "*/"))
		return error("goinstr-types: a site in a file goinstr cannot name");
	if (ru->nr == ru->alloc) {
		ru->alloc = ru->alloc ? 2 * ru->alloc : 64;
		ru->v = xrealloc(ru->v, ru->alloc * sizeof(*ru->v));
	}
	s = &ru->v[ru->nr++];
	memset(s, 0, sizeof(*s));
	s->op = xstrdup(op);
	go_trimpath(file, ru->trim, &key);
	s->file = xstrdup(key.buf);
	s->line = (unsigned)jint(o, "line");
	s->col = (unsigned)jint(o, "col");
	s->expr = jstrdup(o, "expr");
	if (!s->expr)
		s->expr = xstrdup("");
	s->from = jstrdup(o, "from");
	s->to = jstrdup(o, "to");
	s->in = jint(o, "in");
	s->wrapped = json_is_true(json_object_get(o, "wrapped"));
	s->blind = json_is_true(json_object_get(o, "blind"));
	s->why = jstrdup(o, "reason");
	s->slot = jint(o, "slot");
	s->next = jint(o, "next");
	/* The id names the site as the compiler names its position. */
	strbuf_addf(&key, ":%u:%u:%s", s->line, s->col, op);
	sha256_buf_hex(key.buf, key.len, &hex);
	memcpy(s->id, hex.buf, 16);
	s->id[16] = '\0';
	strbuf_release(&key);
	strbuf_release(&hex);
	if (s->wrapped) {
		if (s->slot < 0 || (unsigned)s->slot != ru->nslots)
			return error("goinstr-types: site slots out of order");
		if (tap_op(op) < 0)
			return error("goinstr-types: a wrapped site of op '%.40s'", op);
		if (s->next >= 0 && s->next <= s->slot)
			return error("goinstr-types: a site logged with an earlier one");
		ru->nslots++;
		if (!ru->dir) {
			const char *slash = strrchr(file, '/');
			ru->dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup(".");
		}
	}
	return 0;
}

static int load_edit(struct rwunsafe *ru, json_t *o)
{
	const char *text = json_string_value(json_object_get(o, "text"));
	json_int_t off = json_integer_value(json_object_get(o, "off"));

	if (!text || off < 0 || strchr(text, '\n'))
		return error("goinstr-types: a malformed edit");
	if (ru->ne == ru->ealloc) {
		ru->ealloc = ru->ealloc ? 2 * ru->ealloc : 128;
		ru->e = xrealloc(ru->e, ru->ealloc * sizeof(*ru->e));
	}
	ru->e[ru->ne++] = (struct uedit){ jint(o, "in"), (size_t)off, xstrdup(text) };
	return 0;
}

/*
 * The package's name, which the wrapper file's package clause repeats: an
 * ASCII identifier (a package named otherwise is compiled as written).
 */
static int load_package(struct rwunsafe *ru, json_t *o)
{
	const char *n = json_string_value(json_object_get(o, "name"));

	if (!n || !*n || (*n >= '0' && *n <= '9') ||
	    n[strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")])
		return error("goinstr-types: a package name goinstr cannot repeat");
	ru->pkgname = xstrdup(n);
	return 0;
}

int rwunsafe_load(struct rwunsafe *ru, const char *out, size_t len)
{
	size_t pos = 0;
	int ret = 0;

	while (pos < len && !ret) {
		size_t n = len - pos;
		const char *nl = memchr(out + pos, '\n', n);
		json_error_t jerr;
		json_t *o, *v;

		if (nl)
			n = (size_t)(nl - (out + pos));
		o = json_loadb(out + pos, n, 0, &jerr);
		pos += n + 1;
		if (!o) {
			ret = error("goinstr-types: bad output: %s", jerr.text);
			break;
		}
		if ((v = json_object_get(o, "site")))
			ret = load_site(ru, v);
		else if ((v = json_object_get(o, "edit")))
			ret = load_edit(ru, v);
		else if ((v = json_object_get(o, "package")) && !ru->pkgname)
			ret = load_package(ru, v);
		else if ((v = json_object_get(o, "error")) && !ru->error)
			ru->error = xstrdup(json_string_value(v) ? json_string_value(v) : "error");
		else
			ret = error("goinstr-types: unknown output line");
		json_decref(o);
	}
	return ret;
}

int rwunsafe_apply(const struct rwunsafe *ru, int in, const char *src, size_t len,
		   struct strbuf *out, int *changed)
{
	struct editbuf eb;
	int ret = 0;

	*changed = 0;
	editbuf_init(&eb, src, len);
	for (size_t i = 0; i < ru->ne; i++) {
		const struct uedit *e = &ru->e[i];
		if (e->in != in)
			continue;
		if (e->off > len) {
			ret = error("goinstr-types: an edit past the end of input %d", in);
			break;
		}
		edit_insert(&eb, e->off, e->text);
	}
	if (!ret && eb.nr) {
		ret = edit_apply(&eb, out);
		*changed = !ret;
	}
	editbuf_release(&eb);
	return ret;
}

void rwunsafe_blind_package(struct rwunsafe *ru, const char *desc, const char *why)
{
	const char *trim = ru->trim;
	struct usite *s;
	struct strbuf h = STRBUF_INIT;

	rwunsafe_release(ru);
	rwunsafe_init(ru);
	ru->trim = trim;
	ru->v = xcalloc(1, sizeof(*ru->v));
	ru->nr = ru->alloc = 1;
	s = &ru->v[0];
	s->op = xstrdup("package");
	s->file = xstrdup(desc);
	s->expr = xstrdup(desc);
	s->why = xstrdup(why);
	s->blind = 1;
	s->slot = s->next = -1;
	sha256_buf_hex(desc, strlen(desc), &h);
	memcpy(s->id, h.buf, 16);
	strbuf_release(&h);
}

void rwunsafe_blind(const struct rwunsafe *ru, struct strbuf *out)
{
	static const struct {
		const char *op, *one, *many;
	} kinds[] = {
		{ "package", "compiled without its taps", "compiled without its taps" },
		{ "cgo", "call into C", "calls into C" },
		{ "asm", "function not in Go", "functions not in Go" },
		{ "go:linkname", "linkname pull into the runtime or reflect",
		  "linkname pulls into the runtime or reflect" },
		{ NULL, "unsafe operation not wrapped", "unsafe operations not wrapped" },
	};
	size_t at = out->len;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		size_t n = 0;
		const struct usite *first = NULL;
		for (size_t i = 0; i < ru->nr; i++) {
			const struct usite *s = &ru->v[i];
			int match = kinds[k].op ? !strcmp(s->op, kinds[k].op)
						: strncmp(s->op, "unsafe.", 7) == 0;
			if (s->blind && match) {
				n++;
				first = first ? first : s;
			}
		}
		if (!n)
			continue;
		if (out->len > at)
			strbuf_addstr(out, "; ");
		if (!strcmp(first->op, "package")) { /* the whole package, and why */
			strbuf_addf(out, "%s (%s)", kinds[k].one, first->why ? first->why : "");
			continue;
		}
		strbuf_addf(out, "%zu %s", n, n == 1 ? kinds[k].one : kinds[k].many);
		if (!kinds[k].op && first->why) /* which rule left them: the first one's */
			strbuf_addf(out, " (%s)", first->why);
	}
}

/*
 * The site table (decoded by the runtime, inject/runtime/goinstr_unsafe.go,
 * whose comment describes the format): printable but for the strings it
 * quotes, so the Go literal is about its own size.
 */
enum { TAB_BLOCK = 32, TAB_FIXED = 6 };

static void put_num(struct strbuf *sb, uint64_t v)
{
	char d[16];
	int n = 0;

	do {
		d[n++] = (char)(v & 31);
		v >>= 5;
	} while (v);
	while (n > 1)
		strbuf_addch(sb, '#' + d[--n]);
	strbuf_addch(sb, ']' + d[0]);
}

static void put_fixed(struct strbuf *sb, size_t v)
{
	for (int k = TAB_FIXED - 1; k >= 0; k--)
		strbuf_addch(sb, '#' + (int)((v >> (5 * k)) & 31));
}

/* Each string once, as its length then its bytes: offsets by content. */
struct pooled {
	const char *s;
	size_t len, off;
};

struct pool {
	struct strbuf buf;
	struct htab t;
};

static int pooled_eq(const void *item, const void *key)
{
	const struct pooled *a = item, *b = key;
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

static size_t pool_add(struct pool *p, const char *s)
{
	struct pooled key = { s, strlen(s), 0 }, *it;
	uint64_t h = htab_hash(s, key.len);
	size_t slot = htab_slot(&p->t, h, pooled_eq, &key);

	if (p->t.v[slot])
		return ((struct pooled *)p->t.v[slot])->off;
	it = xmalloc(sizeof(*it));
	*it = key;
	it->s = xstrndup(s, key.len); /* s may be a caller's scratch */
	it->off = p->buf.len;
	put_num(&p->buf, key.len);
	strbuf_add(&p->buf, s, key.len);
	htab_put(&p->t, slot, h, it);
	return it->off;
}

/* A string of the pool plus one, or 0 for none. */
static uint64_t pool_opt(struct pool *p, const char *s)
{
	return s ? pool_add(p, s) + 1 : 0;
}

/*
 * The words unsafe code repeats, which a site's text in the pool holds as
 * two bytes, \x01 and '0'+i (a \x01 of the source is \x01\x01): about
 * half the table of transpiled C. The runtime's list (goinstrUWords, in
 * inject/runtime/goinstr_unsafe.go) is this one, in this order.
 */
static const char *const words[] = {
	"unsafe.Pointer(", "uintptr(", "unsafe.Add(", "(*uintptr)(", "unsafe.Slice(",
	"unsafe.String(", "unsafe.SliceData(", "unsafe.StringData(", "(*int32)(", "(*int64)(",
	"(*uint8)(", "(*byte)(", "(*int8)(", "(*uint32)(", "(*uint64)(", "(*int16)(", "(*uint16)(",
	"))", ")(",
};

static void put_words(struct strbuf *out, const char *s)
{
	while (*s) {
		size_t k = 0, n = 0;
		for (; k < sizeof(words) / sizeof(*words); k++)
			if (!strncmp(s, words[k], n = strlen(words[k])))
				break;
		if (k < sizeof(words) / sizeof(*words)) {
			strbuf_addch(out, 1);
			strbuf_addch(out, '0' + (int)k);
			s += n;
		} else {
			if (*s == 1)
				strbuf_addch(out, 1);
			strbuf_addch(out, *s++);
		}
	}
}

/*
 * A site's source text: a substring of the previous record's in the block
 * (an absorbed operand's, as a rule: "(*T)(unsafe.Pointer(p))" then
 * "unsafe.Pointer(p)") is written as 2*START+1 and its length; any other
 * as 2*its offset in the pool.
 */
static void put_expr(struct strbuf *rec, struct pool *pool, const char *expr, const char *prev)
{
	size_t n = strlen(expr);
	const char *at = prev && n ? memmem(prev, strlen(prev), expr, n) : NULL;

	if (at) {
		put_num(rec, 2 * (uint64_t)(at - prev) + 1);
		put_num(rec, n);
	} else {
		struct strbuf w = STRBUF_INIT;
		put_words(&w, expr);
		put_num(rec, 2 * (uint64_t)pool_add(pool, w.buf));
		strbuf_release(&w);
	}
}

void rwunsafe_site_table(const struct rwunsafe *ru, struct strbuf *out)
{
	struct strbuf idx = STRBUF_INIT, rec = STRBUF_INIT;
	struct pool pool = { STRBUF_INIT, { 0 } };
	unsigned k = 0, prev = 0;
	const char *prev_expr = NULL;

	htab_init(&pool.t);
	/* the strings many records name first: their offsets are short */
	for (size_t i = 0; i < ru->nr; i++)
		if (ru->v[i].wrapped) {
			pool_add(&pool, ru->v[i].file);
			pool_opt(&pool, ru->v[i].from);
			pool_opt(&pool, ru->v[i].to);
		}
	for (size_t i = 0; i < ru->nr; i++) {
		const struct usite *s = &ru->v[i];
		if (!s->wrapped)
			continue;
		if (k++ % TAB_BLOCK == 0) {
			put_fixed(&idx, rec.len);
			prev = 0;
			prev_expr = NULL;
		}
		put_num(&rec, (uint64_t)tap_op(s->op));
		put_num(&rec, pool_add(&pool, s->file));
		put_num(&rec, s->line >= prev ? 2 * (uint64_t)(s->line - prev)
					       : 2 * (uint64_t)(prev - s->line) - 1);
		prev = s->line;
		put_num(&rec, s->col);
		put_expr(&rec, &pool, s->expr, prev_expr);
		prev_expr = s->expr;
		put_num(&rec, pool_opt(&pool, s->from));
		put_num(&rec, pool_opt(&pool, s->to));
		/* the next site logged with this one comes after it */
		put_num(&rec, s->next > s->slot ? (uint64_t)(s->next - s->slot) : 0);
	}
	put_fixed(&idx, rec.len);
	strbuf_addstr(out, "U3");
	put_num(out, k);
	strbuf_add(out, idx.buf, idx.len);
	strbuf_add(out, rec.buf, rec.len);
	strbuf_add(out, pool.buf.buf, pool.buf.len);
	for (size_t i = 0; i < pool.t.cap; i++) {
		struct pooled *it = pool.t.v[i];
		if (it)
			free((char *)it->s);
		free(it);
	}
	htab_release(&pool.t);
	strbuf_release(&pool.buf);
	strbuf_release(&idx);
	strbuf_release(&rec);
}

void rwunsafe_support(const struct rwunsafe *ru, struct strbuf *out)
{
	struct strbuf tab = STRBUF_INIT;

	rwunsafe_site_table(ru, &tab);
	strbuf_addf(out,
		"// Code generated by goinstr. DO NOT EDIT.\n\n"
		"// The taps of this package's unsafe operations: each logs its\n"
		"// site's first execution, through package runtime.\n\n"
		"/*line %s/zz_goinstr_unsafe.go:7:1*/package %s\n\n"
		"import goinstr_unsafe \"unsafe\"\n\n"
		"// goinstrUDone[i] is set by the runtime once site i is logged (or\n"
		"// logging is off); goinstrUTab describes the sites, for the runtime.\n"
		"var goinstrUDone [%u]uint32\n\n"
		"const goinstrUTab = ", ru->dir ? ru->dir : ".",
		ru->pkgname ? ru->pkgname : "main", ru->nslots);
	strbuf_addgoquoted(out, tab.buf, tab.len);
	strbuf_addstr(out,
		"\n\n"
		"// The types the taps name, safe from the package's own names.\n"
		"type (\n\tgoinstrByte    = byte\n\tgoinstrUintptr = uintptr\n)\n\n"
		"//go:linkname goinstrUEvent runtime.goinstrUnsafeEvent\n"
		"func goinstrUEvent(done *uint32, tab string, i int)\n\n"
		"// goinstrUSlow hands the first hit of site *d to the runtime.\n"
		"//\n"
		"//go:noinline\n"
		"func goinstrUSlow(d *uint32) {\n"
		"\ti := (uintptr(goinstr_unsafe.Pointer(d)) - uintptr(goinstr_unsafe.Pointer(&goinstrUDone))) / 4\n"
		"\tgoinstrUEvent(d, goinstrUTab, int(i))\n"
		"}\n\n"
		"// goinstrU0 is a tap: it reads nothing of the program and returns 0,\n"
		"// which the site combines with its operand (docs/unsafe.md). Once the\n"
		"// runtime has set the site's flag (only ever from 0 to 1) it is a load\n"
		"// and a branch, inlined; goinstrU0C is the same, called, for\n"
		"// declarations dense in taps (see goinstr's rwunsafe.h).\n"
		"func goinstrU0(d *uint32) uintptr {\n"
		"\tif *d == 0 {\n\t\tgoinstrUSlow(d)\n\t}\n\treturn 0\n}\n\n"
		"//go:noinline\n//go:nosplit\n"
		"func goinstrU0C(d *uint32) uintptr { return goinstrU0(d) }\n");
	strbuf_release(&tab);
}

void usite_json(const struct usite *s, struct strbuf *out)
{
	strbuf_addstr(out, "{\"id\":");
	strbuf_addjson(out, s->id, strlen(s->id));
	strbuf_addstr(out, ",\"op\":");
	strbuf_addjson(out, s->op, strlen(s->op));
	strbuf_addstr(out, ",\"file\":");
	strbuf_addjson(out, s->file, strlen(s->file));
	strbuf_addf(out, ",\"line\":%u,\"col\":%u,\"expr\":", s->line, s->col);
	strbuf_addjson(out, s->expr, strlen(s->expr));
	if (s->from) {
		strbuf_addstr(out, ",\"from\":");
		strbuf_addjson(out, s->from, strlen(s->from));
	}
	if (s->to) {
		strbuf_addstr(out, ",\"to\":");
		strbuf_addjson(out, s->to, strlen(s->to));
	}
	strbuf_addf(out, ",\"wrapped\":%s", s->wrapped ? "true" : "false");
	if (s->blind)
		strbuf_addstr(out, ",\"blind\":true");
	strbuf_addstr(out, ",\"reason\":");
	strbuf_addjson(out, s->why ? s->why : "", s->why ? strlen(s->why) : 0);
	strbuf_addch(out, '}');
}
