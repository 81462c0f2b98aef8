# SPDX-License-Identifier: LGPL-2.1-or-later
"""Network namespaces from the outside: sockets made inside one, and links, veth pairs and addresses
over rtnetlink (net.h). No thread of the caller changes namespace.

`ns` is a Namespace, an nsfd, or None for the calling thread's own network namespace."""

import os
import socket

from . import _ffi
from ._ffi import check, fd_of


def _fd(ns):
    return -1 if ns is None else fd_of(ns)


def _name(ifname):
    return os.fsencode(ifname)


def socket_in(ns, family=socket.AF_INET, type=socket.SOCK_STREAM, proto=0):
    """A socket.socket made inside the network namespace ns: it binds, connects and listens there
    for its whole life, while the caller stays where it is."""
    return socket.socket(fileno=check(_ffi.ns_socket(_fd(ns), int(family), int(type), proto)))


def link_index(ns, ifname):
    """The index of interface ifname in ns (OSError ENODEV if there is none)."""
    return check(_ffi.ns_net_link_index(_fd(ns), _name(ifname)))


def link_up(ns, ifname):
    """Set interface ifname up in ns ("lo" included), as `ip link set IFNAME up`."""
    check(_ffi.ns_net_link_up(_fd(ns), _name(ifname)))


def link_del(ns, ifname):
    """Delete interface ifname in ns (both ends of a veth pair)."""
    check(_ffi.ns_net_link_del(_fd(ns), _name(ifname)))


def link_move(ns, ifname, to):
    """Move interface ifname from ns to the network namespace `to` (None: the caller's)."""
    check(_ffi.ns_net_link_move(_fd(ns), _name(ifname), _fd(to)))


def veth_add(ns, name, peer_ns, peer):
    """A veth pair: `name` in ns and `peer` in peer_ns, each end made in its namespace; a failure
    leaves nothing (OSError EEXIST when a name is taken)."""
    check(_ffi.ns_net_veth_add(_fd(ns), _name(name), _fd(peer_ns), _name(peer)))


def addr_add(ns, ifname, cidr):
    """Add the address cidr ("10.0.0.1/24", "fd00::1/64") to interface ifname in ns."""
    check(_ffi.ns_net_addr_add(_fd(ns), _name(ifname), cidr.encode()))
