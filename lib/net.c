/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The rtnetlink conversation under net.h: a NETLINK_ROUTE socket made inside the target namespace
 * (ns_socket), requests built and replies walked with libmnl, the kernel's extended ACK text kept
 * for the message. The socket lives for one public call only.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "net-internal.h"
#include "parse-net.h"

int ns__check_ifname(const char *fn, const char *ifname)
{
	if (!ifname)
		return ns__fail(EINVAL, "%s: interface name is NULL", fn);
	if (!ns__ifname_valid(ifname))
		return ns__fail(EINVAL, "%s: \"%.*s%s\" is not a valid interface name (1 to %d bytes, not \".\" or "
				"\"..\", no '/', ':' or whitespace)", fn, 40, ifname, strnlen(ifname, 41) > 40 ? "..." : "",
				IFNAMSIZ - 1);
	return 0;
}

int ns__netns_fd_arg(const char *fn, int fd, bool *owned)
{
	int type;

	*owned = false;
	if (fd == -1) {
		/* the thread's, not the process's: the caller's view is that of the thread calling */
		fd = ns__open_own("net");
		if (fd < 0)
			return ns__fail(-fd, "%s: open /proc/thread-self/ns/net", fn);
		*owned = true;
		return fd;
	}
	type = ns__nsfd_type(fn, fd);
	if (type < 0)
		return type;
	if (type != NS_TYPE_NET)
		return ns__fail(EINVAL, "%s: fd %d is a %s namespace, not a network namespace", fn, fd,
				ns_type_name(type));
	return fd;
}

int ns__nl_open(struct ns__nl *nl, const char *fn, int netns_fd)
{
	static const int one = 1;

	nl->fn = fn;
	nl->seq = 0;
	nl->fd = ns_socket(netns_fd, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (nl->fd < 0)
		return ns__fail_prefixed(-nl->fd, "%s", fn);
	/* The kernel's text for a refusal (4.12), and acks without a copy of our request (4.3); older
	 * kernels refuse the options, and then the errno alone is the answer. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void ns__nl_close(struct ns__nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

struct nlmsghdr *ns__nl_request(struct ns__nl *nl, uint16_t type, uint16_t flags, size_t hdr_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(nl->req, 0, sizeof(nl->req)));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	mnl_nlmsg_put_extra_header(nlh, hdr_len);
	return nlh;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	int err;
	char ext[256];   /* NLMSGERR_ATTR_MSG */
};

static int on_data(const struct nlmsghdr *nlh, void *p)
{
	struct talk *t = p;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static int on_ext_attr(const struct nlattr *attr, void *p)
{
	struct talk *t = p;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(t->ext, sizeof(t->ext), "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int on_error(const struct nlmsghdr *nlh, void *p)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk *t = p;
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		t->err = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;   /* the acknowledgement */
	t->err = e->error < 0 ? -e->error : e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* the attributes follow our request's copy, unless NETLINK_CAP_ACK left it out */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off < mnl_nlmsg_get_payload_len(nlh))
			mnl_attr_parse(nlh, (unsigned)off, on_ext_attr, t);
	}
	return MNL_CB_ERROR;
}

int ns__nl_talk(struct ns__nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what_fmt, ...)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = on_error };
	struct talk t = { .cb = cb, .data = data };
	const char *step = NULL;
	char what[128];
	va_list ap;
	ssize_t n;
	int r = MNL_CB_ERROR;

	do
		n = send(nl->fd, req, req->nlmsg_len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		t.err = errno;
		step = ": sending the netlink request";
	}
	while (!step) {
		n = recv(nl->fd, nl->rx, sizeof(nl->rx), 0);
		if (n < 0 && errno != EINTR) {
			t.err = errno;
			step = ": reading the kernel's answer";
			break;
		}
		/* portid 0: the socket is ours alone and autobound, the sequence number is the check */
		r = n < 0 ? MNL_CB_OK : mnl_cb_run2(nl->rx, (size_t)n, req->nlmsg_seq, 0, on_data, &t, ctl,
						    NLMSG_MIN_TYPE);
		if (r <= MNL_CB_STOP)
			break;
	}
	if (!step && r == MNL_CB_STOP)
		return 0;
	if (!t.err)
		t.err = errno ? errno : EPROTO;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof(what), what_fmt, ap);
	va_end(ap);
	if (t.ext[0])
		return ns__fail(t.err, "%s: %s: the kernel says \"%s\"", nl->fn, what, t.ext);
	return ns__fail(t.err, "%s: %s%s", nl->fn, what, step ? step : "");
}

static int on_link(const struct nlmsghdr *nlh, void *p)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK && mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifi))
		*(int *)p = ifi->ifi_index;
	return MNL_CB_OK;
}

int ns__nl_link_index(struct ns__nl *nl, const char *ifname)
{
	struct nlmsghdr *nlh = ns__nl_request(nl, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
	int index = 0, r;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	r = ns__nl_talk(nl, nlh, on_link, &index, "look up interface \"%s\"", ifname);
	if (r == -ENODEV)
		return ns__fail(ENODEV, "%s: no interface \"%s\" in that network namespace", nl->fn, ifname);
	if (r < 0)
		return r;
	if (index <= 0)
		return ns__fail(EPROTO, "%s: look up interface \"%s\": the kernel acknowledged without describing it",
				nl->fn, ifname);
	return index;
}
