/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-info: what namespaces is a process in?
 *
 *   ns-info          this process next to a child it starts in fresh namespaces, then the kernel's features
 *   ns-info PID      that process
 *
 * A namespace is a file descriptor: ns_open() gives one, ns_get_id() its identity (the inode in
 * "net:[4026531840]" and the kernel's 64-bit id), and the hierarchy calls name its owning user
 * namespace and, for user and pid namespaces, its parent.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <libns/libns.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *tool_name = "ns-info";

static const int types[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
			     NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };

static unsigned long long ino_of(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* Print one process's namespaces; with `other`, mark which ones differ from that process's. */
static int show(pid_t pid, const char *title, pid_t other)
{
	printf("%s (pid %d)\n", title, (int)pid);
	printf("  %-7s %-12s %-8s %-6s %-12s %-12s%s\n", "TYPE", "INODE", "ID", "OWNER", "USERNS", "PARENT",
	       other ? "  SHARED" : "");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct ns_id id;
		uid_t owner = (uid_t)-1;
		int fd = ns_open(pid, types[i], 0), userns, parent;
		char parent_text[24] = "-", userns_text[24] = "-";

		if (fd < 0) {
			printf("  %-7s (%s)\n", ns_type_name(types[i]), ns_last_error());
			continue;
		}
		ns_get_id(fd, &id);
		/* The owner uid is a user namespace's own; any other namespace's is that of its user namespace. */
		userns = types[i] == NS_TYPE_USER ? dup(fd) : ns_get_userns(fd);
		if (userns >= 0)
			ns_get_owner_uid(userns, &owner);
		parent = ns_get_parent(fd); /* only user and pid namespaces nest; -EPERM at the top we may see */
		if (parent >= 0)
			snprintf(parent_text, sizeof(parent_text), "%llu", ino_of(parent));
		if (types[i] != NS_TYPE_USER && userns >= 0)
			snprintf(userns_text, sizeof(userns_text), "%llu", ino_of(userns));
		printf("  %-7s %-12llu %-8llu %-6d %-12s %-12s", ns_type_name(types[i]), (unsigned long long)id.ino,
		       (unsigned long long)id.id, (int)owner, userns_text, parent_text);
		if (other) {
			int theirs = ns_open(other, types[i], 0);

			printf("  %s", theirs >= 0 && ns_equal(fd, theirs) == 1 ? "yes" : "no (new)");
			if (theirs >= 0)
				close(theirs);
		}
		printf("\n");
		if (userns >= 0)
			close(userns);
		if (parent >= 0)
			close(parent);
		close(fd);
	}
	return 0;
}

/* A child that moves into fresh namespaces (a new user namespace too when we are not root). */
static pid_t start_child_in_fresh_namespaces(void)
{
	unsigned fresh = NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET | NS_TYPE_MNT | NS_TYPE_CGROUP | NS_TYPE_TIME;
	unsigned flags = 0;
	int ready[2];

	if (!ns_has_feature(NS_FEATURE_TIME_NS))
		fresh &= ~(unsigned)NS_TYPE_TIME; /* no time namespaces before Linux 5.6 */
	char ok = 0;
	pid_t pid;

	if (geteuid() != 0) {
		fresh |= NS_TYPE_USER;
		flags = NS_UNSHARE_MAP_ROOT;
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		tool_fail_errno("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0)
		tool_fail_errno("fork");
	if (pid == 0) {
		close(ready[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ok = ns_unshare(fresh, flags) == 0;
		if (!ok)
			tool_fail("unshare");
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], &ok, 1) != 1 || !ok) {
		close(ready[0]);
		if (pid > 0)
			kill(pid, SIGKILL), waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	return pid;
}

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-info [options] [<pid>]\n"
	       "\n"
	       "Show the namespaces of a process: type, inode, the kernel's 64-bit id, the owner uid, the\n"
	       "owning user namespace and the parent. Without <pid>: this process next to a child it moves\n"
	       "into fresh namespaces, then the kernel features libns found.\n"
	       "\n"
	       "Options:\n"
	       " -h, --help     display this help\n"
	       " -V, --version  display version\n"
	       "\n"
	       "For more details see ns-info(1).\n");
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	pid_t child;
	int c;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (argc - optind > 1)
		tool_usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc) {
		pid_t pid = tool_pid(argv[optind], "PID");
		int probe = ns_open(pid, NS_TYPE_NET, 0);

		if (probe < 0)
			return tool_fail("open");
		close(probe);
		return show(pid, "process", 0);
	}
	printf("libns %s\n\n", ns_version());
	show(getpid(), "this process", 0);
	child = start_child_in_fresh_namespaces();
	if (child < 0)
		return 1;
	printf("\n");
	show(child, "a child after ns_unshare() of fresh namespaces", getpid());
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("\nkernel features:");
	for (int f = 1; f & NS_FEATURES_ALL; f <<= 1)
		printf(" %s%s", ns_has_feature(f) ? "+" : "-", ns_feature_name(f));
	printf("\n");
	return 0;
}
