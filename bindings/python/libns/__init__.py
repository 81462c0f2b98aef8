# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python bindings for libns: Linux namespaces as file descriptors.

Standard library only (ctypes).  The shared library is found through the
environment variable LIBNS_LIBRARY (a path, used by the build tree's tests),
else through ctypes.util.find_library("ns"), else as "libns.so.0".

Every failure raises OSError(errno, message) where message is libns's own
explanation (ns_last_error()); Python turns well-known errnos into the usual
subclasses (FileNotFoundError, PermissionError, ProcessLookupError, ...).

Threads: setns() and unshare() change only the calling OS thread, and a Python
thread is an OS thread, so enter()/unshare() affect the calling Python thread
only.  The kernel refuses to move a multi-threaded process into a user or mount
namespace (EINVAL); run_in() and spawn() are the ways around that.
"""

import ctypes
import ctypes.util
import dataclasses
import datetime
import enum
import errno
import os
import pickle
import shutil
import signal
import sys

__all__ = [
    "NSType", "Feature", "HeldBy", "IdMapKind", "PidTranslate", "SpawnFlag",
    "Namespace", "NamespaceId", "NamespaceEntry", "IdMap", "IdMapRange", "Process",
    "version", "features", "has_feature", "feature_name", "type_name", "type_from_name",
    "last_error", "pidfd_open", "enter", "enter_pid", "enter_pidfd", "unshare", "run_in",
    "pid_translate", "can_enter", "set_time_offsets", "write_idmap", "write_setgroups",
    "spawn", "wait", "pin", "unpin", "netns_add", "netns_open", "netns_del",
    "list_namespaces", "IDMAP_MAX",
]

# ---------------------------------------------------------------------------
# Loading


def _library_path():
    path = os.environ.get("LIBNS_LIBRARY")
    if path:
        return path
    return ctypes.util.find_library("ns") or "libns.so.0"


_path = _library_path()
_lib = ctypes.CDLL(_path)
# ns_run_in() calls back into Python in a forked child.  Calling it through a
# PyDLL keeps the GIL held across the fork, so the child starts as the GIL's
# owner and never waits for a lock some other Python thread held at fork time.
_pylib = ctypes.PyDLL(_path)

_c_int, _c_uint, _c_char_p, _c_size_t = ctypes.c_int, ctypes.c_uint, ctypes.c_char_p, ctypes.c_size_t
_pid_t = ctypes.c_int
_uid_t = ctypes.c_uint32


class _NsId(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("dev", ctypes.c_uint64), ("ino", ctypes.c_uint64)]


IDMAP_MAX = 340


class _IdMapRange(ctypes.Structure):
    _fields_ = [("inside", ctypes.c_uint32), ("outside", ctypes.c_uint32), ("count", ctypes.c_uint32)]


class _IdMap(ctypes.Structure):
    _fields_ = [("n", ctypes.c_uint32), ("range", _IdMapRange * IDMAP_MAX)]


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _SpawnOpts(ctypes.Structure):
    _fields_ = [
        ("size", _c_size_t),
        ("new_types", _c_uint),
        ("join_pidfd", _c_int),
        ("join_types", _c_uint),
        ("flags", _c_uint),
        ("uid_map", ctypes.POINTER(_IdMap)),
        ("gid_map", ctypes.POINTER(_IdMap)),
        ("hostname", _c_char_p),
        ("root", _c_char_p),
        ("monotonic_offset", ctypes.POINTER(_Timespec)),
        ("boottime_offset", ctypes.POINTER(_Timespec)),
        ("cgroup_fd", _c_int),
    ]


class _Entry(ctypes.Structure):
    _fields_ = [
        ("type", _c_int),
        ("id", _NsId),
        ("nprocs", ctypes.c_uint32),
        ("pid", _pid_t),
        ("owner_uid", _uid_t),
        ("userns_ino", ctypes.c_uint64),
        ("parent_ino", ctypes.c_uint64),
        ("command", ctypes.c_char * 64),
        ("held_by", _c_uint),
    ]


_RunFn = ctypes.CFUNCTYPE(_c_int, ctypes.c_void_p)


def _proto(lib, name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_P = ctypes.POINTER
_ns_type_name = _proto(_lib, "ns_type_name", _c_char_p, _c_int)
_ns_type_from_name = _proto(_lib, "ns_type_from_name", _c_int, _c_char_p)
_ns_has_feature = _proto(_lib, "ns_has_feature", _c_int, _c_int)
_ns_features = _proto(_lib, "ns_features", _c_int)
_ns_feature_name = _proto(_lib, "ns_feature_name", _c_char_p, _c_int)
_ns_version = _proto(_lib, "ns_version", _c_char_p)
_ns_last_error = _proto(_lib, "ns_last_error", _c_char_p)
_ns_open = _proto(_lib, "ns_open", _c_int, _pid_t, _c_int, _c_uint)
_ns_open_pidfd = _proto(_lib, "ns_open_pidfd", _c_int, _c_int, _c_int, _c_uint)
_ns_open_path = _proto(_lib, "ns_open_path", _c_int, _c_char_p, _c_int, _c_uint)
_ns_open_by_id = _proto(_lib, "ns_open_by_id", _c_int, ctypes.c_uint64, _c_int, _c_uint)
_ns_type_of = _proto(_lib, "ns_type_of", _c_int, _c_int)
_ns_get_id = _proto(_lib, "ns_get_id", _c_int, _c_int, _P(_NsId))
_ns_equal = _proto(_lib, "ns_equal", _c_int, _c_int, _c_int)
_ns_pidfd_open = _proto(_lib, "ns_pidfd_open", _c_int, _pid_t, _c_uint)
_ns_get_parent = _proto(_lib, "ns_get_parent", _c_int, _c_int)
_ns_get_userns = _proto(_lib, "ns_get_userns", _c_int, _c_int)
_ns_get_owner_uid = _proto(_lib, "ns_get_owner_uid", _c_int, _c_int, _P(_uid_t))
_ns_pid_translate = _proto(_lib, "ns_pid_translate", _c_int, _c_int, _pid_t, _c_uint, _P(_pid_t))
_ns_enter = _proto(_lib, "ns_enter", _c_int, _c_int, _c_int)
_ns_enter_pid = _proto(_lib, "ns_enter_pid", _c_int, _pid_t, _c_uint, _c_uint, _P(_c_uint))
_ns_enter_pidfd = _proto(_lib, "ns_enter_pidfd", _c_int, _c_int, _c_uint, _c_uint, _P(_c_uint))
_ns_run_in = _proto(_pylib, "ns_run_in", _c_int, _c_int, _c_uint, _RunFn, ctypes.c_void_p, _c_uint)
_ns_unshare = _proto(_lib, "ns_unshare", _c_int, _c_uint, _c_uint)
_ns_idmap_parse = _proto(_lib, "ns_idmap_parse", _c_int, _c_char_p, _P(_IdMap))
_ns_idmap_validate = _proto(_lib, "ns_idmap_validate", _c_int, _P(_IdMap))
_ns_idmap_format = _proto(_lib, "ns_idmap_format", _c_int, _P(_IdMap), _c_char_p, _c_size_t)
_ns_idmap_add = _proto(_lib, "ns_idmap_add", _c_int, _P(_IdMap), ctypes.c_uint32, ctypes.c_uint32,
                       ctypes.c_uint32)
_ns_idmap_from_subid = _proto(_lib, "ns_idmap_from_subid", _c_int, _P(_IdMap), _c_char_p, _c_int, _c_uint)
_ns_write_idmap = _proto(_lib, "ns_write_idmap", _c_int, _pid_t, _c_int, _P(_IdMap), _c_uint)
_ns_write_setgroups = _proto(_lib, "ns_write_setgroups", _c_int, _pid_t, _c_int)
_ns_set_time_offsets = _proto(_lib, "ns_set_time_offsets", _c_int, _pid_t, _P(_Timespec), _P(_Timespec))
_ns_spawn_exec = _proto(_lib, "ns_spawn_exec", _c_int, _P(_SpawnOpts), _c_char_p, _P(_c_char_p),
                        _P(_c_char_p), _P(_c_int))
_ns_wait = _proto(_lib, "ns_wait", _c_int, _c_int, _P(_c_int))
_ns_pin = _proto(_lib, "ns_pin", _c_int, _c_int, _c_char_p, _c_uint)
_ns_unpin = _proto(_lib, "ns_unpin", _c_int, _c_char_p, _c_uint)
_ns_netns_add = _proto(_lib, "ns_netns_add", _c_int, _c_char_p, _c_int, _c_uint)
_ns_netns_open = _proto(_lib, "ns_netns_open", _c_int, _c_char_p)
_ns_netns_del = _proto(_lib, "ns_netns_del", _c_int, _c_char_p)
_ns_list_new = _proto(_lib, "ns_list_new", _c_int, _c_uint, _c_uint, _P(ctypes.c_void_p))
_ns_list_count = _proto(_lib, "ns_list_count", _c_size_t, ctypes.c_void_p)
_ns_list_get = _proto(_lib, "ns_list_get", _P(_Entry), ctypes.c_void_p, _c_size_t)
_ns_list_free = _proto(_lib, "ns_list_free", None, ctypes.c_void_p)
_ns_can_enter = _proto(_lib, "ns_can_enter", _c_int, _c_int)

# ---------------------------------------------------------------------------
# Errors and conversions


def last_error():
    """The message of this thread's most recent libns failure ("" if none)."""
    return (_ns_last_error() or b"").decode(errors="replace")


def _check(r, filename=None):
    # The message is thread-local in C; a ctypes call returns on the thread that made it, so the
    # message read here is the one this call left.
    if r < 0:
        if filename is None:
            raise OSError(-r, last_error())
        raise OSError(-r, last_error(), os.fsdecode(filename))
    return r


def _fsencode(path):
    return os.fsencode(path)


def _fd(obj):
    """An fd from an int or any object with fileno() (Namespace, Process, file, socket)."""
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise TypeError(f"expected a file descriptor or an object with fileno(), not {type(obj).__name__}")
    return fileno()


def _timespec(value):
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
    return _Timespec(sec, nsec)


def _ref(obj):
    return None if obj is None else ctypes.byref(obj)


# ---------------------------------------------------------------------------
# Enumerations


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

    def __str__(self):
        return "|".join(feature_name(f) for f in Feature if f & self) or "0"


class HeldBy(enum.IntFlag):
    """What keeps a listed namespace alive."""
    PROCESS = 0x1
    FD = 0x2
    MOUNT = 0x4

    def __str__(self):
        return "|".join(f.name.lower() for f in HeldBy if f & self) or "0"


class IdMapKind(enum.IntEnum):
    UID = 1
    GID = 2


class PidTranslate(enum.IntFlag):
    INTO_NS = 0x1   # pid as the caller sees it -> pid inside the namespace
    FROM_NS = 0x2   # pid inside the namespace -> pid as the caller sees it
    TGID = 0x4      # translate the thread-group leader instead


class SpawnFlag(enum.IntFlag):
    MAP_ROOT = 0x01
    MAP_CURRENT = 0x02
    MOUNT_PROC = 0x04
    DIE_WITH_PARENT = 0x08
    SETGROUPS_DENY = 0x10
    INTO_CGROUP = 0x20


_OPEN_FOR_CHILDREN = 0x1
_UNSHARE_MAP_ROOT = 0x1
_UNSHARE_MAP_CURRENT = 0x2
_IDMAP_USE_HELPER = 0x1


def _types(value):
    """An int, NSType, a kernel name ("net") or an iterable of those, as an int mask."""
    if isinstance(value, str):
        return type_from_name(value)
    if isinstance(value, int):
        return int(value)
    mask = 0
    for v in value:
        mask |= _types(v)
    return mask


# ---------------------------------------------------------------------------
# Library-wide queries


def version():
    """The library's version string."""
    return _ns_version().decode()


def features():
    """The kernel features present here, as a Feature flag set (probed once, cached)."""
    return Feature(_ns_features())


def has_feature(feature):
    return bool(_ns_has_feature(int(feature)))


def feature_name(feature):
    name = _ns_feature_name(int(feature))
    return None if name is None else name.decode()


def type_name(type):
    """"net" for NSType.NET; None for anything that is not exactly one type."""
    name = _ns_type_name(int(type))
    return None if name is None else name.decode()


def type_from_name(name):
    return NSType(_check(_ns_type_from_name(name.encode())))


# ---------------------------------------------------------------------------
# Namespaces


@dataclasses.dataclass(frozen=True)
class NamespaceId:
    """A namespace's identity: the kernel's 64-bit id (0 without NS_GET_ID) and the nsfs inode."""
    id: int
    dev: int
    ino: int


class Namespace:
    """A namespace held by an nsfs file descriptor, which this object owns and closes.

    Namespace(fd) adopts fd (it is checked to be a namespace first).  Use it as a
    context manager, or call close(); the fd is also closed when the object is
    garbage-collected.
    """

    __slots__ = ("_fd",)

    def __init__(self, fd):
        self._fd = -1
        _check(_ns_type_of(fd))
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
        return cls._adopt(_check(_ns_open(pid, _types(type), flags)))

    @classmethod
    def current(cls, type):
        """This process's namespace of `type`."""
        return cls.open(0, type)

    @classmethod
    def from_pidfd(cls, pidfd, type, *, for_children=False):
        """The namespace of the process held by pidfd (an int, os.pidfd_open()'s, or a Process)."""
        flags = _OPEN_FOR_CHILDREN if for_children else 0
        return cls._adopt(_check(_ns_open_pidfd(_fd(pidfd), _types(type), flags)))

    @classmethod
    def from_path(cls, path, type=0):
        """A namespace file (/proc/PID/ns/net, a pin, /run/netns/NAME); type 0 accepts any type."""
        return cls._adopt(_check(_ns_open_path(_fsencode(path), _types(type), 0), path))

    @classmethod
    def from_id(cls, ns_id, type=0):
        """The namespace with the kernel's 64-bit id (Linux 6.18; OSError(EOPNOTSUPP) before)."""
        if isinstance(ns_id, NamespaceId):
            ns_id = ns_id.id
        return cls._adopt(_check(_ns_open_by_id(ns_id, _types(type), 0)))

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
            self.close()

    # -- identity

    @property
    def type(self):
        return NSType(_check(_ns_type_of(self.fileno())))

    @property
    def name(self):
        """The type's kernel name: "net", "mnt", ..."""
        return type_name(self.type)

    @property
    def id(self):
        out = _NsId()
        _check(_ns_get_id(self.fileno(), ctypes.byref(out)))
        return NamespaceId(out.id, out.dev, out.ino)

    @property
    def inode(self):
        return self.id.ino

    def __eq__(self, other):
        if not isinstance(other, Namespace):
            return NotImplemented
        return bool(_check(_ns_equal(self.fileno(), other.fileno())))

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
        return Namespace._adopt(_check(_ns_get_parent(self.fileno())))

    def userns(self):
        """The user namespace that owns this namespace."""
        return Namespace._adopt(_check(_ns_get_userns(self.fileno())))

    @property
    def owner_uid(self):
        """The uid (as this process sees it) that created this user namespace."""
        uid = _uid_t()
        _check(_ns_get_owner_uid(self.fileno(), ctypes.byref(uid)))
        return uid.value

    def translate_pid(self, pid, direction=PidTranslate.INTO_NS):
        """pid_translate(self, pid, direction) for a pid namespace."""
        return pid_translate(self, pid, direction)

    # -- actions

    def enter(self):
        """Move the calling thread into this namespace (setns)."""
        enter(self)

    def can_enter(self):
        return can_enter(self)

    def pin(self, path):
        pin(self, path)


def pidfd_open(pid=0):
    """A pidfd (int, O_CLOEXEC, the caller closes it) for pid (0: this process)."""
    return _check(_ns_pidfd_open(pid, 0))


def pid_translate(pidns, pid, direction=PidTranslate.INTO_NS):
    """Translate pid into (INTO_NS) or out of (FROM_NS) the pid namespace pidns; or in TGID."""
    out = _pid_t()
    _check(_ns_pid_translate(_fd(pidns), pid, int(direction), ctypes.byref(out)))
    return out.value


def can_enter(ns):
    """True if this thread may setns() into ns; when False, last_error() says why."""
    return bool(_check(_ns_can_enter(_fd(ns))))


# ---------------------------------------------------------------------------
# Entering and creating


def enter(ns, type=0):
    """Move the calling thread into ns (a Namespace or an nsfd); type 0 accepts any type."""
    _check(_ns_enter(_fd(ns), _types(type)))


def enter_pid(pid, types=NSType.ALL, flags=0):
    """Join the namespaces `types` of process pid; returns the types actually entered."""
    joined = _c_uint()
    _check(_ns_enter_pid(pid, _types(types), flags, ctypes.byref(joined)))
    return NSType(joined.value)


def enter_pidfd(pidfd, types=NSType.ALL, flags=0):
    """Join the namespaces `types` of the process held by pidfd; returns the types entered."""
    joined = _c_uint()
    _check(_ns_enter_pidfd(_fd(pidfd), _types(types), flags, ctypes.byref(joined)))
    return NSType(joined.value)


def unshare(types, *, map_root=False, map_current=False):
    """Move the calling thread into new namespaces of `types`.  With NSType.USER, map_root maps
    the caller's uid/gid to 0 inside and map_current maps them to themselves."""
    flags = (_UNSHARE_MAP_ROOT if map_root else 0) | (_UNSHARE_MAP_CURRENT if map_current else 0)
    _check(_ns_unshare(_types(types), flags))


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def run_in(pidfd, types, fn, *args, **kwargs):
    """Run fn(*args, **kwargs) in a child process that joined the namespaces `types` of the
    process held by pidfd, and return what fn returned (or raise what it raised).

    The child is forked by ns_run_in() and calls back into Python; the result travels back
    pickled through a memfd, so it must be picklable.  The calling thread keeps the GIL while
    the child runs (other Python threads pause).  As after any fork of a threaded program, the
    child must not need a lock another thread held at the fork (logging, I/O buffers): keep fn
    to plain work (os.*, reading /proc, sockets) and avoid threads inside it.
    """
    result_fd = os.memfd_create("libns-run-in", os.MFD_CLOEXEC)
    try:
        # Output still buffered here would be written twice, once by each process.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, ValueError, OSError):
                pass

        def child(_arg):
            try:
                try:
                    outcome = (True, fn(*args, **kwargs))
                except Exception as e:
                    outcome = (False, e)
                except BaseException as e:
                    outcome = (False, ChildProcessError(f"run_in: fn ended with {e!r}"))
                try:
                    data = pickle.dumps(outcome)
                except Exception as e:
                    data = pickle.dumps((False, TypeError(f"run_in: cannot return the result: {e}")))
                _write_all(result_fd, data)
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                return 0
            except BaseException:
                return 1

        callback = _RunFn(child)
        r = _ns_run_in(_fd(pidfd), _types(types), callback, None, 0)
        _check(r)
        os.lseek(result_fd, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(result_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        if not chunks:
            raise ChildProcessError(f"run_in: the child returned {r} without a result")
        ok, value = pickle.loads(b"".join(chunks))
        if not ok:
            raise value
        return value
    finally:
        os.close(result_fd)


# ---------------------------------------------------------------------------
# Id maps


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
        """Parse uid_map text: one "inside outside count" per line."""
        c = _IdMap()
        if isinstance(text, str):
            text = text.encode()
        _check(_ns_idmap_parse(text, ctypes.byref(c)))
        return cls._from_c(c)

    @classmethod
    def from_subid(cls, user, kind=IdMapKind.UID):
        """The subordinate ranges of user (a name or uid) in /etc/subuid or /etc/subgid."""
        c = _IdMap()
        _check(_ns_idmap_from_subid(ctypes.byref(c), str(user).encode(), int(kind), 0))
        return cls._from_c(c)

    @classmethod
    def _from_c(cls, c):
        m = cls()
        m.ranges = [IdMapRange(c.range[i].inside, c.range[i].outside, c.range[i].count) for i in range(c.n)]
        return m

    def _to_c(self):
        if len(self.ranges) > IDMAP_MAX:
            raise OSError(errno.E2BIG, f"an id map holds at most {IDMAP_MAX} ranges")
        c = _IdMap()
        c.n = len(self.ranges)
        for i, r in enumerate(self.ranges):
            c.range[i] = _IdMapRange(r.inside, r.outside, r.count)
        return c

    def add(self, inside, outside, count):
        """Append a range (libns checks it against the ranges already there)."""
        c = self._to_c()
        _check(_ns_idmap_add(ctypes.byref(c), inside, outside, count))
        self.ranges = IdMap._from_c(c).ranges
        return self

    def validate(self):
        """Raise OSError (EINVAL, ERANGE) if the kernel would refuse this map."""
        c = self._to_c()
        _check(_ns_idmap_validate(ctypes.byref(c)))

    def format(self):
        c = self._to_c()
        need = _check(_ns_idmap_format(ctypes.byref(c), None, 0))
        buf = ctypes.create_string_buffer(need + 1)
        _check(_ns_idmap_format(ctypes.byref(c), buf, need + 1))
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


def _idmap(value):
    if value is None or isinstance(value, IdMap):
        return value
    if isinstance(value, (str, bytes)):
        return IdMap.parse(value)
    return IdMap(value)


def write_idmap(pid, kind, idmap, *, use_helper=False):
    """Write /proc/PID/uid_map (kind UID) or gid_map (GID); use_helper goes through
    newuidmap/newgidmap, as an unprivileged user must for more than its own id."""
    c = _idmap(idmap)._to_c()
    _check(_ns_write_idmap(pid, int(kind), ctypes.byref(c), _IDMAP_USE_HELPER if use_helper else 0))


def write_setgroups(pid, allow):
    """Write "allow" or "deny" to /proc/PID/setgroups (deny before an unprivileged gid_map)."""
    _check(_ns_write_setgroups(pid, 1 if allow else 0))


def set_time_offsets(pid, monotonic=None, boottime=None):
    """Set the CLOCK_MONOTONIC / CLOCK_BOOTTIME offsets (seconds or timedelta; None leaves one
    alone) of the new time namespace of pid, before any process has entered it."""
    _check(_ns_set_time_offsets(pid, _ref(_timespec(monotonic)), _ref(_timespec(boottime))))


# ---------------------------------------------------------------------------
# Spawning


def wait(pidfd):
    """Wait for the child held by pidfd to exit; its status as os.waitpid() gives it."""
    status = _c_int()
    _check(_ns_wait(_fd(pidfd), ctypes.byref(status)))
    return status.value


class Process:
    """A child started by spawn(): its pid and a pidfd the object owns.

    pidfd is -1 on kernels without pidfd_open() (before Linux 5.3); the pid is then used.
    """

    def __init__(self, pid, pidfd, args):
        self.pid = pid
        self.pidfd = pidfd
        self.args = args
        self.returncode = None
        self._closed = False

    def fileno(self):
        if self._closed or self.pidfd < 0:
            raise ValueError("the Process has no open pidfd")
        return self.pidfd

    def wait(self):
        """Wait for the child; its exit code, or -N if signal N killed it (as subprocess)."""
        if self.returncode is None:
            if self._closed:
                raise ValueError("wait on a closed Process")
            if self.pidfd >= 0:
                status = wait(self.pidfd)
            else:
                status = os.waitpid(self.pid, 0)[1]
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, sig):
        if self.returncode is not None or self._closed:
            return
        if self.pidfd >= 0:
            signal.pidfd_send_signal(self.pidfd, sig)
        else:
            os.kill(self.pid, sig)  # not yet reaped, so the pid is still the child's

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def namespace(self, type):
        """The child's namespace of `type`."""
        if self.pidfd >= 0:
            return Namespace.from_pidfd(self.pidfd, type)
        return Namespace.open(self.pid, type)

    def close(self):
        """Close the pidfd (neither waits for nor kills the child)."""
        fd, self.pidfd, self._closed = self.pidfd, -1, True
        if fd >= 0:
            os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # As subprocess.Popen: leaving the block waits for the child.
        try:
            if not self._closed:
                self.wait()
        finally:
            self.close()

    def __del__(self):
        if getattr(self, "pidfd", -1) >= 0:
            self.close()

    def __repr__(self):
        return f"<libns.Process pid={self.pid} returncode={self.returncode}>"


def _cstrings(items):
    arr = (_c_char_p * (len(items) + 1))()
    for i, s in enumerate(items):
        arr[i] = os.fsencode(s)
    arr[len(items)] = None
    return arr


def spawn(args, *, executable=None, env=None, new_types=0, join=None, join_types=0,
          map_root=False, map_current=False, mount_proc=False, die_with_parent=False,
          setgroups_deny=False, uid_map=None, gid_map=None, hostname=None, root=None,
          monotonic_offset=None, boottime_offset=None, cgroup=None, flags=0):
    """Start `args` (a list; args[0] looked up in PATH unless executable is given) in new
    namespaces (`new_types`) and/or those of the process held by `join` (a pidfd, `join_types`).

    The parent writes uid_map/gid_map (IdMap, text or ranges) and the time offsets while the
    child waits; `hostname`, `root` (pivot_root) and mount_proc apply in the child before exec.
    `cgroup` is an fd of a cgroup v2 directory the child starts in.  Returns a Process.

    Only the exec form of ns_spawn() is bound: a Python function cannot safely run in a child
    cloned into new namespaces before exec (use run_in() to run Python in existing ones).
    """
    args = list(args)
    if not args:
        raise ValueError("spawn: args is empty")
    path = executable if executable is not None else args[0]
    if os.sep not in os.fsdecode(path):
        found = shutil.which(os.fsdecode(path))
        if found is None:
            raise FileNotFoundError(errno.ENOENT, f"spawn: {os.fsdecode(path)!r} not found in PATH", os.fsdecode(path))
        path = found
    if env is None:
        env = os.environb
    envp = _cstrings([os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items()])
    argv = _cstrings(args)

    flags = int(flags)
    flags |= SpawnFlag.MAP_ROOT if map_root else 0
    flags |= SpawnFlag.MAP_CURRENT if map_current else 0
    flags |= SpawnFlag.MOUNT_PROC if mount_proc else 0
    flags |= SpawnFlag.DIE_WITH_PARENT if die_with_parent else 0
    flags |= SpawnFlag.SETGROUPS_DENY if setgroups_deny else 0

    opts = _SpawnOpts()
    opts.size = ctypes.sizeof(_SpawnOpts)
    opts.new_types = _types(new_types)
    opts.join_types = _types(join_types)
    opts.join_pidfd = _fd(join) if join is not None else -1
    if opts.join_types and join is None:
        raise ValueError("spawn: join_types needs join (a pidfd)")
    keep = []  # what opts points to must outlive the call
    umap, gmap = _idmap(uid_map), _idmap(gid_map)
    if umap is not None:
        keep.append(umap._to_c())
        opts.uid_map = ctypes.pointer(keep[-1])
    if gmap is not None:
        keep.append(gmap._to_c())
        opts.gid_map = ctypes.pointer(keep[-1])
    opts.hostname = None if hostname is None else hostname.encode()
    opts.root = None if root is None else os.fsencode(root)
    for field, value in (("monotonic_offset", monotonic_offset), ("boottime_offset", boottime_offset)):
        ts = _timespec(value)
        if ts is not None:
            keep.append(ts)
            setattr(opts, field, ctypes.pointer(ts))
    opts.cgroup_fd = -1
    if cgroup is not None:
        opts.cgroup_fd = _fd(cgroup)
        flags |= SpawnFlag.INTO_CGROUP
    opts.flags = flags

    pidfd = _c_int(-1)
    pid = _check(_ns_spawn_exec(ctypes.byref(opts), os.fsencode(path), argv, envp, ctypes.byref(pidfd)))
    return Process(pid, pidfd.value, args)


# ---------------------------------------------------------------------------
# Pins and named network namespaces


def pin(ns, path):
    """Keep ns alive at path (created, never overwritten) by a bind mount."""
    _check(_ns_pin(_fd(ns), _fsencode(path), 0), path)


def unpin(path):
    """Undo pin(): unmount and remove path (OSError EINVAL if it is not a pin)."""
    _check(_ns_unpin(_fsencode(path), 0), path)


def netns_add(name, ns=None):
    """/run/netns/NAME as `ip netns add` makes it: for ns, or a new network namespace if None."""
    _check(_ns_netns_add(name.encode(), -1 if ns is None else _fd(ns), 0))


def netns_open(name):
    """The named network namespace /run/netns/NAME."""
    return Namespace._adopt(_check(_ns_netns_open(name.encode())))


def netns_del(name):
    """Remove /run/netns/NAME as `ip netns del` does."""
    _check(_ns_netns_del(name.encode()))


# ---------------------------------------------------------------------------
# Listing


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
    """Every namespace of `types` on the system (those held by processes, fds and mounts)."""
    handle = ctypes.c_void_p()
    _check(_ns_list_new(_types(types), flags, ctypes.byref(handle)))
    try:
        out = []
        for i in range(_ns_list_count(handle)):
            e = _ns_list_get(handle, i).contents
            out.append(NamespaceEntry(
                type=NSType(e.type),
                id=NamespaceId(e.id.id, e.id.dev, e.id.ino),
                nprocs=e.nprocs, pid=e.pid, owner_uid=e.owner_uid,
                userns_ino=e.userns_ino, parent_ino=e.parent_ino,
                command=e.command.decode(errors="replace"),
                held_by=HeldBy(e.held_by)))
        return out
    finally:
        _ns_list_free(handle)
