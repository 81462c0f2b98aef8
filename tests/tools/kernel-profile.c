/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kernel-profile VERSION -- CMD [ARG...]
 *
 * Runs CMD (and everything it starts) as if on Linux VERSION: every namespace interface newer than
 * VERSION fails with the errno that kernel returns, through a seccomp filter installed before CMD
 * is exec'd. The filter decides by system call number and arguments alone where it can (new
 * syscalls -> ENOSYS, new ioctl numbers -> ENOTTY, new unshare/waitid/pidfd_open flags -> EINVAL).
 * Where the old kernel's answer depends on what an fd is or on memory an argument points to
 * (setns on a pidfd, clone3's struct, name_to_handle_at on an nsfs file), the filter hands the
 * call to this process (SECCOMP_RET_USER_NOTIF), which looks at the caller's fd table and memory
 * through /proc and answers the old errno, or lets the kernel run the call unchanged.
 *
 * CMD sees LIBNS_KERNEL_PROFILE=VERSION in its environment (tests compare ns_features() with it).
 * The exit status is CMD's (128+N if it was killed by signal N).
 *
 * Limits (what a filter cannot change): return values and data, e.g. statx() still fills
 * STATX_MNT_ID, /proc/PID/fdinfo of a pidfd still has its Pid: line (5.4), /proc/self/ns/time
 * still exists under a 5.4 profile (open it and setns(fd, 0) fails EINVAL, as no such fd could
 * exist there), clone() (not clone3) cannot carry CLONE_NEWTIME on any kernel anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define V(major, minor) ((major) * 1000 + (minor))

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#define FD_NSFS_ROOT (-10003)
#define P_PIDFD_IDTYPE 3
#define PIDFD_THREAD_FLAG O_EXCL       /* Linux 6.9 */
#define PIDFD_NONBLOCK_FLAG O_NONBLOCK /* Linux 5.10 */
#define BPF_ITER_CREATE_CMD 33         /* Linux 5.8 */

/* x86_64 system calls added since 5.0, with the release that added each. */
static const struct {
	int nr;
	int since;
	const char *name;
} new_syscalls[] = {
	{ 424, V(5, 1), "pidfd_send_signal" },  { 425, V(5, 1), "io_uring_setup" },
	{ 426, V(5, 1), "io_uring_enter" },     { 427, V(5, 1), "io_uring_register" },
	{ 428, V(5, 2), "open_tree" },          { 429, V(5, 2), "move_mount" },
	{ 430, V(5, 2), "fsopen" },             { 431, V(5, 2), "fsconfig" },
	{ 432, V(5, 2), "fsmount" },            { 433, V(5, 2), "fspick" },
	{ 434, V(5, 3), "pidfd_open" },         { 435, V(5, 3), "clone3" },
	{ 436, V(5, 9), "close_range" },        { 437, V(5, 6), "openat2" },
	{ 438, V(5, 6), "pidfd_getfd" },        { 439, V(5, 8), "faccessat2" },
	{ 440, V(5, 10), "process_madvise" },   { 441, V(5, 11), "epoll_pwait2" },
	{ 442, V(5, 12), "mount_setattr" },     { 443, V(5, 14), "quotactl_fd" },
	{ 444, V(5, 13), "landlock_create_ruleset" }, { 445, V(5, 13), "landlock_add_rule" },
	{ 446, V(5, 13), "landlock_restrict_self" },  { 447, V(5, 14), "memfd_secret" },
	{ 448, V(5, 15), "process_mrelease" },  { 449, V(5, 16), "futex_waitv" },
	{ 450, V(5, 17), "set_mempolicy_home_node" }, { 451, V(6, 5), "cachestat" },
	{ 452, V(6, 6), "fchmodat2" },          { 453, V(6, 6), "map_shadow_stack" },
	{ 454, V(6, 7), "futex_wake" },         { 455, V(6, 7), "futex_wait" },
	{ 456, V(6, 7), "futex_requeue" },      { 457, V(6, 8), "statmount" },
	{ 458, V(6, 8), "listmount" },          { 459, V(6, 8), "lsm_get_self_attr" },
	{ 460, V(6, 8), "lsm_set_self_attr" },  { 461, V(6, 8), "lsm_list_modules" },
	{ 462, V(6, 10), "mseal" },             { 463, V(6, 13), "setxattrat" },
	{ 464, V(6, 13), "getxattrat" },        { 465, V(6, 13), "listxattrat" },
	{ 466, V(6, 13), "removexattrat" },     { 467, V(6, 15), "open_tree_attr" },
	{ 468, V(6, 17), "file_getattr" },      { 469, V(6, 17), "file_setattr" },
	{ 470, V(6, 19), "listns" },
};

/*
 * ioctls by (type << 8 | nr), the low 16 bits of the request: the size bits of _IOR/_IOWR requests
 * changed as structs grew, the kernel dispatches on type and nr. Unknown ones fail ENOTTY (nsfs's
 * ns_ioctl default; a pidfd before 6.11 had no ioctl method at all).
 */
static const struct {
	uint32_t type_nr;
	int since;
	const char *name;
} new_ioctls[] = {
	{ 0xb705, V(6, 8), "NS_GET_MNTNS_ID" },
	{ 0xb706, V(6, 11), "NS_GET_PID_FROM_PIDNS" },
	{ 0xb707, V(6, 11), "NS_GET_TGID_FROM_PIDNS" },
	{ 0xb708, V(6, 11), "NS_GET_PID_IN_PIDNS" },
	{ 0xb709, V(6, 11), "NS_GET_TGID_IN_PIDNS" },
	{ 0xb70a, V(6, 12), "NS_MNT_GET_INFO" },
	{ 0xb70b, V(6, 12), "NS_MNT_GET_NEXT" },
	{ 0xb70c, V(6, 12), "NS_MNT_GET_PREV" },
	{ 0xb70d, V(6, 18), "NS_GET_ID" },
	{ 0xff01, V(6, 11), "PIDFD_GET_CGROUP_NAMESPACE" },
	{ 0xff02, V(6, 11), "PIDFD_GET_IPC_NAMESPACE" },
	{ 0xff03, V(6, 11), "PIDFD_GET_MNT_NAMESPACE" },
	{ 0xff04, V(6, 11), "PIDFD_GET_NET_NAMESPACE" },
	{ 0xff05, V(6, 11), "PIDFD_GET_PID_NAMESPACE" },
	{ 0xff06, V(6, 11), "PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE" },
	{ 0xff07, V(6, 11), "PIDFD_GET_TIME_NAMESPACE" },
	{ 0xff08, V(6, 11), "PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE" },
	{ 0xff09, V(6, 11), "PIDFD_GET_USER_NAMESPACE" },
	{ 0xff0a, V(6, 11), "PIDFD_GET_UTS_NAMESPACE" },
	{ 0xff0b, V(6, 13), "PIDFD_GET_INFO" },
};

static int profile;            /* V(major, minor) */
static const char *profile_text;
static bool verbose;

/* ---- the filter ---- */

struct prog {
	struct sock_filter insn[1024];
	unsigned short len;
};

static void emit(struct prog *p, struct sock_filter f)
{
	if (p->len >= sizeof(p->insn) / sizeof(p->insn[0])) {
		fprintf(stderr, "kernel-profile: filter too long\n");
		exit(125);
	}
	p->insn[p->len++] = f;
}

#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define ERRNO(e) RET(SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
/* the low 32 bits of argument i (x86_64 is little-endian) */
#define LD_ARG(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args) + 8 * (i))

/* if (A == k) return ret; */
static void if_eq_ret(struct prog *p, uint32_t k, uint32_t ret)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, 1));
	emit(p, (struct sock_filter)RET(ret));
}

