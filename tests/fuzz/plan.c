/*
 * plan.c - libFuzzer target: goinstr's reading of goinstr-types' plans
 * (rwunsafe_load, _apply, _support, _site_table) on any bytes: the first
 * line is a Go source file's text (its newlines written as \x01), the
 * rest a plan for it.
 *
 * It must not crash (nor trip the address and undefined-behaviour
 * sanitizers), and what it writes must hold: a plan it accepts, applied,
 * keeps every line of the source (no edit may hold a newline); the
 * package's wrapper file parses with no error node; and its site table
 * gives back, for every wrapped site, the op, id, file, line, column,
 * source text, types and next site the inventory has (a decoder written
 * here from the format's description in inject/runtime/goinstr_unsafe.go,
 * which the runtime's follows). A failed check aborts, which libFuzzer
 * reports as a crash.
 *
 * Built by `make build/fuzz/plan` (clang, -fsanitize=fuzzer,address,
 * undefined); run by tests/fuzz.sh with its corpus tests/fuzz/plan/ (the
 * plans of tests/rewrite/unsafe as seeds, and one regress-* file per crash
 * found and fixed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gosyn.h"
#include "rwunsafe.h"
#include "strbuf.h"

static void need(int cond, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "rewrite: %s\n", what);
	abort();
}

static size_t count_lines(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

static int parses_clean(const char *s, size_t n)
{
	struct gosyn g;
	size_t at;
	int ok;

	if (gosyn_parse(&g, s, n) < 0)
		return 0;
	ok = !gosyn_has_error(&g, &at);
	gosyn_release(&g);
	return ok;
}

/* The site table's reader (see inject/runtime/goinstr_unsafe.go). */
struct tab {
	const char *s;
	size_t n, pos;
	int bad;
};

static uint64_t num(struct tab *t)
{
	uint64_t v = 0;
	while (t->pos < t->n && !t->bad) {
		int c = (unsigned char)t->s[t->pos++];
		if (c >= ']' && c < ']' + 32)
			return v << 5 | (uint64_t)(c - ']');
		if (c < '#' || c >= '#' + 32 || v > (UINT64_C(1) << 50))
			break;
		v = v << 5 | (uint64_t)(c - '#');
	}
	t->bad = 1;
	return 0;
}

static size_t fixed(struct tab *t, size_t off)
{
	size_t v = 0;
	for (int k = 0; k < 6; k++) {
		int c = off + k < t->n ? (unsigned char)t->s[off + k] - '#' : -1;
		if (c < 0 || c >= 32) {
			t->bad = 1;
			return 0;
		}
		v = v << 5 | (size_t)c;
	}
	return v;
}

/* The words of the format's description (goinstrUWords). */
static const char *const words[] = {
	"unsafe.Pointer(", "uintptr(", "unsafe.Add(", "(*uintptr)(", "unsafe.Slice(",
	"unsafe.String(", "unsafe.SliceData(", "unsafe.StringData(", "(*int32)(", "(*int64)(",
	"(*uint8)(", "(*byte)(", "(*int8)(", "(*uint32)(", "(*uint64)(", "(*int16)(", "(*uint16)(",
	"))", ")(",
};

/* The pool's text at off, its words written out, equals s. */
static int pool_text_is(struct tab *t, size_t pool, uint64_t off, const char *s)
{
	size_t save = t->pos, len;
	struct strbuf x = STRBUF_INIT;
	int eq;

	t->pos = pool + off;
	len = num(t);
	for (size_t i = 0; !t->bad && t->pos + len <= t->n && i < len; i++) {
		unsigned char c = (unsigned char)t->s[t->pos + i];
		if (c != 1) {
			strbuf_addch(&x, c);
		} else if (++i < len && t->s[t->pos + i] == 1) {
			strbuf_addch(&x, 1);
		} else if (i < len && t->s[t->pos + i] >= '0' &&
			   (size_t)(t->s[t->pos + i] - '0') < sizeof(words) / sizeof(*words)) {
			strbuf_addstr(&x, words[t->s[t->pos + i] - '0']);
		} else {
			t->bad = 1;
		}
	}
	eq = !t->bad && t->pos + len <= t->n && !strcmp(x.buf, s) && x.len == strlen(s);
	t->pos = save;
	strbuf_release(&x);
	return eq;
}

