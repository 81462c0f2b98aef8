// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <libns/libns.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Flags for Unshare.
const (
	UnshareMapRoot    = C.NS_UNSHARE_MAP_ROOT    // with TypeUser: the caller's uid/gid become 0 inside
	UnshareMapCurrent = C.NS_UNSHARE_MAP_CURRENT // with TypeUser: the caller's uid/gid map to themselves
)

// Enter moves the calling OS thread into ns (setns); t 0 accepts any type. The goroutine must be
// locked to its thread (runtime.LockOSThread); see WithNamespaces.
func Enter(ns *Namespace, t Type) error {
	_, err := ns.op("ns_enter", func(fd C.int) C.int { return C.ns_enter(fd, C.int(t)) })
	return err
}

// EnterPid moves the calling OS thread into the namespaces types of process pid and returns the
// types actually entered (those already shared are skipped). Lock the thread first.
func EnterPid(pid int, types Type, flags uint) (Type, error) {
	var joined C.uint
	_, err := call("ns_enter_pid", func() C.int {
		return C.ns_enter_pid(C.pid_t(pid), C.uint(types), C.uint(flags), &joined)
	})
	return Type(joined), err
}

// EnterPidfd is EnterPid for the process held by pidfd.
func EnterPidfd(pidfd int, types Type, flags uint) (Type, error) {
	var joined C.uint
	_, err := call("ns_enter_pidfd", func() C.int {
		return C.ns_enter_pidfd(C.int(pidfd), C.uint(types), C.uint(flags), &joined)
	})
	return Type(joined), err
}

// Unshare moves the calling OS thread into new namespaces of types (flags: UnshareMapRoot,
// UnshareMapCurrent). Lock the thread first; unlock it only after returning it to namespaces
// saved beforehand (Enter), otherwise let the goroutine exit locked so Go discards the thread.
// With TypeMnt the thread also stops sharing its working directory and root with the rest of the
// process (CLONE_FS), which no Enter undoes: never unlock such a thread. The kernel refuses
// TypeUser to a multi-threaded process, which a Go program always is (EINVAL).
func Unshare(types Type, flags uint) error {
	_, err := call("ns_unshare", func() C.int { return C.ns_unshare(C.uint(types), C.uint(flags)) })
	return err
}

// threadNSPath is the file holding the namespace setns() changes for type t on this thread:
// for pid namespaces that is the one children get, not the thread's own.
func threadNSPath(t Type) string {
	if t == TypePID {
		return "/proc/thread-self/ns/pid_for_children"
	}
	return "/proc/thread-self/ns/" + t.String()
}

// WithNamespaces runs fn on an OS thread that joined the namespaces types of the process held by
// pidfd, and returns fn's error (or the error entering). fn runs on a new goroutine locked to its
// thread; anything fn starts on other goroutines runs in the caller's namespaces.
//
// Afterwards the thread goes back to its own namespaces and is returned to the scheduler. If it
// cannot go back, the goroutine exits still locked, so the Go runtime ends that thread instead of
// reusing it: no other goroutine ever runs in the wrong namespace. A panic in fn is re-raised in
// the caller.
//
// User and mount namespaces (EINVAL) and time namespaces (EUSERS) cannot be joined this way: a Go
// process is multi-threaded and the kernel allows those only to a single-threaded one. Start a
// process with Spawn instead. A pid namespace applies to the processes fn starts (exec.Command),
// not to the thread itself, as setns(2) defines.
func WithNamespaces(pidfd int, types Type, fn func() error) error {
	type outcome struct {
		err   error
		panic interface{}
	}
	done := make(chan outcome, 1)
	go func() {
		runtime.LockOSThread()
		var out outcome
		defer func() { done <- out }()

		saved := make([]*Namespace, 0, 8)
		defer func() {
			for _, ns := range saved {
				ns.Close()
			}
		}()
		for _, t := range types.Types() {
			ns, err := FromPath(threadNSPath(t), t)
			if err != nil {
				runtime.UnlockOSThread() // nothing changed yet
				out.err = err
				return
			}
			saved = append(saved, ns)
		}
		restore := func() error {
			for _, ns := range saved {
				if err := Enter(ns, 0); err != nil {
					return fmt.Errorf("libns: cannot return this thread to its %v namespace, "+
						"so it is discarded: %w", ns, err)
				}
			}
			return nil
		}

		_, err := EnterPidfd(pidfd, types, 0)
		if err == nil {
			func() {
				defer func() { out.panic = recover() }()
				out.err = fn()
			}()
		} else {
			out.err = err
		}
		if rerr := restore(); rerr != nil {
			if out.err == nil {
				out.err = rerr
			}
			return // still locked: the runtime terminates this thread when the goroutine exits
		}
		runtime.UnlockOSThread()
	}()
	out := <-done
	if out.panic != nil {
		panic(out.panic)
	}
	return out.err
}
