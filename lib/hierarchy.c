/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

/* The kernel's MAX_PID_NS_LEVEL: no pid namespace is nested deeper, so no NSpid line is longer. */
#define PIDNS_MAX_LEVEL 32
#define NSPID_MAX (PIDNS_MAX_LEVEL + 1)

static const char *type_label(int type)
{
	const char *name = ns_type_name(type);

	return name ? name : "unknown";
}

NS_PUBLIC int ns_get_parent(int nsfd)
{
	int fd, err, type, r;

	r = ns__check_fd("ns_get_parent", nsfd);
	if (r < 0)
		return r;
	/* The kernel opens the new fd O_CLOEXEC itself (open_related_ns). */
	fd = ioctl(nsfd, NS_GET_PARENT);
	if (fd >= 0)
		return fd;
	err = errno;
	type = ns__nsfd_type("ns_get_parent", nsfd);
	if (type < 0)
		return type;
	if (err == EINVAL)
		return ns__fail(EINVAL, "ns_get_parent: a %s namespace has no parent: only pid and user "
				"namespaces are hierarchical (ns_get_userns() gives its owner)", type_label(type));
	if (err == EPERM && type == NS_TYPE_PID)
		return ns__fail(EPERM, "ns_get_parent: the parent of this pid namespace is outside the caller's "
				"view: only the caller's own pid namespace and those below it can be opened "
				"(the initial pid namespace has no parent)");
	if (err == EPERM)
		return ns__fail(EPERM, "ns_get_parent: the parent of this user namespace is outside the caller's "
				"user namespace scope: only the caller's own user namespace and those below it "
				"can be opened (the initial user namespace has no parent)");
	return ns__fail(err, "ns_get_parent: NS_GET_PARENT on fd %d (%s namespace)", nsfd, type_label(type));
}

NS_PUBLIC int ns_get_userns(int nsfd)
{
	int fd, err, type, r;

	r = ns__check_fd("ns_get_userns", nsfd);
	if (r < 0)
		return r;
	fd = ioctl(nsfd, NS_GET_USERNS);
	if (fd >= 0)
		return fd;
	err = errno;
	type = ns__nsfd_type("ns_get_userns", nsfd);
	if (type < 0)
		return type;
	if (err == EPERM)
		return ns__fail(EPERM, "ns_get_userns: the user namespace owning this %s namespace is outside the "
				"caller's user namespace scope: only the caller's own user namespace and those "
				"below it can be opened%s", type_label(type),
				type == NS_TYPE_USER ? " (a user namespace's owner is its parent; the initial "
				"one has none)" : "");
	return ns__fail(err, "ns_get_userns: NS_GET_USERNS on fd %d (%s namespace)", nsfd, type_label(type));
}

NS_PUBLIC int ns_get_owner_uid(int userns_fd, uid_t *uid)
{
	/* NS_GET_OWNER_UID is _IO (no size): memory checkers cannot see the kernel fill it in */
	uid_t got = (uid_t)-1;
	int err, type, r;

	if (!uid)
		return ns__fail(EINVAL, "ns_get_owner_uid: uid is NULL");
	r = ns__check_fd("ns_get_owner_uid", userns_fd);
	if (r < 0)
		return r;
	if (ioctl(userns_fd, NS_GET_OWNER_UID, &got) == 0) {
		*uid = got;
		return 0;
	}
	err = errno;
	type = ns__nsfd_type("ns_get_owner_uid", userns_fd);
	if (type < 0)
		return type;
	if (err == EINVAL && type != NS_TYPE_USER)
		return ns__fail(EINVAL, "ns_get_owner_uid: fd %d is a %s namespace, not a user namespace "
				"(ns_get_userns() opens its owner)", userns_fd, type_label(type));
	return ns__fail(err, "ns_get_owner_uid: NS_GET_OWNER_UID on fd %d", userns_fd);
}

/* ---- pid translation ---- */

/* A whole /proc file, which may grow past any fixed buffer (Groups: can list 65536 groups). */
struct text {
	char *buf;
	size_t size;
};

/* One task as /proc shows it: NSpid and NStgid, outermost (the /proc mount's namespace) first. */
struct task_ids {
	pid_t pid[NSPID_MAX];
	pid_t tgid[NSPID_MAX];
	int n;
	int threads;
};

