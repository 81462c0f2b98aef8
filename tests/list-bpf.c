/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns_list_new()'s two paths, the BPF task iterators and the /proc scan, give the same list, and the
 * BPF path is taken only where it shows no more than /proc would (ns_list_new(3), "Which path").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"

#define STORM 2000   /* sleeping processes in the isolated differential test */

static const unsigned flag_sets[] = { 0, NS_LIST_NO_FDS, NS_LIST_NO_MOUNTS, NS_LIST_NO_FDS | NS_LIST_NO_MOUNTS };
static const unsigned type_sets[] = { 0, NS_TYPE_NET, NS_TYPE_USER | NS_TYPE_PID, NS_TYPE_UTS | NS_TYPE_MNT };

/* NULL when a and b are the same list, else the first difference */
static const char *differ(const struct ns_list *a, const struct ns_list *b, char *buf, size_t size)
{
	size_t n = ns_list_count(a) < ns_list_count(b) ? ns_list_count(a) : ns_list_count(b);

	for (size_t i = 0; i < n; i++) {
		const struct ns_entry *x = ns_list_get(a, i), *y = ns_list_get(b, i);

		if (memcmp(x, y, sizeof(*x)) != 0) {
			snprintf(buf, size, "entry %zu: bpf %s %llu nprocs %u pid %d held 0x%x owner %llu parent %llu "
				 "\"%s\"; proc %s %llu nprocs %u pid %d held 0x%x owner %llu parent %llu \"%s\"", i,
				 ns_type_name(x->type), (unsigned long long)x->id.ino, x->nprocs, (int)x->pid,
				 x->held_by, (unsigned long long)x->userns_ino, (unsigned long long)x->parent_ino,
				 x->command, ns_type_name(y->type), (unsigned long long)y->id.ino, y->nprocs,
				 (int)y->pid, y->held_by, (unsigned long long)y->userns_ino,
				 (unsigned long long)y->parent_ino, y->command);
			return buf;
		}
	}
	if (ns_list_count(a) != ns_list_count(b)) {
		snprintf(buf, size, "bpf lists %zu namespaces, proc %zu", ns_list_count(a), ns_list_count(b));
		return buf;
	}
	return NULL;
}

static const struct ns_entry *find(const struct ns_list *l, int type, unsigned long long ino)
{
	for (size_t i = 0; i < ns_list_count(l); i++)
		if (ns_list_get(l, i)->type == type && ns_list_get(l, i)->id.ino == ino)
			return ns_list_get(l, i);
	return NULL;
}

/* ---- the isolated busy system: a pid namespace of our own, with its own /proc ---- */

static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static bool write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* A new user namespace where we are root, mapped to our own ids (no privilege needed for that). */
static bool own_userns(void)
{
	return unshare(CLONE_NEWUSER) == 0 && write_text("/proc/self/setgroups", "deny") &&
	       write_text("/proc/self/uid_map", "0 0 1") && write_text("/proc/self/gid_map", "0 0 1");
}

/* fork; the child runs fn and then sleeps; returns once the child said it is ready (or -1) */
static pid_t ready_child(bool (*fn)(int *fds), int *fds)
{
	int p[2];
	pid_t pid;
	char c = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		c = fn(fds) ? 1 : 0;
		if (write(p[1], &c, 1) != 1 || !c)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1 || c != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

/* three nested user namespaces, the innermost with its own uts, ipc, net and a pid namespace */
static bool nest_userns(int *fds)
{
	int p[2];
	pid_t inner;
	char c;

	(void)fds;
	if (!own_userns() || !own_userns() || !own_userns() ||
	    unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID) < 0 || pipe(p) < 0)
		return false;
	inner = fork();   /* the first process of the new pid namespace */
	if (inner == 0) {
		prctl(PR_SET_NAME, "libns-nested");
		if (write(p[1], "", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	return inner > 0 && read(p[0], &c, 1) == 1;
}

static bool new_uts_ipc_net(int *fds)
{
	(void)fds;
	return unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) == 0;
}

static void *unshare_uts_and_sleep(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUTS) == 0)
		for (;;)
			pause();
	return NULL;
}

/* a thread of ours in its own uts namespace: only the main thread's namespaces count */
static bool thread_elsewhere(int *fds)
{
	pthread_t t;

	(void)fds;
	prctl(PR_SET_NAME, "libns-thread");
	return pthread_create(&t, NULL, unshare_uts_and_sleep, NULL) == 0;
}

