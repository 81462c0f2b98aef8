# SPDX-License-Identifier: LGPL-2.1-or-later
"""Types, features, version: the flags and names every other module uses."""

import datetime
import enum

from . import _ffi
from ._ffi import check


class NSType(enum.IntFlag):
    """Namespace types: the kernel's CLONE_NEW* flags.  A set of types is their bitwise or."""
    MNT = 0x00020000
    CGROUP = 0x02000000
    UTS = 0x04000000
    IPC = 0x08000000
    USER = 0x10000000
    PID = 0x20000000
    NET = 0x40000000
    TIME = 0x00000080

    @classmethod
    def from_name(cls, name):
        """The type named "net", "mnt" (or "mount"), ... as /proc/PID/ns and lsns spell them."""
        return cls(type_from_name(name))

    @property
    def kernel_name(self):
        """"net" for NET; "net|uts" for a set of types."""
        return "|".join(type_name(t) for t in NSType if t & self)

    def __str__(self):
        return self.kernel_name or "0"


NSType.ALL = NSType(sum(t.value for t in NSType))


class Feature(enum.IntFlag):
    """Kernel features libns probes at run time (see features())."""
    PIDFD = 1 << 0
    PIDFD_SETNS = 1 << 1
    PIDFD_GET_NS = 1 << 2
    CLONE3 = 1 << 3
    NS_ID = 1 << 4
    NSFS_HANDLE = 1 << 5
    PID_TRANSLATE = 1 << 6
    LISTNS = 1 << 7
    TIME_NS = 1 << 8
    CLONE_INTO_CGROUP = 1 << 9
    MOUNT_API = 1 << 10
    BPF_ITER = 1 << 11

    def __str__(self):
        return "|".join(feature_name(f) for f in Feature if f & self) or "0"


Feature.ALL = Feature(sum(f.value for f in Feature))


def types_mask(value):
    """An int, NSType, a kernel name ("net") or an iterable of those, as an int mask."""
    if isinstance(value, str):
        return type_from_name(value)
    if isinstance(value, int):
        return int(value)
    mask = 0
    for v in value:
        mask |= types_mask(v)
    return mask


def timespec(value):
    """Seconds (int or float) or a timedelta as a struct timespec, None as NULL."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        ns = (value.days * 86400 + value.seconds) * 10**9 + value.microseconds * 1000
    elif isinstance(value, int):
        ns = value * 10**9
    elif isinstance(value, float):
        ns = round(value * 1e9)
    else:
        raise TypeError(f"a time offset is seconds or a timedelta, not {type(value).__name__}")
    sec, nsec = divmod(ns, 10**9)
    return _ffi.Timespec(sec, nsec)


def version():
    """The library's version string."""
    return _ffi.ns_version().decode()


def features():
    """The kernel features present here, as a Feature flag set (probed once, cached)."""
    return Feature(_ffi.ns_features())


def has_feature(feature):
    return bool(_ffi.ns_has_feature(int(feature)))


def feature_name(feature):
    name = _ffi.ns_feature_name(int(feature))
    return None if name is None else name.decode()


def type_name(type):
    """"net" for NSType.NET; None for anything that is not exactly one type."""
    name = _ffi.ns_type_name(int(type))
    return None if name is None else name.decode()


def type_from_name(name):
    return NSType(check(_ffi.ns_type_from_name(name.encode())))
