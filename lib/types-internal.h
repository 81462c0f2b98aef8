/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: the namespace types (types.c). Pure lookups: no messages, no /proc. */
#ifndef LIBNS_TYPES_INTERNAL_H
#define LIBNS_TYPES_INTERNAL_H

#include "util.h"

bool ns__is_single_type(int type);
int ns__type_index(int type);            /* 0..7, or -1 */
int ns__type_from_name(const char *name); /* the type, or -EINVAL; sets no message */
const char *ns__proc_name(int type, bool for_children); /* "net", "pid_for_children", ... */
/* "net,pid,..." for a set of types, for messages; truncated to size. */
const char *ns__types_text(unsigned types, char *buf, size_t size);

#endif
