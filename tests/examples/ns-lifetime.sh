#!/bin/sh
# Test of examples/ns-lifetime.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The namespace must be held by exactly the holders each stage names, still carry its hostname
# when only the pin holds it, and be gone (not listed, ns_open_by_id ENOENT) once unpinned, with
# no mount or directory left.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/ns-lifetime"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (a pin is a bind mount)"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

"$prog" >"$out" 2>&1 || fail "exit status $?"
ino=$(sed -n 's/^process [0-9]* is in uts:\[\([0-9]*\)\], namespace id [0-9]*$/\1/p' "$out")
id=$(sed -n 's/^process [0-9]* is in uts:\[[0-9]*\], namespace id \([0-9]*\)$/\1/p' "$out")
[ -n "$ino" ] && [ -n "$id" ] || fail "no namespace shown"
# stage STAGE-LETTER: the lines of that stage
stage() { sed -n "/^$1\. /,/^[a-e]\. /p" "$out" | sed '$!b; /^[a-e]\. /d'; }
stage a | grep -qx "    uts:\[$ino\] is held by process, fd (1 process)" || fail "stage a holders"
if [ "$id" = 0 ]; then # no namespace ids before Linux 6.18: the example says so instead
	stage a | grep -q "ns_open_by_id() needs Linux 6.18" || fail "stage a: no word about ids"
else
	stage a | grep -qx "    ns_open_by_id($id) opened it again" || fail "stage a: not found by id"
fi
stage b | grep -qx "    uts:\[$ino\] is held by fd (0 processes)" || fail "stage b holders"
stage c | grep -qx "    uts:\[$ino\] is held by fd, mount (0 processes)" || fail "stage c holders"
stage d | grep -qx "    uts:\[$ino\] is held by mount (0 processes)" || fail "stage d holders"
stage d | grep -qx "    ns_open_path(pin) opens uts:\[$ino\], id $id: the same namespace" || fail "stage d: pin"
stage d | grep -qx '    a child that entered it reads hostname "lifetime-demo"' || fail "stage d: hostname lost"
stage e | grep -qx "    uts:\[$ino\] is not listed: nothing holds it" || fail "stage e: still listed"
[ "$id" = 0 ] || stage e | grep -q "^    ns_open_by_id($id) = -ENOENT: " || fail "stage e: not ENOENT by id"
stage e | grep -q '^    ns_open_path(pin): .*No such file or directory$' || fail "stage e: the pin file is still there"

# nothing left: no pin mount, no directory, and no process or mount of that namespace anywhere
pin=$(sed -n 's/^c\. pinned at \(.*\) (ns_pin):$/\1/p' "$out")
[ -n "$pin" ] || fail "no pin path shown"
grep -q "${pin%/*}" /proc/self/mountinfo && fail "a mount is left under ${pin%/*}"
[ ! -e "${pin%/*}" ] || fail "${pin%/*} left behind"
for l in /proc/[0-9]*/ns/uts; do
	[ "$(stat -L -c %i "$l" 2>/dev/null)" != "$ino" ] || fail "a process is still in uts:[$ino]"
done
echo "ns-lifetime: ok"
exit 0
