#!/bin/sh
# Test of examples/ns-tour.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Every row of the tour must show what the kernel does (pid 1 inside, the hostname, the uid map, lo
# alone, a tmpfs only inside, cgroup "/", the clock offsets, an unseen SysV key), the eight
# namespaces must be new, owned by the new user namespace (nested under ours for user and pid), and
# gone afterwards with the segment and the cgroup. Unprivileged (uid 65534) it must still make all
# eight and name what it skipped. Colour only on a terminal, never with NO_COLOR. Without time
# namespaces (before Linux 5.6, or kernel-profile 5.4) it must make the other seven and say so.
set -eu
. "$(dirname "$0")/lib.sh"
start "${1:-}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (it also runs itself as uid 65534)"; exit 77; }
# the value columns of a row: TYPE (7) WHAT (24) HOST (30) CHILD (rest)
col() { sed -n "s|^.\{8\}$1 *||p" "$out" | head -1; }
host_of() { col "$1" | cut -c1-30 | sed 's/ *$//'; }
child_of() { col "$1" | cut -c32-; }

# check_run UID: the parts that hold for root and for an unprivileged user alike
check_run() {
	uid=$1
	grep -q "^pid     the child's pid " "$out" || fail "no pid row"
	[ "$(child_of "the child's pid")" = 1 ] || fail "the child is not pid 1 inside"
	[ "$(host_of "the child's pid")" -gt 1 ] || fail "no host pid for the child"
	[ "$(child_of "processes (ps)")" = "1: 1 ns-tour" ] || fail "ps inside should list only pid 1, ns-tour"
	[ "$(host_of hostname)" = "$(hostname)" ] || fail "host's hostname wrong"
	[ "$(child_of hostname)" = ns-tour ] || fail "the child's hostname is not ns-tour"
	[ "$(child_of "the child's uid/gid")" = 0/0 ] || fail "not root inside"
	[ "$(child_of "interfaces")" = "lo (down)" ] || fail "a new net namespace has lo alone, down"
	host_of interfaces | grep -q '^lo' || fail "the host's interfaces are missing"
	child_of mounts | grep -q ', on /tmp: tmpfs$' || fail "no tmpfs on /tmp inside"
	mine=$(findmnt -n -o FSTYPE --mountpoint /tmp | tail -1); mine=${mine:-nothing}
	host_of mounts | grep -q ", on /tmp: $mine\$" || fail "host's /tmp should show $mine"
	[ "$(child_of "the child's cgroup")" = "0::/" ] || fail "the child's cgroup is not /"
	# without time namespaces (a kernel before 5.6, or kernel-profile 5.4): seven, and it says so
	types="mnt cgroup uts ipc user pid net time"
	if grep -qx 'time    skipped: a time namespace' "$out"; then
		types=${types% time}
	else
		child_of CLOCK_MONOTONIC | grep -q '(+7.0 days)$' || fail "monotonic offset not 7 days"
		child_of /proc/uptime | grep -q '(+365.0 days)$' || fail "uptime offset not 365 days"
	fi
	n=$(echo $types | wc -w)
	key=$(sed -n 's/^ipc     SysV shm key \(0x[0-9a-f]*\) .*/\1/p' "$out")
	[ -n "$key" ] || fail "no ipc row"
	col "SysV shm key $key" | grep -Eq '^segment [0-9]+ +none \(ENOENT\)$' || fail "the key should exist only on the host"
	ipcs -m | grep -q "$key" && fail "the SysV segment $key was left behind"

	# the namespaces it made: new, owned by the new user namespace, user and pid nested under ours
	[ "$(sed -n '/^TYPE    NAMESPACE/,/^$/p' "$out" | grep -c ':\[')" = "$n" ] || fail "not $n namespaces listed"
	newuser=$(sed -n 's/^user    user:\[\([0-9]*\)\].*/\1/p' "$out")
	[ -n "$newuser" ] || fail "no user namespace listed"
	for t in $types; do
		line=$(grep -E "^$t +$t:\[" "$out") || fail "no $t namespace listed"
		ino=$(echo "$line" | sed 's/^[a-z]* *[a-z]*:\[\([0-9]*\)\].*/\1/')
		[ "$ino" != "$(stat -L -c %i /proc/self/ns/$t)" ] || fail "$t is the host's, not new"
		set -- $line
		case $t in
		user) [ "$4" = "user:[$(stat -L -c %i /proc/self/ns/user)]" ] || fail "user ns not owned by ours"
		      [ "$6" = "user:[$(stat -L -c %i /proc/self/ns/user)]" ] || fail "user ns parent is not ours";;
		pid)  [ "$4" = "user:[$newuser]" ] || fail "pid ns not owned by the new user ns"
		      [ "$6" = "pid:[$(stat -L -c %i /proc/self/ns/pid)]" ] || fail "pid ns parent is not ours";;
		*)    [ "$4" = "user:[$newuser]" ] || fail "$t ns not owned by the new user ns"
		      [ "$6" = - ] || fail "$t has a parent";;
		esac
		[ "$5" = "$uid" ] || fail "$t: owner uid $5, not $uid"
		# gone: no process on the system is in it any more
		for l in /proc/[0-9]*/ns/$t; do
			[ "$(stat -L -c %i "$l" 2>/dev/null)" != "$ino" ] || fail "$t:[$ino] still exists ($l)"
		done
	done
	grep -q "^  ns_list_new() lists none of the $n namespaces it made: all gone\$" "$out" || fail "no clean end"
}

# as root: a 65536-id map and a cgroup of its own
"$prog" >"$out" 2>&1 || fail "exit status $?"
check_run 0
[ "$(host_of "the child's uid/gid")" = 100000/100000 ] || fail "root inside is not 100000 outside"
[ "$(child_of /proc/self/uid_map)" = "0 100000 65536" ] || fail "uid_map inside wrong"
grep -q 'skipped: a map' "$out" && fail "root skipped the map"
if grep -q 'skipped: a cgroup' "$out"; then
	echo "note: no writable cgroup2 here: $(sed -n '/skipped: a cgroup/{n;p}' "$out")"
else
	cg=$(sed -n 's/^  removed the cgroup //p' "$out")
	[ -n "$cg" ] && [ ! -e "$cg" ] || fail "cgroup '$cg' not removed"
	host_of "the child's cgroup" | grep -q "^0::/.*ns-tour-[0-9]*$" || fail "the host should see the child in ns-tour-PID"
fi
grep -q "$(printf '\033')" "$out" && fail "colour codes in piped output"

# unprivileged: all eight still, through a user namespace; the skipped parts named with a reason
if rerun_as_nobody; then
	grep -q '(unprivileged)$' "$out" || fail "unprivileged mode not announced"
	check_run 65534
	[ "$(host_of "the child's uid/gid")" = 65534/65534 ] || fail "unprivileged: root inside is not 65534 outside"
	[ "$(child_of /proc/self/uid_map)" = "0 65534 1" ] || fail "unprivileged: uid_map inside wrong"
	sed -n '/skipped: a map of more than one id/{n;p}' "$out" | grep -q 'CAP_SETUID' || fail "no reason for the map"
	sed -n '/skipped: a cgroup of its own/{n;p}' "$out" | grep -q 'rooted at' || fail "no reason for the cgroup"
fi

# colour on a terminal, none with NO_COLOR
script -qec "$prog" /dev/null >"$out.tty" 2>&1 || fail "ns-tour on a terminal failed"
grep -q "$(printf '\033')\[" "$out.tty" || fail "no colour on a terminal"
NO_COLOR=1 script -qec "$prog" /dev/null >"$out.tty" 2>&1 || fail "ns-tour with NO_COLOR failed"
grep -q "$(printf '\033')" "$out.tty" && fail "colour despite NO_COLOR"
echo "ns-tour: ok"
exit 0
