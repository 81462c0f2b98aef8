// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

/*
#include <stdlib.h>
#include <libns/libns.h>

static char **libns_go_strv(size_t n) { return calloc(n + 1, sizeof(char *)); }
static void libns_go_strv_set(char **v, size_t i, char *s) { v[i] = s; }
static void libns_go_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}
*/
import "C"

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// SpawnFlag selects what Spawn does in the child before exec.
type SpawnFlag uint

const (
	SpawnMapRoot       SpawnFlag = C.NS_SPAWN_MAP_ROOT        // with TypeUser: map the caller to 0
	SpawnMapCurrent    SpawnFlag = C.NS_SPAWN_MAP_CURRENT     // with TypeUser: map the caller to itself
	SpawnMountProc     SpawnFlag = C.NS_SPAWN_MOUNT_PROC      // with TypePID|TypeMnt: a fresh /proc
	SpawnDieWithParent SpawnFlag = C.NS_SPAWN_DIE_WITH_PARENT // SIGKILL when the parent exits
	SpawnSetgroupsDeny SpawnFlag = C.NS_SPAWN_SETGROUPS_DENY  // "deny" in /proc/PID/setgroups
	SpawnIntoCgroup    SpawnFlag = C.NS_SPAWN_INTO_CGROUP     // start in the cgroup CgroupFd
	SpawnIdmapHelper   SpawnFlag = C.NS_SPAWN_IDMAP_HELPER    // write UIDMap/GIDMap through newuidmap/newgidmap
	SpawnDropCaps      SpawnFlag = C.NS_SPAWN_DROP_CAPS       // drop every capability not in KeepCaps
)

// SpawnOptions says which namespaces the child gets and how they are set up. The zero value
// starts the program in the caller's namespaces.
type SpawnOptions struct {
	NewTypes  Type // namespaces to create
	JoinPidfd int  // process whose namespaces JoinTypes to join first (read only if JoinTypes != 0)
	JoinTypes Type
	Flags     SpawnFlag
	UIDMap    IDMap // written by the parent while the child waits; nil: none
	GIDMap    IDMap
	Hostname  string // "" leaves the hostname alone
	Root      string // new root (pivot_root); "" keeps the root
	// Offsets of a new time namespace's clocks; nil leaves one at 0.
	MonotonicOffset, BoottimeOffset *time.Duration
	CgroupFd                        int      // read only with SpawnIntoCgroup
	KeepCaps                        uint64   // with SpawnDropCaps: bit n keeps capability n
	Env                             []string // nil: os.Environ()
}

// Process is a child started by Spawn; it owns a pidfd. On kernels without pidfd_open()
// (before Linux 5.3) the pidfd is -1 and the pid is used instead.
type Process struct {
	Pid    int
	pidfd  int
	closed bool
	done   bool
	state  syscall.WaitStatus
}

func cStrv(items []string) **C.char {
	v := C.libns_go_strv(C.size_t(len(items)))
	for i, s := range items {
		C.libns_go_strv_set(v, C.size_t(i), C.CString(s))
	}
	return v
}

func timespec(d *time.Duration) *C.struct_timespec {
	if d == nil {
		return nil
	}
	ts := (*C.struct_timespec)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_timespec{}))))
	sec, nsec := int64(*d)/1e9, int64(*d)%1e9
	if nsec < 0 {
		sec, nsec = sec-1, nsec+1e9
	}
	ts.tv_sec, ts.tv_nsec = C.long(sec), C.long(nsec)
	return ts
}

