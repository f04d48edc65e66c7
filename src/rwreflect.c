/*
 * rwreflect.c - entry hooks for package reflect, located on the syntax tree.
 */
#include "rwreflect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "gosyn.h"
#include "util.h"

void rwreflect_init(struct rwreflect *rw, unsigned mask)
{
	memset(rw, 0, sizeof(*rw));
	rw->mask = mask;
	strbuf_init(&rw->helpers, 0);
	strbuf_init(&rw->table, 0);
}

void rwreflect_release(struct rwreflect *rw)
{
	for (size_t i = 0; i < rw->nops; i++) {
		free(rw->ops[i].name);
		free(rw->ops[i].file);
	}
	free(rw->ops);
	strbuf_release(&rw->helpers);
	strbuf_release(&rw->table);
}

/* How an argument of a given declared type is described in the log. */
enum enc {
	ENC_OPAQUE, /* not passed to the helper: named by its type only */
	ENC_VALUE, ENC_TYPE, ENC_STRING, ENC_INT, ENC_UINT, ENC_BOOL,
	ENC_FLOAT, ENC_KIND, ENC_ADDR, ENC_LEN,
};

static const struct {
	const char *type;
	enum enc enc;
} encs[] = {
	{ "Value", ENC_VALUE }, { "Type", ENC_TYPE },
	{ "string", ENC_STRING }, { "StructTag", ENC_STRING },
	{ "int", ENC_INT }, { "int8", ENC_INT }, { "int16", ENC_INT },
	{ "int32", ENC_INT }, { "int64", ENC_INT },
	{ "ChanDir", ENC_INT }, { "SelectDir", ENC_INT },
	{ "uint", ENC_UINT }, { "uint8", ENC_UINT }, { "uint16", ENC_UINT },
	{ "uint32", ENC_UINT }, { "uint64", ENC_UINT }, { "uintptr", ENC_UINT },
	{ "bool", ENC_BOOL }, { "float32", ENC_FLOAT }, { "float64", ENC_FLOAT },
	{ "Kind", ENC_KIND }, { "unsafe.Pointer", ENC_ADDR },
};

static enum enc enc_for(const char *type, int generic)
{
	if (generic)
		return ENC_OPAQUE; /* types may name type parameters */
	for (size_t i = 0; i < sizeof(encs) / sizeof(encs[0]); i++)
		if (!strcmp(encs[i].type, type))
			return encs[i].enc;
	if (!strncmp(type, "[]", 2) && !strchr(type, '\n'))
		return ENC_LEN;
	return ENC_OPAQUE;
}

struct param {
	char *name, *type; /* type: as declared; "...T" becomes "[]T" */
	enum enc enc;
};

struct fn {
	char *op;          /* reflect.Value.Call */
	const char *recv_kind; /* "Value", "rtype" or NULL: receiver not described */
	char *recv_name;
	struct param *p;
	size_t np;
};

static void fn_release(struct fn *f)
{
	free(f->op);
	free(f->recv_name);
	for (size_t i = 0; i < f->np; i++) {
		free(f->p[i].name);
		free(f->p[i].type);
	}
	free(f->p);
}

static void add_param(struct fn *f, char *name, const char *type, int generic)
{
	f->p = xrealloc(f->p, (f->np + 1) * sizeof(*f->p));
	f->p[f->np].name = name;
	f->p[f->np].type = xstrdup(type);
	f->p[f->np].enc = enc_for(type, generic);
	f->np++;
}

static void collect_params(const struct gosyn *g, TSNode list, struct fn *f, int generic)
{
	uint32_t n = ts_node_named_child_count(list);

	for (uint32_t i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(list, i);
		TSNode type = gosyn_field(d, "type");
		int variadic = gosyn_is(d, "variadic_parameter_declaration");
		struct strbuf t = STRBUF_INIT;
		int named = 0;

		if (ts_node_is_null(type))
			continue;
		if (variadic)
			strbuf_addstr(&t, "[]");
		{
			size_t len;
			const char *s = gosyn_text(g, type, &len);
			strbuf_add(&t, s, len);
		}
		uint32_t nc = ts_node_child_count(d);
		for (uint32_t j = 0; j < nc; j++) {
			const char *fld = ts_node_field_name_for_child(d, j);
			if (fld && !strcmp(fld, "name")) {
				add_param(f, gosyn_dup(g, ts_node_child(d, j)), t.buf, generic);
				named = 1;
			}
		}
		if (!named)
			add_param(f, xstrdup("_"), t.buf, generic);
		strbuf_release(&t);
	}
}

