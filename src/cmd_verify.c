/*
 * cmd_verify.c - `goinstr verify [GOROOT]`: check a whole GOROOT (every Go
 * source under src/, and the go and compile binaries) against goinstr's
 * manifest of its release. Prints a summary and every file that differs,
 * is missing, or is a .go file the release does not have; exits 1 if any.
 * A goinstr toolchain (toolchain.h) is checked against its own manifest
 * for the files goinstr changed, added or kept outside the release
 * manifest, and against the release manifest for the rest.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "goenv.h"
#include "hash.h"
#include "manifest.h"
#include "toolchain.h"
#include "util.h"

static const struct manifest *vman;
static const char *vroot;
static unsigned long nextra;

/* .go files under src/ the release does not have: added code. */
static int find_extra(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st, (void)ftw;
	if (flag == FTW_F && n > 3 && !strcmp(path + n - 3, ".go") &&
	    !manifest_find(vman, path + strlen(vroot) + 1)) {
		printf("extra:   %s\n", path);
		nextra++;
	}
	return 0;
}

int cmd_verify(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct manifest m = { 0 };
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT, got = STRBUF_INIT;
	unsigned long ok = 0, differ = 0, missing = 0;
	const char *root;
	int ret = EXIT_USAGE;

	if (argc > 2) {
		error("usage: goinstr verify [GOROOT]");
		return EXIT_USAGE;
	}
	if (argc == 2 && toolchain_is(argv[1])) {
		/* A goinstr toolchain: its own manifest, then the release's. */
		int n = toolchain_verify(argv[1]);
		return n < 0 ? EXIT_USAGE : n > 0;
	}
	if (goenv_load(&env) < 0)
		goto out;
	root = argc == 2 ? argv[1] : env.goroot;
	if (argc < 2 && toolchain_is(root)) { /* the go in PATH is a toolchain's */
		int n = toolchain_verify(root);
		ret = n < 0 ? EXIT_USAGE : n > 0;
		goto out;
	}
	if (argc == 2) {
		/* Another GOROOT: ask its own go command for its release. */
		struct strbuf ver = STRBUF_INIT;
		strbuf_addf(&path, "%s/VERSION", root);
		if (strbuf_read_file(&ver, path.buf) < 0) {
			error("'%s' is not a GOROOT: cannot read VERSION: %s", root, strerror(errno));
			strbuf_release(&ver);
			goto out;
		}
		ver.buf[strcspn(ver.buf, "\n")] = '\0';
		free(env.version);
		env.version = strbuf_detach(&ver, NULL);
	}
	if (manifest_load(&m, env.version, env.goos, env.goarch) < 0)
		goto out;
	for (size_t i = 0; i < m.nr; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", root, m.v[i].path);
		/* the module zips rename go.mod files; binaries are per platform */
		strbuf_reset(&data);
		if (strbuf_read_file(&data, path.buf) < 0) {
			printf("missing: %s\n", path.buf);
			missing++;
			continue;
		}
		strbuf_reset(&got);
		sha256_buf_hex(data.buf, data.len, &got);
		if (strncmp(got.buf, m.v[i].hash, 64)) {
			printf("differs: %s (sha256 %.64s expected, %s found)\n", path.buf,
			       m.v[i].hash, got.buf);
			differ++;
		} else {
			ok++;
		}
	}
	vman = &m;
	vroot = root;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/src", root);
	nftw(path.buf, find_extra, 32, FTW_PHYS);
	printf("%s: %s, %lu files checked: %lu match, %lu differ, %lu missing; %lu extra .go files\n",
	       root, m.name, (unsigned long)m.nr, ok, differ, missing, nextra);
	ret = differ || missing || nextra ? 1 : 0;
out:
	manifest_release(&m);
	goenv_release(&env);
	strbuf_release(&path);
	strbuf_release(&data);
	strbuf_release(&got);
	return ret;
}
