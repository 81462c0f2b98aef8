/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Soak (docs/hardening.md): the library's whole life cycle, over and over, must leave the process as
 * it found it. Each iteration opens every namespace type of this process and of a target process,
 * reads type and id, compares, and pins then unpins one of them; every SPAWN_EVERY-th iteration it
 * also runs a function inside the target (ns_run_in) and spawns a child in new namespaces
 * (ns_spawn + ns_wait), and every LIST_EVERY-th it lists every namespace (ns_list_new).
 * The fd count, the number of mounts and the resident set size are sampled after a warm-up, in the
 * middle and at the end: fds and mounts must be exactly equal, RSS within RSS_SLACK_KIB.
 *
 *   soak [ITERATIONS]      (default 100000, about a minute; CI runs 5000)
 *
 * Runs as root in a private mount namespace of its own, so that its pins never show outside and
 * vanish with it whatever happens. Exit status 0 flat, 1 a leak or a failed call, 77 not root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libns/libns.h>
#include "fdcount.h"
#include "paired.h"

#define SPAWN_EVERY 10         /* ns_run_in and ns_spawn: about a millisecond each */
#define LIST_EVERY 250         /* ns_list_new: tens of milliseconds on a busy system */
#define WARMUP 1000            /* iterations before the first sample: allocator and caches settle */
#define RSS_SLACK_KIB 256
/* AddressSanitizer keeps freed memory in quarantine (up to 256 MiB): RSS grows without a leak */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif
#define PIN_DIR "/run/libns-soak"
#define TARGET_HOSTNAME "libns-soak-target"

static const int types[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
			     NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
#define NTYPES (int)(sizeof(types) / sizeof(types[0]))

struct sample {
	long iteration;
	int fds;
	int mounts;
	long rss_kib;
};

static pid_t target_pid;
static int target_pidfd = -1;
static long failures;
static struct { long opens, pins, run_ins, spawns, lists; } count;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "soak: %s failed: ", #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			if (++failures > 20) \
				exit(1); \
		} \
	} while (0)

static int mount_count(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "re");
	long size, resident = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static struct sample take(long iteration)
{
	return (struct sample){ iteration, nst_fd_count(), mount_count(), rss_kib() };
}

static int start_target(void)
{
	int p[2];
	char c = 1;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	target_pid = fork();
	if (target_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC) == 0 &&
		    sethostname(TARGET_HOSTNAME, strlen(TARGET_HOSTNAME)) == 0)
			c = 0;
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (target_pid < 0 || read(p[0], &c, 1) != 1 || c != 0) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	target_pidfd = ns_pidfd_open(target_pid, 0);
	return target_pidfd;
}

static void open_and_compare(void)
{
	for (int i = 0; i < NTYPES; i++) {
		struct ns_id a, b;
		int mine = ns_open(0, types[i], 0), theirs = ns_open_pidfd(target_pidfd, types[i], 0);

		CHECK(mine >= 0 && theirs >= 0, "%s", ns_last_error());
		if (mine >= 0 && theirs >= 0) {
			CHECK(ns_type_of(mine) == types[i] && ns_type_of(theirs) == types[i], "%s", ns_last_error());
			CHECK(ns_get_id(mine, &a) == 0 && ns_get_id(theirs, &b) == 0, "%s", ns_last_error());
			/* the target made its own uts, net and ipc namespaces and shares the rest */
			bool own = types[i] == NS_TYPE_UTS || types[i] == NS_TYPE_NET || types[i] == NS_TYPE_IPC;
			CHECK(ns_equal(mine, theirs) == !own, "%s: ns_equal says %d", ns_type_name(types[i]),
			      ns_equal(mine, theirs));
			CHECK((a.ino == b.ino) == !own, "%s ids", ns_type_name(types[i]));
		}
		if (mine >= 0)
			close(mine);
		if (theirs >= 0)
			close(theirs);
		count.opens += 2;
	}
}

static void pin_unpin(long i)
{
	static const int pinnable[] = { NS_TYPE_NET, NS_TYPE_UTS, NS_TYPE_IPC, NS_TYPE_CGROUP };
	int type = pinnable[i % 4], fd = ns_open_pidfd(target_pidfd, type, 0), back;
	char path[64];

	snprintf(path, sizeof(path), PIN_DIR "/%s", ns_type_name(type));
	CHECK(fd >= 0 && ns_pin(fd, path, 0) == 0, "pin %s: %s", path, ns_last_error());
	back = ns_open_path(path, type, 0);
	CHECK(back >= 0 && ns_equal(fd, back) == 1, "pinned %s: %s", path, ns_last_error());
	if (back >= 0)
		close(back);
	if (fd >= 0)
		close(fd);
	CHECK(ns_unpin(path, 0) == 0, "unpin %s: %s", path, ns_last_error());
	count.pins++;
}

