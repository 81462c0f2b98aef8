/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interface names and CIDR addresses, checked before anything is sent to the kernel. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <net/if.h>
#include "parse-net.h"

bool ns__ifname_valid(const char *name)
{
	size_t len = strnlen(name, IF_NAMESIZE);

	/* net/core/dev.c dev_valid_name(); IF_NAMESIZE counts the NUL */
	if (len == 0 || len == IF_NAMESIZE || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || isspace((unsigned char)name[i]))
			return false;
	return true;
}

/*
 * inet_pton's strict forms (four decimal parts for IPv4, no zone for IPv6) and a decimal prefix length
 * without sign, spaces or leading zeros. No prefix is an error: a silent /32 is rarely what was meant.
 */
bool ns__parse_cidr(const char *s, struct ns__cidr *out)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/'), *p;
	unsigned prefix = 0;
	size_t len;

	if (!slash)
		return false;
	len = (size_t)(slash - s);
	if (len == 0 || len >= sizeof(addr))
		return false;
	memcpy(addr, s, len);
	addr[len] = '\0';
	out->family = memchr(addr, ':', len) ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, addr, out->addr) != 1)
		return false;
	p = slash + 1;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1]) || strlen(p) > 3)
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		prefix = prefix * 10 + (unsigned)(*p - '0');
	}
	if (prefix > (out->family == AF_INET ? 32u : 128u))
		return false;
	out->prefix = prefix;
	return true;
}
