/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

/*
 * Enumeration by /proc scan, in two phases so that the cost stays linear and close to the bare
 * minimum (one readlinkat per process and type):
 *
 *  1. Find: for every process, readlinkat() each /proc/PID/ns/TYPE link through one O_PATH
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

/* Phase-1 notes kept beside each entry: other ways to reach the namespace in phase 2. */
struct ns_seen {
	pid_t last_pid;        /* highest pid seen in it, tried when the lowest has gone */
	pid_t fd_pid;          /* a process holding it open, and the fd number */
	int fd_num;
	char *mount;           /* a mount point of it in our mount namespace */
	bool described;
};

struct scan {
	int procfd;
	unsigned types, flags;
	struct ns_entry *e;
	struct ns_seen *seen;
	size_t n, cap;
	uint32_t *slot;        /* open addressing; entry index + 1, 0 = empty */
	size_t nslots;         /* a power of two, at least twice n */
	uint64_t nsfs_dev;
	char *buf, *fdbuf;     /* getdents64 buffers for /proc and /proc/PID/fd */
	/* phase 2 reads comm through the /proc/PID directory fd of the last pid used */
	pid_t dir_pid;
	int dir_fd;
	bool dir_proven;       /* an ns inode read through dir_fd matched phase 1 */
	bool comm_ok;
	char comm[sizeof(((struct ns_entry *)0)->command)];
};

#define DENTS_BUF 32768

/* A per-process step that failed because the process is gone, a zombie or not ours to see. */
static bool skippable(int err)
{
	return err == ENOENT || err == ESRCH || err == EACCES || err == EPERM;
}

static size_t hash_ino(uint64_t ino, size_t nslots)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ull) >> 32) & (nslots - 1);
}

