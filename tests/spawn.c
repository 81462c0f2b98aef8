/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

#define ALL_BUT_TIME (NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_MNT | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_NET | \
		      NS_TYPE_CGROUP)

static const int every_type[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
				  NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
#define NTYPES (int)(sizeof(every_type) / sizeof(every_type[0]))

/* In a spawned fn: report the failed check on stderr and make it the exit status. */
#define FN_CHECK(cond) do { if (!(cond)) { dprintf(2, "%s:%d: check failed in spawned child: %s\n", \
	__FILE__, __LINE__, #cond); return 1; } } while (0)

static char cgroup_dir[256];
static char root_dir[256];

/* ---- helpers ---- */

static struct ns_spawn_opts opts_new(unsigned types, unsigned flags)
{
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;

	o.new_types = types;
	o.flags = flags;
	return o;
}

/* Processes whose parent is this one (zombies included): a spawn must leave none behind. */
static int count_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		int fd, ppid;
		ssize_t len;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		p = strrchr(buf, ')');
		if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == getpid())
			n++;
	}
	closedir(d);
	return n;
}

/* Number of lines of /proc/self/mountinfo that contain `needle` (NULL: all lines). */
#define PROC_MOUNT " - proc "
static int mounts_matching(const char *needle)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (!needle || strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

/* Set by main: false on kernels (or under emulators such as valgrind 3.19) without pidfd_open(). */
static bool have_pidfds = true;

/* ns_wait() on the pidfd, closing it; waitpid() where there are no pidfds (pidfd_out is then -1). */
static int reap_status(int pid, int pidfd, int *st)
{
	int r;

	if (pidfd < 0 && !have_pidfds)
		return waitpid(pid, st, 0);
	r = ns_wait(pidfd, st);
	close(pidfd);
	return r;
}

static int wait_status(int pid, int pidfd)
{
	int st = -1;

	if (have_pidfds)
		ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(reap_status(pid, pidfd, &st), pid);
	return st;
}

/* Spawn fn and return its exit status (or 128+signal); asserts the spawn itself worked. */
static int run_fn(const struct ns_spawn_opts *o, ns_fn fn, void *arg)
{
	int pidfd = -1, pid, st;

	pid = ns_spawn(o, fn, arg, &pidfd);
	ck_assert_msg(pid > 0, "ns_spawn: %d %s", pid, ns_last_error());
	st = wait_status(pid, pidfd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run_exec(const struct ns_spawn_opts *o, const char *shell_cmd)
{
	char *argv[] = { "sh", "-c", (char *)shell_cmd, NULL };
	int pidfd = -1, pid, st;

	pid = ns_spawn_exec(o, "/bin/sh", argv, NULL, &pidfd);
	ck_assert_msg(pid > 0, "ns_spawn_exec: %d %s", pid, ns_last_error());
	st = wait_status(pid, pidfd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* uid_map "0 1000 1" style content as three numbers of its first line. */
static bool first_map_line(const char *path, unsigned *a, unsigned *b, unsigned *c)
{
	char buf[256];

	return read_small(path, buf, sizeof(buf)) > 0 && sscanf(buf, "%u %u %u", a, b, c) == 3;
}

static void drop_to_nobody_dumpable(void)
{
	/* Credentials changed without exec make a process non-dumpable; a real user's shell is not. */
	NST_CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
}

/* ---- exit status and ns_wait ---- */

static int return_42(void *arg)
{
	(void)arg;
	return 42;
}

static int kill_self(void *arg)
{
	(void)arg;
	kill(getpid(), SIGKILL);
	return 0;
}

START_TEST(fn_exit_status)
{
	int pidfd = -1, st = 0, pid;

	pid = ns_spawn(NULL, return_42, NULL, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_ne(fcntl(pidfd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(ns_wait(pidfd, &st), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 42);
	/* reaped: a second wait is -ECHILD, passed through */
	ck_assert_int_eq(ns_wait(pidfd, &st), -ECHILD);
	ck_assert_int_eq(errno, ECHILD);
	close(pidfd);

	pid = ns_spawn(NULL, kill_self, NULL, &pidfd);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(ns_wait(pidfd, &st), pid);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
	close(pidfd);
	/* no pidfd asked: the pid alone, reaped with waitpid */
	pid = ns_spawn(NULL, return_42, NULL, NULL);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 42);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

START_TEST(exec_status_and_env)
{
	char *argv[] = { "sh", "-c", "test \"$LIBNS_T\" = yes && exit 3; exit 4", NULL };
	char *envp[] = { "LIBNS_T=yes", NULL };
	int pidfd = -1, pid, st;

	pid = ns_spawn_exec(NULL, "/bin/sh", argv, envp, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	st = wait_status(pid, pidfd);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 3);
	/* envp NULL: the caller's environ */
	setenv("LIBNS_T", "no", 1);
	pid = ns_spawn_exec(NULL, "/bin/sh", argv, NULL, &pidfd);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid, pidfd)), 4);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

START_TEST(ns_wait_errors)
{
	int st, fd, pidfd;

	ck_assert_int_eq(ns_wait(-1, &st), -EBADF);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(ns_wait(fd, &st), -EBADF);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not a pidfd"));
	close(fd);
	/* a pidfd of a process that is not our child */
	pidfd = (int)syscall(SYS_pidfd_open, getppid(), 0);
	ck_assert_int_ge(pidfd, 0);
	ck_assert_int_eq(ns_wait(pidfd, &st), -ECHILD);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "not our child"));
	close(pidfd);
}
END_TEST

/* ---- argument checks: nothing is started ---- */

START_TEST(opts_size_rules)
{
	struct {
		struct ns_spawn_opts o;
		char tail[16];
	} big;
	struct ns_spawn_opts o = NS_SPAWN_OPTS_INIT;
	int pidfd, pid;

	o.size = 8;
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -EINVAL);
	ck_assert_int_eq(pidfd, -1);
	/* a caller built against the first struct (ending at cgroup_fd) */
	o.size = offsetof(struct ns_spawn_opts, cgroup_fd) + sizeof(int);
	pid = ns_spawn(&o, return_42, NULL, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid, pidfd)), 42);
	/* a newer caller: zero bytes past what we know are fine, anything else is E2BIG */
	memset(&big, 0, sizeof(big));
	big.o.size = sizeof(big);
	pid = ns_spawn(&big.o, return_42, NULL, &pidfd);
	ck_assert_msg(pid > 0, "%s", ns_last_error());
	ck_assert_int_eq(WEXITSTATUS(wait_status(pid, pidfd)), 42);
	big.tail[5] = 1;
	ck_assert_int_eq(ns_spawn(&big.o, return_42, NULL, &pidfd), -E2BIG);
	ck_assert_int_eq(errno, E2BIG);
	big.o.size = 1 << 20;
	ck_assert_int_eq(ns_spawn(&big.o, return_42, NULL, &pidfd), -E2BIG);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

START_TEST(bad_arguments)
{
	struct ns_idmap map = { .n = 1, .range = { { 0, 0, 1 } } };
	struct timespec off = { 10, 0 }, bad_off = { 10, 1000000000 };
	char *argv[] = { "true", NULL };
	struct ns_spawn_opts o;
	int pidfd;

#define EXPECT_EINVAL(setup) do { o = opts_new(0, 0); setup; \
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -EINVAL); \
	ck_assert_int_eq(pidfd, -1); ck_assert_str_ne(ns_last_error(), ""); } while (0)
	EXPECT_EINVAL(o.flags = 0x10000);
	EXPECT_EINVAL(o.new_types = 0x1);
	EXPECT_EINVAL((o.join_types = NS_TYPE_UTS, o.new_types = NS_TYPE_UTS, o.join_pidfd = 0));
	EXPECT_EINVAL(o.hostname = "x");
	EXPECT_EINVAL((o.new_types = NS_TYPE_UTS, o.hostname = "0123456789012345678901234567890123456789012345678901234567890123456789"));
	EXPECT_EINVAL((o.new_types = NS_TYPE_PID, o.flags = NS_SPAWN_MOUNT_PROC));
	EXPECT_EINVAL((o.new_types = NS_TYPE_MNT, o.flags = NS_SPAWN_MOUNT_PROC));
	EXPECT_EINVAL(o.root = "/");
	EXPECT_EINVAL((o.new_types = NS_TYPE_MNT, o.root = ""));
	EXPECT_EINVAL(o.monotonic_offset = &off);
	if (!nst_need_feature(NS_FEATURE_TIME_NS)) /* else EOPNOTSUPP, before the offsets are looked at */
		EXPECT_EINVAL((o.new_types = NS_TYPE_TIME, o.boottime_offset = &bad_off));
	EXPECT_EINVAL(o.flags = NS_SPAWN_MAP_ROOT);
	EXPECT_EINVAL(o.uid_map = &map);
	EXPECT_EINVAL((o.new_types = NS_TYPE_USER, o.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_MAP_CURRENT));
	EXPECT_EINVAL((o.new_types = NS_TYPE_USER, o.flags = NS_SPAWN_MAP_ROOT, o.uid_map = &map));
	EXPECT_EINVAL((o.new_types = NS_TYPE_USER, o.flags = NS_SPAWN_IDMAP_HELPER));
	EXPECT_EINVAL(o.keep_caps = 1);
	EXPECT_EINVAL((o.flags = NS_SPAWN_DROP_CAPS, o.keep_caps = 1ULL << 63));
#undef EXPECT_EINVAL
	o = opts_new(0, 0);
	o.join_types = NS_TYPE_NET;
	o.join_pidfd = -1;
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -EBADF);
	o = opts_new(0, NS_SPAWN_INTO_CGROUP);
	o.cgroup_fd = -1;
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -EBADF);
	ck_assert_int_eq(ns_spawn(NULL, NULL, NULL, &pidfd), -EINVAL);
	ck_assert_int_eq(ns_spawn_exec(NULL, NULL, argv, NULL, &pidfd), -EINVAL);
	ck_assert_int_eq(ns_spawn_exec(NULL, "/bin/true", NULL, NULL, &pidfd), -EINVAL);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

