/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /etc/subuid and /etc/subgid lines, through ns_idmap_from_subid() itself: the library reads the file
 * named by LIBNS_TEST_SUBUID_FILE / LIBNS_TEST_SUBGID_FILE (its test hook), here a memfd holding the
 * input, so the harness runs the real reading and parsing code with no private entry point.
 * The first byte picks the kind, the flag and the user; the rest is the file.
 * Properties: no crash; success gives a map that validates (and round-trips through the text), with
 * the caller's own id first unless NS_IDMAP_SUBID_ONLY; failure leaves the map untouched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libns/libns.h>
#include "fuzz.h"

static int memfd = -1;

static void setup(void)
{
	char path[64];

	memfd = memfd_create("libns-fuzz-subid", MFD_CLOEXEC);
	FUZZ_CHECK(memfd >= 0, "memfd_create: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	setenv("LIBNS_TEST_SUBUID_FILE", path, 1);
	setenv("LIBNS_TEST_SUBGID_FILE", path, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* names and numbers that exist in every Debian passwd file, one that does not, and the caller */
	static const char *const users[] = { "root", NULL, "0", "nobody", "65534", "daemon", "1", "no-such-user" };
	struct ns_idmap m, before, back;
	char text[8192];
	int kind, r;
	unsigned flags;
	const char *user;

	if (memfd < 0)
		setup();
	if (size < 1)
		return 0;
	kind = (data[0] & 1) ? NS_IDMAP_GID : NS_IDMAP_UID;
	flags = (data[0] & 2) ? NS_IDMAP_SUBID_ONLY : 0;
	user = users[(data[0] >> 2) % (sizeof(users) / sizeof(users[0]))];
	FUZZ_CHECK(ftruncate(memfd, 0) == 0, "ftruncate");
	FUZZ_CHECK(pwrite(memfd, data + 1, size - 1, 0) == (ssize_t)(size - 1), "pwrite");

	memset(&m, 0x5a, sizeof(m));
	before = m;
	r = ns_idmap_from_subid(&m, user, kind, flags);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ERANGE || r == -ENOENT, "unexpected error %d: %s", r, ns_last_error());
		FUZZ_CHECK(errno == -r, "errno %d for %d", errno, r);
		FUZZ_CHECK(strncmp(ns_last_error(), "ns_idmap_from_subid: ", 21) == 0, "message \"%s\"", ns_last_error());
		FUZZ_CHECK(memcmp(&m, &before, sizeof(m)) == 0, "a failure changed the map");
		return 0;
	}
	FUZZ_CHECK(r > 0 && (uint32_t)r == m.n, "returned %d for %u ranges", r, m.n);
	FUZZ_CHECK(ns_idmap_validate(&m) == 0, "map fails validation: %s", ns_last_error());
	if (!flags)
		FUZZ_CHECK(m.range[0].inside == 0 && m.range[0].count == 1, "the caller's own id is not first");
	/* subordinate ranges are contiguous inside, from 0 or 1 */
	for (uint32_t i = 1; i < m.n; i++)
		FUZZ_CHECK(m.range[i].inside == m.range[i - 1].inside + m.range[i - 1].count, "range %u not contiguous", i);
	FUZZ_CHECK(ns_idmap_format(&m, text, sizeof(text)) > 0, "format");
	FUZZ_CHECK(ns_idmap_parse(text, &back) == r && memcmp(back.range, m.range, m.n * sizeof(m.range[0])) == 0,
		   "round trip differs");
	return 0;
}
