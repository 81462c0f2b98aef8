/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The messages of ns_spawn(): what a child's report means, and the parent's own failures in context. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "spawn-internal.h"

/* Put spawn's context before the message a lower layer left. */
int ns__spawn_fail_wrapped(const struct spawn *s, int neg_err, const char *what)
{
	if (neg_err == -EACCES && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		return ns__fail_prefixed(EACCES, "%s: %s (" NS_NOT_DUMPABLE_CAUSE ")", s->fn_name, what);
	return ns__fail_prefixed(-neg_err, "%s: %s", s->fn_name, what);
}

int ns__spawn_child_error(struct spawn *s, const struct report *rep)
{
	const char *fn = s->fn_name;
	const char *root = s->o.root ? s->o.root : "";
	int err = rep->err > 0 ? rep->err : EIO;
	char names[64];

	switch (rep->stage) {
	case ST_PDEATHSIG:
		return ns__fail(err, "%s: child: prctl(PR_SET_PDEATHSIG)", fn);
	case ST_JOIN:
		ns__types_text((unsigned)rep->value, names, sizeof(names));
		if (err == EPERM) {
			int fd = ns__is_single_type((int)rep->value) ?
				 ns_open_pidfd(s->o.join_pidfd, (int)rep->value, 0) : -1;

			err = ns__fail_priv(EPERM, fd, "%s: child: setns into the %s namespace(s) of pidfd %d", fn,
					    names, s->o.join_pidfd);
			if (fd >= 0)
				close(fd);
			return err;
		}
		return ns__fail(err, "%s: child: setns into the %s namespace(s) of pidfd %d%s", fn, names,
				s->o.join_pidfd, err == EINVAL ? " (a pid namespace must be ours or a descendant; "
				"a user namespace must not be an ancestor)" : "");
	case ST_JOIN_CREDS:
		return ns__fail(err, "%s: child: becoming uid/gid 0 in the joined user namespace%s", fn,
				err == EINVAL ? " (0 is not mapped there)" : "");
	case ST_ROOT_CREDS:
		return ns__fail(err, "%s: child: becoming %s 0, which the explicit %s maps inside the new user "
				"namespace", fn, rep->value ? "uid" : "gid", rep->value ? "uid_map" : "gid_map");
	case ST_CLONE:
		return ns__fail(err, "%s: child: clone in the joined namespaces", fn);
	case ST_UNSHARE:
		ns__types_text((unsigned)rep->value, names, sizeof(names));
		if (err == EPERM)
			return ns__fail_priv(EPERM, -1, "%s: child: unshare %s namespace", fn, names);
		return ns__fail(err, "%s: child: unshare %s namespace", fn, names);
	case ST_TIMENS:
		return ns__fail(err, "%s: child: entering its new time namespace%s", fn,
				rep->value == 0 ? " (open /proc/thread-self/ns/time_for_children; is /proc mounted?)" : "");
	case ST_HOSTNAME:
		return ns__fail(err, "%s: child: sethostname \"%s\"", fn, s->o.hostname);
	case ST_PRIVATE:
		return ns__fail(err, "%s: child: making mount propagation private (MS_REC|MS_PRIVATE on /)", fn);
	case ST_ROOT_BIND:
		return ns__fail(err, "%s: child: bind-mount root %s onto itself", fn, root);
	case ST_ROOT_CHDIR:
		return ns__fail(err, "%s: child: chdir %s", fn, root);
	case ST_PROC:
		return ns__fail(err, "%s: child: mount proc on %s/proc%s", fn, root,
				err == EPERM ? " (in a user namespace, only where a full /proc is visible)" : "");
	case ST_PIVOT:
		return ns__fail(err, "%s: child: pivot_root into %s%s", fn, root,
				err == EINVAL ? " (is it a directory on a filesystem pivot_root accepts, not rootfs?)" : "");
	case ST_OLD_ROOT:
		return ns__fail(err, "%s: child: detaching the old root after pivot_root into %s", fn, root);
	case ST_CAPS:
		if (rep->value >= 0) {
			char *name = cap_to_name((cap_value_t)rep->value);
			int r = ns__fail(err, "%s: child: %s capability %s%s", fn,
					 (s->keep_caps >> rep->value) & 1 ? "keeping" : "dropping", name ? name : "?",
					 err == EPERM ? ((s->keep_caps >> rep->value) & 1 ?
					 " (not in the child's permitted set)" :
					 " (dropping from the bounding set needs CAP_SETPCAP)") : "");
			cap_free(name);
			return r;
		}
		return ns__fail(err, "%s: child: setting capabilities (capset)", fn);
	case ST_SIGMASK:
		return ns__fail(err, "%s: child: restoring the signal mask", fn);
	case ST_EXEC:
		return ns__fail(err, "%s: exec %s", fn, s->path);
	}
	return ns__fail(EIO, "%s: child sent an unknown report (stage %d)", fn, rep->stage);
}

int ns__spawn_map_write_error(struct spawn *s, int r, const char *name)
{
	bool uid = strcmp(name, "uid_map") == 0;

	if (r == -EPERM)
		return ns__fail(EPERM, "%s: write /proc/%d/%s: refused: without CAP_SET%s in the parent user "
				"namespace a caller may map only its own %s, one line with count 1%s "
				"(or use NS_SPAWN_IDMAP_HELPER with ranges in /etc/sub%s)", s->fn_name, (int)s->pid,
				name, uid ? "UID" : "GID", uid ? "euid" : "egid",
				uid ? "" : ", after setgroups is denied", uid ? "uid" : "gid");
	return ns__spawn_fail_wrapped(s, r, uid ? "writing the child's uid_map" : "writing the child's gid_map");
}

int ns__spawn_clone_error(struct spawn *s, int err)
{
	char names[96];

	ns__types_text((unsigned)s->clone_flags | (s->time_mode != TIME_NONE ? NS_TYPE_TIME : 0), names,
		       sizeof(names));
	if (err == EPERM)
		return ns__fail_priv(EPERM, -1, "%s: %s with new namespaces (%s)", s->fn_name,
				     s->use_clone3 ? "clone3" : "clone", names[0] ? names : "none");
	if (err == ENOSPC || err == EUSERS)
		return ns__fail(err, "%s: %s: too many namespaces (see /proc/sys/user/max_*_namespaces, and user "
				"namespaces nest at most 32 deep)", s->fn_name, s->use_clone3 ? "clone3" : "clone");
	if (err == EINVAL && (s->o.new_types & NS_TYPE_USER))
		return ns__fail(EINVAL, "%s: %s with a new user namespace (refused in a chroot or a threaded "
				"joining process)", s->fn_name, s->use_clone3 ? "clone3" : "clone");
	if (s->o.flags & NS_SPAWN_INTO_CGROUP)
		return ns__fail(err, "%s: clone3 into cgroup fd %d (a cgroup2 directory with no controllers "
				"enabled for threads?)", s->fn_name, s->o.cgroup_fd);
	return ns__fail(err, "%s: %s", s->fn_name, s->use_clone3 ? "clone3" : "clone");
}
