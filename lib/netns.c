/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Named network namespaces, as iproute2 keeps them: nsfs bind mounts in /run/netns (ns_netns_*). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
/* before compat.h: glibc defines the mount API constants unconditionally, compat.h only if missing */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"
#include "pin-internal.h"
#include "syscall.h"

#define NETNS_RUN_DIR "/run/netns"

static int check_netns_name(const char *fn, const char *name)
{
	if (!name)
		return ns__fail(EINVAL, "%s: name is NULL", fn);
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/'))
		return ns__fail(EINVAL, "%s: \"%s\" is not a valid network namespace name "
				"(a file name in " NETNS_RUN_DIR ": not empty, \".\" or \"..\", no '/')", fn, name);
	if (strlen(name) > NAME_MAX)
		return ns__fail(EINVAL, "%s: network namespace name is longer than NAME_MAX (%d)", fn, NAME_MAX);
	return 0;
}

/*
 * Open /run/netns (creating it if asked) and hold an exclusive flock on it, which serialises libns
 * callers (iproute2 takes no lock). A concurrent add that failed may have removed the directory
 * while we waited for the lock: then start again on the new one.
 */
static int lock_run_dir(const char *fn, bool create, bool *created)
{
	struct stat locked, now;
	int fd;

	*created = false;
	for (int tries = 0; tries < 16; tries++) {
		if (create) {
			if (mkdir(NETNS_RUN_DIR, 0755) == 0)
				*created = true;
			else if (errno != EEXIST)
				return ns__fail(errno, "%s: create directory " NETNS_RUN_DIR, fn);
		}
		fd = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT && create)
				continue;
			if (errno == ENOENT)
				return ns__fail(ENOENT, "%s: no " NETNS_RUN_DIR " directory: no named network "
						"namespaces exist", fn);
			return ns__fail(errno, "%s: open " NETNS_RUN_DIR, fn);
		}
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				int r = ns__fail(errno, "%s: lock " NETNS_RUN_DIR, fn);

				close(fd);
				return r;
			}
		}
		if (fstat(fd, &locked) == 0 && stat(NETNS_RUN_DIR, &now) == 0 && locked.st_nlink > 0 &&
		    locked.st_dev == now.st_dev && locked.st_ino == now.st_ino)
			return fd;
		close(fd);
		*created = false;
	}
	return ns__fail(EAGAIN, "%s: " NETNS_RUN_DIR " keeps being removed and recreated", fn);
}

/*
 * What `ip netns add` does to /run/netns: make it a shared mount, so that a pin added or removed in one
 * mount namespace is added or removed in every namespace that shares the mount, and the network
 * namespace can be freed sooner. MS_SHARED fails EINVAL on what is not a mount point, so then bind the
 * directory onto itself first, once.
 */
static int make_run_dir_shared(const char *fn, bool *mounted)
{
	*mounted = false;
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || *mounted)
			return errno == EPERM ? ns__pin_mount_eperm(fn, "may not make a shared mount of", NETNS_RUN_DIR)
					      : ns__fail(errno, "%s: make " NETNS_RUN_DIR " a shared mount", fn);
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return errno == EPERM ? ns__pin_mount_eperm(fn, "may not bind-mount", NETNS_RUN_DIR)
					      : ns__fail(errno, "%s: bind-mount " NETNS_RUN_DIR " onto itself", fn);
		*mounted = true;
	}
	return 0;
}

