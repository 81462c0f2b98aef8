/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: capabilities of the calling thread (capability.c). Answers only; the prose is explain.c's. */
#ifndef LIBNS_CAPABILITY_H
#define LIBNS_CAPABILITY_H

#include <sys/capability.h>
#include "util.h"

/* Where a user namespace stands relative to the calling thread's, as the kernel's cap_capable() sees it. */
enum ns__relation {
	REL_SELF,        /* the thread's own user namespace: its effective set decides */
	REL_OWNED,       /* below it, created (directly under the thread's namespace) by the thread's euid */
	REL_BELOW,       /* below it, not owned by the euid: the thread's own effective set decides */
	REL_OUTSIDE,     /* an ancestor, or another branch: no capability of the thread reaches it */
};

struct ns__cap_answer {
	enum ns__relation rel;
	bool held;
	uid_t owner;                 /* owner of the namespace under the thread's own, for REL_OWNED/REL_BELOW */
	unsigned long long ino;      /* inode of the namespace asked about */
	unsigned long long self_ino; /* inode of the thread's own user namespace */
};

bool ns__thread_has_cap(int cap); /* in the calling thread's effective set (capget; no allocation, no message) */
/* Does the calling thread hold cap in user namespace userns? 0 with the answer, or -errno (no message). */
int ns__cap_in_userns(int userns, cap_value_t cap, struct ns__cap_answer *a);

#endif
