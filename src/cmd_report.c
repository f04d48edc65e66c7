/*
 * cmd_report.c - summarize JSON Lines logs written by instrumented programs.
 *
 * One row per distinct (op, caller position, target), with the number of
 * processes that logged it. Lines that are not goinstr JSON are counted and
 * reported, never fatal: a log may hold other writers' lines.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "util.h"

struct row {
	char *op, *where, *target;
	unsigned procs;
};

struct rows {
	struct row *v;
	size_t nr, alloc;
};

static void rows_add(struct rows *r, const char *op, const char *where, const char *target)
{
	for (size_t i = 0; i < r->nr; i++)
		if (!strcmp(r->v[i].op, op) && !strcmp(r->v[i].where, where) &&
		    !strcmp(r->v[i].target, target)) {
			r->v[i].procs++;
			return;
		}
	if (r->nr == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 64;
		r->v = xrealloc(r->v, r->alloc * sizeof(*r->v));
	}
	r->v[r->nr++] = (struct row){ xstrdup(op), xstrdup(where), xstrdup(target), 1 };
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->where, y->where);
	if (!c)
		c = strcmp(x->op, y->op);
	return c ? c : strcmp(x->target, y->target);
}

/* "file:line", with the current directory's prefix cut off. */
static void where_of(json_t *frame, const char *cwd, struct strbuf *out)
{
	const char *file = json_string_value(json_object_get(frame, "file"));
	size_t n = strlen(cwd);

	strbuf_reset(out);
	if (!file) {
		strbuf_addstr(out, "?");
		return;
	}
	if (n && !strncmp(file, cwd, n) && file[n] == '/')
		file += n + 1;
	strbuf_addf(out, "%s:%lld", file,
		    (long long)json_number_value(json_object_get(frame, "line")));
}

int cmd_report(int argc, const char **argv)
{
	struct rows rows = { 0 };
	struct strbuf line = STRBUF_INIT, where = STRBUF_INIT;
	char cwd[4096];
	unsigned long procs = 0, events = 0, bad = 0;
	int ret = 0;

	if (argc < 2) {
		error("usage: goinstr report LOG...");
		return EXIT_USAGE;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	for (int i = 1; i < argc && !ret; i++) {
		FILE *fp = fopen(argv[i], "r");
		if (!fp) {
			ret = error("cannot open '%s': %s", argv[i], strerror(errno));
			break;
		}
		while (strbuf_getline(&line, fp) != -1) {
			json_t *o = json_loadb(line.buf, line.len, JSON_DECODE_INT_AS_REAL, NULL); /* uint64 args */
			const char *msg = json_string_value(json_object_get(o, "msg"));
			const char *op = json_string_value(json_object_get(o, "op"));
			const char *target = json_string_value(json_object_get(o, "target"));

			if (!o || !msg) {
				bad++;
			} else if (!strcmp(msg, "goinstr.start")) {
				procs++;
			} else if (op) {
				events++;
				where_of(json_object_get(o, "caller"), cwd, &where);
				rows_add(&rows, op, where.buf, target ? target : "");
			}
			json_decref(o);
		}
		fclose(fp);
	}
	if (ret) {
		ret = EXIT_USAGE;
		goto out;
	}
	qsort(rows.v, rows.nr, sizeof(*rows.v), cmp_row);
	printf("%lu events from %lu processes, %zu distinct\n\n", events, procs, rows.nr);
	if (rows.nr)
		printf("%-32s %-28s %-28s %s\n", "OP", "CALLER", "TARGET", "PROCS");
	for (size_t i = 0; i < rows.nr; i++)
		printf("%-32s %-28s %-28s %u\n", rows.v[i].op, rows.v[i].where,
		       rows.v[i].target, rows.v[i].procs);
	if (bad)
		printf("\n%lu lines were not goinstr JSON and were skipped\n", bad);
out:
	for (size_t i = 0; i < rows.nr; i++) {
		free(rows.v[i].op);
		free(rows.v[i].where);
		free(rows.v[i].target);
	}
	free(rows.v);
	strbuf_release(&line);
	strbuf_release(&where);
	return ret;
}
