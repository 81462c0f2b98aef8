/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
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

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (unsigned long long)st.st_ino;
}

static bool is_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	return fl >= 0 && (fl & FD_CLOEXEC);
}

static bool has(const char *needle)
{
	return strstr(ns_last_error(), needle) != NULL;
}

static int open_ro(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The test's own reading of "KEY:" in a status file (independent of the library's parser). */
static int status_list(const char *text, const char *key, pid_t *out, int max)
{
	char pat[32];
	const char *p;
	int n = 0;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(text, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (n < max) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = (pid_t)v;
		p = end;
	}
	return n;
}

#define MAXLEV 8

/* A task's NSpid and NStgid read from the test's /proc (our pid namespace's view first). */
struct rec {
	int level;
	int n;
	pid_t pid[MAXLEV];
	pid_t tgid[MAXLEV];
};

static int read_rec(const char *path, int level, struct rec *r)
{
	char buf[8192];
	int fd = open_ro(path);
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->level = level;
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	r->n = status_list(buf, "NSpid", r->pid, MAXLEV);
	return status_list(buf, "NStgid", r->tgid, MAXLEV) == r->n && r->n > 0 ? 0 : -1;
}

/* ---- a chain of nested pid namespaces ----
 * A (our child) unshares CLONE_NEWPID and forks B, pid 1 of ns1; B does the same for ns2 (C), C for
 * ns3 (D). D starts a second thread T. Every one of B, C, D, T reports its NSpid/NStgid.
 */
#define DEPTH 3

struct chain {
	pid_t top;                    /* A */
	struct rec init[DEPTH + 1];   /* init[k]: pid 1 of ns k, k >= 1 */
	struct rec thread;            /* T, the second thread of init[DEPTH] */
	int nsfd[DEPTH + 1];          /* nsfd[0]: our own pid namespace; nsfd[k]: ns k */
};

static int report_fd = -1;

static void report(int level, const char *path)
{
	struct rec r;

	if (read_rec(path, level, &r) < 0 || write(report_fd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
}

static void *chain_thread(void *arg)
{
	(void)arg;
	report(DEPTH + 1, "/proc/thread-self/status");
	for (;;)
		pause();
	return NULL;
}

static void chain_level(int level) __attribute__((noreturn));
static void chain_level(int level)
{
	pid_t child;

	if (level > 0)
		report(level, "/proc/self/status");
	if (level == DEPTH) {
		pthread_t t;

		if (pthread_create(&t, NULL, chain_thread, NULL) != 0)
			_exit(1);
		for (;;)
			pause();
	}
	if (unshare(CLONE_NEWPID) < 0)
		_exit(1);
	child = fork();
	if (child < 0)
		_exit(1);
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		chain_level(level + 1);
	}
	for (;;)
		pause();
}

static void spawn_chain(struct chain *c)
{
	int p[2], got = 0;
	char path[64];
	struct rec r;

	memset(c, 0, sizeof(*c));
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	c->top = fork();
	ck_assert_int_ge(c->top, 0);
	if (c->top == 0) {
		close(p[0]);
		report_fd = p[1];
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		chain_level(0);
	}
	close(p[1]);
	while (got < DEPTH + 1) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };

		ck_assert_msg(poll(&pfd, 1, 20000) == 1, "the pid namespace chain did not report");
		ck_assert_int_eq(read(p[0], &r, sizeof(r)), sizeof(r));
		ck_assert(r.level >= 1 && r.level <= DEPTH + 1);
		if (r.level == DEPTH + 1)
			c->thread = r;
		else
			c->init[r.level] = r;
		got++;
	}
	close(p[0]);
	for (int k = 1; k <= DEPTH; k++) {
		ck_assert_int_eq(c->init[k].n, k + 1);
		ck_assert_int_eq(c->init[k].pid[k], 1);
	}
	ck_assert_int_eq(c->thread.n, DEPTH + 1);
	ck_assert_int_ne(c->thread.pid[0], c->thread.tgid[0]);
	ck_assert_int_eq(c->thread.tgid[0], c->init[DEPTH].pid[0]);
	c->nsfd[0] = open_ro("/proc/self/ns/pid");
	ck_assert_int_ge(c->nsfd[0], 0);
	for (int k = 1; k <= DEPTH; k++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)c->init[k].pid[0]);
		c->nsfd[k] = open_ro(path);
		ck_assert_int_ge(c->nsfd[k], 0);
	}
}

static void kill_chain(struct chain *c)
{
	for (int k = 0; k <= DEPTH; k++)
		if (c->nsfd[k] > 0)
			close(c->nsfd[k]);
	/* The death of ns1's init kills everything in ns1 and below */
	if (c->init[1].n > 0)
		kill(c->init[1].pid[0], SIGKILL);
	nst_kill(c->top, NULL);
}

/* ---- ns_get_parent on pid namespaces ---- */

