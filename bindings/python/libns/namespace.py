# SPDX-License-Identifier: LGPL-2.1-or-later
"""Namespace handles: opening, identity, hierarchy, may-I-enter."""

import ctypes
import dataclasses
import enum
import os

from . import _ffi
from ._ffi import check, fd_of
from .core import NSType, type_name, types_mask

_OPEN_FOR_CHILDREN = 0x1


class PidTranslate(enum.IntFlag):
    INTO_NS = 0x1   # pid as the caller sees it -> pid inside the namespace
    FROM_NS = 0x2   # pid inside the namespace -> pid as the caller sees it
    TGID = 0x4      # translate the thread-group leader instead


@dataclasses.dataclass(frozen=True)
class NamespaceId:
    """A namespace's identity: the kernel's 64-bit id (0 without NS_GET_ID) and the nsfs inode."""
    id: int
    dev: int
    ino: int


class Namespace:
    """A namespace held by an nsfs file descriptor, which this object owns and closes.

    Namespace(fd) adopts fd (it is checked to be a namespace first).  Use it as a
    context manager, or call close(); an object garbage-collected while still open closes
    its fd and emits ResourceWarning, as files and sockets do.
    """

    __slots__ = ("_fd",)

    def __init__(self, fd):
        self._fd = -1
        check(_ffi.ns_type_of(fd))
        self._fd = fd

    @classmethod
    def _adopt(cls, fd):
        self = cls.__new__(cls)
        self._fd = fd
        return self

    @classmethod
    def open(cls, pid=0, type=NSType.NET, *, for_children=False):
        """The namespace of `type` that process `pid` is in (0: this process)."""
        flags = _OPEN_FOR_CHILDREN if for_children else 0
        return cls._adopt(check(_ffi.ns_open(pid, types_mask(type), flags)))

    @classmethod
    def current(cls, type):
        """This process's namespace of `type`."""
        return cls.open(0, type)

    @classmethod
    def from_pidfd(cls, pidfd, type, *, for_children=False):
        """The namespace of the process held by pidfd (an int, os.pidfd_open()'s, or a Process)."""
        flags = _OPEN_FOR_CHILDREN if for_children else 0
        return cls._adopt(check(_ffi.ns_open_pidfd(fd_of(pidfd), types_mask(type), flags)))

    @classmethod
    def from_path(cls, path, type=0):
        """A namespace file (/proc/PID/ns/net, a pin, /run/netns/NAME); type 0 accepts any type."""
        return cls._adopt(check(_ffi.ns_open_path(os.fsencode(path), types_mask(type), 0), path))

    @classmethod
    def from_id(cls, ns_id, type=0):
        """The namespace with the kernel's 64-bit id (Linux 6.18; OSError(EOPNOTSUPP) before)."""
        if isinstance(ns_id, NamespaceId):
            ns_id = ns_id.id
        return cls._adopt(check(_ffi.ns_open_by_id(ns_id, types_mask(type), 0)))

    # -- the fd

    def fileno(self):
        if self._fd < 0:
            raise ValueError("I/O operation on closed Namespace")
        return self._fd

    @property
    def fd(self):
        return self.fileno()

    @property
    def closed(self):
        return self._fd < 0

    def close(self):
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def detach(self):
        """Give up ownership: return the fd, which the caller must close."""
        fd = self.fileno()
        self._fd = -1
        return fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_fd", -1) >= 0:
            _ffi.close_unclosed(self)

    # -- identity

    @property
    def type(self):
        return NSType(check(_ffi.ns_type_of(self.fileno())))

    @property
    def name(self):
        """The type's kernel name: "net", "mnt", ..."""
        return type_name(self.type)

    @property
    def id(self):
        out = _ffi.NsId()
        check(_ffi.ns_get_id(self.fileno(), ctypes.byref(out)))
        return NamespaceId(out.id, out.dev, out.ino)

    @property
    def inode(self):
        return self.id.ino

    def __eq__(self, other):
        if not isinstance(other, Namespace):
            return NotImplemented
        return bool(check(_ffi.ns_equal(self.fileno(), other.fileno())))

    def __hash__(self):
        i = self.id
        return hash((i.dev, i.ino))

    def __repr__(self):
        if self._fd < 0:
            return "<Namespace closed>"
        try:
            return f"<Namespace {self.name}:[{self.inode}] fd={self._fd}>"
        except OSError:
            return f"<Namespace fd={self._fd}>"

    # -- hierarchy

    def parent(self):
        """The parent pid or user namespace (OSError EPERM past what the caller may see, EINVAL for
        the types that have no hierarchy)."""
        return Namespace._adopt(check(_ffi.ns_get_parent(self.fileno())))

    def userns(self):
        """The user namespace that owns this namespace."""
        return Namespace._adopt(check(_ffi.ns_get_userns(self.fileno())))

    @property
    def owner_uid(self):
        """The uid (as this process sees it) that created this user namespace."""
        uid = _ffi.uid_t()
        check(_ffi.ns_get_owner_uid(self.fileno(), ctypes.byref(uid)))
        return uid.value

    def translate_pid(self, pid, direction=PidTranslate.INTO_NS):
        """pid_translate(self, pid, direction) for a pid namespace."""
        return pid_translate(self, pid, direction)

    # -- actions

    def enter(self):
        """Move the calling thread into this namespace (setns)."""
        check(_ffi.ns_enter(self.fileno(), 0))

    def can_enter(self):
        return can_enter(self)

    def pin(self, path):
        """Keep this namespace alive at path (see libns.pin)."""
        check(_ffi.ns_pin(self.fileno(), os.fsencode(path), 0), path)


def pidfd_open(pid=0):
    """A pidfd (int, O_CLOEXEC, the caller closes it) for pid (0: this process)."""
    return check(_ffi.ns_pidfd_open(pid, 0))


def pid_translate(pidns, pid, direction=PidTranslate.INTO_NS):
    """Translate pid into (INTO_NS) or out of (FROM_NS) the pid namespace pidns; or in TGID."""
    out = _ffi.pid_t()
    check(_ffi.ns_pid_translate(fd_of(pidns), pid, int(direction), ctypes.byref(out)))
    return out.value


def can_enter(ns):
    """True if this thread may setns() into ns; when False, last_error() says why."""
    return bool(check(_ffi.ns_can_enter(fd_of(ns))))
