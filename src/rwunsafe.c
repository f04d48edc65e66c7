/*
 * rwunsafe.c - wrappers around unsafe operations, located on the syntax tree.
 */
#include "rwunsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "goenv.h"
#include "gosyn.h"
#include "hash.h"
#include "htab.h"
#include "util.h"

#define MAX_EXPR 120

void rwunsafe_init(struct rwunsafe *ru, int generics)
{
	memset(ru, 0, sizeof(*ru));
	ru->generics = generics;
}

void rwunsafe_release(struct rwunsafe *ru)
{
	for (size_t i = 0; i < ru->nr; i++) {
		free(ru->v[i].op);
		free(ru->v[i].file);
		free(ru->v[i].expr);
		free(ru->v[i].to);
	}
	free(ru->v);
	free(ru->pkgname);
	free(ru->dir);
	memset(ru, 0, sizeof(*ru));
}

/*
 * The names a file's calls of package unsafe go by: its name for the
 * package (import u "unsafe"), bit 0 of a scope mask, and with a dot
 * import the operations themselves, bits 1 and up in this order.
 */
static const char *const dot_names[] = { "Pointer", "Add", "Slice", "SliceData", "String",
					 "StringData", "Sizeof", "Alignof", "Offsetof" };
enum { NDOT = sizeof(dot_names) / sizeof(*dot_names) };

/*
 * What the walk does with each kind of node, by its grammar symbol (a
 * table, so that a node costs no string comparison).
 */
enum kind {
	K_OTHER, K_COMMENT, K_CALL,
	K_FUNC,     /* function or method declaration: a scope, maybe //go:nosplit */
	K_FUNCLIT,  /* a scope whose parameters are declared in it */
	K_SCOPE,    /* a block or a statement with an implicit block */
	K_SHORTVAR, /* x := ... */
	K_DEFINE,   /* range clause, receive statement: x := when it has := */
	K_NAMES,    /* var, const, type parameter: its identifiers are names */
	K_TYPESPEC, /* type T ... */
	K_EXPRLIST, /* an expression list: switch x := y.(type) */
	K_PARAM,    /* a parameter: a name if a function's, not a type's */
};

static unsigned char *kinds;

static enum kind kind_of(TSNode n)
{
	static const struct {
		const char *type;
		enum kind k;
	} table[] = {
		{ "comment", K_COMMENT }, { "call_expression", K_CALL },
		{ "function_declaration", K_FUNC }, { "method_declaration", K_FUNC },
		{ "func_literal", K_FUNCLIT }, { "block", K_SCOPE }, { "if_statement", K_SCOPE },
		{ "for_statement", K_SCOPE }, { "expression_switch_statement", K_SCOPE },
		{ "type_switch_statement", K_SCOPE }, { "select_statement", K_SCOPE },
		{ "expression_case", K_SCOPE }, { "default_case", K_SCOPE },
		{ "type_case", K_SCOPE }, { "communication_case", K_SCOPE },
		{ "short_var_declaration", K_SHORTVAR }, { "range_clause", K_DEFINE },
		{ "receive_statement", K_DEFINE }, { "var_spec", K_NAMES }, { "const_spec", K_NAMES },
		{ "type_parameter_declaration", K_NAMES }, { "type_spec", K_TYPESPEC },
		{ "type_alias", K_TYPESPEC }, { "expression_list", K_EXPRLIST },
		{ "parameter_declaration", K_PARAM }, { "variadic_parameter_declaration", K_PARAM },
	};
	static uint32_t count;
	TSSymbol sym = ts_node_symbol(n);

	if (!kinds) {
		count = gosyn_nsymbols();
		kinds = xcalloc(count, 1);
		for (uint32_t i = 0; i < count; i++)
			for (size_t j = 0; j < sizeof(table) / sizeof(*table); j++)
				if (!strcmp(gosyn_symbol_name((TSSymbol)i), table[j].type))
					kinds[i] = (unsigned char)table[j].k;
	}
	return sym < count ? (enum kind)kinds[sym] : K_OTHER;
}

/* What a node of the walk keeps until it is left. */
struct frame {
	size_t close;      /* where its wrapper's ")" goes, or 0 */
	unsigned mask;     /* the scope mask to restore (scope nodes) */
	int nosplit;       /* w->nosplit to restore (function declarations) */
	int directive;     /* for its children: the comments so far hold //go:nosplit */
};

