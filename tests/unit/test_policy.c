/*
 * test_policy.c - the gates' policy file (policy.h): every malformed line
 * it refuses with its reason (unknown key, no reason, no owner, bad date,
 * bad quoting, no pattern), what a rule matches (globs, a module's
 * version, first rule wins) and the fail-closed checks (expired,
 * matching nothing; a deny rule that matches nothing is fine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "policy.h"
#include "strbuf.h"
#include "util.h"

static char dir[256];

static int load_text(struct policy *p, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	int r;

	strbuf_addf(&path, "%s/goinstr.policy", dir);
	write_file(path.buf, text, strlen(text), 0600);
	r = policy_load(p, path.buf);
	strbuf_release(&path);
	return r;
}

static void test_bad(void)
{
	static const char *const bad[] = {
		"permit op=x owner=o reason=r\n",           /* neither allow nor deny */
		"allow op=x owner=o reason=r colour=red\n", /* unknown key */
		"allow op=x owner=o\n",                     /* no reason */
		"allow op=x reason=r\n",                    /* no owner */
		"allow owner=o reason=r\n",                 /* no pattern */
		"allow op=x owner=o reason=\"unterminated\n",
		"allow op=x owner=o reason=\"bad \\n escape\"\n",
		"allow op=x owner=o reason=r expires=2026-02-30\n",
		"allow op=x owner=o reason=r expires=2026-2-3\n",
		"allow op=x owner=o reason=r expires=tomorrow\n",
		"allow op=x op=y owner=o reason=r\n", /* a key twice */
		"allow op owner=o reason=r\n",        /* no = */
		"allow op=x owner=o reason=\"r\"x\n",  /* text after a quote */
		"deny\n# a good rule first\nallow op=x owner=o reason=r\n",
	};
	struct policy p;

	check(policy_load(&p, "/nonexistent/goinstr.policy") == -1, "missing file refused");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		check(load_text(&p, bad[i]) == -1 && p.nr == 0, "refused: %.*s", (int)strcspn(bad[i], "\n"),
		      bad[i]);
	}
}

static void test_match(void)
{
	struct policy p;
	struct prule *r;

	check(!load_text(&p,
			 "# comment and blank lines\n\n"
			 "deny module=github.com/x/y op=reflect.Value.Call owner=sec reason=\"no calls\"\n"
			 "allow module=github.com/x/y op=* owner=\"team y\" reason=\"reviewed \\\"y\\\"\" "
			 "expires=2099-12-31\n"
			 "allow module=golang.org/x/sys@v0.50.0 package=*/unix op=unsafe.Pointer "
			 "owner=@p reason=syscalls\n"
			 "allow target=*Handler op=reflect.Value.MethodByName owner=o reason=r "
			 "expires=2020-01-01 # a comment after the rule\n"
			 "deny op=unsafe.Slice owner=o reason=never\n"),
	      "policy loads");
	check(p.nr == 5, "five rules");
	r = policy_match(&p, "github.com/x/y@v1.2.3", "github.com/x/y/z", "reflect.Value.Call", NULL);
	check(r && r->deny && r->lineno == 3, "deny first: module without version matches PATH@V");
	r = policy_match(&p, "github.com/x/y@v1.2.3", "github.com/x/y", "unsafe.Add", NULL);
	check(r && !r->deny && r->lineno == 4 && !strcmp(r->reason, "reviewed \"y\"") &&
		      !strcmp(r->owner, "team y"),
	      "allow, quoted values unescaped");
	check(!policy_match(&p, "github.com/x/yz@v1", "github.com/x/yz", "unsafe.Add", NULL),
	      "a module pattern is the whole path");
	r = policy_match(&p, "golang.org/x/sys@v0.50.0", "golang.org/x/sys/unix", "unsafe.Pointer", NULL);
	check(r && r->lineno == 5, "versioned module pattern, package glob");
	check(!policy_match(&p, "golang.org/x/sys@v0.51.0", "golang.org/x/sys/unix", "unsafe.Pointer",
			    NULL),
	      "versioned pattern: another version does not match");
	r = policy_match(&p, "example.com/app", "example.com/app", "reflect.Value.MethodByName",
			 "*app.Handler");
	check(r && r->lineno == 6, "target glob, comment after the rule");
	check(!policy_match(&p, "example.com/app", "example.com/app", "reflect.Value.MethodByName",
			    NULL),
	      "a target pattern needs a target");
	check(policy_check(&p, "2026-12-07", 1) == 1, "expired rule (line 6) fails; deny rules that "
						    "match nothing do not");
	policy_release(&p);

	check(!load_text(&p, "allow op=a owner=o reason=r expires=2026-12-07\n"
			     "allow op=b owner=o reason=r\n"),
	      "policy loads");
	policy_match(&p, NULL, NULL, "a", NULL);
	check(policy_check(&p, "2026-12-07", 0) == 0, "valid through its expiry day");
	check(policy_check(&p, "2026-12-08", 0) == 1, "expired the day after");
	check(policy_check(&p, "2026-12-07", 1) == 1, "an allow rule matching nothing fails");
	policy_release(&p);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/goinstr-policy-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_bad();
	test_match();
	{
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s/goinstr.policy", dir);
		unlink(sb.buf);
		strbuf_release(&sb);
		rmdir(dir);
	}
	return check_done();
}
