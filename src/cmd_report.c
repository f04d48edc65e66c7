/*
 * cmd_report.c - goinstr report: flags, reading the logs, --baseline,
 * --allow and --policy; the formats are report_fmt.h's table (one file
 * each). The aggregation is report.c's; everything printed is sorted,
 * without timestamps, so two runs over the same logs print the same bytes.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "commands.h"
#include "policy.h"
#include "report.h"
#include "report_inv.h"
#include "report_fmt.h"
#include "report_rotated.h"
#include "sitegate.h"
#include "srcallow.h"
#include "util.h"

/* Exit code when lines were skipped (bad JSON, truncated, newer schema);
 * 1 is --baseline's "new sites", 2 goinstr's usage errors. */
#define EXIT_SKIPPED 3

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
		   "print the sites not in OLD (a log or a --format json output), exit 1 if there are "
		   "any; and the run-time diff: new call targets at OLD's sites, OLD's sites gone"),
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
	if (!report_format_find(o->format))
		return error("unknown format '%s' (%s)", o->format, report_format_names());
	if (!o->nlogs && o->sites.nr)
		return error("no LOG: --sites takes every file up to the next flag "
			     "(give the logs first, or end the list with --)");
	if (!o->nlogs) { /* the command table's usage line (commands.c) */
		cmd_usage_error("report");
		return -1;
	}
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

/* An edge's key: caller, op and target, joined by a byte none holds. */
static char *edge_key(const char *caller, const char *op, const char *target)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s\x1f%s\x1f%s", caller ? caller : "", op ? op : "", target ? target : "");
	return strbuf_detach(&sb, NULL);
}

static int cmp_gone(const void *a, const void *b)
{
	return strcmp(((const struct rgone *)a)->key, ((const struct rgone *)b)->key);
}

static int cmp_new_target(const void *a, const void *b)
{
	const struct rnewtarget *x = a, *y = b;
	int c = strcmp(x->site->bkey, y->site->bkey);
	return c ? c : strcmp(x->edge->target, y->edge->target);
}

/*
 * The run-time diff: each call edge of r not in OLD's (old_edges, sorted
 * edge_key()s) at a site OLD had (the site of its caller and op, not new)
 * is a new target; each site of OLD (gone, keys) whose key r has not is
 * gone. Both go into r, sorted; gone's entries are taken.
 */
static void run_diff(struct report *r, char **old_edges, size_t nold, struct rgone *gone,
		     size_t ngone)
{
	char **keys = xmalloc((r->nsites + 1) * sizeof(*keys));

	for (size_t i = 0; i < r->nedges; i++) {
		const struct redge *e = r->edges[i];
		char *k = edge_key(e->caller, e->op, e->target);
		const struct rsite *site = NULL;

		if (!bsearch(&k, old_edges, nold, sizeof(*old_edges), cmp_strp))
			for (size_t j = 0; j < r->nsites && !site; j++)
				if (!strcmp(r->sites[j]->op, e->op) && !strcmp(r->sites[j]->func, e->caller))
					site = r->sites[j];
		free(k);
		if (!site || site->is_new)
			continue; /* a new site is new as a whole */
		r->new_targets = xrealloc(r->new_targets, (r->nnew_targets + 1) * sizeof(*r->new_targets));
		r->new_targets[r->nnew_targets++] = (struct rnewtarget){ site, e, NULL, NULL };
	}
	if (r->nnew_targets)
		qsort(r->new_targets, r->nnew_targets, sizeof(*r->new_targets), cmp_new_target);
	for (size_t i = 0; i < r->nsites; i++)
		keys[i] = r->sites[i]->bkey;
	qsort(keys, r->nsites, sizeof(*keys), cmp_strp);
	for (size_t i = 0; i < ngone; i++) {
		if (bsearch(&gone[i].key, keys, r->nsites, sizeof(*keys), cmp_strp)) {
			free(gone[i].key), free(gone[i].where), free(gone[i].module);
			continue;
		}
		r->gone = xrealloc(r->gone, (r->ngone + 1) * sizeof(*r->gone));
		r->gone[r->ngone++] = gone[i];
	}
	if (r->ngone)
		qsort(r->gone, r->ngone, sizeof(*r->gone), cmp_gone);
	free(keys);
}

/* OLD's sites and edges, as --baseline compares them. */
struct oldrun {
	char **keys; /* site keys: baseline keys, or location keys (by_location) */
	size_t nkeys;
	char **edges; /* edge_key()s */
	size_t nedges;
	struct rgone *gone; /* each site of OLD, by baseline key */
	size_t ngone;
	int by_location; /* a schema 1 report: no baseline keys */
};

