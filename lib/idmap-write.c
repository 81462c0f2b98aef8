/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing id maps and setgroups: ns_write_idmap(), ns_write_setgroups(), and the *_at writers spawn
 * uses (writers.h). Which writer the kernel will accept (new_idmap_permitted()), the set-user-ID
 * helpers newuidmap/newgidmap for ranges, and what an EPERM means.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "compat.h"
#include "error-internal.h"
#include "capability.h"
#include "idmap-internal.h"
#include "features-internal.h"
#include "nsfs.h"
#include "parse.h"
#include "procfs.h"
#include "writers.h"

enum writer { WRITER_PRIVILEGED, WRITER_UNPRIVILEGED, WRITER_INSIDE };

/*
 * What the kernel's new_idmap_permitted() will think of this thread: a map beyond the writer's own
 * id needs CAP_SETUID (CAP_SETGID) in the parent of the target's user namespace, and a thread has
 * capabilities in a namespace only if it is in that namespace (or owns it from the level above, which
 * map_write() does not allow: the writer must be in the namespace or in its parent).
 */
static enum writer classify_writer(int procdirfd, int kind)
{
	enum writer w = WRITER_UNPRIVILEGED;
	int target, self, parent;

	target = openat(procdirfd, "ns/user", O_RDONLY | O_CLOEXEC);
	if (target < 0)
		return w;
	self = ns__open_own("user");
	if (self < 0) {
		close(target);
		return w;
	}
	if (ns__same_ns(target, self) == 1) {
		w = WRITER_INSIDE;
	} else {
		parent = ioctl(target, NS_GET_PARENT);
		if (parent >= 0) {
			if (ns__same_ns(parent, self) == 1 && ns__thread_has_cap(kind == NS_IDMAP_GID ? CAP_SETGID : CAP_SETUID))
				w = WRITER_PRIVILEGED;
			close(parent);
		}
	}
	close(self);
	close(target);
	return w;
}

static bool own_id_only(const struct ns_idmap *map, int kind)
{
	uint32_t own = kind == NS_IDMAP_GID ? (uint32_t)getegid() : (uint32_t)geteuid();

	return map->n == 1 && map->range[0].count == 1 && map->range[0].outside == own;
}

/*
 * Could this be the one map an unprivileged writer may write: its own id, alone? Inside the target
 * namespace, before the map exists, geteuid() and getegid() return the overflow id, so there only
 * the shape can be checked and the kernel compares the ids.
 */
static bool maybe_own_id(const struct ns_idmap *map, int kind, enum writer w)
{
	if (w == WRITER_INSIDE)
		return map->n == 1 && map->range[0].count == 1;
	return own_id_only(map, kind);
}

