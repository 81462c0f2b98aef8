/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "compat.h"
#include "helpers.h"

static const int every_type[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
				  NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
/* time is last: left out where the kernel (or an old-kernel profile, tests/tools/kernel-profile.c) has none */
static int ntypes_here(void)
{
	static int n;

	if (!n)
		n = (int)(sizeof(every_type) / sizeof(every_type[0])) - (nst_need_feature(NS_FEATURE_TIME_NS) ? 1 : 0);
	return n;
}
#define NTYPES ntypes_here()

static const struct ns_entry *find(const struct ns_list *l, int type, unsigned long long ino)
{
	for (size_t i = 0; i < ns_list_count(l); i++) {
		const struct ns_entry *e = ns_list_get(l, i);

		if (e->id.ino == ino && e->type == type)
			return e;
	}
	return NULL;
}

static struct ns_list *list_or_fail(unsigned types, unsigned flags)
{
	struct ns_list *l = NULL;
	int r = ns_list_new(types, flags, &l);

	ck_assert_msg(r == 0, "ns_list_new(0x%x, 0x%x) = %d: %s", types, flags, r, ns_last_error());
	ck_assert_ptr_nonnull(l);
	return l;
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long long)st.st_ino;
}

static void read_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, (int)size, f));
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * A process sitting in namespaces made for the test: a child that first joins `join_types` of
 * process `join`, then unshares `types`; with `grandchild`, it forks once more and the grandchild
 * (the first process really inside a new pid or time namespace) is the one that waits. Returns the
 * waiting process's pid; *reap receives the child to kill and reap. With `name`, the waiting
 * process sets its comm. With `exit_now` the process exits at once and is left a zombie.
 */
static pid_t spawn(unsigned types, pid_t join, unsigned join_types, bool grandchild, const char *name,
		   pid_t *reap)
{
	int sync[2];
	pid_t pid, waiter = 0;

	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t me;

		close(sync[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = 0; i < NTYPES; i++) {
			int fd;

			if (!(join_types & (unsigned)every_type[i]))
				continue;
			fd = ns_open(join, every_type[i], 0);
			if (fd < 0 || setns(fd, every_type[i]) < 0)
				_exit(2);
			close(fd);
		}
		if (types && unshare((int)types) < 0)
			_exit(3);
		if (grandchild) {
			me = fork();
			if (me < 0)
				_exit(4);
			if (me > 0) {
				close(sync[1]);
				for (;;)
					pause();
			}
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		}
		if (name)
			prctl(PR_SET_NAME, name);
		/* the pid as the test's /proc names it (ours is 1 inside a new pid namespace) */
		me = grandchild ? 0 : getpid();
		if (write(sync[1], &me, sizeof(me)) != sizeof(me))
			_exit(5);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	ck_assert_int_eq(read(sync[0], &waiter, sizeof(waiter)), (ssize_t)sizeof(waiter));
	close(sync[0]);
	if (grandchild) {
		/* the only child of our child */
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
		f = fopen(path, "re");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fscanf(f, "%d", &waiter), 1);
		fclose(f);
	}
	*reap = pid;
	return waiter;
}

static void reap(pid_t pid)
{
	nst_kill(pid, NULL);
}

START_TEST(list_finds_own_namespaces)
{
	struct ns_list *l = list_or_fail(0, 0);

	for (int i = 0; i < NTYPES; i++) {
		int fd = ns_open(0, every_type[i], 0);
		struct ns_id id;
		const struct ns_entry *e;

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(ns_get_id(fd, &id), 0);
		e = find(l, every_type[i], id.ino);
		ck_assert_msg(e != NULL, "own %s namespace %llu not listed", ns_type_name(every_type[i]),
			      (unsigned long long)id.ino);
		ck_assert_uint_eq(e->id.id, id.id);
		ck_assert_uint_eq(e->id.dev, id.dev);
		ck_assert(e->held_by & NS_HELD_BY_PROCESS);
		ck_assert_uint_ge(e->nprocs, 1);
		ck_assert_int_gt(e->pid, 0);
		ck_assert_int_le(e->pid, getpid());
		ck_assert_str_ne(e->command, "");
		close(fd);
	}
	/* sorted by inode, as lsns prints them */
	for (size_t i = 1; i < ns_list_count(l); i++)
		ck_assert_uint_lt(ns_list_get(l, i - 1)->id.ino, ns_list_get(l, i)->id.ino);
	ns_list_free(l);
}
END_TEST

