/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include "types-internal.h"

static const struct {
	int type;
	const char *name;
} type_names[] = {
	{ NS_TYPE_MNT, "mnt" },   { NS_TYPE_CGROUP, "cgroup" }, { NS_TYPE_UTS, "uts" },
	{ NS_TYPE_IPC, "ipc" },   { NS_TYPE_USER, "user" },     { NS_TYPE_PID, "pid" },
	{ NS_TYPE_NET, "net" },   { NS_TYPE_TIME, "time" },
};

int ns__type_index(int type)
{
	for (size_t i = 0; i < NS_ARRAY_SIZE(type_names); i++)
		if (type_names[i].type == type)
			return (int)i;
	return -1;
}

bool ns__is_single_type(int type)
{
	return ns__type_index(type) >= 0;
}

NS_PUBLIC const char *ns_type_name(int type)
{
	int i = ns__type_index(type);

	return i < 0 ? NULL : type_names[i].name;
}

int ns__type_from_name(const char *name)
{
	for (size_t i = 0; i < NS_ARRAY_SIZE(type_names); i++)
		if (strcmp(type_names[i].name, name) == 0)
			return type_names[i].type;
	return -EINVAL;
}

const char *ns__proc_name(int type, bool for_children)
{
	if (for_children && type == NS_TYPE_PID)
		return "pid_for_children";
	if (for_children && type == NS_TYPE_TIME)
		return "time_for_children";
	return ns_type_name(type);
}

NS_PUBLIC const char *ns_version(void)
{
	return LIBNS_VERSION;
}

const char *ns__types_text(unsigned types, char *buf, size_t size)
{
	size_t n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int bit = 0; bit < 32 && n < size; bit++) {
		const char *name = ns_type_name((int)(types & (1u << bit)));

		if (name)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "", name);
	}
	return buf;
}
