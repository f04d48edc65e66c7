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
#include "report.h"
#include "util.h"
#include "version.h"

/* Exit code when lines were skipped (bad JSON, truncated, newer schema);
 * 1 is --baseline's "new sites", 2 goinstr's usage errors. */
#define EXIT_SKIPPED 3

static const char usage_line[] =
	"usage: goinstr report [--format text|json|sarif|edges|html] [--baseline OLD] "
	"[--allow FILE] LOG... [--sites FILE...]";

struct allow {
	char *site, *why;
};

struct opts {
	const char *format, *baseline, *allow;
	const char **logs, **sites;
	size_t nlogs, nsites;
	struct allow *allows;
	size_t nallows;
};

/* --- flags --------------------------------------------------------------- */

/* "--name VALUE" or "--name=VALUE" at argv[*i]; NULL if not this flag. */
static const char *flag_value(int argc, const char **argv, int *i, const char *name, int *err)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*err = error("flag %s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

static int parse_flags(struct opts *o, int argc, const char **argv)
{
	int err = 0, in_sites = 0, dashdash = 0;
	size_t sites_before = 0;

	o->logs = xcalloc((size_t)argc, sizeof(*o->logs));
	o->sites = xcalloc((size_t)argc, sizeof(*o->sites));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (dashdash || a[0] != '-' || !a[1]) {
			if (in_sites)
				o->sites[o->nsites++] = a;
			else
				o->logs[o->nlogs++] = a;
			continue;
		}
		if (in_sites && o->nsites == sites_before)
			return error("--sites needs at least one FILE");
		in_sites = 0;
		if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if ((v = flag_value(argc, argv, &i, "--format", &err))) {
			o->format = v;
		} else if ((v = flag_value(argc, argv, &i, "--baseline", &err))) {
			o->baseline = v;
		} else if ((v = flag_value(argc, argv, &i, "--allow", &err))) {
			o->allow = v;
		} else if (!strncmp(a, "--sites=", 8)) {
			o->sites[o->nsites++] = a + 8;
		} else if (!strcmp(a, "--sites")) {
			in_sites = 1; /* every argument up to the next flag */
			sites_before = o->nsites;
		} else if (!err) {
			return error("unknown flag '%s' (%s)", a, usage_line);
		}
		if (err)
			return -1;
	}
	if (in_sites && o->nsites == sites_before)
		return error("--sites needs at least one FILE");
	if (!o->format)
		o->format = "text";
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "sarif") &&
	    strcmp(o->format, "edges") && strcmp(o->format, "html"))
		return error("unknown format '%s' (text, json, sarif, edges or html)", o->format);
	if (!o->nlogs && o->nsites)
		return error("no LOG: --sites takes every file up to the next flag "
			     "(give the logs first, or end the list with --)");
	if (!o->nlogs)
		return error("%s", usage_line);
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

/*
 * Add each LOG and its rotated files once, whatever the globbing: the
 * files are listed first, then duplicates (same device and inode) found
 * by sorting, so thousands of logs cost n log n, not n squared.
 */
