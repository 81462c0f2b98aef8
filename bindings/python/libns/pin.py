# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pins (a namespace kept alive by a bind mount) and named network namespaces (/run/netns)."""

import ctypes
import os

from . import _ffi
from ._ffi import check, fd_of
from .namespace import Namespace


def pin(ns, path):
    """Keep ns alive at path (created, never overwritten) by a bind mount."""
    check(_ffi.ns_pin(fd_of(ns), os.fsencode(path), 0), path)


def unpin(path):
    """Undo pin(): unmount and remove path (OSError EINVAL if it is not a pin)."""
    check(_ffi.ns_unpin(os.fsencode(path), 0), path)


def netns_add(name, ns=None):
    """/run/netns/NAME as `ip netns add` makes it: for ns, or a new network namespace if None."""
    check(_ffi.ns_netns_add(name.encode(), -1 if ns is None else fd_of(ns), 0))


def netns_open(name):
    """The named network namespace /run/netns/NAME."""
    return Namespace._adopt(check(_ffi.ns_netns_open(name.encode())))


def netns_del(name):
    """Remove /run/netns/NAME as `ip netns del` does."""
    check(_ffi.ns_netns_del(name.encode()))


def netns_list():
    """The names in /run/netns, sorted, as `ip netns list` shows them."""
    names = ctypes.POINTER(ctypes.c_char_p)()
    n = check(_ffi.ns_netns_list(ctypes.byref(names)))
    try:
        return [os.fsdecode(names[i]) for i in range(n)]
    finally:
        _ffi.ns_netns_list_free(names)