START_TEST(parent_of_nested_pid_namespaces)
{
	struct chain c;
	int fd, parent;

	spawn_chain(&c);
	fd = dup(c.nsfd[DEPTH]);
	for (int k = DEPTH; k > 0; k--) {
		parent = ns_get_parent(fd);
		ck_assert_msg(parent >= 0, "ns_get_parent at level %d: %s", k, ns_last_error());
		ck_assert(is_cloexec(parent));
		ck_assert_int_eq(ns_type_of(parent), NS_TYPE_PID);
		ck_assert_uint_eq(fd_ino(parent), fd_ino(c.nsfd[k - 1]));
		/* and what /proc says of the init of that level */
		if (k - 1 > 0)
			ck_assert_uint_eq(fd_ino(parent), nst_proc_ns_ino(c.init[k - 1].pid[0], "pid"));
		close(fd);
		fd = parent;
	}
	ck_assert_uint_eq(fd_ino(fd), nst_proc_ns_ino(0, "pid"));
	/* our own pid namespace: its parent (if any) is outside what we may see */
	errno = 0;
	ck_assert_int_eq(ns_get_parent(fd), -EPERM);
	ck_assert_int_eq(errno, EPERM);
	ck_assert(has("outside the caller's view"));
	close(fd);
	kill_chain(&c);
}
END_TEST

START_TEST(parent_of_pid_for_children)
{
	pid_t pid = nst_spawn_target(CLONE_NEWPID, NULL);
	int kids, parent;

	ck_assert_int_gt(pid, 0);
	kids = ns_open(pid, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	ck_assert_int_ge(kids, 0);
	parent = ns_get_parent(kids);
	ck_assert_int_ge(parent, 0);
	ck_assert_uint_eq(fd_ino(parent), nst_proc_ns_ino(pid, "pid"));
	close(parent);
	close(kids);
	nst_kill(pid, NULL);
}
END_TEST

/* Inside ns1 of a chain, ns1 is the top of the caller's view: ns2's parent is visible, ns1's is not. */
START_TEST(parent_past_pid_scope)
{
	struct chain c;
	pid_t x;

	spawn_chain(&c);
	x = fork();
	ck_assert_int_ge(x, 0);
	if (x == 0) {
		pid_t y;

		if (setns(c.nsfd[1], CLONE_NEWPID) < 0)
			_exit(2);
		y = fork();
		if (y == 0) {
			int p = ns_get_parent(c.nsfd[2]);

			NST_CHILD_CHECK(p >= 0);
			NST_CHILD_CHECK(fd_ino(p) == fd_ino(c.nsfd[1]));
			close(p);
			NST_CHILD_CHECK(ns_get_parent(c.nsfd[1]) == -EPERM);
			NST_CHILD_CHECK(has("outside the caller's view"));
			NST_CHILD_CHECK(ns_get_parent(c.nsfd[0]) == -EPERM);
			_exit(0);
		}
		_exit(nst_wait(y));
	}
	ck_assert_int_eq(nst_wait(x), 0);
	kill_chain(&c);
}
END_TEST

/* ---- user namespaces ---- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * A child that nests three user namespaces (root mapped to root in each, maps written raw, since
 * creating a user namespace needs the creator's ids mapped in its parent), checks what it may see
 * from the innermost one, reports the three inodes and waits.
 */
static pid_t spawn_user_chain(unsigned long long ino[4])
{
	int p[2];
	pid_t child;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		int u[4];
		uid_t owner = 99;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ino[0] = 0;
		for (int i = 1; i <= 3; i++) {
			NST_CHILD_CHECK(unshare(CLONE_NEWUSER) == 0);
			NST_CHILD_CHECK(write_file("/proc/self/uid_map", "0 0 1") == 0);
			NST_CHILD_CHECK(write_file("/proc/self/setgroups", "deny") == 0);
			NST_CHILD_CHECK(write_file("/proc/self/gid_map", "0 0 1") == 0);
			u[i] = open_ro("/proc/self/ns/user");
			NST_CHILD_CHECK(u[i] >= 0);
			ino[i] = fd_ino(u[i]);
		}
		/* From inside u3, u3 is the top of the view: neither its parent nor u2's is reachable */
		NST_CHILD_CHECK(ns_get_parent(u[3]) == -EPERM);
		NST_CHILD_CHECK(has("outside the caller's user namespace scope"));
		NST_CHILD_CHECK(ns_get_parent(u[2]) == -EPERM);
		NST_CHILD_CHECK(ns_get_userns(u[3]) == -EPERM);
		NST_CHILD_CHECK(has("outside the caller's user namespace scope"));
		/* Owner uids are answered whatever the scope, in the caller's own ids */
		NST_CHILD_CHECK(ns_get_owner_uid(u[3], &owner) == 0 && owner == 0);
		NST_CHILD_CHECK(ns_get_owner_uid(u[1], &owner) == 0 && owner == 0);
		for (int i = 1; i <= 3; i++)
			close(u[i]);
		NST_CHILD_CHECK(write(p[1], ino, 4 * sizeof(ino[0])) == (ssize_t)(4 * sizeof(ino[0])));
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], ino, 4 * sizeof(ino[0])), (ssize_t)(4 * sizeof(ino[0])));
	close(p[0]);
	ino[0] = nst_proc_ns_ino(0, "user");
	return child;
}

