/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Threaded stress (docs/hardening.md): 8 threads call libns at once for a bounded time
 * (STRESS_SECONDS, default 3; at most STRESS_MAX_ITERATIONS each, default 100000).
 *  - Cold feature cache: nothing in this process calls libns before the threads start together, and
 *    each thread's first call is a different ns_has_feature(), so the probes race; every thread must
 *    then see the same answers, and the same as ns_features() at the end.
 *  - ns_last_error() is per thread: each thread keeps provoking failures that name the thread and
 *    the iteration, and checks that its message is its own after the other threads failed meanwhile.
 *  - Concurrent ns_open / ns_open_pidfd / ns_get_id / ns_type_of / ns_equal on every type, ns_list_new
 *    (which must find the target's namespaces), ns_run_in into the target (which must see its
 *    hostname), ns_run_in_fds(NS_RUN_THREAD) and ns_socket into the target's namespaces (the thread
 *    must see the hostname, the callers never move) and ns_spawn into new namespaces (whose exit
 *    status comes back through ns_wait).
 *  - Nothing leaks: the fd count is the same before and after.
 * A plain program (not Check): it is built to run under ThreadSanitizer (scripts/ci-tsan.sh).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libns/libns.h>
#include "fdcount.h"

#define NTHREADS 8
#define NFEATURES 11
#define TARGET_HOSTNAME "libns-stress-target"

static const int types[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
			     NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
#define NTYPES (int)(sizeof(types) / sizeof(types[0]))

static pid_t target_pid;
static int target_pidfd = -1;       /* -1 where pidfd_open() is missing (valgrind 3.19): no ns_run_in */
static struct stat target_uts, target_net;
static pthread_barrier_t start_line, errors_set;
static double deadline;
static long max_iterations = 100000;
static atomic_int failures;

struct worker {
	int index;
	pthread_t thread;
	int first_feature;            /* what its very first libns call asked */
	int features[NFEATURES];      /* each ns_has_feature() answer */
	long iterations, opens, lists, run_ins, spawns, errors_checked;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	fprintf(stderr, "stress: thread %d, iteration %ld: ", w ? w->index : -1, w ? w->iterations : 0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	atomic_fetch_add(&failures, 1);
}

/* A process in its own uts and net namespaces, made without libns so that its cache stays cold. */
static int start_target(void)
{
	int p[2];
	char c = 1;
	char path[64];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	target_pid = fork();
	if (target_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUTS | CLONE_NEWNET) == 0 &&
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
	target_pidfd = (int)syscall(SYS_pidfd_open, target_pid, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)target_pid);
	if (stat(path, &target_uts) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)target_pid);
	return stat(path, &target_net);
}

/* ---- the operations ---- */

static void op_open_types(struct worker *w)
{
	for (int i = 0; i < NTYPES; i++) {
		struct ns_id id;
		int fd, fd2;

		/* no time namespaces before 5.6 (or under tests/tools/kernel-profile 5.4) */
		if (types[i] == NS_TYPE_TIME && !ns_has_feature(NS_FEATURE_TIME_NS))
			continue;
		fd = ns_open(0, types[i], 0);
		if (fd < 0) {
			fail(w, "ns_open(self, %s): %s", ns_type_name(types[i]), ns_last_error());
			continue;
		}
		if (ns_type_of(fd) != types[i])
			fail(w, "ns_type_of says 0x%x for %s", ns_type_of(fd), ns_type_name(types[i]));
		if (ns_get_id(fd, &id) < 0 || id.ino == 0)
			fail(w, "ns_get_id(%s): %s", ns_type_name(types[i]), ns_last_error());
		fd2 = ns_open(getpid(), types[i], 0);
		if (fd2 < 0 || ns_equal(fd, fd2) != 1)
			fail(w, "ns_open(getpid(), %s) is not the same namespace: %s", ns_type_name(types[i]),
			     ns_last_error());
		if (fd2 >= 0)
			close(fd2);
		close(fd);
		w->opens += 2;
	}
}

static void op_open_target(struct worker *w)
{
	struct ns_id id;
	int a = ns_open(target_pid, NS_TYPE_UTS, 0), b = -1;

	if (a < 0 || ns_get_id(a, &id) < 0 || id.ino != (uint64_t)target_uts.st_ino) {
		fail(w, "ns_open(target, uts) is not the target's: %s", ns_last_error());
	} else if (target_pidfd >= 0) {
		b = ns_open_pidfd(target_pidfd, NS_TYPE_UTS, 0);
		if (b < 0 || ns_equal(a, b) != 1)
			fail(w, "ns_open_pidfd(target, uts) differs: %s", ns_last_error());
	}
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	w->opens += 2;
}

