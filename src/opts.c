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
		const char *a = argv[i], *name, *eq, *val = NULL;
		const struct option *o;
		struct strbuf err = STRBUF_INIT;
		size_t len, base = 0;
		char *d;

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
		name = a + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if (!(o = find(opts, name, len, &base))) {
			if (flags & OPTS_STOP_AT_UNKNOWN)
				break; /* the go command's, e.g. --o */
			ret = error("unknown option '%s' (see 'goinstr help %s')", a, cmd);
			goto out;
		}
		if (o->argh && o->type != OPT_T_LIST) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc && argv[i + 1][0] != '-')
				val = argv[++i];
			else {
				ret = error("--%s needs a value (%s)", o->name, o->argh);
				goto out;
			}
		} else if (eq && o->type != OPT_T_LIST) {
			ret = error("--%s takes no value", o->name);
			goto out;
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
			list = (struct argv *)(d + o->off);
			lopt = o;
			lnr = list->nr;
			if (eq) {
				argv_push(list, eq + 1);
				list = NULL;
			}
			break;
		case OPT_T_CALL:
			if (o->cb(d, val, &err) < 0) {
				ret = error("%s", err.buf);
				strbuf_release(&err);
				goto out;
			}
			break;
		default:
			break;
		}
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