/* ---- namespaces ---- */

struct ns_inodes {
	unsigned long long ino[NTYPES];
	unsigned new_types;
};

static void record_inodes(struct ns_inodes *n, unsigned new_types)
{
	n->new_types = new_types;
	for (int i = 0; i < NTYPES; i++)
		n->ino[i] = nst_proc_ns_ino(0, ns_type_name(every_type[i]));
}

/* Each created type differs from the parent's, every other type is shared. */
static int check_inodes(void *arg)
{
	const struct ns_inodes *n = arg;

	for (int i = 0; i < NTYPES; i++) {
		unsigned long long mine = nst_proc_ns_ino(0, ns_type_name(every_type[i]));

		FN_CHECK(mine != 0);
		if (n->new_types & (unsigned)every_type[i])
			FN_CHECK(mine != n->ino[i]);
		else
			FN_CHECK(mine == n->ino[i]);
	}
	return 0;
}

static void check_new_namespaces(void)
{
	const unsigned sets[] = { NS_TYPE_UTS, NS_TYPE_NET | NS_TYPE_IPC, NS_TYPE_PID | NS_TYPE_MNT,
				  NS_TYPE_CGROUP | NS_TYPE_TIME, ALL_BUT_TIME | NS_TYPE_TIME, NS_TYPE_USER };
	struct ns_inodes n;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct ns_spawn_opts o = opts_new(sets[i], 0);

		record_inodes(&n, sets[i]);
		ck_assert_int_eq(run_fn(&o, check_inodes, &n), 0);
	}
	ck_assert_int_eq(count_children(), 0);
}

START_TEST(new_namespaces) { check_new_namespaces(); }
END_TEST
START_TEST(new_namespaces_without_clone3)
{
	nst_disable_features("clone3");
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_CLONE3), 0);
	check_new_namespaces();
}
END_TEST

