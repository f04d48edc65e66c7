/*
 * report_sarif.c - goinstr report's SARIF 2.1.0 format for code scanning
 * (docs/report.md "sarif", docs/rules.md): one rule per op category, one
 * result per distinct site, locations relative to named bases.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "reflectops.h"
#include "report.h"
#include "report_fmt.h"
#include "strbuf.h"
#include "util.h"
#include "version.h"

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

/* Rule c (an op category): id, texts, help and its link, level, and the
 * properties code scanning reads (security-severity, tags). */
static json_t *sarif_rule(int c, struct strbuf *msg)
{
	json_t *rule = json_object(), *d = json_object(), *cfg = json_object();
	json_t *full = json_object(), *help = json_object();
	json_t *rp = json_object(), *tags = json_array();

	strbuf_reset(msg);
	strbuf_addf(msg, "goinstr/%s", cat_name((enum op_cat)c));
	json_object_set_new(rule, "id", json_string(msg->buf));
	json_object_set_new(rule, "name", json_string(rules[c].name));
	json_object_set_new(d, "text", json_string(rules[c].text));
	json_object_set_new(rule, "shortDescription", d);
	/* Code scanning shows these on each alert. */
	strbuf_reset(msg);
	strbuf_addf(msg, "Category %s: %s.", cat_name((enum op_cat)c), cat_doc((enum op_cat)c));
	json_object_set_new(full, "text", json_string(msg->buf));
	json_object_set_new(rule, "fullDescription", full);
	strbuf_reset(msg);
	strbuf_addf(msg, "%s Logged at run time by a program built with goinstr. "
		    "Accept a site in the policy file with a reason and an owner "
		    "(docs/policy.md), or with //goinstr:allow REASON on its line.",
		    rules[c].help);
	json_object_set_new(help, "text", json_string(msg->buf));
	json_object_set_new(rule, "help", help);
	strbuf_reset(msg);
	strbuf_addf(msg, "%srules.md#%s", GOINSTR_DOCS, rules[c].name);
	for (char *q = msg->buf + msg->len - strlen(rules[c].name); *q; q++)
		*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
	json_object_set_new(rule, "helpUri", json_string(msg->buf));
	json_object_set_new(cfg, "level", json_string(rules[c].level));
	json_object_set_new(rule, "defaultConfiguration", cfg);
	json_object_set_new(rp, "security-severity", json_string(rules[c].severity));
	json_object_set_new(rp, "precision", json_string("high")); /* seen run */
	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, json_string(c == CAT_UNSAFE ? "unsafe" : "reflect"));
	if (c != CAT_UNSAFE) /* tags are unique: unsafe's category is "unsafe" */
		json_array_append_new(tags, json_string(cat_name((enum op_cat)c)));
	json_object_set_new(rp, "tags", tags);
	json_object_set_new(rule, "properties", rp);
	return rule;
}

/* The tool: goinstr, its version and home, and a rule per category (in
 * rules, which results point into). */
static json_t *sarif_tool(json_t *rules_out, struct strbuf *msg)
{
	json_t *tool = json_object(), *driver = json_object();

	json_object_set_new(driver, "name", json_string("goinstr"));
	json_object_set_new(driver, "version", json_string(GOINSTR_VERSION));
	json_object_set_new(driver, "informationUri", json_string(GOINSTR_HOME));
	for (int c = 0; c < CAT__N; c++)
		json_array_append_new(rules_out, sarif_rule(c, msg));
	json_object_set(driver, "rules", rules_out);
	json_object_set_new(tool, "driver", driver);
	return tool;
}

/* A site's location: its file relative to a base (marked in used) with
 * its line and column, else its function only. */
static json_t *sarif_location(const struct rsite *s, const char *cwd, struct strbuf *uri,
			      int *used)
{
	json_t *loc = json_object(), *phys, *art;
	int base = site_uri(s, cwd, uri);

	used[base] = 1;
	if (base == BASE_NONE) { /* no file a service could show: the function only */
		json_t *ll = json_array(), *l1 = json_object();
		json_object_set_new(l1, "fullyQualifiedName", json_string(s->func));
		json_object_set_new(l1, "kind", json_string("function"));
		json_array_append_new(ll, l1);
		json_object_set_new(loc, "logicalLocations", ll);
		return loc;
	}
	phys = json_object();
	art = json_object();
	json_object_set_new(art, "uri", json_string(uri->buf));
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
	return loc;
}

/* A site's result: rule, level, message, location, fingerprint,
 * baseline state, suppression and goinstr's own properties. */
static json_t *sarif_result(const struct rsite *s, json_t *rules_out, int with_baseline,
			    const char *cwd, struct strbuf *buf, int *used)
{
	json_t *o = json_object(), *locs = json_array(), *m = json_object();
	json_t *fp = json_object(), *props = json_object();
	enum op_cat k = site_cat(s);

	strbuf_reset(buf);
	strbuf_addf(buf, "%s in %s", s->op, s->func);
	if (s->target)
		strbuf_addf(buf, " on %s", s->target);
	strbuf_addf(buf, " (%llu events)", s->events);
	json_object_set(o, "ruleId", json_object_get(json_array_get(rules_out, k), "id"));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)k));
	json_object_set_new(o, "level", json_string(rules[k].level));
	json_object_set_new(m, "text", json_string(buf->buf));
	json_object_set_new(o, "message", m);
	json_array_append_new(locs, sarif_location(s, cwd, buf, used));
	json_object_set_new(o, "locations", locs);
	/* Code scanning matches results across runs by fingerprint: the
	 * baseline key's, which a moved line keeps. */
	strbuf_reset(buf);
	sha256_buf_hex(s->bkey, strlen(s->bkey), buf);
	json_object_set_new(fp, "goinstrKey/v1", json_string(buf->buf));
	json_object_set_new(o, "partialFingerprints", fp);
	if (with_baseline)
		json_object_set_new(o, "baselineState", json_string(s->is_new ? "new" : "unchanged"));
	if (s->allow) {
		json_t *sup = json_array(), *one = json_object();
		json_object_set_new(one, "kind", json_string(s->allow_in_source ? "inSource" : "external"));
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
	return o;
}

/* originalUriBaseIds: the bases the results used, each described. */
static void sarif_bases(json_t *run, const int *used)
{
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
}

static json_t *report_sarif(const struct report *r, int with_baseline, int main_only)
{
	json_t *root = json_object(), *run = json_object(), *ra = json_array();
	json_t *res = json_array(), *ad = json_object();
	struct strbuf buf = STRBUF_INIT;
	int used[BASE__N] = { 0 };
	char cwd[4096];

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(run, "tool", sarif_tool(ra, &buf));
	for (size_t i = 0; i < r->nsites; i++)
		if (!main_only || main_site(r->sites[i]))
			json_array_append_new(res, sarif_result(r->sites[i], ra, with_baseline, cwd,
								&buf, used));
	sarif_bases(run, used);
	/* code scanning's category: one per tool and configuration */
	json_object_set_new(ad, "id", json_string(main_only ? "goinstr/report/main/"
							   : "goinstr/report/"));
	json_object_set_new(run, "automationDetails", ad);
	json_object_set_new(run, "results", res);
	json_object_set_new(root, "runs", json_array());
	json_array_append_new(json_object_get(root, "runs"), run);
	json_decref(ra);
	strbuf_release(&buf);
	return root;
}

void report_write_sarif(const struct report_view *v)
{
	json_t *j = report_sarif(v->r, v->with_baseline, v->main_only);
	report_json_dump(j);
	json_decref(j);
}
