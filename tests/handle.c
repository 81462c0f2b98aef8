/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long long)st.st_ino;
}

static void assert_is_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	ck_assert_int_ge(fl, 0);
	ck_assert_msg(fl & FD_CLOEXEC, "fd %d is not close-on-exec", fd);
}

START_TEST(open_self_matches_proc)
{
	for (int i = 0; i < NTYPES; i++) {
		int fd = ns_open(0, every_type[i], 0);

		ck_assert_msg(fd >= 0, "ns_open(0, %s): %s", ns_type_name(every_type[i]), ns_last_error());
		assert_is_cloexec(fd);
		ck_assert_uint_eq(fd_ino(fd), nst_proc_ns_ino(0, ns_type_name(every_type[i])));
		ck_assert_int_eq(ns_type_of(fd), every_type[i]);
		close(fd);
	}
}
END_TEST

/* A target in fresh uts, ipc, net, mnt and cgroup namespaces: every answer must be its own, not ours. */
static void check_target_answers(bool by_pidfd)
{
	int pidfd = -1;
	pid_t pid = nst_spawn_target(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWCGROUP,
				     &pidfd);

	ck_assert_int_gt(pid, 0);
	for (int i = 0; i < NTYPES; i++) {
		const char *name = ns_type_name(every_type[i]);
		int fd = by_pidfd ? ns_open_pidfd(pidfd, every_type[i], 0) : ns_open(pid, every_type[i], 0);

		ck_assert_msg(fd >= 0, "open %s of %d: %s", name, (int)pid, ns_last_error());
		assert_is_cloexec(fd);
		ck_assert_uint_eq(fd_ino(fd), nst_proc_ns_ino(pid, name));
		close(fd);
	}
	ck_assert_uint_ne(nst_proc_ns_ino(pid, "net"), nst_proc_ns_ino(0, "net"));
	nst_kill(pid, &pidfd);
}

START_TEST(open_pid_matches_proc) { check_target_answers(false); }
END_TEST
START_TEST(open_pidfd_matches_proc) { check_target_answers(true); }
END_TEST

/* The fallbacks must give the same answers as the newest paths. */
START_TEST(open_pid_without_pidfd_ioctls)
{
	nst_disable_features("pidfd_get_ns");
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_PIDFD_GET_NS), 0);
	check_target_answers(false);
}
END_TEST
START_TEST(open_pidfd_without_pidfd_ioctls)
{
	nst_disable_features("pidfd_get_ns");
	check_target_answers(true);
}
END_TEST
START_TEST(open_pid_without_pidfds)
{
	nst_disable_features("pidfd,pidfd_get_ns,pidfd_setns");
	check_target_answers(false);
}
END_TEST

