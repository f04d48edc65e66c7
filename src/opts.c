/*
 * opts.c - the one parser of goinstr's own options (see opts.h).
 */
#include "opts.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The row for "--name[=...]" (len: of name), searching groups too. */
static const struct option *find(const struct option *o, const char *name, size_t len)
{
	for (; o->type != OPT_T_END; o++) {
		const struct option *g;
		if (o->type == OPT_T_GROUP) {
			if ((g = find(o->group, name, len)))
				return g;
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
	int ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *eq, *val = NULL;
		const struct option *o;
		struct strbuf err = STRBUF_INIT;
		size_t len;

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
		if (!(o = find(opts, name, len))) {
			if (flags & OPTS_STOP_AT_ARG)
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
		switch (o->type) {
		case OPT_T_BOOL:
			*(int *)((char *)dst + o->off) = 1;
			break;
		case OPT_T_STRING:
			*(const char **)((char *)dst + o->off) = val;
			break;
		case OPT_T_LIST:
			list = (struct argv *)((char *)dst + o->off);
			if (eq) {
				argv_push(list, eq + 1);
				list = NULL;
			}
			break;
		case OPT_T_CALL:
			if (o->cb(dst, val, &err) < 0) {
				ret = error("%s", err.buf);
				strbuf_release(&err);
				goto out;
			}
			break;
		default:
			break;
		}
	}
	/* The operands, in order, right before what follows the options:
	 * argv[i - nops..i) held options and operands, all read already. */
	ret = i - nops;
	memcpy(argv + ret, operands, (size_t)nops * sizeof(*argv));
out:
	free(operands);
	return ret;
}

static void usage_rows(const struct option *o, FILE *fp)
{
	for (; o->type != OPT_T_END; o++) {
		struct strbuf sb = STRBUF_INIT;
		if (o->type == OPT_T_GROUP) {
			usage_rows(o->group, fp);
			continue;
		}
		if (!o->help)
			continue;
		strbuf_addf(&sb, "--%s", o->name);
		if (o->argh)
			strbuf_addf(&sb, o->type == OPT_T_LIST ? " %s..." : "=%s", o->argh);
		fprintf(fp, "  %-20s %s\n", sb.buf, o->help);
		strbuf_release(&sb);
	}
}

void opts_usage(const struct option *opts, FILE *fp)
{
	usage_rows(opts, fp);
}
