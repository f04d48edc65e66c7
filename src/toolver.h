/*
 * toolver.h - a Go tool's answer to -V or -V=full (the go command asks
 * the compiler, linker and assembler on every run, for its cache keys),
 * remembered in goinstr's cache (a sealed entry tools/NAME) under the
 * tool binary's identity (device, inode, size, times) and the GO*
 * environment (GOEXPERIMENT shows in the answer): a process start saved
 * per tool per go command run.
 */
#ifndef TOOLVER_H
#define TOOLVER_H

#include "strbuf.h"

/*
 * argv (the tool and its -V flag) answered: its standard output appended
 * to out, from the cache or by running it (stdin /dev/null, stderr
 * inherited; only a 0 status is remembered). Returns the tool's exit
 * status, or -1 if the cache refused its entry or the tool could not run
 * (reported).
 */
int toolver_answer(const char *const *argv, struct strbuf *out);

#endif
