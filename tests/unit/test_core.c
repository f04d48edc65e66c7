/*
 * test_core.c - strbuf, edit, category parsing, go.work and -trimpath,
 * the hash table's key, HMAC-SHA-256 (the cache's seals), the go
 * command's word quoting, the directory listing (tree_list) and the
 * shallow walk built on it, table-driven.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "respfile.h"
#include "edit.h"
#include "goenv.h"
#include "goflags.h"
#include "hash.h"
#include "htab.h"
#include "modroot.h"
#include "opts.h"
#include "util.h"
#include "reflectops.h"
#include "strbuf.h"
#include "tree.h"

static void test_json(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
		{ "a\nb\tc\r", 6, "\"a\\nb\\tc\\u000d\"" },
		{ "\x01\x7f", 2, "\"\\u0001\\u007f\"" },
		{ "\xc3\xa9", 2, "\"\xc3\xa9\"" },          /* valid UTF-8 kept */
		{ "\xff" "a", 2, "\"\\ufffda\"" },         /* invalid byte */
		{ "\xc3", 1, "\"\\ufffd\"" },              /* truncated sequence */
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" }, /* surrogate */
		{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" },   /* overlong */
		{ "a\0b", 3, "\"a\\u0000b\"" },            /* NUL inside */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addjson(&sb, cases[i].in, cases[i].len);
		check_str(sb.buf, cases[i].want, "json escape case %zu", i);
		strbuf_release(&sb);
	}
}

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;

	check(sb.len == 0 && sb.buf[0] == '\0', "empty strbuf is an empty string");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	check(sb.len == strlen(sb.buf) && sb.buf[sb.len] == '\0', "addf keeps NUL and len");
	check(!strncmp(sb.buf + sb.len - 4, "999,", 4), "addf appends in order");
	strbuf_add(&sb, "x\0y", 3);
	check(sb.len == strlen(sb.buf) + 2, "add is binary-safe");
	size_t n;
	char *p = strbuf_detach(&sb, &n);
	check(sb.len == 0 && sb.buf[0] == '\0' && p && n > 3000, "detach hands over and resets");
	free(p);
	strbuf_release(&sb);
}

static void test_edit(void)
{
	static const struct {
		const char *src;
		size_t n;
		struct { unsigned s, e; const char *t; } e[3];
		const char *want;
		int fails;
	} cases[] = {
		{ "ab", 1, { { 1, 1, "X" } }, "aXb", 0 },
		{ "ab", 2, { { 1, 2, "Y" }, { 1, 1, "X" } }, "aXY", 0 }, /* insert first */
		{ "ab", 2, { { 1, 1, "1" }, { 1, 1, "2" } }, "a12b", 0 }, /* queue order */
		{ "abc", 2, { { 2, 3, "Z" }, { 0, 1, "A" } }, "AbZ", 0 },  /* sorted */
		{ "abc", 2, { { 0, 2, "X" }, { 1, 3, "Y" } }, NULL, 1 },   /* overlap */
		{ "abc", 1, { { 3, 3, "!" } }, "abc!", 0 },                /* at end */
		{ "abc", 1, { { 2, 9, "!" } }, NULL, 1 },                  /* past end */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct editbuf eb;
		struct strbuf out = STRBUF_INIT;
		int r;

		editbuf_init(&eb, cases[i].src, strlen(cases[i].src));
		for (size_t j = 0; j < cases[i].n; j++)
			edit_replace(&eb, cases[i].e[j].s, cases[i].e[j].e,
				     cases[i].e[j].t, strlen(cases[i].e[j].t));
		r = edit_apply(&eb, &out);
		if (cases[i].fails)
			check(r < 0, "edit case %zu fails (overlap or range)", i);
		else
			check(r == 0 && !strcmp(out.buf, cases[i].want),
			      "edit case %zu gives '%s'", i, cases[i].want);
		editbuf_release(&eb);
		strbuf_release(&out);
	}
}

