/*
 * check.h - a minimal TAP producer for goinstr's C tests: each check
 * prints "ok N - what" or "not ok N - what"; check_done() prints the plan
 * and returns the exit code (1 if anything failed).
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_n, check_failed;

#define check(cond, ...) do { \
	int ok_ = !!(cond); \
	printf("%sok %d - ", ok_ ? "" : "not ", ++check_n); \
	printf(__VA_ARGS__); \
	putchar('\n'); \
	if (!ok_) { \
		check_failed++; \
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Compare strings; on mismatch show both. */
#define check_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	check(!strcmp(g_, w_), __VA_ARGS__); \
	if (strcmp(g_, w_)) \
		printf("#   got:  [%s]\n#   want: [%s]\n", g_, w_); \
} while (0)

static inline int check_done(void)
{
	printf("1..%d\n", check_n);
	return check_failed ? 1 : 0;
}

#endif
