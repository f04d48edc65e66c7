/*
 * policy.h - the gates' policy file (goinstr.policy): which sites a
 * project accepts or refuses, by module, package, op and target pattern,
 * each rule with a reason, an owner and an optional expiry date.
 * docs/policy.md states the format. One rule a line:
 *
 *	allow module=golang.org/x/sys op=unsafe.* owner=@platform \
 *		reason="syscall wrappers" expires=2027-06-30
 *	deny op=reflect.Value.Call module=github.com/x/y owner=sec reason="no dynamic calls"
 *
 * (no line continuation: a rule is one line). Values are words or
 * "quoted strings" (\" and \\ escape); patterns are fnmatch(3) globs
 * ('*' crosses '/'); a module pattern without '@' matches the module path
 * without its version. The first rule that matches a site decides.
 * Fail closed: an unknown key, a missing reason or owner, a bad date or a
 * malformed line is an error naming FILE:LINE; an expired rule and (for
 * the static gate, which sees every site) an allow rule that matches no
 * site fail the gate (a deny rule that matches nothing is what it
 * wants), each in one line naming the rule.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stddef.h>

struct prule {
	int deny;
	char *module, *package, *op, *target; /* patterns, NULL: any */
	char *reason, *owner, *expires;       /* expires: YYYY-MM-DD or NULL */
	unsigned lineno;
	unsigned long matched; /* sites it decided (policy_match) */
};

struct policy {
	char *path;
	struct prule *v;
	size_t nr;
};

/* Read a policy file into p (zeroed first). 0, or -1 with one line
 * "PATH:LINE: what" (or the file cannot be read). */
int policy_load(struct policy *p, const char *path);
void policy_release(struct policy *p);

/* The first rule that matches a site (module "PATH@VERSION" or "PATH";
 * any field may be NULL: only a rule without that pattern matches), or
 * NULL. The rule's matched count grows. */
struct prule *policy_match(struct policy *p, const char *module, const char *pkg,
			   const char *op, const char *target);

/*
 * Fail-closed checks after matching: each expired rule (expires before
 * today, "YYYY-MM-DD" in UTC) and, with unmatched, each allow rule that
 * matched no site, said in one line on stderr ("goinstr: PATH:LINE: ..."). Returns
 * how many.
 */
size_t policy_check(const struct policy *p, const char *today, int unmatched);

/* Today's date in UTC, "YYYY-MM-DD" (11 bytes with the NUL). */
void policy_today(char out[11]);

/* "PATH:LINE" of rule r, for messages (static storage, overwritten). */
const char *policy_where(const struct policy *p, const struct prule *r);

#endif
