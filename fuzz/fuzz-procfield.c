/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "Key:\tvalue" lines of /proc files (ns__proc_field, lib/procfs.c: Pid: and mnt_id: of fdinfo,
 * Threads: of status), read by the library from a memfd holding the input (through its
 * /proc/self/fd path, as it reads /proc). The first byte picks the key.
 * Properties: no crash; the answer is 0 with the number of the first line that starts with the key
 * and a colon and parses as a number, or -ENOENT when no line does. The comparison is made only when
 * every line fits the parser's 256-byte line buffer: the files it reads have short lines (the one
 * long line of a status file, Groups:, continues with digits, never with a key).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"
#include "fuzz.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "Pid", "mnt_id", "Threads", "NSpid", "Tgid", "flags" };
	const char *key, *text = (const char *)data + 1, *end, *p;
	size_t klen, n;
	int value = -7, want = 0, r, want_r = -ENOENT;
	bool comparable = true;

	if (memfd < 0) {
		memfd = memfd_create("libns-fuzz-procfield", MFD_CLOEXEC);
		FUZZ_CHECK(memfd >= 0, "memfd_create: %s", strerror(errno));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (size < 1)
		return 0;
	key = keys[data[0] % (sizeof(keys) / sizeof(keys[0]))];
	klen = strlen(key);
	n = size - 1;
	FUZZ_CHECK(ftruncate(memfd, 0) == 0 && pwrite(memfd, text, n, 0) == (ssize_t)n, "memfd write");

	r = ns__proc_field(path, key, &value);
	FUZZ_CHECK(r == 0 || r == -ENOENT, "returned %d", r);

	/* the same rule, line by line */
	end = text + n;
	for (p = text; p < end && want_r == -ENOENT;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		char line[256];

		if (len > sizeof(line) - 1) {
			comparable = false;
			break;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ':' && sscanf(line + klen + 1, "%d", &want) == 1)
			want_r = 0;
		p += len;
	}
	if (comparable) {
		FUZZ_CHECK(r == want_r, "returned %d, the rule says %d (key %s)", r, want_r, key);
		FUZZ_CHECK(r != 0 || value == want, "value %d, the rule says %d", value, want);
	}
	if (r != 0)
		FUZZ_CHECK(value == -7, "a failure wrote the value");
	return 0;
}
