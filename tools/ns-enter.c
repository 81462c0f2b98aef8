/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-enter: run a program in the namespaces of another process, or in namespaces held by files
 * (pins, /run/netns/NAME, /proc/PID/ns/TYPE), like nsenter(1).
 *
 *   ns-enter [-t PID] [-m[FILE]] [-u[FILE]] ... [-a] [options] [--] [PROGRAM [ARGS...]]
 *
 * With only a target and types, one call, ns_enter_pid(), does the whole plan: on Linux 5.8+ a
 * single atomic setns() through a pidfd, otherwise one setns() per namespace in the order that
 * works. With files, every namespace is opened first (entering a mount namespace changes what paths
 * mean), then entered user namespace first. Entering a pid or time namespace only affects children,
 * so the program then runs in a forked child (unless --no-fork).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libns/libns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

const char *tool_name = "ns-enter";

/* nsenter's order: the user namespace first, the mount namespace late (it changes what paths mean) */
static const struct { int type; char opt; const char *name; } kinds[] = {
	{ NS_TYPE_USER, 'U', "user" }, { NS_TYPE_CGROUP, 'C', "cgroup" }, { NS_TYPE_IPC, 'i', "ipc" },
	{ NS_TYPE_UTS, 'u', "uts" },   { NS_TYPE_NET, 'n', "net" },       { NS_TYPE_PID, 'p', "pid" },
	{ NS_TYPE_MNT, 'm', "mount" }, { NS_TYPE_TIME, 'T', "time" },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-enter [options] [<program> [<argument>...]]\n"
	       "\n"
	       "Run a program with namespaces of other processes, or namespaces held by files.\n"
	       "\n"
	       "Options:\n"
	       " -a, --all              enter all namespaces of the target (those it shares with us are skipped)\n"
	       " -t, --target <pid>     target process to get namespaces from\n"
	       " -m, --mount[=<file>]   enter mount namespace\n"
	       " -u, --uts[=<file>]     enter UTS namespace (hostname etc)\n"
	       " -i, --ipc[=<file>]     enter System V IPC namespace\n"
	       " -n, --net[=<file>]     enter network namespace\n"
	       " -p, --pid[=<file>]     enter pid namespace\n"
	       " -C, --cgroup[=<file>]  enter cgroup namespace\n"
	       " -U, --user[=<file>]    enter user namespace\n"
	       " -T, --time[=<file>]    enter time namespace\n"
	       "                          a <file> is a namespace file: a pin, /run/netns/<name>, /proc/<pid>/ns/<type>;\n"
	       "                          without <file> the namespace is the target's (-t is then needed)\n"
	       " -S, --setuid <uid>     set uid in entered namespace\n"
	       " -G, --setgid <gid>     set gid in entered namespace\n"
	       "     --preserve-credentials do not touch uids or gids\n"
	       " -r, --root[=<dir>]     set the root directory (default: the target's)\n"
	       " -w, --wd[=<dir>]       set the working directory (default: the target's)\n"
	       " -W, --wdns <dir>       set the working directory in namespace\n"
	       " -e, --env              the environment of the target process\n"
	       " -F, --no-fork          do not fork before exec'ing <program>\n"
	       " -c, --join-cgroup      join the cgroup (v2) of the target process\n"
	       " -Z, --follow-context   not available: libns has no SELinux support\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "Entering a user namespace makes the program uid and gid 0 there (or -S/-G), as nsenter does.\n"
	       "\n"
	       "For more details see ns-enter(1).\n");
	exit(0);
}

/* nsenter -e: the target's environment, as the program's (NUL-separated /proc/PID/environ) */
static char **target_environ(pid_t pid)
{
	char path[64], *buf = NULL, **env;
	size_t len = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	for (;;) {
		char chunk[4096], *grown;
		size_t got = fread(chunk, 1, sizeof(chunk), f);

		if (!got)
			break;
		grown = realloc(buf, len + got + 1);
		if (!grown) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = grown;
		memcpy(buf + len, chunk, got);
		len += got;
	}
	fclose(f);
	if (!buf && !(buf = calloc(1, 1)))
		return NULL;
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\0';
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	n = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		env[n++] = buf + i;
	return env;   /* buf lives as long as the process: exec replaces it */
}

