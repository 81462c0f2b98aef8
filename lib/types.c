/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include "compat.h"
#include "types-internal.h"

/*
 * The rows are in the order setns() is done in when the kernel cannot enter several namespaces at once
 * (setns(pidfd, mask), Linux 5.8): the user namespace first, so the rest are entered with the
 * capabilities it grants (spawn's join; ns_enter's fallback instead tries the others first, then the
 * user namespace, then what was refused: see enter_fds); the mount namespace last, as it resets root
 * and cwd.
 */
const struct ns__type_info ns__types[NS_NTYPES] = {
	{ NS_TYPE_USER, "user", NULL, PIDFD_GET_USER_NAMESPACE, 0 },
	{ NS_TYPE_CGROUP, "cgroup", NULL, PIDFD_GET_CGROUP_NAMESPACE, 0 },
	{ NS_TYPE_IPC, "ipc", NULL, PIDFD_GET_IPC_NAMESPACE, 0 },
	{ NS_TYPE_UTS, "uts", NULL, PIDFD_GET_UTS_NAMESPACE, 0 },
	{ NS_TYPE_NET, "net", NULL, PIDFD_GET_NET_NAMESPACE, 0 },
	{ NS_TYPE_PID, "pid", "pid_for_children", PIDFD_GET_PID_NAMESPACE, PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE },
	{ NS_TYPE_TIME, "time", "time_for_children", PIDFD_GET_TIME_NAMESPACE,
	  PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE },
	{ NS_TYPE_MNT, "mnt", NULL, PIDFD_GET_MNT_NAMESPACE, 0 },
};

/* The public constants are the kernel's flags (types.h promises it); a ninth row needs one more line. */
_Static_assert(NS_TYPE_MNT == CLONE_NEWNS && NS_TYPE_CGROUP == CLONE_NEWCGROUP && NS_TYPE_UTS == CLONE_NEWUTS &&
	       NS_TYPE_IPC == CLONE_NEWIPC && NS_TYPE_USER == CLONE_NEWUSER && NS_TYPE_PID == CLONE_NEWPID &&
	       NS_TYPE_NET == CLONE_NEWNET && NS_TYPE_TIME == CLONE_NEWTIME, "NS_TYPE_* are the CLONE_NEW* flags");
_Static_assert(NS_TYPES_ALL == (NS_TYPE_MNT | NS_TYPE_CGROUP | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_USER |
				NS_TYPE_PID | NS_TYPE_NET | NS_TYPE_TIME) && NS_NTYPES == 8,
	       "ns__types has one row per NS_TYPE_* bit");

int ns__type_index(int type)
{
	for (int i = 0; i < NS_NTYPES; i++)
		if (ns__types[i].type == type)
			return i;
	return -1;
}

bool ns__is_single_type(int type)
{
	return ns__type_index(type) >= 0;
}

NS_PUBLIC const char *ns_type_name(int type)
{
	int i = ns__type_index(type);

	return i < 0 ? NULL : ns__types[i].name;
}

int ns__type_from_name(const char *name)
{
	for (int i = 0; i < NS_NTYPES; i++)
		if (strcmp(ns__types[i].name, name) == 0)
			return ns__types[i].type;
	return -EINVAL;
}

const char *ns__proc_name(int type, bool for_children)
{
	int i = ns__type_index(type);

	if (i < 0)
		return NULL;
	return for_children && ns__types[i].children_name ? ns__types[i].children_name : ns__types[i].name;
}

unsigned long ns__pidfd_ioctl(int type, bool for_children)
{
	int i = ns__type_index(type);

	if (i < 0)
		return 0;
	return for_children && ns__types[i].pidfd_children_ioctl ? ns__types[i].pidfd_children_ioctl
								   : ns__types[i].pidfd_ioctl;
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
