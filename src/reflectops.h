/*
 * reflectops.h - the catalogue of reflect operations: the category of each
 * exported function and method of package reflect, and the ones goinstr
 * deliberately leaves out, with the reason.
 *
 * Ops are named as in the log, "reflect.Value.Call", "reflect.NewAt",
 * "reflect.Type.MethodByName" (methods of the unexported *rtype, which
 * implements reflect.Type, are named after the interface).
 */
#ifndef REFLECTOPS_H
#define REFLECTOPS_H

#include <stddef.h>

#include "strbuf.h"

enum op_cat {
	CAT_CALL,      /* invoke functions and methods */
	CAT_UNSAFE,    /* raw pointers and addresses in or out */
	CAT_MUTATE,    /* write through a Value, channel operations */
	CAT_CONSTRUCT, /* make new values, functions and types */
	CAT_LOOKUP,    /* find members by name or index path */
	CAT_READ,      /* everything else: inspect values and types */
	CAT__N
};

#define CATS_ALL ((1u << CAT__N) - 1)
#define CATS_DEFAULT (CATS_ALL & ~(1u << CAT_READ))

const char *cat_name(enum op_cat c);
const char *cat_doc(enum op_cat c);
/* Parse "all", "default" or a comma list of category names into a mask;
 * 0, or -1 with a message in err. */
int cats_parse(const char *spec, unsigned *mask, struct strbuf *err);
/* Append the mask as a comma list of names ("call,unsafe,..."). */
void cats_format(unsigned mask, struct strbuf *out);

enum op_cat reflectop_cat(const char *op);
/* Why op is never instrumented, or NULL. */
const char *reflectop_excluded(const char *op);
/* The i-th op with a category of its own (not read), or NULL past the end:
 * tests check each still exists in the reflect sources. */
const char *reflectop_listed(size_t i);
/* Whether op's target is the function a Value holds (Value.Call...). */
int reflectop_calls_func(const char *op);
/* Whether op's target is a callee chosen at run time (Value.Call,
 * MethodByName, MakeFunc...): the call edges static analysis misses. op
 * is n bytes, not NUL-terminated. */
int reflectop_is_edge(const char *op, size_t n);

#endif
