/*
 * cmd_manifest.c - `goinstr manifest list|add|pack`: the release
 * manifests goinstr checks GOROOTs against (manifest.h).
 *
 *   list          every release goinstr can verify, built in or added,
 *                 each checked against its module's go.sum hash
 *   add RELEASE.. fetch each release's toolchain module through the go
 *                 command (which checks it against the checksum database),
 *                 hash its files, check them against that hash, and record
 *                 the manifest in the data directory. The one step that
 *                 uses the network; builds never do.
 *   pack OUT FILE...  (scripts/mkmanifest.sh) pack recorded manifests
 *                 into manifests/releases.pack
 */
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "commands.h"
#include "manifest.h"
#include "opts.h"
#include "tree.h"
#include "run.h"
#include "util.h"

/* go1.26.9, go1.26rc1, go1.27beta1, optionally .GOOS-GOARCH */
static int parse_release(const char *s, const char *goos, const char *goarch,
			 struct strbuf *name)
{
	const char *p = s;
	size_t n;

	if (strncmp(p, "go", 2) || !(p[2] >= '0' && p[2] <= '9'))
		goto bad;
	p += 2 + strspn(p + 2, "0123456789");
	if (*p != '.' || !(p[1] >= '0' && p[1] <= '9'))
		goto bad;
	p += 1 + strspn(p + 1, "0123456789");
	if (*p == '.' && p[1] >= '0' && p[1] <= '9')
		p += 1 + strspn(p + 1, "0123456789");
	else if (!strncmp(p, "rc", 2) && p[2] >= '1' && p[2] <= '9')
		p += 2 + strspn(p + 2, "0123456789");
	else if (!strncmp(p, "beta", 4) && p[4] >= '1' && p[4] <= '9')
		p += 4 + strspn(p + 4, "0123456789");
	n = (size_t)(p - s);
	if (!*p) {
		strbuf_addf(name, "%.*s.%s-%s", (int)n, s, goos, goarch);
		return 0;
	}
	if (*p++ != '.')
		goto bad;
	{
		size_t a = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		size_t b = p[a] == '-' ? strspn(p + a + 1, "abcdefghijklmnopqrstuvwxyz0123456789") : 0;
		if (!a || !b || p[a + 1 + b])
			goto bad;
	}
	strbuf_addstr(name, s);
	return 0;
bad:
	return error("'%s': not a Go release (go1.26.9, go1.27rc1, go1.26.9.linux-arm64)", s);
}

/* The first n path elements of path, if it has that many. */
static int path_prefix(const char *path, int n, struct strbuf *out)
{
	const char *p = path;

	for (; n > 1; n--) {
		if (!(p = strchr(p, '/')))
			return -1;
		p++;
	}
	strbuf_add(out, path, strcspn(p, "/") + (size_t)(p - path));
	return 0;
}

/* cmd/go's module.MatchPrefixPatterns: a comma list of path.Match globs,
 * each matched against the prefix of target with as many elements. */
static int match_prefix_patterns(const char *globs, const char *target)
{
	struct strbuf glob = STRBUF_INIT, prefix = STRBUF_INIT;
	int found = 0;

	for (const char *p = globs; *p && !found; p += *p == ',') {
		size_t n = strcspn(p, ",");
		int elems = 1;
		strbuf_reset(&glob);
		strbuf_add(&glob, p, n);
		p += n;
		while (glob.len && glob.buf[glob.len - 1] == ' ')
			strbuf_setlen(&glob, glob.len - 1);
		if (!glob.len)
			continue;
		for (const char *s = glob.buf; *s; s++)
			elems += *s == '/';
		strbuf_reset(&prefix);
		if (path_prefix(target, elems, &prefix) == 0 &&
		    fnmatch(glob.buf + strspn(glob.buf, " "), prefix.buf, FNM_PATHNAME) == 0)
			found = 1;
	}
	strbuf_release(&glob);
	strbuf_release(&prefix);
	return found;
}

