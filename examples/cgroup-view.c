/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup-view: inside a cgroup namespace, a process's own cgroup is the root, "/".
 *
 *   cgroup-view
 *
 * The concept: /proc/PID/cgroup names the control group a process is in, as a path in each
 * cgroup hierarchy ("0::/a/b/c" for cgroup v2). Without a cgroup namespace, that path tells a
 * containerised process where the host placed it. A cgroup namespace takes the cgroups its
 * creator was in as its roots: inside, paths are shown relative to them, so the process sees
 * "0::/", and a cgroup outside its root shows up as "/.." and above.
 *
 * What it does: it makes a child cgroup, libns-demo-PID, under its own cgroup v2 directory (when
 * cgroup2 is mounted and writable), and starts a child straight into it (ns_spawn with
 * NS_SPAWN_INTO_CGROUP, clone3's CLONE_INTO_CGROUP) and into a new cgroup namespace, which is
 * then rooted at that cgroup. It removes the cgroup at the end. Without a writable cgroup2 it
 * still makes the namespace, rooted at the cgroup the program already is in.
 *
 * What you should see: the host's view of the child, "0::/.../libns-demo-PID"; the child's own
 * view, "0::/" (and "/" in every v1 hierarchy); and the child's view of its parent, "0::/..".
 *
 * With util-linux: `unshare --cgroup cat /proc/self/cgroup`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int sock[2];  /* the child says "ready" on sock[1]; the parent closes sock[0] when it has looked */

/* Print /proc/PID/cgroup (PID 0: self), every line (all = 1) or only the cgroup v2 one, "0::PATH". */
static void print_cgroup(const char *who, pid_t pid, int all)
{
	char path[64], line[PATH_MAX];
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/cgroup");
	f = fopen(path, "re");
	if (!f) {
		printf("%s %s: %s\n", who, path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (all || strncmp(line, "0::", 3) == 0)
			printf("%s %s: %s", who, path, line);
	fclose(f);
}

/* Runs in the child: in the new cgroup, in a new cgroup namespace rooted there. */
static int child(void *arg)
{
	char c;

	(void)arg;
	print_cgroup("inside:", 0, 1);
	print_cgroup("inside: (its parent)", getppid(), 0);
	fflush(stdout);
	close(sock[0]);
	/* "ready" to the parent, then wait until it has looked and closes its end */
	if (write(sock[1], "r", 1) == 1)
		while (read(sock[1], &c, 1) < 0)
			;
	return 0;
}

/*
 * The directory of our own cgroup v2: the cgroup2 mount point (from mountinfo) joined with the
 * "0::PATH" line of /proc/self/cgroup. 0 if found.
 */
static int own_cgroup_dir(char *dir, size_t size)
{
	char line[PATH_MAX * 2], root[PATH_MAX], mnt[PATH_MAX], path[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/cgroup", "re");
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "0::%4095[^\n]", path) == 1)
			break;
	fclose(f);
	f = fopen("/proc/self/mountinfo", "re");
	if (!f || !path[0]) {
		if (f)
			fclose(f);
		return -1;
	}
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - cgroup2 SOURCE SUPEROPTIONS" */
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " - cgroup2 ") &&
			sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) == 2 && strcmp(root, "/") == 0;
	fclose(f);
	if (!found)
		return -1;
	/* a path too long for dir is an error, not a truncated path */
	if (snprintf(dir, size, "%s%s", mnt, strcmp(path, "/") == 0 ? "" : path) >= (int)size)
		return -1;
	return 0;
}

int main(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char dir[PATH_MAX], cg[PATH_MAX + 32] = "";
	int pidfd, status, cgfd = -1;
	pid_t pid;

	print_cgroup("host:  ", 0, 1);

	/* A child cgroup of our own, if cgroup2 is mounted and we may write to it. */
	if (!ns_has_feature(NS_FEATURE_CLONE_INTO_CGROUP)) {
		printf("host:   no CLONE_INTO_CGROUP before Linux 5.7: the namespace will be rooted at our own cgroups\n");
	} else if (own_cgroup_dir(dir, sizeof(dir)) == 0) {
		snprintf(cg, sizeof(cg), "%s/libns-demo-%d", dir, (int)getpid());
		if (mkdir(cg, 0755) == 0)
			cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cgfd < 0)
			printf("host:   cannot create %s (%s): the namespace will be rooted at our own cgroup\n", cg,
			       strerror(errno));
		else
			printf("host:   created cgroup %s\n", cg);
	} else {
		printf("host:   no cgroup2 mount found: the namespace will be rooted at our own cgroups\n");
	}

	opts.new_types = NS_TYPE_CGROUP;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	if (cgfd >= 0) {
		/* Born in the cgroup, so the new cgroup namespace's root is that cgroup. */
		opts.flags |= NS_SPAWN_INTO_CGROUP;
		opts.cgroup_fd = cgfd;
	}
	if (geteuid() != 0) {
		/* Without root, a user namespace of our own grants the CAP_SYS_ADMIN this needs. */
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
		fprintf(stderr, "cgroup-view: %s\n", ns_last_error());
		close(sock[0]);
		status = 1 << 8;
		goto out;
	}
	if (read(sock[0], dir, 1) != 1)   /* the child has printed its view */
		fprintf(stderr, "cgroup-view: the child did not get ready\n");
	/* While the child waits: where the host sees it. */
	print_cgroup("host:   (the child)", pid, 0);
	fflush(stdout);
	close(sock[0]);
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "cgroup-view: %s\n", ns_last_error());
		status = 1 << 8;
	}
	close(pidfd);
out:
	if (cgfd >= 0) {
		close(cgfd);
		/* An exited child leaves its cgroup a moment after it is reaped: retry briefly. */
		for (int i = 0; rmdir(cg) < 0 && errno == EBUSY && i < 100; i++)
			usleep(10000);
		if (access(cg, F_OK) == 0)
			fprintf(stderr, "cgroup-view: could not remove %s: %s\n", cg, strerror(errno));
		else
			printf("host:   removed cgroup %s\n", cg);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
