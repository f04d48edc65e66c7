/*
 * cmd_report.c - goinstr report: flags, --baseline/--allow, and the text,
 * json, sarif and edges outputs (html: report_html.c). The aggregation is
 * report.c's; everything printed here is sorted, without timestamps, so
 * two runs over the same logs print the same bytes.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "hash.h"
#include "reflectops.h"
#include "report.h"
#include "util.h"
#include "version.h"

/* Exit code when lines were skipped (bad JSON, truncated, newer schema);
 * 1 is --baseline's "new sites", 2 goinstr's usage errors. */
#define EXIT_SKIPPED 3

/* The layout of --format json: 2 added baseline keys ("key"), which
 * --baseline compares instead of "site", and totals.dropped_events. */
#define REPORT_JSON_SCHEMA 2

static const char usage_line[] =
	"usage: goinstr report [--format text|json|sarif|edges|html] [--baseline OLD] "
	"[--allow FILE] [--gzip-ratio N] LOG... [--sites FILE...]";

struct allow {
	char *site, *why;
};

struct opts {
	const char *format, *baseline, *allow, *gzip_ratio;
	const char *const *logs;
	size_t nlogs;
	struct argv sites;
	struct allow *allows;
	size_t nallows;
};

/* --- flags --------------------------------------------------------------- */

const struct option report_options[] = {
	OPT_STRING("format", struct opts, format, "FORMAT", "text, json, sarif, edges or html"),
	OPT_LIST("sites", struct opts, sites, "FILE", "sites inventories (BIN.sites.jsonl): coverage per module"),
	OPT_STRING("baseline", struct opts, baseline, "OLD",
		   "print the sites not in OLD (a log or a --format json output); exit 1 if there are any"),
	OPT_STRING("allow", struct opts, allow, "FILE",
		   "accepted sites, JSON Lines {\"site\",\"justification\"}: not new for --baseline, "
		   "suppressed in SARIF"),
	OPT_STRING("gzip-ratio", struct opts, gzip_ratio, "N",
		   "gzip input may inflate to at most N times its size (default 100; 0: no limit)"),
	OPT_END(),
};

static int parse_flags(struct opts *o, int argc, const char **argv)
{
	int n = opts_parse(report_options, o, argc, argv, 0);

	if (n < 0)
		return -1;
	o->logs = argv + n; /* the operands: logs, "-" for standard input */
	o->nlogs = (size_t)(argc - n);
	if (!o->format)
		o->format = "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "sarif") &&
	    strcmp(o->format, "edges") && strcmp(o->format, "html"))
		return error("unknown format '%s' (text, json, sarif, edges or html)", o->format);
	if (!o->nlogs && o->sites.nr)
		return error("no LOG: --sites takes every file up to the next flag "
			     "(give the logs first, or end the list with --)");
	if (!o->nlogs)
		return error("%s", usage_line);
	return 0;
}

/* --gzip-ratio N: a count from 0 to 10^6. */
static int parse_ratio(const char *s, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!s)
		return 0;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n > 1000000)
		return error("--gzip-ratio: '%s' is not a number from 0 to 1000000", s);
	*out = (unsigned)n;
	return 0;
}

static int cmp_allow(const void *a, const void *b)
{
	return strcmp(((const struct allow *)a)->site, ((const struct allow *)b)->site);
}

/* --allow FILE: JSON Lines of {"site": KEY, "justification": TEXT}. */
static int load_allow(struct opts *o)
{
	FILE *fp = fopen(o->allow, "r");
	struct strbuf line = STRBUF_INIT;
	unsigned long lineno = 0;
	int ret = 0;

	if (!fp)
		return error("cannot open '%s': %s", o->allow, strerror(errno));
	while (strbuf_getline(&line, fp) != -1) {
		json_t *j;
		const char *site, *why;

		lineno++;
		if (!line.len || line.buf[0] == '#')
			continue;
		j = json_loadb(line.buf, line.len, 0, NULL);
		site = json_string_value(json_object_get(j, "site"));
		why = json_string_value(json_object_get(j, "justification"));
		if (!site || !why || !*why) {
			json_decref(j);
			ret = error("%s:%lu: want {\"site\": ..., \"justification\": ...}", o->allow,
				    lineno);
			break;
		}
		o->allows = xrealloc(o->allows, (o->nallows + 1) * sizeof(*o->allows));
		o->allows[o->nallows++] = (struct allow){ xstrdup(site), xstrdup(why) };
		json_decref(j);
	}
	strbuf_release(&line);
	fclose(fp);
	if (o->nallows)
		qsort(o->allows, o->nallows, sizeof(*o->allows), cmp_allow);
	return ret;
}

/* --- reading ------------------------------------------------------------- */

struct logfile {
	char *path;
	dev_t dev;
	ino_t ino;
	size_t order;
	int dup;
};

