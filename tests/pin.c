/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pins and named network namespaces, live. Every test that changes mounts first moves into a private
 * mount namespace with a fresh tmpfs on /run, so the host's /run is never touched; only the iproute2
 * interop tests use the real /run/netns, with names unique to this run, deleted afterwards.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compat.h"
#include "helpers.h"

#define IP "/usr/sbin/ip"

static pid_t suite_pid;

/* ---- helpers ---- */

static char *slurp(const char *path);

/*
 * A private mount namespace with an empty tmpfs on /run: this test's changes stay in it. Mounts the
 * host has under /run (its /run/netns after `ip netns add`) are detached first, in this namespace
 * only, so that the mount table below /run is exactly what the test makes.
 */
static void isolate(void)
{
	char *all, *line, *save, mnt[PATH_MAX];
	bool again = true;

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	for (int round = 0; again && round < 64; round++) {
		again = false;
		all = slurp("/proc/self/mountinfo");
		save = NULL;
		for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
			    (strcmp(mnt, "/run") == 0 || strncmp(mnt, "/run/", 5) == 0)) {
				ck_assert_int_eq(umount2(mnt, MNT_DETACH), 0);
				again = true;
				break;
			}
		free(all);
	}
	ck_assert_int_eq(mount("libns-test", "/run", "tmpfs", 0, "mode=0755"), 0);
}

static char *slurp(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The test's mount table: compared before and after every failing call. */
static char *mountinfo(void)
{
	return slurp("/proc/self/mountinfo");
}

static void assert_mountinfo_is(const char *before)
{
	char *now = mountinfo();

	ck_assert_msg(strcmp(before, now) == 0, "mount table changed:\nbefore:\n%s\nafter:\n%s", before, now);
	free(now);
}

/* How many mounts sit exactly on path, and the mountinfo line of the top one (caller frees). */
static int mounts_at(const char *path, char **line_out)
{
	char *all = mountinfo(), *save = NULL, *line, mnt[PATH_MAX];
	int n = 0;

	if (line_out)
		*line_out = NULL;
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 && strcmp(mnt, path) == 0) {
			n++;
			if (line_out) {
				free(*line_out);
				*line_out = strdup(line);
			}
		}
	}
	free(all);
	return n;
}

static int nsfs_mounts(void)
{
	char *all = mountinfo(), *p = all;
	int n = 0;

	while ((p = strstr(p, " - nsfs ")))
		n++, p++;
	free(all);
	return n;
}

static int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static bool is_nsfs(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == NSFS_MAGIC;
}

static unsigned long long path_ino(const char *path)
{
	struct stat st;

	ck_assert_msg(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return (unsigned long long)st.st_ino;
}

static unsigned long long fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long long)st.st_ino;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void assert_error_mentions(const char *what)
{
	ck_assert_msg(strstr(ns_last_error(), what) != NULL, "message \"%s\" does not mention \"%s\"",
		      ns_last_error(), what);
}

/*
 * A target in a new mount namespace whose id is above ours. The kernel lets only a mount namespace with
 * a greater id than the caller's be pinned (mnt_ns_loop), and Linux 6.18 hands ids out in per-CPU
 * batches: a namespace made later on the other CPU can get the smaller id. Try again until it does not.
 */
/*
 * Without NS_GET_MNTNS_ID (before 6.8, or an old-kernel profile, tests/tools/kernel-profile.c, over a 6.18
 * kernel whose ids still come in batches) ask the kernel itself: a trial bind on a private tmpfs.
 */
static bool mnt_pin_allowed(int nsfd)
{
	char dir[] = "/tmp/libns-pin-trial-XXXXXX", file[64], src[64];
	bool ok = true;
	int fd;

	if (!mkdtemp(dir))
		return true;
	if (mount("tmpfs", dir, "tmpfs", 0, "size=4k") == 0) {
		mount(NULL, dir, NULL, MS_PRIVATE, NULL);
		snprintf(file, sizeof(file), "%s/f", dir);
		fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
		ok = mount(src, file, NULL, MS_BIND, NULL) == 0 || errno != EINVAL;
		umount2(dir, MNT_DETACH);
	}
	rmdir(dir);
	return ok;
}

static pid_t spawn_newer_mnt_target(unsigned types)
{
	for (int i = 0; i < 100; i++) {
		pid_t pid = nst_spawn_target(types | CLONE_NEWNS, NULL);
		int theirs_fd, mine_fd;
		uint64_t theirs = 0, mine = 0;
		bool newer;

		ck_assert_int_gt(pid, 0);
		theirs_fd = ns_open(pid, NS_TYPE_MNT, 0);
		mine_fd = ns_open(0, NS_TYPE_MNT, 0);
		if (ioctl(theirs_fd, NS_GET_MNTNS_ID, &theirs) < 0 || ioctl(mine_fd, NS_GET_MNTNS_ID, &mine) < 0)
			newer = mnt_pin_allowed(theirs_fd);
		else
			newer = theirs > mine;
		close(theirs_fd);
		close(mine_fd);
		if (newer)
			return pid;
		nst_kill(pid, NULL);
	}
	ck_abort_msg("no new mount namespace got an id above ours in 100 tries");
	return -1;
}

/* ---- ns_pin / ns_unpin ---- */

