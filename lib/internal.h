/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private helpers shared by the library's modules. Nothing here is exported. */
#ifndef LIBNS_INTERNAL_H
#define LIBNS_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "libns/libns.h"

#define NS_PUBLIC __attribute__((visibility("default")))
#define NS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* error.c: record the failure, set errno, return -err. */
int ns__fail(int err, const char *fmt, ...) NS_PRINTF(2, 3);
/* The same, with " (likely cause)" appended for a privilege error. */
int ns__fail_priv(int err, int nsfd, const char *fmt, ...) NS_PRINTF(3, 4);
/* Record errno from a failure already reported by a lower layer (keeps its message). */
int ns__pass(int neg_err);

/* Return -EINVAL with a message if flags has bits outside allowed. */
#define ns__check_flags(fn, flags, allowed) \
	(((flags) & ~(unsigned)(allowed)) ? \
	 ns__fail(EINVAL, "%s: unknown flag bits 0x%x", fn, (unsigned)((flags) & ~(unsigned)(allowed))) : 0)

/* types.c */
bool ns__is_single_type(int type);
int ns__type_index(int type);            /* 0..7, or -1 */
const char *ns__proc_name(int type, bool for_children); /* "net", "pid_for_children", ... */
/* Tests force fallbacks by masking features before the first probe; see ns_features(3). */
void ns__feature_mask_from_env(void);

/* handle.c */
int ns__fstat_nsfs(int fd, uint64_t *dev, uint64_t *ino);  /* -EINVAL if fd is not nsfs */
int ns__pidfd_open(pid_t pid);                              /* messages on failure */
int ns__pidfd_pid(int pidfd);                               /* pid of a pidfd (fdinfo), -ESRCH when exited */

/* procfs.c: write once to /proc/PID/NAME, refusing anything that is not procfs (a bind mount over it). */
int ns__write_proc(pid_t pid, const char *name, const char *buf, size_t len);

/* caps.c: text naming the capability the caller lacks over nsfd, for EPERM messages. */
void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size);

#endif
