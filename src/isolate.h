/*
 * isolate.h - run a go command (or goinstr itself, with the go commands
 * it starts) in a bubblewrap sandbox, for --isolate: no network, and the
 * whole file system read-only (GOROOT, the source tree, the module
 * cache) but for the build cache, goinstr's cache, a private temporary
 * directory and where the command writes its output. Every process
 * inside (the go command, goinstr's toolexec, compile, link, cover, test
 * binaries, programs of go run) is in the same sandbox.
 *
 * The sandbox is Debian's bubblewrap (bwrap), which needs unprivileged
 * user namespaces (or root).
 */
#ifndef ISOLATE_H
#define ISOLATE_H

/*
 * Run cmd (an argv; cmd[0] a path, or searched in PATH) in the sandbox
 * made for the go command gocmd's verb (build, install, run, test, ...)
 * with the go flags args[0..argc). Writable in it: GOCACHE, goinstr's
 * cache, a private TMPDIR (removed after), and the outputs: the directory
 * of -o (go build without -o, and go test -c: the current directory),
 * GOBIN (else GOPATH's bin) for install, the directories of go test's
 * output files (-o, -coverprofile, -cpuprofile, ...) and -outputdir, and
 * for run and test the directory of INSTRUMENTATION_LOG_PATH.
 *
 * Returns cmd's exit status. When it is 1 and a module of the build is
 * missing from the module cache (the sandbox has no network), one more
 * line says so. -1 (reported in one line) if bubblewrap cannot run or the
 * sandbox cannot be made.
 */
int isolate_run(const char *gocmd, const char *const *cmd, const char *verb,
		int argc, const char **args);

#endif