/* if (A & k) return ret; */
static void if_set_ret(struct prog *p, uint32_t k, uint32_t ret)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, k, 0, 1));
	emit(p, (struct sock_filter)RET(ret));
}

/* if (nr == sysnr) { body } -- body must end in a return; A is reloaded with nr after it */
static void syscall_section(struct prog *p, int sysnr, const struct prog *body)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sysnr, 0, body->len));
	for (unsigned i = 0; i < body->len; i++)
		emit(p, body->insn[i]);
}

static void build_filter(struct prog *p, bool *needs_listener)
{
	struct prog s;

	*needs_listener = false;
	p->len = 0;
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	emit(p, (struct sock_filter)LD_NR);
	/* x32 system calls are not part of any profile */
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	for (size_t i = 0; i < sizeof(new_syscalls) / sizeof(new_syscalls[0]); i++)
		if (new_syscalls[i].since > profile)
			if_eq_ret(p, (uint32_t)new_syscalls[i].nr, SECCOMP_RET_ERRNO | ENOSYS);

	/* ioctl: requests newer than the profile */
	s.len = 0;
	for (size_t i = 0; i < sizeof(new_ioctls) / sizeof(new_ioctls[0]); i++) {
		if (new_ioctls[i].since <= profile)
			continue;
		emit(&s, (struct sock_filter)LD_ARG(1));
		emit(&s, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffff));
		if_eq_ret(&s, new_ioctls[i].type_nr, SECCOMP_RET_ERRNO | ENOTTY);
	}
	if (s.len) {
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, SYS_ioctl, &s);
	}

	/* setns: before 5.8 only nsfs fds; whether fd is a pidfd only the fd table tells */
	if (profile < V(5, 8)) {
		s.len = 0;
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_USER_NOTIF));
		syscall_section(p, SYS_setns, &s);
		*needs_listener = true;
	}
	/* unshare: CLONE_NEWTIME is 5.6; older kernels reject the unknown bit */
	if (profile < V(5, 6)) {
		s.len = 0;
		emit(&s, (struct sock_filter)LD_ARG(0));
		if_set_ret(&s, CLONE_NEWTIME, SECCOMP_RET_ERRNO | EINVAL);
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, SYS_unshare, &s);
	}
	/* clone3 exists (5.3) but its struct grew: set_tid 5.5, cgroup 5.7; flags CLEAR_SIGHAND 5.5, NEWTIME 5.6,
	 * INTO_CGROUP 5.7. The flags live in user memory. */
	if (profile >= V(5, 3) && profile < V(5, 7)) {
		s.len = 0;
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_USER_NOTIF));
		syscall_section(p, 435, &s);
		*needs_listener = true;
	}
	/* waitid(P_PIDFD) is 5.4 */
	if (profile < V(5, 4)) {
		s.len = 0;
		emit(&s, (struct sock_filter)LD_ARG(0));
		if_eq_ret(&s, P_PIDFD_IDTYPE, SECCOMP_RET_ERRNO | EINVAL);
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, SYS_waitid, &s);
	}
	/* pidfd_open flags: PIDFD_NONBLOCK 5.10, PIDFD_THREAD 6.9 */
	if (profile >= V(5, 3) && profile < V(6, 9)) {
		uint32_t known = profile >= V(5, 10) ? PIDFD_NONBLOCK_FLAG : 0;

		s.len = 0;
		emit(&s, (struct sock_filter)LD_ARG(1));
		if_set_ret(&s, ~known, SECCOMP_RET_ERRNO | EINVAL);
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, 434, &s);
	}
	/* bpf(BPF_ITER_CREATE) is 5.8: an unknown command is EINVAL (libns's ns_list_new BPF path needs it) */
	if (profile < V(5, 8)) {
		s.len = 0;
		emit(&s, (struct sock_filter)LD_ARG(0));
		if_eq_ret(&s, BPF_ITER_CREATE_CMD, SECCOMP_RET_ERRNO | EINVAL);
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, SYS_bpf, &s);
	}
	/* nsfs file handles are 6.18: the answer depends on what the fd or path is */
	if (profile < V(6, 18)) {
		s.len = 0;
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_USER_NOTIF));
		syscall_section(p, SYS_name_to_handle_at, &s);
		s.len = 0;
		emit(&s, (struct sock_filter)LD_ARG(0));
		if_eq_ret(&s, (uint32_t)FD_NSFS_ROOT, SECCOMP_RET_USER_NOTIF);
		emit(&s, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
		syscall_section(p, SYS_open_by_handle_at, &s);
		*needs_listener = true;
	}
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
}

