/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A program written outside the project: it sees only the installed headers and library (built with
 * pkg-config by scripts/check-install.sh, shared and static), and makes one real, checked use of every
 * public function. Run as root; it prints one line per area and exits 0 when everything held.
 * Strict C11 plus POSIX/BSD: an outside program must not need _GNU_SOURCE to use libns.
 */
#define _DEFAULT_SOURCE
#include <libns/libns.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			failures++; \
			fprintf(stderr, "outside: FAIL line %d: %s: ", __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, " [ns_last_error: %s]\n", ns_last_error()); \
		} \
	} while (0)

#define TARGET_HOSTNAME "libns-outside"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char link[32];
		ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);

		/* ns_list_new()'s BPF iterator links are kept for the process's life (ns_list_new(3)) */
		if (e->d_name[0] != '.' && !(len == 19 && memcmp(link, "anon_inode:bpf_link", 19) == 0))
			n++;
	}
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* Run fn in a forked child (namespace changes stay there); its exit code is its failure count. */
static void in_child(const char *what, int (*fn)(void))
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		failures = 0;
		fn();
		fflush(NULL);
		_exit(failures > 100 ? 100 : failures);
	}
	CHECK(pid > 0, "fork for %s", what);
	if (pid <= 0)
		return;
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid for %s", what);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child status 0x%x", what, (unsigned)status);
}

static unsigned long long ino_of(int fd)
{
	struct ns_id id;

	return ns_get_id(fd, &id) == 0 ? (unsigned long long)id.ino : 0;
}

/* ---- types, features, version, errors ---- */

static void check_basics(void)
{
	static const int all[] = { NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_UTS, NS_TYPE_IPC,
				   NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_TIME };
	char want[32];
	unsigned seen = 0;

	snprintf(want, sizeof(want), "%d.%d.%d", LIBNS_VERSION_MAJOR, LIBNS_VERSION_MINOR, LIBNS_VERSION_MICRO);
	CHECK(strcmp(ns_version(), want) == 0, "ns_version() %s, headers say %s", ns_version(), want);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *name = ns_type_name(all[i]);

		CHECK(name != NULL, "ns_type_name(0x%x)", (unsigned)all[i]);
		if (name) {
			CHECK(ns_type_from_name(name) == all[i], "ns_type_from_name(%s)", name);
			seen |= (unsigned)all[i];
		}
	}
	CHECK(seen == NS_TYPES_ALL, "types seen 0x%x", seen);
	CHECK(ns_type_name(0x1) == NULL, "ns_type_name(0x1) is not a type");
	/* a failure sets errno and a message */
	errno = 0;
	CHECK(ns_type_from_name("no-such-type") == -EINVAL && errno == EINVAL, "ns_type_from_name(bogus)");
	CHECK(ns_last_error()[0] != '\0', "ns_last_error() after a failure is empty");
	CHECK((ns_features() & ~NS_FEATURES_ALL) == 0, "ns_features() 0x%x", (unsigned)ns_features());
	CHECK(ns_has_feature(NS_FEATURE_PIDFD) == !!(ns_features() & NS_FEATURE_PIDFD), "ns_has_feature(PIDFD)");
	CHECK(ns_feature_name(NS_FEATURE_PIDFD) != NULL && ns_feature_name(NS_FEATURE_PIDFD)[0] != '\0',
	      "ns_feature_name(NS_FEATURE_PIDFD)");
	printf("basics: libns %s, features 0x%x\n", ns_version(), (unsigned)ns_features());
}

/* ---- handles of the caller's own namespaces ---- */

