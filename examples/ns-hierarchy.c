/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-hierarchy: who owns which namespace, and how user and pid namespaces nest. Works unprivileged.
 *
 *   ns-hierarchy
 *
 * The concept: every namespace is owned by a user namespace, the one its creator was in (a new
 * user namespace created together with others owns them). Privilege over a namespace means a
 * capability in its owner. User namespaces nest: each one's parent is the user namespace it was
 * created in, up to the initial one. Pid namespaces nest too: a pid namespace's parent sees all
 * its processes. The other six types are flat: they have an owner but no parent.
 *
 * What it does: ns_spawn() starts A in a new user namespace and a new pid namespace, where A is
 * pid 1; A itself starts B with ns_spawn() in a new user namespace (a child of A's), a new
 * network, UTS and pid namespace: two user namespaces deep, the pid namespace nested twice. This
 * program then opens B's and A's namespaces (ns_open), finds B's pid through A's pid namespace
 * (ns_pid_translate), and asks the kernel for every relation: ns_get_userns() (the owner),
 * ns_get_parent() (user and pid only; -EPERM above what this process may see) and
 * ns_get_owner_uid() (who created a user namespace, in this process's uids). Nothing in the tree
 * is assumed: it is drawn from those answers alone.
 *
 * What you should see: the ownership tree, rooted at the initial user namespace, with A's user
 * namespace under it owning A's pid namespace and B's user namespace, which owns B's network,
 * UTS and pid namespaces; then the pid tree, three deep. As an ordinary user every owner uid is
 * your own uid: root inside a user namespace you made is still you to the kernel outside.
 *
 * The same with util-linux: `unshare --user --map-root-user --pid --fork unshare --user
 * --map-root-user --net --uts --pid --fork sleep 60`, then `lsns -o NS,TYPE,PARENT,OWNER` or
 * libns's ns-tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libns/libns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One namespace of the tree: what the kernel said about it. */
struct node {
	int type;
	unsigned long long ino, owner, parent;   /* owner: its user namespace's inode (a user ns: its parent) */
	uid_t owner_uid;                         /* of a user namespace: its creator, in our uids */
};

static struct node nodes[32];
static size_t count;
static pid_t who_pid[3];   /* this program, A, B: to say who is in each namespace */

static unsigned long long ino_of(int fd)
{
	struct ns_id id;

	return fd >= 0 && ns_get_id(fd, &id) == 0 ? (unsigned long long)id.ino : 0;
}

/* Add the namespace fd names (taking the fd), then walk up its owners and parents. */
static void add(int fd)
{
	unsigned long long ino = ino_of(fd);
	struct node *n;
	int up;

	for (size_t i = 0; i < count; i++)
		if (nodes[i].ino == ino) {
			close(fd);
			return;
		}
	if (count == sizeof(nodes) / sizeof(nodes[0]) || !ino) {
		close(fd);
		return;
	}
	n = &nodes[count++];
	*n = (struct node){ .type = ns_type_of(fd), .ino = ino, .owner_uid = (uid_t)-1 };
	if (n->type == NS_TYPE_USER) {
		ns_get_owner_uid(fd, &n->owner_uid);
		up = ns_get_parent(fd);        /* -EPERM at the top: the initial user namespace */
		n->owner = n->parent = ino_of(up);
		if (up >= 0)
			add(up);
	} else {
		up = ns_get_userns(fd);
		n->owner = ino_of(up);
		if (up >= 0)
			add(up);
		if (n->type == NS_TYPE_PID && (up = ns_get_parent(fd)) >= 0) {
			n->parent = ino_of(up);
			add(up);
		}
	}
	close(fd);
}

/* Which of our three processes are in this namespace. */
static void print_who(const struct node *n)
{
	static const char *const who[] = { "this program", "A", "B" };
	const char *sep = "  <- ";

	for (int i = 0; i < 3; i++) {
		int fd = ns_open(who_pid[i], n->type, 0);

		if (fd >= 0 && ino_of(fd) == n->ino) {
			printf("%s%s", sep, who[i]);
			sep = ", ";
		}
		if (fd >= 0)
			close(fd);
	}
	printf("\n");
}

/* Print the nodes below `top` (by owner, or by pid parent), drawn as a tree. */
static void tree(unsigned long long top, int by_parent, const char *prefix)
{
	size_t kids[32], k = 0;
	char deeper[128];

	for (size_t i = 0; i < count; i++) {
		unsigned long long up = by_parent ? nodes[i].parent : nodes[i].owner;

		if (up == top && (!by_parent || nodes[i].type == NS_TYPE_PID))
			kids[k++] = i;
	}
	for (size_t j = 0; j < k; j++) {
		const struct node *n = &nodes[kids[j]];

		printf("%s%s%s:[%llu]", prefix, j + 1 < k ? "├─" : "└─", ns_type_name(n->type), n->ino);
		if (n->type == NS_TYPE_USER)
			printf(" (owner uid %d)", (int)n->owner_uid);
		print_who(n);
		if (n->type == NS_TYPE_USER || by_parent) {
			snprintf(deeper, sizeof(deeper), "%s%s", prefix, j + 1 < k ? "│ " : "  ");
			tree(n->ino, by_parent, deeper);
		}
	}
}

struct pipes {
	int hold[2];     /* A and B run until this program closes hold[1] */
	int report[2];   /* A writes B's pid (as A's pid namespace numbers it) */
};

static int b_main(void *arg)
{
	struct pipes *p = arg;
	char c;

	return read(p->hold[0], &c, 1) < 0;
}

/* A: pid 1 of a new pid namespace, root of a new user namespace; it starts B one level deeper. */
static int a_main(void *arg)
{
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct pipes *p = arg;
	int pidfd;
	pid_t b;
	char c;

	close(p->hold[1]);
	close(p->report[0]);
	opts.new_types = NS_TYPE_USER | NS_TYPE_NET | NS_TYPE_UTS | NS_TYPE_PID;
	opts.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_DIE_WITH_PARENT;
	b = ns_spawn(&opts, b_main, p, &pidfd);
	if (write(p->report[1], &b, sizeof(b)) != sizeof(b) || b < 0)
		return 1;
	/* until the parent lets go; B dies with us: we are pid 1 of the pid namespace it is in */
	return read(p->hold[0], &c, 1) < 0;
}

int main(void)
{
	static const int types[] = { NS_TYPE_USER, NS_TYPE_PID, NS_TYPE_NET, NS_TYPE_UTS };
	struct ns_spawn_opts opts = NS_SPAWN_OPTS_INIT;
	struct pipes p;
	int pidfd, apid_ns, ret = 1;
	pid_t a, b_inside = -1, b;

	if (pipe2(p.hold, O_CLOEXEC) < 0 || pipe2(p.report, O_CLOEXEC) < 0) {
		perror("ns-hierarchy: pipe");
		return 1;
	}
	opts.new_types = NS_TYPE_USER | NS_TYPE_PID;
	opts.flags = NS_SPAWN_MAP_ROOT | NS_SPAWN_DIE_WITH_PARENT;
	fflush(stdout);
	a = ns_spawn(&opts, a_main, &p, &pidfd);
	close(p.hold[0]);
	close(p.report[1]);
	if (a < 0) {
		fprintf(stderr, "ns-hierarchy: %s\n", ns_last_error());
		return 1;
	}
	if (read(p.report[0], &b_inside, sizeof(b_inside)) != sizeof(b_inside) || b_inside < 0) {
		fprintf(stderr, "ns-hierarchy: A could not start B (uid %d)\n", (int)getuid());
		goto out;
	}
	/* B's pid as A's namespace numbers it, translated into ours. */
	apid_ns = ns_open_pidfd(pidfd, NS_TYPE_PID, 0);
	if (apid_ns < 0 || ns_pid_translate(apid_ns, b_inside, NS_PID_FROM_NS, &b) < 0) {
		fprintf(stderr, "ns-hierarchy: %s\n", ns_last_error());
		if (apid_ns >= 0)
			close(apid_ns);
		goto out;
	}
	close(apid_ns);
	printf("this program: pid %d, uid %d\n", (int)getpid(), (int)getuid());
	printf("A: pid %d here, pid 1 in its own pid namespace (ns_spawn: new user, pid)\n", (int)a);
	printf("B: pid %d here, pid %d in A's namespace, pid 1 in its own (A's ns_spawn: new user, net, uts, pid)\n",
	       (int)b, (int)b_inside);
	who_pid[0] = getpid(), who_pid[1] = a, who_pid[2] = b;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = ns_open(b, types[i], 0);

		if (fd < 0) {
			fprintf(stderr, "ns-hierarchy: %s\n", ns_last_error());
			goto out;
		}
		add(fd);
	}

	printf("\nOwnership: user namespaces and what each owns (ns_get_userns, ns_get_parent, ns_get_owner_uid)\n");
	for (size_t i = 0; i < count; i++)
		if (nodes[i].type == NS_TYPE_USER && !nodes[i].parent) {
			printf("user:[%llu] (owner uid %d)", nodes[i].ino, (int)nodes[i].owner_uid);
			print_who(&nodes[i]);
			tree(nodes[i].ino, 0, "");
		}
	printf("\nNesting: pid namespaces (ns_get_parent)\n");
	for (size_t i = 0; i < count; i++)
		if (nodes[i].type == NS_TYPE_PID && !nodes[i].parent) {
			printf("pid:[%llu]", nodes[i].ino);
			print_who(&nodes[i]);
			tree(nodes[i].ino, 1, "");
		}
	ret = 0;
out:
	close(p.hold[1]);   /* A returns; B, in A's pid namespace, is killed with it */
	close(p.report[0]);
	if (ns_wait(pidfd, NULL) < 0)
		fprintf(stderr, "ns-hierarchy: %s\n", ns_last_error());
	close(pidfd);
	return ret;
}
