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
/* ns_run_in() for namespaces held as fds: nsfds[0..n), n >= 1, of distinct types. */
int ns_run_in_fds(const int *nsfds, unsigned n, ns_fn fn, void *arg, unsigned flags);

/* ns_run_in(), ns_run_in_fds(): run fn on a fresh thread of this process that enters the namespaces,
 * runs fn and ends, instead of in a child process (not for user, pid or time namespaces). */
#define NS_RUN_THREAD 0x1u

/* socket(2), O_CLOEXEC, made inside the network namespace netns_fd (-1: the caller's). */
int ns_socket(int netns_fd, int domain, int type, int protocol);

#ifdef __cplusplus
}
#endif
#endif