static void check_handles(void)
{
	int net = ns_open(0, NS_TYPE_NET, 0), pidfd = ns_pidfd_open(getpid(), 0), net2 = -1, uts, byid;
	struct ns_id id = { 0, 0, 0 };

	CHECK(net >= 0, "ns_open(0, net)");
	CHECK(pidfd >= 0, "ns_pidfd_open(self)");
	if (pidfd >= 0)
		net2 = ns_open_pidfd(pidfd, NS_TYPE_NET, 0);
	CHECK(net2 >= 0, "ns_open_pidfd(self, net)");
	CHECK(ns_equal(net, net2) == 1, "own net namespace twice is the same");
	uts = ns_open_path("/proc/self/ns/uts", NS_TYPE_UTS, 0);
	CHECK(uts >= 0 && ns_type_of(uts) == NS_TYPE_UTS, "ns_open_path(/proc/self/ns/uts) type");
	CHECK(ns_equal(net, uts) == 0, "net and uts differ");
	CHECK(ns_type_of(net) == NS_TYPE_NET, "ns_type_of(net)");
	CHECK(ns_get_id(net, &id) == 0 && id.ino != 0, "ns_get_id(net)");
	if (ns_has_feature(NS_FEATURE_NSFS_HANDLE) && id.id != 0) {
		byid = ns_open_by_id(id.id, NS_TYPE_NET, 0);
		CHECK(byid >= 0 && ns_equal(byid, net) == 1, "ns_open_by_id(%llu)", (unsigned long long)id.id);
	} else {
		byid = ns_open_by_id(id.id ? id.id : 1, NS_TYPE_NET, 0);
		CHECK(byid == -EOPNOTSUPP, "ns_open_by_id without kernel support: %d", byid);
	}
	printf("handles: net:[%llu] id %llu\n", (unsigned long long)id.ino, (unsigned long long)id.id);
	for (int *fd = (int[]){ net, net2, uts, byid, pidfd, -2 }; *fd != -2; fd++)
		if (*fd >= 0)
			close(*fd);
}

/* ---- id maps ---- */

static void check_idmaps(void)
{
	static struct ns_idmap map, again, sub;
	const char text[] = "0 1000 1\n1 100000 65536\n";
	char buf[256], path[] = "/tmp/libns-outside-subuid.XXXXXX";
	int fd, n;

	n = ns_idmap_parse(text, &map);
	CHECK(n == 2 && map.n == 2 && map.range[1].outside == 100000, "ns_idmap_parse: %d", n);
	CHECK(ns_idmap_validate(&map) == 0, "ns_idmap_validate");
	CHECK(ns_idmap_add(&map, 65537, 200000, 10) == 0 && map.n == 3, "ns_idmap_add");
	n = ns_idmap_format(&map, buf, sizeof(buf));
	CHECK(n > 0 && strcmp(buf, "0 1000 1\n1 100000 65536\n65537 200000 10\n") == 0, "ns_idmap_format: %s", buf);
	CHECK(ns_idmap_parse_buf(buf, (size_t)n, &again) == 3 && memcmp(&again.range, &map.range,
	      3 * sizeof(map.range[0])) == 0, "ns_idmap_parse_buf round trip");
	CHECK(ns_idmap_add(&map, 0, 5, 1) == -EINVAL || ns_idmap_validate(&map) < 0, "overlapping range refused");

	/* the subordinate-id file is named by the documented LIBNS_TEST_SUBUID_FILE, not the host's */
	fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	CHECK(write(fd, "root:300000:65536\n", 18) == 18, "write subuid");
	close(fd);
	setenv("LIBNS_TEST_SUBUID_FILE", path, 1);
	n = ns_idmap_from_subid(&sub, "root", NS_IDMAP_UID, 0);
	CHECK(n == 2 && sub.range[0].inside == 0 && sub.range[0].outside == 0 && sub.range[1].inside == 1 &&
	      sub.range[1].outside == 300000 && sub.range[1].count == 65536, "ns_idmap_from_subid: %d", n);
	unsetenv("LIBNS_TEST_SUBUID_FILE");
	unlink(path);
	printf("idmap: parse, validate, add, format, parse_buf, from_subid\n");
}

/* ---- the target: a process in new user, pid, net, uts, ipc and mount namespaces ---- */

struct target {
	int go[2];     /* parent -> target: one byte when the maps are written, EOF to end */
	int ready[2];  /* target -> parent: one byte once it has set its hostname */
	pid_t pid;
	int pidfd;
	int net, user, pidns;  /* its namespaces */
};