static bool dir_is_empty(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	bool empty = true;
	DIR *d;

	if (fd < 0)
		return false;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

/* A failed add leaves nothing behind: undo the directory and mount it made, unless someone uses them. */
static void undo_run_dir(int dirfd, bool created, bool mounted)
{
	if ((!created && !mounted) || !dir_is_empty(dirfd))
		return;
	if (mounted)
		umount2(NETNS_RUN_DIR, MNT_DETACH | UMOUNT_NOFOLLOW);
	if (created)
		rmdir(NETNS_RUN_DIR);
}

struct netns_thread {
	int fd;
	int err;
};

static void *netns_thread_main(void *arg)
{
	struct netns_thread *t = arg;

	/* unshare(CLONE_NEWNET) moves this thread alone, and the move ends when the thread does */
	if (unshare(CLONE_NEWNET) < 0) {
		t->err = errno;
		return NULL;
	}
	t->fd = ns__open_own("net"); /* this helper thread's */
	if (t->fd < 0)
		t->err = -t->fd;
	return NULL;
}

/*
 * A new network namespace without touching the caller's threads: a short-lived helper thread
 * unshares and hands back an fd. A thread rather than a child process: no SIGCHLD for the caller's
 * handler, no pid a caller's waitpid(-1) could reap from under us, no copy of the address space.
 */
static int new_netns(const char *fn)
{
	struct netns_thread t = { .fd = -1, .err = 0 };
	sigset_t all, old;
	pthread_t th;
	int r;

	/* The thread inherits this mask: no signal meant for the process is ever handled on it. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&th, NULL, netns_thread_main, &t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0)
		return ns__fail(r, "%s: could not start the helper thread that creates the namespace", fn);
	pthread_join(th, NULL);
	if (t.err == EPERM) {
		int userfd = ns__open_own("user");

		r = ns__fail_priv(EPERM, userfd, "%s: may not create a network namespace", fn);
		if (userfd >= 0)
			close(userfd);
		return r;
	}
	if (t.err)
		return ns__fail(t.err, "%s: unshare(CLONE_NEWNET)%s", fn,
				t.err == ENOSPC ? " (the user's max_net_namespaces limit is reached)" : "");
	return t.fd;
}

NS_PUBLIC int ns_netns_add(const char *name, int nsfd, unsigned flags)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	bool created = false, mounted = false;
	int r, type, lockfd, dfd = -1, newfd = -1;

	r = ns__check_flags("ns_netns_add", flags, 0);
	if (r < 0)
		return r;
	r = check_netns_name("ns_netns_add", name);
	if (r < 0)
		return r;
	if (nsfd < -1)
		return ns__fail(EBADF, "ns_netns_add: %d is not an open file descriptor (-1 creates a new namespace)",
				nsfd);
	if (nsfd >= 0) {
		type = ns__pin_check_nsfd("ns_netns_add", nsfd);
		if (type < 0)
			return type;
		if (type != NS_TYPE_NET)
			return ns__fail(EINVAL, "ns_netns_add: fd %d is a%s %s namespace, not a network namespace",
					nsfd, type ? "" : "n", type ? ns_type_name(type) : "unknown");
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	r = ns__pin_need_sys_admin("ns_netns_add", NETNS_RUN_DIR);
	if (r < 0)
		return r;
	lockfd = lock_run_dir("ns_netns_add", true, &created);
	if (lockfd < 0)
		return lockfd;
	r = make_run_dir_shared("ns_netns_add", &mounted);
	if (r == 0 && faccessat(lockfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		r = ns__fail(EEXIST, "ns_netns_add: network namespace \"%s\" already exists (%s)", name, path);
	if (r == 0) {
		/* reopened after the bind: the pin must land in the /run/netns mount, not hidden under it */
		dfd = open(NETNS_RUN_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			r = ns__fail(errno, "ns_netns_add: open " NETNS_RUN_DIR);
	}
	if (r == 0 && nsfd < 0) {
		newfd = new_netns("ns_netns_add");
		if (newfd < 0)
			r = newfd;
	}
	if (r == 0) {
		r = ns__pin_at("ns_netns_add", newfd >= 0 ? newfd : nsfd, NS_TYPE_NET, dfd, name, path);
		if (r == -EEXIST)   /* created by iproute2 (which takes no lock) since the check above */
			r = ns__fail(EEXIST, "ns_netns_add: network namespace \"%s\" already exists (%s)", name, path);
	}
	if (r < 0)
		undo_run_dir(lockfd, created, mounted);
	if (newfd >= 0)
		close(newfd);
	if (dfd >= 0)
		close(dfd);
	close(lockfd);
	return r;
}

NS_PUBLIC int ns_netns_open(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	int r, fd, type;

	r = check_netns_name("ns_netns_open", name);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	/* O_NONBLOCK|O_NOCTTY: whatever sits there, opening it must not hang or give us a tty */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return ns__fail(ENOENT, "ns_netns_open: no network namespace named \"%s\" (no %s)", name, path);
		return ns__fail(errno, "ns_netns_open: open %s", path);
	}
	r = ns__fstat_nsfs(fd, NULL, NULL);
	type = r == 0 ? ioctl(fd, NS_GET_NSTYPE) : -1;
	if (r < 0 || type != NS_TYPE_NET) {
		close(fd);
		if (r == -EINVAL)
			return ns__fail(EINVAL, "ns_netns_open: %s is not a pinned namespace (a file left by a pin "
					"whose mount is gone? ns_netns_del removes it)", path);
		if (r < 0)
			return ns__fail(-r, "ns_netns_open: stat %s", path);
		return ns__fail(EINVAL, "ns_netns_open: %s pins a %s namespace, not a network namespace", path,
				ns_type_name(type) ? ns_type_name(type) : "non-network");
	}
	return fd;
}

NS_PUBLIC int ns_netns_del(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	bool created;
	int r, lockfd, dfd;

	r = check_netns_name("ns_netns_del", name);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	lockfd = lock_run_dir("ns_netns_del", false, &created);
	if (lockfd < 0)
		return lockfd == -ENOENT ? ns__fail(ENOENT, "ns_netns_del: no network namespace named \"%s\" "
						    "(no " NETNS_RUN_DIR ")", name) : lockfd;
	dfd = open(NETNS_RUN_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = ns__fail(errno, "ns_netns_del: open " NETNS_RUN_DIR);
	} else {
		/* like `ip netns del`, also remove the empty file of a pin whose mount is already gone */
		r = ns__unpin_at("ns_netns_del", dfd, name, path, true);
		if (r == -ENOENT)
			r = ns__fail(ENOENT, "ns_netns_del: no network namespace named \"%s\" (no %s)", name, path);
		close(dfd);
	}
	close(lockfd);
	return r;
}