/* ---- the supervisor: answers what the filter cannot decide ---- */

struct answer {
	int err;        /* errno to fail with, 0 to let the kernel run the call */
};

/* readlink /proc/PID/fd/FD: "uts:[4026531838]", "anon_inode:[pidfd]", "pidfd:[..]", "/path" */
static bool fd_link(pid_t pid, int fd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	if (fd < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, buf, size - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

static bool link_is_pidfd(const char *link)
{
	return strcmp(link, "anon_inode:[pidfd]") == 0 || strncmp(link, "pidfd:", 6) == 0;
}

/* "uts:[...]" -> true and the name in ns ("uts"); a path or an anon inode -> false */
static bool link_is_nsfs(const char *link, char *ns, size_t size)
{
	static const char *const names[] = { "mnt", "cgroup", "uts", "ipc", "user", "pid", "net", "time" };
	const char *colon = strchr(link, ':');
	size_t n;

	if (!colon || link[0] == '/' || colon[1] != '[')
		return false;
	n = (size_t)(colon - link);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncmp(link, names[i], n) == 0) {
			snprintf(ns, size, "%s", names[i]);
			return true;
		}
	return false;
}

static bool read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* A NUL-terminated string from the caller's memory, read a page at a time (it may end near a hole). */
static bool read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	while (got + 1 < size) {
		size_t chunk = 4096 - ((addr + got) & 4095);

		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		if (!read_mem(pid, addr + got, buf + got, chunk))
			return false;
		if (memchr(buf + got, '\0', chunk))
			return true;
		got += chunk;
	}
	buf[size - 1] = '\0';
	return true;
}

