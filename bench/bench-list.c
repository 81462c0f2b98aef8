/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-list: ns_list_new() on both of its paths, against the least work possible and against
 * util-linux's lsns.
 *
 *   ninja -C build bench/bench-list && sudo build/bench/bench-list [-r RUNS] [-g GROUPS] [-s N,N,...] [NS-LS]
 *
 * Creates 1000, 5000 and 10000 extra processes (-s) spread over GROUPS (200) groups: each group's
 * leader unshares uts, ipc and net namespaces and forks the rest of its group, which inherit them;
 * every tenth leader first keeps an fd on a network namespace no process is in, which its members
 * inherit (fd-held namespaces); and MOUNTED uts namespaces no process is in are bind-mounted in a
 * private mount namespace of this program's (mount-held). Then RUNS (7) interleaved pairs of each (bench/paired.h: the median
 * of the per-run ratios and its interquartile range):
 *   bpf / minimal     ns_list_new(0, 0) on the BPF path, programs loaded (the repeated call), against
 *                     the minimal scan: readlinkat(/proc/PID/ns/TYPE) for every process and type,
 *                     grouped by inode
 *   proc / minimal    ns_list_new(0, NS_LIST_PROC_ONLY) against the same
 *   bpf first / proc  the first ns_list_new(0, 0) of a fresh process (this program re-executed), which
 *                     loads the programs, against a fresh process's first call on the /proc path
 *   ns-ls / lsns      ns-ls --json (NS-LS; default ../tools/ns-ls next to this binary) against lsns -J,
 *                     whole commands, output to /dev/null
 * and how each grows from the smallest size to the largest, against the number of processes.
 * Every process it made is killed on exit, on error and on Ctrl-C (and by PR_SET_PDEATHSIG if
 * this program itself is killed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libns/libns.h>
#include "paired.h"

#define MAX_GROUPS 4096

static pid_t leaders[MAX_GROUPS];
static volatile sig_atomic_t nleaders;

/* Async-signal-safe: used from the signal handler as well as on normal exit. */
static void kill_groups(void)
{
	for (int i = 0; i < nleaders; i++)
		if (leaders[i] > 0)
			kill(-leaders[i], SIGKILL);   /* each group is its own process group */
	/* members orphaned by their leader come back to us (subreaper): reap everything */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	nleaders = 0;
}

static void on_signal(int sig)
{
	kill_groups();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A group leader: new uts/ipc/net namespaces, then `members - 1` children that inherit them. With
 * hold_fd, first an fd on a network namespace that it then leaves, which the children inherit.
 */
static void leader_main(int members, int ready_fd, bool hold_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (hold_fd && (unshare(CLONE_NEWNET) < 0 || open("/proc/self/ns/net", O_RDONLY) < 0))
		_exit(1);
	if (unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) < 0)
		_exit(1);
	for (int i = 1; i < members; i++) {
		pid_t p = fork();

		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(ready_fd);
			for (;;)
				pause();
		}
		if (p < 0)
			_exit(2);
	}
	if (write(ready_fd, "", 1) != 1)
		_exit(3);
	close(ready_fd);
	for (;;)
		pause();
}

static int make_groups(int total, int groups)
{
	int p[2];
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	for (int g = 0; g < groups; g++) {
		int members = total / groups + (g < total % groups);
		pid_t pid = fork();

		if (pid == 0) {
			close(p[0]);
			setpgid(0, 0);
			leader_main(members, p[1], g % 10 == 0);
		}
		if (pid < 0) {
			perror("fork");
			close(p[0]);
			close(p[1]);
			return -1;
		}
		setpgid(pid, pid);   /* also here, so kill_groups never races the child's own call */
		leaders[nleaders] = pid;
		nleaders = nleaders + 1;
	}
	close(p[1]);
	for (int g = 0; g < groups; g++)
		if (read(p[0], &c, 1) != 1) {
			fprintf(stderr, "bench-list: a group failed to start (unshare or fork)\n");
			close(p[0]);
			return -1;
		}
	close(p[0]);
	return 0;
}

