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
	struct ns__cap_answer a;
	char why[400];
	int r = ns__cap_in_userns(nsfd, CAP_SYS_ADMIN, &a);

	if (r < 0)
		return ns__fail(-r, "ns_can_enter: walking the user namespace hierarchy (is /proc mounted?)");
	if (a.rel == REL_SELF)
		return deny(EINVAL, "this thread is already in that user namespace (setns refuses re-entry, which "
			    "would grant a full capability set)");
	if (!a.held)
		return deny(EPERM, "setns into a user namespace %s", ns__relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
	if (ns__thread_count() > 1)
		return deny(EINVAL, "the process is multi-threaded: only a single-threaded process (not sharing "
			    "its filesystem context) may change user namespace");
	return 1;
}

NS_PUBLIC int ns_can_enter(int nsfd)
{
	struct ns__cap_answer a;
	char why[400];
	const char *name;
	int type, owner, r;

	r = ns__check_fd("ns_can_enter", nsfd);
	if (r < 0)
		return r;
	type = ns__nsfd_type("ns_can_enter", nsfd);
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
	r = ns__cap_in_userns(owner, CAP_SYS_ADMIN, &a);
	close(owner);
	if (r < 0)
		return ns__fail(-r, "ns_can_enter: walking the user namespace hierarchy");
	if (!a.held)
		return deny(EPERM, "setns into a %s namespace %s", name,
			    ns__relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
	if (!ns__thread_has_cap(CAP_SYS_ADMIN))
		return deny(EPERM, "setns into a %s namespace also needs CAP_SYS_ADMIN in this thread's own user "
			    "namespace user:[%llu], where euid %u does not have it effective (it %s)", name,
			    a.self_ino, (unsigned)geteuid(), ns__relation_text(&a, "CAP_SYS_ADMIN", why, sizeof(why)));
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
		r = ns__pidns_is_own_or_below(nsfd);
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