struct map_expect {
	unsigned uid_inside, uid_outside, uid_count, gid_inside, gid_outside;
	uid_t getuid_inside;
	const char *setgroups;
};

static int check_maps(void *arg)
{
	const struct map_expect *e = arg;
	unsigned a, b, c;
	char buf[32];

	FN_CHECK(first_map_line("/proc/self/uid_map", &a, &b, &c));
	FN_CHECK(a == e->uid_inside && b == e->uid_outside && c == e->uid_count);
	FN_CHECK(first_map_line("/proc/self/gid_map", &a, &b, &c));
	FN_CHECK(a == e->gid_inside && b == e->gid_outside);
	FN_CHECK(getuid() == e->getuid_inside);
	FN_CHECK(read_small("/proc/self/setgroups", buf, sizeof(buf)) > 0);
	FN_CHECK(strncmp(buf, e->setgroups, strlen(e->setgroups)) == 0);
	return 0;
}

static void check_map_flags(void)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER, NS_SPAWN_MAP_ROOT);
	struct map_expect e = { 0, (unsigned)geteuid(), 1, 0, (unsigned)getegid(), 0, "allow" };

	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
	o.flags |= NS_SPAWN_SETGROUPS_DENY;
	e.setgroups = "deny";
	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
	o = opts_new(NS_TYPE_USER | NS_TYPE_PID, NS_SPAWN_MAP_CURRENT);
	e = (struct map_expect){ (unsigned)geteuid(), (unsigned)geteuid(), 1, (unsigned)getegid(),
				 (unsigned)getegid(), geteuid(), "allow" };
	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
}

START_TEST(map_root_and_current) { check_map_flags(); }
END_TEST
START_TEST(map_root_and_current_without_clone3)
{
	nst_disable_features("clone3");
	check_map_flags();
}
END_TEST

START_TEST(explicit_maps)
{
	static struct ns_idmap uids = { .n = 2, .range = { { 0, 100000, 1000 }, { 1000, 0, 1 } } };
	static struct ns_idmap gids = { .n = 1, .range = { { 0, 200000, 65536 } } };
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER, 0);
	struct map_expect e = { 0, 100000, 1000, 0, 200000, 1000, "allow" };

	o.uid_map = &uids;
	o.gid_map = &gids;
	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

/* A map that leaves the caller's id out but gives 0 inside: the child becomes that root, not 65534. */
START_TEST(explicit_maps_without_caller_become_root)
{
	static struct ns_idmap uids = { .n = 1, .range = { { 0, 100000, 65536 } } };
	static struct ns_idmap gids = { .n = 1, .range = { { 0, 100000, 65536 } } };
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER, 0);
	struct map_expect e = { 0, 100000, 65536, 0, 100000, 0, "allow" };

	o.uid_map = &uids;
	o.gid_map = &gids;
	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
	/* without 0 inside there is nobody to become: the child stays the overflow id */
	uids.range[0] = (struct ns_idmap_range){ 1, 100001, 65535 };
	gids.range[0] = (struct ns_idmap_range){ 1, 100001, 65535 };
	e = (struct map_expect){ 1, 100001, 65535, 1, 100001, 65534, "allow" };
	ck_assert_int_eq(run_fn(&o, check_maps, &e), 0);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

static int check_hostname(void *arg)
{
	char name[128];

	FN_CHECK(gethostname(name, sizeof(name)) == 0);
	FN_CHECK(strcmp(name, arg) == 0);
	return 0;
}

START_TEST(hostname)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_UTS, 0);
	char before[128], after[128];

	ck_assert_int_eq(gethostname(before, sizeof(before)), 0);
	o.hostname = "libns-spawn-test";
	ck_assert_int_eq(run_fn(&o, check_hostname, "libns-spawn-test"), 0);
	ck_assert_int_eq(run_exec(&o, "test \"$(cat /proc/sys/kernel/hostname)\" = libns-spawn-test"), 0);
	ck_assert_int_eq(gethostname(after, sizeof(after)), 0);
	ck_assert_str_eq(before, after);
}
END_TEST

static int count_proc_pids(void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	(void)arg;
	FN_CHECK(d != NULL);
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	FN_CHECK(getpid() == 1);
	FN_CHECK(n == 1);
	return 0;
}

START_TEST(mount_proc)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_PID | NS_TYPE_MNT, NS_SPAWN_MOUNT_PROC);
	int before = mounts_matching(PROC_MOUNT);

	ck_assert_int_eq(run_fn(&o, count_proc_pids, NULL), 0);
	/* the shell is pid 1 and the new /proc shows its namespace, where pid 1 is that shell */
	ck_assert_int_eq(run_exec(&o, "test $$ = 1 && test \"$(cat /proc/1/comm)\" = sh"), 0);
	/* the new /proc and the private propagation stayed inside the child's namespace */
	ck_assert_int_eq(mounts_matching(PROC_MOUNT), before);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

static int check_root(void *arg)
{
	struct stat st;

	(void)arg;
	FN_CHECK(stat("/libns-marker", &st) == 0);
	FN_CHECK(stat("/etc/passwd", &st) < 0 && errno == ENOENT);
	FN_CHECK(access("/proc/self/status", R_OK) == 0);
	/* the old root is gone, not merely hidden: only the new root and its proc are mounted */
	FN_CHECK(mounts_matching(NULL) == 2);
	return 0;
}

