/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-tree: the two hierarchies of namespaces, drawn as trees.
 *
 *   ns-tree [-u | --user] [-p | --pid]
 *
 * Ownership: every namespace is owned by a user namespace (the one its creator was in), and
 * every user namespace but the first has a parent, which owns it. The owner decides who holds
 * capabilities over a namespace. Nesting: every pid namespace but the first has a parent, which
 * sees (and numbers) the processes of its descendants too.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <libns/libns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

const char *tool_name = "ns-tree";

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

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-tree [options]\n"
	       "\n"
	       "Draw the two hierarchies of namespaces: ownership (each user namespace and the namespaces\n"
	       "it owns) and nesting (each pid namespace under its parent).\n"
	       "\n"
	       "Options:\n"
	       " -u, --user     only the ownership tree\n"
	       " -p, --pid      only the pid namespace tree\n"
	       " -h, --help     display this help\n"
	       " -V, --version  display version\n"
	       "\n"
	       "For more details see ns-tree(1).\n");
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", no_argument, NULL, 'u' },
		{ "pid", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool user = false, pid = false;
	struct ns_list *l;
	int c;

	while ((c = getopt_long(argc, argv, "uphV", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': user = true; break;
		case 'p': pid = true; break;
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);
	if (!user && !pid)
		user = pid = true;
	if (ns_list_new(0, 0, &l) < 0)
		return tool_fail("listing namespaces");
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
