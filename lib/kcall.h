/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Raw system calls for the spawned child (spawn-child.c), per architecture as liburing does. Besides
 * being async-signal-safe, calling the kernel directly keeps the child off libc's lazily bound PLT
 * entries (resolving one in a forked child costs symbol lookups and page faults on every spawn) and
 * never touches errno. Each returns the result or -errno.
 */
#ifndef LIBNS_KCALL_H
#define LIBNS_KCALL_H

#if defined(__x86_64__)
#include "arch/x86_64/kcall.h"
#elif defined(__aarch64__)
#include "arch/aarch64/kcall.h"
#else
#include "arch/generic/kcall.h"
#endif

#define KSYS(n, a, b, c, d, e, f) ksys((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define K0(n) KSYS(n, 0, 0, 0, 0, 0, 0)
#define K1(n, a) KSYS(n, a, 0, 0, 0, 0, 0)
#define K2(n, a, b) KSYS(n, a, b, 0, 0, 0, 0)
#define K3(n, a, b, c) KSYS(n, a, b, c, 0, 0, 0)
#define K5(n, a, b, c, d, e) KSYS(n, a, b, c, d, e, 0)

#endif
