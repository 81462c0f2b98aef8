// SPDX-License-Identifier: LGPL-2.1-or-later

// Package libns binds libns, a C library for Linux namespaces as file descriptors.
//
// A namespace is a *Namespace holding an nsfs file descriptor; types are the kernel's CLONE_NEW*
// flags (Type). Every failure is an *Error carrying the operation, the errno and libns's own
// explanation; errors.Is(err, syscall.ESRCH) and friends work through Unwrap.
//
// Threads: setns(2) and unshare(2) change only the calling OS thread, while the Go scheduler moves
// goroutines between threads at will. Enter, EnterPid, EnterPidfd and Unshare therefore only mean
// something on a goroutine locked to its thread with runtime.LockOSThread, and that thread must
// never be handed back to the scheduler while it is in other namespaces. WithNamespaces (another
// process's namespaces) and Do (namespaces held as Namespace values) do all of that for you. A Go program always has several threads, so the kernel refuses to move it into a
// user or mount namespace (EINVAL) or a time namespace (EUSERS), or to create a user namespace;
// use Spawn for those.
//
// The function forms of the C API (ns_run_in, ns_run_in_fds, ns_spawn with a callback) are not
// bound: Go code cannot run in a child forked behind the Go runtime's back. Spawn (exec form),
// WithNamespaces and Do cover the same needs; Do is the Go form of NS_RUN_THREAD. Socket makes a
// socket inside a network namespace, and LinkUp, VethAdd, AddrAdd and the others wire network
// namespaces without entering them.
package libns

/*
#cgo pkg-config: libns
#include <stdlib.h>
#include <libns/libns.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// Error is a failed libns call: Op is the C function, Errno the kernel's (or libns's) errno and
// Msg libns's explanation of what failed on what, and why.
type Error struct {
	Op    string
	Errno syscall.Errno
	Msg   string
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return e.Op + ": " + e.Errno.Error()
	}
	if strings.HasPrefix(e.Msg, e.Op+":") {
		return e.Msg
	}
	return e.Op + ": " + e.Msg
}

// Unwrap returns the errno, so errors.Is(err, syscall.ENOENT) and errors.Is(err, fs.ErrNotExist)
// work.
func (e *Error) Unwrap() error { return e.Errno }

// call runs one C call and, on failure, reads the thread-local message on the same OS thread.
// LockOSThread nests (Go 1.10+), so a caller that already locked its thread stays locked.
func call(op string, f func() C.int) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := f()
	if r < 0 {
		return int(r), &Error{Op: op, Errno: syscall.Errno(-r), Msg: C.GoString(C.ns_last_error())}
	}
	return int(r), nil
}

// Type is a namespace type: the kernel's CLONE_NEW* flag. A set of types is their bitwise or.
type Type uint32

const (
	TypeMnt    Type = C.NS_TYPE_MNT
	TypeCgroup Type = C.NS_TYPE_CGROUP
	TypeUTS    Type = C.NS_TYPE_UTS
	TypeIPC    Type = C.NS_TYPE_IPC
	TypeUser   Type = C.NS_TYPE_USER
	TypePID    Type = C.NS_TYPE_PID
	TypeNet    Type = C.NS_TYPE_NET
	TypeTime   Type = C.NS_TYPE_TIME
	TypesAll   Type = C.NS_TYPES_ALL
)

var allTypes = []Type{TypeMnt, TypeCgroup, TypeUTS, TypeIPC, TypeUser, TypePID, TypeNet, TypeTime}

// Types lists the single types in t.
func (t Type) Types() []Type {
	var out []Type
	for _, x := range allTypes {
		if t&x != 0 {
			out = append(out, x)
		}
	}
	return out
}

// String gives the kernel's names ("net", "mnt"), joined with "|" for a set.
func (t Type) String() string {
	var names []string
	rest := t
	for _, x := range t.Types() {
		names = append(names, C.GoString(C.ns_type_name(C.int(x))))
		rest &^= x
	}
	if rest != 0 {
		names = append(names, fmt.Sprintf("0x%x", uint32(rest)))
	}
	if len(names) == 0 {
		return "0"
	}
	return strings.Join(names, "|")
}

// ParseType returns the type named "net", "mnt" (or "mount"), "uts", ...
func ParseType(name string) (Type, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	r, err := call("ns_type_from_name", func() C.int { return C.ns_type_from_name(cs) })
	return Type(r), err
}

// Feature is a kernel feature libns probes at run time.
type Feature uint32

const (
	FeaturePidfd           Feature = C.NS_FEATURE_PIDFD
	FeaturePidfdSetns      Feature = C.NS_FEATURE_PIDFD_SETNS
	FeaturePidfdGetNS      Feature = C.NS_FEATURE_PIDFD_GET_NS
	FeatureClone3          Feature = C.NS_FEATURE_CLONE3
	FeatureNSID            Feature = C.NS_FEATURE_NS_ID
	FeatureNsfsHandle      Feature = C.NS_FEATURE_NSFS_HANDLE
	FeaturePidTranslate    Feature = C.NS_FEATURE_PID_TRANSLATE
	FeatureListns          Feature = C.NS_FEATURE_LISTNS
	FeatureTimeNS          Feature = C.NS_FEATURE_TIME_NS
	FeatureCloneIntoCgroup Feature = C.NS_FEATURE_CLONE_INTO_CGROUP
	FeatureMountAPI        Feature = C.NS_FEATURE_MOUNT_API
	FeatureBPFIter         Feature = C.NS_FEATURE_BPF_ITER
	FeaturesAll            Feature = C.NS_FEATURES_ALL
)

// String gives libns's names ("pidfd_setns"), joined with "|" for a set.
func (f Feature) String() string {
	var names []string
	for bit := Feature(1); bit != 0 && bit <= FeaturesAll; bit <<= 1 {
		if f&bit != 0 {
			names = append(names, C.GoString(C.ns_feature_name(C.int(bit))))
		}
	}
	if len(names) == 0 {
		return "0"
	}
	return strings.Join(names, "|")
}

// Features returns the features this kernel offers (probed once, then cached).
func Features() Feature { return Feature(C.ns_features()) }

// HasFeature reports whether the kernel offers f.
func HasFeature(f Feature) bool { return C.ns_has_feature(C.int(f)) == 1 }

// Version returns the library's version string.
func Version() string { return C.GoString(C.ns_version()) }
