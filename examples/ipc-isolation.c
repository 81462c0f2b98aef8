/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ipc-isolation: System V shared memory made on the host does not exist in a new IPC namespace,
 * and the same key there names a different segment.
 *
 *   ipc-isolation
 *
 * The concept: System V IPC objects (shared memory, semaphore sets, message queues) and POSIX
 * message queues are found by a key or a name that is global to an IPC namespace. Two IPC
 * namespaces are two separate tables: a key known on the host means nothing in a new one, and a
 * process there that creates a segment with the same key gets memory of its own. When the last
 * process of an IPC namespace is gone, the kernel destroys every object left in it.
 *
 * What you should see: the host creates a segment with a key and writes a message into it; the
 * child, in a new IPC namespace, fails shmget(key) with ENOENT, lists no segment in its
 * /proc/sysvipc/shm (where `ipcs -m` reads), then creates its own segment with the same key and
 * writes another message; the host's segment still holds the host's message. The host's segment
 * is removed at the end; the child's went away with its namespace.
 *
 * With util-linux: `ipcmk -M 4096` on the host, then `unshare --ipc ipcs -m` shows none of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE 4096

/* The segments listed in this IPC namespace, as `ipcs -m` counts them. */
static int count_segments(void)
{
	FILE *f = fopen("/proc/sysvipc/shm", "re");
	char line[512];
	int n = -1;     /* the first line is a header */

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static void show_count(const char *who)
{
	int n = count_segments();

	printf("%s /proc/sysvipc/shm lists %d segment%s\n", who, n, n == 1 ? "" : "s");
}

static int write_message(int id, const char *text)
{
	char *mem = shmat(id, NULL, 0);

	if (mem == (void *)-1)
		return -1;
	snprintf(mem, SIZE, "%s", text);
	return shmdt(mem);
}

static int read_message(int id, char *buf, size_t size)
{
	char *mem = shmat(id, NULL, SHM_RDONLY);

	if (mem == (void *)-1)
		return -1;
	snprintf(buf, size, "%s", mem);
	return shmdt(mem);
}

/* Runs in the child, in its new IPC namespace. */
static int child(void *arg)
{
	key_t key = *(key_t *)arg;
	int id;

	id = shmget(key, 0, 0);
	if (id >= 0) {
		printf("inside: shmget(0x%08x) found segment %d: the host's table is visible (unexpected)\n",
		       (unsigned)key, id);
		fflush(stdout);
		return 1;
	}
	printf("inside: shmget(0x%08x, 0, 0) = -1, %s: no such segment here\n", (unsigned)key,
	       errno == ENOENT ? "ENOENT" : strerror(errno));
	show_count("inside:");
	id = shmget(key, SIZE, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0 || write_message(id, "written inside the new IPC namespace") < 0) {
		printf("inside: creating a segment with key 0x%08x: %s\n", (unsigned)key, strerror(errno));
		fflush(stdout);
		return 1;
	}
	printf("inside: created segment %d with the same key 0x%08x and wrote into it\n", id, (unsigned)key);
	show_count("inside:");
	fflush(stdout);
	/* Not removed: the kernel destroys it with this namespace, when we exit. */
	return 0;
}

int main(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char message[128];
	int id = -1, pidfd, status, r = 1;
	key_t key = 0;

	/* A key nobody else uses: try a few from a base tied to our pid. */
	for (int i = 0; i < 64 && id < 0; i++) {
		key = (key_t)(0x4c4e0000 + ((getpid() + i) & 0xffff));
		id = shmget(key, SIZE, IPC_CREAT | IPC_EXCL | 0600);
		if (id < 0 && errno != EEXIST)
			break;
	}
	if (id < 0 || write_message(id, "written on the host") < 0) {
		perror("ipc-isolation: creating a shared memory segment on the host");
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
		return 1;
	}
	printf("host:   created segment %d with key 0x%08x and wrote into it\n", id, (unsigned)key);
	show_count("host:  ");

	opts.new_types = NS_TYPE_IPC;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	if (geteuid() != 0) {
		/* Without root, a user namespace of our own grants the CAP_SYS_ADMIN a new IPC namespace needs. */
		opts.new_types |= NS_TYPE_USER;
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	fflush(stdout);
	if (ns_spawn(&opts, child, &key, &pidfd) < 0) {
		fprintf(stderr, "ipc-isolation: %s\n", ns_last_error());
		goto out;
	}
	if (ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "ipc-isolation: %s\n", ns_last_error());
		close(pidfd);
		goto out;
	}
	close(pidfd);

	/* Same key, two segments: ours was never touched. */
	if (read_message(id, message, sizeof(message)) < 0) {
		perror("ipc-isolation: reading the host's segment");
		goto out;
	}
	printf("host:   segment %d (key 0x%08x) still holds \"%s\"\n", id, (unsigned)key, message);
	printf("host:   shmget(0x%08x) still finds segment %d\n", (unsigned)key, shmget(key, 0, 0));
	r = WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(message, "written on the host") == 0 ? 0 : 1;
out:
	shmctl(id, IPC_RMID, NULL);
	printf("host:   removed segment %d\n", id);
	return r;
}