static void op_list(struct worker *w)
{
	struct ns_list *list = NULL;
	bool uts = false, net = false;
	int r = ns_list_new(NS_TYPE_UTS | NS_TYPE_NET, NS_LIST_NO_FDS, &list);

	if (r < 0) {
		fail(w, "ns_list_new: %s", ns_last_error());
		return;
	}
	for (size_t i = 0; i < ns_list_count(list); i++) {
		const struct ns_entry *e = ns_list_get(list, i);

		uts |= e->type == NS_TYPE_UTS && e->id.ino == (uint64_t)target_uts.st_ino;
		net |= e->type == NS_TYPE_NET && e->id.ino == (uint64_t)target_net.st_ino;
	}
	if (!uts || !net)
		fail(w, "ns_list_new misses the target's %s namespace", uts ? "net" : "uts");
	ns_list_free(list);
	w->lists++;
}

static int inside_target(void *arg)
{
	struct utsname u;

	(void)arg;
	return uname(&u) == 0 && strcmp(u.nodename, TARGET_HOSTNAME) == 0 ? 42 : 1;
}

static void op_run_in(struct worker *w)
{
	int r;

	if (target_pidfd < 0)
		return;
	r = ns_run_in(target_pidfd, NS_TYPE_UTS | NS_TYPE_NET, inside_target, NULL, 0);
	if (r != 42)
		fail(w, "ns_run_in returned %d: %s", r, r < 0 ? ns_last_error() : "wrong hostname inside");
	w->run_ins++;
}

/* fresh threads entering the target's fds, from 8 threads at once; the callers must stay where they are */
static void op_run_thread(struct worker *w)
{
	int fds[2] = { ns_open(target_pid, NS_TYPE_UTS, 0), ns_open(target_pid, NS_TYPE_NET, 0) }, r, s;
	struct stat mine;

	if (fds[0] < 0 || fds[1] < 0) {
		fail(w, "ns_open of the target: %s", ns_last_error());
	} else {
		r = ns_run_in_fds(fds, 2, inside_target, NULL, NS_RUN_THREAD);
		if (r != 42)
			fail(w, "ns_run_in_fds(NS_RUN_THREAD) returned %d: %s", r, r < 0 ? ns_last_error() : "wrong hostname");
		s = ns_socket(fds[1], AF_INET, SOCK_DGRAM, 0);
		if (s < 0)
			fail(w, "ns_socket: %s", ns_last_error());
		else
			close(s);
		if (stat("/proc/thread-self/ns/net", &mine) < 0 || mine.st_ino == target_net.st_ino)
			fail(w, "the calling thread is in the target's network namespace");
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	w->run_ins++;
}

struct spawn_arg {
	int index;
	char hostname[32];
};

static int spawned(void *arg)
{
	const struct spawn_arg *a = arg;
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.nodename, a->hostname) == 0 ? 10 + a->index : 1;
}

static void op_spawn(struct worker *w)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	struct spawn_arg a = { .index = w->index };
	int pidfd = -1, status = -1, pid;

	snprintf(a.hostname, sizeof(a.hostname), "stress-%d-%ld", w->index, w->iterations);
	o.new_types = NS_TYPE_UTS | NS_TYPE_IPC;
	o.hostname = a.hostname;
	o.flags = NS_SPAWN_DIE_WITH_PARENT;
	pid = ns_spawn(&o, spawned, &a, &pidfd);
	if (pid < 0) {
		fail(w, "ns_spawn: %s", ns_last_error());
		return;
	}
	if (pidfd >= 0) {
		if (ns_wait(pidfd, &status) != pid)
			fail(w, "ns_wait: %s", ns_last_error());
		close(pidfd);
	} else if (waitpid(pid, &status, __WALL) != pid) {
		fail(w, "waitpid(%d): %s", pid, strerror(errno));
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 10 + w->index)
		fail(w, "spawned child ended with status 0x%x, expected exit %d", status, 10 + w->index);
	w->spawns++;
}

/* A failure whose message names this thread and iteration; returns the marker to look for. */
static void provoke_error(struct worker *w, char *marker, size_t size)
{
	char path[96];
	int r;

	snprintf(marker, size, "libns-stress-t%d-i%ld", w->index, w->iterations);
	if (w->iterations % 2) {
		r = ns_type_from_name(marker);
	} else {
		snprintf(path, sizeof(path), "/nonexistent/%s", marker);
		r = ns_open_path(path, 0, 0);
	}
	if (r >= 0)
		fail(w, "the provoked failure succeeded");
}

