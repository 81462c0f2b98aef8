/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-lifetime: what keeps a namespace alive, and when the kernel destroys it. Run it as root.
 *
 *   ns-lifetime
 *
 * The concept: a namespace lives as long as something refers to it: a process in it, an open
 * file descriptor of it (an nsfs file, what ns_open() returns), a bind mount of that file (a
 * "pin", what `ip netns add` makes under /run/netns), or, for user and pid namespaces, a child
 * namespace. When the last reference goes, the kernel destroys it and everything in it.
 *
 * It follows one UTS namespace (named "lifetime-demo" inside) through five stages:
 *   a. a process in it, and our fd from ns_open_pidfd(); ns_open_by_id() finds it by its id
 *   b. the process killed: only our fd holds it
 *   c. pinned with ns_pin() at a file in a private directory under /run: fd and pin
 *   d. our fd closed: only the pin holds it; ns_open_path() on the pin opens it again, and a
 *      child that enters it with ns_enter() still reads the hostname set in stage a
 *   e. ns_unpin(): nothing holds it; it is gone: not listed, and ns_open_by_id() fails ENOENT
 * At each stage ns_list_new() (an lsns-like scan of processes, open fds and mounts) says what
 * holds it.
 *
 * What you should see: "held by process, fd", "fd", "fd, mount", "mount", then "not listed"
 * and ENOENT. No mount and no file are left behind.
 *
 * A network namespace behaves the same (see net-veth). A mount namespace would too, but on
 * Linux 6.18 pinning one sometimes fails EINVAL, so UTS is used here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct ns_id id;  /* the namespace followed: its 64-bit id and its inode */

static int child_sleeps(void *arg)
{
	(void)arg;
	pause();   /* until killed in stage b */
	return 0;
}

/* What holds the namespace, according to a listing of the whole system (after a stage title). */
static void show_holders(const char *stage)
{
	struct ns_list *list;
	const struct ns_entry *e = NULL;

	if (stage)
		printf("%s\n", stage);
	if (ns_list_new(NS_TYPE_UTS, 0, &list) < 0) {
		printf("    ns_list_new: %s\n", ns_last_error());
		return;
	}
	for (size_t i = 0; i < ns_list_count(list) && !e; i++)
		if (ns_list_get(list, i)->id.ino == id.ino)
			e = ns_list_get(list, i);
	if (!e)
		printf("    uts:[%llu] is not listed: nothing holds it\n", (unsigned long long)id.ino);
	else
		printf("    uts:[%llu] is held by%s%s%s (%u process%s)\n", (unsigned long long)id.ino,
		       e->held_by & NS_HELD_BY_PROCESS ? " process" : "",
		       e->held_by & NS_HELD_BY_FD ? (e->held_by & NS_HELD_BY_PROCESS ? ", fd" : " fd") : "",
		       e->held_by & NS_HELD_BY_MOUNT ? (e->held_by & ~NS_HELD_BY_MOUNT ? ", mount" : " mount") : "",
		       e->nprocs, e->nprocs == 1 ? "" : "es");
	ns_list_free(list);
}

/* Open the namespace again from nothing but its 64-bit id (nsfs file handles, Linux 6.18). */
static int reopen_by_id(void)
{
	int fd;

	if (id.id == 0) {
		/* NS_GET_ID is Linux 6.18: before it a namespace has no id to be found by */
		printf("    (this kernel gives namespaces no 64-bit id: ns_open_by_id() needs Linux 6.18)\n");
		return -ENOENT;
	}
	fd = ns_open_by_id(id.id, NS_TYPE_UTS, 0);
	if (fd < 0) {
		printf("    ns_open_by_id(%llu) = %s: %s\n", (unsigned long long)id.id, fd == -ENOENT ? "-ENOENT" :
		       strerror(-fd), ns_last_error());
		return fd;
	}
	printf("    ns_open_by_id(%llu) opened it again\n", (unsigned long long)id.id);
	close(fd);
	return 0;
}

