/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Known attack classes against namespace tooling, each as a scenario that must fail safely:
 * recycled pids, /proc files replaced by bind mounts, working directories and fds that lead out
 * of an entered mount namespace (runc CVE-2024-21626), library fds leaking into exec'd programs,
 * a ptrace-able pre-exec child, and unprivileged callers getting anything but the documented error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"
#include "compat.h"

/*
 * ---- a seam between the library's pid lookup and its /proc open ----
 * libns opens /proc/PID/ns/NAME with open(); this executable's definition is the one the dynamic
 * linker binds libns's reference to, so a test can run code exactly between the lookup (pidfd to
 * pid) and the open, which is where a recycled pid would strike.
 */
static char hook_path[64];
static void (*hook_fn)(void);
static int hook_fired;

static int seam(const char *path, int flags, mode_t mode)
{
	if (hook_fn && strcmp(path, hook_path) == 0) {
		void (*fn)(void) = hook_fn;

		hook_fn = NULL;
		fn();
		hook_fired++;
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

/* open64 is what a large-file build of libns calls, open what any other would */
#define SEAM(name, sym) \
	int name(const char *path, int flags, ...) __asm__(sym); \
	int name(const char *path, int flags, ...) \
	{ \
		mode_t mode = 0; \
		if (flags & (O_CREAT | __O_TMPFILE)) { \
			va_list ap; \
			va_start(ap, flags); \
			mode = (mode_t)va_arg(ap, int); \
			va_end(ap); \
		} \
		return seam(path, flags, mode); \
	}
SEAM(seam_open64, "open64")
SEAM(seam_open, "open")

/* The same seam for umount2(): code that runs between a pin's checks and its unmount. */
static void (*umount_hook)(void);

int umount2(const char *target, int flags)
{
	if (umount_hook) {
		void (*fn)(void) = umount_hook;

		umount_hook = NULL;
		fn();
	}
	return (int)syscall(SYS_umount2, target, flags);
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long long)st.st_ino;
}

/* ---- pid reuse ---- */

#define REUSED_PID 100 /* in the test's own pid namespace: nothing else runs there */

/*
 * A "maker" process makes A and B: it enters the fresh pid namespace for its children, where clone3's
 * set_tid chooses pids. (Not the test process itself: a sanitizer's helper threads, cloned at exit,
 * would land in that namespace too.) A and B are its children, so it reaps A, which frees the pid.
 */
struct reuse {
	pid_t holder;                  /* keeps the inner pid namespace's init alive */
	pid_t maker;
	int cmd_wr, ack_rd;
	pid_t a;                       /* process A, as the test numbers it (REUSED_PID inside) */
	int a_pidfd;
	unsigned long long a_uts;
	int a_uts_fd;                  /* keeps A's namespace, so B's cannot get its inode number */
	pid_t b;                       /* process B, same numbers, other namespaces */
	unsigned long long b_uts, b_net;
};

static struct reuse R;

static long clone3_with_tids(uint64_t flags, const pid_t *tids, size_t ntids, int *pidfd)
{
	struct ns_compat_clone_args a = {
		.flags = flags | (pidfd ? CLONE_PIDFD : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
		.set_tid = (uint64_t)(uintptr_t)tids,
		.set_tid_size = ntids,
	};
	long r = syscall(__NR_clone3, &a, offsetof(struct ns_compat_clone_args, cgroup));

	if (r == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return r < 0 ? -errno : r;
}

static _Noreturn void maker_main(int pidns, int cmd_rd, int ack_wr)
{
	pid_t tid = REUSED_PID, a, b = -1;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setns(pidns, CLONE_NEWPID) < 0)
		a = -errno;
	else
		a = (pid_t)clone3_with_tids(CLONE_NEWUTS, &tid, 1, NULL);
	if (write(ack_wr, &a, sizeof(a)) != (ssize_t)sizeof(a) || a < 0)
		_exit(1);
	if (read(cmd_rd, &c, 1) == 1) {
		/* A dies and is reaped; B is born with A's pid in both pid namespaces, in new uts and net ones */
		pid_t tids[2] = { REUSED_PID, a };

		kill(a, SIGKILL);
		b = waitpid(a, NULL, 0) == a ? (pid_t)clone3_with_tids(CLONE_NEWUTS | CLONE_NEWNET, tids, 2, NULL) : -ECHILD;
		if (write(ack_wr, &b, sizeof(b)) != (ssize_t)sizeof(b))
			_exit(1);
		if (read(cmd_rd, &c, 1) < 0)
			_exit(1);
	}
	/* _exit: no exit-time handler may run with children bound for the other pid namespace */
	_exit(0);
}

static void replace_a_with_b(void)
{
	if (write(R.cmd_wr, "b", 1) != 1 || read(R.ack_rd, &R.b, sizeof(R.b)) != (ssize_t)sizeof(R.b))
		R.b = -EIO;
	if (R.b > 0) {
		R.b_uts = nst_proc_ns_ino(R.b, "uts");
		R.b_net = nst_proc_ns_ino(R.b, "net");
	}
}

/* A fresh pid namespace (init kept by a holder), and A in it with pid REUSED_PID and its own uts namespace. */
static void reuse_setup(void)
{
	char path[64];
	int pidns, cmd[2], ack[2];

	memset(&R, 0, sizeof(R));
	R.a_pidfd = R.a_uts_fd = -1;
	R.holder = nst_spawn_target(CLONE_NEWPID, NULL);
	ck_assert_int_gt(R.holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", (int)R.holder);
	pidns = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(pidns, 0);
	ck_assert_int_eq(pipe2(cmd, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(ack, O_CLOEXEC), 0);
	R.maker = fork();
	ck_assert_int_ge(R.maker, 0);
	if (R.maker == 0) {
		close(cmd[1]); /* else it would never see the end of its commands */
		close(ack[0]);
		maker_main(pidns, cmd[0], ack[1]);
	}
	close(pidns);
	close(cmd[0]);
	close(ack[1]);
	R.cmd_wr = cmd[1];
	R.ack_rd = ack[0];
	ck_assert_int_eq(read(R.ack_rd, &R.a, sizeof(R.a)), (ssize_t)sizeof(R.a));
	ck_assert_msg(R.a > 0, "clone3 set_tid: %s", strerror(-R.a));
	R.a_pidfd = (int)syscall(__NR_pidfd_open, R.a, 0);
	ck_assert_int_ge(R.a_pidfd, 0);
	R.a_uts = nst_proc_ns_ino(R.a, "uts");
	ck_assert_uint_ne(R.a_uts, nst_proc_ns_ino(0, "uts"));
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)R.a);
	R.a_uts_fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(R.a_uts_fd, 0);
}

static void reuse_teardown(void)
{
	close(R.cmd_wr); /* the maker kills what it made (they die with it) and exits */
	close(R.ack_rd);
	nst_wait(R.maker);
	if (R.a_pidfd >= 0)
		close(R.a_pidfd);
	if (R.a_uts_fd >= 0)
		close(R.a_uts_fd);
	nst_kill(R.holder, NULL);
}

static int touch_nothing(void *arg)
{
	(void)arg;
	return 7;
}

/* After the swap: A's pidfd is stale, B holds A's pid. Nothing reached through A may be B's. */
static void assert_stale_pidfd_refused(void)
{
	unsigned long long uts = nst_proc_ns_ino(0, "uts"), net = nst_proc_ns_ino(0, "net");
	unsigned joined = 0xdead;
	int fd;

	ck_assert_int_gt(R.b, 0);
	ck_assert_int_eq(R.b, R.a);
	ck_assert_uint_ne(R.b_uts, R.a_uts);

	fd = ns_open_pidfd(R.a_pidfd, NS_TYPE_UTS, 0);
	ck_assert_msg(fd == -ESRCH, "ns_open_pidfd on a stale pidfd: %d (%s)", fd, ns_last_error());
	ck_assert_str_ne(ns_last_error(), "");
	ck_assert_int_eq(ns_enter_pidfd(R.a_pidfd, NS_TYPE_UTS | NS_TYPE_NET, 0, &joined), -ESRCH);
	ck_assert_uint_eq(joined, 0);
	ck_assert_int_eq(ns_run_in(R.a_pidfd, NS_TYPE_UTS, touch_nothing, NULL, 0), -ESRCH);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), uts);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), net);
	/* and the pid itself now, rightly, names B */
	fd = ns_open(R.a, NS_TYPE_UTS, 0);
	ck_assert_msg(fd >= 0, "%s", ns_last_error());
	ck_assert_uint_eq(fd_ino(fd), R.b_uts);
	close(fd);
}