static void check_own_error(struct worker *w, const char *marker)
{
	if (!strstr(ns_last_error(), marker))
		fail(w, "ns_last_error() is \"%s\", expected this thread's \"%s\"", ns_last_error(), marker);
	w->errors_checked++;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char marker[64];

	pthread_barrier_wait(&start_line);
	/* the very first libns call of every thread: a probe, different ones racing each other */
	w->first_feature = 1 << ((w->index * 3) % NFEATURES);
	w->features[(w->index * 3) % NFEATURES] = ns_has_feature(w->first_feature);
	for (int f = 0; f < NFEATURES; f++)
		w->features[f] = ns_has_feature(1 << f);

	/* everyone's message is set before anyone reads their own */
	provoke_error(w, marker, sizeof(marker));
	pthread_barrier_wait(&errors_set);
	check_own_error(w, marker);

	for (w->iterations = 1; w->iterations <= max_iterations && now() < deadline; w->iterations++) {
		int before = atomic_load(&failures);

		provoke_error(w, marker, sizeof(marker));
		op_open_types(w);
		op_open_target(w);
		if (w->iterations % 4 == (w->index % 4))
			op_run_in(w);
		if (w->iterations % 4 == ((w->index + 1) % 4))
			op_run_thread(w);
		if (w->iterations % 4 == ((w->index + 2) % 4))
			op_spawn(w);
		if (w->iterations % 16 == w->index)
			op_list(w);
		/* successes leave the message alone, and other threads' failures never reach it */
		if (atomic_load(&failures) == before)
			check_own_error(w, marker);
	}
	w->iterations--;
	return NULL;
}

int main(void)
{
	static struct worker w[NTHREADS];
	const char *env;
	double seconds = 3, start;
	long total = 0, opens = 0, lists = 0, run_ins = 0, spawns = 0, errors = 0;
	int fds_before, fds_after, all;

	if (geteuid() != 0) {
		printf("stress: needs root (namespaces of every type); skipped\n");
		return 77;
	}
	env = getenv("STRESS_SECONDS");
	if (env && atof(env) > 0)
		seconds = atof(env);
	env = getenv("STRESS_MAX_ITERATIONS");
	if (env && atol(env) > 0)
		max_iterations = atol(env);
	if (start_target() < 0) {
		fprintf(stderr, "stress: cannot start the target process: %s\n", strerror(errno));
		return 1;
	}
	fds_before = nst_fd_count();
	pthread_barrier_init(&start_line, NULL, NTHREADS);
	pthread_barrier_init(&errors_set, NULL, NTHREADS);
	start = now();
	deadline = start + seconds;
	for (int i = 0; i < NTHREADS; i++) {
		w[i].index = i;
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "stress: pthread_create failed\n");
			return 1;
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(w[i].thread, NULL);

	/* the probes raced, but every thread got the same answers, and the cache agrees */
	all = ns_features();
	for (int i = 0; i < NTHREADS; i++)
		for (int f = 0; f < NFEATURES; f++)
			if (w[i].features[f] != !!(all & (1 << f)))
				fail(&w[i], "ns_has_feature(%s) said %d, ns_features() says %d", ns_feature_name(1 << f),
				     w[i].features[f], !!(all & (1 << f)));
	fds_after = nst_fd_count();
	if (fds_after != fds_before)
		fail(NULL, "%d fds open before the threads ran, %d after", fds_before, fds_after);
	kill(target_pid, SIGKILL);
	waitpid(target_pid, NULL, 0);
	if (target_pidfd >= 0)
		close(target_pidfd);
	for (int i = 0; i < NTHREADS; i++) {
		total += w[i].iterations;
		opens += w[i].opens;
		lists += w[i].lists;
		run_ins += w[i].run_ins;
		spawns += w[i].spawns;
		errors += w[i].errors_checked;
	}
	printf("stress: %d threads for %.1f s: %ld iterations, %ld opens, %ld lists, %ld run_ins, %ld spawns, "
	       "%ld per-thread error messages checked; features 0x%x%s\n", NTHREADS, now() - start, total, opens,
	       lists, run_ins, spawns, errors, all, target_pidfd < 0 ? " (no pidfd_open: ns_run_in skipped)" : "");
	printf("stress: %d failures\n", atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}
