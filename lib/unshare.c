/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

/*
 * Map the caller's ids inside the user namespace it has just created. The kernel lets a process
 * write its own maps for exactly one id, its own euid/egid, and only after setgroups is "deny"
 * (otherwise an unprivileged user could drop supplementary groups used to deny it access).
 */
static int map_self(uid_t uid, gid_t gid, bool to_root)
{
	char line[64];
	int r;

	r = ns__write_proc(0, "setgroups", "deny", 4);
	if (r < 0 && r != -ESRCH) /* -ESRCH: no setgroups file, a kernel before 3.19: nothing to deny */
		return r;
	snprintf(line, sizeof(line), "%u %u 1\n", to_root ? 0u : (unsigned)uid, (unsigned)uid);
	r = ns__write_proc(0, "uid_map", line, strlen(line));
	if (r < 0)
		return r;
	snprintf(line, sizeof(line), "%u %u 1\n", to_root ? 0u : (unsigned)gid, (unsigned)gid);
	return ns__write_proc(0, "gid_map", line, strlen(line));
}

/* This thread's children already go to another pid namespace than its own (readlink fails before
 * the new namespace's first process exists). */
static bool pid_children_elsewhere(void)
{
	char mine[64], children[64];
	ssize_t a = readlink("/proc/thread-self/ns/pid", mine, sizeof(mine) - 1);
	ssize_t b = readlink("/proc/thread-self/ns/pid_for_children", children, sizeof(children) - 1);

	if (a <= 0)
		return false;
	return b <= 0 || a != b || memcmp(mine, children, (size_t)a) != 0;
}

/* unshare(2) says EINVAL for several unrelated reasons: name the one that applies. */
static int explain_einval(unsigned types)
{
	char names[64];
	int threads;

	ns__types_text(types, names, sizeof(names));
	if ((types & NS_TYPE_PID) && pid_children_elsewhere())
		return ns__fail(EINVAL, "ns_unshare(%s): this process already chose a new pid namespace for its "
				"children (by unshare or setns) and has not started its first child in it yet", names);
	threads = (types & NS_TYPE_USER) ? ns__thread_count() : 1;
	if (threads > 1)
		return ns__fail(EINVAL, "ns_unshare(%s): a new user namespace needs a single-threaded process "
				"(this one has %d threads)", names, threads);
	if (types & NS_TYPE_USER)
		return ns__fail(EINVAL, "ns_unshare(%s): the kernel refused; a new user namespace also needs "
				"filesystem information (root, working directory) shared with no other process "
				"(a child made with clone(CLONE_FS) shares it)", names);
	return ns__fail(EINVAL, "ns_unshare(%s): the kernel refused (a type it was built without?)", names);
}

NS_PUBLIC int ns_unshare(unsigned types, unsigned flags)
{
	const unsigned map_flags = NS_UNSHARE_MAP_ROOT | NS_UNSHARE_MAP_CURRENT;
	char names[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int r;

	r = ns__check_flags("ns_unshare", flags, map_flags);
	if (r < 0)
		return r;
	r = ns__check_types("ns_unshare", types);
	if (r < 0)
		return r;
	if ((flags & map_flags) == map_flags)
		return ns__fail(EINVAL, "ns_unshare: NS_UNSHARE_MAP_ROOT and NS_UNSHARE_MAP_CURRENT exclude each other");
	if ((flags & map_flags) && !(types & NS_TYPE_USER))
		return ns__fail(EINVAL, "ns_unshare: an id mapping flag needs NS_TYPE_USER in types");
	r = ns__need_types("ns_unshare", types);
	if (r < 0)
		return r;

	/* One call: with CLONE_NEWUSER the kernel creates the user namespace first and the rest owned by it. */
	r = sys_unshare((int)types);
	if (r == -EPERM) {
		if (!(types & NS_TYPE_USER))
			return ns__fail_priv(EPERM, -1, "ns_unshare(%s): creating namespaces needs CAP_SYS_ADMIN; "
					     "an unprivileged caller must include NS_TYPE_USER",
					     ns__types_text(types, names, sizeof(names)));
		/* too deep and user.max_user_namespaces are ENOSPC, not EPERM: name only what gives EPERM */
		return ns__fail(EPERM, "ns_unshare(%s): the kernel refused a new user namespace (this process is "
				"chroot()ed, its uid or gid has no mapping in its user namespace, or unprivileged user "
				"namespaces are disabled: sysctl kernel.unprivileged_userns_clone, a security module)",
				ns__types_text(types, names, sizeof(names)));
	}
	if (r == -EINVAL)
		return explain_einval(types);
	if (r == -ENOSPC || r == -EUSERS)
		return ns__fail(-r, "ns_unshare(%s): a namespace limit was reached (/proc/sys/user/max_*_namespaces, "
				"or user or pid namespaces nested 32 deep)",
				ns__types_text(types, names, sizeof(names)));
	if (r < 0)
		return ns__fail(-r, "ns_unshare(%s)", ns__types_text(types, names, sizeof(names)));

	if (flags & map_flags) {
		r = map_self(uid, gid, flags & NS_UNSHARE_MAP_ROOT);
		if (r == -EACCES && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
			return ns__fail_prefixed(EACCES, "ns_unshare: mapping ids in the new user namespace ("
						 NS_NOT_DUMPABLE_CAUSE ")");
		if (r < 0)
			return ns__fail_prefixed(-r, "ns_unshare: mapping ids in the new user namespace");
	}
	/*
	 * A new mount namespace starts as a copy whose mounts still propagate to and from the old one:
	 * a mount made "privately" would appear on the host. unshare(1) makes them private; so do we.
	 */
	if ((types & NS_TYPE_MNT) && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return ns__fail(errno, "ns_unshare: making mount propagation private in the new mount namespace");
	return 0;
}
