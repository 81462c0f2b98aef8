/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-bench: the cost of libns's handle and enter operations next to the raw system calls they wrap,
 * measured in the same run, and ns-enter against util-linux's nsenter as whole commands.
 * Run as root, on demand:  ninja -C build bench/ns-bench && build/bench/ns-bench [path/to/ns-enter]
 * libns and the raw calls run in interleaved batches (alternating which goes first); each row gives
 * the median per-operation cost of each side and the median of the per-batch ratios with its
 * interquartile range (bench/paired.h). The whole commands are interleaved run by run likewise.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "paired.h"

#define BATCHES 21
#define PIDFD_GET_NET_NAMESPACE _IO(0xFF, 4)
#define PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)
#define NS_GET_NSTYPE_IOCTL _IO(0xb7, 0x3)
#define NS_GET_ID_IOCTL _IOR(0xb7, 13, uint64_t)

/* The mean cost of one call of op over a batch, in nanoseconds. */
static double batch(void (*op)(void), int per_batch)
{
	double start = paired_now();

	for (int i = 0; i < per_batch; i++)
		op();
	return (paired_now() - start) * 1e9 / per_batch;
}

/* lib and raw in BATCHES interleaved batches, after a warm-up of both (caches, feature probes). */
static struct paired measure(void (*lib)(void), void (*raw)(void), int per_batch)
{
	double a[BATCHES], b[BATCHES];

	for (int i = 0; i < per_batch / 10 + 1; i++) {
		lib();
		raw();
	}
	for (int i = 0; i < BATCHES; i++) {
		if (i % 2) {
			a[i] = batch(lib, per_batch);
			b[i] = batch(raw, per_batch);
		} else {
			b[i] = batch(raw, per_batch);
			a[i] = batch(lib, per_batch);
		}
	}
	return paired_stats(a, b, BATCHES);
}

static pid_t target;
static int target_pidfd, self_pidfd, target_net, fds[6], self_fds[6];
static const int six[] = { NS_TYPE_MNT, NS_TYPE_UTS, NS_TYPE_IPC, NS_TYPE_NET, NS_TYPE_CGROUP, NS_TYPE_PID };
static const unsigned six_mask = NS_TYPE_MNT | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET | NS_TYPE_CGROUP | NS_TYPE_PID;

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "ns-bench: %s failed: %s\n", what, ns_last_error());
		exit(1);
	}
}