static void pin_net_round_trip(void)
{
	pid_t target;
	char *before;
	int fd, pinned;
	unsigned long long ino;

	isolate();
	before = mountinfo();
	target = nst_spawn_target(CLONE_NEWNET, NULL);
	ck_assert_int_gt(target, 0);
	fd = ns_open(target, NS_TYPE_NET, 0);
	ck_assert_int_ge(fd, 0);
	ino = fd_ino(fd);
	ck_assert_msg(ns_pin(fd, "/run/net", 0) == 0, "ns_pin: %s", ns_last_error());
	close(fd);
	ck_assert(is_nsfs("/run/net"));
	ck_assert_uint_eq(path_ino("/run/net"), ino);
	ck_assert_int_eq(mounts_at("/run/net", NULL), 1);

	/* the pin alone keeps the namespace: its process is gone */
	nst_kill(target, NULL);
	pinned = ns_open_path("/run/net", NS_TYPE_NET, 0);
	ck_assert_int_ge(pinned, 0);
	ck_assert_uint_eq(fd_ino(pinned), ino);
	close(pinned);

	ck_assert_msg(ns_unpin("/run/net", 0) == 0, "ns_unpin: %s", ns_last_error());
	ck_assert_int_eq(access("/run/net", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_mountinfo_is(before);
	free(before);
}

START_TEST(pin_net_round_trip_api) { pin_net_round_trip(); }
END_TEST
START_TEST(pin_net_round_trip_bind)
{
	nst_disable_features("mount_api");
	ck_assert_int_eq(ns_has_feature(NS_FEATURE_MOUNT_API), 0);
	pin_net_round_trip();
}
END_TEST

/* Every type, the mount namespace being a child's (newer than ours) on a private mount. */
static void pin_every_type(void)
{
	static const int types[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
				     NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
	pid_t target;
	char *before, path[64];

	isolate();
	before = mountinfo();
	target = spawn_newer_mnt_target(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP);
	ck_assert_int_gt(target, 0);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = ns_open(target, types[i], 0), back;

		ck_assert_int_ge(fd, 0);
		snprintf(path, sizeof(path), "/run/pin-%s", ns_type_name(types[i]));
		ck_assert_msg(ns_pin(fd, path, 0) == 0, "pin %s: %s", path, ns_last_error());
		back = ns_open_path(path, types[i], 0);
		ck_assert_msg(back >= 0, "reopen %s: %s", path, ns_last_error());
		ck_assert_int_eq(ns_equal(fd, back), 1);
		close(back);
		close(fd);
	}
	ck_assert_int_eq(nsfs_mounts(), 8);
	nst_kill(target, NULL);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(path, sizeof(path), "/run/pin-%s", ns_type_name(types[i]));
		ck_assert_msg(ns_unpin(path, 0) == 0, "unpin %s: %s", path, ns_last_error());
	}
	ck_assert_int_eq(dir_entries("/run"), 0);
	assert_mountinfo_is(before);
	free(before);
}

START_TEST(pin_every_type_api) { pin_every_type(); }
END_TEST
START_TEST(pin_every_type_bind)
{
	nst_disable_features("mount_api");
	pin_every_type();
}
END_TEST

/* The kernel refuses a pin of our own mount namespace (it would keep itself alive). */
static void pin_own_mntns(void)
{
	char *before;
	int fd;

	isolate();
	before = mountinfo();
	fd = ns_open(0, NS_TYPE_MNT, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ns_pin(fd, "/run/self", 0), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	assert_error_mentions("own mount namespace");
	assert_error_mentions("private mount point");
	ck_assert_int_eq(access("/run/self", F_OK), -1);
	assert_mountinfo_is(before);
	close(fd);
	free(before);
}

START_TEST(pin_own_mntns_api) { pin_own_mntns(); }
END_TEST
START_TEST(pin_own_mntns_bind)
{
	nst_disable_features("mount_api");
	pin_own_mntns();
}
END_TEST

/* A child's mount namespace on a shared mount: refused, and the advice in the message works. */
static void pin_mntns_on_shared(void)
{
	pid_t target;
	char *before, *line;
	int fd;

	isolate();
	ck_assert_int_eq(mount(NULL, "/run", NULL, MS_SHARED, NULL), 0);
	ck_assert_int_eq(mkdir("/run/private", 0755), 0);
	target = spawn_newer_mnt_target(0);
	ck_assert_int_gt(target, 0);
	fd = ns_open(target, NS_TYPE_MNT, 0);
	ck_assert_int_ge(fd, 0);
	before = mountinfo();
	ck_assert_int_eq(ns_pin(fd, "/run/mnt", 0), -EINVAL);
	assert_error_mentions("shared");
	assert_error_mentions("mount --make-private");
	ck_assert_int_eq(access("/run/mnt", F_OK), -1);
	assert_mountinfo_is(before);
	free(before);

	/* what the message says to do */
	ck_assert_int_eq(mount("/run/private", "/run/private", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(mount(NULL, "/run/private", NULL, MS_PRIVATE, NULL), 0);
	ck_assert_msg(ns_pin(fd, "/run/private/mnt", 0) == 0, "ns_pin: %s", ns_last_error());
	ck_assert_int_eq(mounts_at("/run/private/mnt", &line), 1);
	ck_assert_ptr_nonnull(strstr(line, " - nsfs "));
	ck_assert_ptr_nonnull(strstr(line, " mnt:["));
	free(line);
	ck_assert_int_eq(ns_unpin("/run/private/mnt", 0), 0);
	ck_assert_int_eq(access("/run/private/mnt", F_OK), -1);
	close(fd);
	nst_kill(target, NULL);
}

START_TEST(pin_mntns_on_shared_api) { pin_mntns_on_shared(); }
END_TEST
START_TEST(pin_mntns_on_shared_bind)
{
	nst_disable_features("mount_api");
	pin_mntns_on_shared();
}
END_TEST

START_TEST(pin_never_replaces)
{
	char *before, *text;
	int fd;

	isolate();
	fd = ns_open(0, NS_TYPE_UTS, 0);
	write_file("/run/file", "keep me\n");
	ck_assert_int_eq(mkdir("/run/dir", 0755), 0);
	ck_assert_int_eq(symlink("/run/nowhere", "/run/dangling"), 0);
	ck_assert_int_eq(ns_pin(fd, "/run/pin", 0), 0);
	before = mountinfo();

	ck_assert_int_eq(ns_pin(fd, "/run/file", 0), -EEXIST);
	assert_error_mentions("already exists");
	ck_assert_int_eq(ns_pin(fd, "/run/dir", 0), -EEXIST);
	ck_assert_int_eq(ns_pin(fd, "/run/dangling", 0), -EEXIST);
	ck_assert_int_eq(access("/run/nowhere", F_OK), -1);
	ck_assert_int_eq(ns_pin(fd, "/run/pin", 0), -EEXIST);
	ck_assert_int_eq(mounts_at("/run/pin", NULL), 1);
	text = slurp("/run/file");
	ck_assert_str_eq(text, "keep me\n");
	free(text);
	ck_assert_int_eq(dir_entries("/run"), 4);
	assert_mountinfo_is(before);
	free(before);
	ck_assert_int_eq(ns_unpin("/run/pin", 0), 0);
	close(fd);
}
END_TEST

START_TEST(pin_rejects_bad_input)
{
	static const char *const einval_paths[] = {
		"", "/run/", "/run/.", "/run/../run/x", "../x", "/run/a/../b", "/proc/self/pin",
		"/proc/sys/kernel/pin", "/proc/self/ns/pin",
	};
	char *before;
	int fd, reg;

	isolate();
	write_file("/run/regular", "");
	fd = ns_open(0, NS_TYPE_NET, 0);
	reg = open("/run/regular", O_RDONLY | O_CLOEXEC);
	before = mountinfo();
	for (size_t i = 0; i < sizeof(einval_paths) / sizeof(einval_paths[0]); i++)
		ck_assert_msg(ns_pin(fd, einval_paths[i], 0) == -EINVAL, "ns_pin(\"%s\") = %s", einval_paths[i],
			      ns_last_error());
	ck_assert_int_eq(ns_pin(fd, "/proc/self/pin", 0), -EINVAL);
	assert_error_mentions("procfs");
	ck_assert_int_eq(ns_pin(fd, "/run/a/../b", 0), -EINVAL);
	assert_error_mentions("..");
	ck_assert_int_eq(ns_pin(fd, NULL, 0), -EINVAL);
	ck_assert_int_eq(ns_pin(fd, "/run/missing/pin", 0), -ENOENT);
	assert_error_mentions("/run/missing");
	ck_assert_int_eq(ns_pin(fd, "/run/regular/pin", 0), -ENOTDIR);
	ck_assert_int_eq(ns_pin(reg, "/run/pin", 0), -EINVAL);
	assert_error_mentions("not a namespace");
	ck_assert_int_eq(ns_pin(-1, "/run/pin", 0), -EBADF);
	ck_assert_int_eq(ns_pin(fd, "/run/pin", 1), -EINVAL);
	assert_error_mentions("unknown flag");
	ck_assert_int_eq(dir_entries("/run"), 1);
	assert_mountinfo_is(before);
	free(before);
	close(reg);
	close(fd);
}
END_TEST

/* A full filesystem: the kernel's ENOSPC comes back unchanged and nothing is left. */
START_TEST(pin_enospc)
{
	char *before;
	int fd;

	isolate();
	ck_assert_int_eq(mkdir("/run/full", 0755), 0);
	/* one inode: the root directory's; no file can be created */
	ck_assert_int_eq(mount("full", "/run/full", "tmpfs", 0, "nr_inodes=1"), 0);
	fd = ns_open(0, NS_TYPE_NET, 0);
	before = mountinfo();
	ck_assert_int_eq(ns_pin(fd, "/run/full/pin", 0), -ENOSPC);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(dir_entries("/run/full"), 0);
	assert_mountinfo_is(before);
	free(before);
	close(fd);
}
END_TEST

START_TEST(unpin_rejects_non_pins)
{
	char *before, *text;
	int fd;

	isolate();
	fd = ns_open(0, NS_TYPE_NET, 0);
	ck_assert_int_eq(ns_pin(fd, "/run/pin", 0), 0);
	close(fd);
	write_file("/run/empty", "");
	write_file("/run/target", "data\n");
	write_file("/run/bound", "");
	ck_assert_int_eq(mount("/run/target", "/run/bound", NULL, MS_BIND, NULL), 0);
	ck_assert_int_eq(mkdir("/run/dir", 0755), 0);
	ck_assert_int_eq(symlink("/run/pin", "/run/link"), 0);
	before = mountinfo();

	ck_assert_int_eq(ns_unpin("/run/empty", 0), -EINVAL);
	assert_error_mentions("regular file");
	assert_error_mentions("left untouched");
	ck_assert_int_eq(ns_unpin("/run/dir", 0), -EINVAL);
	assert_error_mentions("directory");
	ck_assert_int_eq(ns_unpin("/run/dir/", 0), -EINVAL);
	ck_assert_int_eq(ns_unpin("/run/link", 0), -EINVAL);
	assert_error_mentions("symbolic link");
	ck_assert_int_eq(ns_unpin("/run/bound", 0), -EINVAL);
	assert_error_mentions("mount point");
	ck_assert_int_eq(ns_unpin("/proc/self/ns/net", 0), -EINVAL);
	ck_assert_int_eq(ns_unpin("/run/../run/pin", 0), -EINVAL);
	ck_assert_int_eq(ns_unpin("/run/missing", 0), -ENOENT);
	ck_assert_int_eq(ns_unpin("/run/missing/pin", 0), -ENOENT);
	ck_assert_int_eq(ns_unpin(NULL, 0), -EINVAL);
	ck_assert_int_eq(ns_unpin("/run/pin", 2), -EINVAL);
	ck_assert_int_eq(dir_entries("/run"), 6);
	ck_assert(is_nsfs("/run/pin"));
	text = slurp("/run/bound");
	ck_assert_str_eq(text, "data\n");
	free(text);
	assert_mountinfo_is(before);
	free(before);
	ck_assert_int_eq(ns_unpin("/run/pin", 0), 0);
	ck_assert_int_eq(umount("/run/bound"), 0);
}
END_TEST

/* A namespace bind-mounted by hand over a file with contents: unmounted, and the file is kept. */
START_TEST(unpin_keeps_files_with_contents)
{
	char *before, *text;

	isolate();
	before = mountinfo();
	write_file("/run/notes", "precious\n");
	ck_assert_int_eq(mount("/proc/self/ns/uts", "/run/notes", NULL, MS_BIND, NULL), 0);
	ck_assert(is_nsfs("/run/notes"));
	ck_assert_int_eq(ns_unpin("/run/notes", 0), 0);
	ck_assert(!is_nsfs("/run/notes"));
	text = slurp("/run/notes");
	ck_assert_str_eq(text, "precious\n");
	free(text);
	assert_mountinfo_is(before);
	free(before);
}
END_TEST

START_TEST(unprivileged_callers)
{
	char *before;
	pid_t child;
	int fd;

	isolate();
	ck_assert_int_eq(mkdir("/run/pub", 01777), 0);
	ck_assert_int_eq(chmod("/run/pub", 01777), 0);
	fd = ns_open(0, NS_TYPE_NET, 0);
	ck_assert_int_eq(ns_pin(fd, "/run/pub/pin", 0), 0);
	close(fd);
	ck_assert_msg(ns_netns_add("kept", -1, 0) == 0, "%s", ns_last_error());
	before = mountinfo();
	child = nst_fork_unprivileged();
	if (child == 0) {
		int own = ns_open(0, NS_TYPE_NET, 0), nfd;

		NST_CHILD_CHECK(own >= 0);
		NST_CHILD_CHECK(ns_pin(own, "/run/pub/new", 0) == -EPERM);
		NST_CHILD_CHECK(errno == EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(access("/run/pub/new", F_OK) < 0 && errno == ENOENT);
		NST_CHILD_CHECK(ns_unpin("/run/pub/pin", 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		/* what is not a pin is still told apart first */
		NST_CHILD_CHECK(ns_unpin("/run/pub", 0) == -EINVAL);
		NST_CHILD_CHECK(ns_netns_add("new", -1, 0) == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		NST_CHILD_CHECK(ns_netns_add("new", own, 0) == -EPERM);
		NST_CHILD_CHECK(ns_netns_del("kept") == -EPERM);
		NST_CHILD_CHECK(strstr(ns_last_error(), "CAP_SYS_ADMIN") != NULL);
		/* a pinned namespace file is world-readable: opening one needs no privilege */
		nfd = ns_netns_open("kept");
		NST_CHILD_CHECK(nfd >= 0);
		close(nfd);
		close(own);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
	assert_mountinfo_is(before);
	free(before);
	ck_assert(is_nsfs("/run/pub/pin"));
	ck_assert(is_nsfs("/run/netns/kept"));
	ck_assert_int_eq(dir_entries("/run/pub"), 1);
	ck_assert_int_eq(dir_entries("/run/netns"), 1);
	ck_assert_int_eq(ns_unpin("/run/pub/pin", 0), 0);
	ck_assert_int_eq(ns_netns_del("kept"), 0);
}
END_TEST

/* ---- named network namespaces, in a private /run ---- */

START_TEST(netns_add_new_and_del)
{
	unsigned long long mine = nst_proc_ns_ino(0, "net");
	char *line;
	int fd, own;

	isolate();
	ck_assert_msg(ns_netns_add("blue", -1, 0) == 0, "ns_netns_add: %s", ns_last_error());
	/* this thread is back where it was, and no helper thread is left over */
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), mine);
	ck_assert_int_eq(dir_entries("/proc/self/task"), 1);
	/* /run/netns as `ip netns add` leaves it: a shared mount point */
	ck_assert_int_eq(mounts_at("/run/netns", &line), 1);
	ck_assert_msg(strstr(line, " shared:") != NULL, "/run/netns is not shared: %s", line);
	free(line);
	ck_assert_int_eq(mounts_at("/run/netns/blue", NULL), 1);

	fd = ns_netns_open("blue");
	ck_assert_msg(fd >= 0, "ns_netns_open: %s", ns_last_error());
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(ns_type_of(fd), NS_TYPE_NET);
	own = ns_open(0, NS_TYPE_NET, 0);
	ck_assert_int_eq(ns_equal(fd, own), 0);
	close(own);

	ck_assert_int_eq(ns_netns_add("blue", -1, 0), -EEXIST);
	assert_error_mentions("already exists");
	ck_assert_int_eq(ns_netns_add("blue", fd, 0), -EEXIST);
	ck_assert_int_eq(mounts_at("/run/netns/blue", NULL), 1);
	close(fd);

	ck_assert_msg(ns_netns_del("blue") == 0, "ns_netns_del: %s", ns_last_error());
	ck_assert_int_eq(ns_netns_open("blue"), -ENOENT);
	assert_error_mentions("no network namespace");
	ck_assert_int_eq(ns_netns_del("blue"), -ENOENT);
	ck_assert_int_eq(dir_entries("/run/netns"), 0);
	ck_assert_int_eq(nsfs_mounts(), 0);
	/* /run/netns stays a mount point, as iproute2 leaves it */
	ck_assert_int_eq(mounts_at("/run/netns", NULL), 1);
}
END_TEST

static void netns_add_existing(void)
{
	pid_t target;
	int fd, uts, back, reg;
	char *before, path[64];

	isolate();
	ck_assert_int_eq(ns_netns_del("x"), -ENOENT);
	assert_error_mentions("/run/netns");
	target = nst_spawn_target(CLONE_NEWNET, NULL);
	fd = ns_open(target, NS_TYPE_NET, 0);
	ck_assert_msg(ns_netns_add("red", fd, 0) == 0, "%s", ns_last_error());
	nst_kill(target, NULL);
	back = ns_netns_open("red");
	ck_assert_int_ge(back, 0);
	ck_assert_int_eq(ns_equal(fd, back), 1);
	close(back);

	before = mountinfo();
	uts = ns_open(0, NS_TYPE_UTS, 0);
	ck_assert_int_eq(ns_netns_add("green", uts, 0), -EINVAL);
	assert_error_mentions("uts namespace, not a network namespace");
	write_file("/run/plain", "");
	reg = open("/run/plain", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(ns_netns_add("green", reg, 0), -EINVAL);
	ck_assert_int_eq(ns_netns_add("green", -2, 0), -EBADF);
	ck_assert_int_eq(ns_netns_add("green", 1000, 0), -EBADF);
	ck_assert_int_eq(ns_netns_add("green", fd, 4), -EINVAL);
	ck_assert_int_eq(dir_entries("/run/netns"), 1);
	assert_mountinfo_is(before);
	free(before);
	close(reg);
	close(uts);
	close(fd);
	ck_assert_int_eq(ns_netns_del("red"), 0);

	/* an O_PATH descriptor of a namespace file names it just as well */
	target = nst_spawn_target(CLONE_NEWNET, NULL);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)target);
	fd = open(path, O_PATH | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(ns_netns_add("path", fd, 0) == 0, "%s", ns_last_error());
	ck_assert_uint_eq(path_ino("/run/netns/path"), fd_ino(fd));
	nst_kill(target, NULL);
	ck_assert_int_eq(ns_netns_del("path"), 0);
	snprintf(path, sizeof(path), "/proc/self/ns/uts");
	uts = open(path, O_PATH | O_CLOEXEC);
	ck_assert_int_eq(ns_netns_add("path", uts, 0), -EINVAL);
	assert_error_mentions("uts namespace");
	close(uts);
	close(fd);
}

START_TEST(netns_add_existing_api) { netns_add_existing(); }
END_TEST
START_TEST(netns_add_existing_bind)
{
	nst_disable_features("mount_api");
	netns_add_existing();
}
END_TEST

START_TEST(netns_names)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "/abs", "trailing/" };
	char longest[NAME_MAX + 2];
	int fd;

	isolate();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(ns_netns_add(bad[i], -1, 0) == -EINVAL, "add \"%s\"", bad[i]);
		assert_error_mentions("not a valid network namespace name");
		ck_assert_int_eq(ns_netns_open(bad[i]), -EINVAL);
		ck_assert_int_eq(ns_netns_del(bad[i]), -EINVAL);
	}
	ck_assert_int_eq(ns_netns_add(NULL, -1, 0), -EINVAL);
	ck_assert_int_eq(ns_netns_open(NULL), -EINVAL);
	ck_assert_int_eq(ns_netns_del(NULL), -EINVAL);
	/* bad names are refused before anything is made */
	ck_assert_int_eq(access("/run/netns", F_OK), -1);
	memset(longest, 'n', NAME_MAX + 1);
	longest[NAME_MAX + 1] = '\0';
	ck_assert_int_eq(ns_netns_add(longest, -1, 0), -EINVAL);
	assert_error_mentions("NAME_MAX");
	longest[NAME_MAX] = '\0';
	ck_assert_msg(ns_netns_add(longest, -1, 0) == 0, "%s", ns_last_error());
	fd = ns_netns_open(longest);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ns_netns_del(longest), 0);
	ck_assert_int_eq(ns_netns_add("with space.and-dots..", -1, 0), 0);
	ck_assert_int_eq(ns_netns_del("with space.and-dots.."), 0);
}
END_TEST

/* Concurrent adds of one name: exactly one wins, and /run/netns is bound onto itself only once. */
START_TEST(netns_concurrent_adds)
{
	enum { N = 8 };
	pid_t kids[N];
	int go[2], wins = 0, exists = 0;
	char name[32], c;

	isolate();
	ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			int r;

			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(9);
			snprintf(name, sizeof(name), "own-%d", i);
			if (ns_netns_add(name, -1, 0) != 0)
				_exit(3);
			r = ns_netns_add("same", -1, 0);
			_exit(r == 0 ? 0 : r == -EEXIST ? 1 : 2);
		}
	}
	close(go[0]);
	close(go[1]);   /* every child starts now */
	for (int i = 0; i < N; i++) {
		int st = nst_wait(kids[i]);

		ck_assert_msg(st == 0 || st == 1, "child %d exited %d", i, st);
		wins += st == 0;
		exists += st == 1;
	}
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(exists, N - 1);
	ck_assert_int_eq(mounts_at("/run/netns", NULL), 1);
	ck_assert_int_eq(dir_entries("/run/netns"), N + 1);
	ck_assert_int_eq(nsfs_mounts(), N + 1);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "own-%d", i);
		ck_assert_int_eq(ns_netns_del(name), 0);
	}
	ck_assert_int_eq(ns_netns_del("same"), 0);
	ck_assert_int_eq(nsfs_mounts(), 0);
}
END_TEST