static int target_main(void *arg)
{
	struct target *t = arg;
	char c;
	int ok;

	close(t->go[1]);
	close(t->ready[0]);
	if (read(t->go[0], &c, 1) != 1)
		return 10;
	/* mapped root inside its own user namespace, and the init of its pid namespace */
	ok = getuid() == 0 && getgid() == 0 && getpid() == 1;
	if (sethostname(TARGET_HOSTNAME, strlen(TARGET_HOSTNAME)) < 0)
		ok = 0;
	if (write(t->ready[1], ok ? "y" : "n", 1) != 1)
		return 11;
	while (read(t->go[0], &c, 1) > 0)
		;
	return ok ? 0 : 12;
}

static struct target target = { { -1, -1 }, { -1, -1 }, -1, -1, -1, -1, -1 };

static int start_target(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct ns_idmap map;
	char c = 0;

	CHECK(pipe(target.go) == 0 && pipe(target.ready) == 0, "pipes");
	opts.new_types = NS_TYPE_USER | NS_TYPE_PID | NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_MNT;
	opts.flags = NS_SPAWN_DIE_WITH_PARENT;
	target.pid = ns_spawn(&opts, target_main, &target, &target.pidfd);
	CHECK(target.pid > 0 && target.pidfd >= 0, "ns_spawn(target): %d", (int)target.pid);
	close(target.go[0]);
	close(target.ready[1]);
	if (target.pid <= 0)
		return -1;
	/* root in the parent user namespace writes the maps: setgroups first, as the kernel orders it */
	CHECK(ns_idmap_parse("0 0 1\n", &map) == 1, "parse map");
	CHECK(ns_write_setgroups(target.pid, 0) == 0, "ns_write_setgroups(target, deny)");
	CHECK(ns_write_idmap(target.pid, NS_IDMAP_UID, &map, 0) == 0, "ns_write_idmap(uid)");
	CHECK(ns_write_idmap(target.pid, NS_IDMAP_GID, &map, 0) == 0, "ns_write_idmap(gid)");
	CHECK(write(target.go[1], "g", 1) == 1, "start target");
	CHECK(read(target.ready[0], &c, 1) == 1 && c == 'y', "target is root, pid 1, and named (%c)", c);
	target.net = ns_open(target.pid, NS_TYPE_NET, 0);
	target.user = ns_open_pidfd(target.pidfd, NS_TYPE_USER, 0);
	target.pidns = ns_open(target.pid, NS_TYPE_PID, 0);
	CHECK(target.net >= 0 && target.user >= 0 && target.pidns >= 0, "open the target's namespaces");
	printf("target: pid %d, net:[%llu]\n", (int)target.pid, ino_of(target.net));
	return 0;
}

static void stop_target(void)
{
	int status = -1;

	close(target.go[1]);
	close(target.ready[0]);
	CHECK(ns_wait(target.pidfd, &status) == target.pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "ns_wait(target): status 0x%x", (unsigned)status);
	for (int *fd = (int[]){ target.pidfd, target.net, target.user, target.pidns, -2 }; *fd != -2; fd++)
		if (*fd >= 0)
			close(*fd);
}

/* ---- hierarchy ---- */

static void check_hierarchy(void)
{
	int mine = ns_open(0, NS_TYPE_USER, 0), owner = ns_get_userns(target.net), parent;
	uid_t uid = 12345;
	pid_t in = 0, out = 0;

	CHECK(owner >= 0 && ns_equal(owner, target.user) == 1, "ns_get_userns(target net) is its user namespace");
	parent = ns_get_parent(target.user);
	CHECK(parent >= 0 && ns_equal(parent, mine) == 1, "ns_get_parent(target user) is ours");
	CHECK(ns_get_owner_uid(target.user, &uid) == 0 && uid == 0, "ns_get_owner_uid: %u", (unsigned)uid);
	CHECK(ns_pid_translate(target.pidns, target.pid, NS_PID_INTO_NS, &in) == 0 && in == 1,
	      "ns_pid_translate into: %d", (int)in);
	CHECK(ns_pid_translate(target.pidns, 1, NS_PID_FROM_NS, &out) == 0 && out == target.pid,
	      "ns_pid_translate from: %d", (int)out);
	CHECK(ns_can_enter(target.net) == 1, "ns_can_enter(target net) as root");
	printf("hierarchy: owner, parent, owner uid, pid %d is %d inside\n", (int)target.pid, (int)in);
	for (int *fd = (int[]){ mine, owner, parent, -2 }; *fd != -2; fd++)
		if (*fd >= 0)
			close(*fd);
}

