# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every namespace on the system, as lsns sees them and more."""

import ctypes
import dataclasses
import enum

from . import _ffi
from ._ffi import check
from .core import NSType, type_name, types_mask
from .namespace import NamespaceId


class HeldBy(enum.IntFlag):
    """What keeps a listed namespace alive."""
    PROCESS = 0x1
    FD = 0x2
    MOUNT = 0x4
    NAMESPACE = 0x8     # found only as the owning user namespace or parent of a listed one

    def __str__(self):
        return "|".join(f.name.lower() for f in HeldBy if f & self) or "0"


class ListFlag(enum.IntFlag):
    """Flags of list_namespaces()."""
    NO_FDS = 0x1      # skip the /proc/PID/fd scan (about halves the cost; fd-only namespaces missed)
    NO_MOUNTS = 0x2   # skip the mountinfo scan (bind-mounted-only namespaces missed)
    PROC_ONLY = 0x4   # never the BPF iterators: always the /proc scan
    BPF_ONLY = 0x8    # the BPF iterators or fail (EOPNOTSUPP, EPERM): never the /proc scan


@dataclasses.dataclass(frozen=True)
class NamespaceEntry:
    """One namespace on the system, as list_namespaces() reports it."""
    type: NSType
    id: NamespaceId
    nprocs: int
    pid: int            # lowest pid in it; 0 if held only by a mount or an fd
    owner_uid: int      # owner of its user namespace
    userns_ino: int     # 0 if none or not visible
    parent_ino: int     # 0 if none or not visible
    command: str        # of pid
    held_by: HeldBy

    @property
    def name(self):
        return type_name(self.type)

    @property
    def ino(self):
        return self.id.ino


def list_namespaces(types=NSType.ALL, flags=0):
    """Every namespace of `types` on the system (those held by processes, fds and mounts);
    `flags` (ListFlag) skips the slower scans."""
    handle = ctypes.c_void_p()
    check(_ffi.ns_list_new(types_mask(types), flags, ctypes.byref(handle)))
    try:
        out = []
        for i in range(_ffi.ns_list_count(handle)):
            e = _ffi.ns_list_get(handle, i).contents
            out.append(NamespaceEntry(
                type=NSType(e.type),
                id=NamespaceId(e.id.id, e.id.dev, e.id.ino),
                nprocs=e.nprocs, pid=e.pid, owner_uid=e.owner_uid,
                userns_ino=e.userns_ino, parent_ino=e.parent_ino,
                command=e.command.decode(errors="replace"),
                held_by=HeldBy(e.held_by)))
        return out
    finally:
        _ffi.ns_list_free(handle)