START_TEST(parent_of_nested_user_namespaces)
{
	unsigned long long ino[4];
	pid_t child = spawn_user_chain(ino);
	int fd = ns_open(child, NS_TYPE_USER, 0), parent, owner;

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(fd_ino(fd), ino[3]);
	/* A user namespace's owner is its parent */
	owner = ns_get_userns(fd);
	ck_assert_int_ge(owner, 0);
	ck_assert(is_cloexec(owner));
	ck_assert_uint_eq(fd_ino(owner), ino[2]);
	close(owner);
	for (int k = 3; k > 0; k--) {
		parent = ns_get_parent(fd);
		ck_assert_msg(parent >= 0, "ns_get_parent of u%d: %s", k, ns_last_error());
		ck_assert(is_cloexec(parent));
		ck_assert_int_eq(ns_type_of(parent), NS_TYPE_USER);
		ck_assert_uint_eq(fd_ino(parent), ino[k - 1]);
		close(fd);
		fd = parent;
	}
	/* the initial user namespace has no parent and no owner */
	ck_assert_int_eq(ns_get_parent(fd), -EPERM);
	ck_assert(has("initial user namespace has no parent"));
	ck_assert_int_eq(ns_get_userns(fd), -EPERM);
	close(fd);
	nst_kill(child, NULL);
}
END_TEST

/* A process that joined u1 sees u1's children but not u1's parent. */
START_TEST(parent_past_user_scope)
{
	unsigned long long ino[4];
	pid_t child = spawn_user_chain(ino), z;
	int u3 = ns_open(child, NS_TYPE_USER, 0), u2, u1;

	ck_assert_int_ge(u3, 0);
	u2 = ns_get_parent(u3);
	ck_assert_int_ge(u2, 0);
	u1 = ns_get_parent(u2);
	ck_assert_int_ge(u1, 0);
	ck_assert_uint_eq(fd_ino(u1), ino[1]);
	z = fork();
	ck_assert_int_ge(z, 0);
	if (z == 0) {
		int p;

		NST_CHILD_CHECK(setns(u1, CLONE_NEWUSER) == 0);
		p = ns_get_parent(u3);
		NST_CHILD_CHECK(p >= 0 && fd_ino(p) == ino[2]);
		close(p);
		p = ns_get_parent(u2);
		NST_CHILD_CHECK(p >= 0 && fd_ino(p) == ino[1]);
		close(p);
		NST_CHILD_CHECK(ns_get_parent(u1) == -EPERM);
		NST_CHILD_CHECK(ns_get_userns(u1) == -EPERM);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(z), 0);
	close(u1);
	close(u2);
	close(u3);
	nst_kill(child, NULL);
}
END_TEST

static uid_t overflow_uid(void)
{
	char buf[32] = "";
	int fd = open_ro("/proc/sys/kernel/overflowuid");

	if (fd >= 0) {
		ck_assert_int_gt(read(fd, buf, sizeof(buf) - 1), 0);
		close(fd);
	}
	return buf[0] ? (uid_t)atoi(buf) : 65534;
}

