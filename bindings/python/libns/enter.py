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

        callback = _ffi.RunFn(child)
        r = _ffi.ns_run_in(fd_of(pidfd), types_mask(types), callback, None, 0)
        check(r)
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