static int cmp_file_id(const void *a, const void *b)
{
	const struct logfile *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_file_order(const void *a, const void *b)
{
	const struct logfile *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Whether a file with st's device and inode is among f[0..nf), which
 * are sorted by cmp_file_id. */
static int file_listed(const struct logfile *f, size_t nf, const struct stat *st)
{
	size_t lo = 0, hi = nf;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f[mid].dev == st->st_dev && f[mid].ino == st->st_ino)
			return 1;
		if (f[mid].dev < st->st_dev || (f[mid].dev == st->st_dev && f[mid].ino < st->st_ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * The files beside the LOGs that look rotated from them but that the
 * report does not read (LOG.K.gz.age, LOG.K.xz ...): each not read
 * otherwise (named on the command line) is named on stderr and counted,
 * so that half a log never passes for the whole.
 */
static void name_unread(struct report *r, const struct argv *unread, const struct logfile *f,
			size_t nf)
{
	if (unread->nr)
		qsort(unread->v, unread->nr, sizeof(*unread->v), cmp_strp);
	for (size_t i = 0; i < unread->nr; i++) {
		struct stat st;

		if ((i && !strcmp(unread->v[i], unread->v[i - 1])) ||
		    (!stat(unread->v[i], &st) && file_listed(f, nf, &st)))
			continue;
		error("%s: not read: beside a LOG named, but goinstr report reads LOG.K and "
		      "LOG.K.gz only (decrypt or decompress it into goinstr report -)", unread->v[i]);
		r->unread_files++;
	}
}

/*
 * Add each LOG and its rotated files once, whatever the globbing: the
 * files are listed first, then duplicates (same device and inode) found
 * by sorting, so thousands of logs cost n log n, not n squared.
 */
static int add_logs(struct report *r, const struct opts *o)
{
	struct logfile *f = NULL;
	struct argv unread = ARGV_INIT;
	size_t nf = 0, af = 0;
	int ret = 0;

	for (size_t i = 0; i < o->nlogs && !ret; i++) {
		char **paths;
		size_t n = report_rotated(o->logs[i], &paths, &unread);

		for (size_t j = 0; j < n; j++) {
			struct stat st = { 0 };

			if (!strcmp(paths[j], "-")) /* standard input: read once */
				st.st_dev = (dev_t)-1;
			else if (!ret && stat(paths[j], &st))
				ret = error("cannot open '%s': %s", paths[j], strerror(errno));
			if (ret) {
				free(paths[j]);
				continue;
			}
			if (nf == af) {
				af = af ? 2 * af : 16;
				f = xrealloc(f, af * sizeof(*f));
			}
			f[nf] = (struct logfile){ paths[j], st.st_dev, st.st_ino, nf, 0 };
			nf++;
		}
		free(paths);
	}
	if (nf)
		qsort(f, nf, sizeof(*f), cmp_file_id);
	for (size_t i = 1; i < nf; i++)
		f[i].dup = f[i].dev == f[i - 1].dev && f[i].ino == f[i - 1].ino;
	if (!ret)
		name_unread(r, &unread, f, nf);
	argv_release(&unread);
	if (nf)
		qsort(f, nf, sizeof(*f), cmp_file_order);
	for (size_t i = 0; i < nf; i++) {
		if (!ret && !f[i].dup)
			ret = report_add_log(r, f[i].path);
		free(f[i].path);
	}
	free(f);
	return ret;
}

/*
 * --baseline OLD: the site keys of OLD, a log (or rotated set) or the
 * output of --format json. Marks r's sites not in it: by baseline key, or
 * by location key for a schema 1 JSON (made before baseline keys, which
 * it does not have). Returns the number of new sites not allowed, or -1.
 */
static long baseline(struct report *r, const char *old)
{
	json_t *j = strcmp(old, "-") ? json_load_file(old, 0, NULL) : NULL;
	char **keys = NULL;
	size_t nkeys = 0;
	long fresh = 0;
	int by_location = 0;
	struct report o;

	if (j && !strcmp(json_string_value(json_object_get(j, "report")) ?: "", "goinstr")) {
		json_t *sites = json_object_get(j, "sites"), *s;
		json_int_t schema = json_integer_value(json_object_get(j, "schema"));
		size_t i;

		if (schema > REPORT_JSON_SCHEMA) {
			json_decref(j);
			return error("baseline '%s' is a report of schema %lld, newer than this "
				     "goinstr reads (%d)", old, (long long)schema, REPORT_JSON_SCHEMA);
		}
		if (schema < 2) {
			by_location = 1;
			warning("baseline '%s' is a schema 1 report: sites compared by file and "
				"line; write it again with this goinstr to compare by function", old);
		}
		keys = xmalloc((json_array_size(sites) + 1) * sizeof(*keys));
		json_array_foreach(sites, i, s) {
			const char *k = json_string_value(json_object_get(s, by_location ? "site" : "key"));
			if (k)
				keys[nkeys++] = xstrdup(k);
		}
	} else {
		struct opts oo = { 0 };
		const char *logs[] = { old };

		oo.logs = logs;
		oo.nlogs = 1;
		report_init(&o);
		o.gzip_ratio = r->gzip_ratio;
		if (add_logs(&o, &oo)) {
			report_release(&o);
			json_decref(j);
			return -1;
		}
		report_finish(&o);
		r->skipped += o.skipped;
		r->unread_files += o.unread_files;
		keys = xmalloc((o.nsites + 1) * sizeof(*keys));
		for (size_t i = 0; i < o.nsites; i++)
			keys[nkeys++] = xstrdup(o.sites[i]->bkey);
		report_release(&o);
	}
	json_decref(j);
	qsort(keys, nkeys, sizeof(*keys), cmp_strp);
	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = r->sites[i];
		const char *k = by_location ? s->key : s->bkey;
		s->is_new = !bsearch(&k, keys, nkeys, sizeof(*keys), cmp_strp);
		fresh += s->is_new && !s->allow;
	}
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	return fresh;
}

/* --- text ---------------------------------------------------------------- */

/*
 * Text for a terminal. Tabs and newlines separate fields and records, and
 * a log may hold any bytes, which a terminal would obey: escape every
 * byte that is not printable text. A backslash is \\, tab and newline
 * \t and \n, other C0 controls and DEL \xNN, bytes that are not UTF-8
 * \xNN; C1 controls (U+0080 to U+009F: U+009B starts a terminal command
 * like ESC [ does), the bidirectional overrides and isolates (U+202A to
 * U+202E, U+2066 to U+2069) and the line and paragraph separators
 * (U+2028, U+2029) are \u{NNNN}.
 */
static void term_text(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned c = p[i], cp;
		size_t k;

		if (c == '\\') {
			strbuf_addstr(out, "\\\\"), i++;
		} else if (c == '\t') {
			strbuf_addstr(out, "\\t"), i++;
		} else if (c == '\n') {
			strbuf_addstr(out, "\\n"), i++;
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\x%02x", c), i++;
		} else if (c < 0x80) {
			strbuf_addch(out, (int)c), i++;
		} else if (!(k = utf8_len(p + i, n - i))) {
			strbuf_addf(out, "\\x%02x", c), i++;
		} else {
			cp = k == 2 ? (c & 0x1f) << 6 | (p[i + 1] & 0x3f)
			     : k == 3 ? (c & 0x0f) << 12 | (p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3f)
				      : 0x10000;
			if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
				strbuf_addf(out, "\\u{%04X}", cp);
			else
				strbuf_add(out, p + i, k);
			i += k;
		}
	}
}

static void put_field(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	term_text(&sb, s);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* printf("%*s%-*s", indent, "", width, s) with s as term_text. */
static void put_cell(int indent, int width, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	term_text(&sb, s);
	printf("%*s%-*s", indent, "", width, sb.buf);
	strbuf_release(&sb);
}

/* "part 1", "parts 1-3, 7" (", and more" when not all are known). */
static void parts_text(struct strbuf *out, const struct rincomplete *ic)
{
	int many = ic->nmissing > 1 || ic->more ||
		   (ic->nmissing && ic->missing[0].first != ic->missing[0].last);

	strbuf_addstr(out, many ? "parts " : "part ");
	for (size_t i = 0; i < ic->nmissing; i++) {
		const struct rpart *p = &ic->missing[i];
		strbuf_addf(out, "%s%llu", i ? ", " : "", p->first);
		if (p->last != p->first)
			strbuf_addf(out, "-%llu", p->last);
	}
	if (ic->more)
		strbuf_addstr(out, ic->nmissing ? ", and more" : "between those read");
}

/*
 * On stderr, each process whose log lacks parts before the last one read
 * (rotation removed them, or they were not named): what the report
 * counts is not all it did. At most diag_max lines, then how many more.
 */
static void print_incomplete(const struct report *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;

	for (size_t i = 0; i < r->nincomplete && shown < r->diag_max; i++, shown++) {
		const struct rincomplete *ic = &r->incomplete[i];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "process %lld (", ic->pid);
		term_text(&sb, *ic->exe ? ic->exe : "?");
		strbuf_addstr(&sb, ", started ");
		term_text(&sb, ic->start);
		strbuf_addstr(&sb, "): ");
		parts_text(&sb, ic);
		strbuf_addstr(&sb, " of its log not read (rotated away, or not named)");
		error("%s", sb.buf);
	}
	if (r->incomplete_procs > shown)
		error("%llu more process%s with parts of their logs not read",
		      r->incomplete_procs - shown, PLURAL_ES(r->incomplete_procs - shown));
	strbuf_release(&sb);
}

static void print_coverage_text(const struct report *r)
{
	size_t n;
	struct rcov *c = report_coverage(r, &n);

	printf("\n%-47s %8s %8s %8s %8s\n", "COVERAGE (--sites)", "FOUND", "EXECUTED", "UNSEEN",
	       "PERCENT");
	for (size_t i = 0; i < n; i++) {
		put_cell(0, 47, c[i].module);
		printf(" %8zu %8zu %8zu %7.1f%%\n", c[i].found, c[i].executed, c[i].blind,
		       report_percent(&c[i]));
	}
	printf("(UNSEEN: blind spots, not instrumented: calls into C, functions not in Go,\n"
	       " linkname pulls into the runtime, unsafe operations left unwrapped; counted\n"
	       " as not executed)\n");
	free(c);
	printf("\nnever executed:\n");
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *v = r->inv[i];
		if (!v->wrapped || v->executed)
			continue;
		printf("  ");
		put_field(v->module);
		printf("  ");
		put_field(v->op);
		putchar(' ');
		put_field(v->file);
		printf(":%lld", v->line);
		if (strncmp(v->op, "unsafe.", 7) == 0) {
			printf(":%lld  ", v->col);
			put_field(v->expr);
		}
		printf("\n");
	}
}

static void print_text(const struct report *r)
{
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	printf("%llu event%s at %zu site%s, %llu process%s, %lu file%s", r->events,
	       PLURAL(r->events), r->nsites, PLURAL(r->nsites), r->procs, PLURAL_ES(r->procs),
	       r->files, PLURAL(r->files));
	if (r->dropped)
		printf(", %llu event%s over the logger's limit not logged", r->dropped,
		       PLURAL(r->dropped));
	if (r->skipped)
		printf(", %llu line%s skipped", r->skipped, PLURAL(r->skipped));
	if (r->unread_files)
		printf(", %lu rotated file%s not read", r->unread_files, PLURAL(r->unread_files));
	if (r->missing_parts)
		printf(", %llu part%s of %llu %s logs not read", r->missing_parts,
		       PLURAL(r->missing_parts), r->incomplete_procs,
		       r->incomplete_procs == 1 ? "process's" : "processes'");
	printf("\n\n%-56s %8s %8s\n", "MODULE / PACKAGE / OP", "EVENTS", "SITES");
	for (size_t i = 0; i < n; i++) {
		put_cell(0, 56, g[i].name);
		printf(" %8llu %8llu\n", g[i].events, g[i].sites);
		for (size_t j = 0; j < g[i].nkids; j++) {
			const struct rgroup *p = &g[i].kids[j];
			put_cell(2, 54, p->name);
			printf(" %8llu %8llu\n", p->events, p->sites);
			for (size_t k = 0; k < p->nkids; k++) {
				put_cell(4, 52, p->kids[k].name);
				printf(" %8llu %8llu\n", p->kids[k].events, p->kids[k].sites);
			}
		}
	}
	report_groups_free(g, n);
	if (r->ninv)
		print_coverage_text(r);
}

/* "KEY at FILE:LINE[:COL] (MODULE)": the baseline key, then where. */
static void put_site(const struct rsite *s)
{
	put_field(s->bkey);
	printf(" at ");
	put_field(s->file);
	printf(":%lld", s->line);
	if (s->col > 0)
		printf(":%lld", s->col);
	printf(" (");
	put_field(s->module);
	putchar(')');
}

static void print_baseline(const struct report *r)
{
	size_t fresh = 0, allowed = 0;

	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		if (!s->is_new)
			continue;
		printf(s->allow ? "allowed: " : "new: ");
		put_site(s);
		if (s->allow) {
			printf(": ");
			put_field(s->allow);
			allowed++;
		} else {
			fresh++;
		}
		putchar('\n');
	}
	printf("%zu new sites, %zu allowed\n", fresh, allowed);
}

