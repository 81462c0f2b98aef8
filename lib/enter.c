/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"
#include "run-internal.h"

/*
 * User and mount namespaces belong to a whole process in practice: the kernel refuses a user namespace
 * to a multi-threaded process, and although setns(pidfd, CLONE_NEWNS) from a thread succeeds (6.18),
 * it resets the root and working directory that all threads share. Refuse both before anything changes.
 */
#define NS_SINGLE_THREAD_TYPES (NS_TYPE_USER | NS_TYPE_MNT)

static int refuse_if_threaded(const char *fn, unsigned types)
{
	int n;

	if (!(types & NS_SINGLE_THREAD_TYPES))
		return 0;
	n = ns__thread_count();
	if (n > 1)
		return ns__fail(EINVAL, "%s: this process has %d threads; only a single-threaded process may enter "
				"user or mount namespaces (use ns_run_in(), which enters them in a child)", fn, n);
	return 0;
}

/* Explain an EINVAL from setns(fd, type); the kernel uses it for half a dozen different rules. */
static int explain_setns_einval(const char *fn, int fd, int type)
{
	int actual = ioctl(fd, NS_GET_NSTYPE);

	if (actual < 0)
		return ns__fail(EINVAL, "%s: fd %d is not a namespace", fn, fd);
	if (type && actual != type)
		return ns__fail(EINVAL, "%s: fd %d is a %s namespace, not %s", fn, fd, ns_type_name(actual),
				ns_type_name(type));
	if (refuse_if_threaded(fn, (unsigned)actual) < 0)
		return -EINVAL;
	if (actual == NS_TYPE_USER)
		return ns__fail(EINVAL, "%s: the target user namespace is this thread's own or one of its "
				"ancestors, which the kernel does not allow re-entering", fn);
	if (actual == NS_TYPE_PID)
		return ns__fail(EINVAL, "%s: a thread may only enter a pid namespace that is its own or a "
				"descendant of its own", fn);
	return ns__fail(EINVAL, "%s: setns(%s) refused by the kernel", fn, ns_type_name(actual));
}

NS_PUBLIC int ns_enter(int nsfd, int type)
{
	int r;

	if (type != 0 && !ns__is_single_type(type))
		return ns__fail(EINVAL, "ns_enter: 0x%x is not exactly one namespace type", (unsigned)type);
	r = ns__check_fd("ns_enter", nsfd);
	if (r < 0)
		return r;
	r = sys_setns(nsfd, type);
	if (r == 0)
		return 0;
	if (r == -EINVAL)
		return explain_setns_einval("ns_enter", nsfd, type);
	if (r == -EPERM)
		return ns__fail_priv(EPERM, nsfd, "ns_enter: setns(%s)",
				     type ? ns_type_name(type) : "any");
	if (r == -EUSERS)
		return ns__fail(EUSERS, "ns_enter: setns(time) needs a single-threaded process");
	if (r == -EBADF && ns__nsfd_type("ns_enter", nsfd) < 0)   /* not open, not nsfs, or O_PATH */
		return -errno;
	return ns__fail(-r, "ns_enter: setns(fd %d, %s)", nsfd, type ? ns_type_name(type) : "any");
}

static int check_types(const char *fn, unsigned types, unsigned flags)
{
	int r = ns__check_flags(fn, flags, 0);

	if (r == 0)
		r = ns__check_types(fn, types);
	return r < 0 ? r : ns__need_types(fn, types);
}

/* Record why setns(fd, type) failed with r; returns r. */
static int explain_setns_failure(const char *fn, int r, int fd, int type, const char *when)
{
	if (r == -EPERM)
		return ns__fail_priv(EPERM, fd, "%s: setns(%s)%s", fn, ns_type_name(type), when);
	if (r == -EINVAL)
		return explain_setns_einval(fn, fd, type);
	return ns__fail(-r, "%s: setns(%s)%s", fn, ns_type_name(type), when);
}

/* Return to the namespaces saved in restore[] that were entered (done); close restore[]. */
static unsigned undo_entered(int restore[NS_NTYPES], unsigned done)
{
	for (int i = 0; i < NS_NTYPES; i++) {
		int t;

		if (restore[i] < 0)
			continue;
		t = ns_type_of(restore[i]);
		if (t > 0 && (done & (unsigned)t) && sys_setns(restore[i], t) == 0)
			done &= ~(unsigned)t;
		close(restore[i]);
	}
	return done;
}

/*
 * The per-namespace path, for kernels without setns(pidfd, mask) (before 5.8). All fds are opened
 * before anything changes. Entering the user namespace first would drop our privilege over the
 * others when we are more privileged than the target (root entering a container), and entering it
 * last fails when we need its privilege (an unprivileged owner entering its own container); so,
 * like nsenter, enter what we can, then the user namespace, then retry what was refused.
 */