/* Three processes sharing new uts, ipc and net namespaces: one entry each, counted three times. */
START_TEST(list_counts_processes)
{
	pid_t r1, r2, r3;
	pid_t a = spawn(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, 0, 0, false, "libns-grp-a", &r1);
	pid_t b = spawn(0, a, NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET, false, "libns-grp-b", &r2);
	pid_t c = spawn(0, a, NS_TYPE_NET, false, "libns-grp-c", &r3);
	unsigned long long self_user = nst_proc_ns_ino(0, "user");
	struct ns_list *l = list_or_fail(0, 0);
	const struct ns_entry *e;

	e = find(l, NS_TYPE_NET, nst_proc_ns_ino(a, "net"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->nprocs, 3);
	ck_assert_int_eq(e->pid, a < b ? (a < c ? a : c) : (b < c ? b : c));
	ck_assert_uint_eq(e->held_by, NS_HELD_BY_PROCESS);
	ck_assert_uint_eq(e->userns_ino, self_user);
	ck_assert_uint_eq(e->owner_uid, 0);
	ck_assert_uint_eq(e->parent_ino, 0);
	for (int t = 0; t < 2; t++) {
		int type = t ? NS_TYPE_IPC : NS_TYPE_UTS;
		char comm[64];

		e = find(l, type, nst_proc_ns_ino(a, ns_type_name(type)));
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->nprocs, 2);
		ck_assert_int_eq(e->pid, a < b ? a : b);
		read_comm(e->pid, comm, sizeof(comm));
		ck_assert_str_eq(e->command, comm);
		ck_assert_uint_eq(e->userns_ino, self_user);
	}
	/* the id is the kernel's, read from a fresh fd */
	{
		int fd = ns_open(a, NS_TYPE_UTS, 0);
		struct ns_id id;

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(ns_get_id(fd, &id), 0);
		e = find(l, NS_TYPE_UTS, id.ino);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->id.id, id.id);
		ck_assert_uint_eq(e->id.dev, id.dev);
		close(fd);
	}
	ns_list_free(l);
	reap(r3);
	reap(r2);
	reap(r1);
}
END_TEST