/* --- edges --------------------------------------------------------------- */

static void print_edges(const struct report *r)
{
	for (size_t i = 0; i < r->nedges; i++) {
		put_field(r->edges[i]->caller);
		putchar('\t');
		put_field(r->edges[i]->target);
		putchar('\t');
		put_field(r->edges[i]->op);
		putchar('\n');
	}
}

/* --- json ---------------------------------------------------------------- */

static json_t *group_json(const struct rgroup *g, size_t n, int level)
{
	static const char *const names[] = { "module", "package", "op" };
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, names[level], json_string(g[i].name));
		if (level == 2)
			json_object_set_new(o, "category", json_string(g[i].cat));
		json_object_set_new(o, "events", json_integer((json_int_t)g[i].events));
		json_object_set_new(o, "sites", json_integer((json_int_t)g[i].sites));
		if (level < 2)
			json_object_set_new(o, level ? "ops" : "packages",
					    group_json(g[i].kids, g[i].nkids, level + 1));
		json_array_append_new(a, o);
	}
	return a;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

/* The processes whose logs lack parts: pid, start, exe, the parts
 * missing as [first, last] ranges, and "more" when not all are listed. */
static json_t *incomplete_json(const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nincomplete; i++) {
		const struct rincomplete *ic = &r->incomplete[i];
		json_t *o = json_object(), *m = json_array();
		json_object_set_new(o, "pid", json_integer(ic->pid));
		set_str(o, "start", ic->start);
		set_str(o, "exe", ic->exe);
		for (size_t k = 0; k < ic->nmissing; k++)
			json_array_append_new(m, json_pack("[II]", (json_int_t)ic->missing[k].first,
							   (json_int_t)ic->missing[k].last));
		json_object_set_new(o, "missing_parts", m);
		if (ic->more)
			json_object_set_new(o, "more", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *report_json(const struct report *r, int with_baseline)
{
	json_t *root = json_object(), *t = json_object(), *a;
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	json_object_set_new(root, "report", json_string("goinstr"));
	json_object_set_new(root, "schema", json_integer(REPORT_JSON_SCHEMA));
	json_object_set_new(t, "events", json_integer((json_int_t)r->events));
	json_object_set_new(t, "sites", json_integer((json_int_t)r->nsites));
	json_object_set_new(t, "processes", json_integer((json_int_t)r->procs));
	json_object_set_new(t, "files", json_integer((json_int_t)r->files));
	json_object_set_new(t, "lines", json_integer((json_int_t)r->lines));
	json_object_set_new(t, "skipped_lines", json_integer((json_int_t)r->skipped));
	json_object_set_new(t, "dropped_events", json_integer((json_int_t)r->dropped));
	json_object_set_new(t, "unread_files", json_integer((json_int_t)r->unread_files));
	json_object_set_new(t, "missing_parts", json_integer((json_int_t)r->missing_parts));
	json_object_set_new(t, "incomplete_processes", json_integer((json_int_t)r->incomplete_procs));
	json_object_set_new(root, "totals", t);
	json_object_set_new(root, "modules", group_json(g, n, 0));
	report_groups_free(g, n);

	a = json_array();
	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		json_t *o = json_object();
		set_str(o, "site", s->key);
		set_str(o, "key", s->bkey);
		set_str(o, "op", s->op);
		set_str(o, "category", s->cat);
		set_str(o, "module", s->module);
		set_str(o, "package", s->pkg);
		set_str(o, "func", s->func);
		set_str(o, "file", s->file);
		json_object_set_new(o, "line", json_integer(s->line));
		json_object_set_new(o, "col", json_integer(s->col));
		set_str(o, "id", s->id);
		set_str(o, "expr", s->expr);
		set_str(o, "target", s->target);
		json_object_set_new(o, "events", json_integer((json_int_t)s->events));
		if (with_baseline)
			json_object_set_new(o, "new", json_boolean(s->is_new));
		set_str(o, "allowed", s->allow);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "sites", a);

	a = json_array();
	for (size_t i = 0; i < r->nedges; i++) {
		json_t *o = json_object();
		set_str(o, "caller", r->edges[i]->caller);
		set_str(o, "target", r->edges[i]->target);
		set_str(o, "op", r->edges[i]->op);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "edges", a);
	json_object_set_new(root, "incomplete", incomplete_json(r));

	if (r->ninv) {
		struct rcov *c = report_coverage(r, &n);
		a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object(), *never = json_array();
			json_object_set_new(o, "module", json_string(c[i].module));
			json_object_set_new(o, "found", json_integer((json_int_t)c[i].found));
			json_object_set_new(o, "executed", json_integer((json_int_t)c[i].executed));
			json_object_set_new(o, "unseen", json_integer((json_int_t)c[i].blind));
			/* Tenths of a percent, as text: no float formatting drift. */
			{
				char pct[32];
				snprintf(pct, sizeof(pct), "%.1f", report_percent(&c[i]));
				json_object_set_new(o, "percent", json_string(pct));
			}
			for (size_t k = 0; k < r->ninv; k++) {
				const struct rinv *v = r->inv[k];
				json_t *s;
				if (!v->wrapped || v->executed || strcmp(v->module, c[i].module))
					continue;
				s = json_object();
				set_str(s, "id", v->id);
				set_str(s, "op", v->op);
				set_str(s, "package", v->pkg);
				set_str(s, "file", v->file);
				json_object_set_new(s, "line", json_integer(v->line));
				json_object_set_new(s, "col", json_integer(v->col));
				set_str(s, "expr", v->expr);
				json_array_append_new(never, s);
			}
			json_object_set_new(o, "never_executed", never);
			json_array_append_new(a, o);
		}
		free(c);
		json_object_set_new(root, "coverage", a);
	}
	return root;
}

