/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_list_new()'s phase 1, find (see list.c): every namespace reachable through /proc/PID/ns links, the
 * nsfs fds in /proc/PID/fd and the nsfs mounts, recorded once per (type, inode) with no fd opened. The
 * processes and fds may come from BPF iterators instead (list-bpf.c), into the same bookkeeping.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "list-internal.h"
#include "list-bpf.h"
#include "syscall.h"

static size_t hash_ino(uint64_t ino, size_t nslots)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ull) >> 32) & (nslots - 1);
}

int ns__list_rehash(struct scan *s, size_t nslots)
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

long ns__list_find_entry(const struct scan *s, int type, uint64_t ino)
{
	return (long)s->slot[probe(s, type, ino)] - 1;
}

/* The entry for (type, ino), created empty if new: its index, or -ENOMEM. */
long ns__list_entry_for(struct scan *s, int type, uint64_t ino)
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
	if (s->n * 2 > s->nslots && ns__list_rehash(s, s->nslots * 2) < 0)
		return -ENOMEM;
	return (long)s->n - 1;
}

/* *idx: the entry for (type, ino), now marked held `how`; -1 if the type was not asked for. */
static int note(struct scan *s, int type, uint64_t ino, unsigned how, long *idx)
{
	*idx = -1;
	if (!(s->types & (unsigned)type))
		return 0;
	*idx = ns__list_entry_for(s, type, ino);
	if (*idx < 0)
		return ns__fail(ENOMEM, "ns_list_new: out of memory");
	s->e[*idx].held_by |= how;
	return 0;
}

/* Process pid is in namespace (type, ino): phase 1's bookkeeping, fed by the /proc scan or by BPF. */
static int note_process(void *ctx, pid_t pid, int type, uint64_t ino)
{
	struct scan *s = ctx;
	long i;
	int r = note(s, type, ino, NS_HELD_BY_PROCESS, &i);

	if (r < 0 || i < 0)
		return r;
	s->e[i].nprocs++;
	if (s->e[i].pid == 0 || pid < s->e[i].pid)
		s->e[i].pid = pid;
	if (pid > s->seen[i].last_pid)
		s->seen[i].last_pid = pid;
	return 0;
}

/* Process pid has namespace (type, ino) open as fd fdnum. */
static int note_fd(void *ctx, pid_t pid, int fdnum, int type, uint64_t ino)
{
	struct scan *s = ctx;
	long i;
	int r = note(s, type, ino, NS_HELD_BY_FD, &i);

	if (r < 0 || i < 0)
		return r;
	if (s->seen[i].fd_pid == 0) {
		s->seen[i].fd_pid = pid;
		s->seen[i].fd_num = fdnum;
	}
	return 0;
}

static int scan_ns_links(struct scan *s, pid_t pid)
{
	char path[32], link[64];
	int dfd, type, r;
	uint64_t ino;

	/* O_PATH: /proc/PID/ns is mode 0511, so only its owner (or CAP_DAC_*) may open it for reading */
	snprintf(path, sizeof(path), "%d/ns", (int)pid);
	dfd = openat(s->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return ns__list_skippable(errno) ? 0 : ns__fail(errno, "ns_list_new: open /proc/%s", path);
	for (int i = 0; i < NS_NTYPES; i++) {
		const int want = ns__types[i].type;
		ssize_t len;

		if (!(s->types & (unsigned)want))
			continue;
		len = readlinkat(dfd, ns_type_name(want), link, sizeof(link));
		if (len < 0) {
			if (ns__list_skippable(errno))
				continue;   /* exited meanwhile, zombie (no nsproxy), or no ptrace access */
			close(dfd);
			return ns__fail(errno, "ns_list_new: readlink /proc/%d/ns/%s", (int)pid,
					ns_type_name(want));
		}
		if (!ns__parse_ns_link(link, (size_t)len, &type, &ino) || type != want)
			continue;
		r = note_process(s, pid, type, ino);
		if (r < 0) {
			close(dfd);
			return r;
		}
	}
	close(dfd);
	return 0;
}

/* Costs one readlinkat per open fd of every process: about as much again as scan_ns_links. */
static int scan_fds(struct scan *s, pid_t pid)
{
	char path[32], link[64];
	int dfd, type, r;
	uint64_t ino;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(s->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return ns__list_skippable(errno) ? 0 : ns__fail(errno, "ns_list_new: open /proc/%s", path);
	while ((n = getdents64(dfd, s->fdbuf, DENTS_BUF)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(s->fdbuf + off);
			ssize_t len;

			off += d->d_reclen;
			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			len = readlinkat(dfd, d->d_name, link, sizeof(link));
			if (len < 0 || !ns__parse_ns_link(link, (size_t)len, &type, &ino))
				continue;   /* closed meanwhile, or not a namespace */
			r = note_fd(s, pid, atoi(d->d_name), type, ino);
			if (r < 0) {
				close(dfd);
				return r;
			}
		}
	}
	/* the process exiting while we read is a skip like any other */
	if (n < 0 && !ns__list_skippable(errno)) {
		close(dfd);
		return ns__fail(errno, "ns_list_new: reading /proc/%s", path);
	}
	close(dfd);
	return 0;
}

static int scan_proc(struct scan *s)
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

/* Processes and their fds: in the kernel when list-bpf.c may (see ns_list_new(3)), else by /proc. */
int ns__list_scan_processes(struct scan *s)
{
	const struct ns__list_sink sink = { note_process, note_fd, s };
	int r = 0;

	if (!(s->flags & NS_LIST_PROC_ONLY))
		r = ns__list_bpf(s->procfd, !(s->flags & NS_LIST_NO_FDS), s->flags & NS_LIST_BPF_ONLY, &sink);
	if (r == -ESTALE) {   /* the iterator failed midway: start over on /proc */
		s->n = 0;
		memset(s->slot, 0, s->nslots * sizeof(*s->slot));
		r = 0;
	}
	return r == 1 ? 0 : r < 0 ? r : scan_proc(s);
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
	idx = ns__list_entry_for(s, type, ino);
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

int ns__list_scan_mounts(struct scan *s)
{
	int r = ns__mountinfo_foreach(s->procfd, scan_mount, s);

	if (r == -ENOMEM)
		return ns__fail(ENOMEM, "ns_list_new: out of memory");
	if (r < 0)
		return ns__list_skippable(-r) ? 0 : ns__fail(-r, "ns_list_new: reading /proc/thread-self/mountinfo");
	return 0;
}
