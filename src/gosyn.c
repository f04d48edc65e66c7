/*
 * gosyn.c - Go syntax trees through tree-sitter.
 */
#include "gosyn.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const TSLanguage *tree_sitter_go(void);

/*
 * Syntax tree-sitter-go 0.25.0 predates is parsed from a shadow copy of the
 * text, respelled at the same length, so every node's offsets hold for the
 * real text, which is what the tree is used with (gosyn_text reads g->src):
 *
 * - Go 1.26's new(expr) (new(42), new(f(x))) and a call of a local variable
 *   named make: the grammar reads the first argument of new and make as a
 *   type, always. Each new or make whose call is in error is spelled New or
 *   Make, an ordinary call whose arguments are expressions; a respelled
 *   name whose call is still in error is put back, once and for good.
 * - Go 1.27's methods with type parameters, func (r T) M[P any](...): the
 *   grammar has no type parameters on methods. The type parameter list
 *   becomes a block comment of the same length (newlines kept), and the
 *   method an ordinary one (nothing goinstr rewrites is a type).
 *
 * Both are found on the tree of the text as written, among its tokens
 * (leaves), never by matching text. The shadow's tree is kept only if it
 * has no error. Each round is one parse and one walk: linear.
 */
enum { SHADOW_ROUNDS = 16 }; /* parses of one file at most */

struct respell {
	uint32_t off, len;
	int state; /* 0: as written, 1: respelled, 2: put back for good */
	int in_error; /* in this round's tree */
};

struct span {
	uint32_t off, end;
};

/* Candidates found among the leaves of the tree as written. */
struct scan {
	const char *src;
	struct respell *names;
	size_t nnames, cnames;
	struct span *spans;
	size_t nspans, cspans;
	/* func ( ... ) NAME [ ... ] ( : where the pattern is, and its depth */
	int state, depth;
	uint32_t start;
};

static int is_name(const char *t)
{
	return !strcmp(t, "identifier") || !strcmp(t, "field_identifier") ||
	       !strcmp(t, "type_identifier");
}

/* One token of the generic-method pattern; returns the new state. */
static int method_step(struct scan *s, const char *t, uint32_t a, uint32_t b)
{
	switch (s->state) {
	case 1: /* after func: the receiver's ( */
		if (!strcmp(t, "(")) {
			s->depth = 1;
			return 2;
		}
		break;
	case 2: /* in the receiver */
		s->depth += !strcmp(t, "(") - !strcmp(t, ")");
		return s->depth ? 2 : 3;
	case 3: /* the method's name */
		if (is_name(t))
			return 4;
		break;
	case 4: /* its type parameters' [ */
		if (!strcmp(t, "[")) {
			s->start = a;
			s->depth = 1;
			return 5;
		}
		break;
	case 5:
		s->depth += !strcmp(t, "[") - !strcmp(t, "]");
		if (s->depth)
			return 5;
		if (s->nspans == s->cspans)
			s->spans = xrealloc(s->spans, (s->cspans = s->cspans ? 2 * s->cspans : 4) *
							     sizeof(*s->spans));
		s->spans[s->nspans] = (struct span){ s->start, b };
		return 6;
	case 6: /* the parameters' ( confirms it */
		if (!strcmp(t, "(") && s->spans[s->nspans].end - s->spans[s->nspans].off >= 4)
			s->nspans++;
		break;
	}
	return !strcmp(t, "func");
}

static int scan_leaf(void *ctx, const struct gosyn_path *path, TSNode n, int leave)
{
	struct scan *s = ctx;
	uint32_t a = ts_node_start_byte(n), l = ts_node_end_byte(n) - a;
	const char *t;

	(void)path;
	if (leave || ts_node_child_count(n) || !l)
		return 0;
	t = ts_node_type(n);
	if (!strcmp(t, "comment"))
		return 0;
	if (((l == 3 && !memcmp(s->src + a, "new", 3)) || (l == 4 && !memcmp(s->src + a, "make", 4))) &&
	    (!strcmp(t, "identifier") || !strcmp(t, "type_identifier") || !strcmp(t, "new") ||
	     !strcmp(t, "make"))) {
		if (s->nnames == s->cnames)
			s->names = xrealloc(s->names, (s->cnames = s->cnames ? 2 * s->cnames : 8) *
							      sizeof(*s->names));
		s->names[s->nnames++] = (struct respell){ a, l, 0, 0 };
	}
	s->state = method_step(s, t, a, a + l);
	return 0;
}