static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* state letter of /proc/PID/stat, after the command's closing parenthesis */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* the leader exits, its thread lives on: a zombie leader has only its user and pid links */
static bool zombie_leader(void)
{
	pthread_t t;
	pid_t pid = fork();

	if (pid == 0) {
		if (pthread_create(&t, NULL, sleep_forever, NULL) == 0)
			syscall(SYS_exit, 0);
		_exit(1);
	}
	for (int i = 0; i < 5000 && pid > 0; i++) {
		if (proc_state(pid) == 'Z')
			return true;
		usleep(1000);
	}
	return false;
}

/*
 * Our mount namespace began as a copy of the test's, with the nsfs bind mounts other programs had
 * there then (/run/netns entries of concurrent tests). Those may vanish at any time: unlinking a
 * mount point elsewhere detaches its copies here too. Drop them, so that only ours is listed.
 */
static void drop_inherited_nsfs_mounts(void)
{
	char line[1024], where[512];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	NST_CHILD_CHECK(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " - nsfs ") && sscanf(line, "%*s %*s %*s %*s %511s", where) == 1)
			umount2(where, MNT_DETACH);
	fclose(f);
}

/* Runs as pid 1 of a new pid namespace with its own /proc: builds the system, compares, exits. */
static int isolated_busy_system(void)
{
	size_t stack = 16384;
	char *stacks, dir[] = "/tmp", file[] = "/tmp/uts", path[64], msg[1024];
	pid_t h, c, nested, zombie;
	unsigned long long held[3];
	int fds[3];
	struct ns_list *a, *b, *all = NULL;
	const struct ns_entry *e;
	int procs = 0;

	NST_CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	drop_inherited_nsfs_mounts();
	NST_CHILD_CHECK(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
	NST_CHILD_CHECK(mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0);

	/* the storm: CLONE_VM children cost no page tables; some in uts or ipc namespaces of their own */
	stacks = mmap(NULL, STORM * stack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	NST_CHILD_CHECK(stacks != MAP_FAILED);
	for (int i = 0; i < STORM; i++) {
		int flags = CLONE_VM | SIGCHLD | (i % 100 == 7 ? CLONE_NEWUTS : 0) | (i % 250 == 3 ? CLONE_NEWIPC : 0);

		NST_CHILD_CHECK(clone(sleeper, stacks + (size_t)(i + 1) * stack, flags, NULL) > 0);
		procs++;
	}
	nested = ready_child(nest_userns, NULL);
	NST_CHILD_CHECK(nested > 0);
	NST_CHILD_CHECK(ready_child(thread_elsewhere, NULL) > 0);
	NST_CHILD_CHECK(zombie_leader());
	zombie = fork();
	if (zombie == 0)
		_exit(0);   /* never reaped while we compare */
	{
		siginfo_t si;

		NST_CHILD_CHECK(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT) == 0);
	}
	/* held only by fds of another process (h), and only by a bind mount */
	c = ready_child(new_uts_ipc_net, NULL);
	NST_CHILD_CHECK(c > 0);
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = { "net", "ipc", "uts" };

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)c, names[i]);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		NST_CHILD_CHECK(fds[i] >= 0);
	}
	NST_CHILD_CHECK(close(open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) == 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)c);
	NST_CHILD_CHECK(mount(path, file, NULL, MS_BIND, NULL) == 0);
	for (int i = 0; i < 3; i++) {
		struct stat st;

		NST_CHILD_CHECK(fstat(fds[i], &st) == 0);
		held[i] = (unsigned long long)st.st_ino;
	}
	close(fds[2]);
	h = fork();
	if (h == 0) {
		for (;;)
			pause();   /* holds fds[0..1], net and ipc: never exec'd, so O_CLOEXEC does not matter */
	}
	NST_CHILD_CHECK(h > 0);
	close(fds[0]);
	close(fds[1]);
	kill(c, SIGKILL);
	NST_CHILD_CHECK(waitpid(c, NULL, 0) == c);
	/* h keeps net and ipc open; the uts namespace lives on in the bind mount only */

	for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
		for (size_t t = 0; t < sizeof(type_sets) / sizeof(type_sets[0]); t++) {
			const char *bad;

			NST_CHILD_CHECK(ns_list_new(type_sets[t], flag_sets[f] | NS_LIST_BPF_ONLY, &a) == 0);
			NST_CHILD_CHECK(ns_list_new(type_sets[t], flag_sets[f] | NS_LIST_PROC_ONLY, &b) == 0);
			bad = differ(a, b, msg, sizeof(msg));
			if (bad)
				fprintf(stderr, "types 0x%x flags 0x%x: %s\n", type_sets[t], flag_sets[f], bad);
			NST_CHILD_CHECK(bad == NULL);
			ns_list_free(b);
			if (f || t)
				ns_list_free(a);
			else
				all = a;   /* kept: everything listed, for the checks below */
		}
	}
	a = all;
	/* not vacuous: what was built is there, numbered as this pid namespace numbers it */
	e = find(a, NS_TYPE_USER, nst_proc_ns_ino(0, "user"));
	NST_CHILD_CHECK(e && e->pid == 1 && e->nprocs >= (unsigned)procs && e->nprocs < (unsigned)procs + 16);
	e = find(a, NS_TYPE_NET, held[0]);
	NST_CHILD_CHECK(e && e->held_by == NS_HELD_BY_FD && e->nprocs == 0);
	e = find(a, NS_TYPE_IPC, held[1]);
	NST_CHILD_CHECK(e && e->held_by == NS_HELD_BY_FD);
	e = find(a, NS_TYPE_UTS, held[2]);
	NST_CHILD_CHECK(e && e->held_by == NS_HELD_BY_MOUNT);
	{
		/* the innermost of the three nested user namespaces, and the pid namespace it owns */
		const struct ns_entry *u = NULL, *p = NULL;
		int depth = 0;

		for (size_t i = 0; i < ns_list_count(a); i++)
			if (strcmp(ns_list_get(a, i)->command, "libns-nested") == 0 &&
			    ns_list_get(a, i)->type == NS_TYPE_PID)
				p = ns_list_get(a, i);
		NST_CHILD_CHECK(p && p->nprocs == 1 && p->parent_ino == nst_proc_ns_ino(0, "pid"));
		for (u = find(a, NS_TYPE_USER, p->userns_ino); u && u->parent_ino; u = find(a, NS_TYPE_USER, u->parent_ino))
			depth++;
		NST_CHILD_CHECK(depth == 3);
	}
	ns_list_free(a);
	umount2(file, MNT_DETACH);
	return 0;   /* as pid 1, our exit kills every process made here */
}

