#!/bin/sh
# Test of examples/cgroup-view.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Inside the cgroup namespace the child's own cgroup must be "/" in every hierarchy; where the
# program could create a child cgroup, the host must see the child there, the child must see its
# parent above its root ("/.."), and the cgroup must be removed afterwards.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/cgroup-view"; exit 1; }
if [ "$(id -u)" != 0 ] && ! unshare --user true 2>/dev/null; then
	echo "SKIP: neither root nor unprivileged user namespaces"; exit 77
fi
[ -e /proc/self/ns/cgroup ] || { echo "SKIP: no cgroup namespaces in this kernel"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

"$prog" >"$out" 2>&1 || fail "exit status $?"
# every hierarchy shows "/" inside
n_host=$(grep -c '^host:   /proc/self/cgroup: ' "$out")
n_in=$(grep -c '^inside: /proc/self/cgroup: [0-9]*:[^:]*:/$' "$out")
[ "$n_in" -ge 1 ] && [ "$n_in" = "$n_host" ] || fail "not every hierarchy is '/' inside ($n_in of $n_host)"
grep -qx 'inside: /proc/self/cgroup: 0::/' "$out" || fail "inside does not show 0::/"
# the host's own view is what the kernel shows this shell (same cgroups as the program's parent)
mine=$(grep '^0::' /proc/self/cgroup)
grep -qx "host:   /proc/self/cgroup: $mine" "$out" || fail "the host's own cgroup is not $mine"

if grep -q '^host:   created cgroup ' "$out"; then
	cg=$(sed -n 's/^host:   created cgroup //p' "$out")
	name=${cg##*/}
	grep -Eq "^host:   \(the child\) /proc/[0-9]+/cgroup: 0::(/.*)?/$name\$" "$out" \
		|| fail "the host does not see the child in $name"
	grep -Eq '^inside: \(its parent\) /proc/[0-9]+/cgroup: 0::/\.\.$' "$out" \
		|| fail "the parent is not shown as /.. from inside"
	grep -qx "host:   removed cgroup $cg" "$out" || fail "no removal line"
	[ ! -e "$cg" ] || fail "cgroup $cg left behind"
else
	echo "note: no writable cgroup2 here; checked the namespace rooted at the program's own cgroup"
	grep -Eq '^host:   \(the child\) /proc/[0-9]+/cgroup: '"$mine"'$' "$out" || fail "host view of the child"
fi
echo "cgroup-view: ok"
exit 0