static int enter_fds(const char *fn, int fds[NS_NTYPES], unsigned types, unsigned *joined)
{
	const int ui = ns__type_index(NS_TYPE_USER);
	const bool with_user = (types & NS_TYPE_USER) && fds[ui] >= 0;
	int restore[NS_NTYPES], r = 0;
	unsigned done = 0, refused = 0;
	char msg[512];

	/* Our own namespaces, to undo a half-done plan (the user namespace cannot be left again anyway). */
	for (int i = 0; i < NS_NTYPES; i++)
		restore[i] = -1;
	for (int i = 0; i < NS_NTYPES; i++) {
		int t = ns__types[i].type;

		if (t != NS_TYPE_USER && (types & (unsigned)t) && fds[i] >= 0)
			restore[i] = ns_open(0, t, 0);
	}
	for (int i = 0; i < NS_NTYPES && r == 0; i++) {
		int t = ns__types[i].type;

		if (t == NS_TYPE_USER || !(types & (unsigned)t) || fds[i] < 0)
			continue;
		r = sys_setns(fds[i], t);
		if (r == -EPERM && with_user) {
			refused |= (unsigned)t; /* may work from inside the user namespace */
			r = 0;
		} else if (r < 0) {
			explain_setns_failure(fn, r, fds[i], t, "");
		} else {
			done |= (unsigned)t;
		}
	}
	if (r == 0 && with_user) {
		r = sys_setns(fds[ui], NS_TYPE_USER);
		if (r < 0)
			explain_setns_failure(fn, r, fds[ui], NS_TYPE_USER, "");
		else
			done |= NS_TYPE_USER;
	}
	for (int i = 0; i < NS_NTYPES && r == 0; i++) {
		int t = ns__types[i].type;

		if (!(refused & (unsigned)t))
			continue;
		r = sys_setns(fds[i], t);
		if (r < 0)
			explain_setns_failure(fn, r, fds[i], t, " even from inside the target's user namespace");
		else
			done |= (unsigned)t;
	}
	if (r == 0) {
		undo_entered(restore, 0); /* nothing to undo: just close */
		if (joined)
			*joined = done;
		return 0;
	}
	snprintf(msg, sizeof(msg), "%s", ns_last_error());
	done = undo_entered(restore, done);
	if (joined)
		*joined = done;
	if (done) {
		ns__fail(-r, "%s; could not return from every namespace already entered (still in 0x%x)", msg, done);
		return r;
	}
	return ns__fail_verbatim(-r, msg);
}

/* Explain a failed setns(pidfd, mask); r is its -errno. Only on the error path, so it may look around. */
static int setns_pidfd_explained(const char *fn, int r, int pidfd, unsigned mask)
{
	int owner, pid;

	if (r == -EPERM) {
		/* the capability is needed in the target's user namespace (or the owner of the ones it holds) */
		owner = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0);
		ns__fail_priv(EPERM, owner, "%s: setns(pidfd, 0x%x)", fn, mask);
		if (owner >= 0)
			close(owner);
		return -EPERM;
	}
	if (r == -ESRCH)
		return ns__fail(ESRCH, "%s: the target process has exited", fn);
	if (r == -EUSERS)
		return ns__fail(EUSERS, "%s: the kernel lets only a single-threaded process enter a time namespace", fn);
	/* an open O_PATH fd takes no setns (EBADF): not a pidfd one can use, as the fdinfo path also says */
	if (r == -EBADF && fcntl(pidfd, F_GETFD) >= 0)
		return ns__fail(EINVAL, "%s: fd %d is not a pidfd (it was opened O_PATH)", fn, pidfd);
	if (r == -EINVAL) {
		pid = ns__pidfd_pid(pidfd);
		if (pid == -EINVAL || pid == -EBADF)
			return ns__fail(EINVAL, "%s: fd %d is not a pidfd", fn, pidfd);
		return ns__fail(EINVAL, "%s: setns(pidfd, 0x%x) refused: a pid namespace that is not this thread's "
				"own or a descendant, or a user namespace that is an ancestor of this thread's", fn, mask);
	}
	return ns__fail(-r, "%s: setns(pidfd, 0x%x)", fn, mask);
}

