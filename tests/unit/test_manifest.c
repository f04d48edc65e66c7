/*
 * test_manifest.c - the pack of built-in manifests, round trip: two
 * releases made from module directories (their go.sum hashes computed
 * here as cmd/go's dirhash does, independently of manifest_h1), packed
 * by manifest_pack, then read back through manifest_load from that pack
 * (embedded_override), entry for entry. The pack does not depend on the
 * order it is given the releases in.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "embedded.h"
#include "hash.h"
#include "manifest.h"
#include "strbuf.h"
#include "tree.h"
#include "util.h"

struct file {
	const char *rel, *data, *zip; /* zip: its name in the module */
};

static int cmp_zip(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->zip, ((const struct file *)b)->zip);
}

/* dirhash's h1 of files (n of them) of module golang.org/toolchain@v0.0.1-NAME. */
static void h1_of(const char *name, struct file *f, size_t n, struct strbuf *out)
{
	struct sha256 h;

	qsort(f, n, sizeof(*f), cmp_zip);
	sha256_init(&h);
	for (size_t i = 0; i < n; i++) {
		struct strbuf line = STRBUF_INIT;
		sha256_buf_hex(f[i].data, strlen(f[i].data), &line);
		strbuf_addf(&line, "  golang.org/toolchain@v0.0.1-%s/%s\n", name, f[i].zip);
		sha256_add(&h, line.buf, line.len);
		strbuf_release(&line);
	}
	strbuf_addstr(out, "h1:");
	sha256_base64(&h, out);
}

/* The module directory dir/name with files f; its manifest into m. */
static int module(const char *dir, const char *name, struct file *f, size_t n,
		  struct manifest *m)
{
	struct strbuf root = STRBUF_INIT, p = STRBUF_INIT, sum = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&root, "%s/%s", dir, name);
	for (size_t i = 0; i < n && !ret; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", root.buf, f[i].zip);
		{
			size_t base = (size_t)(strrchr(p.buf, '/') - p.buf);
			strbuf_setlen(&p, base);
			ret = mkdir_p(p.buf, 0700);
			strbuf_setlen(&p, base);
			strbuf_addf(&p, "/%s", strrchr(f[i].zip, '/') ? strrchr(f[i].zip, '/') + 1 : f[i].zip);
		}
		if (!ret)
			ret = write_file(p.buf, f[i].data, strlen(f[i].data), 0600);
	}
	h1_of(name, f, n, &sum);
	if (!ret)
		ret = manifest_from_module(m, name, root.buf, sum.buf);
	strbuf_release(&root);
	strbuf_release(&p);
	strbuf_release(&sum);
	return ret;
}

/* Whether a and b hold the same entries. */
static int same_entries(const struct manifest *a, const struct manifest *b)
{
	if (a->nr != b->nr || strcmp(a->sum, b->sum))
		return 0;
	for (size_t i = 0; i < a->nr; i++)
		if (strcmp(a->v[i].path, b->v[i].path) || strcmp(a->v[i].hash, b->v[i].hash))
			return 0;
	return 1;
}

int main(void)
{
	char tmpl[] = "/tmp/test_manifest.XXXXXX";
	const char *dir = mkdtemp(tmpl);
	/* _go.mod is the module's go.mod (GOROOT's go.mod); a file shared by
	 * both releases, one changed, one only in the second */
	struct file a[] = {
		{ "go.mod", "module std\n", "_go.mod" },
		{ "bin/go", "binary 1", "bin/go" },
		{ "src/fmt/print.go", "package fmt\n", "src/fmt/print.go" },
	};
	struct file b[] = {
		{ "go.mod", "module std\n", "_go.mod" },
		{ "bin/go", "binary 2", "bin/go" },
		{ "src/fmt/print.go", "package fmt\n", "src/fmt/print.go" },
		{ "src/fmt/new.go", "package fmt // new\n", "src/fmt/new.go" },
	};
	struct manifest v[2], w[2], back = MANIFEST_INIT;
	struct strbuf pack = STRBUF_INIT, again = STRBUF_INIT, p = STRBUF_INIT;

	check(dir != NULL, "a temporary directory");
	if (!dir)
		return check_done();
	if (module(dir, "go1.26.8.linux-amd64", a, 3, &v[0]) ||
	    module(dir, "go1.26.9.linux-amd64", b, 4, &v[1])) {
		check(0, "two releases' manifests from their module directories");
		return check_done();
	}
	check(1, "two releases' manifests from their module directories, their files hashing"
		 " to the go.sum hashes");
	check(v[0].nr == 3 && !strcmp(v[0].v[0].path, "bin/go") && !strcmp(v[0].v[1].path, "go.mod"),
	      "_go.mod is the entry for GOROOT's go.mod");

	manifest_pack(v, 2, &pack);
	w[0] = v[1], w[1] = v[0];
	manifest_pack(w, 2, &again);
	check(pack.len == again.len && !memcmp(pack.buf, again.buf, pack.len),
	      "the pack does not depend on the order of the releases given");
	check(pack.len > strlen(PACK_MAGIC) && !memcmp(pack.buf, PACK_MAGIC, strlen(PACK_MAGIC)),
	      "the pack starts with its magic");

	strbuf_addf(&p, "%s/pack/manifests", dir);
	mkdir_p(p.buf, 0700);
	strbuf_addstr(&p, "/releases.pack");
	check(write_file(p.buf, pack.buf, pack.len, 0600) == 0, "the pack written");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/pack", dir);
	embedded_override(p.buf);
	setenv("XDG_DATA_HOME", dir, 1); /* no manifests there: the pack only */

	check(manifest_load(&back, "go1.26.9", "linux", "amd64") == 0 && same_entries(&back, &v[1]),
	      "go1.26.9 read back from the pack: every entry, its hash and the release's sum");
	check(!strcmp(back.name, "go1.26.9.linux-amd64"), "its name");
	manifest_release(&back);
	check(manifest_load(&back, "go1.26.8", "linux", "amd64") == 0 && same_entries(&back, &v[0]),
	      "go1.26.8 read back from the pack: the file both releases share is in both");
	manifest_release(&back);
	check(manifest_load(&back, "go1.26.7", "linux", "amd64") < 0,
	      "a release not in the pack is not found (reported)");

	manifest_release(&v[0]);
	manifest_release(&v[1]);
	strbuf_release(&pack);
	strbuf_release(&again);
	strbuf_release(&p);
	remove_tree(dir);
	return check_done();
}
