/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_run_in() and ns_run_in_fds(): run a function inside namespaces without moving any thread of the
 * caller. By default in a child process that enters and reports fn's int back over a pipe; with
 * NS_RUN_THREAD on a fresh thread of this process (run-thread.c).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"
#include "run-internal.h"

/* fn is the caller's code (a Python or Go callback, say): room for it, still far below the 8 MiB default */
#define RUN_STACK (1024 * 1024)
#define NS_THREAD_REFUSED (NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_TIME)

/* What the child enters: the pidfd's plan (ns_run_in), or fds by type index (ns_run_in_fds). */
struct run_target {
	const char *fn;
	int pidfd;
	const int *fds;
	unsigned types;
};

struct run_result {
	int value;      /* fn's return value, or -errno when entering failed */
	int entered;    /* 1 once fn ran */
	char message[400];
};

static void send_result(int fd, int value, int entered)
{
	struct run_result res = { .value = value, .entered = entered };

	if (!entered)
		snprintf(res.message, sizeof(res.message), "%s", ns_last_error());
	if (write(fd, &res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(126);
	close(fd); /* the child exits next: nothing of the library's stays open to the end */
}

static void run_child(const struct run_target *t, ns_fn fn, void *arg, int out)
{
	pid_t inner;
	int r, st = 0; /* waitpid may fail ECHILD (SIGCHLD ignored): exit 0, the pipe tells */

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	r = t->fds ? ns__enter_fds(t->fn, t->fds, t->types) : ns_enter_pidfd(t->pidfd, t->types, 0, NULL);
	if (r < 0) {
		send_result(out, r, 0);
		_exit(0);
	}
	/* setns() into a pid or time namespace applies to children: fn must run one fork deeper. */
	if (t->types & (NS_TYPE_PID | NS_TYPE_TIME)) {
		inner = fork();
		if (inner < 0) {
			ns__fail(errno, "%s: fork inside the target's pid namespace", t->fn);
			send_result(out, -errno, 0);
			_exit(0);
		}
		if (inner > 0) {
			close(out); /* the inner child reports; this one only passes on its exit */
			while (waitpid(inner, &st, 0) < 0 && errno == EINTR)
				;
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	}
	send_result(out, fn(arg), 1);
	_exit(0);
}

static int run_in_child(const struct run_target *t, ns_fn fn, void *arg)
{
	struct run_result res;
	int pipefd[2], r, st = 0;
	ssize_t n;
	pid_t child;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return ns__fail(errno, "%s: pipe", t->fn);
	child = fork();
	if (child < 0) {
		r = ns__fail(errno, "%s: fork", t->fn);
		close(pipefd[0]);
		close(pipefd[1]);
		return r;
	}
	if (child == 0) {
		close(pipefd[0]);
		run_child(t, fn, arg, pipefd[1]);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &res, sizeof(res));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		; /* ECHILD (SIGCHLD ignored, or reaped elsewhere) leaves st 0: judged by the pipe alone */
	if (n != (ssize_t)sizeof(res)) {
		if (WIFSIGNALED(st))
			return ns__fail(ECHILD, "%s: the function was killed by signal %d (%s) before returning",
					t->fn, WTERMSIG(st), strsignal(WTERMSIG(st)));
		return ns__fail(ECHILD, "%s: the function exited (status %d) without returning", t->fn,
				WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	if (!res.entered) /* the child's own message says what could not be entered and why */
		return ns__fail_verbatim(-res.value, res.message);
	if (res.value < 0)
		errno = -res.value;
	return res.value;
}

static int refuse_for_thread(const char *fn, unsigned types)
{
	char buf[64];

	if (!(types & NS_THREAD_REFUSED))
		return 0;
	return ns__fail(EINVAL, "%s: NS_RUN_THREAD cannot enter %s namespaces (a thread cannot join a user "
			"namespace, a pid or time namespace applies only to new processes): leave out "
			"NS_RUN_THREAD to run fn in a child process", fn,
			ns__types_text(types & NS_THREAD_REFUSED, buf, sizeof(buf)));
}

/* NS_RUN_THREAD for a process: its namespaces as fds, entered by the thread. */
static int run_in_thread_pidfd(int pidfd, unsigned types, ns_fn fn, void *arg)
{
	int fds[NS_NTYPES], tys[NS_NTYPES], r = refuse_for_thread("ns_run_in", types);
	unsigned n = 0;

	for (int i = 0; i < NS_NTYPES && r >= 0; i++) {
		int type = ns__types[i].type;

		if (!(types & (unsigned)type))
			continue;
		r = ns_open_pidfd(pidfd, type, 0);
		if (r >= 0) {
			fds[n] = r;
			tys[n++] = type;
		}
	}
	if (r >= 0)
		r = ns__run_thread("ns_run_in", fds, tys, n, fn, arg, RUN_STACK, false);
	for (unsigned i = 0; i < n; i++)
		close(fds[i]);
	return r;
}

NS_PUBLIC int ns_run_in(int pidfd, unsigned types, ns_fn fn, void *arg, unsigned flags)
{
	struct run_target t = { .fn = "ns_run_in", .pidfd = pidfd, .types = types };
	int r;

	r = ns__check_flags("ns_run_in", flags, NS_RUN_THREAD);
	if (r == 0)
		r = ns__check_types("ns_run_in", types);
	if (r == 0)
		r = ns__need_types("ns_run_in", types);
	if (r < 0)
		return r;
	if (!fn)
		return ns__fail(EINVAL, "ns_run_in: fn is NULL");
	r = ns__check_fd("ns_run_in", pidfd);
	if (r < 0)
		return r;
	if (flags & NS_RUN_THREAD)
		return run_in_thread_pidfd(pidfd, types, fn, arg);
	return run_in_child(&t, fn, arg);
}

NS_PUBLIC int ns_run_in_fds(const int *nsfds, unsigned n, ns_fn fn, void *arg, unsigned flags)
{
	struct run_target t = { .fn = "ns_run_in_fds", .pidfd = -1 };
	int r, types[NS_NTYPES], by_index[NS_NTYPES];
	unsigned all = 0;

	r = ns__check_flags("ns_run_in_fds", flags, NS_RUN_THREAD);
	if (r < 0)
		return r;
	if (!nsfds || n == 0)
		return ns__fail(EINVAL, "ns_run_in_fds: no namespaces given (nsfds %s, n %u)", nsfds ? "set" : "NULL", n);
	if (n > NS_NTYPES)
		return ns__fail(EINVAL, "ns_run_in_fds: %u fds, but there are only %d namespace types", n, NS_NTYPES);
	if (!fn)
		return ns__fail(EINVAL, "ns_run_in_fds: fn is NULL");
	for (int i = 0; i < NS_NTYPES; i++)
		by_index[i] = -1;
	for (unsigned i = 0; i < n; i++) {
		int type = ns__nsfd_type("ns_run_in_fds", nsfds[i]);

		if (type < 0)
			return type;
		if (all & (unsigned)type)
			return ns__fail(EINVAL, "ns_run_in_fds: fd %d and fd %d are both %s namespaces (one of each "
					"type)", by_index[ns__type_index(type)], nsfds[i], ns_type_name(type));
		all |= (unsigned)type;
		types[i] = type;
		by_index[ns__type_index(type)] = nsfds[i];
	}
	if (!(flags & NS_RUN_THREAD)) {
		t.fds = by_index;
		t.types = all;
		return run_in_child(&t, fn, arg);
	}
	r = refuse_for_thread("ns_run_in_fds", all);
	return r < 0 ? r : ns__run_thread("ns_run_in_fds", nsfds, types, n, fn, arg, RUN_STACK, false);
}
