/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: the namespace types (types.c). Pure lookups: no messages, no /proc. */
#ifndef LIBNS_TYPES_INTERNAL_H
#define LIBNS_TYPES_INTERNAL_H

#include "util.h"

/*
 * One row per namespace type: every list, switch and loop over types in lib/ reads this table, so a
 * ninth type is one row here (and its NS_TYPE_ bit). The type is its CLONE_NEW* flag (types.h), the
 * value setns(), unshare(), clone3() and NS_GET_NSTYPE use; its row index is ns__type_index().
 */
#define NS_NTYPES 8

struct ns__type_info {
	int type;                            /* NS_TYPE_* == CLONE_NEW* */
	const char *name;                    /* ns_type_name(), /proc/PID/ns/NAME, "NAME:[inode]" links */
	const char *children_name;           /* the /proc/PID/ns link for children, or NULL if the same */
	unsigned long pidfd_ioctl;           /* PIDFD_GET_*_NAMESPACE (Linux 6.11) */
	unsigned long pidfd_children_ioctl;  /* the same for the children's namespace, or 0 */
};

/* In setns order (see types.c): loops that enter several namespaces one by one walk it in row order. */
extern const struct ns__type_info ns__types[NS_NTYPES];

bool ns__is_single_type(int type);
int ns__type_index(int type);            /* its row in ns__types, or -1 */
int ns__type_from_name(const char *name); /* the type, or -EINVAL; sets no message */
const char *ns__proc_name(int type, bool for_children); /* "net", "pid_for_children", ... */
unsigned long ns__pidfd_ioctl(int type, bool for_children); /* PIDFD_GET_*_NAMESPACE, or 0 */
/* "net,pid,..." for a set of types, for messages; truncated to size. */
const char *ns__types_text(unsigned types, char *buf, size_t size);

#endif
