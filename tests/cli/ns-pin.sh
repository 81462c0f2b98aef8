#!/bin/sh
# Test of tools/ns-pin.c: $1 is the built program. Pins the UTS namespace of a sleeping process,
# lists it, shows it outlives the process, unpins it and checks that no mount or file is left.
prog=$1
[ "$(id -u)" = 0 ] || { echo "SKIP: pinning needs root"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: needs unshare(1)"; exit 77; }

dir=$(mktemp -d /tmp/ns-pin-test.XXXXXX) || exit 1
pin="$dir/my pin"       # a space: mountinfo escapes it, the listing must not
unshare --uts sleep 600 &
pid=$!                  # unshare execs sleep: same pid
cleanup() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	umount -l "$pin" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

i=0
while [ "$(readlink /proc/$pid/ns/uts)" = "$(readlink /proc/self/ns/uts)" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "sleep never got its own UTS namespace"
	sleep 0.05
done
want=$(stat -L -c %i /proc/$pid/ns/uts)

out=$("$prog" pin "$pid" uts "$pin") || fail "pin: $out"
echo "$out"
echo "$out" | grep -q "uts:\[$want\]" || fail "pin reported the wrong namespace (want $want)"
"$prog" list > "$dir/list" || fail "list"
cat "$dir/list"
grep -Eq "^uts +$want +$pin\$" "$dir/list" || fail "list does not show uts $want at $pin"

# each pin once, also where a shared mount shows it twice in mountinfo (as /run/netns after ip netns)
if command -v ip >/dev/null && ip netns attach "libns-pin-test-$$" "$pid" 2>/dev/null; then
	n=$("$prog" list | grep -c "/run/netns/libns-pin-test-$$\$")
	ip netns del "libns-pin-test-$$"
	[ "$n" = 1 ] || fail "list shows /run/netns/libns-pin-test-$$ $n times"
	echo "ok: /run/netns pin listed once"
fi

# the pin alone keeps the namespace alive
kill "$pid"; wait "$pid" 2>/dev/null
[ "$(stat -L -c %i "$pin")" = "$want" ] || fail "the pin does not hold uts:[$want] any more"

"$prog" unpin "$pin" || fail "unpin"
[ ! -e "$pin" ] || fail "unpin left $pin"
grep -q "$dir" /proc/self/mountinfo && fail "mountinfo still has a mount under $dir"
"$prog" list | grep -q "$dir" && fail "list still shows $pin"

# errors: exit 1 with libns's explanation
"$prog" unpin "$pin" 2> "$dir/err" && fail "unpin of a missing pin succeeded"
grep -q "does not exist" "$dir/err" || fail "no explanation: $(cat "$dir/err")"
: > "$dir/plain"
"$prog" unpin "$dir/plain" 2> "$dir/err"; [ $? = 1 ] || fail "unpin of a plain file did not exit 1"
grep -q "not a pinned namespace" "$dir/err" || fail "no explanation: $(cat "$dir/err")"
[ -e "$dir/plain" ] || fail "unpin removed a plain file"
echo "PASS"
exit 0
