/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-tour: all eight namespace types around one child, the host's view next to the child's.
 *
 *   ns-tour          (as root: everything; as any other user: what a user namespace allows)
 *
 * The concept: a namespace makes one global table of the kernel local to the processes in it.
 * One ns_spawn() call creates a child in a new namespace of each of the eight types, with its
 * hostname, id map, clock offsets and cgroup set up before it runs. The same function, look(),
 * then reads the system's tables once on the host and once in the child: the processes, the
 * hostname, the ids, the interfaces, the mounts, the cgroup, the clocks and a SysV IPC key. Every
 * difference between the two columns is one namespace at work.
 *
 * What you should see: one table, type by type: the child is pid 1 and sees one process; its
 * hostname is "ns-tour"; it is uid 0 inside and another uid outside, through its uid_map; it has
 * only "lo", down; it has a tmpfs on /tmp the host does not have; its cgroup is "/"; its clocks
 * run 7 days (monotonic) and 365 days (uptime) ahead; the host's SysV key finds nothing. Then the
 * eight namespaces it made, with their ids, owning user namespace, its creator's uid, and parent
 * (only user and pid namespaces nest). Then the cleanup, checked: none of the eight is left.
 * Without root it says what it skipped and why (a map of more than one id, a cgroup of its own).
 * Colour only on a terminal, and never with NO_COLOR set.
 *
 * The same with util-linux, roughly: `unshare --user --map-root-user --pid --fork --mount-proc
 * --uts --ipc --net --cgroup --time --monotonic 604800 --boottime 31536000 sh`, then hostname,
 * id, ip link, mount, cat /proc/self/cgroup, uptime and ipcs in it; `lsns` for the ids.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400.0
#define VALUE 96

/* What one process sees of the eight tables; look() fills it on the host and in the child. */
struct view {
	char pid[VALUE], procs[VALUE], hostname[VALUE], ids[VALUE], uid_map[VALUE], links[VALUE];
	char mounts[VALUE], cgroup[VALUE], ipc[VALUE];
	double monotonic, uptime;
};

static const int order[] = { NS_TYPE_PID, NS_TYPE_UTS, NS_TYPE_USER, NS_TYPE_NET,
			     NS_TYPE_MNT, NS_TYPE_CGROUP, NS_TYPE_TIME, NS_TYPE_IPC };
static key_t ipc_key;
static int colour;

/* An SGR colour around text, only when stdout is a terminal and NO_COLOR is unset (no-color.org). */
static const char *paint(const char *sgr, const char *text)
{
	static char buf[8][VALUE * 2];
	static int next;
	char *b = buf[next++ % 8];

	if (!colour)
		return text;
	snprintf(b, sizeof(buf[0]), "\033[%sm%s\033[0m", sgr, text);
	return b;
}

/* Append to a fixed buffer, quietly truncating. */
static void add(char *buf, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= VALUE)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, VALUE - len, fmt, ap);
	va_end(ap);
}

static void first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f || !fgets(buf, (int)size, f))
		snprintf(buf, size, "(%s)", strerror(errno));
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* `ps`, in short: how many processes this /proc holds, and the first few with their names. */
static void list_processes(char *buf)
{
	char path[300], comm[32], list[VALUE] = "";
	struct dirent **names;
	int n = scandir("/proc", &names, NULL, versionsort), count = 0;

	for (int i = 0; i < n; i++) {
		if (isdigit((unsigned char)names[i]->d_name[0])) {
			if (++count <= 3) {
				snprintf(path, sizeof(path), "/proc/%s/comm", names[i]->d_name);
				first_line(path, comm, sizeof(comm));
				add(list, " %s %s", names[i]->d_name, comm);
			}
		}
		free(names[i]);
	}
	free(n >= 0 ? names : NULL);
	snprintf(buf, VALUE, "%d:%s%s", count, list, count > 3 ? " ..." : "");
}

