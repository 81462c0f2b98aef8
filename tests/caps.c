/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"

/*
 * ns_can_enter() claims to know the kernel's setns() rules. Each check here asks it about a
 * namespace fd and then tries the real setns() in a fresh single-threaded child: both must agree.
 * Expected verdicts are asserted too, so that agreement can never be vacuous.
 */

#define MAXT 32
struct target {
	int fd;
	char what[48];
	int expect; /* 1, 0, or -1 for "whatever the kernel says" */
};
struct targets {
	struct target t[MAXT];
	int n;
};

static void add(struct targets *ts, int fd, int expect, const char *fmt, const char *arg)
{
	struct target *t = &ts->t[ts->n++];

	t->fd = fd;
	t->expect = expect;
	snprintf(t->what, sizeof(t->what), fmt, arg);
}

static void close_targets(struct targets *ts)
{
	for (int i = 0; i < ts->n; i++)
		close(ts->t[i].fd);
	ts->n = 0;
}

/* setns(fd, 0) in a fresh single-threaded child: 0 on success, else the errno. */
static int try_setns(int fd)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(setns(fd, 0) == 0 ? 0 : errno);
	return nst_wait(pid);
}

/* false (and a message on stderr) when ns_can_enter and the kernel disagree, or the expectation fails. */
static bool agrees(const struct target *t)
{
	int v = ns_can_enter(t->fd), e;
	char why[800];

	snprintf(why, sizeof(why), "%s", ns_last_error());
	e = try_setns(t->fd);
	if (v != 0 && v != 1) {
		fprintf(stderr, "%s: ns_can_enter returned %d (%s)\n", t->what, v, why);
		return false;
	}
	if ((v == 1) != (e == 0)) {
		fprintf(stderr, "%s: ns_can_enter says %d (%s) but setns %s (%s)\n", t->what, v, why,
			e == 0 ? "succeeds" : "fails", strerror(e));
		return false;
	}
	if (t->expect >= 0 && v != t->expect) {
		fprintf(stderr, "%s: expected %d, ns_can_enter and setns agree on %d (%s)\n", t->what, t->expect, v,
			why);
		return false;
	}
	if (v == 0 && strlen(why) < 20) {
		fprintf(stderr, "%s: refused without an explanation\n", t->what);
		return false;
	}
	return true;
}

static int all_agree(const struct targets *ts)
{
	int bad = 0;

	for (int i = 0; i < ts->n; i++)
		bad += !agrees(&ts->t[i]);
	return bad;
}

static const int types[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
			     NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };

/* The caller's own namespaces: each enterable by root except its own user namespace (EINVAL). */
static void add_own(struct targets *ts, int expect_non_user)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd;

		if (types[i] == NS_TYPE_TIME && nst_need_feature(NS_FEATURE_TIME_NS))
			continue; /* a kernel (or old-kernel profile) without time namespaces */
		fd = ns_open(0, types[i], 0);
		ck_assert_msg(fd >= 0, "%s", ns_last_error());
		add(ts, fd, types[i] == NS_TYPE_USER ? 0 : expect_non_user, "own %s namespace",
		    ns_type_name(types[i]));
	}
}

/* A root-made target in new uts/net/ipc/mnt/cgroup namespaces, with new pid and time ones for children. */
static pid_t add_child_namespaces(struct targets *ts, int expect)
{
	static const int plain[] = { NS_TYPE_UTS, NS_TYPE_NET, NS_TYPE_IPC, NS_TYPE_MNT, NS_TYPE_CGROUP };
	pid_t pid = nst_spawn_target(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWCGROUP |
				     CLONE_NEWPID | CLONE_NEWTIME, NULL);
	int fd;

	ck_assert_int_gt(pid, 0);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		fd = ns_open(pid, plain[i], 0);
		ck_assert_int_ge(fd, 0);
		add(ts, fd, expect, "child %s namespace", ns_type_name(plain[i]));
	}
	fd = ns_open(pid, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	ck_assert_int_ge(fd, 0);
	add(ts, fd, expect, "child %s namespace (a descendant)", "pid");
	fd = ns_open(pid, NS_TYPE_TIME, NS_OPEN_FOR_CHILDREN);
	ck_assert_int_ge(fd, 0);
	add(ts, fd, expect, "child %s namespace", "time");
	return pid;
}

