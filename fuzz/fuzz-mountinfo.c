/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/mountinfo as ns_list_new() reads it for nsfs bind mounts (ns__mountinfo_nsfs, lib/parse.c,
 * and the "type:[inode]" link parser behind it, which also reads /proc/PID/ns and /proc/PID/fd links).
 * The input is split into lines as the scan splits them.
 * Properties: no crash or read past a line; an accepted line names one namespace type and a non-zero
 * inode whose decimal digits appear in the line, and a mount point inside the line's own bytes,
 * never longer than the line (unescaping only shrinks it).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <string.h>
#include "internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *line, *next, *orig;
	int type;
	uint64_t ino;
	char *mountpoint, digits[32];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line && *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(line);
		orig = strdup(line);
		if (!orig)
			break;
		if (ns__mountinfo_nsfs(line, &type, &ino, &mountpoint)) {
			FUZZ_CHECK(ns_type_name(type) != NULL && (type & (type - 1)) == 0, "type 0x%x", type);
			FUZZ_CHECK(ino != 0, "inode 0");
			/* leading zeros are the only way the link's digits may differ from the inode's */
			snprintf(digits, sizeof(digits), "%" PRIu64 "]", ino);
			FUZZ_CHECK(strstr(orig, ns_type_name(type)) && strstr(orig, digits), "inode %" PRIu64
				   " is not in \"%s\"", ino, orig);
			FUZZ_CHECK(mountpoint >= line && mountpoint + strlen(mountpoint) <= line + len,
				   "mount point outside the line");
			FUZZ_CHECK(strstr(orig, " - nsfs ") != NULL, "not an nsfs line: \"%s\"", orig);
		}
		free(orig);
	}
	free(text);
	return 0;
}
