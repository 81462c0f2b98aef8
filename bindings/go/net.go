// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <libns/libns.h>

static int setns_thread(int fd, int type) { return setns(fd, type) < 0 ? -errno : 0; }
*/
import "C"

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"
)

// Do runs fn on an OS thread that joined the namespaces nss (network, UTS, IPC, cgroup or mount,
// at most one of each type), and returns fn's error or the error entering. It is CNI's ns.Do over
// Namespace values: fn runs on a new goroutine locked to its thread, and that goroutine ends still
// locked, so the Go runtime ends the thread instead of handing it to other goroutines; no other code
// ever runs in the namespaces it entered. Anything fn starts on other goroutines runs in the
// caller's namespaces. A panic in fn is re-raised in the caller.
//
// User, pid and time namespaces are refused (EINVAL): the kernel lets no thread of a multi-threaded
// process join a user or time namespace, and a pid namespace applies only to new processes. Use
// Spawn for those.
func Do(fn func() error, nss ...*Namespace) error {
	type outcome struct {
		err   error
		panic interface{}
	}
	if len(nss) == 0 {
		return &Error{Op: "Do", Errno: syscall.EINVAL, Msg: "Do: no namespaces given"}
	}
	types := make([]Type, len(nss))
	var all Type
	for i, ns := range nss {
		t, err := ns.Type()
		if err != nil {
			return err
		}
		if t&(TypeUser|TypePID|TypeTime) != 0 {
			return &Error{Op: "Do", Errno: syscall.EINVAL, Msg: fmt.Sprintf("Do: a thread cannot join a "+
				"%v namespace (the kernel refuses user and time namespaces to a multi-threaded process, "+
				"a pid namespace applies only to new processes): use Spawn", t)}
		}
		if all&t != 0 {
			return &Error{Op: "Do", Errno: syscall.EINVAL, Msg: fmt.Sprintf("Do: two %v namespaces given", t)}
		}
		all |= t
		types[i] = t
	}
	done := make(chan outcome, 1)
	go func() {
		// Never unlocked: when this goroutine ends, the runtime ends the thread with it.
		runtime.LockOSThread()
		var out outcome
		defer func() { done <- out }()
		if all&TypeMnt != 0 {
			// a thread shares its root and working directory with the process until it unshares them
			if err := syscall.Unshare(syscall.CLONE_FS); err != nil {
				out.err = &Error{Op: "Do", Errno: err.(syscall.Errno),
					Msg: "Do: unshare(CLONE_FS), which a thread needs before it joins a mount namespace"}
				return
			}
		}
		for i, ns := range nss {
			if err := setnsThread(ns, types[i]); err != nil {
				out.err = err
				return
			}
		}
		defer func() { out.panic = recover() }()
		out.err = fn()
	}()
	out := <-done
	if out.panic != nil {
		panic(out.panic)
	}
	return out.err
}

// Do runs fn on an OS thread that joined n; see the function Do.
func (n *Namespace) Do(fn func() error) error { return Do(fn, n) }

// setnsThread moves the calling (locked, discarded) thread into ns. libns's ns_enter refuses mount
// namespaces to a threaded process because it would move a thread that shares its fs; this thread
// unshared it, so the system call is made here directly.
func setnsThread(ns *Namespace, t Type) error {
	if t != TypeMnt {
		_, err := ns.op("ns_enter", func(fd C.int) C.int { return C.ns_enter(fd, C.int(t)) })
		return err
	}
	r := C.setns_thread(C.int(ns.fd), C.int(t))
	runtime.KeepAlive(ns)
	if r < 0 {
		e := syscall.Errno(-r)
		return &Error{Op: "Do", Errno: e, Msg: fmt.Sprintf("Do: setns(mnt) on fd %d: %v", ns.fd, e)}
	}
	return nil
}

// netnsFd is ns's fd, or -1 (the calling thread's network namespace) for nil.
func netnsFd(ns *Namespace) C.int {
	if ns == nil {
		return -1
	}
	return C.int(ns.fd)
}

