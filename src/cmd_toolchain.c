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
#include "commands.h"
#include "goenv.h"
#include "toolchain.h"
#include "util.h"
#include "version.h"

/* What the command line says: goinstr's instrumenting options, and --force. */
struct cli {
	struct instr_opts io;
	int force, isolate;
};

const struct option toolchain_options[] = {
	OPT_GROUP(struct cli, io, instr_common_options),
	OPT_BOOL("force", struct cli, force, "replace an existing goinstr toolchain at DIR"),
	OPT_BOOL("isolate", struct cli, isolate,
		 "DIR/bin/go runs the go command, and every tool it starts, in a bubblewrap "
		 "sandbox (as goinstr build --isolate)"),
	OPT_END(),
};

int cmd_toolchain(int argc, const char **argv)
{
	struct cli cli = { .force = 0 };
	struct toolchain_opts o = { 0 };
	struct goenv env = { 0 };
	const char **rest;
	int n, ret = EXIT_USAGE;

	instr_opts_init(&cli.io);
	if ((n = opts_parse(toolchain_options, &cli, argc, argv, 0)) < 0)
		goto out;
	if (n != argc - 1) {
		ret = cmd_usage_error("toolchain");
		goto out;
	}
	rest = argv;
	o.ops = cli.io.ops;
	o.unsafe = cli.io.unsafe;
	o.trust_goroot = cli.io.trust_goroot;
	o.force = cli.force;
	o.isolate = cli.isolate;
	if (goenv_load(&env) < 0 || goenv_check_supported(&env) < 0)
		goto out;
	if (toolchain_create(&env, &o, rest[n]) < 0)
		goto out;
	printf("%s: %s %s/%s instrumented by goinstr %s; put %s/bin first in PATH\n",
	       rest[n], env.version, env.goos, env.goarch, GOINSTR_VERSION, rest[n]);
	ret = 0;
out:
	goenv_release(&env);
	return ret;
}
