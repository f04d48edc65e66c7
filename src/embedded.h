/*
 * embedded.h - files compiled into goinstr (inject/ and examples/), see
 * tools/embed.c. The table ends with a NULL name.
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

/* The entry called name, or NULL. */
const struct embedded *embedded_find(const char *name);

#endif