START_TEST(bpf_matches_proc_on_isolated_busy_system)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pid_t init;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(unshare(CLONE_NEWPID | CLONE_NEWNS) == 0);
		init = fork();
		if (init == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(isolated_busy_system());
		}
		NST_CHILD_CHECK(init > 0);
		_exit(nst_wait(init));
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/*
 * The whole system, as the test's own pid namespace sees it: other processes come and go, so the
 * paths are compared at a quiet moment, when two BPF listings around the /proc one agree.
 */
START_TEST(bpf_matches_proc_on_the_system)
{
	time_t end = time(NULL) + 30;
	char msg[1024];
	const char *bad = "never compared";
	int attempt = 0;

	while (bad && time(NULL) < end) {
		struct ns_list *a, *b, *c;

		attempt++;
		ck_assert_int_eq(ns_list_new(0, NS_LIST_BPF_ONLY, &a), 0);
		ck_assert_int_eq(ns_list_new(0, NS_LIST_PROC_ONLY, &b), 0);
		ck_assert_int_eq(ns_list_new(0, NS_LIST_BPF_ONLY, &c), 0);
		if (differ(a, c, msg, sizeof(msg)) == NULL) {
			bad = differ(a, b, msg, sizeof(msg));
			ck_assert_uint_gt(ns_list_count(a), 0);
		}
		ns_list_free(a);
		ns_list_free(b);
		ns_list_free(c);
		if (bad)
			usleep(100000);
	}
	ck_assert_msg(bad == NULL, "after %d attempts: %s", attempt, bad);
}
END_TEST

/* ---- who gets which path ---- */

static void expect_not_permitted(const char *why)
{
	struct ns_list *l = (struct ns_list *)&l, *p;

	NST_CHILD_CHECK(ns_list_new(0, NS_LIST_BPF_ONLY, &l) == -EPERM);
	NST_CHILD_CHECK(errno == EPERM && l == (struct ns_list *)&l);
	if (!strstr(ns_last_error(), why))
		fprintf(stderr, "message: %s\n", ns_last_error());
	NST_CHILD_CHECK(strstr(ns_last_error(), why) != NULL);
	/* and without the flag, the /proc path: the caller's own net namespace is there */
	NST_CHILD_CHECK(ns_list_new(NS_TYPE_NET, 0, &p) == 0);
	NST_CHILD_CHECK(ns_list_count(p) >= 1);
	ns_list_free(p);
}

