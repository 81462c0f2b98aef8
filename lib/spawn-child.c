/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The spawned child's side of ns_spawn(): everything from clone to exec (or fn). It runs in a process
 * cloned from a caller that may be multi-threaded, where another thread may have held the malloc,
 * stdio or any other libc lock at the moment of the clone. So every line in this file obeys:
 *  - only async-signal-safe operations: raw system calls through K0..K5 (kcall.h), which touch
 *    neither errno nor libc's lazily bound PLT entries, and libc's sigaction() where the kernel's
 *    struct differs per architecture (util.c's ns__reset_signal_handlers, async-signal-safe like all
 *    of util.c); no malloc, no stdio, no locks, no ns__fail() or other helper of lib/ (they format
 *    messages);
 *  - it reads what the parent prepared in struct spawn before the clone and writes only its own
 *    copy-on-write copy;
 *  - a failure is reported, not described: child_fail() writes {stage, errno, detail} to the report
 *    pipe and exits 127; the parent turns that into the message (spawn-errors.c);
 *  - it uses only fds the parent opened O_CLOEXEC, closing those it must before exec.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "compat.h"
#include "kcall.h"
#include "spawn-internal.h"

/* The kernel's sigset: 64 signals (128 on MIPS), not glibc's 1024-bit sigset_t. */
#define KSIGSET_SIZE ((_NSIG - 1) / 8)

static _Noreturn void child_exit(int code)
{
	for (;;)
		K1(SYS_exit_group, code);
}

static void child_report(const struct spawn *s, int stage, int err, int64_t value)
{
	struct report r = { .stage = stage, .err = err, .value = value };
	long n;

	/* One write below PIPE_BUF is atomic; EPIPE (the parent is gone) leaves nothing to tell. */
	do
		n = K3(SYS_write, s->rep_wr, &r, sizeof(r));
	while (n == -EINTR);
}

static _Noreturn void child_fail(const struct spawn *s, int stage, long neg_err, int64_t value)
{
	child_report(s, stage, (int)-neg_err, value);
	child_exit(127);
}

long ns__spawn_clone(const struct spawn *s, uint64_t flags, int *pidfd)
{
	if (s->use_clone3) {
		struct ns_compat_clone_args args = {
			.flags = flags,
			.pidfd = (uint64_t)(uintptr_t)pidfd,
			.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
			.cgroup = (flags & CLONE_INTO_CGROUP) ? (uint64_t)s->o.cgroup_fd : 0,
		};

		/* No stack: clone3 then copies the address space like fork(), so the child may run on. */
		return K2(SYS_clone3, &args, sizeof(args));
	}
	/* clone() takes the exit signal in the low byte (where CLONE_NEWTIME would collide) and CLONE_PIDFD's
	 * result through the parent_tid argument. */
	flags |= (flags & CLONE_PARENT) ? 0 : SIGCHLD;
#if defined(__s390__) || defined(__CRIS__)
	return K5(SYS_clone, 0, (unsigned long)flags, pidfd, 0, 0);
#else
	return K5(SYS_clone, (unsigned long)flags, 0, pidfd, 0, 0);
#endif
}

static bool parent_is_gone(const struct spawn *s)
{
	struct pollfd p = { .fd = s->rep_wr, .events = 0 };
	struct timespec zero = { 0, 0 };

	/* The parent holds the read end of the report pipe until the child is set up: POLLERR means it died. */
	if (KSYS(SYS_ppoll, &p, 1, &zero, 0, 0, 0) == 1 && (p.revents & POLLERR))
		return true;
	return s->parent_pid != 0 && K0(SYS_getppid) != s->parent_pid;
}

static void child_set_pdeathsig(const struct spawn *s)
{
	long r;

	if (!(s->o.flags & NS_SPAWN_DIE_WITH_PARENT))
		return;
	r = K2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
	if (r < 0)
		child_fail(s, ST_PDEATHSIG, r, 0);
	/* The parent may have died before the prctl: then no signal will ever come. */
	if (parent_is_gone(s))
		child_exit(127);
}

static void child_join(const struct spawn *s)
{
	long r;

	if (s->join_pidfd_setns) {
		r = K2(SYS_setns, s->o.join_pidfd, s->join_types);
		if (r < 0)
			child_fail(s, ST_JOIN, r, s->join_types);
	} else {
		for (int i = 0; i < NS_NTYPES; i++) {
			if (s->join_fds[i] < 0)
				continue;
			r = K2(SYS_setns, s->join_fds[i], ns__types[i].type);
			if (r < 0)
				child_fail(s, ST_JOIN, r, ns__types[i].type);
			K1(SYS_close, s->join_fds[i]);
		}
	}
	/* As nsenter(1) does: in a joined user namespace become its root, so exec keeps the capabilities.
	 * (Raw calls change only this thread, which is the whole process here.) */
	if (s->join_types & NS_TYPE_USER) {
		r = K2(SYS_setgroups, 0, NULL);
		if (r < 0 && r != -EPERM)
			child_fail(s, ST_JOIN_CREDS, r, 0);
		r = K3(SYS_setresgid, 0, 0, 0);
		if (r < 0)
			child_fail(s, ST_JOIN_CREDS, r, 0);
		r = K3(SYS_setresuid, 0, 0, 0);
		if (r < 0)
			child_fail(s, ST_JOIN_CREDS, r, 1);
	}
}

