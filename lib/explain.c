/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 3: the explanations of EPERM (explain.h), built on the answers of capability.c and nsfs.c. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "capability.h"
#include "compat.h"
#include "error-internal.h"
#include "explain.h"
#include "nsfs.h"

int ns__fail_priv(int err, int nsfd, const char *fmt, ...)
{
	char why[768]; /* the size of the message buffer: truncated there, as before */
	va_list ap;

	va_start(ap, fmt);
	ns__vfail(err, fmt, ap);
	va_end(ap);
	if (err == EPERM) {
		ns__describe_missing_cap(nsfd, "CAP_SYS_ADMIN", why, sizeof(why));
		ns__last_error_append("%s", why);
	}
	errno = err;
	return -err;
}

const char *ns__relation_text(const struct ns__cap_answer *a, const char *cap, char *buf, size_t size)
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

void ns__describe_missing_cap(int nsfd, const char *cap, char *buf, size_t size)
{
	struct ns__cap_answer a;
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
		userns = ns__open_own("user");
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
	r = ns__cap_in_userns(userns, capv, &a);
	close(userns);
	if (r < 0) {
		snprintf(buf, size, " (needs %s; euid %u)", cap, (unsigned)geteuid());
		return;
	}
	if (!a.held) {
		snprintf(buf, size, " (%s)", ns__relation_text(&a, cap, why, sizeof(why)));
		return;
	}
	/* Held where the target needs it: setns also wants CAP_SYS_ADMIN in the thread's own namespace. */
	if (type != 0 && type != NS_TYPE_USER && !ns__thread_has_cap(CAP_SYS_ADMIN)) {
		snprintf(buf, size, " (this thread %s, but setns also needs CAP_SYS_ADMIN in its own user namespace "
			 "user:[%llu], which euid %u lacks)", ns__relation_text(&a, cap, why, sizeof(why)), a.self_ino,
			 (unsigned)geteuid());
		return;
	}
	snprintf(buf, size, " (this thread holds %s in user namespace user:[%llu]; the refusal has another cause, "
		 "such as a security module or a rule of the operation)", cap, a.ino);
}
