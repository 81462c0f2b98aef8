/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_open_by_id(): a namespace from its 64-bit id (NS_GET_ID), through an nsfs file handle (Linux 6.18),
 * or else by searching what this process can see (/proc/PID/ns, fds, nsfs mounts) for that id.
 */
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

struct nsfs_handle {
	struct file_handle fh;
	struct ns_compat_nsfs_file_handle nsfh;
};

static int open_handle(uint64_t ns_id, int type, uint32_t ino)
{
	struct nsfs_handle h;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.nsfh);
	h.fh.handle_type = FILEID_NSFS;
	h.nsfh.ns_id = ns_id;
	h.nsfh.ns_type = (uint32_t)type;
	h.nsfh.ns_inum = ino;
	return open_by_handle_at(FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
}

/*
 * Linux 6.18 resolves an nsfs handle only when id, type and inode number all match; a kernel that
 * looks namespaces up by id alone would accept a zero inode. Probe once with our own UTS namespace.
 */
static int handle_needs_ino_state; /* 0 unknown, 1 needs the inode, 2 id and type suffice */

static bool handle_needs_ino(void)
{
	int state = __atomic_load_n(&handle_needs_ino_state, __ATOMIC_RELAXED);
	uint64_t id = 0;
	int self, fd;

	if (state)
		return state == 1;
	state = 1;
	self = ns__open_own("uts");
	if (self >= 0 && ioctl(self, NS_GET_ID, &id) == 0) {
		fd = open_handle(id, NS_TYPE_UTS, 0);
		if (fd >= 0) {
			close(fd);
			state = 2;
		}
	}
	if (self >= 0)
		close(self);
	__atomic_store_n(&handle_needs_ino_state, state, __ATOMIC_RELAXED);
	return state == 1;
}

/* A small open-addressing set of inode numbers already tried, so each namespace costs one attempt. */
struct ino_set {
	uint64_t *slot;
	size_t cap, n;
};

