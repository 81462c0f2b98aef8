/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: pidfds (pidfd.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
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

/* waitid() reports what waitpid() packs into one int; rebuild it so the W* macros work. */
static int encode_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	}
	return 0;
}

NS_PUBLIC int ns_wait(int pidfd, int *status)
{
	siginfo_t si;
	int r, pid;

	r = ns__check_fd("ns_wait", pidfd);
	if (r < 0)
		return r;
	memset(&si, 0, sizeof(si));
	do
		r = waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED | __WALL);
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EINVAL) {
		/* P_PIDFD is Linux 5.4; a 5.3 pidfd still names a pid that cannot be reused while unreaped. */
		pid = ns__pidfd_pid(pidfd);
		/* EBADF as waitid(P_PIDFD) says it, so that the answer does not depend on the kernel */
		if (pid == -EBADF || pid == -EINVAL)
			return ns__fail(EBADF, "ns_wait: %d is %s", pidfd,
					pid == -EBADF ? "not an open file descriptor" : "not a pidfd");
		if (pid < 0)
			return ns__fail(ECHILD, "ns_wait: the process of pidfd %d was already reaped", pidfd);
		do
			r = waitid(P_PID, (id_t)pid, &si, WEXITED | __WALL);
		while (r < 0 && errno == EINTR);
	}
	if (r < 0) {
		if (errno == ECHILD)
			return ns__fail(ECHILD, "ns_wait: the process of pidfd %d is not our child, or was already "
					"reaped", pidfd);
		if (errno == EBADF)
			return ns__fail(EBADF, "ns_wait: %d is %s", pidfd, fcntl(pidfd, F_GETFD) < 0 ?
					"not an open file descriptor" : "not a pidfd");
		return ns__fail(errno, "ns_wait: waitid on pidfd %d", pidfd);
	}
	if (status)
		*status = encode_status(&si);
	return si.si_pid;
}
