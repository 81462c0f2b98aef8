/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-ns-links: the /proc/PID/ns links, what their numbers mean, and the two *_for_children links.
 *
 *   proc-ns-links
 *
 * The concept: every process has a directory /proc/PID/ns with one symbolic link per namespace
 * type. Each link reads "type:[inode]"; the inode number names the namespace, so two processes
 * whose links show the same number are in the same namespace. Opening a link gives a file
 * descriptor for the namespace itself. Pid and time namespaces have a second link,
 * pid_for_children and time_for_children: after unshare(CLONE_NEWPID | CLONE_NEWTIME) the
 * caller stays in its pid and time namespaces, and only the children it forks next go into the
 * new ones. Until then those links are the only names the new namespaces have.
 *
 * What it does: 1. lists /proc/self/ns with each link's target, the inode stat() gives for it,
 * and the 64-bit id ns_get_id() gives for it. 2. compares its links with those of a child that
 * ns_spawn() started in a new UTS and network namespace: same inode where the child shares the
 * namespace, another one where it is new, and ns_equal() agrees. 3. calls ns_unshare() of a pid
 * and a time namespace (in a child process of its own) and lists the four links again, then forks
 * a child and compares.
 *
 * What you should see: in part 3, time_for_children names a new namespace at once, while
 * pid_for_children cannot be read (ENOENT) until the new pid namespace has a first process; after
 * the fork both differ from pid and time, and the child, pid 1 inside, is in the namespaces they
 * name.
 * Without root, parts 2 and 3 add a user namespace, which then differs too.
 *
 * The same with util-linux: `ls -l /proc/self/ns`; `unshare --pid --time sh -c 'ls -l
 * /proc/$$/ns'` (without --fork, sh stays in the old pid and time namespaces).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const links[] = { "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
				     "time", "time_for_children", "user", "uts" };
#define NLINKS (sizeof(links) / sizeof(links[0]))

/* The target of /proc/PID/ns/NAME ("" if unreadable). */
static const char *target(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	n = readlink(path, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* The last NSpid of /proc/PID/status: the process's pid in its own pid namespace. */
static int pid_inside(pid_t pid)
{
	char path[64], line[256], *last;
	FILE *f;
	int inside = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "NSpid:", 6) == 0 && (last = strrchr(line, '\t')))
			inside = atoi(last + 1);
	fclose(f);
	return inside;
}

static int type_of_link(const char *name)
{
	char base[32] = "";

	strncat(base, name, strcspn(name, "_") < sizeof(base) - 1 ? strcspn(name, "_") : sizeof(base) - 1);
	return ns_type_from_name(base);
}

/* Part 1: our own links, with the inode stat() gives and the id NS_GET_ID gives. */
static void list_self(void)
{
	char t[64], path[64];
	struct stat st;
	struct ns_id id;

	printf("1. /proc/self/ns\n");
	printf("   %-18s %-22s %-12s %s\n", "LINK", "TARGET", "STAT INODE", "ID (ns_get_id)");
	for (size_t i = 0; i < NLINKS; i++) {
		int type = type_of_link(links[i]), fd;

		if (type == NS_TYPE_TIME && !ns_has_feature(NS_FEATURE_TIME_NS))
			continue;   /* no time namespaces before Linux 5.6 */
		fd = ns_open(0, type, strstr(links[i], "_for_children") ? NS_OPEN_FOR_CHILDREN : 0);

		snprintf(path, sizeof(path), "/proc/self/ns/%s", links[i]);
		if (stat(path, &st) < 0 || fd < 0 || ns_get_id(fd, &id) < 0) {
			printf("   %-18s (%s)\n", links[i], fd < 0 ? ns_last_error() : strerror(errno));
		} else {
			printf("   %-18s %-22s %-12llu %llu\n", links[i], target(getpid(), links[i], t, sizeof(t)),
			       (unsigned long long)st.st_ino, (unsigned long long)id.id);
		}
		if (fd >= 0)
			close(fd);
	}
}

static int wait_for_exit(int fd)
{
	char c;

	return read(fd, &c, 1) < 0 ? -1 : 0;
}

/* The child of part 2: it waits until the parent closes its end of the pipe. */
static int sleeper(void *arg)
{
	int *hold = arg;

	close(hold[1]);
	return wait_for_exit(hold[0]);
}