static bool ino_set_add(struct ino_set *set, uint64_t ino)
{
	size_t i;

	if (set->n * 2 >= set->cap) {
		struct ino_set bigger = { .cap = set->cap ? set->cap * 2 : 256 };

		bigger.slot = calloc(bigger.cap, sizeof(uint64_t));
		if (!bigger.slot)
			return true; /* out of memory: treat as new; worst case a repeated attempt */
		for (i = 0; i < set->cap; i++)
			if (set->slot[i])
				ino_set_add(&bigger, set->slot[i]);
		free(set->slot);
		*set = bigger;
	}
	for (i = (ino * 0x9E3779B97F4A7C15ULL) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
		if (set->slot[i] == ino)
			return false;
	set->slot[i] = ino;
	set->n++;
	return true;
}

/* The search's state: the id and type sought, inodes tried, and the result so far. */
struct id_search {
	uint64_t ns_id;
	int type;          /* 0: any */
	struct ino_set tried;
	int fd;            /* the namespace once found */
	int err;           /* ENOENT, or EPERM once one was found that we may not open */
};

/* A namespace seen somewhere: try it if it is of the type sought and not tried yet. */
static bool try_ns(struct id_search *q, int type, uint64_t ino)
{
	if ((q->type && type != q->type) || !ino_set_add(&q->tried, ino))
		return false;
	q->fd = open_handle(q->ns_id, type, (uint32_t)ino);
	if (q->fd < 0 && errno == EPERM)
		q->err = EPERM; /* found, but not ours to open: report that rather than "not found" */
	return q->fd >= 0 || q->err == EPERM;
}

/* Every nsfs link under one /proc/PID directory: its ns/ entries, then its open fds. */
static bool search_process(struct id_search *q, int procfd, const char *pid)
{
	static const char *const dirs[] = { "ns", "fd" };
	char path[300], link[64];
	uint64_t ino;
	int type;

	for (size_t d = 0; d < NS_ARRAY_SIZE(dirs); d++) {
		struct dirent *e;
		DIR *dir;
		int dfd;

		snprintf(path, sizeof(path), "%s/%s", pid, dirs[d]);
		dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue; /* exited, or not ours to read: skip */
		dir = fdopendir(dfd);
		if (!dir) {
			close(dfd);
			continue;
		}
		while ((e = readdir(dir))) {
			ssize_t n = e->d_name[0] == '.' ? -1 : readlinkat(dirfd(dir), e->d_name, link, sizeof(link));

			if (n <= 0 || !ns__parse_ns_link(link, (size_t)n, &type, &ino))
				continue;
			if (try_ns(q, type, ino)) {
				closedir(dir);
				return true;
			}
		}
		closedir(dir);
	}
	return false;
}

/* nsfs bind mounts (pins), read by the parser ns_list_new() uses (list.c, fuzzed); lines of any length. */
static int search_mount(char *line, void *ctx)
{
	char *mountpoint;
	uint64_t ino;
	int type;

	return ns__mountinfo_nsfs(line, &type, &ino, &mountpoint) && try_ns(ctx, type, ino);
}

static bool search_mounts(struct id_search *q)
{
	return ns__mountinfo_foreach(-1, search_mount, q) == 1;
}

/* open_by_handle_at() found nothing (ESTALE; ENOENT from the search) or was refused: the message. */
static int by_id_error(int err, uint64_t ns_id, int type, bool searched)
{
	const char *where = !searched ? "" : type ?
		" that a visible process is in or holds open, or that an nsfs mount pins (this kernel's file "
		"handles need the inode number, so libns searched /proc for it)" :
		" that a visible process is in or holds open, or that an nsfs mount pins (without a type, "
		"libns searched /proc for it)";

	if (err == ESTALE || err == ENOENT)
		return ns__fail(ENOENT, "ns_open_by_id: no active %s%snamespace with id %llu%s",
				type ? ns_type_name(type) : "", type ? " " : "", (unsigned long long)ns_id, where);
	if (err == EPERM)
		return ns__fail(EPERM, "ns_open_by_id: namespace %llu is not visible to this caller "
				"(needs CAP_SYS_ADMIN in its owning user namespace, or membership)",
				(unsigned long long)ns_id);
	return ns__fail(err, "ns_open_by_id: open_by_handle_at(%llu)", (unsigned long long)ns_id);
}

/*
 * Without an id-only lookup, learn candidate inode numbers from what holds namespaces (process ns
 * links, open nsfs fds, nsfs mounts: readlink "net:[4026531840]" is cheap) and let the kernel match
 * id, type and inode together. The fd, or -errno with the message.
 */
static int open_by_id_scan(uint64_t ns_id, int type)
{
	struct id_search q = { .ns_id = ns_id, .type = type, .fd = -1, .err = ENOENT };
	DIR *proc = opendir("/proc");
	struct dirent *e;
	bool found = false;

	if (!proc)
		return ns__fail(errno, "ns_open_by_id: open /proc to search for namespace %llu (is /proc mounted?)",
				(unsigned long long)ns_id);
	while (!found && (e = readdir(proc)))
		if (ns__all_digits(e->d_name))
			found = search_process(&q, dirfd(proc), e->d_name);
	closedir(proc);
	if (!found)
		search_mounts(&q);
	free(q.tried.slot);
	return q.fd >= 0 ? q.fd : by_id_error(q.err, ns_id, type, true);
}

NS_PUBLIC int ns_open_by_id(uint64_t ns_id, int type, unsigned flags)
{
	int r, fd;

	r = ns__check_flags("ns_open_by_id", flags, 0);
	if (r < 0)
		return r;
	if (type != 0 && !ns__is_single_type(type))
		return ns__fail(EINVAL, "ns_open_by_id: 0x%x is not exactly one namespace type", (unsigned)type);
	if (ns_id == 0)
		return ns__fail(EINVAL, "ns_open_by_id: 0 is not a namespace id");
	if (!ns_has_feature(NS_FEATURE_NSFS_HANDLE))
		return ns__fail(EOPNOTSUPP, "ns_open_by_id: this kernel cannot open namespaces by id "
				"(nsfs file handles, Linux 6.18)");
	if (type != 0 && !handle_needs_ino()) {
		fd = open_handle(ns_id, type, 0);
		if (fd < 0)
			return by_id_error(errno, ns_id, type, false);
	} else {
		fd = open_by_id_scan(ns_id, type);
		if (fd < 0)
			return fd;
	}
	/* The kernel matches the type it is given; check anyway so a wrong answer can never escape. */
	if (type != 0 && ioctl(fd, NS_GET_NSTYPE) != type) {
		close(fd);
		return ns__fail(ENOENT, "ns_open_by_id: namespace %llu is not a %s namespace",
				(unsigned long long)ns_id, ns_type_name(type));
	}
	return fd;
}
