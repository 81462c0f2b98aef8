/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ns-ls's output: the columns of a row as text, and the table, raw, JSON and tree forms. */
#define _GNU_SOURCE
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ns-ls.h"

const struct column columns[C_COUNT] = {
	[C_NS] = { "NS", "ns", "namespace identifier (inode number)", true },
	[C_TYPE] = { "TYPE", "type", "kind of namespace", false },
	[C_PATH] = { "PATH", "path", "path to the namespace (/proc/PID/ns/TYPE)", false },
	[C_NPROCS] = { "NPROCS", "nprocs", "number of processes in the namespace", true },
	[C_PID] = { "PID", "pid", "lowest PID in the namespace", true },
	[C_PPID] = { "PPID", "ppid", "PPID of the PID", true },
	[C_COMMAND] = { "COMMAND", "command", "command name of the PID, or what holds the namespace", false },
	[C_UID] = { "UID", "uid", "owner uid of the namespace's user namespace", true },
	[C_USER] = { "USER", "user", "owner of the namespace's user namespace, by name", false },
	[C_NSFS] = { "NSFS", "nsfs", "bind mounts (pins) holding the namespace, comma-separated", false },
	[C_PNS] = { "PNS", "pns", "parent namespace identifier (inode number)", true },
	[C_ONS] = { "ONS", "ons", "owner namespace identifier (inode number)", true },
	[C_ID] = { "ID", "id", "the kernel's 64-bit namespace id (Linux 6.18)", true },
	[C_PARENT] = { "PARENT", "parent", "the same as PNS", true },
	[C_OWNER] = { "OWNER", "owner", "the same as ONS", true },
	[C_HELD] = { "HELD", "held_by", "what keeps it alive: process, fd, mount, namespace", false },
};

struct tool_pin *pins;
int npins;

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