static void answer_setns(const struct seccomp_data *d, pid_t pid, struct answer *a)
{
	char link[256], ns[16];
	int fd = (int)d->args[0], flags = (int)d->args[1];

	if (!fd_link(pid, fd, link, sizeof(link)))
		return; /* no such fd: the kernel's EBADF is the old one too */
	if (link_is_pidfd(link)) {
		a->err = EINVAL; /* setns() took only nsfs fds before 5.8 */
		return;
	}
	if (profile < V(5, 6) && ((flags & CLONE_NEWTIME) ||
				  (link_is_nsfs(link, ns, sizeof(ns)) && strcmp(ns, "time") == 0)))
		a->err = EINVAL; /* no time namespaces before 5.6: no such type, and no such fd */
}

static void answer_clone3(const struct seccomp_data *d, pid_t pid, struct answer *a)
{
	/* the struct's size in each release: VER0 64 (5.3), VER1 80 (5.5, set_tid), VER2 88 (5.7, cgroup) */
	size_t known = profile < V(5, 5) ? 64 : profile < V(5, 7) ? 80 : 88;
	size_t size = (size_t)d->args[1];
	unsigned char buf[4096];
	uint64_t flags;

	if (size < 64 || size > sizeof(buf) || !read_mem(pid, d->args[0], buf, size))
		return; /* the kernel's EINVAL/E2BIG/EFAULT are the old ones too */
	/* copy_struct_from_user: bytes past what the kernel knows must be zero */
	for (size_t i = known; i < size; i++)
		if (buf[i]) {
			a->err = E2BIG;
			return;
		}
	memcpy(&flags, buf, sizeof(flags));
	if ((profile < V(5, 5) && (flags & CLONE_CLEAR_SIGHAND)) ||
	    (profile < V(5, 6) && (flags & CLONE_NEWTIME)) ||
	    (profile < V(5, 7) && (flags & CLONE_INTO_CGROUP)))
		a->err = EINVAL; /* clone3_args_valid(): unknown flag (CLONE_NEWTIME was a CSIGNAL bit) */
}

/* Does the path name_to_handle_at() was given resolve to an nsfs file? Seen from our side of /proc. */
static bool handle_target_is_nsfs(const struct seccomp_data *d, pid_t pid)
{
	int dfd = (int)d->args[0], flags = (int)d->args[4];
	char path[4096], full[4200 + 64], link[256], ns[16];
	struct statfs sfs;
	const char *rest;

	if (!read_string(pid, d->args[1], path, sizeof(path)))
		return false;
	if (path[0] == '\0') {
		if (!(flags & AT_EMPTY_PATH))
			return false;
		if (dfd == AT_FDCWD)
			snprintf(full, sizeof(full), "/proc/%d/cwd", (int)pid);
		else
			return fd_link(pid, dfd, link, sizeof(link)) && link_is_nsfs(link, ns, sizeof(ns));
	} else if (path[0] == '/') {
		/* "self" would be us: name the caller instead */
		if (strncmp(path, "/proc/self/", 11) == 0)
			snprintf(full, sizeof(full), "/proc/%d/%s", (int)pid, path + 11);
		else if (strncmp(path, "/proc/thread-self/", 18) == 0)
			snprintf(full, sizeof(full), "/proc/%d/%s", (int)pid, path + 18);
		else
			snprintf(full, sizeof(full), "/proc/%d/root%s", (int)pid, path);
	} else if (dfd == AT_FDCWD) {
		snprintf(full, sizeof(full), "/proc/%d/cwd/%s", (int)pid, path);
	} else {
		snprintf(full, sizeof(full), "/proc/%d/fd/%d/%s", (int)pid, dfd, path);
	}
	/* without AT_SYMLINK_FOLLOW a /proc/PID/ns/X link is itself the object: procfs, no handles either */
	rest = strstr(full, "/ns/");
	if (!(flags & AT_SYMLINK_FOLLOW) && rest && strncmp(full, "/proc/", 6) == 0)
		return false;
	return statfs(full, &sfs) == 0 && sfs.f_type == NSFS_MAGIC;
}