/* A user namespace made by uid 65534, a pid namespace and its parent, and a nested user namespace. */
START_TEST(list_reports_owner_and_parent)
{
	pid_t ru, rp, rn;
	unsigned long long self_user = nst_proc_ns_ino(0, "user"), self_pid = nst_proc_ns_ino(0, "pid");
	pid_t u, p, n, child;
	struct ns_list *l;
	const struct ns_entry *e, *outer;
	int sync[2];

	/* an unprivileged child makes the user namespace, so its owner is 65534 */
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	child = nst_fork_unprivileged();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char c = 0;

		close(sync[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUSER) < 0)
			c = 1;
		NST_CHILD_CHECK(write(sync[1], &c, 1) == 1);
		for (;;)
			pause();
	}
	close(sync[1]);
	{
		char c = 1;

		ck_assert_int_eq(read(sync[0], &c, 1), 1);
		ck_assert_int_eq(c, 0);
		close(sync[0]);
	}
	u = child;
	ru = child;
	p = spawn(CLONE_NEWPID, 0, 0, true, "libns-pid1", &rp);
	n = spawn(CLONE_NEWUSER, 0, 0, false, NULL, &rn);
	l = list_or_fail(0, 0);

	e = find(l, NS_TYPE_USER, nst_proc_ns_ino(u, "user"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->owner_uid, 65534);
	ck_assert_uint_eq(e->parent_ino, self_user);
	ck_assert_uint_eq(e->userns_ino, self_user);
	ck_assert_int_eq(e->pid, u);

	e = find(l, NS_TYPE_PID, nst_proc_ns_ino(p, "pid"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_ne(e->id.ino, self_pid);
	ck_assert_uint_eq(e->parent_ino, self_pid);
	ck_assert_int_eq(e->pid, p);
	ck_assert_uint_eq(e->nprocs, 1);
	ck_assert_str_eq(e->command, "libns-pid1");

	e = find(l, NS_TYPE_USER, nst_proc_ns_ino(n, "user"));
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->owner_uid, 0);
	outer = find(l, NS_TYPE_USER, self_user);
	ck_assert_ptr_nonnull(outer);
	ck_assert_uint_eq(e->parent_ino, outer->id.ino);
	ns_list_free(l);
	reap(rn);
	reap(rp);
	reap(ru);
}
END_TEST

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * A user namespace whose only process has exited, kept alive by a child user namespace: listed as
 * held by a namespace, so the ownership chain has no hole.
 */
START_TEST(list_includes_ancestors_without_processes)
{
	int sync[2];
	pid_t child, inner = 0;
	unsigned long long inner_ino, outer_ino;
	struct ns_list *l;
	const struct ns_entry *e;
	int fd, parent;

	/* the orphaned grandchild comes back to us, to be reaped */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pid_t gc;

		close(sync[0]);
		NST_CHILD_CHECK(unshare(CLONE_NEWUSER) == 0);
		/* a nested user namespace needs the creator's uid and gid mapped in this one */
		NST_CHILD_CHECK(write_file("/proc/self/uid_map", "0 0 1"));
		NST_CHILD_CHECK(write_file("/proc/self/setgroups", "deny"));
		NST_CHILD_CHECK(write_file("/proc/self/gid_map", "0 0 1"));
		gc = fork();
		if (gc == 0) {
			pid_t me = getpid();

			NST_CHILD_CHECK(unshare(CLONE_NEWUSER) == 0);
			NST_CHILD_CHECK(write(sync[1], &me, sizeof(me)) == sizeof(me));
			for (;;)
				pause();
		}
		_exit(gc > 0 ? 0 : 1);   /* the outer user namespace loses its last process */
	}
	close(sync[1]);
	ck_assert_int_eq(read(sync[0], &inner, sizeof(inner)), (ssize_t)sizeof(inner));
	close(sync[0]);
	ck_assert_int_eq(nst_wait(child), 0);

	fd = ns_open(inner, NS_TYPE_USER, 0);
	ck_assert_int_ge(fd, 0);
	inner_ino = fd_ino(fd);
	parent = ioctl(fd, NS_GET_PARENT);
	ck_assert_int_ge(parent, 0);
	outer_ino = fd_ino(parent);
	close(parent);
	close(fd);

	l = list_or_fail(NS_TYPE_USER, 0);
	e = find(l, NS_TYPE_USER, inner_ino);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->parent_ino, outer_ino);
	e = find(l, NS_TYPE_USER, outer_ino);
	ck_assert_msg(e != NULL, "the childless outer user namespace is not listed");
	ck_assert_uint_eq(e->held_by, NS_HELD_BY_NAMESPACE);
	ck_assert_uint_eq(e->nprocs, 0);
	ck_assert_int_eq(e->pid, 0);
	ck_assert_uint_eq(e->parent_ino, nst_proc_ns_ino(0, "user"));
	ck_assert_uint_eq(e->owner_uid, 0);
	ns_list_free(l);
	nst_kill(inner, NULL);
}
END_TEST

/* A network namespace whose last process is gone, held by this process's fd. */
START_TEST(list_finds_fd_held)
{
	pid_t r;
	pid_t a = spawn(CLONE_NEWNET, 0, 0, false, NULL, &r);
	int fd = ns_open(a, NS_TYPE_NET, 0);
	struct ns_list *l;
	const struct ns_entry *e;
	struct ns_id id;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	reap(r);
	l = list_or_fail(0, 0);
	e = find(l, NS_TYPE_NET, id.ino);
	ck_assert_msg(e != NULL, "fd-held namespace not listed");
	ck_assert_uint_eq(e->held_by, NS_HELD_BY_FD);
	ck_assert_uint_eq(e->nprocs, 0);
	ck_assert_int_eq(e->pid, 0);
	ck_assert_str_eq(e->command, "");
	ck_assert_uint_eq(e->id.id, id.id);
	ck_assert_uint_eq(e->id.dev, id.dev);
	ck_assert_uint_eq(e->userns_ino, nst_proc_ns_ino(0, "user"));
	ck_assert_uint_eq(e->owner_uid, 0);
	ns_list_free(l);
	l = list_or_fail(NS_TYPE_NET, NS_LIST_NO_FDS);
	ck_assert_ptr_null(find(l, NS_TYPE_NET, id.ino));
	ns_list_free(l);
	close(fd);
	l = list_or_fail(NS_TYPE_NET, 0);
	ck_assert_ptr_null(find(l, NS_TYPE_NET, id.ino));
	ns_list_free(l);
}
END_TEST

