/*
 * gocache.c - GOCACHE after a sandboxed build (gocache.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gocache.h"
#include "hash.h"
#include "strbuf.h"
#include "tree.h"
#include "util.h"

/* The hex SHA-256 of a file's contents into out: 0, or -1. */
static int file_sha256(const char *path, struct strbuf *out)
{
	char buf[1 << 16];
	struct sha256 h;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* the go command writes an output under an exclusive flock
	 * (cmd/go/internal/lockedfile): wait for another's to be whole */
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	sha256_init(&h);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_add(&h, buf, (size_t)n);
	close(fd);
	sha256_hex(&h, out);
	return n < 0 ? -1 : 0;
}

/* Whether a GOCACHE output NAME-d (its file, or for an executable the
 * one file in its directory) hashes to NAME. */
static int output_ok(const char *path, const char *name, const struct stat *st)
{
	struct strbuf sum = STRBUF_INIT, f = STRBUF_INIT;
	struct argv names = ARGV_INIT;
	int ok = 0;

	if (S_ISREG(st->st_mode)) {
		ok = file_sha256(path, &sum) == 0 && !strncmp(sum.buf, name, 64);
	} else if (S_ISDIR(st->st_mode) && tree_list(path, &names) == 0) {
		ok = 1;
		for (size_t i = 0; ok && i < names.nr; i++) {
			struct stat fs;
			strbuf_reset(&f);
			strbuf_reset(&sum);
			strbuf_addf(&f, "%s/%s", path, names.v[i]);
			ok = lstat(f.buf, &fs) == 0 && S_ISREG(fs.st_mode) &&
			     file_sha256(f.buf, &sum) == 0 && !strncmp(sum.buf, name, 64);
		}
	}
	argv_release(&names);
	strbuf_release(&sum);
	strbuf_release(&f);
	return ok;
}

int gocache_check(const char *dir, time_t since)
{
	struct strbuf sub = STRBUF_INIT, path = STRBUF_INIT;
	int ret = 0;

	for (int i = 0; i < 256; i++) {
		struct argv names = ARGV_INIT;
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s/%02x", dir, i);
		if (tree_list(sub.buf, &names) < 0)
			continue;
		for (size_t k = 0; k < names.nr; k++) {
			const char *name = names.v[k];
			size_t n = strlen(name);
			struct stat st;
			if (name[0] == '.')
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", sub.buf, name);
			if (lstat(path.buf, &st) < 0 || st.st_ctime < since)
				continue;
			if (S_ISLNK(st.st_mode) ||
			    (n == 66 && !strcmp(name + 64, "-d") && !output_ok(path.buf, name, &st))) {
				ret = error("--isolate: '%s' in GOCACHE is not what the go command writes "
					    "there: removed", path.buf);
				remove_tree(path.buf);
			}
		}
		argv_release(&names);
	}
	strbuf_release(&sub);
	strbuf_release(&path);
	return ret;
}
