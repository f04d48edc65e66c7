/*
 * manifest.h - the SHA-256 of every file under src/ and of the go and
 * compile binaries of each supported Go release, as published in the
 * checksum-verified toolchain modules (scripts/mkmanifest.sh writes
 * manifests/VERSION.PLATFORM.txt; they are compiled into goinstr).
 *
 * goinstr checks each standard-library file it reads against them before
 * rewriting anything (unless --trust-goroot), and `goinstr verify` checks a
 * whole GOROOT.
 */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <stddef.h>

#include "strbuf.h"

struct manifest_entry {
	const char *path; /* relative to GOROOT, e.g. "src/reflect/value.go" */
	const char *hash; /* 64 hex digits (not NUL-terminated) */
};

struct manifest {
	char *name; /* "go1.26.8.linux-amd64" */
	struct manifest_entry *v; /* sorted by path */
	size_t nr;
	char *text; /* owned copy the entries point into */
};

/*
 * Load the manifest of a release for a platform. 0, or -1 (reported: no
 * manifest for this release, the one-line refusal goinstr gives).
 */
int manifest_load(struct manifest *m, const char *version, const char *goos,
		  const char *goarch);
void manifest_release(struct manifest *m);
/* The entry for path, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *path);
/*
 * Check one file's contents against the manifest: 0 if they match, else -1
 * with one line naming the file and both hashes (reported).
 */
int manifest_check(const struct manifest *m, const char *goroot, const char *path,
		   const char *data, size_t len);

#endif