/*
 * The code point a UTF-8 sequence p[0..k) that JSON may hold raw but a
 * terminal or an editor would obey, or 0: C1 controls (U+0080 to U+009F:
 * U+009B starts a terminal command as ESC [ does), the bidirectional
 * overrides and isolates (U+202A to U+202E, U+2066 to U+2069) and the
 * line and paragraph separators (U+2028, U+2029) -- what term_text
 * escapes beyond ASCII.
 */
static unsigned json_unsafe_cp(const unsigned char *p, size_t k)
{
	unsigned cp;

	if (k == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
		return p[1];
	if (k != 3 || p[0] != 0xe2)
		return 0;
	cp = 0x2000 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	return (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ? cp : 0;
}

/*
 * Print a JSON document (json and sarif): jansson escapes only what JSON
 * requires, so the characters json_unsafe_cp names are written \uXXXX
 * here. jansson's output is UTF-8 and its structure ASCII: such a
 * sequence can only be inside a string, where the escape means the same.
 */
static void dump(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	const unsigned char *p = (const unsigned char *)(s ? s : "null");
	size_t n = strlen((const char *)p), done = 0;

	for (size_t i = 0; i < n;) {
		size_t k = p[i] < 0x80 ? 1 : utf8_len(p + i, n - i);
		unsigned cp = json_unsafe_cp(p + i, k);

		if (!k)
			k = 1; /* not from jansson: written as it is */
		if (cp) {
			fwrite(p + done, 1, i - done, stdout);
			printf("\\u%04x", cp);
			done = i + k;
		}
		i += k;
	}
	fwrite(p + done, 1, n - done, stdout);
	putchar('\n');
	free(s);
}

/* --- sarif --------------------------------------------------------------- */

/* One rule per op category (reflectops.h): its name, what a result of it
 * says, and its level. */
static const struct {
	const char *name, *text, *level;
} rules[CAT__N] = {
	[CAT_CALL] = { "ReflectCall", "A function or method is invoked through reflect", "note" },
	[CAT_UNSAFE] = { "UnsafeOperation",
			 "Memory is reached through unsafe or reflect's raw-pointer operations",
			 "warning" },
	[CAT_MUTATE] = { "ReflectMutate", "A value is written through reflect", "note" },
	[CAT_CONSTRUCT] = { "ReflectConstruct", "A value, function or type is made through reflect",
			    "note" },
	[CAT_LOOKUP] = { "ReflectLookup", "A member is found by name or index through reflect",
			 "note" },
	[CAT_READ] = { "ReflectRead", "A value or type is inspected through reflect", "note" },
};

static enum op_cat site_cat(const struct rsite *s)
{
	for (int c = 0; c < CAT__N; c++)
		if (!strcmp(s->cat, cat_name((enum op_cat)c)))
			return (enum op_cat)c;
	return strncmp(s->op, "unsafe.", 7) ? CAT_READ : CAT_UNSAFE; /* unknown category */
}

/* Bytes of a path as a URI reference: RFC 3986's unreserved characters,
 * '/' and a few sub-delimiters a path may hold ('@' of module@version,
 * '!' of the module cache's case encoding) kept, others %XX. */
static void uri_add(struct strbuf *out, const char *p, size_t n)
{
	for (const unsigned char *s = (const unsigned char *)p; n--; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/@!+,=", *s))
			strbuf_addch(out, (char)*s);
		else
			strbuf_addf(out, "%%%02X", *s);
	}
}

/* Base URIs a location may be relative to (originalUriBaseIds). */
enum { BASE_NONE, BASE_SRCROOT, BASE_GOROOT, BASE_GOMODCACHE, BASE__N };
static const struct {
	const char *id, *text;
} bases[BASE__N] = {
	[BASE_SRCROOT] = { "SRCROOT", "The root of the main module (files the program was built "
				      "from with -trimpath), else the directory goinstr report ran "
				      "in: run it from the root of the checkout" },
	[BASE_GOROOT] = { "GOROOT", "The Go installation the program was built with (go env "
				    "GOROOT)" },
	[BASE_GOMODCACHE] = { "GOMODCACHE", "The Go module cache the program was built from "
					    "(go env GOMODCACHE)" },
};

/*
 * Where a site's file is, for code scanning: a URI relative to the
 * checkout whenever the file is in it, so the service finds it. Absolute
 * names below the current directory are made relative to it, others are
 * file:// URIs. Names trimmed by -trimpath are module-relative: the main
 * module's ("example.com/m/p/f.go") lose the module path; a dependency's
 * ("mod@v1.2.3/p/f.go") are in the module cache (its directory names
 * write an upper-case letter as '!' and the letter), the standard
 * library's ("encoding/json/decode.go") in GOROOT/src.
 */
static int site_uri(const struct rsite *s, const char *cwd, struct strbuf *out)
{
	const char *f = s->file, *m = s->module, *at = strchr(f, '@'), *end;
	size_t n = strlen(cwd), mn = strlen(m);

	strbuf_reset(out);
	if (f[0] == '/') {
		if (n > 1 && !strncmp(f, cwd, n) && f[n] == '/') {
			uri_add(out, f + n + 1, strlen(f + n + 1));
			return BASE_SRCROOT;
		}
		strbuf_addstr(out, "file://");
		uri_add(out, f, strlen(f));
		return BASE_NONE;
	}
	if (!strncmp(m, "std", 3) && (!m[3] || m[3] == '@')) {
		strbuf_addstr(out, "src/");
		uri_add(out, f, strlen(f));
		return BASE_GOROOT;
	}
	if (!strchr(m, '@') && strcmp(m, "unknown") && !strncmp(f, m, mn) && f[mn] == '/') {
		uri_add(out, f + mn + 1, strlen(f + mn + 1));
		return BASE_SRCROOT;
	}
	if (at && (end = strchr(at, '/'))) { /* module@version/...: the cache */
		for (const char *p = f; p < end; p++) {
			if (*p >= 'A' && *p <= 'Z')
				strbuf_addch(out, '!'), strbuf_addch(out, *p - 'A' + 'a');
			else
				uri_add(out, p, 1);
		}
		uri_add(out, end, strlen(end));
		return BASE_GOMODCACHE;
	}
	uri_add(out, f, strlen(f));
	return BASE_SRCROOT;
}

static json_t *report_sarif(const struct report *r, int with_baseline)
{
	json_t *root = json_object(), *run = json_object(), *driver = json_object();
	json_t *ra = json_array(), *res = json_array(), *tool = json_object();
	struct strbuf uri = STRBUF_INIT, msg = STRBUF_INIT;
	int used[BASE__N] = { 0 };
	char cwd[4096];

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("goinstr"));
	json_object_set_new(driver, "version", json_string(GOINSTR_VERSION));
	for (int c = 0; c < CAT__N; c++) {
		json_t *rule = json_object(), *d = json_object(), *cfg = json_object();
		json_t *full = json_object(), *help = json_object();

		strbuf_reset(&msg);
		strbuf_addf(&msg, "goinstr/%s", cat_name((enum op_cat)c));
		json_object_set_new(rule, "id", json_string(msg.buf));
		json_object_set_new(rule, "name", json_string(rules[c].name));
		json_object_set_new(d, "text", json_string(rules[c].text));
		json_object_set_new(rule, "shortDescription", d);
		/* Code scanning shows these on each alert. */
		strbuf_reset(&msg);
		strbuf_addf(&msg, "Category %s: %s.", cat_name((enum op_cat)c),
			    cat_doc((enum op_cat)c));
		json_object_set_new(full, "text", json_string(msg.buf));
		json_object_set_new(rule, "fullDescription", full);
		json_object_set_new(help, "text",
				    json_string("Logged at run time by a program built with goinstr. "
						"Review the site; accept it in goinstr report's --allow "
						"file with a justification (docs/report.md)."));
		json_object_set_new(rule, "help", help);
		json_object_set_new(cfg, "level", json_string(rules[c].level));
		json_object_set_new(rule, "defaultConfiguration", cfg);
		json_array_append_new(ra, rule);
	}
	json_object_set_new(driver, "rules", ra);
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);

	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		json_t *o = json_object(), *loc = json_object(), *phys = json_object();
		json_t *art = json_object(), *locs = json_array(), *m = json_object();
		json_t *fp = json_object(), *props = json_object();
		enum op_cat k = site_cat(s);
		int base;

		strbuf_reset(&msg);
		strbuf_addf(&msg, "%s in %s", s->op, s->func);
		if (s->target)
			strbuf_addf(&msg, " on %s", s->target);
		strbuf_addf(&msg, " (%llu events)", s->events);
		json_object_set(o, "ruleId", json_object_get(json_array_get(ra, k), "id"));
		json_object_set_new(o, "ruleIndex", json_integer((json_int_t)k));
		json_object_set_new(o, "level", json_string(rules[k].level));
		json_object_set_new(m, "text", json_string(msg.buf));
		json_object_set_new(o, "message", m);
		base = site_uri(s, cwd, &uri);
		used[base] = 1;
		json_object_set_new(art, "uri", json_string(uri.buf));
		if (base != BASE_NONE)
			json_object_set_new(art, "uriBaseId", json_string(bases[base].id));
		json_object_set_new(phys, "artifactLocation", art);
		if (s->line > 0) {
			json_t *reg = json_object();
			json_object_set_new(reg, "startLine", json_integer(s->line));
			if (s->col > 0)
				json_object_set_new(reg, "startColumn", json_integer(s->col));
			json_object_set_new(phys, "region", reg);
		}
		json_object_set_new(loc, "physicalLocation", phys);
		json_array_append_new(locs, loc);
		json_object_set_new(o, "locations", locs);
		/* Code scanning matches results across runs by fingerprint: the
		 * baseline key's, which a moved line keeps. */
		strbuf_reset(&uri);
		sha256_buf_hex(s->bkey, strlen(s->bkey), &uri);
		json_object_set_new(fp, "goinstrKey/v1", json_string(uri.buf));
		json_object_set_new(o, "partialFingerprints", fp);
		if (with_baseline)
			json_object_set_new(o, "baselineState",
					    json_string(s->is_new ? "new" : "unchanged"));
		if (s->allow) {
			json_t *sup = json_array(), *one = json_object();
			json_object_set_new(one, "kind", json_string("external"));
			json_object_set_new(one, "justification", json_string(s->allow));
			json_array_append_new(sup, one);
			json_object_set_new(o, "suppressions", sup);
		}
		json_object_set_new(props, "site", json_string(s->key));
		json_object_set_new(props, "key", json_string(s->bkey));
		json_object_set_new(props, "module", json_string(s->module));
		json_object_set_new(props, "package", json_string(s->pkg));
		json_object_set_new(props, "events", json_integer((json_int_t)s->events));
		json_object_set_new(o, "properties", props);
		json_array_append_new(res, o);
	}
	for (int b = BASE_NONE + 1; b < BASE__N; b++) {
		json_t *ids = json_object_get(run, "originalUriBaseIds"), *d, *t;
		if (!used[b])
			continue;
		if (!ids)
			json_object_set_new(run, "originalUriBaseIds", ids = json_object());
		d = json_object();
		t = json_object();
		json_object_set_new(t, "text", json_string(bases[b].text));
		json_object_set_new(d, "description", t);
		json_object_set_new(ids, bases[b].id, d);
	}
	json_object_set_new(run, "results", res);
	json_object_set_new(root, "runs", json_array());
	json_array_append_new(json_object_get(root, "runs"), run);
	strbuf_release(&uri);
	strbuf_release(&msg);
	return root;
}