/*
 * An ipc namespace held only by a bind mount, on a path with a space (mountinfo escapes it), in a
 * private mount namespace: the test's own, since mountinfo is per mount namespace.
 */
START_TEST(list_finds_mount_held)
{
	char dir[64], file[96], src[64];
	pid_t r, a;
	struct ns_list *l;
	const struct ns_entry *e;
	struct ns_id id;
	int fd;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL), 0);
	nst_tmpdir(dir, sizeof(dir), "libns list");	/* a space: mountinfo escapes it */
	snprintf(file, sizeof(file), "%s/ipc", dir);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	a = spawn(CLONE_NEWIPC, 0, 0, false, NULL, &r);
	snprintf(src, sizeof(src), "/proc/%d/ns/ipc", (int)a);
	ck_assert_int_eq(mount(src, file, "none", MS_BIND, NULL), 0);
	reap(r);
	fd = ns_open_path(file, NS_TYPE_IPC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	close(fd);

	l = list_or_fail(0, 0);
	e = find(l, NS_TYPE_IPC, id.ino);
	ck_assert_msg(e != NULL, "mount-held namespace not listed");
	ck_assert_uint_eq(e->held_by, NS_HELD_BY_MOUNT);
	ck_assert_uint_eq(e->nprocs, 0);
	ck_assert_int_eq(e->pid, 0);
	ck_assert_uint_eq(e->id.id, id.id);
	ck_assert_uint_eq(e->userns_ino, nst_proc_ns_ino(0, "user"));
	ns_list_free(l);
	l = list_or_fail(NS_TYPE_IPC, NS_LIST_NO_MOUNTS);
	ck_assert_ptr_null(find(l, NS_TYPE_IPC, id.ino));
	ns_list_free(l);

	ck_assert_int_eq(umount2(file, MNT_DETACH), 0);
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	l = list_or_fail(NS_TYPE_IPC, 0);
	ck_assert_ptr_null(find(l, NS_TYPE_IPC, id.ino));
	ns_list_free(l);
}
END_TEST

START_TEST(list_filters_types)
{
	const unsigned want = NS_TYPE_NET | NS_TYPE_UTS;
	struct ns_list *l = list_or_fail(want, NS_LIST_NO_FDS | NS_LIST_NO_MOUNTS);

	ck_assert_uint_ge(ns_list_count(l), 2);
	for (size_t i = 0; i < ns_list_count(l); i++)
		ck_assert_msg((unsigned)ns_list_get(l, i)->type & want, "type %s listed",
			      ns_type_name(ns_list_get(l, i)->type));
	ck_assert_ptr_nonnull(find(l, NS_TYPE_NET, nst_proc_ns_ino(0, "net")));
	ck_assert_ptr_nonnull(find(l, NS_TYPE_UTS, nst_proc_ns_ino(0, "uts")));
	ns_list_free(l);
}
END_TEST

START_TEST(list_rejects_bad_arguments)
{
	struct ns_list *l = (struct ns_list *)&l;   /* any non-NULL value: must stay untouched */

	ck_assert_int_eq(ns_list_new(0, 0x80, &l), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "flag"));
	ck_assert_int_eq(ns_list_new(0x1, 0, &l), -EINVAL);
	ck_assert_int_eq(ns_list_new(NS_TYPE_NET | 0x1, 0, &l), -EINVAL);
	ck_assert_ptr_eq(l, (struct ns_list *)&l);
	ck_assert_int_eq(ns_list_new(0, 0, NULL), -EINVAL);
	ck_assert_uint_eq(ns_list_count(NULL), 0);
	ck_assert_ptr_null(ns_list_get(NULL, 0));
	ns_list_free(NULL);

	l = list_or_fail(NS_TYPE_NET, 0);
	ck_assert_ptr_nonnull(ns_list_get(l, 0));
	ck_assert_ptr_null(ns_list_get(l, ns_list_count(l)));
	ck_assert_int_eq(errno, EINVAL);
	ns_list_free(l);
}
END_TEST

