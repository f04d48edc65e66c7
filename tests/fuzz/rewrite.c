/*
 * rewrite.c - libFuzzer target: the unsafe rewriter on any bytes, as a Go
 * source file, with and without generics.
 *
 * It must not crash (nor trip the address and undefined-behaviour
 * sanitizers), and what it writes must hold: a rewritten file parses
 * (through gosyn, respelling included) with no error node and the same
 * number of lines as the input; the package's wrapper file parses with no
 * error node; and its site table gives back, for every wrapped site, the
 * op, id, file, line, column, source text and target type the inventory
 * has (a decoder written here from the format's description in
 * inject/runtime/goinstr_unsafe.go, which the runtime's follows). A
 * failed check aborts, which libFuzzer reports as a crash.
 *
 * Built by `make build/fuzz/rewrite` (clang, -fsanitize=fuzzer,address,
 * undefined); run by tests/fuzz.sh with its corpus tests/fuzz/rewrite/
 * (the rewriter's fixtures and tests/unsafe's sources as seeds, and one
 * regress-* file per crash found and fixed).
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

	rwunsafe_site_table(ru, &b);
	t = (struct tab){ b.buf, b.len, 2, 0 };
	need(b.len >= 2 && !memcmp(b.buf, "U1", 2), "site table: no U1 tag");
	nsites = num(&t);
	need(!t.bad && nsites == ru->nslots, "site table: site count");
	nblocks = (nsites + 31) / 32;
	index = t.pos;
	records = index + 6 * (nblocks + 1);
	pool = records + fixed(&t, index + 6 * nblocks);
	for (size_t i = 0; i < ru->nr; i++) {
		const struct usite *s = &ru->v[i];
		uint64_t op, file, col, expr, to, d;
		if (!s->wrapped)
			continue;
		need(s->slot == (int)k, "site table: slots in order");
		if (k % 32 == 0) { /* a block: its offset, lines from 0 */
			t.pos = records + fixed(&t, index + 6 * (k / 32));
			line = 0;
		}
		op = num(&t);
		need(op < 6 && !strcmp(ops[op], s->op), "site table: op");
		need(t.pos + 16 <= t.n && !memcmp(t.s + t.pos, s->id, 16), "site table: id");
		t.pos += 16;
		file = num(&t);
		d = num(&t); /* zigzag: the difference from the previous line */
		col = num(&t);
		expr = num(&t);
		to = num(&t);
		need(!t.bad, "site table: a record ends early");
		line = d & 1 ? line - (d >> 1) - 1 : line + (d >> 1);
		need(line == s->line, "site table: line");
		need(col == s->col, "site table: column");
		need(pool_is(&t, pool, file, s->file), "site table: file");
		need(pool_is(&t, pool, expr, s->expr), "site table: expr");
		need(s->to ? to > 0 && pool_is(&t, pool, to - 1, s->to) : to == 0, "site table: to");
		k++;
	}
	need(k == nsites, "site table: every wrapped site");
	strbuf_release(&b);
}

static void rewrite(const char *src, size_t len, int generics)
{
	struct rwunsafe ru;
	struct strbuf out = STRBUF_INIT;
	int changed = 0, r;

	rwunsafe_init(&ru, generics);
	r = rwunsafe_file(&ru, "/src/fuzz/f.go", src, len, &out, &changed);
	need(r >= -1 && r <= 1, "return value");
	if (changed) {
		need(r == 0, "a rewritten file returns 0");
		need(count_lines(out.buf, out.len) == count_lines(src, len), "the line count changed");
		need(parses_clean(out.buf, out.len), "the rewritten file does not parse");
	} else {
		need(!out.len, "output without a change");
	}
	if (ru.nslots) {
		struct strbuf sup = STRBUF_INIT;
		rwunsafe_support(&ru, &sup);
		need(parses_clean(sup.buf, sup.len), "the wrapper file does not parse");
		strbuf_release(&sup);
		check_table(&ru);
	}
	rwunsafe_release(&ru);
	strbuf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0; /* the parser's time, not the rewriter's correctness */
	rewrite((const char *)data, size, 1);
	rewrite((const char *)data, size, 0);
	return 0;
}