static int pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* A target in a new user namespace (root mapped) with its own uts and net namespaces. */
/* Returns the pidfd, or -1 (also on kernels without pidfds: then only *pid, > 0, tells success). */
static int spawn_userns_target(pid_t *pid)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int pidfd;

	o.new_types = NS_TYPE_USER | NS_TYPE_UTS | NS_TYPE_NET;
	o.flags = NS_SPAWN_MAP_ROOT;
	*pid = ns_spawn(&o, pause_forever, NULL, &pidfd);
	return *pid > 0 ? pidfd : -1;
}

/* ns_wait() on the pidfd (closing it), or waitpid() where the kernel has no pidfds. */
static int reap_status(pid_t pid, int pidfd, int *st)
{
	int r;

	if (pidfd < 0)
		return waitpid(pid, st, 0);
	r = ns_wait(pidfd, st);
	close(pidfd);
	return r;
}

static void add_userns_target(struct targets *ts, pid_t pid, int expect_user, int expect_others,
			      const char *whose)
{
	static const int t[] = { NS_TYPE_USER, NS_TYPE_UTS, NS_TYPE_NET };

	for (size_t i = 0; i < 3; i++) {
		int fd = ns_open(pid, t[i], 0);

		ck_assert_msg(fd >= 0, "%s", ns_last_error());
		add(ts, fd, t[i] == NS_TYPE_USER ? expect_user : expect_others, whose, ns_type_name(t[i]));
	}
}

static void kill_target(pid_t pid, int pidfd)
{
	int st;

	kill(pid, SIGKILL); /* our unreaped child: the pid is still its own */
	reap_status(pid, pidfd, &st);
}

START_TEST(root_verdicts)
{
	struct targets ts = { .n = 0 };
	pid_t kid, upid;
	int upidfd = spawn_userns_target(&upid);

	ck_assert_msg(upid > 0, "%s", ns_last_error());
	add_own(&ts, 1);
	kid = add_child_namespaces(&ts, 1);
	add_userns_target(&ts, upid, 1, 1, "root-made user ns target: %s");
	ck_assert_int_eq(all_agree(&ts), 0);
	close_targets(&ts);
	nst_kill(kid, NULL);
	kill_target(upid, upidfd);
}
END_TEST

/* uid 65534 with no capabilities: nothing made by root is enterable; its own user namespace is, through
 * the owner rule, but the namespaces that user namespace owns are not (setns also wants CAP_SYS_ADMIN in
 * the caller's own user namespace). */
START_TEST(unprivileged_verdicts)
{
	struct targets ts = { .n = 0 };
	pid_t kid, upid, child;
	int upidfd = spawn_userns_target(&upid);

	ck_assert_msg(upid > 0, "%s", ns_last_error());
	add_own(&ts, 0);
	kid = add_child_namespaces(&ts, 0);
	add_userns_target(&ts, upid, 0, 0, "root-made user ns target: %s");
	child = nst_fork_unprivileged();
	if (child == 0) {
		struct targets mine = { .n = 0 };
		pid_t my_pid;
		int my_pidfd, bad;

		NST_CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
		bad = all_agree(&ts);
		my_pidfd = spawn_userns_target(&my_pid);
		NST_CHILD_CHECK(my_pid > 0);
		add_userns_target(&mine, my_pid, 1, 0, "own user ns target: %s");
		bad += all_agree(&mine);
		/* the explanation names the missing piece */
		NST_CHILD_CHECK(ns_can_enter(mine.t[1].fd) == 0);
		NST_CHILD_CHECK(strstr(ns_last_error(), "own user namespace") != NULL);
		NST_CHILD_CHECK(ns_can_enter(ts.t[6].fd) == 0); /* the initial network namespace */
		NST_CHILD_CHECK(strstr(ns_last_error(), "this thread's own") != NULL);
		close_targets(&mine);
		kill_target(my_pid, my_pidfd);
		_exit(bad ? 1 : 0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	close_targets(&ts);
	nst_kill(kid, NULL);
	kill_target(upid, upidfd);
}
END_TEST

/* A user namespace made by uid 65534 is below ours and not owned by root's euid: root still enters it,
 * through CAP_SYS_ADMIN in the initial user namespace. */
START_TEST(root_enters_foreign_userns)
{
	struct targets ts = { .n = 0 };
	int p[2], upid = 0;
	pid_t child;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	child = nst_fork_unprivileged();
	if (child == 0) {
		pid_t tp;

		NST_CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
		spawn_userns_target(&tp); /* its pidfd stays open until this process is killed */
		NST_CHILD_CHECK(tp > 0);
		NST_CHILD_CHECK(write(p[1], &tp, sizeof(tp)) == sizeof(tp));
		pause(); /* killed by the test */
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &upid, sizeof(upid)), sizeof(upid));
	close(p[0]);
	add_userns_target(&ts, upid, 1, 1, "user ns of uid 65534: %s");
	ck_assert_int_eq(all_agree(&ts), 0);
	close_targets(&ts);
	kill(upid, SIGKILL);
	kill(child, SIGKILL);
	nst_wait(child);
}
END_TEST

static bool drop_effective(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &hdr, d) < 0)
		return false;
	d[cap / 32].effective &= ~(1u << (cap % 32));
	return syscall(SYS_capset, &hdr, d) == 0;
}

