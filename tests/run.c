/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ns_run_in_fds (child process and NS_RUN_THREAD), NS_RUN_THREAD for ns_run_in, ns_socket. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "helpers.h"

static const char *const names[] = { "net", "uts", "ipc", "mnt", "cgroup" };
static const int types[] = { NS_TYPE_NET, NS_TYPE_UTS, NS_TYPE_IPC, NS_TYPE_MNT, NS_TYPE_CGROUP };
#define NTYPES 5

/* Inode of the calling thread's namespace (/proc/self/ns would be the main thread's). */
static unsigned long long thread_ns_ino(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", name);
	return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* fds[i] of types[i] of a target that unshared them all; returns the target's pid. */
static pid_t target_fds(int fds[NTYPES], int *pidfd)
{
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWCGROUP, pidfd);

	ck_assert_int_gt(pid, 0);
	for (int i = 0; i < NTYPES; i++) {
		fds[i] = ns_open(pid, types[i], 0);
		ck_assert_int_ge(fds[i], 0);
	}
	return pid;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

struct inside {
	unsigned long long ino[NTYPES];
	pid_t caller_tid;      /* NS_RUN_THREAD: fn must run on another thread of this process */
	pid_t caller_pid;
	int ran;               /* written by fn: seen by the caller only when fn shares its memory */
};

static int check_inside(void *arg)
{
	struct inside *in = arg;

	for (int i = 0; i < NTYPES; i++)
		if (in->ino[i] && thread_ns_ino(names[i]) != in->ino[i])
			return 100 + i;
	in->ran = 1;
	return 42;
}

static int check_thread(void *arg)
{
	struct inside *in = arg;

	if (getpid() != in->caller_pid || syscall(SYS_gettid) == in->caller_tid)
		return 99;
	return check_inside(arg);
}

static int negative(void *arg)
{
	(void)arg;
	return -ENOTSUP;
}

static struct inside expect_of(const int *fds)
{
	struct inside in = { .caller_tid = (pid_t)syscall(SYS_gettid), .caller_pid = getpid() };

	for (int i = 0; i < NTYPES; i++)
		in.ino[i] = fd_ino(fds[i]);
	return in;
}

START_TEST(run_in_fds_child)
{
	int fds[NTYPES], pidfd = -1;
	pid_t pid = target_fds(fds, &pidfd);
	struct inside in = expect_of(fds);
	unsigned long long mine = thread_ns_ino("net");

	ck_assert_int_eq(ns_run_in_fds(fds, NTYPES, check_inside, &in, 0), 42);
	ck_assert_int_eq(in.ran, 0);   /* a child's copy of memory */
	ck_assert_int_eq(ns_run_in_fds(fds, 1, negative, NULL, 0), -ENOTSUP);
	ck_assert_int_eq(errno, ENOTSUP);
	ck_assert_uint_eq(thread_ns_ino("net"), mine);
	close_all(fds, NTYPES);
	nst_kill(pid, &pidfd);
}
END_TEST

/* user first where needed, pid one fork deeper: a user+pid+net target entered from fds alone */
static int report_pid(void *arg)
{
	(void)arg;
	return (int)getpid();
}

START_TEST(run_in_fds_child_user_pid)
{
	int pidfd = -1, fds[3];
	pid_t pid = nst_spawn_target(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET, &pidfd);

	ck_assert_int_gt(pid, 0);
	fds[0] = ns_open(pid, NS_TYPE_NET, 0);
	fds[1] = ns_open(pid, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	fds[2] = ns_open(pid, NS_TYPE_USER, 0);
	ck_assert(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0);
	/* the target's pid namespace has its init (pid 1): fn is the next process in it */
	ck_assert_int_gt(ns_run_in_fds(fds, 3, report_pid, NULL, 0), 1);
	ck_assert_int_eq(ns_run_in_fds(fds, 3, report_pid, NULL, NS_RUN_THREAD), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "NS_RUN_THREAD cannot enter user,pid"));
	close_all(fds, 3);
	nst_kill(pid, &pidfd);
}
END_TEST

START_TEST(run_in_fds_thread)
{
	int fds[NTYPES], pidfd = -1, before = nst_fd_count();
	pid_t pid = target_fds(fds, &pidfd);
	struct inside in = expect_of(fds);
	unsigned long long mine[NTYPES];
	char cwd[4096], after[4096];

	for (int i = 0; i < NTYPES; i++)
		mine[i] = thread_ns_ino(names[i]);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(ns_run_in_fds(fds, NTYPES, check_thread, &in, NS_RUN_THREAD), 42);
	ck_assert_int_eq(in.ran, 1);   /* the caller's memory */
	for (int i = 0; i < NTYPES; i++)
		ck_assert_uint_eq(thread_ns_ino(names[i]), mine[i]);
	/* the thread's mount namespace did not take the process's root or working directory along */
	ck_assert_ptr_nonnull(getcwd(after, sizeof(after)));
	ck_assert_str_eq(cwd, after);
	ck_assert_int_eq(ns_run_in_fds(fds, 2, negative, NULL, NS_RUN_THREAD), -ENOTSUP);
	close_all(fds, NTYPES);
	nst_kill(pid, &pidfd);
	ck_assert_int_eq(nst_fd_count(), before);
}
END_TEST

START_TEST(run_in_pidfd_thread)
{
	int pidfd = -1;
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWNS, &pidfd);
	struct inside in = { .caller_tid = (pid_t)syscall(SYS_gettid), .caller_pid = getpid() };

	ck_assert_int_gt(pid, 0);
	in.ino[0] = nst_proc_ns_ino(pid, "net");
	in.ino[1] = nst_proc_ns_ino(pid, "uts");
	in.ino[3] = nst_proc_ns_ino(pid, "mnt");
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_MNT, check_thread, &in, NS_RUN_THREAD), 42);
	ck_assert_int_eq(in.ran, 1);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET | NS_TYPE_PID, check_thread, &in, NS_RUN_THREAD), -EINVAL);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_USER, check_thread, &in, NS_RUN_THREAD), -EINVAL);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET, check_thread, &in, 0x2), -EINVAL);
	nst_kill(pid, &pidfd);
}
END_TEST

