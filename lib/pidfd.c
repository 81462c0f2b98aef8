/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: pidfds (pidfd.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include "error-internal.h"
#include "pidfd.h"
#include "procfs.h"
#include "syscall.h"

int ns__pidfd_open(const char *fn, pid_t pid)
{
	int fd;

	if (pid <= 0)
		return ns__fail(EINVAL, "%s: %d is not a process id", fn, (int)pid);
	fd = sys_pidfd_open(pid, 0);
	if (fd == -ESRCH)
		return ns__fail(ESRCH, "%s: no process %d", fn, (int)pid);
	if (fd == -EINVAL || fd == -ENOENT)
		/* pidfd_open() accepts only thread-group leaders (EINVAL before 6.9, ENOENT since) */
		return ns__fail(EINVAL, "%s: %d is a thread, not a process (pass its thread-group id)", fn, (int)pid);
	if (fd < 0)
		return ns__fail(-fd, "%s: pidfd_open(%d)", fn, (int)pid);
	return fd;
}

int ns__pidfd_pid(int pidfd)
{
	char path[64];
	int pid = 0, r;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	r = ns__proc_field(path, "Pid", &pid);
	if (r == -ENOENT && access(path, F_OK) != 0)
		return -EBADF;
	if (r < 0)
		return r == -ENOENT ? -EINVAL : r; /* an open fd without a Pid: line is not a pidfd */
	if (pid == -1)
		return -ESRCH;   /* the process has been reaped */
	if (pid == 0)
		return -EREMOTE; /* alive, but in no pid namespace we can name */
	return pid;
}
