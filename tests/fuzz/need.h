/*
 * need.h - the checks the report fuzz targets make of what they get back:
 * a broken promise aborts with the target's name (NEED_TARGET, defined
 * before including this), what was broken and the string, so libFuzzer
 * keeps the input.
 */
#ifndef NEED_H
#define NEED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void need(int cond, const char *what, const char *s)
{
	if (cond)
		return;
	fprintf(stderr, NEED_TARGET ": %s: [%s]\n", what, s ? s : "(null)");
	abort();
}

/* UTF-8 throughout, at most max bytes (0: any length). */
static void text(const char *s, size_t max, const char *what)
{
	size_t n, k;

	if (!s)
		return;
	n = strlen(s);
	need(!max || n <= max, what, s);
	for (size_t i = 0; i < n; i += k)
		need((k = utf8_len(s + i, n - i)) != 0, what, s);
}

#endif
