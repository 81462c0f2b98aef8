# SPDX-License-Identifier: LGPL-2.1-or-later
"""The C side: loading libns.so.0, the C structs, the function prototypes, errors.

Loading order: the path in $LIBNS_LIBRARY if set (and nothing else then); else the libdir that
`meson install` recorded in _config.py; else the soname libns.so.0 through the dynamic loader.
When none loads, ImportError says what was tried and how to fix it.
"""

import ctypes
import os
import warnings

from . import _config

SONAME = "libns.so.0"


def _candidates():
    explicit = os.environ.get("LIBNS_LIBRARY")
    if explicit:
        return [explicit]
    paths = []
    if _config.LIBDIR:
        paths.append(os.path.join(_config.LIBDIR, SONAME))
    paths.append(SONAME)
    return paths


def _load():
    tried = []
    for path in _candidates():
        try:
            # ns_run_in() calls back into Python in a forked child.  Calling it through a PyDLL
            # keeps the GIL held across the fork, so the child starts as the GIL's owner and never
            # waits for a lock some other Python thread held at fork time.
            return path, ctypes.CDLL(path), ctypes.PyDLL(path)
        except OSError as e:
            tried.append(str(e))
    raise ImportError(
        f"libns: cannot load the C library {SONAME} ({'; '.join(tried)}): install libns where the "
        f"dynamic loader finds it (meson install, then ldconfig), or set LIBNS_LIBRARY to the path "
        f"of {SONAME}", name="libns")


path, lib, pylib = _load()

c_int, c_uint, c_char_p, c_size_t = ctypes.c_int, ctypes.c_uint, ctypes.c_char_p, ctypes.c_size_t
pid_t = ctypes.c_int
uid_t = ctypes.c_uint32
P = ctypes.POINTER

IDMAP_MAX = 340


class NsId(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint64), ("dev", ctypes.c_uint64), ("ino", ctypes.c_uint64)]


class IdMapRange(ctypes.Structure):
    _fields_ = [("inside", ctypes.c_uint32), ("outside", ctypes.c_uint32), ("count", ctypes.c_uint32)]


class IdMap(ctypes.Structure):
    _fields_ = [("n", ctypes.c_uint32), ("range", IdMapRange * IDMAP_MAX)]


class Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class SpawnOpts(ctypes.Structure):
    _fields_ = [
        ("size", c_size_t),
        ("new_types", c_uint),
        ("join_pidfd", c_int),
        ("join_types", c_uint),
        ("flags", c_uint),
        ("uid_map", P(IdMap)),
        ("gid_map", P(IdMap)),
        ("hostname", c_char_p),
        ("root", c_char_p),
        ("monotonic_offset", P(Timespec)),
        ("boottime_offset", P(Timespec)),
        ("cgroup_fd", c_int),
        ("keep_caps", ctypes.c_uint64),
    ]


class Entry(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("id", NsId),
        ("nprocs", ctypes.c_uint32),
        ("pid", pid_t),
        ("owner_uid", uid_t),
        ("userns_ino", ctypes.c_uint64),
        ("parent_ino", ctypes.c_uint64),
        ("command", ctypes.c_char * 64),
        ("held_by", c_uint),
    ]


# The C structs by their C names, for the layout test (tests/test_layout.py compiles a probe
# against the headers and compares every size and offset with layout()).
STRUCTS = {"ns_id": NsId, "ns_idmap_range": IdMapRange, "ns_idmap": IdMap, "ns_spawn_opts": SpawnOpts,
           "ns_entry": Entry}


def layout():
    """{C struct name: (sizeof, {field: offsetof})} as ctypes lays the structs out."""
    return {name: (ctypes.sizeof(cls), {f[0]: getattr(cls, f[0]).offset for f in cls._fields_})
            for name, cls in STRUCTS.items()}


RunFn = ctypes.CFUNCTYPE(c_int, ctypes.c_void_p)


