// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <stdlib.h>
#include <libns/libns.h>
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// IDMapMax is the most ranges a map may hold (the kernel's limit).
const IDMapMax = C.NS_IDMAP_MAX

// IDMapKind says which map: uid_map or gid_map.
type IDMapKind int

const (
	UID IDMapKind = C.NS_IDMAP_UID
	GID IDMapKind = C.NS_IDMAP_GID
)

// Flags for WriteIDMap.
const IDMapUseHelper = C.NS_IDMAP_USE_HELPER // write through newuidmap/newgidmap

// IDMapSubidOnly is a flag of IDMapFromSubid: only the subordinate ranges, from inside id 0, without
// the caller's own id mapped to 0.
const IDMapSubidOnly = C.NS_IDMAP_SUBID_ONLY

// IDMapRange is one uid_map line: Count ids from Inside map to ids from Outside.
type IDMapRange struct {
	Inside, Outside, Count uint32
}

// IDMap is a uid_map or gid_map.
type IDMap []IDMapRange

func (m IDMap) toC(op string, c *C.struct_ns_idmap) error {
	if len(m) > IDMapMax {
		return &Error{Op: op, Errno: syscall.E2BIG, Msg: op + ": an id map holds at most 340 ranges"}
	}
	c.n = C.uint32_t(len(m))
	for i, r := range m {
		c._range[i] = C.struct_ns_idmap_range{inside: C.uint32_t(r.Inside), outside: C.uint32_t(r.Outside),
			count: C.uint32_t(r.Count)}
	}
	return nil
}

func idmapFromC(c *C.struct_ns_idmap) IDMap {
	m := make(IDMap, int(c.n))
	for i := range m {
		r := c._range[i]
		m[i] = IDMapRange{Inside: uint32(r.inside), Outside: uint32(r.outside), Count: uint32(r.count)}
	}
	return m
}

// cIDMap allocates the C struct in C memory: it is 4 KiB, and ns_spawn_opts points to it.
func (m IDMap) cAlloc(op string) (*C.struct_ns_idmap, error) {
	c := (*C.struct_ns_idmap)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_ns_idmap{}))))
	if err := m.toC(op, c); err != nil {
		C.free(unsafe.Pointer(c))
		return nil, err
	}
	return c, nil
}

// ParseIDMap parses uid_map text: one "inside outside count" per line.
func ParseIDMap(text string) (IDMap, error) {
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	var c C.struct_ns_idmap
	if _, err := call("ns_idmap_parse", func() C.int { return C.ns_idmap_parse(cs, &c) }); err != nil {
		return nil, err
	}
	return idmapFromC(&c), nil
}

// ParseIDMapBytes parses uid_map text of a given length, as read from a file; a NUL byte in it is
// an error (EINVAL) rather than the end of the text.
func ParseIDMapBytes(text []byte) (IDMap, error) {
	cb := C.CBytes(text)
	defer C.free(cb)
	var c C.struct_ns_idmap
	if _, err := call("ns_idmap_parse_buf", func() C.int {
		return C.ns_idmap_parse_buf((*C.char)(cb), C.size_t(len(text)), &c)
	}); err != nil {
		return nil, err
	}
	return idmapFromC(&c), nil
}

// IDMapFromSubid returns the usual map for a user namespace built from user's subordinate ranges
// in /etc/subuid (UID) or /etc/subgid (GID): user's own id maps to 0 and the ranges follow from 1,
// or with IDMapSubidOnly only the ranges, from 0. user "" is the calling user (its real uid/gid).
func IDMapFromSubid(user string, kind IDMapKind, flags ...uint) (IDMap, error) {
	var cs *C.char
	if user != "" {
		cs = C.CString(user)
		defer C.free(unsafe.Pointer(cs))
	}
	var f uint
	for _, x := range flags {
		f |= x
	}
	var c C.struct_ns_idmap
	if _, err := call("ns_idmap_from_subid", func() C.int {
		return C.ns_idmap_from_subid(&c, cs, C.int(kind), C.uint(f))
	}); err != nil {
		return nil, err
	}
	return idmapFromC(&c), nil
}

// Add returns m with the range appended, after libns checked it against the ranges already there.
func (m IDMap) Add(inside, outside, count uint32) (IDMap, error) {
	var c C.struct_ns_idmap
	if err := m.toC("ns_idmap_add", &c); err != nil {
		return m, err
	}
	if _, err := call("ns_idmap_add", func() C.int {
		return C.ns_idmap_add(&c, C.uint32_t(inside), C.uint32_t(outside), C.uint32_t(count))
	}); err != nil {
		return m, err
	}
	return idmapFromC(&c), nil
}

// Validate returns an error (EINVAL, ERANGE) if the kernel would refuse m.
func (m IDMap) Validate() error {
	var c C.struct_ns_idmap
	if err := m.toC("ns_idmap_validate", &c); err != nil {
		return err
	}
	_, err := call("ns_idmap_validate", func() C.int { return C.ns_idmap_validate(&c) })
	return err
}

// Format returns m as uid_map text.
func (m IDMap) Format() (string, error) {
	var c C.struct_ns_idmap
	if err := m.toC("ns_idmap_format", &c); err != nil {
		return "", err
	}
	n, err := call("ns_idmap_format", func() C.int { return C.ns_idmap_format(&c, nil, 0) })
	if err != nil {
		return "", err
	}
	buf := make([]byte, n+1)
	if _, err := call("ns_idmap_format", func() C.int {
		return C.ns_idmap_format(&c, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	}); err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// String is Format without the error ("" for a map libns cannot format).
func (m IDMap) String() string {
	s, _ := m.Format()
	return s
}

// WriteIDMap writes /proc/PID/uid_map (UID) or gid_map (GID); flags IDMapUseHelper goes through
// newuidmap/newgidmap, as an unprivileged user must for more than its own id.
func WriteIDMap(pid int, kind IDMapKind, m IDMap, flags uint) error {
	var c C.struct_ns_idmap
	if err := m.toC("ns_write_idmap", &c); err != nil {
		return err
	}
	_, err := call("ns_write_idmap", func() C.int {
		return C.ns_write_idmap(C.pid_t(pid), C.int(kind), &c, C.uint(flags))
	})
	return err
}

// WriteSetgroups writes "allow" or "deny" to /proc/PID/setgroups.
func WriteSetgroups(pid int, allow bool) error {
	a := C.int(0)
	if allow {
		a = 1
	}
	_, err := call("ns_write_setgroups", func() C.int { return C.ns_write_setgroups(C.pid_t(pid), a) })
	return err
}