/* ---- the operations ---- */
static void raw_open(void)
{
	int p = (int)syscall(SYS_pidfd_open, target, 0), fd = ioctl(p, PIDFD_GET_NET_NAMESPACE, 0);

	close(p);
	close(fd);
}
static void lib_open(void) { close(ns_open(target, NS_TYPE_NET, 0)); }
static void raw_open_pidfd(void) { close(ioctl(target_pidfd, PIDFD_GET_NET_NAMESPACE, 0)); }
static void lib_open_pidfd(void) { close(ns_open_pidfd(target_pidfd, NS_TYPE_NET, 0)); }
static void raw_type(void) { (void)ioctl(target_net, NS_GET_NSTYPE_IOCTL); }
static void lib_type(void) { (void)ns_type_of(target_net); }
static void raw_id(void)
{
	struct stat st;
	uint64_t id;

	fstat(target_net, &st);
	ioctl(target_net, NS_GET_ID_IOCTL, &id);
}
static void lib_id(void)
{
	struct ns_id id;

	ns_get_id(target_net, &id);
}
static void raw_setns_mask(void)
{
	syscall(SYS_setns, target_pidfd, six_mask);
	syscall(SYS_setns, self_pidfd, six_mask);
}
static void lib_enter_mask(void)
{
	ns_enter_pidfd(target_pidfd, six_mask, 0, NULL);
	ns_enter_pidfd(self_pidfd, six_mask, 0, NULL);
}
static void lib_enter_all(void)
{
	ns_enter_pidfd(target_pidfd, NS_TYPES_ALL, 0, NULL);
	ns_enter_pidfd(self_pidfd, NS_TYPES_ALL, 0, NULL);
}
/* What a raw caller must do to enter "all" of a target that may share its user namespace. */
static bool raw_user_shared(int pidfd)
{
	char link[64];
	unsigned long long mine = 0;
	struct stat st;
	int fd = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0);
	ssize_t n = readlink("/proc/thread-self/ns/user", link, sizeof(link) - 1);

	link[n > 0 ? n : 0] = '\0';
	sscanf(link, "user:[%llu]", &mine);
	fstat(fd, &st);
	close(fd);
	return (unsigned long long)st.st_ino == mine;
}
static void raw_setns_all(void)
{
	unsigned mask = NS_TYPES_ALL;

	if (raw_user_shared(target_pidfd))
		mask &= ~(unsigned)NS_TYPE_USER;
	syscall(SYS_setns, target_pidfd, mask);
	mask = NS_TYPES_ALL;
	if (raw_user_shared(self_pidfd))
		mask &= ~(unsigned)NS_TYPE_USER;
	syscall(SYS_setns, self_pidfd, mask);
}
static void raw_setns_seven(void)
{
	syscall(SYS_setns, target_pidfd, NS_TYPES_ALL & ~NS_TYPE_USER);
	syscall(SYS_setns, self_pidfd, NS_TYPES_ALL & ~NS_TYPE_USER);
}
static void raw_enter_pid(void)
{
	int p = (int)syscall(SYS_pidfd_open, target, 0);

	syscall(SYS_setns, p, six_mask);
	close(p);
	syscall(SYS_setns, self_pidfd, six_mask);
}
static void lib_enter_pid(void)
{
	ns_enter_pid(target, six_mask, 0, NULL);
	ns_enter_pidfd(self_pidfd, six_mask, 0, NULL);
}
static void raw_six_setns(void)
{
	for (int i = 0; i < 6; i++)
		syscall(SYS_setns, fds[i], six[i]);
	for (int i = 0; i < 6; i++)
		syscall(SYS_setns, self_fds[i], six[i]);
}
static void raw_open_and_setns(void)
{
	/* what nsenter does: open each /proc/PID/ns file, setns, close */
	static const char *names[] = { "mnt", "uts", "ipc", "net", "cgroup", "pid" };
	char path[64];

	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)target, names[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		syscall(SYS_setns, fd, six[i]);
		close(fd);
	}
	for (int i = 0; i < 6; i++)
		syscall(SYS_setns, self_fds[i], six[i]);
}

static void row(const char *what, const char *raw_what, struct paired p, double target_ratio)
{
	printf("%-34s %9.0f ns   %-44s %9.0f ns   %5.2fx [%.2f-%.2f]%s\n", what, p.a, raw_what, p.b, p.ratio,
	       p.lo, p.hi, target_ratio > 0 ? (p.ratio <= target_ratio ? "  (target met)" : "  (TARGET MISSED)") : "");
}

/* Wall time of running argv to completion, in microseconds; -1 if it failed. */
static double command_us(char *const argv[])
{
	double start = paired_now();
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "ns-bench: %s exited with %d\n", argv[0], WEXITSTATUS(st));
		return -1;
	}
	return (paired_now() - start) * 1e6;
}

/* Two commands run alternately, `runs` times each. */
static int commands(char *const mine[], char *const theirs[], int runs, struct paired *p)
{
	double a[201], b[201];

	if (runs > 201)
		runs = 201;
	for (int i = 0; i < runs; i++) {
		if (i % 2) {
			a[i] = command_us(mine);
			b[i] = command_us(theirs);
		} else {
			b[i] = command_us(theirs);
			a[i] = command_us(mine);
		}
		if (a[i] < 0 || b[i] < 0)
			return -1;
	}
	*p = paired_stats(a, b, runs);
	return 0;
}