static int rehash(struct scan *s, size_t nslots)
{
	uint32_t *slot = calloc(nslots, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		size_t h = hash_ino(s->e[i].id.ino, nslots);

		while (slot[h])
			h = (h + 1) & (nslots - 1);
		slot[h] = (uint32_t)i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslots = nslots;
	return 0;
}

/* The slot holding (type, ino), or the empty slot where it would go. */
static size_t probe(const struct scan *s, int type, uint64_t ino)
{
	size_t h = hash_ino(ino, s->nslots);

	/* nsfs inode numbers come from one allocator for every type, but match the type too */
	while (s->slot[h] && (s->e[s->slot[h] - 1].id.ino != ino || s->e[s->slot[h] - 1].type != type))
		h = (h + 1) & (s->nslots - 1);
	return h;
}

static long find_entry(const struct scan *s, int type, uint64_t ino)
{
	return (long)s->slot[probe(s, type, ino)] - 1;
}

/* The entry for (type, ino), created empty if new: its index, or -ENOMEM. */
static long entry_for(struct scan *s, int type, uint64_t ino)
{
	size_t h = probe(s, type, ino);
	struct ns_entry *e;

	if (s->slot[h])
		return (long)s->slot[h] - 1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct ns_entry *ne = realloc(s->e, cap * sizeof(*ne));
		struct ns_seen *ns;

		if (!ne)
			return -ENOMEM;
		s->e = ne;
		ns = realloc(s->seen, cap * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		s->seen = ns;
		s->cap = cap;
	}
	e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	memset(&s->seen[s->n], 0, sizeof(s->seen[0]));
	e->type = type;
	e->id.ino = ino;
	e->owner_uid = (uid_t)-1;
	s->slot[h] = (uint32_t)s->n + 1;
	s->n++;
	if (s->n * 2 > s->nslots && rehash(s, s->nslots * 2) < 0)
		return -ENOMEM;
	return (long)s->n - 1;
}

/* ---- phase 1: find ---- */

static int scan_ns_links(struct scan *s, pid_t pid)
{
	char path[32], link[64];
	int dfd, type;
	uint64_t ino;

	/* O_PATH: /proc/PID/ns is mode 0511, so only its owner (or CAP_DAC_*) may open it for reading */
	snprintf(path, sizeof(path), "%d/ns", (int)pid);
	dfd = openat(s->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return skippable(errno) ? 0 : ns__fail(errno, "ns_list_new: open /proc/%s", path);
	for (int i = 0; i < NS_NTYPES; i++) {
		const int want = ns__types[i].type;
		ssize_t len;
		long idx;

		if (!(s->types & (unsigned)want))
			continue;
		len = readlinkat(dfd, ns_type_name(want), link, sizeof(link));
		if (len < 0) {
			if (skippable(errno))
				continue;   /* exited meanwhile, zombie (no nsproxy), or no ptrace access */
			close(dfd);
			return ns__fail(errno, "ns_list_new: readlink /proc/%d/ns/%s", (int)pid,
					ns_type_name(want));
		}
		if (!ns__parse_ns_link(link, (size_t)len, &type, &ino) || type != want)
			continue;
		idx = entry_for(s, type, ino);
		if (idx < 0) {
			close(dfd);
			return ns__fail(ENOMEM, "ns_list_new: out of memory");
		}
		s->e[idx].held_by |= NS_HELD_BY_PROCESS;
		s->e[idx].nprocs++;
		if (s->e[idx].pid == 0 || pid < s->e[idx].pid)
			s->e[idx].pid = pid;
		if (pid > s->seen[idx].last_pid)
			s->seen[idx].last_pid = pid;
	}
	close(dfd);
	return 0;
}

/* Costs one readlinkat per open fd of every process: about as much again as scan_ns_links. */
static int scan_fds(struct scan *s, pid_t pid)
{
	char path[32], link[64];
	int dfd, type;
	uint64_t ino;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(s->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return skippable(errno) ? 0 : ns__fail(errno, "ns_list_new: open /proc/%s", path);
	while ((n = getdents64(dfd, s->fdbuf, DENTS_BUF)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(s->fdbuf + off);
			ssize_t len;
			long idx;

			off += d->d_reclen;
			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			len = readlinkat(dfd, d->d_name, link, sizeof(link));
			if (len < 0 || !ns__parse_ns_link(link, (size_t)len, &type, &ino))
				continue;   /* closed meanwhile, or not a namespace */
			if (!(s->types & (unsigned)type))
				continue;
			idx = entry_for(s, type, ino);
			if (idx < 0) {
				close(dfd);
				return ns__fail(ENOMEM, "ns_list_new: out of memory");
			}
			s->e[idx].held_by |= NS_HELD_BY_FD;
			if (s->seen[idx].fd_pid == 0) {
				s->seen[idx].fd_pid = pid;
				s->seen[idx].fd_num = atoi(d->d_name);
			}
		}
	}
	/* the process exiting while we read is a skip like any other */
	if (n < 0 && !skippable(errno)) {
		close(dfd);
		return ns__fail(errno, "ns_list_new: reading /proc/%s", path);
	}
	close(dfd);
	return 0;
}

static int scan_processes(struct scan *s)
{
	ssize_t n;
	int r;

	/* getdents64 rather than readdir: one buffer for the whole walk, no per-call stdio state */
	while ((n = getdents64(s->procfd, s->buf, DENTS_BUF)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(s->buf + off);
			pid_t pid;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;   /* self, sys, ... */
			pid = (pid_t)atoi(d->d_name);
			r = scan_ns_links(s, pid);
			if (r == 0 && !(s->flags & NS_LIST_NO_FDS))
				r = scan_fds(s, pid);
			if (r < 0)
				return r;
		}
	}
	if (n < 0)
		return ns__fail(errno, "ns_list_new: reading /proc");
	return 0;
}

/*
 * nsfs bind mounts show up as "ID PARENT MAJ:MIN net:[4026532xxx] /run/netns/x OPTS... - nsfs ...".
 * Only the caller's mount namespace is read: mountinfo is per mount namespace. thread-self, not
 * self: a thread may have its own (unshare(CLONE_NEWNS) in a thread), and phase 2 opens the mount
 * points by path from this thread.
 */
static int scan_mount(char *line, void *ctx)
{
	struct scan *s = ctx;
	char *mountpoint;
	int type;
	uint64_t ino;
	long idx;

	if (!ns__mountinfo_nsfs(line, &type, &ino, &mountpoint) || !(s->types & (unsigned)type))
		return 0;
	idx = entry_for(s, type, ino);
	if (idx < 0)
		return -ENOMEM;
	s->e[idx].held_by |= NS_HELD_BY_MOUNT;
	if (!s->seen[idx].mount) {
		s->seen[idx].mount = strdup(mountpoint);
		if (!s->seen[idx].mount)
			return -ENOMEM;
	}
	return 0;
}

static int scan_mounts(struct scan *s)
{
	int r = ns__mountinfo_foreach(s->procfd, scan_mount, s);

	if (r == -ENOMEM)
		return ns__fail(ENOMEM, "ns_list_new: out of memory");
	if (r < 0)
		return skippable(-r) ? 0 : ns__fail(-r, "ns_list_new: reading /proc/thread-self/mountinfo");
	return 0;
}

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

	if (!(s->types & (unsigned)type) || find_entry(s, type, ino) >= 0 || depth > 64)
		return 0;
	idx = entry_for(s, type, ino);
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
			long u = find_entry(s, NS_TYPE_USER, ino);

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

	r = ns__check_flags("ns_list_new", flags, NS_LIST_NO_FDS | NS_LIST_NO_MOUNTS);
	if (r < 0)
		return r;
	if (types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "ns_list_new: 0x%x has bits that are not namespace types",
				types & ~(unsigned)NS_TYPES_ALL);
	if (!out)
		return ns__fail(EINVAL, "ns_list_new: out is NULL");
	s.types = types ? types : (unsigned)NS_TYPES_ALL;
	s.flags = flags;
	s.procfd = ns__open_proc_root(O_RDONLY);
	if (s.procfd == -ENODEV)
		return ns__fail(ENOENT, "ns_list_new: /proc is not a procfs mount (mount proc on /proc)");
	if (s.procfd < 0)
		return ns__fail(-s.procfd, "ns_list_new: open /proc (is /proc mounted?)");
	s.buf = malloc(DENTS_BUF);
	s.fdbuf = malloc(DENTS_BUF);
	if (!s.buf || !s.fdbuf || rehash(&s, 1024) < 0) {
		r = ns__fail(ENOMEM, "ns_list_new: out of memory");
		goto out;
	}
	r = scan_processes(&s);
	if (r == 0 && !(flags & NS_LIST_NO_MOUNTS))
		r = scan_mounts(&s);
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
