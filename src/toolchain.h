/*
 * toolchain.h - a drop-in instrumented Go toolchain: a GOROOT whose plain
 * `go build/test/run/install` build as `goinstr build` does.
 *
 * Layout of DIR (docs/toolchain.md):
 *   every file of the source GOROOT, shared by tree_share (tree.h): hard
 *     links to files of the maker or root, else reflinks or copies, except:
 *   src/reflect/ and src/runtime/goinstr_ files: the instrumented standard
 *     library, written as real files (instrument_std)
 *   bin/go          a shell script: runs pkg/goinstr/go (which finds DIR as
 *                   its GOROOT), with GOROOT=DIR and GOTOOLCHAIN=local only
 *                   where the user's would lead away; `go version` gets
 *                   goinstr's mark
 *   pkg/tool/GOOS_GOARCH/compile  a shell script (unless --unsafe=none):
 *                   `goinstr toolexec` with the options baked in, on
 *                   pkg/goinstr/tool/compile
 *   go.env          GOTOOLCHAIN=local
 *   pkg/goinstr/    the real go and compile, a copy of goinstr, the
 *                   original reflect sources (orig/src/reflect), and
 *                   MANIFEST: every file changed or added, with its
 *                   original and new SHA-256, plus the files kept that no
 *                   release has (all of them, with --trust-goroot)
 * The whole is made in DIR.tmp-PID-XXXXXX beside DIR and renamed into
 * place; directories are 0755 and written files 0644 or 0755, whatever
 * the umask; linked files keep the source GOROOT's modes (files writable
 * by group or others, or owned by another user, are copied, without
 * group/other write).
 * Verifying one: toolchain_verify.h. The layout's paths: toolchain_script.h.
 */
#ifndef TOOLCHAIN_H
#define TOOLCHAIN_H

#include "goenv.h"
#include "strbuf.h"

struct toolchain_opts {
	unsigned ops;        /* op categories (reflectops.h) */
	const char *unsafe;  /* all, main, deps, none */
	int trust_goroot;    /* take a GOROOT that does not match the manifest */
	int force;           /* replace an existing goinstr toolchain at DIR */
	int isolate;         /* bin/go runs the go command in the --isolate sandbox */
};

/*
 * Make the toolchain at dir from env's GOROOT (checked file by file
 * against the release manifest first, unless trust_goroot). dir must not
 * exist, unless force and it is a goinstr toolchain (then it is swapped
 * atomically for the new one). On failure or SIGINT/SIGTERM/SIGHUP
 * nothing is left behind. 0 or -1 (reported; a signal is re-raised once
 * cleaned up).
 */
int toolchain_create(const struct goenv *env, const struct toolchain_opts *o,
		     const char *dir);

/* 1 if dir holds a goinstr toolchain manifest, else 0. */
int toolchain_is(const char *dir);

/*
 * A header value of dir's manifest ("go", "ops", "goinstr", ...), appended
 * to out. 0, or -1 if there is no such line (not reported).
 */
int toolchain_header(const char *dir, const char *key, struct strbuf *out);

#endif
