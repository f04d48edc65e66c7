/*
 * respfile.h - the go command's response files: when a tool's arguments
 * pass 30 KB and the tool's file is named compile, link, asm, cgo, cover
 * or pack, cmd/go (useResponseFile) passes them as "@FILE". A drop-in
 * toolchain's tools are such files, so its shims (cmd_toolexec.c) read
 * them, and write one for the real tool when they were given one.
 *
 * The format is the release's (cmd/internal/objabi): up to Go 1.26 one
 * argument a line, "\\" and "\n" escaped (DecodeArg); from Go 1.27 GCC's
 * quoting: whitespace separates, '...' literal, "..." with \\ \" \$ \`
 * escapes, a backslash outside quotes escaping the next byte, backslash-
 * newline a continuation (ParseArgs, golang/go#77177). "@FILE" arguments
 * inside a response file are expanded too.
 */
#ifndef RESPFILE_H
#define RESPFILE_H

#include "strbuf.h"
#include "util.h"

/* The format of Go 1.minor's response files: 0 before 1.27, else 1. */
int respfile_gcc(int minor);

/*
 * Append argv (argc entries) to out with every "@FILE" replaced by its
 * arguments (recursively); *expanded tells whether there was one. 0, or
 * -1 (reported: a file that cannot be read, nesting past 16 levels).
 */
int respfile_expand(int argc, const char *const *argv, int gcc, struct argv *out,
		    int *expanded);

/* Append args[from...] encoded as a response file of the format to out. */
void respfile_encode(const struct argv *args, size_t from, int gcc, struct strbuf *out);

#endif
