#!/bin/sh
# ns-enter runs a command in another process's namespaces: check what the command sees.
set -eu
prog=$1
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
err=$(mktemp)
# --kill-child: the sleeper (init of its pid namespace) dies with unshare, and keeps no pipe of ours open
unshare --uts --net --ipc --mount --pid --fork --kill-child \
	sh -c 'hostname libns-enter-test; exec sleep 120' </dev/null >/dev/null 2>&1 &
wrapper=$!
trap 'kill -9 $wrapper 2>/dev/null; wait $wrapper 2>/dev/null || true; rm -f "$err"' EXIT
# the sleeper is unshare's child; wait until it has set the hostname
for _ in $(seq 50); do
	target=$(cat /proc/$wrapper/task/$wrapper/children 2>/dev/null | awk '{print $1}')
	[ -n "$target" ] && [ "$(cat /proc/$target/comm 2>/dev/null)" = sleep ] && break
	sleep 0.1
done
[ "$(cat /proc/$target/comm)" = sleep ] || { echo "target did not start"; exit 1; }

[ "$("$prog" -t "$target" -u hostname)" = libns-enter-test ] || { echo "uts not entered"; exit 1; }
want=$(readlink /proc/$target/ns/net)
[ "$("$prog" -t "$target" -n readlink /proc/self/ns/net)" = "$want" ] || { echo "net not entered"; exit 1; }
# -a: everything, the pid namespace included: the command sees itself as a low pid
inside=$("$prog" -t "$target" -a sh -c 'echo $$')
[ "$inside" -lt 10 ] || { echo "pid namespace not entered (pid $inside)"; exit 1; }
"$prog" -t "$target" -a true
# the command's exit status comes back
set +e
"$prog" -t "$target" -n sh -c 'exit 3'; st=$?
set -e
[ "$st" = 3 ] || { echo "exit status $st, expected 3"; exit 1; }
# bad input
if "$prog" -t 999999999 -n true 2>"$err"; then echo "bad pid accepted"; exit 1; fi
grep -q 'no process 999999999' "$err" || { echo "unclear message:"; cat "$err"; exit 1; }
if "$prog" -n true 2>/dev/null; then echo "missing -t accepted"; exit 1; fi
echo "ns-enter: ok"
exit 0
