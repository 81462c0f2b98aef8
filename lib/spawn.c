/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_spawn() and ns_spawn_exec(), the parent's side: the clone, the writes into the child's /proc
 * (id maps, setgroups, time offsets) and the report protocol that turns the child's failures into
 * messages. Preparation is in spawn-prepare.c, the child in spawn-child.c, the messages in spawn-errors.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "spawn-internal.h"
#include "syscall.h"

extern char **environ;

static int read_report(struct spawn *s, struct report *rep)
{
	ssize_t n;

	do
		n = read(s->rep_rd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*rep))
		return -EIO;
	return 1;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}

/* Kill and reap whatever was started; the caller never sees a half-made child. */
static void abort_children(struct spawn *s)
{
	struct report rep;

	/* A child waiting for the parent's writes sees end of file and exits. */
	ns__close(&s->go_wr);
	if (s->intermediate > 0) {
		/*
		 * The final child may have failed before the joining process reported its pid: that process
		 * never blocks, so read on until its report (or the end of the pipe, when it cloned nothing),
		 * or the final child, which is our child, would stay a zombie.
		 */
		while (!(s->seen & (1u << ST_PID)) && s->rep_rd >= 0 && read_report(s, &rep) == 1)
			if (rep.stage == ST_PID) {
				s->seen |= 1u << ST_PID;
				s->pid = (pid_t)rep.value;
			}
		reap(s->intermediate);
		s->intermediate = 0;
	}
	if (s->pid > 0) {
		if (s->pidfd >= 0)
			sys_pidfd_send_signal(s->pidfd, SIGKILL, NULL, 0);
		else
			kill(s->pid, SIGKILL);
		reap(s->pid);
		s->pid = 0;
	}
	ns__close(&s->pidfd);
}

/*
 * Read reports until `stage` (ready, prepared, or the final pid) has been seen; any failure ends the
 * spawn. The joining intermediate and the final child write to the same pipe, so their reports may
 * come in either order: each one seen is remembered.
 */
static int expect_report(struct spawn *s, int stage)
{
	struct report rep;
	int r;

	while (!(s->seen & (1u << stage))) {
		r = read_report(s, &rep);
		if (r < 0)
			return ns__fail(-r, "%s: reading the child's report", s->fn_name);
		if (r == 0)
			return ns__fail(EIO, "%s: the child died while it was being set up (killed?)", s->fn_name);
		if (rep.stage != ST_READY && rep.stage != ST_PID && rep.stage != ST_PREPARED)
			return ns__spawn_child_error(s, &rep);
		s->seen |= 1u << rep.stage;
		if (rep.stage == ST_PID)
			s->pid = (pid_t)rep.value;
	}
	return 0;
}

/*
 * The child's pid as /proc numbers it. A caller in a pid namespace of its own that still sees an
 * outer /proc (no remount) would otherwise write its child's maps into whatever process has that
 * number out there. The pidfd's fdinfo is read through the same /proc and answers in its numbering
 * (0 when the child is not visible there).
 */
static int proc_pid_of(struct spawn *s)
{
	int pid = -EINVAL, pidfd = s->pidfd;

	if (pidfd < 0 && ns_has_feature(NS_FEATURE_PIDFD) == 1)
		pidfd = sys_pidfd_open(s->pid, 0); /* our unreaped child: its pid cannot be reused */
	if (pidfd >= 0)
		pid = ns__pidfd_pid(pidfd);
	if (pidfd >= 0 && pidfd != s->pidfd)
		close(pidfd);
	if (pid > 0)
		return pid;
	if (pid == -EINVAL) {
		/* No pidfd, or no Pid: line in its fdinfo (before 5.4): trust /proc only if it numbers us as we
		 * number ourselves. */
		if (ns__proc_self_trusted())
			return s->pid;
		return ns__fail(EREMOTE, "%s: /proc belongs to another pid namespace than this process's: mount "
				"a /proc for it to write the child's maps", s->fn_name);
	}
	if (pid == -EREMOTE || pid == -ESRCH)
		return ns__fail(EREMOTE, "%s: the child is not visible in this /proc, which belongs to another pid "
				"namespace: mount a /proc for this process's pid namespace", s->fn_name);
	return ns__fail(EIO, "%s: reading /proc/self/fdinfo of the child's pidfd (is /proc mounted?)", s->fn_name);
}

