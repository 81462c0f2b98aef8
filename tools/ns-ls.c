/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-ls: list every namespace on the system, like lsns(8).
 *
 *   ns-ls [options] [NS]
 *
 * One row per namespace, columns NS TYPE NPROCS PID USER COMMAND by default (--output chooses).
 * USER is the owner of the namespace's user namespace (lsns shows the owner of its lowest process
 * instead). Namespaces no process is in, kept alive by an open fd or a bind mount, are listed too,
 * with NPROCS 0 and no PID; NSFS names the bind mounts (pins) that hold one, read from this mount
 * namespace's mountinfo. --json prints lsns -J's fields plus id, parent, owner and held_by; --tree
 * indents each namespace under its owning user namespace (or its parent). --method picks how
 * ns_list_new() finds the processes: its BPF iterators, the /proc scan, or (auto, the default)
 * whichever is faster for a program that lists once, on a system this size.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>
#include <libns/libns.h>

#include "common.h"

const char *tool_name = "ns-ls";

enum col { C_NS, C_TYPE, C_PATH, C_NPROCS, C_PID, C_PPID, C_COMMAND, C_UID, C_USER, C_NSFS, C_PNS, C_ONS,
	   C_ID, C_PARENT, C_OWNER, C_HELD, C_COUNT };

static const struct column {
	const char *name, *json, *help;
	bool number;
} columns[C_COUNT] = {
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
static const enum col default_cols[] = { C_NS, C_TYPE, C_NPROCS, C_PID, C_USER, C_COMMAND };
static const enum col default_json_cols[] = { C_NS, C_TYPE, C_NPROCS, C_PID, C_USER, C_COMMAND,
					      C_ID, C_PARENT, C_OWNER, C_HELD };

static struct tool_pin *pins;
static int npins;

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

/* One cell as text; "" when the value does not exist (printed "-" in a table, null in JSON). */
static void cell(const struct ns_entry *e, enum col c, char *buf, size_t size)
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

/* ---- selection: -t, -p, NS and --filter ---- */

struct term { enum col col; char op[3]; char value[256]; };

static int column_by_name(const char *name, size_t len)
{
	for (int c = 0; c < C_COUNT; c++)
		if (strlen(columns[c].name) == len && strncasecmp(columns[c].name, name, len) == 0)
			return c;
	return -1;
}

/* "COL==VALUE && COL!=VALUE && NPROCS>0": ==, != compare text, <, <=, >, >= compare numbers. */
static int parse_filter(const char *expr, struct term **out)
{
	static const char *ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	struct term *terms = NULL;
	const char *p = expr;
	int n = 0;

	for (;;) {
		const char *name, *op = NULL, *end;
		struct term *t;
		size_t k = 0;
		int c;

		while (isspace((unsigned char)*p))
			p++;
		name = p;
		while (isalnum((unsigned char)*p))
			p++;
		c = column_by_name(name, (size_t)(p - name));
		if (c < 0)
			tool_usage_error("--filter: unknown column in '%s'", name);
		while (isspace((unsigned char)*p))
			p++;
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]) && !op; k++)
			if (strncmp(p, ops[k], strlen(ops[k])) == 0)
				op = ops[k];
		if (!op)
			tool_usage_error("--filter: expected ==, !=, <, <=, > or >= after %s", columns[c].name);
		p += strlen(op);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"' || *p == '\'') {
			end = strchr(p + 1, *p);
			if (!end)
				tool_usage_error("--filter: unterminated quote in '%s'", p);
			name = p + 1;
		} else {
			name = p;
			end = p;
			while (*end && !isspace((unsigned char)*end) && strncmp(end, "&&", 2) != 0)
				end++;
		}
		t = realloc(terms, (size_t)(n + 1) * sizeof(*terms));
		if (!t)
			tool_usage_error("--filter: out of memory");
		terms = t;
		t = &terms[n++];
		t->col = (enum col)c;
		snprintf(t->op, sizeof(t->op), "%s", op);
		snprintf(t->value, sizeof(t->value), "%.*s", (int)(end - name), name);
		if (op[0] == '<' || op[0] == '>')
			tool_number(t->value, "--filter number", 0, INT64_MAX);
		p = *end == '"' || *end == '\'' ? end + 1 : end;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (strncmp(p, "&&", 2) == 0)
			p += 2;
		else if (strncasecmp(p, "and ", 4) == 0)
			p += 4;
		else
			tool_usage_error("--filter: expected && between terms, at '%s'", p);
	}
	*out = terms;
	return n;
}

static bool matches(const struct ns_entry *e, const struct term *terms, int n)
{
	char buf[4096];

	for (int i = 0; i < n; i++) {
		const struct term *t = &terms[i];
		bool ok;

		cell(e, t->col, buf, sizeof(buf));
		if (t->op[0] == '=' || t->op[0] == '!') {
			ok = (strcmp(buf, t->value) == 0) == (t->op[0] == '=');
		} else {
			long long have = buf[0] ? strtoll(buf, NULL, 10) : -1, want = strtoll(t->value, NULL, 10);

			ok = buf[0] && (t->op[0] == '<' ? (t->op[1] ? have <= want : have < want)
						 : (t->op[1] ? have >= want : have > want));
		}
		if (!ok)
			return false;
	}
	return true;
}