/* Without NS_GET_ID (before 6.18) every id is 0 and everything else is unchanged. */
START_TEST(list_without_ns_id)
{
	/* in a child: features are probed once per process, and CK_FORK=no runs all tests in one */
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct ns_list *l = NULL;
		const struct ns_entry *e;

		nst_disable_features("ns_id,listns");
		if (ns_has_feature(NS_FEATURE_NS_ID))
			_exit(77);   /* CK_FORK=no: the parent had probed already, the mask comes too late */
		NST_CHILD_CHECK(ns_list_new(0, NS_LIST_NO_FDS, &l) == 0);
		for (size_t i = 0; i < ns_list_count(l); i++)
			NST_CHILD_CHECK(ns_list_get(l, i)->id.id == 0);
		e = find(l, NS_TYPE_NET, nst_proc_ns_ino(0, "net"));
		NST_CHILD_CHECK(e != NULL);
		NST_CHILD_CHECK(e->id.dev != 0);
		NST_CHILD_CHECK(e->userns_ino == nst_proc_ns_ino(0, "user"));
		NST_CHILD_CHECK(e->owner_uid == getuid() || e->owner_uid == 0);
		ns_list_free(l);
		_exit(0);
	}
	nst_assert_child(child, "list_without_ns_id", "NS_GET_ID was probed before the test (CK_FORK=no)");
}
END_TEST

/* An unprivileged caller gets what it may see: its own namespaces, through its own processes. */
START_TEST(list_unprivileged)
{
	pid_t child = nst_fork_unprivileged();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct ns_list *l = NULL;
		const struct ns_entry *e;
		char path[64];
		struct stat st;

		NST_CHILD_CHECK(ns_list_new(0, 0, &l) == 0);
		e = find(l, NS_TYPE_NET, nst_proc_ns_ino(0, "net"));
		NST_CHILD_CHECK(e != NULL);
		NST_CHILD_CHECK(e->nprocs >= 1);
		/* root's processes (kernel threads included) are not readable, so the lowest pid is ours */
		snprintf(path, sizeof(path), "/proc/%d", (int)e->pid);
		NST_CHILD_CHECK(stat(path, &st) == 0 && st.st_uid == 65534);
		NST_CHILD_CHECK(e->pid <= getpid());
		for (size_t i = 0; i < ns_list_count(l); i++) {
			e = ns_list_get(l, i);
			if (e->pid) {
				snprintf(path, sizeof(path), "/proc/%d", (int)e->pid);
				NST_CHILD_CHECK(stat(path, &st) != 0 || st.st_uid == 65534);
			}
		}
		ns_list_free(l);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/*
 * Out of file descriptors at every stage in turn: each failure is EMFILE with a message, and
 * leaves no fd or memory behind; with enough fds the same call succeeds.
 */
START_TEST(list_fails_cleanly_without_fds)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* the limit caps fd numbers: start where no new fd fits, at the lowest free number */
		int base = nst_fd_count(), first = fcntl(0, F_DUPFD_CLOEXEC, 0), lim, r = -1;
		struct ns_list *l = NULL;
		struct rlimit rl, saved;

		NST_CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &saved) == 0);
		NST_CHILD_CHECK(first >= 0);
		close(first);
		for (lim = first; lim < first + 64 && r != 0; lim++) {
			rl = saved;
			rl.rlim_cur = (rlim_t)lim;   /* the soft limit only: raising the hard one needs privilege */
			NST_CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
			r = ns_list_new(0, 0, &l);
			NST_CHILD_CHECK(r == 0 || (r == -EMFILE && errno == EMFILE && l == NULL));
			NST_CHILD_CHECK(r == 0 || strstr(ns_last_error(), "ns_list_new") != NULL);
			NST_CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &saved) == 0);   /* counting needs an fd too */
			NST_CHILD_CHECK(nst_fd_count() == base);
		}
		NST_CHILD_CHECK(r == 0);
		NST_CHILD_CHECK(lim > first + 2);   /* it did fail at least at the first stages */
		ns_list_free(l);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* ---- agreement with util-linux lsns ---- */