int main(int argc, char **argv)
{
	char ns_enter[PATH_MAX], pidbuf[16];
	int sync[2];
	char c;

	if (geteuid() != 0) {
		fprintf(stderr, "ns-bench: run as root (it enters namespaces of a target it creates)\n");
		return 77;
	}
	if (argc > 1)
		snprintf(ns_enter, sizeof(ns_enter), "%s", argv[1]);
	else {
		/* next to this binary: build/bench/ns-bench -> build/tools/ns-enter */
		ssize_t n = readlink("/proc/self/exe", ns_enter, sizeof(ns_enter) - 32);
		must(n > 0, "readlink /proc/self/exe");
		ns_enter[n] = '\0';
		strcpy(strrchr(ns_enter, '/'), "/../tools/ns-enter");
	}
	must(pipe(sync) == 0, "pipe");
	target = fork();
	if (target == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWCGROUP) < 0)
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	must(read(sync[0], &c, 1) == 1, "target start");
	target_pidfd = ns_pidfd_open(target, 0);
	self_pidfd = ns_pidfd_open(0, 0);
	target_net = ns_open(target, NS_TYPE_NET, 0);
	must(target_pidfd >= 0 && self_pidfd >= 0 && target_net >= 0, "opening the target");
	for (int i = 0; i < 6; i++) {
		fds[i] = ns_open(target, six[i], 0);
		self_fds[i] = ns_open(0, six[i], 0);
		must(fds[i] >= 0 && self_fds[i] >= 0, "opening namespaces");
	}
	printf("libns %s, kernel features 0x%x; %d interleaved batches: medians, and the median ratio "
	       "[interquartile range]\n\n", ns_version(), ns_features(), BATCHES);
	printf("%-34s %12s   %-44s %12s   %6s\n", "libns", "", "raw system calls", "", "ratio");
	row("ns_open(pid, net)", "pidfd_open+PIDFD_GET_NET_NAMESPACE+close", measure(lib_open, raw_open, 2000), 1.1);
	row("ns_open_pidfd(net)", "ioctl(PIDFD_GET_NET_NAMESPACE)", measure(lib_open_pidfd, raw_open_pidfd, 2000), 1.1);
	row("ns_type_of", "ioctl(NS_GET_NSTYPE)", measure(lib_type, raw_type, 20000), 1.2);
	row("ns_get_id", "fstat+ioctl(NS_GET_ID)", measure(lib_id, raw_id, 20000), 1.2);
	row("ns_enter_pidfd(6 types) there+back", "setns(pidfd, 6 types) there+back",
	    measure(lib_enter_mask, raw_setns_mask, 1000), 1.1);
	row("ns_enter_pidfd(ALL, user shared)", "user-ns check+setns(pidfd) there+back",
	    measure(lib_enter_all, raw_setns_all, 1000), 1.1);
	row("  (against setns of 7 known types)", "setns(pidfd, 7 types) there+back",
	    measure(lib_enter_all, raw_setns_seven, 1000), 0);
	row("ns_enter_pid(6 types) there+back", "pidfd_open+setns+close there+back",
	    measure(lib_enter_pid, raw_enter_pid, 1000), 1.1);
	printf("\nfor reference, the older ways of entering the same six namespaces (there and back), against\n"
	       "six setns() on open fds:\n");
	row("  open /proc/PID/ns/* + setns each", "six setns() on open fds",
	    measure(raw_open_and_setns, raw_six_setns, 500), 0);

	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)target);
	{
		char *mine[] = { ns_enter, "-t", pidbuf, "-a", "true", NULL };
		char *theirs[] = { "nsenter", "-t", pidbuf, "-a", "true", NULL };
		struct paired p;

		if (commands(mine, theirs, 201, &p) == 0) {
			printf("\nwhole commands (201 interleaved runs each, fork+exec+wait):\n");
			printf("  ns-enter -t PID -a true:  %8.0f us\n  nsenter -t PID -a true:   %8.0f us\n", p.a, p.b);
			printf("  ns-enter takes %.2fx the time of nsenter [%.2f-%.2f]%s\n", p.ratio, p.lo, p.hi,
			       p.ratio < 1 ? "  (target met: faster)" : "  (TARGET MISSED)");
		}
	}
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	return 0;
}
