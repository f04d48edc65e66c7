/*
 * rwreflect.h - rewrite package reflect: a logging hook at the entry of
 * every selected exported function and method.
 *
 * For each function, one statement is inserted right after the body's
 * opening brace, on the same line, so no line or column of the original
 * moves:
 *
 *	func (v Value) SetString(x string) {if goinstrOn { if goinstrPC := goinstrsys.GetCallerPC(); !goinstrIsInner(goinstrPC) { goinstrK := goinstrKey{pc: goinstrPC, tag: goinstrTag(12, goinstrTypeKey(v.typ()))}; if !goinstrHitTag(goinstrK) { goinstr12(goinstrK, v, x) } } };
 *
 * (the hook's fast path: dedup key, cache probe, all inlined), and the
 * package clause line gains `; import goinstrsys "internal/runtime/sys"`.
 * The helpers (goinstr12 ..., the slow path: a new key) and the op table
 * are generated into one added file by rwreflect_support(); the logger
 * they call is inject/reflect/goinstr_*.go.
 *
 * Files must be fed in a fixed order (sorted by name) for the output to be
 * deterministic: helper numbers are assigned in order.
 */
#ifndef RWREFLECT_H
#define RWREFLECT_H

#include <stddef.h>

#include "reflectops.h"
#include "strbuf.h"

/* Op numbers live in 9 bits of a dedup key (goinstrTag in the logger). */
#define RWREFLECT_MAX_HOOKS 512

enum op_status { OP_HOOKED, OP_UNSELECTED, OP_EXCLUDED };

struct reflect_op {
	char *name;        /* "reflect.Value.Call" */
	enum op_cat cat;
	enum op_status status;
	const char *why;   /* OP_EXCLUDED: reason (static) */
	char *file;        /* base name */
	unsigned line, col;
};

struct rwreflect {
	unsigned mask;        /* selected categories */
	int trust_goroot;     /* --trust-goroot: no manifest check; said in every log header */
	unsigned nhooks;      /* helpers generated so far */
	struct strbuf helpers; /* Go source of the helpers */
	struct strbuf table;   /* Go source of the op table entries */
	struct reflect_op *ops; /* every exported function seen, in order */
	size_t nops, allocops;
};

void rwreflect_init(struct rwreflect *rw, unsigned mask);
void rwreflect_release(struct rwreflect *rw);

/*
 * Rewrite one file of package reflect (name is its base name, for
 * messages and the catalogue). The result is appended to out; *hooks gets
 * the number of hooks inserted (0: out is a copy of src). Returns 0, or -1
 * on a syntax error or an internal inconsistency (reported).
 */
int rwreflect_file(struct rwreflect *rw, const char *name, const char *src,
		   size_t len, struct strbuf *out, unsigned *hooks);

/* Append the Go source of the generated file goinstr_ops.go. */
void rwreflect_support(struct rwreflect *rw, const char *version, struct strbuf *out);

#endif
