/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pins: a namespace kept alive by a bind mount of its nsfs inode onto a file. iproute2's named network
 * namespaces are exactly such pins under /run/netns (netns.c).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
/* before compat.h: glibc defines the mount API constants unconditionally, compat.h only if missing */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"
#include "pin-internal.h"
#include "syscall.h"

/* ---- paths ---- */

static bool has_dotdot_component(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		p += strspn(p, "/");
	}
	return false;
}

/*
 * Open the directory that will hold PATH's last component and point *base at that component.
 * Working through a directory fd keeps every later step on the directory that was checked here.
 */
static int open_parent(const char *fn, const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash;
	struct statfs sfs;
	size_t len;
	int dfd;

	if (!path || !*path)
		return ns__fail(EINVAL, "%s: empty path", fn);
	len = strlen(path);
	if (len >= sizeof(dir))
		return ns__fail(ENAMETOOLONG, "%s: path is longer than PATH_MAX", fn);
	/* ".." makes the checks below about where the pin lands (not procfs, this directory) unreliable */
	if (has_dotdot_component(path))
		return ns__fail(EINVAL, "%s: %s contains a \"..\" component: give the path without it", fn, path);
	slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	if (!**base || strcmp(*base, ".") == 0)
		return ns__fail(EINVAL, "%s: %s names a directory, not a file", fn, path);
	if (strlen(*base) > NAME_MAX)
		return ns__fail(ENAMETOOLONG, "%s: last component of %s is longer than NAME_MAX", fn, path);
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ENOENT)
			return ns__fail(ENOENT, "%s: directory %s does not exist", fn, dir);
		if (errno == ENOTDIR)
			return ns__fail(ENOTDIR, "%s: %s is not a directory", fn, dir);
		return ns__fail(errno, "%s: open directory %s", fn, dir);
	}
	if (fstatfs(dfd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC) {
		close(dfd);
		return ns__fail(EINVAL, "%s: %s is inside procfs, where a namespace cannot be pinned "
				"(/proc/PID/ns files already name namespaces; pin on a regular filesystem)", fn, path);
	}
	return dfd;
}

/* ---- privilege ---- */

int ns__pin_mount_eperm(const char *fn, const char *what, const char *path)
{
	int mntfd = ns__open_own("mnt"), r;

	r = ns__fail_priv(EPERM, mntfd, "%s: %s %s", fn, what, path);
	if (mntfd >= 0)
		close(mntfd);
	return r;
}

/*
 * Mounting needs CAP_SYS_ADMIN over the caller's mount namespace. Without it in its own effective set
 * the thread has it nowhere, so the kernel would refuse: say so before creating anything.
 */
int ns__pin_need_sys_admin(const char *fn, const char *path)
{
	if (ns__thread_has_cap(CAP_SYS_ADMIN))
		return 0;
	return ns__pin_mount_eperm(fn, "may not mount or unmount on", path);
}

/* ---- pin ---- */