/* ---- output ---- */

struct out {
	const enum col *cols;
	int ncols;
	bool raw, noheadings, json;
	int width[C_COUNT];
};

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

static void print_row(const struct out *o, const struct ns_entry *e, const char *tree, bool first)
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

static void print_header(const struct out *o)
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

/* Widths from the header and every selected row (tree prefixes are drawn in the last text column). */
static void measure(struct out *o, const struct ns_list *l, const bool *selected, int tree_extra)
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

enum relation { REL_NONE, REL_OWNER, REL_PARENT };

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

static void print_tree(const struct out *o, const struct ns_list *l, const bool *sel, enum relation rel)
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

/*
 * --method=auto. A fresh process pays 25-45 ms to load the BPF programs, then about 1 us per process;
 * the /proc path costs 25-35 us per process. Measured with bench/bench-list (2 vCPUs, 6.18): equal at
 * about 1,000 processes (35 ms each), BPF 3x faster at 5,000 and 5x at 10,000. So auto asks for BPF
 * from 1,000 processes on (ns_list_new() still takes /proc where BPF is not permitted) and for /proc
 * below, counting /proc's entries no further than that.
 */
#define BPF_PAYS_FROM 1000

static unsigned method_auto(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while (n < BPF_PAYS_FROM && (e = readdir(d)))
		n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
	closedir(d);
	return n >= BPF_PAYS_FROM ? 0 : NS_LIST_PROC_ONLY;
}

/* The ns_list_new() flags of --method=NAME. */
static unsigned method_flags(const char *name)
{
	if (strcmp(name, "auto") == 0)
		return method_auto();
	if (strcmp(name, "bpf") == 0)
		return NS_LIST_BPF_ONLY;
	if (strcmp(name, "proc") == 0)
		return NS_LIST_PROC_ONLY;
	tool_usage_error("unknown method: '%s' (auto, bpf or proc)", name);
}

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-ls [options] [<namespace>]\n"
	       "\n"
	       "List the namespaces of the system, like lsns: those processes are in, and those only an\n"
	       "open fd, a bind mount (a pin) or the namespaces they own keep alive.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -l, --list             use list format output (the default)\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    define which output columns to use (+<list> adds to the default)\n"
	       "     --output-all       output all columns\n"
	       " -p, --task <pid>       print the namespaces process <pid> is in\n"
	       " -r, --raw              use the raw output format\n"
	       " -u, --notruncate       accepted for lsns compatibility: ns-ls never truncates\n"
	       " -W, --nowrap           accepted for lsns compatibility: NSFS is one comma-separated line\n"
	       " -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time); repeatable\n"
	       " -T, --tree[=<rel>]     use tree format: owner (the default: under the owning user namespace)\n"
	       "                          or parent (user and pid namespaces under their parent);\n"
	       "                          lsns's 'process' relation is not available\n"
	       " -Q, --filter <expr>    only rows where <expr> holds: COLUMN==VALUE, !=, <, <=, >, >=,\n"
	       "                          terms joined by && (e.g. 'TYPE==net && NPROCS>0')\n"
	       "     --method <how>     find the processes with BPF iterators (bpf), by the /proc scan\n"
	       "                          (proc), or whichever is faster here (auto, the default)\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "Available output columns:\n");
	for (int c = 0; c < C_COUNT; c++)
		printf(" %11s  %s\n", columns[c].name, columns[c].help);
	printf("lsns's NETNSID column is not available.\n"
	       "\n"
	       "For more details see ns-ls(1).\n");
	exit(0);
}

/* "NS,TYPE,NSFS" (or "+NSFS": after the default columns) into cols; returns the count. */
static int parse_columns(const char *list, enum col *cols, int n)
{
	char *copy = strdup(list), *p = copy, *tok;

	if (!copy)
		tool_usage_error("out of memory");
	if (*p == '+')
		p++;
	while ((tok = strsep(&p, ","))) {
		int c = column_by_name(tok, strlen(tok));

		if (c < 0)
			tool_usage_error("unknown column: '%s'%s", tok,
					 strcasecmp(tok, "NETNSID") == 0 ? " (NETNSID is not available)" : "");
		if (n == C_COUNT)
			tool_usage_error("too many columns");
		cols[n++] = (enum col)c;
	}
	free(copy);
	return n;
}

