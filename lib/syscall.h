/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Raw system calls libc may not wrap (glibc 2.36 lacks clone3, pidfd_open before 2.36, listns).
 * Every wrapper returns the result or -errno, never -1: the one conversion point for the library.
 */
#ifndef LIBNS_SYSCALL_H
#define LIBNS_SYSCALL_H

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include "compat.h"

static inline long ns__ret(long r)
{
	return r < 0 ? -errno : r;
}

static inline int sys_pidfd_open(pid_t pid, unsigned flags)
{
	return (int)ns__ret(syscall(__NR_pidfd_open, pid, flags));
}

static inline int sys_pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)ns__ret(syscall(__NR_pidfd_send_signal, pidfd, sig, info, flags));
}

static inline long sys_clone3(struct ns_compat_clone_args *args, size_t size)
{
	return ns__ret(syscall(__NR_clone3, args, size));
}

static inline int sys_setns(int fd, int nstype)
{
	return (int)ns__ret(syscall(__NR_setns, fd, nstype));
}

static inline int sys_unshare(int flags)
{
	return (int)ns__ret(syscall(__NR_unshare, flags));
}

static inline int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)ns__ret(syscall(__NR_open_tree, dfd, path, flags));
}

static inline int sys_move_mount(int from_dfd, const char *from_path, int to_dfd, const char *to_path,
				 unsigned flags)
{
	return (int)ns__ret(syscall(__NR_move_mount, from_dfd, from_path, to_dfd, to_path, flags));
}

static inline long sys_listns(const struct ns_compat_ns_id_req *req, uint64_t *ids, size_t nr, unsigned flags)
{
	return ns__ret(syscall(__NR_listns, req, ids, nr, flags));
}

static inline int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return (int)ns__ret(ioctl(fd, req, arg));
}

#endif
