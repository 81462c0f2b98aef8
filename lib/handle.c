/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

static int check_open_args(const char *fn, int type, unsigned flags)
{
	int r = ns__check_flags(fn, flags, NS_OPEN_FOR_CHILDREN);

	if (r < 0)
		return r;
	if (!ns__is_single_type(type))
		return ns__fail(EINVAL, "%s: 0x%x is not exactly one namespace type", fn, (unsigned)type);
	if ((flags & NS_OPEN_FOR_CHILDREN) && type != NS_TYPE_PID && type != NS_TYPE_TIME)
		return ns__fail(EINVAL, "%s: only pid and time namespaces have a separate namespace for children", fn);
	return ns__need_types(fn, (unsigned)type);
}

static bool is_zombie(char state)
{
	return state == 'Z' || state == 'X';
}

/*
 * A failed open of /proc/PID/ns/NAME. ENOENT has three causes: the process has exited or is a zombie,
 * its pid namespace has no first process yet (pid_for_children), or the kernel lacks the type.
 */
static int proc_open_error(const char *fn, int err, pid_t pid, const char *name)
{
	char state, mine[64];

	if (err == EACCES || err == EPERM)
		return ns__fail(err, "%s: may not open /proc/%d/ns/%s: needs ptrace read access to the process "
				"(same uid and dumpable, or CAP_SYS_PTRACE)", fn, (int)pid, name);
	if (err != ENOENT)
		return ns__fail(err, "%s: open /proc/%d/ns/%s", fn, (int)pid, name);
	state = ns__proc_state(pid);
	if (state && !is_zombie(state)) {
		if (strcmp(name, "pid_for_children") == 0)
			return ns__fail(ENOENT, "%s: /proc/%d/ns/pid_for_children cannot be opened before the first "
					"process of that pid namespace exists (PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE, "
					"Linux 6.11, can)", fn, (int)pid);
		/* a type this kernel was built without has no link for anyone, us included */
		snprintf(mine, sizeof(mine), "/proc/thread-self/ns/%s", name);
		if (access(mine, F_OK) != 0)
			return ns__fail(EOPNOTSUPP, "%s: this kernel was built without %s namespaces", fn, name);
	}
	return ns__fail(ESRCH, "%s: process %d has exited or is a zombie (no /proc/%d/ns/%s)",
			fn, (int)pid, (int)pid, name);
}

/* The pidfd ioctl failed: -errno with a message. */
static int pidfd_ioctl_error(const char *fn, int err, int pidfd, const char *name)
{
	/* an O_PATH fd is open, but takes no ioctl (EBADF): it is not a pidfd one can use either */
	if (err == EBADF && fcntl(pidfd, F_GETFD) >= 0)
		return ns__fail(EINVAL, "%s: fd %d is not a pidfd (it was opened O_PATH)", fn, pidfd);
	if (err == EBADF)
		return ns__fail(EBADF, "%s: %d is not an open file descriptor", fn, pidfd);
	if (err == ENOTTY || err == EINVAL)
		return ns__fail(EINVAL, "%s: fd %d is not a pidfd", fn, pidfd);
	if (err == ESRCH)
		return ns__fail(ESRCH, "%s: the process has exited or is a zombie, it has no %s namespace", fn, name);
	if (err == EACCES || err == EPERM)
		return ns__fail(err, "%s: may not read the %s namespace: needs ptrace read access to the process "
				"(same uid and dumpable, or CAP_SYS_PTRACE)", fn, name);
	if (err == EOPNOTSUPP)
		return ns__fail(err, "%s: this kernel was built without %s namespaces", fn, name);
	return ns__fail(err, "%s: PIDFD_GET_NAMESPACE ioctl for %s", fn, name);
}

static int open_via_ioctl(const char *fn, int pidfd, int type, bool for_children)
{
	int fd = ioctl(pidfd, ns__pidfd_ioctl(type, for_children), 0);

	return fd >= 0 ? fd : pidfd_ioctl_error(fn, errno, pidfd, ns__proc_name(type, for_children));
}

NS_PUBLIC int ns_pidfd_open(pid_t pid, unsigned flags)
{
	int r = ns__check_flags("ns_pidfd_open", flags, 0);

	if (r < 0)
		return r;
	r = ns__need_feature("ns_pidfd_open", NS_FEATURE_PIDFD);
	if (r < 0)
		return r;
	return ns__pidfd_open("ns_pidfd_open", pid == 0 ? getpid() : pid);
}

/*
 * fd is NAME just opened from /proc/PID/ns: a zombie's user namespace, which the pidfd ioctls refuse
 * (ESRCH). The fallback must agree, so close it and refuse too; otherwise return fd.
 */
