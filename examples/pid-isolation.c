/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pid-isolation: a process that is pid 1 of its own PID namespace and sees no other process.
 *
 *   pid-isolation [CMD [ARGS...]]     (default: `ps -ef`, or a listing of /proc without procps)
 *
 * The concept: pid namespaces give processes their own numbering. The first process in a new
 * pid namespace is its pid 1 (its init), while the host goes on numbering it like any other
 * process: one process, two pids. A fresh /proc, mounted in a new mount namespace so that the
 * host's /proc is left alone, then lists only the processes of the new namespace; that is what
 * `ps` reads, so `ps -ef` inside shows a single line: itself, as PID 1.
 *
 * What you should see: the host's pid for the child and its pid inside (1, asked of the kernel
 * with ns_pid_translate()), the child saying getpid() = 1 and getppid() = 0 (its parent lives
 * outside its namespace), /proc inside holding one numbered directory, then the command's output.
 *
 * The same with util-linux: `unshare --pid --fork --mount-proc ps -ef`; with libns's own tool:
 * `ns-run --pid --mount-proc -- ps -ef`.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <libns/libns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The numbered directories of /proc: one per process this /proc's pid namespace holds. */
static int list_proc(char *buf, size_t size)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t len = 0;
	int n = 0;

	buf[0] = '\0';
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0])) {
			n++;
			if (len < size)
				len += (size_t)snprintf(buf + len, size - len, " %s", e->d_name);
		}
	closedir(d);
	return n;
}

struct child_args {
	int sock[2];        /* the child says "ready" on sock[1]; the parent closes sock[0] when it has looked */
	char **cmd;
};

/* Runs in the child, already pid 1 of the new namespace with a new /proc mounted. */
static int child(void *p)
{
	struct child_args *a = p;
	char pids[256], c;
	int n = list_proc(pids, sizeof(pids));

	printf("child:  getpid() = %d, getppid() = %d\n", (int)getpid(), (int)getppid());
	printf("child:  /proc lists %d process%s:%s\n", n, n == 1 ? "" : "es", pids);
	fflush(stdout);
	/* Say "ready", then stay alive (and pid 1) until the parent has asked the kernel for our pid in
	 * both namespaces and closed its end. The clone copied both ends: drop the parent's. */
	close(a->sock[0]);
	if (write(a->sock[1], "r", 1) == 1)
		while (read(a->sock[1], &c, 1) < 0)
			;
	close(a->sock[1]);
	printf("child:  running");
	for (char **arg = a->cmd; *arg; arg++)
		printf(" %s", *arg);
	printf("\n");
	fflush(stdout);
	execvp(a->cmd[0], a->cmd);
	perror(a->cmd[0]);
	return 127;
}

int main(int argc, char **argv)
{
	/* Without procps, `ls /proc` shows the same thing ps would: the pid directories. */
	char *ps[] = { "ps", "-ef", NULL }, *ls[] = { "ls", "/proc", NULL };
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct child_args args;
	char pids[64], c;
	int pidfd, pidns, status;
	pid_t pid, inside;

	args.cmd = argc > 1 ? argv + 1 : access("/usr/bin/ps", X_OK) == 0 || access("/bin/ps", X_OK) == 0 ? ps : ls;
	printf("host:   this program is pid %d; /proc here lists %d processes\n", (int)getpid(),
	       list_proc(pids, sizeof(pids)));

	/* A pid namespace, and a mount namespace so the new /proc does not cover the host's. */
	opts.new_types = NS_TYPE_PID | NS_TYPE_MNT;
	opts.flags = NS_SPAWN_MOUNT_PROC | NS_SPAWN_DIE_WITH_PARENT;
	if (geteuid() != 0) {
		/* Without root, a user namespace of our own grants the capabilities the others need. */
		opts.new_types |= NS_TYPE_USER;
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, args.sock) < 0) {
		perror("socketpair");
		return 1;
	}
	fflush(stdout); /* the child starts with a copy of our stdio buffer */
	pid = ns_spawn(&opts, child, &args, &pidfd);
	close(args.sock[1]);
	if (pid < 0) {
		fprintf(stderr, "pid-isolation: %s\n", ns_last_error());
		close(args.sock[0]);
		return 1;
	}
	if (read(args.sock[0], &c, 1) != 1)   /* the child has printed its view */
		fprintf(stderr, "pid-isolation: the child did not get ready\n");

	/* The child's pid namespace is a file descriptor too; ask it what the child is called inside. */
	pidns = ns_open_pidfd(pidfd, NS_TYPE_PID, 0);
	if (pidns < 0 || ns_pid_translate(pidns, pid, NS_PID_INTO_NS, &inside) < 0)
		fprintf(stderr, "pid-isolation: %s\n", ns_last_error());
	else
		printf("host:   the child is pid %d here and pid %d in its own namespace\n", (int)pid, (int)inside);
	fflush(stdout);
	if (pidns >= 0)
		close(pidns);
	close(args.sock[0]); /* let the child run its command */

	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "pid-isolation: %s\n", ns_last_error());
		return 1;
	}
	close(pidfd);
	/* pid 1 gone means the whole namespace is gone: the kernel kills whatever was left in it. */
	printf("host:   the child exited with status %d; its pid namespace is gone with it\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
