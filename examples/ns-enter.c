/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-enter: run a program in the namespaces of another process, like nsenter(1).
 *
 *   ns-enter -t PID [-m] [-u] [-i] [-n] [-p] [-U] [-C] [-T] [-a] [--] [PROGRAM [ARGS...]]
 *
 * One call, ns_enter_pid(), does the whole plan: on Linux 5.8+ a single atomic setns() through a
 * pidfd, otherwise one setns() per namespace in the order that works. Entering a pid or time
 * namespace only affects children, so the program runs in a forked child.
 */
#define _GNU_SOURCE
#include <libns/libns.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: ns-enter -t PID [-m] [-u] [-i] [-n] [-p] [-U] [-C] [-T] [-a] [--] [PROGRAM [ARGS...]]\n"
			"  -m mount  -u uts  -i ipc  -n net  -p pid  -U user  -C cgroup  -T time  -a all of them\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' }, { "mount", no_argument, NULL, 'm' },
		{ "uts", no_argument, NULL, 'u' },          { "ipc", no_argument, NULL, 'i' },
		{ "net", no_argument, NULL, 'n' },          { "pid", no_argument, NULL, 'p' },
		{ "user", no_argument, NULL, 'U' },         { "cgroup", no_argument, NULL, 'C' },
		{ "time", no_argument, NULL, 'T' },         { "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	char *shell[] = { getenv("SHELL") ? getenv("SHELL") : "/bin/sh", NULL };
	char **cmd = shell;
	unsigned types = 0, joined = 0;
	pid_t target = 0, child;
	int c, status;

	while ((c = getopt_long(argc, argv, "+t:muinpUCTa", longopts, NULL)) != -1) {
		switch (c) {
		case 't': target = atoi(optarg); break;
		case 'm': types |= NS_TYPE_MNT; break;
		case 'u': types |= NS_TYPE_UTS; break;
		case 'i': types |= NS_TYPE_IPC; break;
		case 'n': types |= NS_TYPE_NET; break;
		case 'p': types |= NS_TYPE_PID; break;
		case 'U': types |= NS_TYPE_USER; break;
		case 'C': types |= NS_TYPE_CGROUP; break;
		case 'T': types |= NS_TYPE_TIME; break;
		case 'a': types |= NS_TYPES_ALL; break;
		default: usage();
		}
	}
	if (target <= 0 || types == 0)
		usage();
	if (optind < argc)
		cmd = argv + optind;
	if (!ns_has_feature(NS_FEATURE_TIME_NS))
		types &= ~(unsigned)NS_TYPE_TIME;

	if (ns_enter_pid(target, types, 0, &joined) < 0) {
		fprintf(stderr, "ns-enter: %s\n", ns_last_error());
		return 1;
	}
	if (!(joined & (NS_TYPE_PID | NS_TYPE_TIME))) {
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		return 127;
	}
	child = fork();
	if (child == 0) {
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0) {
		perror("ns-enter");
		_exit(1);
	}
	/*
	 * _exit, not return: having entered a pid namespace for its children, this process may no longer
	 * create threads (a kernel rule), and exit-time handlers that try to (leak checkers) would hang.
	 */
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
