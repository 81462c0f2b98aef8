/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "error-internal.h"
#include "features-internal.h"
#include "parse.h"
#include "procfs.h"
#include "writers.h"

/*
 * The host's clock, as the kernel sees it: this thread's clock minus its time namespace's offsets.
 * /proc/self/timens_offsets shows the offsets of time_for_children, which are the active namespace's
 * only while the two are the same namespace; otherwise the host clock is unknown here (returns false)
 * and the kernel's own check decides alone.
 */
static bool host_clock(clockid_t clk, int64_t *sec)
{
	struct stat a, b;
	struct timespec now;
	char buf[128];
	int dir, n;

	if (clock_gettime(clk, &now) < 0)
		return false;
	if (stat("/proc/thread-self/ns/time", &a) < 0)
		return false; /* no time namespaces: the clock is the host's */
	if (stat("/proc/thread-self/ns/time_for_children", &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
		return false;
	dir = ns__open_proc_dir(0);
	if (dir < 0)
		return false;
	n = ns__read_proc_at(dir, "timens_offsets", buf, sizeof(buf));
	close(dir);
	return n > 0 && ns__timens_host_sec(buf, clk, &now, sec);
}

static int check_offset(const char *name, clockid_t clk, const struct timespec *ts)
{
	const char *fn = "ns_set_time_offsets";
	int64_t host, result;

	if (ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return ns__fail(EINVAL, "%s: %s offset has tv_nsec %ld, outside [0, 999999999] (a negative offset "
				"is written as negative seconds plus positive nanoseconds)", fn, name, (long)ts->tv_nsec);
	if ((int64_t)ts->tv_sec > KTIME_SEC_MAX || (int64_t)ts->tv_sec < -KTIME_SEC_MAX)
		return ns__fail(ERANGE, "%s: %s offset of %lld s is beyond the kernel's limit of +-%" PRId64 " s",
				fn, name, (long long)ts->tv_sec, KTIME_SEC_MAX);
	if (!host_clock(clk, &host))
		return 0;
	result = host + (int64_t)ts->tv_sec;
	if (result < 0)
		return ns__fail(ERANGE, "%s: %s offset of %lld s would put the clock before 0 (it reads %" PRId64
				" s on the host; the kernel refuses negative clocks)", fn, name,
				(long long)ts->tv_sec, host);
	if (result > KTIME_SEC_MAX / 2)
		return ns__fail(ERANGE, "%s: %s offset of %lld s would put the clock past %" PRId64 " s, the "
				"kernel's limit (KTIME_SEC_MAX / 2)", fn, name, (long long)ts->tv_sec, KTIME_SEC_MAX / 2);
	return 0;
}

static int check_args(const struct timespec *monotonic, const struct timespec *boottime)
{
	int r = 0;

	if (monotonic)
		r = check_offset("monotonic", CLOCK_MONOTONIC, monotonic);
	if (r == 0 && boottime)
		r = check_offset("boottime", CLOCK_BOOTTIME, boottime);
	if (r == 0 && (monotonic || boottime))
		r = ns__need_feature("ns_set_time_offsets", NS_FEATURE_TIME_NS);
	return r;
}

int ns__set_time_offsets_at(int procdirfd, const struct timespec *monotonic, const struct timespec *boottime)
{
	const char *fn = "ns_set_time_offsets";
	char buf[128];
	int len, fd, r;

	r = check_args(monotonic, boottime);
	if (r < 0 || (!monotonic && !boottime))
		return r;
	len = ns__timens_format(buf, sizeof(buf), monotonic, boottime);
	/* the open's errors explain themselves (EACCES there is the file's mode); the write's are the kernel's
	 * verdict on the offsets and the namespace, explained here */
	fd = ns__open_proc_file(procdirfd, "timens_offsets", O_WRONLY);
	if (fd < 0)
		return ns__prefixed("ns_set_time_offsets", fd);
	r = ns__write_proc_fd(fd, buf, (size_t)len);
	close(fd);
	switch (r) {
	case -EACCES:
		return ns__fail(EACCES, "%s: the process's time namespace for children already has a process in "
				"it (or is the initial one): offsets can be set only between unshare(CLONE_NEWTIME) "
				"and the first process entering the new namespace", fn);
	case -EPERM:
		return ns__fail(EPERM, "%s: setting offsets needs CAP_SYS_TIME in the user namespace that owns "
				"the new time namespace", fn);
	case -ERANGE:
		return ns__fail(ERANGE, "%s: the kernel refused the offsets: the clock they produce must stay "
				"within [0, %" PRId64 "] s", fn, KTIME_SEC_MAX / 2);
	}
	return ns__prefixed("ns_set_time_offsets", r);
}

NS_PUBLIC int ns_set_time_offsets(pid_t pid, const struct timespec *monotonic, const struct timespec *boottime)
{
	int dir, r;

	r = ns__check_pid("ns_set_time_offsets", pid);
	if (r < 0)
		return r;
	r = check_args(monotonic, boottime);
	if (r < 0 || (!monotonic && !boottime))
		return r;
	dir = ns__open_proc_dir(pid);
	if (dir < 0)
		return ns__prefixed("ns_set_time_offsets", dir);
	r = ns__set_time_offsets_at(dir, monotonic, boottime);
	close(dir);
	return r;
}
