/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: pidfds (pidfd.c). */
#ifndef LIBNS_PIDFD_H
#define LIBNS_PIDFD_H

#include "util.h"

int ns__pidfd_open(const char *fn, pid_t pid);              /* messages on failure */
int ns__pidfd_pid(int pidfd);                               /* pid of a pidfd (fdinfo), -ESRCH when exited */

#endif