START_TEST(open_for_children)
{
	pid_t pid = nst_spawn_target(CLONE_NEWPID, NULL);
	int cur, kids;

	ck_assert_int_gt(pid, 0);
	cur = ns_open(pid, NS_TYPE_PID, 0);
	kids = ns_open(pid, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	ck_assert_int_ge(cur, 0);
	ck_assert_int_ge(kids, 0);
	ck_assert_int_eq(ns_equal(cur, kids), 0);
	ck_assert_uint_eq(fd_ino(kids), nst_proc_ns_ino(pid, "pid_for_children"));
	ck_assert_uint_eq(fd_ino(cur), nst_proc_ns_ino(0, "pid"));
	close(cur);
	close(kids);
	ck_assert_int_eq(ns_open(pid, NS_TYPE_NET, NS_OPEN_FOR_CHILDREN), -EINVAL);
	nst_kill(pid, NULL);
}
END_TEST

START_TEST(open_rejects_bad_arguments)
{
	ck_assert_int_eq(ns_open(0, 0, 0), -EINVAL);
	ck_assert_int_eq(ns_open(0, NS_TYPE_NET | NS_TYPE_PID, 0), -EINVAL);
	ck_assert_int_eq(ns_open(0, 0x1, 0), -EINVAL);
	ck_assert_int_eq(ns_open(0, NS_TYPE_NET, 0x80), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "unknown flag"));
	ck_assert_int_eq(ns_open(-5, NS_TYPE_NET, 0), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static void check_dead_and_zombie(void)
{
	pid_t dead = nst_dead_pid(), zombie;

	ck_assert_int_eq(ns_open(dead, NS_TYPE_NET, 0), -ESRCH);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "process"));
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	/* wait until it is a zombie without reaping it */
	siginfo_t si;
	ck_assert_int_eq(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(ns_open(zombie, NS_TYPE_NET, 0), -ESRCH);
	ck_assert_int_eq(ns_open(zombie, NS_TYPE_USER, 0), -ESRCH);
	/* not "no first process yet": the fallbacks must tell a zombie's pid_for_children apart */
	ck_assert_int_eq(ns_open(zombie, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN), -ESRCH);
	waitpid(zombie, NULL, 0);
}

START_TEST(open_dead_and_zombie) { check_dead_and_zombie(); }
END_TEST
START_TEST(open_dead_and_zombie_fallback)
{
	nst_disable_features("pidfd_get_ns");
	check_dead_and_zombie();
}
END_TEST
START_TEST(open_dead_and_zombie_without_pidfds)
{
	nst_disable_features("pidfd,pidfd_get_ns,pidfd_setns");
	check_dead_and_zombie();
}
END_TEST

START_TEST(open_pidfd_rejects_non_pidfds)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC), pidfd;
	pid_t pid;

	ck_assert_int_eq(ns_open_pidfd(devnull, NS_TYPE_NET, 0), -EINVAL);
	ck_assert_int_eq(ns_open_pidfd(-1, NS_TYPE_NET, 0), -EBADF);
	ck_assert_int_eq(ns_open_pidfd(999, NS_TYPE_NET, 0), -EBADF);
	close(devnull);
	/* issue 9 #6: an open O_PATH fd is open, and not a pidfd */
	devnull = open("/dev/null", O_PATH | O_CLOEXEC);
	ck_assert_int_eq(ns_open_pidfd(devnull, NS_TYPE_NET, 0), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a pidfd"));
	close(devnull);
	pid = fork();
	if (pid == 0)
		_exit(0);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	ck_assert_int_ge(pidfd, 0);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(ns_open_pidfd(pidfd, NS_TYPE_NET, 0), -ESRCH);
	close(pidfd);
}
END_TEST

/*
 * An open O_PATH fd takes no ioctl and no setns (the kernel says EBADF): it is still an open fd, so
 * one that is not a namespace or not a pidfd gets EINVAL as any other such fd does; an O_PATH
 * namespace file keeps EBADF, with a message that says how to open it.
 */
START_TEST(o_path_fds_get_the_documented_errno)
{
	int other = open("/dev/null", O_PATH | O_CLOEXEC), nsfs = open("/proc/self/ns/uts", O_PATH | O_CLOEXEC);
	unsigned joined = 0;
	uid_t uid;

	ck_assert(other >= 0 && nsfs >= 0);
	ck_assert_int_eq(ns_type_of(other), -EINVAL);
	ck_assert_int_eq(ns_get_owner_uid(other, &uid), -EINVAL);
	ck_assert_int_eq(ns_enter(other, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a namespace"));
	ck_assert_int_eq(ns_enter_pidfd(other, NS_TYPE_UTS, 0, &joined), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a pidfd"));
	ck_assert_int_eq(ns_can_enter(other), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "ns_can_enter: "));
	ck_assert_int_eq(ns_type_of(nsfs), -EBADF);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "O_PATH"));
	ck_assert_int_eq(ns_enter(nsfs, 0), -EBADF);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "O_PATH"));
	close(other);
	close(nsfs);
}
END_TEST

