/*
 * cmd_checklog.c - `goinstr check-log-path PATH`: what an instrumented
 * program would do with INSTRUMENTATION_LOG_PATH=PATH, by the same rules
 * as its logger (inject/runtime/goinstr_linux.go), and whether the place
 * is a safe one: the security notes advise a private directory (0700),
 * not a shared or world-writable one such as /tmp.
 *
 * Exit 0: a program would log there (warnings may follow); 1: it would
 * not (it then runs exactly as uninstrumented); 2: usage.
 *
 * The logger opens PATH with O_NOFOLLOW (a symbolic link at PATH is
 * refused) and O_NONBLOCK (a FIFO cannot hang it), and writes only a
 * regular file of this user with one link. Symbolic links among PATH's
 * directories are followed: each draws a warning.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "commands.h"
#include "opts.h"
#include "logpath.h"
#include "strbuf.h"
#include "util.h"

/*
 * Warn about each symbolic link among the directories of path (made
 * absolute against the working directory): the log goes where they
 * point, so whoever can change one chooses where it goes.
 */
static int warn_symlinked_dirs(const char *dir)
{
	struct strbuf abs = STRBUF_INIT;
	char target[4096];
	int warnings = 0;

	if (dir[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return 0;
		strbuf_addstr(&abs, cwd);
		free(cwd);
		if (strcmp(dir, "."))
			strbuf_addf(&abs, "/%s", dir);
	} else {
		strbuf_addstr(&abs, dir);
	}
	for (size_t i = 1; i <= abs.len; i++) {
		struct stat st;
		ssize_t n;

		if (i < abs.len && abs.buf[i] != '/')
			continue;
		abs.buf[i] = '\0';
		if (lstat(abs.buf, &st) == 0 && S_ISLNK(st.st_mode)) {
			n = readlink(abs.buf, target, sizeof(target) - 1);
			target[n < 0 ? 0 : n] = '\0';
			printf("warning: %s is a symbolic link (to %s): the log goes where it points,"
			       " and whoever can change it chooses where\n", abs.buf, target);
			warnings++;
		}
		if (i < abs.len)
			abs.buf[i] = '/';
	}
	strbuf_release(&abs);
	return warnings;
}

static int verdict(const char *path, int ok, const char *why)
{
	printf("%s: %s\n", ok ? "ok" : "no", why);
	if (!ok)
		printf("  a program given INSTRUMENTATION_LOG_PATH=%s logs nothing and runs as uninstrumented\n", path);
	return ok ? 0 : 1;
}

struct checklog_opts {
	int brief;
};

const struct option checklog_options[] = {
	OPT_BOOL("brief", struct checklog_opts, brief,
		 "only one line on standard error, when a program would log nothing"),
	OPT_END(),
};

int cmd_checklog(int argc, const char **argv)
{
	struct checklog_opts o = { 0 };
	struct stat dst;
	char *copy, *dir;
	int warnings = 0, ret, n;
	const char *path;

	if ((n = opts_parse(checklog_options, &o, argc, argv, 0)) < 0)
		return EXIT_USAGE;
	if (argc - n != 1 || !*argv[n])
		return cmd_usage_error("check-log-path");
	argv += n - 1;
	if (o.brief) {
		/* one line on stderr if a program would log nothing (a drop-in
		 * toolchain's go run and go test say it so) */
		struct strbuf why = STRBUF_INIT;
		int ok = logpath_check(argv[1], &why);
		if (!ok)
			warning("INSTRUMENTATION_LOG_PATH=%s: the program will log nothing: %s", argv[1],
				why.buf);
		strbuf_release(&why);
		return ok ? 0 : 1;
	}
	path = argv[1];
	printf("path: %s\n", path);
	if (path[0] != '/')
		printf("note: relative: resolved against the program's working directory at its first event\n");
	copy = xstrdup(path);
	dir = dirname(copy);

	if (stat(dir, &dst) < 0) {
		struct strbuf why = STRBUF_INIT;
		logpath_check(path, &why);
		ret = verdict(path, 0, why.buf);
		strbuf_release(&why);
		goto out;
	}
	if (dst.st_mode & S_IWOTH) {
		printf("warning: directory %s is world-writable%s: others can see, race for or fill the log's name;"
		       " use a private directory (mkdir -m 700)\n", dir,
		       dst.st_mode & S_ISVTX ? " (sticky, like /tmp)" : "");
		warnings++;
	} else if (dst.st_mode & (S_IWGRP)) {
		printf("warning: directory %s is group-writable; a private directory (0700) is safer\n", dir);
		warnings++;
	}
	if (!strcmp(dir, "/tmp") || !strcmp(dir, "/var/tmp") || !strcmp(dir, "/dev/shm")) {
		printf("warning: a shared temporary directory: logs hold addresses, paths and argument values;"
		       " keep them where only you can read them\n");
		warnings++;
	}
	warnings += warn_symlinked_dirs(dir);
	if (!(dst.st_mode & S_IWGRP) && !(dst.st_mode & S_IWOTH) && (dst.st_mode & 077))
		printf("note: directory %s is readable by others (mode %o); 0700 keeps even file names private\n",
		       dir, dst.st_mode & 0777);

	{
		struct strbuf why = STRBUF_INIT;
		int ok = logpath_check(path, &why);
		ret = verdict(path, ok, why.buf);
		strbuf_release(&why);
	}
out:
	if (!ret && warnings)
		printf("%d warning%s\n", warnings, warnings > 1 ? "s" : "");
	free(copy);
	return ret;
}
