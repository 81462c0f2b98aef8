// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <stdlib.h>
#include <libns/libns.h>
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// Namespace holds an nsfs file descriptor (O_CLOEXEC) that it owns; Close releases it. A
// Namespace that is garbage-collected unclosed closes its fd, as *os.File does.
type Namespace struct {
	fd int
}

// ID is a namespace's identity: the kernel's 64-bit id (0 where the kernel has no NS_GET_ID)
// and the nsfs inode (Dev, Ino), the number in "net:[4026531840]".
type ID struct {
	ID  uint64
	Dev uint64
	Ino uint64
}

func adopt(fd int) *Namespace {
	n := &Namespace{fd: fd}
	runtime.SetFinalizer(n, (*Namespace).Close)
	return n
}

func openResult(op string, f func() C.int) (*Namespace, error) {
	fd, err := call(op, f)
	if err != nil {
		return nil, err
	}
	return adopt(fd), nil
}

// NewNamespace adopts fd, which must be an nsfs file descriptor; the Namespace closes it.
func NewNamespace(fd int) (*Namespace, error) {
	if _, err := call("ns_type_of", func() C.int { return C.ns_type_of(C.int(fd)) }); err != nil {
		return nil, err
	}
	return adopt(fd), nil
}

// Open returns the namespace of type t that process pid is in (pid 0: this process).
func Open(pid int, t Type) (*Namespace, error) {
	return openResult("ns_open", func() C.int { return C.ns_open(C.pid_t(pid), C.int(t), 0) })
}

// OpenForChildren returns the pid or time namespace pid's future children get
// (pid_for_children, time_for_children).
func OpenForChildren(pid int, t Type) (*Namespace, error) {
	return openResult("ns_open", func() C.int {
		return C.ns_open(C.pid_t(pid), C.int(t), C.NS_OPEN_FOR_CHILDREN)
	})
}

// FromPidfd returns the namespace of type t of the process held by pidfd.
func FromPidfd(pidfd int, t Type) (*Namespace, error) {
	return openResult("ns_open_pidfd", func() C.int { return C.ns_open_pidfd(C.int(pidfd), C.int(t), 0) })
}

// FromPath opens a namespace file (/proc/PID/ns/net, a pin, /run/netns/NAME); t 0 accepts any type.
func FromPath(path string, t Type) (*Namespace, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	return openResult("ns_open_path", func() C.int { return C.ns_open_path(cs, C.int(t), 0) })
}

// FromID opens the namespace with the kernel's 64-bit id (Linux 6.18; EOPNOTSUPP before);
// t 0 accepts any type.
func FromID(id uint64, t Type) (*Namespace, error) {
	return openResult("ns_open_by_id", func() C.int { return C.ns_open_by_id(C.uint64_t(id), C.int(t), 0) })
}

// PidfdOpen returns a pidfd (O_CLOEXEC; the caller closes it) for pid (0: this process).
func PidfdOpen(pid int) (int, error) {
	return call("ns_pidfd_open", func() C.int { return C.ns_pidfd_open(C.pid_t(pid), 0) })
}

// Fd returns the file descriptor, -1 once closed. It stays owned by the Namespace: use it while
// n is reachable (runtime.KeepAlive) or the finalizer may close it.
func (n *Namespace) Fd() int { return n.fd }

// Close closes the fd; closing twice returns nil.
func (n *Namespace) Close() error {
	if n.fd < 0 {
		return nil
	}
	fd := n.fd
	n.fd = -1
	runtime.SetFinalizer(n, nil)
	return os.NewSyscallError("close", syscall.Close(fd))
}

// Release gives up ownership and returns the fd, which the caller must close.
func (n *Namespace) Release() int {
	fd := n.fd
	n.fd = -1
	runtime.SetFinalizer(n, nil)
	return fd
}

func (n *Namespace) op(op string, f func(fd C.int) C.int) (int, error) {
	if n == nil || n.fd < 0 {
		return -1, &Error{Op: op, Errno: syscall.EBADF, Msg: op + ": the Namespace is closed"}
	}
	r, err := call(op, func() C.int { return f(C.int(n.fd)) })
	runtime.KeepAlive(n)
	return r, err
}

// Type returns the namespace's type.
func (n *Namespace) Type() (Type, error) {
	r, err := n.op("ns_type_of", func(fd C.int) C.int { return C.ns_type_of(fd) })
	if err != nil {
		return 0, err
	}
	return Type(r), nil
}

