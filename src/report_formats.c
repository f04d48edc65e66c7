/*
 * report_formats.c - the table of goinstr report's formats (report_fmt.h).
 */
#include <string.h>

#include "report_fmt.h"
#include "strbuf.h"

const struct report_format report_formats[] = {
	{ "text", "module -> package -> op table (default); with --baseline the gate's lines",
	  report_write_text },
	{ "json", "the same as JSON (docs/report.md)", report_write_json },
	{ "sarif", "SARIF 2.1.0 for code scanning", report_write_sarif },
	{ "edges", "dynamic call edges: caller, target, op", report_write_edges },
	{ "html", "one self-contained page", report_write_html },
	{ NULL, NULL, NULL },
};

const struct report_format *report_format_find(const char *name)
{
	for (const struct report_format *f = report_formats; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const char *report_format_names(void)
{
	static struct strbuf sb = STRBUF_INIT;

	if (!sb.len)
		for (const struct report_format *f = report_formats; f->name; f++)
			strbuf_addf(&sb, "%s%s", f->name,
				    !f[1].name ? "" : !f[2].name ? " or " : ", ");
	return sb.buf;
}
