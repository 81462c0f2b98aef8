/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "list-internal.h"
#include "syscall.h"

/*
 * Enumeration by /proc scan, in two phases so that the cost stays linear and close to the bare
 * minimum (one readlinkat per process and type):
 *
 *  1. Find (list-scan.c): for every process, readlinkat() each /proc/PID/ns/TYPE link through one O_PATH
 *     directory fd and group the "type:[inode]" answers in a hash table. readlink is used rather
 *     than stat because stat of an ns link instantiates an nsfs dentry and inode per call, which
 *     costs about twice as much. Then the nsfs fds listed in /proc/PID/fd and the nsfs bind mounts
 *     in /proc/self/mountinfo, the same way.
 *  2. Describe: only then, open ONE fd per distinct namespace and read its id, owner and parent
 *     with ioctls, and the command of its lowest pid.
 *
 * A process may exit, exec or be replaced by another with the same pid at any point: every
 * per-process failure that means "gone or not ours to see" is a skip, and every fd opened in
 * phase 2 is checked against the inode found in phase 1 before anything is read from it.
 *
 * TODO(listns): Linux 6.19's listns() returns the ids of every namespace the caller may see,
 * including those held only by fds or by mounts in other mount namespaces, without walking
 * /proc/PID/fd. It cannot replace phase 1 (it knows nothing of processes, so nprocs and pid still
 * come from /proc), only the fd and mount scans. Not written yet because no kernel here has it to
 * test against; ns_list_new() uses the scans on every kernel.
 */

struct ns_list {
	size_t n;
	struct ns_entry *entries;
};

/* ---- phase 2: describe ---- */

/* fd is nsfs and the inode phase 1 found: a pid reused or an fd number recycled since is caught here. */
static int check_entry(struct scan *s, int fd, const struct ns_entry *e)
{
	uint64_t dev, ino;
	int r = ns__fstat_nsfs(fd, &dev, &ino);

	if (r < 0)
		return r;
	if (ino != e->id.ino)
		return -ESTALE;
	s->nsfs_dev = dev;
	return 0;
}