/*
 * Describe a top-level declaration. Returns 1 if it is an exported
 * function or a method of interest (f filled), 0 otherwise.
 */
static int describe(const struct gosyn *g, TSNode decl, struct fn *f)
{
	TSNode name = gosyn_field(decl, "name");
	TSNode tparams = gosyn_field(decl, "type_parameters");
	struct strbuf op = STRBUF_INIT;
	size_t len;
	const char *s;

	memset(f, 0, sizeof(*f));
	if (ts_node_is_null(name))
		return 0;
	s = gosyn_text(g, name, &len);
	if (!len || !isupper((unsigned char)s[0]))
		return 0;
	strbuf_addstr(&op, "reflect.");
	if (gosyn_is(decl, "method_declaration")) {
		TSNode recv = gosyn_field(decl, "receiver");
		TSNode pd = ts_node_named_child(recv, 0);
		TSNode rt = gosyn_field(pd, "type");
		TSNode rn = gosyn_field(pd, "name");
		int ptr = gosyn_is(rt, "pointer_type");
		size_t tl;
		const char *ts;

		if (ptr)
			rt = ts_node_named_child(rt, 0);
		if (!gosyn_is(rt, "type_identifier"))
			return strbuf_release(&op), 0;
		ts = gosyn_text(g, rt, &tl);
		if (tl == 5 && !memcmp(ts, "rtype", 5) && ptr) {
			strbuf_addstr(&op, "Type");
			f->recv_kind = "rtype";
		} else if (isupper((unsigned char)ts[0])) {
			strbuf_add(&op, ts, tl);
			if (tl == 5 && !memcmp(ts, "Value", 5) && !ptr)
				f->recv_kind = "Value";
		} else {
			return strbuf_release(&op), 0; /* unexported type */
		}
		strbuf_addch(&op, '.');
		if (f->recv_kind && !ts_node_is_null(rn) && !gosyn_eq(g, rn, "_"))
			f->recv_name = gosyn_dup(g, rn);
		else
			f->recv_kind = NULL;
	}
	strbuf_add(&op, s, len);
	f->op = strbuf_detach(&op, NULL);
	collect_params(g, gosyn_field(decl, "parameters"), f, !ts_node_is_null(tparams));
	return 1;
}

