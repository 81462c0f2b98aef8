/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * userns-root: uid 0 inside a user namespace is an ordinary, unprivileged uid outside.
 *
 *   userns-root
 *
 * The concept: a user namespace has a table, uid_map (and gid_map), from its ids to the ids of
 * its parent namespace. Its first process holds every capability, but only over the namespaces
 * this user namespace owns; to the rest of the system it is whatever uid the map says. So
 * "root in a container" can be uid 100000 (or nobody) on the host: if it broke out, it would
 * still be that uid. Ids with no line in the map (the host's root, here) show as the overflow
 * uid, 65534.
 *
 * It runs the same child twice:
 *   1. only when started as root: inside 0-65535 mapped to 100000-165535 outside, an explicit
 *      map of the kind a container manager writes from /etc/subuid;
 *   2. as an unprivileged user (uid 65534 when started as root): its own uid mapped to 0, the
 *      one line any user may write for itself (NS_SPAWN_MAP_ROOT; `unshare --map-root-user`).
 * Each time the child reports from inside (its ids, its map, its capabilities, who owns "/",
 * a refused sethostname on the host) and the parent from outside (the same map, the child's uid
 * in /proc/PID/status, the namespace's owner from ns_get_owner_uid(), the owner of a file the
 * child created).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libns/libns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_args {
	int sock[2];        /* the child says "ready" on sock[1] and waits until the parent closes sock[0] */
	const char *file;   /* created by the child, for the parent to stat */
};

/*
 * The first line of a /proc file that starts with `key` (the first line when key is NULL), without
 * the key, its runs of blanks squeezed to one space: "0 100000 65536", not the kernel's columns.
 */
static void proc_line(const char *path, const char *key, char *buf, size_t size)
{
	char line[512], *in, *out = buf;
	FILE *f = fopen(path, "re");
	bool found = false;

	snprintf(buf, size, "(unreadable)");
	if (!f)
		return;
	while (!found && fgets(line, sizeof(line), f))
		found = !key || strncmp(line, key, strlen(key)) == 0;
	fclose(f);
	if (!found)
		return;
	for (in = line + (key ? strlen(key) : 0); *in && out + 1 < buf + size; in++) {
		if (*in != ' ' && *in != '\t' && *in != '\n')
			*out++ = *in;
		else if (out > buf && out[-1] != ' ')
			*out++ = ' ';
	}
	if (out > buf && out[-1] == ' ')
		out--;
	*out = '\0';
}

static int child(void *p)
{
	struct child_args *a = p;
	char line[256], host[256];
	struct stat st;
	int fd;
	char c;

	/* Where the map leaves our host id out (part 1: host root mapped as 100000), ns_spawn made us the
	 * 0 the map has; with NS_SPAWN_MAP_ROOT our own id is that 0 already. */
	printf("inside:  getuid() = %d, getgid() = %d\n", (int)getuid(), (int)getgid());
	proc_line("/proc/self/uid_map", NULL, line, sizeof(line));
	printf("inside:  /proc/self/uid_map: %s\n", line);
	proc_line("/proc/self/status", "CapEff:", line, sizeof(line));
	printf("inside:  effective capabilities %s (all of them, valid in this user namespace)\n", line);
	if (stat("/", &st) == 0)
		printf("inside:  / belongs to uid %d (the host's root has no line in the map: it shows as the "
		       "overflow uid)\n", (int)st.st_uid);
	/* Our UTS namespace is still the host's, owned by the parent user namespace: our capabilities
	 * do not reach it. (Setting the name it already has, so that nothing could change anyway.) */
	gethostname(host, sizeof(host));
	if (sethostname(host, strlen(host)) < 0)
		printf("inside:  sethostname() on the host's UTS namespace: %s (its owner is the parent user "
		       "namespace)\n", strerror(errno));
	else
		printf("inside:  sethostname() on the host's UTS namespace succeeded (unexpected)\n");
	fd = open(a->file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	printf("inside:  created %s\n", a->file);
	fflush(stdout);
	close(a->sock[0]);
	c = 'r';
	if (write(a->sock[1], &c, 1) != 1)
		return 1;
	while (read(a->sock[1], &c, 1) < 0)
		;
	return 0;
}

/* Start the child in a new user namespace with `opts`'s maps, and look at it from both sides. */
static int show(struct ns_spawn_opts *opts, const char *file)
{
	struct child_args args = { .file = file };
	char path[64], line[256], ready;
	struct stat st;
	int pidfd, userns, mine, parent, status;
	uid_t owner;
	pid_t pid;

	printf("outside: this process is uid %d\n", (int)geteuid());
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, args.sock) < 0) {
		perror("socketpair");
		return 1;
	}
	fflush(stdout);
	pid = ns_spawn(opts, child, &args, &pidfd);
	close(args.sock[1]);
	if (pid < 0) {
		fprintf(stderr, "userns-root: %s\n", ns_last_error());
		close(args.sock[0]);
		return 1;
	}
	/* ns_spawn() returns as the child starts: wait until it has switched ids and looked around. */
	if (read(args.sock[0], &ready, 1) != 1)
		fprintf(stderr, "userns-root: the child did not get ready\n");

	/* The same map read from outside, and the child's uid as the host counts it. */
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	proc_line(path, NULL, line, sizeof(line));
	printf("outside: %s: %s\n", path, line);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	proc_line(path, "Uid:", line, sizeof(line));
	printf("outside: %s Uid: %s (real, effective, saved, filesystem)\n", path, line);

	/* Ownership: the kernel remembers who created a user namespace, and which one is its parent. */
	userns = ns_open_pidfd(pidfd, NS_TYPE_USER, 0);
	mine = ns_open(0, NS_TYPE_USER, 0);
	parent = userns >= 0 ? ns_get_parent(userns) : -1;
	if (userns < 0 || mine < 0 || parent < 0 || ns_get_owner_uid(userns, &owner) < 0)
		fprintf(stderr, "userns-root: %s\n", ns_last_error());
	else
		printf("outside: the child's user namespace was created by uid %d (ns_get_owner_uid); its parent "
		       "is %s (ns_get_parent)\n", (int)owner, ns_equal(parent, mine) == 1 ? "ours" : "another");
	if (userns >= 0)
		close(userns);
	if (mine >= 0)
		close(mine);
	if (parent >= 0)
		close(parent);

	close(args.sock[0]);
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "userns-root: %s\n", ns_last_error());
		return 1;
	}
	close(pidfd);
	if (stat(file, &st) == 0)
		printf("outside: %s belongs to uid %d, gid %d\n", file, (int)st.st_uid, (int)st.st_gid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Part 1: the map a privileged manager may write: 65536 ids from 100000 up. */
static int as_root(const char *dir)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct ns_idmap map = { 0 };
	char file[4096];

	printf("== 1. uid 0-65535 inside are 100000-165535 outside (written by root)\n");
	ns_idmap_add(&map, 0, 100000, 65536);
	opts.new_types = NS_TYPE_USER;
	opts.uid_map = &map;
	opts.gid_map = &map;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	snprintf(file, sizeof(file), "%s/made-by-mapped-root", dir);
	return show(&opts, file);
}

