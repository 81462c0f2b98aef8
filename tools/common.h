/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every tool shares, in util-linux's conventions: the program name in every message
 * ("ns-run: what failed: why"), -h/--help on stdout with exit 0, -V/--version, usage errors on
 * stderr with "Try 'PROG --help' for more information." and exit 1, and one strict parser for
 * every numeric argument.
 */
#ifndef LIBNS_TOOLS_COMMON_H
#define LIBNS_TOOLS_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define TOOL_EXIT_FAILURE 1     /* usage errors and failures alike, as util-linux */
#define TOOL_EXIT_CANNOT_RUN 126 /* the command was found but could not be executed */
#define TOOL_EXIT_NOT_FOUND 127  /* the command was not found */

extern const char *tool_name;

/* Prints "NAME from libns VERSION" and exits 0 (-V, --version). */
void tool_version(void) __attribute__((noreturn));
/* After getopt's own message: the hint to --help on stderr; exit 1. */
void tool_try_help(void) __attribute__((noreturn));
/* "NAME: message" and the hint to --help on stderr; exit 1. */
void tool_usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* "NAME: what: ns_last_error()" on stderr; returns 1 (to return from main). */
int tool_fail(const char *what);
/* "NAME: message: strerror(errno)" on stderr; returns 1. */
int tool_fail_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The one number parser: all of s is a decimal integer in [min, max] (no sign unless min < 0, no
 * space, no base prefix). Anything else -- "", "12x", "abc", " 1", a negative number where none is
 * allowed, overflow -- is a usage error naming the argument: "NAME: invalid WHAT: '12x'".
 */
long long tool_number(const char *s, const char *what, long long min, long long max);
pid_t tool_pid(const char *s, const char *what);        /* 1 .. pid_max's type */
uint32_t tool_id(const char *s, const char *what);      /* a uid or gid: 0 .. 2^32 - 2 */
/* A signal by name ("TERM", "SIGTERM", "term") or number (1 .. SIGRTMAX); usage error otherwise. */
int tool_signal(const char *s, const char *what);

/* In place: mountinfo writes space, tab, newline and backslash in paths as \ooo octal escapes. */
void tool_mountinfo_unescape(char *s);

/*
 * The pins of this mount namespace: nsfs bind mounts read from /proc/self/mountinfo, each
 * (namespace, path) once, even where a shared mount (such as the one `ip netns` makes of
 * /run/netns) shows the same pin twice. Returns the count, or -1 with errno.
 */
struct tool_pin {
	char type[16];
	uint64_t ino;
	char *path;
};
int tool_pins(struct tool_pin **out);
void tool_pins_free(struct tool_pin *pins, int n);

#endif
