/*
 * cmd_verify.c - `goinstr verify [GOROOT]`: check a whole GOROOT against
 * goinstr's manifest of its release (manifest.h): every file of the
 * release's toolchain module (src/, bin/, pkg/, lib/...; go.env with its
 * GOTOOLCHAIN setting aside). Prints a summary and every file that
 * differs, is missing, or was added under src/, bin/ or pkg/tool/, and
 * every set-user-ID or set-group-ID file; exits 1 if any. A goinstr toolchain (toolchain.h) is checked by
 * toolchain_verify.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "commands.h"
#include "opts.h"
#include "goenv.h"
#include "manifest.h"
#include "toolchain.h"
#include "toolchain_verify.h"
#include "tree.h"
#include "util.h"

/* The walk for files the release does not have, and for set-id files. */
struct extra {
	const struct manifest *m;
	unsigned long nr, setid;
};

static int find_extra(void *ctx, const struct tree_entry *e)
{
	struct extra *x = ctx;

	if (e->kind == TREE_DIR)
		return 0;
	if (e->kind == TREE_FILE && (e->st->st_mode & (S_ISUID | S_ISGID))) {
		/* No release has one: whoever starts it runs as its owner or group. */
		printf("setid:   %s (mode %04o)\n", e->path, (unsigned)(e->st->st_mode & 07777));
		x->setid++;
	}
	if ((path_beneath(e->rel, "src") || path_beneath(e->rel, "bin") || path_beneath(e->rel, "pkg/tool")) &&
	    !manifest_find(x->m, e->rel)) {
		printf("extra:   %s\n", e->path);
		x->nr++;
	}
	return 0;
}

struct platform {
	char *goos, *goarch;
	int n;
};

static int platform_one(void *ctx, const struct tree_entry *e)
{
	struct platform *p = ctx;
	const char *us = strchr(e->rel, '_');

	if (e->kind == TREE_DIR && *e->rel && us && p->n++ == 0) {
		p->goos = xstrndup(e->rel, (size_t)(us - e->rel));
		p->goarch = xstrdup(us + 1);
	}
	return 0;
}

/* GOOS and GOARCH from the one GOOS_GOARCH directory in root/pkg/tool, if
 * there is one (replacing *goos and *goarch). */
static void tool_platform(const char *root, char **goos, char **goarch)
{
	struct strbuf dir = STRBUF_INIT;
	struct platform p = { NULL, NULL, 0 };

	strbuf_addf(&dir, "%s/pkg/tool", root);
	if (access(dir.buf, F_OK) == 0 && tree_walk(dir.buf, TREE_SHALLOW, platform_one, &p) == 0 &&
	    p.n == 1) {
		free(*goos);
		free(*goarch);
		*goos = p.goos;
		*goarch = p.goarch;
	} else {
		free(p.goos);
		free(p.goarch);
	}
	strbuf_release(&dir);
}

/*
 * Check root/path against e, printing a line if it differs: 1 matched, 0
 * differs, -1 no such file.
 */
static int check_file(const char *root, const char *path, const struct manifest_entry *e,
		      struct strbuf *data)
{
	struct strbuf p = STRBUF_INIT;
	char got[65];
	int ret = 1;

	strbuf_addf(&p, "%s/%s", root, path);
	strbuf_reset(data);
	if (strbuf_read_file(data, p.buf) < 0) {
		ret = -1;
	} else {
		manifest_digest(e->path, data->buf, data->len, got);
		if (strcmp(got, e->hash)) {
			printf("differs: %s (sha256 %s expected, %s found)\n", p.buf, e->hash, got);
			ret = 0;
		}
	}
	strbuf_release(&p);
	return ret;
}

int cmd_verify(int argc, const char **argv)
{
	struct goenv env = { 0 };
	struct manifest m = MANIFEST_INIT;
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct extra x = { &m, 0, 0 };
	unsigned long ok = 0, differ = 0, missing = 0;
	const char *root;
	int ret = EXIT_USAGE;

	{
		int n = opts_parse((const struct option[]){ OPT_END() }, NULL, argc, argv, 0);
		if (n < 0)
			return EXIT_USAGE;
		if (argc - n > 1)
			return cmd_usage_error("verify");
		argv += n - 1;
		argc -= n - 1;
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
		/* Another GOROOT: its release from VERSION, its platform from its tools. */
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
		tool_platform(root, &env.hostos, &env.hostarch);
	}
	if (manifest_load(&m, env.version, env.hostos, env.hostarch) < 0)
		goto out;
	for (size_t i = 0; i < m.nr; i++) {
		const char *p = m.v[i].path;
		size_t n = strlen(p);
		int r = check_file(root, p, &m.v[i], &data), r2 = -1;

		/* A GOROOT from the module zip has _go.mod files (and, once the
		 * go command has run it, go.mod copies of them): both count. */
		if (n >= 6 && !strcmp(p + n - 6, "go.mod") && (n == 6 || p[n - 7] == '/')) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%.*s_go.mod", (int)(n - 6), p);
			r2 = check_file(root, path.buf, &m.v[i], &data);
		}
		if (r < 0 && r2 < 0) {
			printf("missing: %s/%s\n", root, p);
			missing++;
		}
		ok += (r == 1) + (r2 == 1);
		differ += (r == 0) + (r2 == 0);
	}
	if (tree_walk(root, 0, find_extra, &x) < 0)
		goto out;
	printf("%s: %s (%s manifest), %lu files checked: %lu match, %lu differ, %lu missing;"
	       " %lu extra, %lu set-id\n", root, m.name, m.origin, ok + differ, ok, differ, missing,
	       x.nr, x.setid);
	ret = differ || missing || x.nr || x.setid ? 1 : 0;
out:
	manifest_release(&m);
	goenv_release(&env);
	strbuf_release(&path);
	strbuf_release(&data);
	return ret;
}
