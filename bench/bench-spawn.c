/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-spawn: what ns_spawn costs over the raw system calls it wraps, and ns-run against unshare(1).
 *
 *   ninja -C build bench/bench-spawn && build/bench/bench-spawn [-n ITERATIONS] [-c COMMAND_ITERATIONS]
 *
 * 1. ns_spawn() of a child in new user, pid, mount, uts, ipc, net and cgroup namespaces, root-mapped,
 *    that exits at once, plus ns_wait(); against the raw sequence: clone3(CLONE_PIDFD) with the same
 *    flags, setgroups "deny" and both maps written through one /proc/PID directory fd, a byte to
 *    release the child, waitid(P_PIDFD). With and without the network namespace, whose creation and
 *    teardown dominate. The two are interleaved so that drift (network namespaces are torn down
 *    asynchronously) hits both alike. Needs root (the maps are root-to-root).
 * 2. `ns-run --user --map-root-user --mount --pid --net --uts --ipc --cgroup --fork true` against
 *    `unshare` with the same options, as whole commands (fork, exec, wait), interleaved likewise.
 * Medians of the iterations are printed, with the median of the paired ratios, its interquartile range
 * (bench/paired.h) and the targets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libns/libns.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "paired.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void die(const char *what)
{
	fprintf(stderr, "bench-spawn: %s: %s\n", what, errno ? strerror(errno) : ns_last_error());
	exit(1);
}

static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

static double one_ns_spawn(unsigned types)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	double t0 = paired_now();
	int pidfd, st, pid;

	o.new_types = types;
	/* the same writes as the raw sequence: setgroups, uid_map, gid_map */
	o.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_SETGROUPS_DENY;
	pid = ns_spawn(&o, exit_at_once, NULL, &pidfd);
	if (pid < 0)
		die("ns_spawn");
	if (ns_wait(pidfd, &st) != pid || st != 0)
		die("ns_wait");
	close(pidfd);
	return (paired_now() - t0) * 1e6;
}

static void write_at(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(name);
	close(fd);
}

static double one_raw(unsigned types)
{
	struct clone_args_v0 args = { .flags = types | CLONE_PIDFD, .exit_signal = SIGCHLD };
	char path[32], map[32];
	int go[2], pidfd = -1, dfd;
	double t0 = paired_now();
	siginfo_t si;
	long pid;
	char c;

	if (pipe2(go, O_CLOEXEC) < 0)
		die("pipe2");
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		die("clone3");
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	close(go[0]);
	snprintf(path, sizeof(path), "/proc/%ld", pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die(path);
	write_at(dfd, "setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)geteuid());
	write_at(dfd, "uid_map", map);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getegid());
	write_at(dfd, "gid_map", map);
	close(dfd);
	if (write(go[1], "g", 1) != 1)
		die("write");
	close(go[1]);
	if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0 || si.si_status != 0)
		die("waitid");
	close(pidfd);
	return (paired_now() - t0) * 1e6;
}

static double one_command(char *const argv[])
{
	double t0 = paired_now();
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = 0;
		fprintf(stderr, "bench-spawn: %s failed (status 0x%x)\n", argv[0], st);
		exit(1);
	}
	return (paired_now() - t0) * 1e6;
}

/*
 * Each iteration times one of each, back to back in alternating order; the headline ratio is the median
 * of the per-iteration ratios, which cancels the drift a loaded 2-core machine and the asynchronous
 * teardown of network namespaces put into either median alone.
 */
static void report(const char *label, const char *a_name, const char *b_name, double *a, double *b, int n,
		   bool a_over_b, const char *target)
{
	struct paired p = a_over_b ? paired_stats(a, b, n) : paired_stats(b, a, n);
	double ma = a_over_b ? p.a : p.b, mb = a_over_b ? p.b : p.a;

	printf("%-40s %s %8.1f us   %s %8.1f us   %s %.3f [%.3f-%.3f] (median of paired ratios "
	       "[interquartile range]; %s)\n", label, a_name, ma, b_name, mb, a_over_b ? "ratio" : "speed-up", p.ratio,
	       p.lo, p.hi, target);
}

