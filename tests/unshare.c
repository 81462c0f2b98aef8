/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "helpers.h"

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Fields of the kernel's uid_map/gid_map text, whatever its column padding. */
static bool map_is(const char *path, unsigned in, unsigned out, unsigned count)
{
	unsigned a, b, c;

	return sscanf(slurp(path), "%u %u %u", &a, &b, &c) == 3 && a == in && b == out && c == count;
}

/* The root mount's optional fields: "shared:N" means it still propagates to the parent namespace. */
static bool root_is_shared(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	bool shared = false;

	while (f && fgets(line, sizeof(line), f)) {
		char mnt[512];

		if (sscanf(line, "%*d %*d %*s %*s %511s", mnt) == 1 && strcmp(mnt, "/") == 0)
			shared = strstr(line, " shared:") != NULL;
	}
	if (f)
		fclose(f);
	return shared;
}

START_TEST(unshare_creates_new_namespaces)
{
	unsigned long long uts = nst_proc_ns_ino(0, "uts"), ipc = nst_proc_ns_ino(0, "ipc"),
			   net = nst_proc_ns_ino(0, "net"), user = nst_proc_ns_ino(0, "user");

	ck_assert_int_eq(ns_unshare(NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET, 0), 0);
	ck_assert_uint_ne(nst_proc_ns_ino(0, "uts"), uts);
	ck_assert_uint_ne(nst_proc_ns_ino(0, "ipc"), ipc);
	ck_assert_uint_ne(nst_proc_ns_ino(0, "net"), net);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "user"), user);
}
END_TEST

START_TEST(unshare_mount_is_private)
{
	/* systemd and most distributions make / shared: the case unshare(1) exists to handle */
	if (!root_is_shared())
		ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL), 0);
	ck_assert_int_eq(ns_unshare(NS_TYPE_MNT, 0), 0);
	ck_assert(!root_is_shared());
}
END_TEST

/*
 * After unshare(CLONE_NEWPID) the kernel refuses to create threads in this process (pid_for_children
 * differs from its own pid namespace), which also stops LeakSanitizer's exit-time tracer: so in a child.
 */
START_TEST(unshare_pid_and_time_apply_to_children)
{
	pid_t child = fork();

	if (child == 0) {
		unsigned long long pid = nst_proc_ns_ino(0, "pid"), time = nst_proc_ns_ino(0, "time");

		NST_CHILD_CHECK(ns_unshare(NS_TYPE_PID | NS_TYPE_TIME, 0) == 0);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "pid") == pid);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "time") == time);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "time_for_children") != time);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "pid_for_children") == 0); /* no init yet: not openable */
		/* a second pid namespace before the first has a process: the kernel refuses, and we say why */
		NST_CHILD_CHECK(ns_unshare(NS_TYPE_PID, 0) == -EINVAL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "first child") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

static void unprivileged_map(unsigned flags, unsigned expect_uid)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		unsigned long long net = nst_proc_ns_ino(0, "net");

		NST_CHILD_CHECK(ns_unshare(NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_MNT, flags) == 0);
		NST_CHILD_CHECK(getuid() == expect_uid && geteuid() == expect_uid && getgid() == expect_uid);
		NST_CHILD_CHECK(map_is("/proc/self/uid_map", expect_uid, 65534, 1));
		NST_CHILD_CHECK(map_is("/proc/self/gid_map", expect_uid, 65534, 1));
		NST_CHILD_CHECK(strncmp(slurp("/proc/self/setgroups"), "deny", 4) == 0);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") != net);
		NST_CHILD_CHECK(!root_is_shared());
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}

START_TEST(unprivileged_map_root) { unprivileged_map(NS_UNSHARE_MAP_ROOT, 0); }
END_TEST
START_TEST(unprivileged_map_current) { unprivileged_map(NS_UNSHARE_MAP_CURRENT, 65534); }
END_TEST

