/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The old-kernel profiles (tests/tools/kernel-profile.c) and what libns makes of them. Run natively, the
 * "kernel" is uname's release; run as `kernel-profile 5.10 -- test-oldkernel`, it is 5.10. Either
 * way: each raw interface answers as that release does, ns_features() reports exactly that
 * release's set, and the library's fallbacks give the same answers as the newest paths.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"
#include "compat.h"

#define V(major, minor) ((major) * 1000 + (minor))

/* The release whose interfaces this process sees. */
static int kernel_level(void)
{
	const char *p = getenv("LIBNS_KERNEL_PROFILE");
	struct utsname u;
	int major = 0, minor = 0;

	if (!p) {
		if (uname(&u) < 0)
			return 0;
		p = u.release;
	}
	if (sscanf(p, "%d.%d", &major, &minor) != 2)
		return 0;
	return V(major, minor);
}

/* Each feature and the release that brought it (see nst_need_feature's reasons). */
static const struct {
	int feature;
	int since;
} feature_since[] = {
	{ NS_FEATURE_PIDFD, V(5, 3) },
	{ NS_FEATURE_PIDFD_SETNS, V(5, 8) },
	{ NS_FEATURE_PIDFD_GET_NS, V(6, 11) },
	{ NS_FEATURE_CLONE3, V(5, 3) },
	{ NS_FEATURE_NS_ID, V(6, 18) },
	{ NS_FEATURE_NSFS_HANDLE, V(6, 18) },
	{ NS_FEATURE_PID_TRANSLATE, V(6, 11) },
	{ NS_FEATURE_LISTNS, V(6, 19) },
	{ NS_FEATURE_TIME_NS, V(5, 6) },
	{ NS_FEATURE_CLONE_INTO_CGROUP, V(5, 7) },
	{ NS_FEATURE_MOUNT_API, V(5, 2) },
};

START_TEST(features_match_kernel_level)
{
	int level = kernel_level(), expected = 0, got = ns_features();

	ck_assert_int_gt(level, 0);
	for (size_t i = 0; i < sizeof(feature_since) / sizeof(feature_since[0]); i++) {
		int f = feature_since[i].feature, want = level >= feature_since[i].since;

		if (want)
			expected |= f;
		ck_assert_msg(ns_has_feature(f) == want, "%s: ns_has_feature says %d, Linux %d.%d %s it",
			      ns_feature_name(f), ns_has_feature(f), level / 1000, level % 1000,
			      want ? "has" : "lacks");
		/* the skip reason a suite prints names the release the profile lacks */
		if (!want)
			ck_assert_ptr_nonnull(strstr(nst_need_feature(f), "not available before Linux"));
		else
			ck_assert_ptr_null(nst_need_feature(f));
	}
	/* BPF iterators also need libns built with libbpf and the kernel's BTF: only "not before 5.8" is sure */
	if (level < V(5, 8))
		ck_assert_int_eq(ns_has_feature(NS_FEATURE_BPF_ITER), 0);
	ck_assert_int_eq(got & ~NS_FEATURE_BPF_ITER, expected);
}
END_TEST

/* -errno of a raw syscall, or its non-negative result */
static long raw(long r)
{
	return r < 0 ? -errno : r;
}

static void expect_result(const char *what, long r, int level, int since, long want_new, long want_old)
{
	long want = level >= since ? want_new : want_old;

	if (want == INT_MAX) /* "any fd" */
		ck_assert_msg(r >= 0, "%s: %ld, expected an fd (Linux %d.%d)", what, r, level / 1000, level % 1000);
	else
		ck_assert_msg(r == want, "%s: %ld, expected %ld (Linux %d.%d)", what, r, want, level / 1000,
			      level % 1000);
	if (r > 2 && want == INT_MAX)
		close((int)r);
}