static void stale_pidfd(const char *disable)
{
	if (disable)
		nst_disable_features(disable);
	reuse_setup();
	replace_a_with_b();
	assert_stale_pidfd_refused();
	reuse_teardown();
}

START_TEST(pid_reuse_stale_pidfd_never_yields_new_process)
{
	stale_pidfd(NULL);
}
END_TEST

START_TEST(pid_reuse_stale_pidfd_never_yields_new_process_proc_fallback)
{
	stale_pidfd("pidfd_get_ns,pidfd_setns");
}
END_TEST

enum seam_call { SEAM_OPEN, SEAM_OPEN_PIDFD, SEAM_ENTER_PID, SEAM_ENTER_PIDFD };

/*
 * The /proc fallback: the library has turned the pidfd into a pid and is about to open
 * /proc/PID/ns/uts when A dies and B takes the pid. The open then reaches B's namespace; the
 * library must notice (its pidfd no longer takes signals) and fail ESRCH with nothing open.
 */
static void between_lookup_and_open(enum seam_call call)
{
	unsigned long long uts = nst_proc_ns_ino(0, "uts");
	unsigned joined = 0xdead;
	int r = 0;

	nst_disable_features("pidfd_get_ns,pidfd_setns");
	reuse_setup();
	snprintf(hook_path, sizeof(hook_path), "/proc/%d/ns/uts", (int)R.a);
	hook_fired = 0;
	hook_fn = replace_a_with_b;
	switch (call) {
	case SEAM_OPEN: r = ns_open(R.a, NS_TYPE_UTS, 0); break;
	case SEAM_OPEN_PIDFD: r = ns_open_pidfd(R.a_pidfd, NS_TYPE_UTS, 0); break;
	case SEAM_ENTER_PID: r = ns_enter_pid(R.a, NS_TYPE_UTS, 0, &joined); break;
	case SEAM_ENTER_PIDFD: r = ns_enter_pidfd(R.a_pidfd, NS_TYPE_UTS, 0, &joined); break;
	}
	hook_fn = NULL;
	ck_assert_int_eq(hook_fired, 1);
	ck_assert_int_gt(R.b, 0);
	ck_assert_msg(r == -ESRCH, "got %d (%s), expected -ESRCH: the open reached process B", r, ns_last_error());
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "exited"));
	if (call == SEAM_ENTER_PID || call == SEAM_ENTER_PIDFD)
		ck_assert_uint_eq(joined, 0);
	ck_assert_uint_eq(nst_proc_ns_ino(0, "uts"), uts);
	ck_assert_uint_ne(nst_proc_ns_ino(0, "uts"), R.b_uts);
	reuse_teardown();
}

START_TEST(pid_reuse_between_lookup_and_open_ns_open) { between_lookup_and_open(SEAM_OPEN); }
END_TEST
START_TEST(pid_reuse_between_lookup_and_open_ns_open_pidfd) { between_lookup_and_open(SEAM_OPEN_PIDFD); }
END_TEST
START_TEST(pid_reuse_between_lookup_and_open_ns_enter_pid) { between_lookup_and_open(SEAM_ENTER_PID); }
END_TEST
START_TEST(pid_reuse_between_lookup_and_open_ns_enter_pidfd) { between_lookup_and_open(SEAM_ENTER_PIDFD); }
END_TEST

/*
 * A caller in a pid namespace of its own that still sees the outer /proc: its pid 2 is /proc/2 of
 * someone else (kthreadd, out there). Without the pidfd ioctls libns goes through /proc, and must
 * name the process by the pidfd, not by the caller's number.
 */
START_TEST(foreign_proc_never_names_another_process)
{
	int sync[2];
	pid_t outer;

	nst_disable_features("pidfd_get_ns");
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	outer = fork();
	ck_assert_int_ge(outer, 0);
	if (outer == 0) {
		NST_CHILD_CHECK(unshare(CLONE_NEWPID) == 0);
		pid_t init = fork();

		if (init == 0) {
			unsigned long long net_ino = 0;
			int p[2], fd;
			pid_t t;
			struct stat st;

			NST_CHILD_CHECK(getpid() == 1 && pipe2(p, O_CLOEXEC) == 0);
			t = fork();
			if (t == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (unshare(CLONE_NEWNET) < 0 || stat("/proc/thread-self/ns/net", &st) < 0)
					_exit(1);
				net_ino = (unsigned long long)st.st_ino;
				if (write(p[1], &net_ino, sizeof(net_ino)) != (ssize_t)sizeof(net_ino))
					_exit(1);
				for (;;)
					pause();
			}
			NST_CHILD_CHECK(t == 2);
			NST_CHILD_CHECK(read(p[0], &net_ino, sizeof(net_ino)) == (ssize_t)sizeof(net_ino));
			fd = ns_open(t, NS_TYPE_NET, 0);
			/* either the target's own namespace, or a refusal: never the namespace of /proc/2 */
			if (fd >= 0) {
				NST_CHILD_CHECK(fstat(fd, &st) == 0);
				NST_CHILD_CHECK((unsigned long long)st.st_ino == net_ino);
				close(fd);
			} else {
				NST_CHILD_CHECK(fd == -EREMOTE);
			}
			kill(t, SIGKILL);
			_exit(0);
		}
		_exit(nst_wait(init));
	}
	close(sync[0]);
	close(sync[1]);
	ck_assert_int_eq(nst_wait(outer), 0);
}
END_TEST

/* ---- /proc write redirection ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	nst_tmpdir(tmpdir, sizeof(tmpdir), "attacks");
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static bool file_is(const char *path, const char *want)
{
	char buf[256];
	ssize_t n;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

static void bind(const char *src, const char *dst)
{
	ck_assert_msg(mount(src, dst, NULL, MS_BIND, NULL) == 0, "bind %s over %s: %s", src, dst, strerror(errno));
}

/*
 * A directory on the way to a pin, writable by someone less privileged, swapped for a link to another
 * directory between ns_unpin()'s checks and its unmount: the pin that was checked is unmounted, never
 * the one the link now leads to (issue 9 #1's class: a directory a less privileged user can replace).
 */
