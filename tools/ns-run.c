/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-run: run a command in new namespaces, like unshare(1) with --fork, through ns_spawn().
 *
 *   ns-run [options] [--] [CMD [ARGS...]]
 *
 * The command always runs in a child: the library clones it straight into the new namespaces,
 * writes its id maps and clock offsets while the child sets its hostname and mount propagation and
 * waits, then lets it mount /proc and move into the new root; ns-run's own step in the child
 * (child_main) then does what unshare does last -- working directory, uid/gid, ambient capabilities,
 * the parent-death signal -- and execs. ns-run forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to the
 * child and exits with its status, or 128 + the signal that killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libns/libns.h>
#include <linux/capability.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *tool_name = "ns-run";

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* What the child does after libns's setup, before exec: async-signal-safe code only. */
struct setup {
	const char *path;
	char **argv;
	const char *wd, *proc_dir;
	int kill_signal;
	bool keep_caps, set_uid, set_gid, loopback;
	uid_t uid;
	gid_t gid;
};

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-run [options] [<program> [<argument>...]]\n"
	       "\n"
	       "Run a program in new namespaces (always in a forked child, as unshare --fork).\n"
	       "\n"
	       "Options:\n"
	       " -m, --mount               unshare mounts namespace (propagation made private)\n"
	       " -u, --uts                 unshare UTS namespace (hostname etc)\n"
	       " -i, --ipc                 unshare System V IPC namespace\n"
	       " -n, --net                 unshare network namespace\n"
	       "     --loopback            bring its loopback interface up, as bubblewrap does (implies --net)\n"
	       " -p, --pid                 unshare pid namespace (the program is its pid 1)\n"
	       " -U, --user                unshare user namespace\n"
	       " -C, --cgroup              unshare cgroup namespace\n"
	       " -T, --time                unshare time namespace\n"
	       "                             unshare's --<type>=<file> (persist) is not available: use ns-pin\n"
	       "\n"
	       " -f, --fork                accepted: the program always runs in a child\n"
	       "     --map-user=<uid>|<name>   map current user to uid (implies --user)\n"
	       "     --map-group=<gid>|<name>  map current group to gid (implies --user)\n"
	       " -r, --map-root-user       map current user to root (implies --user)\n"
	       " -c, --map-current-user    map current user to itself (implies --user)\n"
	       "     --map-auto            map users and groups automatically from /etc/subuid and\n"
	       "                             /etc/subgid, through newuidmap/newgidmap (implies --user)\n"
	       "     --map-users=<inneruid>:<outeruid>:<count>|auto\n"
	       "                           map count users from outeruid to inneruid (implies --user);\n"
	       "                             also unshare 2.38's <outeruid>,<inneruid>,<count>; repeatable\n"
	       "     --map-groups=<innergid>:<outergid>:<count>|auto\n"
	       "                           map count groups from outergid to innergid (implies --user)\n"
	       "\n"
	       "     --kill-child[=<signame>]  when ns-run dies, kill the child (default SIGKILL)\n"
	       "     --mount-proc[=<dir>]  mount proc filesystem first (implies --mount; plain --mount-proc\n"
	       "                             needs --pid)\n"
	       "     --propagation private  mount propagation in the new mount namespace: only private;\n"
	       "                             libns makes it private before the program runs, so shared,\n"
	       "                             slave and unchanged cannot apply\n"
	       "     --setgroups allow|deny  control the setgroups syscall in user namespaces\n"
	       "     --keep-caps           retain capabilities granted in user namespaces (ambient set)\n"
	       "\n"
	       " -R, --root=<dir>          run the command with root directory set to <dir> (pivot_root)\n"
	       " -w, --wd=<dir>            change working directory to <dir>\n"
	       " -S, --setuid <uid>        set uid in entered namespace\n"
	       " -G, --setgid <gid>        set gid in entered namespace\n"
	       "     --hostname <name>     set the hostname (implies --uts)\n"
	       "     --monotonic <offset>  set clock monotonic offset (seconds) in time namespaces\n"
	       "     --boottime <offset>   set clock boottime offset (seconds) in time namespaces\n"
	       " -l, --load-interp         not available: binfmt_misc is not handled\n"
	       "\n"
	       " -h, --help                display this help\n"
	       " -V, --version             display version\n"
	       "\n"
	       "The exit status is the program's, or 128 + N when signal N killed it; SIGINT, SIGTERM, SIGHUP\n"
	       "and SIGQUIT sent to ns-run are forwarded to the program. <program> defaults to $SHELL.\n"
	       "\n"
	       "For more details see ns-run(1).\n");
	exit(0);
}

