// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <string.h>
#include <libns/libns.h>
*/
import "C"

import "strings"

// HeldBy says what keeps a listed namespace alive.
type HeldBy uint

const (
	HeldByProcess HeldBy = C.NS_HELD_BY_PROCESS
	HeldByFd      HeldBy = C.NS_HELD_BY_FD
	HeldByMount   HeldBy = C.NS_HELD_BY_MOUNT
	// found only as the owning user namespace or the parent of a listed one
	HeldByNamespace HeldBy = C.NS_HELD_BY_NAMESPACE
)

func (h HeldBy) String() string {
	var s []string
	for _, x := range []struct {
		bit  HeldBy
		name string
	}{{HeldByProcess, "process"}, {HeldByFd, "fd"}, {HeldByMount, "mount"}, {HeldByNamespace, "namespace"}} {
		if h&x.bit != 0 {
			s = append(s, x.name)
		}
	}
	return strings.Join(s, "|")
}

// Flags of List.
const (
	ListNoFds    = C.NS_LIST_NO_FDS    // skip the /proc/PID/fd scan (about halves the cost; fd-only namespaces missed)
	ListNoMounts = C.NS_LIST_NO_MOUNTS // skip the mountinfo scan (bind-mounted-only namespaces missed)
	ListProcOnly = C.NS_LIST_PROC_ONLY // never the BPF iterators: always the /proc scan
	ListBPFOnly  = C.NS_LIST_BPF_ONLY  // the BPF iterators or fail (EOPNOTSUPP, EPERM): never the /proc scan
)

// Entry is one namespace on the system.
type Entry struct {
	Type      Type
	ID        ID
	NProcs    uint32
	Pid       int    // lowest pid in it; 0 if held only by a mount or an fd
	OwnerUID  uint32 // owner of its user namespace
	UserNSIno uint64 // 0 if none or not visible
	ParentIno uint64 // 0 if none or not visible
	Command   string // of Pid
	HeldBy    HeldBy
}

// List returns every namespace of types on the system: those processes are in and those held
// only by fds or mounts.
func List(types Type, flags uint) ([]Entry, error) {
	var l *C.struct_ns_list
	if _, err := call("ns_list_new", func() C.int { return C.ns_list_new(C.uint(types), C.uint(flags), &l) }); err != nil {
		return nil, err
	}
	defer C.ns_list_free(l)
	n := int(C.ns_list_count(l))
	out := make([]Entry, 0, n)
	for i := 0; i < n; i++ {
		e := C.ns_list_get(l, C.size_t(i))
		if e == nil {
			break
		}
		out = append(out, Entry{
			Type:      Type(e._type),
			ID:        ID{ID: uint64(e.id.id), Dev: uint64(e.id.dev), Ino: uint64(e.id.ino)},
			NProcs:    uint32(e.nprocs),
			Pid:       int(e.pid),
			OwnerUID:  uint32(e.owner_uid),
			UserNSIno: uint64(e.userns_ino),
			ParentIno: uint64(e.parent_ino),
			Command:   C.GoStringN(&e.command[0], C.int(C.strnlen(&e.command[0], C.size_t(len(e.command))))),
			HeldBy:    HeldBy(e.held_by),
		})
	}
	return out, nil
}