/* A full /run: ENOSPC from the directory or from the file, and the add leaves nothing behind. */
START_TEST(netns_add_enospc)
{
	char *before;

	isolate();
	ck_assert_int_eq(mount("full", "/run", "tmpfs", 0, "nr_inodes=1"), 0);
	before = mountinfo();
	ck_assert_int_eq(ns_netns_add("a", -1, 0), -ENOSPC);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(dir_entries("/run"), 0);
	assert_mountinfo_is(before);
	free(before);

	/* room for /run/netns but not for the file in it: the directory and its mount are undone */
	ck_assert_int_eq(mount("full", "/run", "tmpfs", 0, "nr_inodes=2"), 0);
	before = mountinfo();
	ck_assert_int_eq(ns_netns_add("a", -1, 0), -ENOSPC);
	ck_assert_int_eq(dir_entries("/run"), 0);
	assert_mountinfo_is(before);
	free(before);
}
END_TEST

/*
 * Where the calling thread could not come back to its network namespace (it belongs to a user
 * namespace in which the caller has no CAP_SYS_ADMIN: here, root of a user namespace of its own in the
 * host's network namespace), a helper thread makes the new one; nothing of the caller moves.
 */
START_TEST(netns_add_without_a_way_back)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		unsigned long long mine;
		int fd, own;

		NST_CHILD_CHECK(ns_unshare(NS_TYPE_USER | NS_TYPE_MNT, NS_UNSHARE_MAP_ROOT) == 0);
		NST_CHILD_CHECK(mount("libns-test", "/run", "tmpfs", 0, "mode=0755") == 0);
		own = ns_open(0, NS_TYPE_NET, 0);
		NST_CHILD_CHECK(own >= 0 && setns(own, CLONE_NEWNET) < 0 && errno == EPERM);
		mine = nst_proc_ns_ino(0, "net");
		NST_CHILD_CHECK(ns_netns_add("far", -1, 0) == 0);
		NST_CHILD_CHECK(nst_proc_ns_ino(0, "net") == mine);
		NST_CHILD_CHECK(dir_entries("/proc/self/task") == 1);
		fd = ns_netns_open("far");
		NST_CHILD_CHECK(fd >= 0 && ns_equal(fd, own) == 0);
		close(fd);
		close(own);
		NST_CHILD_CHECK(ns_netns_del("far") == 0);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/*
 * issue 9 #1: /run/netns is 0755, so anyone can open it and flock it. Whatever an unprivileged user
 * holds there, root's adds and deletes go on; the lock libns takes is on nothing they can open.
 */