/* The raw interfaces fail exactly as the release does; the profile does not over-block either. */
START_TEST(raw_interfaces_match_kernel_level)
{
	int level = kernel_level();
	int pidfd, uts, mnt, pidns, fd;
	struct ns_compat_clone_args args = { .flags = CLONE_INTO_CGROUP, .cgroup = INT_MAX };
	struct {
		struct file_handle fh;
		unsigned char data[64];
	} h;
	uint64_t id;
	int mount_id;

	pidfd = (int)raw(syscall(__NR_pidfd_open, getpid(), 0));
	expect_result("pidfd_open", pidfd, level, V(5, 3), INT_MAX, -ENOSYS);
	if (pidfd < 0)
		return;
	pidfd = (int)syscall(__NR_pidfd_open, getpid(), 0);
	expect_result("pidfd_open(PIDFD_NONBLOCK)", raw(syscall(__NR_pidfd_open, getpid(), O_NONBLOCK)), level,
		      V(5, 10), INT_MAX, -EINVAL);
	expect_result("pidfd_send_signal(0)", raw(syscall(__NR_pidfd_send_signal, pidfd, 0, NULL, 0)), level,
		      V(5, 1), 0, -ENOSYS);
	expect_result("clone3(NULL, 0)", raw(syscall(__NR_clone3, NULL, 0)), level, V(5, 3), -EINVAL, -ENOSYS);
	/* no child can come of it: the cgroup fd is invalid (5.7+) or the struct/flag is refused first */
	expect_result("clone3(CLONE_INTO_CGROUP)", raw(syscall(__NR_clone3, &args, sizeof(args))), level, V(5, 7),
		      -EBADF, level >= V(5, 3) ? -E2BIG : -ENOSYS);
	expect_result("ioctl PIDFD_GET_UTS_NAMESPACE", raw(ioctl(pidfd, PIDFD_GET_UTS_NAMESPACE, 0)), level,
		      V(6, 11), INT_MAX, -ENOTTY);
	uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ck_assert(uts >= 0 && mnt >= 0 && pidns >= 0);
	expect_result("ioctl NS_GET_ID", raw(ioctl(uts, NS_GET_ID, &id)), level, V(6, 18), 0, -ENOTTY);
	expect_result("ioctl NS_GET_MNTNS_ID", raw(ioctl(mnt, NS_GET_MNTNS_ID, &id)), level, V(6, 8), 0, -ENOTTY);
	expect_result("ioctl NS_GET_PID_FROM_PIDNS", raw(ioctl(pidns, NS_GET_PID_FROM_PIDNS, getpid())), level,
		      V(6, 11), getpid(), -ENOTTY);
	/* still works everywhere: the profile must not touch the old nsfs ioctls */
	ck_assert_int_eq(ioctl(uts, NS_GET_NSTYPE), CLONE_NEWUTS);
	h.fh.handle_bytes = sizeof(h.data);
	expect_result("name_to_handle_at(nsfs fd)", raw(name_to_handle_at(uts, "", &h.fh, &mount_id, AT_EMPTY_PATH)),
		      level, V(6, 18), 0, -EOPNOTSUPP);
	h.fh.handle_bytes = sizeof(h.data);
	expect_result("name_to_handle_at(/proc/self/ns/uts)",
		      raw(name_to_handle_at(AT_FDCWD, "/proc/self/ns/uts", &h.fh, &mount_id, AT_SYMLINK_FOLLOW)),
		      level, V(6, 18), 0, -EOPNOTSUPP);
	expect_result("open_by_handle_at(FD_NSFS_ROOT)",
		      raw(open_by_handle_at(FD_NSFS_ROOT, &h.fh, O_RDONLY)), level, V(6, 18), INT_MAX,
		      geteuid() == 0 ? -EBADF : -EPERM);
	expect_result("listns", raw(syscall(__NR_listns, NULL, NULL, 0, 0)), level, V(6, 19), -EFAULT, -ENOSYS);
	/* a zero size is refused before anything is opened */
	expect_result("openat2", raw(syscall(437, AT_FDCWD, "/", NULL, 0)), level, V(5, 6), -EINVAL, -ENOSYS);
	fd = (int)raw(syscall(__NR_open_tree, AT_FDCWD, "/", OPEN_TREE_CLOEXEC));
	expect_result("open_tree", fd, level, V(5, 2), INT_MAX, -ENOSYS);
	if (geteuid() == 0) {
		/* re-entering our own namespaces changes nothing */
		expect_result("setns(pidfd, CLONE_NEWUTS)", raw(syscall(__NR_setns, pidfd, CLONE_NEWUTS)), level,
			      V(5, 8), 0, -EINVAL);
		expect_result("setns(nsfs, CLONE_NEWUTS)", raw(syscall(__NR_setns, uts, CLONE_NEWUTS)), level, 0, 0, 0);
		expect_result("setns(nsfs, 0)", raw(syscall(__NR_setns, uts, 0)), level, 0, 0, 0);
	}
	expect_result("setns(-1)", raw(syscall(__NR_setns, -1, CLONE_NEWUTS)), level, 0, -EBADF, -EBADF);
	close(uts);
	close(mnt);
	close(pidns);
	close(pidfd);
}
END_TEST

/* unshare(CLONE_NEWTIME) and clone3(CLONE_NEWTIME): 5.6; in a child, the namespace is of no use here */
START_TEST(time_namespace_matches_kernel_level)
{
	int level = kernel_level();
	struct ns_compat_clone_args args = { .flags = CLONE_NEWTIME, .exit_signal = SIGCHLD };
	pid_t pid = fork();
	long r;
	int st;

	if (pid == 0)
		_exit(unshare(CLONE_NEWTIME) == 0 ? 0 : errno);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), level >= V(5, 6) ? 0 : EINVAL);
	r = raw(syscall(__NR_clone3, &args, 64));
	if (r == 0)
		_exit(0);
	if (r > 0)
		ck_assert_int_eq(waitpid((pid_t)r, &st, 0), r);
	ck_assert_msg(level >= V(5, 6) ? r > 0 : r == -EINVAL, "clone3(CLONE_NEWTIME): %ld", r);
	/* what libns makes of it */
	if (level < V(5, 6)) {
		ck_assert_int_eq(ns_has_feature(NS_FEATURE_TIME_NS), 0);
		ck_assert_int_eq(ns_unshare(NS_TYPE_TIME, 0), -EOPNOTSUPP);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "5.6"));
		ck_assert_int_eq(ns_open(0, NS_TYPE_TIME, 0), -EOPNOTSUPP);
	} else {
		ck_assert_int_eq(ns_has_feature(NS_FEATURE_TIME_NS), 1);
	}
}
END_TEST

