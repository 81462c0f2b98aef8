/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Namespace type names (ns_type_from_name, ns_type_name): any string is either a type whose name
 * maps back to it (or one of the two long spellings "mount" and "network"), or -EINVAL with a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <libns/libns.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);
	int t;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	t = ns_type_from_name(name);
	if (t < 0) {
		FUZZ_CHECK(t == -EINVAL && errno == EINVAL, "returned %d", t);
		FUZZ_CHECK(strstr(ns_last_error(), "ns_type_from_name") != NULL, "message \"%s\"", ns_last_error());
	} else {
		FUZZ_CHECK((t & NS_TYPES_ALL) == t && (t & (t - 1)) == 0, "type 0x%x", t);
		FUZZ_CHECK(strcmp(ns_type_name(t), name) == 0 || strcmp(name, "mount") == 0 ||
			   strcmp(name, "network") == 0, "\"%s\" gave %s", name, ns_type_name(t));
		FUZZ_CHECK(ns_type_from_name(ns_type_name(t)) == t, "round trip of %s", ns_type_name(t));
	}
	free(name);
	return 0;
}
