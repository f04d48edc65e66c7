/*
 * test_logformat.c - the reader's side of the log format's golden fixture
 * (docs/log.md owns the format). tests/logger/golden.jsonl holds the lines
 * the injected logger writes for tests/logger/golden (tests/logger.sh
 * checks the writer against it byte for byte); here logread reads the
 * same file, rejects none of it, and decodes, line by line, exactly the
 * fields below. Run from the checkout (make check), or given the
 * fixture's path.
 */
#include <stdlib.h>

#include "check.h"
#include "logread.h"
#include "strbuf.h"

#define MAIN_GO "goinstr.test/golden/main.go"
#define MAIN "{\"path\":\"goinstr.test/golden\",\"version\":\"(devel)\"," \
	"\"pkg\":\"goinstr.test/golden\"}"
#define DEPS "[{\"path\":\"goinstr.test/gdep\",\"version\":\"v0.0.0\"," \
	"\"replace\":{\"path\":\"./gdep\",\"version\":\"(devel)\"}}]"

/*
 * A line's fields as logread decodes them. NULL: absent. Numbers absent
 * from a line are 0 here, which the check maps to what logread_parse
 * gives for an absent one (schema 1, dropped -1). op is msg on every
 * event line, absent on the others (no cat).
 */
struct want {
	int n; /* the line number, for the reader of this table */
	const char *msg, *cat, *target;
	long long pid, schema, part, dropped;
	const char *func, *file;
	long long line;
	const char *site_id, *site_expr;
	long long site_line, site_col;
	const char *exe, *go, *start, *main, *deps;
};

static const struct want want[] = {
	{ 1, .msg = "goinstr.start", .pid = 1001, .schema = 2, .part = 1,
	  .exe = "/opt/golden/golden", .go = "go1.26.8",
	  .start = "2026-12-01T00:00:01.000000000Z", .main = MAIN, .deps = DEPS },
	{ 2, .msg = "reflect.Value.Call", .cat = "call", .target = "main.double", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 31 },
	{ 3, .msg = "unsafe.Add", .cat = "unsafe", .pid = 1001, .func = "main.events",
	  .file = MAIN_GO, .line = 33, .site_id = "e8567f55c5ee81f4", .site_line = 33,
	  .site_col = 7, .site_expr = "unsafe.Add(unsafe.Pointer(&b[0]), 4)" },
	{ 4, .msg = "unsafe.Pointer", .cat = "unsafe", .pid = 1001, .func = "main.events",
	  .file = MAIN_GO, .line = 33, .site_id = "17a0f3fbe38c3d58", .site_line = 33,
	  .site_col = 18, .site_expr = "unsafe.Pointer(&b[0])" },
	{ 5, .msg = "unsafe.Pointer", .cat = "unsafe", .target = "*int32", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 34, .site_id = "b4dbca00e89ac07f",
	  .site_line = 34, .site_col = 7, .site_expr = "(*int32)(q)" },
	{ 6, .msg = "reflect.Value.FieldByName", .cat = "lookup", .target = "main.Config.Name",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 37 },
	{ 7, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 38 },
	{ 8, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 39 },
	{ 9, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 40 },
	{ 10, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 41 },
	{ 11, .msg = "reflect.Value.FieldByName", .cat = "lookup", .target = "main.Config.Port",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 42 },
	{ 12, .msg = "reflect.Value.SetInt", .cat = "mutate", .target = "int", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 42 },
	{ 13, .msg = "reflect.Value.Set", .cat = "mutate", .target = "main.Config", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 43 },
	{ 14, .msg = "reflect.Value.MethodByName", .cat = "call",
	  .target = "main.Config.Desc\"ribe\\u0000\x1b\xef\xbf\xbd", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 44 },
	{ 15, .msg = "reflect.Type.MethodByName", .cat = "lookup",
	  .target = "main.Config.AMethodNameLonge\xe2\x80\xa6", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 45 },
	{ 16, .msg = "reflect.Value.SetFloat", .cat = "mutate", .target = "float64",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 47 },
	{ 17, .msg = "reflect.Value.SetBool", .cat = "mutate", .target = "bool", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 49 },
	{ 18, .msg = "reflect.MakeFunc", .cat = "construct", .target = "func(int) int",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 51 },
	{ 19, .msg = "reflect.Value.Set", .cat = "mutate", .target = "func(int) int",
	  .pid = 1001, .func = "main.events", .file = MAIN_GO, .line = 51 },
	{ 20, .msg = "unsafe.Pointer", .cat = "unsafe", .pid = 1001, .func = "main.events",
	  .file = MAIN_GO, .line = 53, .site_id = "4627e2631670f50d", .site_line = 53,
	  .site_col = 40, .site_expr = "unsafe.Pointer(&n)" },
	{ 21, .msg = "reflect.NewAt", .cat = "unsafe", .target = "int64", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 53 },
	{ 22, .msg = "reflect.Value.SetInt", .cat = "mutate", .target = "int64", .pid = 1001,
	  .func = "main.events", .file = MAIN_GO, .line = 54 },
	{ 23, .msg = "goinstr.limit", .pid = 1001, .dropped = 1 },
	{ 24, .msg = "goinstr.limit", .pid = 1001, .dropped = 2 },
	{ 25, .msg = "goinstr.limit", .pid = 1001, .dropped = 4 },
	{ 26, .msg = "goinstr.start", .pid = 1002, .schema = 2, .part = 1,
	  .exe = "/opt/golden/golden", .go = "go1.26.8",
	  .start = "2026-12-01T00:00:02.000000000Z", .main = MAIN, .deps = DEPS },
	{ 27, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string",
	  .pid = 1002, .func = "main.wide", .file = MAIN_GO, .line = 67 },
	{ 28, .msg = "goinstr.start", .pid = 1002, .schema = 2, .part = 2,
	  .exe = "/opt/golden/golden", .go = "go1.26.8",
	  .start = "2026-12-01T00:00:02.000000000Z", .main = MAIN, .deps = DEPS },
	{ 29, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string",
	  .pid = 1002, .func = "goinstr.test/gdep.Set",
	  .file = "goinstr.test/gdep@v0.0.0/gdep.go", .line = 9 },
	{ 30, .msg = "goinstr.start", .pid = 1003, .schema = 2, .part = 1,
	  .exe = "/opt/golden/golden", .go = "go1.26.8",
	  .start = "2026-12-01T00:00:03.000000000Z", .main = MAIN, .deps = DEPS },
	{ 31, .msg = "reflect.Value.SetString", .cat = "mutate", .target = "string",
	  .pid = 1003, .func = "main.redacted", .file = MAIN_GO, .line = 74 },
};
#define NWANT (sizeof(want) / sizeof(*want))

