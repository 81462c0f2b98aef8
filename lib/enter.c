/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the enter area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_enter(int nsfd, int type)
{
	(void)nsfd;
	(void)type;
	return ns__fail(ENOSYS, "ns_enter: not implemented yet");
}

NS_PUBLIC int ns_enter_pid(pid_t pid, unsigned types, unsigned flags, unsigned *joined)
{
	(void)pid;
	(void)types;
	(void)flags;
	(void)joined;
	return ns__fail(ENOSYS, "ns_enter_pid: not implemented yet");
}

NS_PUBLIC int ns_enter_pidfd(int pidfd, unsigned types, unsigned flags, unsigned *joined)
{
	(void)pidfd;
	(void)types;
	(void)flags;
	(void)joined;
	return ns__fail(ENOSYS, "ns_enter_pidfd: not implemented yet");
}

NS_PUBLIC int ns_run_in(int pidfd, unsigned types, ns_fn fn, void *arg, unsigned flags)
{
	(void)pidfd;
	(void)types;
	(void)fn;
	(void)arg;
	(void)flags;
	return ns__fail(ENOSYS, "ns_run_in: not implemented yet");
}
