# SPDX-License-Identifier: LGPL-2.1-or-later
"""Entering namespaces, unsharing, and running Python inside another process's namespaces."""

import ctypes
import os
import pickle
import sys

from . import _ffi
from ._ffi import check, fd_of
from .core import NSType, types_mask

_UNSHARE_MAP_ROOT = 0x1
_UNSHARE_MAP_CURRENT = 0x2


def enter(ns, type=0):
    """Move the calling thread into ns (a Namespace or an nsfd); type 0 accepts any type."""
    check(_ffi.ns_enter(fd_of(ns), types_mask(type)))


def enter_pid(pid, types=NSType.ALL, flags=0):
    """Join the namespaces `types` of process pid; returns the types actually entered."""
    joined = _ffi.c_uint()
    check(_ffi.ns_enter_pid(pid, types_mask(types), flags, ctypes.byref(joined)))
    return NSType(joined.value)


def enter_pidfd(pidfd, types=NSType.ALL, flags=0):
    """Join the namespaces `types` of the process held by pidfd; returns the types entered."""
    joined = _ffi.c_uint()
    check(_ffi.ns_enter_pidfd(fd_of(pidfd), types_mask(types), flags, ctypes.byref(joined)))
    return NSType(joined.value)


def unshare(types, *, map_root=False, map_current=False):
    """Move the calling thread into new namespaces of `types`.  With NSType.USER, map_root maps
    the caller's uid/gid to 0 inside and map_current maps them to themselves."""
    flags = (_UNSHARE_MAP_ROOT if map_root else 0) | (_UNSHARE_MAP_CURRENT if map_current else 0)
    check(_ffi.ns_unshare(types_mask(types), flags))


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_RUN_THREAD = 0x1
# what a thread can join: the kernel refuses it user and time namespaces, a pid namespace is for children
_THREAD_TYPES = NSType.NET | NSType.UTS | NSType.IPC | NSType.CGROUP | NSType.MNT


def run_in(target, *args, thread=False, types=None, **kwargs):
    """Run fn(*args, **kwargs) inside namespaces and return what fn returned (or raise what it
    raised); the caller's own namespaces never change.  Called as run_in(target, fn, *args, ...).

    target is where: a Namespace or an nsfd, or a list or tuple of them (one of each type: a named
    or pinned namespace has no process); or a process, as a pidfd or a Process, whose namespaces
    `types` (default: all of them, or all a thread can join with thread=True) are entered.  The
    older form run_in(pidfd, types, fn, *args, **kwargs) still works.

    thread=False: fn runs in a child process (ns_run_in, ns_run_in_fds); the result travels back
    pickled through a memfd, so it must be picklable.  The calling thread keeps the GIL while the
    child runs (other Python threads pause).  As after any fork of a threaded program, the child
    must not need a lock another thread held at the fork (logging, I/O buffers): keep fn to plain
    work (os.*, reading /proc, sockets) and avoid threads inside it.

    thread=True: fn runs on a new thread of this process made for this call alone (NS_RUN_THREAD):
    it enters, runs fn and ends, never reused.  fn shares this process's memory, any object comes
    back, and a socket it makes stays in that network namespace.  Network, UTS, IPC, cgroup and
    mount namespaces only (OSError EINVAL for user, pid and time namespaces).
    """
    if len(args) >= 2 and not callable(args[0]) and callable(args[1]):
        types, fn, args = args[0], args[1], args[2:]
    elif args and callable(args[0]):
        fn, args = args[0], args[1:]
    else:
        raise TypeError("run_in(target, fn, *args, **kwargs): fn is not callable")
    flags = _RUN_THREAD if thread else 0
    fds = _namespace_fds(target)
    if fds is not None:
        if types is not None:
            raise TypeError("run_in: types is only for a process target; namespaces name their own types")
        arr = (_ffi.c_int * max(len(fds), 1))(*fds)

        def invoke(callback):
            if thread:
                return _ffi.ns_run_in_fds_thread(arr, len(fds), callback, None, flags)
            return _ffi.ns_run_in_fds(arr, len(fds), callback, None, flags)
    else:
        mask = types_mask(types if types is not None else (_THREAD_TYPES if thread else NSType.ALL))
        pidfd = fd_of(target)

        def invoke(callback):
            if thread:
                return _ffi.ns_run_in_thread(pidfd, mask, callback, None, flags)
            return _ffi.ns_run_in(pidfd, mask, callback, None, flags)
    return (_run_thread if thread else _run_child)(invoke, fn, args, kwargs)


def _namespace_fds(target):
    """The fds of a namespace target, or None for a process (a pidfd or a Process)."""
    if isinstance(target, (list, tuple)):
        return [fd_of(t) for t in target]
    fd = fd_of(target)
    # a pidfd is no nsfs file: NS_GET_NSTYPE tells them apart
    return [fd] if fd >= 0 and _ffi.ns_type_of(fd) >= 0 else None


def _run_thread(invoke, fn, args, kwargs):
    box = {}

    def on_thread(_arg):
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as e:
            box["error"] = e
        return 0

    callback = _ffi.RunFn(on_thread)
    check(invoke(callback))
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_child(invoke, fn, args, kwargs):
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

        callback = _ffi.RunFn(child)
        r = check(invoke(callback))
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