/* Part 2: the same inode means the same namespace; ns_equal() says so from two fds. */
static int compare_with_child(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char mine[64], theirs[64];
	int hold[2], pidfd, ret = 0;
	pid_t pid;

	opts.new_types = NS_TYPE_UTS | NS_TYPE_NET;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	if (geteuid() != 0) {
		opts.new_types |= NS_TYPE_USER;
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	if (pipe2(hold, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);   /* the child starts with a copy of our stdio buffer */
	pid = ns_spawn(&opts, sleeper, hold, &pidfd);
	close(hold[0]);
	if (pid < 0) {
		fprintf(stderr, "proc-ns-links: %s\n", ns_last_error());
		close(hold[1]);
		return -1;
	}
	printf("\n2. this process next to a child ns_spawn() started with new:");
	for (unsigned t = 1; t; t <<= 1)
		if (opts.new_types & t && ns_type_name((int)t))
			printf(" %s", ns_type_name((int)t));
	printf("\n   %-7s %-22s %-22s %s\n", "TYPE", "OURS", "THE CHILD'S", "SAME? (ns_equal)");
	for (size_t i = 0; i < NLINKS; i++) {
		int type = type_of_link(links[i]), a, b, same;

		if (strstr(links[i], "_for_children") || (type == NS_TYPE_TIME && !ns_has_feature(NS_FEATURE_TIME_NS)))
			continue;
		a = ns_open(0, type, 0);
		b = ns_open_pidfd(pidfd, type, 0);
		same = a >= 0 && b >= 0 ? ns_equal(a, b) : -1;
		printf("   %-7s %-22s %-22s %s\n", links[i], target(getpid(), links[i], mine, sizeof(mine)),
		       target(pid, links[i], theirs, sizeof(theirs)),
		       same == 1 ? "yes" : same == 0 ? "no: a new namespace" : ns_last_error());
		ret |= same < 0 || (same == 1) != (strcmp(mine, theirs) == 0);   /* the link and the ioctl agree */
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
	}
	close(hold[1]);   /* let the child go */
	ns_wait(pidfd, NULL);
	close(pidfd);
	return ret ? -1 : 0;
}

/* The four links of pid and time namespaces, for this process. */
static void show_four(void)
{
	const char *names[] = { "pid", "pid_for_children", "time", "time_for_children" };
	char t[64];

	for (size_t i = 0; i < 4; i++) {
		target(getpid(), names[i], t, sizeof(t));
		printf("   %-18s -> %s\n", names[i], t[0] ? t : strerror(errno));
	}
}

/* Part 3: unshare() of pid and time moves only the *_for_children links; a child lands there. */
static int for_children(void)
{
	int timens = ns_has_feature(NS_FEATURE_TIME_NS);
	unsigned types = NS_TYPE_PID | (timens ? NS_TYPE_TIME : 0), flags = 0;
	char a[64], b[64], c[64], d[64];
	int sync[2], status, pfc, tfc, cp, ct, pid_new, time_new;
	pid_t pid;

	if (geteuid() != 0) {
		types |= NS_TYPE_USER;
		flags = NS_UNSHARE_MAP_ROOT;
	}
	if (ns_unshare(types, flags) < 0) {
		fprintf(stderr, "proc-ns-links: %s\n", ns_last_error());
		return -1;
	}
	printf("\n3. after ns_unshare(NS_TYPE_PID%s%s), this process is still pid %d:\n", timens ? " | NS_TYPE_TIME" : "",
	       types & NS_TYPE_USER ? " | NS_TYPE_USER" : "", (int)getpid());
	if (!timens)
		printf("   (no time namespaces before Linux 5.6: time and time_for_children stay as they were)\n");
	show_four();
	/* The kernel gives pid_for_children no name until the namespace has its pid 1. */
	printf("   (a new pid namespace cannot be opened before its first process, its pid 1, exists)\n");
	fflush(stdout);
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sync[1]);
		_exit(wait_for_exit(sync[0]) < 0);
	}
	close(sync[0]);
	if (pid < 0)
		return -1;
	printf("   a child forked now is pid %d here and pid %d in its namespace; then ours read:\n", (int)pid,
	       pid_inside(pid));
	show_four();
	pid_new = strcmp(target(getpid(), "pid", a, sizeof(a)), target(getpid(), "pid_for_children", b, sizeof(b))) != 0;
	time_new = strcmp(target(getpid(), "time", c, sizeof(c)), target(getpid(), "time_for_children", d, sizeof(d))) != 0;
	printf("   %s\n", pid_new && time_new ? "pid_for_children and time_for_children differ from pid and time"
		       : pid_new && !timens ? "pid_for_children differs from pid"
					    : "the links did not change");
	/* The child, in the new namespaces, compared by fd with what we hold for our children. */
	pfc = ns_open(0, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	tfc = timens ? ns_open(0, NS_TYPE_TIME, NS_OPEN_FOR_CHILDREN) : -1;
	cp = ns_open(pid, NS_TYPE_PID, 0);
	ct = timens ? ns_open(pid, NS_TYPE_TIME, 0) : -1;
	printf("   the child's pid -> %s, time -> %s\n", target(pid, "pid", a, sizeof(a)), target(pid, "time", c, sizeof(c)));
	printf("   ns_equal(): its pid namespace is our pid_for_children: %s", ns_equal(cp, pfc) == 1 ? "yes" : "no");
	if (timens)
		printf("; its time namespace is our time_for_children: %s", ns_equal(ct, tfc) == 1 ? "yes" : "no");
	printf("\n");
	close(pfc), close(cp);
	if (tfc >= 0)
		close(tfc);
	if (ct >= 0)
		close(ct);
	close(sync[1]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(void)
{
	int ret = 0, status;
	pid_t part3;

	list_self();
	ret |= compare_with_child();
	/* Part 3 in a child process of ours: after it, its pid_for_children names a pid namespace whose
	 * pid 1 has exited, where no process can be forked any more; this program stays as it was. */
	fflush(stdout);
	part3 = fork();
	if (part3 == 0) {
		status = for_children();
		fflush(stdout);
		_exit(status ? 1 : 0);
	}
	if (part3 < 0 || waitpid(part3, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		ret = -1;
	return ret ? 1 : 0;
}
