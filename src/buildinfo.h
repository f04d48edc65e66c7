/*
 * buildinfo.h - the Go build information of binaries goinstr links, and
 * of binaries on disk: what `go version -m` shows. goinstr marks every
 * binary it instruments with build settings there, where release tooling
 * (go version -m, SBOM tools, govulncheck -mode binary) reads:
 *
 *	build	goinstr=VERSION
 *	build	goinstr.ops=LIST       (the op categories instrumented)
 *	build	goinstr.unsafe=SCOPE   (all, main, deps, none)
 *	build	goinstr.goroot=verified|trusted  (checked against the release
 *	                                          manifest, or --trust-goroot)
 *
 * The link shim (cmd_toolexec.c) adds them to the modinfo line of the
 * link's import configuration, which the linker copies into the binary
 * (runtime.modinfo and the .go.buildinfo section); the log header reads
 * goinstr.unsafe back (inject/reflect/goinstr_modinfo.go).
 */
#ifndef BUILDINFO_H
#define BUILDINFO_H

#include "strbuf.h"

struct buildinfo_mark {
	const char *ops, *unsafe;
	int trusted; /* --trust-goroot */
};

/*
 * Add the mark to the linker's import configuration at path (rewritten
 * in place: it is the go command's file of this one link). 0 or -1
 * (reported).
 */
int buildinfo_mark_importcfg(const char *path, const struct buildinfo_mark *m);

/*
 * The Go release and the module information ("path\t...\nmod\t...\n
 * build\tKEY=VALUE\n...", as go version -m prints it, without the
 * sentinels) of the Go binary at path. 0, 1 if it is not a Go binary (or
 * one older than Go 1.18), -1 if it cannot be read (reported).
 */
int buildinfo_read(const char *path, struct strbuf *version, struct strbuf *info);

/* The value of build setting key in info (buildinfo_read's), appended to
 * out (unquoted as Go quotes it); 1 if found, else 0. */
int buildinfo_setting(const char *info, const char *key, struct strbuf *out);

#endif
