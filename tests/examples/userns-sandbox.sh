#!/bin/sh
# Test of examples/userns-sandbox.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Run unprivileged (the program drops to 65534 when started as root): inside it must be uid 0 and
# pid 1, with a uid_map "0 <outside uid> 1", a root holding only the demo's entries, and a /proc
# listing pid 1 alone; the host must never see its mounts, and nothing may be left afterwards.
set -eu
[ -x "${1:-}" ] || { echo "usage: $0 path/to/userns-sandbox"; exit 1; }
prog=$(readlink -f "$1")   # meson passes a path relative to the build directory; we cd /
if [ "$(id -u)" = 0 ]; then
	setpriv --reuid 65534 --regid 65534 --clear-groups unshare --user true 2>/dev/null \
		|| { echo "SKIP: unprivileged user namespaces are disabled (or no setpriv)"; exit 77; }
	me=65534
else
	unshare --user true 2>/dev/null || { echo "SKIP: unprivileged user namespaces are disabled"; exit 77; }
	me=$(id -u)
fi
out=$(mktemp)
pid=
dir=
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	# a sandbox killed by the kill above cannot remove its (empty) directory itself
	[ -z "$dir" ] || rmdir "$dir" 2>/dev/null || true
	rm -f "$out"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

cd /
"$prog" >"$out" 2>&1 || fail "exit status $?"
grep -qx "outside: uid $me, gid $me" "$out" || fail "not running as uid $me outside"
grep -qx 'inside:  uid 0, gid 0, pid 1' "$out" || fail "not uid 0 and pid 1 inside"
grep -qx "inside:  /proc/self/uid_map: 0 $me 1" "$out" || fail "uid_map inside is not '0 $me 1'"
entries=$(sed -n 's/^inside:  ls \/: //p' "$out")
for e in $entries; do
	case $e in usr|bin|sbin|lib|lib32|lib64|libx32|proc|tmp) ;; *) fail "unexpected /$e in the new root";; esac
done
for e in usr proc tmp; do
	echo " $entries " | grep -q " $e " || fail "/$e missing from the new root"
done
grep -q '^inside:  no /etc, no /home' "$out" || fail "the host's /etc is visible inside"
grep -qx 'inside:  processes in /proc: 1' "$out" || fail "/proc inside lists more than pid 1"
grep -qx 'outside: the sandbox exited with status 0' "$out" || fail "no clean exit"
dir=$(sed -n 's/^outside: new root \([^:]*\):.*/\1/p' "$out")
[ -n "$dir" ] || fail "no new root shown"
[ ! -e "$dir" ] || fail "$dir left behind"
grep -q "$dir" /proc/self/mountinfo && fail "a mount of $dir is left on the host"

# while a sandbox runs, its mounts exist only in its own mount namespace
: >"$out"   # emptied here: the background job's own redirection may come after the loop's first look
"$prog" sleep 3 >"$out" 2>&1 &
pid=$!
i=0
until grep -q '^outside: new root' "$out"; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the sandbox did not start"
	sleep 0.05
done
dir=$(sed -n 's/^outside: new root \([^:]*\):.*/\1/p' "$out")
[ -d "$dir" ] || fail "no directory $dir while running"
grep -q "$dir" /proc/self/mountinfo && fail "the sandbox's mounts are visible on the host"
[ -z "$(ls -A "$dir")" ] || fail "the host sees files in $dir (the tmpfs leaked)"
wait "$pid" || fail "sleep in the sandbox failed"
pid=
[ ! -e "$dir" ] || fail "$dir left behind"

# exit statuses come back
"$prog" sh -c 'exit 4' >"$out" 2>&1 && fail "exit 4 reported as success" || [ $? = 4 ] || fail "status is not 4"
echo "userns-sandbox: ok"
exit 0
