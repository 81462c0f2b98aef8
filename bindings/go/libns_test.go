// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// skipIfStub skips while the C function under test is still a placeholder returning ENOSYS
// "not implemented yet"; any other error is the test's to judge.
func skipIfStub(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if errors.As(err, &e) && e.Errno == syscall.ENOSYS && strings.Contains(e.Msg, "not implemented yet") {
		t.Skipf("C function still a stub: %v", err)
	}
}

// must fails the test on err (skipping it while the C function is a stub).
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		skipIfStub(t, err)
		t.Fatal(err)
	}
}

// wantErrno checks that err wraps errno (skipping while the C function is a stub).
func wantErrno(t *testing.T, err error, errno syscall.Errno) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", errno)
	}
	skipIfStub(t, err)
	if !errors.Is(err, errno) {
		t.Fatalf("error %v, want %v", err, errno)
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg == "" {
		t.Fatalf("error %#v carries no libns message", err)
	}
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
}

func nsIno(t *testing.T, path string) uint64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

func procIno(t *testing.T, pid interface{}, name string) uint64 {
	t.Helper()
	return nsIno(t, fmt.Sprintf("/proc/%v/ns/%s", pid, name))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// child is `unshare ARGS sleep 60`; pid is the sleep's (with fork, unshare -f's child).
type child struct {
	cmd *exec.Cmd
	pid int
}

func startChild(t *testing.T, fork bool, args ...string) *child {
	t.Helper()
	all := append([]string{}, args...)
	if fork {
		all = append(all, "-f")
	}
	all = append(all, "sleep", "60")
	cmd := exec.Command("unshare", all...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	t.Cleanup(func() {
		// With -f the sleep is unshare's child: kill it too, or it outlives the test.
		if c.pid != 0 && c.pid != cmd.Process.Pid {
			syscall.Kill(c.pid, syscall.SIGKILL)
		}
		cmd.Process.Kill()
		cmd.Wait()
	})
	top := cmd.Process.Pid
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		pids := []string{strconv.Itoa(top)}
		if fork {
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", top, top))
			pids = strings.Fields(string(b))
		}
		for _, p := range pids {
			comm, _ := os.ReadFile("/proc/" + p + "/comm")
			if strings.TrimSpace(string(comm)) == "sleep" {
				c.pid, _ = strconv.Atoi(p)
				return c
			}
		}
	}
	t.Fatalf("unshare %v did not start", all)
	return nil
}

// rawPidfd asks the kernel itself, so the tests also run with libns's pidfd support masked.
func rawPidfd(t *testing.T, pid int) int {
	t.Helper()
	fd, _, e := syscall.Syscall(434 /* pidfd_open */, uintptr(pid), 0, 0)
	if e != 0 {
		t.Fatalf("pidfd_open(%d): %v", pid, e)
	}
	t.Cleanup(func() { syscall.Close(int(fd)) })
	return int(fd)
}

func (c *child) pidfd(t *testing.T) int { return rawPidfd(t, c.pid) }

func deadPid(t *testing.T) int {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func countFds(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

var typeNames = map[Type]string{TypeMnt: "mnt", TypeCgroup: "cgroup", TypeUTS: "uts", TypeIPC: "ipc",
	TypeUser: "user", TypePID: "pid", TypeNet: "net", TypeTime: "time"}

func TestTypes(t *testing.T) {
	if TypeNet != 0x40000000 || TypeMnt != 0x00020000 || TypeTime != 0x80 {
		t.Fatal("types are not the CLONE_NEW* values")
	}
	for typ, name := range typeNames {
		if typ.String() != name {
			t.Errorf("%#x.String() = %q, want %q", uint32(typ), typ.String(), name)
		}
		got, err := ParseType(name)
		if err != nil || got != typ {
			t.Errorf("ParseType(%q) = %v, %v", name, got, err)
		}
	}
	if s := (TypeNet | TypeUTS).String(); s != "uts|net" {
		t.Errorf("set String() = %q", s)
	}
	if len(TypesAll.Types()) != 8 {
		t.Error("TypesAll does not hold 8 types")
	}
	_, err := ParseType("bogus")
	wantErrno(t, err, syscall.EINVAL)
	if !strings.Contains(err.Error(), "bogus") {
		t.Errorf("message %q does not name the input", err)
	}
}

func TestFeaturesAndVersion(t *testing.T) {
	f := Features()
	for bit := Feature(1); bit <= FeaturesAll; bit <<= 1 {
		if HasFeature(bit) != (f&bit != 0) {
			t.Errorf("HasFeature(%v) disagrees with Features()", bit)
		}
	}
	if f&FeaturePidfd == 0 && os.Getenv("LIBNS_DISABLE_FEATURES") == "" {
		t.Error("no pidfd on a kernel this new")
	}
	if f&FeaturePidfd != 0 && !strings.Contains(f.String(), "pidfd") {
		t.Errorf("Features().String() = %q", f)
	}
	if !strings.HasPrefix(Version(), "0.") {
		t.Errorf("Version() = %q", Version())
	}
}

func TestOpenSelf(t *testing.T) {
	before := countFds(t)
	for typ, name := range typeNames {
		if typ == TypeTime && !HasFeature(FeatureTimeNS) {
			_, err := Open(0, typ)
			wantErrno(t, err, syscall.EOPNOTSUPP)
			continue
		}
		ns, err := Open(0, typ)
		if err != nil {
			t.Fatal(err)
		}
		id, err := ns.ID()
		if err != nil {
			t.Fatal(err)
		}
		if want := procIno(t, "self", name); id.Ino != want {
			t.Errorf("%s: ino %d, /proc says %d", name, id.Ino, want)
		}
		got, err := ns.Type()
		if err != nil || got != typ {
			t.Errorf("%s: Type() = %v, %v", name, got, err)
		}
		if s := ns.String(); s != fmt.Sprintf("%s:[%d]", name, id.Ino) {
			t.Errorf("String() = %q", s)
		}
		must(t, ns.Close())
	}
	if after := countFds(t); after != before {
		t.Errorf("fds: %d before, %d after", before, after)
	}
}

func TestOpenVariants(t *testing.T) {
	if HasFeature(FeaturePidfd) {
		fd, err := PidfdOpen(0)
		must(t, err)
		syscall.Close(fd)
	} else {
		_, err := PidfdOpen(0)
		wantErrno(t, err, syscall.ENOSYS)
	}
	pidfd := rawPidfd(t, os.Getpid())
	a, err := Open(os.Getpid(), TypeUTS)
	must(t, err)
	defer a.Close()
	b, err := FromPidfd(pidfd, TypeUTS)
	must(t, err)
	defer b.Close()
	c, err := FromPath("/proc/self/ns/uts", 0)
	must(t, err)
	defer c.Close()
	for _, o := range []*Namespace{b, c} {
		if eq, err := a.Equal(o); err != nil || !eq {
			t.Errorf("Equal = %v, %v", eq, err)
		}
	}
	fc, err := OpenForChildren(0, TypePID)
	must(t, err)
	defer fc.Close()
	id, _ := fc.ID()
	if id.Ino != nsIno(t, "/proc/self/ns/pid_for_children") {
		t.Error("OpenForChildren(pid) is not pid_for_children")
	}
	_, err = OpenForChildren(0, TypeNet)
	wantErrno(t, err, syscall.EINVAL)
}

func TestChildNetns(t *testing.T) {
	needRoot(t)
	c := startChild(t, false, "-n")
	ns, err := Open(c.pid, TypeNet)
	must(t, err)
	defer ns.Close()
	mine, err := Open(0, TypeNet)
	must(t, err)
	defer mine.Close()
	id, _ := ns.ID()
	if id.Ino != procIno(t, c.pid, "net") || id.Ino == procIno(t, "self", "net") {
		t.Fatalf("child netns ino %d, /proc says %d (ours %d)", id.Ino, procIno(t, c.pid, "net"),
			procIno(t, "self", "net"))
	}
	if eq, err := ns.Equal(mine); err != nil || eq {
		t.Errorf("Equal(child, ours) = %v, %v", eq, err)
	}
	uts, err := Open(c.pid, TypeUTS)
	must(t, err)
	defer uts.Close()
	if id, _ := uts.ID(); id.Ino != procIno(t, "self", "uts") {
		t.Error("only the netns should be new")
	}
}

func TestFromID(t *testing.T) {
	needRoot(t)
	if !HasFeature(FeatureNsfsHandle) {
		t.Skip("kernel has no nsfs file handles (Linux 6.18)")
	}
	c := startChild(t, false, "-n")
	ns, err := Open(c.pid, TypeNet)
	must(t, err)
	defer ns.Close()
	id, _ := ns.ID()
	if id.ID == 0 {
		t.Fatal("no 64-bit id")
	}
	again, err := FromID(id.ID, TypeNet)
	must(t, err)
	defer again.Close()
	if eq, _ := again.Equal(ns); !eq {
		t.Error("FromID opened another namespace")
	}
	_, err = FromID(id.ID, TypeUTS)
	wantErrno(t, err, syscall.ENOENT)
}

func TestErrors(t *testing.T) {
	_, err := Open(deadPid(t), TypeNet)
	wantErrno(t, err, syscall.ESRCH)
	var e *Error
	if !errors.As(err, &e) || e.Op != "ns_open" {
		t.Errorf("Op = %q", e.Op)
	}
	_, err = Open(0, 0x1)
	wantErrno(t, err, syscall.EINVAL)
	_, err = Open(0, TypeNet|TypeUTS)
	wantErrno(t, err, syscall.EINVAL)
	_, err = FromPath("/nonexistent/ns", 0)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FromPath(nonexistent) = %v, want fs.ErrNotExist", err)
	}
	_, err = FromPath("/etc/passwd", 0)
	wantErrno(t, err, syscall.EINVAL)
	_, err = FromPath("/proc/self/ns/net", TypeUTS)
	wantErrno(t, err, syscall.EINVAL)
}

func TestClose(t *testing.T) {
	ns, err := Open(0, TypeNet)
	must(t, err)
	fd := ns.Fd()
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	must(t, ns.Close())
	if err := syscall.Fstat(fd, &st); err != syscall.EBADF {
		t.Fatalf("fd still open after Close: %v", err)
	}
	if ns.Fd() != -1 || ns.Close() != nil {
		t.Error("second Close or Fd after Close misbehaves")
	}
	_, err = ns.Type()
	wantErrno(t, err, syscall.EBADF)

	raw, err := syscall.Open("/proc/self/ns/ipc", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	must(t, err)
	adopted, err := NewNamespace(raw)
	must(t, err)
	if typ, _ := adopted.Type(); typ != TypeIPC {
		t.Error("adopted fd has the wrong type")
	}
	if adopted.Release() != raw || adopted.Fd() != -1 {
		t.Error("Release")
	}
	syscall.Close(raw)
	bad, _ := syscall.Open("/etc/passwd", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	defer syscall.Close(bad)
	_, err = NewNamespace(bad)
	wantErrno(t, err, syscall.EINVAL)
}

func TestHierarchy(t *testing.T) {
	net, err := Open(0, TypeNet)
	must(t, err)
	defer net.Close()
	user, err := net.UserNS()
	must(t, err)
	defer user.Close()
	if id, _ := user.ID(); id.Ino != procIno(t, "self", "user") {
		t.Error("UserNS of our netns is not our user namespace")
	}
	_, err = net.Parent()
	wantErrno(t, err, syscall.EINVAL)
	if os.Geteuid() != 0 {
		return
	}
	if uid, err := user.OwnerUID(); err != nil || uid != 0 {
		t.Errorf("OwnerUID(init) = %d, %v", uid, err)
	}
	c := startChild(t, false, "-U")
	cu, err := Open(c.pid, TypeUser)
	must(t, err)
	defer cu.Close()
	parent, err := cu.Parent()
	must(t, err)
	defer parent.Close()
	if eq, _ := parent.Equal(user); !eq {
		t.Error("parent of the child's userns is not ours")
	}
}

func TestPidTranslate(t *testing.T) {
	needRoot(t)
	mine, err := Open(0, TypePID)
	must(t, err)
	defer mine.Close()
	got, err := mine.PidTranslate(os.Getpid(), PidIntoNS)
	must(t, err)
	if got != os.Getpid() {
		t.Errorf("own pid in own namespace: %d", got)
	}
	c := startChild(t, true, "-p", "--mount-proc")
	pidns, err := Open(c.pid, TypePID)
	must(t, err)
	defer pidns.Close()
	if got, err := pidns.PidTranslate(c.pid, PidIntoNS); err != nil || got != 1 {
		t.Errorf("child pid inside = %d, %v; want 1", got, err)
	}
	if got, err := pidns.PidTranslate(1, PidFromNS); err != nil || got != c.pid {
		t.Errorf("pid 1 outside = %d, %v; want %d", got, err, c.pid)
	}
}

// The namespaces the process started in, read while init runs on the main thread.
var startNS = func() map[string]uint64 {
	m := map[string]uint64{}
	for _, name := range []string{"net", "uts", "ipc", "mnt"} {
		var st syscall.Stat_t
		if syscall.Stat("/proc/thread-self/ns/"+name, &st) == nil {
			m[name] = st.Ino
		}
	}
	return m
}()

// allThreadsIn checks that no thread of this process was left in another namespace.
func allThreadsIn(t *testing.T, name string, want uint64) {
	t.Helper()
	tasks, _ := filepath.Glob("/proc/self/task/*/ns/" + name)
	for _, p := range tasks {
		var st syscall.Stat_t
		if syscall.Stat(p, &st) == nil && st.Ino != want {
			t.Errorf("thread %s is still in %s:[%d]", p, name, st.Ino)
		}
	}
}

func TestWithNamespaces(t *testing.T) {
	needRoot(t)
	c := startChild(t, false, "-n", "-u")
	pidfd := c.pidfd(t)
	ourNet, ourUTS := startNS["net"], startNS["uts"]
	host, _ := os.Hostname()
	var inNet, inUTS uint64
	var inHost string
	err := WithNamespaces(pidfd, TypeNet|TypeUTS, func() error {
		inNet = nsIno(t, "/proc/thread-self/ns/net")
		inUTS = nsIno(t, "/proc/thread-self/ns/uts")
		inHost, _ = os.Hostname()
		return nil
	})
	must(t, err)
	if inNet != procIno(t, c.pid, "net") || inUTS != procIno(t, c.pid, "uts") {
		t.Errorf("fn ran in net %d uts %d, child has %d %d", inNet, inUTS,
			procIno(t, c.pid, "net"), procIno(t, c.pid, "uts"))
	}
	if inHost != host {
		t.Errorf("hostname inside %q, want the copied %q", inHost, host)
	}
	// The thread went back: keep the scheduler busy, then look at every thread.
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() { runtime.Gosched(); done <- struct{}{} }()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	allThreadsIn(t, "net", ourNet)
	allThreadsIn(t, "uts", ourUTS)

	sentinel := errors.New("from fn")
	if err := WithNamespaces(pidfd, TypeNet, func() error { return sentinel }); err != sentinel {
		t.Errorf("fn's error not returned: %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("panic not re-raised: %v", r)
			}
		}()
		WithNamespaces(pidfd, TypeNet, func() error { panic("boom") })
	}()
	allThreadsIn(t, "net", ourNet)
}

func TestWithNamespacesErrors(t *testing.T) {
	cmd := exec.Command("true")
	must(t, cmd.Start())
	pidfd := rawPidfd(t, cmd.Process.Pid)
	cmd.Wait()
	ran := false
	err := WithNamespaces(pidfd, TypeNet, func() error { ran = true; return nil })
	wantErrno(t, err, syscall.ESRCH)
	if ran {
		t.Error("fn ran although entering failed")
	}
}

// onOwnThread runs fn on a goroutine locked to its thread, then puts the thread back into the
// net, uts and ipc namespaces it had (the pattern WithNamespaces follows) before unlocking it.
// Leaving the thread locked instead is not enough in a test: if the goroutine ran on the main
// thread, Go parks that thread for ever rather than ending it, and /proc/self/ns (the main
// thread's view) would then show the wrong namespaces for the rest of the run.
func onOwnThread(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		var saved []*Namespace
		for _, typ := range []Type{TypeNet, TypeUTS, TypeIPC} {
			ns, err := FromPath(threadNSPath(typ), typ)
			if err != nil {
				runtime.UnlockOSThread()
				done <- err
				return
			}
			defer ns.Close()
			saved = append(saved, ns)
		}
		fn()
		for _, ns := range saved {
			if err := ns.Enter(); err != nil {
				done <- err // still locked: the thread is discarded
				return
			}
		}
		runtime.UnlockOSThread()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestEnterAndUnshare(t *testing.T) {
	needRoot(t)
	c := startChild(t, false, "-n", "-u")
	ns, err := Open(c.pid, TypeNet)
	must(t, err)
	defer ns.Close()
	var got uint64
	var joined Type
	var enterErr, pidErr, unshareErr, userErr error
	var unshared uint64
	onOwnThread(t, func() {
		if enterErr = ns.Enter(); enterErr == nil {
			got = nsIno(t, "/proc/thread-self/ns/net")
		}
	})
	must(t, enterErr)
	if got != procIno(t, c.pid, "net") {
		t.Errorf("Enter: thread in %d, want %d", got, procIno(t, c.pid, "net"))
	}
	onOwnThread(t, func() {
		joined, pidErr = EnterPid(c.pid, TypeNet|TypeUTS|TypeIPC, 0)
	})
	must(t, pidErr)
	// net and uts were entered; ipc, shared already, may be skipped or re-entered (atomic setns)
	if joined&(TypeNet|TypeUTS) != TypeNet|TypeUTS || joined&^(TypeNet|TypeUTS|TypeIPC) != 0 {
		t.Errorf("EnterPid joined %v, want net|uts and perhaps ipc", joined)
	}
	onOwnThread(t, func() {
		if unshareErr = Unshare(TypeNet, 0); unshareErr == nil {
			unshared = nsIno(t, "/proc/thread-self/ns/net")
		}
		userErr = Unshare(TypeUser, UnshareMapRoot)
	})
	must(t, unshareErr)
	if unshared == procIno(t, "self", "net") {
		t.Error("Unshare(net) left the thread in our netns")
	}
	// A Go process is always multi-threaded: the kernel refuses a new user namespace.
	wantErrno(t, userErr, syscall.EINVAL)
	allThreadsIn(t, "net", startNS["net"])
	allThreadsIn(t, "uts", startNS["uts"])
	wantErrno(t, Enter(ns, TypeUTS), syscall.EINVAL)
}

func TestIDMap(t *testing.T) {
	m, err := ParseIDMap("0 100000 65536\n65536 1000 1\n")
	must(t, err)
	want := IDMap{{0, 100000, 65536}, {65536, 1000, 1}}
	if fmt.Sprint(m) != fmt.Sprint(want) || len(m) != 2 || m[1] != want[1] {
		t.Fatalf("ParseIDMap = %v", m)
	}
	text, err := m.Format()
	must(t, err)
	if strings.Join(strings.Fields(text), " ") != "0 100000 65536 65536 1000 1" {
		t.Errorf("Format = %q", text)
	}
	again, err := ParseIDMap(text)
	must(t, err)
	if len(again) != 2 || again[0] != m[0] || again[1] != m[1] {
		t.Error("Format/Parse round trip")
	}
	must(t, m.Validate())
	built, err := IDMap{}.Add(0, 1000, 1)
	must(t, err)
	built, err = built.Add(1, 100000, 1000)
	must(t, err)
	if len(built) != 2 {
		t.Fatalf("Add: %v", built)
	}
	same, err := built.Add(0, 2000, 1)
	wantErrno(t, err, syscall.EINVAL)
	if len(same) != 2 {
		t.Error("a refused Add changed the map")
	}
	err = IDMap{{0, 0, 10}, {5, 100, 10}}.Validate()
	if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ERANGE) {
		t.Errorf("overlapping map: %v", err)
	}
	_, err = ParseIDMap("0 1000\n")
	wantErrno(t, err, syscall.EINVAL)
	_, err = IDMapFromSubid("libns-no-such-user-xyz", UID)
	if err == nil {
		t.Error("IDMapFromSubid found ranges for a user that does not exist")
	}
	skipIfStub(t, err)
}

func TestWriteIDMap(t *testing.T) {
	needRoot(t)
	c := startChild(t, false, "-U")
	must(t, WriteIDMap(c.pid, UID, IDMap{{0, 100000, 65536}}, 0))
	must(t, WriteSetgroups(c.pid, false))
	must(t, WriteIDMap(c.pid, GID, IDMap{{0, 200000, 1000}}, 0))
	check := func(file, want string) {
		if got := strings.Join(strings.Fields(readFile(t, fmt.Sprintf("/proc/%d/%s", c.pid, file))), " "); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
	check("uid_map", "0 100000 65536")
	check("gid_map", "0 200000 1000")
	check("setgroups", "deny")
	if err := WriteIDMap(c.pid, UID, IDMap{{0, 300000, 1}}, 0); err == nil {
		t.Error("a uid_map was written twice")
	}
}

func TestSetTimeOffsets(t *testing.T) {
	needRoot(t)
	if !HasFeature(FeatureTimeNS) {
		t.Skip("kernel has no time namespaces")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("needs python3 for a process that unshares a time namespace without exec")
	}
	// The offsets can be written only while no process is in the new time namespace: between the
	// helper's unshare(CLONE_NEWTIME) and its first fork.
	script := `
import ctypes, os, sys, time
if ctypes.CDLL(None, use_errno=True).unshare(0x80) != 0: sys.exit(2)
print("ready", flush=True)
sys.stdin.readline()
r, w = os.pipe()
if os.fork() == 0:
    os.write(w, b"%.3f" % time.clock_gettime(time.CLOCK_BOOTTIME)); os._exit(0)
os.wait()
print(os.read(r, 64).decode(), flush=True)
`
	cmd := exec.Command(py, "-c", script)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	must(t, cmd.Start())
	defer cmd.Wait()
	defer stdin.Close()
	out := bufio.NewReader(stdout)
	if line, _ := out.ReadString('\n'); line != "ready\n" {
		t.Fatalf("helper said %q", line)
	}
	boot, mono := 1000*24*time.Hour, -500*time.Millisecond
	err = SetTimeOffsets(cmd.Process.Pid, &mono, &boot)
	stdin.Write([]byte("go\n"))
	must(t, err)
	line, _ := out.ReadString('\n')
	inside, err := strconv.ParseFloat(strings.TrimSpace(line), 64)
	must(t, err)
	var ts syscall.Timespec
	// CLOCK_BOOTTIME = 7
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 7, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		t.Fatal(e)
	}
	outside := float64(ts.Sec) + float64(ts.Nsec)/1e9
	if d := inside - outside - boot.Seconds(); d < -60 || d > 60 {
		t.Errorf("boottime inside %.0f, outside %.0f: offset off by %.0f s", inside, outside, d)
	}
}

func TestSpawn(t *testing.T) {
	needRoot(t)
	p, err := Spawn("sleep", []string{"sleep", "60"}, &SpawnOptions{
		NewTypes: TypeNet | TypeUTS, Hostname: "libns-go"})
	must(t, err)
	defer p.Close()
	if procIno(t, p.Pid, "net") == procIno(t, "self", "net") ||
		procIno(t, p.Pid, "uts") == procIno(t, "self", "uts") ||
		procIno(t, p.Pid, "ipc") != procIno(t, "self", "ipc") {
		t.Error("the child's namespaces are not the ones asked for")
	}
	ns, err := p.Namespace(TypeNet)
	must(t, err)
	if id, _ := ns.ID(); id.Ino != procIno(t, p.Pid, "net") {
		t.Error("Process.Namespace")
	}
	ns.Close()
	var host string
	pidfd := p.Pidfd()
	if pidfd < 0 { // libns's pidfds masked: the kernel still makes one
		pidfd = rawPidfd(t, p.Pid)
	}
	must(t, WithNamespaces(pidfd, TypeUTS, func() error {
		var err error
		host, err = os.Hostname()
		return err
	}))
	if host != "libns-go" {
		t.Errorf("hostname in the child's uts namespace: %q", host)
	}
	must(t, p.Kill())
	st, err := p.Wait()
	must(t, err)
	if !st.Signaled() || st.Signal() != syscall.SIGKILL {
		t.Errorf("status %v", st)
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	p2, err := Spawn("/bin/sh", []string{"sh", "-c", "cat /proc/self/uid_map > " + out + "; id -u >> " + out + "; exit 3"},
		&SpawnOptions{NewTypes: TypeUser, Flags: SpawnMapRoot})
	must(t, err)
	defer p2.Close()
	st, err = p2.Wait()
	must(t, err)
	if st.ExitStatus() != 3 {
		t.Errorf("exit status %d, want 3", st.ExitStatus())
	}
	f := strings.Fields(readFile(t, out))
	if len(f) != 4 || f[0] != "0" || f[1] != strconv.Itoa(os.Geteuid()) || f[3] != "0" {
		t.Errorf("uid_map and id -u in the child: %v", f)
	}

	_, err = Spawn("libns-no-such-program", []string{"x"}, nil)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing program: %v", err)
	}
	_, err = Spawn("/bin/true", []string{"true"}, &SpawnOptions{NewTypes: 0x1})
	wantErrno(t, err, syscall.EINVAL)
}

func TestPin(t *testing.T) {
	needRoot(t)
	dir, err := os.MkdirTemp("/run", "libns-go-")
	must(t, err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "net")
	c := startChild(t, false, "-n")
	ns, err := Open(c.pid, TypeNet)
	must(t, err)
	id, _ := ns.ID()
	err = ns.Pin(path)
	ns.Close()
	must(t, err)
	c.cmd.Process.Kill()
	c.cmd.Wait()
	again, err := FromPath(path, TypeNet)
	if err != nil {
		Unpin(path)
		t.Fatal(err)
	}
	if got, _ := again.ID(); got.Ino != id.Ino {
		t.Error("the pin holds another namespace")
	}
	wantErrno(t, Pin(again, path), syscall.EEXIST)
	again.Close()
	must(t, Unpin(path))
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Error("Unpin left the file")
	}
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, nil, 0o600)
	wantErrno(t, Unpin(plain), syscall.EINVAL)
}

func TestNetns(t *testing.T) {
	needRoot(t)
	name := fmt.Sprintf("libns-go-%d", os.Getpid())
	must(t, NetnsAdd(name, nil))
	ns, err := NetnsOpen(name)
	if err != nil {
		NetnsDel(name)
		t.Fatal(err)
	}
	if id, _ := ns.ID(); id.Ino != nsIno(t, "/run/netns/"+name) || id.Ino == procIno(t, "self", "net") {
		t.Error("NetnsOpen did not open the new netns")
	}
	ns.Close()
	wantErrno(t, NetnsAdd(name, nil), syscall.EEXIST)
	must(t, NetnsDel(name))
	_, err = NetnsOpen(name)
	wantErrno(t, err, syscall.ENOENT)

	c := startChild(t, false, "-n")
	cns, err := Open(c.pid, TypeNet)
	must(t, err)
	defer cns.Close()
	must(t, NetnsAdd(name, cns))
	defer NetnsDel(name)
	named, err := NetnsOpen(name)
	must(t, err)
	defer named.Close()
	if eq, _ := named.Equal(cns); !eq {
		t.Error("NetnsAdd(name, ns) named another namespace")
	}
}

func TestList(t *testing.T) {
	entries, err := List(TypeNet|TypeUTS, 0)
	must(t, err)
	ours := procIno(t, "self", "net")
	var found *Entry
	for i, e := range entries {
		if e.Type != TypeNet && e.Type != TypeUTS {
			t.Fatalf("entry of type %v", e.Type)
		}
		if e.Type == TypeNet && e.ID.Ino == ours {
			found = &entries[i]
		}
	}
	if found == nil {
		t.Fatal("our netns is not listed")
	}
	if found.NProcs < 1 || found.Pid <= 0 || found.HeldBy&HeldByProcess == 0 {
		t.Errorf("our netns: %+v", *found)
	}
	if comm := strings.TrimSpace(readFile(t, fmt.Sprintf("/proc/%d/comm", found.Pid))); comm != found.Command {
		t.Errorf("command %q, /proc says %q", found.Command, comm)
	}
	if found.UserNSIno != procIno(t, "self", "user") {
		t.Errorf("userns ino %d", found.UserNSIno)
	}
	if os.Geteuid() == 0 {
		c := startChild(t, false, "-n")
		entries, err = List(TypeNet, 0)
		must(t, err)
		want := procIno(t, c.pid, "net")
		ok := false
		for _, e := range entries {
			if e.ID.Ino == want {
				ok = e.Pid == c.pid && e.NProcs == 1 && e.Command == "sleep"
				if !ok {
					t.Errorf("child's netns: %+v", e)
				}
			}
		}
		if !ok {
			t.Error("child's netns not listed")
		}
	}
	_, err = List(0x1, 0)
	wantErrno(t, err, syscall.EINVAL)
}

func TestCanEnter(t *testing.T) {
	needRoot(t)
	ns, err := Open(0, TypeNet)
	must(t, err)
	defer ns.Close()
	ok, reason, err := ns.CanEnterReason()
	must(t, err)
	if !ok {
		t.Errorf("root may not enter its own netns: %s", reason)
	}
	f, _ := os.Open("/dev/null")
	defer f.Close()
	_, err = (&Namespace{fd: int(f.Fd())}).CanEnter()
	wantErrno(t, err, syscall.EINVAL)
}

// Joining a pid namespace changes only where children go: a command started inside fn is in
// the target's pid namespace (its pid there is small), the thread itself is not.
func TestWithNamespacesPID(t *testing.T) {
	needRoot(t)
	c := startChild(t, true, "-p", "--mount-proc")
	var out []byte
	var innerErr error
	err := WithNamespaces(c.pidfd(t), TypePID, func() error {
		out, innerErr = exec.Command("sh", "-c", "echo $$").Output()
		return innerErr
	})
	must(t, err)
	if pid, _ := strconv.Atoi(strings.TrimSpace(string(out))); pid < 2 || pid > 100 {
		t.Errorf("a child started inside has pid %q, want a small pid of the new namespace", out)
	}
	if got := nsIno(t, "/proc/self/ns/pid_for_children"); got != procIno(t, "self", "pid") {
		t.Error("the main thread's pid_for_children changed")
	}
	allThreadsIn(t, "pid_for_children", procIno(t, "self", "pid"))
}

// The kernel refuses user and mount namespaces (EINVAL) and time namespaces (EUSERS) to a
// multi-threaded process, which a Go program always is; WithNamespaces reports that and leaves
// the thread as it was.
func TestWithNamespacesRefused(t *testing.T) {
	needRoot(t)
	args := []string{"-U", "-m"}
	want := map[Type]syscall.Errno{TypeUser: syscall.EINVAL, TypeMnt: syscall.EINVAL}
	if HasFeature(FeatureTimeNS) {
		args = append(args, "-T")
		want[TypeTime] = syscall.EUSERS
	}
	c := startChild(t, false, args...)
	for typ, errno := range want {
		ran := false
		err := WithNamespaces(c.pidfd(t), typ, func() error { ran = true; return nil })
		if err == nil || ran {
			t.Errorf("%v: entered from a multi-threaded process", typ)
			continue
		}
		skipIfStub(t, err)
		if !errors.Is(err, errno) {
			t.Errorf("%v: %v, want %v", typ, err, errno)
		}
	}
	allThreadsIn(t, "mnt", startNS["mnt"])
}

// The parts of the C API added after the first binding: capability dropping, the idmap helper
// flag, subordinate-only maps, length-bounded parsing, list flags, held by a namespace.
func TestSpawnKeepCaps(t *testing.T) {
	needRoot(t)
	effective := func(opts *SpawnOptions) uint64 {
		t.Helper()
		out := filepath.Join(t.TempDir(), "caps")
		p, err := Spawn("/bin/sh", []string{"sh", "-c", "sed -n 's/^CapEff:\\t//p' /proc/self/status > " + out}, opts)
		must(t, err)
		defer p.Close()
		if st, err := p.Wait(); err != nil || st.ExitStatus() != 0 {
			t.Fatalf("child: %v %v", st, err)
		}
		v, err := strconv.ParseUint(strings.TrimSpace(readFile(t, out)), 16, 64)
		must(t, err)
		return v
	}
	const capNetAdmin, capSysAdmin = 12, 21
	if got := effective(&SpawnOptions{Flags: SpawnDropCaps, KeepCaps: 1<<capNetAdmin | 1<<capSysAdmin}); got != 1<<capNetAdmin|1<<capSysAdmin {
		t.Errorf("KeepCaps NET_ADMIN|SYS_ADMIN: effective %#x", got)
	}
	if got := effective(&SpawnOptions{Flags: SpawnDropCaps}); got != 0 {
		t.Errorf("SpawnDropCaps alone: effective %#x", got)
	}
	if got := effective(&SpawnOptions{}); got == 0 {
		t.Error("capabilities dropped without SpawnDropCaps")
	}
	// KeepCaps means nothing without SpawnDropCaps: libns refuses it rather than ignore it
	_, err := Spawn("true", []string{"true"}, &SpawnOptions{KeepCaps: 1 << capNetAdmin})
	wantErrno(t, err, syscall.EINVAL)
	// the helper flag without an explicit map to write is refused
	_, err = Spawn("true", []string{"true"}, &SpawnOptions{NewTypes: TypeUser, Flags: SpawnIdmapHelper})
	wantErrno(t, err, syscall.EINVAL)
}

func TestIDMapSubidOnlyAndBytes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "subuid")
	if err := os.WriteFile(file, []byte("# a comment\nroot:100000:65536\nroot:300000:10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LIBNS_TEST_SUBUID_FILE", file)
	m, err := IDMapFromSubid("root", UID)
	must(t, err)
	if fmt.Sprint(m) != fmt.Sprint(IDMap{{0, 0, 1}, {1, 100000, 65536}, {65537, 300000, 10}}) {
		t.Errorf("IDMapFromSubid: %v", m)
	}
	m, err = IDMapFromSubid("root", UID, IDMapSubidOnly)
	must(t, err)
	if fmt.Sprint(m) != fmt.Sprint(IDMap{{0, 100000, 65536}, {65536, 300000, 10}}) {
		t.Errorf("IDMapFromSubid(IDMapSubidOnly): %v", m)
	}
	m, err = ParseIDMapBytes([]byte("0 100000 10\n"))
	must(t, err)
	if fmt.Sprint(m) != fmt.Sprint(IDMap{{0, 100000, 10}}) {
		t.Errorf("ParseIDMapBytes: %v", m)
	}
	_, err = ParseIDMapBytes([]byte("0 100000 10\n\x001 200000 1\n"))
	wantErrno(t, err, syscall.EINVAL)
}

func TestListFlagsAndHeldBy(t *testing.T) {
	if s := (HeldByProcess | HeldByNamespace).String(); s != "process|namespace" {
		t.Errorf("HeldBy.String: %q", s)
	}
	if TypesAll != TypeMnt|TypeCgroup|TypeUTS|TypeIPC|TypeUser|TypePID|TypeNet|TypeTime {
		t.Errorf("TypesAll %#x", uint32(TypesAll))
	}
	entries, err := List(TypeNet, ListNoFds|ListNoMounts)
	must(t, err)
	mine := procIno(t, "self", "net")
	found := false
	for _, e := range entries {
		found = found || e.ID.Ino == mine
		if e.NProcs == 0 && e.HeldBy&(HeldByFd|HeldByMount) != 0 {
			t.Errorf("List(ListNoFds|ListNoMounts) still found %+v", e)
		}
	}
	if !found {
		t.Error("List(ListNoFds|ListNoMounts) lacks our network namespace")
	}
	_, err = List(TypeNet, 0x80)
	wantErrno(t, err, syscall.EINVAL)
}
