/*
 * test_report.c - the log line scanner (logread_parse), table-driven:
 * the fields it picks out, escapes kept raw, every malformed line it must
 * refuse with its reason, and numbers out of range; the decoder
 * (logread_decode); the line reader (plain, gzip, too long a line); and
 * what the report makes of lines (report_add_mem): torn lines, processes
 * across rotated parts, the logger's limit, baseline keys, the parts of a
 * process's log not read.
 */
#include <stdlib.h>
#include <zlib.h>

#include "check.h"
#include "logread.h"
#include "report.h"
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
	check(!logread_decode(&l.site_file, 64, &sb) && !strcmp(sb.buf, "/tmp/ut/m\"q.go"),
	      "decode");
	strbuf_release(&sb);
}

static void test_header(void)
{
	static const char line[] = " {\"msg\":\"goinstr.start\",\"pid\":3,\"exe\":\"/a b\","
				   "\"go\":\"go1.26.8\",\"schema\":2} ";
	struct logline l;
	const char *why;

	static const char line2[] =
		"{\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":3,\"start\":\"2026-12-01T09:00:00Z\","
		"\"part\":4,\"exe\":\"/a\",\"main\":{\"path\":\"m\",\"version\":\"(devel)\"},"
		"\"deps\":[{\"path\":\"d\",\"version\":\"v1\",\"replace\":{\"path\":\"../d\"}}],\"deps_cut\":2}";
	struct strbuf sb = STRBUF_INIT;

	check(!logread_parse(line, sizeof(line) - 1, &l, &why), "header parses (spaces around)");
	check(l.schema == 2 && l.pid == 3 && l.exe.n == 4 && l.go.n == 8, "header fields");
	check(!logread_parse(line2, sizeof(line2) - 1, &l, &why), "schema 2 header parses");
	check(l.part == 4 && l.dropped == -1, "part; no dropped");
	check_str(span(&l.start, &sb), "2026-12-01T09:00:00Z", "start");
	check_str(span(&l.main, &sb), "{\"path\":\"m\",\"version\":\"(devel)\"}", "main, whole");
	check_str(span(&l.deps, &sb),
		  "[{\"path\":\"d\",\"version\":\"v1\",\"replace\":{\"path\":\"../d\"}}]", "deps, whole");
	strbuf_release(&sb);
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
		{ "{\"a\":01}", "',' or '}' expected" },
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

/* Numbers the report reads must be integers from 0 to 2^63-1 (-2); any
 * other member may hold any JSON number. */
static void test_numbers(void)
{
	static const struct {
		const char *line;
		int ret;
		long long pid;
		const char *why;
	} cases[] = {
		{ "{\"pid\":9223372036854775807}", 0, 9223372036854775807LL, NULL },
		{ "{\"pid\":0}", 0, 0, NULL },
		{ "{\"pid\":9223372036854775808}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":123456789012345678901234567890}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":1e400}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":1.5}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":1e2}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":-7}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":-0}", -2, 0, "\"pid\" is not an integer from 0 to 2^63-1" },
		{ "{\"caller\":{\"line\":1e400}}", -2, -1, "\"caller.line\" is not an integer from 0 to 2^63-1" },
		{ "{\"site\":{\"col\":-1}}", -2, -1, "\"site.col\" is not an integer from 0 to 2^63-1" },
		{ "{\"dropped\":2.5}", -2, -1, "\"dropped\" is not an integer from 0 to 2^63-1" },
		{ "{\"pid\":\"12\"}", 0, -1, NULL }, /* not a number: left alone */
		{ "{\"args\":{\"n\":1e400,\"m\":-123456789012345678901234567890.5e-9},\"pid\":3}", 0, 3, NULL },
		{ "{\"pid\":1e}", -1, 0, "bad number" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct logline l;
		const char *why = NULL;
		int r = logread_parse(cases[i].line, strlen(cases[i].line), &l, &why);
		check(r == cases[i].ret, "%s: returns %d (got %d)", cases[i].line, cases[i].ret, r);
		if (!r)
			check(l.pid == cases[i].pid, "%s: pid %lld", cases[i].line, cases[i].pid);
		else
			check_str(why, cases[i].why, "%s: reason", cases[i].line);
	}
}

