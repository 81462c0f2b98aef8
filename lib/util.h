/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: what every file of lib/ may use. Nothing here is exported or touches the kernel. */
#ifndef LIBNS_UTIL_H
#define LIBNS_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>
#include "libns/libns.h"

#define NS_PUBLIC __attribute__((visibility("default")))
#define NS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Close *fd if it is open and mark it closed (-1), so that a cleanup path may run more than once. */
static inline void ns__close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* util.c: async-signal-safe, for code between fork/clone and exec. */
/* Every caught signal back to its default action (ignored ones stay ignored, as across execve). */
void ns__reset_signal_handlers(void);

#endif
