# SPDX-License-Identifier: LGPL-2.1-or-later
"""Live tests of the Python bindings against the kernel: python3 -m unittest discover -s tests.

Run from bindings/python with LIBNS_LIBRARY pointing at the built libns.so (meson test does).
A test whose C function is still a placeholder returning ENOSYS "not implemented yet" is
skipped with that reason; every other failure fails.
"""

import contextlib
import datetime
import errno
import functools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import unittest

import libns
from libns import NSType

ROOT = os.geteuid() == 0
# The suite also runs with LIBNS_DISABLE_FEATURES=all to drive libns's fallbacks.
FEATURES_MASKED = bool(os.environ.get("LIBNS_DISABLE_FEATURES"))
NAMES = ["mnt", "cgroup", "uts", "ipc", "user", "pid", "net", "time"]

# An object left unclosed warns (ResourceWarning) from its finalizer, where a raised warning is only
# reported, never raised: collect those reports and fail the module on any.
UNRAISABLE = []
sys.unraisablehook = lambda u: UNRAISABLE.append(f"{u.exc_type.__name__}: {u.exc_value} ({u.object!r})")


def tearDownModule():
    if UNRAISABLE:
        raise AssertionError("reported in finalizers (objects left unclosed?):\n" + "\n".join(UNRAISABLE))


def read(path):
    with open(path) as f:
        return f.read()


def proc_ino(name, pid="self"):
    return os.stat(f"/proc/{pid}/ns/{name}").st_ino


def needs_impl(test):
    """Skip (with the library's own message) while the C function under test is a stub."""
    @functools.wraps(test)
    def wrapper(self, *a, **kw):
        try:
            return test(self, *a, **kw)
        except OSError as e:
            if is_stub(e):
                self.skipTest(f"C function still a stub: {e.strerror}")
            raise
    return wrapper


def needs_root(test):
    return unittest.skipUnless(ROOT, "needs root")(test)


def open_fds():
    return set(os.listdir("/proc/self/fd"))