/* A user namespace created by uid 1234 is owned by 1234; inside it (unmapped) that is the overflow uid. */
START_TEST(owner_uid_of_user_namespace)
{
	uid_t overflow = overflow_uid(), uid = 99;
	int p[2], fd, parent, hostnet;
	pid_t child;
	char c;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	hostnet = ns_open(0, NS_TYPE_NET, 0);
	ck_assert_int_ge(hostnet, 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		int own;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(setgroups(0, NULL) == 0);
		NST_CHILD_CHECK(setresgid(1234, 1234, 1234) == 0);
		NST_CHILD_CHECK(setresuid(1234, 1234, 1234) == 0);
		NST_CHILD_CHECK(unshare(CLONE_NEWUSER) == 0);
		own = ns_open(0, NS_TYPE_USER, 0);
		NST_CHILD_CHECK(own >= 0);
		NST_CHILD_CHECK(ns_get_owner_uid(own, &uid) == 0);
		NST_CHILD_CHECK(uid == overflow);
		/* the parent of its own user namespace is past its scope */
		NST_CHILD_CHECK(ns_get_parent(own) == -EPERM);
		NST_CHILD_CHECK(errno == EPERM);
		NST_CHILD_CHECK(has("outside the caller's user namespace scope"));
		NST_CHILD_CHECK(ns_get_userns(own) == -EPERM);
		/* and so is the owner of the host's network namespace */
		NST_CHILD_CHECK(ns_get_userns(hostnet) == -EPERM);
		NST_CHILD_CHECK(has("network") || has("net namespace"));
		close(own);
		close(hostnet);
		NST_CHILD_CHECK(write(p[1], "k", 1) == 1);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	fd = ns_open(child, NS_TYPE_USER, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_owner_uid(fd, &uid), 0);
	ck_assert_uint_eq(uid, 1234);
	parent = ns_get_parent(fd);
	ck_assert_int_ge(parent, 0);
	ck_assert_uint_eq(fd_ino(parent), nst_proc_ns_ino(0, "user"));
	ck_assert_int_eq(ns_get_owner_uid(parent, &uid), 0);
	ck_assert_uint_eq(uid, 0);
	close(parent);
	close(fd);
	close(hostnet);
	nst_kill(child, NULL);
}
END_TEST

START_TEST(userns_of_namespaces)
{
	static const char *const names[] = { "net", "uts", "ipc", "mnt", "pid", "cgroup", "time" };
	pid_t pid = nst_spawn_target(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS, NULL);
	int fd, owner, own_user = open_ro("/proc/self/ns/user");
	char path[64];

	ck_assert_int_gt(pid, 0);
	/* namespaces created with a new user namespace are owned by it */
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, names[i]);
		fd = ns_open_path(path, 0, 0);
		ck_assert_int_ge(fd, 0);
		owner = ns_get_userns(fd);
		ck_assert_msg(owner >= 0, "%s", ns_last_error());
		ck_assert(is_cloexec(owner));
		ck_assert_int_eq(ns_type_of(owner), NS_TYPE_USER);
		ck_assert_uint_eq(fd_ino(owner), nst_proc_ns_ino(pid, "user"));
		close(owner);
		close(fd);
	}
	/* the target's new user namespace is owned by ours */
	fd = ns_open(pid, NS_TYPE_USER, 0);
	owner = ns_get_userns(fd);
	ck_assert_int_eq(ns_equal(owner, own_user), 1);
	close(owner);
	close(fd);
	/* every one of our namespaces is owned by our user namespace */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
		fd = open_ro(path);
		ck_assert_int_ge(fd, 0);
		owner = ns_get_userns(fd);
		ck_assert_msg(owner >= 0, "%s: %s", names[i], ns_last_error());
		ck_assert_uint_eq(fd_ino(owner), fd_ino(own_user));
		close(owner);
		close(fd);
	}
	close(own_user);
	nst_kill(pid, NULL);
}
END_TEST

START_TEST(owner_uid_of_initial_user_namespace)
{
	int fd = ns_open(0, NS_TYPE_USER, 0);
	uid_t uid = 99;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_owner_uid(fd, &uid), 0);
	ck_assert_uint_eq(uid, 0);
	close(fd);
}
END_TEST

/* ---- argument and type errors ---- */

START_TEST(flat_types_have_no_parent)
{
	static const int flat[] = { NS_TYPE_NET, NS_TYPE_UTS, NS_TYPE_IPC, NS_TYPE_MNT, NS_TYPE_CGROUP,
				    NS_TYPE_TIME };
	char want[64];

	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++) {
		int fd = ns_open(0, flat[i], 0);

		ck_assert_int_ge(fd, 0);
		errno = 0;
		ck_assert_int_eq(ns_get_parent(fd), -EINVAL);
		ck_assert_int_eq(errno, EINVAL);
		snprintf(want, sizeof(want), "a %s namespace has no parent", ns_type_name(flat[i]));
		ck_assert_msg(has(want), "message: %s", ns_last_error());
		ck_assert(has("hierarchical"));
		close(fd);
	}
}
END_TEST

START_TEST(non_namespaces_rejected)
{
	int files[4], pfd[2], closed;
	uid_t uid = 42;
	pid_t out = 42;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	files[0] = open_ro("/dev/null");
	files[1] = open_ro("/etc/hostname");
	files[2] = pfd[0];
	/* a pidfd where the kernel (and valgrind) have pidfd_open(); /dev/null again otherwise */
	files[3] = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (files[3] < 0)
		files[3] = open_ro("/dev/null");
	for (int i = 0; i < 4; i++) {
		ck_assert_int_ge(files[i], 0);
		ck_assert_int_eq(ns_get_parent(files[i]), -EINVAL);
		ck_assert(has("not a namespace"));
		ck_assert_int_eq(ns_get_userns(files[i]), -EINVAL);
		ck_assert(has("not a namespace"));
		ck_assert_int_eq(ns_get_owner_uid(files[i], &uid), -EINVAL);
		ck_assert(has("not a namespace"));
		ck_assert_int_eq(ns_pid_translate(files[i], 1, NS_PID_FROM_NS, &out), -EINVAL);
		ck_assert(has("not a namespace"));
	}
	ck_assert_uint_eq(uid, 42);
	ck_assert_int_eq(out, 42);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			close(files[i]);
	close(pfd[0]);
	close(pfd[1]);
	/* a closed fd and a negative one */
	closed = open_ro("/proc/self/ns/pid");
	ck_assert_int_ge(closed, 0);
	close(closed);
	errno = 0;
	ck_assert_int_eq(ns_get_parent(closed), -EBADF);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(ns_get_userns(closed), -EBADF);
	ck_assert_int_eq(ns_get_owner_uid(closed, &uid), -EBADF);
	ck_assert_int_eq(ns_pid_translate(closed, 1, NS_PID_FROM_NS, &out), -EBADF);
	ck_assert_int_eq(ns_get_parent(-1), -EBADF);
	ck_assert_int_eq(ns_get_userns(-1), -EBADF);
	ck_assert_int_eq(ns_get_owner_uid(-1, &uid), -EBADF);
	ck_assert_int_eq(ns_pid_translate(-1, 1, NS_PID_FROM_NS, &out), -EBADF);
	/* an O_PATH fd of a namespace file cannot take ioctls */
	closed = open("/proc/self/ns/user", O_PATH | O_CLOEXEC);
	ck_assert_int_ge(closed, 0);
	ck_assert_int_eq(ns_get_parent(closed), -EBADF);
	ck_assert(has("O_PATH"));
	close(closed);
}
END_TEST