static void test_decode(void)
{
	static const struct {
		const char *in;
		size_t max;
		const char *want;
		int cut;
	} cases[] = {
		{ "plain", 64, "plain", 0 },
		{ "a\\\"\\/\\b\\f\\n\\r\\t", 64, "a\"/\b\f\n\r\t", 0 },
		{ "\\u00e9\\u20AC", 64, "\xc3\xa9\xe2\x82\xac", 0 },
		{ "a\\u0000b", 64, "a\\u0000b", 0 },                 /* NUL stays escaped */
		{ "\\ud83d\\ude00", 64, "\xf0\x9f\x98\x80", 0 },     /* a pair */
		{ "x\\ud800y", 64, "x\xef\xbf\xbd" "y", 0 },           /* lone high */
		{ "x\\udc00y", 64, "x\xef\xbf\xbd" "y", 0 },           /* lone low */
		{ "\\ud800\\u0041", 64, "\xef\xbf\xbd" "A", 0 },        /* high, not low */
		{ "a\xff\xfe" "b", 64, "a\xef\xbf\xbd\xef\xbf\xbd" "b", 0 }, /* not UTF-8 */
		{ "\xe2\x82", 64, "\xef\xbf\xbd\xef\xbf\xbd", 0 },       /* cut sequence */
		{ "\xed\xa0\x80", 64, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0 }, /* surrogate */
		{ "\xc0\xaf", 64, "\xef\xbf\xbd\xef\xbf\xbd", 0 },       /* overlong */
		{ "\xc2\x9b", 64, "\xc2\x9b", 0 },                   /* C1 is UTF-8: kept */
		{ "12345678", 8, "12345678", 0 },                      /* fits exactly */
		{ "123456789", 8, "12345\xe2\x80\xa6", 1 },            /* cut, with ... */
		{ "1234\xc3\xa9\xc3\xa9", 8, "1234\xc3\xa9\xc3\xa9", 0 },
		{ "1234\xc3\xa9\xc3\xa9\xc3\xa9", 8, "1234\xe2\x80\xa6", 1 }, /* at a boundary */
		{ "\\u0000\\u0000", 8, "\xe2\x80\xa6", 1 },            /* an escape whole */
		{ "\xc3\xa9" "12345678", 8, "\xc3\xa9" "123\xe2\x80\xa6", 1 }, /* in a run */
		{ "\xc3\xa9\xc3\xa9\xc3\xa9" "ab", 8, "\xc3\xa9\xc3\xa9\xc3\xa9" "ab", 0 },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9" "abc", 8, "\xc3\xa9\xc3\xa9\xe2\x80\xa6", 1 },
		{ "abcd" "\xc3\xa9" "xyz", 8, "abcd\xe2\x80\xa6", 1 },
		{ "abcdefgh\\n", 8, "abcde\xe2\x80\xa6", 1 },        /* run, then an escape */
	};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct span sp = { cases[i].in, strlen(cases[i].in) };
		int cut;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "<");
		cut = logread_decode(&sp, cases[i].max, &sb);
		check_str(sb.buf + 1, cases[i].want, "decode case %zu", i);
		check(cut == cases[i].cut, "decode case %zu: cut %d", i, cases[i].cut);
		check(sb.len - 1 <= cases[i].max && utf8_len(sb.buf, sb.len) != 0,
		      "decode case %zu: within max", i);
	}
	strbuf_release(&sb);
}

/* --- the reader ----------------------------------------------------------- */

struct got {
	struct strbuf lines; /* "KIND:LEN:TEXT\n" */
	int stop_at;
};

static int collect(const char *line, size_t len, unsigned long lineno, enum logread_kind kind,
		   void *ctx)
{
	static const char *const names[] = { "line", "partial", "toolong", "badgz" };
	struct got *g = ctx;

	strbuf_addf(&g->lines, "%lu %s %zu", lineno, names[kind], len);
	if (line && len < 40)
		strbuf_addf(&g->lines, " %.*s", (int)len, line);
	strbuf_addch(&g->lines, '\n');
	return g->stop_at && (int)lineno == g->stop_at ? 7 : 0;
}

static void gzip_member(struct strbuf *out, const char *data, size_t len)
{
	z_stream z = { 0 };
	unsigned char buf[65536];

	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		deflate(&z, Z_FINISH);
		strbuf_add(out, buf, sizeof(buf) - z.avail_out);
	} while (!z.avail_out);
	deflateEnd(&z);
}

