/*
 * policy.c - the gates' policy file; see policy.h and docs/policy.md.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy.h"
#include "strbuf.h"
#include "util.h"

/* Longest line read: a rule is short; a longer line is malformed. */
#define POLICY_MAX_LINE 4096

/* One value at *pp: a word (up to a space) or a "quoted string". NULL if
 * malformed (an unterminated quote, a bad escape, a control byte). */
static char *value(const char **pp)
{
	const char *p = *pp;
	struct strbuf sb = STRBUF_INIT;

	if (*p != '"') {
		size_t n = strcspn(p, " \t");
		if (!n || memchr(p, '"', n))
			return NULL;
		strbuf_add(&sb, p, n);
		*pp = p + n;
		return strbuf_detach(&sb, NULL);
	}
	for (p++; *p != '"'; p++) {
		if (!*p || (unsigned char)*p < 0x20) {
			strbuf_release(&sb);
			return NULL;
		}
		if (*p == '\\') {
			if (p[1] != '"' && p[1] != '\\') {
				strbuf_release(&sb);
				return NULL;
			}
			p++;
		}
		strbuf_addch(&sb, *p);
	}
	*pp = p + 1;
	if (**pp && **pp != ' ' && **pp != '\t') {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static int valid_date(const char *s)
{
	int y, m, d, n = 0;
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static void rule_free(struct prule *r)
{
	free(r->module), free(r->package), free(r->op), free(r->target);
	free(r->reason), free(r->owner), free(r->expires);
}

/* Parse one rule line into r. 0, or -1 with the reason in why. */
static int parse_rule(const char *line, struct prule *r, const char **why)
{
	static const char *const keys[] = { "module", "package", "op", "target",
					     "reason", "owner", "expires" };
	const char *p = line;
	size_t n = strcspn(p, " \t");

	memset(r, 0, sizeof(*r));
	if (n == 5 && !strncmp(p, "allow", 5))
		r->deny = 0;
	else if (n == 4 && !strncmp(p, "deny", 4))
		r->deny = 1;
	else
		return *why = "a rule starts with allow or deny", -1;
	for (p += n;;) {
		char **field[] = { &r->module, &r->package, &r->op, &r->target,
				   &r->reason, &r->owner, &r->expires };
		const char *eq;
		size_t k, i;

		p += strspn(p, " \t");
		if (!*p || *p == '#')
			break;
		k = strcspn(p, "= \t");
		if (p[k] != '=')
			return *why = "want KEY=VALUE", -1;
		for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
			if (strlen(keys[i]) == k && !strncmp(p, keys[i], k))
				break;
		if (i == sizeof(keys) / sizeof(*keys))
			return *why = "unknown key (module, package, op, target, reason, owner, expires)", -1;
		if (*field[i])
			return *why = "a key given twice", -1;
		eq = p + k + 1;
		if (!(*field[i] = value(&eq)))
			return *why = "a malformed value (a word, or a \"quoted string\")", -1;
		p = eq;
	}
	if (!r->module && !r->package && !r->op && !r->target)
		return *why = "no pattern: give module, package, op or target", -1;
	if (!r->reason || !*r->reason)
		return *why = "no reason", -1;
	if (!r->owner || !*r->owner)
		return *why = "no owner", -1;
	if (r->expires && !valid_date(r->expires))
		return *why = "expires is not a date YYYY-MM-DD", -1;
	return 0;
}

int policy_load(struct policy *p, const char *path)
{
	FILE *fp = fopen(path, "r");
	struct strbuf line = STRBUF_INIT;
	unsigned lineno = 0;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (!fp)
		return error("cannot open policy '%s': %s", path, strerror(errno));
	p->path = xstrdup(path);
	while (strbuf_getline(&line, fp) != -1) {
		const char *s = line.buf + strspn(line.buf, " \t"), *why = NULL;
		struct prule r;

		lineno++;
		if (!*s || *s == '#')
			continue;
		if (line.len > POLICY_MAX_LINE || strlen(line.buf) != line.len)
			why = "a line over 4096 bytes or with a NUL";
		else if (parse_rule(s, &r, &why) < 0)
			rule_free(&r);
		if (why) {
			ret = error("%s:%u: %s", path, lineno, why);
			break;
		}
		r.lineno = lineno;
		p->v = xrealloc(p->v, (p->nr + 1) * sizeof(*p->v));
		p->v[p->nr++] = r;
	}
	if (!ret && ferror(fp))
		ret = error("cannot read policy '%s'", path);
	fclose(fp);
	strbuf_release(&line);
	if (ret)
		policy_release(p);
	return ret;
}

void policy_release(struct policy *p)
{
	for (size_t i = 0; i < p->nr; i++)
		rule_free(&p->v[i]);
	free(p->v);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int glob_ok(const char *pat, const char *s)
{
	return !pat || (s && !fnmatch(pat, s, 0));
}

struct prule *policy_match(struct policy *p, const char *module, const char *pkg,
			   const char *op, const char *target)
{
	for (size_t i = 0; p && i < p->nr; i++) {
		struct prule *r = &p->v[i];
		int ok = 1;

		if (r->module) {
			/* "PATH@VERSION": the pattern names the version only if it has an @ */
			const char *at = module ? strchr(module, '@') : NULL;
			char *m = module && at && !strchr(r->module, '@')
					  ? xstrndup(module, (size_t)(at - module)) : NULL;
			ok = glob_ok(r->module, m ? m : module);
			free(m);
		}
		if (ok && glob_ok(r->package, pkg) && glob_ok(r->op, op) && glob_ok(r->target, target)) {
			r->matched++;
			return r;
		}
	}
	return NULL;
}

const char *policy_where(const struct policy *p, const struct prule *r)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s:%u", p->path, r->lineno);
	return sb.buf;
}

size_t policy_check(const struct policy *p, const char *today, int unmatched)
{
	size_t n = 0;

	for (size_t i = 0; p && i < p->nr; i++) {
		const struct prule *r = &p->v[i];
		if (r->expires && strcmp(r->expires, today) < 0) {
			error("%s: %s rule expired on %s (owner %s): renew or remove it",
			      policy_where(p, r), r->deny ? "deny" : "allow", r->expires, r->owner);
			n++;
		} else if (unmatched && !r->deny && !r->matched) {
			error("%s: allow rule matches no site any more (owner %s): remove it",
			      policy_where(p, r), r->owner);
			n++;
		}
	}
	return n;
}

void policy_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