/*
 * /proc/PID of the child, proven to be the child's: its fd of the go pipe is our pipe. That costs one
 * stat and also rules out a bind mount over /proc/PID; only when it fails is the pid translated.
 */
static int open_child_proc_dir(struct spawn *s)
{
	char path[32];
	struct stat st;
	int dfd;

	snprintf(path, sizeof(path), "/proc/%d", (int)s->pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		snprintf(path, sizeof(path), "fd/%d", s->go_rd_child);
		if (fstatat(dfd, path, &st, 0) == 0 && st.st_dev == s->go_dev && st.st_ino == s->go_ino) {
			s->proc_pid = s->pid;
			return dfd;
		}
		close(dfd);
	}
	s->proc_pid = proc_pid_of(s);
	if (s->proc_pid < 0)
		return s->proc_pid;
	dfd = ns__open_proc_dir(s->proc_pid);
	if (dfd < 0)
		return ns__spawn_fail_wrapped(s, dfd, "opening the child's /proc directory");
	return dfd;
}

/* setgroups before gid_map (the kernel's order), all through one /proc/PID directory fd. */
static int parent_writes(struct spawn *s)
{
	int dfd, r = 0;

	if (!s->wait_for_parent)
		return 0;
	dfd = open_child_proc_dir(s);
	if (dfd < 0)
		return dfd;
	if (s->write_setgroups_deny && (r = ns__write_setgroups_at(dfd, 0)) < 0) {
		r = ns__spawn_fail_wrapped(s, r, "denying setgroups in the child's user namespace");
		goto out;
	}
	if (s->helper_maps) {
		if (s->o.uid_map && (r = ns__write_idmap_at(dfd, s->proc_pid, NS_IDMAP_UID, s->o.uid_map,
							    NS_IDMAP_USE_HELPER)) < 0)
			goto helper_fail;
		if (s->o.gid_map && (r = ns__write_idmap_at(dfd, s->proc_pid, NS_IDMAP_GID, s->o.gid_map,
							    NS_IDMAP_USE_HELPER)) < 0)
			goto helper_fail;
	}
	if (s->uid_len && (r = ns__write_proc_at(dfd, "uid_map", s->uid_text, s->uid_len)) < 0) {
		r = ns__spawn_map_write_error(s, r, "uid_map");
		goto out;
	}
	if (s->gid_len && (r = ns__write_proc_at(dfd, "gid_map", s->gid_text, s->gid_len)) < 0) {
		r = ns__spawn_map_write_error(s, r, "gid_map");
		goto out;
	}
	if (s->time_mode == TIME_OFFSETS &&
	    (r = ns__set_time_offsets_at(dfd, s->o.monotonic_offset, s->o.boottime_offset)) < 0)
		r = ns__spawn_fail_wrapped(s, r, "setting the child's clock offsets");
	goto out;
helper_fail:
	r = ns__spawn_fail_wrapped(s, r, "writing the child's id maps through newuidmap/newgidmap");
out:
	close(dfd);
	return r;
}

/* clone3 without CLONE_CLEAR_SIGHAND (5.3, 5.4) fails EINVAL; the child then resets handlers itself. */
static int no_clear_sighand;

static long do_clone(struct spawn *s, int *pidfd)
{
	long pid;
	uint64_t flags;

	if (__atomic_load_n(&no_clear_sighand, __ATOMIC_RELAXED))
		s->clone_flags &= ~CLONE_CLEAR_SIGHAND;
	flags = s->clone_flags | (pidfd ? CLONE_PIDFD : 0);
	if (s->join_types) /* the intermediate joins first; the namespaces are made by its clone */
		flags &= CLONE_INTO_CGROUP | CLONE_CLEAR_SIGHAND | CLONE_PIDFD;
	pid = ns__spawn_clone(s, flags, pidfd);
	if (pid != -EINVAL || !(flags & CLONE_CLEAR_SIGHAND))
		return pid;
	/* The child reads clone_flags to know whether it must reset handlers itself. */
	s->clone_flags &= ~CLONE_CLEAR_SIGHAND;
	pid = ns__spawn_clone(s, flags & ~CLONE_CLEAR_SIGHAND, pidfd);
	/* Remember only a refusal of the flag itself, not one of the request (a user namespace in a chroot). */
	if (pid != -EINVAL)
		__atomic_store_n(&no_clear_sighand, 1, __ATOMIC_RELAXED);
	return pid;
}