def _proto(name, restype, *argtypes, handle=None):
    f = getattr(handle or lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


ns_type_name = _proto("ns_type_name", c_char_p, c_int)
ns_type_from_name = _proto("ns_type_from_name", c_int, c_char_p)
ns_has_feature = _proto("ns_has_feature", c_int, c_int)
ns_features = _proto("ns_features", c_int)
ns_feature_name = _proto("ns_feature_name", c_char_p, c_int)
ns_version = _proto("ns_version", c_char_p)
ns_last_error = _proto("ns_last_error", c_char_p)
ns_open = _proto("ns_open", c_int, pid_t, c_int, c_uint)
ns_open_pidfd = _proto("ns_open_pidfd", c_int, c_int, c_int, c_uint)
ns_open_path = _proto("ns_open_path", c_int, c_char_p, c_int, c_uint)
ns_open_by_id = _proto("ns_open_by_id", c_int, ctypes.c_uint64, c_int, c_uint)
ns_type_of = _proto("ns_type_of", c_int, c_int)
ns_get_id = _proto("ns_get_id", c_int, c_int, P(NsId))
ns_equal = _proto("ns_equal", c_int, c_int, c_int)
ns_pidfd_open = _proto("ns_pidfd_open", c_int, pid_t, c_uint)
ns_get_parent = _proto("ns_get_parent", c_int, c_int)
ns_get_userns = _proto("ns_get_userns", c_int, c_int)
ns_get_owner_uid = _proto("ns_get_owner_uid", c_int, c_int, P(uid_t))
ns_pid_translate = _proto("ns_pid_translate", c_int, c_int, pid_t, c_uint, P(pid_t))
ns_enter = _proto("ns_enter", c_int, c_int, c_int)
ns_enter_pid = _proto("ns_enter_pid", c_int, pid_t, c_uint, c_uint, P(c_uint))
ns_enter_pidfd = _proto("ns_enter_pidfd", c_int, c_int, c_uint, c_uint, P(c_uint))
ns_run_in = _proto("ns_run_in", c_int, c_int, c_uint, RunFn, ctypes.c_void_p, c_uint, handle=pylib)
# NS_RUN_THREAD calls back on a C thread of libns: through the CDLL, which releases the GIL for the
# callback to take it (through the PyDLL the call would wait for its own thread forever).
ns_run_in_thread = _proto("ns_run_in", c_int, c_int, c_uint, RunFn, ctypes.c_void_p, c_uint)
ns_run_in_fds = _proto("ns_run_in_fds", c_int, P(c_int), c_uint, RunFn, ctypes.c_void_p, c_uint, handle=pylib)
ns_run_in_fds_thread = _proto("ns_run_in_fds", c_int, P(c_int), c_uint, RunFn, ctypes.c_void_p, c_uint)
ns_socket = _proto("ns_socket", c_int, c_int, c_int, c_int, c_int)
ns_unshare = _proto("ns_unshare", c_int, c_uint, c_uint)
ns_idmap_parse = _proto("ns_idmap_parse", c_int, c_char_p, P(IdMap))
ns_idmap_parse_buf = _proto("ns_idmap_parse_buf", c_int, c_char_p, c_size_t, P(IdMap))
ns_idmap_validate = _proto("ns_idmap_validate", c_int, P(IdMap))
ns_idmap_format = _proto("ns_idmap_format", c_int, P(IdMap), c_char_p, c_size_t)
ns_idmap_add = _proto("ns_idmap_add", c_int, P(IdMap), ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32)
ns_idmap_from_subid = _proto("ns_idmap_from_subid", c_int, P(IdMap), c_char_p, c_int, c_uint)
ns_write_idmap = _proto("ns_write_idmap", c_int, pid_t, c_int, P(IdMap), c_uint)
ns_write_setgroups = _proto("ns_write_setgroups", c_int, pid_t, c_int)
ns_set_time_offsets = _proto("ns_set_time_offsets", c_int, pid_t, P(Timespec), P(Timespec))
ns_spawn_exec = _proto("ns_spawn_exec", c_int, P(SpawnOpts), c_char_p, P(c_char_p), P(c_char_p), P(c_int))
ns_wait = _proto("ns_wait", c_int, c_int, P(c_int))
ns_pin = _proto("ns_pin", c_int, c_int, c_char_p, c_uint)
ns_unpin = _proto("ns_unpin", c_int, c_char_p, c_uint)
ns_netns_add = _proto("ns_netns_add", c_int, c_char_p, c_int, c_uint)
ns_netns_open = _proto("ns_netns_open", c_int, c_char_p)
ns_netns_del = _proto("ns_netns_del", c_int, c_char_p)
ns_netns_list = _proto("ns_netns_list", c_int, P(P(c_char_p)))
ns_netns_list_free = _proto("ns_netns_list_free", None, P(c_char_p))
ns_net_link_index = _proto("ns_net_link_index", c_int, c_int, c_char_p)
ns_net_link_up = _proto("ns_net_link_up", c_int, c_int, c_char_p)
ns_net_link_del = _proto("ns_net_link_del", c_int, c_int, c_char_p)
ns_net_link_move = _proto("ns_net_link_move", c_int, c_int, c_char_p, c_int)
ns_net_veth_add = _proto("ns_net_veth_add", c_int, c_int, c_char_p, c_int, c_char_p)
ns_net_addr_add = _proto("ns_net_addr_add", c_int, c_int, c_char_p, c_char_p)
ns_list_new = _proto("ns_list_new", c_int, c_uint, c_uint, P(ctypes.c_void_p))
ns_list_count = _proto("ns_list_count", c_size_t, ctypes.c_void_p)
ns_list_get = _proto("ns_list_get", P(Entry), ctypes.c_void_p, c_size_t)
ns_list_free = _proto("ns_list_free", None, ctypes.c_void_p)
ns_can_enter = _proto("ns_can_enter", c_int, c_int)


def last_error():
    """The message of this thread's most recent libns failure ("" if none)."""
    return (ns_last_error() or b"").decode(errors="replace")


def check(r, filename=None):
    """r, or OSError(-r, libns's message) when r < 0."""
    # The message is thread-local in C; a ctypes call returns on the thread that made it, so the
    # message read here is the one this call left.
    if r < 0:
        if filename is None:
            raise OSError(-r, last_error())
        raise OSError(-r, last_error(), os.fsdecode(filename))
    return r


def fd_of(obj):
    """An fd from an int or any object with fileno() (Namespace, Process, file, socket)."""
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise TypeError(f"expected a file descriptor or an object with fileno(), not {type(obj).__name__}")
    return fileno()


def ref(obj):
    return None if obj is None else ctypes.byref(obj)


def close_unclosed(obj):
    """For __del__: close obj and emit ResourceWarning, as an unclosed file or socket does."""
    text = repr(obj)
    obj.close()  # first: under -W error the warning raises
    warnings.warn(f"unclosed {text}", ResourceWarning, source=obj)
