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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libns/libns.h>

#include "ns-ls.h"

const char *tool_name = "ns-ls";

static const enum col default_cols[] = { C_NS, C_TYPE, C_NPROCS, C_PID, C_USER, C_COMMAND };
static const enum col default_json_cols[] = { C_NS, C_TYPE, C_NPROCS, C_PID, C_USER, C_COMMAND,
					      C_ID, C_PARENT, C_OWNER, C_HELD };

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
