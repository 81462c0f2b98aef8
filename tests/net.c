/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net.h and ns_netns_list: links, veth pairs and addresses in named network namespaces the test makes,
 * with ip(8) as the oracle (`ip -n NAME -j ...`) and real traffic across the pairs. Addresses are
 * 10.x and fd00:: and live only inside the test's namespaces. Names carry the suite's pid.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "helpers.h"

static char prefix[32];   /* "lnst<pid>-": every /run/netns name this suite makes */

static unsigned long long thread_net_ino(void)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* A named network namespace (so `ip -n` finds it); returns an fd of it. */
static int make_netns(const char *suffix, char *name, size_t size)
{
	int fd;

	snprintf(name, size, "%s%s", prefix, suffix);
	ck_assert_msg(ns_netns_add(name, -1, 0) == 0, "%s", ns_last_error());
	fd = ns_netns_open(name);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static void drop_netns(const char *name, int fd)
{
	close(fd);
	ck_assert_msg(ns_netns_del(name) == 0, "%s", ns_last_error());
}

/* `ip [-n NETNS] -j ARGS`, its output (static buffer). */
static const char *ip_json(const char *netns, const char *args)
{
	static char out[65536];
	char cmd[256];
	size_t n = 0, r;
	FILE *p;

	if (netns)
		snprintf(cmd, sizeof(cmd), "PATH=/usr/sbin:/sbin:$PATH ip -n %s -j %s 2>/dev/null", netns, args);
	else
		snprintf(cmd, sizeof(cmd), "PATH=/usr/sbin:/sbin:$PATH ip -j %s 2>/dev/null", args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	pclose(p);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* IPv6 addresses usable at once: no duplicate address detection in the test's namespaces. */
static int no_dad(void *arg)
{
	static const char *const files[] = { "/proc/sys/net/ipv6/conf/all/accept_dad",
					     "/proc/sys/net/ipv6/conf/default/accept_dad" };

	(void)arg;
	for (int i = 0; i < 2; i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		if (write(fd, "0", 1) != 1) {
			close(fd);
			return -EIO;
		}
		close(fd);
	}
	return 0;
}

/* A datagram from namespace `from` to addr:port in `to`, and the answer back. */
static void udp_echo(int from, int to, int family, const char *addr)
{
	struct sockaddr_storage ss = { 0 }, peer;
	struct timeval tv = { .tv_sec = 10 };  /* a safety net against a hang, not an assertion */
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6), plen;
	int srv = ns_socket(to, family, SOCK_DGRAM, 0), cli = ns_socket(from, family, SOCK_DGRAM, 0);
	char buf[16];

	ck_assert_int_ge(srv, 0);
	ck_assert_int_ge(cli, 0);
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(4790);
		inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(4790);
		inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr);
	}
	ck_assert_msg(bind(srv, (struct sockaddr *)&ss, len) == 0, "bind %s: %s", addr, strerror(errno));
	setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ck_assert_int_eq(sendto(cli, "ping", 4, 0, (struct sockaddr *)&ss, len), 4);
	plen = sizeof(peer);
	ck_assert_msg(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen) == 4, "no datagram to %s",
		      addr);
	ck_assert_int_eq(sendto(srv, "pong", 4, 0, (struct sockaddr *)&peer, plen), 4);
	ck_assert_int_eq(recv(cli, buf, sizeof(buf), 0), 4);
	ck_assert_int_eq(memcmp(buf, "pong", 4), 0);
	close(srv);
	close(cli);
}