static char swap_dir[128], swap_old[128], swap_victim[128];

static void swap_parent(void)
{
	ck_assert_int_eq(rename(swap_dir, swap_old), 0);
	ck_assert_int_eq(symlink(swap_victim, swap_dir), 0);
}

START_TEST(unpin_parent_swap_cannot_redirect)
{
	char pin[160], victim_pin[160], old_pin[160];
	int uts = ns_open(0, NS_TYPE_UTS, 0), ipc = ns_open(0, NS_TYPE_IPC, 0), fd;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	make_tmpdir();
	snprintf(swap_dir, sizeof(swap_dir), "%s/dir", tmpdir);
	snprintf(swap_old, sizeof(swap_old), "%s/old", tmpdir);
	snprintf(swap_victim, sizeof(swap_victim), "%s/victim", tmpdir);
	ck_assert(mkdir(swap_dir, 0755) == 0 && mkdir(swap_victim, 0755) == 0);
	snprintf(pin, sizeof(pin), "%s/pin", swap_dir);
	snprintf(victim_pin, sizeof(victim_pin), "%s/pin", swap_victim);
	snprintf(old_pin, sizeof(old_pin), "%s/pin", swap_old);
	ck_assert_int_eq(ns_pin(ipc, pin, 0), 0);
	ck_assert_int_eq(ns_pin(uts, victim_pin, 0), 0);
	umount_hook = swap_parent;
	ck_assert_msg(ns_unpin(pin, 0) == 0, "%s", ns_last_error());
	ck_assert_ptr_null(umount_hook);
	fd = ns_open_path(victim_pin, NS_TYPE_UTS, 0);
	ck_assert_msg(fd >= 0, "the pin behind the swapped-in link was unmounted: %s", ns_last_error());
	close(fd);
	ck_assert_int_eq(access(old_pin, F_OK), -1);   /* the checked pin is gone, file and all */
	ck_assert_int_eq(ns_unpin(victim_pin, 0), 0);
	unlink(swap_dir);
	rmdir(swap_old);
	rmdir(swap_victim);
	remove_tmpdir();
	close(uts);
	close(ipc);
}
END_TEST

/*
 * Reading is bounded too (issue 9 #7's class): /dev/zero or a FIFO bind-mounted over the mountinfo
 * that ns_list_new() reads gives EINVAL at once, not a read for ever (memory growing) or a hang.
 */
static int list_with_mountinfo_replaced_by(const char *src)
{
	char over[96];
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct ns_list *l = NULL;
		int r;

		alarm(20);  /* a hang guard: the FIFO blocked the code before the fix */
		NST_CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
		NST_CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
		snprintf(over, sizeof(over), "/proc/self/task/%d/mountinfo", (int)syscall(SYS_gettid));
		NST_CHILD_CHECK(mount(src, over, NULL, MS_BIND, NULL) == 0);
		nst_limit_memory(1ul << 30);
		r = ns_list_new(0, 0, &l);
		NST_CHILD_CHECK(r == -EINVAL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "mountinfo") != NULL);
		_exit(0);
	}
	return nst_wait(child);
}

START_TEST(proc_reads_are_bounded)
{
	char fifo[96];

	make_tmpdir();
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(list_with_mountinfo_replaced_by("/dev/zero"), 0);
	ck_assert_int_eq(list_with_mountinfo_replaced_by(fifo), 0);
	unlink(fifo);
	remove_tmpdir();
}
END_TEST

/*
 * setgroups, gid_map and timens_offsets, each covered by a bind mount of a regular file and of
 * another process's own file (procfs as well, so a filesystem check alone would pass it): every
 * write is refused with EXDEV, and neither the decoy nor the other process's file changes.
 */
START_TEST(proc_write_redirection_refused)
{
	struct ns_idmap map = { .n = 1, .range = { { 0, 0, 1 } } };
	char over[96], decoy[96], other[96];
	pid_t victim, bystander, tvictim = 0, tbystander = 0;
	bool timens = ns_has_feature(NS_FEATURE_TIME_NS);
	struct timespec off = { 5, 0 };
	int fd;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	make_tmpdir();
	snprintf(decoy, sizeof(decoy), "%s/decoy", tmpdir);
	fd = open(decoy, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	victim = nst_spawn_target(CLONE_NEWUSER, NULL);
	bystander = nst_spawn_target(CLONE_NEWUSER, NULL);
	ck_assert(victim > 0 && bystander > 0);
	if (timens) {
		tvictim = nst_spawn_target(CLONE_NEWTIME, NULL);
		tbystander = nst_spawn_target(CLONE_NEWTIME, NULL);
		ck_assert(tvictim > 0 && tbystander > 0);
	}

	/* setgroups: a regular file, then the bystander's setgroups */
	snprintf(over, sizeof(over), "/proc/%d/setgroups", (int)victim);
	snprintf(other, sizeof(other), "/proc/%d/setgroups", (int)bystander);
	bind(decoy, over);
	ck_assert_int_eq(ns_write_setgroups(victim, 0), -EXDEV);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "mounted over"));
	ck_assert(file_is(decoy, ""));
	ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
	bind(other, over);
	ck_assert_int_eq(ns_write_setgroups(victim, 0), -EXDEV);
	ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
	ck_assert(file_is(other, "allow\n"));
	ck_assert(file_is(over, "allow\n"));

	/* gid_map: both decoys; then, with nothing over it, the write lands where it should */
	snprintf(over, sizeof(over), "/proc/%d/gid_map", (int)victim);
	snprintf(other, sizeof(other), "/proc/%d/gid_map", (int)bystander);
	bind(decoy, over);
	ck_assert_int_eq(ns_write_idmap(victim, NS_IDMAP_GID, &map, 0), -EXDEV);
	ck_assert(file_is(decoy, ""));
	ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
	bind(other, over);
	ck_assert_int_eq(ns_write_idmap(victim, NS_IDMAP_GID, &map, 0), -EXDEV);
	ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
	ck_assert(file_is(other, ""));
	ck_assert(file_is(over, ""));
	ck_assert_int_eq(ns_write_idmap(victim, NS_IDMAP_GID, &map, 0), 0);
	ck_assert(file_is(other, ""));

	/* timens_offsets: a regular file, then the bystander's offsets file */
	if (timens) {
		char before[256];
		ssize_t n;

		snprintf(over, sizeof(over), "/proc/%d/timens_offsets", (int)tvictim);
		snprintf(other, sizeof(other), "/proc/%d/timens_offsets", (int)tbystander);
		fd = (int)syscall(SYS_openat, AT_FDCWD, other, O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		n = read(fd, before, sizeof(before) - 1);
		close(fd);
		ck_assert_int_gt(n, 0);
		before[n] = '\0';
		bind(decoy, over);
		ck_assert_int_eq(ns_set_time_offsets(tvictim, &off, NULL), -EXDEV);
		ck_assert(file_is(decoy, ""));
		ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
		bind(other, over);
		ck_assert_int_eq(ns_set_time_offsets(tvictim, &off, NULL), -EXDEV);
		ck_assert_int_eq(umount2(over, MNT_DETACH), 0);
		ck_assert(file_is(other, before));
		ck_assert(file_is(over, before));
		ck_assert_int_eq(ns_set_time_offsets(tvictim, &off, NULL), 0);
		ck_assert(file_is(other, before));
		ck_assert(!file_is(over, before));
		nst_kill(tvictim, NULL);
		nst_kill(tbystander, NULL);
	}
	nst_kill(victim, NULL);
	nst_kill(bystander, NULL);
	remove_tmpdir();
}
END_TEST

