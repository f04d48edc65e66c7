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
	/* The platform the toolchain itself runs on (its go and compile, and
	 * so its release manifest), whatever GOOS/GOARCH the build targets. */
	char *hostos, *hostarch;
	char *goflags; /* owned: GOFLAGS as the go command reads it ("" if none) */
	/*
	 * The go command to run ("go", or the downloaded toolchain's own: see
	 * goroot_prepare) and what it gets in its environment (run.h).
	 */
	char *gocmd;
	const char *childenv[4];
	char *env_vars[3]; /* owned: the strings of childenv */
	/*
	 * For a GOROOT in the module cache: "ALIAS=>GOMODCACHE", the -trimpath
	 * rewrite that gives dependencies' files their real names back (see
	 * goroot_prepare); NULL otherwise.
	 */
	char *modcache_trim;
};

/* Ask `go env`. 0, or -1 (reported: no go command, bad output). */
int goenv_load(struct goenv *env);
void goenv_release(struct goenv *env);
/* 0 if goinstr knows how to instrument this Go release, else -1 (reported). */
int goenv_check_supported(const struct goenv *env);
/*
 * Make the go command accept overlays for env->goroot, a GOROOT in the
 * module cache (where GOTOOLCHAIN keeps the toolchains it downloads), and
 * make what it runs see what a plain go command's programs see.
 *
 * The go command refuses overlay entries beneath GOMODCACHE, a test on
 * the text of the two paths. The GOROOT's path stays (programs see it:
 * runtime.GOROOT(), stack traces, the GOROOT and PATH the go command
 * gives the programs it runs, a go they run), and the module cache is
 * named "/proc/self/root" GOMODCACHE instead (in the go command's
 * environment): the same directory under a name that does not contain
 * GOROOT's. See docs/architecture.md, "A GOROOT in the module cache". Dependencies' files then have that
 * name, which modcache_trim maps back in every compile and assembly
 * (cmd_toolexec.c), so binaries name them as plain builds do.
 *
 * When the go command in PATH switched to this toolchain, it is run as
 * the go command's own switch runs it: env->gocmd is GOROOT/bin/go, with
 * GOROOT set and GOTOOLCHAIN_INTERNAL_SWITCH_VERSION naming its release
 * (the go command removes that variable before it runs anything, and
 * does not select a toolchain again). GOTOOLCHAIN is left as it is.
 * Nothing is written to disk. 0 or -1 (reported).
 */
int goroot_prepare(struct goenv *env);

/* Append the main modules' directories, one per line, for --unsafe=main
 * or deps (nothing for all or none). 0 or -1 (reported; also when there
 * is no main module: main would wrap nothing, deps everything). */
int goenv_main_dirs(const struct goenv *env, const char *scope, struct strbuf *out);

/*
 * -trimpath. The compiler renames a file by the first rewrite of its
 * -trimpath argument ("from=>to;from2=>to2;from3", from a path prefix,
 * ASCII case and / \\ folded; a rewrite without "=>" removes the prefix),
 * as cmd/internal/objabi.ApplyRewrites does; go_trimpath appends that
 * name of file to out (file itself when no rewrite applies). Text that
 * goinstr bakes into a package (unsafe sites' file names and ids) goes
 * through it, so it is trimmed exactly as the compiler trims positions.
 */
void go_trimpath(const char *file, const char *rewrites, struct strbuf *out);
/*
 * The rewrite the go command gives the compiler for a package under
 * -trimpath (cmd/go's Action.trimpath): its directory becomes
 * MODULE@VERSION/SUBDIR for a module with a version (a dependency), else
 * its import path. modpath and version may be "" (no module, main module).
 */
void go_trimpath_rewrite(const char *dir, const char *importpath, const char *modpath,
			 const char *version, struct strbuf *out);

/*
 * Whether binaries for env's target (GOOS/GOARCH, as the go command
 * resolves them) log: the logger's runtime shim is for Linux only
 * (inject/runtime/goinstr_other.go elsewhere: nothing is logged). With
 * warn, a target that does not log gets one warning line naming it.
 */
int goenv_target_logs(const struct goenv *env, int warn);

/* Append the Go releases goinstr supports ("go1.26, go1.27"), for messages
 * and `goinstr env`. */
void goenv_supported_releases(struct strbuf *out);
/* The same as prose, for help texts: "go1.26.x and go1.27.x". */
void goenv_supported_series(struct strbuf *out);

#endif
