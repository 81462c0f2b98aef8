/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uts-hostname: a hostname changed inside a UTS namespace, while the host keeps its own.
 *
 *   uts-hostname [NAME]      (default: libns-demo)
 *
 * The concept: a UTS namespace holds the two names uname(2) reports besides the kernel's own,
 * the hostname and the NIS domain name. A new one starts as a copy of its creator's; from then
 * on sethostname() inside changes only the copy. (UTS is the name of the struct uname fills in,
 * from "UNIX Time-sharing System".)
 *
 * What you should see: the host's hostname, the child's (NAME) read with uname() inside, the
 * two UTS namespaces as different inodes under /proc/PID/ns/uts, and the host's hostname
 * unchanged at the end.
 *
 * The same with util-linux: `unshare --uts sh -c 'hostname NAME; hostname'`; with libns's own
 * tool: `ns-run --uts --hostname NAME -- hostname`.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int sock[2];  /* the child says "ready" on sock[1]; the parent closes sock[0] when it has looked */

/* Runs in the child, whose new UTS namespace already carries opts.hostname (set with sethostname). */
static int child(void *arg)
{
	struct utsname u;
	char c;

	(void)arg;
	uname(&u);
	printf("inside: uname() nodename = %s\n", u.nodename);
	fflush(stdout);
	close(sock[0]);
	/* "ready" to the parent, then wait until it has looked and closes its end */
	if (write(sock[1], "r", 1) == 1)
		while (read(sock[1], &c, 1) < 0)
			;
	return 0;
}

static unsigned long long inode_of(int nsfd)
{
	struct ns_id id = { 0 };

	ns_get_id(nsfd, &id);
	return (unsigned long long)id.ino;
}

int main(int argc, char **argv)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char host[256];
	int pidfd, mine, theirs, status;
	pid_t pid;

	gethostname(host, sizeof(host));
	printf("host:   hostname = %s\n", host);

	opts.new_types = NS_TYPE_UTS;
	opts.hostname = argc > 1 ? argv[1] : "libns-demo";
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	if (geteuid() != 0) {
		/* Without root, a user namespace of our own grants the CAP_SYS_ADMIN sethostname needs. */
		opts.new_types |= NS_TYPE_USER;
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) {
		perror("socketpair");
		return 1;
	}
	fflush(stdout);
	pid = ns_spawn(&opts, child, NULL, &pidfd);
	close(sock[1]);
	if (pid < 0) {
		fprintf(stderr, "uts-hostname: %s\n", ns_last_error());
		close(sock[0]);
		return 1;
	}
	if (read(sock[0], host, 1) != 1)   /* the child has printed its view */
		fprintf(stderr, "uts-hostname: the child did not get ready\n");

	/* Two processes, two UTS namespaces: compare the nsfs files /proc/PID/ns/uts point at. */
	mine = ns_open(0, NS_TYPE_UTS, 0);
	theirs = ns_open_pidfd(pidfd, NS_TYPE_UTS, 0);
	if (mine < 0 || theirs < 0) {
		fprintf(stderr, "uts-hostname: %s\n", ns_last_error());
	} else {
		printf("host:   /proc/%d/ns/uts -> uts:[%llu], /proc/%d/ns/uts -> uts:[%llu]: %s\n", (int)getpid(),
		       inode_of(mine), (int)pid, inode_of(theirs),
		       ns_equal(mine, theirs) == 1 ? "the same namespace" : "two namespaces");
		close(mine);
		close(theirs);
	}
	close(sock[0]);
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "uts-hostname: %s\n", ns_last_error());
		return 1;
	}
	close(pidfd);

	gethostname(host, sizeof(host));
	printf("host:   hostname = %s (unchanged)\n", host);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
