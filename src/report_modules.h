/*
 * report_modules.h - which module a site of a report belongs to.
 *
 * The binaries that logs' headers name are kept (at most REPORT_MAX_BINS)
 * with their modules: the header's main module and deps (schema 2), else
 * `go version -m BINARY` (run once per binary, only when a site of one of
 * its processes is new), else BINARY.sites.jsonl; the --sites
 * inventories' package -> module pairs serve every binary. report.h says
 * the order a module is looked for in, and the bounds (REPORT_MAX_MODULES)
 * past which what is left out falls through to the next source.
 * Everything is owned by the report (r->bins, r->pkgmap) and freed by
 * report_modules_release. Nothing here fails: what cannot be read names
 * no module.
 */
#ifndef REPORT_MODULES_H
#define REPORT_MODULES_H

#include <jansson.h>
#include <stddef.h>

#include "logread.h"
#include "report_types.h"
#include "strbuf.h"

/* A binary a header names (private to report_modules.c). */
struct binfo;

/* The index of a binary that no header named, or that was not kept. */
#define REPORT_NO_BIN ((size_t)-1)

/* The index in r->bins of the binary of header l (its exe, go, main and
 * deps), made on first sight; REPORT_NO_BIN past REPORT_MAX_BINS (and
 * r->bins_cut is set). */
size_t report_bin_index(struct report *r, const struct logline *l);

/* The executable of binary bin, as its header says ("" for REPORT_NO_BIN). */
const char *report_bin_exe(const struct report *r, size_t bin);

/*
 * Append to out the module name of *pkgp, a package of file, for a
 * process of binary b (NULL: none known); "unknown" if nothing says. A
 * "main" package is renamed in *pkgp (freed and replaced) to its import
 * path when something says which.
 */
void report_module_of(struct report *r, struct binfo *b, char **pkgp, const char *file,
		      struct strbuf *out);

/* An inventory record's package -> module pair (a --sites inventory),
 * kept for the sites of every binary. */
void report_modules_add_inventory(struct report *r, json_t *o);

/* Free the binaries and the inventories' pairs. */
void report_modules_release(struct report *r);

#endif