static void test_cats(void)
{
	static const struct {
		const char *spec;
		int ok;
		const char *want;
	} cases[] = {
		{ "all", 1, "call,unsafe,mutate,construct,lookup,read" },
		{ "default", 1, "call,unsafe,mutate,construct,lookup" },
		{ "lookup,call", 1, "call,lookup" },
		{ "read", 1, "read" },
		{ "call,,read", 0, NULL },
		{ "bogus", 0, NULL },
		{ "call,bogus", 0, NULL },
		{ "", 0, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned m = 0;
		struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
		int r = cats_parse(cases[i].spec, &m, &err);
		if (!cases[i].ok) {
			check(r < 0 && err.len && !strchr(err.buf, '\n'),
			      "--ops=%s is refused with one line", cases[i].spec);
		} else {
			cats_format(m, &got);
			check(r == 0, "--ops=%s parses", cases[i].spec);
			check_str(got.buf, cases[i].want, "--ops=%s selects %s", cases[i].spec, cases[i].want);
		}
		strbuf_release(&err);
		strbuf_release(&got);
	}
	check(reflectop_cat("reflect.Value.Call") == CAT_CALL, "Value.Call is a call");
	check(reflectop_cat("reflect.Value.Kind") == CAT_READ, "unlisted ops read");
	check(reflectop_excluded("reflect.Value.Kind") != NULL, "Value.Kind is left out");
	check(reflectop_excluded("reflect.Value.Call") == NULL, "Value.Call is not left out");
}

/* go.work's use directives, as the compile shim reads them (modroot.c). */
static void test_gowork(void)
{
	static const struct {
		const char *text, *want;
		int n;
	} cases[] = {
		{ "go 1.26\n\nuse ./a\n", "/w/a\n", 1 },
		{ "go 1.26\nuse (\n\t./a\n\t../b // comment\n\t\"c d\"\n)\n", "/w/a\n/b\n/w/c d\n", 3 },
		{ "use /abs/m\nuse `./q`\n", "/abs/m\n/w/q\n", 2 },
		{ "// use ./no\ngo 1.26\nreplace x => ./use\n", "", 0 },
		{ "use (\n)\n", "", 0 },
		{ "use .\n", "/w\n", 1 },
		{ "use ../../..\n", "/\n", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf out = STRBUF_INIT;
		int n = modroot_parse_work(cases[i].text, "/w", &out);
		check(n == cases[i].n, "go.work case %zu: %d use directories", i, cases[i].n);
		check_str(out.buf, cases[i].want, "go.work case %zu: the directories", i);
		strbuf_release(&out);
	}
}

/* The compiler's -trimpath rewrites (objabi.ApplyRewrites' cases). */
static void test_trimpath(void)
{
	static const struct {
		const char *file, *rw, *want;
	} cases[] = {
		{ "/w/m/p/a.go", "/w/m/p=>example.com/m/p;/tmp/b001=>", "example.com/m/p/a.go" },
		{ "/w/m/p/a.go", "/tmp/b001=>;/w/m/p=>x@v1.2.0/p", "x@v1.2.0/p/a.go" }, /* first match */
		{ "/w/m/pp/a.go", "/w/m/p=>q", "/w/m/pp/a.go" },  /* a path prefix, not a string one */
		{ "/w/m/p", "/w/m/p=>q", "q" },                  /* the whole path */
		{ "/w/m/p/a.go", "/w/m", "p/a.go" },             /* no "=>": the prefix goes */
		{ "/w/m/p/a.go", "/w/m=>", "p/a.go" },
		{ "/W/M/p/a.go", "/w/m=>r", "r/p/a.go" },        /* ASCII case folded */
		{ "/w/a=>b/x.go", "/w/a=>b=>c", "c/x.go" },      /* the last "=>" splits */
		{ "/w/m/p/a.go", "", "/w/m/p/a.go" },
		{ "/w/m/p/a.go", ";;=>z", "/w/m/p/a.go" },       /* empty prefixes never match */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf out = STRBUF_INIT;
		go_trimpath(cases[i].file, cases[i].rw, &out);
		check_str(out.buf, cases[i].want, "trimpath case %zu", i);
		strbuf_release(&out);
	}
	struct strbuf rw = STRBUF_INIT;
	go_trimpath_rewrite("/c/x@v1.0.0/sub", "x/sub", "x", "v1.0.0", &rw);
	check_str(rw.buf, "/c/x@v1.0.0/sub=>x@v1.0.0/sub", "a dependency's directory becomes MODULE@VERSION/SUB");
	strbuf_reset(&rw);
	go_trimpath_rewrite("/w/m/p", "example.com/m/p", "example.com/m", "", &rw);
	check_str(rw.buf, "/w/m/p=>example.com/m/p", "a main module's directory becomes its import path");
	strbuf_release(&rw);

	static const struct {
		const char *args[4];
		int argc, want;
	} flags[] = {
		{ { "-trimpath", "./p" }, 2, 1 },
		{ { "-o", "x", "--trimpath=true" }, 3, 1 },
		{ { "-trimpath", "-trimpath=false" }, 2, 0 },
		{ { "./p", "-trimpath=1" }, 2, 1 },              /* go test takes flags after packages */
		{ { "-trimpathx", "-trimpath=no" }, 2, 0 },
		{ { ".", "-args", "-trimpath" }, 3, 0 },          /* the program's own argument */
		{ { "-o", "-trimpath", "." }, 3, 0 },             /* -o's value, as the flag package reads it */
		{ { "-test.run", "x", "-trimpath" }, 3, 1 },      /* -test.run is -run: it takes x */
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++) {
		struct strbuf v = STRBUF_INIT;
		int on = goflags_get(NULL, flags[i].argc, (const char **)flags[i].args, "trimpath", &v) &&
			 goflags_true(v.buf);
		check(on == flags[i].want, "-trimpath flag case %zu: %d", i, flags[i].want);
		strbuf_release(&v);
	}
	struct strbuf v = STRBUF_INIT;
	check(goflags_get("-mod=mod  -trimpath", 0, NULL, "trimpath", &v) && goflags_true(v.buf), "-trimpath from GOFLAGS");
	const char *off[] = { "-trimpath=false" };
	strbuf_reset(&v);
	check(goflags_get("-mod=mod  -trimpath", 1, off, "trimpath", &v) && !goflags_true(v.buf), "the command line over GOFLAGS");
	strbuf_reset(&v);
	check(goflags_get("-overlay=/x.json", 0, NULL, "overlay", &v) && !strcmp(v.buf, "/x.json"), "GOFLAGS=-overlay=... is seen");
	const char *o[] = { "-v", "-o", "bin/app", "./cmd/app", "-run", "X" };
	strbuf_reset(&v);
	check(goflags_get(NULL, 6, o, "o", &v) && !strcmp(v.buf, "bin/app"), "-o's value, among other flags");
	/* go list gets the build flags and packages, not -o, -v, or go test's */
	{
		const char *a[] = { "-tags", "t", "-o", "x", "-v", "./p", "-run", "R", "-count=1", "-gcflags=-N" };
		struct strbuf got = STRBUF_INIT;
		struct goflag f;
		int pos = 0;
		while (goflags_next(10, a, &pos, &f))
			if (!f.name || ((f.kind & GF_BUILD) && !(f.kind & GF_OUTPUT)))
				for (int k = 0; k < f.n; k++)
					strbuf_addf(&got, "%s ", a[f.index + k]);
		check_str(got.buf, "-tags t ./p -gcflags=-N ", "build flags and operands, by kind");
		strbuf_release(&got);
	}
	strbuf_release(&v);
}

/* opts.h: one parser, two modes, groups, lists, and its errors. */
struct t_inner {
	int b;
	const char *s;
};
struct t_outer {
	struct t_inner in;
	int force;
	struct argv files;
	const char *val;
};
static int t_cb(void *dst, const char *v, struct strbuf *err)
{
	if (!strcmp(v, "bad")) {
		strbuf_addstr(err, "bad value");
		return -1;
	}
	((struct t_outer *)dst)->val = v;
	return 0;
}
static const struct option t_inner_opts[] = {
	OPT_BOOL("b", struct t_inner, b, "a bool"),
	OPT_STRING("s", struct t_inner, s, "S", "a string"),
	OPT_END(),
};
static const struct option t_opts[] = {
	OPT_GROUP(struct t_outer, in, t_inner_opts),
	OPT_BOOL("force", struct t_outer, force, "force"),
	OPT_LIST("files", struct t_outer, files, "FILE", "files"),
	OPT_CALL("val", "V", "checked", t_cb),
	OPT_END(),
};

static void test_opts(void)
{
	struct t_outer o = { .files = ARGV_INIT };
	const char *a1[] = { "cmd", "x", "--s", "v", "--force", "y", "--files", "f1", "f2", "--b", "z", "--", "--w" };
	int n = opts_parse(t_opts, &o, 13, a1, 0);
	check(n == 9 && !strcmp(a1[9], "x") && !strcmp(a1[10], "y") && !strcmp(a1[11], "z") &&
	      !strcmp(a1[12], "--w"), "operands collected in order, before what follows --");
	check(o.in.b && o.force && o.in.s && !strcmp(o.in.s, "v"), "group fields set through their offset");
	check(o.files.nr == 2 && !strcmp(o.files.v[1], "f2"), "a list takes the operands after it");
	argv_release(&o.files);

	struct t_outer p = { .files = ARGV_INIT };
	const char *a2[] = { "build", "--s=v", "--val=ok", "-o", "x", "./p" };
	n = opts_parse(t_opts, &p, 6, a2, OPTS_STOP_AT_ARG);
	check(n == 3 && p.val && !strcmp(p.val, "ok"), "stop at the first operand or -flag");
	const char *a3[] = { "build", "--b", "--gcflags=x", "--force" };
	n = opts_parse(t_opts, &p, 4, a3, OPTS_STOP_AT_ARG | OPTS_STOP_AT_UNKNOWN);
	check(n == 2, "an unknown --option stops the parse when asked");
	fprintf(stderr, "# expected errors follow\n");
	const char *a4[] = { "cmd", "--nope" };
	check(opts_parse(t_opts, &p, 2, a4, OPTS_STOP_AT_ARG) < 0, "an unknown --option is an error");
	const char *a5[] = { "cmd", "--s" };
	check(opts_parse(t_opts, &p, 2, a5, 0) < 0, "a missing value is an error");
	const char *a6[] = { "cmd", "--force=1" };
	check(opts_parse(t_opts, &p, 2, a6, 0) < 0, "a bool takes no value");
	const char *a7[] = { "cmd", "--val", "bad" };
	check(opts_parse(t_opts, &p, 3, a7, 0) < 0, "a callback refuses a value");
	argv_release(&p.files);
}

/* htab_hash of key in a new process (a pipe brings it back). */
static uint64_t hash_in_child(const char *key)
{
	uint64_t h = 0;
	int fd[2];
	pid_t pid;

	if (pipe(fd) < 0 || (pid = fork()) < 0)
		return 0;
	if (!pid) {
		h = htab_hash(key, strlen(key));
		_exit(write(fd[1], &h, sizeof(h)) == (ssize_t)sizeof(h) ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], &h, sizeof(h)) != (ssize_t)sizeof(h))
		h = 0;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return h;
}

/* The hash is keyed per process: a table's collisions cannot be made offline. */
static void test_hash_key(void)
{
	uint64_t a = hash_in_child("site"), b = hash_in_child("site");

	check(a && b && a != b, "htab_hash: another process, another key");
	check(htab_hash("site", 4) == htab_hash("site", 4), "htab_hash: the same within a process");
	check(htab_hash("site", 4) != htab_hash("sitf", 4), "htab_hash: another key, another hash");
}

/*
 * Response files, both formats: what goinstr writes for a tool reads back
 * as the same arguments (odd bytes included), and the go command's own
 * encodings read as it means them (cmd/go's encodeArg: Go 1.26 escapes
 * newlines and backslashes, one argument a line; Go 1.27 GCC quoting).
 */
static void test_respfile(void)
{
	static const char *const odd[] = { "compile", "-p", "a b", "", "x\ny", "back\\slash",
					   "q\"uote", "it's", "$HOME", "`tick`", "tab\there" };
	static const struct {
		int gcc;
		const char *text;
		const char *want[5];
	} given[] = {
		{ 0, "-o\n/w/b001/_pkg_.a\na\\nb\n", { "-o", "/w/b001/_pkg_.a", "a\nb", NULL } },
		{ 0, "\n", { "", NULL } },
		{ 1, "-o /w/x.a \"a b\" 'c d' e\\ f\n", { "-o", "/w/x.a", "a b", "c d", "e f" } },
		{ 1, "\"\" \"q\\\"\"\n", { "", "q\"", NULL } },
	};
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT;

	check(workdir_create(&dir) == 0, "a work directory");
	strbuf_addf(&path, "%s/args", dir.buf);
	for (int gcc = 0; gcc < 2; gcc++) {
		struct argv in = ARGV_INIT, out = ARGV_INIT;
		int expanded = 0, same = 1;
		for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++)
			argv_push(&in, odd[i]);
		strbuf_reset(&text);
		respfile_encode(&in, 1, gcc, &text);
		write_file(path.buf, text.buf, text.len, 0600);
		strbuf_reset(&text);
		strbuf_addf(&text, "@%s", path.buf);
		check(respfile_expand(2, (const char *const[]){ "compile", text.buf }, gcc, &out,
				      &expanded) == 0 && expanded,
		      "format %d: a response file goinstr writes expands", gcc);
		same = out.nr == in.nr;
		for (size_t i = 0; same && i < in.nr; i++)
			same = !strcmp(in.v[i], out.v[i]);
		check(same, "format %d: to the same %zu arguments", gcc, in.nr);
		argv_release(&in);
		argv_release(&out);
	}
	for (size_t k = 0; k < sizeof(given) / sizeof(*given); k++) {
		struct argv out = ARGV_INIT;
		int expanded, same = 1;
		size_t n = 0;
		write_file(path.buf, given[k].text, strlen(given[k].text), 0600);
		strbuf_reset(&text);
		strbuf_addf(&text, "@%s", path.buf);
		respfile_expand(1, (const char *const[]){ text.buf }, given[k].gcc, &out, &expanded);
		while (n < 5 && given[k].want[n])
			n++;
		same = out.nr == n;
		for (size_t i = 0; same && i < n; i++)
			same = !strcmp(out.v[i], given[k].want[i]);
		check(same, "the go command's response file %zu (format %d) reads as it means", k,
		      given[k].gcc);
		argv_release(&out);
	}
	remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* RFC 4231's test cases 1 and 2 (the cache's seals are HMAC-SHA-256). */