static int must_not_run(void *arg)
{
	*(int *)arg = 1;
	return 0;
}

START_TEST(run_in_fds_bad_input)
{
	int fds[NTYPES], pidfd = -1, pipefd[2], ran = 0, dup2fds[2], uts2;
	pid_t pid = target_fds(fds, &pidfd);

	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	for (unsigned flags = 0; flags <= NS_RUN_THREAD; flags += NS_RUN_THREAD) {
		ck_assert_int_eq(ns_run_in_fds(fds, 0, must_not_run, &ran, flags), -EINVAL);
		ck_assert_int_eq(ns_run_in_fds(NULL, 1, must_not_run, &ran, flags), -EINVAL);
		ck_assert_int_eq(ns_run_in_fds(fds, 1, NULL, &ran, flags), -EINVAL);
		ck_assert_int_eq(ns_run_in_fds(fds, 9, must_not_run, &ran, flags), -EINVAL);
		ck_assert_int_eq(ns_run_in_fds(fds, 1, must_not_run, &ran, flags | 0x80), -EINVAL);
		/* two network namespaces: ours and the target's */
		dup2fds[0] = fds[0];
		dup2fds[1] = ns_open(0, NS_TYPE_NET, 0);
		ck_assert_int_eq(ns_run_in_fds(dup2fds, 2, must_not_run, &ran, flags), -EINVAL);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "both net namespaces"));
		close(dup2fds[1]);
		/* a pipe is no namespace; a closed fd is no fd */
		uts2 = pipefd[0];
		ck_assert_int_eq(ns_run_in_fds(&uts2, 1, must_not_run, &ran, flags), -EINVAL);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a namespace"));
		uts2 = 999;
		ck_assert_int_eq(ns_run_in_fds(&uts2, 1, must_not_run, &ran, flags), -EBADF);
		uts2 = -1;
		ck_assert_int_eq(ns_run_in_fds(&uts2, 1, must_not_run, &ran, flags), -EBADF);
	}
	ck_assert_int_eq(ran, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	close_all(fds, NTYPES);
	nst_kill(pid, &pidfd);
}
END_TEST

/* ---- ns_socket ---- */

static void assert_socket_in(int sock, int netns)
{
	int nsfd = ioctl(sock, SIOCGSKNS);   /* the socket's own network namespace (Linux 4.9) */

	ck_assert_int_ge(nsfd, 0);
	ck_assert_int_eq(ns_equal(nsfd, netns), 1);
	ck_assert_int_ne(fcntl(sock, F_GETFD) & FD_CLOEXEC, 0);
	close(nsfd);
}

