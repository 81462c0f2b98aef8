/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 2: capabilities of the calling thread (capability.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "capability.h"
#include "compat.h"
#include "nsfs.h"

/* capget with pid 0 reads the calling thread's sets (capabilities are per thread), without allocating. */
bool ns__thread_has_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	if (cap < 0 || cap > 63 || syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? 0 : (unsigned long long)st.st_ino;
}

/*
 * Does the calling thread hold `cap` in user namespace `userns`? The kernel's rule (cap_capable):
 * walking up from the target, a thread in the target itself needs the capability effective; a
 * thread in an ancestor holds every capability in a namespace whose creator, in the thread's
 * own namespace, had the thread's euid, and otherwise holds what it has effective in its own;
 * a thread below the target or in another branch holds nothing there.
 * NS_GET_PARENT fails with EPERM exactly when the parent lies above the thread's namespace.
 */
int ns__cap_in_userns(int userns, cap_value_t cap, struct ns__cap_answer *a)
{
	int self, cur, parent, eq, r = 0;
	bool first = true;

	memset(a, 0, sizeof(*a));
	a->owner = (uid_t)-1;
	a->ino = fd_ino(userns);
	self = ns__open_own("user");
	if (self < 0)
		return self;
	a->self_ino = fd_ino(self);
	cur = fcntl(userns, F_DUPFD_CLOEXEC, 0);
	if (cur < 0) {
		r = -errno;
		close(self);
		return r;
	}
	for (;;) {
		eq = ns__same_ns(cur, self);
		if (eq < 0) {
			r = eq;
			break;
		}
		if (eq == 1) {
			a->rel = first ? REL_SELF : REL_BELOW;
			a->held = ns__thread_has_cap(cap);
			break;
		}
		parent = ioctl(cur, NS_GET_PARENT);
		if (parent < 0 && errno != EPERM) {
			r = -errno;
			break;
		}
		if (parent < 0) {
			a->rel = REL_OUTSIDE;
			a->held = false;
			break;
		}
		if (ns__same_ns(parent, self) == 1) {
			uid_t owner = (uid_t)-1; /* NS_GET_OWNER_UID is _IO: checkers cannot see it written */

			if (ioctl(cur, NS_GET_OWNER_UID, &owner) < 0) {
				r = -errno;
				close(parent);
				break;
			}
			a->owner = owner;
			/* The owner's kuid is mapped in the parent (the kernel requires it at creation),
			 * so the uid read in our namespace is exact, never the overflow uid. */
			if (owner == geteuid()) {
				a->rel = REL_OWNED;
				a->held = true;
				close(parent);
				break;
			}
		}
		close(cur);
		cur = parent;
		first = false;
	}
	close(cur);
	close(self);
	return r;
}
