/*
 * gosyn.c - Go syntax trees through tree-sitter.
 */
#include "gosyn.h"

#include <string.h>

#include "util.h"

const TSLanguage *tree_sitter_go(void);

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
