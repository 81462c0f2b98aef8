/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fresh threads that enter namespaces: NS_RUN_THREAD (run.c) and ns_socket().
 *
 * The thread is made for one function: it enters, runs it and ends. It is never handed back to a pool,
 * so no later code runs in the namespaces it entered by accident (the bug of thread-reusing designs such
 * as CNI's first ns.Do). A thread can join every namespace kept in the per-thread nsproxy (net, uts,
 * ipc, cgroup) and, once it no longer shares its fs_struct, a mount namespace; the kernel refuses user
 * namespaces to a multi-threaded process, pid namespaces apply only to children, and time namespaces
 * need a single-threaded process (run.c refuses those three).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include "internal.h"
#include "run-internal.h"
#include "syscall.h"

/* ns_socket's step needs little; glibc keeps freed stacks for the next thread of the same size */
#define SOCKET_STACK (64 * 1024)

struct run_thread {
	const char *fname;
	const int *fds, *types;
	unsigned n;
	ns_fn fn;
	void *arg;
	bool keep_message;
	bool entered;
	int value;
	char message[768];
};

static int enter_one(const char *fname, int fd, int type)
{
	int r = sys_setns(fd, type);

	if (r == -EPERM)
		return ns__fail_priv(EPERM, fd, "%s: setns(%s) on fd %d", fname, ns_type_name(type), fd);
	if (r < 0)
		return ns__fail(-r, "%s: setns(%s) on fd %d", fname, ns_type_name(type), fd);
	return 0;
}

static void *thread_main(void *p)
{
	struct run_thread *t = p;
	int r = 0;

	for (unsigned i = 0; i < t->n && r == 0; i++)
		if (t->types[i] == NS_TYPE_MNT && unshare(CLONE_FS) < 0)
			r = ns__fail(errno, "%s: unshare(CLONE_FS), which a thread needs before it enters a mount "
				     "namespace", t->fname);
	for (unsigned i = 0; i < t->n && r == 0; i++)
		r = enter_one(t->fname, t->fds[i], t->types[i]);
	if (r == 0) {
		t->entered = true;
		r = t->fn(t->arg);
	}
	t->value = r;
	if (!t->entered || (t->keep_message && r < 0))
		snprintf(t->message, sizeof(t->message), "%s", ns_last_error());
	return NULL;
}

int ns__run_thread(const char *fname, const int *fds, const int *types, unsigned n, ns_fn fn, void *arg,
		   size_t stack_size, bool keep_message)
{
	struct run_thread t = { .fname = fname, .fds = fds, .types = types, .n = n, .fn = fn, .arg = arg,
				.keep_message = keep_message };
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int r;

	r = pthread_attr_init(&attr);
	if (r == 0)
		r = pthread_attr_setstacksize(&attr, stack_size);
	if (r != 0) {
		pthread_attr_destroy(&attr);
		return ns__fail(r, "%s: thread attributes", fname);
	}
	/* The thread inherits this mask: no signal meant for the process is ever handled on it. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&th, &attr, thread_main, &t);
	if (r == EINVAL) /* a program with a large static TLS needs more than our stack: glibc's default then */
		r = pthread_create(&th, NULL, thread_main, &t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r != 0)
		return ns__fail(r, "%s: could not start the thread that enters the namespaces", fname);
	pthread_join(th, NULL);
	if (!t.entered || (keep_message && t.value < 0))
		return ns__fail_verbatim(-t.value, t.message);
	if (t.value < 0)
		errno = -t.value;
	return t.value;
}

struct socket_args {
	int domain, type, protocol;
};

static int make_socket(void *p)
{
	const struct socket_args *a = p;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->protocol);

	if (fd < 0)
		return ns__fail(errno, "ns_socket: socket(%d, 0x%x, %d) inside the network namespace", a->domain,
				(unsigned)a->type, a->protocol);
	return fd;
}

NS_PUBLIC int ns_socket(int netns_fd, int domain, int type, int protocol)
{
	struct socket_args a = { domain, type, protocol };
	int nstype;

	if (netns_fd == -1)
		return make_socket(&a);
	if (netns_fd < 0)
		return ns__fail(EBADF, "ns_socket: %d is not an open file descriptor (-1: this network namespace)",
				netns_fd);
	nstype = ns__nsfd_type("ns_socket", netns_fd);
	if (nstype < 0)
		return nstype;
	if (nstype != NS_TYPE_NET)
		return ns__fail(EINVAL, "ns_socket: fd %d is a %s namespace, not a network namespace", netns_fd,
				ns_type_name(nstype));
	/* a socket belongs for good to the network namespace it was made in: make it on a thread inside */
	return ns__run_thread("ns_socket", &netns_fd, &nstype, 1, make_socket, &a, SOCKET_STACK, true);
}