START_TEST(open_path_checks_nsfs_and_type)
{
	int fd = ns_open_path("/proc/self/ns/net", NS_TYPE_NET, 0);

	ck_assert_int_ge(fd, 0);
	assert_is_cloexec(fd);
	ck_assert_uint_eq(fd_ino(fd), nst_proc_ns_ino(0, "net"));
	close(fd);
	fd = ns_open_path("/proc/self/ns/uts", 0, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_type_of(fd), NS_TYPE_UTS);
	close(fd);
	ck_assert_int_eq(ns_open_path("/proc/self/ns/net", NS_TYPE_PID, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "net namespace, not pid"));
	ck_assert_int_eq(ns_open_path("/etc/passwd", 0, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a namespace"));
	ck_assert_int_eq(ns_open_path("/proc", 0, 0), -EINVAL);
	ck_assert_int_eq(ns_open_path("/nonexistent/ns", 0, 0), -ENOENT);
	ck_assert_int_eq(ns_open_path("", 0, 0), -EINVAL);
	ck_assert_int_eq(ns_open_path(NULL, 0, 0), -EINVAL);
	ck_assert_int_eq(ns_open_path("/proc/self/ns/net", NS_TYPE_NET | NS_TYPE_UTS, 0), -EINVAL);
	ck_assert_int_eq(ns_open_path("/proc/self/ns/net", 0, 1), -EINVAL);
}
END_TEST

START_TEST(type_of_rejects_non_namespaces)
{
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_type_of(fd), -EINVAL);
	close(fd);
	ck_assert_int_eq(ns_type_of(-1), -EBADF);
	ck_assert_int_eq(ns_type_of(1000), -EBADF);
}
END_TEST

START_TEST(get_id_matches_kernel)
{
	for (int i = 0; i < NTYPES; i++) {
		struct ns_id id;
		struct stat st;
		uint64_t raw = 0;
		int fd = ns_open(0, every_type[i], 0);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(ns_get_id(fd, &id), 0);
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert_uint_eq(id.ino, (uint64_t)st.st_ino);
		ck_assert_uint_eq(id.dev, (uint64_t)st.st_dev);
		if (ioctl(fd, NS_GET_ID, &raw) == 0) {
			ck_assert_uint_ne(id.id, 0);
			ck_assert_uint_eq(id.id, raw);
		} else {
			ck_assert_uint_eq(id.id, 0);
		}
		close(fd);
	}
}
END_TEST

START_TEST(get_id_without_ns_id)
{
	struct ns_id id;
	int fd;

	nst_disable_features("ns_id");
	fd = ns_open(0, NS_TYPE_NET, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	ck_assert_uint_eq(id.id, 0);
	ck_assert_uint_eq(id.ino, nst_proc_ns_ino(0, "net"));
	close(fd);
}
END_TEST

START_TEST(get_id_rejects_bad_fds)
{
	struct ns_id id;
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	ck_assert_int_eq(ns_get_id(fd, &id), -EINVAL);
	ck_assert_int_eq(ns_get_id(-1, &id), -EBADF);
	ck_assert_int_eq(ns_get_id(fd, NULL), -EINVAL);
	close(fd);
}
END_TEST

START_TEST(equal_compares_identity)
{
	int a = ns_open(0, NS_TYPE_NET, 0), b = ns_open_path("/proc/self/ns/net", 0, 0);
	int c = ns_open(0, NS_TYPE_UTS, 0), f = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	pid_t pid = nst_spawn_target(CLONE_NEWNET, NULL);
	int other = ns_open(pid, NS_TYPE_NET, 0);

	ck_assert_int_eq(ns_equal(a, b), 1);
	ck_assert_int_eq(ns_equal(a, a), 1);
	ck_assert_int_eq(ns_equal(a, c), 0);
	ck_assert_int_eq(ns_equal(a, other), 0);
	ck_assert_int_eq(ns_equal(a, f), -EINVAL);
	ck_assert_int_eq(ns_equal(f, a), -EINVAL);
	ck_assert_int_eq(ns_equal(a, -1), -EBADF);
	close(a); close(b); close(c); close(f); close(other);
	nst_kill(pid, NULL);
}
END_TEST

START_TEST(open_by_id_round_trip)
{
	pid_t pid = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	struct ns_id id;
	int fd = ns_open(pid, NS_TYPE_NET, 0), again;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	ck_assert_uint_ne(id.id, 0);
	again = ns_open_by_id(id.id, NS_TYPE_NET, 0);
	ck_assert_msg(again >= 0, "ns_open_by_id: %s", ns_last_error());
	assert_is_cloexec(again);
	ck_assert_int_eq(ns_equal(fd, again), 1);
	close(again);
	again = ns_open_by_id(id.id, 0, 0);
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(ns_equal(fd, again), 1);
	close(again);
	ck_assert_int_eq(ns_open_by_id(id.id, NS_TYPE_UTS, 0), -ENOENT);
	ck_assert_int_eq(ns_open_by_id(0, NS_TYPE_NET, 0), -EINVAL);
	ck_assert_int_eq(ns_open_by_id(UINT64_MAX - 7, NS_TYPE_NET, 0), -ENOENT);
	ck_assert_int_eq(ns_open_by_id(id.id, NS_TYPE_NET, 4), -EINVAL);
	ck_assert_int_eq(ns_open_by_id(id.id, 3, 0), -EINVAL);
	nst_kill(pid, NULL);
	close(fd);
}
END_TEST

/* Namespaces no process is in any more: held only by an open fd, then only by a bind mount. */
START_TEST(open_by_id_held_by_fd_or_mount)
{
	pid_t pid = nst_spawn_target(CLONE_NEWUTS, NULL);
	char dir[64], pin[96];
	struct ns_id id;
	int held = ns_open(pid, NS_TYPE_UTS, 0), again;

	ck_assert_int_ge(held, 0);
	ck_assert_int_eq(ns_get_id(held, &id), 0);
	nst_kill(pid, NULL);
	again = ns_open_by_id(id.id, NS_TYPE_UTS, 0);
	ck_assert_msg(again >= 0, "held by an fd: %s", ns_last_error());
	ck_assert_int_eq(ns_equal(held, again), 1);
	close(again);

	/* a private mount namespace, so the pin is invisible to the rest of the system and dies with us */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	nst_tmpdir(dir, sizeof(dir), "handle");
	snprintf(pin, sizeof(pin), "%s/uts", dir);
	ck_assert_int_eq(ns_pin(held, pin, 0), 0);
	close(held);
	again = ns_open_by_id(id.id, 0, 0);
	ck_assert_msg(again >= 0, "held by a mount: %s", ns_last_error());
	ck_assert_int_eq(ns_type_of(again), NS_TYPE_UTS);
	close(again);
	ck_assert_int_eq(ns_unpin(pin, 0), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(ns_open_by_id(id.id, NS_TYPE_UTS, 0), -ENOENT);
}
END_TEST

START_TEST(open_by_id_unsupported)
{
	nst_disable_features("nsfs_handle");
	ck_assert_int_eq(ns_open_by_id(1, NS_TYPE_NET, 0), -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "6.18"));
}
END_TEST

START_TEST(pidfd_open_wrapper)
{
	pid_t dead = nst_dead_pid();
	int fd = ns_pidfd_open(0, 0);

	ck_assert_int_ge(fd, 0);
	assert_is_cloexec(fd);
	close(fd);
	ck_assert_int_eq(ns_pidfd_open(dead, 0), -ESRCH);
	ck_assert_int_eq(ns_pidfd_open(-3, 0), -EINVAL);
	ck_assert_int_eq(ns_pidfd_open(0, 1), -EINVAL);
}
END_TEST

/* Unprivileged callers: the kernel's ptrace rule decides, and the message says so. */
static void unprivileged_open_of_root_process(const char *disable)
{
	pid_t target = nst_spawn_target(CLONE_NEWNET, NULL), child;

	ck_assert_int_gt(target, 0);
	child = nst_fork_unprivileged();
	if (child == 0) {
		int fd;

		if (disable)
			nst_disable_features(disable);
		NST_CHILD_CHECK(ns_open(target, NS_TYPE_NET, 0) == -EACCES);
		NST_CHILD_CHECK(errno == EACCES);
		NST_CHILD_CHECK(strstr(ns_last_error(), "ptrace") != NULL);
		/* its own namespaces are always open to it */
		fd = ns_open(0, NS_TYPE_NET, 0);
		NST_CHILD_CHECK(fd >= 0);
		close(fd);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	nst_kill(target, NULL);
}

START_TEST(unprivileged_open) { unprivileged_open_of_root_process(NULL); }
END_TEST
START_TEST(unprivileged_open_fallback) { unprivileged_open_of_root_process("pidfd_get_ns"); }
END_TEST

/* Does this kernel resolve an nsfs handle from id and type alone (no inode number)? */
static bool handles_by_id_alone(void)
{
	struct {
		struct file_handle fh;
		struct ns_compat_nsfs_file_handle nsfh;
	} h = { .fh = { .handle_bytes = sizeof(h.nsfh), .handle_type = FILEID_NSFS } };
	uint64_t id = 0;
	int self = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC), fd;

	ioctl(self, NS_GET_ID, &id);
	close(self);
	h.nsfh.ns_id = id;
	h.nsfh.ns_type = NS_TYPE_UTS;
	fd = open_by_handle_at(FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/*
 * Where the kernel looks namespaces up by id alone it answers EPERM for one the caller may not open.
 * On 6.18 libns must find the inode number in /proc first, and an unprivileged caller cannot read
 * root's processes' ns links, so the namespace is simply not found.
 */
START_TEST(unprivileged_open_by_id)
{
	const int expected = handles_by_id_alone() ? -EPERM : -ENOENT;
	pid_t target = nst_spawn_target(CLONE_NEWNET, NULL), child;
	struct ns_id id;
	int fd = ns_open(target, NS_TYPE_NET, 0);

	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	close(fd);
	child = nst_fork_unprivileged();
	if (child == 0) {
		NST_CHILD_CHECK(ns_open_by_id(id.id, NS_TYPE_NET, 0) == expected);
		NST_CHILD_CHECK(strstr(ns_last_error(), expected == -EPERM ? "CAP_SYS_ADMIN" : "visible process") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	nst_kill(target, NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("handle");
	TCase *tc = nst_tcase("handle");
	const char *root = nst_need_root();
	const char *ids = nst_need_feature(NS_FEATURE_NSFS_HANDLE);

	nst_add(tc, open_self_matches_proc, NULL);
	nst_add(tc, open_pid_matches_proc, root);
	nst_add(tc, open_pidfd_matches_proc, root);
	nst_add(tc, open_pid_without_pidfd_ioctls, root);
	nst_add(tc, open_pidfd_without_pidfd_ioctls, root);
	nst_add(tc, open_pid_without_pidfds, root);
	nst_add(tc, open_for_children, root);
	nst_add(tc, open_rejects_bad_arguments, NULL);
	nst_add(tc, open_dead_and_zombie, NULL);
	nst_add(tc, open_dead_and_zombie_fallback, NULL);
	nst_add(tc, open_dead_and_zombie_without_pidfds, NULL);
	nst_add(tc, open_pidfd_rejects_non_pidfds, NULL);
	nst_add(tc, o_path_fds_get_the_documented_errno, NULL);
	nst_add(tc, open_path_checks_nsfs_and_type, NULL);
	nst_add(tc, type_of_rejects_non_namespaces, NULL);
	nst_add(tc, get_id_matches_kernel, NULL);
	nst_add(tc, get_id_without_ns_id, NULL);
	nst_add(tc, get_id_rejects_bad_fds, NULL);
	nst_add(tc, equal_compares_identity, root);
	nst_add(tc, open_by_id_round_trip, root ? root : ids);
	nst_add(tc, open_by_id_held_by_fd_or_mount, root ? root : ids);
	nst_add(tc, open_by_id_unsupported, NULL);
	nst_add(tc, pidfd_open_wrapper, NULL);
	nst_add(tc, unprivileged_open, root);
	nst_add(tc, unprivileged_open_fallback, root);
	nst_add(tc, unprivileged_open_by_id, root ? root : ids);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
