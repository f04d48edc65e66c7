/*
 * gosyn.h - Go syntax trees: a thin layer over tree-sitter and the
 * tree-sitter-go grammar. Every rewrite in goinstr is located through these
 * trees; no Go source is ever matched with regular expressions.
 */
#ifndef GOSYN_H
#define GOSYN_H

#include <stddef.h>
#include <tree_sitter/api.h>

struct gosyn {
	const char *src; /* borrowed: must outlive the gosyn */
	size_t len;
	TSTree *tree;
	TSNode root;
};

/*
 * Parse src. Returns 0, or -1 if the parser failed outright (reported);
 * a tree with syntax errors still returns 0: check gosyn_has_error().
 * Syntax the grammar predates, new(expr) and a variable named make called
 * as a function, is parsed as ordinary calls (see gosyn.c): the tree's
 * offsets and g->src are always those of src.
 */
int gosyn_parse(struct gosyn *g, const char *src, size_t len);
void gosyn_release(struct gosyn *g);
/* Whether the tree holds an ERROR or MISSING node; *at gets its offset. */
int gosyn_has_error(const struct gosyn *g, size_t *at);
/* 1-based line and column (in bytes) of offset. */
void gosyn_linecol(const struct gosyn *g, size_t off, unsigned *line, unsigned *col);

/* Node text, not NUL-terminated; gosyn_dup returns a malloc'ed copy. */
static inline const char *gosyn_text(const struct gosyn *g, TSNode n, size_t *len)
{
	*len = ts_node_end_byte(n) - ts_node_start_byte(n);
	return g->src + ts_node_start_byte(n);
}
char *gosyn_dup(const struct gosyn *g, TSNode n);
/* Whether node n's text equals s. */
int gosyn_eq(const struct gosyn *g, TSNode n, const char *s);
/* Child by field name ("name", "body", ...); null node if absent. */
TSNode gosyn_field(TSNode n, const char *field);
int gosyn_is(TSNode n, const char *type);

/* Whether the comments right before decl hold the directive (e.g. "//go:nosplit"). */
int gosyn_has_directive(const struct gosyn *g, TSNode decl, const char *directive);

/* Compile a query against the Go language; NULL on error (reported). */
TSQuery *gosyn_query(const char *source);

#endif