START_TEST(pivot_root)
{
	char marker[300];
	struct ns_spawn_opts o = opts_new(NS_TYPE_MNT | NS_TYPE_PID, NS_SPAWN_MOUNT_PROC);
	int fd;

	snprintf(marker, sizeof(marker), "%s/libns-marker", root_dir);
	fd = open(marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	o.root = root_dir;
	ck_assert_int_eq(run_fn(&o, check_root, NULL), 0);
	ck_assert_int_eq(mounts_matching(root_dir), 0);
	unlink(marker);
}
END_TEST

struct clock_expect {
	struct timespec mono, boot;
	long shift;
};

static int check_clocks(void *arg)
{
	const struct clock_expect *e = arg;
	struct timespec m, b;
	char buf[64];
	double up;

	FN_CHECK(clock_gettime(CLOCK_MONOTONIC, &m) == 0);
	FN_CHECK(clock_gettime(CLOCK_BOOTTIME, &b) == 0);
	FN_CHECK(m.tv_sec - e->mono.tv_sec >= e->shift && m.tv_sec - e->mono.tv_sec <= e->shift + 10);
	FN_CHECK(b.tv_sec - e->boot.tv_sec >= e->shift && b.tv_sec - e->boot.tv_sec <= e->shift + 10);
	/* /proc/uptime follows the boottime offset of the reader's time namespace */
	FN_CHECK(read_small("/proc/uptime", buf, sizeof(buf)) > 0 && sscanf(buf, "%lf", &up) == 1);
	FN_CHECK(up >= (double)(e->boot.tv_sec + e->shift) - 1);
	return 0;
}

static void check_time_offsets(void)
{
	struct timespec day = { 86400, 0 };
	struct ns_spawn_opts o = opts_new(NS_TYPE_TIME | NS_TYPE_USER, NS_SPAWN_MAP_ROOT);
	struct clock_expect e = { .shift = 86400 };
	int before = mounts_matching(PROC_MOUNT);

	o.monotonic_offset = &day;
	o.boottime_offset = &day;
	clock_gettime(CLOCK_MONOTONIC, &e.mono);
	clock_gettime(CLOCK_BOOTTIME, &e.boot);
	ck_assert_int_eq(run_fn(&o, check_clocks, &e), 0);
	/* the same through exec: a new program maps the time namespace's vDSO page */
	ck_assert_int_eq(run_exec(&o, "read up idle < /proc/uptime; test ${up%%.*} -ge 86400"), 0);
	/* no offsets: the namespace is made by the clone itself and the clocks are the host's */
	o = opts_new(NS_TYPE_TIME, 0);
	e.shift = 0;
	clock_gettime(CLOCK_MONOTONIC, &e.mono);
	clock_gettime(CLOCK_BOOTTIME, &e.boot);
	ck_assert_int_eq(run_fn(&o, check_clocks, &e), 0);
	ck_assert_int_eq(mounts_matching(PROC_MOUNT), before);
	ck_assert_int_eq(count_children(), 0);
}

START_TEST(time_offsets) { check_time_offsets(); }
END_TEST
START_TEST(time_offsets_without_clone3)
{
	nst_disable_features("clone3");
	check_time_offsets();
}
END_TEST

START_TEST(time_offsets_refused_range)
{
	struct timespec back = { -(1LL << 40), 0 };
	struct ns_spawn_opts o = opts_new(NS_TYPE_TIME, 0);
	int pidfd;

	o.monotonic_offset = &back;
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -ERANGE);
	ck_assert_int_eq(pidfd, -1);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "clock"));
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

/* ---- signals, capabilities ---- */

static void on_usr1(int sig)
{
	(void)sig;
}

static int check_signals(void *arg)
{
	struct sigaction sa;
	sigset_t mask;

	(void)arg;
	FN_CHECK(sigaction(SIGUSR1, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL);
	FN_CHECK(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
	FN_CHECK(sigprocmask(SIG_SETMASK, NULL, &mask) == 0);
	FN_CHECK(sigismember(&mask, SIGUSR2) == 1);
	FN_CHECK(sigismember(&mask, SIGTERM) == 0);
	return 0;
}

/* grep itself, not through a shell, which sets its own signal mask */
static int exec_grep_status(const char *pattern)
{
	char *argv[] = { "grep", "-q", (char *)pattern, "/proc/self/status", NULL };
	int pidfd, pid = ns_spawn_exec(NULL, "/bin/grep", argv, NULL, &pidfd);

	ck_assert_msg(pid > 0, "%s", ns_last_error());
	return WEXITSTATUS(wait_status(pid, pidfd));
}

static void check_signal_state(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t block;

	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	/* handlers are reset (never run in the child), ignored signals stay ignored, the mask is kept */
	ck_assert_int_eq(run_fn(NULL, check_signals, NULL), 0);
	ck_assert_int_eq(exec_grep_status("^SigBlk:.*800$"), 0);
}

START_TEST(signal_state) { check_signal_state(); }
END_TEST
START_TEST(signal_state_without_clone3)
{
	nst_disable_features("clone3");
	check_signal_state();
}
END_TEST

static int check_caps(void *arg)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	uint64_t keep = *(uint64_t *)arg;

	FN_CHECK(syscall(SYS_capget, &hdr, d) == 0);
	FN_CHECK(((uint64_t)d[1].effective << 32 | d[0].effective) == keep);
	FN_CHECK(((uint64_t)d[1].permitted << 32 | d[0].permitted) == keep);
	FN_CHECK(prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) == 0);
	FN_CHECK(prctl(PR_CAPBSET_READ, CAP_NET_BIND_SERVICE, 0, 0, 0) == 1);
	FN_CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0) == 1);
	return 0;
}

START_TEST(drop_caps)
{
	uint64_t keep = 1ULL << CAP_NET_BIND_SERVICE;
	struct ns_spawn_opts o = opts_new(0, NS_SPAWN_DROP_CAPS);
	const char *cmd = "grep -q '^CapEff:.*0000000000000400$' /proc/self/status && "
			  "grep -q '^CapBnd:.*0000000000000400$' /proc/self/status";

	o.keep_caps = keep;
	ck_assert_int_eq(run_fn(&o, check_caps, &keep), 0);
	/* root in its namespace: exec hands it the bounding set, which is the kept set */
	ck_assert_int_eq(run_exec(&o, cmd), 0);
	/* a new user namespace, mapped to a non-root uid: only ambient capabilities survive exec */
	o = opts_new(NS_TYPE_USER, NS_SPAWN_DROP_CAPS);
	o.uid_map = &(struct ns_idmap){ .n = 1, .range = { { 1000, 0, 1 } } };
	o.keep_caps = keep;
	ck_assert_int_eq(run_fn(&o, check_caps, &keep), 0);
	ck_assert_int_eq(run_exec(&o, "test $(id -u) = 1000 && grep -q '^CapAmb:.*0000000000000400$' "
				      "/proc/self/status && grep -q '^CapEff:.*0000000000000400$' /proc/self/status"), 0);
}
END_TEST

