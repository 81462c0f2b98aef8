/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"

#define CONTAINER_TYPES (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWPID)

static const struct { int type; const char *name; } kinds[] = {
	{ NS_TYPE_MNT, "mnt" }, { NS_TYPE_CGROUP, "cgroup" }, { NS_TYPE_UTS, "uts" }, { NS_TYPE_IPC, "ipc" },
	{ NS_TYPE_USER, "user" }, { NS_TYPE_PID, "pid" }, { NS_TYPE_NET, "net" }, { NS_TYPE_TIME, "time" },
};

/* After entering all of pid's namespaces, each of ours is its (pid and time: for our children). */
static void assert_in_namespaces_of(pid_t pid, unsigned types)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *mine = kinds[i].name;

		if (!(types & (unsigned)kinds[i].type))
			continue;
		if (kinds[i].type == NS_TYPE_PID)
			mine = "pid_for_children";
		if (kinds[i].type == NS_TYPE_TIME)
			mine = "time_for_children";
		ck_assert_msg(nst_proc_ns_ino(0, mine) == nst_proc_ns_ino(pid, kinds[i].name),
			      "%s: mine %llu, target's %llu", kinds[i].name, nst_proc_ns_ino(0, mine),
			      nst_proc_ns_ino(pid, kinds[i].name));
	}
}

START_TEST(enter_one_namespace)
{
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	int net = ns_open(pid, NS_TYPE_NET, 0), uts = ns_open(pid, NS_TYPE_UTS, 0);

	ck_assert_uint_ne(nst_proc_ns_ino(0, "net"), nst_proc_ns_ino(pid, "net"));
	ck_assert_int_eq(ns_enter(net, NS_TYPE_NET), 0);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), nst_proc_ns_ino(pid, "net"));
	ck_assert_int_eq(ns_enter(uts, 0), 0);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), nst_proc_ns_ino(pid, "uts"));
	close(net);
	close(uts);
	nst_kill(pid, NULL);
}
END_TEST

START_TEST(enter_rejects_wrong_type_and_bad_fds)
{
	unsigned long long before = nst_proc_ns_ino(0, "uts");
	pid_t pid = nst_spawn_target(CLONE_NEWNET, NULL);
	int net = ns_open(pid, NS_TYPE_NET, 0), file = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	ck_assert_int_eq(ns_enter(net, NS_TYPE_UTS), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "net namespace, not uts"));
	ck_assert_int_eq(ns_enter(file, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a namespace"));
	ck_assert_int_eq(ns_enter(-1, 0), -EBADF);
	ck_assert_int_eq(ns_enter(net, NS_TYPE_NET | NS_TYPE_UTS), -EINVAL);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), before);
	ck_assert_uint_ne(nst_proc_ns_ino(0, "net"), nst_proc_ns_ino(pid, "net"));
	close(net);
	close(file);
	nst_kill(pid, NULL);
}
END_TEST

static void enter_all_of_container(const char *disable)
{
	pid_t pid;
	unsigned joined = 0xdead;

	if (disable)
		nst_disable_features(disable);
	pid = nst_spawn_target(CONTAINER_TYPES | 0x80 /* CLONE_NEWTIME */, NULL);
	ck_assert_int_gt(pid, 0);
	/* The target shares our user namespace: the plan must skip it rather than fail. */
	ck_assert_msg(ns_enter_pid(pid, NS_TYPES_ALL, 0, &joined) == 0, "%s", ns_last_error());
	ck_assert_uint_eq(joined, NS_TYPES_ALL & ~(unsigned)NS_TYPE_USER);
	assert_in_namespaces_of(pid, joined);
	nst_kill(pid, NULL);
}

START_TEST(enter_pid_all_types) { enter_all_of_container(NULL); }
END_TEST
START_TEST(enter_pid_all_types_per_fd) { enter_all_of_container("pidfd_setns"); }
END_TEST
START_TEST(enter_pid_all_types_without_pidfds) { enter_all_of_container("pidfd,pidfd_setns,pidfd_get_ns"); }
END_TEST