/* The interfaces this network namespace has, and whether each is up. */
static void list_links(char *buf)
{
	struct if_nameindex *ifs = if_nameindex();
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	buf[0] = '\0';
	for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
		struct ifreq req = { 0 };

		snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", i->if_name);
		add(buf, "%s%s", buf[0] ? " " : "", i->if_name);
		if (sock >= 0 && ioctl(sock, SIOCGIFFLAGS, &req) == 0 && !(req.ifr_flags & IFF_UP))
			add(buf, " (down)");
	}
	if (ifs)
		if_freenameindex(ifs);
	if (sock >= 0)
		close(sock);
}

/* How many mounts this mount namespace has, and what is mounted on /tmp (if anything). */
static void list_mounts(char *buf)
{
	char line[4096], point[PATH_MAX], fstype[64], tmp[64] = "nothing";
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		n++;
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS" */
		if (sep && sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strcmp(point, "/tmp") == 0 &&
		    sscanf(sep, " - %63s", fstype) == 1)
			snprintf(tmp, sizeof(tmp), "%s", fstype);
	}
	if (f)
		fclose(f);
	snprintf(buf, VALUE, "%d, on /tmp: %s", n, tmp);
}

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The cgroup v2 line, "0::PATH", of a /proc/PID/cgroup file. */
static void cgroup_v2(const char *path, char *buf)
{
	char line[PATH_MAX];
	FILE *f = fopen(path, "re");

	snprintf(buf, VALUE, "(no cgroup v2)");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0)
			snprintf(buf, VALUE, "%.*s", (int)strcspn(line, "\n"), line);
	if (f)
		fclose(f);
}

/* Everything the tour compares, as the calling process sees it. */
static void look(struct view *v)
{
	char line[64] = "", *p;
	int id;

	snprintf(v->pid, VALUE, "%d", (int)getpid());
	list_processes(v->procs);
	if (gethostname(v->hostname, VALUE) < 0)
		snprintf(v->hostname, VALUE, "(%s)", strerror(errno));
	snprintf(v->ids, VALUE, "%d/%d", (int)getuid(), (int)getgid());
	first_line("/proc/self/uid_map", v->uid_map, VALUE);
	for (p = v->uid_map; *p == ' '; p++)   /* the kernel pads the columns: squeeze them */
		;
	memmove(v->uid_map, p, strlen(p) + 1);
	for (p = v->uid_map; (p = strstr(p, "  ")); )
		memmove(p, p + 1, strlen(p));
	list_links(v->links);
	list_mounts(v->mounts);
	cgroup_v2("/proc/self/cgroup", v->cgroup);
	v->monotonic = clock_s(CLOCK_MONOTONIC);
	first_line("/proc/uptime", line, sizeof(line));
	v->uptime = atof(line);
	id = shmget(ipc_key, 0, 0);
	if (id >= 0)
		snprintf(v->ipc, VALUE, "segment %d", id);
	else
		snprintf(v->ipc, VALUE, "none (%s)", errno == ENOENT ? "ENOENT" : strerror(errno));
}

struct shared {
	struct view child;
	int ready;         /* set by the child once its view is filled */
};

struct child_args {
	struct shared *shared;
	int sock[2];       /* the child waits on sock[1] until the parent closes sock[0] */
};

/* Runs in the child: pid 1, root of its own user namespace, with its own /proc. */
static int child(void *p)
{
	struct child_args *a = p;
	char c;

	close(a->sock[0]);
	/* A mount of our own: the new mount namespace's mounts are private, the host never sees it. */
	mount("ns-tour", "/tmp", "tmpfs", 0, "size=64k");
	look(&a->shared->child);
	a->shared->ready = 1;
	if (write(a->sock[1], "r", 1) == 1)
		while (read(a->sock[1], &c, 1) < 0)
			;
	return 0;
}

static const int w_what = 24, w_host = 30;

static void row(const char *type, const char *what, const char *host, const char *child)
{
	char h[VALUE];

	/* A long host value is cut to the column; the child's column is last and kept whole. */
	snprintf(h, sizeof(h), "%-*.*s", w_host, w_host, host);
	if (strlen(host) > (size_t)w_host)
		memcpy(h + w_host - 3, "...", 3);
	printf("%s%*s %-*s %s %s\n", paint("1;36", type), 7 - (int)strlen(type), "", w_what, what, h,
	       paint("32", child));
}

