/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_HIERARCHY_H
#define LIBNS_HIERARCHY_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ns_pid_translate() directions */
#define NS_PID_INTO_NS  0x1u  /* pid as the caller sees it -> pid inside pidns_fd */
#define NS_PID_FROM_NS  0x2u  /* pid inside pidns_fd -> pid as the caller sees it */
#define NS_PID_TGID     0x4u  /* translate the thread-group leader of the thread instead */

int ns_get_parent(int nsfd);
int ns_get_userns(int nsfd);
int ns_get_owner_uid(int userns_fd, uid_t *uid);
int ns_pid_translate(int pidns_fd, pid_t pid, unsigned flags, pid_t *out);

#ifdef __cplusplus
}
#endif
#endif
