/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the net area (net*.c): one rtnetlink conversation with a network namespace. */
#ifndef LIBNS_NET_INTERNAL_H
#define LIBNS_NET_INTERNAL_H

#include <stdint.h>
#include <libmnl/libmnl.h>
#include "internal.h"

struct ns__nl {
	const char *fn;        /* the public function, for messages */
	int fd;                /* NETLINK_ROUTE socket made inside the namespace */
	unsigned seq;
	char req[1024];        /* the request being built; links and addresses need a few hundred bytes */
	char rx[16384];        /* one reply: an RTM_NEWLINK with all its attributes fits */
};

/* Open the conversation inside netns_fd (-1: the caller's); messages name fn. */
int ns__nl_open(struct ns__nl *nl, const char *fn, int netns_fd);
void ns__nl_close(struct ns__nl *nl);
/* A request of type with flags (NLM_F_REQUEST | NLM_F_ACK added) in nl->req, with a zeroed header of hdr_len. */
struct nlmsghdr *ns__nl_request(struct ns__nl *nl, uint16_t type, uint16_t flags, size_t hdr_len);
/* Send it and read up to the acknowledgement; cb (may be NULL) sees each reply. -errno, message set
 * as "fn: WHAT: <the kernel's extended ACK text>: strerror" on failure, WHAT formatted from what_fmt
 * then only: the success path formats nothing (a spawned child may bring its loopback up before exec). */
int ns__nl_talk(struct ns__nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what_fmt, ...)
	NS_PRINTF(5, 6);
/* The kernel's dev_valid_name(): -EINVAL with a message naming fn otherwise. */
int ns__check_ifname(const char *fn, const char *ifname);
/* -1 -> an fd of this thread's network namespace (*owned set), else checked to be a network namespace. */
int ns__netns_fd_arg(const char *fn, int fd, bool *owned);
/* Index of ifname in the conversation's namespace; -ENODEV with a message. */
int ns__nl_link_index(struct ns__nl *nl, const char *ifname);

#endif