/* ---- entering: each in a forked child, so this process keeps its namespaces ---- */

static int hostname_is_target(void)
{
	char name[HOST_NAME_MAX + 1] = "";

	return gethostname(name, sizeof(name)) == 0 && strcmp(name, TARGET_HOSTNAME) == 0;
}

static int now_in_target_net(void)
{
	int net = ns_open(0, NS_TYPE_NET, 0);
	int same = ns_equal(net, target.net) == 1;

	close(net);
	return same;
}

static int enter_by_fd(void)
{
	CHECK(ns_enter(target.net, NS_TYPE_NET) == 0, "ns_enter(target net)");
	CHECK(now_in_target_net(), "in the target's net namespace after ns_enter");
	return 0;
}

static int enter_by_pid(void)
{
	unsigned types = NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_IPC | NS_TYPE_MNT, joined = 0;
	char cwd[PATH_MAX] = "";

	CHECK(chdir("/tmp") == 0, "chdir");
	CHECK(ns_enter_pid(target.pid, types, 0, &joined) == 0, "ns_enter_pid(target)");
	CHECK(joined == types, "joined 0x%x, wanted 0x%x", joined, types);
	CHECK(getuid() == 0 && now_in_target_net() && hostname_is_target(), "inside the target");
	/* entering a mount namespace moves the working directory to its root */
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0, "cwd %s after entering a mount namespace", cwd);
	return 0;
}

static int enter_by_pidfd(void)
{
	unsigned joined = 0;

	CHECK(ns_enter_pidfd(target.pidfd, NS_TYPE_NET | NS_TYPE_UTS, 0, &joined) == 0, "ns_enter_pidfd(target)");
	CHECK(joined == (NS_TYPE_NET | NS_TYPE_UTS), "joined 0x%x", joined);
	CHECK(now_in_target_net() && hostname_is_target(), "inside the target's net and uts");
	return 0;
}

static int inside_target(void *arg)
{
	(void)arg;
	/* one fork below the target's pid namespace init */
	if (!now_in_target_net() || !hostname_is_target())
		return 1;
	return getpid() > 1 ? 42 : 2;
}

static int unshare_all(void)
{
	int user = ns_open(0, NS_TYPE_USER, 0), net = ns_open(0, NS_TYPE_NET, 0), user2, net2;

	CHECK(ns_unshare(NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_MNT, NS_UNSHARE_MAP_ROOT) == 0,
	      "ns_unshare(user, net, uts, mnt, map root)");
	user2 = ns_open(0, NS_TYPE_USER, 0);
	net2 = ns_open(0, NS_TYPE_NET, 0);
	CHECK(ns_equal(user, user2) == 0 && ns_equal(net, net2) == 0, "new user and net namespaces");
	CHECK(getuid() == 0 && getgid() == 0, "mapped root: uid %u", (unsigned)getuid());
	return 0;
}

/* A new time namespace applies to children; its offsets can be set until the first one exists. */
static int unshare_time(void)
{
	const struct timespec ahead = { 100000, 0 };
	struct timespec host, inside;
	int status = -1;
	pid_t child;

	CHECK(ns_unshare(NS_TYPE_TIME, 0) == 0, "ns_unshare(time)");
	CHECK(ns_set_time_offsets(0, &ahead, NULL) == 0, "ns_set_time_offsets(+100000 s)");
	clock_gettime(CLOCK_MONOTONIC, &host);
	child = fork();
	if (child == 0) {
		clock_gettime(CLOCK_MONOTONIC, &inside);
		_exit(inside.tv_sec - host.tv_sec >= 100000 && inside.tv_sec - host.tv_sec < 100100 ? 0 : 1);
	}
	CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the child's monotonic clock is 100000 s ahead");
	return 0;
}

