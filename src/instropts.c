/*
 * instropts.c - goinstr's instrumentation options (see instropts.h).
 */
#include "instropts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embedded.h"
#include "goflags.h"
#include "reflectops.h"
#include "util.h"

static int opt_ops(void *dst, const char *v, struct strbuf *err)
{
	return cats_parse(v, &((struct instr_opts *)dst)->ops, err);
}

static int opt_unsafe(void *dst, const char *v, struct strbuf *err)
{
	static const char *const scopes[] = { "all", "main", "deps", "none" };

	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++)
		if (!strcmp(v, scopes[i])) {
			((struct instr_opts *)dst)->unsafe = scopes[i];
			return 0;
		}
	strbuf_addf(err, "unknown --unsafe scope '%s' (want all, main, deps or none)", v);
	return -1;
}

static int opt_inject(void *dst, const char *v, struct strbuf *err)
{
	(void)err;
	((struct instr_opts *)dst)->inject_dir = v;
	embedded_override(v);
	return 0;
}

const struct option instr_common_options[] = {
	OPT_CALL("ops", "LIST", "op categories to instrument: all, default (all but read) or a "
		 "comma list of call,unsafe,mutate,construct,lookup,read", opt_ops),
	OPT_CALL("unsafe", "SCOPE", "packages whose unsafe operations are wrapped and logged: all "
		 "(default: every package outside the standard library), main (the main "
		 "modules), deps, or none", opt_unsafe),
	OPT_BOOL("trust-goroot", struct instr_opts, trust_goroot,
		 "build from a GOROOT that does not match goinstr's verified manifest "
		 "(recorded in every log header)"),
	OPT_CALL("inject-dir", "DIR", "for goinstr developers: take the injected Go files "
		 "(reflect/goinstr_*.go, runtime/goinstr_*.go) from DIR", opt_inject),
	OPT_END(),
};

const struct option instr_options[] = {
	OPT_INCLUDE(instr_common_options),
	OPT_BOOL("keep-work", struct instr_opts, keep_work,
		 "keep the work directory (overlay and rewritten sources of the standard "
		 "library; in unsafe/PKG, each compiled package's rewritten files) and print "
		 "its path"),
	OPT_BOOL("isolate", struct instr_opts, isolate,
		 "run the go command and every tool it starts in a bubblewrap sandbox (no "
		 "network; read-only GOROOT, module cache and source tree, nothing else of "
		 "the file system; writable the build cache, goinstr's cache and the named "
		 "outputs) and each program it starts in a tighter one (no cache; writable "
		 "only the log file); modules must be in the module cache already"),
	OPT_BOOL("strict", struct instr_opts, strict,
		 "fail (exit 2, before building) if anything of the build would run unseen: "
		 "calls into C, functions not in Go, linkname pulls into the runtime, unsafe "
		 "operations left unwrapped, packages compiled without their taps"),
	OPT_END(),
};

const struct option sites_options[] = {
	OPT_INCLUDE(instr_options),
	OPT_STRING("baseline", struct instr_opts, baseline, "OLD",
		   "the static gate: compare with the inventory OLD; print new and removed "
		   "sites; exit 1 on a new site"),
	OPT_STRING("policy", struct instr_opts, policy, "FILE",
		   "with --baseline: the gate's policy (docs/policy.md)"),
	OPT_END(),
};

void instr_opts_init(struct instr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ops = CATS_DEFAULT;
	o->unsafe = "all";
}

/* The directory of a -C flag at argv[i] (-C DIR, -C=DIR, --C ...) and how
 * many arguments it takes; 0 if argv[i] is not one, -1 if DIR is missing. */
static int chdir_flag(int argc, const char **argv, int i, const char **dir)
{
	const char *a = argv[i];

	a += a[0] == '-';
	a += a[0] == '-';
	if (a == argv[i] || a[0] != 'C' || (a[1] && a[1] != '='))
		return 0;
	if (a[1] == '=') {
		*dir = a + 2;
		return 1;
	}
	if (i + 1 >= argc)
		return error("-C needs a directory (-C DIR)");
	*dir = argv[i + 1];
	return 2;
}

int instr_opts_parse(const struct option *opts, struct instr_opts *o, int *argc,
		     const char **argv, int go_flags)
{
	const char **go = xcalloc((size_t)*argc + 1, sizeof(*go));
	const char *dir = NULL;
	int i = 1, nopt = 1, ngo = 0, n, ret = -1;

	while (i < *argc) {
		const char *a = argv[i];
		struct goflag f;
		int pos = i;

		if (!strcmp(a, "--")) { /* ends goinstr's options */
			i++;
			break;
		}
		if ((n = opts_take(opts, o, *argc, argv, i)) < 0)
			goto out;
		if (n) {
			for (int k = 0; k < n; k++)
				argv[nopt++] = argv[i + k];
			i += n;
			continue;
		}
		if ((n = chdir_flag(*argc, argv, i, &dir)) < 0)
			goto out;
		if (n) {
			i += n;
			continue;
		}
		if (!go_flags && a[0] == '-' && a[1]) {
			error("unknown option '%s' (see 'goinstr help %s')", a, argv[0]);
			goto out;
		}
		if (a[0] != '-' || !a[1] || !go_flags) /* the first package, or "-" */
			break;
		goflags_next(*argc, argv, &pos, &f); /* one go flag, with its value */
		for (; i < pos; i++)
			go[ngo++] = argv[i];
	}
	if (!go_flags && i < *argc) {
		error("unexpected argument '%s' (see 'goinstr help %s')", argv[i], argv[0]);
		goto out;
	}
	/* argv: [goinstr's options][the go command's flags][the rest] */
	ret = nopt;
	memcpy(argv + nopt, go, (size_t)ngo * sizeof(*go));
	memmove(argv + nopt + ngo, argv + i, (size_t)(*argc - i) * sizeof(*argv));
	*argc = nopt + ngo + (*argc - i);
	argv[*argc] = NULL;
	if (dir && chdir(dir) < 0) {
		error("-C %s: %s", dir, strerror(errno));
		ret = -1;
	}
out:
	free(go);
	return ret;
}
