/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-run: run a command in new namespaces, like unshare(1), through ns_spawn_exec().
 *
 *   ns-run [--user] [--map-root-user] [--map-current-user] [--pid] [--fork] [--mount]
 *          [--mount-proc] [--net] [--uts] [--hostname NAME] [--ipc] [--cgroup] [--time]
 *          [--monotonic S] [--boottime S] [--root DIR] -- CMD [ARGS]
 *
 * The command always runs in a child (so --fork is accepted and changes nothing): the library
 * clones it straight into the new namespaces, writes its id maps and clock offsets while the child
 * sets its hostname and mount propagation and then waits, then lets it mount /proc, move into the
 * new root and exec. ns-run exits with the command's status, or 128 + the signal that killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libns/libns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ns-run [options] [--] [CMD [ARGS...]]\n"
		"  -U, --user               new user namespace\n"
		"  -r, --map-root-user      map your uid/gid to root inside (implies --user)\n"
		"  -c, --map-current-user   map your uid/gid to themselves inside (implies --user)\n"
		"  -p, --pid                new pid namespace (CMD is its pid 1)\n"
		"  -f, --fork               accepted for unshare(1) compatibility: CMD always runs in a child\n"
		"  -m, --mount              new mount namespace (propagation made private)\n"
		"      --mount-proc         mount a fresh /proc (implies --mount; needs --pid)\n"
		"  -n, --net                new network namespace\n"
		"  -u, --uts                new UTS namespace\n"
		"      --hostname NAME      set the hostname inside (implies --uts)\n"
		"  -i, --ipc                new IPC namespace\n"
		"  -C, --cgroup             new cgroup namespace\n"
		"  -T, --time               new time namespace\n"
		"      --monotonic S        shift CLOCK_MONOTONIC by S seconds (implies --time)\n"
		"      --boottime S         shift CLOCK_BOOTTIME (and uptime) by S seconds (implies --time)\n"
		"  -R, --root DIR           pivot into DIR as the new root (implies --mount)\n"
		"  -h, --help               this text\n"
		"CMD defaults to $SHELL, or /bin/sh.\n");
}

/* "86400" or "-1.5" seconds into a normalised timespec (tv_nsec in [0, 1e9)). */
static int parse_seconds(const char *s, struct timespec *ts)
{
	char *end;
	double v = strtod(s, &end);
	long long sec;

	if (end == s || *end)
		return -1;
	sec = (long long)v;
	if ((double)sec > v)
		sec--;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = (long)((v - (double)sec) * 1e9);
	return 0;
}

/* execve() takes a path; a bare name is looked up in $PATH here, as a shell would. */
static const char *find_command(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	const char *p, *colon;

	if (strchr(name, '/'))
		return name;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p; p = colon + 1) {
		size_t len;

		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		len = (size_t)(colon - p);
		snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
		if (access(buf, X_OK) == 0)
			return buf;
		if (!*colon)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	enum { OPT_MOUNT_PROC = 256, OPT_HOSTNAME, OPT_MONOTONIC, OPT_BOOTTIME };
	static const struct option longopts[] = {
		{ "user", no_argument, NULL, 'U' },
		{ "map-root-user", no_argument, NULL, 'r' },
		{ "map-current-user", no_argument, NULL, 'c' },
		{ "pid", no_argument, NULL, 'p' },
		{ "fork", no_argument, NULL, 'f' },
		{ "mount", no_argument, NULL, 'm' },
		{ "mount-proc", no_argument, NULL, OPT_MOUNT_PROC },
		{ "net", no_argument, NULL, 'n' },
		{ "uts", no_argument, NULL, 'u' },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "ipc", no_argument, NULL, 'i' },
		{ "cgroup", no_argument, NULL, 'C' },
		{ "time", no_argument, NULL, 'T' },
		{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
		{ "boottime", required_argument, NULL, OPT_BOOTTIME },
		{ "root", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct timespec monotonic, boottime;
	char pathbuf[4096], *default_cmd[2] = { NULL, NULL }, **cmd;
	const char *path;
	int c, pid, pidfd, status;

	while ((c = getopt_long(argc, argv, "+UrcpfmnuiCTR:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'U': opts.new_types |= NS_TYPE_USER; break;
		case 'r': opts.new_types |= NS_TYPE_USER; opts.flags |= NS_SPAWN_MAP_ROOT; break;
		case 'c': opts.new_types |= NS_TYPE_USER; opts.flags |= NS_SPAWN_MAP_CURRENT; break;
		case 'p': opts.new_types |= NS_TYPE_PID; break;
		case 'f': break;
		case 'm': opts.new_types |= NS_TYPE_MNT; break;
		case OPT_MOUNT_PROC: opts.new_types |= NS_TYPE_MNT; opts.flags |= NS_SPAWN_MOUNT_PROC; break;
		case 'n': opts.new_types |= NS_TYPE_NET; break;
		case 'u': opts.new_types |= NS_TYPE_UTS; break;
		case OPT_HOSTNAME: opts.new_types |= NS_TYPE_UTS; opts.hostname = optarg; break;
		case 'i': opts.new_types |= NS_TYPE_IPC; break;
		case 'C': opts.new_types |= NS_TYPE_CGROUP; break;
		case 'T': opts.new_types |= NS_TYPE_TIME; break;
		case OPT_MONOTONIC:
		case OPT_BOOTTIME:
			if (parse_seconds(optarg, c == OPT_MONOTONIC ? &monotonic : &boottime) < 0) {
				fprintf(stderr, "ns-run: %s is not a number of seconds\n", optarg);
				return 1;
			}
			opts.new_types |= NS_TYPE_TIME;
			if (c == OPT_MONOTONIC)
				opts.monotonic_offset = &monotonic;
			else
				opts.boottime_offset = &boottime;
			break;
		case 'R': opts.new_types |= NS_TYPE_MNT; opts.root = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc) {
		cmd = argv + optind;
	} else {
		default_cmd[0] = getenv("SHELL") ? getenv("SHELL") : "/bin/sh";
		cmd = default_cmd;
	}
	/* With --root the command is looked up inside the new root, by the path given. */
	path = opts.root ? cmd[0] : find_command(cmd[0], pathbuf, sizeof(pathbuf));
	if (!path) {
		fprintf(stderr, "ns-run: %s: command not found\n", cmd[0]);
		return 127;
	}

	pid = ns_spawn_exec(&opts, path, cmd, NULL, &pidfd);
	if (pid < 0) {
		fprintf(stderr, "ns-run: %s\n", ns_last_error());
		/* a shell's codes when the command itself could not run; 1 when the namespaces could not be set up */
		if (strstr(ns_last_error(), ": exec "))
			return pid == -ENOENT ? 127 : 126;
		return 1;
	}
	/* pidfd is -1 only on kernels before 5.2, which have none */
	if (pidfd < 0 ? waitpid(pid, &status, 0) < 0 : ns_wait(pidfd, &status) < 0) {
		fprintf(stderr, "ns-run: %s\n", ns_last_error());
		return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