// ID returns the namespace's identity.
func (n *Namespace) ID() (ID, error) {
	var out C.struct_ns_id
	_, err := n.op("ns_get_id", func(fd C.int) C.int { return C.ns_get_id(fd, &out) })
	return ID{ID: uint64(out.id), Dev: uint64(out.dev), Ino: uint64(out.ino)}, err
}

// Equal reports whether n and o are the same namespace.
func (n *Namespace) Equal(o *Namespace) (bool, error) {
	if o == nil || o.fd < 0 {
		return false, &Error{Op: "ns_equal", Errno: syscall.EBADF, Msg: "ns_equal: the other Namespace is closed"}
	}
	r, err := n.op("ns_equal", func(fd C.int) C.int { return C.ns_equal(fd, C.int(o.fd)) })
	runtime.KeepAlive(o)
	return r == 1, err
}

// String is "net:[4026531840]" as /proc/PID/ns links show it.
func (n *Namespace) String() string {
	if n == nil || n.fd < 0 {
		return "<closed namespace>"
	}
	t, err1 := n.Type()
	id, err2 := n.ID()
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("<namespace fd %d>", n.fd)
	}
	return fmt.Sprintf("%s:[%d]", t, id.Ino)
}

// Parent returns the parent pid or user namespace (EPERM past what the caller may see, EINVAL
// for types without a hierarchy).
func (n *Namespace) Parent() (*Namespace, error) {
	fd, err := n.op("ns_get_parent", func(fd C.int) C.int { return C.ns_get_parent(fd) })
	if err != nil {
		return nil, err
	}
	return adopt(fd), nil
}

// UserNS returns the user namespace that owns n.
func (n *Namespace) UserNS() (*Namespace, error) {
	fd, err := n.op("ns_get_userns", func(fd C.int) C.int { return C.ns_get_userns(fd) })
	if err != nil {
		return nil, err
	}
	return adopt(fd), nil
}

// OwnerUID returns the uid that created the user namespace n.
func (n *Namespace) OwnerUID() (int, error) {
	var uid C.uid_t
	_, err := n.op("ns_get_owner_uid", func(fd C.int) C.int { return C.ns_get_owner_uid(fd, &uid) })
	return int(uid), err
}

// Directions for PidTranslate.
const (
	PidIntoNS = C.NS_PID_INTO_NS // pid as the caller sees it -> pid inside the namespace
	PidFromNS = C.NS_PID_FROM_NS // pid inside the namespace -> pid as the caller sees it
	PidTGID   = C.NS_PID_TGID    // translate the thread-group leader instead
)

// PidTranslate translates pid into (PidIntoNS) or out of (PidFromNS) the pid namespace n.
func (n *Namespace) PidTranslate(pid int, flags uint) (int, error) {
	var out C.pid_t
	_, err := n.op("ns_pid_translate", func(fd C.int) C.int {
		return C.ns_pid_translate(fd, C.pid_t(pid), C.uint(flags), &out)
	})
	return int(out), err
}

// CanEnter reports whether this thread may setns into n; when false, err is nil and the reason
// is in LastError on this thread only, so CanEnterReason is usually handier.
func (n *Namespace) CanEnter() (bool, error) {
	ok, _, err := n.CanEnterReason()
	return ok, err
}

// CanEnterReason is CanEnter with libns's explanation when the answer is no.
func (n *Namespace) CanEnterReason() (bool, string, error) {
	var reason string
	r, err := n.op("ns_can_enter", func(fd C.int) C.int {
		r := C.ns_can_enter(fd)
		if r == 0 {
			reason = C.GoString(C.ns_last_error())
		}
		return r
	})
	return r == 1, reason, err
}

// Enter moves the calling OS thread into n (setns). Lock the goroutine to its thread first
// (runtime.LockOSThread) and do not unlock it until the thread is back where it was, or use
// WithNamespaces.
func (n *Namespace) Enter() error {
	_, err := n.op("ns_enter", func(fd C.int) C.int { return C.ns_enter(fd, 0) })
	return err
}

// Pin keeps n alive at path (created, never overwritten) by a bind mount.
func (n *Namespace) Pin(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	_, err := n.op("ns_pin", func(fd C.int) C.int { return C.ns_pin(fd, cs, 0) })
	return err
}
