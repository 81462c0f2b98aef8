/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: namespace files (nsfs.c): identity, type, this thread's own, NS_GET_PARENT walks. */
#ifndef LIBNS_NSFS_H
#define LIBNS_NSFS_H

#include "util.h"

int ns__fstat_nsfs(int fd, uint64_t *dev, uint64_t *ino);  /* -EINVAL if fd is not nsfs */
/* dev is nsfs's device, as an earlier ns__fstat_nsfs() proved: no fd needed (false when unknown). */
bool ns__is_nsfs_dev(uint64_t dev);
int ns__nsfd_type(const char *fn, int nsfd);                /* NS_GET_NSTYPE; messages naming fn */
/* 1 when a and b are the same namespace, 0 when not, -errno (no message) when either is no namespace. */
int ns__same_ns(int a, int b);
/* This thread's namespace /proc/thread-self/ns/NAME, O_RDONLY | O_CLOEXEC; -errno, no message. */
int ns__open_own(const char *name);
/* This thread's namespace NAME's inode through readlink (no nsfs inode made), or 0. */
uint64_t ns__own_ino(const char *name);
/* 1 when nsfd is this thread's namespace NAME, 0 when not, -errno (no message) when nsfd is no namespace. */
int ns__is_own(int nsfd, const char *name);
/* 1 when the pid namespace nsfd is the thread's active one or below it (pidns_install's rule). */
int ns__pidns_is_own_or_below(int nsfd);

#endif
