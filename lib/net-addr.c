/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Addresses on links inside network namespaces: strict CIDR text (parse-net.c), then RTM_NEWADDR as `ip addr add`. */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "net-internal.h"
#include "parse-net.h"

NS_PUBLIC int ns_net_addr_add(int netns_fd, const char *ifname, const char *cidr)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	struct ns__cidr c;
	struct ns__nl nl;
	int r, index;

	r = ns__check_ifname("ns_net_addr_add", ifname);
	if (r < 0)
		return r;
	if (!cidr || !ns__parse_cidr(cidr, &c))
		return ns__fail(EINVAL, "ns_net_addr_add: \"%.64s\" is not an address with a prefix length "
				"(\"10.0.0.1/24\", \"fd00::1/64\")", cidr ? cidr : "(null)");
	r = ns__nl_open(&nl, "ns_net_addr_add", netns_fd);
	if (r < 0)
		return r;
	index = ns__nl_link_index(&nl, ifname);
	if (index < 0) {
		ns__nl_close(&nl);
		return index;
	}
	nlh = ns__nl_request(&nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = (unsigned char)c.family;
	ifa->ifa_prefixlen = (unsigned char)c.prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	/* as `ip addr add`: local and address the same (no peer), no broadcast unless asked */
	mnl_attr_put(nlh, IFA_LOCAL, c.family == AF_INET ? 4 : 16, c.addr);
	mnl_attr_put(nlh, IFA_ADDRESS, c.family == AF_INET ? 4 : 16, c.addr);
	r = ns__nl_talk(&nl, nlh, NULL, NULL, "add %s to \"%s\"", cidr, ifname);
	ns__nl_close(&nl);
	if (r == -EEXIST)
		return ns__fail(EEXIST, "ns_net_addr_add: \"%s\" already has the address %s", ifname, cidr);
	return r;
}