START_TEST(drop_caps_unprivileged)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		struct ns_spawn_opts o = opts_new(NS_TYPE_USER, NS_SPAWN_MAP_CURRENT | NS_SPAWN_DROP_CAPS);
		char *argv[] = { "sh", "-c", "grep -q '^CapAmb:.*0000000000000400$' /proc/self/status && "
				 "grep -q '^CapEff:.*0000000000000400$' /proc/self/status", NULL };
		int pidfd, st, pid;

		drop_to_nobody_dumpable();
		o.keep_caps = 1ULL << CAP_NET_BIND_SERVICE;
		pid = ns_spawn_exec(&o, "/bin/sh", argv, NULL, &pidfd);
		NST_CHILD_CHECK(pid > 0);
		NST_CHILD_CHECK(reap_status(pid, pidfd, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		/* without a user namespace it holds nothing it could keep, nor CAP_SETPCAP to drop the rest */
		o = opts_new(0, NS_SPAWN_DROP_CAPS);
		NST_CHILD_CHECK(ns_spawn_exec(&o, "/bin/true", argv, NULL, &pidfd) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SETPCAP") != NULL);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* ---- failures: errno, message, and nothing left behind ---- */

static void assert_clean_failure(int r, int err, const char *needle)
{
	ck_assert_msg(r == -err, "expected -%d, got %d (%s)", err, r, ns_last_error());
	ck_assert_int_eq(errno, err);
	ck_assert_msg(strstr(ns_last_error(), needle), "message \"%s\" lacks \"%s\"", ns_last_error(), needle);
	ck_assert_int_eq(count_children(), 0);
}

static void check_failure_stages(void)
{
	char *argv[] = { "x", NULL };
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER | NS_TYPE_MNT | NS_TYPE_PID, NS_SPAWN_MAP_ROOT);
	int mounts = mounts_matching(PROC_MOUNT), pidfd = 7;

	assert_clean_failure(ns_spawn_exec(&o, "/nonexistent", argv, NULL, &pidfd), ENOENT,
			     "ns_spawn_exec: exec /nonexistent: No such file or directory");
	ck_assert_int_eq(pidfd, -1);
	assert_clean_failure(ns_spawn_exec(&o, "/etc/passwd", argv, NULL, &pidfd), EACCES, "exec /etc/passwd");
	o.root = "/nonexistent-libns-root";
	assert_clean_failure(ns_spawn_exec(&o, "/bin/true", argv, NULL, &pidfd), ENOENT,
			     "root /nonexistent-libns-root");
	o.root = "/etc/passwd";
	assert_clean_failure(ns_spawn(&o, return_42, NULL, &pidfd), ENOTDIR, "/etc/passwd");
	/* a root without proc/ to mount on */
	o.root = "/sys";
	o.flags |= NS_SPAWN_MOUNT_PROC;
	assert_clean_failure(ns_spawn(&o, return_42, NULL, &pidfd), ENOENT, "mount proc on /sys/proc");
	o = opts_new(NS_TYPE_NET, 0);
	o.hostname = "nope";
	assert_clean_failure(ns_spawn(&o, return_42, NULL, &pidfd), EINVAL, "UTS");
	/* other suites may mount and unmount meanwhile: look only for what these spawns could have left */
	ck_assert_int_eq(mounts_matching(PROC_MOUNT), mounts);
	ck_assert_int_eq(mounts_matching("libns-root"), 0);
	ck_assert_int_eq(mounts_matching(" /sys/proc "), 0);
	ck_assert_int_eq(mounts_matching(" /etc/passwd "), 0);
}

START_TEST(failure_stages) { check_failure_stages(); }
END_TEST
START_TEST(failure_stages_without_clone3)
{
	nst_disable_features("clone3");
	check_failure_stages();
}
END_TEST

/* A map the kernel refuses is written by the parent: the child is killed and reaped, nothing leaks. */
START_TEST(refused_map_unprivileged)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		static struct ns_idmap root_map = { .n = 1, .range = { { 0, 0, 1 } } };
		struct ns_spawn_opts o = opts_new(NS_TYPE_USER | NS_TYPE_PID, 0);
		int fds = nst_fd_count(), pidfd = 7;

		drop_to_nobody_dumpable();
		o.uid_map = &root_map;
		NST_CHILD_CHECK(ns_spawn(&o, return_42, NULL, &pidfd) == -EPERM);
		NST_CHILD_CHECK(errno == EPERM);
		NST_CHILD_CHECK(pidfd == -1);
		NST_CHILD_CHECK(strstr(ns_last_error(), "uid_map") != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "only its own") != NULL);
		NST_CHILD_CHECK(nst_fd_count() == fds);
		NST_CHILD_CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* ---- unprivileged ---- */

struct sandbox_expect {
	const char *hostname;
};

static int check_sandbox(void *arg)
{
	const struct sandbox_expect *e = arg;
	char name[64];

	FN_CHECK(getuid() == 0 && getgid() == 0);
	FN_CHECK(getpid() == 1);
	FN_CHECK(gethostname(name, sizeof(name)) == 0 && strcmp(name, e->hostname) == 0);
	FN_CHECK(count_proc_pids(NULL) == 0);
	return 0;
}

static void unprivileged_sandbox(void)
{
	pid_t child = nst_fork_unprivileged();

	if (child == 0) {
		struct sandbox_expect e = { "sandbox" };
		struct ns_spawn_opts o = opts_new(NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_MNT | NS_TYPE_UTS,
						  NS_SPAWN_MAP_ROOT | NS_SPAWN_MOUNT_PROC);
		char *argv[] = { "sh", "-c", "test $(id -u) = 0 && test $(hostname) = sandbox", NULL };
		int pidfd, st, pid;

		drop_to_nobody_dumpable();
		o.hostname = e.hostname;
		pid = ns_spawn(&o, check_sandbox, &e, &pidfd);
		NST_CHILD_CHECK(pid > 0);
		NST_CHILD_CHECK(reap_status(pid, pidfd, &st) == pid);
		NST_CHILD_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		pid = ns_spawn_exec(&o, "/bin/sh", argv, NULL, &pidfd);
		NST_CHILD_CHECK(pid > 0);
		NST_CHILD_CHECK(reap_status(pid, pidfd, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		/* without a user namespace of its own, uid 65534 holds no CAP_SYS_ADMIN to make a network namespace */
		o = opts_new(NS_TYPE_NET, 0);
		NST_CHILD_CHECK(ns_spawn(&o, return_42, NULL, &pidfd) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}

START_TEST(unprivileged) { unprivileged_sandbox(); }
END_TEST
START_TEST(unprivileged_without_clone3)
{
	nst_disable_features("clone3");
	unprivileged_sandbox();
}
END_TEST

/*
 * A caller in a pid namespace of its own that still sees the outer /proc: the child's pid names another
 * process there. Its maps must reach the child itself (translated through the pidfd), never that one.
 */
static int nested_spawn(void *arg)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER | NS_TYPE_UTS, NS_SPAWN_MAP_ROOT);
	struct map_expect e = { 0, 0, 1, 0, 0, 0, "allow" };
	int pidfd = -1, pid, st;

	(void)arg;
	FN_CHECK(getpid() == 1);
	pid = ns_spawn(&o, check_maps, &e, &pidfd);
	if (pid < 0)
		dprintf(2, "nested ns_spawn: %s\n", ns_last_error());
	FN_CHECK(pid > 0);
	FN_CHECK(reap_status(pid, pidfd, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

static int nested_spawn_without_pidfd(void *arg)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_USER, NS_SPAWN_MAP_ROOT);

	(void)arg;
	/* no pidfd to translate with: refuse rather than guess */
	FN_CHECK(ns_spawn(&o, return_42, NULL, NULL) == -EREMOTE);
	FN_CHECK(strstr(ns_last_error(), "mount a /proc") != NULL);
	return 0;
}

START_TEST(spawn_from_inner_pid_namespace)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_PID, 0);

	ck_assert_int_eq(run_fn(&o, nested_spawn, NULL), 0);
}
END_TEST

START_TEST(spawn_from_inner_pid_namespace_without_pidfds)
{
	struct ns_spawn_opts o = opts_new(NS_TYPE_PID, 0);
	int pid;

	nst_disable_features("clone3,pidfd");
	pid = ns_spawn(&o, nested_spawn_without_pidfd, NULL, NULL);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(nst_wait(pid), 0);
}
END_TEST

/* ---- joining ---- */

static int pause_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

struct join_expect {
	pid_t target;
	unsigned joined, created;
	bool become_root;
	const char *hostname;
};

static int check_joined(void *arg)
{
	const struct join_expect *e = arg;
	char name[64];

	for (int i = 0; i < NTYPES; i++) {
		const char *t = ns_type_name(every_type[i]);
		unsigned long long mine = nst_proc_ns_ino(0, t), theirs = nst_proc_ns_ino(e->target, t);

		if (e->joined & (unsigned)every_type[i])
			FN_CHECK(mine == theirs);
		if (e->created & (unsigned)every_type[i])
			FN_CHECK(mine != theirs);
	}
	if (e->become_root)
		FN_CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0);
	if (e->joined & NS_TYPE_PID)
		FN_CHECK(getpid() > 1);
	if (e->hostname)
		FN_CHECK(gethostname(name, sizeof(name)) == 0 && strcmp(name, e->hostname) == 0);
	return 0;
}

static void check_join(void)
{
	int tpidfd = -1, tpid;
	struct ns_spawn_opts o;
	struct join_expect e;

	/* a plain target in its own uts, net and ipc namespaces */
	tpid = nst_spawn_target(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC, &tpidfd);
	ck_assert_int_gt(tpid, 0);
	o = opts_new(NS_TYPE_MNT, 0);
	o.join_pidfd = tpidfd;
	o.join_types = NS_TYPE_UTS | NS_TYPE_NET | NS_TYPE_IPC;
	e = (struct join_expect){ .target = tpid, .joined = o.join_types, .created = NS_TYPE_MNT };
	ck_assert_int_eq(run_fn(&o, check_joined, &e), 0);
	/* types the caller already shares with the target are skipped, not refused */
	o.join_types |= NS_TYPE_CGROUP;
	ck_assert_int_eq(run_fn(&o, check_joined, &e), 0);
	nst_kill(tpid, &tpidfd);

	/* a container-like target: its own user (root mapped), pid and uts namespaces */
	o = opts_new(NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_UTS | NS_TYPE_MNT, NS_SPAWN_MAP_ROOT);
	tpid = ns_spawn(&o, pause_forever, NULL, &tpidfd);
	ck_assert_msg(tpid > 0, "%s", ns_last_error());
	/* join its user and pid namespaces; a new uts namespace, owned by the joined user namespace, is
	 * renamed by the child, which can only work with the capabilities gained in that namespace */
	o = opts_new(NS_TYPE_UTS, 0);
	o.join_pidfd = tpidfd;
	o.join_types = NS_TYPE_USER | NS_TYPE_PID;
	o.hostname = "joined";
	e = (struct join_expect){ .target = tpid, .joined = o.join_types, .created = NS_TYPE_UTS,
				  .become_root = true, .hostname = "joined" };
	ck_assert_int_eq(run_fn(&o, check_joined, &e), 0);
	ck_assert_int_eq(run_exec(&o, "test $(id -u) = 0 && test $(hostname) = joined"), 0);
	ck_assert_int_eq(kill(tpid, SIGKILL), 0);
	ck_assert_int_eq(wait_status(tpid, tpidfd), SIGKILL);
	ck_assert_int_eq(count_children(), 0);
}

START_TEST(join) { check_join(); }
END_TEST
START_TEST(join_without_pidfd_setns)
{
	nst_disable_features("pidfd_setns");
	check_join();
}
END_TEST
START_TEST(join_without_clone3)
{
	nst_disable_features("clone3,pidfd_setns,pidfd_get_ns");
	check_join();
}
END_TEST

/*
 * The final child, cloned by the joining intermediate, may fail (here: no such root) before the
 * intermediate has reported its pid. It is the caller's child all the same and must not stay a zombie.
 */
START_TEST(join_failure_leaves_nothing)
{
	int tpidfd = -1, tpid = nst_spawn_target(CLONE_NEWUTS, &tpidfd);

	ck_assert_int_gt(tpid, 0);
	for (int i = 0; i < 30; i++) {
		struct ns_spawn_opts o = opts_new(NS_TYPE_MNT, 0);
		int pidfd = 7;

		o.join_pidfd = tpidfd;
		o.join_types = NS_TYPE_UTS;
		o.root = "/nonexistent-libns-root";
		ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -ENOENT);
		ck_assert_int_eq(pidfd, -1);
		ck_assert_ptr_nonnull(strstr(ns_last_error(), "/nonexistent-libns-root"));
		ck_assert_int_eq(count_children(), 1); /* the target only */
	}
	nst_kill(tpid, &tpidfd);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

/* A target uid 65534 may look at (same uid, dumpable) in a network namespace owned by the initial
 * user namespace: opening it works, joining it is refused in the child, and the error comes back. */
START_TEST(join_refused_unprivileged)
{
	int sync[2], tpidfd;
	pid_t target, child;
	char c;

	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);
	target = fork();
	if (target == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNET) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
			_exit(1);
		if (write(sync[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sync[1]);
	ck_assert_int_eq(read(sync[0], &c, 1), 1);
	close(sync[0]);
	tpidfd = (int)syscall(SYS_pidfd_open, target, 0);
	ck_assert_int_ge(tpidfd, 0);
	child = nst_fork_unprivileged();
	if (child == 0) {
		struct ns_spawn_opts o = opts_new(0, 0);
		int pidfd;

		drop_to_nobody_dumpable();
		o.join_pidfd = tpidfd;
		o.join_types = NS_TYPE_NET;
		NST_CHILD_CHECK(ns_spawn(&o, return_42, NULL, &pidfd) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "setns into the net namespace") != NULL);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	nst_kill(target, &tpidfd);
}
END_TEST

/* ---- parent death, cgroups, threads ---- */

START_TEST(die_with_parent)
{
	int p[2], pidfd;
	pid_t middle, grandchild = 0;
	struct pollfd pfd;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	middle = fork();
	if (middle == 0) {
		struct ns_spawn_opts o = opts_new(NS_TYPE_PID, NS_SPAWN_DIE_WITH_PARENT);
		int pid = ns_spawn(&o, pause_forever, NULL, NULL);

		NST_CHILD_CHECK(pid > 0);
		NST_CHILD_CHECK(write(p[1], &pid, sizeof(pid)) == sizeof(pid));
		_exit(0); /* the spawned child must die with us */
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &grandchild, sizeof(grandchild)), sizeof(grandchild));
	close(p[0]);
	pidfd = (int)syscall(SYS_pidfd_open, grandchild, 0);
	if (pidfd >= 0) {
		pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		ck_assert_int_eq(nst_wait(middle), 0);
		/* a pidfd polls readable once the process has exited */
		ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
		close(pidfd);
	} else {
		/* gone already, or no pidfds here: watch the pid (reaped by init once killed) */
		ck_assert_int_eq(nst_wait(middle), 0);
		for (int i = 0; i < 500 && kill(grandchild, 0) == 0; i++)
			usleep(10000);
		ck_assert_int_eq(kill(grandchild, 0), -1);
		ck_assert_int_eq(errno, ESRCH);
	}
}
END_TEST

static int check_cgroup(void *arg)
{
	char buf[512], want[300];

	snprintf(want, sizeof(want), "0::%s\n", (const char *)arg);
	FN_CHECK(read_small("/proc/self/cgroup", buf, sizeof(buf)) > 0);
	FN_CHECK(strstr(buf, want) != NULL);
	return 0;
}

START_TEST(into_cgroup)
{
	struct ns_spawn_opts o = opts_new(0, NS_SPAWN_INTO_CGROUP);
	char path[300];
	const char *rel;
	int fd;

	/* a fresh cgroup below ours, so parallel suites never share it */
	snprintf(path, sizeof(path), "%s/libns-spawn-%d", cgroup_dir, (int)getpid());
	ck_assert_int_eq(mkdir(path, 0755), 0);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	rel = strrchr(path, '/');
	o.cgroup_fd = fd;
	ck_assert_int_eq(run_fn(&o, check_cgroup, (void *)rel), 0);
	/* a new cgroup namespace is rooted at the cgroup the child was placed in */
	o.new_types = NS_TYPE_CGROUP;
	ck_assert_int_eq(run_fn(&o, check_cgroup, "/"), 0);
	close(fd);
	ck_assert_int_eq(rmdir(path), 0);
}
END_TEST

START_TEST(into_cgroup_needs_clone3)
{
	struct ns_spawn_opts o = opts_new(0, NS_SPAWN_INTO_CGROUP);
	int pidfd;

	nst_disable_features("clone3");
	o.cgroup_fd = 0;
	ck_assert_int_eq(ns_spawn(&o, return_42, NULL, &pidfd), -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(ns_last_error(), "CLONE_INTO_CGROUP"));
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

static void *malloc_churn(void *arg)
{
	const int *stop = arg;

	while (!__atomic_load_n(stop, __ATOMIC_RELAXED))
		free(malloc(1 + (size_t)(rand() % 4096)));
	return NULL;
}

static void *spawn_many(void *arg)
{
	char *argv[] = { "true", NULL };
	long bad = 0;

	(void)arg;
	for (int i = 0; i < 20; i++) {
		struct ns_spawn_opts o = opts_new(NS_TYPE_USER | NS_TYPE_UTS, NS_SPAWN_MAP_ROOT);
		int pidfd, st, pid = ns_spawn_exec(&o, "/bin/true", argv, NULL, &pidfd);

		if (pid <= 0 || reap_status(pid, pidfd, &st) != pid || st != 0)
			bad++;
	}
	return (void *)bad;
}

/* A multi-threaded caller: the child runs only async-signal-safe code, whatever locks other threads hold. */
START_TEST(threaded_caller)
{
	pthread_t churn[2], spawners[3];
	int stop = 0;
	void *bad;

	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&churn[i], NULL, malloc_churn, (void *)&stop), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&spawners[i], NULL, spawn_many, NULL), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(pthread_join(spawners[i], &bad), 0);
		ck_assert_int_eq((long)bad, 0);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		pthread_join(churn[i], NULL);
	ck_assert_int_eq(count_children(), 0);
}
END_TEST