START_TEST(walkthrough)
{
	char a[64], b[64], va[16], vb[16], q[64];
	int fa = make_netns("wa", a, sizeof(a)), fb = make_netns("wb", b, sizeof(b));
	unsigned long long mine = thread_net_ino();
	const char *j;

	snprintf(va, sizeof(va), "w%da", (int)getpid() % 100000);
	snprintf(vb, sizeof(vb), "w%db", (int)getpid() % 100000);
	ck_assert_int_eq(ns_run_in_fds(&fa, 1, no_dad, NULL, NS_RUN_THREAD), 0);
	ck_assert_int_eq(ns_run_in_fds(&fb, 1, no_dad, NULL, NS_RUN_THREAD), 0);
	ck_assert_msg(ns_net_veth_add(fa, va, fb, vb) == 0, "%s", ns_last_error());
	ck_assert_int_eq(ns_net_addr_add(fa, va, "10.77.0.1/24"), 0);
	ck_assert_int_eq(ns_net_addr_add(fb, vb, "10.77.0.2/24"), 0);
	ck_assert_int_eq(ns_net_addr_add(fa, va, "fd00:77::1/64"), 0);
	ck_assert_int_eq(ns_net_addr_add(fb, vb, "fd00:77::2/64"), 0);
	ck_assert_int_eq(ns_net_link_up(fa, "lo"), 0);
	ck_assert_int_eq(ns_net_link_up(fa, va), 0);
	ck_assert_int_eq(ns_net_link_up(fb, "lo"), 0);
	ck_assert_int_eq(ns_net_link_up(fb, vb), 0);

	/* ip sees each end in its namespace, up, with its addresses; lo up; nothing on the caller's side */
	snprintf(q, sizeof(q), "addr show dev %s", va);
	j = ip_json(a, q);
	ck_assert_msg(strstr(j, "\"local\":\"10.77.0.1\",\"prefixlen\":24"), "%s", j);
	ck_assert_msg(strstr(j, "\"local\":\"fd00:77::1\",\"prefixlen\":64"), "%s", j);
	ck_assert_msg(strstr(j, "\"UP\""), "%s", j);
	snprintf(q, sizeof(q), "addr show dev %s", vb);
	j = ip_json(b, q);
	ck_assert_msg(strstr(j, "\"local\":\"10.77.0.2\",\"prefixlen\":24"), "%s", j);
	ck_assert_msg(strstr(j, "\"local\":\"fd00:77::2\",\"prefixlen\":64"), "%s", j);
	ck_assert_msg(strstr(ip_json(a, "link show dev lo"), "\"UP\""), "lo of a is not up");
	ck_assert_msg(strstr(ip_json(b, "link show dev lo"), "\"UP\""), "lo of b is not up");
	ck_assert_int_eq(count(ip_json(a, "link show"), "\"ifname\""), 2);
	ck_assert_int_eq(count(ip_json(b, "link show"), "\"ifname\""), 2);
	ck_assert_ptr_null(strstr(ip_json(NULL, "link show"), va));
	ck_assert_int_eq(ns_net_link_index(-1, va), -ENODEV);
	ck_assert_int_gt(ns_net_link_index(fa, va), 1);

	udp_echo(fa, fb, AF_INET, "10.77.0.2");
	udp_echo(fb, fa, AF_INET, "10.77.0.1");
	udp_echo(fa, fb, AF_INET6, "fd00:77::2");
	ck_assert_uint_eq(thread_net_ino(), mine);

	/* one end deleted takes the other with it */
	ck_assert_int_eq(ns_net_link_del(fa, va), 0);
	ck_assert_int_eq(ns_net_link_index(fb, vb), -ENODEV);
	ck_assert_int_eq(count(ip_json(b, "link show"), "\"ifname\""), 1);
	drop_netns(a, fa);
	drop_netns(b, fb);
}
END_TEST