/* Run fn in a child forked as it says (dropping to uid 65534 or not), which must exit 0. */
static void in_child(bool unprivileged, void (*fn)(void))
{
	pid_t child = unprivileged ? nst_fork_unprivileged() : fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		fn();
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}

static void unprivileged(void)
{
	expect_not_permitted("CAP_SYS_PTRACE");
}

START_TEST(bpf_refused_to_unprivileged)
{
	in_child(true, unprivileged);
}
END_TEST

/* Root without CAP_SYS_PTRACE could not read other users' /proc/PID/ns links: no BPF either. */
static void without_ptrace(void)
{
	cap_t caps = cap_get_proc();
	cap_value_t v = CAP_SYS_PTRACE;

	NST_CHILD_CHECK(caps && cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) == 0 && cap_set_proc(caps) == 0);
	cap_free(caps);
	expect_not_permitted("CAP_SYS_PTRACE");
}

START_TEST(bpf_refused_without_ptrace)
{
	in_child(false, without_ptrace);
}
END_TEST

/* Root of a child user namespace has every capability there, and sees no more of /proc for it. */
static void in_child_userns(void)
{
	NST_CHILD_CHECK(own_userns());
	expect_not_permitted("initial user namespace");
}

START_TEST(bpf_refused_in_child_userns)
{
	in_child(false, in_child_userns);
}
END_TEST

/* In a child pid namespace that still reads its parent's /proc, pids would be numbered apart. */
START_TEST(bpf_refused_with_the_parents_proc)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pid_t inner;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(unshare(CLONE_NEWPID) == 0);
		inner = fork();
		if (inner == 0) {
			expect_not_permitted("pid namespace");
			_exit(0);
		}
		_exit(nst_wait(inner));
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* In a child pid namespace with its own /proc: only its tasks, as it numbers them. */
START_TEST(bpf_sees_only_its_pid_namespace)
{
	pid_t child = fork();
	struct ns_list *outside;
	const struct ns_entry *host;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pid_t inner;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		NST_CHILD_CHECK(unshare(CLONE_NEWPID | CLONE_NEWNS) == 0);
		inner = fork();
		if (inner == 0) {
			struct ns_list *l;
			const struct ns_entry *e;
			pid_t kid = fork();

			if (kid == 0) {
				for (;;)
					pause();
			}
			NST_CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
			NST_CHILD_CHECK(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
			NST_CHILD_CHECK(ns_list_new(0, NS_LIST_BPF_ONLY, &l) == 0);
			/* the host's net namespace: only our two processes, pids 1 and 2 */
			e = find(l, NS_TYPE_NET, nst_proc_ns_ino(0, "net"));
			NST_CHILD_CHECK(e && e->nprocs == 2 && e->pid == 1);
			for (size_t i = 0; i < ns_list_count(l); i++)
				NST_CHILD_CHECK(ns_list_get(l, i)->pid <= 2);
			ns_list_free(l);
			kill(kid, SIGKILL);
			_exit(0);
		}
		_exit(nst_wait(inner));
	}
	ck_assert_int_eq(nst_wait(child), 0);
	/* and outside, the same net namespace has more (kernel threads at least) */
	ck_assert_int_eq(ns_list_new(NS_TYPE_NET, NS_LIST_BPF_ONLY, &outside), 0);
	host = find(outside, NS_TYPE_NET, nst_proc_ns_ino(0, "net"));
	ck_assert_ptr_nonnull(host);
	ck_assert_uint_gt(host->nprocs, 2);
	ns_list_free(outside);
}
END_TEST

/* ---- loading: once, from any thread, and kept ---- */

static void *list_in_thread(void *arg)
{
	struct ns_list *l;

	*(int *)arg = ns_list_new(NS_TYPE_NET, NS_LIST_BPF_ONLY, &l);
	if (*(int *)arg == 0)
		ns_list_free(l);
	return NULL;
}

static int open_fds(int *links)
{
	char path[32], link[32];
	int n = 0;

	*links = 0;
	for (int fd = 0; fd < 1024; fd++) {
		ssize_t len;

		if (fcntl(fd, F_GETFD) < 0)
			continue;
		n++;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, link, sizeof(link) - 1);
		*links += len == 19 && memcmp(link, "anon_inode:bpf_link", 19) == 0;
	}
	return n;
}

