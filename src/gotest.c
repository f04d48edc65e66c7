/*
 * gotest.c - go test -json verdicts, one run of a package against
 * another (see gotest.h).
 */
#include "gotest.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *gotest_verdict_name(enum gotest_verdict v)
{
	static const char *const names[] = { "none", "pass", "fail", "skip" };
	return names[v];
}

static enum gotest_verdict verdict_of(const char *action)
{
	if (!strcmp(action, "pass"))
		return GOTEST_PASS;
	if (!strcmp(action, "fail"))
		return GOTEST_FAIL;
	if (!strcmp(action, "skip"))
		return GOTEST_SKIP;
	return GOTEST_NONE;
}

void gotest_run_release(struct gotest_run *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->t[i].name);
	free(r->t);
	memset(r, 0, sizeof(*r));
}

/*
 * A test's name with the addresses in it (0x and six hex digits or more,
 * as %p prints them: some suites name subtests after their values) made
 * 0x?, to pair the tests whose names differ between the runs.
 */
static char *mask_name(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		size_t n = 0;
		if (s[0] == '0' && s[1] == 'x')
			while (s[2 + n] && strchr("0123456789abcdef", s[2 + n]))
				n++;
		if (n >= 6) {
			strbuf_addstr(&sb, "0x?");
			s += 2 + n;
		} else {
			strbuf_addch(&sb, *s++);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static int cmp_tres(const void *a, const void *b)
{
	const struct gotest_test *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void tres_add(struct gotest_run *r, char *name, enum gotest_verdict v)
{
	if (r->nr == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 256;
		r->t = xrealloc(r->t, r->alloc * sizeof(*r->t));
	}
	r->t[r->nr] = (struct gotest_test){ name, v, r->nr };
	r->nr++;
}

/* Sort by name; one entry per name: fail if one failed, else pass if one
 * passed (names repeat only once masked by mask_name). */
static void tres_fold(struct gotest_run *r)
{
	size_t w = 0;

	qsort(r->t, r->nr, sizeof(*r->t), cmp_tres);
	for (size_t i = 0; i < r->nr; i++) {
		if (w && !strcmp(r->t[w - 1].name, r->t[i].name)) {
			enum gotest_verdict *v = &r->t[w - 1].v;
			if (r->t[i].v == GOTEST_FAIL || (r->t[i].v == GOTEST_PASS && *v == GOTEST_SKIP))
				*v = r->t[i].v;
			free(r->t[i].name);
			continue;
		}
		r->t[w++] = r->t[i];
	}
	r->nr = w;
}

void gotest_run_finish(struct gotest_run *r)
{
	tres_fold(r);
	for (size_t k = 0; k < r->nr; k++) {
		r->npass += r->t[k].v == GOTEST_PASS;
		r->nfail += r->t[k].v == GOTEST_FAIL;
		r->nskip += r->t[k].v == GOTEST_SKIP;
	}
}

int gotest_load(const char *path, gotest_find_fn *find, void *ctx)
{
	struct strbuf line = STRBUF_INIT;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return error("cannot open '%s': %s", path, strerror(errno));
	while (strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		const char *act = json_string_value(json_object_get(o, "Action"));
		const char *p = json_string_value(json_object_get(o, "Package"));
		const char *test = json_string_value(json_object_get(o, "Test"));
		const char *ip = json_string_value(json_object_get(o, "ImportPath"));
		enum gotest_verdict v = act ? verdict_of(act) : GOTEST_NONE;
		struct gotest_run *r;

		if (act && !strcmp(act, "build-fail") && ip) {
			char *name = xstrndup(ip, strcspn(ip, " "));
			if ((r = find(ctx, name)))
				r->build_failed = 1;
			free(name);
		}
		if (v == GOTEST_NONE || !p || !(r = find(ctx, p))) {
			json_decref(o);
			continue;
		}
		if (!test) {
			r->pkg = v;
			r->secs = json_number_value(json_object_get(o, "Elapsed"));
			if (json_object_get(o, "FailedBuild"))
				r->build_failed = 1;
		} else {
			tres_add(r, xstrdup(test), v);
		}
		json_decref(o);
	}
	fclose(fp);
	strbuf_release(&line);
	return 0;
}

/*
 * Append to out up to max output lines of test (NULL: the package's own
 * lines, the last ones; masked: test is a name from mask_name) from a
 * test2json stream, indented.
 */
void gotest_output(struct strbuf *out, const char *path, const char *pkg,
		   const char *test, int masked, size_t max)
{
	struct strbuf line = STRBUF_INIT;
	char **ring = xcalloc(max, sizeof(*ring));
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	while (fp && strbuf_getline(&line, fp) != -1) {
		json_t *o = json_loadb(line.buf, line.len, 0, NULL);
		const char *act = json_string_value(json_object_get(o, "Action"));
		const char *p = json_string_value(json_object_get(o, "Package"));
		const char *t = json_string_value(json_object_get(o, "Test"));
		const char *text = json_string_value(json_object_get(o, "Output"));

		char *tn = t && masked ? mask_name(t) : NULL;
		int match = test ? t && !strcmp(tn ? tn : t, test) : !t;

		free(tn);
		if (match && act && text && p && !strcmp(p, pkg) &&
		    (!strcmp(act, "output") || !strcmp(act, "build-output")) &&
		    strncmp(text, "=== ", 4)) {
			if (test && n >= max) {
				json_decref(o);
				continue; /* a test's first lines say what failed */
			}
			free(ring[n % max]);
			ring[n % max] = xstrdup(text);
			n++;
		}
		json_decref(o);
	}
	for (size_t i = n > max ? n - max : 0; i < n; i++) {
		const char *s = ring[i % max];
		size_t len = strlen(s);
		while (len && s[len - 1] == '\n')
			len--;
		strbuf_addstr(out, "        ");
		strbuf_add(out, s, len);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < max; i++)
		free(ring[i]);
	free(ring);
	if (fp)
		fclose(fp);
	strbuf_release(&line);
}

/* The last lines of a file (a go command's stderr), indented. */
void gotest_tail(struct strbuf *out, const char *path, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lines = 0, start;

	if (strbuf_read_file(&sb, path) < 0 || !sb.len)
		goto out;
	start = sb.len;
	if (sb.buf[start - 1] == '\n')
		start--;
	while (start > 0 && lines < max)
		if (sb.buf[--start] == '\n')
			lines++;
	if (sb.buf[start] == '\n')
		start++;
	for (char *p = sb.buf + start; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		strbuf_addstr(out, "        ");
		strbuf_add(out, p, len);
		strbuf_addch(out, '\n');
		p += len + (nl != NULL);
	}
out:
	strbuf_release(&sb);
}

char *gotest_run_describe(const struct gotest_run *r, int ran)
{
	struct strbuf sb = STRBUF_INIT;

	if (!ran)
		strbuf_addstr(&sb, "no result");
	else if (r->build_failed)
		strbuf_addstr(&sb, "build failed");
	else
		strbuf_addf(&sb, "%s %u/%u/%u",
			    r->pkg == GOTEST_PASS ? "ok" : r->pkg == GOTEST_FAIL ? "FAIL" :
			    r->pkg == GOTEST_SKIP ? "skip" : "none",
			    r->npass, r->nfail, r->nskip);
	return strbuf_detach(&sb, NULL);
}

/*
 * Merge two sorted verdict lists: count the tests in both that neither
 * skipped, report those whose verdicts differ, and move the tests found
 * in one list only to oa and ob (masked by mask_name), if not NULL.
 */
static unsigned merge(struct strbuf *d, const struct gotest_files *f, const char *pkg,
		      const struct gotest_run *a, const struct gotest_run *b, int masked,
		      size_t *compared, struct gotest_run *oa, struct gotest_run *ob)
{
	unsigned diffs = 0;
	size_t i = 0, j = 0;

	while (i < a->nr || j < b->nr) {
		int c = i >= a->nr ? 1 : j >= b->nr ? -1 : strcmp(a->t[i].name, b->t[j].name);
		if (c < 0) {
			if (oa)
				tres_add(oa, mask_name(a->t[i].name), a->t[i].v);
			i++;
			continue;
		}
		if (c > 0) {
			if (ob)
				tres_add(ob, mask_name(b->t[j].name), b->t[j].v);
			j++;
			continue;
		}
		if (a->t[i].v != GOTEST_SKIP && b->t[j].v != GOTEST_SKIP) {
			(*compared)++;
			if (a->t[i].v != b->t[j].v) {
				int in_instr = b->t[j].v == GOTEST_FAIL;
				strbuf_addf(d, "  %s: %s: plain %s, instrumented %s\n", pkg,
					    a->t[i].name, gotest_verdict_name(a->t[i].v),
					    gotest_verdict_name(b->t[j].v));
				gotest_output(d, f->json[in_instr], pkg, a->t[i].name, masked, 8);
				diffs++;
			}
		}
		i++, j++;
	}
	return diffs;
}

/*
 * Tests are paired by name, then the rest by name with addresses masked;
 * one_sided counts those left.
 */
unsigned gotest_compare(struct strbuf *d, const struct gotest_files *f,
			const char *pkg, const struct gotest_run *a,
			const struct gotest_run *b, size_t *compared, size_t *one_sided)
{
	struct gotest_run ra = { 0 }, rb = { 0 };
	unsigned diffs;

	*compared = 0;
	diffs = merge(d, f, pkg, a, b, 0, compared, &ra, &rb);
	tres_fold(&ra);
	tres_fold(&rb);
	*one_sided = ra.nr + rb.nr;
	if (ra.nr && rb.nr) {
		struct gotest_run la = { 0 }, lb = { 0 };
		diffs += merge(d, f, pkg, &ra, &rb, 1, compared, &la, &lb);
		*one_sided = la.nr + lb.nr;
		gotest_run_release(&la);
		gotest_run_release(&lb);
	}
	gotest_run_release(&ra);
	gotest_run_release(&rb);
	if (a->pkg != b->pkg || a->build_failed != b->build_failed) {
		int in_instr = b->pkg != GOTEST_PASS && b->pkg != GOTEST_SKIP;
		strbuf_addf(d, "  %s: package: plain %s%s, instrumented %s%s\n", pkg,
			    gotest_verdict_name(a->pkg), a->build_failed ? " (build failed)" : "",
			    gotest_verdict_name(b->pkg), b->build_failed ? " (build failed)" : "");
		gotest_output(d, f->json[in_instr], pkg, NULL, 0, 12);
		gotest_tail(d, f->err[in_instr], 8);
		diffs++;
	}
	return diffs;
}
