/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-pin: keep a namespace alive after its last process is gone, by bind-mounting it onto a file.
 *
 *   ns-pin pin PID TYPE PATH   pin namespace TYPE (net, uts, ...) of process PID at PATH
 *   ns-pin unpin PATH          unmount the pin and remove PATH
 *   ns-pin list                the pins of this mount namespace, each once
 *
 * A pinned namespace can be entered later with `ns-enter --net=PATH` (or ns_open_path + ns_enter).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <libns/libns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

const char *tool_name = "ns-pin";

static void __attribute__((noreturn)) usage(void)
{
	printf("Usage:\n"
	       " ns-pin pin <pid> <type> <path>\n"
	       " ns-pin unpin <path>\n"
	       " ns-pin list\n"
	       "\n"
	       "Keep a namespace alive by bind-mounting it onto a file (as ip netns attach does for\n"
	       "network namespaces, for any type), undo it, or list the pins of this mount namespace.\n"
	       "\n"
	       "Commands:\n"
	       " pin <pid> <type> <path>  pin namespace <type> (mnt, cgroup, uts, ipc, user, pid, net, time)\n"
	       "                          of process <pid> at <path>, which must not exist\n"
	       " unpin <path>             unmount the pin at <path> and remove the file\n"
	       " list                     TYPE, NS (inode) and PATH of every pin, each once\n"
	       "\n"
	       "Options:\n"
	       " -h, --help     display this help\n"
	       " -V, --version  display version\n"
	       "\n"
	       "For more details see ns-pin(1).\n");
	exit(0);
}

static int pin(const char *pid_text, const char *type_name, const char *path)
{
	pid_t pid = tool_pid(pid_text, "PID");
	int type = ns_type_from_name(type_name), fd;
	struct stat st;

	if (type < 0)
		tool_usage_error("invalid type: '%s' (mnt, cgroup, uts, ipc, user, pid, net or time)", type_name);
	fd = ns_open(pid, type, 0);
	if (fd < 0)
		return tool_fail("open");
	if (ns_pin(fd, path, 0) < 0) {
		close(fd);
		return tool_fail("pin");
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return tool_fail_errno("fstat");
	}
	close(fd);
	printf("pinned %s:[%llu] of process %d at %s\n", ns_type_name(type), (unsigned long long)st.st_ino,
	       (int)pid, path);
	return 0;
}

static int list(void)
{
	struct tool_pin *pins;
	int n = tool_pins(&pins);

	if (n < 0)
		return tool_fail_errno("reading /proc/self/mountinfo");
	printf("%-8s %-12s %s\n", "TYPE", "NS", "PATH");
	for (int i = 0; i < n; i++)
		printf("%-8s %-12llu %s\n", pins[i].type, (unsigned long long)pins[i].ino, pins[i].path);
	printf("%d pinned namespace%s\n", n, n == 1 ? "" : "s");
	tool_pins_free(pins, n);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd;
	int c, n;

	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage();
		case 'V': tool_version();
		default: tool_try_help();
		}
	}
	if (optind >= argc)
		tool_usage_error("no command given (pin, unpin or list)");
	cmd = argv[optind++];
	n = argc - optind;
	if (strcmp(cmd, "pin") == 0 && n == 3)
		return pin(argv[optind], argv[optind + 1], argv[optind + 2]);
	if (strcmp(cmd, "unpin") == 0 && n == 1)
		return ns_unpin(argv[optind], 0) < 0 ? tool_fail("unpin") : 0;
	if (strcmp(cmd, "list") == 0 && n == 0)
		return list();
	if (strcmp(cmd, "pin") == 0 || strcmp(cmd, "unpin") == 0 || strcmp(cmd, "list") == 0)
		tool_usage_error("wrong number of arguments for %s", cmd);
	tool_usage_error("unknown command '%s' (pin, unpin or list)", cmd);
}