/* A refused veth leaves no half of it; names are looked up where the links would live. */
START_TEST(veth_failure_leaves_nothing)
{
	char a[64], b[64];
	int fa = make_netns("fa", a, sizeof(a)), fb = make_netns("fb", b, sizeof(b));

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);   /* "-1" below is this test's own namespace */
	ck_assert_int_eq(ns_net_veth_add(fb, "x1", fb, "x2"), 0);
	ck_assert_int_eq(ns_net_veth_add(fa, "va", fb, "x1"), -EEXIST);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "peer's"));
	ck_assert_int_eq(ns_net_link_index(fa, "va"), -ENODEV);
	ck_assert_int_eq(ns_net_veth_add(fb, "x2", fa, "vz"), -EEXIST);
	ck_assert_int_eq(ns_net_link_index(fa, "vz"), -ENODEV);
	ck_assert_int_eq(ns_net_veth_add(fa, "same", fa, "same"), -EEXIST);
	ck_assert_int_eq(ns_net_link_index(fa, "same"), -ENODEV);
	ck_assert_int_eq(count(ip_json(a, "link show"), "\"ifname\""), 1);
	ck_assert_int_eq(count(ip_json(b, "link show"), "\"ifname\""), 3);
	/* a name taken in the caller's namespace is free in the target's */
	ck_assert_int_eq(ns_net_veth_add(-1, "hx1", -1, "hx2"), 0);
	ck_assert_int_eq(ns_net_veth_add(fa, "hx1", fb, "hy"), 0);
	ck_assert_int_gt(ns_net_link_index(-1, "hx1"), 0);
	ck_assert_int_gt(ns_net_link_index(fa, "hx1"), 0);
	ck_assert_int_gt(ns_net_link_index(fb, "hy"), 0);
	drop_netns(a, fa);
	drop_netns(b, fb);
}
END_TEST

START_TEST(link_move)
{
	char a[64], b[64];
	int fa = make_netns("ma", a, sizeof(a)), fb = make_netns("mb", b, sizeof(b));

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	ck_assert_int_eq(ns_net_veth_add(fa, "m1", fa, "m2"), 0);
	ck_assert_int_eq(ns_net_link_move(fa, "m1", fb), 0);
	ck_assert_msg(strstr(ip_json(b, "link show dev m1"), "\"ifname\":\"m1\""), "m1 not in b");
	ck_assert_int_eq(ns_net_link_index(fa, "m1"), -ENODEV);
	ck_assert_int_eq(ns_net_link_move(fa, "m2", -1), 0);
	ck_assert_int_gt(ns_net_link_index(-1, "m2"), 0);
	ck_assert_int_eq(ns_net_link_index(fa, "m2"), -ENODEV);
	/* the same name in both: the move is refused and the link stays */
	ck_assert_int_eq(ns_net_veth_add(fa, "dup", fb, "dup"), 0);
	ck_assert_int_eq(ns_net_link_move(fa, "dup", fb), -EEXIST);
	ck_assert_int_gt(ns_net_link_index(fa, "dup"), 0);
	/* lo cannot move: the kernel's extended ACK text is in the message */
	ck_assert_int_eq(ns_net_link_move(fa, "lo", fb), -EINVAL);
	ck_assert_msg(strstr(ns_last_error(), "the kernel says"), "%s", ns_last_error());
	ck_assert_int_eq(ns_net_link_move(fa, "nope", fb), -ENODEV);
	drop_netns(a, fa);
	drop_netns(b, fb);
}
END_TEST