static void check_enter(void)
{
	int r;

	in_child("ns_enter", enter_by_fd);
	in_child("ns_enter_pid", enter_by_pid);
	in_child("ns_enter_pidfd", enter_by_pidfd);
	r = ns_run_in(target.pidfd, NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_PID, inside_target, NULL, 0);
	CHECK(r == 42, "ns_run_in: %d", r);
	CHECK(!now_in_target_net(), "ns_run_in left this process where it was");
	in_child("ns_unshare", unshare_all);
	if (ns_has_feature(NS_FEATURE_TIME_NS))
		in_child("ns_unshare(time) + ns_set_time_offsets", unshare_time);
	else /* nothing to set: with both offsets NULL the call writes nothing and succeeds */
		CHECK(ns_set_time_offsets(0, NULL, NULL) == 0, "ns_set_time_offsets(0, NULL, NULL)");
	printf("enter: ns_enter, ns_enter_pid, ns_enter_pidfd, ns_run_in, ns_unshare%s\n",
	       ns_has_feature(NS_FEATURE_TIME_NS) ? ", time offsets" : "");
}

/* ---- pins and named network namespaces ---- */

static void check_netns_list(const char *name, bool present)
{
	char **names = NULL;
	int n = ns_netns_list(&names), found = 0;

	CHECK(n >= 0, "ns_netns_list: %s", ns_last_error());
	for (int i = 0; i < n; i++)
		found += strcmp(names[i], name) == 0;
	CHECK(found == (present ? 1 : 0), "ns_netns_list %s %s", present ? "shows" : "no longer shows", name);
	ns_netns_list_free(names);
}

static void check_pins(void)
{
	char dir[] = "/tmp/libns-outside.XXXXXX", path[64], name[64];
	int fd, net;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/net", dir);
	CHECK(ns_pin(target.net, path, 0) == 0, "ns_pin(%s)", path);
	fd = ns_open_path(path, NS_TYPE_NET, 0);
	CHECK(fd >= 0 && ns_equal(fd, target.net) == 1, "the pin opens the target's net namespace");
	if (fd >= 0)
		close(fd);
	CHECK(ns_unpin(path, 0) == 0, "ns_unpin(%s)", path);
	CHECK(access(path, F_OK) < 0 && errno == ENOENT, "the pin is gone");
	CHECK(rmdir(dir) == 0, "rmdir %s", dir);

	snprintf(name, sizeof(name), "libns-outside-%d", (int)getpid());
	CHECK(ns_netns_add(name, -1, 0) == 0, "ns_netns_add(%s)", name);
	fd = ns_netns_open(name);
	net = ns_open(0, NS_TYPE_NET, 0);
	CHECK(fd >= 0 && ns_type_of(fd) == NS_TYPE_NET && ns_equal(fd, net) == 0, "ns_netns_open(%s) is new", name);
	if (fd >= 0)
		close(fd);
	close(net);
	check_netns_list(name, true);
	CHECK(ns_netns_del(name) == 0, "ns_netns_del(%s)", name);
	CHECK(ns_netns_open(name) == -ENOENT, "%s is gone", name);
	check_netns_list(name, false);
	printf("pin: ns_pin, ns_unpin, ns_netns_add/open/del/list %s\n", name);
}

/* ---- running inside fds, sockets, links and addresses ---- */

static int net_of_thread_is_targets(void *arg)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 && st.st_ino == *(ino_t *)arg ? 7 : 1;
}

