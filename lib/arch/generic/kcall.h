/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Other architectures: ksys() for kcall.h. */
#ifndef LIBNS_ARCH_GENERIC_KCALL_H
#define LIBNS_ARCH_GENERIC_KCALL_H

#include <errno.h>
#include <unistd.h>

/* Other architectures: libc's syscall(), already bound by the parent's own calls through it. */
static inline long ksys(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}

#endif
