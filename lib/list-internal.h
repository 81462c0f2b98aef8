/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The listing feature's private header: the scan state its two phases share (list.c, list-scan.c). */
#ifndef LIBNS_LIST_INTERNAL_H
#define LIBNS_LIST_INTERNAL_H

#include "internal.h"

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
static inline bool ns__list_skippable(int err)
{
	return err == ENOENT || err == ESRCH || err == EACCES || err == EPERM;
}

/* list-scan.c: the entries found, one per (type, inode), in an open-addressing table. */
int ns__list_rehash(struct scan *s, size_t nslots);
long ns__list_find_entry(const struct scan *s, int type, uint64_t ino); /* its index, or -1 */
long ns__list_entry_for(struct scan *s, int type, uint64_t ino);     /* created empty if new; or -ENOMEM */
/* list-scan.c: phase 1, every namespace of every process (links and fds), then the nsfs mounts. */
int ns__list_scan_processes(struct scan *s);
int ns__list_scan_mounts(struct scan *s);

#endif