struct row {
	unsigned long long ino;
	char type[16];
	unsigned nprocs;
	int pid;
};

struct rows {
	struct row r[4096];
	int n;
	pid_t lsns_pid;
};

/* lsns -r -n -o NS,TYPE,NPROCS,PID, run directly (no shell, so only lsns itself is an extra process) */
static bool run_lsns(struct rows *out)
{
	int p[2], st;
	pid_t pid;
	FILE *f;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execlp("lsns", "lsns", "-r", "-n", "-o", "NS,TYPE,NPROCS,PID", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	ck_assert_ptr_nonnull(f);
	out->n = 0;
	out->lsns_pid = pid;
	while (out->n < (int)(sizeof(out->r) / sizeof(out->r[0])) &&
	       fscanf(f, "%llu %15s %u %d", &out->r[out->n].ino, out->r[out->n].type, &out->r[out->n].nprocs,
		      &out->r[out->n].pid) == 4)
		out->n++;
	fclose(f);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static const struct row *find_row(const struct rows *rs, unsigned long long ino)
{
	for (int i = 0; i < rs->n; i++)
		if (rs->r[i].ino == ino)
			return &rs->r[i];
	return NULL;
}

static bool alive(pid_t pid)
{
	return pid > 0 && kill(pid, 0) == 0;
}

/*
 * lsns counted itself: it ran in the test's own namespaces. Take it out so the rows describe the
 * processes ns_list_new() saw. If lsns was the lowest pid of a namespace, the row cannot be fixed.
 */
static bool adjust_for_lsns(struct rows *rs, const unsigned long long self[NTYPES])
{
	for (int i = 0; i < rs->n; i++)
		for (int t = 0; t < NTYPES; t++)
			if (rs->r[i].ino == self[t]) {
				if (rs->r[i].pid == rs->lsns_pid)
					return false;
				rs->r[i].nprocs--;
			}
	return true;
}

/* The last pid allocated in our pid namespace. */
static long last_pid(void)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "re");
	long v = -1;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%ld", &v), 1);
	fclose(f);
	return v;
}

static bool same_row(const struct row *a, const struct row *b)
{
	return a && b && a->nprocs == b->nprocs && a->pid == b->pid && strcmp(a->type, b->type) == 0;
}

/*
 * Compare one lsns run (bracketed by another) with ns_list. A difference is excused only when the
 * two lsns runs disagree about that namespace or a process it names has gone since: something
 * changed in between. *excused counts those; anything else is a wrong answer, returned as a message.
 */
static const char *compare(const struct rows *before, const struct rows *after, const struct ns_list *l,
			   int *excused, char *msg, size_t size)
{
	*excused = 0;
	for (int i = 0; i < before->n; i++) {
		const struct row *b = &before->r[i], *a = find_row(after, b->ino);
		const struct ns_entry *e = NULL;
		bool ok;

		for (size_t k = 0; k < ns_list_count(l); k++)
			if (ns_list_get(l, k)->id.ino == b->ino)
				e = ns_list_get(l, k);
		ok = e && strcmp(ns_type_name(e->type), b->type) == 0 && e->nprocs == b->nprocs && e->pid == b->pid;
		if (ok)
			continue;
		if (!same_row(b, a) || !alive(b->pid) || (e && !alive(e->pid))) {
			(*excused)++;
			continue;
		}
		if (!e)
			snprintf(msg, size, "lsns lists %s %llu (nprocs %u, pid %d); ns_list does not", b->type,
				 b->ino, b->nprocs, b->pid);
		else
			snprintf(msg, size, "%llu: lsns says %s nprocs %u pid %d, ns_list says %s nprocs %u pid %d",
				 b->ino, b->type, b->nprocs, b->pid, ns_type_name(e->type), e->nprocs, (int)e->pid);
		return msg;
	}
	/* the other way: every namespace a process is in is one lsns lists too */
	for (size_t k = 0; k < ns_list_count(l); k++) {
		const struct ns_entry *e = ns_list_get(l, k);

		if (!(e->held_by & NS_HELD_BY_PROCESS) || find_row(before, e->id.ino))
			continue;
		if (find_row(after, e->id.ino) || !alive(e->pid)) {
			(*excused)++;
			continue;
		}
		snprintf(msg, size, "ns_list lists %s %llu (nprocs %u, pid %d); lsns does not",
			 ns_type_name(e->type), (unsigned long long)e->id.ino, e->nprocs, (int)e->pid);
		return msg;
	}
	return NULL;
}

