/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"
#include "syscall.h"

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL /* Linux 5.5 */
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47                  /* Linux 4.3 */
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

extern char **environ;

/* The struct as API.md first published it ends at cgroup_fd; later fields are read only when size covers them. */
#define SPAWN_OPTS_SIZE_VER0 (offsetof(struct ns_spawn_opts, cgroup_fd) + sizeof(int))
/* clone3 and openat2 refuse larger structs the same way; the bytes must be read to prove them zero. */
#define SPAWN_OPTS_SIZE_MAX 4096

#define SPAWN_FLAGS_ALL (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT | NS_SPAWN_MOUNT_PROC | \
			 NS_SPAWN_DIE_WITH_PARENT | NS_SPAWN_SETGROUPS_DENY | NS_SPAWN_INTO_CGROUP | \
			 NS_SPAWN_IDMAP_HELPER | NS_SPAWN_DROP_CAPS)

/* A map is written in one write() of less than a page (kernel rule since 4.15: 340 lines must fit). */
#define MAP_TEXT_MAX 4096


/* What the child reports over the close-on-exec pipe: a stage, an errno and a detail (type, cap, pid). */
enum stage {
	ST_READY = 1,      /* not a failure: the child made the namespaces the parent writes into */
	ST_PID,            /* not a failure: the intermediate's report of the final child's pid */
	ST_PREPARED,       /* not a failure: every step before the parent's writes succeeded */
	ST_PDEATHSIG,
	ST_JOIN,
	ST_JOIN_CREDS,
	ST_ROOT_CREDS,
	ST_CLONE,
	ST_UNSHARE,
	ST_TIMENS,
	ST_HOSTNAME,
	ST_PRIVATE,
	ST_ROOT_BIND,
	ST_ROOT_CHDIR,
	ST_PROC,
	ST_PIVOT,
	ST_OLD_ROOT,
	ST_CAPS,
	ST_SIGMASK,
	ST_EXEC,
};

struct report {
	int32_t stage;
	int32_t err;
	int64_t value;
};

enum time_mode {
	TIME_NONE,       /* no new time namespace, or clone3 made it with the clone flags */
	TIME_UNSHARE,    /* clone() cannot take CLONE_NEWTIME: unshare it, then enter it at once */
	TIME_OFFSETS,    /* unshare it, let the parent write the offsets, then enter it */
};

/*
 * Everything the child needs, prepared by the parent before clone: the child runs only
 * async-signal-safe system calls on these (the caller may be multi-threaded, and another
 * thread may have held the malloc or stdio locks at the moment of the clone).
 */
struct spawn {
	const char *fn_name;
	struct ns_spawn_opts o;

	/* clone */
	uint64_t clone_flags;      /* namespaces and options for the process that runs the program */
	bool use_clone3;
	pid_t parent_pid;          /* getppid() the child expects, 0 when its pid namespace hides the parent */
	sigset_t caller_mask;

	/* join */
	unsigned join_types;       /* types to enter, minus those already shared */
	bool join_pidfd_setns;
	int join_fds[NS_NTYPES];       /* fallback: one nsfs fd per row of ns__types (setns order), or -1 */

	/* parent-side writes */
	bool wait_for_parent;
	bool dumpable_while_waiting; /* a joining child an unprivileged parent writes /proc files of */
	enum time_mode time_mode;
	bool write_setgroups_deny;
	bool helper_maps;
	bool root_uid, root_gid;   /* explicit maps give 0 inside: become it once they are written */
	size_t uid_len, gid_len;
	bool has_offsets;
	dev_t go_dev;              /* the go pipe, which identifies the child's /proc entry */
	ino_t go_ino;
	int go_rd_child;           /* its number in the child */

	/* child steps */
	size_t hostname_len;
	bool make_private;
	bool mount_proc;
	int cap_last;
	uint64_t keep_caps;
	bool prepared_report;      /* steps before the parent's writes can fail: the child reports their end */
	bool wait_for_exec;        /* steps after them can fail (or exec): the parent waits for end of file */

	/* pipes: parent -> child (go), child -> parent (reports); both O_CLOEXEC */
	int go_rd, go_wr, go_keep, rep_rd, rep_wr;

	/* what to run */
	ns_fn fn;
	void *arg;
	const char *path;
	char *const *argv;
	char *const *envp;

	/* parent's view of the result */
	pid_t pid;                 /* the process that runs the program */
	pid_t proc_pid;            /* the same as /proc numbers it */
	unsigned seen;             /* 1 << stage for each ST_READY, ST_PID, ST_PREPARED received */
	pid_t intermediate;        /* the joining process, while unreaped */
	int pidfd;

	/* last: large, and touched only before the clone (fewer copy-on-write faults after it) */
	char uid_text[MAP_TEXT_MAX], gid_text[MAP_TEXT_MAX];
};

/* ---- child side: async-signal-safe only ---- */

