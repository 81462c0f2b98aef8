#!/bin/sh
# Test of examples/uts-hostname.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# The child must report the new hostname, live in a UTS namespace of its own, and leave the
# host's hostname untouched.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/uts-hostname"; exit 1; }
if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
	echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

host=$(hostname)
name="libns-uts-$$"
"$prog" "$name" >"$out" 2>&1 || fail "exit status $?"
grep -qx "host:   hostname = $host" "$out" || fail "the host's hostname is not shown as $host"
grep -qx "inside: uname() nodename = $name" "$out" || fail "the child does not see $name"
grep -q ': two namespaces$' "$out" || fail "the child shares our UTS namespace"
mine=$(stat -L -c %i /proc/self/ns/uts)
grep -q "/ns/uts -> uts:\[$mine\], " "$out" || fail "our own uts inode $mine is not the one shown first"
grep -qx "host:   hostname = $host (unchanged)" "$out" || fail "the program saw the host's hostname change"
[ "$(hostname)" = "$host" ] || fail "the host's hostname changed to $(hostname)"

# the default name
"$prog" | grep -qx 'inside: uname() nodename = libns-demo' || fail "default name is not libns-demo"
[ "$(hostname)" = "$host" ] || fail "the host's hostname changed"
echo "uts-hostname: ok"
exit 0