def in_thread(fn):
    """Run fn in a fresh thread (setns/unshare there die with the thread); return or re-raise."""
    box = {}

    def body():
        try:
            box["value"] = fn()
        except BaseException as e:  # re-raised in the caller
            box["error"] = e
    t = threading.Thread(target=body)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def in_fork(fn):
    """Run fn in a single-threaded forked child; it passes if fn returns without raising."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            fn()
        except BaseException as e:
            os.write(w, repr(e).encode())
            code = 1
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        msg = f.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), msg


class Child:
    """`unshare ARGS sleep 60`, waited for until the sleep runs; the namespaces' holder.

    With fork=True (unshare -f) the sleep is unshare's child and self.pid is the sleep's pid.
    """

    def __init__(self, *unshare_args, fork=False):
        args = ["unshare", *unshare_args] + (["-f"] if fork else []) + ["sleep", "60"]
        self.proc = subprocess.Popen(args)
        self.pid = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid = self._sleep_pid(fork)
            if pid:
                self.pid = pid
                return
            time.sleep(0.01)
        self.close()
        raise RuntimeError(f"{args} did not start")

    def _sleep_pid(self, fork):
        top = self.proc.pid
        try:
            if not fork:
                return top if read(f"/proc/{top}/comm").strip() == "sleep" else None
            kids = read(f"/proc/{top}/task/{top}/children").split()
            for k in kids:
                if read(f"/proc/{k}/comm").strip() == "sleep":
                    return int(k)
        except OSError:
            pass
        return None

    def ino(self, name):
        return proc_ino(name, self.pid)

    def close(self):
        # With -f the sleep is unshare's child (pid 1 of a new pid namespace with -p): kill it too,
        # or it outlives the test holding our stdout.
        if self.pid is not None and self.pid != self.proc.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.proc.kill()
        self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def is_stub(e):
    return isinstance(e, OSError) and e.errno == errno.ENOSYS and "not implemented yet" in str(e)


class Case(unittest.TestCase):
    @contextlib.contextmanager
    def assertErrno(self, *errs):
        """Like assertRaises(OSError) with one of errs (any if none); a stub's ENOSYS passes
        through, to be turned into a skip by needs_impl."""
        box = types.SimpleNamespace(exception=None)
        try:
            yield box
        except OSError as e:
            if is_stub(e):
                raise
            box.exception = e
            if errs:
                self.assertIn(e.errno, errs, f"expected {[errno.errorcode[x] for x in errs]}, got {e!r}")
        else:
            self.fail(f"no OSError {[errno.errorcode[x] for x in errs]} raised")


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


class TestTypes(Case):
    def test_values_are_clone_flags(self):
        self.assertEqual(NSType.NET, 0x40000000)
        self.assertEqual(NSType.MNT, 0x00020000)
        self.assertEqual(NSType.TIME, 0x80)
        self.assertEqual(NSType.ALL, sum(NSType.__members__[n.upper()] for n in NAMES))

    def test_names(self):
        for name in NAMES:
            t = NSType.from_name(name)
            self.assertEqual(libns.type_name(t), name)
            self.assertEqual(str(t), name)
        self.assertEqual(NSType.from_name("mount"), NSType.MNT)
        self.assertEqual(str(NSType.NET | NSType.UTS), "uts|net")
        self.assertIsNone(libns.type_name(NSType.NET | NSType.UTS))
        with self.assertErrno(errno.EINVAL) as cm:
            libns.type_from_name("bogus")
        self.assertIn("bogus", str(cm.exception))

    def test_features(self):
        f = libns.features()
        self.assertIsInstance(f, libns.Feature)
        for feat in libns.Feature:
            self.assertEqual(libns.has_feature(feat), bool(f & feat), feat)
            self.assertRegex(libns.feature_name(feat), r"^[a-z_0-9]+$")
        if not FEATURES_MASKED:
            self.assertTrue(f & libns.Feature.PIDFD)  # Linux 5.3; this test machine runs far newer

    def test_version(self):
        self.assertRegex(libns.version(), r"^\d+\.\d+\.\d+")


class TestNamespace(Case):
    def setUp(self):
        self.fds = open_fds()

    def tearDown(self):
        self.assertEqual(open_fds(), self.fds, "file descriptors leaked")

    def test_open_self_every_type(self):
        for name in NAMES:
            if name == "time" and not libns.has_feature(libns.Feature.TIME_NS):
                with self.assertErrno(errno.EOPNOTSUPP):
                    libns.Namespace.open(0, name)
                continue
            with libns.Namespace.open(0, name) as ns:
                self.assertEqual(ns.inode, proc_ino(name), name)
                self.assertEqual(ns.id.ino, os.fstat(ns.fileno()).st_ino)
                self.assertEqual(ns.id.dev, os.fstat(ns.fileno()).st_dev)
                self.assertEqual(ns.type, NSType.from_name(name))
                self.assertEqual(ns.name, name)

    def test_open_by_pid_and_pidfd_and_path(self):
        pidfd = os.pidfd_open(os.getpid())
        try:
            with libns.Namespace.open(os.getpid(), NSType.UTS) as a, \
                 libns.Namespace.from_pidfd(pidfd, NSType.UTS) as b, \
                 libns.Namespace.from_path("/proc/self/ns/uts") as c, \
                 libns.Namespace.from_path("/proc/self/ns/uts", "uts") as d:
                self.assertEqual(a, b)
                self.assertEqual(b, c)
                self.assertEqual(c, d)
                self.assertEqual(len({a, b, c, d}), 1)
                self.assertEqual(a.inode, proc_ino("uts"))
        finally:
            os.close(pidfd)

    @unittest.skipUnless(libns.has_feature(libns.Feature.PIDFD), "pidfd_open() unavailable or masked")
    def test_libns_pidfd_open(self):
        pidfd = libns.pidfd_open(0)
        try:
            self.assertGreaterEqual(pidfd, 0)
            self.assertTrue(os.get_inheritable(pidfd) is False)
            with libns.Namespace.from_pidfd(pidfd, "net") as ns:
                self.assertEqual(ns.inode, proc_ino("net"))
        finally:
            os.close(pidfd)

    @needs_root
    def test_child_in_new_netns(self):
        with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as ns, \
                libns.Namespace.current(NSType.NET) as mine:
            self.assertEqual(ns.inode, child.ino("net"))
            self.assertNotEqual(ns.inode, proc_ino("net"))
            self.assertNotEqual(ns, mine)
            self.assertNotEqual(hash(ns.id), hash(mine.id))
            with libns.Namespace.open(child.pid, NSType.UTS) as uts:
                self.assertEqual(uts.inode, proc_ino("uts"))   # only the netns is new

    def test_for_children(self):
        with libns.Namespace.open(0, NSType.PID, for_children=True) as ns:
            self.assertEqual(ns.inode, os.stat("/proc/self/ns/pid_for_children").st_ino)
        with self.assertErrno(errno.EINVAL) as cm:
            libns.Namespace.open(0, NSType.NET, for_children=True)

    @unittest.skipUnless(libns.has_feature(libns.Feature.NSFS_HANDLE), "kernel has no nsfs file handles")
    @needs_root
    def test_from_id(self):
        with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as ns:
            i = ns.id
            self.assertNotEqual(i.id, 0)
            with libns.Namespace.from_id(i.id, NSType.NET) as again, libns.Namespace.from_id(i) as any_type:
                self.assertEqual(again, ns)
                self.assertEqual(any_type.inode, i.ino)

    def test_errors(self):
        with self.assertErrno(errno.ESRCH) as cm:
            libns.Namespace.open(dead_pid(), NSType.NET)
        self.assertEqual(cm.exception.errno, errno.ESRCH)
        self.assertTrue(cm.exception.strerror)             # libns's message, not a bare strerror
        with self.assertErrno(errno.EINVAL) as cm:
            libns.Namespace.open(0, 0x1)
        with self.assertErrno(errno.EINVAL) as cm:
            libns.Namespace.open(0, NSType.NET | NSType.UTS)
        with self.assertErrno(errno.ENOENT) as cm:
            libns.Namespace.from_path("/nonexistent/ns")
        self.assertEqual(cm.exception.filename, "/nonexistent/ns")
        with self.assertErrno(errno.EINVAL) as cm:
            libns.Namespace.from_path("/etc/passwd")
        with self.assertErrno(errno.EINVAL) as cm:
            libns.Namespace.from_path("/proc/self/ns/net", NSType.UTS)

    def test_context_manager_closes(self):
        with libns.Namespace.current(NSType.NET) as ns:
            fd = ns.fileno()
            os.fstat(fd)
        self.assertTrue(ns.closed)
        with self.assertErrno(errno.EBADF) as cm:
            os.fstat(fd)
        with self.assertRaises(ValueError):
            ns.fileno()
        ns.close()  # idempotent
        self.assertEqual(repr(ns), "<Namespace closed>")

    def test_adopt_and_detach(self):
        fd = os.open("/proc/self/ns/ipc", os.O_RDONLY | os.O_CLOEXEC)
        ns = libns.Namespace(fd)
        self.assertEqual(ns.fileno(), fd)
        self.assertEqual(ns.type, NSType.IPC)
        self.assertIn("ipc:[", repr(ns))
        self.assertEqual(ns.detach(), fd)
        self.assertTrue(ns.closed)
        os.fstat(fd)  # still open: detached, not closed
        os.close(fd)
        bad = os.open("/etc/passwd", os.O_RDONLY | os.O_CLOEXEC)
        try:
            with self.assertErrno(errno.EINVAL) as cm:
                libns.Namespace(bad)
        finally:
            os.close(bad)

    def test_garbage_collection_closes(self):
        ns = libns.Namespace.current(NSType.NET)
        fd = ns.fileno()
        with self.assertWarnsRegex(ResourceWarning, r"unclosed <Namespace net:\[\d+\] fd=\d+>"):
            del ns
        with self.assertRaises(OSError):
            os.fstat(fd)


class TestHierarchy(Case):
    @needs_impl
    def test_userns_of_self(self):
        with libns.Namespace.current(NSType.NET) as net, net.userns() as user:
            self.assertEqual(user.inode, proc_ino("user"))
            self.assertEqual(user.type, NSType.USER)

    @needs_root
    @needs_impl
    def test_owner_uid_and_parent(self):
        with libns.Namespace.current(NSType.USER) as user:
            self.assertEqual(user.owner_uid, 0)
        with Child("-U") as child, libns.Namespace.open(child.pid, NSType.USER) as user, \
                user.parent() as parent:
            self.assertEqual(parent.inode, proc_ino("user"))
            self.assertEqual(user.owner_uid, os.geteuid())
        with libns.Namespace.current(NSType.NET) as net:
            with self.assertErrno(errno.EINVAL) as cm:
                net.parent()

    @needs_root
    @needs_impl
    def test_pid_translate(self):
        with libns.Namespace.current(NSType.PID) as mine:
            self.assertEqual(libns.pid_translate(mine, os.getpid()), os.getpid())
        with Child("-p", "--mount-proc", fork=True) as child, \
                libns.Namespace.open(child.pid, NSType.PID) as pidns:
            self.assertNotEqual(pidns.inode, proc_ino("pid"))
            self.assertEqual(pidns.translate_pid(child.pid, libns.PidTranslate.INTO_NS), 1)
            self.assertEqual(libns.pid_translate(pidns, 1, libns.PidTranslate.FROM_NS), child.pid)


class TestEnter(Case):
    @needs_root
    @needs_impl
    def test_enter_namespace_in_thread(self):
        with Child("-n", "-u") as child, libns.Namespace.open(child.pid, NSType.NET) as ns:
            def body():
                ns.enter()
                return proc_ino("net", "thread-self")
            self.assertEqual(in_thread(body), child.ino("net"))
            self.assertNotEqual(proc_ino("net", "thread-self"), child.ino("net"))

    @needs_root
    @needs_impl
    def test_enter_pid_and_pidfd(self):
        with Child("-n", "-u") as child:
            def by_pid():
                joined = libns.enter_pid(child.pid, NSType.NET | NSType.UTS)
                return joined, proc_ino("net", "thread-self"), proc_ino("uts", "thread-self")
            joined, net, uts = in_thread(by_pid)
            self.assertEqual(joined, NSType.NET | NSType.UTS)
            self.assertEqual((net, uts), (child.ino("net"), child.ino("uts")))

            pidfd = os.pidfd_open(child.pid)
            try:
                def by_pidfd():
                    joined = libns.enter_pidfd(pidfd, [NSType.NET, "ipc"])
                    return joined, proc_ino("net", "thread-self")
                joined, net = in_thread(by_pidfd)
                # NET was entered; IPC, shared already, may be skipped or re-entered (atomic setns)
                self.assertTrue(joined & NSType.NET)
                self.assertEqual(joined & ~(NSType.NET | NSType.IPC), 0)
                self.assertEqual(net, child.ino("net"))
            finally:
                os.close(pidfd)

    @needs_impl
    def test_enter_errors(self):
        with libns.Namespace.current(NSType.NET) as ns:
            with self.assertErrno(errno.EINVAL) as cm:
                libns.enter(ns, NSType.UTS)
        with self.assertErrno(errno.ESRCH):
            libns.enter_pid(dead_pid(), NSType.NET)

    @needs_root
    @needs_impl
    def test_unshare_in_thread(self):
        def body():
            libns.unshare(NSType.NET | NSType.UTS)
            return proc_ino("net", "thread-self"), proc_ino("uts", "thread-self")
        net, uts = in_thread(body)
        self.assertNotEqual(net, proc_ino("net"))
        self.assertNotEqual(uts, proc_ino("uts"))

    @needs_impl
    def test_unshare_user_map_root_in_fork(self):
        before, euid = proc_ino("user"), os.geteuid()

        def body():
            libns.unshare(NSType.USER, map_root=True)
            assert proc_ino("user") != before, "no new user namespace"
            fields = read("/proc/self/uid_map").split()
            assert fields == ["0", str(euid), "1"], fields
            assert os.geteuid() == 0
        code, msg = in_fork(body)
        if "not implemented yet" in msg:
            self.skipTest(f"C function still a stub: {msg}")
        self.assertEqual(code, 0, msg)

    @needs_impl
    def test_unshare_bad_flags(self):
        with self.assertErrno(errno.EINVAL) as cm:
            libns.unshare(NSType.NET, map_root=True)  # mapping flags need NSType.USER


class TestRunIn(Case):
    @needs_root
    @needs_impl
    def test_run_in_child_netns(self):
        with Child("-n", "-u") as child:
            pidfd = os.pidfd_open(child.pid)
            try:
                got = libns.run_in(pidfd, NSType.NET | NSType.UTS,
                                   lambda: (proc_ino("net"), proc_ino("uts"), socket.gethostname()))
                self.assertEqual(got[:2], (child.ino("net"), child.ino("uts")))
                self.assertEqual(got[2], socket.gethostname())  # unshare -u copies the hostname
                # the parent never moved
                self.assertNotEqual(proc_ino("net"), child.ino("net"))
            finally:
                os.close(pidfd)

    @needs_root
    @needs_impl
    def test_run_in_exception_and_args(self):
        with Child("-n") as child:
            pidfd = os.pidfd_open(child.pid)
            try:
                def boom(x, *, y):
                    raise KeyError(x + y)
                with self.assertRaises(KeyError) as cm:
                    libns.run_in(pidfd, NSType.NET, boom, 1, y=2)
                self.assertEqual(cm.exception.args, (3,))
                self.assertEqual(libns.run_in(pidfd, NSType.NET, dict, a=1), {"a": 1})
            finally:
                os.close(pidfd)

    @needs_impl
    def test_run_in_dead_process(self):
        p = subprocess.Popen(["true"])
        pidfd = os.pidfd_open(p.pid)
        p.wait()
        try:
            with self.assertErrno(errno.ESRCH):
                libns.run_in(pidfd, NSType.NET, os.getpid)
        finally:
            os.close(pidfd)


class TestIdMap(Case):
    @needs_impl
    def test_parse_format_roundtrip(self):
        m = libns.IdMap.parse("0 100000 65536\n65536 1000 1\n")
        self.assertEqual(list(m), [libns.IdMapRange(0, 100000, 65536), libns.IdMapRange(65536, 1000, 1)])
        self.assertEqual(libns.IdMap.parse(m.format()), m)
        self.assertEqual(m.format().split(), "0 100000 65536 65536 1000 1".split())
        m.validate()
        self.assertEqual(len(m), 2)

    @needs_impl
    def test_build_and_validate(self):
        m = libns.IdMap().add(0, 1000, 1).add(1, 100000, 1000)
        self.assertEqual(len(m), 2)
        m.validate()
        with self.assertErrno(errno.EINVAL) as cm:
            m.add(0, 2000, 1)        # inside ranges overlap
        self.assertEqual(len(m), 2)  # a refused add changes nothing
        bad = libns.IdMap()
        bad.ranges = [libns.IdMapRange(0, 0, 10), libns.IdMapRange(5, 100, 10)]
        with self.assertErrno(errno.EINVAL, errno.ERANGE):
            bad.validate()
        with self.assertErrno(errno.EINVAL) as cm:
            libns.IdMap.parse("0 1000\n")

    @needs_impl
    def test_from_subid_missing_user(self):
        with self.assertErrno():
            libns.IdMap.from_subid("libns-no-such-user-xyz", libns.IdMapKind.UID)

    @needs_impl
    def test_from_subid_and_subid_only(self):
        with tempfile.NamedTemporaryFile("w", suffix="subuid") as f:
            f.write("# a comment\nroot:100000:65536\nroot:300000:10\n")
            f.flush()
            old = os.environ.get("LIBNS_TEST_SUBUID_FILE")
            os.environ["LIBNS_TEST_SUBUID_FILE"] = f.name
            try:
                m = libns.IdMap.from_subid("root", libns.IdMapKind.UID)
                only = libns.IdMap.from_subid("root", libns.IdMapKind.UID, subid_only=True)
            finally:
                if old is None:
                    del os.environ["LIBNS_TEST_SUBUID_FILE"]
                else:
                    os.environ["LIBNS_TEST_SUBUID_FILE"] = old
        R = libns.IdMapRange
        self.assertEqual(m.ranges, [R(0, 0, 1), R(1, 100000, 65536), R(65537, 300000, 10)])
        self.assertEqual(only.ranges, [R(0, 100000, 65536), R(65536, 300000, 10)])

    @needs_impl
    def test_parse_bytes_by_length(self):
        self.assertEqual(libns.IdMap.parse(b"0 100000 10\n").ranges, [libns.IdMapRange(0, 100000, 10)])
        with self.assertErrno(errno.EINVAL):
            libns.IdMap.parse(b"0 100000 10\n\x001 200000 1\n")   # a NUL is not the end of bytes

    @needs_root
    @needs_impl
    def test_write_maps_to_child(self):
        with Child("-U") as child:
            libns.write_idmap(child.pid, libns.IdMapKind.UID, "0 100000 65536")
            libns.write_setgroups(child.pid, False)
            libns.IdMap([(0, 200000, 1000)]).write(child.pid, libns.IdMapKind.GID)
            self.assertEqual(read(f"/proc/{child.pid}/uid_map").split(), ["0", "100000", "65536"])
            self.assertEqual(read(f"/proc/{child.pid}/gid_map").split(), ["0", "200000", "1000"])
            self.assertEqual(read(f"/proc/{child.pid}/setgroups").strip(), "deny")
            with self.assertErrno():   # a map is written once
                libns.write_idmap(child.pid, libns.IdMapKind.UID, "0 300000 1")


class TestTimens(Case):
    @needs_root
    @unittest.skipUnless(libns.has_feature(libns.Feature.TIME_NS), "kernel has no time namespaces")
    @needs_impl
    def test_set_time_offsets(self):
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        go_r, go_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(go_w)
                os.close(out_r)
                if libc.unshare(int(NSType.TIME)) != 0:
                    os._exit(2)
                os.write(out_w, b"R")
                os.read(go_r, 1)
                k = os.fork()  # the first child enters time_for_children, with the offsets
                if k == 0:
                    os.write(out_w, b"%.3f" % time.clock_gettime(time.CLOCK_BOOTTIME))
                    os._exit(0)
                os.waitpid(k, 0)
            finally:
                os._exit(0)
        os.close(go_r)
        os.close(out_w)
        try:
            self.assertEqual(os.read(out_r, 1), b"R")
            try:
                libns.set_time_offsets(pid, boottime=86400 * 1000, monotonic=-0.5)
            finally:
                os.write(go_w, b"g")
            inside = float(os.read(out_r, 64).decode())
            outside = time.clock_gettime(time.CLOCK_BOOTTIME)
            self.assertAlmostEqual(inside - outside, 86400 * 1000, delta=60)
        finally:
            os.close(go_w)
            os.close(out_r)
            os.waitpid(pid, 0)


class TestSpawn(Case):
    @needs_root
    @needs_impl
    def test_spawn_new_namespaces(self):
        with libns.spawn(["sleep", "60"], new_types=NSType.NET | NSType.UTS, hostname="libns-py") as p:
            try:
                self.assertGreater(p.pid, 0)
                self.assertNotEqual(proc_ino("net", p.pid), proc_ino("net"))
                self.assertNotEqual(proc_ino("uts", p.pid), proc_ino("uts"))
                self.assertEqual(proc_ino("ipc", p.pid), proc_ino("ipc"))
                with p.namespace(NSType.NET) as ns:
                    self.assertEqual(ns.inode, proc_ino("net", p.pid))
                if p.pidfd >= 0:
                    self.assertEqual(libns.run_in(p, NSType.UTS, socket.gethostname), "libns-py")
                else:  # pidfds masked in libns: the kernel still makes one for run_in
                    pidfd = os.pidfd_open(p.pid)
                    try:
                        self.assertEqual(libns.run_in(pidfd, NSType.UTS, socket.gethostname), "libns-py")
                    finally:
                        os.close(pidfd)
            finally:
                p.kill()
        self.assertEqual(p.returncode, -signal.SIGKILL)

    @needs_root
    @needs_impl
    def test_spawn_user_map_root_and_exit_code(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out")
            p = libns.spawn(["sh", "-c", f"cat /proc/self/uid_map > {out}; id -u >> {out}; exit 3"],
                            new_types=NSType.USER, map_root=True)
            with p:
                self.assertEqual(p.wait(), 3)
            fields = read(out).split()
            self.assertEqual(fields[0], "0")
            self.assertEqual(fields[1], str(os.geteuid()))
            self.assertEqual(fields[-1], "0")

    @needs_root
    @unittest.skipUnless(libns.has_feature(libns.Feature.TIME_NS), "kernel has no time namespaces")
    @needs_impl
    def test_spawn_maps_and_time_offsets(self):
        r, w = os.pipe()
        os.set_inheritable(w, True)
        try:
            p = libns.spawn(["sh", "-c", f"exec >&{w}; cat /proc/self/uid_map /proc/self/gid_map /proc/uptime"],
                            new_types=NSType.USER | NSType.TIME,
                            uid_map="0 100000 1000", gid_map=libns.IdMap([(0, 200000, 10)]),
                            boottime_offset=datetime.timedelta(days=1000), monotonic_offset=-0.25)
            os.close(w)
            w = -1
            with os.fdopen(r, "r") as f:
                r = -1
                out = f.read().split()
            self.assertEqual(p.wait(), 0)
            p.close()
        finally:
            for fd in (r, w):
                if fd >= 0:
                    os.close(fd)
        self.assertEqual(out[:6], ["0", "100000", "1000", "0", "200000", "10"])
        with open("/proc/uptime") as f:
            outside = float(f.read().split()[0])
        self.assertAlmostEqual(float(out[6]) - outside, 1000 * 86400, delta=60)

    @needs_root
    @needs_impl
    def test_spawn_into_cgroup(self):
        cg2 = None
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                if fields[fields.index("-") + 1] == "cgroup2":
                    cg2 = fields[4]
                    break
        if cg2 is None or not (libns.has_feature(libns.Feature.CLONE_INTO_CGROUP)
                               and libns.has_feature(libns.Feature.CLONE3)):
            self.skipTest("no cgroup2 mount or no CLONE_INTO_CGROUP")
        path = os.path.join(cg2, f"libns-py-{os.getpid()}")
        os.mkdir(path)
        try:
            dirfd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                p = libns.spawn(["sleep", "60"], cgroup=dirfd)
            finally:
                os.close(dirfd)
            with p:
                try:
                    lines = read(f"/proc/{p.pid}/cgroup").splitlines()
                    self.assertIn(f"0::/{os.path.basename(path)}", lines)
                finally:
                    p.kill()
        finally:
            os.rmdir(path)

    @needs_impl
    def test_spawn_errors(self):
        with self.assertErrno(errno.ENOENT):
            libns.spawn(["libns-no-such-program"])
        with self.assertErrno(errno.EINVAL) as cm:
            libns.spawn(["true"], new_types=0x1)

    @needs_root
    @needs_impl
    def test_spawn_drop_caps_keeps_keep_caps(self):
        def effective(**kw):
            r, w = os.pipe()
            os.set_inheritable(w, True)
            try:
                p = libns.spawn(["sh", "-c", f"exec >&{w}; sed -n 's/^CapEff:\\t//p' /proc/self/status"], **kw)
                os.close(w)
                w = -1
                with os.fdopen(r) as f:
                    r = -1
                    out = f.read().strip()
                self.assertEqual(p.wait(), 0)
                p.close()
                return int(out, 16)
            finally:
                for fd in (r, w):
                    if fd >= 0:
                        os.close(fd)
        CAP_NET_ADMIN, CAP_SYS_ADMIN = 12, 21
        self.assertEqual(effective(keep_caps=[CAP_NET_ADMIN]), 1 << CAP_NET_ADMIN)
        self.assertEqual(effective(keep_caps=[CAP_NET_ADMIN, CAP_SYS_ADMIN]), (1 << 12) | (1 << 21))
        self.assertEqual(effective(keep_caps=[]), 0)
        self.assertEqual(effective(flags=libns.SpawnFlag.DROP_CAPS), 0)
        self.assertNotEqual(effective(), 0)  # nothing dropped without keep_caps
        with self.assertRaises(ValueError):
            libns.spawn(["true"], keep_caps=[64])

    @needs_impl
    def test_spawn_idmap_helper_flag(self):
        self.assertEqual(libns.SpawnFlag.IDMAP_HELPER, 0x40)
        # with no explicit map the helper has nothing to write: libns refuses the flag
        with self.assertErrno(errno.EINVAL):
            libns.spawn(["true"], new_types=NSType.USER, idmap_helper=True)

    @unittest.skipUnless(libns.has_feature(libns.Feature.PIDFD), "no pidfds to wait on")
    @needs_impl
    def test_wait(self):
        p = libns.spawn(["sh", "-c", "exit 7"])
        try:
            status = libns.wait(p)
            self.assertTrue(os.WIFEXITED(status))
            self.assertEqual(os.WEXITSTATUS(status), 7)
        finally:
            p.close()

    @needs_impl
    def test_unclosed_process_warns(self):
        p = libns.spawn(["true"])
        p.wait()
        fd = p.pidfd
        if fd < 0:
            p.close()
            self.skipTest("no pidfd (pidfds masked in libns): nothing left open to warn about")
        with self.assertWarnsRegex(ResourceWarning, r"unclosed <libns.Process pid=\d+ returncode=0>"):
            del p
        with self.assertRaises(OSError):
            os.fstat(fd)


class TestPin(Case):
    @needs_root
    @needs_impl
    def test_pin_outlives_process(self):
        with tempfile.TemporaryDirectory(dir="/run") as d:
            path = os.path.join(d, "net")
            with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as ns:
                ino = ns.inode
                ns.pin(path)
            try:
                with libns.Namespace.from_path(path, NSType.NET) as again:
                    self.assertEqual(again.inode, ino)
                with self.assertErrno(errno.EEXIST):
                    with libns.Namespace.current(NSType.NET) as mine:
                        libns.pin(mine, path)
            finally:
                libns.unpin(path)
            self.assertFalse(os.path.exists(path))
            plain = os.path.join(d, "plain")
            open(plain, "w").close()
            with self.assertErrno(errno.EINVAL) as cm:
                libns.unpin(plain)
            self.assertTrue(os.path.exists(plain))

    @needs_root
    @needs_impl
    def test_netns_named(self):
        name = f"libns-py-{os.getpid()}"
        libns.netns_add(name)
        try:
            self.assertTrue(os.path.exists(f"/run/netns/{name}"))
            with libns.netns_open(name) as ns:
                self.assertEqual(ns.type, NSType.NET)
                self.assertNotEqual(ns.inode, proc_ino("net"))
                self.assertEqual(ns.inode, os.stat(f"/run/netns/{name}").st_ino)
            with self.assertErrno(errno.EEXIST):
                libns.netns_add(name)
        finally:
            libns.netns_del(name)
        self.assertFalse(os.path.exists(f"/run/netns/{name}"))
        with self.assertErrno(errno.ENOENT):
            libns.netns_open(name)
        with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as ns:
            libns.netns_add(name, ns)
            try:
                with libns.netns_open(name) as again:
                    self.assertEqual(again, ns)
            finally:
                libns.netns_del(name)


class TestList(Case):
    @needs_impl
    def test_list_matches_proc(self):
        entries = libns.list_namespaces(NSType.NET | NSType.UTS)
        self.assertTrue(entries)
        self.assertTrue(all(e.type in (NSType.NET, NSType.UTS) for e in entries))
        by_ino = {(e.type, e.ino): e for e in entries}
        mine = by_ino[(NSType.NET, proc_ino("net"))]
        self.assertGreaterEqual(mine.nprocs, 1)
        self.assertTrue(mine.held_by & libns.HeldBy.PROCESS)
        self.assertGreater(mine.pid, 0)
        self.assertEqual(mine.command, read(f"/proc/{mine.pid}/comm").strip()[:63])
        self.assertEqual(mine.userns_ino, proc_ino("user"))
        self.assertEqual(mine.name, "net")
        self.assertIn((NSType.UTS, proc_ino("uts")), by_ino)

    @needs_root
    @needs_impl
    def test_list_sees_child_and_pin(self):
        with tempfile.TemporaryDirectory(dir="/run") as d, Child("-n") as child:
            path = os.path.join(d, "pin")
            with libns.Namespace.open(child.pid, NSType.NET) as ns:
                ino = ns.inode
                ns.pin(path)
            try:
                e = {x.ino: x for x in libns.list_namespaces(NSType.NET)}[ino]
                self.assertEqual(e.pid, child.pid)
                self.assertEqual(e.command, "sleep")
                self.assertEqual(e.nprocs, 1)
                self.assertTrue(e.held_by & libns.HeldBy.PROCESS)
                self.assertTrue(e.held_by & libns.HeldBy.MOUNT)
                self.assertEqual(e.owner_uid, 0)
            finally:
                libns.unpin(path)

    @needs_impl
    def test_list_bad_types(self):
        with self.assertErrno(errno.EINVAL) as cm:
            libns.list_namespaces(0x1)


class TestListFlags(Case):
    def test_flags_and_held_by_names(self):
        self.assertEqual(str(libns.HeldBy.NAMESPACE), "namespace")
        self.assertEqual(str(libns.HeldBy.PROCESS | libns.HeldBy.NAMESPACE), "process|namespace")
        self.assertEqual(libns.Feature.ALL, libns.Feature(sum(f.value for f in libns.Feature)))
        fast = libns.list_namespaces(NSType.NET, libns.ListFlag.NO_FDS | libns.ListFlag.NO_MOUNTS)
        self.assertIn(proc_ino("net"), [e.ino for e in fast])
        for e in fast:
            self.assertFalse(e.held_by & (libns.HeldBy.FD | libns.HeldBy.MOUNT) and not e.nprocs, e)
        with self.assertErrno(errno.EINVAL):
            libns.list_namespaces(NSType.NET, 0x80)


class TestCaps(Case):
    @needs_root
    def test_can_enter(self):
        with libns.Namespace.current(NSType.NET) as ns:
            self.assertTrue(libns.can_enter(ns))
            self.assertTrue(ns.can_enter())

            def unprivileged():
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                assert not libns.can_enter(ns), "nobody may not setns"
                assert "CAP_SYS_ADMIN" in libns.last_error(), libns.last_error()
            code, msg = in_fork(unprivileged)
            self.assertEqual(code, 0, msg)

    def test_can_enter_bad_fd(self):
        fd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
        try:
            with self.assertErrno(errno.EINVAL):
                libns.can_enter(fd)
        finally:
            os.close(fd)


if __name__ == "__main__":
    unittest.main()
