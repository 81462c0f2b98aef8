/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Links inside network namespaces: look up, bring up, delete, move, and veth pairs made in place. */
#define _GNU_SOURCE
#include <unistd.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "net-internal.h"

NS_PUBLIC int ns_net_link_index(int netns_fd, const char *ifname)
{
	struct ns__nl nl;
	int r = ns__check_ifname("ns_net_link_index", ifname);

	if (r < 0)
		return r;
	r = ns__nl_open(&nl, "ns_net_link_index", netns_fd);
	if (r < 0)
		return r;
	r = ns__nl_link_index(&nl, ifname);
	ns__nl_close(&nl);
	return r;
}

/* One request naming the link by IFLA_IFNAME (the kernel resolves the name in the socket's namespace). */
static int link_request(const char *fn, int netns_fd, const char *ifname, uint16_t type, unsigned up,
			int to_netns_fd, const char *what)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct ns__nl nl;
	int r = ns__check_ifname(fn, ifname);

	if (r < 0)
		return r;
	r = ns__nl_open(&nl, fn, netns_fd);
	if (r < 0)
		return r;
	nlh = ns__nl_request(&nl, type, 0, sizeof(*ifi));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_change = up;
	ifi->ifi_flags = up;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (to_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)to_netns_fd);
	r = ns__nl_talk(&nl, nlh, NULL, NULL, "%s \"%s\"", what, ifname);
	ns__nl_close(&nl);
	if (r == -ENODEV)
		return ns__fail(ENODEV, "%s: no interface \"%s\" in that network namespace", fn, ifname);
	return r;
}

NS_PUBLIC int ns_net_link_up(int netns_fd, const char *ifname)
{
	return link_request("ns_net_link_up", netns_fd, ifname, RTM_NEWLINK, IFF_UP, -1, "bring up");
}

NS_PUBLIC int ns_net_link_del(int netns_fd, const char *ifname)
{
	return link_request("ns_net_link_del", netns_fd, ifname, RTM_DELLINK, 0, -1, "delete");
}

NS_PUBLIC int ns_net_link_move(int netns_fd, const char *ifname, int to_netns_fd)
{
	bool owned;
	int r, to;

	r = ns__check_ifname("ns_net_link_move", ifname);
	if (r < 0)
		return r;
	to = ns__netns_fd_arg("ns_net_link_move", to_netns_fd, &owned);
	if (to < 0)
		return to;
	r = link_request("ns_net_link_move", netns_fd, ifname, RTM_NEWLINK, 0, to, "move");
	if (r == -EEXIST)
		r = ns__fail(EEXIST, "ns_net_link_move: the target network namespace already has an interface "
			     "named \"%s\"", ifname);
	if (owned)
		close(to);
	return r;
}

/* After EEXIST: which end's name is taken, for the message (the kernel made nothing). */
static int veth_exists(int netns_fd, const char *name, int peer_netns_fd, const char *peer)
{
	int save = errno;
	bool in_own = ns_net_link_index(netns_fd, name) >= 0;
	bool in_peer = !in_own && ns_net_link_index(peer_netns_fd, peer) >= 0;

	errno = save;
	if (in_own)
		return ns__fail(EEXIST, "ns_net_veth_add: an interface named \"%s\" already exists in its network "
				"namespace", name);
	if (in_peer)
		return ns__fail(EEXIST, "ns_net_veth_add: an interface named \"%s\" already exists in the peer's "
				"network namespace", peer);
	return ns__fail(EEXIST, "ns_net_veth_add: \"%s\" or \"%s\" already exists (both ends in one namespace "
			"with one name?)", name, peer);
}

NS_PUBLIC int ns_net_veth_add(int netns_fd, const char *name, int peer_netns_fd, const char *peer)
{
	struct nlattr *linkinfo, *data, *peer_attr;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct ns__nl nl;
	bool owned;
	int r, peerfd;

	r = ns__check_ifname("ns_net_veth_add", name);
	if (r == 0)
		r = ns__check_ifname("ns_net_veth_add", peer);
	if (r < 0)
		return r;
	peerfd = ns__netns_fd_arg("ns_net_veth_add", peer_netns_fd, &owned);
	if (peerfd < 0)
		return peerfd;
	r = ns__nl_open(&nl, "ns_net_veth_add", netns_fd);
	if (r < 0)
		goto out;
	/*
	 * One request makes both ends, each directly in its namespace (IFLA_NET_NS_FD on the link and on
	 * the peer): the kernel registers the pair or nothing, and the names are looked up where the links
	 * will live, never in the caller's namespace.
	 */
	nlh = ns__nl_request(&nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peerfd);
	mnl_attr_nest_end(nlh, peer_attr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	r = ns__nl_talk(&nl, nlh, NULL, NULL, "create the veth pair");
	ns__nl_close(&nl);
	if (r == -EEXIST)
		r = veth_exists(netns_fd, name, peerfd, peer);
out:
	if (owned)
		close(peerfd);
	return r;
}