static void answer_name_to_handle(const struct seccomp_data *d, pid_t pid, struct answer *a)
{
	/* nsfs had no export operations before 6.18 */
	if (handle_target_is_nsfs(d, pid))
		a->err = EOPNOTSUPP;
}

/* open_by_handle_at(FD_NSFS_ROOT, ...) before 6.18: capable(CAP_DAC_READ_SEARCH) first, then a bad fd. */
static void answer_open_by_handle(pid_t pid, struct answer *a)
{
	char path[64], line[256], mine[64], theirs[64];
	unsigned long long eff = 0;
	bool init_ns;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "CapEff: %llx", &eff) == 1)
				break;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	n = readlink(path, theirs, sizeof(theirs) - 1);
	theirs[n > 0 ? n : 0] = '\0';
	n = readlink("/proc/self/ns/user", mine, sizeof(mine) - 1);
	mine[n > 0 ? n : 0] = '\0';
	init_ns = strcmp(mine, theirs) == 0;
	a->err = init_ns && (eff & (1ULL << CAP_DAC_READ_SEARCH)) ? EBADF : EPERM;
}

static void answer(const struct seccomp_notif *req, struct answer *a)
{
	a->err = 0;
	switch (req->data.nr) {
	case SYS_setns: answer_setns(&req->data, (pid_t)req->pid, a); break;
	case 435: answer_clone3(&req->data, (pid_t)req->pid, a); break;
	case SYS_name_to_handle_at: answer_name_to_handle(&req->data, (pid_t)req->pid, a); break;
	case SYS_open_by_handle_at: answer_open_by_handle((pid_t)req->pid, a); break;
	}
	if (verbose)
		fprintf(stderr, "kernel-profile: pid %d syscall %d -> %s\n", (int)req->pid, req->data.nr,
			a->err ? strerror(a->err) : "run");
}

static pid_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int supervise(int listener)
{
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int pidfd = (int)syscall(SYS_pidfd_open, child_pid, 0), st;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		perror("kernel-profile: SECCOMP_GET_NOTIF_SIZES");
		return 125;
	}
	req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	resp = calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp : sizeof(*resp));
	if (!req || !resp || pidfd < 0) {
		perror("kernel-profile: supervisor setup");
		return 125;
	}
	for (;;) {
		struct pollfd pfd[2] = { { .fd = listener, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
		struct answer a;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("kernel-profile: poll");
			break;
		}
		if (pfd[0].revents & POLLIN) {
			memset(req, 0, sizes.seccomp_notif);
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
				continue; /* the caller was interrupted (ENOENT) or we were (EINTR) */
			answer(req, &a);
			/* the pid in req may have been reused while we looked: answer only a live request */
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
				continue;
			memset(resp, 0, sizes.seccomp_notif_resp);
			resp->id = req->id;
			if (a.err)
				resp->error = -a.err;
			else
				resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
			continue;
		}
		if (pfd[1].revents & POLLIN)
			break;
	}
	free(req);
	free(resp);
	close(pidfd);
	while (waitpid(child_pid, &st, 0) < 0)
		if (errno != EINTR)
			return 125;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static int parse_version(const char *s)
{
	int major, minor, n = 0;

	if (sscanf(s, "%d.%d%n", &major, &minor, &n) != 2 || s[n] != '\0' || major < 4 || minor < 0 || minor > 999)
		return -1;
	return V(major, minor);
}

static bool have_cap_sys_admin(void)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (caps) {
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	return v == CAP_SET;
}

static int send_fd(int sock, int fd)
{
	char data = 'L';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			      .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	memset(&c, 0, sizeof(c));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			      .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *cm;
	int fd = -1;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "usage: kernel-profile [-v] VERSION -- CMD [ARG...]\n"
			"  Run CMD with the namespace interfaces of Linux VERSION (e.g. 5.4, 5.10, 6.1, 6.11):\n"
			"  newer ones fail as that kernel fails them (seccomp filter; see tests/tools/kernel-profile.c).\n"
			"kernel-profile --list VERSION: print what VERSION lacks.\n");
	exit(125);
}

