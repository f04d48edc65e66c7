/*
 * embedded.h - files compiled into goinstr (inject/), see tools/embed.c.
 * The table ends with a NULL name.
 *
 * embedded_override() points lookups at a directory instead (goinstr's
 * --inject-dir, for developers testing a changed logger without
 * rebuilding goinstr): a file present there replaces the compiled-in one.
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>

struct embedded {
	const char *name; /* e.g. "reflect/goinstr_log.go" */
	const unsigned char *data;
	size_t len;
};

extern const struct embedded embedded_files[];

/* Use dir (not copied: must outlive the lookups) for later lookups. */
void embedded_override(const char *dir);
/*
 * The contents of the entry called name, from the override directory if
 * it has the file, else compiled in; NULL if there is no such entry or the
 * override cannot be read (reported). The data stays valid until exit.
 */
const struct embedded *embedded_find(const char *name);

#endif