START_TEST(netns_lock_not_holdable_unprivileged)
{
	int ready[2], release[2], st;
	pid_t holder, adder;
	char c;

	isolate();
	ck_assert_int_eq(mkdir("/run/netns", 0755), 0);
	ck_assert_int_eq(pipe2(ready, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(release, O_CLOEXEC), 0);
	holder = nst_fork_unprivileged();
	if (holder == 0) {
		int dir = open("/run/netns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		close(ready[0]);
		close(release[1]);
		NST_CHILD_CHECK(dir >= 0 && flock(dir, LOCK_EX) == 0);
		/* and the lock file libns uses instead is beyond reach, existing or not */
		NST_CHILD_CHECK(open("/run/libns-netns.lock", O_RDONLY | O_CREAT | O_CLOEXEC, 0666) < 0 &&
				errno == EACCES);
		NST_CHILD_CHECK(write(ready[1], "r", 1) == 1);
		NST_CHILD_CHECK(read(release[0], &c, 1) == 0);
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	adder = fork();
	ck_assert_int_ge(adder, 0);
	if (adder == 0) {
		sigset_t alrm;
		int fd;

		sigemptyset(&alrm);
		sigaddset(&alrm, SIGALRM);
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		signal(SIGALRM, SIG_DFL);
		alarm(20); /* a hang guard for the code before the fix: it waited here for ever */
		NST_CHILD_CHECK(ns_netns_add("held", -1, 0) == 0);
		fd = ns_netns_open("held");
		NST_CHILD_CHECK(fd >= 0);
		NST_CHILD_CHECK(ns_netns_add("held-too", fd, 0) == 0);
		close(fd);
		NST_CHILD_CHECK(ns_netns_del("held") == 0);
		NST_CHILD_CHECK(ns_netns_del("held-too") == 0);
		_exit(0);
	}
	st = nst_wait(adder);
	close(release[1]);
	close(ready[0]);
	ck_assert_int_eq(nst_wait(holder), 0);
	ck_assert_msg(st == 0, "the add under an unprivileged flock ended with %d (128+14: it hung)", st);
	ck_assert_int_eq(dir_entries("/run/netns"), 0);
	ck_assert_int_eq(access("/run/libns-netns.lock", F_OK), -1);
}
END_TEST

/*
 * issue 9 #2 and #3: with the fd table full at each step of an add in turn, the failed add leaves
 * nothing (no /run/netns, no mount, no file), and its message names the step that ran out, not the
 * unshare(CLONE_NEWNET) before it.
 */
START_TEST(netns_add_emfile_undoes_everything)
{
	struct rlimit old, low = { 0, 0 };
	int dups[64], n, r, steps_failed = 0, left_behind = 0, blamed_unshare = 0;
	char msg[1024];

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	for (int room = 0; room < 16; room++) {
		isolate();
		low.rlim_cur = low.rlim_max = old.rlim_max;
		low.rlim_cur = (rlim_t)nst_fd_count() + 40;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
		for (n = 0; n < 64 && (dups[n] = dup(0)) >= 0; n++)
			;
		ck_assert_int_lt(n, 64);
		for (int i = 0; i < room; i++)
			close(dups[--n]);
		r = ns_netns_add("full", -1, 0);
		snprintf(msg, sizeof(msg), "%s", ns_last_error());
		while (n > 0)
			close(dups[--n]);
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
		if (r == 0) {
			ck_assert_int_eq(ns_netns_del("full"), 0);
			break;
		}
		steps_failed++;
		ck_assert_msg(r == -EMFILE, "room %d: %d: %s", room, r, msg);
		if (access("/run/netns", F_OK) == 0 || mounts_at("/run/netns", NULL) || dir_entries("/run") ||
		    nsfs_mounts()) {
			fprintf(stderr, "room %d: left behind after: %s\n", room, msg);
			left_behind++;
		}
		if (strstr(msg, "unshare(CLONE_NEWNET): Too many open files")) {
			fprintf(stderr, "room %d: the message blames unshare: %s\n", room, msg);
			blamed_unshare++;
		}
	}
	ck_assert_int_eq(left_behind, 0);
	ck_assert_int_eq(blamed_unshare, 0);
	ck_assert_int_gt(steps_failed, 3);
}
END_TEST

START_TEST(netns_stale_and_foreign_files)
{
	int fd;

	isolate();
	ck_assert_int_eq(ns_netns_add("first", -1, 0), 0);
	/* the empty file a pin leaves once its mount is gone (a reboot, a lazy unmount elsewhere) */
	write_file("/run/netns/stale", "");
	ck_assert_int_eq(ns_netns_open("stale"), -EINVAL);
	assert_error_mentions("not a pinned namespace");
	ck_assert_int_eq(ns_unpin("/run/netns/stale", 0), -EINVAL);
	ck_assert_int_eq(ns_netns_del("stale"), 0);   /* as `ip netns del` does */
	ck_assert_int_eq(access("/run/netns/stale", F_OK), -1);
	/* but never a file with contents */
	write_file("/run/netns/notes", "keep\n");
	ck_assert_int_eq(ns_netns_del("notes"), -EINVAL);
	ck_assert_int_eq(access("/run/netns/notes", F_OK), 0);
	unlink("/run/netns/notes");
	/* something else pinned there is no network namespace */
	fd = ns_open(0, NS_TYPE_UTS, 0);
	ck_assert_int_eq(ns_pin(fd, "/run/netns/uts", 0), 0);
	close(fd);
	ck_assert_int_eq(ns_netns_open("uts"), -EINVAL);
	assert_error_mentions("uts namespace");
	ck_assert_int_eq(ns_netns_del("uts"), 0);
	ck_assert_int_eq(ns_netns_del("first"), 0);
	ck_assert_int_eq(dir_entries("/run/netns"), 0);
}
END_TEST

/* ---- iproute2 interop, on the real /run/netns ---- */

static void test_name(char *buf, size_t size, int n)
{
	snprintf(buf, size, "libns-test-%d-%d", (int)suite_pid, n);
}

/* Run a shell command line, return its exit status and (if out) its first 4 KiB of output. */
static int run(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t size, const char *fmt, ...)
{
	char cmd[512];
	size_t len = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "re");
	ck_assert_ptr_nonnull(p);
	if (out) {
		len = fread(out, 1, size - 1, p);
		out[len] = '\0';
	} else {
		char sink[256];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static bool ip_lists(const char *name)
{
	char out[4096], *line, *save = NULL;

	ck_assert_int_eq(run(out, sizeof(out), IP " netns list"), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strcspn(line, " ");   /* "NAME" or "NAME (id: N)" */

		if (n == strlen(name) && strncmp(line, name, n) == 0)
			return true;
	}
	return false;
}

/* The net namespace inode a process started by `ip netns exec NAME` is in. */
static unsigned long long ip_exec_ino(const char *name)
{
	char out[128];
	unsigned long long ino = 0;

	ck_assert_int_eq(run(out, sizeof(out), IP " netns exec %s readlink /proc/self/ns/net", name), 0);
	ck_assert_int_eq(sscanf(out, "net:[%llu]", &ino), 1);
	return ino;
}

static void interop_cleanup(void)
{
	char name[64];

	for (int i = 1; i <= 4; i++) {
		test_name(name, sizeof(name), i);
		ns_netns_del(name);
	}
}

START_TEST(interop_ip_add_libns_open_del)
{
	char name[64], path[128];
	int fd;

	test_name(name, sizeof(name), 1);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	ck_assert_int_eq(mounts_at(path, NULL), 0);
	ck_assert_int_eq(run(NULL, 0, IP " netns add %s", name), 0);
	fd = ns_netns_open(name);
	ck_assert_msg(fd >= 0, "ns_netns_open: %s", ns_last_error());
	ck_assert_int_eq(ns_type_of(fd), NS_TYPE_NET);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_uint_eq(fd_ino(fd), ip_exec_ino(name));
	ck_assert_uint_ne(fd_ino(fd), nst_proc_ns_ino(0, "net"));
	close(fd);
	ck_assert_msg(ns_netns_del(name) == 0, "ns_netns_del: %s", ns_last_error());
	ck_assert(!ip_lists(name));
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(mounts_at(path, NULL), 0);
}
END_TEST

static void libns_add_ip_use(void)
{
	char a[64], b[64], out[4096], path[128];
	unsigned long long mine = nst_proc_ns_ino(0, "net");
	int fd;

	test_name(a, sizeof(a), 2);
	test_name(b, sizeof(b), 3);
	ck_assert_msg(ns_netns_add(a, -1, 0) == 0, "ns_netns_add: %s", ns_last_error());
	ck_assert_msg(ns_netns_add(b, -1, 0) == 0, "ns_netns_add: %s", ns_last_error());
	ck_assert_uint_eq(nst_proc_ns_ino(0, "net"), mine);
	ck_assert(ip_lists(a));
	ck_assert(ip_lists(b));
	/* a fresh namespace: only its loopback device */
	ck_assert_int_eq(run(out, sizeof(out), IP " netns exec %s " IP " -o link show", a), 0);
	ck_assert_msg(strstr(out, ": lo:") != NULL && strchr(out, '\n') == out + strlen(out) - 1,
		      "ip link in %s shows:\n%s", a, out);
	fd = ns_netns_open(a);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(fd_ino(fd), ip_exec_ino(a));
	ck_assert_uint_ne(fd_ino(fd), mine);
	close(fd);
	/* iproute2 deletes ours, we delete ours, and `ip netns list` sees both go */
	ck_assert_int_eq(run(NULL, 0, IP " netns del %s", a), 0);
	ck_assert_int_eq(ns_netns_open(a), -ENOENT);
	ck_assert_msg(ns_netns_del(b) == 0, "ns_netns_del: %s", ns_last_error());
	ck_assert(!ip_lists(a));
	ck_assert(!ip_lists(b));
	snprintf(path, sizeof(path), "/run/netns/%s", b);
	ck_assert_int_eq(mounts_at(path, NULL), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
}

START_TEST(interop_libns_add_ip_use_api) { libns_add_ip_use(); }
END_TEST
START_TEST(interop_libns_add_ip_use_bind)
{
	nst_disable_features("mount_api");
	libns_add_ip_use();
}
END_TEST

/* Pin an existing namespace under a name; `ip netns exec` enters exactly that one. */
START_TEST(interop_libns_add_fd)
{
	char name[64];
	pid_t target = nst_spawn_target(CLONE_NEWNET, NULL);
	int fd;

	test_name(name, sizeof(name), 4);
	fd = ns_open(target, NS_TYPE_NET, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(ns_netns_add(name, fd, 0) == 0, "ns_netns_add: %s", ns_last_error());
	nst_kill(target, NULL);
	ck_assert_uint_eq(ip_exec_ino(name), fd_ino(fd));
	close(fd);
	ck_assert_int_eq(ns_netns_del(name), 0);
	ck_assert(!ip_lists(name));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pin");
	TCase *tc = nst_tcase("pin"), *ip = nst_tcase("iproute2");
	const char *root = nst_need_root();
	const char *api = root ? root : nst_need_feature(NS_FEATURE_MOUNT_API);
	const char *time_ns = root ? root : nst_need_feature(NS_FEATURE_TIME_NS);
	const char *iproute = root ? root : access(IP, X_OK) == 0 ? NULL : "needs iproute2 (" IP ")";

	suite_pid = getpid();
	nst_add(tc, pin_net_round_trip_api, api);
	nst_add(tc, pin_net_round_trip_bind, root);
	nst_add(tc, pin_every_type_api, api ? api : time_ns);
	nst_add(tc, pin_every_type_bind, time_ns);
	nst_add(tc, pin_own_mntns_api, api);
	nst_add(tc, pin_own_mntns_bind, root);
	nst_add(tc, pin_mntns_on_shared_api, api);
	nst_add(tc, pin_mntns_on_shared_bind, root);
	nst_add(tc, pin_never_replaces, root);
	nst_add(tc, pin_rejects_bad_input, root);
	nst_add(tc, pin_enospc, root);
	nst_add(tc, unpin_rejects_non_pins, root);
	nst_add(tc, unpin_keeps_files_with_contents, root);
	nst_add(tc, unprivileged_callers, root);
	nst_add(tc, netns_add_new_and_del, root);
	nst_add(tc, netns_add_existing_api, api);
	nst_add(tc, netns_add_existing_bind, root);
	nst_add(tc, netns_names, root);
	nst_add(tc, netns_concurrent_adds, root);
	nst_add(tc, netns_add_enospc, root);
	nst_add(tc, netns_stale_and_foreign_files, root);
	nst_add(tc, netns_lock_not_holdable_unprivileged, root);
	nst_add(tc, netns_add_without_a_way_back, root);
	nst_add(tc, netns_add_emfile_undoes_everything, root);
	suite_add_tcase(s, tc);

	/* Runs in the runner process after the interop tests, even when one failed half-way. */
	tcase_add_unchecked_fixture(ip, NULL, interop_cleanup);
	nst_add(ip, interop_ip_add_libns_open_del, iproute);
	nst_add(ip, interop_libns_add_ip_use_api, iproute ? iproute : api);
	nst_add(ip, interop_libns_add_ip_use_bind, iproute);
	nst_add(ip, interop_libns_add_fd, iproute);
	suite_add_tcase(s, ip);
	return nst_run(s);
}