/* nsenter -c: write our pid into the target's cgroup.procs (cgroup v2) */
static int join_cgroup(pid_t pid)
{
	char path[4096], line[4096], rel[4096] = "", mnt[4096] = "";
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return tool_fail_errno("--join-cgroup: %s", path);
	while (!rel[0] && fgets(line, sizeof(line), f))
		if (sscanf(line, "0::%4095[^\n]", rel) != 1)
			rel[0] = '\0';
	fclose(f);
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return tool_fail_errno("--join-cgroup: /proc/self/mountinfo");
	while (!mnt[0] && fgets(line, sizeof(line), f)) {
		char root[4096];

		if (!strstr(line, " - cgroup2 ") || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
		    strcmp(root, "/") != 0)
			mnt[0] = '\0';
	}
	fclose(f);
	if (!rel[0] || !mnt[0]) {
		errno = ENOENT;
		return tool_fail_errno("--join-cgroup: process %d is in no cgroup v2 hierarchy mounted here", (int)pid);
	}
	tool_mountinfo_unescape(mnt);
	if (snprintf(path, sizeof(path), "%s%s/cgroup.procs", mnt, strcmp(rel, "/") ? rel : "") >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return tool_fail_errno("--join-cgroup: the cgroup.procs path of process %d", (int)pid);
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		int r = tool_fail_errno("--join-cgroup: writing %s", path);

		if (fd >= 0)
			close(fd);
		return r;
	}
	close(fd);
	return 0;
}

static int open_dir(pid_t target, const char *given, const char *what)
{
	char path[64];
	int fd;

	if (!given) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)target, what);
		given = path;
	}
	fd = open(given, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		exit(tool_fail_errno("cannot open %s", given));
	return fd;
}

