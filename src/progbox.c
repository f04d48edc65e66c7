/*
 * progbox.c - the broker that runs a sandboxed go command's programs in
 * sandboxes of their own, and its client (see progbox.h).
 */
#include "progbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "strbuf.h"

#define MAX_REQUEST (16u << 20) /* argv and environment: far more than ARG_MAX */

static int sock_addr(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return error("--isolate: the socket path '%s' is too long (set TMPDIR to a "
			     "shorter directory)", path);
	strcpy(a->sun_path, path);
	return 0;
}

/* --- the client ------------------------------------------------------------ */

static void add_str(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s) + 1);
}

int progbox_exec(int argc, const char **argv)
{
	extern char **environ;
	const char *path = getenv(PROGBOX_SOCK_ENV);
	struct strbuf req = STRBUF_INIT;
	struct sockaddr_un a;
	char cwd[PATH_MAX], ctl[CMSG_SPACE(3 * sizeof(int))];
	uint32_t len;
	int32_t status;
	struct iovec iov = { &len, sizeof(len) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int fd = -1, ret = -1;
	ssize_t n;

	if (argc < 2)
		return error("usage: goinstr isolate-exec PROG [ARGS...]");
	if (!path || sock_addr(path, &a) < 0)
		return error("isolate-exec: not inside goinstr's --isolate sandbox (no %s)",
			     PROGBOX_SOCK_ENV);
	if (!getcwd(cwd, sizeof(cwd)))
		return error("cannot find the current directory: %s", strerror(errno));
	add_str(&req, cwd);
	strbuf_addf(&req, "%d%c", argc - 1, 0);
	for (int i = 1; i < argc; i++)
		add_str(&req, argv[i]);
	for (char **e = environ; *e; e++)
		add_str(&req, *e);
	len = (uint32_t)req.len;
	memset(ctl, 0, sizeof(ctl));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(cm), (int[]){ 0, 1, 2 }, 3 * sizeof(int));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    sendmsg(fd, &m, MSG_NOSIGNAL) != (ssize_t)sizeof(len) || write_all(fd, req.buf, req.len) < 0) {
		error("isolate-exec: cannot reach goinstr's sandbox broker at '%s': %s", path,
		      strerror(errno));
		goto out;
	}
	while ((n = read(fd, &status, sizeof(status))) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(status) || status < 0)
		error("isolate-exec: the sandbox of '%s' went away", argv[1]);
	else
		ret = status;
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&req);
	return ret;
}

/* --- the broker ------------------------------------------------------------ */

/* Read exactly n bytes: 0, or -1. */
static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r, n -= (size_t)r;
	}
	return 0;
}

/* One request: the client's descriptors and strings. */
struct request {
	int fds[3];
	struct strbuf buf;
	const char *cwd;
	struct argv args, env;
};

