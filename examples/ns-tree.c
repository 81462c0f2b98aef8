/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-tree: the two hierarchies of namespaces, drawn as trees.
 *
 *   ns-tree [--user | --pid]
 *
 * Ownership: every namespace is owned by a user namespace (the one its creator was in), and
 * every user namespace but the first has a parent, which owns it. The owner decides who holds
 * capabilities over a namespace. Nesting: every pid namespace but the first has a parent, which
 * sees (and numbers) the processes of its descendants too.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <libns/libns.h>

enum relation { OWNER, PID_PARENT };

/* Is e drawn directly under the namespace with inode `up` in this tree? */
static bool is_child(const struct ns_entry *e, enum relation rel, uint64_t up)
{
	if (rel == OWNER)
		return e->userns_ino == up;
	return e->type == NS_TYPE_PID && e->parent_ino == up;
}

static bool is_listed(const struct ns_list *l, int type, uint64_t ino)
{
	for (size_t i = 0; i < ns_list_count(l); i++)
		if (ns_list_get(l, i)->type == type && ns_list_get(l, i)->id.ino == ino)
			return true;
	return false;
}

static void print_node(const struct ns_entry *e, const char *branch)
{
	printf("%s%s:[%llu]", branch, ns_type_name(e->type), (unsigned long long)e->id.ino);
	if (e->type == NS_TYPE_USER && e->owner_uid != (uid_t)-1)
		printf(" (owner uid %u)", (unsigned)e->owner_uid);
	if (e->nprocs)
		printf(": %u process%s, lowest pid %d (%s)", e->nprocs, e->nprocs == 1 ? "" : "es", (int)e->pid,
		       e->command);
	else
		printf(": no process, held by %s", e->held_by & NS_HELD_BY_FD ? "an open fd"
				: e->held_by & NS_HELD_BY_MOUNT ? "a bind mount" : "the namespaces it owns");
	putchar('\n');
}

static void draw(const struct ns_list *l, const struct ns_entry *node, enum relation rel, const char *indent)
{
	size_t n = ns_list_count(l), last = n;

	for (size_t i = 0; i < n; i++)
		if (is_child(ns_list_get(l, i), rel, node->id.ino))
			last = i;
	for (size_t i = 0; i < n; i++) {
		const struct ns_entry *e = ns_list_get(l, i);
		char branch[512], deeper[512];

		if (!is_child(e, rel, node->id.ino))
			continue;
		snprintf(branch, sizeof(branch), "%s%s", indent, i == last ? "└─" : "├─");
		print_node(e, branch);
		/* only user namespaces own, only pid namespaces nest in the pid tree */
		if (e->type == (rel == OWNER ? NS_TYPE_USER : NS_TYPE_PID)) {
			snprintf(deeper, sizeof(deeper), "%s%s", indent, i == last ? "  " : "│ ");
			draw(l, e, rel, deeper);
		}
	}
}

/* Roots: the namespaces of the tree's type whose parent is not in the list (not visible, or none). */
static void draw_tree(const struct ns_list *l, int type, enum relation rel)
{
	for (size_t i = 0; i < ns_list_count(l); i++) {
		const struct ns_entry *e = ns_list_get(l, i);
		uint64_t up = rel == OWNER ? e->userns_ino : e->parent_ino;

		if (e->type == type && !is_listed(l, type, up)) {
			print_node(e, "");
			draw(l, e, rel, "");
		}
	}
}

int main(int argc, char **argv)
{
	bool user = true, pid = true;
	struct ns_list *l;

	if (argc == 2 && strcmp(argv[1], "--user") == 0) {
		pid = false;
	} else if (argc == 2 && strcmp(argv[1], "--pid") == 0) {
		user = false;
	} else if (argc != 1) {
		fprintf(stderr, "usage: ns-tree [--user | --pid]\n");
		return 2;
	}
	if (ns_list_new(0, 0, &l) < 0) {
		fprintf(stderr, "ns-tree: %s\n", ns_last_error());
		return 1;
	}
	if (user) {
		printf("Ownership: user namespaces, and the namespaces each one owns\n");
		draw_tree(l, NS_TYPE_USER, OWNER);
	}
	if (user && pid)
		putchar('\n');
	if (pid) {
		printf("Nesting: pid namespaces\n");
		draw_tree(l, NS_TYPE_PID, PID_PARENT);
	}
	ns_list_free(l);
	return 0;
}
