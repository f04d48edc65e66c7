/*
 * modroot.h - the main modules of a go command, found the way the go
 * command finds them, without running it: for the compile shim of a
 * drop-in toolchain (toolchain.h), which runs in the go command's working
 * directory and has no `go list -m` to ask.
 */
#ifndef MODROOT_H
#define MODROOT_H

#include "strbuf.h"

/*
 * Append to out the directories of the main modules of a go command
 * started in dir (absolute), one per line: with GO111MODULE=off none;
 * else the `use` directories of the workspace file named by GOWORK
 * (unless "off"), or of the first go.work found in dir or a parent; else
 * the directory of the first go.mod found in dir or a parent; else none.
 * Paths are absolute (relative `use` paths are taken from go.work's
 * directory) and resolved with realpath when they exist. Returns the
 * number of directories appended; it cannot fail (an unreadable go.work
 * names no module).
 */
int modroot_main_dirs(const char *dir, struct strbuf *out);

/*
 * The `use` directories of go.work text (relative ones joined to base),
 * appended one per line. Returns how many. Exposed for the unit tests.
 */
int modroot_parse_work(const char *text, const char *base, struct strbuf *out);

#endif