static void check_net(void)
{
	int net = target.net, s, fds[1] = { target.net }, a, b;
	ino_t ino = (ino_t)ino_of(target.net);
	char name[64];

	CHECK(ns_run_in_fds(fds, 1, net_of_thread_is_targets, &ino, NS_RUN_THREAD) == 7, "ns_run_in_fds(thread)");
	CHECK(ns_run_in_fds(fds, 1, net_of_thread_is_targets, &ino, 0) == 7, "ns_run_in_fds(child)");
	CHECK(!now_in_target_net(), "ns_run_in_fds left this thread where it was");
	s = ns_socket(net, AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0, "ns_socket: %s", ns_last_error());
	if (s >= 0)
		close(s);
	snprintf(name, sizeof(name), "libns-outside-%d-b", (int)getpid());
	CHECK(ns_netns_add(name, -1, 0) == 0, "ns_netns_add(%s)", name);
	b = ns_netns_open(name);
	a = net;
	CHECK(ns_net_veth_add(a, "out0", b, "out1") == 0, "ns_net_veth_add: %s", ns_last_error());
	CHECK(ns_net_addr_add(a, "out0", "10.123.0.1/24") == 0, "ns_net_addr_add: %s", ns_last_error());
	CHECK(ns_net_link_up(a, "out0") == 0 && ns_net_link_up(a, "lo") == 0, "ns_net_link_up: %s", ns_last_error());
	CHECK(ns_net_link_index(a, "lo") == 1, "ns_net_link_index(lo)");
	CHECK(ns_net_link_move(b, "out1", a) == 0, "ns_net_link_move: %s", ns_last_error());
	CHECK(ns_net_link_del(a, "out1") == 0, "ns_net_link_del: %s", ns_last_error());
	CHECK(ns_net_link_index(a, "out0") == -ENODEV, "both ends are gone");
	if (b >= 0)
		close(b);
	CHECK(ns_netns_del(name) == 0, "ns_netns_del(%s)", name);
	printf("net: ns_run_in_fds, ns_socket, ns_net_veth_add/addr_add/link_up/index/move/del\n");
}

/* ---- listing ---- */

static void check_list(void)
{
	struct ns_list *list = NULL;
	unsigned long long mine_ino, target_ino = ino_of(target.net);
	int mine = ns_open(0, NS_TYPE_NET, 0), found_mine = 0, found_target = 0;
	size_t n = 0;

	mine_ino = ino_of(mine);
	close(mine);
	CHECK(ns_list_new(NS_TYPE_NET, 0, &list) == 0 && list != NULL, "ns_list_new(net)");
	if (list)
		n = ns_list_count(list);
	for (size_t i = 0; i < n; i++) {
		const struct ns_entry *e = ns_list_get(list, i);

		CHECK(e != NULL && e->type == NS_TYPE_NET, "entry %zu", i);
		if (!e)
			continue;
		found_mine |= e->id.ino == mine_ino;
		if (e->id.ino == target_ino)
			found_target = e->nprocs >= 1 && (e->held_by & NS_HELD_BY_PROCESS);
	}
	CHECK(found_mine && found_target, "listed: own %d, target %d (of %zu)", found_mine, found_target, n);
	CHECK(ns_list_get(list, n) == NULL, "ns_list_get past the end");
	ns_list_free(list);
	printf("list: %zu network namespaces\n", n);
}

/* ---- spawning a program ---- */

static void check_spawn_exec(void)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	char *argv[] = { "true", NULL };
	int pidfd = -1, status = -1;
	pid_t pid;

	opts.new_types = NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_IPC;
	opts.hostname = "outside-true";
	pid = ns_spawn_exec(&opts, "/bin/true", argv, NULL, &pidfd);
	CHECK(pid > 0 && pidfd >= 0, "ns_spawn_exec(/bin/true): %d", (int)pid);
	if (pidfd >= 0) {
		CHECK(ns_wait(pidfd, &status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "/bin/true status 0x%x", (unsigned)status);
		close(pidfd);
	}
	printf("spawn: /bin/true in new net, uts, ipc namespaces\n");
}

int main(void)
{
	int fds;

	if (geteuid() != 0) {
		fprintf(stderr, "outside: must run as root (it creates namespaces of every kind)\n");
		return 2;
	}
	fds = count_fds();
	check_basics();
	check_handles();
	check_idmaps();
	if (start_target() == 0) {
		check_hierarchy();
		check_enter();
		check_pins();
		check_net();
		check_list();
		stop_target();
	}
	check_spawn_exec();
	CHECK(count_fds() == fds, "descriptors leaked: %d at start, %d at end", fds, count_fds());
	if (failures) {
		fprintf(stderr, "outside: %d check(s) failed\n", failures);
		return 1;
	}
	printf("outside: all checks passed\n");
	return 0;
}