static int refuse_zombie(const char *fn, int fd, pid_t pid, const char *name)
{
	if (strcmp(name, "user") == 0 && is_zombie(ns__proc_state(pid))) {
		close(fd);
		return ns__fail(ESRCH, "%s: process %d is a zombie, it has no %s namespace", fn, (int)pid, name);
	}
	return fd;
}

/* Open /proc/PID/ns/NAME for the process the pidfd holds, and prove the pid was not recycled. */
static int open_via_proc(const char *fn, int pidfd, pid_t pid, const char *name)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return proc_open_error(fn, errno, pid, name);
	/*
	 * A process stays alive (or a zombie holding its pid) until reaped, and the pidfd names it:
	 * if it still takes signal 0 now, the pid belonged to it for the whole open above.
	 */
	r = sys_pidfd_send_signal(pidfd, 0, NULL, 0);
	if (r == -ESRCH) {
		close(fd);
		return ns__fail(ESRCH, "%s: process %d exited while its namespace was opened", fn, (int)pid);
	}
	return refuse_zombie(fn, fd, pid, name);
}

/* No pidfds (before 5.3): a /proc/PID directory fd pins the process the same way. */
static int open_via_proc_dir(const char *fn, pid_t pid, const char *name)
{
	char path[64];
	int dfd, fd, err;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? ns__fail(ESRCH, "%s: no process %d", fn, (int)pid)
				       : ns__fail(errno, "%s: open %s", fn, path);
	snprintf(path, sizeof(path), "ns/%s", name);
	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	err = errno;
	close(dfd);
	if (fd < 0)
		return proc_open_error(fn, err, pid, name);
	return refuse_zombie(fn, fd, pid, name);
}

static int open_self(const char *fn, const char *name)
{
	int fd = ns__open_own(name);

	if (fd < 0)
		return ns__fail(-fd, "%s: open /proc/thread-self/ns/%s (is /proc mounted?)", fn, name);
	return fd;
}

NS_PUBLIC int ns_open_pidfd(int pidfd, int type, unsigned flags)
{
	const bool children = flags & NS_OPEN_FOR_CHILDREN;
	int r, pid;

	r = check_open_args("ns_open_pidfd", type, flags);
	if (r < 0)
		return r;
	r = ns__check_fd("ns_open_pidfd", pidfd);
	if (r < 0)
		return r;
	if (ns_has_feature(NS_FEATURE_PIDFD_GET_NS))
		return open_via_ioctl("ns_open_pidfd", pidfd, type, children);
	pid = ns__pidfd_pid(pidfd);
	if (pid == -EBADF)
		return ns__fail(EBADF, "ns_open_pidfd: %d is not an open file descriptor", pidfd);
	if (pid == -EINVAL)
		return ns__fail(EINVAL, "ns_open_pidfd: fd %d is not a pidfd", pidfd);
	if (pid == -ESRCH)
		return ns__fail(ESRCH, "ns_open_pidfd: the process has exited");
	if (pid == -EREMOTE)
		return ns__fail(EREMOTE, "ns_open_pidfd: the process is not visible in this /proc, which belongs to "
				"another pid namespace, and this kernel has no PIDFD_GET_*_NAMESPACE (Linux 6.11): "
				"mount a /proc for a pid namespace that contains the process");
	if (pid < 0)
		return ns__fail(-pid, "ns_open_pidfd: reading fdinfo of fd %d", pidfd);
	return open_via_proc("ns_open_pidfd", pidfd, pid, ns__proc_name(type, children));
}