/*
 * The child makes system calls directly. Besides being async-signal-safe, this keeps it off libc's
 * lazily bound PLT entries (resolving one in a forked child costs symbol lookups and page faults on
 * every spawn) and never touches errno. Each returns the result or -errno.
 */
#if defined(__x86_64__)
static inline long ksys(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static inline long ksys(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return x0;
}
#else
/* Other architectures: libc's syscall(), already bound by the parent's own calls through it. */
static long ksys(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}
#endif
#define KSYS(n, a, b, c, d, e, f) ksys((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define K0(n) KSYS(n, 0, 0, 0, 0, 0, 0)
#define K1(n, a) KSYS(n, a, 0, 0, 0, 0, 0)
#define K2(n, a, b) KSYS(n, a, b, 0, 0, 0, 0)
#define K3(n, a, b, c) KSYS(n, a, b, c, 0, 0, 0)
#define K5(n, a, b, c, d, e) KSYS(n, a, b, c, d, e, 0)

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

static long child_clone(const struct spawn *s, uint64_t flags, int *pidfd)
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
	pid = child_clone(s, (s->clone_flags & ~CLONE_INTO_CGROUP) | CLONE_PARENT, NULL);
	if (pid < 0)
		child_fail(s, ST_CLONE, pid, 0);
	if (pid > 0) {
		child_report(s, ST_PID, 0, pid);
		child_exit(0);
	}
}

static void child_reset_signals(const struct spawn *s)
{
	struct sigaction sa;

	if (s->clone_flags & CLONE_CLEAR_SIGHAND)
		return;
	/* What CLONE_CLEAR_SIGHAND does, for clone() and clone3 before 5.5: the caller's handlers must never
	 * run in the child. (libc's sigaction here: the kernel's struct differs per architecture; this path
	 * is the old-kernel fallback and may pay for binding it.) */
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &sa) < 0)
			continue;
		if (sa.sa_handler == SIG_IGN || sa.sa_handler == SIG_DFL)
			continue;
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = 0;
		sigaction(sig, &sa, NULL);
	}
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
static _Noreturn void child_main(struct spawn *s)
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

/* ---- parent side ---- */