static const struct param *first_param(const struct fn *f, enum enc enc)
{
	for (size_t i = 0; i < f->np; i++)
		if (f->p[i].enc == enc && strcmp(f->p[i].name, "_"))
			return &f->p[i];
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The pieces of one hook (gen_helper), built by hook_params and hook_target. */
struct hook {
	int isval;            /* f's receiver is a Value */
	const char *hrtyp;    /* the receiver's *abi.Type, in the helper */
	const char *hit;      /* goinstrHitTag; goinstrHit where keys have t2, t3 */
	struct strbuf rtyp;   /* the receiver's *abi.Type, in f */
	struct strbuf key;    /* key fields set in the literal */
	struct strbuf keyset; /* statements completing the key */
	struct strbuf tgt;    /* the helper's target line */
	struct strbuf sig, pass; /* the helper's parameters after the key; f's names for them */
};

static void hook_release(struct hook *k)
{
	strbuf_release(&k->rtyp);
	strbuf_release(&k->key);
	strbuf_release(&k->keyset);
	strbuf_release(&k->tgt);
	strbuf_release(&k->sig);
	strbuf_release(&k->pass);
}

/* sig: the helper's parameters after the key; pass: f's names for them */
static void hook_params(struct hook *k, const struct fn *f)
{
	if (f->recv_kind) {
		strbuf_addstr(&k->sig, k->isval ? ", r Value" : ", r *rtype");
		strbuf_addf(&k->pass, ", %s", f->recv_name);
		strbuf_addf(&k->rtyp, k->isval ? "%s.typ()" : "goinstrRtype(%s)", f->recv_name);
	}
	for (size_t i = 0; i < f->np; i++) {
		if (f->p[i].enc == ENC_OPAQUE || !strcmp(f->p[i].name, "_"))
			continue;
		strbuf_addf(&k->sig, ", a%zu %s", i, f->p[i].type);
		strbuf_addf(&k->pass, ", %s", f->p[i].name);
	}
}

/* The target, and its part of the dedup key (cheap: hot path). */
static void hook_target(struct hook *k, const struct fn *f, unsigned id)
{
	const char *mname = strrchr(f->op, '.') + 1;
	const struct param *p;

	if (reflectop_calls_func(f->op) && k->isval) {
		strbuf_addf(&k->keyset, "goinstrK.tag, goinstrK.t2 = goinstrFuncKey(%u, %s); ", id, f->recv_name);
		k->hit = "goinstrHit";
		strbuf_addstr(&k->tgt, "\te.targetFunc(r)\n");
	} else if (k->rtyp.len && ends_with(mname, "ByName") && (p = first_param(f, ENC_STRING))) {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, goinstrTypeKey(%s))", id, k->rtyp.buf);
		strbuf_addf(&k->keyset, "if goinstrShortName(%s) { goinstrK = goinstrK.named(%s) } "
			    "else { goinstrK = goinstrK.namedSlow(%s) }; ", p->name, p->name, p->name);
		k->hit = "goinstrHit";
		strbuf_addf(&k->tgt, "\te.targetName(%s, a%zu)\n", k->hrtyp, (size_t)(p - f->p));
	} else if (k->rtyp.len && !strcmp(mname, "Method") && (p = first_param(f, ENC_INT))) {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, goinstrTypeKey(%s)), t2: goinstrIntKey(%s)", id, k->rtyp.buf, p->name);
		k->hit = "goinstrHit";
		strbuf_addf(&k->tgt, "\te.targetMethod(%s, int(a%zu))\n", k->hrtyp, (size_t)(p - f->p));
	} else if ((p = first_param(f, ENC_TYPE))) {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, goinstrTypeKey(goinstrAbi(%s)))", id, p->name);
		strbuf_addf(&k->tgt, "\te.targetType(goinstrAbi(a%zu))\n", (size_t)(p - f->p));
	} else if (!k->rtyp.len && (p = first_param(f, ENC_VALUE))) {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, goinstrTypeKey(%s.typ()))", id, p->name);
		strbuf_addf(&k->tgt, "\te.targetType(a%zu.typ())\n", (size_t)(p - f->p));
	} else if (k->rtyp.len) {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, goinstrTypeKey(%s))", id, k->rtyp.buf);
		strbuf_addf(&k->tgt, "\te.targetType(%s)\n", k->hrtyp);
	} else {
		strbuf_addf(&k->key, ", tag: goinstrTag(%u, 0)", id);
	}
}

/* The helper's lines that log f's arguments, into h. */
static void hook_args(struct strbuf *h, const struct fn *f)
{
	static const char *const fmt[] = {
		[ENC_VALUE] = "argValue(%s, a%zu)",
		[ENC_TYPE] = "argType(%s, a%zu)",
		[ENC_STRING] = "argString(%s, string(a%zu))",
		[ENC_INT] = "argInt(%s, int64(a%zu))",
		[ENC_UINT] = "argUint(%s, uint64(a%zu))",
		[ENC_BOOL] = "argBool(%s, a%zu)",
		[ENC_FLOAT] = "argFloat(%s, float64(a%zu))",
		[ENC_KIND] = "argKind(%s, a%zu)",
		[ENC_ADDR] = "argAddr(%s, uintptr(a%zu))",
		[ENC_LEN] = "argLen(%s, len(a%zu))",
	};

	for (size_t i = 0; i < f->np; i++) {
		const struct param *a = &f->p[i];
		struct strbuf q = STRBUF_INIT;

		if (!strcmp(a->name, "_"))
			continue;
		strbuf_addgoquoted(&q, a->name, strlen(a->name));
		strbuf_addstr(h, "\te.");
		if (a->enc == ENC_OPAQUE) {
			strbuf_addf(h, "argOpaque(%s, ", q.buf);
			strbuf_addgoquoted(h, a->type, strlen(a->type));
			strbuf_addch(h, ')');
		} else {
			strbuf_addf(h, fmt[a->enc], q.buf, i);
		}
		strbuf_addch(h, '\n');
		strbuf_release(&q);
	}
}

