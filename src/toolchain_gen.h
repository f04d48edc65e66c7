/*
 * toolchain_gen.h - what goinstr writes into a drop-in toolchain
 * (toolchain.h), computed the same way for making and for verifying one:
 * the instrumented standard library, the originals it replaced, the
 * scripts (toolchain_script.h), its own copy, go.env and the MANIFEST,
 * from the same inputs. Making writes the files (tc.write); verifying only
 * records what they must be. So the MANIFEST is never the trust root of
 * what goinstr generates. Used by toolchain.c and toolchain_verify.c only.
 */
#ifndef TOOLCHAIN_GEN_H
#define TOOLCHAIN_GEN_H

#include "goenv.h"
#include "manifest.h"
#include "strbuf.h"
#include "toolchain_script.h"

/* Where goinstr keeps what it replaced, relative to DIR. */
#define ORIG_DIR "pkg/goinstr/orig"

enum tc_kind { TC_KEPT, TC_CHANGED, TC_ADDED };

/* A file of the MANIFEST. */
struct tc_entry {
	char *path; /* relative to DIR */
	enum tc_kind kind;
	char orig[65], new[65]; /* hex; orig "-" for an added file */
	size_t seq;
};

/* Entries, owned (tc_entries_release frees them); { 0 } is empty. */
struct tc_entries {
	struct tc_entry *v;
	size_t nr, alloc;
};

/*
 * A toolchain being made (write: files are written below root, a
 * temporary directory) or verified (root is DIR; files are only recorded).
 * The caller sets rel, env, ops, unsafe, trust_goroot and isolate (all
 * borrowed); tc_release frees what, id, e and goenv_orig.
 */
struct tc {
	const char *root;
	int write;
	const struct manifest *rel; /* the release manifest; NULL: --trust-goroot */
	struct goenv env;   /* release, platform, and the source GOROOT's path */
	unsigned ops;
	const char *unsafe; /* all, main, deps, none */
	int trust_goroot;
	int isolate;        /* bin/go runs the go command in goinstr's sandbox */
	struct strbuf what; /* "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" */
	struct strbuf id;   /* what compile -V=full adds */
	struct tc_entries e; /* every file changed, added or kept */
	struct strbuf goenv_orig; /* verify: go.env's recorded original digest */
	const struct tc_entries *recorded; /* verify: what the MANIFEST says */
	int no_std; /* verify: the originals differ, so nothing to rewrite */
};

void tc_init(struct tc *t, const char *root, int write);
void tc_release(struct tc *t);
/* t->what from t's options: "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]". */
void tc_format_options(struct tc *t);

/* Append an entry (path copied; orig NULL: "-"). */
void tc_record(struct tc_entries *es, const char *path, enum tc_kind k, const char *orig,
	       const char *new);
void tc_entries_release(struct tc_entries *es);
/* Sort by path; of several records of one path the last one counts. */
void tc_entries_fold(struct tc_entries *es);
/* The entry of path in es, sorted by path (tc_entries_fold), or NULL. */
struct tc_entry *tc_entries_find(const struct tc_entries *es, const char *path);
/* The SHA-256 of data, in hex. */
void tc_hex(const void *data, size_t len, char out[65]);
/* Make root/rel, mode 0755 whatever the umask (only if t->write). 0 or -1 (reported). */
int tc_mkdir(const struct tc *t, const char *rel);

/*
 * 1 if the release manifest rel must have path: whatever the release's
 * toolchain module holds, and anything below src/, bin/, pkg/, lib/.
 * Other files are kept as they are, and listed in the MANIFEST.
 */
int tc_covered(const struct manifest *rel, const char *path);

/*
 * Step 2: the instrumented standard library, from the reflect sources
 * kept in ORIG_DIR (making: moved there from src/reflect first), and
 * t->id. Unless t->no_std, the rewritten files are recorded. 0 or -1
 * (reported).
 */
int tc_put_std(struct tc *t);
/*
 * Step 3: the scripts (the real go and tools moved into pkg/goinstr),
 * goinstr-types, goinstr's copy, go.env and the MANIFEST (written only
 * when making). 0 or -1 (reported).
 */
int tc_put_tools(struct tc *t);

/* go.env's text with every GOTOOLCHAIN line (or one at the end) set to local. */
void tc_goenv_local(const struct strbuf *old, struct strbuf *new);
/* The MANIFEST's text for t (folds t->e). */
void tc_manifest_text(struct tc *t, struct strbuf *sb);
/* The value of header line "# KEY VALUE" of a MANIFEST's text, appended
 * to out. 0, or -1 if there is none. */
int tc_header_of(const char *text, const char *key, struct strbuf *out);
/* The MANIFEST's lines "KIND ORIG NEW PATH" into es, sorted by path (text
 * is cut into lines). */
void tc_parse_entries(char *text, struct tc_entries *es);

#endif