START_TEST(bad_input)
{
	static const char *const names[] = { "", "0123456789abcdef", "a/b", "a b", "a\tb", "a\nb", ".", "..",
					     "a:b", " lo", "lo " };
	static const char *const cidrs[] = { "10.0.0.1/33", "10.0.0/24", "fd00::1/129", "abc", "10.0.0.1",
					     "10.0.0.1/", "10.0.0.1/024", "10.0.0.1/+4", "10.0.0.1/-1", " 10.0.0.1/24",
					     "10.0.0.1/24 ", "10.0.0.256/24", "/24", "fd00::1/64/1", "fe80::1%lo/64",
					     "010.0.0.1/8", "10.0.0.1/2x", "10.0.0.1/1000" };
	char a[64], links[8192], addrs[16384];
	int fa = make_netns("ba", a, sizeof(a)), pipefd[2], uts = ns_open(0, NS_TYPE_UTS, 0);

	ck_assert_int_eq(ns_net_veth_add(fa, "v0", fa, "v1"), 0);
	snprintf(links, sizeof(links), "%s", ip_json(a, "link show"));
	snprintf(addrs, sizeof(addrs), "%s", ip_json(a, "addr show"));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_int_eq(ns_net_link_index(fa, names[i]), -EINVAL);
		ck_assert_int_eq(ns_net_link_up(fa, names[i]), -EINVAL);
		ck_assert_int_eq(ns_net_link_del(fa, names[i]), -EINVAL);
		ck_assert_int_eq(ns_net_link_move(fa, names[i], -1), -EINVAL);
		ck_assert_int_eq(ns_net_veth_add(fa, names[i], fa, "ok1"), -EINVAL);
		ck_assert_int_eq(ns_net_veth_add(fa, "ok1", fa, names[i]), -EINVAL);
		ck_assert_int_eq(ns_net_addr_add(fa, names[i], "10.1.0.1/24"), -EINVAL);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a valid interface name"));
	}
	ck_assert_int_eq(ns_net_link_up(fa, NULL), -EINVAL);
	ck_assert_int_eq(ns_net_link_index(fa, "0123456789abcde"), -ENODEV);   /* 15 bytes: valid */
	for (size_t i = 0; i < sizeof(cidrs) / sizeof(cidrs[0]); i++) {
		ck_assert_msg(ns_net_addr_add(fa, "v0", cidrs[i]) == -EINVAL, "%s accepted", cidrs[i]);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "not an address with a prefix length"));
	}
	ck_assert_int_eq(ns_net_addr_add(fa, "v0", NULL), -EINVAL);
	/* missing interfaces */
	ck_assert_int_eq(ns_net_link_index(fa, "nope"), -ENODEV);
	ck_assert_int_eq(ns_net_link_up(fa, "nope"), -ENODEV);
	ck_assert_int_eq(ns_net_link_del(fa, "nope"), -ENODEV);
	ck_assert_int_eq(ns_net_addr_add(fa, "nope", "10.1.0.1/24"), -ENODEV);
	/* fds that are no network namespace */
	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	ck_assert_int_eq(ns_net_link_up(uts, "lo"), -EINVAL);
	ck_assert_int_eq(ns_net_link_up(pipefd[0], "lo"), -EINVAL);
	ck_assert_int_eq(ns_net_link_up(999, "lo"), -EBADF);
	ck_assert_int_eq(ns_net_link_up(-5, "lo"), -EBADF);
	ck_assert_int_eq(ns_net_link_move(fa, "v0", uts), -EINVAL);
	ck_assert_int_eq(ns_net_link_move(fa, "v0", 999), -EBADF);
	ck_assert_int_eq(ns_net_veth_add(fa, "ok1", uts, "ok2"), -EINVAL);
	ck_assert_int_eq(ns_net_veth_add(pipefd[1], "ok1", fa, "ok2"), -EINVAL);
	ck_assert_int_eq(ns_net_addr_add(uts, "lo", "10.1.0.1/24"), -EINVAL);
	/* existing address */
	ck_assert_int_eq(ns_net_addr_add(fa, "v0", "10.1.0.1/24"), 0);
	ck_assert_int_eq(ns_net_addr_add(fa, "v0", "10.1.0.1/24"), -EEXIST);
	ck_assert_int_eq(ns_net_link_del(fa, "v0"), 0);
	ck_assert_int_eq(ns_net_veth_add(fa, "v0", fa, "v1"), 0);
	/* nothing else was made or changed by the refused calls */
	ck_assert_int_eq(count(ip_json(a, "link show"), "\"ifname\""), count(links, "\"ifname\""));
	ck_assert_int_eq(count(ip_json(a, "addr show"), "\"local\""), count(addrs, "\"local\""));
	ck_assert_int_eq(ns_net_link_index(-1, "ok1"), -ENODEV);
	close(pipefd[0]);
	close(pipefd[1]);
	close(uts);
	drop_netns(a, fa);
}
END_TEST