/* Fixed paths only: PATH is the caller's, and these helpers are set-user-ID root. */
static const char *helper_path(int kind)
{
	static const char *const uid_paths[] = { "/usr/bin/newuidmap", "/usr/sbin/newuidmap", "/bin/newuidmap" };
	static const char *const gid_paths[] = { "/usr/bin/newgidmap", "/usr/sbin/newgidmap", "/bin/newgidmap" };
	const char *const *paths = kind == NS_IDMAP_GID ? gid_paths : uid_paths;

	for (size_t i = 0; i < NS_ARRAY_SIZE(uid_paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* An fd >= 3, so that dup2() onto 0, 1 and 2 in the child never closes it first. */
static int high_fd(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

/* Helper output for a one-line message: newlines become "; ", the end is trimmed. */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '\n' || (unsigned char)*p < 0x20)
			*p = *p == '\n' ? ';' : ' ';
}

/*
 * newuidmap PID inside outside count ...: fork + execve of a fixed path with an argv array (no
 * shell), a fixed environment, stdin from /dev/null, stdout and stderr captured, no other fd
 * inherited. Everything is prepared before fork(): the child only calls async-signal-safe functions.
 */
static int run_helper(const char *path, pid_t pid, int kind, const struct ns_idmap *map)
{
	const char *fn = "ns_write_idmap", *tool = kind == NS_IDMAP_GID ? "newgidmap" : "newuidmap";
	char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *)"LC_ALL=C", NULL };
	char **argv = NULL, *nums = NULL, out[1024];
	size_t nargs = 3 + 3 * (size_t)map->n, pos = 0, outlen = 0;
	int pipefd[2] = { -1, -1 }, devnull = -1, st = 0, r, err;
	sigset_t all, old;
	long maxfd;
	pid_t child;
	ssize_t n;

	argv = calloc(nargs, sizeof(*argv));
	nums = malloc(16 * nargs);
	if (!argv || !nums) {
		r = ns__fail(ENOMEM, "%s: allocating %s arguments", fn, tool);
		goto out;
	}
	argv[0] = (char *)tool;
	argv[1] = nums;
	pos = (size_t)snprintf(nums, 16, "%d", (int)(pid ? pid : getpid())) + 1;
	for (uint32_t i = 0; i < map->n; i++) {
		const uint32_t v[3] = { map->range[i].inside, map->range[i].outside, map->range[i].count };

		for (int k = 0; k < 3; k++) {
			argv[2 + 3 * i + (uint32_t)k] = nums + pos;
			pos += (size_t)snprintf(nums + pos, 16, "%u", v[k]) + 1;
		}
	}
	argv[nargs - 1] = NULL;

	devnull = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		r = ns__fail(errno, "%s: preparing to run %s", fn, path);
		goto out;
	}
	pipefd[0] = high_fd(pipefd[0]);
	pipefd[1] = high_fd(pipefd[1]);
	if (pipefd[0] < 0 || pipefd[1] < 0) {
		r = ns__fail(errno, "%s: preparing to run %s", fn, path);
		goto out;
	}
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;

	/* No handler of the caller may run in the child between fork() and execve(). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0) {
		ns__reset_signal_handlers();
		if (dup2(devnull, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(126);
		if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
			for (long fd = 3; fd < maxfd; fd++)
				close((int)fd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		execve(path, argv, envp);
		if (write(2, "exec failed", 11) < 0) {
			/* nothing more to say */
		}
		_exit(127);
	}
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (child < 0) {
		r = ns__fail(err, "%s: fork to run %s", fn, path);
		goto out;
	}
	for (;;) {
		char sink[256];
		size_t room = sizeof(out) - 1 - outlen;

		n = read(pipefd[0], room ? out + outlen : sink, room ? room : sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			outlen += (size_t)n;
	}
	out[outlen] = '\0';
	one_line(out);
	while ((r = (int)waitpid(child, &st, 0)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		r = ns__fail(errno, "%s: waiting for %s", fn, path);
		goto out;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		r = 0;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 127 && strstr(out, "exec failed")) {
		r = ns__fail(ENOENT, "%s: could not execute %s", fn, path);
	} else if (WIFSIGNALED(st)) {
		r = ns__fail(EIO, "%s: %s was killed by signal %d%s%s", fn, path, WTERMSIG(st), *out ? ": " : "", out);
	} else {
		/* the helpers exit 1 for every refusal; their own words say which */
		r = ns__fail(EPERM, "%s: %s refused the map for process %s (exit status %d): %s (it allows only "
			     "the caller's own id and ranges listed for the caller in /etc/sub%cid, into a process "
			     "of the same user)", fn, path, argv[1], WEXITSTATUS(st), *out ? out : "no message",
			     kind == NS_IDMAP_GID ? 'g' : 'u');
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (devnull >= 0)
		close(devnull);
	free(nums);
	free(argv);
	return r;
}

/* Why map_write() said EPERM, from what can be observed; the kernel does not tell. */
static int explain_map_eperm(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, enum writer w)
{
	const char *fn = "ns_write_idmap", *file = ns__idmap_file(kind);
	const char *cap = kind == NS_IDMAP_GID ? "CAP_SETGID" : "CAP_SETUID";
	char cur[64];

	if (ns__read_proc_at(procdirfd, file, cur, sizeof(cur)) > 0)
		return ns__fail(EPERM, "%s: %s of process %d is already written (the kernel accepts one write "
				"per namespace)", fn, file, (int)(pid ? pid : getpid()));
	if (w == WRITER_PRIVILEGED)
		return ns__fail(EPERM, "%s: writing %s: every outside id must be mapped in the writer's user "
				"namespace", fn, file);
	if (!maybe_own_id(map, kind, w))
		return ns__fail(EPERM, "%s: writing %s: a map beyond the writer's own %s needs %s in the parent "
				"of the target's user namespace%s; or newuidmap/newgidmap (package uidmap, "
				"NS_IDMAP_USE_HELPER) with ranges in /etc/sub%cid", fn, file,
				kind == NS_IDMAP_GID ? "effective gid" : "effective uid", cap,
				w == WRITER_INSIDE ? " (the writer is inside the namespace itself, so it cannot have "
				"it there)" : "", kind == NS_IDMAP_GID ? 'g' : 'u');
	if (kind == NS_IDMAP_GID)
		return ns__fail(EPERM, "%s: writing gid_map: without %s a writer may map only its own effective "
				"gid, into a user namespace its effective uid owns, after setgroups is \"deny\"", fn,
				cap);
	return ns__fail(EPERM, "%s: writing uid_map: without %s a writer may map only its own effective uid, "
			"into a user namespace its effective uid owns", fn, cap);
}

int ns__write_setgroups_at(int procdirfd, int allow)
{
	const char *fn = "ns_write_setgroups", *text = allow ? "allow" : "deny";
	char cur[64];
	int r = ns__write_proc_at(procdirfd, "setgroups", text, strlen(text));

	if (r == -EPERM) {
		if (allow)
			return ns__fail(EPERM, "%s: setgroups of the process is \"deny\", which cannot be undone", fn);
		if (ns__read_proc_at(procdirfd, "gid_map", cur, sizeof(cur)) > 0)
			return ns__fail(EPERM, "%s: gid_map of the process is already written, after which setgroups "
					"can no longer be denied (write setgroups first)", fn);
		return ns__fail(EPERM, "%s: writing setgroups of the process", fn);
	}
	if (r == -EACCES)
		return ns__fail(EACCES, "%s: writing setgroups needs CAP_SYS_ADMIN in the process's user namespace "
				"and write access to the file", fn);
	return ns__prefixed(fn, r);
}

/* An unprivileged writer's gid_map is refused while setgroups is "allow" (Linux 3.19, CVE-2014-8989). */
static int deny_setgroups_if_allowed(int procdirfd)
{
	char cur[64];

	if (ns__read_proc_at(procdirfd, "setgroups", cur, sizeof(cur)) > 0 && strncmp(cur, "deny", 4) == 0)
		return 0;
	return ns__write_setgroups_at(procdirfd, 0);
}

static int check_write_args(int kind, const struct ns_idmap *map, unsigned flags)
{
	const char *fn = "ns_write_idmap";
	int r = ns__check_flags(fn, flags, NS_IDMAP_USE_HELPER);

	if (r < 0)
		return r;
	if (kind != NS_IDMAP_UID && kind != NS_IDMAP_GID)
		return ns__fail(EINVAL, "%s: kind %d is neither NS_IDMAP_UID nor NS_IDMAP_GID", fn, kind);
	if (!map)
		return ns__fail(EINVAL, "%s: map is NULL", fn);
	return ns__idmap_check(fn, "range", map);
}

int ns__write_idmap_at(int procdirfd, pid_t pid, int kind, const struct ns_idmap *map, unsigned flags)
{
	const char *fn = "ns_write_idmap", *helper;
	enum writer w;
	char *buf;
	int r, len;

	r = check_write_args(kind, map, flags);
	if (r < 0)
		return r;

	if (flags & NS_IDMAP_USE_HELPER) {
		helper = helper_path(kind);
		if (!helper)
			return ns__fail(ENOENT, "%s: %s is not installed (package uidmap)", fn,
					kind == NS_IDMAP_GID ? "newgidmap" : "newuidmap");
		return run_helper(helper, pid, kind, map);
	}
	w = classify_writer(procdirfd, kind);
	if (w == WRITER_UNPRIVILEGED && !own_id_only(map, kind)) {
		helper = helper_path(kind);
		if (helper)
			return run_helper(helper, pid, kind, map);
	}
	if (w != WRITER_PRIVILEGED && kind == NS_IDMAP_GID && maybe_own_id(map, kind, w)) {
		r = deny_setgroups_if_allowed(procdirfd);
		if (r < 0)
			return r;
	}

	len = ns_idmap_format(map, NULL, 0);
	buf = malloc((size_t)len + 1);
	if (!buf)
		return ns__fail(ENOMEM, "%s: formatting the map", fn);
	ns_idmap_format(map, buf, (size_t)len + 1);
	r = ns__write_proc_at(procdirfd, ns__idmap_file(kind), buf, (size_t)len);
	free(buf);
	if (r == -EPERM)
		return explain_map_eperm(procdirfd, pid, kind, map, w);
	return ns__prefixed(fn, r);
}

NS_PUBLIC int ns_write_idmap(pid_t pid, int kind, const struct ns_idmap *map, unsigned flags)
{
	int dir, r;

	r = ns__check_pid("ns_write_idmap", pid);
	if (r < 0)
		return r;
	r = check_write_args(kind, map, flags);
	if (r < 0)
		return r;
	dir = ns__open_proc_dir(pid);
	if (dir < 0)
		return ns__prefixed("ns_write_idmap", dir);
	r = ns__write_idmap_at(dir, pid, kind, map, flags);
	close(dir);
	return r;
}

NS_PUBLIC int ns_write_setgroups(pid_t pid, int allow)
{
	int dir, r;

	r = ns__check_pid("ns_write_setgroups", pid);
	if (r < 0)
		return r;
	dir = ns__open_proc_dir(pid);
	if (dir < 0)
		return ns__prefixed("ns_write_setgroups", dir);
	r = ns__write_setgroups_at(dir, allow);
	close(dir);
	return r;
}
