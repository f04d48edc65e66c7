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

struct goenv {
	char *goroot, *version, *goos, *goarch; /* owned */
};

/* Ask `go env`. 0, or -1 (reported: no go command, bad output). */
int goenv_load(struct goenv *env);
void goenv_release(struct goenv *env);
/* 0 if goinstr knows how to instrument this Go release, else -1 (reported). */
int goenv_check_supported(const struct goenv *env);
/* The Go releases goinstr supports, for messages and `goinstr env`. */
extern const char goenv_supported_releases[];

#endif
