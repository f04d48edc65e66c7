/*
 * report_edges.c - goinstr report's edges format: each dynamic call edge
 * (caller, target, op), one a line, for a terminal.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_fmt.h"

void report_write_edges(const struct report_view *v)
{
	const struct report *r = v->r;

	for (size_t i = 0; i < r->nedges; i++) {
		report_put_field(r->edges[i]->caller);
		putchar('\t');
		report_put_field(r->edges[i]->target);
		putchar('\t');
		report_put_field(r->edges[i]->op);
		putchar('\n');
	}
}

