/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_list_new()'s first phase in one pass of the kernel's task iterators instead of a readlinkat
 * per process and type and per open fd (bpf/list.bpf.c). It only finds: what each process is in,
 * and which nsfs files each has open; list.c then describes the namespaces found through /proc
 * exactly as after its own scan, so both paths give the same entries.
 *
 * The programs are loaded on first use and kept for the life of the process (libbpf parses the
 * kernel's BTF to load them: 25-40 ms on the development machine, up to 110 ms seen);
 * every later call costs two iterator reads.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/types.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"
#include "list-bpf.h"
#include "bpf/list-bpf-records.h"
#include "list.skel.h"

#define PROC_USER_INIT_INO 4026531837u  /* the initial user namespace's inode, fixed by the kernel */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38  /* added in Linux 5.8 */
#endif
#ifndef CAP_BPF
#define CAP_BPF 39      /* added in Linux 5.8 */
#endif

static const int slot_types[NS_BPF_NTYPES] = {
	[NS_BPF_MNT] = NS_TYPE_MNT, [NS_BPF_CGROUP] = NS_TYPE_CGROUP, [NS_BPF_UTS] = NS_TYPE_UTS,
	[NS_BPF_IPC] = NS_TYPE_IPC, [NS_BPF_USER] = NS_TYPE_USER, [NS_BPF_PID] = NS_TYPE_PID,
	[NS_BPF_NET] = NS_TYPE_NET, [NS_BPF_TIME] = NS_TYPE_TIME,
};

/*
 * Never more than /proc would show: the calling thread can read every process's /proc/PID/ns and
 * fd links (CAP_SYS_PTRACE in the initial user namespace) and may load tracing programs (CAP_BPF and
 * CAP_PERFMON, or CAP_SYS_ADMIN), and the /proc the scan reads numbers pids as the caller's own pid
 * namespace does, the one the iterators walk (its NStgid line has one number). NULL if all hold,
 * else what does not (for NS_LIST_BPF_ONLY's message).
 */
static const char *not_permitted(int procfd)
{
	char buf[64], want[32], *status = NULL;
	size_t size = 0;
	pid_t tgid[2];
	ssize_t n;
	bool own;

	if (!ns__thread_has_cap(CAP_SYS_PTRACE))
		return "the calling thread lacks CAP_SYS_PTRACE";
	if (!ns__thread_has_cap(CAP_SYS_ADMIN) && !(ns__thread_has_cap(CAP_BPF) && ns__thread_has_cap(CAP_PERFMON)))
		return "the calling thread lacks CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)";
	n = readlinkat(procfd, "thread-self/ns/user", buf, sizeof(buf));
	snprintf(want, sizeof(want), "user:[%u]", PROC_USER_INIT_INO);
	if (n != (ssize_t)strlen(want) || memcmp(buf, want, (size_t)n) != 0)
		return "the calling thread is not in the initial user namespace";
	/* whole: NStgid follows Groups, which alone can pass 4 KiB */
	own = ns__read_file(procfd, "self/status", &status, &size) > 0 &&
	      ns__parse_nspid(status, "NStgid", tgid, 2) == 1;
	free(status);
	return own ? NULL : "/proc belongs to another pid namespace than the caller's";
}

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int load_state;   /* 0 not tried, 1 loaded, 2 failed: /proc from then on */
static int load_err;     /* why it failed */
static int tasks_link = -1, files_link = -1;   /* all that is kept: the links hold their programs */
static __u32 tasks_link_id, files_link_id;     /* to know them again: the fds are the process's to close */

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* The kernel's id of the BPF link fd refers to, 0 if it refers to none. */
static __u32 link_id(int fd)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

/*
 * Open, load and attach the skeleton, then keep only the two iterator links' fds: disconnected,
 * the links outlive the skeleton, whose parsed BTF and object (a few MB) are freed at once.
 * libbpf's messages go through one process-wide callback: silenced while we load (a failure here
 * is not the application's to see; we fall back to /proc), then the caller's is given back.
 */
static int load(void)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	struct ns_list_bpf *skel = ns_list_bpf__open_and_load();
	int err = skel ? 0 : errno;

	if (skel && ns_list_bpf__attach(skel) < 0)
		err = errno;
	if (skel && !err) {
		bpf_link__disconnect(skel->links.ns_tasks);
		bpf_link__disconnect(skel->links.ns_files);
		tasks_link = bpf_link__fd(skel->links.ns_tasks);
		files_link = bpf_link__fd(skel->links.ns_files);
		tasks_link_id = link_id(tasks_link);
		files_link_id = link_id(files_link);
	}
	ns_list_bpf__destroy(skel);
	libbpf_set_print(old);
	return err ? -err : 0;
}

