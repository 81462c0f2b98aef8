/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-netns: named network namespaces (/run/netns) with libns against the raw system calls the
 * same work is made of, and against iproute2's `ip -batch` doing the same work.
 *
 *   ninja -C build bench/bench-netns && sudo build/bench/bench-netns [-r ROUNDS] [-n OPS] [-b BATCH] [-i IP]
 *
 * Three comparisons, each measured as interleaved pairs (the two sides alternate run by run, and
 * which goes first alternates too, so drift and the kernel's deferred namespace cleanup hit both):
 *   new        ns_netns_add(NAME, -1) + ns_netns_del(NAME)
 *              raw: create the file, unshare(CLONE_NEWNET) and setns() back, bind the new namespace
 *              onto the file (open_tree + move_mount); umount2 + unlink
 *   existing   ns_netns_add(NAME, fd) + ns_netns_del(NAME) of a namespace held by an fd
 *              raw: create the file, open_tree + move_mount; umount2 + unlink
 *   ip-batch   BATCH x ns_netns_add/del of a new namespace, against one `ip -batch` of BATCH
 *              "netns add"/"netns del" lines (its process start-up included, as a user pays it)
 * Each run is OPS (4) pairs against raw, BATCH (40) against ip; ROUNDS (101) runs. Each comparison
 * prints the median of the per-run ratios libns/other and their quartiles (bench/paired.h), and the
 * median cost per pair of each side.
 * It runs in a private mount namespace with a tmpfs on /run, so the host's /run/netns is untouched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libns/libns.h>
#include "paired.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

#define MAX_ROUNDS 2001

static int rounds = 101, ops = 4, batch_ops = 40;
static const char *ip_path = "/usr/sbin/ip";
static int held_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "bench-netns: %s: %s (%s)\n", what, strerror(errno), ns_last_error());
	exit(1);
}

static void name_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "bench-%d", i);
}

/* ---- libns ---- */

static void lib_new(int i)
{
	char name[32];

	name_of(name, sizeof(name), i);
	if (ns_netns_add(name, -1, 0) < 0 || ns_netns_del(name) < 0)
		die("libns add/del");
}

static void lib_existing(int i)
{
	char name[32];

	name_of(name, sizeof(name), i);
	if (ns_netns_add(name, held_fd, 0) < 0 || ns_netns_del(name) < 0)
		die("libns add(fd)/del");
}

/* ---- raw: the system calls, with the set-up of /run/netns done once beforehand ---- */

static void raw_bind(int nsfd, const char *path, int filefd)
{
	int tree = (int)syscall(SYS_open_tree, nsfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);

	if (tree < 0 || syscall(SYS_move_mount, tree, "", filefd, "",
				MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die(path);
	close(tree);
}

static void raw_del(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
		die("raw del");
}

static void raw_new(int i)
{
	char path[64];
	int fd, self, nsfd;

	snprintf(path, sizeof(path), "/run/netns/bench-%d", i);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || self < 0 || unshare(CLONE_NEWNET) < 0)
		die("raw add");
	nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(self, CLONE_NEWNET) < 0)
		die("raw add: back");
	raw_bind(nsfd, path, fd);
	close(nsfd);
	close(self);
	close(fd);
	raw_del(path);
}

static void raw_existing(int i)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/bench-%d", i);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		die("raw add(fd)");
	raw_bind(held_fd, path, fd);
	close(fd);
	raw_del(path);
}

/* ---- ip -batch ---- */

static char batch_file[] = "/run/bench-netns-batch";

static void write_batch(void)
{
	FILE *f = fopen(batch_file, "we");

	if (!f)
		die(batch_file);
	for (int i = 0; i < batch_ops; i++)
		fprintf(f, "netns add bench-%d\nnetns del bench-%d\n", i, i);
	fclose(f);
}

static double time_ip_batch(void)
{
	double t0 = paired_now();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		execl(ip_path, "ip", "-batch", batch_file, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("ip -batch");
	return paired_now() - t0;
}

static double time_ops(void (*op)(int), int n)
{
	double t0 = paired_now();

	for (int i = 0; i < n; i++)
		op(i);
	return paired_now() - t0;
}

/* Interleaved pairs; `other` is either a per-op function or NULL for ip -batch. */
static void compare(const char *label, void (*lib)(int), void (*other)(int), const char *other_name)
{
	double tl[MAX_ROUNDS], to[MAX_ROUNDS];
	int n = other ? ops : batch_ops;
	struct paired p;

	time_ops(lib, n); /* warm up: probes, caches, the first set-up of /run/netns */
	if (other)
		time_ops(other, n);
	else
		time_ip_batch();
	for (int r = 0; r < rounds; r++) {
		if (r % 2 == 0) {
			tl[r] = time_ops(lib, n) / n;
			to[r] = other ? time_ops(other, n) / n : time_ip_batch() / n;
		} else {
			to[r] = other ? time_ops(other, n) / n : time_ip_batch() / n;
			tl[r] = time_ops(lib, n) / n;
		}
	}
	p = paired_stats(tl, to, rounds);
	printf("%-9s libns %7.1f us/pair  %-3s %7.1f us/pair  libns/%s: median %.3f, quartiles %.3f .. %.3f\n", label,
	       p.a * 1e6, other_name, p.b * 1e6, other_name, p.ratio, p.lo, p.hi);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "r:n:b:i:")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'n')
			ops = atoi(optarg);
		else if (opt == 'b')
			batch_ops = atoi(optarg);
		else if (opt == 'i')
			ip_path = optarg;
		else {
			fprintf(stderr, "usage: bench-netns [-r ROUNDS] [-n OPS] [-b BATCH] [-i IP]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || ops < 1 || batch_ops < 1) {
		fprintf(stderr, "bench-netns: -r 1..%d, -n and -b >= 1\n", MAX_ROUNDS);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "bench-netns: needs root\n");
		return 77;
	}
	/* a private /run: nothing of this run is seen outside, and it all goes with this process */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("bench-netns", "/run", "tmpfs", 0, "mode=0755") < 0)
		die("private /run");
	held_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (held_fd < 0)
		die("open own netns");
	/* the raw side's one-time set-up, as ip netns add does it */
	if (mkdir("/run/netns", 0755) < 0 || mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) < 0)
		die("set up /run/netns");
	printf("bench-netns: %d rounds; per run %d add+del pairs against raw, %d against ip -batch\n", rounds,
	       ops, batch_ops);
	compare("new", lib_new, raw_new, "raw");
	compare("existing", lib_existing, raw_existing, "raw");
	if (access(ip_path, X_OK) == 0) {
		write_batch();
		compare("ip-batch", lib_new, NULL, "ip");
		unlink(batch_file);
	} else {
		printf("ip-batch  skipped: no %s\n", ip_path);
	}
	close(held_fd);
	return 0;
}
