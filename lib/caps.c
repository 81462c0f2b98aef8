/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

/* Where a user namespace stands relative to the calling thread's, as the kernel's cap_capable() sees it. */
enum relation {
	REL_SELF,        /* the thread's own user namespace: its effective set decides */
	REL_OWNED,       /* below it, created (directly under the thread's namespace) by the thread's euid */
	REL_BELOW,       /* below it, not owned by the euid: the thread's own effective set decides */
	REL_OUTSIDE,     /* an ancestor, or another branch: no capability of the thread reaches it */
};

struct cap_answer {
	enum relation rel;
	bool held;
	uid_t owner;                 /* owner of the namespace under the thread's own, for REL_OWNED/REL_BELOW */
	unsigned long long ino;      /* inode of the namespace asked about */
	unsigned long long self_ino; /* inode of the thread's own user namespace */
};

/* capget with pid 0 reads the calling thread's sets (capabilities are per thread), without allocating. */
bool ns__thread_has_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	if (cap < 0 || cap > 63 || syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

/* ns_equal() without a message: ns__describe_missing_cap() runs while the caller's message is being written. */
static int same_ns(int a, int b)
{
	uint64_t dev_a, ino_a, dev_b, ino_b;
	int r = ns__fstat_nsfs(a, &dev_a, &ino_a);

	if (r == 0)
		r = ns__fstat_nsfs(b, &dev_b, &ino_b);
	return r < 0 ? r : dev_a == dev_b && ino_a == ino_b;
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? 0 : (unsigned long long)st.st_ino;
}

static int open_own(const char *name)
{
	char path[48];
	int fd;

	/* thread-self: setns() and unshare() move single threads, so "own" means this thread's. */
	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * Does the calling thread hold `cap` in user namespace `userns`? The kernel's rule (cap_capable):
 * walking up from the target, a thread in the target itself needs the capability effective; a
 * thread in an ancestor holds every capability in a namespace whose creator, in the thread's
 * own namespace, had the thread's euid, and otherwise holds what it has effective in its own;
 * a thread below the target or in another branch holds nothing there.
 * NS_GET_PARENT fails with EPERM exactly when the parent lies above the thread's namespace.
 */
static int cap_in_userns(int userns, cap_value_t cap, struct cap_answer *a)
{
	int self, cur, parent, eq, r = 0;
	bool first = true;

	memset(a, 0, sizeof(*a));
	a->owner = (uid_t)-1;
	a->ino = fd_ino(userns);
	self = open_own("user");
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
		eq = same_ns(cur, self);
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
		if (same_ns(parent, self) == 1) {
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

/* 1 when the pid namespace nsfd is the thread's active one or below it (pidns_install's rule). */
static int pidns_is_own_or_below(int nsfd)
{
	int self = open_own("pid"), cur, parent, r;

	if (self < 0)
		return self;
	cur = fcntl(nsfd, F_DUPFD_CLOEXEC, 0);
	r = cur < 0 ? -errno : 0;
	while (cur >= 0) {
		r = same_ns(cur, self);
		if (r != 0)
			break;
		/* EPERM past the thread's own pid namespace: then the target is not below it. */
		parent = ioctl(cur, NS_GET_PARENT);
		if (parent < 0 && errno != EPERM)
			r = -errno;
		close(cur);
		cur = parent;
	}
	if (cur >= 0)
		close(cur);
	close(self);
	return r;
}

static const char *relation_text(const struct cap_answer *a, const char *cap, char *buf, size_t size)
{
	uid_t euid = geteuid();

	switch (a->rel) {
	case REL_SELF:
		snprintf(buf, size, "needs %s in user namespace user:[%llu], this thread's own, where euid %u does "
			 "not have it effective%s", cap, a->ino, (unsigned)euid,
			 euid != 0 ? "; an unprivileged process gets it by creating a user namespace (NS_TYPE_USER)"
				   : "");
		break;
	case REL_BELOW:
		snprintf(buf, size, "needs %s in user namespace user:[%llu], below this thread's user:[%llu] but "
			 "created from uid %u, not from this thread's euid %u, and this thread lacks %s in its own",
			 cap, a->ino, a->self_ino, (unsigned)a->owner, (unsigned)euid, cap);
		break;
	case REL_OUTSIDE:
		snprintf(buf, size, "needs %s in user namespace user:[%llu], which is not this thread's user "
			 "namespace user:[%llu] nor below it (an ancestor or another branch): no capability of this "
			 "thread reaches it", cap, a->ino, a->self_ino);
		break;
	case REL_OWNED:
		snprintf(buf, size, "holds %s in user namespace user:[%llu] as the euid (%u) that created it", cap,
			 a->ino, (unsigned)euid);
		break;
	}
	return buf;
}

static int deny(int err, const char *fmt, ...) NS_PRINTF(2, 3);
static int deny(int err, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ns__fail(err, "ns_can_enter: %s", msg);
	return 0;
}

static int can_enter_userns(int nsfd)
{
	struct cap_answer a;
	char why[400];
	int r = cap_in_userns(nsfd, CAP_SYS_ADMIN, &a);

	if (r < 0)
		return ns__fail(-r, "ns_can_enter: walking the user namespace hierarchy (is /proc mounted?)");
	if (a.rel == REL_SELF)
		return deny(EINVAL, "this thread is already in that user namespace (setns refuses re-entry, which "
			    "would grant a full capability set)");
	if (!a.held)
		return deny(EPERM, "setns into a user namespace %s", relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
	if (ns__thread_count() > 1)
		return deny(EINVAL, "the process is multi-threaded: only a single-threaded process (not sharing "
			    "its filesystem context) may change user namespace");
	return 1;
}

NS_PUBLIC int ns_can_enter(int nsfd)
{
	struct cap_answer a;
	char why[400];
	const char *name;
	int type, owner, r;

	if (nsfd < 0)
		return ns__fail(EBADF, "ns_can_enter: %d is not a file descriptor", nsfd);
	type = ns_type_of(nsfd);
	if (type < 0)
		return type;
	name = ns_type_name(type);
	if (type == NS_TYPE_USER)
		return can_enter_userns(nsfd);

	/* Every other type: CAP_SYS_ADMIN over the namespace's owner and in the thread's own user namespace. */
	owner = ioctl(nsfd, NS_GET_USERNS);
	if (owner < 0) {
		if (errno == EPERM)
			return deny(EPERM, "the %s namespace is owned by a user namespace above or beside this "
				    "thread's: setns needs CAP_SYS_ADMIN there, which no capability of this thread "
				    "reaches", name);
		return ns__fail(errno, "ns_can_enter: NS_GET_USERNS on fd %d", nsfd);
	}
	r = cap_in_userns(owner, CAP_SYS_ADMIN, &a);
	close(owner);
	if (r < 0)
		return ns__fail(-r, "ns_can_enter: walking the user namespace hierarchy");
	if (!a.held)
		return deny(EPERM, "setns into a %s namespace %s", name,
			    relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
	if (!ns__thread_has_cap(CAP_SYS_ADMIN))
		return deny(EPERM, "setns into a %s namespace also needs CAP_SYS_ADMIN in this thread's own user "
			    "namespace user:[%llu], where euid %u does not have it effective (it %s)", name,
			    a.self_ino, (unsigned)geteuid(), relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
	switch (type) {
	case NS_TYPE_MNT:
		if (!ns__thread_has_cap(CAP_SYS_CHROOT))
			return deny(EPERM, "setns into a mount namespace also needs CAP_SYS_CHROOT in this "
				    "thread's own user namespace user:[%llu]", a.self_ino);
		if (ns__thread_count() > 1)
			return deny(EINVAL, "the process is multi-threaded and its threads share one filesystem "
				    "context (root, cwd), which setns into a mount namespace refuses");
		break;
	case NS_TYPE_PID:
		r = pidns_is_own_or_below(nsfd);
		if (r < 0)
			return ns__fail(-r, "ns_can_enter: walking the pid namespace hierarchy");
		if (r == 0)
			return deny(EINVAL, "the pid namespace is neither this thread's own nor below it (setns "
				    "may only move new children down the pid namespace tree)");
		break;
	case NS_TYPE_TIME:
		if (ns__thread_count() > 1)
			return deny(EUSERS, "the process is multi-threaded: only a single-threaded process may "
				    "change time namespace");
		break;
	}
	return 1;
}

void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size)
{
	struct cap_answer a;
	cap_value_t capv;
	char why[400];
	int type = 0, userns = -1, r;

	if (!buf || size == 0)
		return;
	buf[0] = '\0';
	if (!cap || cap_from_name(cap, &capv) < 0) {
		snprintf(buf, size, " (needs a capability this thread lacks)");
		return;
	}
	if (nsfd >= 0) {
		type = ioctl(nsfd, NS_GET_NSTYPE);
		if (type < 0)
			type = 0;
	}
	/* The user namespace the capability is checked in: the thread's own for creating namespaces,
	 * the target itself for a user namespace, otherwise the namespace's owner. */
	if (type == 0)
		userns = open_own("user");
	else if (type == NS_TYPE_USER)
		userns = fcntl(nsfd, F_DUPFD_CLOEXEC, 0);
	else
		userns = ioctl(nsfd, NS_GET_USERNS);
	if (userns < 0) {
		if (type != 0 && type != NS_TYPE_USER && errno == EPERM)
			snprintf(buf, size, " (needs %s in the user namespace owning that %s namespace, which is above "
				 "or beside this thread's: no capability of this thread reaches it)", cap,
				 ns_type_name(type));
		else
			snprintf(buf, size, " (needs %s; euid %u%s)", cap, (unsigned)geteuid(),
				 ns__thread_has_cap(capv) ? " has it in its own user namespace" : " lacks it");
		return;
	}
	r = cap_in_userns(userns, capv, &a);
	close(userns);
	if (r < 0) {
		snprintf(buf, size, " (needs %s; euid %u)", cap, (unsigned)geteuid());
		return;
	}
	if (!a.held) {
		snprintf(buf, size, " (%s)", relation_text(&a, cap, why, sizeof(why)));
		return;
	}
	/* Held where the target needs it: setns also wants CAP_SYS_ADMIN in the thread's own namespace. */
	if (type != 0 && type != NS_TYPE_USER && !ns__thread_has_cap(CAP_SYS_ADMIN)) {
		snprintf(buf, size, " (this thread %s, but setns also needs CAP_SYS_ADMIN in its own user namespace "
			 "user:[%llu], which euid %u lacks)", relation_text(&a, cap, why, sizeof(why)), a.self_ino,
			 (unsigned)geteuid());
		return;
	}
	snprintf(buf, size, " (this thread holds %s in user namespace user:[%llu]; the refusal has another cause, "
		 "such as a security module or a rule of the operation)", cap, a.ino);
}
