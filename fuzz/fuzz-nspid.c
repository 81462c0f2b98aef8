/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The NSpid/NStgid lines of /proc/PID/status (ns__parse_nspid, lib/parse.c). The first byte picks
 * the key and the capacity of the output array (allocated to exactly that size, so that AddressSanitizer
 * sees a write past it); the rest is the status text.
 * Properties: no crash or read past the text; the result is a count in [1, max] of positive pids, or
 * -ENOENT (no such line), -EINVAL (malformed) or -E2BIG (more than max); a count is the same with a
 * larger array, and -E2BIG turns into a count (or -EINVAL for a malformed rest) once the array is large
 * enough.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include "internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *key;
	pid_t *pids, big[4096];
	char *text;
	int max, r, r2;

	if (size < 1)
		return 0;
	key = (data[0] & 0x80) ? "NStgid" : "NSpid";
	max = data[0] & 0x3f;
	text = malloc(size);
	pids = malloc((size_t)(max ? max : 1) * sizeof(pid_t));
	if (!text || !pids) {
		free(text);
		free(pids);
		return 0;
	}
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	r = ns__parse_nspid(text, key, max ? pids : NULL, max);
	FUZZ_CHECK(r == -ENOENT || r == -EINVAL || r == -E2BIG || (r >= 1 && r <= max), "returned %d (max %d)", r,
		   max);
	for (int i = 0; i < r; i++)
		FUZZ_CHECK(pids[i] > 0, "pid %d at %d", pids[i], i);
	/* a status text is at most a few KiB: 4096 entries always suffice */
	r2 = ns__parse_nspid(text, key, big, 4096);
	if (r >= 1)
		FUZZ_CHECK(r2 == r && memcmp(big, pids, (size_t)r * sizeof(pid_t)) == 0, "answer depends on max");
	else if (r == -E2BIG)
		/* the parser stops at the entry that does not fit: a malformed rest shows only with room */
		FUZZ_CHECK(r2 > max || r2 == -EINVAL, "-E2BIG at %d but %d with room", max, r2);
	else
		FUZZ_CHECK(r2 == r, "%d at max %d, %d with room", r, max, r2);
	free(pids);
	free(text);
	return 0;
}