/* ---- entering a mount namespace leaves nothing outside its root (runc CVE-2024-21626 class) ---- */

struct inside {
	int ready_fd;
};

static int pivoted_target(void *arg)
{
	struct inside *in = arg;
	char c = 1;

	/* a /proc of our own pid namespace inside the new root, so an entering process can look at itself */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		c = 2;
	if (write(in->ready_fd, &c, 1) != 1)
		return 1;
	close(in->ready_fd);
	for (;;)
		pause();
	return 0;
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* The fds 0..1023 open now, as a bit set (read without /proc, which the entered namespace replaces). */
static void fd_set_now(unsigned char set[128])
{
	memset(set, 0, 128);
	for (int fd = 0; fd < 1024; fd++)
		if (fd_open(fd))
			set[fd / 8] |= (unsigned char)(1u << (fd % 8));
}

static pid_t spawn_pivoted(int *pidfd)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	struct inside in;
	char path[128], c = 0;
	int p[2], fd;
	pid_t pid;

	make_tmpdir();
	ck_assert_int_eq(mount("tmpfs", tmpdir, "tmpfs", 0, "size=1m"), 0);
	snprintf(path, sizeof(path), "%s/proc", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/inside-the-new-root", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	in.ready_fd = p[1];
	o.new_types = NS_TYPE_MNT;
	o.root = tmpdir;
	pid = ns_spawn(&o, pivoted_target, &in, pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 1);
	close(p[0]);
	return pid;
}

static void cleanup_pivoted(pid_t pid, int pidfd)
{
	nst_kill(pid, &pidfd);
	umount2(tmpdir, MNT_DETACH);
	rmdir(tmpdir);
}

/* What a process that entered must see: its cwd and root are the new root; no fd was added. */
static void assert_confined(const unsigned char before[128])
{
	unsigned char after[128];
	char cwd[PATH_MAX], link[PATH_MAX];
	struct stat dot, root;
	DIR *d;
	struct dirent *e;
	ssize_t n;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_str_eq(cwd, "/");
	ck_assert_int_eq(stat(".", &dot), 0);
	ck_assert_int_eq(stat("/", &root), 0);
	ck_assert(dot.st_dev == root.st_dev && dot.st_ino == root.st_ino);
	ck_assert_int_eq(access("/inside-the-new-root", F_OK), 0);
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	link[n] = '\0';
	ck_assert_str_eq(link, "/");
	fd_set_now(after);
	ck_assert_msg(memcmp(before, after, 128) == 0, "the library left an fd open across the call");
	/* and none of ours is a directory or file of the old root (the caller had none; the library adds none) */
	d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char p[300];
		struct stat st;

		/* the harness's own fds (Check's temporary file) were there before: the caller's business */
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d) ||
		    (before[atoi(e->d_name) / 8] & (1u << (atoi(e->d_name) % 8))))
			continue;
		snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
		n = readlink(p, link, sizeof(link) - 1);
		ck_assert_int_gt(n, 0);
		link[n] = '\0';
		ck_assert_int_eq(fstat(atoi(e->d_name), &st), 0);
		ck_assert_msg(!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode), "fd %s -> %s survived the entry",
			      e->d_name, link);
	}
	closedir(d);
}

static void enter_pivoted(const char *disable, bool by_pidfd)
{
	unsigned char before[128];
	unsigned joined = 0;
	int pidfd = -1, r;
	pid_t pid, child;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	pid = spawn_pivoted(&pidfd);
	/* the caller sits in a directory of the host, as runc's parent did */
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		if (disable)
			nst_disable_features(disable);
		NST_CHILD_CHECK(chdir(tmpdir) == 0 && chdir("/tmp") == 0);
		fd_set_now(before);
		r = by_pidfd ? ns_enter_pidfd(pidfd, NS_TYPE_MNT, 0, &joined) : ns_enter_pid(pid, NS_TYPE_MNT, 0, &joined);
		NST_CHILD_CHECK(r == 0 && joined == NS_TYPE_MNT);
		/* the pidfd is the caller's own fd, opened before; it is in both sets */
		assert_confined(before);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	cleanup_pivoted(pid, pidfd);
}

START_TEST(mount_ns_enter_leaves_nothing_outside) { enter_pivoted(NULL, true); }
END_TEST
START_TEST(mount_ns_enter_leaves_nothing_outside_per_fd) { enter_pivoted("pidfd_setns", false); }
END_TEST
START_TEST(mount_ns_enter_leaves_nothing_outside_proc_fallback) { enter_pivoted("pidfd_setns,pidfd_get_ns", false); }
END_TEST

static int confined_in_run_in(void *arg)
{
	const unsigned char *before = arg;
	char cwd[PATH_MAX];
	unsigned char after[128];

	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/") != 0)
		return 2;
	if (access("/inside-the-new-root", F_OK) != 0)
		return 3;
	fd_set_now(after);
	/* the run_in child holds its result pipe, nothing else of the library's */
	for (int fd = 0; fd < 1024; fd++)
		if ((after[fd / 8] & (1u << (fd % 8))) && !(before[fd / 8] & (1u << (fd % 8)))) {
			char p[64], link[256];
			ssize_t n;

			snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
			n = readlink(p, link, sizeof(link) - 1);
			if (n <= 0)
				return 4;
			link[n] = '\0';
			if (strncmp(link, "pipe:", 5) != 0)
				return 5;
		}
	return 0;
}

START_TEST(mount_ns_run_in_leaves_nothing_outside)
{
	unsigned char before[128];
	int pidfd = -1;
	pid_t pid;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	pid = spawn_pivoted(&pidfd);
	ck_assert_int_eq(chdir("/tmp"), 0);
	fd_set_now(before);
	ck_assert_int_eq(ns_run_in(pidfd, NS_TYPE_MNT, confined_in_run_in, before, 0), 0);
	cleanup_pivoted(pid, pidfd);
}
END_TEST

/* ---- no library fd survives exec ---- */

