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