START_TEST(bpf_loaded_once_by_racing_threads)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pthread_t t[4];
		int r[4], links, before = open_fds(&links), after;

		if (links)
			_exit(77);   /* CK_FORK=no: an earlier test of this process loaded them already */
		for (int i = 0; i < 4; i++)
			NST_CHILD_CHECK(pthread_create(&t[i], NULL, list_in_thread, &r[i]) == 0);
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			NST_CHILD_CHECK(r[i] == 0);
		}
		/* two iterator links are all that is kept, however many threads raced to load */
		after = open_fds(&links);
		NST_CHILD_CHECK(after == before + 2 && links == 2);
		list_in_thread(&r[0]);
		NST_CHILD_CHECK(r[0] == 0 && open_fds(&links) == after);
		_exit(0);
	}
	nst_assert_child(child, "bpf_loaded_once_by_racing_threads", "loaded before the test (CK_FORK=no)");
}
END_TEST

/* A process that closes libns's kept fds (a daemon closing everything) gets the /proc path. */
START_TEST(bpf_links_closed_by_the_process)
{
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct ns_list *l = (struct ns_list *)&l;
		int links;

		list_in_thread(&links);   /* loads them */
		NST_CHILD_CHECK(links == 0);
		open_fds(&links);
		NST_CHILD_CHECK(links == 2);
		for (int fd = 3; fd < 1024; fd++) {
			char path[32], link[32];
			ssize_t len;

			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			len = readlink(path, link, sizeof(link) - 1);
			if (len == 19 && memcmp(link, "anon_inode:bpf_link", 19) == 0)
				close(fd);
		}
		/* an fd of something else under the old number must not be read as an iterator */
		NST_CHILD_CHECK(open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0);
		NST_CHILD_CHECK(ns_list_new(NS_TYPE_NET, NS_LIST_BPF_ONLY, &l) == -EIO && l == (struct ns_list *)&l);
		NST_CHILD_CHECK(ns_list_new(NS_TYPE_NET, 0, &l) == 0 && ns_list_count(l) >= 1);
		ns_list_free(l);
		_exit(0);
	}
	ck_assert_int_eq(nst_wait(child), 0);
}
END_TEST

/* ---- flags and the feature mask (these run on every build) ---- */

START_TEST(bpf_flags_and_mask)
{
	struct ns_list *l = (struct ns_list *)&l;
	pid_t child;
	int r;

	ck_assert_int_eq(ns_list_new(0, NS_LIST_BPF_ONLY | NS_LIST_PROC_ONLY, &l), -EINVAL);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_eq(l, (struct ns_list *)&l);
	ck_assert_int_eq(ns_list_new(0, NS_LIST_PROC_ONLY, &l), 0);
	ns_list_free(l);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		nst_disable_features("bpf_iter");
		if (ns_has_feature(NS_FEATURE_BPF_ITER))
			_exit(77);   /* CK_FORK=no: probed before the mask */
		NST_CHILD_CHECK(ns_list_new(0, NS_LIST_BPF_ONLY, &l) == -EOPNOTSUPP && errno == EOPNOTSUPP);
		NST_CHILD_CHECK(strstr(ns_last_error(), "NS_FEATURE_BPF_ITER") != NULL);
		NST_CHILD_CHECK(ns_list_new(0, 0, &l) == 0);
		ns_list_free(l);
		_exit(0);
	}
	r = nst_wait(child);
	ck_assert_msg(r == 0 || r == 77, "child: %d", r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("list-bpf");
	TCase *tc = nst_tcase("list-bpf");
	const char *need = nst_need_root();

	if (!need)
		need = nst_need_feature(NS_FEATURE_BPF_ITER);
	nst_add(tc, bpf_flags_and_mask, NULL);
	nst_add(tc, bpf_refused_to_unprivileged, need);
	nst_add(tc, bpf_refused_without_ptrace, need);
	nst_add(tc, bpf_refused_in_child_userns, need);
	nst_add(tc, bpf_refused_with_the_parents_proc, need);
	nst_add(tc, bpf_sees_only_its_pid_namespace, need);
	nst_add(tc, bpf_loaded_once_by_racing_threads, need);
	nst_add(tc, bpf_links_closed_by_the_process, need);
	nst_add(tc, bpf_matches_proc_on_isolated_busy_system, need);
	nst_add(tc, bpf_matches_proc_on_the_system, need);
	suite_add_tcase(s, tc);
	return nst_run(s);
}
