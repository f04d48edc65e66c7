/*
 * srctree.h - the source tree of a build, which --isolate (isolate.h)
 * binds read-only and never lets be written: the current directory; the
 * main module's and the workspace's directories and the local directories
 * their replace and use directives name (./, ../ or absolute); the git
 * repository holding the main module, as the go command reads it to stamp
 * the binary (its root; for a worktree, the repository's git directory
 * too), never one that is or holds $HOME; and in GOPATH mode each
 * GOPATH's src. Only directories that exist are named, resolved.
 */
#ifndef SRCTREE_H
#define SRCTREE_H

#include <jansson.h>

#include "util.h"

/* What the go command says of the build (go env), NULL when unset. */
struct srctree_env {
	const char *cwd;
	const char *gomod, *gowork; /* GOMOD, GOWORK: files ("/dev/null", "off": none) */
	const char *gopath;         /* GOPATH, only in GOPATH mode (GO111MODULE=off) */
};

/* `go WHAT edit -json FILE` (WHAT: "mod" or "work") parsed, or NULL if it
 * failed; the caller of srctree_collect runs the go command as it must. */
typedef json_t *srctree_edit_fn(void *ctx, const char *what, const char *file);

/* Push the source tree's directories onto out (duplicates possible).
 * Cannot fail: what cannot be read is left out. */
void srctree_collect(const struct srctree_env *e, srctree_edit_fn *edit, void *ctx,
		     struct argv *out);

#endif