/* The pool's string at off equals s. */
static int pool_is(struct tab *t, size_t pool, uint64_t off, const char *s)
{
	size_t save = t->pos, len;
	int eq;

	t->pos = pool + off;
	len = num(t);
	eq = !t->bad && t->pos + len <= t->n && len == strlen(s) && !memcmp(t->s + t->pos, s, len);
	t->pos = save;
	return eq;
}

static void check_table(const struct rwunsafe *ru)
{
	static const char *const ops[] = { "unsafe.Pointer", "unsafe.Add", "unsafe.Slice",
					   "unsafe.SliceData", "unsafe.String", "unsafe.StringData" };
	struct strbuf b = STRBUF_INIT;
	struct tab t;
	size_t nsites, nblocks, index, records, pool, k = 0;
	uint64_t line = 0;
	const char *prev = NULL;

	rwunsafe_site_table(ru, &b);
	t = (struct tab){ b.buf, b.len, 2, 0 };
	need(b.len >= 2 && !memcmp(b.buf, "U3", 2), "site table: no U3 tag");
	nsites = num(&t);
	need(!t.bad && nsites == ru->nslots, "site table: site count");
	nblocks = (nsites + 31) / 32;
	index = t.pos;
	records = index + 6 * (nblocks + 1);
	pool = records + fixed(&t, index + 6 * nblocks);
	for (size_t i = 0; i < ru->nr; i++) {
		const struct usite *s = &ru->v[i];
		uint64_t op, file, col, expr, from, to, next, d;
		if (!s->wrapped)
			continue;
		need(s->slot == (int)k, "site table: slots in order");
		if (k % 32 == 0) { /* a block: its offset, lines from 0 */
			t.pos = records + fixed(&t, index + 6 * (k / 32));
			line = 0;
			prev = NULL;
		}
		op = num(&t);
		need(op < 6 && !strcmp(ops[op], s->op), "site table: op");
		file = num(&t);
		d = num(&t); /* zigzag: the difference from the previous line */
		col = num(&t);
		expr = num(&t);
		if (expr & 1) { /* a part of the previous record's text */
			uint64_t n = num(&t), start = expr >> 1;
			need(!t.bad && prev && start + n <= strlen(prev) && n == strlen(s->expr) &&
				     !memcmp(prev + start, s->expr, n),
			     "site table: expr within the previous one's");
		} else {
			need(pool_text_is(&t, pool, expr >> 1, s->expr), "site table: expr");
		}
		prev = s->expr;
		from = num(&t);
		to = num(&t);
		next = num(&t);
		need(!t.bad, "site table: a record ends early");
		line = d & 1 ? line - (d >> 1) - 1 : line + (d >> 1);
		need(line == s->line, "site table: line");
		need(col == s->col, "site table: column");
		need(pool_is(&t, pool, file, s->file), "site table: file");
		need(s->from ? from > 0 && pool_is(&t, pool, from - 1, s->from) : from == 0,
		     "site table: from");
		need(s->to ? to > 0 && pool_is(&t, pool, to - 1, s->to) : to == 0, "site table: to");
		need(next == (s->next > s->slot ? (uint64_t)(s->next - s->slot) : 0), "site table: next");
		k++;
	}
	need(k == nsites, "site table: every wrapped site");
	strbuf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *nl = memchr(d, '\n', size);
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	struct rwunsafe ru;
	size_t n;
	int changed = 0;

	if (!nl || size > 1 << 20)
		return 0;
	for (const char *p = d; p < nl; p++)
		strbuf_addch(&src, *p == 1 ? '\n' : *p);
	n = size - (size_t)(nl + 1 - d);
	rwunsafe_init(&ru);
	if (rwunsafe_load(&ru, nl + 1, n) == 0) {
		for (int in = 0; in < 2; in++) {
			strbuf_reset(&out);
			if (rwunsafe_apply(&ru, in, src.buf, src.len, &out, &changed) == 0 && changed)
				need(count_lines(out.buf, out.len) == count_lines(src.buf, src.len),
				     "the line count changed");
		}
		if (ru.nslots) {
			struct strbuf sup = STRBUF_INIT;
			rwunsafe_support(&ru, &sup);
			need(parses_clean(sup.buf, sup.len), "the wrapper file does not parse");
			strbuf_release(&sup);
			check_table(&ru);
		}
	}
	rwunsafe_release(&ru);
	strbuf_release(&src);
	strbuf_release(&out);
	return 0;
}
