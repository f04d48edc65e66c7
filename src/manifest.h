/*
 * manifest.h - the SHA-256 of every file of each Go release goinstr can
 * verify: the files of its toolchain module,
 * golang.org/toolchain@v0.0.1-VERSION.GOOS-GOARCH, whose go.sum hash the
 * go command checks against the checksum database (sum.golang.org) when
 * it downloads it.
 *
 * Where a release's manifest comes from:
 *   built in   manifests/releases.pack, compiled into goinstr: every
 *              release scripts/mkmanifest.sh packed (one table of the
 *              distinct (path, sha256) pairs of all of them, with the
 *              releases each belongs to, zlib-compressed);
 *   added      `goinstr manifest add VERSION` (manifest_add) records one in
 *              the user's data directory, $XDG_DATA_HOME/goinstr/manifests,
 *              else ~/.local/share/goinstr/manifests (0700, files 0600).
 * Every release carries its module's go.sum hash ("h1:", a SHA-256 over
 * the sorted lines "SHA256  golang.org/toolchain@VERSION/PATH"); a
 * manifest read from a file is used only if its entries hash to it and
 * the file is private, so a changed or truncated entry, or a changed
 * hash, is refused.
 *
 * goinstr checks each standard-library file it reads against the
 * manifest before rewriting anything (unless --trust-goroot), `goinstr
 * toolchain` every file it takes, and `goinstr verify` a whole GOROOT.
 */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <stddef.h>

#include "strbuf.h"

struct manifest_entry {
	/* relative to GOROOT, e.g. "src/reflect/value.go"; the module's
	 * _go.mod files (a module zip cannot hold nested go.mod files) are
	 * named go.mod, as in a GOROOT unpacked from a release tarball */
	char *path;
	char hash[65]; /* hex SHA-256 */
};

struct manifest {
	char *name;   /* "go1.26.8.linux-amd64" */
	char *sum;    /* the module's go.sum hash, "h1:..." */
	char *origin; /* "built in", or the file it was read from */
	struct manifest_entry *v; /* sorted by path */
	size_t nr, alloc;
};

#define MANIFEST_INIT { 0 }

/*
 * Load the manifest of a release for a platform: built in, else added to
 * the data directory (checked as above). 0, or -1 (reported: the one-line
 * refusal naming the `goinstr manifest add` that fixes it, or why an
 * added file is not used).
 */
int manifest_load(struct manifest *m, const char *version, const char *goos,
		  const char *goarch);
void manifest_release(struct manifest *m);

/* The entry for a GOROOT path (a module's _go.mod path finds go.mod), or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *path);

/*
 * The digest of a GOROOT file as manifests compare it, hex into out[65]:
 * its SHA-256; for go.env, that of its text with any GOTOOLCHAIN setting
 * read as the release's GOTOOLCHAIN=auto (distributions and goinstr's
 * toolchains set local; nothing else in it may differ).
 */
void manifest_digest(const char *path, const char *data, size_t len, char out[65]);

/*
 * Check one file's contents against the manifest: 0 if they match, else -1
 * with one line naming the file and both hashes (reported).
 */
int manifest_check(const struct manifest *m, const char *goroot, const char *path,
		   const char *data, size_t len);

/* The go.sum hash of m's entries (appended to out; see above). */
void manifest_h1(const struct manifest *m, struct strbuf *out);

/*
 * A release's manifest from its toolchain module's directory in the
 * module cache (every regular file, but the go.mod copies the go command
 * makes beside _go.mod files), named name ("go1.26.9.linux-amd64"); 0 if
 * its entries hash to sum (the hash the go command checked), else -1
 * (reported: the directory does not match its checksum).
 */
int manifest_from_module(struct manifest *m, const char *name, const char *dir,
			 const char *sum);

/*
 * Record m in the data directory (created 0700; it and the file must be
 * private), as manifests/NAME, written through a temporary file; the
 * path is appended to path. 0 or -1 (reported).
 */
int manifest_save(const struct manifest *m, struct strbuf *path);
/* The module (zip) name of an entry, relative to the module root
 * (go.mod files are _go.mod there), appended to out. */
void manifest_zip_name(const struct manifest_entry *e, struct strbuf *out);
/* Read a data file, checked (private, hashes to its sum). 0 or -1 (reported). */
int manifest_read(struct manifest *m, const char *path);

/* The first bytes of a pack (manifests/releases.pack). */
#define PACK_MAGIC "goinstr-pack 1 "

/*
 * The pack of n manifests (in any order: packed sorted by release, then
 * platform), for manifests/releases.pack. Deterministic. manifest_pack.c.
 */
void manifest_pack(const struct manifest *v, size_t n, struct strbuf *out);

/*
 * The releases goinstr can verify: one line per release, "NAME SUM
 * ORIGIN", built-in ones first, then those in the data directory. Every
 * one is loaded and its entries hashed: one line on stderr for each that
 * does not match or cannot be used, counted in *bad. 0, or -1 (reported)
 * when the built-in pack is unreadable.
 */
int manifest_list(struct strbuf *out, unsigned *bad);

/* The data directory, $XDG_DATA_HOME/goinstr or ~/.local/share/goinstr
 * (appended to out). 0, or -1 if neither is set (not reported). */
int manifest_data_dir(struct strbuf *out);

/* "golang.org/toolchain@v0.0.1-" */
#define MANIFEST_MODULE_PREFIX "golang.org/toolchain@v0.0.1-"

#endif
