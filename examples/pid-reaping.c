/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pid-reaping: a pid namespace's pid 1 adopts its orphans, and takes everyone with it when it dies.
 *
 *   pid-reaping
 *
 * The concept: the first process of a pid namespace is its init. A process whose parent exits is
 * re-parented to that pid 1, not to the host's init, so pid 1 must reap them, as init does. And
 * when pid 1 exits, the kernel sends SIGKILL to every other process in the namespace: a signal
 * that cannot be caught or ignored. The namespace dies with its init.
 *
 * What it does: ns_spawn() starts a child in a new pid namespace (and a mount namespace with its
 * own /proc), as pid 1. Pid 1 forks pid 2, which forks pid 3 and exits: pid 3 is an orphan. Then
 * a helper process of this program, outside, joins the namespace for its next child (ns_enter()
 * on a pid namespace moves pid_for_children only) and forks a process into it whose parent stays
 * outside. That process ignores SIGTERM, SIGINT and SIGHUP. Every pid is shown inside and
 * outside (ns_pid_translate()). Then pid 1 exits.
 *
 * What you should see: the orphan's parent is 1 inside, and outside it is the child this program
 * spawned, not the host's init; the joined process's parent is 0 inside (it lives outside).
 * After pid 1 exits, the helper's waitpid() says the joined process was killed by signal 9,
 * SIGKILL, despite ignoring the others, and the orphan is gone too. Without root the program first makes
 * itself root in a user namespace of its own (ns_unshare()), which owns the pid namespace.
 *
 * The same with util-linux: `unshare --pid --fork --mount-proc sh -c '(sleep 100 &); ps -o
 * pid,ppid,comm'` for the orphan; for the rest, `nsenter --pid=/proc/PID/ns/pid_for_children`
 * and `kill` of pid 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int sock[2];   /* pid 1 reports on sock[1]; it exits when the parent closes sock[0] */

/* The PPid field of /proc/PID/status, as this process's /proc numbers it. */
static pid_t ppid_of(pid_t pid)
{
	char path[64], line[128];
	FILE *f;
	int ppid = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %d", &ppid) == 1)
			break;
	fclose(f);
	return ppid;
}

static void stay(void)
{
	for (;;)
		pause();
}

