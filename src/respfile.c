/*
 * respfile.c - read and write the go command's response files (respfile.h).
 */
#include "respfile.h"

#include <errno.h>
#include <string.h>

int respfile_gcc(int minor)
{
	return minor >= 27;
}

/* Go 1.26's one-argument-a-line format (objabi.DecodeArg). */
static int parse_lines(const char *s, size_t n, struct argv *out)
{
	struct strbuf arg = STRBUF_INIT, all = STRBUF_INIT;
	int ret = 0;

	/* strings.TrimSpace(strings.ReplaceAll(s, "\r", "")) */
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r')
			strbuf_addch(&all, s[i]);
	size_t a = 0, b = all.len;
	while (a < b && strchr(" \t\n\v\f", all.buf[a]))
		a++;
	while (b > a && strchr(" \t\n\v\f", all.buf[b - 1]))
		b--;
	for (size_t i = a; i <= b && !ret; i++) {
		if (i < b && all.buf[i] != '\n') {
			if (all.buf[i] != '\\') {
				strbuf_addch(&arg, all.buf[i]);
				continue;
			}
			if (i + 1 < b && (all.buf[i + 1] == '\\' || all.buf[i + 1] == 'n')) {
				strbuf_addch(&arg, all.buf[++i] == 'n' ? '\n' : '\\');
				continue;
			}
			ret = error("badly formatted response file argument");
			break;
		}
		argv_push(out, arg.buf);
		strbuf_reset(&arg);
	}
	strbuf_release(&arg);
	strbuf_release(&all);
	return ret;
}

/* Go 1.27's GCC-compatible format (objabi.ParseArgs). */
static void parse_gcc(const char *s, size_t n, struct argv *out)
{
	struct strbuf arg = STRBUF_INIT;
	int has = 0, sq = 0, dq = 0;

	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (sq) {
			if (c == '\'')
				sq = 0;
			else
				strbuf_addch(&arg, c);
			i++;
			continue;
		}
		if (dq) {
			if (c == '\\' && i + 1 < n) {
				char nx = s[i + 1];
				if (strchr("\\\"$`", nx)) {
					strbuf_addch(&arg, nx);
					i += 2;
				} else if (nx == '\n') {
					i += 2;
				} else if (nx == '\r' && i + 2 < n && s[i + 2] == '\n') {
					i += 3;
				} else {
					strbuf_addch(&arg, c);
					i++;
				}
			} else if (c == '"') {
				dq = 0;
				i++;
			} else {
				strbuf_addch(&arg, c);
				i++;
			}
			continue;
		}
		switch (c) {
		case ' ': case '\t': case '\n': case '\r':
			if (arg.len || has) {
				argv_push(out, arg.buf);
				strbuf_reset(&arg);
				has = 0;
			}
			break;
		case '\'':
			sq = has = 1;
			break;
		case '"':
			dq = has = 1;
			break;
		case '\\':
			if (i + 1 < n) {
				if (s[i + 1] == '\n') {
					i += 2;
					continue;
				}
				if (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n') {
					i += 3;
					continue;
				}
				strbuf_addch(&arg, s[i + 1]);
				has = 1;
				i += 2;
				continue;
			}
			break; /* a trailing backslash is dropped */
		default:
			strbuf_addch(&arg, c);
		}
		i++;
	}
	if (arg.len || has)
		argv_push(out, arg.buf);
	strbuf_release(&arg);
}

static int expand(int argc, const char *const *argv, int gcc, struct argv *out, int *expanded,
		  int depth)
{
	struct strbuf data = STRBUF_INIT;
	struct argv inner = ARGV_INIT;
	int ret = 0;

	for (int i = 0; i < argc && !ret; i++) {
		if (argv[i][0] != '@') {
			argv_push(out, argv[i]);
			continue;
		}
		if (depth >= 16) {
			ret = error("response files nested more than 16 deep");
			break;
		}
		*expanded = 1;
		strbuf_reset(&data);
		if (strbuf_read_file(&data, argv[i] + 1) < 0) {
			ret = error("cannot read response file '%s': %s", argv[i] + 1, strerror(errno));
			break;
		}
		argv_release(&inner);
		if (gcc)
			parse_gcc(data.buf, data.len, &inner);
		else
			ret = parse_lines(data.buf, data.len, &inner);
		if (!ret)
			ret = expand((int)inner.nr, (const char *const *)inner.v, gcc, out, expanded,
				     depth + 1);
	}
	strbuf_release(&data);
	argv_release(&inner);
	return ret;
}

int respfile_expand(int argc, const char *const *argv, int gcc, struct argv *out,
		    int *expanded)
{
	*expanded = 0;
	return expand(argc, argv, gcc, out, expanded, 0);
}

void respfile_encode(const struct argv *args, size_t from, int gcc, struct strbuf *out)
{
	for (size_t i = from; i < args->nr; i++) {
		const char *a = args->v[i];
		if (!gcc) { /* cmd/go's encodeArg before 1.27 */
			for (; *a; a++) {
				if (*a == '\\')
					strbuf_addstr(out, "\\\\");
				else if (*a == '\n')
					strbuf_addstr(out, "\\n");
				else
					strbuf_addch(out, *a);
			}
		} else if (!*a) {
			strbuf_addstr(out, "\"\"");
		} else if (!a[strcspn(a, " \t\n\r'\"\\$`")]) {
			strbuf_addstr(out, a);
		} else {
			strbuf_addch(out, '"');
			for (; *a; a++) {
				if (strchr("\\\"$`", *a))
					strbuf_addch(out, '\\');
				strbuf_addch(out, *a);
			}
			strbuf_addch(out, '"');
		}
		strbuf_addch(out, '\n');
	}
}