/* OLD as the output of --format json. -1 (said) for a newer schema. */
static int old_from_json(json_t *j, const char *old, struct oldrun *od)
{
	json_t *sites = json_object_get(j, "sites"), *s, *edges;
	json_int_t schema = json_integer_value(json_object_get(j, "schema"));
	size_t i;

	if (schema > REPORT_JSON_SCHEMA)
		return error("baseline '%s' is a report of schema %lld, newer than this "
			     "goinstr reads (%d)", old, (long long)schema, REPORT_JSON_SCHEMA);
	if (schema < 2) {
		od->by_location = 1;
		warning("baseline '%s' is a schema 1 report: sites compared by file and "
			"line; write it again with this goinstr to compare by function", old);
	}
	od->keys = xmalloc((json_array_size(sites) + 1) * sizeof(*od->keys));
	od->gone = xmalloc((json_array_size(sites) + 1) * sizeof(*od->gone));
	json_array_foreach(sites, i, s) {
		const char *k = json_string_value(json_object_get(s, od->by_location ? "site" : "key"));
		const char *w = json_string_value(json_object_get(s, "site"));
		w = w && strchr(w, ' ') ? strchr(w, ' ') + 1 : w; /* "OP FILE:LINE" */
		const char *m = json_string_value(json_object_get(s, "module"));
		if (!k)
			continue;
		od->keys[od->nkeys++] = xstrdup(k);
		if (!od->by_location)
			od->gone[od->ngone++] = (struct rgone){ xstrdup(k), xstrdup(w ? w : ""),
								xstrdup(m ? m : "") };
	}
	edges = json_object_get(j, "edges");
	od->edges = xmalloc((json_array_size(edges) + 1) * sizeof(*od->edges));
	json_array_foreach(edges, i, s)
		od->edges[od->nedges++] = edge_key(json_string_value(json_object_get(s, "caller")),
						   json_string_value(json_object_get(s, "op")),
						   json_string_value(json_object_get(s, "target")));
	return 0;
}

/* OLD as a log (or rotated set), read as r's logs are; what it skipped or
 * could not read counts in r. -1 (said) if it cannot be read. */
static int old_from_log(struct report *r, const char *old, struct oldrun *od)
{
	struct opts oo = { 0 };
	const char *logs[] = { old };
	struct report o;

	oo.logs = logs;
	oo.nlogs = 1;
	report_init(&o);
	o.gzip_ratio = r->gzip_ratio;
	if (add_logs(&o, &oo)) {
		report_release(&o);
		return -1;
	}
	report_finish(&o);
	r->skipped += o.skipped;
	r->unread_files += o.unread_files;
	od->keys = xmalloc((o.nsites + 1) * sizeof(*od->keys));
	od->gone = xmalloc((o.nsites + 1) * sizeof(*od->gone));
	for (size_t i = 0; i < o.nsites; i++) {
		od->keys[od->nkeys++] = xstrdup(o.sites[i]->bkey);
		const char *w = strchr(o.sites[i]->key, ' '); /* "OP FILE:LINE" */
		od->gone[od->ngone++] = (struct rgone){ xstrdup(o.sites[i]->bkey),
							xstrdup(w ? w + 1 : o.sites[i]->key),
							xstrdup(o.sites[i]->module) };
	}
	od->edges = xmalloc((o.nedges + 1) * sizeof(*od->edges));
	for (size_t i = 0; i < o.nedges; i++)
		od->edges[od->nedges++] = edge_key(o.edges[i]->caller, o.edges[i]->op,
						   o.edges[i]->target);
	report_release(&o);
	return 0;
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
	struct oldrun od = { 0 };
	long fresh = 0;
	int ret;

	if (j && !strcmp(json_string_value(json_object_get(j, "report")) ?: "", "goinstr"))
		ret = old_from_json(j, old, &od);
	else
		ret = old_from_log(r, old, &od);
	json_decref(j);
	if (ret)
		return -1;
	qsort(od.keys, od.nkeys, sizeof(*od.keys), cmp_strp);
	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = r->sites[i];
		const char *k = od.by_location ? s->key : s->bkey;
		s->is_new = !bsearch(&k, od.keys, od.nkeys, sizeof(*od.keys), cmp_strp);
		fresh += s->is_new && !s->allow;
	}
	qsort(od.edges, od.nedges, sizeof(*od.edges), cmp_strp);
	run_diff(r, od.edges, od.nedges, od.gone, od.ngone);
	for (size_t i = 0; i < od.nkeys; i++)
		free(od.keys[i]);
	for (size_t i = 0; i < od.nedges; i++)
		free(od.edges[i]);
	free(od.keys);
	free(od.edges);
	free(od.gone);
	return fresh;
}