static int check_opts(struct spawn *s, const struct ns_spawn_opts *uopts)
{
	const char *fn = s->fn_name;
	const unsigned char *bytes = (const unsigned char *)uopts;
	struct ns_spawn_opts *o = &s->o;
	unsigned uts, pid;
	int r;

	memset(o, 0, sizeof(*o));
	if (uopts) {
		if (uopts->size < SPAWN_OPTS_SIZE_VER0)
			return ns__fail(EINVAL, "%s: opts->size %zu is smaller than the first struct ns_spawn_opts "
					"(%zu): set it to sizeof(struct ns_spawn_opts)", fn, uopts->size,
					(size_t)SPAWN_OPTS_SIZE_VER0);
		if (uopts->size > SPAWN_OPTS_SIZE_MAX)
			return ns__fail(E2BIG, "%s: opts->size %zu is larger than any struct ns_spawn_opts",
					fn, uopts->size);
		for (size_t i = sizeof(*o); i < uopts->size; i++)
			if (bytes[i])
				return ns__fail(E2BIG, "%s: opts has non-zero bytes past the %zu this libns knows "
						"(built against a newer libns?)", fn, sizeof(*o));
		memcpy(o, uopts, uopts->size < sizeof(*o) ? uopts->size : sizeof(*o));
	}
	o->size = sizeof(*o);
	if (!(o->flags & NS_SPAWN_INTO_CGROUP))
		o->cgroup_fd = -1;
	r = ns__check_flags(fn, o->flags, SPAWN_FLAGS_ALL);
	if (r < 0)
		return r;
	if (o->new_types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "%s: new_types has bits 0x%x that are no namespace type", fn,
				o->new_types & ~(unsigned)NS_TYPES_ALL);
	if (!o->join_types)
		o->join_pidfd = -1;
	if (o->join_types & ~(unsigned)NS_TYPES_ALL)
		return ns__fail(EINVAL, "%s: join_types has bits 0x%x that are no namespace type", fn,
				o->join_types & ~(unsigned)NS_TYPES_ALL);
	if (o->new_types & o->join_types)
		return ns__fail(EINVAL, "%s: a namespace type cannot be both created and joined (0x%x)", fn,
				o->new_types & o->join_types);
	if (o->join_types && o->join_pidfd < 0)
		return ns__fail(EBADF, "%s: join_types is set but join_pidfd %d is not a file descriptor", fn,
				o->join_pidfd);
	if (((o->new_types | o->join_types) & NS_TYPE_TIME) && !ns_has_feature(NS_FEATURE_TIME_NS))
		return ns__fail(EOPNOTSUPP, "%s: this kernel has no time namespaces (Linux 5.6)", fn);

	/* id maps */
	if ((o->flags & NS_SPAWN_MAP_ROOT) && (o->flags & NS_SPAWN_MAP_CURRENT))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MAP_ROOT and NS_SPAWN_MAP_CURRENT exclude each other", fn);
	if ((o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT)) && (o->uid_map || o->gid_map))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MAP_ROOT/MAP_CURRENT exclude explicit uid_map/gid_map", fn);
	if (!(o->new_types & NS_TYPE_USER) &&
	    ((o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT | NS_SPAWN_SETGROUPS_DENY |
			  NS_SPAWN_IDMAP_HELPER)) || o->uid_map || o->gid_map))
		return ns__fail(EINVAL, "%s: id maps and setgroups need a new user namespace (NS_TYPE_USER in "
				"new_types)", fn);
	if ((o->flags & NS_SPAWN_IDMAP_HELPER) && !o->uid_map && !o->gid_map)
		return ns__fail(EINVAL, "%s: NS_SPAWN_IDMAP_HELPER needs an explicit uid_map or gid_map", fn);

	/* the child's steps */
	uts = (o->new_types | o->join_types) & NS_TYPE_UTS;
	pid = (o->new_types | o->join_types) & NS_TYPE_PID;
	if (o->hostname) {
		s->hostname_len = strlen(o->hostname);
		if (!uts)
			return ns__fail(EINVAL, "%s: a hostname needs a new or joined UTS namespace (NS_TYPE_UTS); "
					"it would rename the caller's host", fn);
		if (s->hostname_len > 64)
			return ns__fail(EINVAL, "%s: hostname \"%.20s...\" is longer than 64 bytes", fn, o->hostname);
	}
	if ((o->flags & NS_SPAWN_MOUNT_PROC) && (!pid || !(o->new_types & NS_TYPE_MNT)))
		return ns__fail(EINVAL, "%s: NS_SPAWN_MOUNT_PROC needs a new mount namespace and a new (or joined) "
				"pid namespace (NS_TYPE_MNT | NS_TYPE_PID)", fn);
	if (o->root && (!*o->root || !(o->new_types & NS_TYPE_MNT)))
		return ns__fail(EINVAL, "%s: %s", fn, *o->root ? "a new root needs a new mount namespace "
				"(NS_TYPE_MNT in new_types)" : "root is an empty string");
	if ((o->monotonic_offset || o->boottime_offset) && !(o->new_types & NS_TYPE_TIME))
		return ns__fail(EINVAL, "%s: time offsets need a new time namespace (NS_TYPE_TIME in new_types)", fn);
	if ((o->monotonic_offset && (o->monotonic_offset->tv_nsec < 0 || o->monotonic_offset->tv_nsec >= 1000000000)) ||
	    (o->boottime_offset && (o->boottime_offset->tv_nsec < 0 || o->boottime_offset->tv_nsec >= 1000000000)))
		return ns__fail(EINVAL, "%s: a time offset's tv_nsec is outside [0, 999999999]", fn);
	if (o->flags & NS_SPAWN_INTO_CGROUP) {
		if (o->cgroup_fd < 0)
			return ns__fail(EBADF, "%s: NS_SPAWN_INTO_CGROUP with cgroup_fd %d", fn, o->cgroup_fd);
		if (!ns_has_feature(NS_FEATURE_CLONE3) || !ns_has_feature(NS_FEATURE_CLONE_INTO_CGROUP))
			return ns__fail(EOPNOTSUPP, "%s: placing the child in a cgroup needs clone3 with "
					"CLONE_INTO_CGROUP (Linux 5.7)", fn);
	}
	s->cap_last = (int)cap_max_bits() - 1;
	if (s->cap_last < 0 || s->cap_last > 63)
		s->cap_last = 63;
	if (!(o->flags & NS_SPAWN_DROP_CAPS) && o->keep_caps)
		return ns__fail(EINVAL, "%s: keep_caps is set without NS_SPAWN_DROP_CAPS", fn);
	if (s->cap_last < 63 && (o->keep_caps >> (s->cap_last + 1)))
		return ns__fail(EINVAL, "%s: keep_caps names capabilities above %d, the last this kernel knows",
				fn, s->cap_last);
	s->keep_caps = o->keep_caps;
	return 0;
}

