/*
 * policy.c - libFuzzer target: the gates' policy file (policy.h), which
 * a pull request may change. The input is the file: it loads, or is
 * refused with one error; a loaded rule has a reason, an owner, a
 * pattern and a valid date or none; matching any site and the fail-closed
 * checks never crash.
 *
 * Built by `make build/fuzz/policy`; run by tests/fuzz.sh.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "util.h"

static void need(int cond, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "policy: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct policy p;
	int fd;

	if (!*path) {
		snprintf(path, sizeof(path), "/tmp/goinstr-fuzz-policy-%d", (int)getpid());
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return 0;
	need(write(fd, data, size) == (ssize_t)size, "write");
	close(fd);
	if (policy_load(&p, path) == 0) {
		for (size_t i = 0; i < p.nr; i++) {
			const struct prule *r = &p.v[i];
			need(r->reason && *r->reason && r->owner && *r->owner, "reason and owner");
			need(r->module || r->package || r->op || r->target, "a pattern");
			need(!r->expires || strlen(r->expires) == 10, "a date");
		}
		policy_match(&p, "example.com/m@v1.2.3", "example.com/m/p", "unsafe.Pointer", "*int");
		policy_match(&p, "example.com/m", "example.com/m", "reflect.Value.Call", NULL);
		policy_match(&p, NULL, NULL, NULL, NULL);
		policy_check(&p, "2026-12-07", 1);
		policy_release(&p);
	}
	unlink(path);
	return 0;
}