/*
 * 0 if the go command checks golang.org/toolchain against a checksum
 * database when it downloads it (cmd/go/internal/modfetch's useSumDB:
 * always, unless GOPROXY is one file:// URL or the go command is the
 * proxy's own, and then only as GOSUMDB and GONOSUMDB say), else -1
 * (reported).
 */
static int sumdb_checked(json_t *env)
{
	const char *proxy = json_string_value(json_object_get(env, "GOPROXY"));
	const char *sumdb = json_string_value(json_object_get(env, "GOSUMDB"));
	const char *nosumdb = json_string_value(json_object_get(env, "GONOSUMDB"));
	const char *agent = getenv("GIT_HTTP_USER_AGENT");
	int must = 1;

	if (proxy && !strncmp(proxy, "file://", 7) && !strpbrk(proxy, ",|"))
		must = 0;
	if (agent && strstr(agent, "proxy.golang.org"))
		must = 0;
	if (must)
		return 0;
	if (!sumdb || !strcmp(sumdb, "off"))
		return error("the go command would not check golang.org/toolchain against a"
			     " checksum database (GOPROXY=%s, GOSUMDB=off): not recorded", proxy);
	if (nosumdb && match_prefix_patterns(nosumdb, "golang.org/toolchain"))
		return error("the go command would not check golang.org/toolchain against a"
			     " checksum database (GOPROXY=%s, GONOSUMDB=%s): not recorded",
			     proxy, nosumdb);
	return 0;
}

/* The Go checksum database, as cmd/go knows it (modfetch's knownGOSUMDB),
 * and the one other name it reads as that database (sum.golang.google.cn,
 * the same key behind another URL). */
#define GO_SUMDB "sum.golang.org"
#define GO_SUMDB_KEY "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ww0hkXkx5/Ey4cQPGx"

/*
 * 0 if GOSUMDB ("NAME[+KEY] [URL]") is the Go checksum database, by name
 * or with its key (any URL: its signatures are checked with that key), or
 * trust is set; else -1 (reported). Whoever holds another database's key
 * can vouch for any module, a toolchain module that is not Go's included.
 */
static int sumdb_default(json_t *env, int trust)
{
	const char *sumdb = json_string_value(json_object_get(env, "GOSUMDB"));
	size_t n = sumdb ? strcspn(sumdb, " \t") : 0;

	if (trust || !sumdb || !*sumdb || !strcmp(sumdb, "sum.golang.google.cn") ||
	    (n == strlen(GO_SUMDB) && !strncmp(sumdb, GO_SUMDB, n)) ||
	    (n == strlen(GO_SUMDB_KEY) && !strncmp(sumdb, GO_SUMDB_KEY, n)))
		return 0;
	return error("GOSUMDB=%s is not the Go checksum database (" GO_SUMDB "), which alone "
		     "vouches for Go's toolchain modules here; --trust-sumdb accepts it", sumdb);
}

/* `go mod download -json MODULE`, run in the empty directory dir (no
 * go.mod, go.sum or go.work of the user's is read or changed). */
static int download(const char *dir, const char *mod, char **moddir, char **sum)
{
	const char *argv[] = { "go", "-C", dir, "mod", "download", "-json", mod, NULL };
	struct strbuf out = STRBUF_INIT;
	json_t *o;
	const char *err, *d, *s;
	int st, ret = 0;

	st = run_capture(argv, NULL, &out);
	if (st < 0) {
		strbuf_release(&out);
		return -1;
	}
	o = json_loadb(out.buf, out.len, 0, NULL);
	err = json_string_value(json_object_get(o, "Error"));
	d = json_string_value(json_object_get(o, "Dir"));
	s = json_string_value(json_object_get(o, "Sum"));
	if (st || err || !d || !s)
		ret = error("cannot download '%s': %s", mod,
			    err ? err : st ? "go mod download failed" : "no Dir and Sum in its answer");
	else
		*moddir = xstrdup(d), *sum = xstrdup(s);
	json_decref(o);
	strbuf_release(&out);
	return ret;
}

struct add_opts {
	int trust_sumdb;
};

const struct option manifest_add_options[] = {
	OPT_BOOL("trust-sumdb", struct add_opts, trust_sumdb,
		 "accept a GOSUMDB other than the Go checksum database (sum.golang.org)"),
	OPT_END(),
};

