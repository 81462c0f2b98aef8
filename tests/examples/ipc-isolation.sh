#!/bin/sh
# Test of examples/ipc-isolation.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The host's segment must exist on the host and not inside (ENOENT, an empty table), the same key
# inside must give a separate segment, and no segment of the demo may be left on the host.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/ipc-isolation"; exit 1; }
if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
	echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
fi
[ -r /proc/sysvipc/shm ] || { echo "SKIP: no System V IPC in this kernel"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

"$prog" >"$out" 2>&1 || fail "exit status $?"
line=$(grep '^host:   created segment' "$out") || fail "no segment created on the host"
id=$(echo "$line" | sed 's/.*segment \([0-9]*\) with key.*/\1/')
key=$(echo "$line" | sed 's/.*with key \(0x[0-9a-f]*\) .*/\1/')
n_host=$(sed -n 's/^host:   \/proc\/sysvipc\/shm lists \([0-9]*\) segments*$/\1/p' "$out")
[ "$n_host" -ge 1 ] || fail "the host's table does not list its own segment"
grep -qx "inside: shmget($key, 0, 0) = -1, ENOENT: no such segment here" "$out" || fail "the host's key resolved inside"
sed -n '/^inside: shmget/,/^host:/p' "$out" | grep -q '^inside: /proc/sysvipc/shm lists 0 segments$' \
	|| fail "the new namespace's table is not empty"
grep -q "^inside: created segment [0-9]* with the same key $key " "$out" || fail "no segment with the same key inside"
grep -q '^inside: /proc/sysvipc/shm lists 1 segment$' "$out" || fail "the child's table does not hold its segment"
grep -qx "host:   segment $id (key $key) still holds \"written on the host\"" "$out" \
	|| fail "the host's segment was changed by the child"
grep -qx "host:   shmget($key) still finds segment $id" "$out" || fail "the host's key no longer finds its segment"
grep -qx "host:   removed segment $id" "$out" || fail "no cleanup line"
if command -v ipcs >/dev/null; then
	ipcs -m | grep -qi "^$key " && fail "segment with key $key left on the host (ipcs -m)"
fi
awk -v k="$(printf '%d' "$key")" 'NR > 1 && $1 == k { found = 1 } END { exit !found }' /proc/sysvipc/shm \
	&& fail "segment with key $key left in /proc/sysvipc/shm"
echo "ipc-isolation: ok"
exit 0