/*
 * Wait only as long as something can still fail: until the end of the report pipe when the child
 * will exec (it is close-on-exec) or has fallible steps left after the parent's writes, until its
 * "prepared" report when only the steps before them could fail, and not at all otherwise.
 */
static int wait_until_set_up(struct spawn *s)
{
	struct report rep;
	int r;

	if (!s->wait_for_exec)
		return s->prepared_report ? expect_report(s, ST_PREPARED) : 0;
	for (;;) {
		r = read_report(s, &rep);
		if (r < 0)
			return ns__fail(-r, "%s: reading the child's report", s->fn_name);
		if (r == 0)
			return 0;
		if (rep.stage != ST_PREPARED)
			return ns__spawn_child_error(s, &rep);
	}
}

/*
 * The report pipe (child to parent) when the child has anything to report, and the go pipe (parent to
 * child) when it must wait for the parent's writes. Both O_CLOEXEC; on failure spawn_release closes them.
 */
static int make_pipes(struct spawn *s)
{
	struct stat st;
	int fds[2];

	/* Without anything to report (no fallible step, no exec) the pipe is not even made. */
	if (s->wait_for_exec || s->prepared_report || s->join_types || s->time_mode == TIME_OFFSETS) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			return ns__fail(errno, "%s: pipe2", s->fn_name);
		s->rep_rd = fds[0];
		s->rep_wr = fds[1];
	}
	if (!s->wait_for_parent)
		return 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return ns__fail(errno, "%s: pipe2", s->fn_name);
	s->go_rd = fds[0];
	s->go_wr = fds[1];
	s->go_rd_child = fds[0];
	if (fstat(fds[1], &st) < 0)
		return ns__fail(errno, "%s: fstat of a pipe", s->fn_name);
	s->go_dev = st.st_dev;
	s->go_ino = st.st_ino;
	return 0;
}

/* Every fd the parent still holds: the pidfd (unless handed to the caller), the pipes, the join fds. */
static void spawn_release(struct spawn *s)
{
	ns__close(&s->pidfd);
	ns__close(&s->go_rd);
	ns__close(&s->go_keep);
	ns__close(&s->go_wr);
	ns__close(&s->rep_wr);
	ns__close(&s->rep_rd);
	ns__spawn_close_join_fds(s);
}

