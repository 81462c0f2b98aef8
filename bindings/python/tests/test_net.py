# SPDX-License-Identifier: LGPL-2.1-or-later
"""run_in over namespaces (child and thread), socket_in, netns_list and the net calls, with ip as the
oracle and real traffic between namespaces the tests make (10.x and fd00:: only inside them)."""

import contextlib
import errno
import fcntl
import json
import os
import shutil
import socket
import subprocess
import threading
import unittest

import libns
from libns import NSType
from test_libns import Case, Child, in_fork, needs_root, open_fds, proc_ino

IP = shutil.which("ip") or next((p for p in ("/usr/sbin/ip", "/sbin/ip") if os.path.exists(p)), None)


def thread_ino(name="net"):
    return os.stat(f"/proc/thread-self/ns/{name}").st_ino


@contextlib.contextmanager
def named_netns(suffix):
    """/run/netns/NAME for the test, open; removed afterwards."""
    name = f"lnpy{os.getpid()}-{suffix}"
    libns.netns_add(name)
    try:
        with libns.netns_open(name) as ns:
            yield name, ns
    finally:
        libns.netns_del(name)


def ip_json(netns, *args):
    return json.loads(subprocess.run([IP, "-n", netns, "-j", *args], check=True, capture_output=True,
                                     text=True).stdout or "[]")


def socket_netns_ino(sock):
    """The inode of the network namespace a socket belongs to (SIOCGSKNS, Linux 4.9)."""
    fd = fcntl.ioctl(sock.fileno(), 0x894C)
    try:
        return os.fstat(fd).st_ino
    finally:
        os.close(fd)


def no_dad():
    """IPv6 addresses usable at once in the calling thread's network namespace."""
    for conf in ("all", "default"):
        with open(f"/proc/sys/net/ipv6/conf/{conf}/accept_dad", "w") as f:
            f.write("0")


@needs_root
class TestRunInNamespaces(Case):
    def test_thread_shares_memory_and_stays_out(self):
        with Child("-n", "-u", "-m") as child, \
                libns.Namespace.open(child.pid, NSType.NET) as net, \
                libns.Namespace.open(child.pid, NSType.UTS) as uts, \
                libns.Namespace.open(child.pid, NSType.MNT) as mnt:
            before = open_fds()
            seen = []
            caller = threading.get_ident()

            def inside(tag):
                seen.append((tag, threading.get_ident() != caller))
                return {n: thread_ino(n) for n in ("net", "uts", "mnt")}

            got = libns.run_in([net, uts, mnt], inside, "x", thread=True)
            self.assertEqual(got, {"net": net.inode, "uts": uts.inode, "mnt": mnt.inode})
            self.assertEqual(seen, [("x", True)])          # the caller's memory, another thread
            self.assertEqual(thread_ino("net"), proc_ino("net"))
            self.assertNotEqual(thread_ino("net"), net.inode)
            # a child process, from fds and from the process; exceptions come back as they are
            self.assertEqual(libns.run_in(net, lambda: thread_ino("net")), net.inode)
            pidfd = os.pidfd_open(child.pid)
            try:
                self.assertEqual(libns.run_in(pidfd, lambda: thread_ino("uts"), types=NSType.UTS), uts.inode)
                self.assertEqual(libns.run_in(pidfd, lambda: thread_ino("uts"), thread=True), uts.inode)
                with self.assertErrno(errno.EINVAL):
                    libns.run_in(pidfd, os.getpid, types=NSType.PID, thread=True)
            finally:
                os.close(pidfd)
            with self.assertRaises(KeyError):
                libns.run_in(net, lambda: {}["k"], thread=True)
            with self.assertRaises(KeyError):
                libns.run_in(net.fileno(), lambda: {}["k"])
            self.assertEqual(open_fds(), before)

    def test_socket_made_inside_stays_there(self):
        with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as net:
            box = {}

            def make():
                box["sock"] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            libns.run_in(net, make, thread=True)
            with box["sock"] as s1, libns.socket_in(net, socket.AF_INET6, socket.SOCK_STREAM) as s2, \
                    libns.socket_in(None, socket.AF_INET, socket.SOCK_DGRAM) as s3:
                self.assertEqual(socket_netns_ino(s1), net.inode)
                self.assertEqual(socket_netns_ino(s2), net.inode)
                self.assertEqual(socket_netns_ino(s3), proc_ino("net"))
                self.assertEqual((s2.family, s2.type), (socket.AF_INET6, socket.SOCK_STREAM))
                self.assertFalse(os.get_inheritable(s2.fileno()))

    def test_refusals(self):
        with Child("-n", "-U") as child, \
                libns.Namespace.open(child.pid, NSType.NET) as net, \
                libns.Namespace.open(child.pid, NSType.USER) as user, \
                libns.Namespace.open(0, NSType.NET) as own:
            for thread in (False, True):
                with self.assertErrno(errno.EINVAL):
                    libns.run_in([net, own], os.getpid, thread=thread)    # two network namespaces
                with self.assertErrno(errno.EINVAL):
                    libns.run_in([], os.getpid, thread=thread)
                with self.assertErrno(errno.EBADF):
                    libns.run_in([999], os.getpid, thread=thread)
            with self.assertErrno(errno.EINVAL):
                libns.run_in([user, net], os.getpid, thread=True)
            self.assertGreater(libns.run_in([user, net], os.getpid), 0)   # a child may join a user namespace
            with self.assertRaises(TypeError):
                libns.run_in(net, os.getpid, types=NSType.NET)
            with self.assertRaises(TypeError):
                libns.run_in(net, "not callable")

    def test_unprivileged(self):
        with Child("-n") as child, libns.Namespace.open(child.pid, NSType.NET) as net:
            def as_nobody():
                os.setgroups([])
                os.setresgid(65534, 65534, 65534)
                os.setresuid(65534, 65534, 65534)
                for call in (lambda: libns.run_in(net, os.getpid, thread=True),
                             lambda: libns.socket_in(net, socket.AF_INET, socket.SOCK_DGRAM),
                             lambda: libns.link_up(net, "lo")):
                    try:
                        call()
                    except PermissionError as e:
                        assert e.errno == errno.EPERM and "CAP_SYS_ADMIN" in e.strerror, e
                    else:
                        raise AssertionError("no EPERM")
            in_fork(as_nobody)