START_TEST(unprivileged_without_user_namespace)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		unsigned long long net = nst_proc_ns_ino(0, "net");

		NST_CHILD_CHECK(ns_unshare(NS_TYPE_NET, 0) == -EPERM);
		NST_CHILD_CHECK(errno == EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "NS_TYPE_USER") != NULL);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") == net);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

START_TEST(unshare_bad_input_changes_nothing)
{
	unsigned long long uts = nst_proc_ns_ino(0, "uts"), user = nst_proc_ns_ino(0, "user");

	ck_assert_int_eq(ns_unshare(0, 0), -EINVAL);
	ck_assert_int_eq(ns_unshare(NS_TYPE_UTS | 0x1, 0), -EINVAL);
	ck_assert_int_eq(ns_unshare(NS_TYPE_UTS, 0x100), -EINVAL);
	ck_assert_int_eq(ns_unshare(NS_TYPE_UTS, NS_UNSHARE_MAP_ROOT), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "NS_TYPE_USER"));
	ck_assert_int_eq(ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT | NS_UNSHARE_MAP_CURRENT), -EINVAL);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), uts);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "user"), user);
}
END_TEST

/* issue 9 #4: EINVAL for a pid namespace already chosen is not blamed on threads. */
START_TEST(unshare_einval_names_the_cause)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		NST_CHILD_CHECK(unshare(CLONE_NEWPID) == 0);
		NST_CHILD_CHECK(ns_unshare(NS_TYPE_USER | NS_TYPE_PID, 0) == -EINVAL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "single-threaded") == NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "pid namespace for its children") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* EPERM for a new user namespace names only causes that give EPERM (nesting too deep is ENOSPC). */
START_TEST(unshare_eperm_names_the_cause)
{
	char dir[64];
	pid_t child;

	nst_tmpdir(dir, sizeof(dir), "chroot");
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		NST_CHILD_CHECK(chroot(dir) == 0);
		NST_CHILD_CHECK(ns_unshare(NS_TYPE_USER, 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "chroot") != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "too deep") == NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "max_user_namespaces") == NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	rmdir(dir);
}
END_TEST

/*
 * issue 9 #5: a caller that dropped privileges without exec is not dumpable, so /proc/self is root's
 * and its own uid_map cannot be written: EACCES, said as ns_spawn says it, with the way out.
 */
START_TEST(unprivileged_not_dumpable)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		NST_CHILD_CHECK(prctl(PR_SET_DUMPABLE, 0) == 0);
		NST_CHILD_CHECK(ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT) == -EACCES);
		NST_CHILD_CHECK(errno == EACCES);
		NST_CHILD_CHECK(strncmp(ns_last_error(), "ns_unshare: ", 12) == 0);
		NST_CHILD_CHECK(strstr(ns_last_error(), "prctl(PR_SET_DUMPABLE, 1)") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

START_TEST(unshare_user_from_threaded_process)
{
	unsigned long long user = nst_proc_ns_ino(0, "user");
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, NULL), 0);
	ck_assert_int_eq(ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT), -EINVAL);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "single-threaded"));
	ck_assert_uint_eq(nst_proc_ns_ino(0, "user"), user);
	/* a UTS namespace is per thread and fine */
	ck_assert_int_eq(ns_unshare(NS_TYPE_UTS, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unshare");
	TCase *tc = nst_tcase("unshare");
	const char *root = nst_need_root();

	nst_add(tc, unshare_creates_new_namespaces, root);
	nst_add(tc, unshare_mount_is_private, root);
	nst_add(tc, unshare_pid_and_time_apply_to_children, root ? root : nst_need_feature(NS_FEATURE_TIME_NS));
	nst_add(tc, unprivileged_map_root, root);
	nst_add(tc, unprivileged_map_current, root);
	nst_add(tc, unprivileged_without_user_namespace, root);
	nst_add(tc, unshare_bad_input_changes_nothing, NULL);
	nst_add(tc, unshare_user_from_threaded_process, NULL);
	nst_add(tc, unshare_einval_names_the_cause, root);
	nst_add(tc, unshare_eperm_names_the_cause, root);
	nst_add(tc, unprivileged_not_dumpable, root);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
