/*
 * linkblind.c - the blind spots of what a link links, from the archives'
 * build IDs (see linkblind.h).
 */
#include "linkblind.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sitescache.h"

/*
 * The action ID in a Go archive's build ID (its export data's header,
 * "build id "ACTION/CONTENT"", within the first KB, as
 * cmd/internal/buildid reads it), appended to out. 0, or -1.
 */
static int archive_action_id(const char *path, struct strbuf *out)
{
	char buf[1024];
	FILE *f = fopen(path, "rb");
	size_t n;
	const char *p, *q;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n < 8 || memcmp(buf, "!<arch>\n", 8) || !(p = memmem(buf, n, "\nbuild id \"", 11)))
		return -1;
	p += 11;
	q = p + strcspn(p, "/\"");
	if (q == p || !*q)
		return -1;
	strbuf_add(out, p, (size_t)(q - p));
	return 0;
}

/*
 * What goinstr could not see in the packages a link's import
 * configuration names, one "PATH\tWHAT" line each (appended to out):
 * their compiles' records (sitescache_pkg_put) found by their archives'
 * build IDs; a package outside GOROOT with no record was compiled
 * without goinstr.
 */
void linkblind_collect(const char *importcfg, const char *goroot, struct strbuf *out)
{
	struct strbuf cfg = STRBUF_INIT, aid = STRBUF_INIT, why = STRBUF_INIT, dir = STRBUF_INIT;
	struct stat st;

	if (strbuf_read_file(&cfg, importcfg) < 0)
		goto out;
	for (char *l = cfg.buf; *l;) {
		size_t n = strcspn(l, "\n");
		char *eq;
		int nl = l[n] == '\n';
		l[n] = '\0';
		if (!strncmp(l, "packagefile ", 12) && (eq = strchr(l + 12, '='))) {
			*eq = '\0';
			strbuf_reset(&dir);
			strbuf_addf(&dir, "%s/src/%s", goroot ? goroot : "", l + 12);
			strbuf_reset(&aid);
			strbuf_reset(&why);
			if (goroot && stat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode))
				; /* the standard library: its reflect is instrumented, the rest trusted */
			else if (archive_action_id(eq + 1, &aid) < 0)
				strbuf_addf(out, "%s\tits archive has no build ID goinstr can read\n", l + 12);
			else if (sitescache_pkg_blind(aid.buf, &why) < 0)
				strbuf_addf(out, "%s\tcompiled without goinstr (no record of its compile)\n",
					    l + 12);
			else if (why.len)
				strbuf_addf(out, "%s\t%s\n", l + 12, why.buf);
		}
		l += n + nl;
	}
out:
	strbuf_release(&cfg);
	strbuf_release(&aid);
	strbuf_release(&why);
	strbuf_release(&dir);
}
