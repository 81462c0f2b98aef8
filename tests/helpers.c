/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"

static int tests_added, tests_skipped;
static int fd_count_at_setup;

void nst_fd_setup(void)
{
	fd_count_at_setup = nst_fd_count();
}

void nst_fd_teardown(void)
{
	int now = nst_fd_count();

	ck_assert_msg(now == fd_count_at_setup, "fd leak: %d fds open before the test, %d after",
		      fd_count_at_setup, now);
}

TCase *nst_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, nst_fd_setup, nst_fd_teardown);
	tcase_set_timeout(tc, 60);
	return tc;
}

void nst_add_impl(TCase *tc, const TTest *fn, const char *name, const char *skip_reason)
{
	if (skip_reason) {
		printf("SKIP %s: %s\n", name, skip_reason);
		tests_skipped++;
		return;
	}
	tcase_add_test(tc, fn);
	tests_added++;
}

const char *nst_need_root(void)
{
	return geteuid() == 0 ? NULL : "needs root (run the suite as root)";
}

const char *nst_need_feature(int feature)
{
	static const struct { int f; const char *why; } reasons[] = {
		{ NS_FEATURE_PIDFD, "not available before Linux 5.3 (pidfd_open)" },
		{ NS_FEATURE_PIDFD_SETNS, "not available before Linux 5.8 (setns with a pidfd)" },
		{ NS_FEATURE_PIDFD_GET_NS, "not available before Linux 6.11 (PIDFD_GET_*_NAMESPACE)" },
		{ NS_FEATURE_CLONE3, "not available before Linux 5.3 (clone3)" },
		{ NS_FEATURE_NS_ID, "not available before Linux 6.18 (NS_GET_ID)" },
		{ NS_FEATURE_NSFS_HANDLE, "not available before Linux 6.18 (nsfs file handles)" },
		{ NS_FEATURE_PID_TRANSLATE, "not available before Linux 6.11 (NS_GET_PID_*_PIDNS)" },
		{ NS_FEATURE_LISTNS, "not available before Linux 6.19 (listns)" },
		{ NS_FEATURE_TIME_NS, "not available before Linux 5.6 (time namespaces)" },
		{ NS_FEATURE_CLONE_INTO_CGROUP, "not available before Linux 5.7 (CLONE_INTO_CGROUP)" },
		{ NS_FEATURE_MOUNT_API, "not available before Linux 5.2 (open_tree/move_mount)" },
	};
	/* Probe in a child so the suite's own process keeps an unprobed cache for fallback tests. */
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(ns_has_feature(feature) == 1 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return "could not probe the kernel";
	if (WEXITSTATUS(st) == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].f == feature)
			return reasons[i].why;
	return "kernel feature missing";
}

/* The suite's scratch directory, once nst_run() made it (before, nst_tmpdir() uses /tmp). */
static char suite_tmp[] = "/tmp/libns-test.XXXXXX";
static bool suite_tmp_made;

char *nst_tmpdir(char *buf, size_t size, const char *tag)
{
	int n = snprintf(buf, size, "%s/%s-XXXXXX", suite_tmp_made ? suite_tmp : "/tmp", tag);

	ck_assert_msg(n > 0 && (size_t)n < size, "nst_tmpdir: buffer of %zu too small for %s", size, tag);
	ck_assert_msg(mkdtemp(buf) != NULL, "mkdtemp %s: %s", buf, strerror(errno));
	return buf;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	if (remove(path) < 0)
		fprintf(stderr, "nst_run: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Detach what failed tests left mounted under the scratch directory, then remove it. */
static void remove_suite_tmp(void)
{
	size_t len = strlen(suite_tmp);
	bool again = true;

	for (int round = 0; again && round < 16; round++) {
		FILE *f = fopen("/proc/self/mountinfo", "re");
		char line[4096], target[4096];

		again = false;
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %*s %*s %*s %4095s", target) == 1 &&
			    strncmp(target, suite_tmp, len) == 0 && (target[len] == '/' || target[len] == 0) &&
			    umount2(target, MNT_DETACH) == 0)
				again = true;
		if (f)
			fclose(f);
	}
	nftw(suite_tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int nst_run(Suite *s)
{
	SRunner *sr;
	int failed;

	if (tests_added == 0) {
		printf("all %d tests skipped\n", tests_skipped);
		return NS_TEST_SKIP;
	}
	/* 01777 like /tmp: tests that drop to uid 65534 make and remove their own directories in it */
	if (!mkdtemp(suite_tmp) || chmod(suite_tmp, 01777) < 0) {
		fprintf(stderr, "nst_run: cannot make %s: %s\n", suite_tmp, strerror(errno));
		return 1;
	}
	suite_tmp_made = true;
	sr = srunner_create(s);
	/* fork mode unless CK_FORK=no asks for in-process runs (valgrind); an explicit status ignores the env */
	srunner_set_fork_status(sr, getenv("CK_FORK") ? CK_FORK_GETENV : CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_suite_tmp();
	if (tests_skipped)
		printf("(%d tests skipped, reasons above)\n", tests_skipped);
	return failed ? 1 : 0;
}

pid_t nst_spawn_target(unsigned types, int *pidfd)
{
	int sync[2];
	char c = 0;
	pid_t pid;

	if (pipe2(sync, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sync[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (types && unshare((int)types) < 0)
			c = 1;
		/* A new pid namespace gets its init now, so /proc/PID/ns/pid_for_children can be opened. */
		if (c == 0 && (types & CLONE_NEWPID) && fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (pid < 0 || read(sync[0], &c, 1) != 1 || c != 0) {
		close(sync[0]);
		if (pid > 0)
			nst_kill(pid, NULL);
		return -1;
	}
	close(sync[0]);
	if (pidfd)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return pid;
}

void nst_kill(pid_t pid, int *pidfd)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (pidfd && *pidfd >= 0) {
		close(*pidfd);
		*pidfd = -1;
	}
}

pid_t nst_dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

pid_t nst_fork_unprivileged(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0) {
			perror("dropping to uid 65534");
			_exit(99);
		}
		/*
		 * Changing uids made us non-dumpable, which a real unprivileged user is not: /proc/self
		 * files would be root's, and writing our own uid_map would fail for that reason alone.
		 */
		prctl(PR_SET_DUMPABLE, 1);
	}
	return pid;
}

int nst_wait(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

void nst_assert_child(pid_t pid, const char *what, const char *why)
{
	int r = nst_wait(pid);

	if (r == 77)
		printf("%s: not checked, %s\n", what, why);
	else
		ck_assert_int_eq(r, 0);
}

void nst_child_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: check failed in child: %s (last libns error: %s)\n", file, line, what,
		ns_last_error());
	_exit(1);
}

unsigned long long nst_proc_ns_ino(pid_t pid, const char *name)
{
	char path[64];
	struct stat st;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", name);
	if (stat(path, &st) < 0)
		return 0;
	return (unsigned long long)st.st_ino;
}

void nst_disable_features(const char *list)
{
	setenv("LIBNS_DISABLE_FEATURES", list, 1);
}

#if defined(__SANITIZE_ADDRESS__)
#define NST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NST_ASAN 1
#endif
#endif

void nst_limit_memory(unsigned long bytes)
{
#ifndef NST_ASAN
	struct rlimit as = { bytes, bytes };

	setrlimit(RLIMIT_AS, &as);
#else
	(void)bytes;
#endif
}