/* ns_netns_list against `ip netns list` (first word of each line), retried while others change it. */
START_TEST(netns_list_as_ip)
{
	char a[64], b[64], ipnames[8192], again[8192], ours[8192];
	int fa = make_netns("lb", b, sizeof(b)), fb = make_netns("la", a, sizeof(a)), n = -1, found = 0;
	bool same = false;
	char **names = NULL;

	for (int tries = 0; tries < 10 && !same; tries++) {
		FILE *p = popen("PATH=/usr/sbin:/sbin:$PATH ip netns list | awk '{print $1}' | LC_ALL=C sort", "r");
		size_t len = fread(ipnames, 1, sizeof(ipnames) - 1, p);

		pclose(p);
		ipnames[len] = '\0';
		n = ns_netns_list(&names);
		ck_assert_int_ge(n, 2);
		ours[0] = '\0';
		found = 0;
		for (int i = 0; i < n; i++) {
			ck_assert_ptr_nonnull(names[i]);
			if (i)
				ck_assert_int_lt(strcmp(names[i - 1], names[i]), 0);
			found += strcmp(names[i], a) == 0 || strcmp(names[i], b) == 0;
			strncat(ours, names[i], sizeof(ours) - strlen(ours) - 2);
			strcat(ours, "\n");
		}
		ck_assert_ptr_null(names[n]);
		ns_netns_list_free(names);
		p = popen("PATH=/usr/sbin:/sbin:$PATH ip netns list | awk '{print $1}' | LC_ALL=C sort", "r");
		len = fread(again, 1, sizeof(again) - 1, p);
		pclose(p);
		again[len] = '\0';
		same = strcmp(ipnames, again) == 0 && strcmp(ipnames, ours) == 0;
	}
	ck_assert_msg(same, "ns_netns_list:\n%s\nip netns list:\n%s", ours, ipnames);
	ck_assert_int_eq(found, 2);
	ck_assert_int_eq(ns_netns_list(NULL), -EINVAL);
	ns_netns_list_free(NULL);
	drop_netns(a, fb);
	drop_netns(b, fa);
}
END_TEST

START_TEST(unprivileged_refused)
{
	char a[64];
	int fa = make_netns("ua", a, sizeof(a));
	pid_t child;

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	child = nst_fork_unprivileged();
	if (child == 0) {
		char **names;

		NST_CHILD_CHECK(ns_net_link_up(fa, "lo") == -EPERM);
		NST_CHILD_CHECK(ns_net_link_index(fa, "lo") == -EPERM);
		NST_CHILD_CHECK(ns_net_veth_add(fa, "u1", fa, "u2") == -EPERM);
		/* in its own namespace: reading needs nothing, changing needs CAP_NET_ADMIN */
		NST_CHILD_CHECK(ns_net_link_index(-1, "lo") == 1);
		NST_CHILD_CHECK(ns_net_link_up(-1, "lo") == -EPERM);
		NST_CHILD_CHECK(ns_net_veth_add(-1, "u1", -1, "u2") == -EPERM);
		NST_CHILD_CHECK(ns_net_addr_add(-1, "lo", "10.1.1.1/8") == -EPERM);
		NST_CHILD_CHECK(ns_net_link_del(-1, "lo") == -EPERM);
		NST_CHILD_CHECK(ns_net_link_move(-1, "lo", fa) == -EPERM);
		NST_CHILD_CHECK(ns_netns_list(&names) >= 1);
		ns_netns_list_free(names);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	ck_assert_int_eq(ns_net_link_index(-1, "u1"), -ENODEV);
	drop_netns(a, fa);
}
END_TEST

/* ---- several threads wiring their own namespaces at once; no thread's namespace changes ---- */

static atomic_int wirer_tids[4];

struct wirer {
	int a, b, index;
	int failures;
	char msg[256];
};

static void *wire(void *p)
{
	struct wirer *w = p;

	atomic_store(&wirer_tids[w->index], (int)gettid());
	for (int i = 0; i < 15; i++) {
		int r = ns_net_veth_add(w->a, "t0", w->b, "t1");

		if (r == 0)
			r = ns_net_addr_add(w->a, "t0", "10.99.0.1/24");
		if (r == 0)
			r = ns_net_link_up(w->b, "t1");
		if (r == 0)
			r = ns_net_link_index(w->b, "t1") > 0 ? 0 : -1;
		if (r == 0)
			r = ns_net_link_del(w->b, "t1");
		if (r < 0) {
			w->failures++;
			snprintf(w->msg, sizeof(w->msg), "%s", ns_last_error());
		}
	}
	return NULL;
}

/* How many of the threads tids[0..n) are not in the network namespace `ino` (libns's short-lived helper
 * threads are meant to be elsewhere, the caller's never). */
static int threads_elsewhere(const atomic_int *tids, int n, unsigned long long ino)
{
	char path[64];
	struct stat st;
	int r = 0;

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/ns/net", atomic_load(&tids[i]));
		if (stat(path, &st) == 0 && (unsigned long long)st.st_ino != ino)
			r++;
	}
	return r;
}

