/*
 * goenv.h - what the go command that will run says about itself
 * (`go env -json`), and whether goinstr supports it.
 *
 * GOTOOLCHAIN and go.mod's toolchain line may switch toolchains, so the
 * answer is asked of `go` in the current directory with the user's
 * environment: overlay paths must name the GOROOT actually used.
 */
#ifndef GOENV_H
#define GOENV_H

#include "strbuf.h"

struct goenv {
	char *goroot, *version, *goos, *goarch, *gomodcache; /* owned */
	/*
	 * The go command to run ("go" unless goroot_prepare() switched to a
	 * mirror) and the GOROOT it was mirrored from (NULL if not).
	 */
	char *gocmd, *mirrored_from;
};

/* Ask `go env`. 0, or -1 (reported: no go command, bad output). */
int goenv_load(struct goenv *env);
void goenv_release(struct goenv *env);
/* 0 if goinstr knows how to instrument this Go release, else -1 (reported). */
int goenv_check_supported(const struct goenv *env);
/*
 * Make env->goroot a GOROOT the go command accepts overlays for. Go
 * refuses to overlay files beneath GOMODCACHE, which is where GOTOOLCHAIN
 * keeps the toolchains it downloads; such a GOROOT is mirrored once, as
 * hard links (copies across file systems), to a stable path in goinstr's
 * cache ($XDG_CACHE_HOME/goinstr, else ~/.cache/goinstr), and the go
 * command of the mirror is used with GOROOT set and GOTOOLCHAIN=local.
 * The path is stable so Go's build cache keeps working across builds.
 * 0 or -1 (reported).
 */
int goroot_prepare(struct goenv *env);
/* Export GOROOT and GOTOOLCHAIN for a mirrored toolchain (no-op otherwise). */
void goroot_setenv(const struct goenv *env);

/* Append the main modules' directories, one per line, for --unsafe=main
 * or deps (nothing for all or none). 0 or -1 (reported). */
int goenv_main_dirs(const struct goenv *env, const char *scope, struct strbuf *out);

/* The Go releases goinstr supports, for messages and `goinstr env`. */
extern const char goenv_supported_releases[];

#endif
