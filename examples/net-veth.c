/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-veth: two network namespaces joined by a veth pair, pinging each other like two hosts
 * on one cable. Run it as root.
 *
 *   net-veth
 *
 * The concept: a network namespace is a whole network stack of its own: interfaces, addresses,
 * routes, firewall rules, sockets. A new one holds only a loopback interface, down. An interface
 * lives in exactly one namespace at a time and can be moved; a veth pair is two interfaces
 * joined back to back, so one end in each namespace links them. Deleting a namespace deletes the
 * virtual interfaces in it.
 *
 * The steps are the classic `ip netns` walkthrough, with libns doing the namespace parts:
 *   ns_netns_add()         as `ip netns add NAME` (a pin at /run/netns/NAME, so `ip` sees it too)
 *   ns_netns_open() + ns_enter() in a child, then exec ip or ping: as `ip netns exec NAME ...`
 *   ns_netns_del()         as `ip netns del NAME`
 * and /usr/sbin/ip doing the link and address parts. Everything is torn down at the end, also
 * after a failure or a Ctrl-C (held back until the cleanup is done).
 *
 * What you should see: each command as it runs, each namespace listing only lo and its end of
 * the pair with its 10.200.0.x address, one ping answered in each direction, and the teardown.
 * Afterwards `ip netns list` and `ip link` show nothing of it.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const ns_a = "libns-demo-a", *const ns_b = "libns-demo-b";
static sigset_t caller_mask;
static bool made_a, made_b;   /* only what this run created is deleted at the end */

/* ip and ping live in sbin or bin depending on the distribution; PATH may lack sbin. */
static const char *find_tool(const char *name, char *buf, size_t size)
{
	static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, size, "%s/%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

/*
 * Run a command, in network namespace `netns` (by name) or on the host (NULL): what
 * `ip netns exec NAME CMD` does, minus its remount of /sys, which ip and ping do not need.
 * Returns the command's exit status.
 */
static int run(const char *netns, const char *tool, ...)
{
	char *argv[16], path[64];
	va_list ap;
	int n = 0, status;
	pid_t pid;

	argv[n++] = (char *)tool;
	va_start(ap, tool);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	printf("%-14s $", netns ? netns : "host");
	for (int i = 0; i < n; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	if (!find_tool(tool, path, sizeof(path))) {
		fprintf(stderr, "net-veth: %s not found\n", tool);
		return 127;
	}
	pid = fork();
	if (pid == 0) {
		if (netns) {
			/* The pin under /run/netns is a namespace file: open it, and join it with setns(). */
			int fd = ns_netns_open(netns);

			if (fd < 0 || ns_enter(fd, NS_TYPE_NET) < 0) {
				fprintf(stderr, "net-veth: %s\n", ns_last_error());
				_exit(126);
			}
			close(fd);
		}
		sigprocmask(SIG_SETMASK, &caller_mask, NULL);
		execv(path, argv);
		perror(path);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("net-veth: fork");
		return 126;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The demo proper; returns 0 when both pings were answered. Cleanup is the caller's. */
static int demo(const char *veth_a, const char *veth_b)
{
	/* 1. Two empty network namespaces, pinned by name like `ip netns add`. */
	made_a = ns_netns_add(ns_a, -1, 0) == 0;
	made_b = made_a && ns_netns_add(ns_b, -1, 0) == 0;
	if (!made_a || !made_b) {
		fprintf(stderr, "net-veth: %s\n", ns_last_error());
		return 1;
	}
	printf("created network namespaces %s and %s (ns_netns_add)\n", ns_a, ns_b);

	/* 2. A veth pair, made on the host and moved: ip finds the namespaces by their names. */
	if (run(NULL, "ip", "link", "add", veth_a, "type", "veth", "peer", "name", veth_b, NULL) ||
	    run(NULL, "ip", "link", "set", veth_a, "netns", ns_a, NULL) ||
	    run(NULL, "ip", "link", "set", veth_b, "netns", ns_b, NULL))
		return 1;

	/* 3. Addresses and links up, inside each namespace (and nowhere else). */
	if (run(ns_a, "ip", "addr", "add", "10.200.0.1/24", "dev", veth_a, NULL) ||
	    run(ns_a, "ip", "link", "set", veth_a, "up", NULL) ||
	    run(ns_a, "ip", "link", "set", "lo", "up", NULL) ||
	    run(ns_b, "ip", "addr", "add", "10.200.0.2/24", "dev", veth_b, NULL) ||
	    run(ns_b, "ip", "link", "set", veth_b, "up", NULL) ||
	    run(ns_b, "ip", "link", "set", "lo", "up", NULL))
		return 1;

	/* 4. What each stack holds: its loopback and its end of the cable. */
	if (run(ns_a, "ip", "-brief", "addr", NULL) || run(ns_b, "ip", "-brief", "addr", NULL))
		return 1;

	/* 5. Across the cable, both ways. */
	if (run(ns_a, "ping", "-c", "1", "-W", "5", "10.200.0.2", NULL) ||
	    run(ns_b, "ping", "-c", "1", "-W", "5", "10.200.0.1", NULL))
		return 1;
	printf("both pings answered: %s and %s are linked\n", ns_a, ns_b);
	return 0;
}

int main(void)
{
	char veth_a[16], veth_b[16], path[64];
	sigset_t stop;
	int r;

	if (geteuid() != 0) {
		fprintf(stderr, "net-veth: run as root: moving links and writing /run/netns need CAP_NET_ADMIN "
				"and CAP_SYS_ADMIN on the host\n");
		return 1;
	}
	if (!find_tool("ip", path, sizeof(path)) || !find_tool("ping", path, sizeof(path))) {
		fprintf(stderr, "net-veth: needs ip (iproute2) and ping (iputils-ping)\n");
		return 1;
	}
	/* Interface names are at most 15 bytes; the pid keeps two runs from colliding. */
	snprintf(veth_a, sizeof(veth_a), "lnsveth%da", (int)getpid() % 1000000);
	snprintf(veth_b, sizeof(veth_b), "lnsveth%db", (int)getpid() % 1000000);

	/* Ctrl-C, a hangup or kill should not leave namespaces behind: hold them until the teardown. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &caller_mask);

	r = demo(veth_a, veth_b);

	/* 6. Teardown: deleting a namespace deletes the veth end in it, and so the whole pair. */
	printf("tearing down\n");
	if (made_a && ns_netns_del(ns_a) < 0)
		fprintf(stderr, "net-veth: %s\n", ns_last_error()), r = 1;
	if (made_b && ns_netns_del(ns_b) < 0)
		fprintf(stderr, "net-veth: %s\n", ns_last_error()), r = 1;
	/* If the pair was made but not moved, its ends are still on the host. */
	if (access("/sys/class/net", F_OK) == 0) {
		char sys[64];

		snprintf(sys, sizeof(sys), "/sys/class/net/%s", veth_a);
		if (access(sys, F_OK) == 0)
			run(NULL, "ip", "link", "del", veth_a, NULL);
		snprintf(sys, sizeof(sys), "/sys/class/net/%s", veth_b);
		if (access(sys, F_OK) == 0)
			run(NULL, "ip", "link", "del", veth_b, NULL);
	}
	if (made_a || made_b)
		printf("removed %s%s%s with the veth pair\n", made_a ? ns_a : "", made_a && made_b ? " and " : "",
		       made_b ? ns_b : "");
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &caller_mask, NULL);
	return r;
}
