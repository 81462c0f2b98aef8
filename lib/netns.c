/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Named network namespaces, as iproute2 keeps them: nsfs bind mounts in /run/netns (ns_netns_*). */
#define _GNU_SOURCE
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
#include "compat.h"


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
 * The one-time set-up of /run/netns (create it, make it a shared mount) and its undo are serialised
 * between libns callers by a lock on a file only the caller's own user can open (mode 0600 in /run,
 * like iptables' /run/xtables.lock). /run/netns itself (0755) is no lock: anyone may open and flock it,
 * and root would then wait for ever. The file is removed on release, so a holder that forked keeps
 * only a lock on a name no one uses any more; whoever locks checks that its file is still the one at
 * the path. Adding to a /run/netns that is already set up takes no lock at all.
 */
#define NETNS_LOCK_FILE "/run/libns-netns.lock"

static int lock_setup(const char *fn)
{
	struct stat held, now;
	int fd, r;

	for (int tries = 0; tries < 16; tries++) {
		/* NOFOLLOW, NONBLOCK: whatever sits there, opening it neither follows a link nor hangs */
		fd = open(NETNS_LOCK_FILE, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
		if (fd < 0)
			return ns__fail(errno, "%s: create the lock file " NETNS_LOCK_FILE, fn);
		if (fstat(fd, &held) < 0 || !S_ISREG(held.st_mode) || held.st_uid != geteuid() ||
		    (held.st_mode & 077)) {
			close(fd);
			return ns__fail(EPERM, "%s: " NETNS_LOCK_FILE " is not a private file of this user (a "
					"regular file, mode 0600): someone else could hold the lock; remove it", fn);
		}
		/* only processes of this user can have it open: a wait here is a wait for a set-up */
		if (flock(fd, LOCK_EX) < 0) {
			r = ns__fail(errno, "%s: lock " NETNS_LOCK_FILE, fn);
			close(fd);
			return r;
		}
		if (stat(NETNS_LOCK_FILE, &now) == 0 && now.st_dev == held.st_dev && now.st_ino == held.st_ino)
			return fd;
		close(fd);
	}
	return ns__fail(EAGAIN, "%s: " NETNS_LOCK_FILE " keeps being removed and recreated", fn);
}

static void unlock_setup(int fd)
{
	unlink(NETNS_LOCK_FILE);
	close(fd);
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

/*
 * The unique id (Linux 6.8) of the /run/netns mount this process last made shared. While /run/netns
 * is still that mount, adding needs no lock and no new MS_SHARED: ip(8) marks it again on every add,
 * which only matters if someone made it private in between. 0: unknown, do the set-up.
 */
static uint64_t shared_run_dir;

static uint64_t mount_id(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID_UNIQUE, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID_UNIQUE))
		return 0;
	return stx.stx_mnt_id;
}

/* fd, a file just made in /run/netns, lies on the mount this process set up: nothing more to do. */
static bool in_set_up_run_dir(int fd)
{
	uint64_t id = mount_id(fd);

	return id && id == __atomic_load_n(&shared_run_dir, __ATOMIC_RELAXED);
}

