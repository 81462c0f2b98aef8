#!/bin/sh
# ns-tree draws the user-namespace ownership tree and the pid-namespace tree: check both.
set -eu
prog=$1
[ "$(id -u)" = 0 ] || { echo "ns-tree: needs root to make namespaces"; exit 77; }
out=$(mktemp)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null || :; done; rm -f "$out"' EXIT
fail() { echo "ns-tree: $*"; cat "$out"; exit 1; }
wait_child() {   # the only child of $1, once it has one
	i=0
	while ! c=$(cat /proc/$1/task/$1/children 2>/dev/null) || [ -z "$c" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "ns-tree: no child of $1"; exit 1; }; sleep 0.05
	done
	echo $c
}

# uid 65534 makes a user namespace, and in it a net and a pid namespace with sleep as pid 1
setpriv --reuid 65534 --regid 65534 --clear-groups unshare -U -r -n -p -f sleep 60 &
pids="$pids $!"
sleeper=$(wait_child $!)
pids="$pids $sleeper"
user=$(stat -L -c %i /proc/$sleeper/ns/user)
net=$(stat -L -c %i /proc/$sleeper/ns/net)
pid=$(stat -L -c %i /proc/$sleeper/ns/pid)
myuser=$(stat -L -c %i /proc/self/ns/user)
mypid=$(stat -L -c %i /proc/self/ns/pid)

"$prog" > "$out"
# the initial user namespace is a root; ours is a child of it, owned by 65534
grep -Eq "^user:\[$myuser\] \(owner uid 0\)" "$out" || fail "no root user namespace $myuser"
grep -Eq "^[├└]─user:\[$user\] \(owner uid 65534\): 2 processes" "$out" || fail "user $user not a child of the root"
# its net namespace one level deeper, the pid namespace with sleep as its only process
grep -Eq "^(│ |  )[├└]─net:\[$net\]: 2 processes" "$out" || fail "net $net not under user $user"
grep -Eq "^(│ |  )[├└]─pid:\[$pid\]: 1 process, lowest pid $sleeper \(sleep\)$" "$out" || fail "pid $pid not under user $user"
# nesting: our pid namespace is a root of the pid tree, the new one its child
sed -n '/^Nesting/,$p' "$out" > "$out.pid"
grep -Eq "^pid:\[$mypid\]" "$out.pid" || fail "pid tree has no root $mypid"
grep -Eq "^[├└]─pid:\[$pid\]: 1 process, lowest pid $sleeper " "$out.pid" || fail "pid $pid not nested under $mypid"
rm -f "$out.pid"
# each tree alone
"$prog" --pid | grep -q '^Ownership' && fail "--pid printed the ownership tree"
"$prog" --user | grep -q "user:\[$user\]" || fail "--user lacks $user"
if "$prog" --bogus 2>/dev/null; then fail "--bogus accepted"; fi
echo "ns-tree: ok"
