#!/bin/sh
# Test of examples/pid-reaping.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The orphan must be re-parented to pid 1 (1 inside, pid 1's host pid outside); the process forked
# in by a helper outside must see parent 0 inside (the helper outside) and be killed by SIGKILL when
# pid 1 exits, and no process of the namespace may be left. Run as root and, when possible, as uid 65534.
set -eu
. "$(dirname "$0")/lib.sh"
start "${1:-}"
need_userns

check() {
	me=$(sed -n 's/^host:    this program is pid \([0-9]*\);.*/\1/p' "$out")
	[ -n "$me" ] || fail "no pid of the program"
	grep -qx 'inside:  pid 1 forked pid 2, which forked pid 3 and exited' "$out" || fail "pid 1 did not fork 2 and 3"
	grep -qx "inside:  pid 3's parent is now 1" "$out" || fail "the orphan was not re-parented to pid 1 inside"
	set -- $(grep '^pid 1 (started by ns_spawn)' "$out" | awk '{print $(NF-3), $(NF-2), $(NF-1), $NF}')
	[ "$1" = 1 ] && [ "$3" = 0 ] && [ "$4" = "$me" ] || fail "pid 1's row is wrong"
	init=$2
	set -- $(grep '^the orphan' "$out" | awk '{print $(NF-3), $(NF-2), $(NF-1), $NF}')
	[ "$1" = 3 ] && [ "$3" = 1 ] && [ "$4" = "$init" ] || fail "the orphan's parent outside is not pid 1 ($init)"
	orphan=$2
	helper=$(sed -n "s/^host:    the joined process's parent is our helper, pid \([0-9]*\),.*/\1/p" "$out")
	[ -n "$helper" ] && [ "$helper" != "$me" ] || fail "no helper named"
	set -- $(grep '^joined (forked in by our helper)' "$out" | awk '{print $(NF-3), $(NF-2), $(NF-1), $NF}')
	[ "$1" = 4 ] && [ "$3" = 0 ] && [ "$4" = "$helper" ] || fail "the joined process's row is wrong"
	joined=$2
	grep -qx "host:    the joined process (pid $joined) was killed by signal 9 (Killed)" "$out" || fail "not SIGKILLed"
	grep -qx "host:    pid 1 (pid $init) exited with status 0" "$out" || fail "pid 1 did not exit 0"
	grep -q "^host:    the orphan (pid $orphan) is gone too" "$out" || fail "the orphan survived pid 1"
	for p in $init $orphan $joined $helper; do
		[ ! -e /proc/$p ] || [ "$(cat /proc/$p/comm)" != pid-reaping ] || fail "process $p left behind"
	done
}

"$prog" >"$out" 2>&1 || fail "exit status $?"
check
if rerun_as_nobody; then
	grep -q '^host:    not root: made this process root in a user namespace' "$out" || fail "no user namespace as 65534"
	check
fi
echo "pid-reaping: ok"
exit 0