static void skipped(const char *type, const char *what, const char *why)
{
	printf("%s%*s %s\n", paint("1;36", type), 7 - (int)strlen(type), "", paint("33", what));
	printf("%-7s   %s\n", "", why);
}

/* Our own cgroup v2 directory: where cgroup2 is mounted (its root, "/"), joined with "0::PATH". */
static int own_cgroup(char *dir, size_t size)
{
	char line[PATH_MAX], point[PATH_MAX] = "", type[32];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		found = sep && sscanf(sep, " - %31s", type) == 1 && strcmp(type, "cgroup2") == 0 &&
			sscanf(line, "%*s %*s %*s / %4095s", point) == 1;
	}
	if (f)
		fclose(f);
	cgroup_v2("/proc/self/cgroup", line);
	if (!found || strncmp(line, "0::/", 4) != 0)
		return -1;
	snprintf(dir, size, "%s%s", point, strcmp(line, "0::/") == 0 ? "" : line + 3);
	return 0;
}

static void print_hierarchy(int pidfd, unsigned made, const struct ns_id *ids)
{
	printf("\n%s\n", paint("1", "The namespaces it made (ns_open_pidfd, ns_get_id, ns_get_userns, ns_get_parent)"));
	printf("%s\n", paint("1", "TYPE    NAMESPACE           ID        OWNER (USER NS)     OWNER UID  PARENT"));
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int type = order[i], userns, parent;
		uid_t uid = (uid_t)-1;
		struct ns_id id = ids[i], o = { 0 }, pa = { 0 };
		char name[40], owner[40] = "-", up[40] = "-";

		if (!(made & (unsigned)type))
			continue;
		int fd = ns_open_pidfd(pidfd, type, 0);

		if (fd < 0) {
			printf("%-7s (%s)\n", ns_type_name(type), ns_last_error());
			continue;
		}
		/* A user namespace's owner is its parent; for the others, the user namespace they were made in. */
		userns = ns_get_userns(fd);
		if (userns >= 0 && ns_get_id(userns, &o) == 0)
			snprintf(owner, sizeof(owner), "user:[%llu]", (unsigned long long)o.ino);
		if (type == NS_TYPE_USER)
			ns_get_owner_uid(fd, &uid);
		else if (userns >= 0)
			ns_get_owner_uid(userns, &uid);
		parent = ns_get_parent(fd);   /* -EINVAL for the six types that do not nest */
		if (parent >= 0 && ns_get_id(parent, &pa) == 0)
			snprintf(up, sizeof(up), "%s:[%llu]", ns_type_name(type), (unsigned long long)pa.ino);
		snprintf(name, sizeof(name), "%s:[%llu]", ns_type_name(type), (unsigned long long)id.ino);
		printf("%s%*s %-19s %-9llu %-19s %-10d %s\n", paint("1;36", ns_type_name(type)),
		       7 - (int)strlen(ns_type_name(type)), "", name, (unsigned long long)id.id, owner, (int)uid, up);
		if (parent >= 0)
			close(parent);
		if (userns >= 0)
			close(userns);
		close(fd);
	}
}

/* After the cleanup: is any of the namespaces we made still listed anywhere on the system? */
static int count_left(unsigned made, const struct ns_id *ids)
{
	struct ns_list *list;
	int left = 0;

	if (ns_list_new(made, 0, &list) < 0)
		return -1;
	for (size_t i = 0; i < ns_list_count(list); i++) {
		const struct ns_entry *e = ns_list_get(list, i);

		for (size_t j = 0; j < sizeof(order) / sizeof(order[0]); j++)
			left += (made & (unsigned)order[j]) && e->type == order[j] && e->id.ino == ids[j].ino;
	}
	ns_list_free(list);
	return left;
}

