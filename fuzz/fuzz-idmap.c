/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uid_map/gid_map text: ns_idmap_parse_buf(), ns_idmap_parse(), ns_idmap_format(), ns_idmap_validate()
 * and ns_idmap_add() must agree with each other on every input:
 *  - a text either parses into a map that validates, formats within one page and re-parses into the
 *    identical map, or is refused with -EINVAL/-ERANGE, errno and a message, and the output untouched;
 *  - the NUL-terminated entry point agrees with the length-taking one (which refuses NUL bytes);
 *  - the same bytes read as ranges: validate() accepts exactly what ns_idmap_add() accepts range by
 *    range, and what it accepts round-trips through the text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <libns/libns.h>
#include "fuzz.h"

static bool same_map(const struct ns_idmap *a, const struct ns_idmap *b)
{
	return a->n == b->n && memcmp(a->range, b->range, a->n * sizeof(a->range[0])) == 0;
}

/* A map that passed validation: format it, check the text, parse it back. */
static void round_trip(const struct ns_idmap *m)
{
	static char text[8192], part[8192];
	struct ns_idmap back;
	int len, len2, r;

	len = ns_idmap_format(m, NULL, 0);
	FUZZ_CHECK(len > 0 && len < getpagesize(), "format length %d for %u ranges", len, m->n);
	FUZZ_CHECK(ns_idmap_format(m, text, sizeof(text)) == len, "format lengths differ");
	FUZZ_CHECK(strlen(text) == (size_t)len, "format wrote %zu bytes, said %d", strlen(text), len);
	r = ns_idmap_parse(text, &back);
	FUZZ_CHECK(r == (int)m->n, "re-parse of formatted text gave %d (%s)\n%s", r, ns_last_error(), text);
	FUZZ_CHECK(same_map(m, &back), "re-parsed map differs\n%s", text);
	len2 = ns_idmap_format(&back, part, sizeof(part));
	FUZZ_CHECK(len2 == len && memcmp(part, text, (size_t)len) == 0, "formatting is not canonical");
	/* a short buffer gets a NUL-terminated prefix and the full length */
	for (int k = 1; k <= len; k += 1 + k / 4) {
		memset(part, 'X', (size_t)k + 1);
		FUZZ_CHECK(ns_idmap_format(m, part, (size_t)k) == len, "truncated format length");
		FUZZ_CHECK(part[k - 1] == '\0' && memcmp(part, text, (size_t)k - 1) == 0 && part[k] == 'X',
			   "truncated format at %d wrong", k);
	}
}

static void fuzz_text(const uint8_t *data, size_t size)
{
	struct ns_idmap a, b;
	char *copy;
	int r, r2;

	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	errno = 0;
	r = ns_idmap_parse_buf((const char *)data, size, &a);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ERANGE, "unexpected error %d", r);
		FUZZ_CHECK(errno == -r, "errno %d for return %d", errno, r);
		FUZZ_CHECK(strncmp(ns_last_error(), "ns_idmap_parse: ", 16) == 0, "message \"%s\"", ns_last_error());
		FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0, "a refused text changed the output");
	} else {
		FUZZ_CHECK(r > 0 && r <= NS_IDMAP_MAX && (uint32_t)r == a.n, "returned %d for %u ranges", r, a.n);
		FUZZ_CHECK(!memchr(data, '\0', size), "accepted a NUL byte");
		FUZZ_CHECK(ns_idmap_validate(&a) == 0, "parsed map fails validation: %s", ns_last_error());
		round_trip(&a);
	}

	copy = malloc(size + 1);
	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	r2 = ns_idmap_parse(copy, &b);
	if (!memchr(data, '\0', size)) {
		FUZZ_CHECK(r2 == r, "ns_idmap_parse %d, ns_idmap_parse_buf %d", r2, r);
		FUZZ_CHECK(r < 0 || same_map(&a, &b), "the two parsers disagree");
	}
	free(copy);
}

/* The bytes as binary ranges: a small map, so that the fuzzer reaches valid ones. */
static void fuzz_ranges(const uint8_t *data, size_t size)
{
	struct ns_idmap m = { .n = 0 }, built = { .n = 0 };
	size_t per = sizeof(struct ns_idmap_range);
	int v, added = 0;

	if (size < 1)
		return;
	m.n = data[0] % 64;
	if (m.n > (size - 1) / per)
		m.n = (uint32_t)((size - 1) / per);
	memcpy(m.range, data + 1, m.n * per);
	/* every map with n <= 340 formats without crashing, valid or not */
	(void)ns_idmap_format(&m, NULL, 0);

	v = ns_idmap_validate(&m);
	FUZZ_CHECK(v == 0 || v == -EINVAL || v == -ERANGE, "validate returned %d", v);
	for (uint32_t i = 0; i < m.n; i++) {
		if (ns_idmap_add(&built, m.range[i].inside, m.range[i].outside, m.range[i].count) < 0)
			break;
		added++;
	}
	if (m.n == 0) {
		FUZZ_CHECK(v == -EINVAL, "an empty map validated");
		return;
	}
	FUZZ_CHECK((v == 0) == ((uint32_t)added == m.n), "validate says %d, add accepted %d of %u ranges", v, added,
		   m.n);
	if (v == 0) {
		FUZZ_CHECK(same_map(&m, &built), "ns_idmap_add built another map");
		round_trip(&m);
	}

	/* a corrupt count is refused, never read past the array */
	m.n = NS_IDMAP_MAX + 1 + data[0];
	FUZZ_CHECK(ns_idmap_validate(&m) == -EINVAL, "validate accepted n=%u", m.n);
	FUZZ_CHECK(ns_idmap_format(&m, NULL, 0) == -EINVAL, "format accepted n=%u", m.n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text(data, size);
	fuzz_ranges(data, size);
	return 0;
}