static int report_uts_ino(void *arg)
{
	int fd = *(int *)arg;
	struct stat st;

	if (stat("/proc/thread-self/ns/uts", &st) < 0)
		return 2;
	return write(fd, &st.st_ino, sizeof(st.st_ino)) == (ssize_t)sizeof(st.st_ino) ? 0 : 3;
}

static int pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* End to end at this level: spawn into new namespaces, open them, enter them, identify them. */
START_TEST(spawn_open_enter_at_kernel_level)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	unsigned long long uts_ino;
	struct ns_id id;
	int pidfd = -1, fd, byid, pipefd[2], st;
	pid_t pid;

	o.new_types = NS_TYPE_UTS | NS_TYPE_NET | NS_TYPE_IPC;
	o.hostname = "oldkernel";
	pid = ns_spawn(&o, pause_forever, NULL, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	uts_ino = nst_proc_ns_ino(pid, "uts");
	ck_assert_uint_ne(uts_ino, nst_proc_ns_ino(0, "uts"));

	fd = ns_open(pid, NS_TYPE_UTS, 0);
	ck_assert_msg(fd >= 0, "%s", ns_last_error());
	ck_assert_int_eq(ns_get_id(fd, &id), 0);
	ck_assert_uint_eq(id.ino, uts_ino);
	/* the 64-bit id where the kernel has one (6.18), 0 before; open by id only where handles exist */
	ck_assert(ns_has_feature(NS_FEATURE_NS_ID) ? id.id != 0 : id.id == 0);
	if (ns_has_feature(NS_FEATURE_NSFS_HANDLE)) {
		byid = ns_open_by_id(id.id, NS_TYPE_UTS, 0);
		ck_assert_msg(byid >= 0, "%s", ns_last_error());
		ck_assert_int_eq(ns_equal(byid, fd), 1);
		close(byid);
	} else {
		ck_assert_int_eq(ns_open_by_id(1, NS_TYPE_UTS, 0), -EOPNOTSUPP);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "6.18"));
	}
	close(fd);
	fd = ns_open_pidfd(pidfd, NS_TYPE_NET, 0);
	ck_assert_msg(fd >= 0, "%s", ns_last_error());
	{
		struct stat sb;

		ck_assert_int_eq(fstat(fd, &sb), 0);
		ck_assert_uint_eq(nst_proc_ns_ino(pid, "net"), (unsigned long long)sb.st_ino);
	}
	close(fd);

	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_UTS | NS_TYPE_NET, report_uts_ino, &pipefd[1], 0), 0);
	{
		ino_t seen = 0;

		ck_assert_int_eq(read(pipefd[0], &seen, sizeof(seen)), (ssize_t)sizeof(seen));
		ck_assert_uint_eq((unsigned long long)seen, uts_ino);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	ck_assert_msg(ns_enter_pidfd(pidfd, NS_TYPE_UTS | NS_TYPE_IPC, 0, NULL) == 0, "%s", ns_last_error());
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), uts_ino);

	ck_assert_int_eq(syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0), 0);
	ck_assert_int_eq(ns_wait(pidfd, &st), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(pidfd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oldkernel");
	TCase *tc = nst_tcase("oldkernel");
	const char *root = nst_need_root(), *pidfd = nst_need_feature(NS_FEATURE_PIDFD);
	/* valgrind answers ENOSYS for pidfd_open, clone3, openat2, open_tree: a kernel level of its own */
	const char *vg = getenv("LD_PRELOAD") && strstr(getenv("LD_PRELOAD"), "vgpreload") ?
			 "under valgrind, which lacks the newer system calls (not a kernel level)" : NULL;

	if (getenv("LIBNS_KERNEL_PROFILE"))
		printf("running under the Linux %s profile (tests/tools/kernel-profile)\n", getenv("LIBNS_KERNEL_PROFILE"));
	nst_add(tc, features_match_kernel_level, vg);
	nst_add(tc, raw_interfaces_match_kernel_level, vg);
	nst_add(tc, time_namespace_matches_kernel_level, root ? root : vg);
	nst_add(tc, spawn_open_enter_at_kernel_level, root ? root : pidfd);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