/* State while walking one file. */
struct walk {
	struct rwunsafe *ru;
	const struct gosyn *g;
	struct editbuf *eb;
	const char *uname; /* the file's name for package unsafe, or NULL */
	int dot;           /* unsafe is dot-imported */
	const char *skip;  /* sites found get this reason (cgo file...) */
	int nosplit;       /* inside a //go:nosplit function */
	int changed;
	/* Names above declared in an enclosing local scope: they are not
	 * package unsafe's there. */
	unsigned mask;
	struct frame *fr;  /* fr[d]: the node at depth d and its ancestors */
	size_t nfr;
	const struct gosyn_path *anc; /* ancestors of the node being visited */
	size_t fn_edit0;   /* the first edit of the function being walked */
	unsigned fn_sites; /* and its wrapped sites so far */
	struct strbuf key, hex, text; /* scratch */
	char *file;        /* path after -trimpath, for every site */
};

static struct usite *add_site(struct walk *w, const char *op, TSNode n, TSNode exprnode)
{
	struct rwunsafe *ru = w->ru;
	struct usite *s;
	size_t len;
	const char *text = gosyn_text(w->g, exprnode, &len);

	if (ru->nr == ru->alloc) {
		ru->alloc = ru->alloc ? 2 * ru->alloc : 32;
		ru->v = xrealloc(ru->v, ru->alloc * sizeof(*ru->v));
	}
	s = &ru->v[ru->nr++];
	memset(s, 0, sizeof(*s));
	s->op = xstrdup(op);
	s->file = xstrdup(w->file);
	gosyn_linecol(w->g, ts_node_start_byte(n), &s->line, &s->col);
	if (len > MAX_EXPR) { /* cut on a UTF-8 boundary */
		len = MAX_EXPR;
		while (len && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	s->expr = xstrndup(text, len);
	s->slot = -1;
	strbuf_reset(&w->key);
	strbuf_reset(&w->hex);
	strbuf_addf(&w->key, "%s:%u:%u:%s", s->file, s->line, s->col, op);
	sha256_buf_hex(w->key.buf, w->key.len, &w->hex);
	memcpy(s->id, w->hex.buf, 16);
	s->id[16] = '\0';
	return s;
}

/* Insert text at off, then a line directive restoring off's position. */
static void insert(struct walk *w, size_t off, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned l, c;

	gosyn_linecol(w->g, off, &l, &c);
	strbuf_addf(&sb, "%s/*line :%u:%u*/", text, l, c);
	edit_insert(w->eb, off, sb.buf);
	strbuf_release(&sb);
	w->changed = 1;
}

static TSNode unparen(TSNode n)
{
	while (gosyn_is(n, "parenthesized_expression"))
		n = ts_node_named_child(n, 0);
	return n;
}

/*
 * Whether an operand of unsafe.Pointer may be passed through a function
 * first: a pointer-shaped variable, field, element or address, never
 * uintptr arithmetic, a conversion or a call result (reflect's Pointer and
 * syscall results must be converted in the same expression), nor nil.
 */
static int plain_operand(struct walk *w, TSNode x)
{
	x = unparen(x);
	if (gosyn_is(x, "identifier"))
		return !gosyn_eq(w->g, x, "nil") && !gosyn_eq(w->g, x, "iota");
	if (gosyn_is(x, "unary_expression")) {
		TSNode op = gosyn_field(x, "operator");
		return gosyn_eq(w->g, op, "&");
	}
	return gosyn_is(x, "selector_expression") || gosyn_is(x, "index_expression");
}

/* The argument list's only argument, or a null node. */
static TSNode sole_arg(TSNode call)
{
	TSNode args = gosyn_field(call, "arguments");
	TSNode null = { 0 };
	return ts_node_named_child_count(args) == 1 ? ts_node_named_child(args, 0) : null;
}

/* The k-th ancestor of the node being visited (1: its parent), or a null node. */
static TSNode up(const struct walk *w, size_t k)
{
	TSNode null = { 0 };
	return k <= w->anc->n ? w->anc->v[w->anc->n - k] : null;
}

/*
 * If the call being visited is the sole argument of a conversion call C,
 * return C (*depth: how many levels up); else a null node. Only forms that
 * can't be function calls count: (*T)(...) and uintptr(...).
 */
static TSNode enclosing_conversion(struct walk *w, size_t *depth, int *to_uintptr)
{
	TSNode args = up(w, 1), call, fn, null = { 0 };

	*to_uintptr = 0;
	*depth = 1;
	if (gosyn_is(args, "type_conversion_expression"))
		return args; /* (*[2]T)(x): the grammar's own conversion node */
	if (!gosyn_is(args, "argument_list") || ts_node_named_child_count(args) != 1)
		return null;
	call = up(w, 2);
	*depth = 2;
	fn = gosyn_field(call, "function");
	if (gosyn_is(fn, "identifier") && gosyn_eq(w->g, fn, "uintptr")) {
		*to_uintptr = 1;
		return call;
	}
	if (gosyn_is(fn, "parenthesized_expression")) {
		TSNode in = ts_node_named_child(fn, 0);
		if (gosyn_is(in, "unary_expression") || gosyn_is(in, "pointer_type"))
			return call;
	}
	return null;
}

/*
 * For the keepalive form f(uintptr(unsafe.Pointer(X))), the conversion k
 * levels up: the statement to put the log call before, or a null node
 * (with *why) if there is none the call surely executes in: package
 * level, an else-if condition.
 */
static TSNode statement_of(struct walk *w, size_t k, const char **why)
{
	TSNode null = { 0 };

	for (; k < w->anc->n; k++) {
		TSNode p = up(w, k + 1);
		const char *t = ts_node_type(p);
		if (!strcmp(t, "statement_list"))
			return up(w, k);
		if (!strcmp(t, "if_statement") && gosyn_is(up(w, k + 2), "if_statement")) {
			*why = "keepalive argument in an else-if header: no statement to log before";
			return null;
		}
		if (!strcmp(t, "func_literal") || !strcmp(t, "function_declaration") ||
		    !strcmp(t, "method_declaration") || !strcmp(t, "source_file"))
			break;
	}
	*why = "keepalive argument outside a statement list (e.g. package level): left as is";
	return null;
}

static void wrap(struct walk *w, struct usite *s, const char *how)
{
	w->fn_sites++;
	s->wrapped = 1;
	s->why = how;
	s->slot = (int)w->ru->nslots++;
}

/*
 * Record the site of the call being visited, to unsafe.<name>, and queue
 * its opening edit. Returns the offset where the wrapper's closing
 * parenthesis goes (queued when the call is left, after its children, so
 * nested wrappers close innermost first), or 0 if there is none.
 */
static size_t site_call(struct walk *w, TSNode call, const char *name)
{
	size_t close = 0, cdepth = 0;
	static const char *const consts[] = { "Sizeof", "Alignof", "Offsetof" };
	static const char *const ops[] = { "Pointer", "Add", "Slice", "SliceData",
					   "String", "StringData" };
	struct strbuf op = STRBUF_INIT, *text = &w->text;
	struct usite *s;
	TSNode exprnode = call, conv;
	int known = 0, to_uintptr = 0;

	strbuf_reset(text);
	strbuf_addf(&op, "unsafe.%s", name);
	for (size_t i = 0; i < sizeof(consts) / sizeof(*consts); i++)
		if (!strcmp(name, consts[i])) {
			s = add_site(w, op.buf, call, call);
			s->why = "constant: evaluated at compile time, never wrapped";
			goto out;
		}
	for (size_t i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		known |= !strcmp(name, ops[i]);
	if (!known)
		goto out; /* unsafe.Pointer as a type, or not an operation */

	conv = enclosing_conversion(w, &cdepth, &to_uintptr);
	if (!strcmp(name, "Pointer") && !ts_node_is_null(conv) && !to_uintptr)
		exprnode = conv; /* the cast pattern (*T)(unsafe.Pointer(p)) */
	s = add_site(w, op.buf, call, exprnode);
	if (!strcmp(name, "Pointer") && !ts_node_is_null(conv)) {
		TSNode fn = gosyn_field(conv, "function");
		if (gosyn_is(conv, "type_conversion_expression"))
			fn = gosyn_field(conv, "type");
		if (gosyn_is(fn, "parenthesized_expression") || gosyn_is(fn, "parenthesized_type"))
			fn = ts_node_named_child(fn, 0);
		s->to = to_uintptr ? xstrdup("uintptr") : gosyn_dup(w->g, fn);
	}
	if (w->skip) {
		s->why = w->skip;
		goto out;
	}
	if (w->nosplit) {
		s->why = "inside a //go:nosplit function: no calls added there";
		goto out;
	}

	if (!strcmp(name, "Pointer")) {
		TSNode x = sole_arg(call);
		if (ts_node_is_null(x)) {
			s->why = "not a conversion with one operand";
			goto out;
		}
		if (to_uintptr && gosyn_is(up(w, cdepth + 2), "call_expression")) {
			/* f(uintptr(unsafe.Pointer(p))): the form the compiler keeps p alive for */
			const char *why = NULL;
			TSNode st = statement_of(w, cdepth, &why);
			if (ts_node_is_null(st)) {
				s->why = why;
				goto out;
			}
			wrap(w, s, "logged before its statement (keepalive form kept)");
			strbuf_addf(text, "goinstrUK(&goinstrUDone[%d]); ", s->slot);
			insert(w, ts_node_start_byte(st), text->buf);
		} else if (w->ru->generics && plain_operand(w, x)) {
			wrap(w, s, "operand wrapped: its type is recorded");
			strbuf_addf(text, "goinstrUF(&goinstrUDone[%d], ", s->slot);
			insert(w, ts_node_start_byte(x), text->buf);
			close = ts_node_end_byte(x);
		} else {
			wrap(w, s, "result wrapped: the conversion stays whole");
			strbuf_addf(text, "goinstrUP(&goinstrUDone[%d], ", s->slot);
			insert(w, ts_node_start_byte(call), text->buf);
			close = ts_node_end_byte(call);
		}
		goto out;
	}
	{
		const char *fn = "goinstrUP"; /* Add */
		if (!strcmp(name, "String"))
			fn = "goinstrUStr";
		else if (!strcmp(name, "Slice"))
			fn = "goinstrUS";
		else if (!strcmp(name, "SliceData") || !strcmp(name, "StringData"))
			fn = "goinstrUF";
		if ((!strcmp(fn, "goinstrUS") || !strcmp(fn, "goinstrUF")) && !w->ru->generics) {
			s->why = "needs generics to wrap; the package's language version is before go1.18";
			goto out;
		}
		wrap(w, s, "result wrapped");
		strbuf_addf(text, "%s(&goinstrUDone[%d], ", fn, s->slot);
		insert(w, ts_node_start_byte(call), text->buf);
		close = ts_node_end_byte(call);
	}
out:
	strbuf_release(&op);
	return close;
}

/* The mask bit of a declared name that hides one of package unsafe's, or 0. */
static unsigned name_bit(const struct walk *w, TSNode id)
{
	if (w->uname && gosyn_eq(w->g, id, w->uname))
		return 1;
	for (unsigned i = 0; w->dot && i < NDOT; i++)
		if (gosyn_eq(w->g, id, dot_names[i]))
			return 2u << i;
	return 0;
}

/* Declare the identifiers among n's children. */
static void declare(struct walk *w, TSNode n)
{
	TSTreeCursor c = ts_tree_cursor_new(n);

	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (gosyn_is(k, "identifier"))
				w->mask |= name_bit(w, k);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* Whether n has a := token among its children. */
static int defines(TSNode n)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	int found = 0;

	if (ts_tree_cursor_goto_first_child(&c)) {
		do
			found = gosyn_is(ts_tree_cursor_current_node(&c), ":=");
		while (!found && ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/*
 * A node left: the names it declares in its scope (from here on, as Go
 * scopes a local declaration from its end; parameters before the body).
 */
static void declare_names(struct walk *w, TSNode n, enum kind k)
{
	TSNode f;

	switch (k) {
	case K_SHORTVAR:
		declare(w, gosyn_field(n, "left"));
		break;
	case K_DEFINE:
		if (defines(n))
			declare(w, gosyn_field(n, "left"));
		break;
	case K_NAMES: /* names; the values are in an expression_list */
		declare(w, n);
		break;
	case K_TYPESPEC:
		w->mask |= name_bit(w, gosyn_field(n, "name"));
		break;
	case K_EXPRLIST: /* switch x := y.(type) */
		if (gosyn_is(up(w, 1), "type_switch_statement"))
			declare(w, n);
		break;
	case K_PARAM: /* a function's, not a function type's */
		f = up(w, 2);
		if (gosyn_is(f, "function_declaration") || gosyn_is(f, "method_declaration") ||
		    gosyn_is(f, "func_literal"))
			declare(w, n);
		break;
	default:
		break;
	}
}

/* The name of an unsafe operation if call is one (unsafe.X(...), or X(...)
 * with a dot import), unless a local declaration hides it. */
static const char *unsafe_call(struct walk *w, TSNode call, size_t *len)
{
	TSNode fn = gosyn_field(call, "function");

	if (gosyn_is(fn, "selector_expression")) {
		TSNode operand = gosyn_field(fn, "operand");
		if (!w->uname || (w->mask & 1) || !gosyn_is(operand, "identifier") ||
		    !gosyn_eq(w->g, operand, w->uname))
			return NULL;
		return gosyn_text(w->g, gosyn_field(fn, "field"), len);
	}
	if (w->dot && gosyn_is(fn, "identifier")) {
		unsigned bit = name_bit(w, fn);
		if (bit > 1 && !(w->mask & bit))
			return gosyn_text(w->g, fn, len);
	}
	return NULL;
}

/*
 * A function left: with more than CALL_SHAPE wrapped sites (its function
 * literals' included), its wrappers are the ones called out of line
 * (goinstrUPC ...), not those the compiler inlines. Inlined at every site
 * of code dense in them (transpiled C: modernc.org/sqlite has 46,000),
 * the checks grow the compile time and the binary by half or more; called
 * where they are dense, they cost that code's run time a little more
 * instead. (Measured on modernc.org/sqlite's lib package, whose functions
 * with more than 16 sites hold two thirds of its sites: README,
 * "Performance".)
 */
enum { CALL_SHAPE = 16 };

static void call_shape(struct walk *w)
{
	if (w->fn_sites <= CALL_SHAPE)
		return;
	for (size_t i = w->fn_edit0; i < w->eb->nr; i++) {
		const struct edit *e = &w->eb->v[i];
		const char *paren = memchr(e->text, '(', e->len);
		if (e->len > 8 && !memcmp(e->text, "goinstrU", 8) && paren) {
			strbuf_reset(&w->text);
			strbuf_add(&w->text, e->text, (size_t)(paren - e->text));
			strbuf_addch(&w->text, 'C');
			strbuf_add(&w->text, paren, e->len - (size_t)(paren - e->text));
			edit_retext(w->eb, i, w->text.buf, w->text.len);
		}
	}
}

static int visit(void *ctx, const struct gosyn_path *path, TSNode n, int leave)
{
	struct walk *w = ctx;
	size_t d = path->n;
	enum kind k = kind_of(n);
	struct frame *f;

	w->anc = path;
	if (leave) {
		f = &w->fr[d];
		if (f->close)
			insert(w, f->close, ")");
		if (k == K_FUNC) {
			w->nosplit = f->nosplit;
			call_shape(w);
		}
		if (k == K_FUNC || k == K_FUNCLIT || k == K_SCOPE)
			w->mask = f->mask;
		declare_names(w, n, k);
		return 0;
	}
	if (d == w->nfr) {
		w->nfr = w->nfr ? 2 * w->nfr : 64;
		w->fr = xrealloc(w->fr, w->nfr * sizeof(*w->fr));
	}
	f = &w->fr[d];
	memset(f, 0, sizeof(*f));
	f->mask = w->mask;
	f->nosplit = w->nosplit;
	if (k == K_COMMENT) {
		size_t len;
		const char *t = gosyn_text(w->g, n, &len);
		if (d)
			w->fr[d - 1].directive |= len == 12 && !memcmp(t, "//go:nosplit", 12);
		/* //go:linkname local target: a pull of another package's symbol */
		if (len > 14 && !strncmp(t, "//go:linkname ", 14) && memchr(t + 14, ' ', len - 14)) {
			struct usite *s = add_site(w, "go:linkname", n, n);
			s->why = "linkname pull: reaches another package's internals";
		}
		return 1;
	}
	if (k == K_FUNC) { /* the comments right before it */
		w->nosplit = d && w->fr[d - 1].directive;
		w->fn_edit0 = w->eb->nr;
		w->fn_sites = 0;
	}
	if (d && ts_node_is_named(n))
		w->fr[d - 1].directive = 0;
	if (k == K_CALL) {
		size_t len;
		const char *name = unsafe_call(w, n, &len);
		if (name) {
			char buf[32];
			snprintf(buf, sizeof(buf), "%.*s", (int)(len < 31 ? len : 31), name);
			f->close = site_call(w, n, buf);
		}
	}
	return 0;
}

/*
 * How the file imports package unsafe: *uname its name (NULL if not by
 * name), *dot for a dot import, *any for any import (blank too); whether it
 * imports "C"; and its package clause. Only the declarations up to the
 * last import are looked at (imports come first in Go).
 */
static void imports(const struct gosyn *g, char **uname, int *dot, int *any, int *cgo,
		    TSNode *pkg)
{
	TSTreeCursor c = ts_tree_cursor_new(g->root);

	*uname = NULL;
	*dot = *any = *cgo = 0;
	memset(pkg, 0, sizeof(*pkg));
	if (!ts_tree_cursor_goto_first_child(&c))
		goto out;
	do {
		TSNode d = ts_tree_cursor_current_node(&c);
		if (gosyn_is(d, "package_clause")) {
			if (ts_node_is_null(*pkg))
				*pkg = d;
			continue;
		}
		if (!ts_node_is_named(d) || gosyn_is(d, "comment"))
			continue;
		if (!gosyn_is(d, "import_declaration"))
			break;
		/* import_spec directly, or inside an import_spec_list */
		TSTreeCursor s = ts_tree_cursor_new(d);
		int ok = ts_tree_cursor_goto_first_child(&s);
		while (ok) {
			TSNode spec = ts_tree_cursor_current_node(&s);
			if (gosyn_is(spec, "import_spec_list")) {
				ok = ts_tree_cursor_goto_first_child(&s);
				continue;
			}
			if (gosyn_is(spec, "import_spec")) {
				TSNode path = gosyn_field(spec, "path"), nm = gosyn_field(spec, "name");
				if (gosyn_eq(g, path, "\"C\""))
					*cgo = 1;
				if (gosyn_eq(g, path, "\"unsafe\"")) {
					*any = 1;
					if (ts_node_is_null(nm)) {
						free(*uname);
						*uname = xstrdup("unsafe");
					} else if (gosyn_is(nm, "package_identifier")) {
						free(*uname);
						*uname = gosyn_dup(g, nm);
					} else if (gosyn_is(nm, "dot")) {
						*dot = 1;
					}
				}
			}
			ok = ts_tree_cursor_goto_next_sibling(&s);
		}
		ts_tree_cursor_delete(&s);
	} while (ts_tree_cursor_goto_next_sibling(&c));
out:
	ts_tree_cursor_delete(&c);
}

int rwunsafe_file(struct rwunsafe *ru, const char *path, const char *src,
		  size_t len, struct strbuf *out, int *changed)
{
	struct gosyn g;
	struct editbuf eb;
	struct walk w = { 0 };
	struct strbuf file = STRBUF_INIT;
	size_t at;
	int cgo, dot, any, ret = 0;
	char *uname;
	TSNode pkg;

	*changed = 0;
	if (gosyn_parse(&g, src, len) < 0)
		return -1;
	editbuf_init(&eb, src, len);
	go_trimpath(path, ru->trim, &file);
	w.ru = ru, w.g = &g, w.eb = &eb, w.file = file.buf;
	strbuf_init(&w.key, 0);
	strbuf_init(&w.hex, 0);
	strbuf_init(&w.text, 0);
	imports(&g, &uname, &dot, &any, &cgo, &pkg);
	if (gosyn_has_error(&g, &at)) {
		/* Recorded where the first error is, so a user can look. */
		TSNode n = ts_node_descendant_for_byte_range(g.root, (uint32_t)at, (uint32_t)at);
		struct usite *s = add_site(&w, "file", n, g.root);
		free(s->expr);
		s->expr = xstrdup("");
		s->why = "does not parse with tree-sitter-go 0.25.0 (newer syntax?): left as is";
		ret = uname || dot; /* not for a blank import: nothing to log */
		goto out;
	}
	w.uname = uname;
	w.dot = dot;
	if (cgo)
		w.skip = "cgo file: left as is";
	/* Without unsafe there are no operations, nor linkname pulls. */
	if (uname || dot) {
		struct gosyn_path none = { 0 };
		w.anc = &none;
		gosyn_walk(g.root, visit, &w);
	}
	if (w.changed) {
		struct strbuf head = STRBUF_INIT;
		if (!ru->pkgname && !ts_node_is_null(pkg))
			ru->pkgname = gosyn_dup(&g, ts_node_named_child(pkg, 0));
		if (!ru->dir) {
			const char *slash = strrchr(path, '/');
			ru->dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
		}
		/*
		 * The rewritten copy lives elsewhere: name the original, right
		 * before the package clause (directives like //go:build must
		 * stay at the start of their lines).
		 */
		if (ts_node_is_null(pkg)) {
			ret = error("no package clause in '%s'", path);
			goto out;
		}
		{
			unsigned l, c;
			gosyn_linecol(&g, ts_node_start_byte(pkg), &l, &c);
			strbuf_addf(&head, "/*line %s:%u:%u*/", path, l, c);
		}
		edit_insert(&eb, ts_node_start_byte(pkg), head.buf);
		strbuf_release(&head);
		ret = edit_apply(&eb, out);
		*changed = ret == 0;
	}
out:
	editbuf_release(&eb);
	free(uname);
	free(w.fr);
	strbuf_release(&w.key);
	strbuf_release(&w.hex);
	strbuf_release(&w.text);
	strbuf_release(&file);
	gosyn_release(&g);
	return ret;
}

/*
 * The site table (decoded by the runtime, inject/runtime/goinstr_unsafe.go,
 * whose comment describes the format): printable but for the strings it
 * quotes, so the Go literal is about its own size.
 */
enum { TAB_BLOCK = 32, TAB_FIXED = 6 };

static void put_num(struct strbuf *sb, uint64_t v)
{
	char d[16];
	int n = 0;

	do {
		d[n++] = (char)(v & 31);
		v >>= 5;
	} while (v);
	while (n > 1)
		strbuf_addch(sb, '#' + d[--n]);
	strbuf_addch(sb, ']' + d[0]);
}

static void put_fixed(struct strbuf *sb, size_t v)
{
	for (int k = TAB_FIXED - 1; k >= 0; k--)
		strbuf_addch(sb, '#' + (int)((v >> (5 * k)) & 31));
}

/* Each string once, as its length then its bytes: offsets by content. */
struct pooled {
	const char *s;
	size_t len, off;
};

struct pool {
	struct strbuf buf;
	struct htab t;
};

static int pooled_eq(const void *item, const void *key)
{
	const struct pooled *a = item, *b = key;
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

static size_t pool_add(struct pool *p, const char *s)
{
	struct pooled key = { s, strlen(s), 0 }, *it;
	uint64_t h = htab_hash(s, key.len);
	size_t slot = htab_slot(&p->t, h, pooled_eq, &key);

	if (p->t.v[slot])
		return ((struct pooled *)p->t.v[slot])->off;
	it = xmalloc(sizeof(*it));
	*it = key;
	it->off = p->buf.len;
	put_num(&p->buf, key.len);
	strbuf_add(&p->buf, s, key.len);
	htab_put(&p->t, slot, h, it);
	return it->off;
}

void rwunsafe_site_table(const struct rwunsafe *ru, struct strbuf *out)
{
	static const char *const ops[] = { "unsafe.Pointer", "unsafe.Add", "unsafe.Slice",
					   "unsafe.SliceData", "unsafe.String", "unsafe.StringData" };
	struct strbuf idx = STRBUF_INIT, rec = STRBUF_INIT;
	struct pool pool = { STRBUF_INIT, { 0 } };
	unsigned k = 0, prev = 0;

	htab_init(&pool.t);
	for (size_t i = 0; i < ru->nr; i++) /* files first: their offsets are short */
		if (ru->v[i].wrapped)
			pool_add(&pool, ru->v[i].file);
	for (size_t i = 0; i < ru->nr; i++) {
		const struct usite *s = &ru->v[i];
		size_t op = 0;
		if (!s->wrapped)
			continue;
		if (k++ % TAB_BLOCK == 0) {
			put_fixed(&idx, rec.len);
			prev = 0;
		}
		while (op < sizeof(ops) / sizeof(*ops) - 1 && strcmp(ops[op], s->op))
			op++;
		put_num(&rec, op);
		strbuf_add(&rec, s->id, 16);
		put_num(&rec, pool_add(&pool, s->file));
		put_num(&rec, s->line >= prev ? 2 * (uint64_t)(s->line - prev)
					       : 2 * (uint64_t)(prev - s->line) - 1);
		prev = s->line;
		put_num(&rec, s->col);
		put_num(&rec, pool_add(&pool, s->expr));
		put_num(&rec, s->to ? pool_add(&pool, s->to) + 1 : 0);
	}
	put_fixed(&idx, rec.len);
	strbuf_addstr(out, "U1");
	put_num(out, k);
	strbuf_add(out, idx.buf, idx.len);
	strbuf_add(out, rec.buf, rec.len);
	strbuf_add(out, pool.buf.buf, pool.buf.len);
	for (size_t i = 0; i < pool.t.cap; i++)
		free(pool.t.v[i]);
	htab_release(&pool.t);
	strbuf_release(&pool.buf);
	strbuf_release(&idx);
	strbuf_release(&rec);
}

void rwunsafe_support(const struct rwunsafe *ru, struct strbuf *out)
{
	struct strbuf tab = STRBUF_INIT;

	rwunsafe_site_table(ru, &tab);
	strbuf_addf(out,
		"// Code generated by goinstr. DO NOT EDIT.\n\n"
		"// The wrappers of this package's unsafe operations: each logs its\n"
		"// site's first execution, through package runtime.\n\n"
		"/*line %s/zz_goinstr_unsafe.go:7:1*/package %s\n\n"
		"import goinstr_unsafe \"unsafe\"\n\n"
		"// goinstrUDone[i] is set by the runtime once site i is logged (or\n"
		"// logging is off); goinstrUTab describes the sites, for the runtime.\n"
		"var goinstrUDone [%u]uint32\n\n"
		"const goinstrUTab = ", ru->dir ? ru->dir : ".",
		ru->pkgname ? ru->pkgname : "main", ru->nslots);
	strbuf_addgoquoted(out, tab.buf, tab.len);
	strbuf_addstr(out,
		"\n\n"
		"//go:linkname goinstrUEvent runtime.goinstrUnsafeEvent\n"
		"func goinstrUEvent(done *uint32, tab string, i int, typ interface{}, ptr uintptr, n int, what int)\n\n"
		"// goinstrUSlow hands the first hit of site *d to the runtime.\n"
		"//\n"
		"//go:noinline\n"
		"func goinstrUSlow(d *uint32, typ interface{}, ptr uintptr, n int, what int) {\n"
		"\ti := (uintptr(goinstr_unsafe.Pointer(d)) - uintptr(goinstr_unsafe.Pointer(&goinstrUDone))) / 4\n"
		"\tgoinstrUEvent(d, goinstrUTab, int(i), typ, ptr, n, what)\n"
		"}\n\n"
		"// Once the runtime has set a site's flag (only ever from 0 to 1), a\n"
		"// wrapper is a load and a branch; a first hit goes to a helper out of\n"
		"// line. Each is inlined where it is called, but for the ...C ones:\n"
		"// the same, called, in functions dense in sites (see goinstr's\n"
		"// rwunsafe.c).\n\n"
		"func goinstrUP(d *uint32, p goinstr_unsafe.Pointer) goinstr_unsafe.Pointer {\n"
		"\tif *d == 0 {\n\t\tgoinstrUSlowP(d, p)\n\t}\n\treturn p\n}\n\n"
		"//go:noinline\n"
		"func goinstrUSlowP(d *uint32, p goinstr_unsafe.Pointer) { goinstrUSlow(d, nil, uintptr(p), 0, 1) }\n\n"
		"func goinstrUStr(d *uint32, v string) string {\n"
		"\tif *d == 0 {\n\t\tgoinstrUSlowStr(d, v)\n\t}\n\treturn v\n}\n\n"
		"//go:noinline\n"
		"func goinstrUSlowStr(d *uint32, v string) {\n"
		"\tgoinstrUSlow(d, nil, *(*uintptr)(goinstr_unsafe.Pointer(&v)), len(v), 3)\n}\n\n"
		"func goinstrUK(d *uint32) {\n"
		"\tif *d == 0 {\n\t\tgoinstrUSlowK(d)\n\t}\n}\n\n"
		"//go:noinline\n"
		"func goinstrUSlowK(d *uint32) { goinstrUSlow(d, nil, 0, 0, 0) }\n\n"
		"//go:noinline\n//go:nosplit\n"
		"func goinstrUPC(d *uint32, p goinstr_unsafe.Pointer) goinstr_unsafe.Pointer { return goinstrUP(d, p) }\n\n"
		"//go:noinline\n//go:nosplit\n"
		"func goinstrUStrC(d *uint32, v string) string { return goinstrUStr(d, v) }\n\n"
		"//go:noinline\n//go:nosplit\n"
		"func goinstrUKC(d *uint32) { goinstrUK(d) }\n");
	if (ru->generics)
		strbuf_addstr(out,
			"\n// goinstrUF passes a pointer-shaped value through, recording its type.\n"
			"func goinstrUF[T any](d *uint32, x T) T {\n"
			"\tif *d == 0 {\n\t\tgoinstrUSlowF(d, x)\n\t}\n\treturn x\n}\n\n"
			"//go:noinline\n"
			"func goinstrUSlowF[T any](d *uint32, x T) {\n"
			"\tgoinstrUSlow(d, (*T)(nil), *(*uintptr)(goinstr_unsafe.Pointer(&x)), 0, 1)\n}\n\n"
			"func goinstrUS[E any](d *uint32, v []E) []E {\n"
			"\tif *d == 0 {\n\t\tgoinstrUSlowS(d, v)\n\t}\n\treturn v\n}\n\n"
			"//go:noinline\n"
			"func goinstrUSlowS[E any](d *uint32, v []E) {\n"
			"\tgoinstrUSlow(d, (*[]E)(nil), *(*uintptr)(goinstr_unsafe.Pointer(&v)), len(v), 3)\n}\n\n"
			"//go:noinline\n//go:nosplit\n"
			"func goinstrUFC[T any](d *uint32, x T) T { return goinstrUF(d, x) }\n\n"
			"//go:noinline\n//go:nosplit\n"
			"func goinstrUSC[E any](d *uint32, v []E) []E { return goinstrUS(d, v) }\n");
	strbuf_release(&tab);
}

void usite_json(const struct usite *s, struct strbuf *out)
{
	strbuf_addstr(out, "{\"id\":");
	strbuf_addjson(out, s->id, strlen(s->id));
	strbuf_addstr(out, ",\"op\":");
	strbuf_addjson(out, s->op, strlen(s->op));
	strbuf_addstr(out, ",\"file\":");
	strbuf_addjson(out, s->file, strlen(s->file));
	strbuf_addf(out, ",\"line\":%u,\"col\":%u,\"expr\":", s->line, s->col);
	strbuf_addjson(out, s->expr, strlen(s->expr));
	if (s->to) {
		strbuf_addstr(out, ",\"to\":");
		strbuf_addjson(out, s->to, strlen(s->to));
	}
	strbuf_addf(out, ",\"wrapped\":%s,\"reason\":", s->wrapped ? "true" : "false");
	strbuf_addjson(out, s->why ? s->why : "", s->why ? strlen(s->why) : 0);
	strbuf_addch(out, '}');
}

int unsafe_in_scope(const char *scope, const char *mains, const char *path)
{
	int main = 0;

	if (!strcmp(scope, "all") || !strcmp(scope, "none"))
		return !strcmp(scope, "all");
	for (const char *m = mains; m && *m && !main;) {
		size_t n = strcspn(m, "\n");
		if (n && !strncmp(path, m, n) && path[n] == '/')
			main = strncmp(path + n + 1, "vendor/", 7) != 0;
		m += n + (m[n] == '\n');
	}
	return !strcmp(scope, "main") ? main : !main;
}
