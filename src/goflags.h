/*
 * goflags.h - the go command's own flags, read the way the go command
 * reads them: which take a value, which are build flags (go list takes
 * them too) and which belong to go test or go run, in GOFLAGS and on the
 * command line. Every place goinstr looks at the user's go flags uses
 * this one scanner.
 */
#ifndef GOFLAGS_H
#define GOFLAGS_H

#include "strbuf.h"

enum {
	GF_VALUE = 1,  /* takes a value: -name=V or -name V */
	GF_BUILD = 2,  /* a build flag: go list accepts it with the same meaning */
	GF_OUTPUT = 4, /* says where or how verbosely to build (-o, -x, -n, -v, -work) */
};

struct goflag {
	const char *name;  /* without dashes; NULL for an operand (a package...) */
	const char *value; /* the value, NULL for a flag given without one */
	unsigned kind;     /* GF_* of a known flag; 0 for an unknown one */
	int index, n;      /* where in argv: argv[index..index+n) */
};

/*
 * The next flag or operand of argv[*pos..argc) (the user's go flags and
 * packages: go test's flags may follow its packages). Returns 1 with *f
 * filled and *pos moved past it, or 0 at the end: at argc, or at "-args"
 * or "--", after which come the program's own arguments.
 */
int goflags_next(int argc, const char **argv, int *pos, struct goflag *f);

/*
 * The value of the go flag name as the go command will see it: its last
 * occurrence on the command line, else in goflags (GOFLAGS as `go env`
 * gives it: the environment's, else the go env file's; may be NULL). A
 * flag given without a value reads "true". Appended to out; returns 1 if
 * found, else 0.
 */
int goflags_get(const char *goflags, int argc, const char **argv, const char *name,
		struct strbuf *out);

/*
 * The same for GOFLAGS alone: the value of the flag name in goflags (a
 * GOFLAGS value, e.g. `go env GOFLAGS`: the environment's or the go env
 * file's), its last occurrence. Appended to out; returns 1 if found.
 */
int goflags_in(const char *goflags, const char *name, struct strbuf *out);

/*
 * Append word to a command-line value the go command splits into words
 * (-toolexec, -exec: cmd/internal/quoted), quoted as it needs: a space
 * first unless sb ends in '='.
 */
void goflags_add_word(struct strbuf *sb, const char *w);

/* strconv.ParseBool's true: 1, t, T, TRUE, true, True. */
int goflags_true(const char *v);

#endif