/* Put spawn's context before the message a lower layer left. */
static int fail_wrapped(const struct spawn *s, int neg_err, const char *what)
{
	if (neg_err == -EACCES && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		return ns__fail_prefixed(EACCES, "%s: %s (this process is not dumpable since it changed credentials "
					 "without exec, so its children's /proc files are root's: call "
					 "prctl(PR_SET_DUMPABLE, 1) or exec first)", s->fn_name, what);
	return ns__fail_prefixed(-neg_err, "%s: %s", s->fn_name, what);
}

static int format_map(struct spawn *s, int kind, const struct ns_idmap *map, char *buf, size_t *len)
{
	const char *name = kind == NS_IDMAP_UID ? "uid_map" : "gid_map";
	int r = ns_idmap_validate(map);

	if (r < 0)
		return fail_wrapped(s, r, kind == NS_IDMAP_UID ? "uid_map is not a valid map" :
				    "gid_map is not a valid map");
	r = ns_idmap_format(map, buf, MAP_TEXT_MAX);
	if (r < 0)
		return fail_wrapped(s, r, kind == NS_IDMAP_UID ? "formatting uid_map" : "formatting gid_map");
	if (r >= MAP_TEXT_MAX)
		return ns__fail(EINVAL, "%s: %s is %d bytes long; the kernel takes less than %d", s->fn_name, name,
				r, MAP_TEXT_MAX);
	*len = (size_t)r;
	return 0;
}

/*
 * Should the child become 0 inside once the map is written? Only when the map gives 0 inside and does
 * not map the caller's own id: otherwise it is already someone in there, the one the caller chose.
 */
static bool become_root_under(const struct ns_idmap *map, uint32_t own)
{
	bool zero = false;

	for (uint32_t i = 0; map && i < map->n && i < NS_IDMAP_MAX; i++) {
		const struct ns_idmap_range *r = &map->range[i];

		if (own >= r->outside && own - r->outside < r->count)
			return false;
		zero |= r->inside == 0;
	}
	return zero;
}

static int prepare_maps(struct spawn *s)
{
	const struct ns_spawn_opts *o = &s->o;
	int r;

	if (o->flags & (NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT)) {
		bool root = o->flags & NS_SPAWN_MAP_ROOT;
		unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();

		s->uid_len = (size_t)snprintf(s->uid_text, sizeof(s->uid_text), "%u %u 1\n", root ? 0 : uid, uid);
		s->gid_len = (size_t)snprintf(s->gid_text, sizeof(s->gid_text), "%u %u 1\n", root ? 0 : gid, gid);
	} else if (!(o->flags & NS_SPAWN_IDMAP_HELPER)) {
		if (o->uid_map && (r = format_map(s, NS_IDMAP_UID, o->uid_map, s->uid_text, &s->uid_len)) < 0)
			return r;
		if (o->gid_map && (r = format_map(s, NS_IDMAP_GID, o->gid_map, s->gid_text, &s->gid_len)) < 0)
			return r;
	} else {
		s->helper_maps = true;
		if (o->uid_map && (r = ns_idmap_validate(o->uid_map)) < 0)
			return fail_wrapped(s, r, "uid_map is not a valid map");
		if (o->gid_map && (r = ns_idmap_validate(o->gid_map)) < 0)
			return fail_wrapped(s, r, "gid_map is not a valid map");
	}
	if (o->new_types & NS_TYPE_USER) {
		s->root_uid = become_root_under(o->uid_map, (uint32_t)geteuid());
		s->root_gid = become_root_under(o->gid_map, (uint32_t)getegid());
	}
	/* The kernel takes an unprivileged gid_map only once setgroups is denied, or the group could be dropped. */
	s->write_setgroups_deny = (o->flags & NS_SPAWN_SETGROUPS_DENY) ||
				  (s->gid_len && !s->helper_maps && !ns__thread_has_cap(CAP_SETGID));
	return 0;
}

/* Open the target's namespaces of join_types and leave out those this thread already shares. */
static int prepare_join(struct spawn *s)
{
	unsigned wanted = s->o.join_types;

	if (!wanted)
		return 0;
	s->join_pidfd_setns = ns_has_feature(NS_FEATURE_PIDFD_SETNS) == 1;
	for (int i = 0; i < NS_NTYPES; i++) {
		int fd, self, eq;

		if (!(wanted & (unsigned)ns__types[i].type))
			continue;
		fd = ns_open_pidfd(s->o.join_pidfd, ns__types[i].type, 0);
		if (fd < 0)
			return fail_wrapped(s, fd, "opening a namespace to join");
		self = ns_open(0, ns__types[i].type, 0);
		eq = self >= 0 ? ns_equal(fd, self) : 0;
		if (self >= 0)
			close(self);
		if (eq == 1 || s->join_pidfd_setns) {
			close(fd);
			fd = -1;
		}
		if (eq != 1)
			s->join_types |= (unsigned)ns__types[i].type;
		s->join_fds[i] = fd;
	}
	return 0;
}

static void close_join_fds(struct spawn *s)
{
	for (int i = 0; i < NS_NTYPES; i++)
		if (s->join_fds[i] >= 0) {
			close(s->join_fds[i]);
			s->join_fds[i] = -1;
		}
}

static int prepare(struct spawn *s, const struct ns_spawn_opts *uopts)
{
	const struct ns_spawn_opts *o = &s->o;
	unsigned clone_types;
	int r;

	s->go_rd = s->go_wr = s->go_keep = s->rep_rd = s->rep_wr = -1;
	s->pidfd = -1;
	for (int i = 0; i < NS_NTYPES; i++)
		s->join_fds[i] = -1;
	r = check_opts(s, uopts);
	if (r < 0)
		return r;
	r = prepare_maps(s);
	if (r < 0)
		return r;
	s->has_offsets = o->monotonic_offset || o->boottime_offset;
	s->use_clone3 = ns_has_feature(NS_FEATURE_CLONE3) == 1;
	clone_types = o->new_types;
	if (o->new_types & NS_TYPE_TIME) {
		if (s->has_offsets)
			s->time_mode = TIME_OFFSETS;
		else if (!s->use_clone3)
			s->time_mode = TIME_UNSHARE;
		if (s->time_mode != TIME_NONE)
			clone_types &= ~(unsigned)NS_TYPE_TIME;
	}
	s->clone_flags = clone_types;
	if (s->use_clone3)
		s->clone_flags |= CLONE_CLEAR_SIGHAND;
	if (o->flags & NS_SPAWN_INTO_CGROUP)
		s->clone_flags |= CLONE_INTO_CGROUP;
	s->make_private = o->new_types & NS_TYPE_MNT;
	s->mount_proc = o->flags & NS_SPAWN_MOUNT_PROC;
	s->wait_for_parent = s->uid_len || s->gid_len || s->helper_maps || s->write_setgroups_deny ||
			     s->has_offsets;
	/* root opens a non-dumpable child's /proc files anyway; anyone else needs them to be its own */
	s->dumpable_while_waiting = o->join_types && s->wait_for_parent && geteuid() != 0;
	/* What the parent must wait for: the steps before its writes, and exec or the steps after them. */
	s->prepared_report = (o->flags & NS_SPAWN_DIE_WITH_PARENT) || o->hostname || s->make_private ||
			     s->time_mode == TIME_UNSHARE;
	s->wait_for_exec = !s->fn || s->time_mode == TIME_OFFSETS || o->root || s->mount_proc ||
			   (o->flags & NS_SPAWN_DROP_CAPS) || s->root_uid || s->root_gid;
	/* getppid() names the parent only while the child shares its pid namespace. */
	s->parent_pid = ((o->new_types | o->join_types) & NS_TYPE_PID) ? 0 : getpid();
	r = prepare_join(s);
	if (r < 0)
		close_join_fds(s);
	return r;
}

static int read_report(struct spawn *s, struct report *rep)
{
	ssize_t n;

	do
		n = read(s->rep_rd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*rep))
		return -EIO;
	return 1;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}

