#!/bin/sh
# Test of examples/ns-hierarchy.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The ownership tree must be rooted at our user namespace, with A's user namespace under it owning
# A's pid namespace and B's user namespace, which owns B's pid, net and uts namespaces; every owner
# uid must be the uid that ran it; the pid tree must be ours > A's > B's, with the same inodes;
# A and B must be gone afterwards. As the caller and, when root, as uid 65534 too.
set -eu
. "$(dirname "$0")/lib.sh"
start "${1:-}"
need_userns

check() {   # $1: the uid that ran it
	uid=$1
	myuser=$(stat -L -c %i /proc/self/ns/user); mypid=$(stat -L -c %i /proc/self/ns/pid)
	grep -qx "this program: pid [0-9]*, uid $uid" "$out" || fail "not run as uid $uid"
	a=$(sed -n 's/^A: pid \([0-9]*\) here, pid 1 in its own.*/\1/p' "$out")
	b=$(sed -n 's/^B: pid \([0-9]*\) here, pid 2 in A.s namespace, pid 1 in its own.*/\1/p' "$out")
	[ -n "$a" ] && [ -n "$b" ] || fail "A and B not both shown with their pids inside"
	own=$(sed -n '/^Ownership/,/^$/p' "$out")
	echo "$own" | grep -qx "user:\[$myuser\] (owner uid 0)  <- this program" || fail "ownership root is not our user namespace"
	auser=$(echo "$own" | sed -n "s/^├─user:\[\([0-9]*\)\] (owner uid $uid)  <- A$/\1/p")
	buser=$(echo "$own" | sed -n "s/^│ ├─user:\[\([0-9]*\)\] (owner uid $uid)  <- B$/\1/p")
	[ -n "$auser" ] || fail "A's user namespace (owner uid $uid) is not a child of ours"
	[ -n "$buser" ] || fail "B's user namespace (owner uid $uid) is not a child of A's"
	for t in pid net uts; do
		echo "$own" | grep -Eq "^│ │ [├└]─$t:\[[0-9]+\]  <- B$" || fail "B's $t is not owned by B's user namespace"
	done
	apid=$(echo "$own" | sed -n 's/^│ └─pid:\[\([0-9]*\)\]  <- A$/\1/p')
	[ -n "$apid" ] || fail "A's pid namespace is not owned by A's user namespace (last child)"
	echo "$own" | grep -qx "└─pid:\[$mypid\]  <- this program" || fail "our pid namespace is not owned by our user namespace"
	bpid=$(echo "$own" | sed -n 's/^│ │ [├└]─pid:\[\([0-9]*\)\]  <- B$/\1/p')
	pids=$(sed -n '/^Nesting/,$p' "$out")
	[ "$(echo "$pids" | sed -n 2p)" = "pid:[$mypid]  <- this program" ] || fail "pid tree root is not ours"
	[ "$(echo "$pids" | sed -n 3p)" = "└─pid:[$apid]  <- A" ] || fail "A's pid namespace not nested in ours"
	[ "$(echo "$pids" | sed -n 4p)" = "  └─pid:[$bpid]  <- B" ] || fail "B's pid namespace not nested in A's"
	for p in $a $b; do
		[ ! -e /proc/$p ] || [ "$(cat /proc/$p/comm 2>/dev/null)" != ns-hierarchy ] || fail "process $p left behind"
	done
}

"$prog" >"$out" 2>&1 || fail "exit status $?"
check "$(id -u)"
if rerun_as_nobody; then
	check 65534
fi
echo "ns-hierarchy: ok"
exit 0