struct got {
	unsigned long lines;
	int rejected;
};

/* Decoded text of a span ("(absent)" if absent), or raw for main/deps. */
static const char *text(const struct span *s, int raw, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (!s->p)
		return "(absent)";
	if (raw)
		strbuf_add(sb, s->p, s->n);
	else if (logread_decode(s, 4096, sb))
		return "(cut)";
	return sb->buf;
}

static void str_field(const char *what, unsigned long n, const struct span *s,
		      const char *w, int raw)
{
	struct strbuf sb = STRBUF_INIT;

	check_str(text(s, raw, &sb), w ? w : "(absent)", "line %lu: %s", n, what);
	strbuf_release(&sb);
}

static void int_field(const char *what, unsigned long n, long long got, long long w)
{
	check(got == w, "line %lu: %s %lld (got %lld)", n, what, w, got);
}

static void check_line(unsigned long n, const struct logline *l, const struct want *w)
{
	str_field("msg", n, &l->msg, w->msg, 0);
	str_field("op", n, &l->op, w->cat ? w->msg : NULL, 0);
	str_field("cat", n, &l->cat, w->cat, 0);
	str_field("target", n, &l->target, w->target, 0);
	int_field("pid", n, l->pid, w->pid);
	int_field("schema", n, l->schema, w->schema ? w->schema : 1);
	int_field("part", n, l->part, w->part);
	int_field("dropped", n, l->dropped, w->dropped ? w->dropped : -1);
	str_field("caller.func", n, &l->caller_func, w->func, 0);
	str_field("caller.file", n, &l->caller_file, w->file, 0);
	int_field("caller.line", n, l->caller_line, w->line);
	str_field("site.id", n, &l->site_id, w->site_id, 0);
	str_field("site.file", n, &l->site_file, w->site_id ? MAIN_GO : NULL, 0);
	str_field("site.expr", n, &l->site_expr, w->site_expr, 0);
	int_field("site.line", n, l->site_line, w->site_line);
	int_field("site.col", n, l->site_col, w->site_col);
	str_field("exe", n, &l->exe, w->exe, 0);
	str_field("go", n, &l->go, w->go, 0);
	str_field("start", n, &l->start, w->start, 0);
	str_field("main", n, &l->main, w->main, 1);
	str_field("deps", n, &l->deps, w->deps, 1);
}

static int one(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
	       void *ctx)
{
	struct got *g = ctx;
	struct logline l;
	const char *why = NULL;

	g->lines = lineno;
	if (kind != LOGREAD_LINE || logread_parse(line, len, &l, &why)) {
		g->rejected++;
		check(0, "line %lu read and parsed (%s)", lineno,
		      kind != LOGREAD_LINE ? "not a whole line" : why);
		return 0;
	}
	if (lineno > NWANT || want[lineno - 1].n != (int)lineno) {
		check(0, "line %lu: in the table", lineno);
		return 0;
	}
	check_line(lineno, &l, &want[lineno - 1]);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/logger/golden.jsonl";
	struct got g = { 0, 0 };

	check(logread_file(path, LOGREAD_REGULAR, NULL, one, &g) == 0, "%s read", path);
	check(g.rejected == 0, "no line rejected (%d)", g.rejected);
	check(g.lines == NWANT, "%lu lines, as many as the table's %zu", g.lines, NWANT);
	return check_done();
}