/* Kill and reap whatever was started; the caller never sees a half-made child. */
static void abort_children(struct spawn *s)
{
	struct report rep;

	/* A child waiting for the parent's writes sees end of file and exits. */
	if (s->go_wr >= 0) {
		close(s->go_wr);
		s->go_wr = -1;
	}
	if (s->intermediate > 0) {
		/*
		 * The final child may have failed before the joining process reported its pid: that process
		 * never blocks, so read on until its report (or the end of the pipe, when it cloned nothing),
		 * or the final child, which is our child, would stay a zombie.
		 */
		while (!(s->seen & (1u << ST_PID)) && s->rep_rd >= 0 && read_report(s, &rep) == 1)
			if (rep.stage == ST_PID) {
				s->seen |= 1u << ST_PID;
				s->pid = (pid_t)rep.value;
			}
		reap(s->intermediate);
		s->intermediate = 0;
	}
	if (s->pid > 0) {
		if (s->pidfd >= 0)
			sys_pidfd_send_signal(s->pidfd, SIGKILL, NULL, 0);
		else
			kill(s->pid, SIGKILL);
		reap(s->pid);
		s->pid = 0;
	}
	if (s->pidfd >= 0) {
		close(s->pidfd);
		s->pidfd = -1;
	}
}

static int child_error(struct spawn *s, const struct report *rep)
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

/*
 * Read reports until `stage` (ready, prepared, or the final pid) has been seen; any failure ends the
 * spawn. The joining intermediate and the final child write to the same pipe, so their reports may
 * come in either order: each one seen is remembered.
 */
static int expect_report(struct spawn *s, int stage)
{
	struct report rep;
	int r;

	while (!(s->seen & (1u << stage))) {
		r = read_report(s, &rep);
		if (r < 0)
			return ns__fail(-r, "%s: reading the child's report", s->fn_name);
		if (r == 0)
			return ns__fail(EIO, "%s: the child died while it was being set up (killed?)", s->fn_name);
		if (rep.stage != ST_READY && rep.stage != ST_PID && rep.stage != ST_PREPARED)
			return child_error(s, &rep);
		s->seen |= 1u << rep.stage;
		if (rep.stage == ST_PID)
			s->pid = (pid_t)rep.value;
	}
	return 0;
}

static int map_write_error(struct spawn *s, int r, const char *name)
{
	bool uid = strcmp(name, "uid_map") == 0;

	if (r == -EPERM)
		return ns__fail(EPERM, "%s: write /proc/%d/%s: refused: without CAP_SET%s in the parent user "
				"namespace a caller may map only its own %s, one line with count 1%s "
				"(or use NS_SPAWN_IDMAP_HELPER with ranges in /etc/sub%s)", s->fn_name, (int)s->pid,
				name, uid ? "UID" : "GID", uid ? "euid" : "egid",
				uid ? "" : ", after setgroups is denied", uid ? "uid" : "gid");
	return fail_wrapped(s, r, uid ? "writing the child's uid_map" : "writing the child's gid_map");
}

