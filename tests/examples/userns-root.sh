#!/bin/sh
# Test of examples/userns-root.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Inside, the child must be uid 0 with every capability; outside, the same process and the file
# it created must carry the mapped uid (100000 for root's explicit map, 65534 for the
# unprivileged one), and the namespace's owner must be its creator.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/userns-root"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (part 1 writes a map for 100000-165535; part 2 drops to 65534)"; exit 77; }
command -v setpriv >/dev/null && setpriv --reuid 65534 --regid 65534 --clear-groups unshare --user true 2>/dev/null \
	|| { echo "SKIP: unprivileged user namespaces are disabled"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

"$prog" >"$out" 2>&1 || fail "exit status $?"
part1=$(sed -n '/^== 1\./,/^== 2\./p' "$out")
part2=$(sed -n '/^== 2\./,$p' "$out")
check() { # check PART-TEXT REGEX WHAT
	echo "$1" | grep -Eq "$2" || fail "$3"
}
for part in "$part1" "$part2"; do
	check "$part" '^inside:  getuid\(\) = 0, getgid\(\) = 0$' "not uid/gid 0 inside"
	check "$part" '^inside:  effective capabilities 0*1ffffffffff ' "not every capability inside"
	check "$part" "^inside:  sethostname\(\) on the host's UTS namespace: Operation not permitted" \
		"root inside could act on the host's UTS namespace"
	check "$part" '^inside:  / belongs to uid 65534 ' "the host's root is not shown as the overflow uid"
	check "$part" 'its parent is ours \(ns_get_parent\)$' "the parent user namespace is not ours"
done
check "$part1" '^inside:  /proc/self/uid_map: 0 100000 65536$' "part 1 map inside"
check "$part1" '^outside: /proc/[0-9]+/uid_map: 0 100000 65536$' "part 1 map outside"
check "$part1" '^outside: /proc/[0-9]+/status Uid: 100000 100000 100000 100000 ' "part 1: not uid 100000 outside"
check "$part1" '^outside: this process is uid 0$' "part 1 not run as root"
check "$part1" 'created by uid 0 \(ns_get_owner_uid\)' "part 1 owner is not 0"
check "$part1" '/made-by-mapped-root belongs to uid 100000, gid 100000$' "part 1 file not owned by 100000"
check "$part2" '^outside: this process is uid 65534$' "part 2 did not drop to 65534"
check "$part2" '^inside:  /proc/self/uid_map: 0 65534 1$' "part 2 map inside"
check "$part2" '^outside: /proc/[0-9]+/uid_map: 0 65534 1$' "part 2 map outside"
check "$part2" '^outside: /proc/[0-9]+/status Uid: 65534 65534 65534 65534 ' "part 2: not uid 65534 outside"
check "$part2" 'created by uid 65534 \(ns_get_owner_uid\)' "part 2 owner is not 65534"
check "$part2" '/made-by-user-root belongs to uid 65534, gid 65534$' "part 2 file not owned by 65534"

# the temporary directory is gone
dir=$(sed -n 's|^inside:  created \(/tmp/libns-userns-root-[^/]*\)/.*|\1|p' "$out" | head -1)
[ -n "$dir" ] && [ ! -e "$dir" ] || fail "temporary directory '$dir' left behind"

# started unprivileged, only part 2 runs, as that user: from a copy it can reach wherever the build
# tree is (a checkout under /root is out of its reach)
nobody=$("$(dirname "$0")/../tools/nobody-copy.sh" "$prog") || fail "cannot copy $prog for uid 65534"
trap 'rm -f "$out"; rm -rf "$nobody"' EXIT
setpriv --reuid 65534 --regid 65534 --clear-groups env LD_LIBRARY_PATH="$nobody" "$nobody/$(basename "$prog")" \
	>"$out" 2>&1 || fail "unprivileged run: status $?"
grep -q '^== 1\.' "$out" && fail "part 1 ran without root"
grep -q '^inside:  getuid() = 0, getgid() = 0$' "$out" || fail "unprivileged run: not 0 inside"
echo "userns-root: ok"
exit 0
