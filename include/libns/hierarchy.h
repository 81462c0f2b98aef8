/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_HIERARCHY_H
#define LIBNS_HIERARCHY_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ns_pid_translate() flags: exactly one direction, optionally NS_PID_TGID.
 * The pid given is always a task id (a process's pid or any thread's tid).
 */
#define NS_PID_INTO_NS  0x1u  /* pid as the caller sees it -> its pid inside pidns_fd's namespace */
#define NS_PID_FROM_NS  0x2u  /* pid inside pidns_fd's namespace -> its pid as the caller sees it */
#define NS_PID_TGID     0x4u  /* answer with the thread-group id (the process) of that task, not its own id */

/* Parent of a pid or user namespace (new O_CLOEXEC fd); -EINVAL for the other types, -EPERM when the
 * parent is above the caller's own pid (for pid) or user (for user) namespace. */
int ns_get_parent(int nsfd);
/* The user namespace owning nsfd's namespace (for a user namespace: its parent); -EPERM past scope. */
int ns_get_userns(int nsfd);
/* The uid that created a user namespace, as the caller's user namespace maps it (overflow uid if unmapped). */
int ns_get_owner_uid(int userns_fd, uid_t *uid);
/* Translate a pid between the caller's pid namespace and pidns_fd's; -ESRCH when not visible there. */
int ns_pid_translate(int pidns_fd, pid_t pid, unsigned flags, pid_t *out);

#ifdef __cplusplus
}
#endif
#endif
