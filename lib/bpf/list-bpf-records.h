/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The records lib/bpf/list.bpf.c writes and lib/list-bpf.c reads: one layout for both sides. */
#ifndef LIBNS_LIST_BPF_RECORDS_H
#define LIBNS_LIST_BPF_RECORDS_H

/* ino[] slots: the order of list.c's scan_types */
enum { NS_BPF_MNT, NS_BPF_CGROUP, NS_BPF_UTS, NS_BPF_IPC, NS_BPF_USER, NS_BPF_PID, NS_BPF_NET, NS_BPF_TIME,
       NS_BPF_NTYPES };

/* A process (thread-group leader): its pid and the inode of each namespace it is in, 0 = no link. */
struct ns_bpf_task {
	__u32 pid;
	__u32 ino[NS_BPF_NTYPES];
};

/* An open nsfs file of a process: type is the namespace type's name, as in its /proc/PID/fd link. */
struct ns_bpf_file {
	__u32 pid;
	__u32 fd;
	__u32 ino;
	char type[8];
};

#endif
