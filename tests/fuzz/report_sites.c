/*
 * report_sites.c - libFuzzer target: goinstr report's inventory reader
 * (BIN.sites.jsonl, plain or gzip), both ways it is read.
 *
 * The first byte of the input picks the way, the rest is the inventory:
 *
 *   even   given with --sites (report_add_sites_mem): it is read whole
 *          or refused with one error; what it keeps is UTF-8 and cut at
 *          REPORT_MAX_FIELD, and the coverage of a log's events against
 *          it counts no more executed sites than found.
 *   odd    beside a binary a log header names (written to a file
 *          DIR/app.sites.jsonl; DIR/app itself does not exist, so `go
 *          version -m` is never run): read for package -> module, within
 *          the report's budget for modules (REPORT_MAX_MODULES); the
 *          modules it gives the log's sites are UTF-8 and bounded.
 *
 * Built by `make build/fuzz/report_sites`; run by tests/fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_inv.h"
#include "strbuf.h"
#include "util.h"

#define NEED_TARGET "report_sites"
#include "need.h"

/* Events of packages an inventory may name, for coverage and modules. */
static const char events[] =
	"{\"time\":\"x\",\"msg\":\"goinstr.start\",\"schema\":2,\"pid\":1,\"start\":\"s\",\"part\":1,"
	"\"exe\":\"EXE\",\"go\":\"go1.26.8\"}\n"
	"{\"time\":\"x\",\"msg\":\"unsafe.Pointer\",\"op\":\"unsafe.Pointer\",\"pid\":1,"
	"\"caller\":{\"func\":\"example.com/m/p.F\",\"file\":\"/src/m/p/f.go\",\"line\":3},"
	"\"site\":{\"id\":\"e48ac11fdc77fc39\",\"file\":\"/src/m/p/f.go\",\"line\":3,\"col\":9,"
	"\"expr\":\"unsafe.Pointer(p)\"}}\n"
	"{\"time\":\"x\",\"msg\":\"reflect.Value.Call\",\"op\":\"reflect.Value.Call\",\"pid\":1,"
	"\"caller\":{\"func\":\"main.main\",\"file\":\"/src/m/main.go\",\"line\":7}}\n"
	"{\"time\":\"x\",\"msg\":\"reflect.New\",\"op\":\"reflect.New\",\"pid\":1,"
	"\"caller\":{\"func\":\"golang.org/x/sys/unix.F\",\"file\":\"/m/x.go\",\"line\":1}}\n";

static char dir[] = "/tmp/report_sites.XXXXXX";
static char *inv_path, *exe;

static void cleanup(void)
{
	if (inv_path)
		unlink(inv_path);
	rmdir(dir);
}

static void check_sites(const struct report *r)
{
	for (size_t i = 0; i < r->nsites; i++) {
		text(r->sites[i]->module, 2 * REPORT_MAX_FIELD + 8, "module");
		text(r->sites[i]->pkg, REPORT_MAX_FIELD, "package");
	}
}

static void given(const uint8_t *data, size_t size)
{
	struct report r;
	struct rcov *c;
	size_t n;

	report_init(&r);
	r.diag_max = 0;
	r.use_bins = 0;
	if (report_add_sites_mem(&r, "fuzz", data, size) == 0) {
		need(!report_add_mem(&r, "log", events, sizeof(events) - 1), "log refused", NULL);
		report_finish(&r);
		for (size_t i = 0; i < r.ninv; i++) {
			const struct rinv *v = r.inv[i];
			text(v->id, REPORT_MAX_FIELD, "id");
			text(v->module, REPORT_MAX_FIELD, "module");
			text(v->op, REPORT_MAX_FIELD, "op");
			text(v->cat, REPORT_MAX_FIELD, "category");
			text(v->pkg, REPORT_MAX_FIELD, "package");
			text(v->file, REPORT_MAX_FIELD, "file");
			text(v->expr, REPORT_MAX_FIELD, "expr");
		}
		c = report_coverage(&r, &n);
		for (size_t i = 0; i < n; i++)
			need(c[i].executed <= c[i].found, "more executed than found", c[i].module);
		free(c);
		check_sites(&r);
	}
	report_release(&r);
}

/* Once: the directory, the binary's name and its inventory's. */
static void make_dir(void)
{
	struct strbuf sb = STRBUF_INIT;

	need(mkdtemp(dir) != NULL, "mkdtemp", dir);
	strbuf_addf(&sb, "%s/app", dir);
	exe = xstrdup(sb.buf);
	strbuf_addstr(&sb, ".sites.jsonl");
	inv_path = strbuf_detach(&sb, NULL);
	atexit(cleanup);
}

static void beside(const uint8_t *data, size_t size)
{
	struct strbuf log = STRBUF_INIT;
	const char *p = strstr(events, "EXE");
	struct report r;

	if (!inv_path)
		make_dir();
	need(write_file(inv_path, data, size, 0600) == 0, "cannot write the inventory", inv_path);
	strbuf_add(&log, events, (size_t)(p - events));
	strbuf_addstr(&log, exe);
	strbuf_addstr(&log, p + 3);
	report_init(&r);
	r.diag_max = 0;
	need(!report_add_mem(&r, "log", log.buf, log.len), "log refused", NULL);
	report_finish(&r);
	need(r.mods_budget.left <= REPORT_MAX_MODULES, "module budget overdrawn", NULL);
	check_sites(&r);
	report_release(&r);
	strbuf_release(&log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		beside(data + 1, size - 1);
	else
		given(data + 1, size - 1);
	return 0;
}
