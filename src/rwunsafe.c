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

/* State while walking one file. */
struct walk {
	struct rwunsafe *ru;
	const struct gosyn *g;
	struct editbuf *eb;
	const char *path;
	const char *uname; /* the file's name for package unsafe */
	const char *skip;  /* sites found get this reason (cgo file...) */
	int nosplit;       /* inside a //go:nosplit function */
	int changed;
};

static struct usite *add_site(struct walk *w, const char *op, TSNode n, TSNode exprnode)
{
	struct rwunsafe *ru = w->ru;
	struct usite *s;
	struct strbuf key = STRBUF_INIT, hex = STRBUF_INIT;
	size_t len;
	const char *text = gosyn_text(w->g, exprnode, &len);

	if (ru->nr == ru->alloc) {
		ru->alloc = ru->alloc ? 2 * ru->alloc : 32;
		ru->v = xrealloc(ru->v, ru->alloc * sizeof(*ru->v));
	}
	s = &ru->v[ru->nr++];
	memset(s, 0, sizeof(*s));
	s->op = xstrdup(op);
	go_trimpath(w->path, ru->trim, &key);
	s->file = xstrndup(key.buf, key.len);
	strbuf_reset(&key);
	gosyn_linecol(w->g, ts_node_start_byte(n), &s->line, &s->col);
	if (len > MAX_EXPR) { /* cut on a UTF-8 boundary */
		len = MAX_EXPR;
		while (len && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	s->expr = xstrndup(text, len);
	s->slot = -1;
	strbuf_addf(&key, "%s:%u:%u:%s", s->file, s->line, s->col, op);
	sha256_buf_hex(key.buf, key.len, &hex);
	memcpy(s->id, hex.buf, 16);
	s->id[16] = '\0';
	strbuf_release(&key);
	strbuf_release(&hex);
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

/*
 * If n (a call) is the sole argument of a conversion call C, return C;
 * else a null node. Only forms that can't be function calls count:
 * (*T)(...) and uintptr(...).
 */
static TSNode enclosing_conversion(struct walk *w, TSNode n, int *to_uintptr)
{
	TSNode args = ts_node_parent(n), call, fn, null = { 0 };

	*to_uintptr = 0;
	if (gosyn_is(args, "type_conversion_expression"))
		return args; /* (*[2]T)(x): the grammar's own conversion node */
	if (!gosyn_is(args, "argument_list") || ts_node_named_child_count(args) != 1)
		return null;
	call = ts_node_parent(args);
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
 * For the keepalive form f(uintptr(unsafe.Pointer(X))): the statement to
 * put the log call before, or a null node (with *why) if there is none the
 * call surely executes in: package level, an else-if condition.
 */
static TSNode statement_of(TSNode n, const char **why)
{
	TSNode null = { 0 };

	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); n = p, p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);
		if (!strcmp(t, "statement_list"))
			return n;
		if (!strcmp(t, "if_statement") && gosyn_is(ts_node_parent(p), "if_statement")) {
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
	s->wrapped = 1;
	s->why = how;
	s->slot = (int)w->ru->nslots++;
}

/*
 * Record the site of call to unsafe.<name> and queue its opening edit.
 * Returns the offset where the wrapper's closing parenthesis goes (queued
 * by the caller after the call's children, so nested wrappers close
 * innermost first), or 0 if there is none.
 */
static size_t site_call(struct walk *w, TSNode call, const char *name)
{
	size_t close = 0;
	static const char *const consts[] = { "Sizeof", "Alignof", "Offsetof" };
	static const char *const ops[] = { "Pointer", "Add", "Slice", "SliceData",
					   "String", "StringData" };
	struct strbuf op = STRBUF_INIT, text = STRBUF_INIT;
	struct usite *s;
	TSNode exprnode = call, conv;
	int known = 0, to_uintptr = 0;

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

	conv = enclosing_conversion(w, call, &to_uintptr);
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
		if (to_uintptr && gosyn_is(ts_node_parent(ts_node_parent(conv)), "call_expression")) {
			/* f(uintptr(unsafe.Pointer(p))): the form the compiler keeps p alive for */
			const char *why = NULL;
			TSNode st = statement_of(conv, &why);
			if (ts_node_is_null(st)) {
				s->why = why;
				goto out;
			}
			wrap(w, s, "logged before its statement (keepalive form kept)");
			strbuf_addf(&text, "goinstrUK(&goinstrUSites[%d]); ", s->slot);
			insert(w, ts_node_start_byte(st), text.buf);
		} else if (w->ru->generics && plain_operand(w, x)) {
			wrap(w, s, "operand wrapped: its type is recorded");
			strbuf_addf(&text, "goinstrUF(&goinstrUSites[%d], ", s->slot);
			insert(w, ts_node_start_byte(x), text.buf);
			close = ts_node_end_byte(x);
		} else {
			wrap(w, s, "result wrapped: the conversion stays whole");
			strbuf_addf(&text, "goinstrUP(&goinstrUSites[%d], ", s->slot);
			insert(w, ts_node_start_byte(call), text.buf);
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
		strbuf_addf(&text, "%s(&goinstrUSites[%d], ", fn, s->slot);
		insert(w, ts_node_start_byte(call), text.buf);
		close = ts_node_end_byte(call);
	}
out:
	strbuf_release(&text);
	strbuf_release(&op);
	return close;
}

/* The name of an unsafe operation if call is one (unsafe.X(...)). */
static const char *unsafe_call(struct walk *w, TSNode call, size_t *len)
{
	TSNode fn = gosyn_field(call, "function");
	TSNode operand, field;

	if (!gosyn_is(fn, "selector_expression"))
		return NULL;
	operand = gosyn_field(fn, "operand");
	field = gosyn_field(fn, "field");
	if (!gosyn_is(operand, "identifier") || !gosyn_eq(w->g, operand, w->uname))
		return NULL;
	return gosyn_text(w->g, field, len);
}

static void walk(struct walk *w, TSNode n)
{
	size_t close = 0;
	int saved = w->nosplit;

	if (gosyn_is(n, "function_declaration") || gosyn_is(n, "method_declaration"))
		w->nosplit = gosyn_has_directive(w->g, n, "//go:nosplit");
	if (gosyn_is(n, "comment")) {
		size_t len;
		const char *t = gosyn_text(w->g, n, &len);
		/* //go:linkname local target: a pull of another package's symbol */
		if (len > 14 && !strncmp(t, "//go:linkname ", 14) && memchr(t + 14, ' ', len - 14)) {
			struct usite *s = add_site(w, "go:linkname", n, n);
			s->why = "linkname pull: reaches another package's internals";
		}
	}
	if (gosyn_is(n, "call_expression")) {
		size_t len;
		const char *name = unsafe_call(w, n, &len);
		if (name) {
			char buf[32];
			snprintf(buf, sizeof(buf), "%.*s", (int)(len < 31 ? len : 31), name);
			close = site_call(w, n, buf);
		}
	}
	uint32_t nc = ts_node_child_count(n);
	for (uint32_t i = 0; i < nc; i++)
		walk(w, ts_node_child(n, i));
	if (close)
		insert(w, close, ")");
	w->nosplit = saved;
}

/* The file's name for package unsafe ("" if not imported or dot/blank),
 * and whether it imports "C". */
static char *unsafe_name(const struct gosyn *g, int *cgo)
{
	char *name = NULL;
	uint32_t nc = ts_node_named_child_count(g->root);

	*cgo = 0;
	for (uint32_t i = 0; i < nc; i++) {
		TSNode d = ts_node_named_child(g->root, i);
		if (!gosyn_is(d, "import_declaration"))
			continue;
		/* import_spec directly, or inside an import_spec_list */
		TSNode stack[2];
		stack[0] = d;
		memset(&stack[1], 0, sizeof(stack[1]));
		for (int k = 0; k < 2 && !ts_node_is_null(stack[k]); k++) {
			uint32_t m = ts_node_named_child_count(stack[k]);
			for (uint32_t j = 0; j < m; j++) {
				TSNode spec = ts_node_named_child(stack[k], j);
				if (gosyn_is(spec, "import_spec_list")) {
					stack[1] = spec;
					continue;
				}
				if (!gosyn_is(spec, "import_spec"))
					continue;
				TSNode path = gosyn_field(spec, "path"), nm = gosyn_field(spec, "name");
				if (gosyn_eq(g, path, "\"C\""))
					*cgo = 1;
				if (!gosyn_eq(g, path, "\"unsafe\""))
					continue;
				free(name);
				if (ts_node_is_null(nm))
					name = xstrdup("unsafe");
				else if (gosyn_is(nm, "package_identifier"))
					name = gosyn_dup(g, nm);
				else
					name = xstrdup(""); /* _ or . */
			}
		}
	}
	return name;
}

int rwunsafe_file(struct rwunsafe *ru, const char *path, const char *src,
		  size_t len, struct strbuf *out, int *changed)
{
	struct gosyn g;
	struct editbuf eb;
	struct walk w = { 0 };
	size_t at;
	int cgo, ret = 0;
	char *uname;

	*changed = 0;
	if (gosyn_parse(&g, src, len) < 0)
		return -1;
	if (gosyn_has_error(&g, &at)) {
		/* Recorded where the first error is, so a user can look. */
		TSNode n = ts_node_descendant_for_byte_range(g.root, (uint32_t)at, (uint32_t)at);
		struct usite *s;
		w.ru = ru, w.g = &g, w.path = path;
		s = add_site(&w, "file", n, g.root);
		free(s->expr);
		s->expr = xstrdup("");
		s->why = "does not parse with tree-sitter-go 0.25.0 (newer syntax?): left as is";
		uname = unsafe_name(&g, &cgo);
		ret = uname && *uname; /* "" for blank and dot imports too */
		free(uname);
		gosyn_release(&g);
		return ret;
	}
	uname = unsafe_name(&g, &cgo);
	editbuf_init(&eb, src, len);
	w.ru = ru, w.g = &g, w.eb = &eb, w.path = path;
	w.uname = uname ? uname : "";
	if (cgo)
		w.skip = "cgo file: left as is";
	/* Without unsafe there are no operations, nor linkname pulls. */
	if (uname && *uname)
		walk(&w, g.root);
	if (w.changed) {
		struct strbuf head = STRBUF_INIT;
		TSNode pkg = { 0 };
		uint32_t nc = ts_node_named_child_count(g.root);
		for (uint32_t i = 0; i < nc && ts_node_is_null(pkg); i++)
			if (gosyn_is(ts_node_named_child(g.root, i), "package_clause"))
				pkg = ts_node_named_child(g.root, i);
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
			strbuf_release(&head);
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
	gosyn_release(&g);
	return ret;
}

void rwunsafe_support(const struct rwunsafe *ru, struct strbuf *out)
{
	strbuf_addf(out,
		"// Code generated by goinstr. DO NOT EDIT.\n\n"
		"// The wrappers of this package's unsafe operations: each logs its\n"
		"// site's first execution, through package runtime.\n\n"
		"/*line %s/zz_goinstr_unsafe.go:7:1*/package %s\n\n"
		"import goinstr_unsafe \"unsafe\"\n\n"
		"type goinstrUSite struct {\n"
		"\tdone      uint32 // set by the runtime once logged (or logging is off)\n"
		"\tline, col int\n"
		"\top, id, file, expr, to string\n"
		"}\n\n"
		"var goinstrUSites = [%u]goinstrUSite{\n", ru->dir ? ru->dir : ".",
		ru->pkgname ? ru->pkgname : "main", ru->nslots);
	for (size_t i = 0; i < ru->nr; i++) {
		const struct usite *s = &ru->v[i];
		if (!s->wrapped)
			continue;
		strbuf_addf(out, "\t%d: {line: %u, col: %u, op: ", s->slot, s->line, s->col);
		strbuf_addgoquoted(out, s->op, strlen(s->op));
		strbuf_addstr(out, ", id: ");
		strbuf_addgoquoted(out, s->id, strlen(s->id));
		strbuf_addstr(out, ", file: ");
		strbuf_addgoquoted(out, s->file, strlen(s->file));
		strbuf_addstr(out, ", expr: ");
		strbuf_addgoquoted(out, s->expr, strlen(s->expr));
		if (s->to) {
			strbuf_addstr(out, ", to: ");
			strbuf_addgoquoted(out, s->to, strlen(s->to));
		}
		strbuf_addstr(out, "},\n");
	}
	strbuf_addstr(out,
		"}\n\n"
		"//go:linkname goinstrUEvent runtime.goinstrUnsafeEvent\n"
		"func goinstrUEvent(done *uint32, op, id, file string, line, col int, expr, to string, typ interface{}, ptr uintptr, n int, what int)\n\n"
		"//go:noinline\n"
		"func goinstrUSlow(s *goinstrUSite, typ interface{}, ptr uintptr, n int, what int) {\n"
		"\tgoinstrUEvent(&s.done, s.op, s.id, s.file, s.line, s.col, s.expr, s.to, typ, ptr, n, what)\n"
		"}\n\n"
		"// The hot path of every wrapper is one load and one branch: the flag\n"
		"// is only ever set from 0 to 1, by an atomic store in the runtime.\n\n"
		"func goinstrUP(s *goinstrUSite, p goinstr_unsafe.Pointer) goinstr_unsafe.Pointer {\n"
		"\tif s.done == 0 {\n\t\tgoinstrUSlow(s, nil, uintptr(p), 0, 1)\n\t}\n\treturn p\n}\n\n"
		"func goinstrUStr(s *goinstrUSite, v string) string {\n"
		"\tif s.done == 0 {\n\t\tgoinstrUSlow(s, nil, *(*uintptr)(goinstr_unsafe.Pointer(&v)), len(v), 3)\n\t}\n\treturn v\n}\n\n"
		"func goinstrUK(s *goinstrUSite) {\n"
		"\tif s.done == 0 {\n\t\tgoinstrUSlow(s, nil, 0, 0, 0)\n\t}\n}\n");
	if (ru->generics)
		strbuf_addstr(out,
			"\n// goinstrUF passes a pointer-shaped value through, recording its type.\n"
			"func goinstrUF[T any](s *goinstrUSite, x T) T {\n"
			"\tif s.done == 0 {\n\t\tgoinstrUSlow(s, (*T)(nil), *(*uintptr)(goinstr_unsafe.Pointer(&x)), 0, 1)\n\t}\n\treturn x\n}\n\n"
			"func goinstrUS[E any](s *goinstrUSite, v []E) []E {\n"
			"\tif s.done == 0 {\n\t\tgoinstrUSlow(s, (*[]E)(nil), *(*uintptr)(goinstr_unsafe.Pointer(&v)), len(v), 3)\n\t}\n\treturn v\n}\n");
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
