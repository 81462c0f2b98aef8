# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python bindings for libns: Linux namespaces as file descriptors.

Standard library only (ctypes).  The shared library is the one in $LIBNS_LIBRARY if that is
set, else libns.so.0 in the libdir `meson install` recorded, else libns.so.0 wherever the dynamic
loader finds it; ImportError names the soname and LIBNS_LIBRARY when none loads.

Every failure raises OSError(errno, message) where message is libns's own
explanation (ns_last_error()); Python turns well-known errnos into the usual
subclasses (FileNotFoundError, PermissionError, ProcessLookupError, ...).

Threads: setns() and unshare() change only the calling OS thread, and a Python
thread is an OS thread, so enter()/unshare() affect the calling Python thread
only.  The kernel refuses to move a multi-threaded process into a user or mount
namespace (EINVAL); run_in() and spawn() are the ways around that.

The modules, one per area of the C API: core (types, features, version), namespace (handles,
hierarchy), enter (enter, unshare, run_in), idmap, spawn (and time offsets), pin (and /run/netns),
net (sockets inside a network namespace, links, veth pairs, addresses), listing; _ffi holds the C structs and prototypes.
"""

from ._ffi import IDMAP_MAX, last_error
from .core import NSType, Feature, features, has_feature, feature_name, type_name, type_from_name, version
from .namespace import Namespace, NamespaceId, PidTranslate, pidfd_open, pid_translate, can_enter
from .enter import enter, enter_pid, enter_pidfd, unshare, run_in
from .idmap import IdMap, IdMapRange, IdMapKind, write_idmap, write_setgroups
from .spawn import Process, SpawnFlag, spawn, wait, set_time_offsets
from .pin import pin, unpin, netns_add, netns_open, netns_del, netns_list
from .net import socket_in, link_index, link_up, link_del, link_move, veth_add, addr_add
from .listing import HeldBy, ListFlag, NamespaceEntry, list_namespaces

__all__ = [
    "NSType", "Feature", "HeldBy", "IdMapKind", "PidTranslate", "SpawnFlag", "ListFlag",
    "Namespace", "NamespaceId", "NamespaceEntry", "IdMap", "IdMapRange", "Process",
    "version", "features", "has_feature", "feature_name", "type_name", "type_from_name",
    "last_error", "pidfd_open", "enter", "enter_pid", "enter_pidfd", "unshare", "run_in",
    "pid_translate", "can_enter", "set_time_offsets", "write_idmap", "write_setgroups",
    "spawn", "wait", "pin", "unpin", "netns_add", "netns_open", "netns_del", "netns_list",
    "socket_in", "link_index", "link_up", "link_del", "link_move", "veth_add", "addr_add",
    "list_namespaces", "IDMAP_MAX",
]
