#!/bin/sh
# Test of examples/pid-isolation.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The child must be pid 1 inside, have another pid on the host, and see a /proc (and ps) holding
# only its own namespace; the host's /proc must be left as it was.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/pid-isolation"; exit 1; }
if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
	echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
procs_before=$(grep -c ' /proc ' /proc/self/mountinfo)

# default command: ps -ef (procps is installed here) or ls /proc
"$prog" >"$out" 2>&1 || fail "exit status $?"
grep -q '^child:  getpid() = 1, getppid() = 0$' "$out" || fail "the child is not pid 1 with no visible parent"
n=$(sed -n 's/^child:  \/proc lists \([0-9]*\) process.*/\1/p' "$out")
[ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "/proc inside lists '$n' processes, not 1 or 2"
grep -q '^child:  /proc lists 1 process: 1$' "$out" || fail "the only pid in /proc should be 1"
line=$(grep '^host:   the child is pid' "$out") || fail "no host view of the child's pids"
hostpid=$(echo "$line" | sed 's/.*is pid \([0-9]*\) here.*/\1/')
[ "$hostpid" -gt 1 ] || fail "the host's pid for the child is $hostpid"
echo "$line" | grep -q 'and pid 1 in its own namespace$' || fail "ns_pid_translate did not give 1"
if command -v ps >/dev/null; then
	# ps inside: a header and one process, pid 1, whose command is ps itself
	rows=$(sed -n '/^UID  *PID/,/^host:/p' "$out" | grep -vc -e '^UID' -e '^host:')
	[ "$rows" = 1 ] || fail "ps inside shows $rows processes"
	grep -Eq '^[a-z0-9]+ +1 +0 .* ps -ef$' "$out" || fail "ps inside does not show itself as pid 1"
fi
grep -q '^host:   the child exited with status 0;' "$out" || fail "no clean exit"

# a command given on the command line runs as pid 1, and its exit status comes back
[ "$("$prog" sh -c 'echo "me=$$"' | sed -n 's/^me=//p')" = 1 ] || fail "sh -c 'echo \$\$' is not 1"
if "$prog" sh -c 'exit 3' >"$out" 2>&1; then fail "a failing command gave exit status 0"; fi
grep -q 'exited with status 3' "$out" || fail "status 3 not reported"

# the fresh /proc was mounted in the child's own mount namespace only
[ "$(grep -c ' /proc ' /proc/self/mountinfo)" = "$procs_before" ] || fail "a /proc mount leaked to the host"
echo "pid-isolation: ok"
exit 0