START_TEST(owner_uid_rejects_bad_arguments)
{
	int net = ns_open(0, NS_TYPE_NET, 0), user = ns_open(0, NS_TYPE_USER, 0);
	uid_t uid = 42;

	ck_assert_int_eq(ns_get_owner_uid(net, &uid), -EINVAL);
	ck_assert(has("a net namespace, not a user namespace"));
	ck_assert_uint_eq(uid, 42);
	ck_assert_int_eq(ns_get_owner_uid(user, NULL), -EINVAL);
	ck_assert(has("NULL"));
	close(net);
	close(user);
}
END_TEST

START_TEST(translate_rejects_bad_arguments)
{
	int pidns = ns_open(0, NS_TYPE_PID, 0), net = ns_open(0, NS_TYPE_NET, 0);
	pid_t out = 42;

	ck_assert_int_eq(ns_pid_translate(pidns, 1, 0, &out), -EINVAL);
	ck_assert(has("exactly one"));
	ck_assert_int_eq(ns_pid_translate(pidns, 1, NS_PID_INTO_NS | NS_PID_FROM_NS, &out), -EINVAL);
	ck_assert_int_eq(ns_pid_translate(pidns, 1, NS_PID_TGID, &out), -EINVAL);
	ck_assert_int_eq(ns_pid_translate(pidns, 1, NS_PID_INTO_NS | 0x8, &out), -EINVAL);
	ck_assert(has("unknown flag"));
	ck_assert_int_eq(ns_pid_translate(pidns, 1, NS_PID_INTO_NS, NULL), -EINVAL);
	ck_assert_int_eq(ns_pid_translate(pidns, -4, NS_PID_INTO_NS, &out), -EINVAL);
	ck_assert_int_eq(ns_pid_translate(pidns, 0, NS_PID_FROM_NS, &out), -EINVAL);
	ck_assert(has("pid 0"));
	errno = 0;
	ck_assert_int_eq(ns_pid_translate(net, 1, NS_PID_INTO_NS, &out), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(has("a net namespace, not a pid namespace"));
	ck_assert_int_eq(out, 42);
	close(pidns);
	close(net);
}
END_TEST

/* ---- pid translation ---- */

static pid_t xl(int nsfd, pid_t pid, unsigned flags)
{
	pid_t out = -42;
	int r = ns_pid_translate(nsfd, pid, flags, &out);

	if (r < 0) {
		ck_assert_int_eq(out, -42);
		return r;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_gt(out, 0);
	return out;
}

/*
 * Make the /proc path run: possible only before libns's first probe in this process, which is
 * always the case in Check's fork mode. With CK_FORK=no (valgrind) an earlier test has probed, so
 * the check cannot run and says so; the variable is removed again so it cannot leak into later tests.
 */
static bool force_fallback(const char *what)
{
	int on;

	nst_disable_features("pid_translate");
	on = ns_has_feature(NS_FEATURE_PID_TRANSLATE);
	unsetenv("LIBNS_DISABLE_FEATURES");
	if (on == 0)
		return true;
	printf("%s: not checked, pid_translate was probed before the test (CK_FORK=no)\n", what);
	return false;
}

/* A child that exits 77 could not force the fallback (see force_fallback). */
static void assert_child_ok(pid_t child, const char *what)
{
	nst_assert_child(child, what, "the fallback could not be forced (CK_FORK=no)");
}

/*
 * Two sibling chains: every level of one has a twin at the same depth with the same inner pids
 * (1 for each init, 2 for the thread), so an answer read off the wrong namespace cannot pass.
 */
static void check_chain(const struct chain *c, const struct chain *other)
{
	const pid_t tid = c->thread.pid[0], tgid = c->thread.tgid[0];

	for (int k = 0; k <= DEPTH; k++) {
		int ns = c->nsfd[k];

		/* the thread T, by its own id or by its thread group's */
		ck_assert_int_eq(xl(ns, tid, NS_PID_INTO_NS), c->thread.pid[k]);
		ck_assert_int_eq(xl(ns, tid, NS_PID_INTO_NS | NS_PID_TGID), c->thread.tgid[k]);
		ck_assert_int_eq(xl(ns, c->thread.pid[k], NS_PID_FROM_NS), tid);
		ck_assert_int_eq(xl(ns, c->thread.pid[k], NS_PID_FROM_NS | NS_PID_TGID), tgid);
		ck_assert_int_eq(xl(ns, tgid, NS_PID_INTO_NS | NS_PID_TGID), c->thread.tgid[k]);
		/* every init at or below this level, and none above it */
		for (int j = 1; j <= DEPTH; j++) {
			pid_t want = j >= k ? c->init[j].pid[k] : -ESRCH;

			ck_assert_int_eq(xl(ns, c->init[j].pid[0], NS_PID_INTO_NS), want);
			ck_assert_int_eq(xl(ns, c->init[j].pid[0], NS_PID_INTO_NS | NS_PID_TGID), want);
			if (j >= k)
				ck_assert_int_eq(xl(ns, c->init[j].pid[k], NS_PID_FROM_NS), c->init[j].pid[0]);
		}
		if (k == 0)
			continue;
		ck_assert_int_eq(xl(ns, 1, NS_PID_FROM_NS), c->init[k].pid[0]);
		/* the other chain's tasks and our own process are not in it */
		ck_assert_int_eq(xl(ns, other->thread.pid[0], NS_PID_INTO_NS), -ESRCH);
		ck_assert(has("not in that pid namespace"));
		ck_assert_int_eq(xl(ns, other->init[k].pid[0], NS_PID_INTO_NS), -ESRCH);
		ck_assert_int_eq(xl(ns, getpid(), NS_PID_INTO_NS), -ESRCH);
		ck_assert_int_eq(xl(ns, 0, NS_PID_INTO_NS), -ESRCH);
		ck_assert_int_eq(xl(ns, c->top, NS_PID_INTO_NS), -ESRCH);
		/* ns k holds only its init's descendants: pid 1..(DEPTH-k+1), plus the thread at the bottom */
		ck_assert_int_eq(xl(ns, 100, NS_PID_FROM_NS), -ESRCH);
		ck_assert(has("no process 100 in that pid namespace"));
	}
	/* the calling process, as pid 0, in its own namespace */
	ck_assert_int_eq(xl(c->nsfd[0], 0, NS_PID_INTO_NS), getpid());
	ck_assert_int_eq(xl(c->nsfd[0], nst_dead_pid(), NS_PID_INTO_NS), -ESRCH);
}

static void check_translation(void)
{
	struct chain a, b;

	spawn_chain(&a);
	spawn_chain(&b);
	check_chain(&a, &b);
	check_chain(&b, &a);
	kill_chain(&b);
	kill_chain(&a);
}

START_TEST(translate_with_ioctls)
{
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PID_TRANSLATE), 1);
	check_translation();
}
END_TEST

