/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-list: how fast ns_list_new() enumerates namespaces, against the least work possible and
 * against util-linux's lsns.
 *
 *   ninja -C build bench/bench-list && sudo build/bench/bench-list [-r RUNS] [-g GROUPS] [NS-LS]
 *
 * Creates 1000, then 5000 extra processes spread over GROUPS (200) groups: each group's leader
 * unshares uts, ipc and net namespaces and forks the rest of its group, which inherit them. Then
 * times, median of RUNS (5) runs each:
 *   minimal      readlinkat(/proc/PID/ns/TYPE) for every process and type, grouped by inode
 *   ns_list      ns_list_new(0, 0): everything, with owner, parent, id and command
 *   ns_list-nofd ns_list_new(0, NS_LIST_NO_FDS)
 *   lsns -J      the whole command, output to /dev/null
 *   ns-ls --json the whole tool (NS-LS, default ../tools/ns-ls next to this binary)
 * Every process it made is killed on exit, on error and on Ctrl-C (and by PR_SET_PDEATHSIG if
 * this program itself is killed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libns/libns.h>

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

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A group leader: new uts/ipc/net namespaces, then `members - 1` children that inherit them. */
static void leader_main(int members, int ready_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
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
			leader_main(members, p[1]);
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double time_command(char *const argv[])
{
	double t0 = now();
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
	return now() - t0;
}

enum { M_MINIMAL, M_LIST, M_LIST_NOFD, M_LSNS, M_NSLS, NMEASURES };
static const char *const measure_names[NMEASURES] = {
	"minimal scan", "ns_list_new(0, 0)", "ns_list_new(NO_FDS)", "lsns -J", "ns-ls --json",
};

static int measure(int runs, const char *nsls, double out[NMEASURES], size_t *found)
{
	char *lsns_argv[] = { "lsns", "-J", NULL };
	char *nsls_argv[] = { (char *)nsls, "--json", NULL };
	double v[NMEASURES][64];

	for (int r = 0; r < runs; r++) {
		struct ns_list *l;
		double t0;

		t0 = now();
		*found = minimal_scan();
		v[M_MINIMAL][r] = now() - t0;

		t0 = now();
		if (ns_list_new(0, 0, &l) < 0) {
			fprintf(stderr, "ns_list_new: %s\n", ns_last_error());
			return -1;
		}
		v[M_LIST][r] = now() - t0;
		ns_list_free(l);

		t0 = now();
		if (ns_list_new(0, NS_LIST_NO_FDS, &l) < 0) {
			fprintf(stderr, "ns_list_new: %s\n", ns_last_error());
			return -1;
		}
		v[M_LIST_NOFD][r] = now() - t0;
		ns_list_free(l);

		v[M_LSNS][r] = time_command(lsns_argv);
		v[M_NSLS][r] = time_command(nsls_argv);
		if (v[M_LSNS][r] < 0 || v[M_NSLS][r] < 0)
			return -1;
	}
	for (int m = 0; m < NMEASURES; m++)
		out[m] = median(v[m], runs);
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
	static const int sizes[] = { 1000, 5000 };
	double res[2][NMEASURES];
	int runs = 5, groups = 200, opt, nproc[2];
	char nsls[PATH_MAX];
	struct rlimit rl;
	struct sigaction sa = { .sa_handler = on_signal };

	while ((opt = getopt(argc, argv, "r:g:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'g')
			groups = atoi(optarg);
		else
			goto usage;
	}
	if (runs < 1 || runs > 64 || groups < 1 || groups > MAX_GROUPS || argc - optind > 1)
		goto usage;
	if (optind < argc) {
		snprintf(nsls, sizeof(nsls), "%s", argv[optind]);
	} else {
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0) {
			perror("readlink /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(nsls, sizeof(nsls), "%s/../tools/ns-ls", dirname(self));
	}
	if (access(nsls, X_OK) < 0) {
		fprintf(stderr, "bench-list: no ns-ls at %s (build it, or pass its path)\n", nsls);
		return 1;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "bench-list: run as root (it creates network namespaces)\n");
		return 77;
	}
	/* 5000 processes must fit under RLIMIT_NPROC and pid_max */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 20000) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 20000 ? 20000 : rl.rlim_max;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	printf("bench-list: %d groups of namespaces (uts+ipc+net), median of %d runs\n", groups, runs);
	for (int s = 0; s < 2; s++) {
		size_t found = 0;

		if (make_groups(sizes[s], groups) < 0) {
			kill_groups();
			return 1;
		}
		nproc[s] = count_processes();
		if (measure(runs, nsls, res[s], &found) < 0) {
			kill_groups();
			return 1;
		}
		kill_groups();
		printf("\n%d extra processes (%d in /proc), %zu namespaces:\n", sizes[s], nproc[s], found);
		for (int m = 0; m < NMEASURES; m++)
			printf("  %-22s %9.2f ms\n", measure_names[m], res[s][m] * 1e3);
	}
	printf("\nratios at 5000:\n");
	printf("  ns_list_new / minimal          %6.2fx  (target <= 1.3)\n", res[1][M_LIST] / res[1][M_MINIMAL]);
	printf("  ns_list_new(NO_FDS) / minimal  %6.2fx\n", res[1][M_LIST_NOFD] / res[1][M_MINIMAL]);
	printf("  lsns -J / ns_list_new          %6.1fx  (target >= 20)\n", res[1][M_LSNS] / res[1][M_LIST]);
	printf("  lsns -J / ns-ls --json         %6.1fx  (target >= 15)\n", res[1][M_LSNS] / res[1][M_NSLS]);
	printf("  lsns -J / ns_list_new(NO_FDS)  %6.1fx\n", res[1][M_LSNS] / res[1][M_LIST_NOFD]);
	printf("  lsns -J / minimal              %6.1fx  (the ceiling for any scan of /proc/PID/ns)\n",
	       res[1][M_LSNS] / res[1][M_MINIMAL]);
	printf("linearity, time at 5000 / time at 1000 (processes x%.2f; target <= 5.5):\n",
	       (double)nproc[1] / nproc[0]);
	for (int m = 0; m < NMEASURES; m++)
		printf("  %-22s %6.2fx\n", measure_names[m], res[1][m] / res[0][m]);
	return 0;
usage:
	fprintf(stderr, "usage: %s [-r RUNS] [-g GROUPS] [PATH-TO-NS-LS]\n", argv[0]);
	return 2;
}
