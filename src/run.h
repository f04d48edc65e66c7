/*
 * run.h - the one way goinstr runs a process (git's run-command shape):
 * an argv, changes to the environment for the child only, and for each of
 * stdin, stdout and stderr: inherited, /dev/null, a file, or captured into
 * a strbuf. Nothing here sets the parent's own environment, but run_exec,
 * which replaces the parent.
 *
 *	struct child c = CHILD_INIT;
 *	c.argv = (const char *const[]){ "go", "env", "-json", NULL };
 *	c.in = CHILD_NULL;
 *	c.out = CHILD_CAPTURE, c.out_buf = &out;
 *	status = run_child(&c);
 */
#ifndef RUN_H
#define RUN_H

#include "strbuf.h"

enum child_io {
	CHILD_INHERIT = 0, /* the parent's */
	CHILD_NULL,        /* /dev/null */
	CHILD_FILE,        /* *_path: stdin read, stdout/stderr created 0600 and truncated */
	CHILD_CAPTURE,     /* stdout/stderr only: appended to *_buf */
	CHILD_FD,          /* *_fd: a descriptor of the parent's */
};

struct child {
	const char *const *argv; /* argv[0] is searched in PATH */
	/*
	 * Changes to the environment, in the child only: "NAME=VALUE" sets,
	 * "NAME" unsets; NULL-terminated, or NULL for none.
	 */
	const char *const *env;
	enum child_io in, out, err;
	const char *in_path, *out_path, *err_path; /* for CHILD_FILE */
	struct strbuf *out_buf, *err_buf;          /* for CHILD_CAPTURE */
	int in_fd, out_fd, err_fd;                 /* for CHILD_FD */
	/*
	 * With watch set: while the child runs, watch_fd (a socket) is
	 * watched, and when its other end is gone the child is killed
	 * (SIGKILL): whoever asked for the child no longer waits for it.
	 */
	int watch, watch_fd;
	/*
	 * The parent ignores SIGINT and SIGQUIT while it waits, as system(3)
	 * does: a ^C reaches the child (same process group), which decides.
	 */
	int wait_like_system;
};

#define CHILD_INIT { 0 }

/*
 * Run c and wait for it. Returns its exit status (0..255, 128+signal if
 * it was killed), or -1 if it could not be started (reported: "cannot
 * run 'NAME': REASON", or the file that could not be opened).
 */
int run_child(const struct child *c);

/* Shorthands: stdin from /dev/null, stdout captured in out (NULL:
 * discarded), stderr inherited; and everything inherited, waiting like
 * system(3). Same returns as run_child. */
int run_capture(const char *const *argv, const char *const *env, struct strbuf *out);
int run_inherit(const char *const *argv, const char *const *env);

/*
 * Replace this process by argv (argv[0] searched in PATH unless it has a
 * '/'), with env's changes as struct child's: whoever waits for this
 * process then waits for argv's, its status and its death by a signal
 * exactly (goinstr's shims hand a tool they leave alone its place).
 * Returns only if it could not be started: -1 (reported).
 */
int run_exec(const char *const *argv, const char *const *env);

#endif