START_TEST(enter_pidfd_reports_joined)
{
	int pidfd = -1;
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWIPC, &pidfd);
	unsigned joined = 0;

	ck_assert_int_eq(ns_enter_pidfd(pidfd, NS_TYPE_NET | NS_TYPE_IPC, 0, &joined), 0);
	ck_assert_uint_eq(joined, NS_TYPE_NET | NS_TYPE_IPC);
	assert_in_namespaces_of(pid, NS_TYPE_NET | NS_TYPE_IPC | NS_TYPE_UTS);
	ck_assert_int_eq(ns_enter_pidfd(pidfd, NS_TYPE_USER, 0, &joined), 0);
	ck_assert_uint_eq(joined, 0); /* shared already: nothing to enter */
	nst_kill(pid, &pidfd);
}
END_TEST

/* A target in its own user namespace (root-owned, root mapped): entering includes the user namespace. */
static pid_t spawn_user_target(void)
{
	pid_t pid = nst_spawn_target(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS, NULL);
	char path[64];
	int fd;

	ck_assert_int_gt(pid, 0);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_int_eq(write(fd, "0 0 4294967295\n", 15), 15);
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_int_eq(write(fd, "0 0 4294967295\n", 15), 15);
	close(fd);
	return pid;
}

static void enter_user_container(const char *disable)
{
	pid_t pid;
	unsigned joined = 0;

	if (disable)
		nst_disable_features(disable);
	pid = spawn_user_target();
	ck_assert_msg(ns_enter_pid(pid, NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_UTS, 0, &joined) == 0, "%s",
		      ns_last_error());
	ck_assert_uint_eq(joined, NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_UTS);
	assert_in_namespaces_of(pid, joined);
	nst_kill(pid, NULL);
}

START_TEST(enter_user_namespace) { enter_user_container(NULL); }
END_TEST
START_TEST(enter_user_namespace_per_fd) { enter_user_container("pidfd_setns"); }
END_TEST

/*
 * An unprivileged owner entering its own container: it has no privilege over the net namespace until
 * it is inside the user namespace that owns it, so the user namespace must come first.
 */