static int add_logs(struct report *r, const struct opts *o)
{
	struct logfile *f = NULL;
	size_t nf = 0, af = 0;
	int ret = 0;

	for (size_t i = 0; i < o->nlogs && !ret; i++) {
		char **paths;
		size_t n = report_rotated(o->logs[i], &paths);

		for (size_t j = 0; j < n; j++) {
			struct stat st;

			if (!ret && stat(paths[j], &st))
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * --baseline OLD: the site keys of OLD, a log (or rotated set) or the
 * output of --format json. Marks r's sites not in it. Returns the number
 * of new sites not allowed, or -1.
 */
static long baseline(struct report *r, const char *old)
{
	json_t *j = json_load_file(old, 0, NULL);
	char **keys = NULL;
	size_t nkeys = 0;
	long fresh = 0;
	struct report o;

	if (j && !strcmp(json_string_value(json_object_get(j, "report")) ?: "", "goinstr")) {
		json_t *sites = json_object_get(j, "sites"), *s;
		size_t i;

		keys = xmalloc((json_array_size(sites) + 1) * sizeof(*keys));
		json_array_foreach(sites, i, s)
			if (json_string_value(json_object_get(s, "site")))
				keys[nkeys++] = xstrdup(json_string_value(json_object_get(s, "site")));
	} else {
		struct opts oo = { 0 };
		const char *logs[] = { old };

		oo.logs = logs;
		oo.nlogs = 1;
		report_init(&o);
		if (add_logs(&o, &oo)) {
			report_release(&o);
			json_decref(j);
			return -1;
		}
		r->skipped += o.skipped;
		keys = xmalloc((o.nsites + 1) * sizeof(*keys));
		for (size_t i = 0; i < o.nsites; i++)
			keys[nkeys++] = xstrdup(o.sites[i]->key);
		report_release(&o);
	}
	json_decref(j);
	qsort(keys, nkeys, sizeof(*keys), cmp_str);
	for (size_t i = 0; i < r->nsites; i++) {
		struct rsite *s = r->sites[i];
		s->is_new = !bsearch(&s->key, keys, nkeys, sizeof(*keys), cmp_str);
		fresh += s->is_new && !s->allow;
	}
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	return fresh;
}

/* --- text ---------------------------------------------------------------- */

/* Tabs and newlines separate fields and records: escape them. */
static void put_field(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void print_coverage_text(const struct report *r)
{
	size_t n;
	struct rcov *c = report_coverage(r, &n);

	printf("\n%-56s %8s %8s %8s\n", "COVERAGE (--sites)", "FOUND", "EXECUTED", "PERCENT");
	for (size_t i = 0; i < n; i++)
		printf("%-56s %8zu %8zu %7.1f%%\n", c[i].module, c[i].found, c[i].executed,
		       c[i].found ? 100.0 * (double)c[i].executed / (double)c[i].found : 0.0);
	free(c);
	printf("\nnever executed:\n");
	for (size_t i = 0; i < r->ninv; i++) {
		const struct rinv *v = r->inv[i];
		if (!v->wrapped || v->executed)
			continue;
		printf("  %s  %s ", v->module, v->op);
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
	if (r->skipped)
		printf(", %llu lines skipped", r->skipped);
	printf("\n\n%-56s %8s %8s\n", "MODULE / PACKAGE / OP", "EVENTS", "SITES");
	for (size_t i = 0; i < n; i++) {
		printf("%-56s %8llu %8llu\n", g[i].name, g[i].events, g[i].sites);
		for (size_t j = 0; j < g[i].nkids; j++) {
			const struct rgroup *p = &g[i].kids[j];
			printf("  %-54s %8llu %8llu\n", p->name, p->events, p->sites);
			for (size_t k = 0; k < p->nkids; k++)
				printf("    %-52s %8llu %8llu\n", p->kids[k].name, p->kids[k].events,
				       p->kids[k].sites);
		}
	}
	report_groups_free(g, n);
	if (r->ninv)
		print_coverage_text(r);
}

static void print_baseline(const struct report *r)
{
	size_t fresh = 0, allowed = 0;

	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		if (!s->is_new)
			continue;
		if (s->allow) {
			printf("allowed: ");
			put_field(s->key);
			printf(" (%s): ", s->module);
			put_field(s->allow);
			putchar('\n');
			allowed++;
		} else {
			printf("new: ");
			put_field(s->key);
			printf(" (%s)\n", s->module);
			fresh++;
		}
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

static json_t *report_json(const struct report *r, int with_baseline)
{
	json_t *root = json_object(), *t = json_object(), *a;
	size_t n;
	struct rgroup *g = report_groups(r, &n);

	json_object_set_new(root, "report", json_string("goinstr"));
	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(t, "events", json_integer((json_int_t)r->events));
	json_object_set_new(t, "sites", json_integer((json_int_t)r->nsites));
	json_object_set_new(t, "processes", json_integer((json_int_t)r->procs));
	json_object_set_new(t, "files", json_integer((json_int_t)r->files));
	json_object_set_new(t, "lines", json_integer((json_int_t)r->lines));
	json_object_set_new(t, "skipped_lines", json_integer((json_int_t)r->skipped));
	json_object_set_new(root, "totals", t);
	json_object_set_new(root, "modules", group_json(g, n, 0));
	report_groups_free(g, n);

	a = json_array();
	for (size_t i = 0; i < r->nsites; i++) {
		const struct rsite *s = r->sites[i];
		json_t *o = json_object();
		set_str(o, "site", s->key);
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

	if (r->ninv) {
		struct rcov *c = report_coverage(r, &n);
		a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object(), *never = json_array();
			json_object_set_new(o, "module", json_string(c[i].module));
			json_object_set_new(o, "found", json_integer((json_int_t)c[i].found));
			json_object_set_new(o, "executed", json_integer((json_int_t)c[i].executed));
			/* Tenths of a percent, as text: no float formatting drift. */
			{
				char pct[32];
				snprintf(pct, sizeof(pct), "%.1f",
					 c[i].found ? 100.0 * (double)c[i].executed / (double)c[i].found
						    : 0.0);
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

static void dump(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
}

/* --- sarif --------------------------------------------------------------- */

static const struct {
	const char *cat, *id, *name, *text, *level;
} rules[] = {
	{ "call", "goinstr/call", "ReflectCall",
	  "A function or method is invoked through reflect", "note" },
	{ "unsafe", "goinstr/unsafe", "UnsafeOperation",
	  "Memory is reached through unsafe or reflect's raw-pointer operations", "warning" },
	{ "mutate", "goinstr/mutate", "ReflectMutate",
	  "A value is written through reflect", "note" },
	{ "construct", "goinstr/construct", "ReflectConstruct",
	  "A value, function or type is made through reflect", "note" },
	{ "lookup", "goinstr/lookup", "ReflectLookup",
	  "A member is found by name or index through reflect", "note" },
	{ "read", "goinstr/read", "ReflectRead",
	  "A value or type is inspected through reflect", "note" },
};
#define NRULES (sizeof(rules) / sizeof(*rules))

/* A file name as a URI reference: relative to the current directory when
 * below it (what code scanning resolves against the checkout), else file://. */
static void file_uri(const char *file, const char *cwd, struct strbuf *out)
{
	size_t n = strlen(cwd);

	strbuf_reset(out);
	if (n > 1 && !strncmp(file, cwd, n) && file[n] == '/')
		file += n + 1;
	else if (file[0] == '/')
		strbuf_addstr(out, "file://");
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			strbuf_addch(out, (char)*p);
		else
			strbuf_addf(out, "%%%02X", *p);
	}
}

static json_t *report_sarif(const struct report *r, int with_baseline)
{
	json_t *root = json_object(), *run = json_object(), *driver = json_object();
	json_t *ra = json_array(), *res = json_array(), *tool = json_object();
	struct strbuf uri = STRBUF_INIT, msg = STRBUF_INIT;
	char cwd[4096];

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("goinstr"));
	json_object_set_new(driver, "version", json_string(GOINSTR_VERSION));
	for (size_t i = 0; i < NRULES; i++) {
		json_t *rule = json_object(), *d = json_object(), *cfg = json_object();
		json_object_set_new(rule, "id", json_string(rules[i].id));
		json_object_set_new(rule, "name", json_string(rules[i].name));
		json_t *full = json_object(), *help = json_object();
		json_object_set_new(d, "text", json_string(rules[i].text));
		json_object_set_new(rule, "shortDescription", d);
		/* Code scanning shows these on each alert. */
		json_object_set_new(full, "text", json_string(rules[i].text));
		json_object_set_new(rule, "fullDescription", full);
		json_object_set_new(help, "text",
				    json_string("Logged at run time by a program built with goinstr. "
						"Review the site; accept it in goinstr report's --allow "
						"file with a justification (docs/report.md)."));
		json_object_set_new(rule, "help", help);
		json_object_set_new(cfg, "level", json_string(rules[i].level));
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
		size_t k;
		char h[32];

		for (k = 0; k < NRULES && strcmp(rules[k].cat, s->cat); k++)
			;
		if (k == NRULES)
			k = strncmp(s->op, "unsafe.", 7) ? 5 : 1; /* unknown category */
		strbuf_reset(&msg);
		strbuf_addf(&msg, "%s in %s", s->op, s->func);
		if (s->target)
			strbuf_addf(&msg, " on %s", s->target);
		strbuf_addf(&msg, " (%llu events)", s->events);
		json_object_set_new(o, "ruleId", json_string(rules[k].id));
		json_object_set_new(o, "ruleIndex", json_integer((json_int_t)k));
		json_object_set_new(o, "level", json_string(rules[k].level));
		json_object_set_new(m, "text", json_string(msg.buf));
		json_object_set_new(o, "message", m);
		file_uri(s->file, cwd, &uri);
		json_object_set_new(art, "uri", json_string(uri.buf));
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
		/* Code scanning matches results across runs by fingerprint. */
		snprintf(h, sizeof(h), "%016llx", (unsigned long long)s->hash);
		json_object_set_new(fp, "goinstrSite/v1", json_string(h));
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
		json_object_set_new(props, "module", json_string(s->module));
		json_object_set_new(props, "package", json_string(s->pkg));
		json_object_set_new(props, "events", json_integer((json_int_t)s->events));
		json_object_set_new(o, "properties", props);
		json_array_append_new(res, o);
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
	struct opts o = { 0 };
	struct report r;
	long fresh = 0;
	int ret = 0;

	report_init(&r);
	if (parse_flags(&o, argc, argv) || (o.allow && load_allow(&o))) {
		ret = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < o.nsites; i++)
		if (report_add_sites(&r, o.sites[i])) {
			ret = EXIT_USAGE;
			goto out;
		}
	if (add_logs(&r, &o)) {
		ret = EXIT_USAGE;
		goto out;
	}
	report_finish(&r);
	for (size_t i = 0; i < r.nsites; i++) {
		struct allow key = { r.sites[i]->key, NULL }, *a;
		if (o.nallows &&
		    (a = bsearch(&key, o.allows, o.nallows, sizeof(*o.allows), cmp_allow)))
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
		error("%llu lines skipped in %lu files", r.skipped, r.skipped_files);
	ret = fresh > 0 ? 1 : r.skipped ? EXIT_SKIPPED : 0;
out:
	for (size_t i = 0; i < o.nallows; i++)
		free(o.allows[i].site), free(o.allows[i].why);
	free(o.allows);
	free(o.logs);
	free(o.sites);
	report_release(&r);
	return ret;
}