/*
 * Generate the hook for f as number id: its fast path goes into call (the
 * line inserted into f), its slow path, helper goinstrN, into rw->helpers.
 *
 * The fast path is inline in f, so a call whose key was seen costs no
 * function call: a caller inside reflect is dismissed by its return
 * address (goinstrIsInner), then the dedup key is built from the op, the
 * return address and a target, and looked up (goinstrHitTag compares
 * pc and tag where the target is a type or none, goinstrHit all four
 * words where t2, t3 hold a name, index or function). Only a key not
 * found calls goinstrN, which decides and logs it. Every name used
 * in the line starts with goinstr, so none shadows f's own.
 */
static void gen_helper(struct rwreflect *rw, const struct fn *f, unsigned id,
		       struct strbuf *call)
{
	struct strbuf *h = &rw->helpers;
	struct hook k = { 0, NULL, "goinstrHitTag", STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
			  STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };

	k.isval = f->recv_kind && !strcmp(f->recv_kind, "Value");
	k.hrtyp = k.isval ? "r.typ()" : "goinstrRtype(r)";
	hook_params(&k, f);
	hook_target(&k, f, id);
	strbuf_addf(call, "if goinstrOn { if goinstrPC := goinstrsys.GetCallerPC(); "
		    "!goinstrIsInner(goinstrPC) { goinstrK := goinstrKey{"
		    "pc: goinstrPC%s}; %sif !%s(goinstrK) { goinstr%u(goinstrK%s) } } };",
		    k.key.buf, k.keyset.buf, k.hit, id, k.pass.buf);

	strbuf_addf(h, "\n//go:noinline\nfunc goinstr%u(k goinstrKey%s) {\n", id, k.sig.buf);
	strbuf_addstr(h, "\te := goinstrBegin(&k)\n\tif e == nil {\n\t\treturn\n\t}\n"
		      "\tdefer e.end()\n");
	if (f->recv_kind)
		strbuf_addstr(h, !strcmp(f->recv_kind, "Value") ? "\te.recvValue(r)\n"
								 : "\te.recvType(r)\n");
	hook_args(h, f);
	strbuf_add(h, k.tgt.buf, k.tgt.len);
	strbuf_addstr(h, "}\n");
	hook_release(&k);

	strbuf_addstr(&rw->table, "\t{");
	strbuf_addgoquoted(&rw->table, f->op, strlen(f->op));
	strbuf_addf(&rw->table, ", \"%s\"},\n", cat_name(reflectop_cat(f->op)));
}

static void record(struct rwreflect *rw, const struct gosyn *g, TSNode decl,
		   const char *file, const struct fn *f, enum op_status st, const char *why)
{
	struct reflect_op *o;

	if (rw->nops == rw->allocops) {
		rw->allocops = rw->allocops ? 2 * rw->allocops : 64;
		rw->ops = xrealloc(rw->ops, rw->allocops * sizeof(*rw->ops));
	}
	o = &rw->ops[rw->nops++];
	o->name = xstrdup(f->op);
	o->cat = reflectop_cat(f->op);
	o->status = st;
	o->why = why;
	o->file = xstrdup(file);
	gosyn_linecol(g, ts_node_start_byte(decl), &o->line, &o->col);
}

