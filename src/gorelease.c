/*
 * gorelease.c - Go release names in release order (see gorelease.h).
 */
#include "gorelease.h"

#include <stdlib.h>
#include <string.h>

/*
 * Release order: go1.26.8 -> {1, 26, 8, 3, 0}, go1.26rc2 -> {1, 26, 0, 2, 2},
 * go1.26beta1 -> {1, 26, 0, 1, 1}: a final release after its rcs and betas.
 */
static void version_key(const char *name, long k[5])
{
	char *e;

	memset(k, 0, 5 * sizeof(*k));
	k[0] = strtol(name + 2, &e, 10); /* past "go" */
	if (*e == '.')
		k[1] = strtol(e + 1, &e, 10);
	k[3] = 3;
	if (*e == '.' && e[1] >= '0' && e[1] <= '9') {
		k[2] = strtol(e + 1, &e, 10);
	} else if (!strncmp(e, "rc", 2)) {
		k[3] = 2;
		k[4] = strtol(e + 2, &e, 10);
	} else if (!strncmp(e, "beta", 4)) {
		k[3] = 1;
		k[4] = strtol(e + 4, &e, 10);
	}
}

int gorelease_cmp(const char *a, const char *b)
{
	long ka[5], kb[5];
	const char *pa = strrchr(a, '.'), *pb = strrchr(b, '.');

	version_key(a, ka);
	version_key(b, kb);
	for (int i = 0; i < 5; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return strcmp(pa ? pa : a, pb ? pb : b);
}
