/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Layer 2: the /proc writers spawn uses besides their own features (idmap.c, timens.c), through an fd
 * of /proc/PID; pid is used for newuidmap and messages.
 */
#ifndef LIBNS_WRITERS_H
#define LIBNS_WRITERS_H

#include <time.h>
#include "util.h"

int ns__write_idmap_at(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, unsigned flags);
int ns__write_setgroups_at(int procdirfd, int allow);
int ns__set_time_offsets_at(int procdirfd, const struct timespec *monotonic, const struct timespec *boottime);

#endif
