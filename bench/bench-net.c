/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-net: libns's fd-based running and network plumbing next to what they are made of, measured as
 * interleaved pairs (libns, then the other, order alternating run by run); for each comparison the
 * median of the per-pair ratios libns/other and its interquartile range (bench/paired.h).
 *
 *   1. the walkthrough's setup (2 named netns, a veth pair across them, 2 addresses, 4 links up) with
 *      libns vs the nine `ip` commands that do the same (teardown not timed);
 *   2. ns_run_in_fds(net, NS_RUN_THREAD) with an empty fn vs the raw thread + setns + setns-back;
 *   3. ns_socket(net) vs the same raw thread + setns + socket, and vs setns + socket + setns-back on
 *      the calling thread (the classic way, which moves the caller).
 *
 * Run as root, on demand:  ninja -C build bench/bench-net && build/bench/bench-net [pairs]
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "paired.h"

static int target_net, own_net;
static char name_a[32], name_b[32];

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "bench-net: %s failed: %s\n", what, ns_last_error());
		exit(1);
	}
}

/*
 * pairs interleaved runs of a (libns) and b (the other), each run `per_run` operations; prints the
 * medians of both (per operation) and the median ratio a/b with its interquartile range.
 */
/* One row: the medians of a and b (seconds per operation, printed in us) and their paired ratio. */
static void print_pairs(const char *what, const double *ta, const double *tb, int pairs)
{
	struct paired p = paired_stats(ta, tb, pairs);

	printf("%-58s %10.1f us %10.1f us   %5.2fx  (%.2f..%.2f)\n", what, p.a * 1e6, p.b * 1e6, p.ratio, p.lo,
	       p.hi);
}

static void compare(const char *what, void (*a)(void), void (*b)(void), int pairs, int per_run)
{
	double *ta = calloc((size_t)pairs, sizeof(double)), *tb = calloc((size_t)pairs, sizeof(double));

	must(ta && tb, "calloc");
	for (int i = 0; i < per_run; i++) {   /* warm up: caches, probes, glibc's stack cache */
		a();
		b();
	}
	for (int p = 0; p < pairs; p++) {
		for (int k = 0; k < 2; k++) {
			bool first_a = (p + k) % 2 == 0;
			void (*op)(void) = first_a ? a : b;
			double start = paired_now();

			for (int i = 0; i < per_run; i++)
				op();
			(first_a ? ta : tb)[p] = (paired_now() - start) / per_run;
		}
	}
	print_pairs(what, ta, tb, pairs);
	free(ta);
	free(tb);
}

/* ---- 1. the walkthrough's setup ---- */

static void teardown(void)
{
	ns_netns_del(name_a);
	ns_netns_del(name_b);
}

static void setup_libns(void)
{
	int a, b;

	must(ns_netns_add(name_a, -1, 0) == 0 && ns_netns_add(name_b, -1, 0) == 0, "ns_netns_add");
	a = ns_netns_open(name_a);
	b = ns_netns_open(name_b);
	must(a >= 0 && b >= 0, "ns_netns_open");
	must(ns_net_veth_add(a, "bv0", b, "bv1") == 0, "ns_net_veth_add");
	must(ns_net_addr_add(a, "bv0", "10.0.0.1/24") == 0 && ns_net_addr_add(b, "bv1", "10.0.0.2/24") == 0,
	     "ns_net_addr_add");
	must(ns_net_link_up(a, "bv0") == 0 && ns_net_link_up(a, "lo") == 0 && ns_net_link_up(b, "bv1") == 0 &&
	     ns_net_link_up(b, "lo") == 0, "ns_net_link_up");
	close(a);
	close(b);
}

/* one ip command, exec'd directly (no shell in the timing); fmt's words are split on spaces */
static void ip(const char *fmt, ...)
{
	char args[160], *argv[16], *save;
	va_list ap;
	pid_t pid;
	int n = 0, st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	argv[n++] = "ip";
	for (char *t = strtok_r(args, " ", &save); t && n < 15; t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		execv("/usr/sbin/ip", argv);
		execv("/sbin/ip", argv);
		_exit(127);
	}
	must(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "ip");
}