/* --- the command --------------------------------------------------------- */

int cmd_report(int argc, const char **argv)
{
	struct opts o = { .sites = ARGV_INIT };
	struct report r;
	long fresh = 0;
	int ret = 0;

	report_init(&r);
	if (parse_flags(&o, argc, argv) || parse_ratio(o.gzip_ratio, &r.gzip_ratio) ||
	    (o.allow && load_allow(&o))) {
		ret = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < o.sites.nr; i++)
		if (report_add_sites(&r, o.sites.v[i])) {
			ret = EXIT_USAGE;
			goto out;
		}
	if (add_logs(&r, &o)) {
		ret = EXIT_USAGE;
		goto out;
	}
	report_finish(&r);
	print_incomplete(&r);
	/* An --allow entry names a site by baseline key or by location key. */
	for (size_t i = 0; i < r.nsites && o.nallows; i++) {
		struct allow key = { r.sites[i]->bkey, NULL }, *a;
		if (!(a = bsearch(&key, o.allows, o.nallows, sizeof(*o.allows), cmp_allow))) {
			key.site = r.sites[i]->key;
			a = bsearch(&key, o.allows, o.nallows, sizeof(*o.allows), cmp_allow);
		}
		if (a)
			r.sites[i]->allow = a->why;
	}
	if (o.baseline && (fresh = baseline(&r, o.baseline)) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}

	if (!strcmp(o.format, "json") || !strcmp(o.format, "sarif")) {
		json_t *j = o.format[0] == 'j' ? report_json(&r, !!o.baseline)
					       : report_sarif(&r, !!o.baseline);
		dump(j);
		json_decref(j);
	} else if (!strcmp(o.format, "edges")) {
		print_edges(&r);
	} else if (!strcmp(o.format, "html")) {
		report_html(&r, stdout);
	} else if (o.baseline) {
		print_baseline(&r);
	} else {
		print_text(&r);
	}

	if (r.diags > r.diag_max)
		error("%lu more bad lines not shown", r.diags - r.diag_max);
	if (r.skipped)
		error("%llu line%s skipped in %lu file%s", r.skipped, PLURAL(r.skipped),
		      r.skipped_files, PLURAL(r.skipped_files));
	ret = fresh > 0 ? 1 : r.skipped || r.unread_files ? EXIT_SKIPPED : 0;
out:
	for (size_t i = 0; i < o.nallows; i++)
		free(o.allows[i].site), free(o.allows[i].why);
	free(o.allows);
	argv_release(&o.sites);
	report_release(&r);
	return ret;
}