static int bind_ns(int nsfd, int target_fd)
{
	char from[64], to[64];
	int tree, r;

	if (ns_has_feature(NS_FEATURE_MOUNT_API)) {
		/* Mounting on the fd of the file just created: no path lookup can swap the target. */
		tree = sys_open_tree(nsfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (tree < 0)
			return tree;
		r = sys_move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
		close(tree);
		return r;
	}
	/* thread-self: the fd table may be this thread's own (unshare(CLONE_FILES)) */
	snprintf(from, sizeof(from), "/proc/thread-self/fd/%d", nsfd);
	snprintf(to, sizeof(to), "/proc/thread-self/fd/%d", target_fd);
	return mount(from, to, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

/* Is the mount that holds fd's file a shared one? Read from mountinfo, for error messages only. */
/* 1 when line is the mount ctx names and it is shared, 2 when it is that mount and not shared. */
static int mount_is_shared(char *line, void *ctx)
{
	char *end;

	if (strtoull(line, NULL, 10) != *(const uint64_t *)ctx)
		return 0;
	end = strstr(line, " - ");
	if (end)
		*end = '\0';  /* the optional fields (shared:N ...) come before the separator */
	return strstr(line, " shared:") ? 1 : 2;
}

static bool on_shared_mount(int fd)
{
	struct statx stx;
	uint64_t id;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return false;
	id = stx.stx_mnt_id;
	return ns__mountinfo_foreach(-1, mount_is_shared, &id) == 1;
}

/*
 * The kernel refuses a bind of a mount namespace whose id is not greater than the caller's own mount
 * namespace's (mnt_ns_loop): such a pin could keep alive the namespace it lives in. NS_GET_MNTNS_ID
 * (6.8) reads the same id. Linux 6.18 hands those ids out in per-CPU batches, so a namespace created
 * later on another CPU can still get the smaller one and be refused.
 */
static bool mntns_not_newer_than_mine(int nsfd, uint64_t *theirs, uint64_t *mine)
{
	int self = ns__open_own("mnt");
	bool older;

	*theirs = *mine = 0;
	if (self < 0)
		return false;
	if (ioctl(nsfd, NS_GET_MNTNS_ID, theirs) == 0 && ioctl(self, NS_GET_MNTNS_ID, mine) == 0)
		older = *theirs <= *mine;
	else
		older = ns_equal(nsfd, self) == 1;
	close(self);
	return older;
}

static int pin_mount_error(const char *fn, int err, int nsfd, int type, int target_fd, const char *path)
{
	uint64_t ino = 0, theirs, mine;

	ns__fstat_nsfs(nsfd, NULL, &ino);
	/* mount(2) says EINVAL, move_mount(2) ELOOP or EINVAL: one answer, with the way out */
	if (type == NS_TYPE_MNT && (err == EINVAL || err == ELOOP)) {
		if (mntns_not_newer_than_mine(nsfd, &theirs, &mine))
			return ns__fail(EINVAL, "%s: cannot pin mount namespace mnt:[%llu] at %s: it is the caller's "
					"own mount namespace or an older one (id %llu, caller's %llu), and the kernel "
					"refuses a pin that could keep its own namespace alive (a loop); pin it from "
					"an older (parent) mount namespace, on a private mount point (Linux 6.18 gives "
					"out ids per CPU: a namespace created later may still have the smaller id, "
					"create it again)", fn, (unsigned long long)ino, path,
					(unsigned long long)theirs, (unsigned long long)mine);
		if (on_shared_mount(target_fd))
			return ns__fail(EINVAL, "%s: cannot pin mount namespace mnt:[%llu] at %s: the mount holding "
					"it is shared, so the pin could propagate into that namespace itself (a loop "
					"the kernel refuses); use a private mount point, e.g. mount --bind DIR DIR && "
					"mount --make-private DIR", fn, (unsigned long long)ino, path);
		return ns__fail(EINVAL, "%s: cannot pin mount namespace mnt:[%llu] at %s: the kernel refuses pins "
				"that could form a mount-namespace loop; use a private (not shared) mount point "
				"in a mount namespace older than the pinned one", fn, (unsigned long long)ino, path);
	}
	if (err == EPERM)
		return ns__pin_mount_eperm(fn, "may not bind-mount a namespace on", path);
	return ns__fail(err, "%s: bind-mount of %s:[%llu] onto %s", fn,
			ns_type_name(type) ? ns_type_name(type) : "namespace", (unsigned long long)ino, path);
}

/* Remove the file this call created, and only that one (same inode as the fd we hold). */
void ns__pin_remove_created(int dfd, const char *base, int fd)
{
	struct stat ours, now;

	if (fstat(fd, &ours) == 0 && fstatat(dfd, base, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    ours.st_dev == now.st_dev && ours.st_ino == now.st_ino)
		unlinkat(dfd, base, 0);
}

int ns__pin_create_file(const char *fn, int dfd, const char *base, const char *path)
{
	/* O_EXCL: a pin never replaces anything, not even an empty file or a dangling symlink */
	int fd = openat(dfd, base, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0444);

	if (fd >= 0)
		return fd;
	if (errno == EEXIST)
		return ns__fail(EEXIST, "%s: %s already exists (a pin never replaces a file)", fn, path);
	if (errno == EACCES)
		return ns__fail(EACCES, "%s: may not create %s (no write permission on its directory)", fn, path);
	return ns__fail(errno, "%s: create %s", fn, path);
}

int ns__pin_onto(const char *fn, int nsfd, int type, int dfd, const char *base, int fd, const char *path)
{
	int r = bind_ns(nsfd, fd);

	if (r < 0) {
		/* undo first: the explanation reads mountinfo, which may need what just ran out */
		ns__pin_remove_created(dfd, base, fd);
		r = pin_mount_error(fn, -r, nsfd, type, fd, path);
	}
	return r;
}

int ns__pin_at(const char *fn, int nsfd, int type, int dfd, const char *base, const char *path)
{
	int fd = ns__pin_create_file(fn, dfd, base, path), r;

	if (fd < 0)
		return fd;
	r = ns__pin_onto(fn, nsfd, type, dfd, base, fd, path);
	close(fd);
	return r;
}

/* The type of an nsfs fd (0 if the kernel will not say), or -errno. */
int ns__pin_check_nsfd(const char *fn, int nsfd)
{
	int r, type, fd;
	char path[64];

	/* the common case in one call: only nsfs answers NS_GET_NSTYPE */
	type = nsfd >= 0 ? ioctl(nsfd, NS_GET_NSTYPE) : -1;
	if (type > 0)
		return type;
	r = ns__fstat_nsfs(nsfd, NULL, NULL);
	if (r == -EINVAL)
		return ns__fail(EINVAL, "%s: fd %d is not a namespace (not an nsfs file)", fn, nsfd);
	if (r < 0)
		return ns__fail(-r, "%s: %d is not an open file descriptor", fn, nsfd);
	type = ioctl(nsfd, NS_GET_NSTYPE);
	if (type < 0 && errno == EBADF) {
		/* an O_PATH fd takes no ioctl: ask through a real open of the same namespace */
		snprintf(path, sizeof(path), "/proc/thread-self/fd/%d", nsfd);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			type = ioctl(fd, NS_GET_NSTYPE);
			close(fd);
		}
	}
	return type < 0 ? 0 : type;
}

NS_PUBLIC int ns_pin(int nsfd, const char *path, unsigned flags)
{
	const char *base;
	int r, type, dfd;

	r = ns__check_flags("ns_pin", flags, 0);
	if (r < 0)
		return r;
	type = ns__pin_check_nsfd("ns_pin", nsfd);
	if (type < 0)
		return type;
	dfd = open_parent("ns_pin", path, &base);
	if (dfd < 0)
		return dfd;
	r = ns__pin_need_sys_admin("ns_pin", path);
	if (r == 0)
		r = ns__pin_at("ns_pin", nsfd, type, dfd, base, path);
	close(dfd);
	return r;
}

/* ---- unpin ---- */

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "regular file";
	case S_IFDIR: return "directory";
	case S_IFLNK: return "symbolic link";
	default: return "special file";
	}
}

enum pin_kind { PIN_MOUNTED, PIN_STALE_FILE };

/*
 * A pin is an nsfs inode at the root of a mount. With allow_stale, an empty regular file (what is left
 * when a pin's mount went away, e.g. after a reboot) counts too, as `ip netns del` removes those.
 */
static int classify(const char *fn, int dfd, const char *base, const char *path, bool allow_stale)
{
	struct statx stx;
	int fd, r = 0;
	bool nsfs;

	if (statx(dfd, base, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_SIZE, &stx) < 0) {
		if (errno == ENOENT)
			return ns__fail(ENOENT, "%s: %s does not exist", fn, path);
		return ns__fail(errno, "%s: stat %s", fn, path);
	}
	/* nsfs is one device: once proven, its number says it; before that, ask the filesystem */
	nsfs = ns__is_nsfs_dev(makedev(stx.stx_dev_major, stx.stx_dev_minor));
	if (!nsfs) {
		fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		r = fd < 0 ? -errno : ns__fstat_nsfs(fd, NULL, NULL);
		if (fd >= 0)
			close(fd);
		nsfs = r == 0;
		if (r == -ENOENT)
			return ns__fail(ENOENT, "%s: %s does not exist", fn, path);
		if (r < 0 && r != -EINVAL)
			return ns__fail(-r, "%s: stat %s", fn, path);
	}
	if (nsfs) {
		/* Before 5.8 no MOUNT_ROOT attribute; an nsfs inode reachable by path is then always a bind mount */
		if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
			r = ns__fail(EINVAL, "%s: %s is a namespace file but not a mount point; left untouched", fn, path);
		else
			r = PIN_MOUNTED;
	} else if (allow_stale && S_ISREG(stx.stx_mode) && stx.stx_size == 0 &&
		   !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		r = PIN_STALE_FILE;
	} else {
		r = ns__fail(EINVAL, "%s: %s is a %s%s, not a pinned namespace (an nsfs bind mount); left untouched",
			     fn, path, (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? "mount point on a " : "",
			     file_kind(stx.stx_mode));
	}
	return r;
}

/*
 * Unmount base in the directory dfd checked, not whatever path names by now: whoever may write to a
 * directory on the way could swap it for a link to another directory between the check and the
 * unmount. umount2() takes no fd; /proc/thread-self/fd/N is that fd's directory, so only the last
 * component is looked up again, and UMOUNT_NOFOLLOW keeps that one from being a link. Without /proc,
 * the path as given.
 */
static int unmount_at(int dfd, const char *base, const char *path)
{
	char at[64 + NAME_MAX];

	if (dfd == AT_FDCWD)   /* the caller vouches for every directory on the way (netns.c: /run/netns) */
		return umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	snprintf(at, sizeof(at), "/proc/thread-self/fd/%d/%s", dfd, base);
	if (umount2(at, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
		return 0;
	if (errno != ENOENT || access("/proc/thread-self/fd", F_OK) == 0)
		return -1;
	return umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
}

int ns__unpin_at(const char *fn, int dfd, const char *base, const char *path, bool allow_stale)
{
	struct stat st;
	int kind, r;

	kind = classify(fn, dfd, base, path, allow_stale);
	if (kind < 0)
		return kind;
	/* a refused unmount explains itself (EPERM below); a stale file has no unmount to refuse */
	r = kind == PIN_STALE_FILE ? ns__pin_need_sys_admin(fn, path) : 0;
	if (r < 0)
		return r;
	if (kind == PIN_MOUNTED && unmount_at(dfd, base, path) < 0) {
		if (errno == EPERM)
			return ns__pin_mount_eperm(fn, "may not unmount", path);
		return ns__fail(errno, "%s: unmount %s", fn, path);
	}
	/*
	 * Remove only what pins are made of: an empty regular file. A namespace bind-mounted by hand over
	 * a file with contents leaves that file in place; another pin stacked below stays mounted.
	 */
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
		return 0;
	if (unlinkat(dfd, base, 0) < 0 && errno != ENOENT && errno != EBUSY)
		return ns__fail(errno, "%s: unmounted %s but could not remove the file", fn, path);
	return 0;
}

NS_PUBLIC int ns_unpin(const char *path, unsigned flags)
{
	const char *base;
	int r, dfd;

	r = ns__check_flags("ns_unpin", flags, 0);
	if (r < 0)
		return r;
	dfd = open_parent("ns_unpin", path, &base);
	if (dfd < 0)
		return dfd;
	r = ns__unpin_at("ns_unpin", dfd, base, path, false);
	close(dfd);
	return r;
}
