/*
 * opts.c - the one parser of goinstr's own options (see opts.h).
 */
#include "opts.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The row for "--name[=...]" (len: of name), searching groups too; *base
 * gets the offset of the struct its field is in. */
static const struct option *find(const struct option *o, const char *name, size_t len,
				 size_t *base)
{
	for (; o->type != OPT_T_END; o++) {
		const struct option *g;
		size_t at = *base;
		if (o->type == OPT_T_GROUP) {
			*base += o->off;
			if ((g = find(o->group, name, len, base)))
				return g;
			*base = at;
		} else if (strlen(o->name) == len && !strncmp(o->name, name, len)) {
			return o;
		}
	}
	return NULL;
}

/*
 * Read the option argv[i] ("--name[=V]", with "--name V" taking argv[i+1])
 * into dst. Returns how many arguments it took, 0 if the table has no such
 * option, -1 on a bad value (reported). An OPT_T_LIST without "=" sets
 * *list to the list that takes the operands that follow.
 */
static int take(const struct option *opts, void *dst, int argc, const char **argv, int i,
		struct argv **list)
{
	const char *name = argv[i] + 2, *eq = strchr(name, '='), *val = NULL;
	size_t len = eq ? (size_t)(eq - name) : strlen(name), base = 0;
	const struct option *o;
	struct strbuf err = STRBUF_INIT;
	int n = 1;
	char *d;

	if (strncmp(argv[i], "--", 2) || !(o = find(opts, name, len, &base)))
		return 0;
	if (o->argh && o->type != OPT_T_LIST) {
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc && argv[i + 1][0] != '-')
			val = argv[i + 1], n = 2;
		else
			return error("--%s needs a value (%s)", o->name, o->argh);
	} else if (eq && o->type != OPT_T_LIST) {
		return error("--%s takes no value", o->name);
	}
	d = (char *)dst + base;
	switch (o->type) {
	case OPT_T_BOOL:
		*(int *)(d + o->off) = 1;
		break;
	case OPT_T_STRING:
		*(const char **)(d + o->off) = val;
		break;
	case OPT_T_LIST:
		if (eq)
			argv_push((struct argv *)(d + o->off), eq + 1);
		else
			*list = (struct argv *)(d + o->off);
		break;
	case OPT_T_CALL:
		if (o->cb(d, val, &err) < 0) {
			/* "--ops ./cmd/app": say what the value had to be */
			if (n == 2)
				error("%s: --%s takes a %s before the packages ('--%s=%s PACKAGES')",
				      err.buf, o->name, o->argh, o->name, o->argh);
			else
				error("%s", err.buf);
			strbuf_release(&err);
			return -1;
		}
		break;
	default:
		break;
	}
	return n;
}

int opts_take(const struct option *opts, void *dst, int argc, const char **argv, int i)
{
	struct argv *list = NULL;
	int n = take(opts, dst, argc, argv, i, &list);

	if (list) /* a list takes its values with "=" here */
		return error("--%s needs =VALUE here", argv[i] + 2);
	return n;
}

int opts_parse(const struct option *opts, void *dst, int argc, const char **argv,
	       unsigned flags)
{
	const char *cmd = argv[0];
	int i, nops = 0; /* operands moved to the front, then to the end */
	const char **operands = xcalloc((size_t)argc + 1, sizeof(*operands));
	struct argv *list = NULL; /* an OPT_T_LIST taking operands */
	const struct option *lopt = NULL;
	size_t lnr = 0;
	int ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int n;

		if (list && list->nr == lnr && !strncmp(a, "--", 2)) { /* an option, or "--" */
			ret = error("--%s needs at least one %s", lopt->name, lopt->argh);
			goto out;
		}
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (strncmp(a, "--", 2) || !a[2]) {
			if (flags & OPTS_STOP_AT_ARG)
				break;
			if (list && a[0] != '-')
				argv_push(list, a);
			else
				operands[nops++] = a; /* "-" too: standard input */
			continue;
		}
		list = NULL;
		n = take(opts, dst, argc, argv, i, &list);
		if (n < 0) {
			ret = -1;
			goto out;
		}
		if (!n) {
			if (flags & OPTS_STOP_AT_UNKNOWN)
				break; /* the go command's, e.g. --o */
			ret = error("unknown option '%s' (see 'goinstr help %s')", a, cmd);
			goto out;
		}
		if (list)
			lopt = find(opts, a + 2, strlen(a + 2), &(size_t){ 0 }), lnr = list->nr;
		i += n - 1;
	}
	if (list && list->nr == lnr) {
		ret = error("--%s needs at least one %s", lopt->name, lopt->argh);
		goto out;
	}
	/* The operands, in order, right before what follows the options:
	 * argv[i - nops..i) held options and operands, all read already. */
	ret = i - nops;
	memcpy(argv + ret, operands, (size_t)nops * sizeof(*argv));
out:
	free(operands);
	return ret;
}

/* "  --name=ARG          help", the help wrapped at 78 columns. */
static void usage_row(const struct option *o, FILE *fp)
{
	struct strbuf sb = STRBUF_INIT;
	const char *h = o->help;
	size_t col;

	strbuf_addf(&sb, "  --%s", o->name);
	if (o->argh)
		strbuf_addf(&sb, o->type == OPT_T_LIST ? " %s..." : "=%s", o->argh);
	fputs(sb.buf, fp);
	col = sb.len;
	if (col > 21) {
		fputc('\n', fp);
		col = 0;
	}
	while (*h) {
		size_t w = strcspn(h, " ");
		if (col > 23 && col + 1 + w > 78) {
			fputc('\n', fp);
			col = 0;
		}
		if (col < 23) {
			fprintf(fp, "%*s", (int)(23 - col), "");
			col = 23;
		} else {
			fputc(' ', fp);
			col++;
		}
		fwrite(h, 1, w, fp);
		col += w;
		h += w + (h[w] == ' ');
	}
	fputc('\n', fp);
	strbuf_release(&sb);
}

static void usage_rows(const struct option *o, FILE *fp)
{
	for (; o->type != OPT_T_END; o++) {
		if (o->type == OPT_T_GROUP)
			usage_rows(o->group, fp);
		else if (o->help)
			usage_row(o, fp);
	}
}

void opts_usage(const struct option *opts, FILE *fp)
{
	usage_rows(opts, fp);
}
