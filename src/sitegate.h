/*
 * sitegate.h - the static gate: a build's sites inventory (goinstr
 * sites) against a committed one, OLD. A site's key is what it is, not
 * where: "OP PACKAGE EXPR", with " #N" for the N-th site (in file, line,
 * column order) of one package with the same op and expression, so a
 * site keeps its key when lines move. The standard library's entries
 * (module std) are left out: they change with the Go release, not with
 * the code under review.
 *
 * Prints "new: KEY at FILE:LINE:COL (MODULE)" for each site not in OLD,
 * "removed: ..." for each site of OLD not in the build, "allowed: ...:
 * REASON" for a new site a policy rule or a //goinstr:allow comment
 * accepts, "denied: ...: RULE REASON" for each site a deny rule refuses
 * (new or not), then "N new sites, M removed, K allowed, D denied".
 */
#ifndef SITEGATE_H
#define SITEGATE_H

#include <stddef.h>

struct policy;

/*
 * Compare the inventory cur (len bytes of JSON Lines) with the inventory
 * in file old (plain or gzip), under policy pol (may be NULL; its allow
 * rules that match no site and its expired rules fail the gate, each in
 * one line). Returns the number of failures (new sites neither allowed
 * nor in OLD, denied sites, failed rules), or -1 if OLD or cur is not a
 * sites inventory (one line naming the file and line; a goinstr log or
 * report given as OLD is named as such).
 */
long sitegate_compare(const char *old, const char *cur, size_t len, struct policy *pol);

/* Whether data looks like a sites inventory: its first line is a JSON
 * object with "id", "op" and "wrapped" and no "msg". */
int sitegate_is_inventory(const char *data, size_t len);
/* The same for the first line of a file (plain or gzip); 0 if it cannot
 * be read (the caller's own reading says why). */
int sitegate_is_inventory_file(const char *path);

#endif
