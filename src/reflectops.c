/*
 * reflectops.c - categories of reflect operations.
 *
 * Every exported function or method not listed here is CAT_READ. The list
 * is checked against the real reflect sources (tests/unit/test_goroot.c):
 * a listed op that no longer exists fails the tests.
 */
#include "reflectops.h"

#include <string.h>

static const struct {
	const char *name, *doc;
} cats[CAT__N] = {
	[CAT_CALL] = { "call", "invoke functions and methods through reflection" },
	[CAT_UNSAFE] = { "unsafe", "take or build values from raw pointers and addresses" },
	[CAT_MUTATE] = { "mutate", "write through a Value; send, receive, close channels" },
	[CAT_CONSTRUCT] = { "construct", "make new values, functions and types" },
	[CAT_LOOKUP] = { "lookup", "find fields and methods by name or index path" },
	[CAT_READ] = { "read", "inspect values and types (kind, length, elements...)" },
};

static const struct {
	const char *op;
	enum op_cat cat;
} ops[] = {
	{ "reflect.Value.Call", CAT_CALL },
	{ "reflect.Value.CallSlice", CAT_CALL },
	{ "reflect.Value.Method", CAT_CALL },
	{ "reflect.Value.MethodByName", CAT_CALL },

	{ "reflect.NewAt", CAT_UNSAFE },
	{ "reflect.SliceAt", CAT_UNSAFE },
	{ "reflect.Value.UnsafePointer", CAT_UNSAFE },
	{ "reflect.Value.Pointer", CAT_UNSAFE },
	{ "reflect.Value.InterfaceData", CAT_UNSAFE },
	{ "reflect.Value.SetPointer", CAT_UNSAFE },
	{ "reflect.Value.Addr", CAT_UNSAFE },

	{ "reflect.Value.Set", CAT_MUTATE },
	{ "reflect.Value.SetBool", CAT_MUTATE },
	{ "reflect.Value.SetBytes", CAT_MUTATE },
	{ "reflect.Value.SetCap", CAT_MUTATE },
	{ "reflect.Value.SetComplex", CAT_MUTATE },
	{ "reflect.Value.SetFloat", CAT_MUTATE },
	{ "reflect.Value.SetInt", CAT_MUTATE },
	{ "reflect.Value.SetIterKey", CAT_MUTATE },
	{ "reflect.Value.SetIterValue", CAT_MUTATE },
	{ "reflect.Value.SetLen", CAT_MUTATE },
	{ "reflect.Value.SetMapIndex", CAT_MUTATE },
	{ "reflect.Value.SetString", CAT_MUTATE },
	{ "reflect.Value.SetUint", CAT_MUTATE },
	{ "reflect.Value.SetZero", CAT_MUTATE },
	{ "reflect.Value.Grow", CAT_MUTATE },
	{ "reflect.Value.Clear", CAT_MUTATE },
	{ "reflect.Value.Send", CAT_MUTATE },
	{ "reflect.Value.TrySend", CAT_MUTATE },
	{ "reflect.Value.Recv", CAT_MUTATE },
	{ "reflect.Value.TryRecv", CAT_MUTATE },
	{ "reflect.Value.Close", CAT_MUTATE },
	{ "reflect.Copy", CAT_MUTATE },
	{ "reflect.Select", CAT_MUTATE },
	{ "reflect.Swapper", CAT_MUTATE },

	{ "reflect.New", CAT_CONSTRUCT },
	{ "reflect.Zero", CAT_CONSTRUCT },
	{ "reflect.MakeFunc", CAT_CONSTRUCT },
	{ "reflect.MakeMap", CAT_CONSTRUCT },
	{ "reflect.MakeMapWithSize", CAT_CONSTRUCT },
	{ "reflect.MakeSlice", CAT_CONSTRUCT },
	{ "reflect.MakeChan", CAT_CONSTRUCT },
	{ "reflect.Append", CAT_CONSTRUCT },
	{ "reflect.AppendSlice", CAT_CONSTRUCT },
	{ "reflect.ArrayOf", CAT_CONSTRUCT },
	{ "reflect.ChanOf", CAT_CONSTRUCT },
	{ "reflect.FuncOf", CAT_CONSTRUCT },
	{ "reflect.MapOf", CAT_CONSTRUCT },
	{ "reflect.SliceOf", CAT_CONSTRUCT },
	{ "reflect.StructOf", CAT_CONSTRUCT },
	{ "reflect.PointerTo", CAT_CONSTRUCT },
	{ "reflect.PtrTo", CAT_CONSTRUCT },
	{ "reflect.ArenaNew", CAT_CONSTRUCT },
	{ "reflect.Value.Convert", CAT_CONSTRUCT },

	{ "reflect.Value.FieldByName", CAT_LOOKUP },
	{ "reflect.Value.FieldByNameFunc", CAT_LOOKUP },
	{ "reflect.Value.FieldByIndex", CAT_LOOKUP },
	{ "reflect.Value.FieldByIndexErr", CAT_LOOKUP },
	{ "reflect.Type.Method", CAT_LOOKUP },
	{ "reflect.Type.MethodByName", CAT_LOOKUP },
	{ "reflect.Type.FieldByName", CAT_LOOKUP },
	{ "reflect.Type.FieldByNameFunc", CAT_LOOKUP },
	{ "reflect.Type.FieldByIndex", CAT_LOOKUP },
	{ "reflect.VisibleFields", CAT_LOOKUP },
};

