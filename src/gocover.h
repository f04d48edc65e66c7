/*
 * gocover.h - the go command's coverage step, done again on a package's
 * rewritten files, for the compile shim (cmd_toolexec.c).
 *
 * With -cover (go build -cover, go test -cover, -coverpkg, -coverprofile)
 * the go command runs cmd/cover on the package's files first and compiles
 * its copies instead ($WORK/bNNN/F.cover.go, each starting with a line
 * directive that names the original), with a covervars.go that holds
 * the counters and the coverage meta-data, and -coveragecfg. The shim
 * wraps unsafe operations in the originals, as without -cover (same
 * sites, ids, files, lines and columns), and runs cover again, as the go
 * command did, on the rewritten files: their copies then carry both the
 * counters and the wrappers. The go command's covervars.go, coveragecfg
 * and meta-data file stay as they are (made from the originals: coverage
 * profiles are those of a plain build); the redone copies must declare the
 * same counters, or nothing of the redo is used.
 *
 * What the go command's cover step left is read from the compile's
 * objdir (the directory of -coveragecfg): pkgcfg.txt, coveroutfiles.txt
 * (covervars.go, then one copy per input) and the copies' first lines;
 * the counter mode and prefix from coveragecfg. Every supported release
 * (goenv.c) lays them out so (cmd/go/internal/work: Builder.cover).
 */
#ifndef GOCOVER_H
#define GOCOVER_H

#include "strbuf.h"
#include "util.h"

struct gocover {
	struct strbuf objdir;   /* $WORK/bNNN, without the final '/' */
	char *mode, *prefix;    /* cover's -mode and -var */
	char *covervars;        /* cover's first output */
	struct argv outs, ins;  /* each input's copy, and the input (absolute) */
};

#define GOCOVER_INIT { STRBUF_INIT, NULL, NULL, NULL, ARGV_INIT, ARGV_INIT }

/*
 * Read what the cover step of the compile whose -coveragecfg is cfg left.
 * 0, or -1 (reported: a layout goinstr does not know).
 */
int gocover_load(struct gocover *gc, const char *cfg);
void gocover_release(struct gocover *gc);

/* The index of the input whose copy the compile was given as file, or -1. */
int gocover_input(const struct gocover *gc, const char *file);

/*
 * Run cover (the tool at tool) again, in the private directory dir, on
 * the inputs with text[k] in place of input k where text[k] is not NULL.
 * For each such k, out gets (at index k, others "") the path of its new
 * copy, which starts as the go command's copy does. 0, or -1 (reported:
 * cover failed, or its copies declare other counters than the go
 * command's).
 */
int gocover_redo(const struct gocover *gc, const char *tool, const char *dir,
		 struct strbuf *const *text, struct argv *out);

#endif
