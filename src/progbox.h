/*
 * progbox.h - under --isolate, the programs a sandboxed go command starts
 * (go test's binaries, go run's program) each run in a sandbox of their
 * own, made from outside the build's sandbox rather than nested in it:
 * a bubblewrap sandbox started inside another cannot mount its own /proc
 * when the outer one runs as root, and a program that can see the build's
 * processes can reach their file systems through /proc/PID/root.
 *
 * The go command runs each program through its -exec, `goinstr
 * isolate-exec PROG ARGS...` (progbox_exec), which hands PROG, its
 * arguments, environment, working directory and standard streams (the
 * descriptors themselves, SCM_RIGHTS) over a Unix socket to the broker,
 * a process goinstr started outside (progbox_start). The broker runs PROG
 * in a sandbox whose view the caller fixed in advance (bwrap arguments)
 * plus, per program: PROG itself read-only (it must be a file beneath the
 * go command's work directory, or beneath GOCACHE, where go run keeps the
 * executables it builds), and writable the coverage files go test
 * names beneath that work directory (-test.coverprofile, -test.gocoverdir,
 * GOCOVERDIR). It waits, and answers with the exit status; a client that
 * goes away (go test's timeout kills it) has its program killed.
 *
 * Only the user who started the broker may use its socket (SO_PEERCRED),
 * and the socket lives in goinstr's private temporary directory, which
 * no program sees.
 */
#ifndef PROGBOX_H
#define PROGBOX_H

#include <sys/types.h>

#include "util.h"

struct progbox {
	struct argv view; /* bwrap's arguments for every program: namespaces, mounts, --setenv */
	const char *work; /* programs are files beneath this directory (GOTMPDIR), */
	const char *bin;  /* or this one (GOCACHE: go run keeps what it built there) */
	const char *sock; /* the socket's path (at most 107 bytes) */
	pid_t pid;        /* the broker, once started */
};

/*
 * Start the broker listening on pb->sock. 0 or -1 (reported). The broker
 * stops with progbox_stop, or when goinstr dies.
 */
int progbox_start(struct progbox *pb);
void progbox_stop(struct progbox *pb);

/* The environment variable that names the socket to the client. */
#define PROGBOX_SOCK_ENV "GOINSTR_ISOLATE_SOCK"

/*
 * The client (goinstr isolate-exec PROG ARGS...): run PROG through the
 * broker named by $GOINSTR_ISOLATE_SOCK. Returns PROG's exit status, or
 * -1 (reported) if the broker cannot be reached or refuses.
 */
int progbox_exec(int argc, const char **argv);

#endif
