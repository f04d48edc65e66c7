/*
 * modpath.h - the module a Go source file lies in, read from its path:
 * a module cache directory names it ("MODULE@VERSION/", with the cache's
 * case encoding "!x" for "X"), and a vendor directory lists it in its
 * vendor/modules.txt. For the report, when neither a log's header nor a
 * binary nor an inventory names a package's module (a test binary's
 * header has no dependencies: the go command leaves them out of a test
 * binary's build information).
 */
#ifndef MODPATH_H
#define MODPATH_H

#include "strbuf.h"

/*
 * The module of file, a file of package pkg ("main" or NULL if not
 * known), from a module cache path: its "PATH@VERSION" appended to out,
 * decoded. The module path is the longest prefix of pkg that the
 * directory before "@VERSION" ends with; with no usable pkg, the text
 * after the last "/pkg/mod/" (an absolute path) or all of it (a
 * -trimpath path, "MODULE@VERSION/..."). 0 if found, -1 if not (nothing
 * appended). No file system access.
 */
int modpath_from_cache(const char *file, const char *pkg, struct strbuf *out);

/*
 * The module of file, under a vendor directory (".../vendor/IMPORT/x.go"),
 * from that directory's modules.txt ("# PATH VERSION" lines): the longest
 * module path that is a prefix of the file's import path, appended to out
 * as "PATH@VERSION" (PATH alone for a replacement by a directory). 0 if
 * found, -1 if not (no vendor/ in the path, modules.txt unreadable, over
 * MODPATH_MAX_MODULES_TXT bytes, or no module fits). Reads one file.
 */
#define MODPATH_MAX_MODULES_TXT (4u << 20)
int modpath_from_vendor(const char *file, struct strbuf *out);

/* Decode the module cache's case encoding ("!x" is "X") of n bytes at s
 * into out. 0, or -1 on a "!" not followed by a lowercase letter (not an
 * encoded path). Other bytes are kept: the directories above the cache
 * may hold anything. */
int modpath_unescape(const char *s, size_t n, struct strbuf *out);

#endif
