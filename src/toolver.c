/*
 * toolver.c - Go tools' -V answers, through goinstr's cache (see toolver.h).
 */
#include "toolver.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "hash.h"
#include "run.h"

/*
 * The name under which the answer of a tool to -V=full is remembered (a
 * sealed entry tools/NAME of goinstr's cache): it depends only on the
 * tool's binary and on the GO* environment (GOEXPERIMENT shows in it),
 * and asking costs a process start on every go command run.
 */
static int version_cache_key(const char *tool, const char *flag, struct strbuf *name)
{
	extern char **environ;
	struct strbuf key = STRBUF_INIT;
	struct stat st;

	if (stat(tool, &st) < 0)
		return -1;
	strbuf_addf(&key, "%s %s\n%ju %ju %jd %ld.%09ld %ld.%09ld\n", tool, flag, (uintmax_t)st.st_dev,
		    (uintmax_t)st.st_ino, (intmax_t)st.st_size, (long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec, (long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "GO", 2))
			strbuf_addf(&key, "%s\n", *e);
	sha256_buf_hex(key.buf, key.len, name);
	strbuf_release(&key);
	return 0;
}

int toolver_answer(const char *const *argv, struct strbuf *out)
{
	struct strbuf name = STRBUF_INIT;
	int st = 0, hit = 0;

	if (version_cache_key(argv[0], argv[1], &name) == 0 &&
	    (hit = cache_read("tools", name.buf, out)) < 0) {
		st = -1; /* the cache refused: said */
		goto out;
	}
	if (hit != 1) {
		strbuf_reset(out);
		st = run_capture(argv, NULL, out);
		if (!st && name.len)
			cache_write("tools", name.buf, out->buf, out->len);
	}
out:
	strbuf_release(&name);
	return st;
}
