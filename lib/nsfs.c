/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: namespace files (nsfs.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "compat.h"
#include "error-internal.h"
#include "nsfs.h"
#include "parse.h"

/*
 * nsfs is a single superblock, so every namespace inode has the same st_dev. Once one fd has been
 * proven nsfs by fstatfs(), a matching st_dev proves the next one without a second syscall.
 */
static uint64_t nsfs_dev_cache;

int ns__fstat_nsfs(int fd, uint64_t *dev, uint64_t *ino)
{
	struct stat st;
	struct statfs sfs;
	uint64_t known;

	/* 0 on failure, so no caller reads an unset value (gcc -O3 cannot see errno is non-zero below) */
	if (dev)
		*dev = 0;
	if (ino)
		*ino = 0;
	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return -errno;
	known = __atomic_load_n(&nsfs_dev_cache, __ATOMIC_RELAXED);
	if (known == 0 || known != (uint64_t)st.st_dev) {
		if (fstatfs(fd, &sfs) < 0)
			return -errno;
		if (sfs.f_type != NSFS_MAGIC)
			return -EINVAL;
		__atomic_store_n(&nsfs_dev_cache, (uint64_t)st.st_dev, __ATOMIC_RELAXED);
	}
	if (dev)
		*dev = (uint64_t)st.st_dev;
	if (ino)
		*ino = (uint64_t)st.st_ino;
	return 0;
}

bool ns__is_nsfs_dev(uint64_t dev)
{
	uint64_t known = __atomic_load_n(&nsfs_dev_cache, __ATOMIC_RELAXED);

	return known != 0 && known == dev;
}

/*
 * Also explains a failed nsfs ioctl (hierarchy.c): the kernel answers ENOTTY for a file that is not
 * nsfs and EINVAL for a namespace of the wrong kind, and neither says which fd or type was at fault.
 */
int ns__nsfd_type(const char *fn, int nsfd)
{
	int t;

	if (ns__check_fd(fn, nsfd) < 0)
		return -EBADF;
	t = ioctl(nsfd, NS_GET_NSTYPE);
	if (t >= 0)
		return t;
	/* EBADF also comes from an open O_PATH fd, which takes no ioctl: tell the three cases apart */
	if (errno == EBADF && fcntl(nsfd, F_GETFD) < 0)
		return ns__fail(EBADF, "%s: %d is not an open file descriptor", fn, nsfd);
	if (errno == EBADF && ns__fstat_nsfs(nsfd, NULL, NULL) == -EINVAL)
		return ns__fail(EINVAL, "%s: fd %d is not a namespace (not an nsfs file)", fn, nsfd);
	if (errno == EBADF)
		return ns__fail(EBADF, "%s: fd %d was opened O_PATH, which takes no ioctl or setns: open the namespace "
				"file O_RDONLY", fn, nsfd);
	if (errno == ENOTTY || errno == EINVAL)
		return ns__fail(EINVAL, "%s: fd %d is not a namespace (not an nsfs file)", fn, nsfd);
	return ns__fail(errno, "%s: NS_GET_NSTYPE on fd %d", fn, nsfd);
}

/* ns_equal() without a message: ns__describe_missing_cap() runs while the caller's message is being written. */
int ns__same_ns(int a, int b)
{
	uint64_t dev_a, ino_a, dev_b, ino_b;
	int r = ns__fstat_nsfs(a, &dev_a, &ino_a);

	if (r == 0)
		r = ns__fstat_nsfs(b, &dev_b, &ino_b);
	return r < 0 ? r : dev_a == dev_b && ino_a == ino_b;
}

int ns__open_own(const char *name)
{
	char path[48];
	int fd;

	/* thread-self: setns() and unshare() move single threads, so "own" means this thread's. */
	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* 1 when the pid namespace nsfd is the thread's active one or below it (pidns_install's rule). */
int ns__pidns_is_own_or_below(int nsfd)
{
	int self = ns__open_own("pid"), cur, parent, r;

	if (self < 0)
		return self;
	cur = fcntl(nsfd, F_DUPFD_CLOEXEC, 0);
	r = cur < 0 ? -errno : 0;
	while (cur >= 0) {
		r = ns__same_ns(cur, self);
		if (r != 0)
			break;
		/* EPERM past the thread's own pid namespace: then the target is not below it. */
		parent = ioctl(cur, NS_GET_PARENT);
		if (parent < 0 && errno != EPERM)
			r = -errno;
		close(cur);
		cur = parent;
	}
	if (cur >= 0)
		close(cur);
	close(self);
	return r;
}

/* Inode of this thread's namespace of one type; readlink does not instantiate an nsfs inode as stat does. */
uint64_t ns__own_ino(const char *name)
{
	char path[64], link[64];
	uint64_t ino;
	ssize_t n;
	int type;

	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", name);
	n = readlink(path, link, sizeof(link));
	return n > 0 && ns__parse_ns_link(link, (size_t)n, &type, &ino) ? ino : 0;
}

/* nsfs has one st_dev (ns__fstat_nsfs proves nsfd is nsfs), so the inode alone names the namespace. */
int ns__is_own(int nsfd, const char *name)
{
	uint64_t ino;
	int r = ns__fstat_nsfs(nsfd, NULL, &ino);

	return r < 0 ? r : ino == ns__own_ino(name);
}
