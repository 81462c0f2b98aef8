/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-ls: list every namespace on the system, like lsns(8).
 *
 *   ns-ls [-t TYPE]... [--json | --tree]
 *
 * Columns NS TYPE NPROCS PID USER COMMAND, one row per namespace. USER is the owner of the
 * namespace's user namespace (lsns shows the owner of its lowest process instead). Namespaces no
 * process is in, kept alive by an open fd or a bind mount, are listed too, with NPROCS 0 and no
 * PID. --json prints lsns -J's fields plus id, parent, owner (inodes of the parent and owning
 * user namespace) and held_by; --tree indents each namespace under its owning user namespace.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <libns/libns.h>

/* getpwuid() per row would read /etc/passwd per row: remember the last few answers */
static const char *user_name(uid_t uid)
{
	static struct { uid_t uid; char name[64]; } cache[16];
	static int used;
	struct passwd *pw;
	int i;

	if (uid == (uid_t)-1)
		return NULL;
	for (i = 0; i < used; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	i = used < 16 ? used++ : (int)(uid % 16);
	cache[i].uid = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(cache[i].name, sizeof(cache[i].name), "%s", pw->pw_name);
	else
		snprintf(cache[i].name, sizeof(cache[i].name), "%u", (unsigned)uid);
	return cache[i].name;
}

/* A JSON string: quotes, backslashes and control characters escaped, invalid UTF-8 replaced. */
static void json_string(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s), n;

	memset(&st, 0, sizeof(st));
	putchar('"');
	while (len > 0) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			printf("\\%c", c);
			n = 1;
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			n = 1;
		} else if (c < 0x80) {
			putchar(c);
			n = 1;
		} else if ((n = mbrtowc(NULL, s, len, &st)) == (size_t)-1 || n == (size_t)-2) {
			fputs("\\ufffd", stdout);
			memset(&st, 0, sizeof(st));
			n = 1;
		} else {
			fwrite(s, 1, n, stdout);
		}
		s += n;
		len -= n;
	}
	putchar('"');
}

static void json_number_or_null(unsigned long long v)
{
	if (v)
		printf("%llu", v);
	else
		fputs("null", stdout);
}

static void print_json(const struct ns_list *l)
{
	static const struct { unsigned bit; const char *name; } holders[] = {
		{ NS_HELD_BY_PROCESS, "process" }, { NS_HELD_BY_FD, "fd" },
		{ NS_HELD_BY_MOUNT, "mount" }, { NS_HELD_BY_NAMESPACE, "namespace" },
	};

	printf("{\n   \"namespaces\": [");
	for (size_t i = 0; i < ns_list_count(l); i++) {
		const struct ns_entry *e = ns_list_get(l, i);
		const char *user = user_name(e->owner_uid);
		const char *sep = "";

		printf("%s\n      {\"ns\": %llu, \"type\": \"%s\", \"nprocs\": %u, \"pid\": %d, \"user\": ",
		       i ? "," : "", (unsigned long long)e->id.ino, ns_type_name(e->type), e->nprocs, (int)e->pid);
		if (user)
			json_string(user);
		else
			fputs("null", stdout);
		fputs(", \"command\": ", stdout);
		json_string(e->command);
		fputs(", \"id\": ", stdout);
		json_number_or_null(e->id.id);
		fputs(", \"parent\": ", stdout);
		json_number_or_null(e->parent_ino);
		fputs(", \"owner\": ", stdout);
		json_number_or_null(e->userns_ino);
		fputs(", \"held_by\": [", stdout);
		for (size_t h = 0; h < sizeof(holders) / sizeof(holders[0]); h++)
			if (e->held_by & holders[h].bit) {
				printf("%s\"%s\"", sep, holders[h].name);
				sep = ", ";
			}
		fputs("]}", stdout);
	}
	printf("\n   ]\n}\n");
}

/* The tree, when drawn, goes in the last column, as lsns draws it, so the others stay aligned. */
static void print_row(const struct ns_entry *e, const char *tree)
{
	const char *user = user_name(e->owner_uid);
	char pid[16];

	snprintf(pid, sizeof(pid), e->pid ? "%d" : "-", (int)e->pid);
	printf("%10llu %-6s %6u %7s %-8s %s%s\n", (unsigned long long)e->id.ino, ns_type_name(e->type),
	       e->nprocs, pid, user ? user : "-", tree,
	       e->command[0] ? e->command : e->held_by & NS_HELD_BY_MOUNT ? "(bind mount)"
				: e->held_by & NS_HELD_BY_FD ? "(open fd)" : "(owner of others)");
}

/* The namespaces user namespace `owner` owns, one level deeper, each followed by what it owns. */
static void print_owned(const struct ns_list *l, const struct ns_entry *owner, const char *indent)
{
	size_t n = ns_list_count(l), last = 0;

	for (size_t i = 0; i < n; i++)
		if (ns_list_get(l, i)->userns_ino == owner->id.ino)
			last = i;
	for (size_t i = 0; i < n; i++) {
		const struct ns_entry *e = ns_list_get(l, i);
		char branch[256], deeper[256];

		if (e->userns_ino != owner->id.ino)
			continue;
		snprintf(branch, sizeof(branch), "%s%s", indent, i == last ? "└─" : "├─");
		print_row(e, branch);
		if (e->type == NS_TYPE_USER) {
			snprintf(deeper, sizeof(deeper), "%s%s", indent, i == last ? "  " : "│ ");
			print_owned(l, e, deeper);
		}
	}
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ns-ls [-t TYPE]... [--json | --tree]\n"
		     "  -t, --type TYPE  only namespaces of TYPE (mnt, cgroup, uts, ipc, user, pid, net, time)\n"
		     "  -J, --json       JSON, with lsns -J's field names\n"
		     "  -T, --tree       each namespace under its owning user namespace\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' }, { "json", no_argument, NULL, 'J' },
		{ "tree", no_argument, NULL, 'T' },       { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned types = 0;
	int json = 0, tree = 0, c, r;
	struct ns_list *l;

	setlocale(LC_CTYPE, "C.UTF-8");   /* for mbrtowc() in json_string */
	while ((c = getopt_long(argc, argv, "t:JTh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			r = ns_type_from_name(optarg);
			if (r < 0) {
				fprintf(stderr, "ns-ls: %s\n", ns_last_error());
				return 2;
			}
			types |= (unsigned)r;
			break;
		case 'J': json = 1; break;
		case 'T': tree = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (json && tree)) {
		usage(stderr);
		return 2;
	}
	r = ns_list_new(types, 0, &l);
	if (r < 0) {
		fprintf(stderr, "ns-ls: %s\n", ns_last_error());
		return 1;
	}
	if (json) {
		print_json(l);
	} else {
		printf("%10s %-6s %6s %7s %-8s %s\n", "NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND");
		if (tree) {
			/* roots: namespaces whose owner is not in the list (the initial user namespace...) */
			for (size_t i = 0; i < ns_list_count(l); i++) {
				const struct ns_entry *e = ns_list_get(l, i);
				bool owner_listed = false;

				for (size_t k = 0; k < ns_list_count(l) && e->userns_ino; k++)
					owner_listed |= ns_list_get(l, k)->type == NS_TYPE_USER &&
							ns_list_get(l, k)->id.ino == e->userns_ino;
				if (!owner_listed) {
					print_row(e, "");
					if (e->type == NS_TYPE_USER)
						print_owned(l, e, "");
				}
			}
		} else {
			for (size_t i = 0; i < ns_list_count(l); i++)
				print_row(ns_list_get(l, i), "");
		}
	}
	ns_list_free(l);
	return 0;
}