/* A child that joins the namespace through `nsfd` and reads the hostname kept in it. */
static void read_hostname_in(int nsfd)
{
	char name[256];
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (ns_enter(nsfd, NS_TYPE_UTS) < 0) {
			printf("    ns_enter: %s\n", ns_last_error());
			_exit(1);
		}
		gethostname(name, sizeof(name));
		printf("    a child that entered it reads hostname \"%s\"\n", name);
		fflush(stdout);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int main(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char dir[] = "/run/libns-lifetime-XXXXXX", pin[64];
	struct ns_id again;
	int pidfd, fd, r = 1;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "ns-lifetime: run as root: a pin is a bind mount\n");
		return 1;
	}
	if (!mkdtemp(dir)) {
		perror("ns-lifetime: mkdtemp /run/libns-lifetime-XXXXXX");
		return 1;
	}
	snprintf(pin, sizeof(pin), "%s/uts", dir);

	/* a. A process in a new UTS namespace, and an fd of that namespace. */
	opts.new_types = NS_TYPE_UTS;
	opts.hostname = "lifetime-demo";
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	pid = ns_spawn(&opts, child_sleeps, NULL, &pidfd);
	if (pid < 0) {
		fprintf(stderr, "ns-lifetime: %s\n", ns_last_error());
		goto out;
	}
	fd = ns_open_pidfd(pidfd, NS_TYPE_UTS, 0);
	if (fd < 0 || ns_get_id(fd, &id) < 0) {
		fprintf(stderr, "ns-lifetime: %s\n", ns_last_error());
		kill(pid, SIGKILL), ns_wait(pidfd, NULL), close(pidfd);
		goto out;
	}
	printf("process %d is in uts:[%llu], namespace id %llu\n", (int)pid, (unsigned long long)id.ino,
	       (unsigned long long)id.id);
	show_holders("a. a process in it, and our fd:");
	reopen_by_id();

	/* b. The process goes; the fd stays. */
	kill(pid, SIGKILL);
	ns_wait(pidfd, NULL);
	close(pidfd);
	show_holders("b. process killed, our fd open:");

	/* c. A bind mount of it: the same as `ip netns add`, for any type. */
	if (ns_pin(fd, pin, 0) < 0) {
		fprintf(stderr, "ns-lifetime: %s\n", ns_last_error());
		close(fd);
		goto out;
	}
	printf("c. pinned at %s (ns_pin):\n", pin);
	show_holders(NULL);

	/* d. The fd goes; the pin stays, and is as good as the fd was. */
	close(fd);
	show_holders("d. our fd closed, the pin remains:");
	fd = ns_open_path(pin, NS_TYPE_UTS, 0);
	if (fd < 0 || ns_get_id(fd, &again) < 0) {
		fprintf(stderr, "ns-lifetime: %s\n", ns_last_error());
	} else {
		printf("    ns_open_path(pin) opens uts:[%llu], id %llu: %s\n", (unsigned long long)again.ino,
		       (unsigned long long)again.id, again.ino == id.ino && again.id == id.id ? "the same namespace" :
		       "another namespace");
		read_hostname_in(fd);
		close(fd);
	}

	/* e. The pin goes: nothing refers to the namespace any more, and the kernel frees it. */
	if (ns_unpin(pin, 0) < 0) {
		fprintf(stderr, "ns-lifetime: %s\n", ns_last_error());
		goto out;
	}
	show_holders("e. unpinned (ns_unpin):");
	r = reopen_by_id() == -ENOENT ? 0 : 1;
	fd = ns_open_path(pin, NS_TYPE_UTS, 0);
	if (fd >= 0)
		close(fd), r = 1;
	else
		printf("    ns_open_path(pin): %s\n", ns_last_error());
out:
	if (access(pin, F_OK) == 0)
		ns_unpin(pin, 0);
	rmdir(dir);
	return r;
}