/*
 * The child's pid as /proc numbers it. A caller in a pid namespace of its own that still sees an
 * outer /proc (no remount) would otherwise write its child's maps into whatever process has that
 * number out there. The pidfd's fdinfo is read through the same /proc and answers in its numbering
 * (0 when the child is not visible there).
 */
static int proc_pid_of(struct spawn *s)
{
	char self[16];
	ssize_t n;
	int pid = -EINVAL, pidfd = s->pidfd;

	if (pidfd < 0 && ns_has_feature(NS_FEATURE_PIDFD) == 1)
		pidfd = sys_pidfd_open(s->pid, 0); /* our unreaped child: its pid cannot be reused */
	if (pidfd >= 0)
		pid = ns__pidfd_pid(pidfd);
	if (pidfd >= 0 && pidfd != s->pidfd)
		close(pidfd);
	if (pid > 0)
		return pid;
	if (pid == -EINVAL) {
		/* No pidfd, or no Pid: line in its fdinfo (before 5.4): trust /proc only if it numbers us as we
		 * number ourselves. */
		n = readlink("/proc/self", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		if (atoi(self) == getpid())
			return s->pid;
		return ns__fail(EREMOTE, "%s: /proc belongs to another pid namespace than this process's: mount "
				"a /proc for it to write the child's maps", s->fn_name);
	}
	if (pid == -EREMOTE || pid == -ESRCH)
		return ns__fail(EREMOTE, "%s: the child is not visible in this /proc, which belongs to another pid "
				"namespace: mount a /proc for this process's pid namespace", s->fn_name);
	return ns__fail(EIO, "%s: reading /proc/self/fdinfo of the child's pidfd (is /proc mounted?)", s->fn_name);
}

/*
 * /proc/PID of the child, proven to be the child's: its fd of the go pipe is our pipe. That costs one
 * stat and also rules out a bind mount over /proc/PID; only when it fails is the pid translated.
 */
static int open_child_proc_dir(struct spawn *s)
{
	char path[32];
	struct stat st;
	int dfd;

	snprintf(path, sizeof(path), "/proc/%d", (int)s->pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		snprintf(path, sizeof(path), "fd/%d", s->go_rd_child);
		if (fstatat(dfd, path, &st, 0) == 0 && st.st_dev == s->go_dev && st.st_ino == s->go_ino) {
			s->proc_pid = s->pid;
			return dfd;
		}
		close(dfd);
	}
	s->proc_pid = proc_pid_of(s);
	if (s->proc_pid < 0)
		return s->proc_pid;
	dfd = ns__open_proc_dir(s->proc_pid);
	if (dfd < 0)
		return fail_wrapped(s, dfd, "opening the child's /proc directory");
	return dfd;
}

/* setgroups before gid_map (the kernel's order), all through one /proc/PID directory fd. */
static int parent_writes(struct spawn *s)
{
	int dfd, r = 0;

	if (!s->wait_for_parent)
		return 0;
	dfd = open_child_proc_dir(s);
	if (dfd < 0)
		return dfd;
	if (s->write_setgroups_deny && (r = ns__write_setgroups_at(dfd, 0)) < 0) {
		r = fail_wrapped(s, r, "denying setgroups in the child's user namespace");
		goto out;
	}
	if (s->helper_maps) {
		if (s->o.uid_map && (r = ns__write_idmap_at(dfd, s->proc_pid, NS_IDMAP_UID, s->o.uid_map,
							    NS_IDMAP_USE_HELPER)) < 0)
			goto helper_fail;
		if (s->o.gid_map && (r = ns__write_idmap_at(dfd, s->proc_pid, NS_IDMAP_GID, s->o.gid_map,
							    NS_IDMAP_USE_HELPER)) < 0)
			goto helper_fail;
	}
	if (s->uid_len && (r = ns__write_proc_at(dfd, "uid_map", s->uid_text, s->uid_len)) < 0) {
		r = map_write_error(s, r, "uid_map");
		goto out;
	}
	if (s->gid_len && (r = ns__write_proc_at(dfd, "gid_map", s->gid_text, s->gid_len)) < 0) {
		r = map_write_error(s, r, "gid_map");
		goto out;
	}
	if (s->time_mode == TIME_OFFSETS &&
	    (r = ns__set_time_offsets_at(dfd, s->o.monotonic_offset, s->o.boottime_offset)) < 0)
		r = fail_wrapped(s, r, "setting the child's clock offsets");
	goto out;
helper_fail:
	r = fail_wrapped(s, r, "writing the child's id maps through newuidmap/newgidmap");
out:
	close(dfd);
	return r;
}

static int clone_error(struct spawn *s, int err)
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

/* clone3 without CLONE_CLEAR_SIGHAND (5.3, 5.4) fails EINVAL; the child then resets handlers itself. */
static int no_clear_sighand;

static long do_clone(struct spawn *s, int *pidfd)
{
	long pid;
	uint64_t flags;

	if (__atomic_load_n(&no_clear_sighand, __ATOMIC_RELAXED))
		s->clone_flags &= ~CLONE_CLEAR_SIGHAND;
	flags = s->clone_flags | (pidfd ? CLONE_PIDFD : 0);
	if (s->join_types) /* the intermediate joins first; the namespaces are made by its clone */
		flags &= CLONE_INTO_CGROUP | CLONE_CLEAR_SIGHAND | CLONE_PIDFD;
	pid = child_clone(s, flags, pidfd);
	if (pid != -EINVAL || !(flags & CLONE_CLEAR_SIGHAND))
		return pid;
	/* The child reads clone_flags to know whether it must reset handlers itself. */
	s->clone_flags &= ~CLONE_CLEAR_SIGHAND;
	pid = child_clone(s, flags & ~CLONE_CLEAR_SIGHAND, pidfd);
	/* Remember only a refusal of the flag itself, not one of the request (a user namespace in a chroot). */
	if (pid != -EINVAL)
		__atomic_store_n(&no_clear_sighand, 1, __ATOMIC_RELAXED);
	return pid;
}

/*
 * Wait only as long as something can still fail: until the end of the report pipe when the child
 * will exec (it is close-on-exec) or has fallible steps left after the parent's writes, until its
 * "prepared" report when only the steps before them could fail, and not at all otherwise.
 */
static int wait_until_set_up(struct spawn *s)
{
	struct report rep;
	int r;

	if (!s->wait_for_exec)
		return s->prepared_report ? expect_report(s, ST_PREPARED) : 0;
	for (;;) {
		r = read_report(s, &rep);
		if (r < 0)
			return ns__fail(-r, "%s: reading the child's report", s->fn_name);
		if (r == 0)
			return 0;
		if (rep.stage != ST_PREPARED)
			return child_error(s, &rep);
	}
}

static int spawn_run(struct spawn *s, int *pidfd_out)
{
	struct stat st;
	sigset_t all;
	long pid;
	int fds[2], r, pidfd = -1;
	bool want_pidfd = pidfd_out != NULL;

	/* Without anything to report (no fallible step, no exec) the pipe is not even made. */
	if (s->wait_for_exec || s->prepared_report || s->join_types || s->time_mode == TIME_OFFSETS) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return ns__fail(errno, "%s: pipe2", s->fn_name);
		s->rep_rd = fds[0];
		s->rep_wr = fds[1];
	}
	if (s->wait_for_parent) {
		if (pipe2(fds, O_CLOEXEC) < 0) {
			r = ns__fail(errno, "%s: pipe2", s->fn_name);
			goto out;
		}
		s->go_rd = fds[0];
		s->go_wr = fds[1];
		s->go_rd_child = fds[0];
		if (fstat(fds[1], &st) < 0) {
			r = ns__fail(errno, "%s: fstat of a pipe", s->fn_name);
			goto out;
		}
		s->go_dev = st.st_dev;
		s->go_ino = st.st_ino;
	}
	/* No caller signal handler may run in the child before it has reset them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &s->caller_mask);
	/* The joining intermediate's pidfd is of no use: the final child's is opened below. */
	pid = do_clone(s, want_pidfd && !s->join_types && (s->use_clone3 || ns_has_feature(NS_FEATURE_PIDFD)) ?
		       &pidfd : NULL);
	if (pid == 0)
		child_main(s);
	pthread_sigmask(SIG_SETMASK, &s->caller_mask, NULL);
	if (pid < 0) {
		r = clone_error(s, (int)-pid);
		goto out;
	}
	/* Recorded at once, so that every failure from here on kills and reaps it. */
	if (s->join_types)
		s->intermediate = (pid_t)pid;
	else
		s->pid = (pid_t)pid;
	s->pidfd = pidfd;
	if (s->rep_wr >= 0) {
		close(s->rep_wr);
		s->rep_wr = -1;
	}
	/*
	 * Keep a reader of the go pipe until "go" is written, so that a child killed meanwhile cannot turn
	 * that write into a SIGPIPE for the caller; but under another number, as fd/N of the child's
	 * /proc entry must be a file only the child has (see open_child_proc_dir).
	 */
	if (s->go_rd >= 0) {
		s->go_keep = fcntl(s->go_rd, F_DUPFD_CLOEXEC, 0);
		if (s->go_keep < 0) {
			r = ns__fail(errno, "%s: duplicating a pipe fd (too many open files?)", s->fn_name);
			goto fail;
		}
		close(s->go_rd);
		s->go_rd = -1;
	}
	/* clone() before 5.2 ignores CLONE_PIDFD, and so do emulators such as valgrind: open one then,
	 * safely, as the child cannot be reaped by anyone else yet. */
	if (want_pidfd && s->pidfd < 0 && !s->join_types && ns_has_feature(NS_FEATURE_PIDFD) == 1)
		s->pidfd = sys_pidfd_open(s->pid, 0);
	if (s->join_types) {
		r = expect_report(s, ST_PID);
		if (r < 0)
			goto fail;
		reap(s->intermediate);
		s->intermediate = 0;
		/* CLONE_PARENT made it our child: no one else can reap it, so its pid cannot be reused. */
		if (want_pidfd && ns_has_feature(NS_FEATURE_PIDFD)) {
			s->pidfd = sys_pidfd_open(s->pid, 0);
			if (s->pidfd < 0) {
				r = ns__fail(-s->pidfd, "%s: pidfd_open(%d)", s->fn_name, (int)s->pid);
				s->pidfd = -1;
				goto fail;
			}
		}
	}
	if (s->time_mode == TIME_OFFSETS && (r = expect_report(s, ST_READY)) < 0)
		goto fail;
	r = parent_writes(s);
	if (r < 0)
		goto fail;
	if (s->go_wr >= 0) {
		if (write(s->go_wr, "g", 1) != 1) {
			r = ns__fail(errno, "%s: releasing the child", s->fn_name);
			goto fail;
		}
		close(s->go_wr);
		s->go_wr = -1;
	}
	if (s->go_keep >= 0) {
		close(s->go_keep);
		s->go_keep = -1;
	}
	r = wait_until_set_up(s);
	if (r < 0)
		goto fail;
	if (pidfd_out) {
		*pidfd_out = s->pidfd;
		s->pidfd = -1;
	}
	r = (int)s->pid;
	goto out;
fail:
	abort_children(s);
out:
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->go_rd >= 0)
		close(s->go_rd);
	if (s->go_keep >= 0)
		close(s->go_keep);
	if (s->go_wr >= 0)
		close(s->go_wr);
	if (s->rep_wr >= 0)
		close(s->rep_wr);
	if (s->rep_rd >= 0)
		close(s->rep_rd);
	close_join_fds(s);
	if (r < 0)
		errno = -r;
	return r;
}

