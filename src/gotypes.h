/*
 * gotypes.h - goinstr-types, the Go helper that finds a package's unsafe
 * operations by their types (helper/, embedded into goinstr), built once
 * per Go release and run by the compile shim for each package it wraps.
 *
 * Why a helper in Go: which expressions are unsafe operations is decided
 * by types (a conversion of a parameter whose type is unsafe.Pointer,
 * of an alias, of a defined type from another module...), and types come
 * from Go's own type checker, go/types, reading the export data the
 * compile's -importcfg names (as go vet's unitchecker does). Its go/parser
 * and go/types must be those of the release that compiles (1.27 syntax,
 * 1.27 export data), so it is built with that release's go command, from
 * its verified GOROOT, into a sealed entry of goinstr's cache (cache.h:
 * checked against its seal on every use):
 *
 *   ROOT/types/<key>/goinstr-types
 *
 * key: the SHA-256 of the helper's embedded sources, the release, its
 * GOROOT and the host platform. Before the first build the GOROOT files
 * the build reads (the helper's standard-library dependencies and the
 * go, compile, link and asm binaries) are checked against the release's
 * manifest, unless --trust-goroot (then the key says so).
 */
#ifndef GOTYPES_H
#define GOTYPES_H

#include "goenv.h"
#include "strbuf.h"
#include "util.h"

/*
 * The path of the helper for env's toolchain (appended to path), built
 * now if goinstr's cache has none. 0 or -1 (reported: the build failed,
 * or a GOROOT file does not match the manifest).
 */
int gotypes_ensure(const struct goenv *env, int trust_goroot, struct strbuf *path);

/*
 * Build the helper for env's toolchain into dir/goinstr-types (a drop-in
 * toolchain's copy). 0 or -1 (reported).
 */
int gotypes_build(const struct goenv *env, int trust_goroot, const char *dir);

/*
 * Run the helper on one package: importcfg the compile's, lang its -lang
 * (NULL: none), files "r=PATH" (a source file) or "c=PATH" (generated,
 * type-checked only); list: sites only, no edits. Its JSON Lines output is
 * appended to out (rwunsafe.h reads it). Returns its exit status, or -1
 * if it could not be run (reported).
 */
int gotypes_run(const char *helper, const char *importcfg, const char *lang,
		const struct argv *files, int list, struct strbuf *out);

/*
 * The file a go-command-generated copy stands for (cgo's x.cgo1.go, a
 * coverage copy): the name in its first line directive ("//line
 * /dir/x.go:1:1"), appended to out. 0, or -1 if it has none. The compile
 * shim and the inventory classify the helper's files by it alike.
 */
int gotypes_directive_file(const char *path, struct strbuf *out);

#endif
