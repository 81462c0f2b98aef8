// SPDX-License-Identifier: LGPL-2.1-or-later

package libns

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

func threadNetIno(t *testing.T) uint64 { return nsIno(t, "/proc/thread-self/ns/net") }

func idIno(t *testing.T, ns *Namespace) uint64 {
	id, err := ns.ID()
	must(t, err)
	return id.Ino
}

// namedNetns makes /run/netns/NAME for the test and removes it at the end.
func namedNetns(t *testing.T, suffix string) (string, *Namespace) {
	t.Helper()
	name := fmt.Sprintf("lngo%d-%s", os.Getpid(), suffix)
	must(t, NetnsAdd(name, nil))
	ns, err := NetnsOpen(name)
	if err != nil {
		NetnsDel(name)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ns.Close()
		if err := NetnsDel(name); err != nil {
			t.Errorf("NetnsDel(%s): %v", name, err)
		}
	})
	return name, ns
}

func ipJSON(t *testing.T, netns string, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"-n", netns, "-j"}, args...)...).Output()
	if err != nil {
		t.Fatalf("ip -n %s -j %v: %v", netns, args, err)
	}
	return string(out)
}

func TestWalkthroughAndTraffic(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip (iproute2) as the oracle")
	}
	nameA, a := namedNetns(t, "a")
	nameB, b := namedNetns(t, "b")
	mine := threadNetIno(t)
	must(t, VethAdd(a, "gva", b, "gvb"))
	must(t, AddrAdd(a, "gva", "10.78.0.1/24"))
	must(t, AddrAdd(b, "gvb", "10.78.0.2/24"))
	for _, l := range []struct {
		ns  *Namespace
		if_ string
	}{{a, "gva"}, {a, "lo"}, {b, "gvb"}, {b, "lo"}} {
		must(t, LinkUp(l.ns, l.if_))
	}
	if j := ipJSON(t, nameA, "addr", "show", "dev", "gva"); !strings.Contains(j, `"local":"10.78.0.1","prefixlen":24`) ||
		!strings.Contains(j, `"UP"`) {
		t.Fatalf("ip sees in %s: %s", nameA, j)
	}
	if j := ipJSON(t, nameB, "link", "show", "dev", "lo"); !strings.Contains(j, `"UP"`) {
		t.Fatalf("lo of %s not up: %s", nameB, j)
	}
	if i, err := LinkIndex(b, "gvb"); err != nil || i <= 1 {
		t.Fatalf("LinkIndex: %d %v", i, err)
	}

	// a UDP exchange between sockets made inside each namespace
	srvFd, err := Socket(b, syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	must(t, err)
	srvFile := os.NewFile(uintptr(srvFd), "srv")
	srv, err := net.FilePacketConn(srvFile) // a dup: the file is closed at once
	must(t, err)
	defer srv.Close()
	must(t, srvFile.Close())
	cliFd, err := Socket(a, syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	must(t, err)
	cliFile := os.NewFile(uintptr(cliFd), "cli")
	defer cliFile.Close()
	// the server socket is bound after the fact through its fd: FilePacketConn dup'd it unbound
	srvConn := srv.(*net.UDPConn)
	raw, err := srvConn.SyscallConn()
	must(t, err)
	var berr error
	must(t, raw.Control(func(fd uintptr) {
		berr = syscall.Bind(int(fd), &syscall.SockaddrInet4{Port: 4791, Addr: [4]byte{10, 78, 0, 2}})
	}))
	must(t, berr)
	must(t, syscall.Sendto(cliFd, []byte("ping"), 0, &syscall.SockaddrInet4{Port: 4791, Addr: [4]byte{10, 78, 0, 2}}))
	buf := make([]byte, 16)
	n, from, err := srv.ReadFrom(buf)
	must(t, err)
	if string(buf[:n]) != "ping" || !strings.HasPrefix(from.String(), "10.78.0.1:") {
		t.Fatalf("got %q from %v", buf[:n], from)
	}
	if threadNetIno(t) != mine {
		t.Fatal("the test's thread changed network namespace")
	}
	must(t, LinkDel(a, "gva"))
	_, err = LinkIndex(b, "gvb")
	wantErrno(t, err, syscall.ENODEV)
}

func TestNetBadInput(t *testing.T) {
	needRoot(t)
	_, a := namedNetns(t, "bad")
	for _, name := range []string{"", "0123456789abcdef", "a/b", "a b", ".", "a:b"} {
		wantErrno(t, LinkUp(a, name), syscall.EINVAL)
		wantErrno(t, VethAdd(a, name, a, "ok"), syscall.EINVAL)
	}
	must(t, VethAdd(a, "v0", a, "v1"))
	for _, cidr := range []string{"10.0.0.1/33", "10.0.0/24", "fd00::1/129", "abc", "10.0.0.1"} {
		wantErrno(t, AddrAdd(a, "v0", cidr), syscall.EINVAL)
	}
	wantErrno(t, LinkUp(a, "nope"), syscall.ENODEV)
	wantErrno(t, VethAdd(a, "v0", a, "v2"), syscall.EEXIST)
	wantErrno(t, LinkMove(a, "lo", nil), syscall.EINVAL)
	uts, err := Open(0, TypeUTS)
	must(t, err)
	defer uts.Close()
	wantErrno(t, LinkUp(uts, "lo"), syscall.EINVAL)
	_, err = Socket(uts, syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	wantErrno(t, err, syscall.EINVAL)
	wantErrno(t, Do(func() error { return nil }, uts, uts), syscall.EINVAL)
	user, err := Open(0, TypeUser)
	must(t, err)
	defer user.Close()
	wantErrno(t, Do(func() error { return nil }, user), syscall.EINVAL)
	wantErrno(t, Do(func() error { return nil }), syscall.EINVAL)
}

func TestNetnsList(t *testing.T) {
	needRoot(t)
	nameB, _ := namedNetns(t, "lb")
	nameA, _ := namedNetns(t, "la")
	names, err := NetnsList()
	must(t, err)
	if !sort.StringsAreSorted(names) {
		t.Fatalf("not sorted: %v", names)
	}
	found := 0
	for _, n := range names {
		if n == nameA || n == nameB {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("%s and %s not both in %v", nameA, nameB, names)
	}
}

// Do from many goroutines at once: fn sees the namespace, and no goroutine outside fn ever runs on
// a thread in another namespace (the thread-reuse bug Do is built to avoid).
func TestDoNeverLeaksTheThread(t *testing.T) {
	needRoot(t)
	_, a := namedNetns(t, "do")
	home := threadNetIno(t)
	target := idIno(t, a)
	uts, err := Open(0, TypeUTS)
	must(t, err)
	defer uts.Close()
	var wrong, bad int64
	stop := make(chan struct{})
	var watchers sync.WaitGroup
	for i := 0; i < 4; i++ {
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var st syscall.Stat_t
				if syscall.Stat("/proc/thread-self/ns/net", &st) == nil && st.Ino != home {
					atomic.AddInt64(&wrong, 1)
				}
			}
		}()
	}
	var workers sync.WaitGroup
	for i := 0; i < 8; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for k := 0; k < 25; k++ {
				err := Do(func() error {
					var st syscall.Stat_t
					if err := syscall.Stat("/proc/thread-self/ns/net", &st); err != nil {
						return err
					}
					if st.Ino != target {
						return fmt.Errorf("fn runs in net:[%d], not net:[%d]", st.Ino, target)
					}
					return nil
				}, a, uts)
				if err != nil {
					atomic.AddInt64(&bad, 1)
				}
			}
		}()
	}
	workers.Wait()
	close(stop)
	watchers.Wait()
	if bad != 0 || wrong != 0 {
		t.Fatalf("%d Do calls failed, %d times a goroutine ran in another network namespace", bad, wrong)
	}
	if threadNetIno(t) != home {
		t.Fatal("the test's thread changed network namespace")
	}
	// an error from fn comes back as it is; a panic is re-raised here
	sentinel := fmt.Errorf("sentinel")
	if err := a.Do(func() error { return sentinel }); err != sentinel {
		t.Fatalf("Do returned %v", err)
	}
	defer func() {
		if recover() != "boom" {
			t.Fatal("the panic in fn did not reach the caller")
		}
	}()
	a.Do(func() error { panic("boom") })
}

