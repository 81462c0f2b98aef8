/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel uapi values newer than the build headers (Debian 12 ships 6.1 headers; libns runs on
 * kernels up to 6.19). Each value is only a number: whether the running kernel understands it
 * is probed at run time (see features.c), never assumed from these definitions.
 * Private: never installed, so it cannot collide with a newer system header.
 */
#ifndef LIBNS_COMPAT_H
#define LIBNS_COMPAT_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/types.h>

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL /* Linux 5.5 */
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47                  /* Linux 4.3 */
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080         /* Linux 5.6 */
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000           /* Linux 5.2 */
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL /* Linux 5.7 */
#endif

/* ---- nsfs ioctls (linux/nsfs.h) ---- */
#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(NSIO, 0x1)          /* Linux 4.9 */
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSIO, 0x2)          /* Linux 4.9 */
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSIO, 0x3)          /* Linux 4.11 */
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID _IO(NSIO, 0x4)       /* Linux 4.11 */
#endif
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(NSIO, 0x5, __u64) /* Linux 6.8, mount namespaces only */
#endif
#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS _IOR(NSIO, 0x6, int)  /* Linux 6.11 */
#define NS_GET_TGID_FROM_PIDNS _IOR(NSIO, 0x7, int) /* Linux 6.11 */
#define NS_GET_PID_IN_PIDNS _IOR(NSIO, 0x8, int)    /* Linux 6.11 */
#define NS_GET_TGID_IN_PIDNS _IOR(NSIO, 0x9, int)   /* Linux 6.11 */
#endif
#ifndef NS_GET_ID
#define NS_GET_ID _IOR(NSIO, 13, __u64)       /* Linux 6.18, every namespace type */
#endif

/* nsfs file handles: name_to_handle_at() on an nsfs fd, open_by_handle_at(FD_NSFS_ROOT), Linux 6.18 */
#ifndef FD_NSFS_ROOT
#define FD_NSFS_ROOT (-10003)
#endif
#ifndef FILEID_NSFS
#define FILEID_NSFS 0xf1
#endif
struct ns_compat_nsfs_file_handle {
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t ns_inum;
};

/* ---- pidfd ioctls (linux/pidfd.h), Linux 6.11 ---- */
#ifndef PIDFS_IOCTL_MAGIC
#define PIDFS_IOCTL_MAGIC 0xFF
#endif
#ifndef PIDFD_GET_CGROUP_NAMESPACE
#define PIDFD_GET_CGROUP_NAMESPACE            _IO(PIDFS_IOCTL_MAGIC, 1)
#define PIDFD_GET_IPC_NAMESPACE               _IO(PIDFS_IOCTL_MAGIC, 2)
#define PIDFD_GET_MNT_NAMESPACE               _IO(PIDFS_IOCTL_MAGIC, 3)
#define PIDFD_GET_NET_NAMESPACE               _IO(PIDFS_IOCTL_MAGIC, 4)
#define PIDFD_GET_PID_NAMESPACE               _IO(PIDFS_IOCTL_MAGIC, 5)
#define PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE  _IO(PIDFS_IOCTL_MAGIC, 6)
#define PIDFD_GET_TIME_NAMESPACE              _IO(PIDFS_IOCTL_MAGIC, 7)
#define PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 8)
#define PIDFD_GET_USER_NAMESPACE              _IO(PIDFS_IOCTL_MAGIC, 9)
#define PIDFD_GET_UTS_NAMESPACE               _IO(PIDFS_IOCTL_MAGIC, 10)
#endif

/* ---- syscall numbers (x86_64 and the generic table share these since 5.x) ---- */
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424   /* Linux 5.1 */
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428           /* Linux 5.2 */
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429          /* Linux 5.2 */
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434          /* Linux 5.3 */
#endif
#ifndef __NR_clone3
#define __NR_clone3 435              /* Linux 5.3 */
#endif
#ifndef __NR_listns
#define __NR_listns 470              /* Linux 6.19 */
#endif

/* ---- mount API (linux/mount.h), Linux 5.2 ---- */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC 02000000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

/* ---- statx (linux/stat.h) ---- */
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U /* Linux 6.8: stx_mnt_id never reused (the 64-bit mount id) */
#endif

/* ---- clone3 (linux/sched.h) ---- */
struct ns_compat_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;       /* Linux 5.5 */
	uint64_t set_tid_size;  /* Linux 5.5 */
	uint64_t cgroup;        /* Linux 5.7 */
};

/* ---- listns (linux/nsfs.h), Linux 6.19 ---- */
struct ns_compat_ns_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t spare2;
	uint64_t user_ns_id;
};
#define NS_COMPAT_LISTNS_CURRENT_USER UINT64_MAX

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

#endif
