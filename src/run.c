/*
 * run.c - start a process, feed its standard streams, wait (see run.h).
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* What the child sends up its close-on-exec pipe when it fails before or
 * at exec: the step and errno, so the parent reports one message (not the
 * child, which may share the parent's stderr mid-line). */
struct failure {
	int fd; /* 0, 1, 2: opening that stream; -1: exec */
	int err;
};

static void child_fail(int ep, int fd)
{
	struct failure f = { fd, errno };

	if (write(ep, &f, sizeof(f)) < 0)
		_exit(127);
	_exit(127);
}

/* In the child: make fd what c says for it. */
static void child_stream(const struct child *c, int fd, enum child_io how,
			 const char *path, int pipe_w, int ep)
{
	int f = -1;

	switch (how) {
	case CHILD_INHERIT:
		return;
	case CHILD_NULL:
		f = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
		break;
	case CHILD_FILE:
		f = fd ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : open(path, O_RDONLY);
		break;
	case CHILD_CAPTURE:
		f = pipe_w;
		break;
	case CHILD_FD:
		f = fd == 0 ? c->in_fd : fd == 1 ? c->out_fd : c->err_fd;
		if (f == fd)
			return;
		break;
	}
	if (f < 0 || dup2(f, fd) < 0)
		child_fail(ep, fd);
}

static void child_env(const char *const *env)
{
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');
		if (eq) {
			char *name = xstrndup(*env, (size_t)(eq - *env));
			setenv(name, eq + 1, 1);
			free(name);
		} else {
			unsetenv(*env);
		}
	}
}

/* Read the capture pipes until both are closed. */
static void drain(int outfd, struct strbuf *out, int errfd, struct strbuf *err)
{
	struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	struct strbuf *dst[2] = { out, err };
	char buf[65536];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < 2; k++) {
			ssize_t n;
			if (p[k].fd < 0 || !p[k].revents)
				continue;
			n = read(p[k].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(p[k].fd);
				p[k].fd = -1;
				continue;
			}
			strbuf_add(dst[k], buf, (size_t)n);
		}
	}
}

/* Whether the socket fd's other end is gone (end of file or an error). */
static int hung_up(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLRDHUP, 0 };
	char b;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL))
		return 1;
	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/*
 * Wait for pid; with c->watch, kill it once watch_fd hangs up. A pidfd
 * (Linux 5.3) lets one poll(2) wait for both; without one, look every
 * 20 ms. Returns waitpid's.
 */
static pid_t wait_child(const struct child *c, pid_t pid, int *st)
{
	pid_t r;
	int pfd = -1, killed = 0;

	if (!c->watch) {
		while ((r = waitpid(pid, st, 0)) < 0 && errno == EINTR)
			;
		return r;
	}
#ifdef SYS_pidfd_open
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	for (;;) {
		struct pollfd p[2] = { { c->watch_fd, POLLRDHUP, 0 }, { pfd, POLLIN, 0 } };
		if ((r = waitpid(pid, st, WNOHANG)) != 0 && !(r < 0 && errno == EINTR))
			break;
		if (!killed && hung_up(c->watch_fd)) {
			kill(pid, SIGKILL);
			killed = 1;
		}
		poll(p + killed, pfd >= 0 ? 2 - killed : 1 - killed, pfd >= 0 ? -1 : 20);
	}
	if (pfd >= 0)
		close(pfd);
	return r;
}

int run_child(const struct child *c)
{
	static const char *const names[] = { "standard input", "standard output", "standard error" };
	int op[2] = { -1, -1 }, eq[2] = { -1, -1 }, ep[2] = { -1, -1 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	struct failure f = { 0, 0 };
	int st, ret;
	ssize_t n;
	pid_t pid;

	fflush(NULL);
	if (pipe2(ep, O_CLOEXEC) < 0 ||
	    (c->out == CHILD_CAPTURE && pipe2(op, O_CLOEXEC) < 0) ||
	    (c->err == CHILD_CAPTURE && pipe2(eq, O_CLOEXEC) < 0)) {
		ret = error("cannot create pipe: %s", strerror(errno));
		goto fail;
	}
	if (c->wait_like_system) {
		sigaction(SIGINT, &ign, &oint);
		sigaction(SIGQUIT, &ign, &oquit);
	}
	if ((pid = fork()) < 0) {
		ret = error("cannot fork: %s", strerror(errno));
		goto out;
	}
	if (!pid) {
		if (c->wait_like_system) {
			sigaction(SIGINT, &oint, NULL);
			sigaction(SIGQUIT, &oquit, NULL);
		}
		child_stream(c, 0, c->in, c->in_path, -1, ep[1]);
		child_stream(c, 1, c->out, c->out_path, op[1], ep[1]);
		child_stream(c, 2, c->err, c->err_path, eq[1], ep[1]);
		child_env(c->env);
		execvp(c->argv[0], (char *const *)c->argv);
		child_fail(ep[1], -1);
	}
	close(ep[1]), ep[1] = -1;
	if (op[1] >= 0)
		close(op[1]), op[1] = -1;
	if (eq[1] >= 0)
		close(eq[1]), eq[1] = -1;
	drain(op[0], c->out_buf, eq[0], c->err_buf);
	op[0] = eq[0] = -1; /* closed by drain */
	while ((n = read(ep[0], &f, sizeof(f))) < 0 && errno == EINTR)
		;
	if (wait_child(c, pid, &st) < 0) {
		ret = error("cannot wait for '%s': %s", c->argv[0], strerror(errno));
		goto out;
	}
	if (n == (ssize_t)sizeof(f) && f.fd < 0)
		ret = error("cannot run '%s': %s", c->argv[0], strerror(f.err));
	else if (n == (ssize_t)sizeof(f))
		ret = error("cannot open %s for '%s': %s", names[f.fd], c->argv[0], strerror(f.err));
	else
		ret = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
out:
	if (c->wait_like_system) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
	}
fail:
	for (int k = 0; k < 2; k++) {
		if (op[k] >= 0)
			close(op[k]);
		if (eq[k] >= 0)
			close(eq[k]);
		if (ep[k] >= 0)
			close(ep[k]);
	}
	return ret;
}

int run_capture(const char *const *argv, const char *const *env, struct strbuf *out)
{
	struct strbuf sink = STRBUF_INIT;
	struct child c = CHILD_INIT;
	int ret;

	c.argv = argv;
	c.env = env;
	c.in = CHILD_NULL;
	c.out = CHILD_CAPTURE;
	c.out_buf = out ? out : &sink;
	ret = run_child(&c);
	strbuf_release(&sink);
	return ret;
}

int run_inherit(const char *const *argv, const char *const *env)
{
	struct child c = CHILD_INIT;

	c.argv = argv;
	c.env = env;
	c.wait_like_system = 1;
	return run_child(&c);
}

int run_exec(const char *const *argv, const char *const *env)
{
	child_env(env);
	execvp(argv[0], (char *const *)argv);
	return error("cannot run '%s': %s", argv[0], strerror(errno));
}