static void unprivileged_owner_enters(const char *disable)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		pid_t target;
		unsigned joined = 0;
		int sync[2];
		char c;

		if (disable)
			nst_disable_features(disable);
		NST_CHILD_CHECK(pipe(sync) == 0);
		target = fork();
		if (target == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (ns_unshare(NS_TYPE_USER | NS_TYPE_NET, NS_UNSHARE_MAP_ROOT) < 0)
				_exit(1);
			if (write(sync[1], "x", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		close(sync[1]);
		NST_CHILD_CHECK(read(sync[0], &c, 1) == 1);
		NST_CHILD_CHECK(ns_enter_pid(target, NS_TYPE_USER | NS_TYPE_NET, 0, &joined) == 0);
		NST_CHILD_CHECK(joined == (NS_TYPE_USER | NS_TYPE_NET));
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") == nst_proc_ns_ino(target, "net"));
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "user") == nst_proc_ns_ino(target, "user"));
		NST_CHILD_CHECK(getuid() == 0); /* mapped root inside */
		kill(target, SIGKILL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}

START_TEST(unprivileged_owner_enters_own_container) { unprivileged_owner_enters(NULL); }
END_TEST
START_TEST(unprivileged_owner_enters_own_container_per_fd) { unprivileged_owner_enters("pidfd_setns"); }
END_TEST

static void unprivileged_refused(const char *disable)
{
	pid_t target = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS, NULL), child;

	child = nst_fork_unprivileged();
	if (child == 0) {
		unsigned long long net = nst_proc_ns_ino(0, "net"), uts = nst_proc_ns_ino(0, "uts");
		unsigned joined = 1;
		int r;

		if (disable)
			nst_disable_features(disable);
		/* it cannot even open a root process's namespaces, and the plan says so */
		r = ns_enter_pid(target, NS_TYPE_NET | NS_TYPE_UTS, 0, &joined);
		NST_CHILD_CHECK(r == -EPERM || r == -EACCES);
		NST_CHILD_CHECK(joined == 0);
		NST_CHILD_CHECK(strstr(ns_last_error(), r == -EPERM ? "CAP_SYS_ADMIN" : "ptrace") != NULL);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") == net && nst_proc_ns_ino(0, "uts") == uts);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	nst_kill(target, NULL);
}

START_TEST(unprivileged_enter_refused) { unprivileged_refused(NULL); }
END_TEST
START_TEST(unprivileged_enter_refused_per_fd) { unprivileged_refused("pidfd_setns"); }
END_TEST

/* ns_enter on an fd an unprivileged thread was handed: EPERM naming the capability and the owner. */
START_TEST(unprivileged_enter_fd_refused)
{
	pid_t target = nst_spawn_target(CLONE_NEWNET, NULL), child;
	int net = ns_open(target, NS_TYPE_NET, 0);

	child = nst_fork_unprivileged();
	if (child == 0) {
		NST_CHILD_CHECK(ns_enter(net, NS_TYPE_NET) == -EPERM);
		NST_CHILD_CHECK(errno == EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "user namespace user:[") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	close(net);
	nst_kill(target, NULL);
}
END_TEST

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* pidfds name processes: a thread id is refused with a message saying what to pass instead. */
START_TEST(enter_thread_id_refused)
{
	pthread_t t;
	pid_t tid = 0;
	char path[64];

	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, NULL), 0);
	for (int i = 0; i < 100 && tid == 0; i++) {
		DIR *d;
		struct dirent *e;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)getpid());
		d = opendir(path);
		while (d && (e = readdir(d)))
			if (atoi(e->d_name) > 0 && atoi(e->d_name) != getpid())
				tid = atoi(e->d_name);
		if (d)
			closedir(d);
	}
	ck_assert_int_gt(tid, 0);
	ck_assert_int_eq(ns_enter_pid(tid, NS_TYPE_UTS, 0, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "is a thread"));
	ck_assert_int_eq(ns_pidfd_open(tid, 0), -EINVAL);
}
END_TEST

static void threaded_caller_refused(const char *disable)
{
	pid_t target;
	pthread_t t;
	unsigned joined = 1;
	unsigned long long net = nst_proc_ns_ino(0, "net");

	if (disable)
		nst_disable_features(disable);
	target = nst_spawn_target(CLONE_NEWNET | CLONE_NEWNS, NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, NULL), 0);
	ck_assert_int_eq(ns_enter_pid(target, NS_TYPE_NET | NS_TYPE_MNT, 0, &joined), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "single-threaded"));
	ck_assert_uint_eq(joined, 0);
	/* nothing changed: the net namespace was not entered either */
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), net);
	/* without mount it is fine from a thread */
	ck_assert_int_eq(ns_enter_pid(target, NS_TYPE_NET, 0, &joined), 0);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), nst_proc_ns_ino(target, "net"));
	nst_kill(target, NULL);
}

START_TEST(threaded_caller_mount_refused) { threaded_caller_refused(NULL); }
END_TEST
START_TEST(threaded_caller_mount_refused_per_fd) { threaded_caller_refused("pidfd_setns"); }
END_TEST

/*
 * The per-namespace fallback is not atomic: when a later setns() fails, what was already entered is
 * undone. A thread in a child pid namespace may not enter an ancestor's pid namespace, so entering
 * net (allowed) and then pid (refused) must leave the net namespace as it was.
 */
