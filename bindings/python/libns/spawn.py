# SPDX-License-Identifier: LGPL-2.1-or-later
"""Starting programs in new or joined namespaces; time offsets; waiting."""

import ctypes
import enum
import errno
import os
import shutil
import signal

from . import _ffi
from ._ffi import check, fd_of, ref
from .core import timespec, types_mask
from .idmap import to_idmap
from .namespace import Namespace


class SpawnFlag(enum.IntFlag):
    MAP_ROOT = 0x01
    MAP_CURRENT = 0x02
    MOUNT_PROC = 0x04
    DIE_WITH_PARENT = 0x08
    SETGROUPS_DENY = 0x10
    INTO_CGROUP = 0x20
    IDMAP_HELPER = 0x40   # write uid_map/gid_map through newuidmap/newgidmap
    DROP_CAPS = 0x80      # drop every capability not in keep_caps


def set_time_offsets(pid, monotonic=None, boottime=None):
    """Set the CLOCK_MONOTONIC / CLOCK_BOOTTIME offsets (seconds or timedelta; None leaves one
    alone) of the new time namespace of pid, before any process has entered it."""
    check(_ffi.ns_set_time_offsets(pid, ref(timespec(monotonic)), ref(timespec(boottime))))


def wait(pidfd):
    """Wait for the child held by pidfd to exit; its status as os.waitpid() gives it."""
    status = _ffi.c_int()
    check(_ffi.ns_wait(fd_of(pidfd), ctypes.byref(status)))
    return status.value


class Process:
    """A child started by spawn(): its pid and a pidfd the object owns.

    pidfd is -1 on kernels without pidfd_open() (before Linux 5.3); the pid is then used.
    A Process garbage-collected with its pidfd still open closes it and emits ResourceWarning.
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
            _ffi.close_unclosed(self)

    def __repr__(self):
        return f"<libns.Process pid={self.pid} returncode={self.returncode}>"


def _cstrings(items):
    arr = (_ffi.c_char_p * (len(items) + 1))()
    for i, s in enumerate(items):
        arr[i] = os.fsencode(s)
    arr[len(items)] = None
    return arr


def spawn(args, *, executable=None, env=None, new_types=0, join=None, join_types=0,
          map_root=False, map_current=False, mount_proc=False, die_with_parent=False,
          setgroups_deny=False, uid_map=None, gid_map=None, hostname=None, root=None,
          monotonic_offset=None, boottime_offset=None, cgroup=None, idmap_helper=False,
          keep_caps=None, flags=0):
    """Start `args` (a list; args[0] looked up in PATH unless executable is given) in new
    namespaces (`new_types`) and/or those of the process held by `join` (a pidfd, `join_types`).

    The parent writes uid_map/gid_map (IdMap, text or ranges) and the time offsets while the
    child waits; `hostname`, `root` (pivot_root) and mount_proc apply in the child before exec.
    `cgroup` is an fd of a cgroup v2 directory the child starts in.  idmap_helper writes the maps
    through newuidmap/newgidmap (for an unprivileged caller's subordinate ids).  keep_caps (an
    iterable of capability numbers, e.g. 12 for CAP_NET_ADMIN, possibly empty) drops every other
    capability before exec (SpawnFlag.DROP_CAPS).  Returns a Process.

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
    flags |= SpawnFlag.IDMAP_HELPER if idmap_helper else 0
    keep_mask = 0
    if keep_caps is not None:
        flags |= SpawnFlag.DROP_CAPS
        for cap in keep_caps:
            if not 0 <= int(cap) < 64:
                raise ValueError(f"spawn: capability number {cap} is not in 0..63")
            keep_mask |= 1 << int(cap)

    opts = _ffi.SpawnOpts()
    opts.size = ctypes.sizeof(_ffi.SpawnOpts)
    opts.new_types = types_mask(new_types)
    opts.join_types = types_mask(join_types)
    opts.join_pidfd = fd_of(join) if join is not None else -1
    if opts.join_types and join is None:
        raise ValueError("spawn: join_types needs join (a pidfd)")
    keep = []  # what opts points to must outlive the call
    umap, gmap = to_idmap(uid_map), to_idmap(gid_map)
    if umap is not None:
        keep.append(umap._to_c())
        opts.uid_map = ctypes.pointer(keep[-1])
    if gmap is not None:
        keep.append(gmap._to_c())
        opts.gid_map = ctypes.pointer(keep[-1])
    opts.hostname = None if hostname is None else hostname.encode()
    opts.root = None if root is None else os.fsencode(root)
    for field, value in (("monotonic_offset", monotonic_offset), ("boottime_offset", boottime_offset)):
        ts = timespec(value)
        if ts is not None:
            keep.append(ts)
            setattr(opts, field, ctypes.pointer(ts))
    opts.cgroup_fd = -1
    if cgroup is not None:
        opts.cgroup_fd = fd_of(cgroup)
        flags |= SpawnFlag.INTO_CGROUP
    opts.flags = flags
    opts.keep_caps = keep_mask

    pidfd = _ffi.c_int(-1)
    pid = check(_ffi.ns_spawn_exec(ctypes.byref(opts), os.fsencode(path), argv, envp, ctypes.byref(pidfd)))
    return Process(pid, pidfd.value, args)