START_TEST(socket_inside)
{
	int pidfd = -1, net, own = ns_open(0, NS_TYPE_NET, 0), uts, s;
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS, &pidfd);
	unsigned long long mine = thread_ns_ino("net");

	ck_assert_int_gt(pid, 0);
	net = ns_open(pid, NS_TYPE_NET, 0);
	uts = ns_open(pid, NS_TYPE_UTS, 0);
	s = ns_socket(net, AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	assert_socket_in(s, net);
	close(s);
	s = ns_socket(net, AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(s, 0);
	assert_socket_in(s, net);
	ck_assert_int_ne(fcntl(s, F_GETFL) & O_NONBLOCK, 0);
	close(s);
	s = ns_socket(-1, AF_INET6, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	assert_socket_in(s, own);
	close(s);
	ck_assert_uint_eq(thread_ns_ino("net"), mine);
	/* bad input, and the kernel's own refusal passed through with a message */
	ck_assert_int_eq(ns_socket(uts, AF_INET, SOCK_DGRAM, 0), -EINVAL);
	ck_assert_int_eq(ns_socket(-2, AF_INET, SOCK_DGRAM, 0), -EBADF);
	ck_assert_int_eq(ns_socket(999, AF_INET, SOCK_DGRAM, 0), -EBADF);
	ck_assert_int_eq(ns_socket(net, 4242, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "ns_socket: socket(4242"));
	close(net);
	close(uts);
	close(own);
	nst_kill(pid, &pidfd);
}
END_TEST

/* ---- many threads at once: each thread's namespaces stay its own ---- */

struct worker {
	int net, uts;
	unsigned long long home;
	atomic_int *stop;
	int failures;
};

static int socket_step(void *arg)
{
	const struct worker *w = arg;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	close(s);
	return thread_ns_ino("net") == fd_ino(w->net) ? 7 : -1;
}

static void *work(void *p)
{
	struct worker *w = p;
	int fds[2] = { w->net, w->uts };

	for (int i = 0; i < 200; i++) {
		int s = ns_socket(w->net, AF_INET, SOCK_DGRAM, 0), nsfd;

		if (s < 0) {
			w->failures++;
		} else {
			nsfd = ioctl(s, SIOCGSKNS);
			if (nsfd < 0 || ns_equal(nsfd, w->net) != 1)
				w->failures++;
			if (nsfd >= 0)
				close(nsfd);
			close(s);
		}
		if (ns_run_in_fds(fds, 2, socket_step, w, NS_RUN_THREAD) != 7)
			w->failures++;
		if (thread_ns_ino("net") != w->home || thread_ns_ino("uts") == fd_ino(w->uts))
			w->failures++;
	}
	return NULL;
}

static void *watch(void *p)
{
	struct worker *w = p;

	while (!atomic_load(w->stop))
		if (thread_ns_ino("net") != w->home)
			w->failures++;
	return NULL;
}

START_TEST(threaded_caller)
{
	atomic_int stop = 0;
	struct worker w[4], watcher = { .stop = &stop };
	pthread_t th[4], wt;
	int pidfd[4], before = nst_fd_count();
	pid_t pid[4];

	watcher.home = thread_ns_ino("net");
	ck_assert_int_eq(pthread_create(&wt, NULL, watch, &watcher), 0);
	for (int i = 0; i < 4; i++) {
		pid[i] = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS, &pidfd[i]);
		w[i] = (struct worker){ .net = ns_open(pid[i], NS_TYPE_NET, 0),
					.uts = ns_open(pid[i], NS_TYPE_UTS, 0), .home = watcher.home };
		ck_assert(w[i].net >= 0 && w[i].uts >= 0);
		ck_assert_int_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(w[i].failures, 0);
		close(w[i].net);
		close(w[i].uts);
		nst_kill(pid[i], &pidfd[i]);
	}
	atomic_store(&stop, 1);
	pthread_join(wt, NULL);
	ck_assert_int_eq(watcher.failures, 0);
	ck_assert_uint_eq(thread_ns_ino("net"), watcher.home);
	ck_assert_int_eq(nst_fd_count(), before);
}
END_TEST

/* ---- unprivileged: a namespace root made, entered by uid 65534 ---- */

START_TEST(unprivileged_refused)
{
	int pidfd = -1, net;
	pid_t pid = nst_spawn_target(CLONE_NEWNET, &pidfd), child;
	int ran = 0;

	ck_assert_int_gt(pid, 0);
	net = ns_open(pid, NS_TYPE_NET, 0);
	child = nst_fork_unprivileged();
	if (child == 0) {
		NST_CHILD_CHECK(ns_socket(net, AF_INET, SOCK_DGRAM, 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(ns_run_in_fds(&net, 1, must_not_run, &ran, NS_RUN_THREAD) == -EPERM);
		NST_CHILD_CHECK(ns_run_in_fds(&net, 1, must_not_run, &ran, 0) == -EPERM);
		NST_CHILD_CHECK(ran == 0);
		/* the caller's own network namespace needs no privilege */
		int s = ns_socket(-1, AF_INET, SOCK_DGRAM, 0);
		NST_CHILD_CHECK(s >= 0);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	close(net);
	nst_kill(pid, &pidfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("run");
	TCase *tc = nst_tcase("run");
	const char *root = nst_need_root();

	nst_add(tc, run_in_fds_child, root);
	nst_add(tc, run_in_fds_child_user_pid, root);
	nst_add(tc, run_in_fds_thread, root);
	nst_add(tc, run_in_pidfd_thread, root ? root : nst_need_feature(NS_FEATURE_PIDFD));
	nst_add(tc, run_in_fds_bad_input, root);
	nst_add(tc, socket_inside, root);
	nst_add(tc, threaded_caller, root);
	nst_add(tc, unprivileged_refused, root);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
