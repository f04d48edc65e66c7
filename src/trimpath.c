/*
 * trimpath.c - a compile's or an assembly's -trimpath, as the toolexec
 * shim passes it on (see trimpath.h).
 */
#include "trimpath.h"

#include <string.h>

#include "strbuf.h"

/*
 * One -trimpath value, changed: a rewrite of a file to a name in goroot
 * (std, a package of GOROOT: the go command's rewrite of each overlaid
 * file back to its name) names it $GOROOT/... instead, as the compiler
 * names GOROOT's other files; then rw, if any, last (the first rewrite
 * that matches a file wins: the go command's stay first). Appended to out.
 */
static void trimpath_value(const char *v, const char *goroot, const char *rw, struct strbuf *out)
{
	size_t ng = goroot ? strlen(goroot) : 0;

	for (const char *r = v; *r;) {
		size_t n = strcspn(r, ";");
		const char *to = memmem(r, n, "=>", 2);
		if (to)
			to += 2;
		if (to && ng && (size_t)(r + n - to) > ng && !strncmp(to, goroot, ng) && to[ng] == '/')
			strbuf_addf(out, "%.*s$GOROOT%.*s", (int)(to - r), r,
				    (int)(r + n - to - ng), to + ng);
		else
			strbuf_add(out, r, n);
		r += n;
		if (*r == ';')
			strbuf_addch(out, *r++);
	}
	if (rw)
		strbuf_addf(out, "%s%s", out->len ? ";" : "", rw);
}

/*
 * The tool's arguments with its -trimpath changed by trimpath_value (one
 * added if it has none and rw is set). Into out.
 */
void trimpath_fix(const char **argv, int argc, const char *goroot, const char *rw,
		  struct argv *out)
{
	struct strbuf v = STRBUF_INIT;
	int seen = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		if (i > 0 && !seen && !strcmp(a, "-trimpath") && i + 1 < argc) {
			argv_push(out, a);
			val = a = argv[++i];
		} else if (i > 0 && !seen && !strncmp(a, "-trimpath=", 10)) {
			val = a + 10;
		}
		if (!val) {
			argv_push(out, a);
			continue;
		}
		seen = 1;
		strbuf_reset(&v);
		strbuf_add(&v, a, (size_t)(val - a));
		trimpath_value(val, goroot, rw, &v);
		argv_push(out, v.buf);
	}
	if (!seen && rw) {
		argv_push(out, "-trimpath");
		argv_push(out, rw);
	}
	strbuf_release(&v);
}