static int read_task_ids(int dirfd, struct text *t, struct task_ids *ids)
{
	const char *th;
	int r, m;

	r = ns__read_file(dirfd, "status", &t->buf, &t->size);
	if (r < 0)
		return r;
	r = ns__parse_nspid(t->buf, "NSpid", ids->pid, NSPID_MAX);
	m = ns__parse_nspid(t->buf, "NStgid", ids->tgid, NSPID_MAX);
	if (r == -ENOENT || m == -ENOENT)
		return -EOPNOTSUPP;  /* NSpid and NStgid appeared in Linux 4.1 */
	if (r < 0 || m != r)
		return -EIO;
	ids->n = r;
	th = strstr(t->buf, "\nThreads:");
	ids->threads = th ? atoi(th + strlen("\nThreads:")) : 1;
	return 0;
}

/* What the fallback knows about the caller, the target namespace and the task it looks for. */
struct xlate {
	int pidns_fd;
	int off;      /* the caller's own level in every NSpid line: 0 unless /proc is an ancestor's */
	int depth;    /* levels from the caller's pid namespace down to pidns_fd's */
	pid_t want;   /* the pid to find ... */
	int level;    /* ... at this index of NSpid */
	struct text text;
	struct task_ids ids;  /* the task found */
};

/*
 * Is the task whose /proc directory is dirfd inside the target namespace or below it? Its NSpid
 * line only tells its depth, and sibling namespaces share depths, so compare the namespace itself:
 * walk up from the task's own pid namespace to the target's depth. Returns 1, 0 or -errno.
 */
