/*
 * isolate.h - --isolate: goinstr and the go command in a bubblewrap
 * sandbox, and every program they start (test binaries, go run's
 * program) in a tighter one of its own (progbox.h).
 *
 * The build's sandbox: its own namespaces (no network: a loopback of its
 * own), no capabilities, its own /proc and /tmp. Of the file system it
 * sees, read-only, only the system's directories (/usr, /etc, /bin, /lib*,
 * /opt, /nix), GOROOT, the module cache, the go command's env file,
 * goinstr and the go command themselves, and the source tree: the
 * current directory, the main module's and workspace's directories and
 * the local directories their replace and use directives name. $HOME and
 * everything else is not there. Writable: GOCACHE, goinstr's cache, a
 * private temporary directory (TMPDIR, GOTMPDIR; removed after), and the
 * outputs:
 *   - build: the file -o names (made first, empty, if missing; goinstr
 *     build's BIN.sites.jsonl beside it likewise), or the directory of
 *     -o DIR/; install: GOBIN (else GOPATH's bin); test: its -o (file or
 *     directory) and -coverprofile file;
 *   - a directory named as output that is, or holds, the source tree is
 *     refused: the source tree is never writable. Without -o, a build
 *     that would write a binary into it (one main package, go test -c,
 *     a profiling flag) fails with the go command's "read-only file
 *     system".
 * Refused as well (one line): -exec (goinstr supplies its own) and
 * -fuzz (its corpus lives in GOCACHE, which no program may write).
 *
 * Programs run through the go command's -exec (goinstr isolate-exec) in a
 * sandbox the broker makes from outside: the same read-only view, but
 * neither GOCACHE (only the program itself, read-only, where go run keeps
 * the executables it builds there) nor goinstr's cache, a new session, and writable only a temporary
 * directory of their own, the file INSTRUMENTATION_LOG_PATH names (not
 * its directory; made 0600 first if missing; a relative path is taken
 * from goinstr's current directory; so the logger cannot rotate it
 * there, and INSTRUMENTATION_LOG_MAX_BYTES draws a warning), go test's
 * profiles (-cpuprofile, -memprofile, -blockprofile, -mutexprofile,
 * -trace) and coverage files, and a GOCOVERDIR of the user's.
 *
 * After the build's sandbox exits, its writes are checked from outside:
 * goinstr's cache (cache_check_since) and GOCACHE's new outputs (each
 * must hash to its name); what fails is removed and said, and the
 * command exits 2.
 *
 * The sandbox is Debian's bubblewrap (bwrap), which needs unprivileged
 * user namespaces (or root).
 */
#ifndef ISOLATE_H
#define ISOLATE_H

/* flags for isolate_run */
#define ISOLATE_SITES 1 /* cmd is goinstr build: -o BIN gets BIN.sites.jsonl too */

/*
 * Run pre (an argv: the command up to its go flags, e.g. goinstr build
 * --ops=all, or GO test; pre[0] a path, or searched in PATH) followed by
 * the go command's flags args[0..argc) in the sandbox made for the go
 * command gocmd's verb (build, install, run, test, ...), with -exec
 * added for run and test. Returns the command's exit status. When it is 1
 * and a module of the build is missing from the module cache (no
 * network), one more line says so. -1 (reported in one line) if
 * bubblewrap cannot run, the sandbox cannot be made, or the command's
 * writes fail their checks.
 */
int isolate_run(const char *gocmd, const char *const *pre, unsigned flags, const char *verb,
		int argc, const char **args);

/* Set in the build's sandbox: goinstr writes BIN.sites.jsonl in place
 * (its directory is read-only; the file was made for it). */
#define ISOLATE_ENV "GOINSTR_ISOLATED"

#endif