START_TEST(list_matches_lsns)
{
	static struct rows before, after;
	unsigned long long self[NTYPES], made[16];
	int nmade = 0, excused = -1, fdheld;
	bool agreed = false;
	time_t deadline = time(NULL) + 30;
	pid_t rp[12], zombie;
	char msg[256], dir[64], file[96], src[64];
	struct ns_list *l;
	const struct ns_entry *e;
	int n = 0;

	/* the test's own mount namespace, private, so the bind mount below shows in our mountinfo */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL), 0);
	for (int t = 0; t < NTYPES; t++)
		self[t] = nst_proc_ns_ino(0, ns_type_name(every_type[t]));

	/* groups: a leader unshares, members join it; plus pid, time and user namespaces */
	{
		pid_t a = spawn(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET, 0, 0, false, "libns-lsns-a", &rp[n++]);
		pid_t b;

		spawn(0, a, NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET, false, NULL, &rp[n++]);
		spawn(0, a, NS_TYPE_NET, false, NULL, &rp[n++]);
		made[nmade++] = nst_proc_ns_ino(a, "uts");
		made[nmade++] = nst_proc_ns_ino(a, "ipc");
		made[nmade++] = nst_proc_ns_ino(a, "net");
		b = spawn(CLONE_NEWPID | CLONE_NEWUTS, 0, 0, true, "libns-lsns-pid", &rp[n++]);
		made[nmade++] = nst_proc_ns_ino(b, "pid");
		made[nmade++] = nst_proc_ns_ino(b, "uts");
		b = spawn(CLONE_NEWUSER | CLONE_NEWNET, 0, 0, false, "libns-lsns-user", &rp[n++]);
		made[nmade++] = nst_proc_ns_ino(b, "user");
		made[nmade++] = nst_proc_ns_ino(b, "net");
		spawn(0, b, NS_TYPE_USER | NS_TYPE_NET, false, NULL, &rp[n++]);
		b = spawn(CLONE_NEWTIME | CLONE_NEWCGROUP, 0, 0, true, NULL, &rp[n++]);
		made[nmade++] = nst_proc_ns_ino(b, "time");
		made[nmade++] = nst_proc_ns_ino(b, "cgroup");
	}
	/* a zombie in a new user namespace: lsns and ns_list both count it there (its creds live on) */
	zombie = fork();
	ck_assert_int_ge(zombie, 0);
	if (zombie == 0) {
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(1);
		_exit(0);
	}
	{
		siginfo_t si;

		ck_assert_int_eq(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT), 0);
		ck_assert_int_eq(si.si_status, 0);
		made[nmade++] = nst_proc_ns_ino(zombie, "user");
		ck_assert_uint_ne(made[nmade - 1], 0);
	}
	/* one held only by our fd, one only by a bind mount */
	{
		pid_t r, a = spawn(CLONE_NEWNET, 0, 0, false, NULL, &r);

		fdheld = ns_open(a, NS_TYPE_NET, 0);
		ck_assert_int_ge(fdheld, 0);
		reap(r);
		nst_tmpdir(dir, sizeof(dir), "lsns");
		snprintf(file, sizeof(file), "%s/uts", dir);
		close(open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
		a = spawn(CLONE_NEWUTS, 0, 0, false, NULL, &r);
		snprintf(src, sizeof(src), "/proc/%d/ns/uts", (int)a);
		ck_assert_int_eq(mount(src, file, "none", MS_BIND, NULL), 0);
		reap(r);
	}

	/*
	 * Other programs may run meanwhile. A window is quiet when no pid was allocated in it but
	 * the two lsns runs: then no process can have come and gone unseen by both lsns runs, and
	 * every difference must be explained by the two runs disagreeing or a process having exited.
	 * Retry until a quiet window in which everything agrees, for up to 30 seconds.
	 */
	for (int attempt = 0; !agreed && time(NULL) < deadline; attempt++) {
		const char *bad;
		long last0 = last_pid(), last1;
		bool ok1, ok2, quiet;

		if (attempt)
			usleep(20000);
		ok1 = run_lsns(&before);
		l = list_or_fail(0, 0);
		ok2 = run_lsns(&after);
		last1 = last_pid();
		quiet = ok1 && ok2 && before.lsns_pid == last0 + 1 && after.lsns_pid == before.lsns_pid + 1 &&
			last1 == after.lsns_pid;
		/* lsns fails when a process vanishes at the wrong moment; and it counted itself */
		if (!ok1 || !ok2 || !adjust_for_lsns(&before, self) || !adjust_for_lsns(&after, self)) {
			ns_list_free(l);
			continue;
		}
		bad = compare(&before, &after, l, &excused, msg, sizeof(msg));
		ck_assert_msg(!quiet || bad == NULL, "attempt %d (quiet): %s", attempt, bad);
		/* what the test made is stable, quiet or not: never excused */
		for (int i = 0; i < nmade; i++) {
			const struct row *r = find_row(&before, made[i]);

			ck_assert_msg(r != NULL, "lsns does not list namespace %llu the test made", made[i]);
			ck_assert_msg(same_row(r, find_row(&after, made[i])), "namespace %llu changed", made[i]);
			e = NULL;
			for (size_t k = 0; k < ns_list_count(l); k++)
				if (ns_list_get(l, k)->id.ino == made[i])
					e = ns_list_get(l, k);
			ck_assert_msg(e && strcmp(ns_type_name(e->type), r->type) == 0 && e->nprocs == r->nprocs &&
				      e->pid == r->pid, "namespace %llu the test made: lsns says %s %u %d", made[i],
				      r->type, r->nprocs, r->pid);
		}
		agreed = quiet && bad == NULL && excused == 0;
		if (agreed) {
			/* and the ones lsns cannot see */
			e = NULL;
			for (size_t k = 0; k < ns_list_count(l); k++)
				if (ns_list_get(l, k)->id.ino == fd_ino(fdheld))
					e = ns_list_get(l, k);
			ck_assert_ptr_nonnull(e);
			ck_assert_uint_eq(e->held_by, NS_HELD_BY_FD);
			ck_assert_ptr_null(find_row(&before, e->id.ino));
			{
				int mfd = ns_open_path(file, NS_TYPE_UTS, 0);

				ck_assert_int_ge(mfd, 0);
				e = NULL;
				for (size_t k = 0; k < ns_list_count(l); k++)
					if (ns_list_get(l, k)->id.ino == fd_ino(mfd))
						e = ns_list_get(l, k);
				close(mfd);
			}
			ck_assert_ptr_nonnull(e);
			ck_assert_uint_eq(e->held_by, NS_HELD_BY_MOUNT);
			printf("list_matches_lsns: %d namespaces agree with lsns (attempt %d)\n", before.n, attempt);
		}
		ns_list_free(l);
	}
	ck_assert_msg(agreed, "no quiet moment to compare with lsns in 30 s (processes start all the time)");

	close(fdheld);
	ck_assert_int_eq(umount2(file, MNT_DETACH), 0);
	unlink(file);
	rmdir(dir);
	waitpid(zombie, NULL, 0);
	while (n > 0)
		reap(rp[--n]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("list");
	TCase *tc = nst_tcase("list");
	const char *root = nst_need_root();
	const char *lsns = system("lsns --version >/dev/null 2>&1") == 0 ? NULL : "needs util-linux lsns";

	nst_add(tc, list_finds_own_namespaces, NULL);
	nst_add(tc, list_counts_processes, root);
	nst_add(tc, list_reports_owner_and_parent, root);
	nst_add(tc, list_includes_ancestors_without_processes, root);
	nst_add(tc, list_finds_fd_held, root);
	nst_add(tc, list_finds_mount_held, root);
	nst_add(tc, list_filters_types, NULL);
	nst_add(tc, list_rejects_bad_arguments, NULL);
	nst_add(tc, list_without_ns_id, NULL);
	nst_add(tc, list_unprivileged, root);
	nst_add(tc, list_fails_cleanly_without_fds, NULL);
	nst_add(tc, list_matches_lsns, root ? root : lsns ? lsns : nst_need_feature(NS_FEATURE_TIME_NS));
	suite_add_tcase(s, tc);
	return nst_run(s);
}