START_TEST(per_fd_failure_undoes_entered)
{
	int pidfd = -1;
	pid_t target = nst_spawn_target(CLONE_NEWNET, &pidfd), outer;

	outer = fork();
	if (outer == 0) {
		pid_t inner;

		NST_CHILD_CHECK(unshare(CLONE_NEWPID) == 0);
		inner = fork();
		if (inner == 0) {
			unsigned long long net = nst_proc_ns_ino(0, "net");
			unsigned joined = 1;

			nst_disable_features("pidfd_setns");
			NST_CHILD_CHECK(ns_enter_pidfd(pidfd, NS_TYPE_NET | NS_TYPE_PID, 0, &joined) == -EINVAL);
			NST_CHILD_CHECK(joined == 0);
			NST_CHILD_CHECK(strstr(ns_last_error(), "pid namespace") != NULL);
			NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") == net);
			_exit(0);
		}
		_exit(nst_wait(inner));
	}
	ck_assert_int_eq(nst_wait(outer), 0);
	nst_kill(target, &pidfd);
}
END_TEST

START_TEST(enter_pid_bad_input)
{
	unsigned joined = 7;
	pid_t dead = nst_dead_pid();

	ck_assert_int_eq(ns_enter_pid(dead, NS_TYPE_NET, 0, &joined), -ESRCH);
	ck_assert_uint_eq(joined, 0);
	ck_assert_int_eq(ns_enter_pid(getpid(), 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(ns_enter_pid(getpid(), 0x1, 0, NULL), -EINVAL);
	ck_assert_int_eq(ns_enter_pid(getpid(), NS_TYPE_NET, 0x10, NULL), -EINVAL);
	ck_assert_int_eq(ns_enter_pid(-2, NS_TYPE_NET, 0, NULL), -EINVAL);
	ck_assert_int_eq(ns_enter_pidfd(-1, NS_TYPE_NET, 0, NULL), -EBADF);
	{
		int net = ns_open(0, NS_TYPE_NET, 0), file = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		unsigned long long before = nst_proc_ns_ino(0, "net");

		/* a namespace fd is not a pidfd, even where setns() itself would take it */
		ck_assert_int_eq(ns_enter_pidfd(net, NS_TYPE_NET, 0, NULL), -EINVAL);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a pidfd"));
		ck_assert_int_eq(ns_enter_pidfd(file, NS_TYPE_NET | NS_TYPE_UTS, 0, NULL), -EINVAL);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a pidfd"));
		ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), before);
		close(net);
		close(file);
	}
	/* entering our own namespaces is harmless and reports what was entered */
	ck_assert_int_eq(ns_enter_pid(0, NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_USER, 0, &joined), 0);
	ck_assert_uint_eq(joined, NS_TYPE_NET | NS_TYPE_UTS);
}
END_TEST

/* ---- ns_run_in ---- */

struct expect { unsigned long long net, uts; };

static int check_inside(void *arg)
{
	const struct expect *e = arg;

	if (nst_proc_ns_ino(0, "net") != e->net || nst_proc_ns_ino(0, "uts") != e->uts)
		return 1;
	return 42;
}

static int report_pid(void *arg)
{
	(void)arg;
	return (int)getpid();
}

static int crash(void *arg)
{
	(void)arg;
	raise(SIGKILL);
	return 0;
}

static int negative(void *arg)
{
	(void)arg;
	return -ENOTSUP;
}

/* The init of the pid namespace nst_spawn_target(CLONE_NEWPID) made: the target's only child. */
static pid_t init_of(pid_t target)
{
	char path[64];
	FILE *f;
	int child = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)target, (int)target);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &child), 1);
	fclose(f);
	return child;
}