static void test_hmac(void)
{
	static const struct {
		const char *key; size_t klen; const char *data, *want;
	} cases[] = {
		{ "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b", 20,
		  "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ "Jefe", 4, "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf out = STRBUF_INIT;
		hmac_sha256_hex(cases[i].key, cases[i].klen, cases[i].data, strlen(cases[i].data), &out);
		check_str(out.buf, cases[i].want, "hmac_sha256_hex: RFC 4231 case %zu", i + 1);
		strbuf_release(&out);
	}
}

/* Words of -exec and -toolexec values, quoted as cmd/internal/quoted splits them. */
static void test_add_word(void)
{
	static const struct { const char *words[3], *want; } cases[] = {
		{ { "/usr/bin/goinstr", "isolate-exec", NULL }, "-exec=/usr/bin/goinstr isolate-exec" },
		{ { "/a b/goinstr", "x", NULL }, "-exec='/a b/goinstr' x" },
		{ { "/it's/goinstr", NULL }, "-exec=\"/it's/goinstr\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "-exec=");
		for (const char *const *w = cases[i].words; *w; w++)
			goflags_add_word(&sb, *w);
		check_str(sb.buf, cases[i].want, "goflags_add_word: case %zu", i + 1);
		strbuf_release(&sb);
	}
}

static int collect(void *ctx, const struct tree_entry *e)
{
	strbuf_addf(ctx, "%s%s;", e->rel, e->kind == TREE_DIR ? "/" : "");
	return 0;
}

/* One listing for every directory walk: sorted, "." and ".." left out,
 * nothing followed; a missing directory is -1 with errno and no message. */
static void test_tree_list(void)
{
	struct strbuf dir = STRBUF_INIT, p = STRBUF_INIT, seen = STRBUF_INIT;
	struct argv names = ARGV_INIT;
	static const char *const files[] = { "b.go", "a_test.go", ".hidden", "c/d.go", NULL };

	if (workdir_create(&dir) < 0) {
		check(0, "tree_list: a work directory");
		return;
	}
	strbuf_addf(&p, "%s/c", dir.buf);
	check(mkdir(p.buf, 0700) == 0, "tree_list: mkdir c");
	for (int i = 0; files[i]; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir.buf, files[i]);
		write_file(p.buf, "x", 1, 0600);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/link", dir.buf);
	check(symlink("c", p.buf) == 0, "tree_list: symlink");
	argv_push(&names, "kept");
	check(tree_list(dir.buf, &names) == 0, "tree_list: lists");
	for (size_t i = 0; i < names.nr; i++)
		strbuf_addf(&seen, "%s;", names.v[i]);
	check_str(seen.buf, "kept;.hidden;a_test.go;b.go;c;link;",
		  "tree_list: appended, sorted, without . and .., link not followed");
	strbuf_reset(&seen);
	check(tree_walk(dir.buf, TREE_SHALLOW, collect, &seen) == 0, "tree_walk shallow: walks");
	check_str(seen.buf, "/;.hidden;a_test.go;b.go;c/;link;", "tree_walk shallow: the root and its entries");
	argv_release(&names);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/none", dir.buf);
	errno = 0;
	check(tree_list(p.buf, &names) == -1 && errno == ENOENT && names.nr == 0,
	      "tree_list: a missing directory is -1, ENOENT, nothing listed");
	remove_tree(dir.buf);
	argv_release(&names);
	strbuf_release(&dir);
	strbuf_release(&p);
	strbuf_release(&seen);
}

int main(void)
{
	test_respfile();
	test_hash_key();
	test_hmac();
	test_add_word();
	test_opts();
	test_json();
	test_strbuf();
	test_edit();
	test_cats();
	test_gowork();
	test_trimpath();
	test_tree_list();
	return check_done();
}
