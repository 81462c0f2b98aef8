/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the unshare area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_unshare(unsigned types, unsigned flags)
{
	(void)types;
	(void)flags;
	return ns__fail(ENOSYS, "ns_unshare: not implemented yet");
}
