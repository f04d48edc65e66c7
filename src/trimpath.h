/*
 * trimpath.h - the -trimpath the toolexec shim gives a compile or an
 * assembly (cmd_toolexec.c says why): the go command's rewrites of a
 * standard-library compile's files to names in GOROOT made $GOROOT/...,
 * as the compiler names GOROOT's other files, and goinstr's own rewrite
 * (--trimpath-rewrite) added last, so the go command's rewrites win.
 */
#ifndef TRIMPATH_H
#define TRIMPATH_H

#include "util.h"

/*
 * The tool's arguments (argv[0] the tool) pushed to out, with its
 * -trimpath (the first, as "-trimpath V" or "-trimpath=V") changed: with
 * goroot (a standard-library compile's GOROOT, else NULL) a rewrite to
 * goroot/... names $GOROOT/... instead; rw (FROM=>TO, or NULL) appended,
 * or given as a -trimpath of its own when the tool has none. Cannot fail.
 */
void trimpath_fix(const char **argv, int argc, const char *goroot, const char *rw,
		  struct argv *out);

#endif
