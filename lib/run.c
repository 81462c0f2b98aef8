/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_run_in(): run a function in another process's namespaces without changing the caller's. A forked
 * child enters them (ns_enter_pidfd) and reports fn's result, or why it could not enter, over a pipe.
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
}

static void run_child(int pidfd, unsigned types, ns_fn fn, void *arg, int out)
{
	unsigned joined = 0;
	pid_t inner;
	int r, st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	r = ns_enter_pidfd(pidfd, types, 0, &joined);
	if (r < 0) {
		send_result(out, r, 0);
		_exit(0);
	}
	/* setns() into a pid or time namespace applies to children: fn must run one fork deeper. */
	if (types & (NS_TYPE_PID | NS_TYPE_TIME)) {
		inner = fork();
		if (inner < 0) {
			ns__fail(errno, "ns_run_in: fork inside the target's pid namespace");
			send_result(out, -errno, 0);
			_exit(0);
		}
		if (inner > 0) {
			while (waitpid(inner, &st, 0) < 0 && errno == EINTR)
				;
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	}
	send_result(out, fn(arg), 1);
	_exit(0);
}

NS_PUBLIC int ns_run_in(int pidfd, unsigned types, ns_fn fn, void *arg, unsigned flags)
{
	struct run_result res;
	int pipefd[2], r, st = 0;
	ssize_t n;
	pid_t child;

	r = ns__check_flags("ns_run_in", flags, 0);
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
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return ns__fail(errno, "ns_run_in: pipe");
	child = fork();
	if (child < 0) {
		r = ns__fail(errno, "ns_run_in: fork");
		close(pipefd[0]);
		close(pipefd[1]);
		return r;
	}
	if (child == 0) {
		close(pipefd[0]);
		run_child(pidfd, types, fn, arg, pipefd[1]);
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
			return ns__fail(ECHILD, "ns_run_in: the function was killed by signal %d (%s) before returning",
					WTERMSIG(st), strsignal(WTERMSIG(st)));
		return ns__fail(ECHILD, "ns_run_in: the function exited (status %d) without returning",
				WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	if (!res.entered) /* the child's own message says what could not be entered and why */
		return ns__fail_verbatim(-res.value, res.message);
	if (res.value < 0)
		errno = -res.value;
	return res.value;
}
