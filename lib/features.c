/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel feature probes (libbpf's features.c pattern): each probe is a small harmless syscall, run once
 * and cached; LIBNS_DISABLE_FEATURES takes features away for tests. ns_type_from_name() lives here too:
 * it is the one public lookup of types.h that records a message, which pure types.c may not.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef LIBNS_HAVE_BPF
#include <linux/bpf.h>
#include <sys/syscall.h>
#endif
#include "error-internal.h"
#include "features-internal.h"
#include "nsfs.h"
#include "types-internal.h"
#include "syscall.h"

NS_PUBLIC int ns_type_from_name(const char *name)
{
	int type;

	if (!name)
		return ns__fail(EINVAL, "ns_type_from_name: name is NULL");
	type = ns__type_from_name(name);
	if (type > 0)
		return type;
	/* the "mount" and "network" spellings of unshare(1) and nsenter(1) long options */
	if (strcmp(name, "mount") == 0)
		return NS_TYPE_MNT;
	if (strcmp(name, "network") == 0)
		return NS_TYPE_NET;
	return ns__fail(EINVAL, "ns_type_from_name: \"%s\" is not a namespace type "
			"(mnt, cgroup, uts, ipc, user, pid, net, time)", name);
}


static const struct {
	int feature;
	const char *name;
} feature_names[] = {
	{ NS_FEATURE_PIDFD, "pidfd" },
	{ NS_FEATURE_PIDFD_SETNS, "pidfd_setns" },
	{ NS_FEATURE_PIDFD_GET_NS, "pidfd_get_ns" },
	{ NS_FEATURE_CLONE3, "clone3" },
	{ NS_FEATURE_NS_ID, "ns_id" },
	{ NS_FEATURE_NSFS_HANDLE, "nsfs_handle" },
	{ NS_FEATURE_PID_TRANSLATE, "pid_translate" },
	{ NS_FEATURE_LISTNS, "listns" },
	{ NS_FEATURE_TIME_NS, "time_ns" },
	{ NS_FEATURE_CLONE_INTO_CGROUP, "clone_into_cgroup" },
	{ NS_FEATURE_MOUNT_API, "mount_api" },
	{ NS_FEATURE_BPF_ITER, "bpf_iter" },
};

NS_PUBLIC const char *ns_feature_name(int feature)
{
	for (size_t i = 0; i < NS_ARRAY_SIZE(feature_names); i++)
		if (feature_names[i].feature == feature)
			return feature_names[i].name;
	return NULL;
}

/*
 * Each feature's state: 0 not probed, 1 present, 2 absent. Probes are idempotent and have no
 * lasting effect, so two threads racing to probe the same feature both store the same answer:
 * relaxed atomics are enough and no lock is needed on the hot path.
 */
static int feature_state[NS_ARRAY_SIZE(feature_names)];
_Static_assert(NS_FEATURES_ALL == (1 << NS_ARRAY_SIZE(feature_names)) - 1,
	       "feature_names lists every NS_FEATURE_* bit, in order");
static int feature_mask_disabled;
static int feature_mask_loaded;

/*
 * LIBNS_DISABLE_FEATURES=pidfd_get_ns,ns_id,... makes libns behave as on a kernel without those
 * features. It only takes features away (never claims one the kernel lacks), so it cannot make
 * a privileged program less safe; secure_getenv ignores it in setuid programs anyway.
 */
void ns__feature_mask_from_env(void)
{
	const char *env;
	int mask = 0;

	if (__atomic_load_n(&feature_mask_loaded, __ATOMIC_ACQUIRE))
		return;
	env = secure_getenv("LIBNS_DISABLE_FEATURES");
	if (env) {
		char buf[256], *save = NULL, *tok;

		strncpy(buf, env, sizeof(buf) - 1);
		buf[sizeof(buf) - 1] = '\0';
		for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			if (strcmp(tok, "all") == 0)
				mask |= NS_FEATURES_ALL;
			for (size_t i = 0; i < NS_ARRAY_SIZE(feature_names); i++)
				if (strcmp(tok, feature_names[i].name) == 0)
					mask |= feature_names[i].feature;
		}
	}
	__atomic_store_n(&feature_mask_disabled, mask, __ATOMIC_RELAXED);
	__atomic_store_n(&feature_mask_loaded, 1, __ATOMIC_RELEASE);
}

static bool probe_pidfd(void)
{
	int fd = sys_pidfd_open(getpid(), 0);

	if (fd < 0)
		return fd != -ENOSYS;
	close(fd);
	return true;
}