/*
 * Never instrumented. The compiler's own test (cmd/compile/internal/test,
 * inl_test.go) requires these to stay inlinable, and an entry hook that
 * reads the caller's PC makes a function non-inlinable; they are also the
 * cheapest, hottest accessors, where a hook would cost the most.
 */
static const char *const inliner_critical[] = {
	"reflect.Value.Bool", "reflect.Value.Bytes", "reflect.Value.CanAddr",
	"reflect.Value.CanComplex", "reflect.Value.CanFloat", "reflect.Value.CanInt",
	"reflect.Value.CanInterface", "reflect.Value.CanSet", "reflect.Value.CanUint",
	"reflect.Value.Cap", "reflect.Value.Complex", "reflect.Value.Float",
	"reflect.Value.Int", "reflect.Value.Interface", "reflect.Value.IsNil",
	"reflect.Value.IsValid", "reflect.Value.Kind", "reflect.Value.Len",
	"reflect.Value.MapRange", "reflect.Value.OverflowComplex",
	"reflect.Value.OverflowFloat", "reflect.Value.OverflowInt",
	"reflect.Value.OverflowUint", "reflect.Value.String", "reflect.Value.Type",
	"reflect.Value.Uint", "reflect.Value.UnsafeAddr",
};

const char *cat_name(enum op_cat c) { return cats[c].name; }
const char *cat_doc(enum op_cat c) { return cats[c].doc; }

enum op_cat reflectop_cat(const char *op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].op, op))
			return ops[i].cat;
	return CAT_READ;
}

/*
 * Also never instrumented: generic accessors whose callers rely on them
 * being inlined to stay allocation-free (reflect's own TestTypeAssertAllocs).
 */
static const char *const inlined_generic[] = { "reflect.TypeAssert" };

const char *reflectop_excluded(const char *op)
{
	for (size_t i = 0; i < sizeof(inliner_critical) / sizeof(*inliner_critical); i++)
		if (!strcmp(inliner_critical[i], op))
			return "inliner-critical: must stay inlinable (cmd/compile inl_test)";
	for (size_t i = 0; i < sizeof(inlined_generic) / sizeof(*inlined_generic); i++)
		if (!strcmp(inlined_generic[i], op))
			return "inliner-critical: allocation-free only when inlined (reflect TestTypeAssertAllocs)";
	return NULL;
}

const char *reflectop_listed(size_t i)
{
	return i < sizeof(ops) / sizeof(ops[0]) ? ops[i].op : NULL;
}

int reflectop_calls_func(const char *op)
{
	return !strcmp(op, "reflect.Value.Call") || !strcmp(op, "reflect.Value.CallSlice");
}

int reflectop_is_edge(const char *op, size_t n)
{
	static const char *const edge_ops[] = {
		"reflect.Value.Call",         "reflect.Value.CallSlice", "reflect.Value.Method",
		"reflect.Value.MethodByName", "reflect.Type.Method",     "reflect.Type.MethodByName",
		"reflect.MakeFunc",
	};

	for (size_t i = 0; i < sizeof(edge_ops) / sizeof(*edge_ops); i++)
		if (strlen(edge_ops[i]) == n && !memcmp(op, edge_ops[i], n))
			return 1;
	return 0;
}


int cats_parse(const char *spec, unsigned *mask, struct strbuf *err)
{
	unsigned m = 0;
	const char *p = spec;

	if (!strcmp(spec, "all")) {
		*mask = CATS_ALL;
		return 0;
	}
	if (!strcmp(spec, "default")) {
		*mask = CATS_DEFAULT;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int c = 0; c < CAT__N; c++)
			if (strlen(cats[c].name) == n && !strncmp(cats[c].name, p, n))
				m |= 1u << c, found = 1;
		if (!found) {
			strbuf_addf(err, "unknown op category '%.*s' in --ops "
				    "(want all, default or a comma list of "
				    "call,unsafe,mutate,construct,lookup,read)", (int)n, p);
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (!m) {
		strbuf_addstr(err, "--ops selects no category");
		return -1;
	}
	*mask = m;
	return 0;
}

void cats_format(unsigned mask, struct strbuf *out)
{
	int first = 1;

	for (int c = 0; c < CAT__N; c++)
		if (mask & (1u << c)) {
			if (!first)
				strbuf_addch(out, ',');
			strbuf_addstr(out, cats[c].name);
			first = 0;
		}
}