/* Part 2: an ordinary user maps itself to 0, in a forked process so the caller keeps its ids. */
static int as_user(const char *dir)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char file[4096];
	int status;
	pid_t pid;

	printf("== 2. an unprivileged user is root in its own user namespace\n");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0)
		return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	if (geteuid() == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0) {
			perror("userns-root: dropping to uid 65534");
			_exit(1);
		}
		/* Changing uid made us non-dumpable: our children's /proc files would then belong to root,
		 * and we could not write the child's uid_map. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
	opts.new_types = NS_TYPE_USER;
	opts.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_DIE_WITH_PARENT;
	snprintf(file, sizeof(file), "%s/made-by-user-root", dir);
	status = show(&opts, file);
	fflush(stdout);
	_exit(status);
}

int main(void)
{
	char dir[] = "/tmp/libns-userns-root-XXXXXX", path[4096];
	int r = 0;

	if (!mkdtemp(dir)) {
		perror("userns-root: mkdtemp");
		return 1;
	}
	chmod(dir, 01777); /* the mapped uids create files in it */
	if (geteuid() == 0) {
		r |= as_root(dir);
		printf("\n");
	}
	r |= as_user(dir);

	snprintf(path, sizeof(path), "%s/made-by-mapped-root", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/made-by-user-root", dir);
	unlink(path);
	rmdir(dir);
	return r;
}
