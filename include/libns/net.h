/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Links and addresses inside network namespaces, over rtnetlink. A netns_fd of -1 is the caller's network
 * namespace. The work is done through a netlink socket made inside the namespace: no thread of the caller
 * changes namespace, and no fd is kept open between calls. Interface names follow the kernel's rules
 * (1..15 bytes, not "." or "..", no '/', ':' or whitespace).
 */
#ifndef LIBNS_NET_H
#define LIBNS_NET_H

#ifdef __cplusplus
extern "C" {
#endif

int ns_net_link_index(int netns_fd, const char *ifname);
int ns_net_link_up(int netns_fd, const char *ifname);
int ns_net_link_del(int netns_fd, const char *ifname);
int ns_net_link_move(int netns_fd, const char *ifname, int to_netns_fd);
int ns_net_veth_add(int netns_fd, const char *name, int peer_netns_fd, const char *peer);
int ns_net_addr_add(int netns_fd, const char *ifname, const char *cidr);

#ifdef __cplusplus
}
#endif
#endif