@needs_root
@unittest.skipUnless(IP, "needs ip (iproute2) as the oracle")
class TestNet(Case):
    def test_walkthrough_and_traffic(self):
        with named_netns("a") as (name_a, a), named_netns("b") as (name_b, b):
            mine = thread_ino()
            libns.run_in(a, no_dad, thread=True)
            libns.run_in(b, no_dad, thread=True)
            libns.veth_add(a, "pva", b, "pvb")
            libns.addr_add(a, "pva", "10.79.0.1/24")
            libns.addr_add(b, "pvb", "10.79.0.2/24")
            libns.addr_add(a, "pva", "fd00:79::1/64")
            libns.addr_add(b, "pvb", "fd00:79::2/64")
            for ns, link in ((a, "pva"), (a, "lo"), (b, "pvb"), (b, "lo")):
                libns.link_up(ns, link)
            (link,) = ip_json(name_a, "addr", "show", "dev", "pva")
            self.assertIn("UP", link["flags"])
            self.assertIn(("10.79.0.1", 24), [(x["local"], x["prefixlen"]) for x in link["addr_info"]])
            self.assertIn(("fd00:79::1", 64), [(x["local"], x["prefixlen"]) for x in link["addr_info"]])
            self.assertEqual(sorted(x["ifname"] for x in ip_json(name_b, "link", "show")), ["lo", "pvb"])
            self.assertGreater(libns.link_index(b, "pvb"), 1)
            for family, server, client in ((socket.AF_INET, "10.79.0.2", "10.79.0.1"),
                                           (socket.AF_INET6, "fd00:79::2", "fd00:79::1")):
                with libns.socket_in(b, family, socket.SOCK_DGRAM) as srv, \
                        libns.socket_in(a, family, socket.SOCK_DGRAM) as cli:
                    srv.settimeout(10)
                    srv.bind((server, 4792))
                    cli.sendto(b"ping", (server, 4792))
                    data, peer = srv.recvfrom(16)
                    self.assertEqual((data, peer[0]), (b"ping", client))
            self.assertEqual(thread_ino(), mine)
            libns.link_move(a, "pva", b)
            self.assertEqual(sorted(x["ifname"] for x in ip_json(name_b, "link", "show")), ["lo", "pva", "pvb"])
            libns.link_del(b, "pva")
            with self.assertErrno(errno.ENODEV):
                libns.link_index(b, "pvb")

    def test_bad_input(self):
        with named_netns("bad") as (name, ns), libns.Namespace.open(0, NSType.UTS) as uts:
            libns.veth_add(ns, "v0", ns, "v1")
            for bad in ("", "0123456789abcdef", "a/b", "a b", ".", "a:b"):
                with self.assertErrno(errno.EINVAL):
                    libns.link_up(ns, bad)
                with self.assertErrno(errno.EINVAL):
                    libns.veth_add(ns, bad, ns, "ok")
            for cidr in ("10.0.0.1/33", "10.0.0/24", "fd00::1/129", "abc", "10.0.0.1"):
                with self.assertErrno(errno.EINVAL):
                    libns.addr_add(ns, "v0", cidr)
            with self.assertErrno(errno.ENODEV):
                libns.link_up(ns, "nope")
            with self.assertErrno(errno.EEXIST):
                libns.veth_add(ns, "v0", ns, "v2")
            with self.assertErrno(errno.EINVAL):
                libns.link_up(uts, "lo")
            with self.assertErrno(errno.EINVAL):
                libns.socket_in(uts)
            self.assertEqual(sorted(x["ifname"] for x in ip_json(name, "link", "show")), ["lo", "v0", "v1"])

    def test_netns_list(self):
        with named_netns("lb") as (b, _), named_netns("la") as (a, _):
            names = libns.netns_list()
            self.assertEqual(names, sorted(names))
            self.assertIn(a, names)
            self.assertIn(b, names)
            out = subprocess.run([IP, "netns", "list"], check=True, capture_output=True, text=True).stdout
            self.assertLessEqual({a, b}, {line.split()[0] for line in out.splitlines() if line})


if __name__ == "__main__":
    unittest.main()