func TestNetUnprivileged(t *testing.T) {
	needRoot(t)
	if os.Getenv("LIBNS_GO_UNPRIV_CHILD") == "" {
		name, _ := namedNetns(t, "u")
		// go test's binary sits in a 0700 directory: a copy uid 65534 can run
		dir, err := os.MkdirTemp("", "libns-go-unpriv")
		must(t, err)
		defer os.RemoveAll(dir)
		must(t, os.Chmod(dir, 0o755))
		self, err := os.ReadFile(os.Args[0])
		must(t, err)
		bin := dir + "/libns.test"
		must(t, os.WriteFile(bin, self, 0o755))
		cmd := exec.Command(bin, "-test.run", "^TestNetUnprivileged$")
		cmd.Env = append(os.Environ(), "LIBNS_GO_UNPRIV_CHILD="+name)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("as uid 65534: %v\n%s", err, out)
		}
		return
	}
	t.Fatal("unreachable")
}

// The uid 65534 half of TestNetUnprivileged, run by a re-exec of the test binary.
func TestMain(m *testing.M) {
	if name := os.Getenv("LIBNS_GO_UNPRIV_CHILD"); name != "" && os.Geteuid() != 0 {
		os.Exit(unprivilegedChecks(name))
	}
	os.Exit(m.Run())
}

func unprivilegedChecks(name string) int {
	fail := 0
	check := func(what string, err error, want syscall.Errno) {
		var e *Error
		if err == nil || !errors.As(err, &e) || e.Errno != want || e.Msg == "" {
			fmt.Printf("%s: %v, want %v\n", what, err, want)
			fail = 1
		}
	}
	ns, err := NetnsOpen(name)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer ns.Close()
	check("LinkUp", LinkUp(ns, "lo"), syscall.EPERM)
	_, err = Socket(ns, syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	check("Socket", err, syscall.EPERM)
	check("Do", ns.Do(func() error { return nil }), syscall.EPERM)
	return fail
}