static int open_run_dir(void)
{
	return open(NETNS_RUN_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * Undo what a failed add made, without allocating anything (the failure may be EMFILE or ENOMEM): the
 * kernel itself refuses, atomically, to unmount a mount that something is mounted on or open in
 * (EBUSY, no MNT_DETACH) and to remove a directory that is not empty. The caller's own fds inside the
 * mount are closed first.
 */
static void undo_run_dir(bool created, bool mounted)
{
	if (mounted && umount2(NETNS_RUN_DIR, UMOUNT_NOFOLLOW) < 0)
		return;
	if (created)
		rmdir(NETNS_RUN_DIR);
}

/*
 * Set /run/netns up under the lock: created if missing, a shared mount; its fd, opened after the bind.
 * *lockfd is the lock, held until the pin is made, so that a failure can be undone.
 */
static int set_up_run_dir(const char *fn, int *lockfd, bool *created, bool *mounted)
{
	int dfd, r;

	*created = *mounted = false;
	*lockfd = lock_setup(fn);
	if (*lockfd < 0)
		return *lockfd;
	if (mkdir(NETNS_RUN_DIR, 0755) == 0)
		*created = true;
	if (!*created && errno != EEXIST)
		r = ns__fail(errno, "%s: create directory " NETNS_RUN_DIR, fn);
	else
		r = make_run_dir_shared(fn, mounted);
	if (r == 0) {
		/* opened after the bind: the pin must land in the /run/netns mount, not hidden under it */
		dfd = open_run_dir();
		if (dfd >= 0) {
			__atomic_store_n(&shared_run_dir, mount_id(dfd), __ATOMIC_RELAXED);
			return dfd;
		}
		r = ns__fail(errno, "%s: open " NETNS_RUN_DIR, fn);
	}
	undo_run_dir(*created, *mounted);
	unlock_setup(*lockfd);
	*lockfd = -1;
	return r;
}

/*
 * A new network namespace without leaving the caller in it: a helper thread that unshares and hands
 * back an fd. Used only when the calling thread could not come back (new_netns); a thread rather
 * than a child process: no SIGCHLD for the caller's handler, no pid a waitpid(-1) could reap.
 */
struct netns_thread {
	int fd;
	int err;
	const char *step;
};

static void *netns_thread_main(void *arg)
{
	struct netns_thread *t = arg;

	/* unshare(CLONE_NEWNET) moves this thread alone, and the move ends when the thread does */
	if (unshare(CLONE_NEWNET) < 0) {
		t->err = errno;
		t->step = "unshare(CLONE_NEWNET)";
		return NULL;
	}
	t->fd = ns__open_own("net"); /* this helper thread's */
	if (t->fd < 0) {
		t->err = -t->fd;
		t->step = "open the new namespace (/proc/thread-self/ns/net)";
	}
	return NULL;
}

static int new_netns_on_thread(struct netns_thread *t)
{
	pthread_attr_t attr;
	pthread_t th;
	int r;

	r = pthread_attr_init(&attr);
	if (r == 0) {
		/* it makes two system calls: a small stack, not the default 8 MiB */
		pthread_attr_setstacksize(&attr, 64 * 1024);
		r = pthread_create(&th, &attr, netns_thread_main, t);
		pthread_attr_destroy(&attr);
	}
	if (r != 0) {
		/* t->err too: new_netns() reports by it, and would otherwise return -1 with no message */
		t->err = r;
		t->step = "start the helper thread that creates the namespace";
		return r;
	}
	pthread_join(th, NULL);
	return t->err;
}

/*
 * Normally the calling thread itself: unshare(CLONE_NEWNET), open the new namespace, setns() back,
 * all with every signal blocked, so no handler ever runs in the new namespace and the caller's
 * threads are where they were when the call returns. setns() into the namespace the thread is
 * already in makes the kernel's checks for the way back first; where they fail (the network
 * namespace belongs to a user namespace in which the caller is not privileged), a helper thread
 * does the work instead.
 */
static int new_netns(const char *fn)
{
	struct netns_thread t = { .fd = -1, .err = 0, .step = NULL };
	sigset_t all, old;
	int self, r;

	self = ns__open_own("net");
	if (self < 0)
		return ns__fail(-self, "%s: open /proc/thread-self/ns/net (the way back)", fn);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (setns(self, CLONE_NEWNET) < 0) {
		new_netns_on_thread(&t);
	} else if (unshare(CLONE_NEWNET) < 0) {
		t.err = errno;
		t.step = "unshare(CLONE_NEWNET)";
	} else {
		t.fd = ns__open_own("net");
		if (t.fd < 0) {
			t.err = -t.fd;
			t.step = "open the new namespace (/proc/thread-self/ns/net)";
		}
		/* proven possible above; continuing in the wrong namespace would be silently wrong */
		while (setns(self, CLONE_NEWNET) < 0)
			if (errno != ENOMEM && errno != EINTR)
				abort();
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(self);
	if (t.err == EPERM && strcmp(t.step, "unshare(CLONE_NEWNET)") == 0) {
		int userfd = ns__open_own("user");

		r = ns__fail_priv(EPERM, userfd, "%s: may not create a network namespace", fn);
		if (userfd >= 0)
			close(userfd);
		return r;
	}
	if (t.err)
		return ns__fail(t.err, "%s: %s%s", fn, t.step,
				t.err == ENOSPC && strcmp(t.step, "unshare(CLONE_NEWNET)") == 0 ?
				" (the user's max_net_namespaces limit is reached)" : "");
	return t.fd;
}

/* The file of the pin, base in dfd; first, so that a taken name costs no namespace. */
static int create_netns_file(const char *fn, int dfd, const char *base, const char *name, const char *path)
{
	int fd = ns__pin_create_file(fn, dfd, base, path);

	/* also when created by iproute2 (which takes no lock) or another caller since a check */
	if (fd == -EEXIST)
		return ns__fail(EEXIST, "%s: network namespace \"%s\" already exists (%s)", fn, name, path);
	return fd;
}

/* The namespace (a new one for nsfd -1) onto fd, the file just made as base in dfd; undone on failure. */
static int pin_netns(const char *fn, int nsfd, int dfd, const char *base, int fd, const char *path)
{
	int newfd = -1, r;

	if (nsfd < 0) {
		newfd = new_netns(fn);
		if (newfd < 0) {
			ns__pin_remove_created(dfd, base, fd);
			return newfd;
		}
	}
	r = ns__pin_onto(fn, newfd >= 0 ? newfd : nsfd, NS_TYPE_NET, dfd, base, fd, path);
	if (newfd >= 0)
		close(newfd);
	return r;
}

NS_PUBLIC int ns_netns_add(const char *name, int nsfd, unsigned flags)
{
	const char *fn = "ns_netns_add";
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	bool created, mounted;
	int r, type, lockfd, dfd, fd;

	r = ns__check_flags(fn, flags, 0);
	if (r < 0)
		return r;
	r = check_netns_name(fn, name);
	if (r < 0)
		return r;
	if (nsfd < -1)
		return ns__fail(EBADF, "%s: %d is not an open file descriptor (-1 creates a new namespace)", fn, nsfd);
	if (nsfd >= 0) {
		type = ns__pin_check_nsfd(fn, nsfd);
		if (type < 0)
			return type;
		if (type != NS_TYPE_NET)
			return ns__fail(EINVAL, "%s: fd %d is a%s %s namespace, not a network namespace", fn, nsfd,
					type ? "" : "n", type ? ns_type_name(type) : "unknown");
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	r = ns__pin_need_sys_admin(fn, NETNS_RUN_DIR);
	if (r < 0)
		return r;
	/* /run/netns (only root writes it) set up by this process before: the pin straight in it */
	fd = create_netns_file(fn, AT_FDCWD, path, name, path);
	if (fd >= 0 && in_set_up_run_dir(fd)) {
		r = pin_netns(fn, nsfd, AT_FDCWD, path, fd, path);
		close(fd);
		return r;
	}
	if (fd >= 0) {
		ns__pin_remove_created(AT_FDCWD, path, fd);
		close(fd);
	} else if (fd != -ENOENT) {
		return fd;
	}
	dfd = set_up_run_dir(fn, &lockfd, &created, &mounted);
	if (dfd < 0)
		return dfd;
	fd = create_netns_file(fn, dfd, name, name, path);
	r = fd < 0 ? fd : pin_netns(fn, nsfd, dfd, name, fd, path);
	if (fd >= 0)
		close(fd);
	close(dfd);
	if (r < 0)
		undo_run_dir(created, mounted);
	unlock_setup(lockfd);
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
	int r;

	r = check_netns_name("ns_netns_del", name);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	/*
	 * By path: only root writes /run and /run/netns, so no directory on the way can be swapped. No
	 * lock: unmounting and removing one name are each atomic, and a racing add's undo gives way. Like
	 * `ip netns del`, it also removes the empty file of a pin whose mount is already gone.
	 */
	r = ns__unpin_at("ns_netns_del", AT_FDCWD, path, path, true);
	if (r == -ENOENT)
		r = ns__fail(ENOENT, "ns_netns_del: no network namespace named \"%s\" (no %s)", name, path);
	return r;
}
