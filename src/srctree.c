/*
 * srctree.c - the source tree a build reads, for --isolate (see srctree.h).
 */
#include "srctree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The local directories (./, ../ or absolute) that a go.mod's or go.work's
 * JSON (go mod/work edit -json) names in replace and use, from dir. */
static void local_dirs(struct argv *src, const char *dir, json_t *j)
{
	struct strbuf path = STRBUF_INIT;
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(j, "Replace"), i, e) {
		const char *np = json_string_value(json_object_get(json_object_get(e, "New"), "Path"));
		if (np && (*np == '/' || !strncmp(np, "./", 2) || !strncmp(np, "../", 3))) {
			path_absolute(dir, np, &path);
			argv_push_real(src, path.buf);
		}
	}
	json_array_foreach(json_object_get(j, "Use"), i, e) {
		const char *dp = json_string_value(json_object_get(e, "DiskPath"));
		if (dp) {
			path_absolute(dir, dp, &path);
			argv_push_real(src, path.buf);
		}
	}
	strbuf_release(&path);
}

/* The directory of a go.mod or go.work file, and what it names. */
static void module_dirs(struct argv *src, srctree_edit_fn *edit, void *ctx, const char *file,
			const char *what)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(file, '/');
	json_t *j;

	if (!slash || !strcmp(file, "/dev/null") || !strcmp(file, "off"))
		return;
	strbuf_add(&dir, file, (size_t)(slash - file));
	argv_push_real(src, dir.buf);
	if ((j = edit(ctx, what, file))) {
		local_dirs(src, dir.buf, j);
		json_decref(j);
	}
	strbuf_release(&dir);
}

/*
 * The git repository holding the main module, as the go command reads it
 * to stamp the binary (-buildvcs: `git status`, `git log` in its root):
 * its root, and for a worktree (.git a file) the repository's own git
 * directory. Never a root that is or holds $HOME (a dotfiles repository):
 * then the build stamps nothing, as where git cannot run.
 */
static void vcs_root(struct argv *src, const char *moddir)
{
	struct strbuf d = STRBUF_INIT, git = STRBUF_INIT, line = STRBUF_INIT;
	const char *home = getenv("HOME");
	char real[PATH_MAX];
	struct stat st;

	if (!realpath(moddir, real))
		return;
	strbuf_addstr(&d, real);
	for (;;) {
		strbuf_reset(&git);
		strbuf_addf(&git, "%s/.git", d.len ? d.buf : "");
		if (lstat(git.buf, &st) == 0)
			break;
		char *slash = strrchr(d.buf, '/');
		if (!slash || !d.len)
			goto out;
		strbuf_setlen(&d, (size_t)(slash - d.buf));
	}
	if (!d.len || (home && *home && (realpath(home, real) ? path_within(real, d.buf) : 1)))
		goto out;
	argv_push_real(src, d.buf);
	/* a worktree: "gitdir: DIR/worktrees/NAME"; DIR/commondir names DIR */
	if (S_ISREG(st.st_mode) && strbuf_read_file(&line, git.buf) == 0 &&
	    !strncmp(line.buf, "gitdir: ", 8)) {
		while (line.len && (line.buf[line.len - 1] == '\n' || line.buf[line.len - 1] == ' '))
			strbuf_setlen(&line, line.len - 1);
		path_absolute(d.buf, line.buf + 8, &git);
		strbuf_addstr(&git, "/..");
		strbuf_addstr(&git, "/..");
		if (!path_within(git.buf, d.buf))
			argv_push_real(src, git.buf);
	}
out:
	strbuf_release(&d);
	strbuf_release(&git);
	strbuf_release(&line);
}

void srctree_collect(const struct srctree_env *e, srctree_edit_fn *edit, void *ctx,
		     struct argv *out)
{
	argv_push_real(out, e->cwd);
	if (e->gomod) {
		module_dirs(out, edit, ctx, e->gomod, "mod");
		if (strrchr(e->gomod, '/') && strcmp(e->gomod, "/dev/null")) {
			char *dir = xstrndup(e->gomod, (size_t)(strrchr(e->gomod, '/') - e->gomod));
			vcs_root(out, dir);
			free(dir);
		}
	}
	if (e->gowork)
		module_dirs(out, edit, ctx, e->gowork, "work");
	if (e->gopath) {
		struct strbuf s = STRBUF_INIT;
		for (const char *v = e->gopath; *v; v += strcspn(v, ":"), v += *v == ':') {
			strbuf_reset(&s);
			strbuf_addf(&s, "%.*s/src", (int)strcspn(v, ":"), v);
			argv_push_real(out, s.buf);
		}
		strbuf_release(&s);
	}
}
