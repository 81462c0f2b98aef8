#!/bin/sh
# Test of examples/mount-propagation.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The directory must be in one peer group in the "host" and the shared peer, a slave of it in the
# slave, private in the private namespace; each mount must arrive exactly where the propagation
# types send it; none of its mounts may reach the real host, and nothing may be left in /tmp.
# As root and, when possible, as uid 65534.
set -eu
. "$(dirname "$0")/lib.sh"
start "${1:-}"
need_userns

check() {
	dir=$(sed -n 's/^it mounted a tmpfs on \([^ ]*\) there.*/\1/p' "$out")
	[ -n "$dir" ] || fail "no directory named"
	[ ! -e "$dir" ] || fail "$dir left behind"
	grep -q libns-propagation /proc/self/mountinfo && fail "a mount reached the real host"
	group=$(sed -n 's/^  host         shared:\([0-9]*\)$/\1/p' "$out")
	[ -n "$group" ] || fail "the directory is not shared in the host namespace"
	grep -qx "  shared peer  shared:$group" "$out" || fail "the peer is not in group $group"
	grep -qx "  slave        master:$group" "$out" || fail "the slave's master is not group $group"
	grep -qx "  private      (none: private)" "$out" || fail "the private namespace has propagation fields"
	rows=$(sed -n '/^  MOUNTED IN, ON/,/^$/p' "$out" | sed 's/  */ /g')
	for want in "host, .../from-host yes yes yes -" "shared peer, .../from-peer yes yes yes -" \
		    "slave, .../from-slave - - yes -" "private, .../from-private - - - yes"; do
		echo "$rows" | grep -qxF " $want" || fail "row '$want' missing"
	done
}

"$prog" >"$out" 2>&1 || fail "exit status $?"
check
if rerun_as_nobody; then
	check
fi
echo "mount-propagation: ok"
exit 0