/*
 * Joining a pid namespace only changes where this process's children go, and namespaces created
 * after joining a user namespace must be owned by it: so the joining process clones the final one
 * (with CLONE_PARENT, so it is the caller's child), reports its pid and exits.
 */
static void child_join_and_clone(struct spawn *s)
{
	long pid;

	child_join(s);
	pid = ns__spawn_clone(s, (s->clone_flags & ~CLONE_INTO_CGROUP) | CLONE_PARENT, NULL);
	if (pid < 0)
		child_fail(s, ST_CLONE, pid, 0);
	if (pid > 0) {
		child_report(s, ST_PID, 0, pid);
		child_exit(0);
	}
}

static void child_reset_signals(const struct spawn *s)
{
	if (s->clone_flags & CLONE_CLEAR_SIGHAND)
		return;
	/* What CLONE_CLEAR_SIGHAND does, for clone() and clone3 before 5.5: the caller's handlers must never
	 * run in the child. (libc's sigaction there: the kernel's struct differs per architecture; this path
	 * is the old-kernel fallback and may pay for binding it.) */
	ns__reset_signal_handlers();
}

static void child_enter_timens(const struct spawn *s)
{
	long fd, r;

	/* The process that creates a time namespace with clone3 has entered it, which freezes the offsets
	 * (writes then fail EACCES): so unshare() it, let the parent write, and only then enter it. */
	fd = K3(SYS_openat, AT_FDCWD, "/proc/thread-self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		child_fail(s, ST_TIMENS, fd, 0);
	r = K2(SYS_setns, fd, CLONE_NEWTIME);
	if (r < 0)
		child_fail(s, ST_TIMENS, r, 1);
	K1(SYS_close, fd);
}

static void child_setup_root(const struct spawn *s)
{
	const char *root = s->o.root;
	long r;

	/* pivot_root() needs the new root to be a mount point: bind it onto itself. */
	r = K5(SYS_mount, root, root, NULL, MS_BIND | MS_REC, NULL);
	if (r < 0)
		child_fail(s, ST_ROOT_BIND, r, 0);
	r = K1(SYS_chdir, root);
	if (r < 0)
		child_fail(s, ST_ROOT_CHDIR, r, 0);
	/* Before the old root goes: a user namespace may mount proc only while a full proc is visible. */
	if (s->mount_proc) {
		r = K5(SYS_mount, "proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		if (r < 0)
			child_fail(s, ST_PROC, r, 0);
	}
	/* pivot_root(".", ".") stacks the old root on top of the new one, so no put_old directory is needed. */
	r = K2(SYS_pivot_root, ".", ".");
	if (r < 0)
		child_fail(s, ST_PIVOT, r, 0);
	r = K2(SYS_umount2, ".", MNT_DETACH);
	if (r < 0)
		child_fail(s, ST_OLD_ROOT, r, 0);
	r = K1(SYS_chdir, "/");
	if (r < 0)
		child_fail(s, ST_OLD_ROOT, r, 1);
}

static void child_drop_caps(const struct spawn *s)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	long r;

	for (int cap = 0; cap <= s->cap_last; cap++) {
		if (s->keep_caps & (1ULL << cap))
			continue;
		if (K2(SYS_prctl, PR_CAPBSET_READ, cap) != 1)
			continue;
		r = K2(SYS_prctl, PR_CAPBSET_DROP, cap);
		if (r < 0)
			child_fail(s, ST_CAPS, r, cap);
	}
	r = K2(SYS_capget, &hdr, data);
	if (r < 0)
		child_fail(s, ST_CAPS, r, -1);
	for (int i = 0; i < 2; i++) {
		uint32_t keep = (uint32_t)(s->keep_caps >> (32 * i));

		if (keep & ~data[i].permitted)
			child_fail(s, ST_CAPS, -EPERM, 32 * i + __builtin_ctz(keep & ~data[i].permitted));
		data[i].permitted = keep;
		data[i].effective = keep;
		data[i].inheritable = keep;
	}
	r = K2(SYS_capset, &hdr, data);
	if (r < 0)
		child_fail(s, ST_CAPS, r, -1);
	/* Ambient capabilities survive execve() for a non-root uid; root gets the bounding set instead. */
	r = K2(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
	if (r < 0 && r != -EINVAL)
		child_fail(s, ST_CAPS, r, -1);
	for (int cap = 0; cap <= s->cap_last; cap++) {
		if (!(s->keep_caps & (1ULL << cap)))
			continue;
		r = K3(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap);
		if (r < 0)
			child_fail(s, ST_CAPS, r, cap);
	}
}

/*
 * Steps that need nothing from the parent run while it writes the maps: namespaces made or joined,
 * hostname and mount propagation (capabilities in a new user namespace exist before its maps).
 * Steps whose permission checks depend on the maps (mounting /proc, the new root: file access
 * through a mapped owner) and those that may drop the capabilities run after them.
 */
_Noreturn void ns__spawn_child_main(struct spawn *s)
{
	char c;
	long r;

	if (s->rep_rd >= 0)
		K1(SYS_close, s->rep_rd);
	if (s->go_wr >= 0)
		K1(SYS_close, s->go_wr);
	/*
	 * Joining puts this child into namespaces shared with the target's processes (a container's), and
	 * one of them with our uid there could ptrace a dumpable child and take what it still carries from
	 * the caller: a copy of its memory and every fd, close-on-exec or not. Non-dumpable, it is out of
	 * reach of all but CAP_SYS_PTRACE in the caller's user namespace (its mm stays the caller's). The
	 * flag is inherited by the final child; execve() of an ordinary program clears it, fn keeps it.
	 * (PR_SET_DUMPABLE cannot fail with a valid argument.)
	 */
	if (s->join_types)
		K5(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
	child_reset_signals(s);
	child_set_pdeathsig(s);
	if (s->join_types) {
		child_join_and_clone(s);
		/* from here on: the final child, whose parent is the caller */
		child_set_pdeathsig(s);
		/* a non-dumpable process's /proc files are root's: let an unprivileged parent write its maps */
		if (s->dumpable_while_waiting)
			K5(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
	if (s->time_mode != TIME_NONE) {
		r = K1(SYS_unshare, CLONE_NEWTIME);
		if (r < 0)
			child_fail(s, ST_UNSHARE, r, NS_TYPE_TIME);
		if (s->time_mode == TIME_OFFSETS)
			child_report(s, ST_READY, 0, 0);
		else
			child_enter_timens(s);
	}
	if (s->o.hostname) {
		r = K2(SYS_sethostname, s->o.hostname, s->hostname_len);
		if (r < 0)
			child_fail(s, ST_HOSTNAME, r, 0);
	}
	/* Without this, mounts made here would propagate back into the caller's namespace. */
	if (s->make_private) {
		r = K5(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		if (r < 0)
			child_fail(s, ST_PRIVATE, r, 0);
	}
	if (s->prepared_report)
		child_report(s, ST_PREPARED, 0, 0);
	if (s->wait_for_parent) {
		do
			r = K3(SYS_read, s->go_rd, &c, 1);
		while (r == -EINTR);
		if (r != 1)
			child_exit(127); /* the parent gave up on us and will reap us */
		K1(SYS_close, s->go_rd);
		if (s->dumpable_while_waiting)
			K5(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
	}
	/*
	 * Explicit maps often leave the caller's own id out (root mapping 0 to 100000), so the child would
	 * run as the overflow id (65534) with full capabilities; a map that gives 0 inside then means
	 * "be root in there", as container runtimes do. (NS_SPAWN_MAP_ROOT maps the caller's id to 0.)
	 */
	if (s->root_gid && (r = K3(SYS_setresgid, 0, 0, 0)) < 0)
		child_fail(s, ST_ROOT_CREDS, r, 0);
	if (s->root_uid && (r = K3(SYS_setresuid, 0, 0, 0)) < 0)
		child_fail(s, ST_ROOT_CREDS, r, 1);
	if (s->time_mode == TIME_OFFSETS)
		child_enter_timens(s);
	if (s->o.root) {
		child_setup_root(s);
	} else if (s->mount_proc) {
		r = K5(SYS_mount, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		if (r < 0)
			child_fail(s, ST_PROC, r, 0);
	}
	if (s->o.flags & NS_SPAWN_DROP_CAPS)
		child_drop_caps(s);
	r = KSYS(SYS_rt_sigprocmask, SIG_SETMASK, &s->caller_mask, NULL, KSIGSET_SIZE, 0, 0);
	if (r < 0)
		child_fail(s, ST_SIGMASK, r, 0);
	if (s->fn) {
		/* Success is the end of the report pipe; fn's own fds are the caller's business. */
		if (s->rep_wr >= 0)
			K1(SYS_close, s->rep_wr);
		child_exit(s->fn(s->arg));
	}
	r = K3(SYS_execve, s->path, s->argv, s->envp);
	child_fail(s, ST_EXEC, r, 0);
}

