/*
 * toolchain_script.h - the scripts of a drop-in toolchain (toolchain.h):
 * bin/go, the drop-in go command, and the compiler's and linker's scripts
 * in pkg/tool/GOOS_GOARCH. Text only: they append a script to sb and
 * touch no file. Each script finds DIR from its own path ($0, or the
 * path a symbolic link to it resolves to), so the paths below, which
 * the scripts bake in, are the toolchain's layout.
 */
#ifndef TOOLCHAIN_SCRIPT_H
#define TOOLCHAIN_SCRIPT_H

#include "strbuf.h"

/* Where the manifest lives, relative to DIR. */
#define TOOLCHAIN_MANIFEST "pkg/goinstr/MANIFEST"
/*
 * The release's go command, moved aside from bin/go (a script now). Two
 * levels below DIR, so that the go command finds DIR as its GOROOT from
 * its own path (cmd/go's findGOROOT tries the executable's ../.. and
 * ../../..), and the script need not set GOROOT for it: programs that go
 * run and go test start see the user's GOROOT, as with a plain toolchain.
 */
#define REAL_GO "pkg/goinstr/go"

/* What the tools' scripts bake in (borrowed, not copied). */
struct toolchain_script_opts {
	const char *what;    /* "ops=LIST unsafe=SCOPE[ trust-goroot][ isolate]" */
	const char *unsafe;  /* all, main, deps, none */
	const char *version; /* the release, "go1.26.8" */
	const char *id;      /* what compile -V=full adds (instrument.h) */
	unsigned ops;        /* op categories (reflectops.h): the binary's mark */
	int trust_goroot;
};

/*
 * bin/go: runs REAL_GO (in goinstr's sandbox if isolate), setting GOROOT
 * and GOTOOLCHAIN only where the user's would lead away from DIR; marks
 * `go version`; runs `go test` with -count=1 when it is asked to log.
 * release is `go env GOVERSION` (text after a space is ignored).
 */
void toolchain_script_go(struct strbuf *sb, const char *what, const char *release, int isolate);

/*
 * The script of pkg/tool/GOOS_GOARCH/TOOL (tool: "compile" or "link"):
 * `goinstr toolexec` with o baked in, on pkg/goinstr/tool/TOOL.
 */
void toolchain_script_tool(struct strbuf *sb, const char *tool,
			   const struct toolchain_script_opts *o);

#endif
