/*
 * rwunsafe.h - a package's unsafe sites and their wrappers, as
 * goinstr-types (gotypes.h, helper/) planned them: the sites, the edits
 * that wrap them, the package's wrapper file and site table.
 *
 * goinstr-types finds every unsafe operation by its types (docs/unsafe.md:
 * conversions from or to a type whose underlying type is unsafe.Pointer,
 * unsafe.Add, Slice, SliceData, String, StringData) and plans insertions
 * that never move an operand's read: each wrapped operation gets a tap, a
 * call that reads nothing of the program (goinstrU0(&goinstrUDone[N])),
 * combined with the operation's operand or result by an identity the
 * compiler folds away, so the call is evaluated among the statement's
 * calls and every operand where gc evaluates it. A site whose call is the
 * direct operand of another's is logged by that one's tap ("next" in the
 * site table). Every insertion ends with a line directive restoring the
 * position of the next byte: lines and columns never move.
 *
 * Once a site's flag is set its tap is a load and a branch (inlined; in a
 * declaration with more than 16 taps the call is out of line, goinstrU0C).
 * What an event says (op, site, the types converted from and to) is in
 * the package's site table, one constant string the runtime decodes on a
 * site's first hit (inject/runtime/goinstr_unsafe.go has its format).
 *
 * What the helper reports but cannot wrap is kept with the reason:
 * constants (unsafe.Sizeof...), operations never evaluated, sites in
 * //go:nosplit functions, calls into C, functions whose body is not Go,
 * //go:linkname pulls. Those that run unseen are blind spots (blind).
 */
#ifndef RWUNSAFE_H
#define RWUNSAFE_H

#include <stddef.h>

#include "strbuf.h"

struct usite {
	char *op;     /* "unsafe.Pointer", "unsafe.Add", ..., "cgo", "asm", "go:linkname" */
	char id[17];  /* hex prefix of SHA-256(file, line, col, op) */
	char *file;   /* as the compiler names it: after the compile's -trimpath */
	unsigned line, col;
	char *expr;   /* source text, cut at 120 bytes */
	char *from, *to; /* the types converted from and to (static), or NULL */
	int in;       /* the compile input it is in (the helper's file index) */
	int wrapped;
	int blind;    /* not wrapped, and it runs unseen */
	char *why;    /* not wrapped: the reason; wrapped: how */
	int slot;     /* index in goinstrUDone and the site table, -1 if none */
	int next;     /* the slot its first hit also logs, -1 if none */
};

struct uedit {
	int in;
	size_t off;
	char *text;
};

struct rwunsafe {
	char *pkgname;    /* the package clause's name */
	char *dir;        /* the directory of its first wrapped site's file */
	/*
	 * The compile's -trimpath rewrites (goenv.h's go_trimpath), or NULL:
	 * site records name files, and ids hash them, as the compiler names
	 * their positions. Set before rwunsafe_load.
	 */
	const char *trim;
	char *error;      /* the helper could not type-check the package: why */
	struct usite *v;
	size_t nr, alloc;
	struct uedit *e;
	size_t ne, ealloc;
	unsigned nslots;
};

void rwunsafe_init(struct rwunsafe *ru);
void rwunsafe_release(struct rwunsafe *ru);

/*
 * Read goinstr-types' output (len bytes of JSON Lines). 0, or -1
 * (reported: output goinstr does not understand). A package the helper
 * could not type-check is not an error here: ru->error says why.
 */
int rwunsafe_load(struct rwunsafe *ru, const char *out, size_t len);

/*
 * The rewrite of compile input in, whose source is src: its edits
 * applied (appended to out; *changed 0 and out untouched if it has none).
 * 0, or -1 (reported: an edit outside the source).
 */
int rwunsafe_apply(const struct rwunsafe *ru, int in, const char *src, size_t len,
		   struct strbuf *out, int *changed);

/*
 * Append the Go source of the package's wrapper file (needs nslots > 0).
 * It names itself DIR/zz_goinstr_unsafe.go, in the package's directory,
 * wherever it is written: builds stay reproducible (-trimpath applies).
 */
void rwunsafe_support(const struct rwunsafe *ru, struct strbuf *out);

/* Append the package's site table: the wrapped sites in slot order. */
void rwunsafe_site_table(const struct rwunsafe *ru, struct strbuf *out);

/*
 * Make ru the record of a package compiled without its taps: one blind
 * "package" site naming desc (its import path) with the reason why.
 */
void rwunsafe_blind_package(struct rwunsafe *ru, const char *desc, const char *why);

/*
 * Append a one-line summary of the package's blind spots ("2 calls into
 * C; 1 site in a //go:nosplit function"), nothing if it has none.
 */
void rwunsafe_blind(const struct rwunsafe *ru, struct strbuf *out);

/* Append one site as an inventory JSON object (no newline). */
void usite_json(const struct usite *s, struct strbuf *out);

#endif
