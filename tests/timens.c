/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define KTIME_SEC_MAX INT64_C(9223372036)

static int64_t now_sec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec;
}

/* /proc/PID/timens_offsets as "monotonic S NS boottime S NS" values. */
static bool read_offsets(pid_t pid, long long *mono_s, long *mono_ns, long long *boot_s, long *boot_ns)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return sscanf(buf, " monotonic %lld %ld boottime %lld %ld", mono_s, mono_ns, boot_s, boot_ns) == 4;
}

static int raw_write_offsets(pid_t pid, const char *text)
{
	char path[64];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = errno;
	close(fd);
	return n < 0 ? -err : 0;
}

/* A grandchild's view of both clocks, measured by forking from a process whose children get the ns. */
struct clocks { int64_t mono, boot; };

static struct clocks clocks_of_new_child(void)
{
	struct clocks c = { -1, -1 };
	int p[2];
	pid_t g;

	if (pipe2(p, O_CLOEXEC) < 0)
		return c;
	g = fork();
	if (g == 0) {
		c.mono = now_sec(CLOCK_MONOTONIC);
		c.boot = now_sec(CLOCK_BOOTTIME);
		_exit(write(p[1], &c, sizeof(c)) == (ssize_t)sizeof(c) ? 0 : 1);
	}
	close(p[1]);
	if (g < 0 || read(p[0], &c, sizeof(c)) != (ssize_t)sizeof(c))
		c.mono = c.boot = -1;
	close(p[0]);
	if (g > 0)
		waitpid(g, NULL, 0);
	return c;
}

static bool shifted(int64_t seen, int64_t base, int64_t offset)
{
	return seen >= base + offset && seen <= base + offset + 10;
}

/*
 * The parent writes the offsets of a child's new time namespace by pid; the child then forks a
 * grandchild, whose clocks show them; afterwards the namespace is in use and the kernel says EACCES.
 */
START_TEST(offsets_by_pid_seen_by_grandchild)
{
	const struct timespec mono = { 100000, 0 }, boot = { 200000, 500000000 };
	int ready[2], go[2], result[2];
	long long ms, bs;
	long mns, bns;
	pid_t c;
	char x = 0;

	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(result, O_CLOEXEC), 0);
	c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		struct clocks base, seen;
		char ok;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(unshare(CLONE_NEWTIME) == 0);
		NST_CHILD_CHECK(write(ready[1], &x, 1) == 1);
		NST_CHILD_CHECK(read(go[0], &x, 1) == 1);
		base.mono = now_sec(CLOCK_MONOTONIC);
		base.boot = now_sec(CLOCK_BOOTTIME);
		seen = clocks_of_new_child();
		ok = shifted(seen.mono, base.mono, 100000) && shifted(seen.boot, base.boot, 200000);
		if (!ok)
			fprintf(stderr, "grandchild sees monotonic %lld boottime %lld, its parent %lld %lld\n",
				(long long)seen.mono, (long long)seen.boot, (long long)base.mono, (long long)base.boot);
		NST_CHILD_CHECK(write(result[1], &ok, 1) == 1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &x, 1), 1);
	ck_assert_msg(ns_set_time_offsets(c, &mono, &boot) == 0, "%s", ns_last_error());
	ck_assert(read_offsets(c, &ms, &mns, &bs, &bns));
	ck_assert_int_eq(ms, 100000);
	ck_assert_int_eq(mns, 0);
	ck_assert_int_eq(bs, 200000);
	ck_assert_int_eq(bns, 500000000);
	/* offsets may be rewritten until a process enters the namespace */
	ck_assert_int_eq(ns_set_time_offsets(c, &mono, &boot), 0);
	ck_assert_int_eq(write(go[1], &x, 1), 1);
	ck_assert_int_eq(read(result[0], &x, 1), 1);
	ck_assert_msg(x == 1, "the grandchild's clocks do not show the offsets");
	/* now it is in use */
	errno = 0;
	ck_assert_int_eq(ns_set_time_offsets(c, &boot, NULL), -EACCES);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_msg(strstr(ns_last_error(), "unshare(CLONE_NEWTIME)"), "%s", ns_last_error());
	ck_assert(read_offsets(c, &ms, &mns, &bs, &bns));
	ck_assert_int_eq(ms, 100000);
	nst_kill(c, NULL);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	close(result[0]);
	close(result[1]);
}
END_TEST

/* pid 0: the process that unshared sets its own children's offsets. */
START_TEST(offsets_self)
{
	pid_t c = fork();

	ck_assert_int_ge(c, 0);
	if (c == 0) {
		const struct timespec mono = { -5, 500000000 }, later = { 7, 0 };
		struct clocks base, seen;
		long long ms, bs;
		long mns, bns;

		NST_CHILD_CHECK(unshare(CLONE_NEWTIME) == 0);
		/* monotonic only: boottime keeps what the namespace inherited */
		NST_CHILD_CHECK(ns_set_time_offsets(0, &mono, NULL) == 0);
		NST_CHILD_CHECK(read_offsets(getpid(), &ms, &mns, &bs, &bns));
		NST_CHILD_CHECK(ms == -5 && mns == 500000000 && bs == 0 && bns == 0);
		/* both NULL: nothing to write, nothing changes */
		NST_CHILD_CHECK(ns_set_time_offsets(0, NULL, NULL) == 0);
		NST_CHILD_CHECK(read_offsets(getpid(), &ms, &mns, &bs, &bns) && ms == -5);
		base.mono = now_sec(CLOCK_MONOTONIC);
		base.boot = now_sec(CLOCK_BOOTTIME);
		seen = clocks_of_new_child();
		NST_CHILD_CHECK(shifted(seen.mono, base.mono, -5) && shifted(seen.boot, base.boot, 0));
		NST_CHILD_CHECK(ns_set_time_offsets(0, &later, NULL) == -EACCES);
		NST_CHILD_CHECK(strstr(ns_last_error(), "already has a process in it"));
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(c), 0);
}
END_TEST