/* --- the gates' policy ------------------------------------------------- */

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
	for (size_t i = 0; i < r->nnew_targets; i++) {
		struct rnewtarget *t = &r->new_targets[i];
		struct prule *rule = policy_match(pol, t->site->module, t->site->pkg, t->edge->op,
						  t->edge->target);
		/* a new target is reported; only a deny rule makes it fail */
		if (!rule)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s (owner %s): %s", policy_where(pol, rule), rule->owner,
			    rule->reason);
		argv_push(texts, sb.buf);
		if (rule->deny) {
			t->deny = texts->v[texts->nr - 1];
			failed++;
		} else {
			t->allow = texts->v[texts->nr - 1];
		}
	}
	policy_today(today);
	failed += policy_check(pol, today, 0);
	srcallow_release(&sa);
	strbuf_release(&sb);
	return failed;
}

/* --- the command --------------------------------------------------------- */

/* An inventory is no log: say so once, not once per line. -1 if a LOG or
 * OLD is one. */
static int refuse_inventories(const struct opts *o)
{
	for (size_t i = 0; i <= o->nlogs; i++) {
		const char *f = i ? o->logs[i - 1] : o->baseline;
		if (!f || !strcmp(f, "-") || !sitegate_is_inventory_file(f))
			continue;
		if (i)
			error("'%s' is a sites inventory, not a log: give it with --sites; "
			      "compare inventories with 'goinstr sites --baseline OLD [packages]'", f);
		else
			error("baseline '%s' is a sites inventory, not a log: compare inventories "
			      "with 'goinstr sites --baseline %s [packages]'", f, f);
		return -1;
	}
	return 0;
}

/* The --sites inventories, then the logs. -1 (said) if one cannot be read. */
static int read_inputs(struct report *r, const struct opts *o)
{
	for (size_t i = 0; i < o->sites.nr; i++)
		if (report_add_sites(r, o->sites.v[i]))
			return -1;
	if (add_logs(r, o))
		return -1;
	report_finish(r);
	return 0;
}

/* An --allow entry names a site by baseline key or by location key. */
static void apply_allows(struct report *r, const struct opts *o)
{
	for (size_t i = 0; i < r->nsites && o->nallows; i++) {
		struct allow key = { r->sites[i]->bkey, NULL }, *a;
		if (!(a = bsearch(&key, o->allows, o->nallows, sizeof(*o->allows), cmp_allow))) {
			key.site = r->sites[i]->key;
			a = bsearch(&key, o->allows, o->nallows, sizeof(*o->allows), cmp_allow);
		}
		if (a)
			r->sites[i]->allow = a->why;
	}
}

/* The gates (--baseline, --policy): how many failures (new sites not
 * accepted, denied sites and targets, expired rules), or -1 (said) if
 * OLD cannot be read. The policy's texts go to texts. */
static long gates(struct report *r, const struct opts *o, struct policy *pol, struct argv *texts)
{
	long fresh = 0;

	if (o->baseline && (fresh = baseline(r, o->baseline)) < 0)
		return -1;
	if (o->policy || o->baseline) {
		fresh = (long)apply_policy(r, pol, !!o->baseline, texts);
		for (size_t i = 0; i < r->nsites && o->baseline; i++)
			fresh += r->sites[i]->is_new && !r->sites[i]->allow && !r->sites[i]->deny;
	}
	return fresh;
}

int cmd_report(int argc, const char **argv)
{
	struct opts o = { .sites = ARGV_INIT };
	struct policy pol = { 0 };
	struct argv texts = ARGV_INIT;
	struct report r;
	long fresh = 0;
	int ret = EXIT_USAGE;

	report_init(&r);
	if (parse_flags(&o, argc, argv) || parse_ratio(o.gzip_ratio, &r.gzip_ratio) ||
	    (o.allow && load_allow(&o)) || (o.policy && policy_load(&pol, o.policy)) ||
	    refuse_inventories(&o) || read_inputs(&r, &o))
		goto out;
	report_text_incomplete(&r);
	apply_allows(&r, &o);
	if ((fresh = gates(&r, &o, &pol, &texts)) < 0)
		goto out;

	{
		struct report_view v = { &r, !!o.baseline, o.main_only, o.baseline || o.policy };
		report_format_find(o.format)->write(&v);
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
	policy_release(&pol);
	argv_release(&texts);
	report_release(&r);
	return ret;
}