static void list_profile(void)
{
	printf("Linux %s profile:\n", profile_text);
	for (size_t i = 0; i < sizeof(new_syscalls) / sizeof(new_syscalls[0]); i++)
		if (new_syscalls[i].since > profile)
			printf("  %-26s ENOSYS (Linux %d.%d)\n", new_syscalls[i].name, new_syscalls[i].since / 1000,
			       new_syscalls[i].since % 1000);
	for (size_t i = 0; i < sizeof(new_ioctls) / sizeof(new_ioctls[0]); i++)
		if (new_ioctls[i].since > profile)
			printf("  ioctl %-20s ENOTTY (Linux %d.%d)\n", new_ioctls[i].name, new_ioctls[i].since / 1000,
			       new_ioctls[i].since % 1000);
	if (profile < V(5, 8))
		printf("  setns on a pidfd          EINVAL (Linux 5.8)\n");
	if (profile < V(5, 6))
		printf("  CLONE_NEWTIME             EINVAL in unshare, clone3, setns (Linux 5.6)\n");
	if (profile >= V(5, 3) && profile < V(5, 7))
		printf("  clone3 args past %d bytes E2BIG; new flags EINVAL (5.5 set_tid, CLEAR_SIGHAND; "
		       "5.7 CLONE_INTO_CGROUP)\n", profile < V(5, 5) ? 64 : 80);
	if (profile < V(5, 4))
		printf("  waitid(P_PIDFD)           EINVAL (Linux 5.4)\n");
	if (profile < V(5, 8))
		printf("  bpf(BPF_ITER_CREATE)      EINVAL (Linux 5.8)\n");
	if (profile >= V(5, 3) && profile < V(6, 9))
		printf("  pidfd_open flags          EINVAL (PIDFD_NONBLOCK 5.10, PIDFD_THREAD 6.9)\n");
	if (profile < V(6, 18))
		printf("  nsfs file handles         name_to_handle_at EOPNOTSUPP, open_by_handle_at(FD_NSFS_ROOT) "
		       "EPERM/EBADF (Linux 6.18)\n");
}

int main(int argc, char **argv)
{
	struct prog prog;
	struct sock_fprog fprog;
	bool listener_needed;
	int i = 1, sv[2], listener = -1;

	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = true;
		i++;
	}
	if (i + 1 < argc && strcmp(argv[i], "--list") == 0) {
		profile_text = argv[i + 1];
		profile = parse_version(profile_text);
		if (profile < 0)
			usage();
		list_profile();
		return 0;
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0)
		usage();
	profile_text = argv[i];
	profile = parse_version(profile_text);
	if (profile < 0)
		usage();
	build_filter(&prog, &listener_needed);
	fprog.len = prog.len;
	fprog.filter = prog.insn;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("kernel-profile: socketpair");
		return 125;
	}
	child_pid = fork();
	if (child_pid < 0) {
		perror("kernel-profile: fork");
		return 125;
	}
	if (child_pid == 0) {
		close(sv[0]);
		/* Without the supervisor the notified calls would fail ENOSYS: better not to run on. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/*
		 * no_new_privs is what lets an unprivileged process install a filter. Root does not need it,
		 * and setting it would also stop newuidmap/newgidmap (setuid or file capabilities) from working
		 * for the unprivileged children the tests make, which no old kernel does.
		 */
		if (!have_cap_sys_admin() && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			perror("kernel-profile: PR_SET_NO_NEW_PRIVS");
			_exit(125);
		}
		listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
					listener_needed ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &fprog);
		if (listener < 0) {
			perror("kernel-profile: seccomp(SECCOMP_SET_MODE_FILTER)");
			_exit(125);
		}
		if (listener_needed) {
			if (send_fd(sv[1], listener) < 0) {
				perror("kernel-profile: passing the listener");
				_exit(125);
			}
			close(listener);
		}
		close(sv[1]);
		setenv("LIBNS_KERNEL_PROFILE", profile_text, 1);
		execvp(argv[i + 2], argv + i + 2);
		fprintf(stderr, "kernel-profile: exec %s: %s\n", argv[i + 2], strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	signal(SIGTERM, forward_signal);
	signal(SIGINT, forward_signal);
	signal(SIGHUP, forward_signal);
	if (listener_needed) {
		listener = recv_fd(sv[0]);
		if (listener < 0) {
			int st;

			waitpid(child_pid, &st, 0);
			return 125;
		}
	}
	close(sv[0]);
	if (listener >= 0)
		return supervise(listener);
	for (;;) {
		int st;

		if (waitpid(child_pid, &st, 0) >= 0)
			return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		if (errno != EINTR)
			return 125;
	}
}
