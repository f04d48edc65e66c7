/*
 * srcallow.h - the in-source opt-out of the gates: a comment
 * "//goinstr:allow REASON" on a site's line, in the project's own code.
 * Found as a comment node of the file's syntax tree (gosyn.h), never by
 * matching text: a string literal may hold anything.
 */
#ifndef SRCALLOW_H
#define SRCALLOW_H

#include "strbuf.h"

/* A reader that keeps the last file parsed (sites come sorted by file). */
struct srcallow {
	char *file;
	struct strbuf src;
	void *syn; /* struct gosyn, or NULL if the file could not be parsed */
};
#define SRCALLOW_INIT { NULL, STRBUF_INIT, NULL }
void srcallow_release(struct srcallow *sa);

/*
 * The reason of a "//goinstr:allow REASON" comment that starts on line
 * of file, into reason (reset first): 1 if there is one, 0 if there is
 * none (or the file cannot be read or parsed), -1 if the directive has no
 * reason (reported in one line "FILE:LINE: ...": it allows nothing).
 */
int srcallow_reason(struct srcallow *sa, const char *file, long long line, struct strbuf *reason);

#endif