/* Marks the names whose leaf is in error in a tree (errors only below
 * nodes that have one: other subtrees are skipped). */
struct mark {
	struct respell *v;
	size_t n, k;
};

static int mark_leaf(void *ctx, const struct gosyn_path *path, TSNode n, int leave)
{
	struct mark *m = ctx;
	uint32_t a;

	if (leave)
		return 0;
	if (ts_node_child_count(n))
		return !ts_node_has_error(n);
	a = ts_node_start_byte(n);
	while (m->k < m->n && m->v[m->k].off < a)
		m->k++;
	if (m->k < m->n && m->v[m->k].off == a && ts_node_end_byte(n) == a + m->v[m->k].len) {
		int err = ts_node_is_error(n) ||
			  (path->n && !strcmp(ts_node_type(path->v[path->n - 1]), "call_expression"));
		for (size_t i = 0; i < path->n && !err; i++)
			err = ts_node_is_error(path->v[i]);
		m->v[m->k].in_error = err;
	}
	return 0;
}

static TSTree *parse_shadow(TSParser *p, TSTree *tree, const char *src, size_t len)
{
	struct scan s = { 0 };
	char *shadow;
	TSTree *cur = tree;

	s.src = src;
	gosyn_walk(ts_tree_root_node(tree), scan_leaf, &s);
	if (!s.nnames && !s.nspans) {
		free(s.names);
		free(s.spans); /* a pattern begun, not confirmed */
		return NULL;
	}
	shadow = xmalloc(len + 1);
	memcpy(shadow, src, len);
	for (size_t i = 0; i < s.nspans; i++) {
		uint32_t a = s.spans[i].off, b = s.spans[i].end;
		for (uint32_t j = a; j < b; j++)
			if (shadow[j] != '\n')
				shadow[j] = ' ';
		memcpy(shadow + a, "/*", 2);
		memcpy(shadow + b - 2, "*/", 2);
	}
	if (s.nspans)
		cur = ts_parser_parse_string(p, NULL, shadow, (uint32_t)len);
	for (int round = 0; cur && round < SHADOW_ROUNDS && ts_node_has_error(ts_tree_root_node(cur));
	     round++) {
		struct mark m = { s.names, s.nnames, 0 };
		int changed = 0;

		for (size_t i = 0; i < s.nnames; i++)
			s.names[i].in_error = 0;
		gosyn_walk(ts_tree_root_node(cur), mark_leaf, &m);
		/* Respell first; put back only once no more is to respell, so an
		 * outer call waits for its inner ones (new(new(5))). */
		for (int put_back = 0; put_back < 2 && !changed; put_back++) {
			for (size_t i = 0; i < s.nnames; i++) {
				struct respell *r = &s.names[i];
				if (r->state != put_back || !r->in_error)
					continue;
				shadow[r->off] = (char)(put_back ? src[r->off] : src[r->off] - 'a' + 'A');
				r->state++;
				changed = 1;
			}
		}
		if (!changed)
			break;
		TSTree *t = ts_parser_parse_string(p, NULL, shadow, (uint32_t)len);
		if (!t)
			break;
		if (cur != tree)
			ts_tree_delete(cur);
		cur = t;
	}
	free(shadow);
	free(s.names);
	free(s.spans);
	if (cur && cur != tree && ts_node_has_error(ts_tree_root_node(cur))) {
		ts_tree_delete(cur);
		cur = tree;
	}
	return cur == tree ? NULL : cur;
}

/* The offset of every line's first byte: one pass. */
static void index_lines(struct gosyn *g)
{
	size_t cap = 64;
	const char *p = g->src, *end = g->src + g->len;

	g->lines = xmalloc(cap * sizeof(*g->lines));
	g->lines[g->nlines++] = 0;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		if (g->nlines == cap)
			g->lines = xrealloc(g->lines, (cap *= 2) * sizeof(*g->lines));
		g->lines[g->nlines++] = (uint32_t)(p - g->src);
	}
}

