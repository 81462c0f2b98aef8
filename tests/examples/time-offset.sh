#!/bin/sh
# Test of examples/time-offset.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The child's uptime and CLOCK_BOOTTIME must be ahead by the boottime offset, CLOCK_MONOTONIC by
# the monotonic one, CLOCK_REALTIME not at all, and /proc/PID/timens_offsets must list both.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/time-offset"; exit 1; }
[ -e /proc/self/ns/time ] || { echo "SKIP: no time namespaces in this kernel (Linux 5.6)"; exit 77; }
# the link alone is no proof (a seccomp policy, or tests/tools/kernel-profile 5.4, refuses CLONE_NEWTIME): ask
if "$prog" 2>&1 | grep -q "no time namespaces"; then echo "SKIP: not available before Linux 5.6 (time namespaces)"; exit 77; fi
if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
	echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

# difference CLOCK-NAME: the whole seconds the child's clock is ahead, from the table
difference() {
	sed -n "s|^$1  *[0-9.]*  *[0-9.]*  *\([-+][0-9]*\) s .*|\1|p" "$out"
}
near() { # near ACTUAL EXPECTED: within 2 s (the two readings are milliseconds apart)
	[ -n "$1" ] && [ "$1" -ge $(($2 - 2)) ] && [ "$1" -le $(($2 + 2)) ]
}

for args in "" "86400 -100"; do
	# shellcheck disable=SC2086
	"$prog" $args >"$out" 2>&1 || fail "exit status $? with '$args'"
	boot=${args%% *}; boot=${boot:-31536000}
	mono=${args#* }; [ -n "$args" ] || mono=604800
	near "$(difference /proc/uptime)" "$boot" || fail "uptime not ahead by $boot s"
	near "$(difference CLOCK_BOOTTIME)" "$boot" || fail "CLOCK_BOOTTIME not ahead by $boot s"
	near "$(difference CLOCK_MONOTONIC)" "$mono" || fail "CLOCK_MONOTONIC not ahead by $mono s"
	near "$(difference CLOCK_REALTIME)" 0 || fail "CLOCK_REALTIME moved"
	grep -Eq "^  boottime +$boot +0\$" "$out" || fail "timens_offsets has no boottime $boot"
	grep -Eq "^  monotonic +$mono +0\$" "$out" || fail "timens_offsets has no monotonic $mono"
done
# the default is one year of uptime
grep -q '365.00 days' "$out" && fail "second run should not show the default" || true
"$prog" | grep -q '^/proc/uptime .*(+365.00 days)$' || fail "default offset is not 365 days"
echo "time-offset: ok"
exit 0