/* Run `ls -1 /proc/self/fd` through ns_spawn_exec with stdout on a pipe; return the fds it listed. */
static int exec_and_list(struct ns_spawn_opts *o, int listed[64])
{
	char *argv[] = { "ls", "-1", "/proc/self/fd", NULL };
	char out[1024], *tok, *save = NULL;
	int p[2], saved, pidfd = -1, st, n = 0;
	ssize_t len = 0, r;
	pid_t pid;

	/* everything the test process itself has open stays out of the child */
	for (int fd = 3; fd < 1024; fd++)
		if (fd_open(fd))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(p[1], 1), 1);
	pid = ns_spawn_exec(o, "/bin/ls", argv, NULL, &pidfd);
	ck_assert_int_eq(dup2(saved, 1), 1);
	close(saved);
	close(p[1]);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	while ((r = read(p[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += r;
	close(p[0]);
	out[len] = '\0';
	ck_assert_int_eq(ns_wait(pidfd, &st), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(pidfd);
	for (tok = strtok_r(out, "\n", &save); tok && n < 64; tok = strtok_r(NULL, "\n", &save))
		listed[n++] = atoi(tok);
	return n;
}

static void assert_only_stdio(int *listed, int n)
{
	/* 0, 1, 2 and the directory ls itself opened to list them */
	ck_assert_msg(n == 4, "the exec'd program had %d fds open, expected 0, 1, 2 and its own", n);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(listed[i], i);
}

static void no_fd_survives_exec(const char *disable, bool with_userns, bool with_join)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int listed[64], n, tpidfd = -1;
	pid_t target = 0;

	if (disable)
		nst_disable_features(disable);
	o.new_types = NS_TYPE_UTS | NS_TYPE_IPC;
	if (with_userns) {
		o.new_types |= NS_TYPE_USER;
		o.flags = NS_SPAWN_MAP_ROOT;
		if (ns_has_feature(NS_FEATURE_TIME_NS)) {
			static const struct timespec off = { 3, 0 };

			o.new_types |= NS_TYPE_TIME;
			o.monotonic_offset = &off;
		}
	}
	if (with_join) {
		target = nst_spawn_target(CLONE_NEWNET | CLONE_NEWCGROUP, &tpidfd);
		ck_assert_int_gt(target, 0);
		o.join_pidfd = tpidfd;
		o.join_types = NS_TYPE_NET | NS_TYPE_CGROUP;
	}
	n = exec_and_list(&o, listed);
	assert_only_stdio(listed, n);
	if (with_join)
		nst_kill(target, &tpidfd);
}

START_TEST(spawn_exec_child_has_only_stdio) { no_fd_survives_exec(NULL, false, false); }
END_TEST
START_TEST(spawn_exec_child_has_only_stdio_with_maps) { no_fd_survives_exec(NULL, true, false); }
END_TEST
START_TEST(spawn_exec_child_has_only_stdio_joining) { no_fd_survives_exec(NULL, false, true); }
END_TEST
START_TEST(spawn_exec_child_has_only_stdio_joining_per_fd) { no_fd_survives_exec("pidfd_setns,pidfd_get_ns", false, true); }
END_TEST
START_TEST(spawn_exec_child_has_only_stdio_without_clone3) { no_fd_survives_exec("clone3,pidfd_setns", true, true); }
END_TEST

/* ---- the pre-exec child is not dumpable while it holds what it joined with ---- */

struct dump_probe {
	int report_fd, go_fd;
};

static int report_dumpable(void *arg)
{
	struct dump_probe *d = arg;
	int v = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	char c;

	if (write(d->report_fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 1;
	/* stay until the parent has looked at our /proc entry */
	return read(d->go_fd, &c, 1) == 1 ? 0 : 2;
}

static int pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* The child of `pid`, as /proc shows it to us: the owner of its /proc entries, and whether we may read its environ. */
static uid_t proc_owner(pid_t pid)
{
	char path[64];
	struct stat sb;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return stat(path, &sb) == 0 ? sb.st_uid : (uid_t)-1;
}

static bool environ_readable(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* Spawn fn joining `types` of tpidfd; check, while fn waits, what a same-uid process sees; release it. */
static void check_joining_child(const struct ns_spawn_opts *base, int tpidfd, unsigned types, bool expect_dumpable)
{
	struct ns_spawn_opts o = *base;
	struct dump_probe d;
	int rep[2], go[2], pidfd = -1, v = -1, st;
	pid_t pid;

	NST_CHILD_CHECK(pipe2(rep, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
	d.report_fd = rep[1];
	d.go_fd = go[0];
	o.join_pidfd = tpidfd;
	o.join_types = types;
	pid = ns_spawn(&o, report_dumpable, &d, &pidfd);
	NST_CHILD_CHECK(pid > 0);
	NST_CHILD_CHECK(read(rep[0], &v, sizeof(v)) == (ssize_t)sizeof(v));
	NST_CHILD_CHECK(v == (expect_dumpable ? 1 : 0));
	/* non-dumpable: its /proc files are root's, and a process of its own uid may not read them */
	NST_CHILD_CHECK(proc_owner(pid) == (expect_dumpable ? getuid() : 0));
	NST_CHILD_CHECK(environ_readable(pid) == expect_dumpable);
	NST_CHILD_CHECK(write(go[1], "g", 1) == 1);
	NST_CHILD_CHECK(ns_wait(pidfd, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(pidfd);
	close(rep[0]);
	close(rep[1]);
	close(go[0]);
	close(go[1]);
}

/*
 * A child that joins a container's namespaces shares them with the container's processes, which
 * could ptrace it (same uid there) and take the memory and fds it carries from the caller. Until it
 * execs it must be non-dumpable; the exec'd program is dumpable again. Run as uid 65534 joining a
 * "container" it made itself (its own user namespace, root mapped to it), where the difference shows:
 * root's /proc view would be the same either way.
 */
static void joining_child_not_dumpable(const char *disable)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT, plain = NS_SPAWN_OPTS_INIT;
		char *argv[] = { "sleep", "30", NULL };
		int tpidfd = -1, pidfd = -1;
		pid_t target, pid;

		if (disable)
			nst_disable_features(disable);
		o.new_types = NS_TYPE_USER | NS_TYPE_UTS | NS_TYPE_NET;
		o.flags = NS_SPAWN_MAP_ROOT;
		target = ns_spawn(&o, pause_forever, NULL, &tpidfd);
		NST_CHILD_CHECK(target > 0);
		/* our own child, not joining: dumpable as we are */
		check_joining_child(&plain, -1, 0, true);
		check_joining_child(&plain, tpidfd, NS_TYPE_USER | NS_TYPE_UTS | NS_TYPE_NET, false);
		/* parent-written time offsets: dumpable only while the parent writes, then not again */
		if (ns_has_feature(NS_FEATURE_TIME_NS)) {
			static const struct timespec off = { 7, 0 };
			struct ns_spawn_opts t = NS_SPAWN_OPTS_INIT;

			t.new_types = NS_TYPE_TIME;
			t.monotonic_offset = &off;
			check_joining_child(&t, tpidfd, NS_TYPE_USER | NS_TYPE_UTS, false);
		}
		/* after exec: an ordinary program, dumpable again */
		plain.join_pidfd = tpidfd;
		plain.join_types = NS_TYPE_USER | NS_TYPE_UTS;
		pid = ns_spawn_exec(&plain, "/bin/sleep", argv, NULL, &pidfd);
		NST_CHILD_CHECK(pid > 0);
		NST_CHILD_CHECK(proc_owner(pid) == getuid() && environ_readable(pid));
		kill(pid, SIGKILL);
		NST_CHILD_CHECK(ns_wait(pidfd, NULL) == pid);
		close(pidfd);
		kill(target, SIGKILL);
		NST_CHILD_CHECK(ns_wait(tpidfd, NULL) == target);
		close(tpidfd);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}

START_TEST(spawn_joining_child_not_dumpable_before_exec) { joining_child_not_dumpable(NULL); }
END_TEST
START_TEST(spawn_joining_child_not_dumpable_before_exec_per_fd) { joining_child_not_dumpable("pidfd_setns,pidfd_get_ns"); }
END_TEST

/* ---- every unprivileged failure is the documented errno, with a message ---- */

struct fixture {
	pid_t target, user_target, time_target;
	int target_pidfd, net_fd, uts_fd, init_user_fd, pid_child_fd;
	char pin[96], netns[64];
};

static struct fixture F;

struct call {
	const char *fn;          /* the function, and its man page */
	const char *errname;     /* expected errno's name; NULL: it works unprivileged (no privilege involved) */
	const char *cause;       /* the message names this (a capability or the cause); "|" separates choices */
	int (*run)(void);        /* the call, made as uid 65534 */
	int feature;             /* where the kernel lacks this feature, the fallback's errno and cause instead: */
	const char *old_errname, *old_cause;
};

static int run_can_enter(void) { int r = ns_can_enter(F.net_fd); return r == 0 ? -EPERM : r; }
static int run_enter(void) { return ns_enter(F.net_fd, NS_TYPE_NET); }
static int run_enter_pid(void) { return ns_enter_pid(F.target, NS_TYPE_NET, 0, NULL); }
static int run_enter_pidfd(void) { return ns_enter_pidfd(F.target_pidfd, NS_TYPE_NET, 0, NULL); }
static int run_fn(void *arg) { (void)arg; return 0; }
static int run_run_in(void) { return ns_run_in(F.target_pidfd, NS_TYPE_NET, run_fn, NULL, 0); }
static int close_ok(int fd) { if (fd >= 0) close(fd); return fd < 0 ? fd : 0; }
static int run_open(void) { return close_ok(ns_open(F.target, NS_TYPE_NET, 0)); }
static int run_open_pidfd(void) { return close_ok(ns_open_pidfd(F.target_pidfd, NS_TYPE_NET, 0)); }
static int run_open_path(void)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)F.target);
	return close_ok(ns_open_path(p, NS_TYPE_NET, 0));
}
static int run_open_by_id(void)
{
	struct ns_id id;

	if (ns_get_id(F.net_fd, &id) < 0)
		return -EIO;
	return close_ok(ns_open_by_id(id.id ? id.id : 1, NS_TYPE_NET, 0));
}
static int run_type_of(void) { return ns_type_of(F.net_fd) == NS_TYPE_NET ? 0 : -EIO; }
static int run_get_id(void) { struct ns_id id; return ns_get_id(F.net_fd, &id); }
static int run_equal(void) { return ns_equal(F.net_fd, F.net_fd) == 1 ? 0 : -EIO; }
static int run_pidfd_open(void) { return close_ok(ns_pidfd_open(F.target, 0)); }
static int run_get_parent(void) { return close_ok(ns_get_parent(F.init_user_fd)); }
static int run_get_userns(void) { return close_ok(ns_get_userns(F.init_user_fd)); }
static int run_get_owner_uid(void) { uid_t u; return ns_get_owner_uid(F.init_user_fd, &u); }
static int run_pid_translate(void) { pid_t out; return ns_pid_translate(F.pid_child_fd, 1, NS_PID_FROM_NS, &out); }
static int run_idmap_pure(void)
{
	struct ns_idmap m;
	char buf[64];

	if (ns_idmap_parse("0 1000 1\n", &m) < 0 || ns_idmap_validate(&m) < 0 || ns_idmap_add(&m, 1, 2000, 1) < 0 ||
	    ns_idmap_format(&m, buf, sizeof(buf)) <= 0 || ns_idmap_parse_buf("0 1 1", 5, &m) < 0)
		return -EIO;
	return 0;
}
static int run_idmap_from_subid(void)
{
	struct ns_idmap m;
	int r = ns_idmap_from_subid(&m, "libns-no-such-user", NS_IDMAP_UID, 0);

	/* no privilege involved: an unknown user is reported the same way to anyone */
	return r == -ENOENT ? 0 : r;
}
static int run_write_idmap(void)
{
	struct ns_idmap m = { .n = 1, .range = { { 0, 0, 1 } } };

	return ns_write_idmap(F.user_target, NS_IDMAP_UID, &m, 0);
}
static int run_write_setgroups(void) { return ns_write_setgroups(F.user_target, 0); }
static int run_list(void)
{
	struct ns_list *l = NULL;
	int r = ns_list_new(0, 0, &l);

	if (r < 0)
		return r;
	r = ns_list_count(l) > 0 && ns_list_get(l, 0) != NULL ? 0 : -EIO;
	ns_list_free(l);
	return r;
}
static int run_pin(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/mine", tmpdir);
	return ns_pin(F.uts_fd, p, 0);
}
static int run_unpin(void) { return ns_unpin(F.pin, 0); }
static int run_netns_add(void) { return ns_netns_add("libns-attacks-unpriv", -1, 0); }
static int run_netns_open(void) { return close_ok(ns_netns_open(F.netns)); }
static int run_netns_del(void) { return ns_netns_del(F.netns); }
static int run_spawn(void)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;

	o.new_types = NS_TYPE_NET;
	return ns_spawn(&o, run_fn, NULL, NULL);
}
static int run_spawn_exec(void)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	char *argv[] = { "true", NULL };

	o.new_types = NS_TYPE_UTS;
	return ns_spawn_exec(&o, "/bin/true", argv, NULL, NULL);
}
static int run_wait(void) { return ns_wait(F.target_pidfd, NULL); }
static int run_time_offsets(void)
{
	struct timespec t = { 1, 0 };

	return ns_set_time_offsets(F.time_target, &t, NULL);
}
static int run_unshare(void) { return ns_unshare(NS_TYPE_NET, 0); }
/*
 * A caller that dropped privileges without exec is not dumpable: its own maps are root's files. Last in
 * the table: the user namespace is made before the map fails, and this process stays in it.
 */
static int run_unshare_not_dumpable(void)
{
	int r;

	prctl(PR_SET_DUMPABLE, 0);
	r = ns_unshare(NS_TYPE_USER, NS_UNSHARE_MAP_ROOT);
	prctl(PR_SET_DUMPABLE, 1);
	return r;
}
static int run_types_pure(void)
{
	if (strcmp(ns_type_name(NS_TYPE_NET), "net") || ns_type_from_name("uts") != NS_TYPE_UTS ||
	    ns_has_feature(NS_FEATURE_PIDFD) < 0 || ns_features() < 0 || !ns_feature_name(NS_FEATURE_PIDFD) ||
	    !ns_version() || !ns_last_error())
		return -EIO;
	return 0;
}

static const struct call calls[] = {
	{ "ns_can_enter", "EPERM", "CAP_SYS_ADMIN", run_can_enter, 0, NULL, NULL },
	{ "ns_enter", "EPERM", "CAP_SYS_ADMIN", run_enter, 0, NULL, NULL },
	{ "ns_enter_pid", "EPERM|EACCES", "CAP_SYS_ADMIN|ptrace", run_enter_pid, 0, NULL, NULL },
	{ "ns_enter_pidfd", "EPERM|EACCES", "CAP_SYS_ADMIN|ptrace", run_enter_pidfd, 0, NULL, NULL },
	{ "ns_run_in", "EPERM|EACCES", "CAP_SYS_ADMIN|ptrace", run_run_in, 0, NULL, NULL },
	{ "ns_open", "EPERM|EACCES", "ptrace", run_open, 0, NULL, NULL },
	{ "ns_open_pidfd", "EPERM|EACCES", "ptrace", run_open_pidfd, 0, NULL, NULL },
	{ "ns_open_path", "EACCES", "ptrace|Permission", run_open_path, 0, NULL, NULL },
	/* 6.18 needs the inode too, which only a visible process tells: ENOENT, "visible" (see its NOTES) */
	{ "ns_open_by_id", "EPERM|ENOENT|EOPNOTSUPP", "CAP_SYS_ADMIN|visible|6.18", run_open_by_id, 0, NULL, NULL },
	{ "ns_type_of", NULL, NULL, run_type_of, 0, NULL, NULL },
	{ "ns_get_id", NULL, NULL, run_get_id, 0, NULL, NULL },
	{ "ns_equal", NULL, NULL, run_equal, 0, NULL, NULL },
	{ "ns_pidfd_open", NULL, NULL, run_pidfd_open, 0, NULL, NULL },
	{ "ns_get_parent", "EPERM", "initial|parent", run_get_parent, 0, NULL, NULL },
	{ "ns_get_userns", "EPERM", "initial|owner", run_get_userns, 0, NULL, NULL },
	{ "ns_get_owner_uid", NULL, NULL, run_get_owner_uid, 0, NULL, NULL },
	/* without NS_GET_PID_*_PIDNS, libns reads the target's /proc entries: ptrace access */
	{ "ns_pid_translate", NULL, NULL, run_pid_translate, NS_FEATURE_PID_TRANSLATE, "EACCES", "ptrace" },
	{ "ns_idmap_parse", NULL, NULL, run_idmap_pure, 0, NULL, NULL },
	{ "ns_idmap_from_subid", NULL, NULL, run_idmap_from_subid, 0, NULL, NULL },
	{ "ns_write_idmap", "EPERM|EACCES", "CAP_SETUID|different user|Permission", run_write_idmap, 0, NULL, NULL },
	{ "ns_write_setgroups", "EPERM|EACCES", "CAP_SYS_ADMIN|owner|Permission", run_write_setgroups, 0, NULL, NULL },
	{ "ns_list_new", NULL, NULL, run_list, 0, NULL, NULL },
	{ "ns_pin", "EPERM", "CAP_SYS_ADMIN", run_pin, 0, NULL, NULL },
	{ "ns_unpin", "EPERM", "CAP_SYS_ADMIN", run_unpin, 0, NULL, NULL },
	/* privilege is checked before /run/netns or the lock file is touched */
	{ "ns_netns_add", "EPERM", "CAP_SYS_ADMIN", run_netns_add, 0, NULL, NULL },
	{ "ns_netns_open", NULL, NULL, run_netns_open, 0, NULL, NULL },
	{ "ns_netns_del", "EPERM", "CAP_SYS_ADMIN", run_netns_del, 0, NULL, NULL },
	{ "ns_spawn", "EPERM", "CAP_SYS_ADMIN", run_spawn, 0, NULL, NULL },
	{ "ns_spawn_exec", "EPERM", "CAP_SYS_ADMIN", run_spawn_exec, 0, NULL, NULL },
	{ "ns_wait", "ECHILD", "not our child", run_wait, 0, NULL, NULL },
	{ "ns_set_time_offsets", "EPERM|EACCES", "CAP_SYS_TIME|Permission|owner", run_time_offsets, 0, NULL, NULL },
	{ "ns_unshare", "EPERM", "CAP_SYS_ADMIN", run_unshare, 0, NULL, NULL },
	{ "ns_type_name", NULL, NULL, run_types_pure, 0, NULL, NULL },
	{ "ns_unshare", "EACCES", "ns_unshare: mapping ids|PR_SET_DUMPABLE", run_unshare_not_dumpable, 0, NULL, NULL },
};

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "EPERM", EPERM }, { "EACCES", EACCES }, { "ENOENT", ENOENT }, { "ECHILD", ECHILD }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ESRCH", ESRCH }, { "EINVAL", EINVAL },
};

static const char *errname(int err)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "?";
}

/* "A|B" contains word w as one of its choices */
static bool one_of(const char *choices, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = choices; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (strncmp(p, w, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return true;
	return false;
}

static bool mentions_one_of(const char *msg, const char *choices)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", choices);
	for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
		if (strstr(msg, t))
			return true;
	return false;
}

/* docs/man/man3, found from this source file's path as compiled (relative to the build directory) */
static bool man_page_errors(const char *fn, char *out, size_t size)
{
	char exe[PATH_MAX], src[PATH_MAX * 2], file[PATH_MAX], path[PATH_MAX * 3], line[512];
	bool in_errors = false;
	size_t len = 0;
	ssize_t n;
	FILE *f;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	snprintf(file, sizeof(file), "%s", __FILE__);
	if (file[0] == '/')
		snprintf(src, sizeof(src), "%s", dirname(file));
	else
		snprintf(src, sizeof(src), "%s/../%s", dirname(dirname(exe)), dirname(file));
	snprintf(path, sizeof(path), "%s/../docs/man/man3/%s.3", src, fn);
	f = fopen(path, "re");
	if (!f)
		return false;
	out[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, ".SH", 3) == 0) {
			in_errors = strstr(line, "ERRORS") != NULL;
			continue;
		}
		if (in_errors && len + strlen(line) + 1 < size) {
			strcpy(out + len, line);
			len += strlen(line);
		}
	}
	fclose(f);
	return true;
}