#define MOUNTED 20

/* The namespaces ns_list_new() finds held by mounts: MOUNTED, or the setup failed. */
static int count_mounted(void)
{
	struct ns_list *l;
	int n = 0;

	if (ns_list_new(NS_TYPE_UTS, 0, &l) < 0)
		return -1;
	for (size_t i = 0; i < ns_list_count(l); i++)
		n += ns_list_get(l, i)->held_by == NS_HELD_BY_MOUNT;
	ns_list_free(l);
	return n == MOUNTED ? 0 : -1;
}

/*
 * MOUNTED uts namespaces held by bind mounts only, on a tmpfs over /tmp in a mount namespace of our
 * own (private: nothing is seen outside, and all of it goes with this process). lsns and ns-ls run
 * in it too.
 */
static int mount_held(void)
{
	char path[64], src[64];

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "size=64k") < 0)
		return -1;
	for (int i = 0; i < MOUNTED; i++) {
		int p[2], fd;
		char c;
		pid_t pid;

		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		pid = fork();
		if (pid == 0) {
			_exit(unshare(CLONE_NEWUTS) == 0 && write(p[1], "", 1) == 1 ? (pause(), 0) : 1);
		}
		close(p[1]);
		snprintf(path, sizeof(path), "/tmp/uts-%d", i);
		snprintf(src, sizeof(src), "/proc/%d/ns/uts", (int)pid);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (pid < 0 || read(p[0], &c, 1) != 1 || fd < 0 || mount(src, path, NULL, MS_BIND, NULL) < 0)
			return -1;
		close(fd);
		close(p[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return count_mounted();
}

/* ---- the minimal scan: what any /proc-based listing must at least do ---- */

struct slot {
	uint64_t ino;
	uint32_t count;
};

static const char *const ns_names[] = { "mnt", "cgroup", "uts", "ipc", "user", "pid", "net", "time" };

static size_t minimal_scan(void)
{
	static char buf[32768];
	size_t nslots = 1u << 16, distinct = 0;
	struct slot *tab = calloc(nslots, sizeof(*tab));
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t n;

	if (!tab || procfd < 0) {
		free(tab);
		return 0;
	}
	while ((n = getdents64(procfd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char path[32], link[64];
			int dfd;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "%.16s/ns", d->d_name);
			dfd = openat(procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (dfd < 0)
				continue;
			for (size_t t = 0; t < sizeof(ns_names) / sizeof(ns_names[0]); t++) {
				ssize_t len = readlinkat(dfd, ns_names[t], link, sizeof(link) - 1);
				char *br;
				uint64_t ino;
				size_t h;

				if (len < 0)
					continue;
				link[len] = '\0';
				br = strchr(link, '[');
				if (!br)
					continue;
				ino = strtoull(br + 1, NULL, 10);
				for (h = (ino * 0x9e3779b97f4a7c15ull >> 40) & (nslots - 1); tab[h].ino && tab[h].ino != ino;
				     h = (h + 1) & (nslots - 1))
					;
				if (!tab[h].ino) {
					tab[h].ino = ino;
					distinct++;
				}
				tab[h].count++;
			}
			close(dfd);
		}
	}
	close(procfd);
	free(tab);
	return distinct;
}

/* ---- timing ---- */

/* One ns_list_new(0, flags) in a process of its own, as a program's first call: its seconds, or -1. */
static double first_call(const char *self, unsigned flags)
{
	char arg[16], out[64] = "";
	int p[2], st;
	ssize_t n;
	pid_t pid;

	snprintf(arg, sizeof(arg), "%u", flags);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(self, self, "--first-call", arg, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || n <= 0)
		return -1;
	return atof(out);
}

/* The re-executed side of first_call(). */
static int do_first_call(const char *flags)
{
	struct ns_list *l;
	double t0 = paired_now();

	if (ns_list_new(0, (unsigned)strtoul(flags, NULL, 0), &l) < 0) {
		fprintf(stderr, "bench-list: %s\n", ns_last_error());
		return 1;
	}
	printf("%.9f\n", paired_now() - t0);
	ns_list_free(l);
	return 0;
}

static double time_command(char *const argv[])
{
	double t0 = paired_now();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench-list: %s failed\n", argv[0]);
		return -1;
	}
	return paired_now() - t0;
}

static double time_list(unsigned flags)
{
	struct ns_list *l;
	double t0 = paired_now();

	if (ns_list_new(0, flags, &l) < 0) {
		fprintf(stderr, "bench-list: ns_list_new(0, 0x%x): %s\n", flags, ns_last_error());
		return -1;
	}
	t0 = paired_now() - t0;
	ns_list_free(l);
	return t0;
}

static double time_minimal(void)
{
	double t0 = paired_now();

	minimal_scan();
	return paired_now() - t0;
}

enum { P_BPF, P_PROC, P_FIRST, P_TOOLS, NPAIRS };
static const char *const pair_names[NPAIRS][2] = {
	{ "ns_list_new(0, 0), BPF", "minimal scan" },
	{ "ns_list_new(PROC_ONLY)", "minimal scan" },
	{ "first call, BPF", "first call, /proc" },
	{ "ns-ls --json", "lsns -J" },
};

/* One side of pair k in run r: seconds, or -1 on failure. */
static double side(int k, int which, const char *self, const char *nsls)
{
	char *lsns_argv[] = { "lsns", "-J", NULL };
	char *nsls_argv[] = { (char *)nsls, "--json", NULL };

	switch (k * 2 + which) {
	case P_BPF * 2: return time_list(0);
	case P_PROC * 2: return time_list(NS_LIST_PROC_ONLY);
	case P_FIRST * 2: return first_call(self, 0);
	case P_FIRST * 2 + 1: return first_call(self, NS_LIST_PROC_ONLY);
	case P_TOOLS * 2: return time_command(nsls_argv);
	case P_TOOLS * 2 + 1: return time_command(lsns_argv);
	}
	return time_minimal();
}

static int measure(int runs, const char *self, const char *nsls, struct paired out[NPAIRS])
{
	double v[NPAIRS][2][64];

	for (int r = 0; r < runs; r++)
		for (int k = 0; k < NPAIRS; k++)
			for (int w = 0; w < 2; w++) {
				int which = r % 2 ? w : 1 - w;   /* alternate which side goes first */

				v[k][which][r] = side(k, which, self, nsls);
				if (v[k][which][r] < 0)
					return -1;
			}
	for (int k = 0; k < NPAIRS; k++)
		out[k] = paired_stats(v[k][0], v[k][1], runs);
	return 0;
}

static int count_processes(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int sizes[8] = { 1000, 5000, 10000 }, nsizes = 3, nproc[8];
	struct paired res[8][NPAIRS];
	int runs = 7, groups = 200, opt;
	char nsls[PATH_MAX], self[PATH_MAX];
	struct rlimit rl;
	struct sigaction sa = { .sa_handler = on_signal };
	ssize_t n;

	if (argc == 3 && strcmp(argv[1], "--first-call") == 0)
		return do_first_call(argv[2]);
	while ((opt = getopt(argc, argv, "r:g:s:")) != -1) {
		if (opt == 'r') {
			runs = atoi(optarg);
		} else if (opt == 'g') {
			groups = atoi(optarg);
		} else if (opt == 's') {
			char *save = NULL;

			nsizes = 0;
			for (char *t = strtok_r(optarg, ",", &save); t && nsizes < 8; t = strtok_r(NULL, ",", &save))
				sizes[nsizes++] = atoi(t);
		} else {
			goto usage;
		}
	}
	if (runs < 1 || runs > 64 || groups < 1 || groups > MAX_GROUPS || argc - optind > 1 || nsizes < 1)
		goto usage;
	for (int i = 0; i < nsizes; i++)
		if (sizes[i] < groups || sizes[i] > 20000)
			goto usage;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		perror("readlink /proc/self/exe");
		return 1;
	}
	self[n] = '\0';
	if (optind < argc) {
		snprintf(nsls, sizeof(nsls), "%s", argv[optind]);
	} else {
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%s", self);
		snprintf(nsls, sizeof(nsls), "%s/../tools/ns-ls", dirname(dir));
	}
	if (access(nsls, X_OK) < 0) {
		fprintf(stderr, "bench-list: no ns-ls at %s (build it, or pass its path)\n", nsls);
		return 1;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "bench-list: run as root (it creates network namespaces)\n");
		return 77;
	}
	if (ns_has_feature(NS_FEATURE_BPF_ITER) != 1 || time_list(NS_LIST_BPF_ONLY) < 0) {
		fprintf(stderr, "bench-list: the BPF path is not available here (NS_FEATURE_BPF_ITER)\n");
		return 77;
	}
	/* the processes must fit under RLIMIT_NPROC and pid_max */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 30000) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 30000 ? 30000 : rl.rlim_max;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	if (mount_held() < 0) {
		perror("bench-list: bind-mounting namespaces in a private mount namespace");
		return 1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	printf("bench-list: %d groups of namespaces (uts+ipc+net, every tenth with an fd-held net), %d mount-held, "
	       "%d interleaved pairs;\nmedians, and the median ratio of the pairs [interquartile range]\n", groups,
	       MOUNTED, runs);
	for (int s = 0; s < nsizes; s++) {
		if (make_groups(sizes[s], groups) < 0) {
			kill_groups();
			return 1;
		}
		nproc[s] = count_processes();
		if (measure(runs, self, nsls, res[s]) < 0) {
			kill_groups();
			return 1;
		}
		kill_groups();
		printf("\n%d extra processes (%d in /proc):\n", sizes[s], nproc[s]);
		for (int k = 0; k < NPAIRS; k++)
			printf("  %-24s %9.2f ms   %-18s %9.2f ms   %6.3fx [%.3f-%.3f]\n", pair_names[k][0],
			       res[s][k].a * 1e3, pair_names[k][1], res[s][k].b * 1e3, res[s][k].ratio, res[s][k].lo,
			       res[s][k].hi);
	}
	printf("\ntargets:\n");
	for (int s = 0; s < nsizes; s++) {
		if (sizes[s] >= 3000 && sizes[s] <= 5000)
			printf("  at %5d: repeated BPF / minimal %.3fx (<= 0.3), first BPF call / /proc %.2fx (<= 1.5)\n",
			       sizes[s], res[s][P_BPF].ratio, res[s][P_FIRST].ratio);
		if (sizes[s] == 5000)
			printf("  at %5d: lsns -J / ns-ls --json %.1fx (>= 10)\n", sizes[s], 1 / res[s][P_TOOLS].ratio);
	}
	if (nsizes > 1) {
		printf("linearity, time at %d / time at %d (processes x%.2f):\n", sizes[nsizes - 1], sizes[0],
		       (double)nproc[nsizes - 1] / nproc[0]);
		for (int k = 0; k < NPAIRS; k++)
			for (int w = 0; w < 2; w++)
				if (!(k == P_PROC && w == 1))   /* the same minimal scan as P_BPF's */
					printf("  %-24s %6.2fx\n", pair_names[k][w],
					       (w ? res[nsizes - 1][k].b : res[nsizes - 1][k].a) /
					       (w ? res[0][k].b : res[0][k].a));
	}
	return 0;
usage:
	fprintf(stderr, "usage: %s [-r RUNS] [-g GROUPS] [-s N,N,...] [PATH-TO-NS-LS]\n", argv[0]);
	return 2;
}
