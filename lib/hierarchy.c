/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the hierarchy area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_get_parent(int nsfd)
{
	(void)nsfd;
	return ns__fail(ENOSYS, "ns_get_parent: not implemented yet");
}

NS_PUBLIC int ns_get_userns(int nsfd)
{
	(void)nsfd;
	return ns__fail(ENOSYS, "ns_get_userns: not implemented yet");
}

NS_PUBLIC int ns_get_owner_uid(int userns_fd, uid_t *uid)
{
	(void)userns_fd;
	(void)uid;
	return ns__fail(ENOSYS, "ns_get_owner_uid: not implemented yet");
}

NS_PUBLIC int ns_pid_translate(int pidns_fd, pid_t pid, unsigned flags, pid_t *out)
{
	(void)pidns_fd;
	(void)pid;
	(void)flags;
	(void)out;
	return ns__fail(ENOSYS, "ns_pid_translate: not implemented yet");
}
