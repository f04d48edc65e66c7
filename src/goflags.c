/*
 * goflags.c - the go command's flags (see goflags.h). The tables follow
 * cmd/go: work.AddBuildFlags, the module flags, and test's and run's own.
 */
#include "goflags.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct {
	const char *name;
	unsigned kind;
} flags[] = {
	/* build flags (every build verb, and go list) */
	{ "C", GF_VALUE | GF_BUILD },
	{ "a", GF_BUILD },
	{ "asan", GF_BUILD },
	{ "asmflags", GF_VALUE | GF_BUILD },
	{ "buildmode", GF_VALUE | GF_BUILD },
	{ "buildvcs", GF_BUILD },
	{ "compiler", GF_VALUE | GF_BUILD },
	{ "cover", GF_BUILD },
	{ "covermode", GF_VALUE | GF_BUILD },
	{ "coverpkg", GF_VALUE | GF_BUILD },
	{ "debug-actiongraph", GF_VALUE | GF_BUILD },
	{ "debug-runtime-trace", GF_VALUE | GF_BUILD },
	{ "debug-trace", GF_VALUE | GF_BUILD },
	{ "gccgoflags", GF_VALUE | GF_BUILD },
	{ "gcflags", GF_VALUE | GF_BUILD },
	{ "installsuffix", GF_VALUE | GF_BUILD },
	{ "ldflags", GF_VALUE | GF_BUILD },
	{ "linkshared", GF_BUILD },
	{ "mod", GF_VALUE | GF_BUILD },
	{ "modcacherw", GF_BUILD },
	{ "modfile", GF_VALUE | GF_BUILD },
	{ "msan", GF_BUILD },
	{ "n", GF_BUILD | GF_OUTPUT },
	{ "overlay", GF_VALUE | GF_BUILD },
	{ "p", GF_VALUE | GF_BUILD },
	{ "pgo", GF_VALUE | GF_BUILD },
	{ "pkgdir", GF_VALUE | GF_BUILD },
	{ "race", GF_BUILD },
	{ "tags", GF_VALUE | GF_BUILD },
	{ "toolexec", GF_VALUE | GF_BUILD },
	{ "trimpath", GF_BUILD },
	{ "v", GF_BUILD | GF_OUTPUT },
	{ "work", GF_BUILD | GF_OUTPUT },
	{ "x", GF_BUILD | GF_OUTPUT },
	/* go build, install, run, test only */
	{ "coverprofile", GF_VALUE },
	{ "exec", GF_VALUE },
	{ "json", 0 },
	{ "o", GF_VALUE | GF_OUTPUT },
	/* go test's, and the test binary's that go test reads */
	{ "artifacts", 0 },
	{ "bench", GF_VALUE },
	{ "benchmem", 0 },
	{ "benchtime", GF_VALUE },
	{ "blockprofile", GF_VALUE },
	{ "blockprofilerate", GF_VALUE },
	{ "c", 0 },
	{ "count", GF_VALUE },
	{ "cpu", GF_VALUE },
	{ "cpuprofile", GF_VALUE },
	{ "failfast", 0 },
	{ "fullpath", 0 },
	{ "fuzz", GF_VALUE },
	{ "fuzzminimizetime", GF_VALUE },
	{ "fuzztime", GF_VALUE },
	{ "list", GF_VALUE },
	{ "memprofile", GF_VALUE },
	{ "memprofilerate", GF_VALUE },
	{ "mutexprofile", GF_VALUE },
	{ "mutexprofilefraction", GF_VALUE },
	{ "outputdir", GF_VALUE },
	{ "parallel", GF_VALUE },
	{ "run", GF_VALUE },
	{ "short", 0 },
	{ "shuffle", GF_VALUE },
	{ "skip", GF_VALUE },
	{ "timeout", GF_VALUE },
	{ "trace", GF_VALUE },
	{ "vet", GF_VALUE },
};

/* The kind of the flag spelled name[0..len) ("test.run" is "run"). */
static int lookup(const char *name, size_t len, unsigned *kind)
{
	if (len > 5 && !strncmp(name, "test.", 5))
		name += 5, len -= 5;
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len)) {
			*kind = flags[i].kind;
			return 1;
		}
	return 0;
}

int goflags_next(int argc, const char **argv, int *pos, struct goflag *f)
{
	const char *a, *name, *eq;
	size_t len;
	int i = *pos;

	if (i >= argc || !strcmp(argv[i], "--") || !strcmp(argv[i], "-args") ||
	    !strcmp(argv[i], "--args"))
		return 0;
	a = argv[i];
	f->index = i;
	f->n = 1;
	f->value = NULL;
	f->kind = 0;
	if (a[0] != '-' || !a[1]) {
		f->name = NULL; /* an operand */
		f->value = a;
		*pos = i + 1;
		return 1;
	}
	name = a + 1 + (a[1] == '-');
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	if (!lookup(name, len, &f->kind))
		f->kind = 0; /* unknown: the go command will say; read as a bool */
	f->name = name;
	if (eq)
		f->value = eq + 1;
	else if ((f->kind & GF_VALUE) && i + 1 < argc)
		f->value = argv[i + 1], f->n = 2;
	*pos = i + f->n;
	return 1;
}

/* Whether f is the flag name. */
static int is(const struct goflag *f, const char *name)
{
	size_t n = strlen(name);
	const char *s = f->name;

	if (!s)
		return 0;
	if (!strncmp(s, "test.", 5) && strncmp(name, "test.", 5))
		s += 5;
	return !strncmp(s, name, n) && (!s[n] || s[n] == '=');
}

int goflags_in(const char *goflags, const char *name, struct strbuf *out)
{
	struct strbuf val = STRBUF_INIT;
	struct goflag f;
	int found = 0;

	/* Space-separated, values only with "=" (the go command's own
	 * rule), so each word is one flag. */
	for (const char *p = goflags; p && *p;) {
		size_t n = strcspn(p, " \t\n\r");
		if (n) {
			char *w = xstrndup(p, n);
			const char *one[] = { w };
			int k = 0;
			if (w[0] == '-' && goflags_next(1, one, &k, &f) && is(&f, name)) {
				strbuf_reset(&val);
				strbuf_addstr(&val, f.value ? f.value : "true");
				found = 1;
			}
			free(w);
		}
		p += n;
		p += strspn(p, " \t\n\r");
	}
	if (found)
		strbuf_add(out, val.buf, val.len);
	strbuf_release(&val);
	return found;
}

int goflags_get(const char *goflags, int argc, const char **argv, const char *name,
		struct strbuf *out)
{
	struct strbuf val = STRBUF_INIT;
	struct goflag f;
	int found = goflags_in(goflags, name, &val), pos = 0;

	while (goflags_next(argc, argv, &pos, &f))
		if (is(&f, name)) {
			strbuf_reset(&val);
			strbuf_addstr(&val, f.value ? f.value : "true");
			found = 1;
		}
	if (found)
		strbuf_add(out, val.buf, val.len);
	strbuf_release(&val);
	return found;
}

int goflags_true(const char *v)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!strcmp(v, yes[i]))
			return 1;
	return 0;
}

void goflags_add_word(struct strbuf *sb, const char *w)
{
	if (sb->len && sb->buf[sb->len - 1] != '=')
		strbuf_addch(sb, ' ');
	if (!w[strcspn(w, " \t\n'\"")])
		strbuf_addstr(sb, w);
	else
		strbuf_addf(sb, strchr(w, '\'') ? "\"%s\"" : "'%s'", w);
}