static int inside(void *arg)
{
	struct utsname u;

	(void)arg;
	return uname(&u) == 0 && strcmp(u.nodename, TARGET_HOSTNAME) == 0 ? 42 : 1;
}

static int spawned(void *arg)
{
	return *(int *)arg;
}

static void run_in_and_spawn(long i)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int r, pidfd = -1, status = -1, code = (int)(i % 100), pid;

	r = ns_run_in(target_pidfd, NS_TYPE_UTS | NS_TYPE_NET, inside, NULL, 0);
	CHECK(r == 42, "ns_run_in returned %d: %s", r, ns_last_error());
	count.run_ins++;
	o.new_types = NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET;
	o.hostname = "soak";
	o.flags = NS_SPAWN_DIE_WITH_PARENT;
	pid = ns_spawn(&o, spawned, &code, &pidfd);
	CHECK(pid > 0, "ns_spawn: %s", ns_last_error());
	if (pid > 0) {
		CHECK(ns_wait(pidfd, &status) == pid, "ns_wait: %s", ns_last_error());
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == code, "status 0x%x", status);
		close(pidfd);
	}
	count.spawns++;
}

static void list_all(void)
{
	struct ns_list *list = NULL;
	size_t found = 0;
	struct stat st;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)target_pid);
	CHECK(stat(path, &st) == 0, "stat %s", path);
	CHECK(ns_list_new(NS_TYPES_ALL, 0, &list) == 0, "ns_list_new: %s", ns_last_error());
	for (size_t j = 0; list && j < ns_list_count(list); j++) {
		const struct ns_entry *e = ns_list_get(list, j);

		found += e->type == NS_TYPE_NET && e->id.ino == (uint64_t)st.st_ino;
	}
	CHECK(found == 1, "the target's net namespace listed %zu times", found);
	ns_list_free(list);
	count.lists++;
}

static void iterate(long i)
{
	open_and_compare();
	pin_unpin(i);
	if (i % SPAWN_EVERY == 0)
		run_in_and_spawn(i);
	if (i % LIST_EVERY == 0)
		list_all();
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, mid;
	struct sample s[3];
	double t0;
	int flat = 1;

	if (geteuid() != 0) {
		printf("soak: needs root; skipped\n");
		return 77;
	}
	if (n < 2 * WARMUP) {
		fprintf(stderr, "soak: at least %d iterations\n", 2 * WARMUP);
		return 2;
	}
	/* pins in a private mount namespace: invisible outside, gone with this process */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("libns-soak", "/run", "tmpfs", 0, "mode=0755") < 0 ||
	    (mkdir(PIN_DIR, 0700) < 0 && errno != EEXIST)) {
		perror("soak: private mount namespace");
		return 1;
	}
	if (start_target() < 0) {
		fprintf(stderr, "soak: cannot start the target: %s\n", ns_last_error());
		return 1;
	}
	mid = WARMUP + (n - WARMUP) / 2;
	t0 = paired_now();
	for (long i = 1; i <= n; i++) {
		iterate(i);
		if (i == WARMUP)
			s[0] = take(i);
		else if (i == mid)
			s[1] = take(i);
		else if (i == n)
			s[2] = take(i);
	}
	printf("soak: %ld iterations in %.1f s: %ld opens, %ld pin+unpin, %ld run_in, %ld spawn, %ld list\n", n,
	       paired_now() - t0, count.opens, count.pins, count.run_ins, count.spawns, count.lists);
	printf("soak: %-10s %6s %7s %9s\n", "iteration", "fds", "mounts", "rss KiB");
	for (int k = 0; k < 3; k++)
		printf("soak: %-10ld %6d %7d %9ld\n", s[k].iteration, s[k].fds, s[k].mounts, s[k].rss_kib);
	for (int k = 1; k < 3; k++) {
		if (s[k].fds != s[0].fds || s[k].mounts != s[0].mounts) {
			printf("soak: NOT FLAT: fds or mounts changed between iteration %ld and %ld\n", s[0].iteration,
			       s[k].iteration);
			flat = 0;
		}
		if (s[k].rss_kib > s[0].rss_kib + RSS_SLACK_KIB && UNDER_ASAN) {
			printf("soak: RSS grew by %ld KiB by iteration %ld: not judged under AddressSanitizer\n",
			       s[k].rss_kib - s[0].rss_kib, s[k].iteration);
		} else if (s[k].rss_kib > s[0].rss_kib + RSS_SLACK_KIB) {
			printf("soak: NOT FLAT: RSS grew by %ld KiB (more than %d) between iteration %ld and %ld\n",
			       s[k].rss_kib - s[0].rss_kib, RSS_SLACK_KIB, s[0].iteration, s[k].iteration);
			flat = 0;
		}
	}
	kill(target_pid, SIGKILL);
	waitpid(target_pid, NULL, 0);
	close(target_pidfd);
	printf("soak: %s, %ld failed calls\n", flat ? "flat" : "LEAKING", failures);
	return flat && !failures ? 0 : 1;
}