/* Receive a request from c. 0, or -1 (a broken client: nothing said). */
static int receive(int c, struct request *r)
{
	char ctl[CMSG_SPACE(3 * sizeof(int))];
	uint32_t len;
	struct iovec iov = { &len, sizeof(len) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	const char *p, *end;
	long argc;

	if (recvmsg(c, &m, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(len) || !(cm = CMSG_FIRSTHDR(&m)) ||
	    cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(3 * sizeof(int)))
		return -1;
	memcpy(r->fds, CMSG_DATA(cm), sizeof(r->fds));
	if (len > MAX_REQUEST)
		return -1;
	strbuf_grow(&r->buf, len);
	if (read_full(c, r->buf.buf, len) < 0 || !len || r->buf.buf[len - 1])
		return -1;
	strbuf_setlen(&r->buf, len);
	p = r->cwd = r->buf.buf;
	end = r->buf.buf + len;
	p += strlen(p) + 1;
	if (p >= end || (argc = strtol(p, NULL, 10)) < 1)
		return -1;
	for (p += strlen(p) + 1; p < end; p += strlen(p) + 1)
		argv_push(argc-- > 0 ? &r->args : &r->env, p);
	return argc > 0 ? -1 : 0;
}

/*
 * path resolved (its directory, for a file that need not exist yet) into
 * out if it lies beneath dir (resolved too): 0, else -1.
 */
static int resolve_beneath(const char *path, const char *dir, struct strbuf *out)
{
	char rd[PATH_MAX], rp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct strbuf parent = STRBUF_INIT;
	int ok;

	if (!realpath(dir, rd) || !slash)
		return -1;
	strbuf_add(&parent, path, slash == path ? 1 : (size_t)(slash - path));
	ok = realpath(parent.buf, rp) != NULL && path_within(rp, rd) && slash[1] &&
	     strcmp(slash + 1, "..") && strcmp(slash + 1, ".");
	if (ok) {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s", rp, slash + 1);
	}
	strbuf_release(&parent);
	return ok ? 0 : -1;
}

/* Bind a coverage file or directory go test names beneath the work
 * directory writable; a file is made first (empty), as the bind needs it. */
static void coverage_bind(const struct progbox *pb, struct argv *a, const char *path, int dir)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	int fd;

	if (resolve_beneath(path, pb->work, &p) < 0)
		goto out;
	if (dir ? stat(p.buf, &st) < 0 || !S_ISDIR(st.st_mode) :
		  (fd = open(p.buf, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0 ||
			  close(fd) < 0)
		goto out;
	argv_push(a, "--bind");
	argv_push(a, p.buf);
	argv_push(a, p.buf);
out:
	strbuf_release(&p);
}

/* The bwrap command line for r's program. 0, or -1 (reported). */
static int command(const struct progbox *pb, const struct request *r, struct argv *a)
{
	struct strbuf prog = STRBUF_INIT;
	struct stat st;
	int ret = 0;

	if ((resolve_beneath(r->args.v[0], pb->work, &prog) < 0 &&
	     (!pb->bin || resolve_beneath(r->args.v[0], pb->bin, &prog) < 0)) ||
	    stat(prog.buf, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = error("--isolate: '%s' is not a program the go command built: not run",
			    r->args.v[0]);
		goto out;
	}
	argv_push(a, "bwrap");
	argv_push(a, "--clearenv");
	for (size_t i = 0; i < r->env.nr; i++) {
		const char *e = r->env.v[i], *eq = strchr(e, '=');
		if (!eq || !strncmp(e, "TMPDIR=", 7) || !strncmp(e, "GOTMPDIR=", 9) ||
		    !strncmp(e, PROGBOX_SOCK_ENV "=", sizeof(PROGBOX_SOCK_ENV)))
			continue;
		argv_push(a, "--setenv");
		argv_pushf(a, "%.*s", (int)(eq - e), e);
		argv_push(a, eq + 1);
		if (!strncmp(e, "GOCOVERDIR=", 11))
			coverage_bind(pb, a, eq + 1, 1);
	}
	for (size_t i = 0; i < pb->view.nr; i++)
		argv_push(a, pb->view.v[i]);
	argv_push(a, "--ro-bind");
	argv_push(a, prog.buf);
	argv_push(a, prog.buf);
	for (size_t i = 1; i < r->args.nr; i++) {
		const char *s = r->args.v[i];
		if (!strncmp(s, "-test.coverprofile=", 19))
			coverage_bind(pb, a, s + 19, 0);
		else if (!strncmp(s, "-test.gocoverdir=", 17))
			coverage_bind(pb, a, s + 17, 1);
	}
	argv_push(a, "--remount-ro"); /* after every bind: see isolate.c */
	argv_push(a, "/");
	argv_push(a, "--chdir");
	argv_push(a, r->cwd);
	argv_push(a, "--");
	argv_push(a, prog.buf);
	for (size_t i = 1; i < r->args.nr; i++)
		argv_push(a, r->args.v[i]);
out:
	strbuf_release(&prog);
	return ret;
}

/* Serve one client on c: its program's exit status, or 2. */
static int serve(const struct progbox *pb, int c)
{
	struct request r = { { -1, -1, -1 }, STRBUF_INIT, NULL, ARGV_INIT, ARGV_INIT };
	struct argv a = ARGV_INIT;
	struct child ch = CHILD_INIT;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int32_t status = 2;

	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != geteuid() ||
	    receive(c, &r) < 0)
		goto out;
	dup2(r.fds[2], 2); /* what goes wrong is the program's error */
	if (command(pb, &r, &a) < 0)
		goto reply;
	ch.argv = (const char *const *)a.v;
	ch.in = ch.out = ch.err = CHILD_FD;
	ch.in_fd = r.fds[0], ch.out_fd = r.fds[1], ch.err_fd = r.fds[2];
	ch.watch = 1, ch.watch_fd = c;
	status = run_child(&ch);
	if (status < 0)
		status = 2;
reply:
	write_all(c, &status, sizeof(status));
out:
	for (int i = 0; i < 3; i++)
		if (r.fds[i] >= 0)
			close(r.fds[i]);
	strbuf_release(&r.buf);
	argv_release(&r.args);
	argv_release(&r.env);
	argv_release(&a);
	return status;
}

int progbox_start(struct progbox *pb)
{
	struct sockaddr_un a;
	pid_t parent = getpid();
	int fd;

	if (sock_addr(pb->sock, &a) < 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0) {
		error("--isolate: cannot listen at '%s': %s", pb->sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fflush(NULL);
	if ((pb->pid = fork()) < 0) {
		close(fd);
		return error("cannot fork: %s", strerror(errno));
	}
	if (pb->pid) {
		close(fd);
		return 0;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	signal(SIGINT, SIG_IGN); /* a ^C is for the programs; goinstr stops us */
	signal(SIGCHLD, SIG_IGN); /* no zombies of finished requests */
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		pid_t h;
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			_exit(2);
		}
		if ((h = fork()) == 0) {
			signal(SIGCHLD, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(fd);
			_exit(serve(pb, c) & 0xff);
		}
		close(c);
	}
}

void progbox_stop(struct progbox *pb)
{
	if (pb->pid <= 0)
		return;
	kill(pb->pid, SIGTERM);
	while (waitpid(pb->pid, NULL, 0) < 0 && errno == EINTR)
		;
	pb->pid = 0;
}
