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
#include "policy.h"
#include "report.h"
#include "sitegate.h"
#include "srcallow.h"
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
	"[--allow FILE] [--policy FILE] [--gzip-ratio N] LOG... [--sites FILE...]";

struct allow {
	char *site, *why;
};

struct opts {
	const char *format, *baseline, *allow, *gzip_ratio, *policy;
	int main_only; /* --main-only: SARIF results of the main modules only */
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
	OPT_STRING("policy", struct opts, policy, "FILE",
		   "the gates' policy (docs/policy.md): allow rules accept new sites, deny rules "
		   "refuse sites; exit 1 on a denied site or an expired rule"),
	OPT_BOOL("main-only", struct opts, main_only,
		 "sarif: results in the main modules only (not the standard library's or dependencies')"),
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

static void put_field(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addterm(&sb, s);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* printf("%*s%-*s", indent, "", width, s) with s as strbuf_addterm. */
static void put_cell(int indent, int width, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addterm(&sb, s);
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
		strbuf_addterm(&sb, *ic->exe ? ic->exe : "?");
		strbuf_addstr(&sb, ", started ");
		strbuf_addterm(&sb, ic->start);
		strbuf_addstr(&sb, "): ");
		parts_text(&sb, ic);
		strbuf_addstr(&sb, " of its log not read (rotated away, or not named)");
		error("%s", sb.buf);
	}
	if (r->incomplete_procs > shown)
		error("%llu more processes with parts of their logs not read",
		      r->incomplete_procs - shown);
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

	printf("%llu events at %zu sites, %llu processes, %lu files", r->events, r->nsites,
	       r->procs, r->files);
	if (r->dropped)
		printf(", %llu events over the logger's limit not logged", r->dropped);
	if (r->skipped)
		printf(", %llu lines skipped", r->skipped);
	if (r->unread_files)
		printf(", %lu rotated files not read", r->unread_files);
	if (r->missing_parts)
		printf(", %llu parts of %llu processes' logs not read", r->missing_parts,
		       r->incomplete_procs);
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

/*
 * --policy: a deny rule refuses any site it matches; an allow rule, or a
 * //goinstr:allow comment on the line of a site of the project's own code
 * (a module without a version), accepts a new site (with --baseline; any
 * site without, for SARIF's suppressions). The texts said go to texts.
 * Returns the failures: denied sites and expired rules (said).
 */
static size_t apply_policy(struct report *r, struct policy *pol, int with_baseline,
			   struct argv *texts)
{
	struct srcallow sa = SRCALLOW_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t failed = 0;
	char today[11];

	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = r->sites[i];
		struct prule *rule = policy_match(pol, s->module, s->pkg, s->op, s->target);
		if (!rule && (s->allow || (with_baseline && !s->is_new) || strchr(s->module, '@') ||
			      srcallow_reason(&sa, s->file, s->line, &sb) <= 0))
			continue;
		if (rule) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s (owner %s): %s", policy_where(pol, rule), rule->owner,
				    rule->reason);
		}
		argv_push(texts, sb.buf);
		if (rule && rule->deny) {
			s->deny = texts->v[texts->nr - 1];
			failed++;
		} else if (!s->allow && (!with_baseline || s->is_new)) {
			s->allow = texts->v[texts->nr - 1];
			s->allow_in_source = !rule;
		}
	}
	policy_today(today);
	failed += policy_check(pol, today, 0);
	srcallow_release(&sa);
	strbuf_release(&sb);
	return failed;
}