static bool probe_pidfd_get_ns(void)
{
	int pidfd = sys_pidfd_open(getpid(), 0), fd;

	if (pidfd < 0)
		return false;
	fd = ioctl(pidfd, PIDFD_GET_UTS_NAMESPACE, 0);
	close(pidfd);
	if (fd < 0)
		return errno != ENOTTY && errno != EINVAL;
	close(fd);
	return true;
}

/*
 * Before 5.8 setns() accepted only nsfs fds and a single CLONE_NEW* (or 0), so a pidfd with
 * two types fails with EINVAL; from 5.8 it re-enters our own UTS and IPC namespaces, which
 * changes nothing, or fails with EPERM for an unprivileged caller (still proof of support).
 */
static bool probe_pidfd_setns(void)
{
	int pidfd = sys_pidfd_open(getpid(), 0), r;

	if (pidfd < 0)
		return false;
	r = sys_setns(pidfd, CLONE_NEWUTS | CLONE_NEWIPC);
	close(pidfd);
	return r != -EINVAL;
}

static bool probe_clone3(void)
{
	/* A NULL argument is rejected (EFAULT/EINVAL) before anything is cloned; ENOSYS means absent. */
	return sys_clone3(NULL, 0) != -ENOSYS;
}

static bool probe_clone_into_cgroup(void)
{
	/*
	 * Before 5.7 the flag is unknown (EINVAL) or the larger struct is refused (E2BIG); from 5.7 the
	 * kernel looks the fd up and fails EBADF, before any child exists. (An fd above INT_MAX would be
	 * EINVAL everywhere, hence INT_MAX.)
	 */
	struct ns_compat_clone_args args = { .flags = CLONE_INTO_CGROUP, .cgroup = INT_MAX };
	long r = sys_clone3(&args, sizeof(args));

	if (r == 0)
		_exit(127); /* unreachable with an invalid fd; never let a stray child run on */
	return r == -EBADF;
}

static bool probe_ns_ioctl(unsigned long req, const char *ns)
{
	int fd = ns__open_own(ns), r;
	uint64_t v = 0;

	if (fd < 0)
		return false;
	r = sys_ioctl(fd, req, &v);
	close(fd);
	return r >= 0;
}

static bool probe_pid_translate(void)
{
	int fd = ns__open_own("pid"), r;

	if (fd < 0)
		return false;
	r = ioctl(fd, NS_GET_PID_FROM_PIDNS, (unsigned long)getpid());
	close(fd);
	return r > 0;
}

static bool probe_nsfs_handle(void)
{
	struct {
		struct file_handle fh;
		unsigned char data[64];
	} h;
	int fd = ns__open_own("uts"), mount_id, r;

	if (fd < 0)
		return false;
	h.fh.handle_bytes = sizeof(h.data);
	r = name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH);
	close(fd);
	return r == 0 && h.fh.handle_type == FILEID_NSFS;
}

static bool probe_listns(void)
{
	struct ns_compat_ns_id_req req = { .size = sizeof(req) };
	uint64_t id;

	return sys_listns(&req, &id, 1, 0) != -ENOSYS;
}

/*
 * The link appears with 5.6, but a link is not the interface: a seccomp policy (a sandbox, or
 * the old-kernel profiles the tests run under) may refuse CLONE_NEWTIME while the link exists,
 * and then every time-namespace operation fails EINVAL. So ask setns() itself: re-entering our
 * own time namespace changes nothing when it is also the one our children get (otherwise we
 * unshared one already, which is proof enough). EPERM (unprivileged) and EUSERS (threaded) still
 * prove the kernel knows the type; only EINVAL means it does not.
 */
