/*
 * test_report.c - the log line scanner (logread_parse), table-driven:
 * the fields it picks out, escapes kept raw, and every malformed line it
 * must refuse with its reason.
 */
#include <stdlib.h>

#include "check.h"
#include "logread.h"
#include "strbuf.h"

static const char *span(const struct span *s, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (!s->p)
		return "(absent)";
	strbuf_add(sb, s->p, s->n);
	return sb->buf;
}

static void test_fields(void)
{
	static const char line[] =
		"{\"time\":\"2026-11-29T11:41:33.064932311Z\",\"msg\":\"unsafe.Pointer\","
		"\"op\":\"unsafe.Pointer\",\"cat\":\"unsafe\",\"pid\":5728,"
		"\"caller\":{\"func\":\"main.main\",\"file\":\"/tmp/ut/main.go\",\"line\":18},"
		"\"origin\":{\"func\":\"x\",\"file\":\"/o.go\",\"line\":99},"
		"\"site\":{\"id\":\"e48ac11fdc77fc39\",\"file\":\"/tmp/ut/m\\\"q.go\",\"line\":18,"
		"\"col\":19,\"expr\":\"(*[2]int64)(unsafe.Pointer(&t))\"},"
		"\"args\":{\"from\":\"*main.T\",\"n\":[1,-2.5e3,true,null,{\"target\":\"no\"}]},"
		"\"target\":\"*[2]int64\"}";
	struct logline l;
	struct strbuf sb = STRBUF_INIT;
	const char *why = NULL;

	check(!logread_parse(line, sizeof(line) - 1, &l, &why), "event line parses");
	check_str(span(&l.op, &sb), "unsafe.Pointer", "op");
	check_str(span(&l.cat, &sb), "unsafe", "cat");
	check(l.pid == 5728, "pid");
	check_str(span(&l.caller_func, &sb), "main.main", "caller func");
	check_str(span(&l.caller_file, &sb), "/tmp/ut/main.go", "caller file (not origin's)");
	check(l.caller_line == 18, "caller line");
	check_str(span(&l.site_id, &sb), "e48ac11fdc77fc39", "site id");
	check_str(span(&l.site_file, &sb), "/tmp/ut/m\\\"q.go", "site file kept escaped");
	check(l.site_line == 18 && l.site_col == 19, "site line and col");
	check_str(span(&l.target, &sb), "*[2]int64", "top-level target, not args' nested one");
	check(l.schema == 1, "no schema: 1");
	strbuf_reset(&sb);
	check(!logread_unescape(&l.site_file, &sb) && !strcmp(sb.buf, "/tmp/ut/m\"q.go"),
	      "unescape");
	strbuf_release(&sb);
}

static void test_header(void)
{
	static const char line[] = " {\"msg\":\"goinstr.start\",\"pid\":3,\"exe\":\"/a b\","
				   "\"go\":\"go1.26.8\",\"schema\":2} ";
	struct logline l;
	const char *why;

	check(!logread_parse(line, sizeof(line) - 1, &l, &why), "header parses (spaces around)");
	check(l.schema == 2 && l.pid == 3 && l.exe.n == 4 && l.go.n == 8, "header fields");
}

static void test_bad(void)
{
	static const struct {
		const char *line, *why;
	} cases[] = {
		{ "", "empty line" },
		{ "   ", "empty line" },
		{ "[1]", "not a JSON object" },
		{ "hello", "not a JSON object" },
		{ "{\"op\":\"x\"", "',' or '}' expected" },
		{ "{\"op\":\"x}", "unterminated string" },
		{ "{\"op\":\"a\\qb\"}", "bad escape in string" },
		{ "{\"op\":\"\\u12G4\"}", "bad \\u escape" },
		{ "{\"op\":\"a\tb\"}", "control character in string" },
		{ "{\"pid\":01}", "',' or '}' expected" },
		{ "{\"pid\":-}", "bad number" },
		{ "{\"pid\":1.}", "bad number" },
		{ "{\"pid\":1e}", "bad number" },
		{ "{\"a\":tru}", "bad literal" },
		{ "{op:1}", "object key expected" },
		{ "{\"op\" 1}", "':' expected" },
		{ "{\"a\":[1 2]}", "',' or ']' expected" },
		{ "{\"a\":1} x", "text after the JSON object" },
		{ "{\"a\":1,}", "object key expected" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct logline l;
		const char *why = "(none)";
		int r = logread_parse(cases[i].line, strlen(cases[i].line), &l, &why);
		check(r == -1, "refused: %s", cases[i].line);
		check_str(why, cases[i].why, "reason for: %s", cases[i].line);
	}
}

static void test_deep(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct logline l;
	const char *why = "(none)";

	strbuf_addstr(&sb, "{\"a\":");
	for (int i = 0; i < 100; i++)
		strbuf_addch(&sb, '[');
	check(logread_parse(sb.buf, sb.len, &l, &why) == -1, "100 nested arrays refused");
	check_str(why, "nested too deep", "reason: nesting");
	strbuf_release(&sb);
}

int main(void)
{
	test_deep();
	test_fields();
	test_header();
	test_bad();
	return check_done();
}
