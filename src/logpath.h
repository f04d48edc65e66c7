/*
 * logpath.h - whether an instrumented program would log to a path: the
 * rules of its logger (inject/reflect/goinstr_file.go and the runtime
 * shim), seen from outside. `goinstr check-log-path` prints the verdict
 * with advice; `goinstr run` and `goinstr test` say in one line when the
 * program they start would log nothing (the program itself stays silent).
 */
#ifndef LOGPATH_H
#define LOGPATH_H

#include "strbuf.h"

/*
 * 1 if a program of this user given INSTRUMENTATION_LOG_PATH=path would
 * log there, 0 if not; either way the reason is appended to why. A
 * relative path is taken from the working directory. Never fails.
 */
int logpath_check(const char *path, struct strbuf *why);

#endif