NS_PUBLIC int ns_spawn(const struct ns_spawn_opts *opts, ns_fn fn, void *arg, int *pidfd_out)
{
	struct spawn s = { .fn_name = "ns_spawn", .fn = fn, .arg = arg };
	int r;

	if (pidfd_out)
		*pidfd_out = -1;
	if (!fn)
		return ns__fail(EINVAL, "ns_spawn: fn is NULL");
	r = prepare(&s, opts);
	if (r < 0)
		return r;
	return spawn_run(&s, pidfd_out);
}

NS_PUBLIC int ns_spawn_exec(const struct ns_spawn_opts *opts, const char *path, char *const argv[],
			    char *const envp[], int *pidfd_out)
{
	struct spawn s = { .fn_name = "ns_spawn_exec", .path = path, .argv = argv, .envp = envp ? envp : environ };
	int r;

	if (pidfd_out)
		*pidfd_out = -1;
	if (!path || !*path)
		return ns__fail(EINVAL, "ns_spawn_exec: path is %s", path ? "empty" : "NULL");
	if (!argv)
		return ns__fail(EINVAL, "ns_spawn_exec: argv is NULL (pass at least { name, NULL })");
	r = prepare(&s, opts);
	if (r < 0)
		return r;
	return spawn_run(&s, pidfd_out);
}

