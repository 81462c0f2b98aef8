/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"
#include "compat.h"

/*
 * uid_map, gid_map, setgroups and timens_offsets accept exactly one write, and a caller that
 * can be tricked into writing them somewhere else (a bind mount over /proc/PID/uid_map) hands
 * out privileges: so the file must be procfs, opened fresh, and written in one write().
 */
int ns__write_proc(pid_t pid, const char *name, const char *buf, size_t len)
{
	char path[64];
	struct statfs sfs;
	ssize_t n;
	int fd, err;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/%s", name);
	else
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			return ns__fail(ESRCH, "write %s: no such process (or the kernel has no %s)", path, name);
		return ns__fail(err, "open %s for writing", path);
	}
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return ns__fail(EXDEV, "write %s: refused, the file is not on procfs (something is mounted over it)",
				path);
	}
	n = write(fd, buf, len);
	err = errno;
	close(fd);
	if (n < 0)
		return ns__fail(err, "write %s", path);
	if ((size_t)n != len)
		return ns__fail(EIO, "write %s: short write (%zd of %zu bytes)", path, n, len);
	return 0;
}