int gosyn_parse(struct gosyn *g, const char *src, size_t len)
{
	TSParser *p;

	memset(g, 0, sizeof(*g));
	if (len > UINT32_MAX - 1)
		return error("source too large to parse (%zu bytes)", len);
	p = ts_parser_new();
	if (!ts_parser_set_language(p, tree_sitter_go())) {
		ts_parser_delete(p);
		return error("tree-sitter-go grammar has an incompatible ABI");
	}
	g->src = src;
	g->len = len;
	g->tree = ts_parser_parse_string(p, NULL, src, (uint32_t)len);
	if (g->tree && ts_node_has_error(ts_tree_root_node(g->tree))) {
		TSTree *t = parse_shadow(p, g->tree, src, len);
		if (t) {
			ts_tree_delete(g->tree);
			g->tree = t;
		}
	}
	ts_parser_delete(p);
	if (!g->tree)
		return error("tree-sitter could not parse the source");
	g->root = ts_tree_root_node(g->tree);
	index_lines(g);
	return 0;
}

void gosyn_release(struct gosyn *g)
{
	if (g->tree)
		ts_tree_delete(g->tree);
	g->tree = NULL;
	free(g->lines);
	g->lines = NULL;
	g->nlines = 0;
}

void gosyn_walk(TSNode root, gosyn_visit fn, void *ctx)
{
	TSTreeCursor c = ts_tree_cursor_new(root);
	struct gosyn_path p = { 0 };

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		if (!fn(ctx, &p, n, 0) && ts_tree_cursor_goto_first_child(&c)) {
			if (p.n == p.alloc)
				p.v = xrealloc(p.v, (p.alloc = p.alloc ? 2 * p.alloc : 64) * sizeof(*p.v));
			p.v[p.n++] = n;
			continue;
		}
		fn(ctx, &p, n, 1);
		while (p.n && !ts_tree_cursor_goto_next_sibling(&c)) {
			ts_tree_cursor_goto_parent(&c);
			n = p.v[--p.n];
			fn(ctx, &p, n, 1);
		}
		if (!p.n)
			break;
	}
	ts_tree_cursor_delete(&c);
	free(p.v);
}

/* The first ERROR or MISSING node in document order (else the deepest
 * node that has an error below it but none of its own). */
struct first_error {
	int found;
	size_t at;
};

static int error_node(void *ctx, const struct gosyn_path *path, TSNode n, int leave)
{
	struct first_error *e = ctx;

	(void)path;
	if (e->found || !ts_node_has_error(n))
		return 1;
	if (leave || ts_node_is_error(n) || ts_node_is_missing(n)) {
		e->at = ts_node_start_byte(n);
		e->found = 1;
	}
	return e->found;
}

int gosyn_has_error(const struct gosyn *g, size_t *at)
{
	struct first_error e = { 0, 0 };

	if (!ts_node_has_error(g->root))
		return 0;
	gosyn_walk(g->root, error_node, &e);
	if (at)
		*at = e.at;
	return 1;
}

void gosyn_linecol(const struct gosyn *g, size_t off, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi = g->nlines; /* the last line starting at or before off */

	if (off > g->len)
		off = g->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = (unsigned)(off - (g->nlines ? g->lines[lo] : 0) + 1);
}

char *gosyn_dup(const struct gosyn *g, TSNode n)
{
	size_t len;
	const char *s = gosyn_text(g, n, &len);
	return xstrndup(s, len);
}

int gosyn_eq(const struct gosyn *g, TSNode n, const char *s)
{
	size_t len;
	const char *t = gosyn_text(g, n, &len);
	return strlen(s) == len && !memcmp(s, t, len);
}

TSNode gosyn_field(TSNode n, const char *field)
{
	return ts_node_child_by_field_name(n, field, (uint32_t)strlen(field));
}

int gosyn_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

int gosyn_has_directive(const struct gosyn *g, TSNode decl, const char *directive)
{
	for (TSNode c = ts_node_prev_named_sibling(decl);
	     !ts_node_is_null(c) && gosyn_is(c, "comment");
	     c = ts_node_prev_named_sibling(c))
		if (gosyn_eq(g, c, directive))
			return 1;
	return 0;
}

uint32_t gosyn_nsymbols(void)
{
	return ts_language_symbol_count(tree_sitter_go());
}

const char *gosyn_symbol_name(TSSymbol sym)
{
	return ts_language_symbol_name(tree_sitter_go(), sym);
}

TSQuery *gosyn_query(const char *source)
{
	uint32_t off;
	TSQueryError err;
	TSQuery *q = ts_query_new(tree_sitter_go(), source, (uint32_t)strlen(source),
				  &off, &err);
	if (!q)
		error("bad tree-sitter query at offset %u (error %d)", off, (int)err);
	return q;
}