int main(int argc, char **argv)
{
	enum { OPT_OUTPUT_ALL = 256, OPT_METHOD };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },         { "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },   { "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "task", required_argument, NULL, 'p' },   { "raw", no_argument, NULL, 'r' },
		{ "notruncate", no_argument, NULL, 'u' },   { "nowrap", no_argument, NULL, 'W' },
		{ "type", required_argument, NULL, 't' },   { "tree", optional_argument, NULL, 'T' },
		{ "filter", required_argument, NULL, 'Q' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },      { "method", required_argument, NULL, OPT_METHOD },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { 0 };
	enum col cols[C_COUNT];
	enum relation tree = REL_NONE;
	const char *output = NULL, *method = "auto";
	struct term *terms = NULL;
	uint64_t only_ino = 0, task_ino[8];
	int ntask = 0, nterms = 0, c, r;
	unsigned types = 0, list_flags;
	pid_t task = 0;
	struct ns_list *l;
	bool *sel;

	setlocale(LC_CTYPE, "C.UTF-8");   /* for mbrtowc() in json_string, mbstowcs() in measure */
	while ((c = getopt_long(argc, argv, "Jlno:p:ruWt:T::Q:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': o.json = true; break;
		case 'l': break;
		case 'n': o.noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: output = "all"; break;
		case OPT_METHOD: method = optarg; break;
		case 'p': task = tool_pid(optarg, "PID"); break;
		case 'r': o.raw = true; break;
		case 'u': case 'W': break;
		case 't':
			r = ns_type_from_name(optarg);
			if (r < 0)
				tool_usage_error("unknown namespace type: '%s'", optarg);
			types |= (unsigned)r;
			break;
		case 'T':
			if (!optarg || strcmp(optarg, "owner") == 0)
				tree = REL_OWNER;
			else if (strcmp(optarg, "parent") == 0)
				tree = REL_PARENT;
			else
				tool_usage_error("unknown tree relation: '%s' (owner or parent%s)", optarg,
						 strcmp(optarg, "process") == 0 ? "; 'process' is not available" : "");
			break;
		case 'Q': nterms = parse_filter(optarg, &terms); break;
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (argc - optind > 1)
		tool_usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		only_ino = (uint64_t)tool_number(argv[optind], "namespace", 1, INT64_MAX);
	if (o.json && (tree || o.raw))
		tool_usage_error("--json cannot be combined with --%s", tree ? "tree" : "raw");
	list_flags = method_flags(method);

	o.ncols = 0;
	if (output && strcmp(output, "all") == 0) {
		for (int k = 0; k < C_COUNT; k++)
			cols[o.ncols++] = (enum col)k;
	} else {
		if (!output || output[0] == '+') {
			const enum col *d = o.json ? default_json_cols : default_cols;
			size_t nd = o.json ? sizeof(default_json_cols) / sizeof(d[0]) : sizeof(default_cols) / sizeof(d[0]);

			for (size_t k = 0; k < nd; k++)
				cols[o.ncols++] = d[k];
		}
		if (output)
			o.ncols = parse_columns(output, cols, o.ncols);
	}
	o.cols = cols;

	if (task) {
		/* the namespaces process `task` is in, by the inodes of its /proc/PID/ns links, as listed */
		if (kill(task, 0) < 0 && errno == ESRCH)
			return tool_fail_errno("process %d", (int)task);
		for (unsigned type = 1; type <= (unsigned)NS_TYPE_NET && ntask < 8; type <<= 1) {
			const char *name = ns_type_name((int)type);
			char path[64];
			struct stat st;

			snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)task, name ? name : "");
			if (name && stat(path, &st) == 0)
				task_ino[ntask++] = st.st_ino;
		}
		if (!ntask)
			return tool_fail_errno("reading /proc/%d/ns", (int)task);
	}
	r = ns_list_new(types, list_flags, &l);
	if (r < 0)
		return tool_fail("listing namespaces");
	npins = tool_pins(&pins);
	if (npins < 0) {
		npins = 0;   /* NSFS stays empty: the listing itself is still right */
		pins = NULL;
	}
	sel = calloc(ns_list_count(l) + 1, sizeof(*sel));
	if (!sel)
		return tool_fail_errno("listing namespaces");
	for (size_t k = 0; k < ns_list_count(l); k++) {
		const struct ns_entry *e = ns_list_get(l, k);
		bool in_task = !task;

		for (int t = 0; t < ntask; t++)
			in_task |= task_ino[t] == e->id.ino;
		sel[k] = in_task && (!only_ino || e->id.ino == only_ino) && matches(e, terms, nterms);
	}

	if (o.json) {
		bool first = true;

		printf("{\n   \"namespaces\": [");
		for (size_t k = 0; k < ns_list_count(l); k++)
			if (sel[k]) {
				print_row(&o, ns_list_get(l, k), "", first);
				first = false;
			}
		printf("\n   ]\n}\n");
	} else {
		measure(&o, l, sel, tree ? 16 : 0);
		print_header(&o);
		if (tree) {
			print_tree(&o, l, sel, tree);
		} else {
			for (size_t k = 0; k < ns_list_count(l); k++)
				if (sel[k])
					print_row(&o, ns_list_get(l, k), "", false);
		}
	}
	free(sel);
	free(terms);
	tool_pins_free(pins, npins);
	ns_list_free(l);
	return 0;
}
