/*
 * gosyn.c - Go syntax trees through tree-sitter.
 */
#include "gosyn.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const TSLanguage *tree_sitter_go(void);

/*
 * tree-sitter-go 0.25.0 reads the first argument of new and make as a type,
 * always: Go 1.26's new(expr) (new(42), new(f(x))) and a call of a local
 * variable named make are syntax errors to it. Such a file is parsed again
 * from a shadow copy of its text in which each new or make whose call is
 * in error is spelled New or Make: an ordinary call, whose arguments are
 * expressions. The spelling has the same length, so every node's offsets
 * hold for the real text, which is what the tree is used with (gosyn_text
 * reads g->src). A respelled name whose call is still in error is put back,
 * once and for good; the shadow's tree is kept only if it has no error.
 */
enum { SHADOW_ROUNDS = 16 }; /* parses of one file at most */

struct respell {
	uint32_t off, len;
	int state; /* 0: as written, 1: respelled, 2: put back for good */
};

static int in_error(TSNode n)
{
	TSNode p = ts_node_parent(n);
	if (gosyn_is(p, "call_expression") && ts_node_has_error(p))
		return 1;
	for (; !ts_node_is_null(n); n = ts_node_parent(n))
		if (ts_node_is_error(n))
			return 1;
	return 0;
}

/* The leaves spelled new or make (the grammar's keyword or an identifier). */
static void find_names(TSNode n, const char *src, struct respell **v, size_t *nv, size_t *cap)
{
	uint32_t nc = ts_node_child_count(n);
	if (!nc) {
		uint32_t a = ts_node_start_byte(n), l = ts_node_end_byte(n) - a;
		const char *t = ts_node_type(n);
		if (((l == 3 && !memcmp(src + a, "new", 3)) || (l == 4 && !memcmp(src + a, "make", 4))) &&
		    (!strcmp(t, "identifier") || !strcmp(t, "type_identifier") ||
		     !strcmp(t, "new") || !strcmp(t, "make"))) {
			if (*nv == *cap)
				*v = xrealloc(*v, (*cap = *cap ? 2 * *cap : 8) * sizeof(**v));
			(*v)[(*nv)++] = (struct respell){ a, l, 0 };
		}
		return;
	}
	for (uint32_t i = 0; i < nc; i++)
		find_names(ts_node_child(n, i), src, v, nv, cap);
}

static TSTree *parse_shadow(TSParser *p, TSTree *tree, const char *src, size_t len)
{
	struct respell *v = NULL;
	size_t nv = 0, cap = 0;
	char *shadow;
	TSTree *cur = tree;

	find_names(ts_tree_root_node(tree), src, &v, &nv, &cap);
	if (!nv)
		return NULL;
	shadow = xmalloc(len + 1);
	memcpy(shadow, src, len);
	for (int round = 0; round < SHADOW_ROUNDS && ts_node_has_error(ts_tree_root_node(cur)); round++) {
		TSNode root = ts_tree_root_node(cur);
		int changed = 0;
		/* Respell first; put back only once no more is to respell, so an
		 * outer call waits for its inner ones (new(new(5))). */
		for (int put_back = 0; put_back < 2 && !changed; put_back++) {
			for (size_t i = 0; i < nv; i++) {
				if (v[i].state != put_back ||
				    !in_error(ts_node_descendant_for_byte_range(root, v[i].off, v[i].off + v[i].len)))
					continue;
				shadow[v[i].off] = (char)(put_back ? src[v[i].off] : src[v[i].off] - 'a' + 'A');
				v[i].state++;
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
	free(v);
	if (cur != tree && ts_node_has_error(ts_tree_root_node(cur))) {
		ts_tree_delete(cur);
		cur = tree;
	}
	return cur == tree ? NULL : cur;
}

int gosyn_parse(struct gosyn *g, const char *src, size_t len)
{
	TSParser *p = ts_parser_new();

	memset(g, 0, sizeof(*g));
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
	return 0;
}

void gosyn_release(struct gosyn *g)
{
	if (g->tree)
		ts_tree_delete(g->tree);
	g->tree = NULL;
}

static int find_error(TSNode n, size_t *at)
{
	if (!ts_node_has_error(n))
		return 0;
	if (ts_node_is_error(n) || ts_node_is_missing(n)) {
		*at = ts_node_start_byte(n);
		return 1;
	}
	uint32_t nc = ts_node_child_count(n);
	for (uint32_t i = 0; i < nc; i++)
		if (find_error(ts_node_child(n, i), at))
			return 1;
	*at = ts_node_start_byte(n);
	return 1;
}

int gosyn_has_error(const struct gosyn *g, size_t *at)
{
	size_t dummy;
	return find_error(g->root, at ? at : &dummy);
}

void gosyn_linecol(const struct gosyn *g, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1;
	size_t bol = 0;

	for (size_t i = 0; i < off && i < g->len; i++)
		if (g->src[i] == '\n')
			l++, bol = i + 1;
	*line = l;
	*col = (unsigned)(off - bol + 1);
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