int rwreflect_file(struct rwreflect *rw, const char *name, const char *src,
		   size_t len, struct strbuf *out, unsigned *hooks)
{
	struct gosyn g;
	struct editbuf eb;
	size_t at;
	int ret = 0;
	unsigned n = 0;
	TSNode pkg = { 0 };

	*hooks = 0;
	if (gosyn_parse(&g, src, len) < 0)
		return -1;
	if (gosyn_has_error(&g, &at)) {
		unsigned l, c;
		gosyn_linecol(&g, at, &l, &c);
		gosyn_release(&g);
		return error("syntax error in '%s' at %u:%u", name, l, c);
	}
	editbuf_init(&eb, src, len);
	uint32_t nc = ts_node_named_child_count(g.root);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode d = ts_node_named_child(g.root, i);
		TSNode body;
		struct fn f;

		if (gosyn_is(d, "package_clause"))
			pkg = d;
		if (!gosyn_is(d, "function_declaration") && !gosyn_is(d, "method_declaration"))
			continue;
		if (!describe(&g, d, &f))
			continue;
		body = gosyn_field(d, "body");
		const char *why = reflectop_excluded(f.op);
		if (!why && gosyn_has_directive(&g, d, "//go:nosplit"))
			why = "nosplit: no room on the stack for a hook";
		if (!why && ts_node_is_null(body))
			why = "no body: implemented outside Go";
		if (why) {
			record(rw, &g, d, name, &f, OP_EXCLUDED, why);
		} else if (!(rw->mask & (1u << reflectop_cat(f.op)))) {
			record(rw, &g, d, name, &f, OP_UNSELECTED, NULL);
		} else if (rw->nhooks >= RWREFLECT_MAX_HOOKS) {
			/* the op number must fit its bits of a key's tag */
			fn_release(&f);
			ret = error("'%s': more than %d hooked functions in package reflect",
				    name, RWREFLECT_MAX_HOOKS);
			goto out;
		} else {
			struct strbuf call = STRBUF_INIT;
			unsigned id = rw->nhooks++;
			gen_helper(rw, &f, id, &call);
			/* Right after '{': the body's first token stays where it was. */
			edit_insert(&eb, ts_node_start_byte(body) + 1, call.buf);
			strbuf_release(&call);
			record(rw, &g, d, name, &f, OP_HOOKED, NULL);
			n++;
		}
		fn_release(&f);
	}
	if (n) {
		if (ts_node_is_null(pkg)) {
			ret = error("no package clause in '%s'", name);
			goto out;
		}
		edit_insert(&eb, ts_node_end_byte(pkg),
			    "; import goinstrsys \"internal/runtime/sys\"");
	}
	ret = edit_apply(&eb, out);
	*hooks = n;
out:
	editbuf_release(&eb);
	gosyn_release(&g);
	return ret;
}

void rwreflect_support(struct rwreflect *rw, const char *version, struct strbuf *out)
{
	struct strbuf sel = STRBUF_INIT;

	cats_format(rw->mask, &sel);
	strbuf_addstr(out,
		"// Code generated by goinstr. DO NOT EDIT.\n\n"
		"// The helpers that goinstr's entry hooks call, one per instrumented\n"
		"// function of package reflect, and the table of op names.\n\n"
		"package reflect\n\n"
		"import \"unsafe\"\n\n"
		"var _ unsafe.Pointer\n\n");
	strbuf_addstr(out, "const goinstrVersion = ");
	strbuf_addgoquoted(out, version, strlen(version));
	strbuf_addf(out, "\n\n// goinstrTrustGoroot: built with --trust-goroot (GOROOT not verified).\n"
		    "const goinstrTrustGoroot = %s", rw->trust_goroot ? "true" : "false");
	strbuf_addstr(out, "\n\nconst goinstrSelected = ");
	strbuf_addgoquoted(out, sel.buf, sel.len);
	strbuf_addstr(out, "\n\nvar goinstrOps = [...]struct{ name, cat string }{\n");
	strbuf_add(out, rw->table.buf, rw->table.len);
	strbuf_addstr(out, "}\n");
	strbuf_add(out, rw->helpers.buf, rw->helpers.len);
	strbuf_release(&sel);
}