NS_PUBLIC int ns_open(pid_t pid, int type, unsigned flags)
{
	const bool children = flags & NS_OPEN_FOR_CHILDREN;
	const char *name;
	int r, pidfd, fd;

	r = check_open_args("ns_open", type, flags);
	if (r < 0)
		return r;
	name = ns__proc_name(type, children);
	r = ns__check_pid("ns_open", pid);
	if (r < 0)
		return r;
	if (pid == 0)
		return open_self("ns_open", name);
	if (!ns_has_feature(NS_FEATURE_PIDFD))
		return open_via_proc_dir("ns_open", pid, name);
	pidfd = ns__pidfd_open("ns_open", pid);
	if (pidfd < 0)
		return pidfd;
	if (ns_has_feature(NS_FEATURE_PIDFD_GET_NS)) {
		fd = open_via_ioctl("ns_open", pidfd, type, children);
	} else {
		/*
		 * pid is in our numbering, /proc may be another pid namespace's (a pid namespace of our own
		 * without a remount): there /proc/<pid> is some other process, alive, so the signal check
		 * would pass. The pidfd's fdinfo answers in /proc's numbering; Linux 5.3 prints no Pid: line
		 * (-EINVAL), and then only a /proc that numbers us as we do can be trusted.
		 */
		int procpid = ns__pidfd_pid(pidfd);

		if (procpid == -EINVAL)
			procpid = ns__proc_self_trusted() ? pid : -EREMOTE;
		if (procpid > 0)
			fd = open_via_proc("ns_open", pidfd, procpid, name);
		else if (procpid == -ESRCH)
			fd = ns__fail(ESRCH, "ns_open: process %d has exited", (int)pid);
		else if (procpid == -EREMOTE)
			fd = ns__fail(EREMOTE, "ns_open: process %d is not visible in this /proc, which belongs to "
				      "another pid namespace, and this kernel has no PIDFD_GET_*_NAMESPACE (Linux 6.11): "
				      "mount a /proc for this pid namespace", (int)pid);
		else
			fd = ns__fail(-procpid, "ns_open: reading the fdinfo of a pidfd for %d", (int)pid);
	}
	close(pidfd);
	return fd;
}

NS_PUBLIC int ns_type_of(int nsfd)
{
	return ns__nsfd_type("ns_type_of", nsfd);
}

NS_PUBLIC int ns_open_path(const char *path, int expected_type, unsigned flags)
{
	int r, fd, type;

	r = ns__check_flags("ns_open_path", flags, 0);
	if (r < 0)
		return r;
	if (!path || !*path)
		return ns__fail(EINVAL, "ns_open_path: empty path");
	if (expected_type != 0 && !ns__is_single_type(expected_type))
		return ns__fail(EINVAL, "ns_open_path: 0x%x is not exactly one namespace type",
				(unsigned)expected_type);
	/* O_NOCTTY|O_NONBLOCK: a path that turns out to be a tty or fifo must not hang or become ours */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ns__fail(errno, "ns_open_path: open %s", path);
	r = ns__fstat_nsfs(fd, NULL, NULL);
	if (r < 0) {
		close(fd);
		if (r == -EINVAL)
			return ns__fail(EINVAL, "ns_open_path: %s is not a namespace file (not on nsfs; "
					"a pin that was unmounted leaves an empty file)", path);
		return ns__fail(-r, "ns_open_path: stat %s", path);
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		r = ns__fail(errno, "ns_open_path: NS_GET_NSTYPE on %s", path);
		close(fd);
		return r;
	}
	if (expected_type != 0 && type != expected_type) {
		close(fd);
		return ns__fail(EINVAL, "ns_open_path: %s is a %s namespace, not %s", path,
				ns_type_name(type) ? ns_type_name(type) : "unknown", ns_type_name(expected_type));
	}
	return fd;
}

NS_PUBLIC int ns_get_id(int nsfd, struct ns_id *out)
{
	uint64_t id = 0;
	int r;

	if (!out)
		return ns__fail(EINVAL, "ns_get_id: out is NULL");
	r = ns__fstat_nsfs(nsfd, &out->dev, &out->ino);
	if (r == -EINVAL)
		return ns__fail(EINVAL, "ns_get_id: fd %d is not a namespace (not an nsfs file)", nsfd);
	if (r < 0)
		return ns__fail(-r, "ns_get_id: fstat fd %d", nsfd);
	if (ns_has_feature(NS_FEATURE_NS_ID) && ioctl(nsfd, NS_GET_ID, &id) < 0)
		id = 0;
	out->id = id;
	return 0;
}

NS_PUBLIC int ns_equal(int nsfd_a, int nsfd_b)
{
	/* gcc 12 -O3 cannot see that errno is non-zero after a failed fstat and warns otherwise. */
	uint64_t dev_a = 0, ino_a = 0, dev_b = 0, ino_b = 0;
	int r;

	r = ns__fstat_nsfs(nsfd_a, &dev_a, &ino_a);
	if (r < 0)
		return r == -EINVAL ? ns__fail(EINVAL, "ns_equal: fd %d is not a namespace", nsfd_a)
				    : ns__fail(-r, "ns_equal: fstat fd %d", nsfd_a);
	r = ns__fstat_nsfs(nsfd_b, &dev_b, &ino_b);
	if (r < 0)
		return r == -EINVAL ? ns__fail(EINVAL, "ns_equal: fd %d is not a namespace", nsfd_b)
				    : ns__fail(-r, "ns_equal: fstat fd %d", nsfd_b);
	return dev_a == dev_b && ino_a == ino_b;
}
