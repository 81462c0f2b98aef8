/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <inttypes.h>
#include <libns/libns.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tool_version(void)
{
	printf("%s from libns %s\n", tool_name, ns_version());
	exit(0);
}

void tool_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	exit(TOOL_EXIT_FAILURE);
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	tool_try_help();
}

int tool_fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", tool_name, what, ns_last_error());
	return TOOL_EXIT_FAILURE;
}

int tool_fail_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	return TOOL_EXIT_FAILURE;
}

long long tool_number(const char *s, const char *what, long long min, long long max)
{
	const char *p = s;
	char *end;
	long long v;

	/* strtoll alone would take leading space, a '+', and a '-' that wraps an unsigned range */
	if (*p == '-' && min < 0)
		p++;
	if (*p == '-' && p[1] >= '0' && p[1] <= '9')
		tool_usage_error("invalid %s: '%s' (must not be negative)", what, s);
	if (*p < '0' || *p > '9')
		tool_usage_error("invalid %s: '%s' (not a number)", what, s);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end)
		tool_usage_error("invalid %s: '%s' (not a number)", what, s);
	if (errno == ERANGE || v < min || v > max)
		tool_usage_error("invalid %s: '%s' (out of range %lld..%lld)", what, s, min, max);
	return v;
}

pid_t tool_pid(const char *s, const char *what)
{
	return (pid_t)tool_number(s, what, 1, INT_MAX);
}

uint32_t tool_id(const char *s, const char *what)
{
	return (uint32_t)tool_number(s, what, 0, (long long)UINT32_MAX - 1);
}

int tool_signal(const char *s, const char *what)
{
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;

	if (*s >= '0' && *s <= '9')
		return (int)tool_number(s, what, 1, SIGRTMAX);
	for (int sig = 1; sig < SIGRTMIN; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev && strcasecmp(abbrev, name) == 0)
			return sig;
	}
	tool_usage_error("invalid %s: '%s' (not a signal name or number)", what, s);
}

void tool_mountinfo_unescape(char *s)
{
	char *out = s;

	for (; *s; s++, out++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*out = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out = *s;
		}
	}
	*out = '\0';
}

void tool_pins_free(struct tool_pin *pins, int n)
{
	for (int i = 0; i < n; i++)
		free(pins[i].path);
	free(pins);
}

/*
 * A mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER".
 * For an nsfs mount, ROOT names the namespace itself, e.g. "net:[4026532281]".
 */
int tool_pins(struct tool_pin **out)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, root[64], *where = NULL;
	struct tool_pin *pins = NULL, *grown;
	size_t cap = 0;
	int n = 0, err = 0;

	*out = NULL;
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char *fs = strstr(line, " - "), type[16];
		uint64_t ino;
		bool seen = false;

		free(where);
		where = NULL;
		if (!fs || strncmp(fs, " - nsfs ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %63s %ms", root, &where) != 2 ||
		    sscanf(root, "%15[a-z_]:[%" SCNu64 "]", type, &ino) != 2)
			continue;
		tool_mountinfo_unescape(where);
		for (int i = 0; i < n && !seen; i++)
			seen = pins[i].ino == ino && strcmp(pins[i].type, type) == 0 && strcmp(pins[i].path, where) == 0;
		if (seen)
			continue;
		grown = realloc(pins, (size_t)(n + 1) * sizeof(*pins));
		if (!grown) {
			err = ENOMEM;
			break;
		}
		pins = grown;
		snprintf(pins[n].type, sizeof(pins[n].type), "%s", type);
		pins[n].ino = ino;
		pins[n].path = where;
		where = NULL;
		n++;
	}
	free(where);
	free(line);
	if (!err && ferror(f))
		err = EIO;
	fclose(f);
	if (err) {
		tool_pins_free(pins, n);
		errno = err;
		return -1;
	}
	*out = pins;
	return n;
}
