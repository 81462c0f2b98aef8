/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-kernel half of ns_list_new()'s BPF path (lib/list-bpf.c is the other): two iterators
 * whose output is a stream of fixed-size records, read with read() on an iterator fd.
 *
 * CO-RE: only the fields read here are declared, with preserve_access_index, and libbpf moves
 * each access to where the running kernel's BTF puts it. A vmlinux.h dumped from the build
 * machine would tie the object to that kernel's headers and put 100k+ lines in the tree for the
 * dozen fields we use.
 *
 * Visibility: the kernel's task iterators walk the pid namespace of the task that created the
 * iterator fd (the reader), so only tasks it could see in its own /proc are visited; their pids
 * are given as that pid namespace numbers them (struct pid's numbers[] at the reader's level),
 * not the global task->pid. Only thread-group leaders are reported, as /proc/PID is.
 */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "list-bpf-records.h"

#define NSFS_MAGIC 0x6e736673

struct proc_ns_operations {
	const char *name;
} __attribute__((preserve_access_index));

struct ns_common {
	const struct proc_ns_operations *ops;
	unsigned int inum;
} __attribute__((preserve_access_index));

#define NS_STRUCT(name) struct name { struct ns_common ns; } __attribute__((preserve_access_index))
NS_STRUCT(mnt_namespace);
NS_STRUCT(uts_namespace);
NS_STRUCT(ipc_namespace);
NS_STRUCT(pid_namespace);
NS_STRUCT(net);
NS_STRUCT(time_namespace);
NS_STRUCT(cgroup_namespace);
NS_STRUCT(user_namespace);

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct net *net_ns;
	struct time_namespace *time_ns;
	struct cgroup_namespace *cgroup_ns;
} __attribute__((preserve_access_index));

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[];
} __attribute__((preserve_access_index));

struct cred {
	struct user_namespace *user_ns;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid, tgid;
	struct nsproxy *nsproxy;
	const struct cred *real_cred;
	struct pid *thread_pid;
} __attribute__((preserve_access_index));

struct super_block {
	unsigned long s_magic;
} __attribute__((preserve_access_index));

struct inode {
	struct super_block *i_sb;
	void *i_private;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
} __attribute__((preserve_access_index));

/* The upid of p at level (or nr 0 if p has none there), as pid_nr_ns() would find it. */
static __always_inline struct upid upid_at(const struct pid *p, unsigned int level)
{
	struct upid u = { 0, 0 };
	unsigned long base = (unsigned long)p + bpf_core_field_offset(struct pid, numbers);

	if (p && BPF_CORE_READ(p, level) >= level)
		bpf_probe_read_kernel(&u, sizeof(u), (void *)(base + level * sizeof(struct upid)));
	return u;
}

/*
 * The pid of task as the reader's pid namespace numbers it; 0 if it has none there. The task's own
 * fields are read with plain loads (the verifier makes them fault-safe: cheaper than a helper call
 * each); the flexible numbers[] array, indexed by a level known only at run time, with probe reads.
 */
static __always_inline __u32 reader_pid(struct task_struct *task)
{
	struct task_struct *me = (struct task_struct *)bpf_get_current_task();
	struct pid *mine = BPF_CORE_READ(me, thread_pid);
	unsigned int level = BPF_CORE_READ(mine, level);
	struct upid want = upid_at(mine, level), got = upid_at(task->thread_pid, level);

	return got.ns == want.ns && got.nr > 0 ? (__u32)got.nr : 0;
}

/* Only thread-group leaders stand for their process, as /proc/PID does. */
static __always_inline int leader(struct task_struct *task)
{
	return task->pid == task->tgid;
}

SEC("iter/task")
int ns_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct ns_bpf_task rec = {};
	struct nsproxy *nsp;
	struct pid *tp;

	if (!task || !leader(task))
		return 0;
	rec.pid = reader_pid(task);
	if (!rec.pid)
		return 0;
	/* what /proc/PID/ns/TYPE links to; an exited task (zombie) has no nsproxy, only user and pid */
	nsp = task->nsproxy;
	if (nsp) {
		rec.ino[NS_BPF_MNT] = nsp->mnt_ns->ns.inum;
		rec.ino[NS_BPF_CGROUP] = nsp->cgroup_ns->ns.inum;
		rec.ino[NS_BPF_UTS] = nsp->uts_ns->ns.inum;
		rec.ino[NS_BPF_IPC] = nsp->ipc_ns->ns.inum;
		rec.ino[NS_BPF_NET] = nsp->net_ns->ns.inum;
		if (bpf_core_field_exists(nsp->time_ns))
			rec.ino[NS_BPF_TIME] = nsp->time_ns->ns.inum;
	}
	rec.ino[NS_BPF_USER] = task->real_cred->user_ns->ns.inum;
	tp = task->thread_pid;
	if (tp) {
		struct pid_namespace *own = upid_at(tp, tp->level).ns;

		rec.ino[NS_BPF_PID] = BPF_CORE_READ(own, ns.inum);
	}
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}

SEC("iter/task_file")
int ns_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct ns_bpf_file rec = {};
	struct ns_common *ns;

	/* every open file of every process comes here: the cheapest test first */
	if (!task || !file || file->f_inode->i_sb->s_magic != NSFS_MAGIC || !leader(task))
		return 0;
	rec.pid = reader_pid(task);
	if (!rec.pid)
		return 0;
	/* an nsfs inode's i_private is its namespace's ns_common; the link text uses ops->name */
	ns = file->f_inode->i_private;
	rec.fd = ctx->fd;
	rec.ino = BPF_CORE_READ(ns, inum);
	bpf_probe_read_kernel_str(rec.type, sizeof(rec.type), BPF_CORE_READ(ns, ops, name));
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}

/* LGPL-2.1-or-later code may be used under the GPL, which the probe-read helpers require. */
char LICENSE[] SEC("license") = "GPL";
