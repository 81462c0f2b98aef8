/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the pin area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_pin(int nsfd, const char *path, unsigned flags)
{
	(void)nsfd;
	(void)path;
	(void)flags;
	return ns__fail(ENOSYS, "ns_pin: not implemented yet");
}

NS_PUBLIC int ns_unpin(const char *path, unsigned flags)
{
	(void)path;
	(void)flags;
	return ns__fail(ENOSYS, "ns_unpin: not implemented yet");
}

NS_PUBLIC int ns_netns_add(const char *name, int nsfd, unsigned flags)
{
	(void)name;
	(void)nsfd;
	(void)flags;
	return ns__fail(ENOSYS, "ns_netns_add: not implemented yet");
}

NS_PUBLIC int ns_netns_open(const char *name)
{
	(void)name;
	return ns__fail(ENOSYS, "ns_netns_open: not implemented yet");
}

NS_PUBLIC int ns_netns_del(const char *name)
{
	(void)name;
	return ns__fail(ENOSYS, "ns_netns_del: not implemented yet");
}
