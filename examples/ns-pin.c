/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-pin: keep a namespace alive after its last process is gone, by bind-mounting it onto a file.
 *
 *   ns-pin pin PID TYPE PATH   pin namespace TYPE (net, uts, ...) of process PID at PATH
 *   ns-pin unpin PATH          unmount the pin and remove PATH
 *   ns-pin list                the pins of this mount namespace, read from /proc/self/mountinfo
 *
 * A pinned namespace can be entered later with `nsenter --net=PATH` (or ns_open_path + ns_enter).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libns/libns.h>

static int fail(const char *what)
{
	fprintf(stderr, "ns-pin: %s: %s\n", what, ns_last_error());
	return 1;
}

static int pin(const char *pid_text, const char *type_name, const char *path)
{
	struct stat st;
	int type, fd;

	type = ns_type_from_name(type_name);
	if (type < 0)
		return fail("type");
	fd = ns_open((pid_t)atoi(pid_text), type, 0);
	if (fd < 0)
		return fail("open");
	if (ns_pin(fd, path, 0) < 0) {
		close(fd);
		return fail("pin");
	}
	fstat(fd, &st);
	close(fd);
	printf("pinned %s:[%llu] of process %s at %s\n", type_name, (unsigned long long)st.st_ino, pid_text, path);
	return 0;
}

/* mountinfo writes space, tab, newline and backslash in paths as \ooo octal escapes */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++, out++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*out = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out = *s;
		}
	}
	*out = '\0';
}

/*
 * A mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER".
 * For an nsfs mount, ROOT names the namespace itself, e.g. "net:[4026532281]".
 */
static int list(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[256], where[4096], type[32];
	unsigned long long ino;
	int n = 0;

	if (!f) {
		perror("ns-pin: /proc/self/mountinfo");
		return 1;
	}
	printf("%-8s %-12s %s\n", "TYPE", "INODE", "PATH");
	while (fgets(line, sizeof(line), f)) {
		char *fs = strstr(line, " - ");

		if (!fs || strncmp(fs, " - nsfs ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %255s %4095s", root, where) != 2 ||
		    sscanf(root, "%31[a-z_]:[%llu]", type, &ino) != 2)
			continue;
		unescape(where);
		printf("%-8s %-12llu %s\n", type, ino, where);
		n++;
	}
	fclose(f);
	printf("%d pinned namespace%s\n", n, n == 1 ? "" : "s");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "pin") == 0)
		return pin(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "unpin") == 0)
		return ns_unpin(argv[2], 0) < 0 ? fail("unpin") : 0;
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return list();
	fprintf(stderr, "usage: ns-pin pin PID TYPE PATH | ns-pin unpin PATH | ns-pin list\n");
	return 1;
}
