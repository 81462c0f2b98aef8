/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount-propagation: shared, slave and private mounts: which mount events cross between mount
 * namespaces, and in which direction.
 *
 *   mount-propagation
 *
 * The concept: a new mount namespace starts as a copy of its creator's mount table, and each
 * copied mount keeps a propagation type ("shared subtrees"). A shared mount and its copies form a
 * peer group: a mount made under any of them appears under all of them (a USB stick mounted on the
 * host shows up in the container). A slave receives what its master's group mounts but sends
 * nothing back. A private mount neither sends nor receives. /proc/PID/mountinfo shows the type in
 * its optional fields: "shared:N" (peer group N), "master:N" (a slave of group N), none (private).
 *
 * What it does, without touching the host's mounts: it moves itself into a mount namespace of its
 * own with ns_unshare() (all private, as unshare(1) does; as an ordinary user, with a user
 * namespace first), mounts a tmpfs on a fresh directory under /tmp and makes it shared. That
 * namespace plays the host. It then forks three children that each call unshare(CLONE_NEWNS)
 * directly, because ns_unshare() and ns_spawn() always make a new mount namespace private and
 * libns has no call that keeps propagation: one leaves the directory shared, one makes it a slave
 * (MS_SLAVE), one makes it private (MS_PRIVATE). Then each of the four mounts a tmpfs of its own
 * under the directory, and the program reads every namespace's /proc/PID/mountinfo to see where
 * each mount arrived.
 *
 * What you should see: the directory's mountinfo fields in each namespace (the same "shared:N" in
 * the host and the shared peer, "master:N" in the slave, none in the private one), then a table:
 * the host's mount reaches the shared peer and the slave, not the private namespace; the shared
 * peer's mount comes back to the host (and on to the slave); the slave's and the private
 * namespace's mounts stay where they were made.
 *
 * The same with util-linux: `unshare --mount --propagation unchanged` (peer),
 * `--propagation slave`, `--propagation private`; `mount --make-shared DIR`; `findmnt -o
 * TARGET,PROPAGATION`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { HOST, PEER, SLAVE, PRIVATE, N };
static const char *const names[N] = { "host", "shared peer", "slave", "private" };
static const char *const leaf[N] = { "from-host", "from-peer", "from-slave", "from-private" };
static char dir[] = "/tmp/libns-propagation-XXXXXX";

/*
 * Is PATH a mount point in the mount namespace of PID? With fields, also its optional fields
 * ("shared:N", "master:N"...; "" for a private mount). 1 yes, 0 no, -1 unreadable.
 */
static int mounted(pid_t pid, const char *path, char *fields, size_t size)
{
	char file[64], line[4096], point[PATH_MAX];
	FILE *f;
	int found = 0;

	snprintf(file, sizeof(file), "/proc/%d/mountinfo", (int)pid);
	if (!(f = fopen(file, "re")))
		return -1;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL FIELDS...] - FSTYPE SOURCE SUPEROPTIONS" */
	while (!found && fgets(line, sizeof(line), f)) {
		int end = 0;

		if (sscanf(line, "%*s %*s %*s %*s %4095s %*s %n", point, &end) < 1 || strcmp(point, path) != 0)
			continue;
		found = 1;
		if (fields) {
			const char *sep = strstr(line, " - ");
			int len = sep && sep >= line + end ? (int)(sep - (line + end)) : 0;

			snprintf(fields, size, "%.*s", len, line + end);
		}
	}
	fclose(f);
	return found;
}

struct child {
	pid_t pid;
	int cmd, done;   /* we write a byte on cmd to make it mount; it answers on done */
};

