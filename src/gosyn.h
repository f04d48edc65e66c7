/*
 * gosyn.h - Go syntax trees: a thin layer over tree-sitter and the
 * tree-sitter-go grammar. Every rewrite in goinstr is located through these
 * trees; no Go source is ever matched with regular expressions.
 *
 * Cost: everything here is linear in the size of the source, or n log n
 * (gosyn_linecol), so a rewrite is too. tree-sitter's ts_node_parent,
 * ts_node_child(n, i), ts_node_prev_sibling and their named variants cost
 * the node's position among its siblings (the root's children are a
 * file's declarations, a block's are its statements): a pass over a tree
 * walks it with gosyn_walk, which hands each node its ancestors.
 */
#ifndef GOSYN_H
#define GOSYN_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

struct gosyn {
	const char *src; /* borrowed: must outlive the gosyn */
	size_t len;
	TSTree *tree;
	TSNode root;
	uint32_t *lines; /* offset of each line's first byte, in order */
	size_t nlines;
};

/*
 * Parse src. Returns 0, or -1 if the parser failed outright (reported);
 * a tree with syntax errors still returns 0: check gosyn_has_error().
 * Syntax the grammar predates (new(expr), a variable named make called as
 * a function, Go 1.27's methods with type parameters) is parsed from a
 * respelled copy (see gosyn.c): the tree's offsets and g->src are always
 * those of src.
 */
int gosyn_parse(struct gosyn *g, const char *src, size_t len);
void gosyn_release(struct gosyn *g);
/* Whether the tree holds an ERROR or MISSING node; *at gets its offset. */
int gosyn_has_error(const struct gosyn *g, size_t *at);
/* 1-based line and column (in bytes) of offset: O(log lines). */
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

/*
 * Whether the comments right before decl hold the directive (e.g.
 * "//go:nosplit"). Costs decl's position among its siblings: for a few
 * declarations (reflect's); a walk over a whole file tracks directives
 * itself.
 */
int gosyn_has_directive(const struct gosyn *g, TSNode decl, const char *directive);

/*
 * The ancestors of the node a walk is at: v[0] is the walk's root,
 * v[n - 1] the node's parent (n is 0 at the root).
 */
struct gosyn_path {
	TSNode *v;
	size_t n, alloc;
};

/*
 * Walk the subtree at root in document order, every node (named or not,
 * comments included), with one tree cursor: linear in its size, and
 * iterative (no recursion however deep the tree). fn is called on each
 * node with leave 0 before its children, then with leave 1 after them;
 * returning nonzero from the first call skips the node's children (the
 * second call still comes).
 */
typedef int (*gosyn_visit)(void *ctx, const struct gosyn_path *path, TSNode n, int leave);
void gosyn_walk(TSNode root, gosyn_visit fn, void *ctx);

/*
 * The grammar's node types, for tables indexed by ts_node_symbol(n): their
 * number, and the name of each (ts_node_type's answer for that symbol).
 */
uint32_t gosyn_nsymbols(void);
const char *gosyn_symbol_name(TSSymbol sym);

/* Compile a query against the Go language; NULL on error (reported). */
TSQuery *gosyn_query(const char *source);

#endif