static void test_reader(void)
{
	struct got g = { STRBUF_INIT, 0 };
	struct strbuf in = STRBUF_INIT, gz = STRBUF_INIT;
	const char *want;
	int r;

	r = logread_mem("a\n\nbc\nd", 7, collect, &g);
	check(!r, "plain: read");
	check_str(g.lines.buf, "1 line 1 a\n2 line 0 \n3 line 2 bc\n4 partial 1 d\n", "plain: lines");

	/* A line over LOGREAD_MAX_LINE between two lines: handed over by its
	 * length only; a line longer than the whole buffer as well. */
	strbuf_reset(&g.lines);
	strbuf_addstr(&in, "x\n");
	for (size_t i = 0; i < LOGREAD_MAX_LINE + 1; i++)
		strbuf_addch(&in, 'a');
	strbuf_addstr(&in, "\ny\n");
	for (size_t i = 0; i < LOGREAD_CHUNK * 2 + 5; i++)
		strbuf_addch(&in, 'b');
	strbuf_addstr(&in, "\nz\n");
	for (size_t i = 0; i < LOGREAD_CHUNK + 3; i++)
		strbuf_addch(&in, 'c');
	r = logread_mem(in.buf, in.len, collect, &g);
	strbuf_reset(&gz);
	strbuf_addf(&gz, "1 line 1 x\n2 toolong %u\n3 line 1 y\n4 toolong %u\n5 line 1 z\n"
		    "6 toolong %u\n", LOGREAD_MAX_LINE + 1, LOGREAD_CHUNK * 2 + 5, LOGREAD_CHUNK + 3);
	check(!r, "long lines: read");
	check_str(g.lines.buf, gz.buf, "long lines: lengths, never the bytes");

	/* gzip: recognized by content, two members, then cut short. */
	strbuf_reset(&g.lines);
	strbuf_reset(&gz);
	gzip_member(&gz, "one\ntwo\n", 8);
	gzip_member(&gz, "three\n", 6);
	r = logread_mem(gz.buf, gz.len, collect, &g);
	check(!r, "gzip: read");
	check_str(g.lines.buf, "1 line 3 one\n2 line 3 two\n3 line 5 three\n", "gzip: two members");
	strbuf_reset(&g.lines);
	r = logread_mem(gz.buf, gz.len - 4, collect, &g); /* the last trailer */
	check(!r && !strcmp(g.lines.buf, "1 line 3 one\n2 line 3 two\n3 line 5 three\n4 badgz 0\n"),
	      "gzip without its last trailer: every line, then badgz");
	strbuf_reset(&g.lines);
	r = logread_mem(gz.buf, gz.len - 12, collect, &g);
	want = "1 line 3 one\n2 line 3 two\n3 badgz 0\n";
	check(!r, "gzip cut short: read");
	check_str(g.lines.buf, want, "gzip cut short: lines, then badgz");
	strbuf_reset(&g.lines);
	gz.buf[12] ^= 0x55; /* corrupt the first member's deflate data */
	r = logread_mem(gz.buf, gz.len, collect, &g);
	check(!r && strstr(g.lines.buf, "badgz"), "gzip corrupt: badgz");

	/* A nonzero return stops the read and is returned. */
	strbuf_reset(&g.lines);
	g.stop_at = 2;
	r = logread_mem("a\nb\nc\n", 6, collect, &g);
	check(r == 7 && !strcmp(g.lines.buf, "1 line 1 a\n2 line 1 b\n"), "callback stops the read");

	strbuf_release(&g.lines);
	strbuf_release(&in);
	strbuf_release(&gz);
}

/* --- what the report makes of lines --------------------------------------- */

static const struct rsite *site_at(const struct report *r, const char *key)
{
	for (size_t i = 0; i < r->nsites; i++)
		if (!strcmp(r->sites[i]->key, key))
			return r->sites[i];
	return NULL;
}

#define HDR2(pid, start, part) \
	"{\"time\":\"t\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":" #pid ",\"start\":\"" start \
	"\",\"part\":" #part ",\"exe\":\"/gone/app\",\"go\":\"go1.26.8\",\"main\":{\"path\":\"example.com/m\"," \
	"\"version\":\"(devel)\"},\"deps\":[{\"path\":\"example.com/d\",\"version\":\"v1.0.0\"}," \
	"{\"path\":\"example.com/d/sub\",\"version\":\"v0.2.0\"}]}\n"
#define EV(pid, func, file, line) \
	"{\"time\":\"t\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"cat\":\"construct\",\"pid\":" #pid \
	",\"caller\":{\"func\":\"" func "\",\"file\":\"" file "\",\"line\":" #line "}}"

