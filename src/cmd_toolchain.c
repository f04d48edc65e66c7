/*
 * cmd_toolchain.c - `goinstr toolchain [options] DIR`: make a drop-in
 * instrumented Go toolchain at DIR from the go command's GOROOT (see
 * toolchain.h). With PATH=DIR/bin:$PATH, plain go commands build as
 * `goinstr build` with the same options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "goenv.h"
#include "toolchain.h"
#include "util.h"
#include "version.h"

int cmd_toolchain(int argc, const char **argv)
{
	struct instr_opts io;
	struct toolchain_opts o = { 0 };
	struct goenv env = { 0 };
	const char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0, n, ret = EXIT_USAGE;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			o.force = 1;
		else
			rest[nrest++] = argv[i];
	}
	if ((n = instr_opts_parse(&io, nrest, rest)) < 0)
		goto out;
	if (io.keep_work) {
		error("--keep-work: a toolchain keeps its rewritten sources in DIR/src");
		goto out;
	}
	if (n != nrest - 1 || rest[n][0] == '-') {
		error(n < nrest && rest[n][0] == '-' ?
		      "unknown option '%s' (see 'goinstr help toolchain')" :
		      "usage: goinstr toolchain [--ops=LIST] [--unsafe=SCOPE] [--trust-goroot] [--force] DIR%s",
		      n < nrest && rest[n][0] == '-' ? rest[n] : "");
		goto out;
	}
	o.ops = io.ops;
	o.unsafe = io.unsafe;
	o.trust_goroot = io.trust_goroot;
	if (goenv_load(&env) < 0 || goenv_check_supported(&env) < 0)
		goto out;
	if (toolchain_create(&env, &o, rest[n]) < 0)
		goto out;
	printf("%s: %s %s/%s instrumented by goinstr %s; put %s/bin first in PATH\n",
	       rest[n], env.version, env.goos, env.goarch, GOINSTR_VERSION, rest[n]);
	ret = 0;
out:
	goenv_release(&env);
	free(rest);
	return ret;
}