static void fixture_setup(void)
{
	int fd;
	char path[128];

	memset(&F, 0, sizeof(F));
	make_tmpdir();
	ck_assert_int_eq(chown(tmpdir, 65534, 65534), 0);
	F.target = nst_spawn_target(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWPID, &F.target_pidfd);
	F.user_target = nst_spawn_target(CLONE_NEWUSER, NULL);
	ck_assert(F.target > 0 && F.user_target > 0 && F.target_pidfd >= 0);
	if (ns_has_feature(NS_FEATURE_TIME_NS)) {
		F.time_target = nst_spawn_target(CLONE_NEWTIME, NULL);
		ck_assert_int_gt(F.time_target, 0);
	}
	F.net_fd = ns_open(F.target, NS_TYPE_NET, 0);
	F.uts_fd = ns_open(F.target, NS_TYPE_UTS, 0);
	F.init_user_fd = ns_open(0, NS_TYPE_USER, 0); /* ours: its parent and owner are out of sight */
	F.pid_child_fd = ns_open(F.target, NS_TYPE_PID, NS_OPEN_FOR_CHILDREN);
	ck_assert_msg(F.net_fd >= 0 && F.uts_fd >= 0 && F.init_user_fd >= 0 && F.pid_child_fd >= 0, "%d %d %d %d: %s",
		      F.net_fd, F.uts_fd, F.init_user_fd, F.pid_child_fd, ns_last_error());
	snprintf(F.pin, sizeof(F.pin), "%s/rootpin", tmpdir);
	ck_assert_msg(ns_pin(F.uts_fd, F.pin, 0) == 0, "%s", ns_last_error());
	snprintf(F.netns, sizeof(F.netns), "libns-attacks-%d", (int)getpid());
	ck_assert_msg(ns_netns_add(F.netns, F.net_fd, 0) == 0, "%s", ns_last_error());
	snprintf(path, sizeof(path), "/run/netns/%s", F.netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void fixture_teardown(void)
{
	ns_netns_del(F.netns);
	ns_unpin(F.pin, 0);
	close(F.net_fd);
	close(F.uts_fd);
	close(F.init_user_fd);
	close(F.pid_child_fd);
	nst_kill(F.target, &F.target_pidfd);
	nst_kill(F.user_target, NULL);
	if (F.time_target > 0)
		nst_kill(F.time_target, NULL);
	remove_tmpdir();
}

START_TEST(unprivileged_errors_are_documented)
{
	int child;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	fixture_setup();
	child = nst_fork_unprivileged();
	if (child == 0) {
		int bad = 0;

		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
			struct call c_now = calls[i], *c = &c_now;
			char errors[8192], want[32];
			int r;

			if (c->feature && !ns_has_feature(c->feature)) {
				c->errname = c->old_errname;
				c->cause = c->old_cause;
			}

			if (strcmp(c->fn, "ns_set_time_offsets") == 0 && F.time_target == 0)
				continue;
			errno = 0;
			r = c->run();
			if (!c->errname) {
				if (r < 0) {
					fprintf(stderr, "%s: unprivileged call failed: %s (%s)\n", c->fn, strerror(-r),
						ns_last_error());
					bad++;
				}
				continue;
			}
			if (r >= 0 || !one_of(c->errname, errname(-r)) || errno != -r) {
				fprintf(stderr, "%s: returned %d (%s), errno %d; expected %s (%s)\n", c->fn, r,
					r < 0 ? errname(-r) : "success", errno, c->errname, ns_last_error());
				bad++;
				continue;
			}
			if (!*ns_last_error() || !mentions_one_of(ns_last_error(), c->cause)) {
				fprintf(stderr, "%s: message \"%s\" names none of %s\n", c->fn, ns_last_error(), c->cause);
				bad++;
			}
			snprintf(want, sizeof(want), ".B %s", errname(-r));
			if (man_page_errors(c->fn, errors, sizeof(errors)) && !strstr(errors, want) &&
			    !strstr(errors, errname(-r))) {
				fprintf(stderr, "%s: %s is not in the ERRORS of %s(3)\n", c->fn, errname(-r), c->fn);
				bad++;
			}
		}
		_exit(bad ? 1 : 0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	fixture_teardown();
}
END_TEST

/* The table covers every public function: each one either has an entry or is exercised by one. */
START_TEST(unprivileged_table_covers_every_function)
{
	static const char *const covered_by_others[] = {
		"ns_last_error", "ns_idmap_parse_buf", "ns_idmap_validate", "ns_idmap_format", "ns_idmap_add",
		"ns_list_count", "ns_list_get", "ns_list_free", "ns_type_from_name", "ns_has_feature", "ns_features",
		"ns_feature_name", "ns_version",
	};
	char errors[64];
	int missing = 0, pages = 0;
	DIR *d;
	struct dirent *e;
	char dir[PATH_MAX * 2];

	/* the man3 directory lists the public functions (one page each) */
	if (!man_page_errors("ns_open", errors, sizeof(errors)))
		return; /* not run from a source tree */
	{
		char exe[PATH_MAX], file[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[n > 0 ? n : 0] = '\0';
		snprintf(file, sizeof(file), "%s", __FILE__);
		if (file[0] == '/')
			snprintf(dir, sizeof(dir), "%s/../docs/man/man3", dirname(file));
		else
			snprintf(dir, sizeof(dir), "%s/../%s/../docs/man/man3", dirname(dirname(exe)), dirname(file));
	}
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char fn[256];
		bool found = false;
		size_t n = strlen(e->d_name);

		if (strncmp(e->d_name, "ns_", 3) != 0 || n < 3 || strcmp(e->d_name + n - 2, ".3") != 0)
			continue;
		snprintf(fn, sizeof(fn), "%.*s", (int)(n - 2), e->d_name);
		pages++;
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			found |= strcmp(calls[i].fn, fn) == 0;
		for (size_t i = 0; i < sizeof(covered_by_others) / sizeof(covered_by_others[0]); i++)
			found |= strcmp(covered_by_others[i], fn) == 0;
		if (!found) {
			fprintf(stderr, "%s has no unprivileged case\n", fn);
			missing++;
		}
	}
	closedir(d);
	ck_assert_int_gt(pages, 30);
	ck_assert_int_eq(missing, 0);
}
END_TEST

static const char *set_tid_missing(void)
{
	/* pid 1 always exists in our namespace: EEXIST proves set_tid works, without making a child */
	pid_t one = 1;
	long r = clone3_with_tids(0, &one, 1, NULL);

	if (r > 0) {
		kill((pid_t)r, SIGKILL);
		waitpid((pid_t)r, NULL, 0);
	}
	if (r == -EEXIST)
		return NULL;
	return r == -ENOSYS ? "not available before Linux 5.3 (clone3)" : "not available before Linux 5.5 (clone3 set_tid)";
}

int main(void)
{
	Suite *s = suite_create("attacks");
	TCase *tc = nst_tcase("attacks");
	const char *root = nst_need_root();
	const char *set_tid = root ? root : set_tid_missing();
	const char *pidfd = root ? root : nst_need_feature(NS_FEATURE_PIDFD);

	nst_add(tc, pid_reuse_stale_pidfd_never_yields_new_process, set_tid);
	nst_add(tc, pid_reuse_stale_pidfd_never_yields_new_process_proc_fallback, set_tid);
	nst_add(tc, pid_reuse_between_lookup_and_open_ns_open, set_tid);
	nst_add(tc, pid_reuse_between_lookup_and_open_ns_open_pidfd, set_tid);
	nst_add(tc, pid_reuse_between_lookup_and_open_ns_enter_pid, set_tid);
	nst_add(tc, pid_reuse_between_lookup_and_open_ns_enter_pidfd, set_tid);
	nst_add(tc, foreign_proc_never_names_another_process, pidfd);
	nst_add(tc, proc_write_redirection_refused, root);
	nst_add(tc, proc_reads_are_bounded, root);
	nst_add(tc, unpin_parent_swap_cannot_redirect, root);
	nst_add(tc, mount_ns_enter_leaves_nothing_outside, root ? root : nst_need_feature(NS_FEATURE_PIDFD_SETNS));
	nst_add(tc, mount_ns_enter_leaves_nothing_outside_per_fd, pidfd);
	nst_add(tc, mount_ns_enter_leaves_nothing_outside_proc_fallback, pidfd);
	nst_add(tc, mount_ns_run_in_leaves_nothing_outside, pidfd);
	nst_add(tc, spawn_exec_child_has_only_stdio, pidfd);
	nst_add(tc, spawn_exec_child_has_only_stdio_with_maps, pidfd);
	nst_add(tc, spawn_exec_child_has_only_stdio_joining, pidfd);
	nst_add(tc, spawn_exec_child_has_only_stdio_joining_per_fd, pidfd);
	nst_add(tc, spawn_exec_child_has_only_stdio_without_clone3, pidfd);
	nst_add(tc, spawn_joining_child_not_dumpable_before_exec, pidfd);
	nst_add(tc, spawn_joining_child_not_dumpable_before_exec_per_fd, pidfd);
	nst_add(tc, unprivileged_errors_are_documented, pidfd);
	nst_add(tc, unprivileged_table_covers_every_function, NULL);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