/* waitid() reports what waitpid() packs into one int; rebuild it so the W* macros work. */
static int encode_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	}
	return 0;
}

NS_PUBLIC int ns_wait(int pidfd, int *status)
{
	siginfo_t si;
	int r, pid;

	if (pidfd < 0)
		return ns__fail(EBADF, "ns_wait: %d is not a file descriptor", pidfd);
	memset(&si, 0, sizeof(si));
	do
		r = waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED | __WALL);
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EINVAL) {
		/* P_PIDFD is Linux 5.4; a 5.3 pidfd still names a pid that cannot be reused while unreaped. */
		pid = ns__pidfd_pid(pidfd);
		if (pid == -EBADF || pid == -EINVAL)
			return ns__fail(pid == -EBADF ? EBADF : EINVAL, "ns_wait: fd %d is not a pidfd", pidfd);
		if (pid < 0)
			return ns__fail(ECHILD, "ns_wait: the process of pidfd %d was already reaped", pidfd);
		do
			r = waitid(P_PID, (id_t)pid, &si, WEXITED | __WALL);
		while (r < 0 && errno == EINTR);
	}
	if (r < 0) {
		if (errno == ECHILD)
			return ns__fail(ECHILD, "ns_wait: the process of pidfd %d is not our child, or was already "
					"reaped", pidfd);
		if (errno == EBADF)
			return ns__fail(EBADF, "ns_wait: %d is %s", pidfd, fcntl(pidfd, F_GETFD) < 0 ?
					"not an open file descriptor" : "not a pidfd");
		if (errno == EINVAL)
			return ns__fail(EINVAL, "ns_wait: fd %d is not a pidfd", pidfd);
		return ns__fail(errno, "ns_wait: waitid on pidfd %d", pidfd);
	}
	if (status)
		*status = encode_status(&si);
	return si.si_pid;
}
