/*
 * rwunsafe.h - find the unsafe operations of a package outside the
 * standard library and wrap them so that each logs its first execution.
 *
 * Per site (located on the syntax tree, never by pattern over text), with
 * S the site's flag, &goinstrUDone[N]:
 *   unsafe.Pointer(X), X a plain operand   unsafe.Pointer(goinstrUF(S, X))
 *                                          (records X's type as "from")
 *   unsafe.Pointer(X), X maybe uintptr     goinstrUP(S, unsafe.Pointer(X))
 *     arithmetic or a call result          (the conversion stays whole)
 *   f(uintptr(unsafe.Pointer(X)))          unchanged; `goinstrUK(S);` is put
 *                                          before the enclosing statement, so
 *                                          the keepalive form is kept
 *   unsafe.Add/String(...)                 goinstrUP/goinstrUStr(S, ...)
 *   unsafe.Slice/SliceData/StringData      goinstrUS/goinstrUF(S, ...)
 *   unsafe.Sizeof/Alignof/Offsetof         never (constants): inventory only
 * Every operand is evaluated once, in its original order; every insertion
 * is followed by a block-comment line directive ("line :L:C") restoring the
 * original position of the next byte, so all lines and columns keep their
 * positions. Sites in cgo files, in //go:nosplit functions, or needing
 * generics in code older than go1.18 are left alone, with the reason.
 *
 * Once a site's flag is set its wrapper is a load and a branch, which the
 * compiler inlines; in a function with more than 16 wrapped sites
 * (transpiled C, generated code) the wrappers are called instead (names
 * ending in C: see call_shape in rwunsafe.c). What a site's event says
 * beyond what the wrapper sees (op, id, file, line, column, source text,
 * target type) is in one constant string per package, the site table,
 * which the runtime decodes on a site's first hit only
 * (inject/runtime/goinstr_unsafe.go describes its format). A site costs
 * the compiler a call, inlined or not, and about 35 bytes of table: no
 * composite literal, no string of its own.
 *
 * One rwunsafe collects the sites of one package (all its files, fed in a
 * fixed order); rwunsafe_support() generates the file the wrappers live in.
 */
#ifndef RWUNSAFE_H
#define RWUNSAFE_H

#include <stddef.h>

#include "strbuf.h"

struct usite {
	char *op;     /* "unsafe.Pointer", "unsafe.Add", ..., "go:linkname" */
	char id[17];  /* hex prefix of SHA-256(file, line, col, op) */
	char *file;   /* as given to rwunsafe_file, after ->trim */
	unsigned line, col;
	char *expr;   /* source text, cut at 120 bytes */
	char *to;     /* conversion target type, or NULL */
	int wrapped;
	const char *why; /* not wrapped: the reason; wrapped: how (static) */
	int slot;        /* index in goinstrUDone and the site table, -1 if not wrapped */
};

struct rwunsafe {
	int generics;     /* the package's language version has generics */
	char *pkgname;    /* from the first rewritten file's package clause */
	char *dir;        /* the first rewritten file's directory */
	/*
	 * The compile's -trimpath rewrites (goenv.h's go_trimpath), or NULL:
	 * site records name files, and ids hash them, as the compiler names
	 * their positions, so nothing of where the build ran is baked into
	 * a -trimpath build. Set by the caller after rwunsafe_init.
	 */
	const char *trim;
	struct usite *v;
	size_t nr, alloc;
	unsigned nslots;
};

void rwunsafe_init(struct rwunsafe *ru, int generics);
void rwunsafe_release(struct rwunsafe *ru);

/*
 * Find and wrap the sites of one file. path names it in site records and
 * in the line directive that starts a rewritten file. The result goes to
 * out; *changed tells whether anything was wrapped (else out is empty).
 * A file that does not import "unsafe" has no sites; one that imports it
 * with a dot calls its operations by their bare names, which local
 * declarations may hide (scopes are followed, as for the import's name).
 * A file that does not parse is left alone and recorded, at its first
 * error, with the reason. Linear in the file's size (n log n at worst).
 * Returns 0; 1 for a file left alone that imports "unsafe" by name or with
 * a dot (not blank: its operations go unlogged: the caller tells the user;
 * the file's record, last in ru->v, has the place); or -1 on an internal
 * inconsistency (reported).
 */
int rwunsafe_file(struct rwunsafe *ru, const char *path, const char *src,
		  size_t len, struct strbuf *out, int *changed);


/*
 * Append the Go source of the package's wrapper file (needs nslots > 0).
 * It names itself DIR/zz_goinstr_unsafe.go, in the package's directory,
 * wherever it is written: builds stay reproducible (-trimpath applies).
 */
void rwunsafe_support(const struct rwunsafe *ru, struct strbuf *out);

/*
 * Append the package's site table (the bytes of the constant string the
 * support file holds): the wrapped sites in slot order, in the format
 * inject/runtime/goinstr_unsafe.go decodes.
 */
void rwunsafe_site_table(const struct rwunsafe *ru, struct strbuf *out);

/*
 * Whether a source file is in the --unsafe scope: "all", "none", or
 * "main"/"deps" judged by the main modules' directories (mains, newline
 * separated): a file under one of them, not in its vendor/, is main.
 */
int unsafe_in_scope(const char *scope, const char *mains, const char *path);

/* Append one site as an inventory JSON object (no newline). */
void usite_json(const struct usite *s, struct strbuf *out);

#endif
