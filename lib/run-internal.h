/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the enter feature (enter.c, run.c, run-thread.c): running code inside namespaces. */
#ifndef LIBNS_RUN_INTERNAL_H
#define LIBNS_RUN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "libns/libns.h"
#include "types-internal.h"

/* enter.c: enter fds[ns__type_index(t)] for each t of types (-1: none), as nsenter orders them. */
int ns__enter_fds(const char *fn, const int fds[NS_NTYPES], unsigned types);

/* run-thread.c: fn(arg) on a fresh thread with a stack of stack_size bytes, after it entered fds[i] (of
 * types[i], none a user, pid or time namespace). fn's value, or -errno with the message set; with
 * keep_message, a message fn left on its thread when it returned < 0 becomes the caller's too. */
int ns__run_thread(const char *fname, const int *fds, const int *types, unsigned n, ns_fn fn, void *arg,
		   size_t stack_size, bool keep_message);

#endif