// netCall runs f with the fds of the namespaces (nil: -1), which stay alive through the call.
func netCall(op string, f func() C.int, nss ...*Namespace) (int, error) {
	for _, ns := range nss {
		if ns != nil && ns.fd < 0 {
			return -1, &Error{Op: op, Errno: syscall.EBADF, Msg: op + ": the Namespace is closed"}
		}
	}
	r, err := call(op, f)
	runtime.KeepAlive(nss)
	return r, err
}

// Socket makes a socket(2) inside the network namespace ns (nil: the caller's), O_CLOEXEC, and
// returns its fd, which belongs to that namespace for good and to the caller to close (os.NewFile,
// net.FileConn and net.FilePacketConn turn it into Go values). No thread changes namespace.
func Socket(ns *Namespace, domain, typ, proto int) (int, error) {
	return netCall("ns_socket", func() C.int {
		return C.ns_socket(netnsFd(ns), C.int(domain), C.int(typ), C.int(proto))
	}, ns)
}

// NetnsList returns the names of the named network namespaces (/run/netns), sorted, as
// `ip netns list` shows them.
func NetnsList() ([]string, error) {
	var names **C.char
	n, err := call("ns_netns_list", func() C.int { return C.ns_netns_list(&names) })
	if err != nil {
		return nil, err
	}
	defer C.ns_netns_list_free(names)
	out := make([]string, 0, n)
	for _, p := range unsafe.Slice(names, n) {
		out = append(out, C.GoString(p))
	}
	return out, nil
}

func withCString(s string, f func(*C.char) (int, error)) (int, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return f(cs)
}

// LinkIndex returns the index of interface ifname in the network namespace ns (nil: the caller's).
func LinkIndex(ns *Namespace, ifname string) (int, error) {
	return withCString(ifname, func(c *C.char) (int, error) {
		return netCall("ns_net_link_index", func() C.int { return C.ns_net_link_index(netnsFd(ns), c) }, ns)
	})
}

// LinkUp sets interface ifname up in the network namespace ns (nil: the caller's); "lo" too.
func LinkUp(ns *Namespace, ifname string) error {
	_, err := withCString(ifname, func(c *C.char) (int, error) {
		return netCall("ns_net_link_up", func() C.int { return C.ns_net_link_up(netnsFd(ns), c) }, ns)
	})
	return err
}

// LinkDel deletes interface ifname in the network namespace ns (both ends of a veth pair).
func LinkDel(ns *Namespace, ifname string) error {
	_, err := withCString(ifname, func(c *C.char) (int, error) {
		return netCall("ns_net_link_del", func() C.int { return C.ns_net_link_del(netnsFd(ns), c) }, ns)
	})
	return err
}

// LinkMove moves interface ifname from the network namespace ns to the network namespace to
// (either nil: the caller's).
func LinkMove(ns *Namespace, ifname string, to *Namespace) error {
	_, err := withCString(ifname, func(c *C.char) (int, error) {
		return netCall("ns_net_link_move", func() C.int {
			return C.ns_net_link_move(netnsFd(ns), c, netnsFd(to))
		}, ns, to)
	})
	return err
}

// VethAdd creates a veth pair: name in the network namespace ns and peer in peerNs (either nil:
// the caller's), each end made directly in its namespace; on failure nothing is left.
func VethAdd(ns *Namespace, name string, peerNs *Namespace, peer string) error {
	_, err := withCString(name, func(cn *C.char) (int, error) {
		return withCString(peer, func(cp *C.char) (int, error) {
			return netCall("ns_net_veth_add", func() C.int {
				return C.ns_net_veth_add(netnsFd(ns), cn, netnsFd(peerNs), cp)
			}, ns, peerNs)
		})
	})
	return err
}

// AddrAdd adds the address cidr ("10.0.0.1/24", "fd00::1/64") to interface ifname in the network
// namespace ns (nil: the caller's), as `ip addr add`.
func AddrAdd(ns *Namespace, ifname, cidr string) error {
	_, err := withCString(ifname, func(ci *C.char) (int, error) {
		return withCString(cidr, func(cc *C.char) (int, error) {
			return netCall("ns_net_addr_add", func() C.int { return C.ns_net_addr_add(netnsFd(ns), ci, cc) }, ns)
		})
	})
	return err
}
