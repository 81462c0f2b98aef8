/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 3: the explanations of EPERM (explain.c): which capability is missing, and where. */
#ifndef LIBNS_EXPLAIN_H
#define LIBNS_EXPLAIN_H

#include "capability.h"
#include "util.h"

/* ns__fail(), with " (likely cause)" appended for a privilege error. */
int ns__fail_priv(int err, int nsfd, const char *fmt, ...) NS_PRINTF(3, 4);
/* Text naming the capability the caller lacks over nsfd, for EPERM messages. */
void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size);
/* Why a process may not write its own (or its children's) /proc files: one text for unshare and spawn. */
#define NS_NOT_DUMPABLE_CAUSE "this process is not dumpable since it changed credentials without exec, so " \
	"its /proc files and its children's are root's: call prctl(PR_SET_DUMPABLE, 1) or exec first"
/* Where the thread stands with cap in the namespace of answer a, as a phrase ("needs ... in ..."). */
const char *ns__relation_text(const struct ns__cap_answer *a, const char *cap, char *buf, size_t size);

#endif