/* ---- in the child, before exec: no malloc, no stdio ---- */

static void put(const char *s)
{
	if (write(STDERR_FILENO, s, strlen(s)) < 0)
		return;   /* nowhere left to report it */
}

static int child_fail(const char *what, const char *arg, int status)
{
	const char *why = strerrordesc_np(errno);

	put(tool_name);
	put(": ");
	put(what);
	put(arg ? arg : "");
	put(": ");
	put(why ? why : "unknown error");
	put("\n");
	return status;
}

/* unshare --keep-caps: every permitted capability into the inheritable and the ambient set */
static int raise_ambient(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &head, data) < 0)
		return -1;
	data[0].inheritable = data[0].permitted;
	data[1].inheritable = data[1].permitted;
	if (syscall(SYS_capset, &head, data) < 0)
		return -1;
	for (int cap = 0; cap < 64; cap++)
		if ((cap < 32 ? data[0].permitted >> cap : data[1].permitted >> (cap - 32)) & 1)
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EINVAL)
				return -1;
	return 0;
}

static int child_main(void *arg)
{
	const struct setup *s = arg;

	/* a signal caught until here went into ns-run's pipe: ns-run forwards it once we are its child */
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		signal(forwarded[i], SIG_DFL);
	if (s->kill_signal && prctl(PR_SET_PDEATHSIG, s->kill_signal) < 0)
		return child_fail("--kill-child", NULL, TOOL_EXIT_FAILURE);
	if (s->proc_dir && mount("proc", s->proc_dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return child_fail("mount proc on ", s->proc_dir, TOOL_EXIT_FAILURE);
	/* before any uid change: it needs CAP_NET_ADMIN in the new namespace; libns formats nothing unless it fails */
	if (s->loopback && ns_net_link_up(-1, "lo") < 0) {
		put(tool_name);
		put(": --loopback: ");
		put(ns_last_error());
		put("\n");
		return TOOL_EXIT_FAILURE;
	}
	if (s->set_gid) {
		if (setgroups(0, NULL) < 0 && errno != EPERM)   /* EPERM: setgroups denied in this namespace */
			return child_fail("setgroups", NULL, TOOL_EXIT_FAILURE);
		if (setresgid(s->gid, s->gid, s->gid) < 0)
			return child_fail("setgid", NULL, TOOL_EXIT_FAILURE);
	}
	if (s->set_uid && setresuid(s->uid, s->uid, s->uid) < 0)
		return child_fail("setuid", NULL, TOOL_EXIT_FAILURE);
	if (s->keep_caps && raise_ambient() < 0)
		return child_fail("--keep-caps", NULL, TOOL_EXIT_FAILURE);
	if (s->wd && chdir(s->wd) < 0)
		return child_fail("cannot change directory to ", s->wd, TOOL_EXIT_FAILURE);
	execve(s->path, s->argv, environ);
	return child_fail("failed to execute ", s->path, errno == ENOENT ? TOOL_EXIT_NOT_FOUND : TOOL_EXIT_CANNOT_RUN);
}

/* ---- in ns-run ---- */

/* Signals reach the main loop through a pipe, so none is lost between a check and a wait. */
static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	if (write(signal_pipe[1], &c, 1) < 0)
		return;   /* the pipe is full of signals already */
	errno = saved;
}

/* Is sig's disposition in process pid the default one (neither caught nor ignored)? */
static bool default_disposition(pid_t pid, int sig)
{
	char path[32], line[128];
	unsigned long long caught = 0, ignored = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &caught) != 1)
			sscanf(line, "SigIgn: %llx", &ignored);
	fclose(f);
	return !(((caught | ignored) >> (sig - 1)) & 1);
}

/*
 * Forward sig to the child. Process 1 of a new pid namespace is spared every signal it has no handler
 * for, even from outside; where the default action would have ended any other process, SIGKILL does
 * it instead, so that `kill -TERM` of ns-run --pid never leaves the command running.
 */
static int forward(pid_t pid, int sig, bool init)
{
	if (init && default_disposition(pid, sig)) {
		kill(pid, SIGKILL);
		return sig;
	}
	kill(pid, sig);
	return 0;
}

