/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: /proc, read and written safely (procfs.c). Messages through error.c. */
#ifndef LIBNS_PROCFS_H
#define LIBNS_PROCFS_H

#include "util.h"

/* The number after "KEY:" on a line of a /proc text file (status, fdinfo); -ENOENT if none. */
int ns__proc_field(const char *path, const char *key, int *value);
/* Threads in this process; 1 for free when glibc knows no thread was ever created. */
int ns__thread_count(void);
/* The state letter of /proc/PID/stat ('R', 'Z', ...), or 0 when there is no such process. */
char ns__proc_state(pid_t pid);

/* "/proc" opened with oflags (O_CLOEXEC added): the fd, -ENODEV when it is not procfs, or -errno. No message. */
int ns__open_proc_root(int oflags);
/* True when /proc numbers this process as it numbers itself (/proc is its own pid namespace's). */
bool ns__proc_self_trusted(void);
/*
 * The whole of dirfd/name (growing *buf, which may be reused across calls; free it after), NUL-terminated:
 * its length, or -errno. No message. Bounded, as every file libns reads: only a regular file is read
 * (procfs files are regular too), -EINVAL for anything else on the path (a FIFO, /dev/zero, a
 * directory: something mounted over a /proc file, or a hostile subid path), whose open does not block
 * (O_NONBLOCK); -EFBIG past NS_READ_MAX.
 */
int ns__read_file(int dirfd, const char *name, char **buf, size_t *size);
/* The bound: mountinfo with fs.mount-max (100000) mounts, a status with 65536 groups stay well below. */
#define NS_READ_MAX ((size_t)64 << 20)
/*
 * Each line of this thread's mountinfo (read through procfd, or /proc when procfd < 0), its newline cut
 * off, to fn, which may change it: the first non-zero fn result is returned, 0 at the end, -errno when
 * mountinfo cannot be read. No message.
 */
int ns__mountinfo_foreach(int procfd, int (*fn)(char *line, void *ctx), void *ctx);

/* Write once to /proc/PID/NAME, refusing anything that is not procfs (a bind mount over it). */
int ns__write_proc(pid_t pid, const char *name, const char *buf, size_t len);
/* O_PATH fd of /proc/PID (pid 0: self), refused (-EXDEV) if /proc is not procfs or a mount covers it. */
int ns__open_proc_dir(pid_t pid);
/* The same through an fd from ns__open_proc_dir() (verify it against a pidfd first when you hold one). */
int ns__write_proc_at(int procdirfd, const char *name, const char *buf, size_t len);
int ns__read_proc_at(int procdirfd, const char *name, char *buf, size_t size); /* length, NUL-terminated */
/* ns__write_proc_at() in its two steps, for a caller that explains the open's and the write's errors apart. */
int ns__open_proc_file(int procdirfd, const char *name, int oflags); /* procfs only, O_CLOEXEC; messages */
int ns__write_proc_fd(int fd, const char *buf, size_t len);         /* one write(); messages */

#endif