// Spawn starts path (looked up in PATH if it has no slash) with argv in the namespaces opts
// asks for and returns the child; Wait reaps it. Everything the child needs is set up before
// it execs, in C: no Go code runs in the child.
func Spawn(path string, argv []string, opts *SpawnOptions) (*Process, error) {
	if opts == nil {
		opts = &SpawnOptions{}
	}
	if !strings.Contains(path, "/") {
		found, err := exec.LookPath(path)
		if err != nil {
			return nil, &Error{Op: "ns_spawn_exec", Errno: syscall.ENOENT, Msg: "ns_spawn_exec: " + err.Error()}
		}
		path = found
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}

	// Everything ns_spawn_exec reads lives in C memory, so cgo's pointer rules never apply.
	o := (*C.struct_ns_spawn_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_ns_spawn_opts{}))))
	defer C.free(unsafe.Pointer(o))
	o.size = C.size_t(unsafe.Sizeof(C.struct_ns_spawn_opts{}))
	o.new_types = C.uint(opts.NewTypes)
	o.join_pidfd = C.int(opts.JoinPidfd)
	o.join_types = C.uint(opts.JoinTypes)
	o.flags = C.uint(opts.Flags)
	o.cgroup_fd = C.int(opts.CgroupFd)
	o.keep_caps = C.uint64_t(opts.KeepCaps)
	var err error
	if opts.UIDMap != nil {
		if o.uid_map, err = opts.UIDMap.cAlloc("ns_spawn_exec"); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(o.uid_map))
	}
	if opts.GIDMap != nil {
		if o.gid_map, err = opts.GIDMap.cAlloc("ns_spawn_exec"); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(o.gid_map))
	}
	if opts.Hostname != "" {
		o.hostname = C.CString(opts.Hostname)
		defer C.free(unsafe.Pointer(o.hostname))
	}
	if opts.Root != "" {
		o.root = C.CString(opts.Root)
		defer C.free(unsafe.Pointer(o.root))
	}
	o.monotonic_offset = timespec(opts.MonotonicOffset)
	defer C.free(unsafe.Pointer(o.monotonic_offset))
	o.boottime_offset = timespec(opts.BoottimeOffset)
	defer C.free(unsafe.Pointer(o.boottime_offset))

	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cargv := cStrv(argv)
	defer C.libns_go_strv_free(cargv)
	cenv := cStrv(env)
	defer C.libns_go_strv_free(cenv)

	var pidfd C.int = -1
	pid, err := call("ns_spawn_exec", func() C.int {
		return C.ns_spawn_exec(o, cpath, cargv, cenv, &pidfd)
	})
	if err != nil {
		return nil, err
	}
	p := &Process{Pid: pid, pidfd: int(pidfd)}
	runtime.SetFinalizer(p, (*Process).Close)
	return p, nil
}

// Wait waits for the child held by pidfd to exit and returns its status.
func Wait(pidfd int) (syscall.WaitStatus, error) {
	var status C.int
	_, err := call("ns_wait", func() C.int { return C.ns_wait(C.int(pidfd), &status) })
	return syscall.WaitStatus(status), err
}

// Pidfd returns the child's pidfd, owned by p (-1 without pidfds, or once closed).
func (p *Process) Pidfd() int { return p.pidfd }

// Wait waits for the child to exit (once; later calls return the same status).
func (p *Process) Wait() (syscall.WaitStatus, error) {
	if p.done {
		return p.state, nil
	}
	if p.closed {
		return 0, &Error{Op: "ns_wait", Errno: syscall.EBADF, Msg: "ns_wait: the Process is closed"}
	}
	var st syscall.WaitStatus
	var err error
	if p.pidfd >= 0 {
		st, err = Wait(p.pidfd)
		runtime.KeepAlive(p)
	} else {
		for {
			_, err = syscall.Wait4(p.Pid, &st, 0, nil)
			if err != syscall.EINTR {
				break
			}
		}
		if err != nil {
			err = os.NewSyscallError("wait4", err)
		}
	}
	if err != nil {
		return 0, err
	}
	p.done, p.state = true, st
	return st, nil
}

// Signal sends sig to the child through its pidfd (never to a recycled pid).
func (p *Process) Signal(sig syscall.Signal) error {
	if p.done || p.closed {
		return nil
	}
	if p.pidfd < 0 {
		// not reaped yet, so the pid is still the child's
		return os.NewSyscallError("kill", syscall.Kill(p.Pid, sig))
	}
	_, _, e := syscall.Syscall6(sysPidfdSendSignal, uintptr(p.pidfd), uintptr(sig), 0, 0, 0, 0)
	runtime.KeepAlive(p)
	if e != 0 {
		return os.NewSyscallError("pidfd_send_signal", e)
	}
	return nil
}

// Kill sends SIGKILL.
func (p *Process) Kill() error { return p.Signal(syscall.SIGKILL) }

// Namespace returns the child's namespace of type t.
func (p *Process) Namespace(t Type) (*Namespace, error) {
	if p.pidfd < 0 {
		return Open(p.Pid, t)
	}
	n, err := FromPidfd(p.pidfd, t)
	runtime.KeepAlive(p)
	return n, err
}

// Close closes the pidfd (it does not wait for or kill the child).
func (p *Process) Close() error {
	if p.closed {
		return nil
	}
	fd := p.pidfd
	p.pidfd, p.closed = -1, true
	runtime.SetFinalizer(p, nil)
	if fd < 0 {
		return nil
	}
	return os.NewSyscallError("close", syscall.Close(fd))
}

// pidfd_send_signal(2) has the same number on every architecture (Linux 5.1).
const sysPidfdSendSignal = 424

// SetTimeOffsets sets the CLOCK_MONOTONIC and CLOCK_BOOTTIME offsets (nil leaves one alone) of
// the new time namespace of pid, before any process has entered it.
func SetTimeOffsets(pid int, monotonic, boottime *time.Duration) error {
	m, b := timespec(monotonic), timespec(boottime)
	defer C.free(unsafe.Pointer(m))
	defer C.free(unsafe.Pointer(b))
	_, err := call("ns_set_time_offsets", func() C.int { return C.ns_set_time_offsets(C.pid_t(pid), m, b) })
	return err
}