/* Network namespaces are freed by a kernel worker after their last process: let it catch up. */
static void settle(void)
{
	usleep(500000);
}

static void compare_spawn(const char *label, unsigned types, int n)
{
	double *a = calloc((size_t)n, sizeof(double)), *b = calloc((size_t)n, sizeof(double));

	for (int i = 0; i < 10; i++) { /* warm up caches and feature probes */
		one_ns_spawn(types);
		one_raw(types);
	}
	settle();
	for (int i = 0; i < n; i++) {
		if (i % 2) {
			a[i] = one_ns_spawn(types);
			b[i] = one_raw(types);
		} else {
			b[i] = one_raw(types);
			a[i] = one_ns_spawn(types);
		}
	}
	report(label, "ns_spawn", "raw", a, b, n, true, "target <= 1.05");
	free(a);
	free(b);
	settle();
}

static void compare_commands(const char *label, const char *ns_run, bool net, int n)
{
	char *const mine[] = { (char *)ns_run, "--user", "--map-root-user", "--mount", "--pid", net ? "--net" : "--uts",
			       "--uts", "--ipc", "--cgroup", "--fork", "true", NULL };
	char *const theirs[] = { "/usr/bin/unshare", "--user", "--map-root-user", "--mount", "--pid",
				 net ? "--net" : "--uts", "--uts", "--ipc", "--cgroup", "--fork", "true", NULL };
	double *a = calloc((size_t)n, sizeof(double)), *b = calloc((size_t)n, sizeof(double));

	if (access(theirs[0], X_OK) < 0) {
		printf("commands: %s not installed, skipped\n", theirs[0]);
		return;
	}
	for (int i = 0; i < 5; i++) {
		one_command(mine);
		one_command(theirs);
	}
	settle();
	for (int i = 0; i < n; i++) {
		if (i % 2) {
			a[i] = one_command(mine);
			b[i] = one_command(theirs);
		} else {
			b[i] = one_command(theirs);
			a[i] = one_command(mine);
		}
	}
	report(label, "ns-run", "unshare", a, b, n, false, "target >= 1.2");
	free(a);
	free(b);
	settle();
}

int main(int argc, char **argv)
{
	const unsigned all = NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_MNT | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET |
			     NS_TYPE_CGROUP;
	char self[4096], ns_run[4200];
	int n = 300, ncmd = 200, c;
	ssize_t len;

	while ((c = getopt(argc, argv, "n:c:")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 'c')
			ncmd = atoi(optarg);
		else {
			fprintf(stderr, "usage: bench-spawn [-n ITERATIONS] [-c COMMAND_ITERATIONS]\n");
			return 2;
		}
	}
	if (n < 1 || ncmd < 1)
		return 2;
	if (geteuid() != 0) {
		fprintf(stderr, "bench-spawn: needs root (root-to-root maps; unshare(1) compared as root)\n");
		return 77;
	}
	if (!ns_has_feature(NS_FEATURE_CLONE3)) {
		fprintf(stderr, "bench-spawn: the raw sequence needs clone3 (Linux 5.3)\n");
		return 77;
	}
	printf("bench-spawn: median of %d spawns and of %d commands; ns_spawn with NS_SPAWN_MAP_ROOT | "
	       "NS_SPAWN_SETGROUPS_DENY\n", n, ncmd);
	compare_spawn("user,pid,mnt,uts,ipc,net,cgroup", all, n);
	compare_spawn("the same without net", all & ~(unsigned)NS_TYPE_NET, n);
	/* ns-run is built next to this program: BUILD/bench/bench-spawn and BUILD/tools/ns-run */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		snprintf(ns_run, sizeof(ns_run), "%s/../tools/ns-run", dirname(self));
		if (access(ns_run, X_OK) == 0) {
			compare_commands("commands: ns-run vs unshare(1)", ns_run, true, ncmd);
			compare_commands("commands, without --net", ns_run, false, ncmd);
		}
		else
			printf("commands: %s not built, skipped\n", ns_run);
	}
	return 0;
}