static bool probe_time_ns(void)
{
	struct stat cur, children;
	int fd, r;

	if (stat("/proc/thread-self/ns/time", &cur) < 0)
		return false;
	if (stat("/proc/thread-self/ns/time_for_children", &children) == 0 && children.st_ino != cur.st_ino)
		return true;
	fd = open("/proc/thread-self/ns/time", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true; /* the link exists; not being allowed to open it says nothing against the kernel */
	r = sys_setns(fd, CLONE_NEWTIME);
	close(fd);
	return r != -EINVAL;
}

static bool probe_mount_api(void)
{
	/* An empty path without AT_EMPTY_PATH fails ENOENT where the syscall exists. */
	int fd = sys_open_tree(-1, "", OPEN_TREE_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd != -ENOSYS;
}

/* ns_list_new()'s BPF path (list-bpf.c): only when built with it (meson -Dbpf); loads nothing. */
static bool probe_bpf_iter(void)
{
#ifdef LIBNS_HAVE_BPF
	union bpf_attr attr;
	long r;

	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0)
		return false;   /* CO-RE needs the kernel's BTF (CONFIG_DEBUG_INFO_BTF) */
	/* BPF_ITER_CREATE (5.8) of no link: EBADF where it exists, EINVAL before; EPERM says bpf() exists */
	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (__u32)-1;
	r = syscall(SYS_bpf, BPF_ITER_CREATE, &attr, sizeof(attr));
	if (r >= 0)
		close((int)r);
	return r >= 0 || errno == EBADF || errno == EPERM;
#else
	return false;
#endif
}

static bool probe(int feature)
{
	switch (feature) {
	case NS_FEATURE_PIDFD: return probe_pidfd();
	case NS_FEATURE_PIDFD_SETNS: return probe_pidfd_setns();
	case NS_FEATURE_PIDFD_GET_NS: return probe_pidfd_get_ns();
	case NS_FEATURE_CLONE3: return probe_clone3();
	case NS_FEATURE_NS_ID: return probe_ns_ioctl(NS_GET_ID, "uts");
	case NS_FEATURE_NSFS_HANDLE: return probe_nsfs_handle();
	case NS_FEATURE_PID_TRANSLATE: return probe_pid_translate();
	case NS_FEATURE_LISTNS: return probe_listns();
	case NS_FEATURE_TIME_NS: return probe_time_ns();
	case NS_FEATURE_CLONE_INTO_CGROUP: return probe_clone_into_cgroup();
	case NS_FEATURE_MOUNT_API: return probe_mount_api();
	case NS_FEATURE_BPF_ITER: return probe_bpf_iter();
	}
	return false;
}

/* Features built on another: a kernel (or a mask) without the base cannot have them. */
static bool base_features_present(int feature)
{
	switch (feature) {
	case NS_FEATURE_PIDFD_SETNS:
	case NS_FEATURE_PIDFD_GET_NS:
		return ns_has_feature(NS_FEATURE_PIDFD) == 1;
	case NS_FEATURE_CLONE_INTO_CGROUP:
		return ns_has_feature(NS_FEATURE_CLONE3) == 1;
	}
	return true;
}

NS_PUBLIC int ns_has_feature(int feature)
{
	int bit, state;

	if (feature <= 0 || (feature & (feature - 1)) || (feature & ~NS_FEATURES_ALL))
		return ns__fail(EINVAL, "ns_has_feature: 0x%x is not one NS_FEATURE_* value", (unsigned)feature);
	bit = __builtin_ctz((unsigned)feature);
	state = __atomic_load_n(&feature_state[bit], __ATOMIC_RELAXED);
	if (state == 0) {
		ns__feature_mask_from_env();
		if (__atomic_load_n(&feature_mask_disabled, __ATOMIC_RELAXED) & feature)
			state = 2;
		else if (!base_features_present(feature))
			state = 2;
		else
			state = probe(feature) ? 1 : 2;
		__atomic_store_n(&feature_state[bit], state, __ATOMIC_RELAXED);
	}
	return state == 1;
}

NS_PUBLIC int ns_features(void)
{
	int all = 0;

	for (int bit = 0; (1 << bit) & NS_FEATURES_ALL; bit++)
		if (ns_has_feature(1 << bit) == 1)
			all |= 1 << bit;
	return all;
}

/* What the caller was refused without a feature, for the features whose absence an entry point reports. */
static const struct {
	int feature;
	int err;
	const char *what;
} missing_feature[] = {
	{ NS_FEATURE_TIME_NS, EOPNOTSUPP, "time namespaces (Linux 5.6)" },
	{ NS_FEATURE_PIDFD, ENOSYS, "pidfd_open() (Linux 5.3)" },
};

int ns__need_feature(const char *fn, int feature)
{
	if (ns_has_feature(feature) == 1)
		return 0;
	for (size_t i = 0; i < NS_ARRAY_SIZE(missing_feature); i++)
		if (missing_feature[i].feature == feature)
			return ns__fail(missing_feature[i].err, "%s: this kernel has no %s", fn, missing_feature[i].what);
	return ns__fail(EOPNOTSUPP, "%s: this kernel has no %s", fn, ns_feature_name(feature));
}

int ns__need_types(const char *fn, unsigned types)
{
	return (types & NS_TYPE_TIME) ? ns__need_feature(fn, NS_FEATURE_TIME_NS) : 0;
}