START_TEST(threaded_caller)
{
	struct wirer w[3];
	pthread_t th[3];
	int pidfd[6], before = nst_fd_count();
	pid_t pid[6];
	unsigned long long mine = thread_net_ino();

	for (int i = 0; i < 3; i++) {
		pid[2 * i] = nst_spawn_target(CLONE_NEWNET, &pidfd[2 * i]);
		pid[2 * i + 1] = nst_spawn_target(CLONE_NEWNET, &pidfd[2 * i + 1]);
		w[i] = (struct wirer){ .a = ns_open(pid[2 * i], NS_TYPE_NET, 0),
				       .b = ns_open(pid[2 * i + 1], NS_TYPE_NET, 0), .index = i + 1 };
		ck_assert(w[i].a >= 0 && w[i].b >= 0);
	}
	for (int i = 0; i < 3; i++) {
		atomic_store(&wirer_tids[i + 1], (int)gettid());
		ck_assert_int_eq(pthread_create(&th[i], NULL, wire, &w[i]), 0);
	}
	/* every thread of this process, the wiring ones included, stays in the namespace it began in */
	atomic_store(&wirer_tids[0], (int)gettid());
	for (int k = 0; k < 50; k++)
		ck_assert_int_eq(threads_elsewhere(wirer_tids, 4, mine), 0);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(w[i].failures == 0, "%d failures, last: %s", w[i].failures, w[i].msg);
		ck_assert_int_eq(ns_net_link_index(w[i].a, "t0"), -ENODEV);
		close(w[i].a);
		close(w[i].b);
	}
	for (int i = 0; i < 6; i++)
		nst_kill(pid[i], &pidfd[i]);
	ck_assert_uint_eq(thread_net_ino(), mine);
	ck_assert_int_eq(nst_fd_count(), before);
}
END_TEST

/* Whatever a failed test left: every /run/netns name with this suite's prefix. */
static void cleanup(void)
{
	char **names;
	int n = ns_netns_list(&names);

	for (int i = 0; i < n; i++)
		if (strncmp(names[i], prefix, strlen(prefix)) == 0)
			ns_netns_del(names[i]);
	if (n >= 0)
		ns_netns_list_free(names);
}

int main(void)
{
	Suite *s = suite_create("net");
	TCase *tc = nst_tcase("net");
	const char *root = nst_need_root();
	const char *ip = system("PATH=/usr/sbin:/sbin:$PATH ip -V >/dev/null 2>&1") == 0 ? NULL :
			 "needs ip (iproute2) as the oracle";
	const char *need = root ? root : ip;
	int r;

	snprintf(prefix, sizeof(prefix), "lnst%d-", (int)getpid());
	nst_add(tc, walkthrough, need);
	nst_add(tc, veth_failure_leaves_nothing, need);
	nst_add(tc, link_move, need);
	nst_add(tc, bad_input, need);
	nst_add(tc, netns_list_as_ip, need);
	nst_add(tc, unprivileged_refused, root);
	nst_add(tc, threaded_caller, root);
	suite_add_tcase(s, tc);
	r = nst_run(s);
	if (!root)
		cleanup();
	return r;
}