static void print_baseline(const struct report *r)
{
	size_t fresh = 0, allowed = 0, denied = 0;

	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		if (s->deny) {
			printf("denied: ");
			put_site(s);
			printf(": ");
			put_field(s->deny);
			putchar('\n');
			denied++;
		}
		if (!s->is_new || s->deny)
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
	printf("%zu new sites, %zu allowed", fresh, allowed);
	if (denied)
		printf(", %zu denied", denied);
	putchar('\n');
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
		set_str(o, "denied", s->deny);
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
 * line and paragraph separators (U+2028, U+2029) -- what strbuf_addterm
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
/*
 * The SARIF rules, one per category. security-severity is code scanning's
 * 0.0-10.0 scale (7.0 and up "high", 4.0 "medium", under 4.0 "low"):
 * memory reached around the type system is high, a call chosen at run
 * time medium, the rest low. Each rule's help is docs/rules.md's section
 * (its anchor: the rule's name in lower case).
 */
static const struct {
	const char *name, *text, *level, *severity, *help;
} rules[CAT__N] = {
	[CAT_CALL] = { "ReflectCall", "A function or method is invoked through reflect", "note",
		       "5.0",
		       "The program calls a function or method chosen at run time (Value.Call, "
		       "MethodByName...): static analysis cannot see the callee. Check that the "
		       "target cannot be chosen by input (the events' targets and goinstr report "
		       "--format edges list them)." },
	[CAT_UNSAFE] = { "UnsafeOperation",
			 "Memory is reached through unsafe or reflect's raw-pointer operations",
			 "warning", "7.5",
			 "The program converts pointers or addresses around Go's type system "
			 "(unsafe.Pointer, unsafe.Slice, reflect's UnsafeAddr, NewAt...). Check the "
			 "sizes, alignment and lifetime the conversion assumes." },
	[CAT_MUTATE] = { "ReflectMutate", "A value is written through reflect", "note", "3.5",
			 "The program writes a value through reflect (Value.Set, SetMapIndex, "
			 "channel sends). Check which values input can reach." },
	[CAT_CONSTRUCT] = { "ReflectConstruct", "A value, function or type is made through reflect",
			    "note", "3.0",
			    "The program makes values, functions or types at run time (New, "
			    "MakeFunc, StructOf...). Check what they are given." },
	[CAT_LOOKUP] = { "ReflectLookup", "A member is found by name or index through reflect",
			 "note", "3.0",
			 "The program finds fields or methods by name or index at run time "
			 "(FieldByName, MethodByName...). Check that the names cannot come from "
			 "input unchecked." },
	[CAT_READ] = { "ReflectRead", "A value or type is inspected through reflect", "note", "1.0",
		       "The program inspects values or types through reflect; mostly harmless, "
		       "listed for completeness." },
};

/* Where the docs are published: informationUri and each rule's helpUri
 * (docs/rules.md at this version's tag). */
#define GOINSTR_HOME "https://github.com/goinstr/goinstr"
#define GOINSTR_DOCS GOINSTR_HOME "/blob/v" GOINSTR_VERSION "/docs/"


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

/* Does path p end with "/" then the n bytes at d ("" matches)? */
static int dir_ends(const char *p, size_t len, const char *d, size_t n)
{
	return !n || (len > n && !memcmp(p + len - n, d, n) && p[len - n - 1] == '/');
}

/*
 * Where a site's file is, for code scanning: never an absolute path. A
 * URI relative to a base (originalUriBaseIds): SRCROOT, the checkout,
 * for files below the current directory and the main module's files
 * (their directory below the module root read off the package path);
 * GOROOT for the standard library's ("src/encoding/json/decode.go");
 * GOMODCACHE for a dependency's ("mod@v1.2.3/p/f.go", written with the
 * cache's case encoding, '!' and the lower-case letter). Names trimmed by
 * -trimpath are already module-relative. BASE_NONE if none fits: the
 * result then has a logical location only (its function).
 */
static int site_uri(const struct rsite *s, const char *cwd, struct strbuf *out)
{
	const char *f = s->file, *m = s->module, *at = strchr(m, '@'), *slash = strrchr(f, '/');
	size_t n = strlen(cwd), mn = at ? (size_t)(at - m) : strlen(m), fl = strlen(f);
	int std = !strncmp(m, "std", 3) && (!m[3] || m[3] == '@');
	struct strbuf enc = STRBUF_INIT;
	const char *hit;
	int ret = BASE_NONE;

	strbuf_reset(out);
	if (f[0] == '/' && n > 1 && !strncmp(f, cwd, n) && f[n] == '/') {
		uri_add(out, f + n + 1, strlen(f + n + 1));
		return BASE_SRCROOT;
	}
	if (std) { /* ".../src/PKG/f.go", or "PKG/f.go" under -trimpath */
		size_t pn = strlen(s->pkg);
		if (slash && dir_ends(f, (size_t)(slash - f), s->pkg, pn) &&
		    (f[0] != '/' || (slash - f >= (long)pn + 5 &&
				     !memcmp(slash - pn - 5, "/src/", 5)))) {
			strbuf_addstr(out, "src/");
			uri_add(out, slash - pn, fl - (size_t)(slash - pn - f));
			return BASE_GOROOT;
		}
		return BASE_NONE;
	}
	if (at) { /* a dependency: MODULE@VERSION/ in the cache, encoded */
		for (const char *p = m; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				strbuf_addch(&enc, '!'), strbuf_addch(&enc, *p - 'A' + 'a');
			else
				strbuf_addch(&enc, *p);
		strbuf_addch(&enc, '/');
		for (hit = f; (hit = strstr(hit, enc.buf)); hit++)
			if (hit == f || hit[-1] == '/')
				break;
		if (!hit) { /* -trimpath writes the module path unencoded */
			strbuf_reset(&enc);
			strbuf_addf(&enc, "%s/", m);
			hit = !strncmp(f, enc.buf, enc.len) ? f : NULL;
			if (hit) {
				strbuf_release(&enc);
				for (const char *p = f; p < f + strlen(m); p++)
					if (*p >= 'A' && *p <= 'Z')
						strbuf_addch(out, '!'), strbuf_addch(out, *p - 'A' + 'a');
					else
						uri_add(out, p, 1);
				uri_add(out, f + strlen(m), strlen(f + strlen(m)));
				return BASE_GOMODCACHE;
			}
		}
		if (hit) {
			uri_add(out, hit, strlen(hit));
			ret = BASE_GOMODCACHE;
		}
		strbuf_release(&enc);
		return ret;
	}
	if (!strcmp(m, "unknown") || !slash)
		return BASE_NONE;
	/* the main module: "MOD/p/f.go" (-trimpath), or ".../ROOT/p/f.go"
	 * where p is the package path below the module path */
	if (!strncmp(f, m, mn) && f[mn] == '/') {
		uri_add(out, f + mn + 1, strlen(f + mn + 1));
		return BASE_SRCROOT;
	}
	if (!strncmp(s->pkg, m, mn) && (s->pkg[mn] == '/' || !s->pkg[mn])) {
		const char *rel = s->pkg + mn + (s->pkg[mn] == '/');
		size_t rn = strlen(rel);
		if (dir_ends(f, (size_t)(slash - f), rel, rn)) {
			const char *start = rn ? slash - rn : slash + 1;
			uri_add(out, start, strlen(start));
			return BASE_SRCROOT;
		}
	}
	return BASE_NONE;
}

/* A site of a main module: not the standard library's, not a
 * dependency's (a module with a version), not of an unknown module. */
static int main_site(const struct rsite *s)
{
	return !strchr(s->module, '@') && strcmp(s->module, "unknown") && strcmp(s->module, "std");
}

static json_t *report_sarif(const struct report *r, int with_baseline, int main_only)
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
	json_object_set_new(driver, "informationUri", json_string(GOINSTR_HOME));
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
		strbuf_reset(&msg);
		strbuf_addf(&msg, "%s Logged at run time by a program built with goinstr. "
			    "Accept a site in the policy file with a reason and an owner "
			    "(docs/policy.md), or with //goinstr:allow REASON on its line.",
			    rules[c].help);
		json_object_set_new(help, "text", json_string(msg.buf));
		json_object_set_new(rule, "help", help);
		strbuf_reset(&msg);
		strbuf_addf(&msg, "%srules.md#%s", GOINSTR_DOCS, rules[c].name);
		for (char *q = msg.buf + msg.len - strlen(rules[c].name); *q; q++)
			*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
		json_object_set_new(rule, "helpUri", json_string(msg.buf));
		json_object_set_new(cfg, "level", json_string(rules[c].level));
		json_object_set_new(rule, "defaultConfiguration", cfg);
		{
			json_t *rp = json_object(), *tags = json_array();
			json_object_set_new(rp, "security-severity", json_string(rules[c].severity));
			json_object_set_new(rp, "precision", json_string("high")); /* seen run */
			json_array_append_new(tags, json_string("security"));
			json_array_append_new(tags, json_string(c == CAT_UNSAFE ? "unsafe" : "reflect"));
			if (c != CAT_UNSAFE) /* tags are unique: unsafe's category is "unsafe" */
				json_array_append_new(tags, json_string(cat_name((enum op_cat)c)));
			json_object_set_new(rp, "tags", tags);
			json_object_set_new(rule, "properties", rp);
		}
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

		if (main_only && !main_site(s)) {
			json_decref(o), json_decref(loc), json_decref(phys), json_decref(art);
			json_decref(locs), json_decref(m), json_decref(fp), json_decref(props);
			continue;
		}

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
		if (base != BASE_NONE) {
			json_object_set_new(art, "uri", json_string(uri.buf));
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
		} else { /* no file a service could show: the function only */
			json_t *ll = json_array(), *l1 = json_object();
			json_decref(art), json_decref(phys);
			json_object_set_new(l1, "fullyQualifiedName", json_string(s->func));
			json_object_set_new(l1, "kind", json_string("function"));
			json_array_append_new(ll, l1);
			json_object_set_new(loc, "logicalLocations", ll);
		}
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
			json_object_set_new(one, "kind",
					    json_string(s->allow_in_source ? "inSource" : "external"));
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
	{
		/* code scanning's category: one per tool and configuration */
		json_t *ad = json_object();
		json_object_set_new(ad, "id", json_string(main_only ? "goinstr/report/main/"
								   : "goinstr/report/"));
		json_object_set_new(run, "automationDetails", ad);
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
	struct policy pol = { 0 };
	struct argv texts = ARGV_INIT;
	struct report r;
	long fresh = 0;
	int ret = 0;

	report_init(&r);
	if (parse_flags(&o, argc, argv) || parse_ratio(o.gzip_ratio, &r.gzip_ratio) ||
	    (o.allow && load_allow(&o)) || (o.policy && policy_load(&pol, o.policy))) {
		ret = EXIT_USAGE;
		goto out;
	}
	/* an inventory is no log: say so once, not once per line */
	for (size_t i = 0; i <= o.nlogs; i++) {
		const char *f = i ? o.logs[i - 1] : o.baseline;
		if (!f || !strcmp(f, "-") || !sitegate_is_inventory_file(f))
			continue;
		if (i)
			error("'%s' is a sites inventory, not a log: give it with --sites; "
			      "compare inventories with 'goinstr sites --baseline OLD [packages]'", f);
		else
			error("baseline '%s' is a sites inventory, not a log: compare inventories "
			      "with 'goinstr sites --baseline %s [packages]'", f, f);
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
	if (o.policy || o.baseline) {
		size_t failed = apply_policy(&r, &pol, !!o.baseline, &texts);
		fresh = (long)failed;
		for (size_t i = 0; i < r.nsites && o.baseline; i++)
			fresh += r.sites[i]->is_new && !r.sites[i]->allow && !r.sites[i]->deny;
	}

	if (!strcmp(o.format, "json") || !strcmp(o.format, "sarif")) {
		json_t *j = o.format[0] == 'j' ? report_json(&r, !!o.baseline)
					       : report_sarif(&r, !!o.baseline, o.main_only);
		dump(j);
		json_decref(j);
	} else if (!strcmp(o.format, "edges")) {
		print_edges(&r);
	} else if (!strcmp(o.format, "html")) {
		report_html(&r, stdout);
	} else if (o.baseline || o.policy) {
		print_baseline(&r);
	} else {
		print_text(&r);
	}

	if (r.diags > r.diag_max)
		error("%lu more bad lines not shown", r.diags - r.diag_max);
	if (r.skipped)
		error("%llu lines skipped in %lu files", r.skipped, r.skipped_files);
	ret = fresh > 0 ? 1 : r.skipped || r.unread_files ? EXIT_SKIPPED : 0;
out:
	for (size_t i = 0; i < o.nallows; i++)
		free(o.allows[i].site), free(o.allows[i].why);
	free(o.allows);
	argv_release(&o.sites);
	policy_release(&pol);
	argv_release(&texts);
	report_release(&r);
	return ret;
}
