/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBNS_TIMENS_H
#define LIBNS_TIMENS_H

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

int ns_set_time_offsets(pid_t pid, const struct timespec *monotonic, const struct timespec *boottime);

#ifdef __cplusplus
}
#endif
#endif
