/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the idmap area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_idmap_parse(const char *text, struct ns_idmap *out)
{
	(void)text;
	(void)out;
	return ns__fail(ENOSYS, "ns_idmap_parse: not implemented yet");
}

NS_PUBLIC int ns_idmap_validate(const struct ns_idmap *map)
{
	(void)map;
	return ns__fail(ENOSYS, "ns_idmap_validate: not implemented yet");
}

NS_PUBLIC int ns_idmap_format(const struct ns_idmap *map, char *buf, size_t size)
{
	(void)map;
	(void)buf;
	(void)size;
	return ns__fail(ENOSYS, "ns_idmap_format: not implemented yet");
}

NS_PUBLIC int ns_idmap_add(struct ns_idmap *map, uint32_t inside, uint32_t outside, uint32_t count)
{
	(void)map;
	(void)inside;
	(void)outside;
	(void)count;
	return ns__fail(ENOSYS, "ns_idmap_add: not implemented yet");
}

NS_PUBLIC int ns_idmap_from_subid(struct ns_idmap *map, const char *user, int kind, unsigned flags)
{
	(void)map;
	(void)user;
	(void)kind;
	(void)flags;
	return ns__fail(ENOSYS, "ns_idmap_from_subid: not implemented yet");
}

NS_PUBLIC int ns_write_idmap(pid_t pid, int kind, const struct ns_idmap *map, unsigned flags)
{
	(void)pid;
	(void)kind;
	(void)map;
	(void)flags;
	return ns__fail(ENOSYS, "ns_write_idmap: not implemented yet");
}

NS_PUBLIC int ns_write_setgroups(pid_t pid, int allow)
{
	(void)pid;
	(void)allow;
	return ns__fail(ENOSYS, "ns_write_setgroups: not implemented yet");
}
