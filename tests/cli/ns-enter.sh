#!/bin/sh
# ns-enter runs a command in another process's namespaces: check what the command sees.
set -eu
prog=$(realpath "$1")
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
if "$prog" -n true 2>"$err"; then echo "missing -t accepted"; exit 1; fi
grep -q "neither a file nor a target process (-t) given for the net namespace" "$err" || { cat "$err"; exit 1; }

# namespace files: a pin of the target's net namespace, entered without -t; mixed with -t
pin=$(mktemp -u /tmp/libns-enter-pin.XXXXXX)
trap 'kill -9 $wrapper 2>/dev/null; wait $wrapper 2>/dev/null || true; umount "$pin" 2>/dev/null; rm -f "$err" "$pin"' EXIT
mount --bind /proc/$target/ns/net "$pin" 2>/dev/null || { touch "$pin"; mount --bind /proc/$target/ns/net "$pin"; }
[ "$("$prog" --net="$pin" readlink /proc/self/ns/net)" = "$want" ] || { echo "--net=FILE not entered"; exit 1; }
[ "$("$prog" -n"$pin" readlink /proc/self/ns/net)" = "$want" ] || { echo "-nFILE not entered"; exit 1; }
[ "$("$prog" -t "$target" -u --net="$pin" sh -c 'hostname; readlink /proc/self/ns/net' | tr '\n' ' ')" = "libns-enter-test $want " ] ||
	{ echo "-t with -u and --net=FILE"; exit 1; }
if "$prog" --uts="$pin" true 2>"$err"; then echo "a net file accepted as uts"; exit 1; fi
grep -q "^ns-enter: $pin: " "$err" || { echo "unclear message for a wrong type:"; cat "$err"; exit 1; }
if "$prog" --net=/etc/passwd true 2>/dev/null; then echo "a plain file accepted"; exit 1; fi
# -S/-G, --preserve-credentials, -W, -w, -r, -e, -F
[ "$("$prog" -t "$target" -n -S 1234 -G 4321 sh -c 'echo $(id -u) $(id -g)')" = "1234 4321" ] || { echo "-S -G"; exit 1; }
[ "$("$prog" -t "$target" -n --preserve-credentials id -u)" = 0 ] || { echo "--preserve-credentials"; exit 1; }
[ "$("$prog" -t "$target" -n -W /tmp pwd)" = /tmp ] || { echo "--wdns"; exit 1; }
[ "$(cd /tmp && "$prog" -t $$ -n -w pwd)" = "$(readlink /proc/$$/cwd)" ] || { echo "--wd of the target"; exit 1; }
[ "$("$prog" -t "$target" -n -r -w/ pwd)" = / ] || { echo "--root"; exit 1; }
[ "$(LIBNS_ENTER_MARK=yes "$prog" -t "$target" -n -e sh -c 'echo ${LIBNS_ENTER_MARK:-none}')" = none ] ||
	{ echo "--env kept our environment"; exit 1; }
[ "$("$prog" -t "$target" -p -F sh -c 'echo $$')" -gt 10 ] || { echo "--no-fork forked"; exit 1; }
if "$prog" -Z -t "$target" -n true 2>"$err"; then echo "-Z accepted"; exit 1; fi
grep -q "not available" "$err" || { cat "$err"; exit 1; }
st=0
"$prog" -t "$target" -n /nonexistent 2>"$err" || st=$?
[ $st = 127 ] && grep -q "failed to execute /nonexistent" "$err" || { echo "missing program: $st"; cat "$err"; exit 1; }
echo "ns-enter: ok"
exit 0