/* Pid 1 of the new namespace. */
static int init(void *arg)
{
	pid_t middle, orphan = 0;
	int pipefd[2];
	char c;

	(void)arg;
	close(sock[0]);
	if (pipe(pipefd) < 0)
		return 1;
	middle = fork();
	if (middle == 0) {
		/* pid 2: start pid 3, tell pid 1 its number, and leave it an orphan */
		orphan = fork();
		if (orphan == 0)
			stay();
		if (write(pipefd[1], &orphan, sizeof(orphan)) != sizeof(orphan))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (middle < 0 || read(pipefd[0], &orphan, sizeof(orphan)) != sizeof(orphan) || orphan <= 0)
		return 1;
	close(pipefd[0]);
	waitpid(middle, NULL, 0);   /* an init reaps what it is given; here, its own child first */
	printf("inside:  pid 1 forked pid %d, which forked pid %d and exited\n", (int)middle, (int)orphan);
	printf("inside:  pid %d's parent is now %d\n", (int)orphan, (int)ppid_of(orphan));
	fflush(stdout);
	if (write(sock[1], &orphan, sizeof(orphan)) != sizeof(orphan))
		return 1;
	while (read(sock[1], &c, 1) < 0)   /* until the parent closes its end */
		;
	printf("inside:  pid 1 exits\n");
	fflush(stdout);
	return 0;
}

struct joined {
	pid_t helper;      /* our child, outside the namespace; it enters and forks the joined process */
	pid_t pid, inside; /* the joined process, as we and as its namespace number it */
	int status_fd;     /* the helper writes the joined process's wait status here */
};

/*
 * A process born in the namespace with its parent outside: a helper of ours enters the pid
 * namespace (which moves only its pid_for_children) and forks. The helper does it, not this
 * program, so that our own children keep being born beside us (the sanitizers' tracer too).
 */
static int fork_into(int pidns, struct joined *j)
{
	int up[2];
	pid_t pid, inside = 0;
	int status = 0;

	if (pipe2(up, O_CLOEXEC) < 0) {
		perror("pid-reaping: pipe");
		return -1;
	}
	j->helper = fork();
	if (j->helper == 0) {
		int in[2];

		close(up[0]);
		close(sock[0]);   /* pid 1 must see EOF when the parent closes its end */
		if (pipe2(in, O_CLOEXEC) < 0)
			_exit(1);
		if (ns_enter(pidns, NS_TYPE_PID) < 0) {
			fprintf(stderr, "pid-reaping: %s\n", ns_last_error());
			_exit(1);
		}
		pid = fork();
		if (pid == 0) {
			inside = getpid();
			signal(SIGTERM, SIG_IGN);
			signal(SIGINT, SIG_IGN);
			signal(SIGHUP, SIG_IGN);
			if (write(in[1], &inside, sizeof(inside)) != sizeof(inside))
				_exit(1);
			stay();
		}
		close(in[1]);
		if (pid < 0 || read(in[0], &inside, sizeof(inside)) != sizeof(inside) ||
		    write(up[1], &pid, sizeof(pid)) != sizeof(pid) || write(up[1], &inside, sizeof(inside)) != sizeof(inside))
			_exit(1);
		waitpid(pid, &status, 0);
		_exit(write(up[1], &status, sizeof(status)) != sizeof(status));
	}
	close(up[1]);
	if (j->helper < 0 || read(up[0], &j->pid, sizeof(j->pid)) != sizeof(j->pid) ||
	    read(up[0], &j->inside, sizeof(j->inside)) != sizeof(j->inside)) {
		fprintf(stderr, "pid-reaping: no process could be forked into the namespace\n");
		close(up[0]);
		return -1;
	}
	j->status_fd = up[0];
	return 0;
}

int main(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	pid_t init_pid, orphan_in = 0, orphan_out = -1, me = getpid();
	struct joined j = { .helper = -1, .status_fd = -1 };
	int pidfd, pidns, orphan_fd = -1, status, ret = 1;
	struct pollfd pfd;

	if (geteuid() != 0) {
		/* Root in a user namespace of our own: it will own the pid namespace, and we may enter it. */
		if (ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT) < 0) {
			fprintf(stderr, "pid-reaping: %s\n", ns_last_error());
			return 1;
		}
		printf("host:    not root: made this process root in a user namespace of its own first\n");
	}
	opts.new_types = NS_TYPE_PID | NS_TYPE_MNT;
	opts.flags = NS_SPAWN_MOUNT_PROC | NS_SPAWN_DIE_WITH_PARENT;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) {
		perror("pid-reaping: socketpair");
		return 1;
	}
	printf("host:    this program is pid %d; ns_spawn() starts pid 1 of a new pid namespace\n", (int)me);
	fflush(stdout);
	init_pid = ns_spawn(&opts, init, NULL, &pidfd);
	close(sock[1]);
	if (init_pid < 0) {
		fprintf(stderr, "pid-reaping: %s\n", ns_last_error());
		close(sock[0]);
		return 1;
	}
	pidns = ns_open_pidfd(pidfd, NS_TYPE_PID, 0);
	if (pidns < 0 || read(sock[0], &orphan_in, sizeof(orphan_in)) != sizeof(orphan_in)) {
		fprintf(stderr, "pid-reaping: %s\n", pidns < 0 ? ns_last_error() : "pid 1 did not report");
		goto out;
	}
	/* The orphan's number here, and a pidfd to watch it by (no pid-reuse race). */
	if (ns_pid_translate(pidns, orphan_in, NS_PID_FROM_NS, &orphan_out) < 0 ||
	    (orphan_fd = ns_pidfd_open(orphan_out, 0)) < 0) {
		fprintf(stderr, "pid-reaping: %s\n", ns_last_error());
		goto out;
	}
	if (fork_into(pidns, &j) < 0)
		goto out;

	printf("\n%-40s %7s %8s %14s %15s\n", "PROCESS", "INSIDE", "OUTSIDE", "PARENT INSIDE", "PARENT OUTSIDE");
	printf("%-40s %7d %8d %14d %15d\n", "pid 1 (started by ns_spawn)", 1, (int)init_pid, 0, (int)ppid_of(init_pid));
	printf("%-40s %7d %8d %14d %15d\n", "the orphan (its parent exited)", (int)orphan_in, (int)orphan_out, 1,
	       (int)ppid_of(orphan_out));
	printf("%-40s %7d %8d %14d %15d\n", "joined (forked in by our helper)", (int)j.inside, (int)j.pid, 0,
	       (int)ppid_of(j.pid));
	printf("\nhost:    the orphan's parent outside is %d, pid 1 of its namespace, not the host's init\n",
	       (int)ppid_of(orphan_out));
	printf("host:    the joined process's parent is our helper, pid %d, which entered the namespace (ns_enter)\n",
	       (int)j.helper);
	printf("host:    the joined process ignores SIGTERM, SIGINT and SIGHUP\n");
	fflush(stdout);

	close(sock[0]);   /* pid 1 exits now */
	sock[0] = -1;
	/* Its parent, our helper, reaps it (the dying pid 1 waits until then) and sends us the status. */
	if (read(j.status_fd, &status, sizeof(status)) == sizeof(status) && WIFSIGNALED(status))
		printf("host:    the joined process (pid %d) was killed by signal %d (%s)\n", (int)j.pid,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		printf("host:    the joined process (pid %d) was not killed by a signal\n", (int)j.pid);
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "pid-reaping: %s\n", ns_last_error());
		goto out;
	}
	printf("host:    pid 1 (pid %d) exited with status %d\n", (int)init_pid,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	/* A pidfd becomes readable when its process has exited. */
	pfd = (struct pollfd){ .fd = orphan_fd, .events = POLLIN };
	if (poll(&pfd, 1, 0) == 1 && ppid_of(orphan_out) < 0)
		printf("host:    the orphan (pid %d) is gone too: the namespace died with its pid 1\n", (int)orphan_out);
	else
		printf("host:    the orphan (pid %d) is still running\n", (int)orphan_out);
	ret = 0;
out:
	if (sock[0] >= 0)
		close(sock[0]);
	if (j.status_fd >= 0)
		close(j.status_fd);
	if (j.helper > 0)
		waitpid(j.helper, NULL, 0);
	if (orphan_fd >= 0)
		close(orphan_fd);
	if (pidns >= 0)
		close(pidns);
	if (ret) {
		kill(init_pid, SIGKILL);
		ns_wait(pidfd, NULL);
	}
	close(pidfd);
	return ret;
}