/* A child in a copy of our mount namespace, made with the kernel's own unshare(): propagation kept. */
static int start(struct child *kids, int kind)
{
	struct child *c = &kids[kind];
	int cmd[2], done[2];
	char b;

	if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		char path[sizeof(dir) + 32];
		unsigned long type = kind == SLAVE ? MS_SLAVE : kind == PRIVATE ? MS_PRIVATE : 0;

		close(cmd[1]), close(done[0]);
		for (int i = PEER; i < kind; i++)   /* our siblings' pipes: they must see EOF from the parent alone */
			close(kids[i].cmd), close(kids[i].done);
		if (unshare(CLONE_NEWNS) < 0 || (type && mount(NULL, dir, NULL, type, NULL) < 0))
			_exit(1);
		b = 'r';
		if (write(done[1], &b, 1) != 1)
			_exit(1);
		snprintf(path, sizeof(path), "%s/%s", dir, leaf[kind]);
		while (read(cmd[0], &b, 1) == 1) {   /* until the parent closes its end */
			b = mount("tmpfs", path, "tmpfs", 0, "size=16k") == 0 ? 'd' : 'e';
			if (write(done[1], &b, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(cmd[0]), close(done[1]);
	c->cmd = cmd[1];
	c->done = done[0];
	if (c->pid < 0 || read(c->done, &b, 1) != 1) {
		fprintf(stderr, "mount-propagation: the %s namespace could not be set up\n", names[kind]);
		return -1;
	}
	return 0;
}

static int ask_to_mount(struct child *c)
{
	char b = 'm';

	return write(c->cmd, &b, 1) == 1 && read(c->done, &b, 1) == 1 && b == 'd' ? 0 : -1;
}

int main(void)
{
	struct child kids[N] = { { 0 } };
	pid_t pids[N];
	char path[sizeof(dir) + 32], fields[256];
	int ret = 1, mounted_dir = 0, status;

	if (geteuid() != 0 && ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT) < 0) {
		fprintf(stderr, "mount-propagation: %s\n", ns_last_error());
		return 1;
	}
	/* Our own mount namespace, every mount private: nothing below reaches the real host. */
	if (ns_unshare(NS_TYPE_MNT, 0) < 0) {
		fprintf(stderr, "mount-propagation: %s\n", ns_last_error());
		return 1;
	}
	if (!mkdtemp(dir)) {
		perror("mount-propagation: mkdtemp");
		return 1;
	}
	if (mount("propagation", dir, "tmpfs", 0, "size=64k") < 0) {
		perror("mount-propagation: mount tmpfs");
		goto out;
	}
	mounted_dir = 1;
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, leaf[i]);
		mkdir(path, 0755);
	}
	if (mount(NULL, dir, NULL, MS_SHARED, NULL) < 0) {
		perror("mount-propagation: make shared");
		goto out;
	}
	printf("this program moved into a mount namespace of its own (ns_unshare), which plays the host;\n");
	printf("it mounted a tmpfs on %s there and made it shared (MS_SHARED)\n\n", dir);
	fflush(stdout);

	pids[HOST] = getpid();
	for (int i = PEER; i < N; i++) {
		if (start(kids, i) < 0)
			goto out;
		pids[i] = kids[i].pid;
	}
	printf("%s in each mount namespace (/proc/PID/mountinfo, optional fields):\n", dir);
	for (int i = 0; i < N; i++) {
		mounted(pids[i], dir, fields, sizeof(fields));
		printf("  %-12s %s\n", names[i], fields[0] ? fields : "(none: private)");
	}

	/* Each namespace mounts a tmpfs of its own under the directory: ours first, then the children. */
	snprintf(path, sizeof(path), "%s/%s", dir, leaf[HOST]);
	if (mount("tmpfs", path, "tmpfs", 0, "size=16k") < 0) {
		perror("mount-propagation: mount");
		goto out;
	}
	for (int i = PEER; i < N; i++)
		if (ask_to_mount(&kids[i]) < 0) {
			fprintf(stderr, "mount-propagation: the %s namespace could not mount\n", names[i]);
			goto out;
		}

	printf("\nwhere each mount arrived:\n");
	printf("  %-30s", "MOUNTED IN, ON");
	for (int i = 0; i < N; i++)
		printf(i < N - 1 ? " %-12s" : " %s\n", names[i]);
	for (int m = 0; m < N; m++) {
		char label[64];

		snprintf(label, sizeof(label), "%s, .../%s", names[m], leaf[m]);
		snprintf(path, sizeof(path), "%s/%s", dir, leaf[m]);
		printf("  %-30s", label);
		for (int i = 0; i < N; i++)
			printf(i < N - 1 ? " %-12s" : " %s\n", mounted(pids[i], path, NULL, 0) == 1 ? "yes" : "-");
	}
	ret = 0;
out:
	for (int i = PEER; i < N; i++)
		if (kids[i].pid > 0) {
			close(kids[i].cmd), close(kids[i].done);
			waitpid(kids[i].pid, &status, 0);
		}
	/* Our mount namespace dies with us anyway; unmount so that the directory can go. */
	if (mounted_dir && umount2(dir, MNT_DETACH) < 0)
		perror("mount-propagation: umount");
	if (rmdir(dir) < 0)
		fprintf(stderr, "mount-propagation: rmdir %s: %s\n", dir, strerror(errno));
	else if (!ret)
		printf("\nunmounted and removed %s; the host's mount table never changed\n", dir);
	return ret;
}
