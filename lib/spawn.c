/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the spawn area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_spawn(const struct ns_spawn_opts *opts, ns_fn fn, void *arg, int *pidfd_out)
{
	(void)opts;
	(void)fn;
	(void)arg;
	(void)pidfd_out;
	return ns__fail(ENOSYS, "ns_spawn: not implemented yet");
}

NS_PUBLIC int ns_spawn_exec(const struct ns_spawn_opts *opts, const char *path, char *const argv[], char *const envp[], int *pidfd_out)
{
	(void)opts;
	(void)path;
	(void)argv;
	(void)envp;
	(void)pidfd_out;
	return ns__fail(ENOSYS, "ns_spawn_exec: not implemented yet");
}

NS_PUBLIC int ns_wait(int pidfd, int *status)
{
	(void)pidfd;
	(void)status;
	return ns__fail(ENOSYS, "ns_wait: not implemented yet");
}