/* Make s->dir_fd the /proc/PID directory of pid; comm is read through it, lazily. */
static int use_pid_dir(struct scan *s, pid_t pid)
{
	char path[16];

	if (s->dir_pid == pid)
		return s->dir_fd >= 0 ? 0 : -ESRCH;
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	s->dir_pid = pid;
	s->dir_proven = false;
	s->comm_ok = false;
	snprintf(path, sizeof(path), "%d", (int)pid);
	/* The fd pins this process's struct pid: if the pid is reused, lookups through it fail. */
	s->dir_fd = openat(s->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return s->dir_fd >= 0 ? 0 : -errno;
}

static int open_through_pid(struct scan *s, long i, pid_t pid)
{
	char path[32];
	int fd, r;

	if (pid <= 0)
		return -ESRCH;
	r = use_pid_dir(s, pid);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "ns/%s", ns_type_name(s->e[i].type));
	fd = openat(s->dir_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = check_entry(s, fd, &s->e[i]);
	if (r < 0) {
		close(fd);   /* it has moved to another namespace since phase 1 */
		return r;
	}
	s->dir_proven = true;
	return fd;
}

/*
 * Open a path to an nsfs file without side effects: O_PATH first (opening whatever might have
 * replaced it, a fifo or a device, must not block or act), verify, then reopen it for ioctls.
 */
static int open_verified(struct scan *s, int dirfd, const char *path, int oflags, long i)
{
	char self[32];
	int pfd = openat(dirfd, path, O_PATH | O_CLOEXEC | oflags), fd, r;

	if (pfd < 0)
		return -errno;
	r = check_entry(s, pfd, &s->e[i]);
	if (r < 0) {
		close(pfd);
		return r;
	}
	snprintf(self, sizeof(self), "self/fd/%d", pfd);
	fd = openat(s->procfd, self, O_RDONLY | O_CLOEXEC);
	r = fd < 0 ? -errno : fd;
	close(pfd);
	return r;
}

/* An nsfs fd for entry i, through the first way that still leads to it; -errno if none does. */
static int open_entry(struct scan *s, long i)
{
	struct ns_seen *x = &s->seen[i];
	char path[48];
	int fd = -ESRCH;

	if (s->e[i].pid)
		fd = open_through_pid(s, i, s->e[i].pid);
	if (fd < 0 && x->last_pid != s->e[i].pid)
		fd = open_through_pid(s, i, x->last_pid);
	if (fd < 0 && x->fd_pid) {
		snprintf(path, sizeof(path), "%d/fd/%d", (int)x->fd_pid, x->fd_num);
		fd = open_verified(s, s->procfd, path, 0, i);
	}
	if (fd < 0 && x->mount)
		fd = open_verified(s, AT_FDCWD, x->mount, O_NOFOLLOW, i);
	return fd;
}

static void read_comm(struct scan *s, long i)
{
	ssize_t n;
	int fd;

	/* only through a directory fd proven, by an ns inode, to be a process of phase 1 */
	if (s->e[i].pid <= 0 || s->dir_pid != s->e[i].pid || s->dir_fd < 0 || !s->dir_proven)
		return;
	if (!s->comm_ok) {
		s->comm[0] = '\0';
		fd = openat(s->dir_fd, "comm", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		n = read(fd, s->comm, sizeof(s->comm) - 1);
		close(fd);
		if (n < 0)
			return;
		while (n > 0 && s->comm[n - 1] == '\n')
			n--;
		s->comm[n] = '\0';
		s->comm_ok = true;
	}
	memcpy(s->e[i].command, s->comm, sizeof(s->comm));
}

static int describe(struct scan *s, long i, int fd, int depth);

/*
 * A namespace met only as the owner or parent of another (a user namespace whose processes have
 * all gone, kept alive by what it owns): list it too, so that every userns_ino and parent_ino of
 * a requested type resolves to an entry. The kernel caps nesting at 32 levels.
 */
static int add_relative(struct scan *s, int type, int fd, uint64_t ino, int depth)
{
	long idx;

	if (!(s->types & (unsigned)type) || ns__list_find_entry(s, type, ino) >= 0 || depth > 64)
		return 0;
	idx = ns__list_entry_for(s, type, ino);
	if (idx < 0)
		return -ENOMEM;
	s->e[idx].held_by = NS_HELD_BY_NAMESPACE;
	return describe(s, idx, fd, depth + 1);
}

/* Out of fds or memory is an error; any other failure of an ioctl means "not visible". */
static bool fatal(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

/*
 * Identity, owner and parent of entry i through fd, an nsfs fd already proven to be it. Failing
 * ioctls leave their fields at "not visible"; only running out of fds or memory is an error.
 */
static int describe(struct scan *s, long i, int fd, int depth)
{
	int type = s->e[i].type, rel, r = 0;
	uint64_t ino, dev, id = 0;
	uid_t uid = (uid_t)-1;   /* set, so checkers that do not know NS_GET_OWNER_UID see it defined */

	s->seen[i].described = true;
	s->e[i].id.dev = s->nsfs_dev;
	if (ns_has_feature(NS_FEATURE_NS_ID) && ioctl(fd, NS_GET_ID, &id) == 0)
		s->e[i].id.id = id;
	if (type == NS_TYPE_USER && ioctl(fd, NS_GET_OWNER_UID, &uid) == 0)
		s->e[i].owner_uid = uid;
	/* EPERM: the owner is outside what the caller may see (or this is the initial user namespace) */
	rel = ioctl(fd, NS_GET_USERNS, 0);
	if (rel >= 0) {
		if (ns__fstat_nsfs(rel, &dev, &ino) == 0) {
			long u = ns__list_find_entry(s, NS_TYPE_USER, ino);

			s->nsfs_dev = dev;
			s->e[i].userns_ino = ino;
			if (type == NS_TYPE_USER)
				s->e[i].parent_ino = ino;  /* a user namespace's owner is its parent */
			else if (u >= 0 && s->seen[u].described)
				s->e[i].owner_uid = s->e[u].owner_uid;
			else if (ioctl(rel, NS_GET_OWNER_UID, &uid) == 0)
				s->e[i].owner_uid = uid;
			r = add_relative(s, NS_TYPE_USER, rel, ino, depth);
		}
		close(rel);
	} else if (fatal(errno)) {
		return -errno;
	}
	if (r == 0 && type == NS_TYPE_PID) {
		rel = ioctl(fd, NS_GET_PARENT, 0);
		if (rel >= 0) {
			if (ns__fstat_nsfs(rel, &dev, &ino) == 0) {
				s->nsfs_dev = dev;
				s->e[i].parent_ino = ino;
				r = add_relative(s, NS_TYPE_PID, rel, ino, depth);
			}
			close(rel);
		} else if (fatal(errno)) {
			return -errno;
		}
	}
	return r;
}

static int describe_all(struct scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		int fd, r;

		if (s->seen[i].described)
			continue;
		fd = open_entry(s, (long)i);
		if (fatal(-fd))
			return ns__fail(-fd, "ns_list_new: opening the %s namespace %llu",
					ns_type_name(s->e[i].type), (unsigned long long)s->e[i].id.ino);
		if (fd < 0)
			continue;   /* gone since phase 1: listed with what phase 1 saw */
		read_comm(s, (long)i);
		r = describe(s, (long)i, fd, 0);
		close(fd);
		if (r < 0)
			return ns__fail(-r, "ns_list_new: describing the %s namespace %llu",
					ns_type_name(s->e[i].type), (unsigned long long)s->e[i].id.ino);
	}
	/* nsfs has one superblock: an entry that could not be opened still has its device */
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].id.dev == 0)
			s->e[i].id.dev = s->nsfs_dev;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct ns_entry *x = a, *y = b;

	/* lsns order: by inode */
	return x->id.ino < y->id.ino ? -1 : x->id.ino > y->id.ino;
}