START_TEST(translate_through_proc)
{
	if (force_fallback("translate_through_proc"))
		check_translation();
}
END_TEST

struct sleeper {
	pid_t tid;
	int wake[2];
};

static void *sleeper(void *arg)
{
	struct sleeper *sl = arg;
	char c;

	__atomic_store_n(&sl->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	while (read(sl->wake[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A thread of the calling process in its own pid namespace: tid and tgid differ, both paths. */
static void check_own_thread(void)
{
	struct sleeper sl = { 0 };
	pthread_t t;
	pid_t tid;
	int ns = ns_open(0, NS_TYPE_PID, 0);

	ck_assert_int_eq(pipe2(sl.wake, O_CLOEXEC), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, &sl), 0);
	while ((tid = __atomic_load_n(&sl.tid, __ATOMIC_ACQUIRE)) == 0)
		usleep(1000);
	ck_assert_int_ne(tid, getpid());
	ck_assert_int_eq(xl(ns, tid, NS_PID_INTO_NS), tid);
	ck_assert_int_eq(xl(ns, tid, NS_PID_INTO_NS | NS_PID_TGID), getpid());
	ck_assert_int_eq(xl(ns, tid, NS_PID_FROM_NS), tid);
	ck_assert_int_eq(xl(ns, tid, NS_PID_FROM_NS | NS_PID_TGID), getpid());
	close(ns);
	close(sl.wake[1]);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	close(sl.wake[0]);
}

START_TEST(translate_own_thread) { check_own_thread(); }
END_TEST
START_TEST(translate_own_thread_through_proc)
{
	if (force_fallback("translate_own_thread_through_proc"))
		check_own_thread();
}
END_TEST

/*
 * From inside ns1 of a chain (whose /proc is still ours, so NSpid lines start one level above the
 * caller): translation below works on both paths; only the ioctls reach the ancestor namespace.
 */
static void check_from_inside(bool fallback)
{
	struct chain c;
	pid_t x;

	spawn_chain(&c);
	x = fork();
	ck_assert_int_ge(x, 0);
	if (x == 0) {
		pid_t y;

		if (fallback && !force_fallback("translate_from_inside_through_proc"))
			_exit(77);
		if (setns(c.nsfd[1], CLONE_NEWPID) < 0)
			_exit(2);
		y = fork();
		if (y == 0) {
			struct rec me;
			pid_t out = 0;
			int r;

			NST_CHILD_CHECK(read_rec("/proc/self/status", 0, &me) == 0 && me.n == 2);
			NST_CHILD_CHECK(ns_has_feature(NS_FEATURE_PID_TRANSLATE) == !fallback);
			for (int k = 1; k <= DEPTH; k++) {
				NST_CHILD_CHECK(xl(c.nsfd[k], c.thread.pid[1], NS_PID_INTO_NS) == c.thread.pid[k]);
				NST_CHILD_CHECK(xl(c.nsfd[k], c.thread.pid[1], NS_PID_INTO_NS | NS_PID_TGID) ==
						c.thread.tgid[k]);
				NST_CHILD_CHECK(xl(c.nsfd[k], c.thread.pid[k], NS_PID_FROM_NS) == c.thread.pid[1]);
				NST_CHILD_CHECK(xl(c.nsfd[k], c.thread.pid[k], NS_PID_FROM_NS | NS_PID_TGID) ==
						c.thread.tgid[1]);
				NST_CHILD_CHECK(xl(c.nsfd[k], 1, NS_PID_FROM_NS) == c.init[k].pid[1]);
			}
			NST_CHILD_CHECK(xl(c.nsfd[1], 0, NS_PID_INTO_NS) == me.pid[1]);
			NST_CHILD_CHECK(getpid() == me.pid[1]);
			NST_CHILD_CHECK(xl(c.nsfd[2], 0, NS_PID_INTO_NS) == -ESRCH);
			/* the namespace above the caller's */
			r = ns_pid_translate(c.nsfd[0], 0, NS_PID_INTO_NS, &out);
			if (fallback) {
				NST_CHILD_CHECK(r == -EOPNOTSUPP);
				NST_CHILD_CHECK(has("6.11"));
			} else {
				NST_CHILD_CHECK(r == 0 && out == me.pid[0]);
				NST_CHILD_CHECK(xl(c.nsfd[0], me.pid[0], NS_PID_FROM_NS) == me.pid[1]);
				NST_CHILD_CHECK(xl(c.nsfd[0], c.top, NS_PID_FROM_NS) == -ESRCH);
			}
			_exit(0);
		}
		_exit(nst_wait(y));
	}
	assert_child_ok(x, "translate_from_inside_through_proc");
	kill_chain(&c);
}

START_TEST(translate_from_inside) { check_from_inside(false); }
END_TEST
START_TEST(translate_from_inside_through_proc) { check_from_inside(true); }
END_TEST

/* Both paths, asked the same questions about many pids, give the same answers or the same errors. */
struct answer {
	int r;
	pid_t out;
};

#define NQ_NS (1 + 2 * DEPTH)
#define NQ_PIDS 16
#define NQ_FLAGS 4
#define NQ (NQ_NS * NQ_PIDS * NQ_FLAGS)

static void ask_all(const int *ns, const pid_t *pids, struct answer *ans)
{
	static const unsigned fl[NQ_FLAGS] = { NS_PID_INTO_NS, NS_PID_INTO_NS | NS_PID_TGID, NS_PID_FROM_NS,
					       NS_PID_FROM_NS | NS_PID_TGID };
	int q = 0;

	for (int i = 0; i < NQ_NS; i++)
		for (int j = 0; j < NQ_PIDS; j++)
			for (int f = 0; f < NQ_FLAGS; f++, q++) {
				ans[q].out = 0;
				ans[q].r = ns_pid_translate(ns[i], pids[j], fl[f], &ans[q].out);
			}
}

START_TEST(translate_paths_agree)
{
	static struct answer by_ioctl[NQ], by_proc[NQ];
	struct chain a, b;
	int ns[NQ_NS], p[2], n = 0;
	pid_t pids[NQ_PIDS], child;
	size_t got = 0;

	spawn_chain(&a);
	spawn_chain(&b);
	ns[n++] = a.nsfd[0];
	for (int k = 1; k <= DEPTH; k++) {
		ns[n++] = a.nsfd[k];
		ns[n++] = b.nsfd[k];
	}
	n = 0;
	pids[n++] = a.thread.pid[0];
	pids[n++] = b.thread.pid[0];
	pids[n++] = getpid();
	pids[n++] = a.top;
	pids[n++] = nst_dead_pid();
	for (int k = 1; k <= DEPTH; k++) {
		pids[n++] = a.init[k].pid[0];
		pids[n++] = b.init[k].pid[0];
	}
	for (pid_t small = 1; n < NQ_PIDS; small++)
		pids[n++] = small;
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(p[0]);
		if (!force_fallback("translate_paths_agree"))
			_exit(77);
		ask_all(ns, pids, by_proc);
		NST_CHILD_CHECK(write(p[1], by_proc, sizeof(by_proc)) == (ssize_t)sizeof(by_proc));
		_exit(0);
	}
	close(p[1]);
	while (got < sizeof(by_proc)) {
		ssize_t r = read(p[0], (char *)by_proc + got, sizeof(by_proc) - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(p[0]);
	if (nst_wait(child) == 77) {
		printf("translate_paths_agree: not checked (CK_FORK=no)\n");
		kill_chain(&b);
		kill_chain(&a);
		return;
	}
	ck_assert_uint_eq(got, sizeof(by_proc));
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PID_TRANSLATE), 1);
	ask_all(ns, pids, by_ioctl);
	n = 0;
	for (int q = 0; q < NQ; q++) {
		ck_assert_msg(by_ioctl[q].r == by_proc[q].r && by_ioctl[q].out == by_proc[q].out,
			      "question %d (ns %d, pid %d, flags %d): ioctl %d/%d, /proc %d/%d", q,
			      q / (NQ_PIDS * NQ_FLAGS), (int)pids[(q / NQ_FLAGS) % NQ_PIDS], q % NQ_FLAGS,
			      by_ioctl[q].r, (int)by_ioctl[q].out, by_proc[q].r, (int)by_proc[q].out);
		n += by_ioctl[q].r == 0;
	}
	/* not vacuous: a good share of the questions have answers */
	ck_assert_int_gt(n, NQ / 8);
	kill_chain(&b);
	kill_chain(&a);
}
END_TEST

/* No privilege is needed for the ioctls; the /proc path must check namespaces it may not open. */
START_TEST(translate_unprivileged)
{
	struct chain c;
	pid_t u;

	spawn_chain(&c);
	u = nst_fork_unprivileged();
	ck_assert_int_ge(u, 0);
	if (u == 0) {
		NST_CHILD_CHECK(xl(c.nsfd[DEPTH], c.thread.pid[0], NS_PID_INTO_NS) == c.thread.pid[DEPTH]);
		NST_CHILD_CHECK(xl(c.nsfd[2], 1, NS_PID_FROM_NS) == c.init[2].pid[0]);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(u), 0);
	u = nst_fork_unprivileged();
	ck_assert_int_ge(u, 0);
	if (u == 0) {
		pid_t out = 0;

		if (!force_fallback("translate_unprivileged"))
			_exit(77);
		NST_CHILD_CHECK(ns_pid_translate(c.nsfd[DEPTH], c.thread.pid[0], NS_PID_INTO_NS, &out) == -EACCES);
		NST_CHILD_CHECK(has("ptrace"));
		/* in its own namespace there is nothing to check */
		NST_CHILD_CHECK(xl(c.nsfd[0], c.thread.pid[0], NS_PID_INTO_NS | NS_PID_TGID) == c.thread.tgid[0]);
		_exit(0);
	}
	assert_child_ok(u, "translate_unprivileged");
	kill_chain(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hierarchy");
	TCase *tc = nst_tcase("hierarchy");
	const char *root = nst_need_root();
	const char *ioctls = root ? root : nst_need_feature(NS_FEATURE_PID_TRANSLATE);
	const char *timens = nst_need_feature(NS_FEATURE_TIME_NS);

	nst_add(tc, parent_of_nested_pid_namespaces, root);
	nst_add(tc, parent_of_pid_for_children, root);
	nst_add(tc, parent_past_pid_scope, root);
	nst_add(tc, parent_of_nested_user_namespaces, root);
	nst_add(tc, parent_past_user_scope, root);
	nst_add(tc, owner_uid_of_user_namespace, root);
	nst_add(tc, userns_of_namespaces, root);
	nst_add(tc, owner_uid_of_initial_user_namespace, NULL);
	nst_add(tc, flat_types_have_no_parent, timens);
	nst_add(tc, non_namespaces_rejected, NULL);
	nst_add(tc, owner_uid_rejects_bad_arguments, NULL);
	nst_add(tc, translate_rejects_bad_arguments, NULL);
	nst_add(tc, translate_with_ioctls, ioctls);
	nst_add(tc, translate_through_proc, root);
	nst_add(tc, translate_own_thread, NULL);
	nst_add(tc, translate_own_thread_through_proc, NULL);
	nst_add(tc, translate_from_inside, ioctls);
	nst_add(tc, translate_from_inside_through_proc, root);
	nst_add(tc, translate_paths_agree, ioctls);
	nst_add(tc, translate_unprivileged, ioctls);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