START_TEST(run_in_target_namespaces)
{
	int pidfd = -1, initfd;
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS, &pidfd);
	struct expect e = { nst_proc_ns_ino(pid, "net"), nst_proc_ns_ino(pid, "uts") };
	unsigned long long my_net = nst_proc_ns_ino(0, "net");
	int inner;

	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_MNT, check_inside, &e, 0), 42);
	/* a pid namespace applies to children: fn runs one fork deeper, with a pid of that namespace */
	initfd = ns_pidfd_open(init_of(pid), 0);
	ck_assert_int_ge(initfd, 0);
	inner = ns_run_in(initfd, NS_TYPE_PID, report_pid, NULL, 0);
	close(initfd);
	ck_assert_int_gt(inner, 1); /* the namespace's init is 1 */
	ck_assert_int_lt(inner, 100);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET, negative, NULL, 0), -ENOTSUP);
	ck_assert_int_eq(errno, ENOTSUP);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET, crash, NULL, 0), -ECHILD);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "signal 9"));
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), my_net);
	ck_assert_int_eq(ns_run_in(pidfd, 0, check_inside, &e, 0), -EINVAL);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET, NULL, &e, 0), -EINVAL);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_NET, check_inside, &e, 0x80), -EINVAL);
	ck_assert_int_eq(ns_run_in(-1, NS_TYPE_NET, check_inside, &e, 0), -EBADF);
	nst_kill(pid, &pidfd);
}
END_TEST

/* A threaded caller cannot enter a mount namespace itself, but ns_run_in can do it for it. */
START_TEST(run_in_from_threaded_caller)
{
	int pidfd = -1;
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWNS, &pidfd);
	struct expect e = { nst_proc_ns_ino(pid, "net"), nst_proc_ns_ino(pid, "uts") };
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, NULL), 0);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_MNT | NS_TYPE_NET | NS_TYPE_UTS, check_inside, &e, 0), 42);
	nst_kill(pid, &pidfd);
}
END_TEST

START_TEST(run_in_refused_carries_message)
{
	int pidfd = -1;
	pid_t pid = nst_spawn_target(CLONE_NEWNET, &pidfd), child;
	struct expect e = { 0, 0 };

	child = nst_fork_unprivileged();
	if (child == 0) {
		int r = ns_run_in(pidfd, NS_TYPE_NET, check_inside, &e, 0);

		/* before 5.8 (no setns on a pidfd) the child must open /proc/PID/ns first: EACCES, "ptrace" */
		NST_CHILD_CHECK(r == -EPERM || r == -EACCES);
		NST_CHILD_CHECK(strstr(ns_last_error(), r == -EPERM ? "CAP_SYS_ADMIN" : "ptrace") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	nst_kill(pid, &pidfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("enter");
	TCase *tc = nst_tcase("enter");
	const char *root = nst_need_root();
	const char *time = nst_need_feature(NS_FEATURE_TIME_NS);
	const char *atomic = nst_need_feature(NS_FEATURE_PIDFD_SETNS);

	nst_add(tc, enter_one_namespace, root);
	nst_add(tc, enter_rejects_wrong_type_and_bad_fds, root);
	nst_add(tc, enter_pid_all_types, root ? root : time ? time : atomic);
	nst_add(tc, enter_pid_all_types_per_fd, root ? root : time);
	nst_add(tc, enter_pid_all_types_without_pidfds, root ? root : time);
	nst_add(tc, enter_pidfd_reports_joined, root);
	nst_add(tc, enter_user_namespace, root);
	nst_add(tc, enter_user_namespace_per_fd, root);
	nst_add(tc, unprivileged_owner_enters_own_container, root ? root : atomic);
	nst_add(tc, unprivileged_owner_enters_own_container_per_fd, root);
	nst_add(tc, unprivileged_enter_refused, root);
	nst_add(tc, unprivileged_enter_refused_per_fd, root);
	nst_add(tc, unprivileged_enter_fd_refused, root);
	nst_add(tc, threaded_caller_mount_refused, root);
	nst_add(tc, threaded_caller_mount_refused_per_fd, root);
	nst_add(tc, per_fd_failure_undoes_entered, root);
	nst_add(tc, enter_thread_id_refused, NULL);
	nst_add(tc, enter_pid_bad_input, NULL);
	nst_add(tc, run_in_target_namespaces, root);
	nst_add(tc, run_in_from_threaded_caller, root);
	nst_add(tc, run_in_refused_carries_message, root);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
