/*
 * gocover.c - cmd/cover again, on a package's rewritten files (see
 * gocover.h).
 */
#include "gocover.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run.h"

/* The first line of a file, without its '\n'. 0 or -1 (reported). */
static int first_line(const char *path, struct strbuf *line)
{
	if (strbuf_read_file(line, path) < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	strbuf_setlen(line, strcspn(line->buf, "\n"));
	return 0;
}

/* NAME of a line "//line NAME:1:1" (cover's first line), appended. */
static int line_name(const char *line, struct strbuf *name)
{
	size_t n = strlen(line);

	if (strncmp(line, "//line ", 7) || n < 12 || strcmp(line + n - 4, ":1:1"))
		return -1;
	strbuf_add(name, line + 7, n - 11);
	return 0;
}

static char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? xstrdup(s) : NULL;
}

int gocover_load(struct gocover *gc, const char *cfg)
{
	struct strbuf path = STRBUF_INIT, list = STRBUF_INIT, line = STRBUF_INIT;
	json_error_t jerr;
	json_t *o;
	const char *slash = strrchr(cfg, '/');
	int ret = 0;

	if (!slash)
		return error("unexpected -coveragecfg '%s'", cfg);
	strbuf_add(&gc->objdir, cfg, (size_t)(slash - cfg));
	if (!(o = json_load_file(cfg, 0, &jerr)))
		return error("cannot read '%s': %s", cfg, jerr.text);
	gc->mode = json_str(o, "CounterMode");
	gc->prefix = json_str(o, "CounterPrefix");
	json_decref(o);
	if (!gc->mode || !gc->prefix)
		return error("'%s' names no counter mode and prefix", cfg);

	strbuf_addf(&path, "%s/coveroutfiles.txt", gc->objdir.buf);
	if (strbuf_read_file(&list, path.buf) < 0) {
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	for (char *p = list.buf; *p && !ret;) {
		size_t n = strcspn(p, "\n");
		char *f = xstrndup(p, n);
		p += n + (p[n] == '\n');
		if (!gc->covervars) {
			gc->covervars = f;
			continue;
		}
		strbuf_reset(&line);
		strbuf_reset(&path);
		if (first_line(f, &line) < 0)
			ret = -1;
		else if (line_name(line.buf, &path) < 0 || path.buf[0] != '/')
			ret = error("'%s' does not start with a line directive naming its original", f);
		else {
			argv_push(&gc->outs, f);
			argv_push(&gc->ins, path.buf);
		}
		free(f);
	}
	if (!ret && !gc->covervars)
		ret = error("'%s/coveroutfiles.txt' is empty", gc->objdir.buf);
out:
	strbuf_release(&path);
	strbuf_release(&list);
	strbuf_release(&line);
	return ret;
}

void gocover_release(struct gocover *gc)
{
	strbuf_release(&gc->objdir);
	free(gc->mode);
	free(gc->prefix);
	free(gc->covervars);
	argv_release(&gc->outs);
	argv_release(&gc->ins);
	memset(gc, 0, sizeof(*gc));
}

int gocover_input(const struct gocover *gc, const char *file)
{
	for (size_t k = 0; k < gc->outs.nr; k++)
		if (!strcmp(gc->outs.v[k], file))
			return (int)k;
	return -1;
}

/* The counters a covervars.go declares: its "var NAME [N]uint32" lines. */
static int counters(const char *path, struct strbuf *out)
{
	struct strbuf src = STRBUF_INIT;

	if (strbuf_read_file(&src, path) < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	for (const char *p = src.buf; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 11 && !strncmp(p, "var ", 4) && !strncmp(p + n - 7, "]uint32", 7))
			strbuf_addf(out, "%.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	strbuf_release(&src);
	return 0;
}

/*
 * The go command's pkgcfg.txt with the files cover writes besides its
 * copies (the fixup config, a meta-data file) moved into dir: those of
 * the go command's own run are the ones used.
 */
static int write_pkgcfg(const struct gocover *gc, const char *dir, const char *dst)
{
	struct strbuf path = STRBUF_INIT;
	json_error_t jerr;
	json_t *o;
	char *text = NULL;
	int ret = 0;

	strbuf_addf(&path, "%s/pkgcfg.txt", gc->objdir.buf);
	if (!(o = json_load_file(path.buf, 0, &jerr))) {
		ret = error("cannot read '%s': %s", path.buf, jerr.text);
		goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/coveragecfg", dir);
	json_object_set_new(o, "OutConfig", json_string(path.buf));
	if (json_string_length(json_object_get(o, "EmitMetaFile"))) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/covmeta", dir);
		json_object_set_new(o, "EmitMetaFile", json_string(path.buf));
	}
	if (!(text = json_dumps(o, JSON_COMPACT)))
		ret = error("cannot write '%s'", dst);
	else
		ret = write_file(dst, text, strlen(text), 0600);
out:
	free(text);
	json_decref(o);
	strbuf_release(&path);
	return ret;
}

/*
 * cover's command line into args: the inputs, with text[k] written to
 * cdir in place of input k where text[k] is not NULL; each copy's path
 * into copies, and the list of outputs (covervars.go first) written to
 * listfile. 0 or -1 (reported).
 */
static int cover_args(const struct gocover *gc, const char *tool, const char *cdir,
		      struct strbuf *const *text, const char *pkgcfg, const char *listfile,
		      struct argv *args, struct argv *copies)
{
	struct strbuf list = STRBUF_INIT, buf = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&list, "%s/covervars.go\n", cdir);
	argv_push(args, tool);
	argv_push(args, "-pkgcfg");
	argv_push(args, pkgcfg);
	argv_push(args, "-mode");
	argv_push(args, gc->mode);
	argv_push(args, "-var");
	argv_push(args, gc->prefix);
	argv_push(args, "-outfilelist");
	argv_push(args, listfile);
	for (size_t k = 0; k < gc->ins.nr && !ret; k++) {
		const char *base = strrchr(gc->outs.v[k], '/') + 1;
		strbuf_reset(&buf);
		strbuf_addf(&buf, "%s/%s", cdir, base);
		strbuf_addf(&list, "%s\n", buf.buf);
		argv_push(copies, buf.buf);
		if (!text[k]) {
			argv_push(args, gc->ins.v[k]);
			continue;
		}
		strbuf_reset(&buf);
		strbuf_addf(&buf, "%s/in_%zu_%s", cdir, k, strrchr(gc->ins.v[k], '/') + 1);
		ret = write_file(buf.buf, text[k]->buf, text[k]->len, 0600);
		argv_push(args, buf.buf);
	}
	if (ret || write_file(listfile, list.buf, list.len, 0600) < 0)
		ret = -1;
	strbuf_release(&list);
	strbuf_release(&buf);
	return ret;
}

/* Run cover; 0 or -1 (reported, with the first line of its output). */
static int run_cover(const char *tool, const struct argv *args)
{
	struct strbuf log = STRBUF_INIT;
	struct child c = CHILD_INIT;
	int ret = 0, st;

	c.argv = (const char *const *)args->v;
	c.in = CHILD_NULL;
	c.out = c.err = CHILD_CAPTURE;
	c.out_buf = c.err_buf = &log;
	if ((st = run_child(&c)) != 0)
		ret = st < 0 ? -1 : error("'%s' failed on the rewritten files: %.*s", tool,
					  (int)strcspn(log.buf, "\n"), log.buf);
	strbuf_release(&log);
	return ret;
}

/* The same counters in cdir's covervars.go as in the go command's, or the
 * copies do not fit its covervars.go and meta-data. 0 or -1 (reported). */
static int same_counters(const struct gocover *gc, const char *cdir)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/covervars.go", cdir);
	if (counters(gc->covervars, &want) < 0 || counters(path.buf, &got) < 0)
		ret = -1;
	else if (want.len != got.len || memcmp(want.buf, got.buf, want.len))
		ret = error("cover declares other counters for the rewritten files of '%s'",
			    gc->objdir.buf);
	strbuf_release(&path);
	strbuf_release(&want);
	strbuf_release(&got);
	return ret;
}

/* Each new copy starts as the go command's did: "//line ORIGINAL:1:1".
 * Its path into out (at index k, others ""). 0 or -1 (reported). */
static int fix_first_lines(const struct gocover *gc, struct strbuf *const *text,
			   const struct argv *copies, struct argv *out)
{
	struct strbuf buf = STRBUF_INIT;
	int ret = 0;

	for (size_t k = 0; k < gc->ins.nr && !ret; k++) {
		struct strbuf first = STRBUF_INIT;
		if (!text[k]) {
			argv_push(out, "");
			continue;
		}
		strbuf_reset(&buf);
		if (first_line(gc->outs.v[k], &first) < 0 || strbuf_read_file(&buf, copies->v[k]) < 0) {
			ret = error("cannot read '%s'", copies->v[k]);
		} else if (strncmp(buf.buf, "//line ", 7)) {
			ret = error("'%s' does not start with a line directive", copies->v[k]);
		} else {
			size_t n = strcspn(buf.buf, "\n");
			strbuf_addch(&first, '\n');
			if (buf.buf[n])
				strbuf_add(&first, buf.buf + n + 1, buf.len - n - 1);
			ret = write_file(copies->v[k], first.buf, first.len, 0600);
			argv_push(out, copies->v[k]);
		}
		strbuf_release(&first);
	}
	strbuf_release(&buf);
	return ret;
}

int gocover_redo(const struct gocover *gc, const char *tool, const char *dir,
		 struct strbuf *const *text, struct argv *out)
{
	struct strbuf path = STRBUF_INIT, pkgcfg = STRBUF_INIT, listfile = STRBUF_INIT;
	struct argv args = ARGV_INIT, copies = ARGV_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/cover", dir);
	if (mkdir(path.buf, 0700) < 0) {
		ret = error("cannot create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	strbuf_addf(&pkgcfg, "%s/pkgcfg.txt", path.buf);
	strbuf_addf(&listfile, "%s/coveroutfiles.txt", path.buf);
	if (write_pkgcfg(gc, path.buf, pkgcfg.buf) < 0 ||
	    cover_args(gc, tool, path.buf, text, pkgcfg.buf, listfile.buf, &args, &copies) < 0 ||
	    run_cover(tool, &args) < 0 || same_counters(gc, path.buf) < 0)
		ret = -1;
	else
		ret = fix_first_lines(gc, text, &copies, out);
out:
	argv_release(&args);
	argv_release(&copies);
	strbuf_release(&path);
	strbuf_release(&pkgcfg);
	strbuf_release(&listfile);
	return ret;
}