static int task_in_ns(const struct xlate *x, int dirfd)
{
	int task_depth = x->ids.n - 1 - x->off, fd, parent, r;

	if (task_depth < x->depth)
		return 0;
	/*
	 * Every task a /proc of the caller's own pid namespace shows is in it or below. A /proc of an
	 * ancestor's (off > 0) also shows tasks of sibling namespaces with the same pid at the caller's
	 * level: those must be told apart by the namespace itself, as for a deeper target.
	 */
	if (x->depth == 0 && x->off == 0)
		return 1;
	fd = openat(dirfd, "ns/pid", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (; task_depth > x->depth; task_depth--) {
		parent = ioctl(fd, NS_GET_PARENT);
		r = -errno;
		close(fd);
		if (parent < 0)
			return r;
		fd = parent;
	}
	r = ns__same_ns(fd, x->pidns_fd);
	close(fd);
	return r;
}

static int scan_dir(struct xlate *x, int dirfd, bool threads);

/* 1 when the task of dirfd (or, with threads, one of its threads) is the one wanted; 0 if not. */
static int match_task(struct xlate *x, int taskfd, bool threads)
{
	int r, tfd;

	r = read_task_ids(taskfd, &x->text, &x->ids);
	/*
	 * Exited while we looked; or exiting: while the kernel releases a task its NStgid line can empty
	 * before its NSpid line, which reads as -EIO. Neither is the task we want, nor a reason to fail.
	 */
	if (r == -ENOENT || r == -ESRCH || r == -EIO)
		return 0;
	if (r < 0)
		return r;
	if (x->ids.n <= x->level)
		return 0;   /* not deep enough to have an id at that level */
	if (x->ids.pid[x->level] == x->want) {
		r = task_in_ns(x, taskfd);
		return r == -ENOENT || r == -ESRCH ? 0 : r;
	}
	if (!threads || x->ids.threads < 2)
		return 0;
	/* Thread ids are not listed in /proc itself, only under their thread group's task/ */
	tfd = openat(taskfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0)
		return 0;
	r = scan_dir(x, tfd, false);
	close(tfd);
	return r;
}

/* Search the numbered entries of a /proc (or /proc/PID/task) directory fd; it stays open. */
static int scan_dir(struct xlate *x, int dirfd, bool threads)
{
	struct dirent *e;
	DIR *d;
	int r = 0, dfd, taskfd;

	/* A fresh open file description: readdir must not move the offset of dirfd */
	dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		r = -errno;
		close(dfd);
		return r;
	}
	while ((e = readdir(d))) {
		if (!ns__all_digits(e->d_name))
			continue;
		/* The directory fd pins the task: if the pid is reused, lookups under it fail. */
		taskfd = openat(dirfd, e->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (taskfd < 0)
			continue;
		r = match_task(x, taskfd, threads);
		close(taskfd);
		if (r != 0)
			break;
	}
	closedir(d);
	return r;
}

/*
 * Levels from the caller's pid namespace (self) down to pidns_fd's: 0 when they are the same.
 * NS_GET_PARENT refuses (EPERM) to go above the caller's own pid namespace, so a namespace that is
 * not the caller's or below it ends the walk with -EPERM.
 */
static int pidns_depth(int pidns_fd, int self_fd)
{
	uint64_t sdev, sino, dev, ino;
	int cur = pidns_fd, depth = 0, parent, r;

	r = ns__fstat_nsfs(self_fd, &sdev, &sino);
	if (r < 0)
		return r;
	for (;;) {
		r = ns__fstat_nsfs(cur, &dev, &ino);
		if (r < 0)
			break;
		if (dev == sdev && ino == sino) {
			r = depth;
			break;
		}
		if (depth == PIDNS_MAX_LEVEL) {
			r = -EPERM;
			break;
		}
		parent = ioctl(cur, NS_GET_PARENT);
		if (parent < 0) {
			r = -errno;
			break;
		}
		if (cur != pidns_fd)
			close(cur);
		cur = parent;
		depth++;
	}
	if (cur != pidns_fd)
		close(cur);
	return r;
}

static int translate_error(pid_t pid, unsigned flags)
{
	if (flags & NS_PID_INTO_NS)
		return ns__fail(ESRCH, "ns_pid_translate: process or thread %d (as the caller sees it) does not "
				"exist or is not in that pid namespace or one below it", (int)pid);
	return ns__fail(ESRCH, "ns_pid_translate: no process %d in that pid namespace is visible to the caller",
			(int)pid);
}

/*
 * Before Linux 6.11: NSpid/NStgid of /proc/PID/status list a task's ids from the /proc mount's pid
 * namespace down to its own, so with the target namespace's depth below the caller's, the id at one
 * level is read off the id at another.
 */
static int translate_proc(int pidns_fd, pid_t pid, unsigned flags, pid_t *out)
{
	struct xlate x = { .pidns_fd = pidns_fd, .want = pid };
	char name[16];
	int procfd, selffd = -1, nsfd = -1, taskfd, r, idx;

	procfd = ns__open_proc_root(O_RDONLY);
	if (procfd == -ENODEV)
		return ns__fail(EOPNOTSUPP, "ns_pid_translate: /proc is not procfs: without NS_GET_PID_*_PIDNS "
				"(Linux 6.11) pids are translated through /proc");
	if (procfd < 0)
		return ns__fail(-procfd, "ns_pid_translate: open /proc");
	selffd = openat(procfd, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (selffd < 0) {
		r = errno == ENOENT ? ns__fail(EOPNOTSUPP, "ns_pid_translate: /proc belongs to a pid namespace "
					       "that does not contain the caller, and this kernel has no "
					       "NS_GET_PID_*_PIDNS (Linux 6.11)")
				    : ns__fail(errno, "ns_pid_translate: open /proc/self");
		goto out;
	}
	r = read_task_ids(selffd, &x.text, &x.ids);
	if (r < 0) {
		r = ns__fail(-r, "ns_pid_translate: reading NSpid from /proc/self/status");
		goto out;
	}
	x.off = x.ids.n - 1;
	nsfd = openat(selffd, "ns/pid", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		r = ns__fail(errno, "ns_pid_translate: open /proc/self/ns/pid");
		goto out;
	}
	r = pidns_depth(pidns_fd, nsfd);
	if (r == -EPERM) {
		r = ns__fail(EOPNOTSUPP, "ns_pid_translate: the pid namespace is neither the caller's nor one below "
			     "it; translating to an ancestor or unrelated pid namespace needs NS_GET_PID_*_PIDNS "
			     "(Linux 6.11)");
		goto out;
	}
	if (r < 0) {
		r = ns__fail(-r, "ns_pid_translate: walking up from the pid namespace with NS_GET_PARENT");
		goto out;
	}
	x.depth = r;
	if (flags & NS_PID_INTO_NS) {
		x.level = x.off;
		idx = x.off + x.depth;
	} else {
		x.level = x.off + x.depth;
		idx = x.off;
	}
	if (x.off == 0 && (flags & NS_PID_INTO_NS)) {
		/* /proc speaks the caller's pids: look the task up directly (thread ids work too) */
		snprintf(name, sizeof(name), "%d", (int)pid);
		taskfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		r = 0;
		if (taskfd >= 0) {
			r = match_task(&x, taskfd, false);
			close(taskfd);
		}
	} else {
		r = scan_dir(&x, procfd, true);
	}
	if (r == 0)
		r = translate_error(pid, flags);
	else if (r == -EACCES || r == -EPERM)
		r = ns__fail(-r, "ns_pid_translate: may not open the pid namespace of process %d to check that it "
			     "is in that namespace: needs ptrace read access (same uid and dumpable, or "
			     "CAP_SYS_PTRACE); kernels with NS_GET_PID_*_PIDNS (Linux 6.11) need none",
			     (int)x.ids.pid[x.off]);
	else if (r < 0)
		r = ns__fail(-r, "ns_pid_translate: reading /proc");
	else {
		*out = (flags & NS_PID_TGID) ? x.ids.tgid[idx] : x.ids.pid[idx];
		r = 0;
	}
out:
	if (nsfd >= 0)
		close(nsfd);
	if (selffd >= 0)
		close(selffd);
	close(procfd);
	free(x.text.buf);
	return r;
}

static int translate_ioctl(int pidns_fd, pid_t pid, unsigned flags, pid_t *out)
{
	unsigned long req;
	int r;

	if (flags & NS_PID_INTO_NS)
		req = (flags & NS_PID_TGID) ? NS_GET_TGID_IN_PIDNS : NS_GET_PID_IN_PIDNS;
	else
		req = (flags & NS_PID_TGID) ? NS_GET_TGID_FROM_PIDNS : NS_GET_PID_FROM_PIDNS;
	/* The argument is the pid itself, not a pointer; the answer is the return value. */
	r = ioctl(pidns_fd, req, (unsigned long)pid);
	if (r > 0) {
		*out = r;
		return 0;
	}
	if (r == 0 || errno == ESRCH)
		return translate_error(pid, flags);
	return ns__fail(errno, "ns_pid_translate: NS_GET_%s_%s_PIDNS on fd %d", (flags & NS_PID_TGID) ? "TGID" : "PID",
			(flags & NS_PID_INTO_NS) ? "IN" : "FROM", pidns_fd);
}

NS_PUBLIC int ns_pid_translate(int pidns_fd, pid_t pid, unsigned flags, pid_t *out)
{
	const unsigned dir = flags & (NS_PID_INTO_NS | NS_PID_FROM_NS);
	int r, type;

	r = ns__check_flags("ns_pid_translate", flags, NS_PID_INTO_NS | NS_PID_FROM_NS | NS_PID_TGID);
	if (r < 0)
		return r;
	if (dir != NS_PID_INTO_NS && dir != NS_PID_FROM_NS)
		return ns__fail(EINVAL, "ns_pid_translate: flags need exactly one of NS_PID_INTO_NS and NS_PID_FROM_NS");
	if (!out)
		return ns__fail(EINVAL, "ns_pid_translate: out is NULL");
	r = ns__check_pid("ns_pid_translate", pid);
	if (r < 0)
		return r;
	if (pid == 0 && dir == NS_PID_FROM_NS)
		return ns__fail(EINVAL, "ns_pid_translate: pid 0 names no process inside a pid namespace "
				"(0 means the caller only with NS_PID_INTO_NS)");
	type = ns__nsfd_type("ns_pid_translate", pidns_fd);
	if (type < 0)
		return type;
	if (type != NS_TYPE_PID)
		return ns__fail(EINVAL, "ns_pid_translate: fd %d is a %s namespace, not a pid namespace",
				pidns_fd, type_label(type));
	if (pid == 0)
		pid = getpid();
	if (ns_has_feature(NS_FEATURE_PID_TRANSLATE))
		return translate_ioctl(pidns_fd, pid, flags, out);
	return translate_proc(pidns_fd, pid, flags, out);
}
