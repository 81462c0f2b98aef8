/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

static bool have_effective(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!caps)
		return false;
	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

/* Is user namespace fd `ancestor` the thread's own user namespace, or one of its ancestors? */
static int userns_depth_from_self(int target_userns)
{
	int cur = open("/proc/thread-self/ns/user", O_RDONLY | O_CLOEXEC), depth = 0;

	if (cur < 0)
		return -errno;
	for (;;) {
		int eq = ns_equal(cur, target_userns), parent;

		if (eq == 1) {
			close(cur);
			return depth;
		}
		parent = ioctl(cur, NS_GET_PARENT);
		close(cur);
		if (parent < 0)
			return -ENOENT; /* reached the top of what we may see: target is not above us */
		cur = parent;
		depth++;
	}
}

/* Is the caller's user namespace `self` equal to or an ancestor of `owner`? */
static bool owner_is_at_or_below_self(int owner)
{
	int self = open("/proc/thread-self/ns/user", O_RDONLY | O_CLOEXEC), cur, parent;
	bool found = false;

	if (self < 0)
		return false;
	cur = fcntl(owner, F_DUPFD_CLOEXEC, 0);
	while (cur >= 0) {
		if (ns_equal(cur, self) == 1) {
			found = true;
			break;
		}
		parent = ioctl(cur, NS_GET_PARENT);
		close(cur);
		cur = parent;
	}
	if (cur >= 0)
		close(cur);
	close(self);
	return found;
}

void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size)
{
	int owner = -1, type;
	uid_t owner_uid = (uid_t)-1;
	struct stat st;

	if (size == 0)
		return;
	buf[0] = '\0';
	type = nsfd >= 0 ? ioctl(nsfd, NS_GET_NSTYPE) : -1;
	if (type == NS_TYPE_USER)
		owner = fcntl(nsfd, F_DUPFD_CLOEXEC, 0);
	else if (type > 0)
		owner = ioctl(nsfd, NS_GET_USERNS);
	if (owner < 0) {
		snprintf(buf, size, " (needs %s in the user namespace that owns the target; this thread runs as uid %d%s)",
			 cap, (int)geteuid(), have_effective(CAP_SYS_ADMIN) ? "" : " without it");
		return;
	}
	if (ioctl(owner, NS_GET_OWNER_UID, &owner_uid) < 0)
		owner_uid = (uid_t)-1;
	if (fstat(owner, &st) < 0)
		st.st_ino = 0;
	if (!owner_is_at_or_below_self(owner))
		snprintf(buf, size, " (needs %s in user namespace user:[%llu] owned by uid %d, which is not this "
			 "thread's user namespace nor one it created: enter that user namespace first)",
			 cap, (unsigned long long)st.st_ino, (int)owner_uid);
	else
		snprintf(buf, size, " (needs %s in user namespace user:[%llu] owned by uid %d; this thread runs as "
			 "uid %d %s)", cap, (unsigned long long)st.st_ino, (int)owner_uid, (int)geteuid(),
			 have_effective(CAP_SYS_ADMIN) ? "with it in its own user namespace only" : "without it");
	close(owner);
}

NS_PUBLIC int ns_can_enter(int nsfd)
{
	int type = ns_type_of(nsfd), owner, depth;

	if (type < 0)
		return type;
	owner = type == NS_TYPE_USER ? ioctl(nsfd, NS_GET_PARENT) : ioctl(nsfd, NS_GET_USERNS);
	if (owner < 0) {
		ns__fail(EPERM, "ns_can_enter: the namespace's owner is outside this thread's view");
		return 0;
	}
	/* setns() needs CAP_SYS_ADMIN in the namespace's owner, which we hold iff we are in it or an ancestor
	 * owned by our euid... libcap reports our own namespace's set; ancestors grant it implicitly. */
	depth = userns_depth_from_self(owner);
	(void)depth;
	if (!owner_is_at_or_below_self(owner)) {
		close(owner);
		ns__fail(EPERM, "ns_can_enter: the namespace is owned by a user namespace this thread is not in or above");
		return 0;
	}
	close(owner);
	if (!have_effective(CAP_SYS_ADMIN)) {
		ns__fail(EPERM, "ns_can_enter: setns needs CAP_SYS_ADMIN, which this thread does not hold");
		return 0;
	}
	return 1;
}
