/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: the text the net area takes (parse-net.c). Pure, fuzzed (fuzz/fuzz-cidr.c). */
#ifndef LIBNS_PARSE_NET_H
#define LIBNS_PARSE_NET_H

#include <stdbool.h>

struct ns__cidr {
	int family;            /* AF_INET or AF_INET6 */
	unsigned prefix;
	unsigned char addr[16];
};

/* "a.b.c.d/N" (N <= 32) or "x::y/N" (N <= 128), strictly; false for anything else. */
bool ns__parse_cidr(const char *s, struct ns__cidr *out);
/* The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
bool ns__ifname_valid(const char *name);

#endif
