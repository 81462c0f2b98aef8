/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_ENTER_H
#define LIBNS_ENTER_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*ns_fn)(void *arg);

int ns_enter(int nsfd, int type);
int ns_enter_pid(pid_t pid, unsigned types, unsigned flags, unsigned *joined);
int ns_enter_pidfd(int pidfd, unsigned types, unsigned flags, unsigned *joined);
int ns_run_in(int pidfd, unsigned types, ns_fn fn, void *arg, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