static int spawn_run(struct spawn *s, int *pidfd_out)
{
	sigset_t all;
	long pid;
	int r, pidfd = -1;
	bool want_pidfd = pidfd_out != NULL;

	r = make_pipes(s);
	if (r < 0)
		goto out;
	/* No caller signal handler may run in the child before it has reset them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &s->caller_mask);
	/* The joining intermediate's pidfd is of no use: the final child's is opened below. */
	pid = do_clone(s, want_pidfd && !s->join_types && (s->use_clone3 || ns_has_feature(NS_FEATURE_PIDFD)) ?
		       &pidfd : NULL);
	if (pid == 0)
		ns__spawn_child_main(s);
	pthread_sigmask(SIG_SETMASK, &s->caller_mask, NULL);
	if (pid < 0) {
		r = ns__spawn_clone_error(s, (int)-pid);
		goto out;
	}
	/* Recorded at once, so that every failure from here on kills and reaps it. */
	if (s->join_types)
		s->intermediate = (pid_t)pid;
	else
		s->pid = (pid_t)pid;
	s->pidfd = pidfd;
	ns__close(&s->rep_wr);
	/*
	 * Keep a reader of the go pipe until "go" is written, so that a child killed meanwhile cannot turn
	 * that write into a SIGPIPE for the caller; but under another number, as fd/N of the child's
	 * /proc entry must be a file only the child has (see open_child_proc_dir).
	 */
	if (s->go_rd >= 0) {
		s->go_keep = fcntl(s->go_rd, F_DUPFD_CLOEXEC, 0);
		if (s->go_keep < 0) {
			r = ns__fail(errno, "%s: duplicating a pipe fd (too many open files?)", s->fn_name);
			goto fail;
		}
		ns__close(&s->go_rd);
	}
	/* clone() before 5.2 ignores CLONE_PIDFD, and so do emulators such as valgrind: open one then,
	 * safely, as the child cannot be reaped by anyone else yet. */
	if (want_pidfd && s->pidfd < 0 && !s->join_types && ns_has_feature(NS_FEATURE_PIDFD) == 1) {
		s->pidfd = sys_pidfd_open(s->pid, 0);
		if (s->pidfd < 0) { /* not -errno into *pidfd_out: fail as the joining path below does */
			r = ns__fail(-s->pidfd, "%s: pidfd_open(%d)", s->fn_name, (int)s->pid);
			s->pidfd = -1;
			goto fail;
		}
	}
	if (s->join_types) {
		r = expect_report(s, ST_PID);
		if (r < 0)
			goto fail;
		reap(s->intermediate);
		s->intermediate = 0;
		/* CLONE_PARENT made it our child: no one else can reap it, so its pid cannot be reused. */
		if (want_pidfd && ns_has_feature(NS_FEATURE_PIDFD)) {
			s->pidfd = sys_pidfd_open(s->pid, 0);
			if (s->pidfd < 0) {
				r = ns__fail(-s->pidfd, "%s: pidfd_open(%d)", s->fn_name, (int)s->pid);
				s->pidfd = -1;
				goto fail;
			}
		}
	}
	if (s->time_mode == TIME_OFFSETS && (r = expect_report(s, ST_READY)) < 0)
		goto fail;
	r = parent_writes(s);
	if (r < 0)
		goto fail;
	if (s->go_wr >= 0) {
		if (write(s->go_wr, "g", 1) != 1) {
			r = ns__fail(errno, "%s: releasing the child", s->fn_name);
			goto fail;
		}
		ns__close(&s->go_wr);
	}
	ns__close(&s->go_keep);
	r = wait_until_set_up(s);
	if (r < 0)
		goto fail;
	if (pidfd_out) {
		*pidfd_out = s->pidfd;
		s->pidfd = -1;
	}
	r = (int)s->pid;
	goto out;
fail:
	abort_children(s);
out:
	spawn_release(s);
	if (r < 0)
		errno = -r;
	return r;
}

NS_PUBLIC int ns_spawn(const struct ns_spawn_opts *opts, ns_fn fn, void *arg, int *pidfd_out)
{
	struct spawn s = { .fn_name = "ns_spawn", .fn = fn, .arg = arg };
	int r;

	if (pidfd_out)
		*pidfd_out = -1;
	if (!fn)
		return ns__fail(EINVAL, "ns_spawn: fn is NULL");
	r = ns__spawn_prepare(&s, opts);
	if (r < 0)
		return r;
	return spawn_run(&s, pidfd_out);
}

NS_PUBLIC int ns_spawn_exec(const struct ns_spawn_opts *opts, const char *path, char *const argv[],
			    char *const envp[], int *pidfd_out)
{
	struct spawn s = { .fn_name = "ns_spawn_exec", .path = path, .argv = argv, .envp = envp ? envp : environ };
	int r;

	if (pidfd_out)
		*pidfd_out = -1;
	if (!path || !*path)
		return ns__fail(EINVAL, "ns_spawn_exec: path is %s", path ? "empty" : "NULL");
	if (!argv)
		return ns__fail(EINVAL, "ns_spawn_exec: argv is NULL (pass at least { name, NULL })");
	r = ns__spawn_prepare(&s, opts);
	if (r < 0)
		return r;
	return spawn_run(&s, pidfd_out);
}
