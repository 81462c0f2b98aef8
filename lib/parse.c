/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: parsers and formatters of kernel text, pure and fuzzed (parse.h). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"
#include "types-internal.h"

bool ns__all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "net:[4026531840]" -> type and inode. Anything else (paths, sockets, "pidfd:[..]") -> false. */
bool ns__parse_ns_link(const char *s, size_t len, int *type, uint64_t *ino)
{
	const char *br = memchr(s, ':', len);
	char name[16];
	uint64_t v = 0;
	size_t nlen, i;

	if (!br || (size_t)(br - s) + 3 > len || br[1] != '[' || s[len - 1] != ']')
		return false;
	nlen = (size_t)(br - s);
	if (nlen >= sizeof(name))
		return false;
	memcpy(name, s, nlen);
	name[nlen] = '\0';
	*type = ns__type_from_name(name);
	if (*type < 0)
		return false;
	for (i = nlen + 2; i < len - 1; i++) {
		/* more than 64 bits would wrap into some other namespace's inode (found by fuzz-mountinfo) */
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ino = v;
	return v != 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape_mountinfo(char *p)
{
	char *w = p;

	for (; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

/*
 * One mountinfo line, without its newline, cut up in place: true for an nsfs mount, with the
 * namespace it holds and its mount point, unescaped. Not static: the fuzzer (fuzz/fuzz-mountinfo.c).
 */
bool ns__mountinfo_nsfs(char *line, int *type, uint64_t *ino, char **mountpoint)
{
	char *field[5], *sep, *save = NULL;

	sep = strstr(line, " - ");
	if (!sep || strncmp(sep + 3, "nsfs ", 5) != 0)
		return false;
	*sep = '\0';
	for (int i = 0; i < 5; i++) {
		field[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!field[i])
			return false;
	}
	if (!ns__parse_ns_link(field[3], strlen(field[3]), type, ino))
		return false;
	unescape_mountinfo(field[4]);
	*mountpoint = field[4];
	return true;
}

/*
 * Parse the "KEY:\t1\t2..." line of a /proc/PID/status text (NSpid, NStgid) into pids, outermost
 * (the /proc mount's pid namespace) first. Returns the number of entries, -ENOENT when there is no
 * such line, -EINVAL when it is malformed (no number, a number out of range or 0, a stray
 * character), -E2BIG when it has more than max entries. Reads nothing past the line's end.
 */
int ns__parse_nspid(const char *status_text, const char *key, pid_t *pids, int max)
{
	const char *p = status_text;
	size_t klen;
	int n = 0;

	if (!status_text || !key || !*key || max < 0 || (max > 0 && !pids))
		return -EINVAL;
	klen = strlen(key);
	for (;;) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			break;
		p = strchr(p, '\n');
		if (!p)
			return -ENOENT;
		p++;
	}
	p += klen + 1;
	for (;;) {
		long long v = 0;

		while (*p == '\t' || *p == ' ')
			p++;
		if (*p == '\n' || *p == '\0')
			break;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			if (v > INT_MAX)
				return -EINVAL;
			p++;
		}
		if (v == 0 || (*p != '\t' && *p != ' ' && *p != '\n' && *p != '\0'))
			return -EINVAL;
		if (n >= max)
			return -E2BIG;
		pids[n++] = (pid_t)v;
	}
	return n > 0 ? n : -EINVAL;
}

/* Separate from host_clock() so that the fuzzer (fuzz/fuzz-timens.c) reaches the text handling. */
bool ns__timens_host_sec(const char *offsets, clockid_t clk, const struct timespec *now, int64_t *sec)
{
	const char *line = strstr(offsets, clk == CLOCK_MONOTONIC ? "monotonic" : "boottime");
	long long off_sec;
	long off_nsec;

	if (!line || sscanf(line, "%*s %lld %ld", &off_sec, &off_nsec) != 2)
		return false;
	/* the kernel never shows more; anything else would overflow below (found by fuzz-timens) */
	if (off_sec > KTIME_SEC_MAX || off_sec < -KTIME_SEC_MAX || off_nsec < 0 || off_nsec >= NSEC_PER_SEC)
		return false;
	*sec = (int64_t)now->tv_sec - off_sec - (now->tv_nsec < off_nsec ? 1 : 0);
	return true;
}

/*
 * Both lines in one write: the kernel checks every line before it applies any. Returns the length;
 * 128 bytes always hold both lines (two 20-digit numbers each).
 */
int ns__timens_format(char *buf, size_t size, const struct timespec *monotonic, const struct timespec *boottime)
{
	int len = 0;

	if (size > 0)
		buf[0] = '\0';
	if (monotonic)
		len += snprintf(buf + len, size - (size_t)len, "monotonic %lld %ld\n", (long long)monotonic->tv_sec,
				(long)monotonic->tv_nsec);
	if (boottime)
		len += snprintf(buf + len, size - (size_t)len, "boottime %lld %ld\n", (long long)boottime->tv_sec,
				(long)boottime->tv_nsec);
	return len;
}
