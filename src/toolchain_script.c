/*
 * toolchain_script.c - the scripts of a drop-in toolchain (see
 * toolchain_script.h and docs/toolchain.md).
 */
#include "toolchain_script.h"

#include <string.h>

#include "reflectops.h"
#include "version.h"

/* The lines of a script that set r to DIR, from $0 (suffix: "/bin/go"). */
static void script_root(struct strbuf *sb, const char *suffix)
{
	strbuf_addf(sb,
		    "r=${0%%%s}\n"
		    "if [ \"$r\" = \"$0\" ] || [ ! -f \"$r/" TOOLCHAIN_MANIFEST "\" ]; then\n"
		    "\tr=$(readlink -f -- \"$0\") && r=${r%%%s} || exit 2\n"
		    "fi\n"
		    "case $r in /*) ;; *) r=$(cd -- \"$r\" && pwd) || exit 2 ;; esac\n",
		    suffix, suffix);
}

/*
 * bin/go. It leaves GOROOT and GOTOOLCHAIN as the user has them where
 * they keep the go command in this toolchain, since the programs go run
 * and go test start inherit them; else it sets them, so no build leaves
 * the toolchain: GOROOT when the user's names any (REAL_GO finds DIR
 * without it), GOTOOLCHAIN=local when the user's, from the environment or
 * the go env file (go.env's local is the default), is another release or
 * allows upgrades.
 */
void toolchain_script_go(struct strbuf *sb, const char *what, const char *release, int isolate)
{
	/* --isolate: the real go command inside goinstr's sandbox */
	const char *pre = isolate ? "\"$r/pkg/goinstr/bin/goinstr\" isolate " : "";

	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The go command of a Go toolchain instrumented by goinstr %s (%s).\n"
		    "# Runs the real one, " REAL_GO ", in this toolchain: GOROOT and\n"
		    "# GOTOOLCHAIN are set only where the user's would lead away; marks\n"
		    "# 'go version'. Changes: pkg/goinstr/MANIFEST; 'goinstr verify DIR'.\n",
		    GOINSTR_VERSION, what);
	script_root(sb, "/bin/go");
	strbuf_addf(sb,
		    "[ -z \"${GOROOT:-}\" ] || export GOROOT=\"$r\"\n"
		    "t=${GOTOOLCHAIN:-}\n"
		    "f=${GOENV:-${XDG_CONFIG_HOME:-$HOME/.config}/go/env}\n"
		    "if [ -z \"$t\" ] && [ \"$f\" != off ] && [ -f \"$f\" ]; then\n"
		    "\twhile IFS= read -r l || [ -n \"$l\" ]; do\n"
		    "\t\tcase $l in GOTOOLCHAIN=*) t=${l#GOTOOLCHAIN=} ;; esac\n"
		    "\tdone <\"$f\"\n"
		    "fi\n"
		    "case $t in \"\" | local | %.*s) ;; *) export GOTOOLCHAIN=local ;; esac\n"
		    "if [ $# -eq 1 ] && [ \"$1\" = version ]; then\n"
		    "\tv=$(\"$r/" REAL_GO "\" version) || exit\n"
		    "\techo \"$v (instrumented by goinstr %s: %s)\"\n"
		    "\texit 0\n"
		    "fi\n"
		    "v=${1:-} # the verb, after go's -C DIR if that comes first\n"
		    "case $v in -C | --C) v=${3:-} ;; -C=* | --C=*) v=${2:-} ;; esac\n"
		    "case $v:${INSTRUMENTATION_LOG_PATH:-} in run:?* | test:/*)\n"
		    "\t# one line when the program would log nothing\n"
		    "\t\"$r/pkg/goinstr/bin/goinstr\" check-log-path --brief \"$INSTRUMENTATION_LOG_PATH\"\n"
		    "esac\n"
		    "if [ \"$v\" = test ] && [ -n \"${INSTRUMENTATION_LOG_PATH:-}\" ]; then\n"
		    "\t# a test asked to log runs: not from the test cache; -count=1\n"
		    "\t# after -C DIR, which go takes only first (go -C DIR test, go test -C DIR)\n"
		    "\tcase $1 in\n"
		    "\t-C | --C) c=$1 d=$2 && shift 3 && set -- \"$c\" \"$d\" test -count=1 \"$@\" ;;\n"
		    "\t-C=* | --C=*) c=$1 && shift 2 && set -- \"$c\" test -count=1 \"$@\" ;;\n"
		    "\t*) shift\n"
		    "\t\tcase ${1:-} in\n"
		    "\t\t-C | --C) c=$1 d=${2:-} && shift $(($# < 2 ? $# : 2)) &&\n"
		    "\t\t\tset -- test \"$c\" \"$d\" -count=1 \"$@\" ;;\n"
		    "\t\t-C=* | --C=*) c=$1 && shift && set -- test \"$c\" -count=1 \"$@\" ;;\n"
		    "\t\t*) set -- test -count=1 \"$@\" ;;\n"
		    "\t\tesac ;;\n"
		    "\tesac\n"
		    "fi\n"
		    "exec %s\"$r/" REAL_GO "\" \"$@\"\n",
		    (int)strcspn(release, " "), release, GOINSTR_VERSION, what, pre);
}

/*
 * The compiler's and the linker's scripts: `goinstr toolexec` with the
 * options baked in, on the real tool in pkg/goinstr/tool (tool: compile
 * or link). The compiler's wraps unsafe operations as 'goinstr build'
 * does; the linker's marks the binary (buildinfo.h), puts the blind
 * spots of what it links into it and warns about them.
 */
void toolchain_script_tool(struct strbuf *sb, const char *tool,
			   const struct toolchain_script_opts *t)
{
	int link = !strcmp(tool, "link");
	struct strbuf mark = STRBUF_INIT;

	if (link) { /* the binary's mark (buildinfo.h) */
		strbuf_addstr(&mark, " --ops=");
		cats_format(t->ops, &mark);
		if (t->trust_goroot)
			strbuf_addstr(&mark, " --trust-goroot");
	}
	strbuf_addf(sb,
		    "#!/bin/sh\n"
		    "# The %s of a Go toolchain instrumented by goinstr %s (%s):\n"
		    "# %s, as 'goinstr build' does,\n"
		    "# then runs pkg/goinstr/tool/%s.\n",
		    link ? "linker" : "compiler", GOINSTR_VERSION, t->what,
		    link ? "marks the binary and names what it could not instrument in it"
			 : "wraps unsafe operations outside the standard library", tool);
	script_root(sb, "/pkg/tool/*");
	strbuf_addf(sb,
		    "exec \"$r/pkg/goinstr/bin/goinstr\" toolexec --unsafe=%s%s --goroot=\"$r\" --id=%s \\\n"
		    "\t--helper=\"$r/pkg/goinstr/bin/goinstr-types\" --go=%s%s%s \\\n"
		    "\t\"$r/pkg/goinstr/tool/%s\" \"$@\"\n",
		    t->unsafe, strcmp(t->unsafe, "all") ? " --main-from-cwd" : "", t->id, t->version,
		    link ? " --warn-link" : "", mark.buf, tool);
	strbuf_release(&mark);
}