static long ppid_of(pid_t pid)
{
	char path[32], buf[512], *close_paren;
	long ppid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* "PID (COMM) STATE PPID ...": COMM may hold anything, so read past its last ')' */
	if (fgets(buf, sizeof(buf), f) && (close_paren = strrchr(buf, ')')) &&
	    sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		ppid = -1;
	fclose(f);
	return ppid;
}

void cell(const struct ns_entry *e, enum col c, char *buf, size_t size)
{
	static const char *holders[] = { "process", "fd", "mount", "namespace" };
	unsigned long long v = 0;
	bool has = true;
	size_t len = 0;

	buf[0] = '\0';
	switch (c) {
	case C_NS: v = e->id.ino; break;
	case C_TYPE: snprintf(buf, size, "%s", ns_type_name(e->type)); return;
	case C_PATH:
		if (e->pid)
			snprintf(buf, size, "/proc/%d/ns/%s", (int)e->pid, ns_type_name(e->type));
		return;
	case C_NPROCS: v = e->nprocs; break;
	case C_PID: v = (unsigned long long)e->pid; has = e->pid > 0; break;
	case C_PPID: {
		long ppid = e->pid ? ppid_of(e->pid) : -1;

		v = (unsigned long long)ppid;
		has = ppid >= 0;
		break;
	}
	case C_COMMAND:
		snprintf(buf, size, "%s", e->command[0] ? e->command : e->held_by & NS_HELD_BY_MOUNT ? "(bind mount)"
					  : e->held_by & NS_HELD_BY_FD ? "(open fd)" : "(owner of others)");
		return;
	case C_UID: v = e->owner_uid; has = e->owner_uid != (uid_t)-1; break;
	case C_USER: {
		const char *u = user_name(e->owner_uid);

		snprintf(buf, size, "%s", u ? u : "");
		return;
	}
	case C_NSFS:
		for (int i = 0; i < npins; i++)
			if (pins[i].ino == e->id.ino && strcmp(pins[i].type, ns_type_name(e->type)) == 0 && len < size)
				len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", pins[i].path);
		return;
	case C_PNS: case C_PARENT: v = e->parent_ino; has = v != 0; break;
	case C_ONS: case C_OWNER: v = e->userns_ino; has = v != 0; break;
	case C_ID: v = e->id.id; has = v != 0; break;
	case C_HELD:
		for (unsigned i = 0; i < 4; i++)
			if ((e->held_by & (1u << i)) && len < size)
				len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", holders[i]);
		return;
	case C_COUNT: return;
	}
	if (has)
		snprintf(buf, size, "%llu", v);
}

/* ---- output ---- */

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

/* raw output: one space between cells, so a space (or anything unprintable) in a cell is \xHH */
static void raw_string(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '\\' || *s == 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
}

void print_row(const struct out *o, const struct ns_entry *e, const char *tree, bool first)
{
	char buf[4096];
	int tree_col = o->ncols - 1;

	for (int i = 0; i < o->ncols; i++)
		if (o->cols[i] == C_COMMAND)
			tree_col = i;
	if (o->json) {
		printf("%s\n      {", first ? "" : ",");
		for (int i = 0; i < o->ncols; i++) {
			enum col c = o->cols[i];

			cell(e, c, buf, sizeof(buf));
			printf("%s\"%s\": ", i ? ", " : "", columns[c].json);
			if (c == C_HELD) {
				fputs("[", stdout);
				for (char *p = buf, *tok; (tok = strsep(&p, ",")) && *tok;)
					printf("%s\"%s\"", tok == buf ? "" : ", ", tok);
				fputs("]", stdout);
			} else if (c == C_PID || c == C_NPROCS) {
				printf("%s", buf[0] ? buf : "0");   /* lsns -J: always numbers */
			} else if (!buf[0]) {
				fputs("null", stdout);
			} else if (columns[c].number) {
				fputs(buf, stdout);
			} else {
				json_string(buf);
			}
		}
		fputs("}", stdout);
		return;
	}
	for (int i = 0; i < o->ncols; i++) {
		enum col c = o->cols[i];
		bool last = i == o->ncols - 1;
		char text[4400];

		cell(e, c, buf, sizeof(buf));
		snprintf(text, sizeof(text), "%s%s", i == tree_col ? tree : "", buf[0] ? buf : "-");
		if (o->raw) {
			if (i)
				putchar(' ');
			raw_string(text);
		} else if (columns[c].number) {
			printf("%s%*s", i ? " " : "", o->width[c], text);
		} else {
			printf("%s%-*s", i ? " " : "", last ? 0 : o->width[c], text);
		}
	}
	putchar('\n');
}

void print_header(const struct out *o)
{
	if (o->noheadings || o->json)
		return;
	for (int i = 0; i < o->ncols; i++) {
		enum col c = o->cols[i];
		bool last = i == o->ncols - 1;

		if (o->raw)
			printf("%s%s", i ? " " : "", columns[c].name);
		else if (columns[c].number)
			printf("%s%*s", i ? " " : "", o->width[c], columns[c].name);
		else
			printf("%s%-*s", i ? " " : "", last ? 0 : o->width[c], columns[c].name);
	}
	putchar('\n');
}

void measure(struct out *o, const struct ns_list *l, const bool *selected, int tree_extra)
{
	char buf[4096];

	for (int i = 0; i < o->ncols; i++)
		o->width[o->cols[i]] = (int)strlen(columns[o->cols[i]].name);
	for (size_t k = 0; k < ns_list_count(l); k++) {
		if (!selected[k])
			continue;
		for (int i = 0; i < o->ncols; i++) {
			enum col c = o->cols[i];
			int w;

			cell(ns_list_get(l, k), c, buf, sizeof(buf));
			w = (int)mbstowcs(NULL, buf, 0);
			if (w < 0)
				w = (int)strlen(buf);
			if (c == C_COMMAND || i == o->ncols - 1)
				w += tree_extra;
			if (w > o->width[c])
				o->width[c] = w;
		}
	}
}

/* ---- trees ---- */

static uint64_t up_of(const struct ns_entry *e, enum relation rel)
{
	if (rel == REL_OWNER)
		return e->userns_ino;
	return e->type == NS_TYPE_USER || e->type == NS_TYPE_PID ? e->parent_ino : 0;
}

static bool is_child_of(const struct ns_entry *e, const struct ns_entry *up, enum relation rel)
{
	if (rel == REL_OWNER)
		return up->type == NS_TYPE_USER && e->userns_ino == up->id.ino;
	return e->type == up->type && up_of(e, rel) == up->id.ino;
}

static void print_children(const struct out *o, const struct ns_list *l, const bool *sel, size_t up,
			   enum relation rel, const char *indent, int depth, bool *first)
{
	size_t n = ns_list_count(l), last = n;

	if (depth > 64)   /* no real hierarchy is this deep (the kernel stops at 32) */
		return;
	for (size_t i = 0; i < n; i++)
		if (sel[i] && i != up && is_child_of(ns_list_get(l, i), ns_list_get(l, up), rel))
			last = i;
	for (size_t i = 0; i < n; i++) {
		char branch[512], deeper[512];

		if (!sel[i] || i == up || !is_child_of(ns_list_get(l, i), ns_list_get(l, up), rel))
			continue;
		/* 64 levels of at most 4 bytes fit; the checks only keep a deeper (impossible) tree from truncating */
		if (snprintf(branch, sizeof(branch), "%s%s", indent, i == last ? "└─" : "├─") >= (int)sizeof(branch) ||
		    snprintf(deeper, sizeof(deeper), "%s%s", indent, i == last ? "  " : "│ ") >= (int)sizeof(deeper))
			return;
		print_row(o, ns_list_get(l, i), branch, *first);
		*first = false;
		print_children(o, l, sel, i, rel, deeper, depth + 1, first);
	}
}

void print_tree(const struct out *o, const struct ns_list *l, const bool *sel, enum relation rel)
{
	bool first = true;

	for (size_t i = 0; i < ns_list_count(l); i++) {
		const struct ns_entry *e = ns_list_get(l, i);
		bool up_listed = false;

		if (!sel[i])
			continue;
		for (size_t k = 0; k < ns_list_count(l) && up_of(e, rel); k++)
			up_listed |= sel[k] && k != i && is_child_of(e, ns_list_get(l, k), rel);
		if (up_listed)
			continue;
		print_row(o, e, "", first);
		first = false;
		print_children(o, l, sel, i, rel, "", 0, &first);
	}
}