static void setup_ip(void)
{
	ip("netns add %s", name_a);
	ip("netns add %s", name_b);
	ip("link add bv0 netns %s type veth peer name bv1 netns %s", name_a, name_b);
	ip("-n %s addr add 10.0.0.1/24 dev bv0", name_a);
	ip("-n %s addr add 10.0.0.2/24 dev bv1", name_b);
	ip("-n %s link set bv0 up", name_a);
	ip("-n %s link set lo up", name_a);
	ip("-n %s link set bv1 up", name_b);
	ip("-n %s link set lo up", name_b);
}

/* timed setup, untimed teardown: the pair's runs each pay their own teardown outside the clock */
static double setup_cost;
static void timed(void (*setup)(void))
{
	double t = paired_now();

	setup();
	setup_cost += paired_now() - t;
	teardown();
}

static double run_setups(void (*setup)(void), int n)
{
	setup_cost = 0;
	for (int i = 0; i < n; i++)
		timed(setup);
	return setup_cost / n;
}

static void compare_setups(int pairs)
{
	double *ta = calloc((size_t)pairs, sizeof(double)), *tb = calloc((size_t)pairs, sizeof(double));

	must(ta && tb, "calloc");
	run_setups(setup_libns, 2);
	run_setups(setup_ip, 2);
	for (int p = 0; p < pairs; p++) {
		if (p % 2) {
			ta[p] = run_setups(setup_libns, 1);
			tb[p] = run_setups(setup_ip, 1);
		} else {
			tb[p] = run_setups(setup_ip, 1);
			ta[p] = run_setups(setup_libns, 1);
		}
	}
	print_pairs("walkthrough setup: libns vs 9 ip commands", ta, tb, pairs);
	free(ta);
	free(tb);
}

/* ---- 2. a round trip into a network namespace on a fresh thread ---- */

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

static void run_libns(void)
{
	must(ns_run_in_fds(&target_net, 1, nothing, NULL, NS_RUN_THREAD) == 0, "ns_run_in_fds");
}

static void *raw_thread(void *arg)
{
	int *sock = arg;

	if (setns(target_net, CLONE_NEWNET) < 0)
		return (void *)1;
	if (sock)
		*sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	else
		nothing(NULL);
	return setns(own_net, CLONE_NEWNET) < 0 ? (void *)1 : NULL;
}

static void run_raw(void)
{
	pthread_t t;
	void *r;

	must(pthread_create(&t, NULL, raw_thread, NULL) == 0 && pthread_join(t, &r) == 0 && !r, "raw thread");
}

/* ---- 3. a socket inside ---- */

static void socket_libns(void)
{
	int s = ns_socket(target_net, AF_INET, SOCK_DGRAM, 0);

	must(s >= 0, "ns_socket");
	close(s);
}

static void socket_raw_thread(void)
{
	pthread_t t;
	int s = -1;
	void *r;

	must(pthread_create(&t, NULL, raw_thread, &s) == 0 && pthread_join(t, &r) == 0 && !r && s >= 0, "raw");
	close(s);
}

static void socket_raw_inplace(void)
{
	int s;

	must(setns(target_net, CLONE_NEWNET) == 0, "setns");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	must(setns(own_net, CLONE_NEWNET) == 0 && s >= 0, "setns back");
	close(s);
}

int main(int argc, char *argv[])
{
	int pairs = argc > 1 ? atoi(argv[1]) : 31;

	if (geteuid() != 0 || pairs < 3) {
		fprintf(stderr, "usage: bench-net [pairs >= 3], as root\n");
		return 2;
	}
	snprintf(name_a, sizeof(name_a), "libns-bench-%d-a", (int)getpid());
	snprintf(name_b, sizeof(name_b), "libns-bench-%d-b", (int)getpid());
	must(ns_netns_add(name_a, -1, 0) == 0, "ns_netns_add");
	target_net = ns_netns_open(name_a);
	own_net = ns_open(0, NS_TYPE_NET, 0);
	must(ns_netns_del(name_a) == 0 && target_net >= 0 && own_net >= 0, "setup");

	printf("%-58s %13s %13s   %s\n", "per operation (medians of runs)", "libns", "other", "ratio (p25..p75)");
	compare("ns_run_in_fds(net, NS_RUN_THREAD) vs thread+setns+back", run_libns, run_raw, pairs, 200);
	compare("ns_socket(net) vs thread+setns+socket+back", socket_libns, socket_raw_thread, pairs, 200);
	compare("ns_socket(net) vs setns+socket+setns back in place", socket_libns, socket_raw_inplace, pairs, 200);
	compare_setups(pairs < 11 ? pairs : 11);
	close(target_net);
	close(own_net);
	return 0;
}
