/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Layer 0: the text parsers and formatters of kernel files (parse.c). Pure: no messages, no /proc, no
 * allocation; every one is reached by a fuzzer (fuzz/).
 */
#ifndef LIBNS_PARSE_H
#define LIBNS_PARSE_H

#include <time.h>
#include "util.h"

/*
 * The kernel's limits (kernel/time/namespace.c, proc_timens_set_offset()): an offset's seconds must
 * lie within +-KTIME_SEC_MAX, and the clock it produces, the host's current value plus the offset,
 * must lie within [0, KTIME_SEC_MAX / 2] so that KTIME_MAX stays out of reach. Anything else is ERANGE.
 * The parser (fs/proc/base.c) refuses nanoseconds outside [0, 1e9) with EINVAL.
 */
#define KTIME_SEC_MAX INT64_C(9223372036) /* KTIME_MAX / NSEC_PER_SEC */
#define NSEC_PER_SEC 1000000000L

bool ns__all_digits(const char *s);   /* a non-empty run of decimal digits, as /proc's pid entries */
/* "net:[4026531840]" (a /proc/PID/ns or fd link, a mountinfo nsfs root) -> type and inode. */
bool ns__parse_ns_link(const char *s, size_t len, int *type, uint64_t *ino);
/* One mountinfo line, cut up in place: true for an nsfs mount, with its namespace and mount point. */
bool ns__mountinfo_nsfs(char *line, int *type, uint64_t *ino, char **mountpoint);
/* The "KEY:\t1\t2" line (NSpid, NStgid) of a /proc/PID/status text into pids, outermost first.
 * Returns the count, -ENOENT (no such line), -EINVAL (malformed), -E2BIG (more than max). */
int ns__parse_nspid(const char *status_text, const char *key, pid_t *pids, int max);
/* The host's seconds on clk from a timens_offsets text and this namespace's clock reading now. */
bool ns__timens_host_sec(const char *offsets, clockid_t clk, const struct timespec *now, int64_t *sec);
/* The timens_offsets text of the two offsets (either may be NULL); returns its length. */
int ns__timens_format(char *buf, size_t size, const struct timespec *monotonic, const struct timespec *boottime);

#endif
