/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Layer 1: the failure record (error.c). Depends on libc only: the thread-local message, errno, and -err.
 */
#ifndef LIBNS_ERROR_INTERNAL_H
#define LIBNS_ERROR_INTERNAL_H

#include <stdarg.h>
#include "util.h"

/* Record the failure, set errno, return -err. */
int ns__fail(int err, const char *fmt, ...) NS_PRINTF(2, 3);
int ns__vfail(int err, const char *fmt, va_list ap) NS_PRINTF(2, 0);
/* Set the message exactly as given (one passed back from a child process). */
int ns__fail_verbatim(int err, const char *msg);
/* Put context in front of the message a lower layer already set ("fn: context: its message"). */
int ns__fail_prefixed(int err, const char *fmt, ...) NS_PRINTF(2, 3);
/*
 * The preconditions every entry point checks, one line each, with the same words everywhere.
 * Each returns 0, or records "fn: ..." and returns -errno.
 */
static inline int ns__check_fd(const char *fn, int fd)
{
	return fd < 0 ? ns__fail(EBADF, "%s: %d is not an open file descriptor", fn, fd) : 0;
}

static inline int ns__check_pid(const char *fn, pid_t pid) /* 0 is the caller */
{
	return pid < 0 ? ns__fail(EINVAL, "%s: %d is not a process id", fn, (int)pid) : 0;
}

static inline int ns__check_types(const char *fn, unsigned types) /* a non-empty set of NS_TYPE_* */
{
	if (types == 0 || (types & ~(unsigned)NS_TYPES_ALL))
		return ns__fail(EINVAL, "%s: types 0x%x is not a non-empty set of NS_TYPE_* values", fn, types);
	return 0;
}

/* r < 0: put "fn: " before the message a lower layer set and return r; otherwise return r. */
static inline int ns__prefixed(const char *fn, int r)
{
	return r < 0 ? ns__fail_prefixed(-r, "%s", fn) : r;
}

/* Add text to the end of the message (explain.c), truncated to what fits. */
void ns__last_error_append(const char *fmt, ...) NS_PRINTF(1, 2);

/* Return -EINVAL with a message if flags has bits outside allowed. */
static inline int ns__check_flags(const char *fn, unsigned flags, unsigned allowed)
{
	if (flags & ~allowed)
		return ns__fail(EINVAL, "%s: unknown flag bits 0x%x", fn, flags & ~allowed);
	return 0;
}

#endif