int main(int argc, char **argv)
{
	enum { OPT_PRESERVE = 256 };
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },           { "target", required_argument, NULL, 't' },
		{ "mount", optional_argument, NULL, 'm' },   { "uts", optional_argument, NULL, 'u' },
		{ "ipc", optional_argument, NULL, 'i' },     { "net", optional_argument, NULL, 'n' },
		{ "pid", optional_argument, NULL, 'p' },     { "cgroup", optional_argument, NULL, 'C' },
		{ "user", optional_argument, NULL, 'U' },    { "time", optional_argument, NULL, 'T' },
		{ "setuid", required_argument, NULL, 'S' },  { "setgid", required_argument, NULL, 'G' },
		{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE },
		{ "root", optional_argument, NULL, 'r' },    { "wd", optional_argument, NULL, 'w' },
		{ "wdns", required_argument, NULL, 'W' },    { "env", no_argument, NULL, 'e' },
		{ "no-fork", no_argument, NULL, 'F' },       { "join-cgroup", no_argument, NULL, 'c' },
		{ "follow-context", no_argument, NULL, 'Z' },
		{ "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *files[NKINDS] = { 0 }, *root = NULL, *wd = NULL, *wdns = NULL;
	bool want[NKINDS] = { 0 }, all = false, preserve = false, do_root = false, do_wd = false;
	bool use_env = false, no_fork = false, cgroup = false, set_uid = false, set_gid = false, any_file = false;
	char *shell[] = { getenv("SHELL") ? getenv("SHELL") : "/bin/sh", NULL }, **cmd = shell, **env = environ;
	int fds[NKINDS], root_fd = -1, wd_fd = -1, c, status;
	unsigned target_types = 0, joined = 0;
	uid_t uid = 0;
	gid_t gid = 0;
	pid_t target = 0, child;

	while ((c = getopt_long(argc, argv, "+at:m::u::i::n::p::C::U::T::S:G:r::w::W:eFcZhV", longopts, NULL)) != -1) {
		size_t k;

		for (k = 0; k < NKINDS && kinds[k].opt != c; k++)
			;
		if (k < NKINDS) {
			want[k] = true;
			files[k] = optarg;
			continue;
		}
		switch (c) {
		case 'a': all = true; break;
		case 't': target = tool_pid(optarg, "target PID"); break;
		case 'S': uid = tool_id(optarg, "uid"); set_uid = true; break;
		case 'G': gid = tool_id(optarg, "gid"); set_gid = true; break;
		case OPT_PRESERVE: preserve = true; break;
		case 'r': do_root = true; root = optarg; break;
		case 'w': do_wd = true; wd = optarg; break;
		case 'W': wdns = optarg; break;
		case 'e': use_env = true; break;
		case 'F': no_fork = true; break;
		case 'c': cgroup = true; break;
		case 'Z': tool_usage_error("--follow-context is not available: libns has no SELinux support");
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (optind < argc)
		cmd = argv + optind;
	if (all && !target)
		tool_usage_error("--all needs a target process (-t)");
	for (size_t k = 0; k < NKINDS; k++) {
		any_file |= files[k] != NULL;
		if (all && !files[k])
			want[k] = true;
		if (want[k] && !files[k]) {
			if (!target)
				tool_usage_error("neither a file nor a target process (-t) given for the %s namespace",
						 kinds[k].name);
			target_types |= (unsigned)kinds[k].type;
		}
	}
	if (!ns_has_feature(NS_FEATURE_TIME_NS))
		target_types &= ~(unsigned)NS_TYPE_TIME;
	if (!target_types && !any_file)
		tool_usage_error("no namespace to enter (-m, -u, -i, -n, -p, -U, -C, -T or -a)");
	if (((do_root && !root) || (do_wd && !wd) || use_env || cgroup) && !target)
		tool_usage_error("--root, --wd without a directory, --env and --join-cgroup need a target process (-t)");

	/* Everything that names a path is opened before any namespace changes what paths mean. */
	for (size_t k = 0; k < NKINDS; k++) {
		fds[k] = -1;
		if (files[k] && (fds[k] = ns_open_path(files[k], kinds[k].type, 0)) < 0)
			return tool_fail(files[k]);
	}
	if (do_root)
		root_fd = open_dir(target, root, "root");
	if (do_wd)
		wd_fd = open_dir(target, wd, "cwd");
	if (use_env && !(env = target_environ(target)))
		return tool_fail_errno("--env: reading /proc/%d/environ", (int)target);
	if (cgroup && join_cgroup(target) != 0)
		return 1;

	/* the files: user namespace first; one we are already in is skipped, as nsenter does */
	for (size_t k = 0; k < NKINDS; k++) {
		int own;

		if (fds[k] < 0)
			continue;
		own = ns_open(0, kinds[k].type, 0);
		if (own >= 0 && ns_equal(own, fds[k]) == 1) {
			close(own);
			close(fds[k]);
			continue;
		}
		if (own >= 0)
			close(own);
		if (ns_enter(fds[k], kinds[k].type) < 0)
			return tool_fail(files[k]);
		close(fds[k]);
		joined |= (unsigned)kinds[k].type;
	}
	if (target_types) {
		unsigned from_target = 0;

		if (ns_enter_pid(target, target_types, 0, &from_target) < 0)
			return tool_fail("enter");
		joined |= from_target;
	}
	if (root_fd >= 0) {
		if (fchdir(root_fd) < 0 || chroot(".") < 0)
			return tool_fail_errno("cannot change the root directory");
		close(root_fd);
	}
	if (wd_fd >= 0) {
		if (fchdir(wd_fd) < 0)
			return tool_fail_errno("cannot change the working directory");
		close(wd_fd);
	} else if (wdns && chdir(wdns) < 0) {
		return tool_fail_errno("cannot change the working directory to %s", wdns);
	} else if (!wdns && root_fd >= 0 && chdir("/") < 0) {
		return tool_fail_errno("cannot change the working directory to /");
	}
	/* in a user namespace entered, be its root (or -S/-G) so that the capabilities survive exec */
	if (!preserve && ((joined & NS_TYPE_USER) || set_uid || set_gid)) {
		if ((joined & NS_TYPE_USER) || set_gid) {
			if (setgroups(0, NULL) < 0 && errno != EPERM)
				return tool_fail_errno("setgroups");
			if (setresgid(gid, gid, gid) < 0)
				return tool_fail_errno("setgid %u", (unsigned)gid);
		}
		if (((joined & NS_TYPE_USER) || set_uid) && setresuid(uid, uid, uid) < 0)
			return tool_fail_errno("setuid %u", (unsigned)uid);
	}

	if (no_fork || !(joined & (NS_TYPE_PID | NS_TYPE_TIME))) {
		execvpe(cmd[0], cmd, env);
		status = errno;
		tool_fail_errno("failed to execute %s", cmd[0]);
		return status == ENOENT ? TOOL_EXIT_NOT_FOUND : TOOL_EXIT_CANNOT_RUN;
	}
	child = fork();
	if (child == 0) {
		execvpe(cmd[0], cmd, env);
		status = errno;
		tool_fail_errno("failed to execute %s", cmd[0]);
		_exit(status == ENOENT ? TOOL_EXIT_NOT_FOUND : TOOL_EXIT_CANNOT_RUN);
	}
	if (child < 0) {
		tool_fail_errno("fork");
		_exit(TOOL_EXIT_FAILURE);
	}
	if (waitpid(child, &status, 0) < 0) {
		tool_fail_errno("waiting for %s", cmd[0]);
		_exit(TOOL_EXIT_FAILURE);
	}
	/*
	 * _exit, not return: having entered a pid namespace for its children, this process may no longer
	 * create threads (a kernel rule), and exit-time handlers that try to (leak checkers) would hang.
	 */
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