int cmd_manifest_add(int argc, const char **argv)
{
	static const char *const env_argv[] = {
		"go", "env", "-json", "GOOS", "GOARCH", "GOPROXY", "GOSUMDB", "GONOSUMDB", NULL
	};
	struct strbuf out = STRBUF_INIT, tmp = STRBUF_INIT, name = STRBUF_INIT,
		      mod = STRBUF_INIT, path = STRBUF_INIT;
	struct add_opts o = { 0 };
	json_t *env = NULL;
	const char *goos, *goarch;
	int ret = EXIT_USAGE, n;

	if ((n = opts_parse(manifest_add_options, &o, argc, argv, 0)) < 0)
		return EXIT_USAGE;
	argv += n - 1; /* the operands from argv[1] on */
	argc -= n - 1;
	if (argc < 2)
		return cmd_usage_error("manifest add");
	if (run_capture(env_argv, NULL, &out) != 0 || !(env = json_loadb(out.buf, out.len, 0, NULL))) {
		error("'go env' failed");
		goto out;
	}
	goos = json_string_value(json_object_get(env, "GOOS"));
	goarch = json_string_value(json_object_get(env, "GOARCH"));
	if (!goos || !goarch) {
		error("'go env' did not report GOOS and GOARCH");
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		strbuf_reset(&name);
		if (parse_release(argv[i], goos, goarch, &name) < 0)
			goto out;
	}
	if (sumdb_checked(env) < 0 || sumdb_default(env, o.trust_sumdb) < 0 ||
	    workdir_create(&tmp) < 0)
		goto out;
	for (int i = 1; i < argc; i++) {
		struct manifest m;
		char *dir = NULL, *sum = NULL;
		int r;

		strbuf_reset(&name);
		parse_release(argv[i], goos, goarch, &name);
		strbuf_reset(&mod);
		strbuf_addf(&mod, MANIFEST_MODULE_PREFIX "%s", name.buf);
		if (download(tmp.buf, mod.buf, &dir, &sum) < 0)
			goto out;
		r = manifest_from_module(&m, name.buf, dir, sum);
		free(dir);
		free(sum);
		if (r < 0)
			goto out;
		strbuf_reset(&path);
		r = manifest_save(&m, &path);
		if (!r)
			printf("%s: %zu files, %s, recorded in %s\n", m.name, m.nr, m.sum, path.buf);
		manifest_release(&m);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	if (tmp.len)
		remove_tree(tmp.buf);
	json_decref(env);
	strbuf_release(&out);
	strbuf_release(&tmp);
	strbuf_release(&name);
	strbuf_release(&mod);
	strbuf_release(&path);
	return ret;
}

int cmd_manifest_pack(int argc, const char **argv)
{
	struct manifest *v;
	struct strbuf out = STRBUF_INIT;
	int n = 0, ret = EXIT_USAGE;

	if (argc < 3)
		return cmd_usage_error("manifest pack");
	v = xcalloc((size_t)argc, sizeof(*v));
	for (int i = 2; i < argc; i++, n++)
		if (manifest_read(&v[n], argv[i]) < 0)
			goto out;
	manifest_pack(v, (size_t)n, &out);
	if (write_file(argv[1], out.buf, out.len, 0644) < 0)
		goto out;
	printf("%s: %d releases, %zu bytes\n", argv[1], n, out.len);
	ret = 0;
out:
	for (int i = 0; i < n; i++)
		manifest_release(&v[i]);
	free(v);
	strbuf_release(&out);
	return ret;
}

int cmd_manifest_list(int argc, const char **argv)
{
	struct strbuf out = STRBUF_INIT;
	unsigned bad = 0;
	int ret;

	if (opts_parse((const struct option[]){ OPT_END() }, NULL, argc, argv, 0) < 0)
		return EXIT_USAGE;
	if (argc != 1)
		return cmd_usage_error("manifest list");
	ret = manifest_list(&out, &bad);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	return ret < 0 ? EXIT_USAGE : bad ? 1 : 0;
}
