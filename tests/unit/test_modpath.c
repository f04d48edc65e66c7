/*
 * test_modpath.c - the module of a source file from its path: module
 * cache paths (absolute and -trimpath, the "!x" case encoding, a
 * toolchain's GOROOT in the cache, packages not of the module), and
 * vendor directories through a real vendor/modules.txt.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "modpath.h"
#include "strbuf.h"
#include "util.h"

static void test_cache(void)
{
	static const struct {
		const char *file, *pkg, *want; /* want NULL: not found */
	} cases[] = {
		{ "/root/go/pkg/mod/github.com/google/go-cmp@v0.7.0/cmp/compare.go",
		  "github.com/google/go-cmp/cmp", "github.com/google/go-cmp@v0.7.0" },
		{ "/home/Dev/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go",
		  "github.com/BurntSushi/toml", "github.com/BurntSushi/toml@v1.3.2" },
		{ "/c/github.com/!azure/azure-sdk-for-go/sdk/azcore@v1.9.0/x/y/z.go",
		  "github.com/Azure/azure-sdk-for-go/sdk/azcore/x/y",
		  "github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.9.0" },
		/* a version with the encoding too (a +incompatible or a branch) */
		{ "/m/example.com/a@v0.0.0-2026!x/a.go", "example.com/a",
		  "example.com/a@v0.0.0-2026X" },
		/* -trimpath: the path starts with MODULE@VERSION */
		{ "golang.org/x/sys@v0.50.0/unix/zsyscall_linux.go", "golang.org/x/sys/unix",
		  "golang.org/x/sys@v0.50.0" },
		{ "example.com/tool@v1.2.0/main.go", "main", "example.com/tool@v1.2.0" },
		/* a main package in the cache, absolute: after /pkg/mod/ */
		{ "/root/go/pkg/mod/example.com/tool@v1.2.0/cmd/t/main.go", "main",
		  "example.com/tool@v1.2.0" },
		{ "/root/go/pkg/mod/example.com/tool@v1.2.0/cmd/t/main.go", NULL,
		  "example.com/tool@v1.2.0" },
		/* the standard library of a toolchain in the cache is not module
		 * golang.org/toolchain: the package is not of it */
		{ "/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64/src/encoding/json/decode.go",
		  "encoding/json", NULL },
		/* a directory above the cache with an @ */
		{ "/home/a@b/go/pkg/mod/example.com/m@v1.0.0/p/p.go", "example.com/m/p",
		  "example.com/m@v1.0.0" },
		/* not in a cache */
		{ "/src/goinstr/tests/e2e/basic/main.go", "main", NULL },
		{ "/src/app/x.go", "example.com/app", NULL },
		{ "/x/mail@host/p.go", "example.com/p", NULL }, /* no version */
		{ "/m/example.com/a@v1/a.go", "example.com/b", NULL },
		{ "/m/example.com/a@v1!/a.go", "example.com/a", NULL }, /* bad encoding */
		{ "/m/xexample.com/a@v1/a.go", "example.com/a", NULL }, /* not whole elements */
		{ "/m/example.com/a@v1", "example.com/a", NULL },       /* no file below */
	};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;
		strbuf_reset(&sb);
		r = modpath_from_cache(cases[i].file, cases[i].pkg, &sb);
		if (cases[i].want)
			check(r == 0 && !strcmp(sb.buf, cases[i].want), "%s -> %s (got %s)",
			      cases[i].file, cases[i].want, r ? "none" : sb.buf);
		else
			check(r == -1 && !sb.len, "%s: no module", cases[i].file);
	}
	strbuf_release(&sb);
}

static void test_vendor(void)
{
	struct strbuf dir = STRBUF_INIT, p = STRBUF_INIT, sb = STRBUF_INIT;
	static const char txt[] =
		"# github.com/pkg/errors v0.9.1\n"
		"## explicit\n"
		"github.com/pkg/errors\n"
		"# golang.org/x/sys v0.50.0\n"
		"## explicit; go 1.22\n"
		"golang.org/x/sys/unix\n"
		"# golang.org/x/sys/unix/sub v0.1.0\n"
		"# example.com/local => ./local\n"
		"# example.com/repl v1.0.0 => example.com/fork v1.0.1\n";

	check(!workdir_create(&dir), "temp dir");
	strbuf_addf(&p, "%s/app/vendor", dir.buf);
	check(!mkdir_p(p.buf, 0700), "vendor dir");
	strbuf_addstr(&p, "/modules.txt");
	check(!write_file(p.buf, txt, sizeof(txt) - 1, 0600), "modules.txt");

	static const struct {
		const char *rel, *want;
	} cases[] = {
		{ "app/vendor/github.com/pkg/errors/errors.go", "github.com/pkg/errors@v0.9.1" },
		{ "app/vendor/golang.org/x/sys/unix/z.go", "golang.org/x/sys@v0.50.0" },
		{ "app/vendor/golang.org/x/sys/unix/sub/z.go", "golang.org/x/sys/unix/sub@v0.1.0" },
		{ "app/vendor/example.com/local/l.go", "example.com/local" },
		{ "app/vendor/example.com/repl/r.go", "example.com/repl@v1.0.0" },
		{ "app/vendor/example.com/other/o.go", NULL },
		{ "app/vendor/github.com/pkg/errorsx/e.go", NULL }, /* not a prefix element */
		{ "app/x.go", NULL },
		{ "nope/vendor/github.com/pkg/errors/errors.go", NULL }, /* no modules.txt */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;
		strbuf_reset(&p);
		strbuf_reset(&sb);
		strbuf_addf(&p, "%s/%s", dir.buf, cases[i].rel);
		r = modpath_from_vendor(p.buf, &sb);
		if (cases[i].want)
			check(r == 0 && !strcmp(sb.buf, cases[i].want), "%s -> %s (got %s)",
			      cases[i].rel, cases[i].want, r ? "none" : sb.buf);
		else
			check(r == -1 && !sb.len, "%s: no module", cases[i].rel);
	}
	remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&p);
	strbuf_release(&sb);
}

int main(void)
{
	test_cache();
	test_vendor();
	return check_done();
}