/* Wait for the child, forwarding the signals ns-run gets; its wait status, or -1. */
static int wait_forwarding(pid_t pid, int pidfd, bool init, int *status)
{
	int replaced = 0, r;

	for (;;) {
		struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = signal_pipe[0], .events = POLLIN } };
		unsigned char sig;

		while (read(signal_pipe[0], &sig, 1) == 1)
			replaced = forward(pid, sig, init) ?: replaced;
		if (pidfd < 0) {   /* kernels before 5.2: waitpid, woken by the signal (no SA_RESTART) */
			r = waitpid(pid, status, 0);
			if (r == pid)
				break;
			if (errno != EINTR)
				return -1;
			continue;
		}
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return -1;
		if (p[0].revents) {
			if (ns_wait(pidfd, status) < 0)
				return -1;
			break;
		}
	}
	/* killed by the SIGKILL that stood in for a signal: report that signal, as a plain process would */
	if (replaced && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
		*status = replaced;
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

/* --map-user=NAME|UID, --map-group=NAME|GID */
static uint32_t user_or_group(const char *s, bool group)
{
	if (*s < '0' || *s > '9') {
		struct passwd *pw = group ? NULL : getpwnam(s);
		struct group *gr = group ? getgrnam(s) : NULL;

		if (pw)
			return pw->pw_uid;
		if (gr)
			return gr->gr_gid;
		tool_usage_error("no such %s: '%s'", group ? "group" : "user", s);
	}
	return tool_id(s, group ? "gid" : "uid");
}

/* "inner:outer:count" (util-linux 2.39+) or "outer,inner,count" (2.38) into map */
static void add_range(struct ns_idmap *map, const char *spec, const char *what)
{
	char copy[96], *f[3], *p = copy;
	bool old_form = strchr(spec, ',') != NULL;
	const char *sep = old_form ? "," : ":";
	uint32_t inside, outside, count;

	if (snprintf(copy, sizeof(copy), "%s", spec) >= (int)sizeof(copy))
		tool_usage_error("invalid %s: '%s'", what, spec);
	for (int i = 0; i < 3; i++)
		if (!(f[i] = strsep(&p, sep)))
			tool_usage_error("invalid %s: '%s' (inner%souter%scount)", what, spec, sep, sep);
	if (p)
		tool_usage_error("invalid %s: '%s' (inner%souter%scount)", what, spec, sep, sep);
	inside = tool_id(f[old_form ? 1 : 0], what);
	outside = tool_id(f[old_form ? 0 : 1], what);
	count = (uint32_t)tool_number(f[2], what, 1, UINT32_MAX);
	if (ns_idmap_add(map, inside, outside, count) < 0)
		tool_usage_error("%s: %s", what, ns_last_error());
}

struct maps {
	long single_uid, single_gid;   /* --map-user/-r/-c inner id for our own id, or -1 */
	bool auto_users, auto_groups, users, groups;
	struct ns_idmap uid, gid;
};

/* The explicit map: our own id once, then the ranges given, or subordinate ids (with -r: 0 is us,
 * and the subordinate ids follow from 1, as unshare --map-auto --map-root-user does). */
static void build_map(struct ns_idmap *map, long single, bool from_subid, int kind, uint32_t own,
		      bool *uses_helper)
{
	struct ns_idmap ranges = *map, sub;

	map->n = 0;
	if (from_subid && ns_idmap_from_subid(&sub, NULL, kind, single == 0 ? 0 : NS_IDMAP_SUBID_ONLY) < 0)
		exit(tool_fail("--map-auto"));
	if (from_subid && single == 0)
		single = -1;   /* already in: the caller's id is 0 inside */
	if (single >= 0 && ns_idmap_add(map, (uint32_t)single, own, 1) < 0)
		exit(tool_fail(kind == NS_IDMAP_UID ? "--map-user" : "--map-group"));
	for (uint32_t i = 0; from_subid && i < sub.n; i++)
		if (ns_idmap_add(map, sub.range[i].inside, sub.range[i].outside, sub.range[i].count) < 0)
			exit(tool_fail("--map-auto"));
	for (uint32_t i = 0; i < ranges.n; i++)
		if (ns_idmap_add(map, ranges.range[i].inside, ranges.range[i].outside, ranges.range[i].count) < 0)
			exit(tool_fail(kind == NS_IDMAP_UID ? "--map-users" : "--map-groups"));
	*uses_helper |= from_subid || ranges.n > 0;
}

int main(int argc, char **argv)
{
	enum { OPT_MOUNT_PROC = 256, OPT_HOSTNAME, OPT_MONOTONIC, OPT_BOOTTIME, OPT_MAP_USER, OPT_MAP_GROUP,
	       OPT_MAP_USERS, OPT_MAP_GROUPS, OPT_MAP_AUTO, OPT_KILL_CHILD, OPT_PROPAGATION, OPT_SETGROUPS,
	       OPT_KEEP_CAPS, OPT_LOOPBACK };
	static const struct option longopts[] = {
		{ "mount", no_argument, NULL, 'm' },          { "uts", no_argument, NULL, 'u' },
		{ "ipc", no_argument, NULL, 'i' },            { "net", no_argument, NULL, 'n' },
		{ "pid", no_argument, NULL, 'p' },            { "user", no_argument, NULL, 'U' },
		{ "cgroup", no_argument, NULL, 'C' },         { "time", no_argument, NULL, 'T' },
		{ "fork", no_argument, NULL, 'f' },
		{ "map-user", required_argument, NULL, OPT_MAP_USER },
		{ "map-group", required_argument, NULL, OPT_MAP_GROUP },
		{ "map-root-user", no_argument, NULL, 'r' },  { "map-current-user", no_argument, NULL, 'c' },
		{ "map-auto", no_argument, NULL, OPT_MAP_AUTO },
		{ "map-users", required_argument, NULL, OPT_MAP_USERS },
		{ "map-groups", required_argument, NULL, OPT_MAP_GROUPS },
		{ "kill-child", optional_argument, NULL, OPT_KILL_CHILD },
		{ "mount-proc", optional_argument, NULL, OPT_MOUNT_PROC },
		{ "propagation", required_argument, NULL, OPT_PROPAGATION },
		{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
		{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
		{ "loopback", no_argument, NULL, OPT_LOOPBACK },
		{ "root", required_argument, NULL, 'R' },     { "wd", required_argument, NULL, 'w' },
		{ "setuid", required_argument, NULL, 'S' },   { "setgid", required_argument, NULL, 'G' },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
		{ "boottime", required_argument, NULL, OPT_BOOTTIME },
		{ "load-interp", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },           { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct maps m = { .single_uid = -1, .single_gid = -1 };
	struct setup s = { 0 };
	struct timespec monotonic, boottime;
	char pathbuf[4096], *default_cmd[2] = { NULL, NULL };
	int c, pid, pidfd = -1, status, setgroups_cmd = -1;   /* -1 unset, 0 deny, 1 allow */
	bool map_root = false, map_current = false, helper = false;
	struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART: waitpid wakes up */

	while ((c = getopt_long(argc, argv, "+muinpUCTfrcR:w:S:G:l:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': opts.new_types |= NS_TYPE_MNT; break;
		case 'u': opts.new_types |= NS_TYPE_UTS; break;
		case 'i': opts.new_types |= NS_TYPE_IPC; break;
		case 'n': opts.new_types |= NS_TYPE_NET; break;
		case 'p': opts.new_types |= NS_TYPE_PID; break;
		case 'U': opts.new_types |= NS_TYPE_USER; break;
		case 'C': opts.new_types |= NS_TYPE_CGROUP; break;
		case 'T': opts.new_types |= NS_TYPE_TIME; break;
		case 'f': break;
		case 'r': map_root = true; m.single_uid = m.single_gid = 0; break;
		case 'c': map_current = true; m.single_uid = geteuid(); m.single_gid = getegid(); break;
		case OPT_MAP_USER: m.single_uid = user_or_group(optarg, false); break;
		case OPT_MAP_GROUP: m.single_gid = user_or_group(optarg, true); break;
		case OPT_MAP_AUTO: m.auto_users = m.auto_groups = true; break;
		case OPT_MAP_USERS:
			if (strcmp(optarg, "auto") == 0)
				m.auto_users = true;
			else
				add_range(&m.uid, optarg, "--map-users");
			m.users = true;
			break;
		case OPT_MAP_GROUPS:
			if (strcmp(optarg, "auto") == 0)
				m.auto_groups = true;
			else
				add_range(&m.gid, optarg, "--map-groups");
			m.groups = true;
			break;
		case OPT_KILL_CHILD:
			s.kill_signal = optarg ? tool_signal(optarg, "--kill-child signal") : SIGKILL;
			break;
		case OPT_MOUNT_PROC:
			opts.new_types |= NS_TYPE_MNT;
			if (optarg)
				s.proc_dir = optarg;
			else
				opts.flags |= NS_SPAWN_MOUNT_PROC;
			break;
		case OPT_PROPAGATION:
			if (strcmp(optarg, "private") != 0)
				tool_usage_error("--propagation %s cannot apply: libns makes the propagation of a new "
						 "mount namespace private before the program runs", optarg);
			break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") == 0)
				setgroups_cmd = 1;
			else if (strcmp(optarg, "deny") == 0)
				setgroups_cmd = 0;
			else
				tool_usage_error("unsupported --setgroups argument '%s' (allow or deny)", optarg);
			break;
		case OPT_KEEP_CAPS: s.keep_caps = true; break;
		case OPT_LOOPBACK: opts.new_types |= NS_TYPE_NET; s.loopback = true; break;
		case 'R': opts.new_types |= NS_TYPE_MNT; opts.root = optarg; break;
		case 'w': s.wd = optarg; break;
		case 'S': s.uid = tool_id(optarg, "uid"); s.set_uid = true; break;
		case 'G': s.gid = tool_id(optarg, "gid"); s.set_gid = true; break;
		case OPT_HOSTNAME: opts.new_types |= NS_TYPE_UTS; opts.hostname = optarg; break;
		case OPT_MONOTONIC:
		case OPT_BOOTTIME: {
			struct timespec *ts = c == OPT_MONOTONIC ? &monotonic : &boottime;

			ts->tv_sec = (time_t)tool_number(optarg, c == OPT_MONOTONIC ? "monotonic offset" : "boottime offset",
							 INT64_MIN, INT64_MAX);
			ts->tv_nsec = 0;
			opts.new_types |= NS_TYPE_TIME;
			if (c == OPT_MONOTONIC)
				opts.monotonic_offset = ts;
			else
				opts.boottime_offset = ts;
			break;
		}
		case 'l': tool_usage_error("--load-interp is not available: libns does not handle binfmt_misc");
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (s.kill_signal)
		opts.flags |= NS_SPAWN_DIE_WITH_PARENT;

	/* user namespace maps: -r/-c alone are libns's own; anything else is an explicit map */
	if (m.single_uid >= 0 || m.single_gid >= 0 || m.users || m.groups || m.auto_users || m.auto_groups)
		opts.new_types |= NS_TYPE_USER;
	if (setgroups_cmd == 1 && m.single_gid >= 0)
		tool_usage_error("options --setgroups=allow and --map-group (or -r, -c) are mutually exclusive");
	if ((map_root || map_current) && !m.users && !m.groups && !m.auto_users && !m.auto_groups &&
	    m.single_uid == (map_root ? 0 : (long)geteuid()) && m.single_gid == (map_root ? 0 : (long)getegid())) {
		opts.flags |= map_root ? NS_SPAWN_MAP_ROOT : NS_SPAWN_MAP_CURRENT;
	} else if (opts.new_types & NS_TYPE_USER) {
		build_map(&m.uid, m.single_uid, m.auto_users, NS_IDMAP_UID, geteuid(), &helper);
		build_map(&m.gid, m.single_gid, m.auto_groups, NS_IDMAP_GID, getegid(), &helper);
		opts.uid_map = m.uid.n ? &m.uid : NULL;
		opts.gid_map = m.gid.n ? &m.gid : NULL;
		if (helper && geteuid() != 0)
			opts.flags |= NS_SPAWN_IDMAP_HELPER;
	}
	if (setgroups_cmd == 0 || (setgroups_cmd < 0 && m.single_gid >= 0 && !(opts.flags & NS_SPAWN_IDMAP_HELPER)))
		opts.flags |= NS_SPAWN_SETGROUPS_DENY;

	if (optind < argc) {
		s.argv = argv + optind;
	} else {
		default_cmd[0] = getenv("SHELL") ? getenv("SHELL") : "/bin/sh";
		s.argv = default_cmd;
	}
	/* With --root the command is looked up inside the new root, by the path given. */
	s.path = opts.root ? s.argv[0] : find_command(s.argv[0], pathbuf, sizeof(pathbuf));
	if (!s.path) {
		errno = ENOENT;
		tool_fail_errno("failed to execute %s", s.argv[0]);
		return TOOL_EXIT_NOT_FOUND;
	}

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return tool_fail_errno("pipe");
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	pid = ns_spawn(&opts, child_main, &s, &pidfd);
	if (pid < 0)
		return tool_fail("cannot start the program");
	if (wait_forwarding(pid, pidfd, opts.new_types & NS_TYPE_PID, &status) < 0)
		return tool_fail_errno("waiting for the program");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