static void scan_free(struct scan *s)
{
	if (s->procfd >= 0)
		close(s->procfd);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	for (size_t i = 0; i < s->n; i++)
		free(s->seen[i].mount);
	free(s->seen);
	free(s->slot);
	free(s->buf);
	free(s->fdbuf);
	free(s->e);
}

NS_PUBLIC int ns_list_new(unsigned types, unsigned flags, struct ns_list **out)
{
	struct scan s = { .procfd = -1, .dir_fd = -1 };
	struct ns_list *list;
	int r;

	r = ns__check_flags("ns_list_new", flags,
			    NS_LIST_NO_FDS | NS_LIST_NO_MOUNTS | NS_LIST_PROC_ONLY | NS_LIST_BPF_ONLY);
	if (r < 0)
		return r;
	if ((flags & NS_LIST_PROC_ONLY) && (flags & NS_LIST_BPF_ONLY))
		return ns__fail(EINVAL, "ns_list_new: NS_LIST_PROC_ONLY and NS_LIST_BPF_ONLY together");
	if (types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "ns_list_new: 0x%x has bits that are not namespace types",
				types & ~(unsigned)NS_TYPES_ALL);
	if (!out)
		return ns__fail(EINVAL, "ns_list_new: out is NULL");
	if ((flags & NS_LIST_BPF_ONLY) && ns_has_feature(NS_FEATURE_BPF_ITER) != 1)
		return ns__fail(EOPNOTSUPP, "ns_list_new: NS_LIST_BPF_ONLY: no BPF iterators here "
				"(see NS_FEATURE_BPF_ITER in ns_features(3))");
	s.types = types ? types : (unsigned)NS_TYPES_ALL;
	s.flags = flags;
	s.procfd = ns__open_proc_root(O_RDONLY);
	if (s.procfd == -ENODEV)
		return ns__fail(ENOENT, "ns_list_new: /proc is not a procfs mount (mount proc on /proc)");
	if (s.procfd < 0)
		return ns__fail(-s.procfd, "ns_list_new: open /proc (is /proc mounted?)");
	s.buf = malloc(DENTS_BUF);
	s.fdbuf = malloc(DENTS_BUF);
	if (!s.buf || !s.fdbuf || ns__list_rehash(&s, 1024) < 0) {
		r = ns__fail(ENOMEM, "ns_list_new: out of memory");
		goto out;
	}
	r = ns__list_scan_processes(&s);
	if (r == 0 && !(flags & NS_LIST_NO_MOUNTS))
		r = ns__list_scan_mounts(&s);
	if (r == 0)
		r = describe_all(&s);
	if (r < 0)
		goto out;
	list = malloc(sizeof(*list));
	if (!list) {
		r = ns__fail(ENOMEM, "ns_list_new: out of memory");
		goto out;
	}
	qsort(s.e, s.n, sizeof(*s.e), cmp_entry);
	list->n = s.n;
	list->entries = s.e;
	s.e = NULL;
	*out = list;
	r = 0;
out:
	scan_free(&s);
	return r;
}

NS_PUBLIC size_t ns_list_count(const struct ns_list *list)
{
	return list ? list->n : 0;
}

NS_PUBLIC const struct ns_entry *ns_list_get(const struct ns_list *list, size_t i)
{
	if (!list) {
		ns__fail(EINVAL, "ns_list_get: list is NULL (ns_list_new() makes one)");
		return NULL;
	}
	if (i >= list->n) {
		ns__fail(EINVAL, "ns_list_get: index %zu is past the end of the list (%zu entries)", i, list->n);
		return NULL;
	}
	return &list->entries[i];
}

NS_PUBLIC void ns_list_free(struct ns_list *list)
{
	if (!list)
		return;
	free(list->entries);
	free(list);
}
