/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The net area's input text (parse-net.c): an accepted CIDR has a valid family and prefix, holds no
 * white space, and formats back (inet_ntop + "/N") to text that parses to the same address and prefix;
 * an interface name is accepted exactly when the kernel's rules, written out again here, accept it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <sys/socket.h>
#include "parse-net.h"
#include "fuzz.h"

static bool reference_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return strcspn(s, "/: \t\n\v\f\r") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), text[INET6_ADDRSTRLEN + 8], addr[INET6_ADDRSTRLEN];
	struct ns__cidr c, again;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ns__parse_cidr(s, &c)) {
		FUZZ_CHECK(c.family == AF_INET || c.family == AF_INET6, "family %d", c.family);
		FUZZ_CHECK(c.prefix <= (c.family == AF_INET ? 32u : 128u), "prefix %u", c.prefix);
		for (const char *p = s; *p; p++)
			FUZZ_CHECK(!isspace((unsigned char)*p), "\"%s\" accepted with white space", s);
		FUZZ_CHECK(inet_ntop(c.family, c.addr, addr, sizeof(addr)) != NULL, "inet_ntop");
		snprintf(text, sizeof(text), "%s/%u", addr, c.prefix);
		FUZZ_CHECK(ns__parse_cidr(text, &again), "\"%s\" (from \"%s\") refused", text, s);
		FUZZ_CHECK(again.family == c.family && again.prefix == c.prefix &&
			   memcmp(again.addr, c.addr, c.family == AF_INET ? 4 : 16) == 0, "\"%s\" changed", text);
	}
	FUZZ_CHECK(ns__ifname_valid(s) == reference_ifname(s), "\"%s\": %d", s, ns__ifname_valid(s));
	free(s);
	return 0;
}
