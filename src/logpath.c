/*
 * logpath.c - would a program log to this path (logpath.h).
 */
#include "logpath.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* What kind of file a non-regular mode is, for the verdict. */
static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO (named pipe): opened without blocking and refused, never read from or written";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device: refused (only a regular file is written)";
	if (S_ISBLK(m))
		return "a block device: refused (only a regular file is written)";
	if (S_ISSOCK(m))
		return "a socket: refused (only a regular file is written)";
	return "not a regular file";
}

int logpath_check(const char *path, struct strbuf *why)
{
	struct stat st, dst;
	char *copy = xstrdup(path), *dir = dirname(copy);
	int ok = 0;

	if (stat(dir, &dst) < 0) {
		strbuf_addstr(why, "its directory does not exist (the logger creates no directories)");
	} else if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			strbuf_addstr(why, strerror(errno));
		else if (access(dir, W_OK | X_OK) < 0)
			strbuf_addstr(why, "it does not exist and its directory is not writable by you");
		else
			ok = 1, strbuf_addstr(why, "it will be created with mode 0600 (whatever the umask) "
					      "and appended to");
	} else if (S_ISLNK(st.st_mode)) {
		strbuf_addstr(why, "a symbolic link: never followed (O_NOFOLLOW), its target is left "
			      "untouched");
	} else if (!S_ISREG(st.st_mode)) {
		strbuf_addstr(why, file_kind(st.st_mode));
	} else if (st.st_nlink != 1) {
		strbuf_addf(why, "a file with %lu links (a hard link): never written, lest the program"
			    " append to, and chmod, the file it links to", (unsigned long)st.st_nlink);
	} else if (st.st_uid != geteuid()) {
		strbuf_addstr(why, "owned by another user: never written");
	} else if (access(path, W_OK) < 0) {
		strbuf_addstr(why, "not writable by you");
	} else if (st.st_mode & 0177) {
		ok = 1;
		strbuf_addf(why, "exists with mode %o: it will be tightened to 0600, then appended to",
			    (unsigned)(st.st_mode & 0777));
	} else {
		ok = 1;
		strbuf_addstr(why, "exists, yours, mode 0600: it will be appended to");
	}
	free(copy);
	return ok;
}