static bool loaded(void)
{
	int state = __atomic_load_n(&load_state, __ATOMIC_ACQUIRE);

	if (state)
		return state == 1;
	pthread_mutex_lock(&load_lock);
	if (!load_state) {
		int r = load();

		load_err = r < 0 ? -r : 0;
		/* out of fds or memory may pass: try again next call rather than give up for good */
		if (r == 0 || !(load_err == EMFILE || load_err == ENFILE || load_err == ENOMEM))
			__atomic_store_n(&load_state, r == 0 ? 1 : 2, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&load_lock);
	return __atomic_load_n(&load_state, __ATOMIC_ACQUIRE) == 1;
}

typedef int record_fn(const struct ns__list_sink *sink, const void *rec);

static int on_task(const struct ns__list_sink *sink, const void *rec)
{
	const struct ns_bpf_task *t = rec;

	for (int i = 0; i < NS_BPF_NTYPES; i++) {
		int r = t->ino[i] ? sink->process(sink->ctx, (pid_t)t->pid, slot_types[i], t->ino[i]) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

static int on_file(const struct ns__list_sink *sink, const void *rec)
{
	const struct ns_bpf_file *f = rec;
	char name[sizeof(f->type) + 1];
	int type;

	memcpy(name, f->type, sizeof(f->type));
	name[sizeof(f->type)] = '\0';
	type = ns__type_from_name(name);
	if (type < 0 || !f->ino)
		return 0;
	return sink->fd(sink->ctx, (pid_t)f->pid, (int)f->fd, type, f->ino);
}

/* Every record of one iterator run, in order; -ESTALE if reading failed once some were delivered. */
static int read_iter(int link_fd, __u32 id, size_t size, record_fn *fn, const struct ns__list_sink *sink,
		     bool *fed)
{
	size_t cap = 65536, have = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd, r = 0;

	if (!buf)
		return -ENOMEM;
	fd = bpf_iter_create(link_fd);
	if (fd < 0 || link_id(link_fd) != id) {   /* closed by the process, its number maybe reused */
		if (fd >= 0)
			close(fd);
		free(buf);
		return *fed ? -ESTALE : 0;
	}
	/* a record may straddle two reads: keep the tail for the next */
	while ((n = read(fd, buf + have, cap - have)) != 0) {
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = *fed ? -ESTALE : 0;
			goto out;
		}
		have += (size_t)n;
		for (; have - off >= size; off += size) {
			*fed = true;
			r = fn(sink, buf + off);
			if (r < 0)
				goto out;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	r = have ? -ESTALE : 1;
out:
	close(fd);
	free(buf);
	return r;
}

int ns__list_bpf(int procfd, bool fds, bool required, const struct ns__list_sink *sink)
{
	const char *why;
	bool fed = false;
	int r;

	if (ns_has_feature(NS_FEATURE_BPF_ITER) != 1)
		return 0;   /* NS_LIST_BPF_ONLY was refused by ns_list_new already */
	why = not_permitted(procfd);
	if (why)
		return required ? ns__fail(EPERM, "ns_list_new: NS_LIST_BPF_ONLY: %s", why) : 0;
	if (!loaded())
		return required ? ns__fail(load_err ? load_err : EINVAL, "ns_list_new: NS_LIST_BPF_ONLY: loading the BPF iterators "
					   "failed (seccomp, lockdown, or a kernel without bpf_iter task/task_file?)") : 0;
	r = read_iter(tasks_link, tasks_link_id, sizeof(struct ns_bpf_task), on_task, sink, &fed);
	if (r == 1 && fds)
		r = read_iter(files_link, files_link_id, sizeof(struct ns_bpf_file), on_file, sink, &fed);
	if (required && (r == 0 || r == -ESTALE))
		return ns__fail(EIO, "ns_list_new: NS_LIST_BPF_ONLY: reading the BPF iterators failed");
	return r;
}