int main(void)
{
	struct timespec monotonic = { .tv_sec = 7 * 86400 }, boottime = { .tv_sec = 365 * 86400 };
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct ns_id ids[8] = { { 0 } };
	struct ns_idmap map = { 0 };
	struct child_args args;
	struct view host;
	char dir[PATH_MAX], cg[PATH_MAX + 32] = "", why[PATH_MAX + 128] = "", uid_outside[VALUE], line[256], text[VALUE];
	int root = geteuid() == 0, shm = -1, cgfd = -1, pidfd = -1, status = 0, left, ret = 1;
	unsigned made = 0;
	pid_t pid;

	colour = isatty(STDOUT_FILENO) && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	args.shared = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (args.shared == MAP_FAILED) {
		perror("ns-tour: mmap");
		return 1;
	}
	printf("%s\n", paint("1", root ? "ns-tour: one child in a new namespace of each of the eight types (as root)"
				      : "ns-tour: one child in a new namespace of each of the eight types (unprivileged)"));

	/* Host-side state the child should not see: a SysV segment; a cgroup to root its namespace at. */
	ipc_key = (key_t)(0x4e530000 | (getpid() & 0xffff));
	shm = shmget(ipc_key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	if (!ns_has_feature(NS_FEATURE_CLONE_INTO_CGROUP)) {
		snprintf(why, sizeof(why), "no CLONE_INTO_CGROUP before Linux 5.7: its cgroup namespace is rooted at ours");
	} else if (own_cgroup(dir, sizeof(dir)) == 0) {
		snprintf(cg, sizeof(cg), "%s/ns-tour-%d", dir, (int)getpid());
		if (mkdir(cg, 0755) == 0 && (cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			rmdir(cg);
		if (cgfd < 0)
			snprintf(why, sizeof(why), "mkdir %s: %s: root (or a delegated cgroup) may create one; "
				 "its cgroup namespace is rooted at ours instead", cg, strerror(errno));
	} else {
		snprintf(why, sizeof(why), "no cgroup2 mounted: its cgroup namespace is rooted at our own cgroup");
	}
	look(&host);

	opts.new_types = NS_TYPES_ALL;
	opts.flags = NS_SPAWN_MOUNT_PROC | NS_SPAWN_DIE_WITH_PARENT;
	opts.hostname = "ns-tour";
	if (ns_has_feature(NS_FEATURE_TIME_NS)) {
		opts.monotonic_offset = &monotonic;
		opts.boottime_offset = &boottime;
	} else {
		opts.new_types &= ~(unsigned)NS_TYPE_TIME;
	}
	if (root) {
		/* What a container manager does: 65536 ids, root inside is uid 100000 outside. */
		ns_idmap_add(&map, 0, 100000, 65536);
		opts.uid_map = opts.gid_map = &map;
	} else {
		/* Anyone may map their own uid, and only that one, to root. */
		opts.flags |= NS_SPAWN_MAP_ROOT;
	}
	if (cgfd >= 0) {
		opts.flags |= NS_SPAWN_INTO_CGROUP;
		opts.cgroup_fd = cgfd;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, args.sock) < 0) {
		perror("ns-tour: socketpair");
		goto out;
	}
	fflush(stdout);
	pid = ns_spawn(&opts, child, &args, &pidfd);
	close(args.sock[1]);
	if (pid < 0) {
		fprintf(stderr, "ns-tour: %s\n", ns_last_error());
		close(args.sock[0]);
		goto out;
	}
	made = opts.new_types;
	if (read(args.sock[0], line, 1) != 1 || !args.shared->ready) {
		fprintf(stderr, "ns-tour: the child did not get ready\n");
		close(args.sock[0]);
		goto reap;
	}

	/* The child as the host sees it: its pid and its uid here. */
	snprintf(line, sizeof(line), "/proc/%d/status", (int)pid);
	snprintf(uid_outside, sizeof(uid_outside), "?");
	{
		FILE *f = fopen(line, "re");
		unsigned u = 0, g = 0;

		while (f && fgets(line, sizeof(line), f)) {
			sscanf(line, "Uid: %u", &u);
			sscanf(line, "Gid: %u", &g);
		}
		if (f)
			fclose(f);
		snprintf(uid_outside, sizeof(uid_outside), "%u/%u", u, g);
	}
	for (size_t i = 0; i < 8; i++) {
		int fd = ns_open_pidfd(pidfd, order[i], 0);

		if (fd >= 0) {
			ns_get_id(fd, &ids[i]);
			close(fd);
		}
	}

	struct view *c = &args.shared->child;

	printf("\n%s\n", paint("1", "TYPE    WHAT                     HOST                           CHILD"));
	snprintf(text, sizeof(text), "%d", (int)pid);
	row("pid", "the child's pid", text, c->pid);
	row("", "processes (ps)", host.procs, c->procs);
	row("uts", "hostname", host.hostname, c->hostname);
	row("user", "the child's uid/gid", uid_outside, c->ids);
	row("", "/proc/self/uid_map", host.uid_map, c->uid_map);
	if (!root)
		skipped("", "skipped: a map of more than one id",
			"only our own uid may be mapped without CAP_SETUID over the parent namespace (root, or newuidmap with /etc/subuid)");
	row("net", "interfaces", host.links, c->links);
	row("mnt", "mounts", host.mounts, c->mounts);
	snprintf(line, sizeof(line), "/proc/%d/cgroup", (int)pid);
	cgroup_v2(line, text);
	row("cgroup", "the child's cgroup", text, c->cgroup);
	if (cgfd < 0)
		skipped("", "skipped: a cgroup of its own", why);
	if (made & NS_TYPE_TIME) {
		char h[VALUE], k[VALUE];

		snprintf(h, sizeof(h), "%.0f s", host.monotonic);
		snprintf(k, sizeof(k), "%.0f s (%+.1f days)", c->monotonic, (c->monotonic - host.monotonic) / DAY);
		row("time", "CLOCK_MONOTONIC", h, k);
		snprintf(h, sizeof(h), "%.0f s", host.uptime);
		snprintf(k, sizeof(k), "%.0f s (%+.1f days)", c->uptime, (c->uptime - host.uptime) / DAY);
		row("", "/proc/uptime", h, k);
	} else {
		skipped("time", "skipped: a time namespace", "this kernel has none (Linux 5.6)");
	}
	snprintf(text, sizeof(text), "SysV shm key %#x", (unsigned)ipc_key);
	row("ipc", text, host.ipc, c->ipc);

	print_hierarchy(pidfd, made, ids);
	close(args.sock[0]);   /* let the child exit */
	ret = 0;
reap:
	printf("\n%s\n", paint("1", "Cleaning up"));
	kill(pid, SIGKILL);   /* pid 1 of its namespace: anything else in it would die with it */
	if (ns_wait(pidfd, &status) < 0)
		fprintf(stderr, "ns-tour: %s\n", ns_last_error());
	close(pidfd);
	printf("  reaped the child (pid %d), pid 1 of its pid namespace\n", (int)pid);
out:
	if (shm >= 0 && shmctl(shm, IPC_RMID, NULL) == 0)
		printf("  removed the host's SysV segment %d (key %#x)\n", shm, (unsigned)ipc_key);
	if (cgfd >= 0) {
		close(cgfd);
		/* a reaped child leaves its cgroup a moment later: retry briefly */
		for (int i = 0; rmdir(cg) < 0 && errno == EBUSY && i < 200; i++)
			usleep(5000);
		if (access(cg, F_OK) == 0)
			fprintf(stderr, "ns-tour: could not remove %s: %s\n", cg, strerror(errno)), ret = 1;
		else
			printf("  removed the cgroup %s\n", cg);
	}
	munmap(args.shared, sizeof(struct shared));
	if (made) {
		/* Nothing holds them any more (no process, fd, mount or child namespace): the kernel freed them. */
		left = count_left(made, ids);
		if (left == 0)
			printf("  ns_list_new() lists none of the %d namespaces it made: all gone\n",
			       __builtin_popcount(made));
		else
			printf("  %d of the namespaces it made are still listed%s\n", left, left < 0 ? " (cannot list)" : ""),
				ret = 1;
	}
	return ret;
}