/* Each rule: libns's errno, the kernel's for the same text, and nothing written. */
START_TEST(offsets_validated)
{
	pid_t t = nst_spawn_target(CLONE_NEWTIME, NULL), dead = nst_dead_pid();
	int64_t mono_now = now_sec(CLOCK_MONOTONIC);
	const struct {
		struct timespec ts;
		int err;
		const char *why;
	} bad[] = {
		{ { 10, -1 }, EINVAL, "tv_nsec -1" },
		{ { 10, 1000000000 }, EINVAL, "tv_nsec 1000000000" },
		{ { KTIME_SEC_MAX + 1, 0 }, ERANGE, "beyond the kernel's limit" },
		{ { -KTIME_SEC_MAX - 1, 0 }, ERANGE, "beyond the kernel's limit" },
		{ { -(mono_now + 100), 0 }, ERANGE, "before 0" },
		{ { KTIME_SEC_MAX / 2, 0 }, ERANGE, "past 4611686018" },
	};
	const struct timespec good = { 3600, 0 };
	long long ms, bs;
	long mns, bns;
	char text[128];

	ck_assert_int_gt(t, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(ns_set_time_offsets(t, &bad[i].ts, NULL), -bad[i].err);
		ck_assert_int_eq(errno, bad[i].err);
		ck_assert_msg(strstr(ns_last_error(), bad[i].why), "%s", ns_last_error());
		ck_assert_int_eq(ns_set_time_offsets(t, &good, &bad[i].ts), -bad[i].err);
		ck_assert_int_eq(ns_set_time_offsets(dead, &bad[i].ts, NULL), -bad[i].err); /* checked first */
		/* the kernel agrees (the text it gets for -1 ns is "-1", which its parser refuses too) */
		snprintf(text, sizeof(text), "monotonic %lld %ld\n", (long long)bad[i].ts.tv_sec, (long)bad[i].ts.tv_nsec);
		ck_assert_msg(raw_write_offsets(t, text) == -bad[i].err, "kernel on \"%s\"", text);
		ck_assert(read_offsets(t, &ms, &mns, &bs, &bns));
		ck_assert(ms == 0 && mns == 0 && bs == 0 && bns == 0);
	}
	ck_assert_int_eq(ns_set_time_offsets(-1, &good, NULL), -EINVAL);
	ck_assert_int_eq(ns_set_time_offsets(dead, &good, NULL), -ESRCH);
	ck_assert_int_eq(ns_set_time_offsets(t, &good, &good), 0);
	ck_assert(read_offsets(t, &ms, &mns, &bs, &bns));
	ck_assert(ms == 3600 && bs == 3600);
	nst_kill(t, NULL);
}
END_TEST

/* A process that never unshared: its children's namespace is its own, in use (or the initial one). */
START_TEST(offsets_need_new_namespace)
{
	pid_t t = nst_spawn_target(0, NULL);
	const struct timespec one = { 1, 0 };

	ck_assert_int_gt(t, 0);
	ck_assert_int_eq(ns_set_time_offsets(t, &one, NULL), -EACCES);
	ck_assert_int_eq(ns_set_time_offsets(0, &one, NULL), -EACCES);
	nst_kill(t, NULL);
}
END_TEST

/* Unprivileged: allowed in a time namespace its own user namespace owns; EPERM in root's. */
START_TEST(offsets_unprivileged)
{
	int ready[2];
	pid_t r, u;
	char x = 0;

	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	r = fork();
	ck_assert_int_ge(r, 0);
	if (r == 0) {
		/* a root-created time namespace, held by a process that then becomes uid 65534 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(unshare(CLONE_NEWTIME) == 0);
		NST_CHILD_CHECK(setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 &&
				setresuid(65534, 65534, 65534) == 0);
		prctl(PR_SET_DUMPABLE, 1);
		NST_CHILD_CHECK(write(ready[1], &x, 1) == 1);
		for (;;)
			pause();
	}
	ck_assert_int_eq(read(ready[0], &x, 1), 1);
	u = nst_fork_unprivileged();
	ck_assert_int_ge(u, 0);
	if (u == 0) {
		const struct timespec hour = { 3600, 0 };
		struct clocks base, seen;

		NST_CHILD_CHECK(ns_set_time_offsets(r, &hour, NULL) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_TIME"));
		NST_CHILD_CHECK(unshare(CLONE_NEWUSER | CLONE_NEWTIME) == 0);
		NST_CHILD_CHECK(ns_set_time_offsets(0, &hour, &hour) == 0);
		base.mono = now_sec(CLOCK_MONOTONIC);
		base.boot = now_sec(CLOCK_BOOTTIME);
		seen = clocks_of_new_child();
		NST_CHILD_CHECK(shifted(seen.mono, base.mono, 3600) && shifted(seen.boot, base.boot, 3600));
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(u), 0);
	nst_kill(r, NULL);
	close(ready[0]);
	close(ready[1]);
}
END_TEST

int main(void)
{
	/* probe first: the probe forks, and its child should not hold the suite */
	const char *feature = nst_need_feature(NS_FEATURE_TIME_NS);
	const char *need = feature ? feature : nst_need_root();
	Suite *s = suite_create("timens");
	TCase *tc = nst_tcase("offsets");

	nst_add(tc, offsets_by_pid_seen_by_grandchild, need);
	nst_add(tc, offsets_self, need);
	nst_add(tc, offsets_validated, need);
	nst_add(tc, offsets_need_new_namespace, need);
	nst_add(tc, offsets_unprivileged, need);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
