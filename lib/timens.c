/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the timens area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_set_time_offsets(pid_t pid, const struct timespec *monotonic, const struct timespec *boottime)
{
	(void)pid;
	(void)monotonic;
	(void)boottime;
	return ns__fail(ENOSYS, "ns_set_time_offsets: not implemented yet");
}