static void close_fds(int fds[NS_NTYPES])
{
	for (int i = 0; i < NS_NTYPES; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Open the target's namespace fds for the fallback path; nothing is left open on failure. */
static int open_target_fds(int pidfd, pid_t pid, unsigned types, int fds[NS_NTYPES])
{
	for (int i = 0; i < NS_NTYPES; i++)
		fds[i] = -1;
	for (int i = 0; i < NS_NTYPES; i++) {
		int t = ns__types[i].type, fd;

		if (!(types & (unsigned)t))
			continue;
		fd = pidfd >= 0 ? ns_open_pidfd(pidfd, t, 0) : ns_open(pid, t, 0);
		if (fd < 0) {
			close_fds(fds); /* ns_open's message already names the namespace and the cause */
			return fd;
		}
		fds[i] = fd;
	}
	return 0;
}

static int enter_plan(const char *fn, int pidfd, pid_t pid, unsigned types, unsigned *joined)
{
	int fds[NS_NTYPES], r, ui = ns__type_index(NS_TYPE_USER);

	r = refuse_if_threaded(fn, types);
	if (r < 0)
		return r;
	if (pidfd >= 0 && ns_has_feature(NS_FEATURE_PIDFD_SETNS)) {
		/*
		 * One atomic setns(): all of it happens or none. The kernel refuses to re-enter our own user
		 * namespace (EINVAL), so a shared one is dropped first: one ioctl and a readlink, cheaper
		 * than a refused setns() and its retry, and it leaves no EINVAL to second-guess.
		 */
		if (types & NS_TYPE_USER) {
			int ufd = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0), err = errno;
			bool shared;

			if (ufd < 0 && err != ENOTTY && err != EINVAL)
				return ns__fail(err, "%s: opening the target's user namespace%s", fn,
						err == ESRCH ? " (the process has exited)" : "");
			if (ufd < 0) /* before 6.11: through /proc */
				ufd = ns_open_pidfd(pidfd, NS_TYPE_USER, 0);
			if (ufd < 0)
				return ufd;
			shared = ns__is_own(ufd, "user") == 1;
			close(ufd);
			if (shared)
				types &= ~(unsigned)NS_TYPE_USER;
			if (types == 0)
				return 0;
		}
		r = sys_setns(pidfd, (int)types);
		if (r < 0)
			return setns_pidfd_explained(fn, r, pidfd, types);
		if (joined)
			*joined = types;
		return 0;
	}
	r = open_target_fds(pidfd, pid, types, fds);
	if (r < 0)
		return r;
	/* The kernel refuses re-entering our own user namespace; nsenter skips it the same way. */
	if (fds[ui] >= 0 && ns__is_own(fds[ui], "user") == 1) {
		close(fds[ui]);
		fds[ui] = -1;
		types &= ~(unsigned)NS_TYPE_USER;
	}
	r = enter_fds(fn, fds, types, joined);
	close_fds(fds);
	return r;
}

NS_PUBLIC int ns_enter_pidfd(int pidfd, unsigned types, unsigned flags, unsigned *joined)
{
	int r = check_types("ns_enter_pidfd", types, flags);

	if (joined)
		*joined = 0;
	if (r < 0)
		return r;
	r = ns__check_fd("ns_enter_pidfd", pidfd);
	if (r < 0)
		return r;
	/*
	 * setns() takes a namespace fd with one type as readily as a pidfd: one ioctl tells them apart where
	 * it matters (more than one type is refused by the kernel for a namespace fd anyway).
	 */
	if (!(types & (types - 1)) && ioctl(pidfd, NS_GET_NSTYPE) >= 0)
		return ns__fail(EINVAL, "ns_enter_pidfd: fd %d is a namespace, not a pidfd (use ns_enter())", pidfd);
	return enter_plan("ns_enter_pidfd", pidfd, 0, types, joined);
}

NS_PUBLIC int ns_enter_pid(pid_t pid, unsigned types, unsigned flags, unsigned *joined)
{
	int r = check_types("ns_enter_pid", types, flags), pidfd;

	if (joined)
		*joined = 0;
	if (r < 0)
		return r;
	r = ns__check_pid("ns_enter_pid", pid);
	if (r < 0)
		return r;
	if (pid == 0)
		pid = getpid();
	if (!ns_has_feature(NS_FEATURE_PIDFD))
		return enter_plan("ns_enter_pid", -1, pid, types, joined);
	pidfd = ns__pidfd_open("ns_enter_pid", pid);
	if (pidfd < 0)
		return pidfd;
	r = enter_plan("ns_enter_pid", pidfd, pid, types, joined);
	close(pidfd);
	return r;
}

/* ns_run_in_fds()'s child: the fds by type index (-1: not entered), a user namespace of our own left out. */
int ns__enter_fds(const char *fn, const int fds[NS_NTYPES], unsigned types)
{
	int mine[NS_NTYPES], ui = ns__type_index(NS_TYPE_USER);

	memcpy(mine, fds, sizeof(mine));
	/* The kernel refuses re-entering our own user namespace; nsenter skips it the same way. */
	if (mine[ui] >= 0 && ns__is_own(mine[ui], "user") == 1) {
		mine[ui] = -1;
		types &= ~(unsigned)NS_TYPE_USER;
	}
	return types ? enter_fds(fn, mine, types, NULL) : 0;
}
