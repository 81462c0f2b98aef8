# SPDX-License-Identifier: LGPL-2.1-or-later
"""uid_map / gid_map: parsing, validating, formatting, subordinate ids, writing."""

import ctypes
import dataclasses
import enum
import errno

from . import _ffi
from ._ffi import IDMAP_MAX, check

_IDMAP_USE_HELPER = 0x1
_IDMAP_SUBID_ONLY = 0x2


class IdMapKind(enum.IntEnum):
    UID = 1
    GID = 2


@dataclasses.dataclass(frozen=True)
class IdMapRange:
    """One uid_map/gid_map line: `count` ids from `inside` map to ids from `outside`."""
    inside: int
    outside: int
    count: int


class IdMap:
    """A uid_map or gid_map: a list of IdMapRange, parsed, validated and formatted by libns."""

    def __init__(self, ranges=()):
        self.ranges = []
        for r in ranges:
            if isinstance(r, IdMapRange):
                r = (r.inside, r.outside, r.count)
            self.add(*r)

    @classmethod
    def parse(cls, text):
        """Parse uid_map text: one "inside outside count" per line.  bytes (as read from a file)
        are parsed by their length: a NUL byte in them is an error, not the end of the text."""
        c = _ffi.IdMap()
        if isinstance(text, str):
            check(_ffi.ns_idmap_parse(text.encode(), ctypes.byref(c)))
        else:
            text = bytes(text)
            check(_ffi.ns_idmap_parse_buf(text, len(text), ctypes.byref(c)))
        return cls._from_c(c)

    @classmethod
    def from_subid(cls, user=None, kind=IdMapKind.UID, *, subid_only=False):
        """The usual map for a user namespace from the subordinate ranges of user (a name or uid;
        None: the calling user) in /etc/subuid or /etc/subgid: the user's own id maps to 0 and the
        ranges follow from 1, or with subid_only only the ranges, from 0."""
        c = _ffi.IdMap()
        name = None if user is None else str(user).encode()
        check(_ffi.ns_idmap_from_subid(ctypes.byref(c), name, int(kind), _IDMAP_SUBID_ONLY if subid_only else 0))
        return cls._from_c(c)

    @classmethod
    def _from_c(cls, c):
        m = cls()
        m.ranges = [IdMapRange(c.range[i].inside, c.range[i].outside, c.range[i].count) for i in range(c.n)]
        return m

    def _to_c(self):
        if len(self.ranges) > IDMAP_MAX:
            raise OSError(errno.E2BIG, f"an id map holds at most {IDMAP_MAX} ranges")
        c = _ffi.IdMap()
        c.n = len(self.ranges)
        for i, r in enumerate(self.ranges):
            c.range[i] = _ffi.IdMapRange(r.inside, r.outside, r.count)
        return c

    def add(self, inside, outside, count):
        """Append a range (libns checks it against the ranges already there)."""
        c = self._to_c()
        check(_ffi.ns_idmap_add(ctypes.byref(c), inside, outside, count))
        self.ranges = IdMap._from_c(c).ranges
        return self

    def validate(self):
        """Raise OSError (EINVAL, ERANGE) if the kernel would refuse this map."""
        c = self._to_c()
        check(_ffi.ns_idmap_validate(ctypes.byref(c)))

    def format(self):
        c = self._to_c()
        need = check(_ffi.ns_idmap_format(ctypes.byref(c), None, 0))
        buf = ctypes.create_string_buffer(need + 1)
        check(_ffi.ns_idmap_format(ctypes.byref(c), buf, need + 1))
        return buf.value.decode()

    def write(self, pid, kind, *, use_helper=False):
        write_idmap(pid, kind, self, use_helper=use_helper)

    def __str__(self):
        return self.format()

    def __repr__(self):
        return f"IdMap({self.ranges!r})"

    def __eq__(self, other):
        if not isinstance(other, IdMap):
            return NotImplemented
        return self.ranges == other.ranges

    def __len__(self):
        return len(self.ranges)

    def __iter__(self):
        return iter(self.ranges)


def to_idmap(value):
    """An IdMap from an IdMap, uid_map text or (inside, outside, count) ranges; None stays None."""
    if value is None or isinstance(value, IdMap):
        return value
    if isinstance(value, (str, bytes)):
        return IdMap.parse(value)
    return IdMap(value)


def write_idmap(pid, kind, idmap, *, use_helper=False):
    """Write /proc/PID/uid_map (kind UID) or gid_map (GID); use_helper goes through
    newuidmap/newgidmap, as an unprivileged user must for more than its own id."""
    c = to_idmap(idmap)._to_c()
    check(_ffi.ns_write_idmap(pid, int(kind), ctypes.byref(c), _IDMAP_USE_HELPER if use_helper else 0))


def write_setgroups(pid, allow):
    """Write "allow" or "deny" to /proc/PID/setgroups (deny before an unprivileged gid_map)."""
    check(_ffi.ns_write_setgroups(pid, 1 if allow else 0))
