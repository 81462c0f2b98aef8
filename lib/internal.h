/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private helpers shared by the library's modules. Nothing here is exported. */
#ifndef LIBNS_INTERNAL_H
#define LIBNS_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "libns/libns.h"

#define NS_PUBLIC __attribute__((visibility("default")))
#define NS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* error.c: record the failure, set errno, return -err. */
int ns__fail(int err, const char *fmt, ...) NS_PRINTF(2, 3);
/* The same, with " (likely cause)" appended for a privilege error. */
int ns__fail_priv(int err, int nsfd, const char *fmt, ...) NS_PRINTF(3, 4);
/* Set the message exactly as given (one passed back from a child process). */
int ns__fail_verbatim(int err, const char *msg);
/* Put context in front of the message a lower layer already set ("fn: context: its message"). */
int ns__fail_prefixed(int err, const char *fmt, ...) NS_PRINTF(2, 3);
/* "net,pid,..." for a set of types, for messages; truncated to size. */
const char *ns__types_text(unsigned types, char *buf, size_t size);

/* Return -EINVAL with a message if flags has bits outside allowed. */
#define ns__check_flags(fn, flags, allowed) \
	(((flags) & ~(unsigned)(allowed)) ? \
	 ns__fail(EINVAL, "%s: unknown flag bits 0x%x", fn, (unsigned)((flags) & ~(unsigned)(allowed))) : 0)

/* types.c */
bool ns__is_single_type(int type);
int ns__type_index(int type);            /* 0..7, or -1 */
int ns__type_from_name(const char *name); /* the type, or -EINVAL; sets no message */
const char *ns__proc_name(int type, bool for_children); /* "net", "pid_for_children", ... */
/* Tests force fallbacks by masking features before the first probe; see ns_features(3). */
void ns__feature_mask_from_env(void);

/* handle.c */
int ns__fstat_nsfs(int fd, uint64_t *dev, uint64_t *ino);  /* -EINVAL if fd is not nsfs */
int ns__nsfd_type(const char *fn, int nsfd);                /* NS_GET_NSTYPE; messages naming fn */
int ns__pidfd_open(const char *fn, pid_t pid);                              /* messages on failure */
int ns__pidfd_pid(int pidfd);                               /* pid of a pidfd (fdinfo), -ESRCH when exited */

/* hierarchy.c: the "KEY:\t1\t2" line (NSpid, NStgid) of a /proc/PID/status text into pids, outermost
 * first. Returns the count, -ENOENT (no such line), -EINVAL (malformed), -E2BIG (more than max). */
int ns__parse_nspid(const char *status_text, const char *key, pid_t *pids, int max);

/* list.c: "net:[4026531840]" (a /proc/PID/ns or fd link, a mountinfo nsfs root) -> type and inode. */
bool ns__parse_ns_link(const char *s, size_t len, int *type, uint64_t *ino);

/* procfs.c: the number after "KEY:" on a line of a /proc text file (status, fdinfo); -ENOENT if none. */
int ns__proc_field(const char *path, const char *key, int *value);
bool ns__all_digits(const char *s);   /* a non-empty run of decimal digits, as /proc's pid entries */
/* enter.c: threads in this process; 1 for free when glibc knows no thread was ever created. */
int ns__thread_count(void);

/* procfs.c: write once to /proc/PID/NAME, refusing anything that is not procfs (a bind mount over it). */
int ns__write_proc(pid_t pid, const char *name, const char *buf, size_t len);
/* O_PATH fd of /proc/PID (pid 0: self), refused (-EXDEV) if /proc is not procfs or a mount covers it. */
int ns__open_proc_dir(pid_t pid);
/* The same through an fd from ns__open_proc_dir() (verify it against a pidfd first when you hold one). */
int ns__write_proc_at(int procdirfd, const char *name, const char *buf, size_t len);
int ns__read_proc_at(int procdirfd, const char *name, char *buf, size_t size); /* length, NUL-terminated */
/* ns__write_proc_at() in its two steps, for a caller that explains the open's and the write's errors apart. */
int ns__open_proc_file(int procdirfd, const char *name, int oflags); /* procfs only, O_CLOEXEC; messages */
int ns__write_proc_fd(int fd, const char *buf, size_t len);         /* one write(); messages */
/* idmap.c, timens.c: the public writers through such an fd; pid is used for newuidmap and messages. */
int ns__write_idmap_at(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, unsigned flags);
int ns__write_setgroups_at(int procdirfd, int allow);
int ns__set_time_offsets_at(int procdirfd, const struct timespec *monotonic, const struct timespec *boottime);

/* Text parsers and formatters reached by the fuzzers (fuzz/): timens.c, list.c. */
bool ns__timens_host_sec(const char *offsets, clockid_t clk, const struct timespec *now, int64_t *sec);
int ns__timens_format(char *buf, size_t size, const struct timespec *monotonic, const struct timespec *boottime);
bool ns__mountinfo_nsfs(char *line, int *type, uint64_t *ino, char **mountpoint);

/* caps.c: text naming the capability the caller lacks over nsfd, for EPERM messages. */
void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size);
bool ns__thread_has_cap(int cap); /* in the calling thread's effective set (capget; no allocation, no message) */

#endif