static void test_report_lines(void)
{
	static const char part1[] =
		HDR2(10, "s1", 1) EV(10, "example.com/d/sub/x.F", "example.com/d/sub@v0.2.0/x/f.go", 3) "\n"
		EV(10, "example.com/d/y.G", "example.com/d@v1.0.0/y/g.go", 4) "\n"
		"{\"time\":\"t\",\"msg\":\"goinstr.limit\",\"pid\":10,\"limit\":100,\"dropped\":4}\n";
	static const char part2[] =
		/* a torn write glued to the next header */
		"{\"time\":\"t\",\"msg\":\"reflect.New\",\"op\":\"re" HDR2(10, "s1", 2)
		EV(10, "main.main", "example.com/m/cmd/app/main.go", 7) "\n"
		EV(10, "main.main", "example.com/m/cmd/app/main.go", 9) "\n"
		"{\"time\":\"t\",\"msg\":\"goinstr.limit\",\"pid\":10,\"limit\":100,\"dropped\":9}\n"
		"{\"time\":\"t\",\"msg\":\"goinstr.limit\",\"pid\":10,\"limit\":100,\"dropped\":6}\n"
		HDR2(10, "s2", 1) /* pid 10 again: another process */
		"{\"time\":\"t\",\"msg\":\"goinstr.limit\",\"pid\":10,\"limit\":100,\"dropped\":1}\n";
	struct report r;
	const struct rsite *s;

	report_init(&r);
	r.diag_max = 0;
	r.use_bins = 0;
	check(!report_add_mem(&r, "part1", part1, sizeof(part1) - 1), "part 1 read");
	check(!report_add_mem(&r, "part2", part2, sizeof(part2) - 1), "part 2 read");
	report_finish(&r);
	check(r.procs == 2, "(pid, start) counts once over its parts; a new start is another (%llu)",
	      r.procs);
	check(r.dropped == 10, "the largest dropped per process, summed (%llu)", r.dropped);
	check(r.skipped == 1 && r.events == 4, "the torn piece is one bad line, its glued header counts");
	s = site_at(&r, "reflect.New example.com/d/sub@v0.2.0/x/f.go:3");
	check(s && !strcmp(s->module, "example.com/d/sub@v0.2.0"), "longest module prefix wins");
	s = site_at(&r, "reflect.New example.com/d@v1.0.0/y/g.go:4");
	check(s && !strcmp(s->module, "example.com/d@v1.0.0"), "dependency module");
	s = site_at(&r, "reflect.New example.com/m/cmd/app/main.go:7");
	check(s && !strcmp(s->module, "example.com/m") && !strcmp(s->pkg, "example.com/m/cmd/app"),
	      "main package: main module, import path from the -trimpath file name");
	check(s && !strcmp(s->bkey, "reflect.New app/main.main"), "baseline key of a main function");
	s = site_at(&r, "reflect.New example.com/m/cmd/app/main.go:9");
	check(s && !strcmp(s->bkey, "reflect.New app/main.main #2"), "second site, same key: #2");
	report_release(&r);
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

/* Parts of a process's log read in any order: the parts missing before
 * the last one read, as ranges, whatever the order; a part read twice
 * counts once; a second process of the same pid starts afresh. */
static void test_parts(void)
{
	static const struct {
		const char *parts; /* the headers' parts, in log order */
		const char *missing;
		unsigned long long n;
	} cases[] = {
		{ "1 2 3", "", 0 },
		{ "3 1 2", "", 0 },
		{ "2 3", "1", 1 },
		{ "5 1 3", "2 4", 2 },
		{ "7 2 2 6 1", "3-5", 3 },
		{ "9", "1-8", 8 },
		{ "1 4 2 9 3 5", "6-8", 3 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf log = STRBUF_INIT, got = STRBUF_INIT;
		const char *p = cases[i].parts;
		struct report r;
		char *end;

		for (unsigned long long k; (k = strtoull(p, &end, 10)), end != p; p = end)
			strbuf_addf(&log, "{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":7,"
				    "\"start\":\"s\",\"part\":%llu,\"exe\":\"/e\"}\n", k);
		/* pid 7 again, another start: its own parts, all there */
		strbuf_addstr(&log, "{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":7,"
			      "\"start\":\"t\",\"part\":1,\"exe\":\"/e\"}\n");
		report_init(&r);
		r.use_bins = 0;
		report_add_mem(&r, "parts", log.buf, log.len);
		report_finish(&r);
		for (size_t k = 0; k < r.nincomplete; k++)
			for (size_t m = 0; m < r.incomplete[k].nmissing; m++) {
				const struct rpart *x = &r.incomplete[k].missing[m];
				strbuf_addf(&got, "%s%llu", got.len ? " " : "", x->first);
				if (x->last != x->first)
					strbuf_addf(&got, "-%llu", x->last);
			}
		check_str(got.buf, cases[i].missing, "parts %s: missing [%s]", cases[i].parts,
			  cases[i].missing);
		check(r.missing_parts == cases[i].n && r.incomplete_procs == (cases[i].n > 0) &&
			      r.procs == 2,
		      "parts %s: %llu missing in %llu processes of 2", cases[i].parts, r.missing_parts,
		      r.incomplete_procs);
		report_release(&r);
		strbuf_release(&log);
		strbuf_release(&got);
	}
}

int main(void)
{
	test_deep();
	test_fields();
	test_header();
	test_bad();
	test_numbers();
	test_decode();
	test_reader();
	test_report_lines();
	test_parts();
	return check_done();
}