/* Root without CAP_SYS_ADMIN effective: only the user namespace its euid created is enterable (the owner
 * rule); without CAP_SYS_CHROOT, mount namespaces alone are refused. */
START_TEST(root_without_capabilities)
{
	struct targets ts = { .n = 0 }, chroot_ts = { .n = 0 };
	pid_t kid, upid, child;
	int upidfd = spawn_userns_target(&upid);

	ck_assert_msg(upid > 0, "%s", ns_last_error());
	kid = add_child_namespaces(&ts, 0);
	add_userns_target(&ts, upid, 1, 0, "root-made user ns target: %s");
	child = fork();
	if (child == 0) {
		NST_CHILD_CHECK(drop_effective(CAP_SYS_ADMIN));
		_exit(all_agree(&ts) ? 1 : 0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	close_targets(&ts);
	nst_kill(kid, NULL);

	kid = add_child_namespaces(&chroot_ts, 1);
	chroot_ts.t[3].expect = 0; /* the mount namespace */
	child = fork();
	if (child == 0) {
		NST_CHILD_CHECK(drop_effective(CAP_SYS_CHROOT));
		NST_CHILD_CHECK(ns_can_enter(chroot_ts.t[3].fd) == 0);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_CHROOT") != NULL);
		_exit(all_agree(&chroot_ts) ? 1 : 0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	close_targets(&chroot_ts);
	nst_kill(kid, NULL);
	kill_target(upid, upidfd);
}
END_TEST

/* Inside a child user namespace (root there, full capabilities there): the initial namespaces are out of
 * reach, its parent user namespace is an ancestor, its own is refused, and what it creates is enterable. */
static int inside_child_userns(void *arg)
{
	struct targets *outer = arg, mine = { .n = 0 };
	pid_t tp;
	int tfd, bad;

	for (int i = 0; i < outer->n; i++)
		outer->t[i].expect = 0;
	bad = all_agree(outer);
	tfd = spawn_userns_target(&tp);
	if (tp <= 0) {
		fprintf(stderr, "spawning a nested target: %s\n", ns_last_error());
		return 100;
	}
	add_userns_target(&mine, tp, 1, 1, "nested user ns target: %s");
	add_own(&mine, -1); /* new mnt and pid namespaces; the rest are still the initial ones */
	bad += all_agree(&mine);
	if (ns_can_enter(outer->t[4].fd) != 0 || !strstr(ns_last_error(), "nor below it"))
		bad++;
	close_targets(&mine);
	kill_target(tp, tfd);
	return bad ? 1 : 0;
}

START_TEST(inside_child_user_namespace)
{
	struct targets ts = { .n = 0 };
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int pidfd, pid, st;

	add_own(&ts, 1);
	o.new_types = NS_TYPE_USER | NS_TYPE_MNT | NS_TYPE_PID;
	o.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_MOUNT_PROC; /* its /proc numbers its pids, for ns_open() */
	pid = ns_spawn(&o, inside_child_userns, &ts, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	ck_assert_int_eq(reap_status(pid, pidfd, &st), pid);
	ck_assert_int_eq(st, 0);
	close_targets(&ts);
}
END_TEST

/* In a new pid namespace the caller's old one is an ancestor: setns refuses it (EINVAL), even to root. */
static int inside_child_pidns(void *arg)
{
	struct targets *outer = arg;

	outer->t[0].expect = 0;
	return all_agree(outer) ? 1 : 0;
}

START_TEST(pid_namespace_ancestry)
{
	struct targets ts = { .n = 0 };
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int pidfd, pid, st;

	add(&ts, ns_open(0, NS_TYPE_PID, 0), 0, "%s", "the parent's pid namespace");
	o.new_types = NS_TYPE_PID;
	pid = ns_spawn(&o, inside_child_pidns, &ts, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	ck_assert_int_eq(reap_status(pid, pidfd, &st), pid);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(ns_can_enter(ts.t[0].fd), 1); /* our own, from here */
	close_targets(&ts);
}
END_TEST

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* A second thread: user (EINVAL), mount (shared fs: EINVAL) and time (EUSERS) namespaces are refused;
 * tried for real in this process, where the kernel must refuse them too. */
START_TEST(multithreaded)
{
	struct targets ts = { .n = 0 };
	pthread_t th;
	pid_t kid, upid;
	int upidfd = spawn_userns_target(&upid);
	int user_fd, mnt_fd, time_fd, uts_fd;

	ck_assert_msg(upid > 0, "%s", ns_last_error());
	kid = add_child_namespaces(&ts, 1);
	add_userns_target(&ts, upid, 1, 1, "root-made user ns target: %s");
	mnt_fd = ts.t[3].fd;
	time_fd = ts.t[6].fd;
	user_fd = ts.t[7].fd;
	uts_fd = ts.t[0].fd;
	ck_assert_int_eq(ns_can_enter(user_fd), 1);
	ck_assert_int_eq(pthread_create(&th, NULL, sleeper, NULL), 0);
	ck_assert_int_eq(ns_can_enter(user_fd), 0);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "multi-threaded"));
	ck_assert_int_eq(setns(user_fd, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ns_can_enter(mnt_fd), 0);
	ck_assert_int_eq(setns(mnt_fd, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ns_can_enter(time_fd), 0);
	ck_assert_int_eq(setns(time_fd, 0), -1);
	ck_assert_int_eq(errno, EUSERS);
	/* other types do not care about threads */
	ck_assert_int_eq(ns_can_enter(uts_fd), 1);
	close_targets(&ts);
	nst_kill(kid, NULL);
	kill_target(upid, upidfd);
}
END_TEST

START_TEST(bad_fds)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_eq(ns_can_enter(-1), -EBADF);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(ns_can_enter(fd), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a namespace"));
	close(fd);
	ck_assert_int_eq(ns_can_enter(fd), -EBADF);
}
END_TEST

/* EPERM messages of other operations name the capability and where it is missing (ns__describe_missing_cap). */
START_TEST(eperm_messages_explain)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
		int self_user = ns_open(0, NS_TYPE_USER, 0), pidfd;
		char want[128];

		NST_CHILD_CHECK(self_user >= 0);
		o.new_types = NS_TYPE_NET;
		NST_CHILD_CHECK(ns_spawn(&o, pause_forever, NULL, &pidfd) == -EPERM);
		snprintf(want, sizeof(want), "needs CAP_SYS_ADMIN in user namespace user:[%llu], this thread's own",
			 nst_proc_ns_ino(0, "user"));
		NST_CHILD_CHECK(strstr(ns_last_error(), want) != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "euid 65534") != NULL);
		close(self_user);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = nst_tcase("caps");
	const char *root = nst_need_root(), *timens = nst_need_feature(NS_FEATURE_TIME_NS);
	const char *root_time = root ? root : timens;

	nst_add(tc, root_verdicts, root_time);
	nst_add(tc, unprivileged_verdicts, root_time);
	nst_add(tc, root_enters_foreign_userns, root);
	nst_add(tc, root_without_capabilities, root_time);
	nst_add(tc, inside_child_user_namespace, root);
	nst_add(tc, pid_namespace_ancestry, root);
	nst_add(tc, multithreaded, root_time);
	nst_add(tc, bad_fds, NULL);
	nst_add(tc, eperm_messages_explain, root);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
