/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-veth: two network namespaces joined by a veth pair, pinging each other like two hosts
 * on one cable, with libns alone (no ip, no ping). Run it as root.
 *
 *   net-veth [--pause]
 *
 * The concept: a network namespace is a whole network stack of its own: interfaces, addresses,
 * routes, firewall rules, sockets. A new one holds only a loopback interface, down. An interface
 * lives in exactly one namespace at a time; a veth pair is two interfaces joined back to back, so
 * one end in each namespace links them. Deleting a namespace deletes the virtual interfaces in it.
 *
 * The steps are the classic `ip netns` walkthrough, each one a libns call:
 *   ns_netns_add()       ip netns add NAME            (a pin at /run/netns/NAME: ip sees it too)
 *   ns_net_veth_add()    ip link add A netns X type veth peer B netns Y  (each end made in place)
 *   ns_net_addr_add()    ip -n X addr add 10.0.0.1/24 dev A
 *   ns_net_link_up()     ip -n X link set A up; ip -n X link set lo up
 *   ns_socket()          a raw ICMP socket made inside one namespace: ping, without entering it
 *   ns_netns_del()       ip netns del NAME            (takes the veth pair with it)
 * No thread of this program ever changes namespace. Names carry the pid, so two runs do not
 * collide; everything is removed at the end, also after a failure or a Ctrl-C (held back until the
 * cleanup is done). With --pause it waits for Enter before the teardown, to look around with
 * `ip -n NAME addr`.
 *
 * What you should see: each step, one echo reply in each direction, and the teardown.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct host {
	char netns[32];   /* its name under /run/netns */
	char veth[16];    /* its end of the cable (interface names: at most 15 bytes) */
	const char *addr; /* its address on the cable */
	int fd;           /* the namespace, held open */
	bool made;        /* only what this run created is deleted at the end */
};

static int fail(const char *what)
{
	fprintf(stderr, "net-veth: %s: %s\n", what, ns_last_error());
	return 1;
}

/* 1. An empty network namespace, pinned by name like `ip netns add`. */
static int make_host(struct host *h)
{
	if (ns_netns_add(h->netns, -1, 0) < 0)
		return fail("create a network namespace");
	h->made = true;
	h->fd = ns_netns_open(h->netns);
	if (h->fd < 0)
		return fail("open it");
	printf("created network namespace %s\n", h->netns);
	return 0;
}

/* 3. The address on its end, and both its links up: the cable end and its own loopback. */
static int configure(const struct host *h)
{
	char cidr[32];

	snprintf(cidr, sizeof(cidr), "%s/24", h->addr);
	if (ns_net_addr_add(h->fd, h->veth, cidr) < 0 || ns_net_link_up(h->fd, h->veth) < 0 ||
	    ns_net_link_up(h->fd, "lo") < 0)
		return fail("configure the links");
	printf("%s: %s has %s, %s and lo are up\n", h->netns, h->veth, cidr, h->veth);
	return 0;
}

static unsigned short checksum(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (unsigned long)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (unsigned long)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((unsigned short)~sum);
}

/*
 * 4. One ICMP echo from `from` to `to`: a raw socket made inside `from` by ns_socket() sends the
 * request; the kernel of `to` answers it by itself. The socket belongs to `from`'s stack for its
 * whole life, although this program never entered that namespace.
 */
static int ping(const struct host *from, const struct host *to)
{
	struct icmphdr req = { .type = ICMP_ECHO }, *reply;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct pollfd pfd = { .events = POLLIN };
	unsigned char buf[256];
	int r = 1;

	req.un.echo.id = htons((unsigned short)getpid());
	req.un.echo.sequence = htons(1);
	req.checksum = checksum(&req, sizeof(req));
	inet_pton(AF_INET, to->addr, &dst.sin_addr);
	pfd.fd = ns_socket(from->fd, AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (pfd.fd < 0)
		return fail("make a socket inside the namespace");
	if (sendto(pfd.fd, &req, sizeof(req), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("net-veth: send the echo request");
		goto out;
	}
	/* a raw socket sees every ICMP message of its namespace: wait for ours (5 s at most) */
	while (poll(&pfd, 1, 5000) == 1) {
		ssize_t n = recv(pfd.fd, buf, sizeof(buf), 0);
		size_t hl = (size_t)(buf[0] & 0x0f) * 4;   /* raw IPv4 sockets receive the IP header too */

		if (n < 0 || (size_t)n < hl + sizeof(*reply))
			continue;
		reply = (struct icmphdr *)(buf + hl);
		if (reply->type == ICMP_ECHOREPLY && reply->un.echo.id == req.un.echo.id) {
			printf("%s -> %s: echo reply from %s\n", from->netns, to->netns, to->addr);
			r = 0;
			goto out;
		}
	}
	fprintf(stderr, "net-veth: no echo reply from %s within 5 s\n", to->addr);
out:
	close(pfd.fd);
	return r;
}

/* The demo proper; returns 0 when both echoes were answered. Cleanup is the caller's. */
static int demo(struct host *a, struct host *b, bool pause_before_teardown)
{
	char line[8];

	if (make_host(a) || make_host(b))
		return 1;
	/* 2. The cable: each end is created directly inside its namespace, in one request. */
	if (ns_net_veth_add(a->fd, a->veth, b->fd, b->veth) < 0)
		return fail("create the veth pair");
	printf("veth pair %s (in %s) <-> %s (in %s)\n", a->veth, a->netns, b->veth, b->netns);
	if (configure(a) || configure(b))
		return 1;
	if (ping(a, b) || ping(b, a))
		return 1;
	printf("both echoes answered: %s and %s are linked\n", a->netns, b->netns);
	if (pause_before_teardown) {
		printf("paused: try `ip -n %s addr`; press Enter to tear down\n", a->netns);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			clearerr(stdin);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct host a = { .addr = "10.0.0.1", .fd = -1 }, b = { .addr = "10.0.0.2", .fd = -1 };
	bool pause_before_teardown = argc == 2 && strcmp(argv[1], "--pause") == 0;
	sigset_t stop, caller_mask;
	int r;

	if (argc > 2 || (argc == 2 && !pause_before_teardown)) {
		fprintf(stderr, "usage: net-veth [--pause]\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "net-veth: run as root: named namespaces and links need CAP_SYS_ADMIN and "
				"CAP_NET_ADMIN\n");
		return 1;
	}
	snprintf(a.netns, sizeof(a.netns), "libns-veth-%d-a", (int)getpid());
	snprintf(b.netns, sizeof(b.netns), "libns-veth-%d-b", (int)getpid());
	snprintf(a.veth, sizeof(a.veth), "veth%da", (int)getpid());
	snprintf(b.veth, sizeof(b.veth), "veth%db", (int)getpid());

	/* Ctrl-C, a hangup or kill should not leave namespaces behind: hold them until the teardown. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &caller_mask);

	r = demo(&a, &b, pause_before_teardown);

	/* 5. Teardown: deleting a namespace deletes the veth end in it, and so the whole pair. */
	printf("tearing down\n");
	for (int i = 0; i < 2; i++) {
		struct host *h = i == 0 ? &a : &b;

		if (h->fd >= 0)
			close(h->fd);
		if (h->made && ns_netns_del(h->netns) < 0)
			r = fail("delete a network namespace");
		else if (h->made)
			printf("removed %s\n", h->netns);
	}
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &caller_mask, NULL);
	return r;
}
