// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <stdlib.h>
#include <libns/libns.h>
*/
import "C"

import "unsafe"

// Pin keeps ns alive at path (created, never overwritten) by a bind mount.
func Pin(ns *Namespace, path string) error { return ns.Pin(path) }

// Unpin undoes Pin: it unmounts and removes path (EINVAL if path is not a pin).
func Unpin(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	_, err := call("ns_unpin", func() C.int { return C.ns_unpin(cs, 0) })
	return err
}

// NetnsAdd makes /run/netns/NAME as `ip netns add` does: for ns, or a new network namespace if
// ns is nil.
func NetnsAdd(name string, ns *Namespace) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if ns == nil {
		_, err := call("ns_netns_add", func() C.int { return C.ns_netns_add(cs, -1, 0) })
		return err
	}
	_, err := ns.op("ns_netns_add", func(fd C.int) C.int { return C.ns_netns_add(cs, fd, 0) })
	return err
}

// NetnsOpen opens the named network namespace /run/netns/NAME.
func NetnsOpen(name string) (*Namespace, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return openResult("ns_netns_open", func() C.int { return C.ns_netns_open(cs) })
}

// NetnsDel removes /run/netns/NAME as `ip netns del` does.
func NetnsDel(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	_, err := call("ns_netns_del", func() C.int { return C.ns_netns_del(cs) })
	return err
}