/* ---- main ---- */

static const char *need_cgroup2(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], mnt[200], cg[200] = "";
	char probe[300];

	if (!f)
		return "no /proc/self/mountinfo";
	cgroup_dir[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");

		if (sep && sscanf(line, "%*d %*d %*s %*s %199s", mnt) == 1) {
			snprintf(cgroup_dir, sizeof(cgroup_dir), "%s", mnt);
			break;
		}
	}
	fclose(f);
	if (!cgroup_dir[0])
		return "no cgroup2 hierarchy mounted";
	f = fopen("/proc/self/cgroup", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "0::%199s", cg) == 1)
			break;
	if (f)
		fclose(f);
	if (strcmp(cg, "/") != 0)
		strncat(cgroup_dir, cg, sizeof(cgroup_dir) - strlen(cgroup_dir) - 1);
	snprintf(probe, sizeof(probe), "%s/libns-spawn-probe-%d", cgroup_dir, (int)getpid());
	if (mkdir(probe, 0755) < 0)
		return "cannot create a cgroup2 directory here";
	rmdir(probe);
	return geteuid() == 0 ? nst_need_feature(NS_FEATURE_CLONE_INTO_CGROUP) : "needs root";
}

int main(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = nst_tcase("spawn");
	const char *root = nst_need_root(), *timens = nst_need_feature(NS_FEATURE_TIME_NS);
	const char *root_time = root ? root : timens, *cgroup = need_cgroup2();
	const char *pidfds = nst_need_feature(NS_FEATURE_PIDFD), *root_pidfds = root ? root : pidfds;
	char *tmp;
	int r;

	snprintf(root_dir, sizeof(root_dir), "/tmp/libns-spawn-root-XXXXXX");
	tmp = mkdtemp(root_dir);
	if (tmp) {
		char proc[300];

		snprintf(proc, sizeof(proc), "%s/proc", root_dir);
		mkdir(proc, 0755);
	}
	have_pidfds = nst_need_feature(NS_FEATURE_PIDFD) == NULL;
	nst_add(tc, fn_exit_status, pidfds);
	nst_add(tc, exec_status_and_env, NULL);
	nst_add(tc, ns_wait_errors, pidfds);
	nst_add(tc, opts_size_rules, NULL);
	nst_add(tc, bad_arguments, NULL);
	nst_add(tc, new_namespaces, root_time);
	nst_add(tc, new_namespaces_without_clone3, root_time);
	nst_add(tc, map_root_and_current, root);
	nst_add(tc, map_root_and_current_without_clone3, root);
	nst_add(tc, explicit_maps_without_caller_become_root, root);
	nst_add(tc, explicit_maps, root);
	nst_add(tc, hostname, root);
	nst_add(tc, mount_proc, root);
	nst_add(tc, pivot_root, root ? root : (tmp ? NULL : "could not create a directory in /tmp"));
	nst_add(tc, time_offsets, root_time);
	nst_add(tc, time_offsets_without_clone3, root_time);
	nst_add(tc, time_offsets_refused_range, root_time);
	nst_add(tc, signal_state, NULL);
	nst_add(tc, signal_state_without_clone3, NULL);
	nst_add(tc, drop_caps, root);
	nst_add(tc, drop_caps_unprivileged, root);
	nst_add(tc, failure_stages, root);
	nst_add(tc, failure_stages_without_clone3, root);
	nst_add(tc, refused_map_unprivileged, root);
	nst_add(tc, unprivileged, root);
	nst_add(tc, unprivileged_without_clone3, root);
	nst_add(tc, spawn_from_inner_pid_namespace, root_pidfds);
	nst_add(tc, spawn_from_inner_pid_namespace_without_pidfds, root);
	nst_add(tc, join, root_pidfds);
	nst_add(tc, join_without_pidfd_setns, root_pidfds);
	nst_add(tc, join_without_clone3, root_pidfds);
	nst_add(tc, join_refused_unprivileged, root_pidfds);
	nst_add(tc, join_failure_leaves_nothing, root_pidfds);
	nst_add(tc, die_with_parent, root);
	nst_add(tc, into_cgroup, cgroup);
	nst_add(tc, into_cgroup_needs_clone3, NULL);
	nst_add(tc, threaded_caller, root);
	suite_add_tcase(s, tc);
	r = nst_run(s);
	if (tmp) {
		char proc[300];

		snprintf(proc, sizeof(proc), "%s/proc", root_dir);
		rmdir(proc);
		rmdir(root_dir);
	}
	return r;
}
