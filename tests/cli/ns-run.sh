#!/bin/sh
# Test of tools/ns-run.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Each check compares what the command sees inside with what the kernel shows outside.
# The unprivileged checks run a copy (tests/tools/nobody-copy.sh): uid 65534 may not reach the build tree.
RUN=$1
[ -x "$RUN" ] || { echo "usage: $0 path/to/ns-run"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (creates namespaces of every kind)"; exit 77; }

fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
tmp=$(mktemp -d /tmp/libns-ns-run-XXXXXX) || exit 1
nobody=$("$(dirname "$0")/../tools/nobody-copy.sh" "$RUN") || exit 1
trap 'rm -rf "$tmp" "$nobody"' EXIT
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups env LD_LIBRARY_PATH="$nobody" "$nobody/ns-run" "$@"; }

# pid namespace with its own /proc: the command is pid 1 and /proc lists only its namespace
check "pid 1 in a new pid namespace" 1 "$("$RUN" --pid --mount-proc -- sh -c 'echo $$')"
n=$("$RUN" --pid --mount --mount-proc -- sh -c 'ls /proc | grep -c "^[0-9]"')
if [ "$n" -ge 1 ] && [ "$n" -le 4 ]; then ok "/proc shows $n processes"; else bad "/proc shows $n processes"; fi
check "the host /proc is untouched" "$(grep -c ' /proc ' /proc/self/mountinfo)" \
	"$(grep -c ' /proc ' /proc/self/mountinfo)"

# uts
host=$(hostname)
check "hostname inside" libns-run "$("$RUN" --uts --hostname libns-run -- hostname)"
check "hostname outside unchanged" "$host" "$(hostname)"

# time: uptime (boottime) one day ahead inside (where the kernel has time namespaces: 5.6)
out=$(cut -d. -f1 /proc/uptime)
if "$RUN" --time -- true 2>&1 | grep -q "no time namespaces"; then
	ok "--time: skipped, not available before Linux 5.6"
else
	in=$("$RUN" --time --monotonic 86400 --boottime 86400 -- cat /proc/uptime | cut -d. -f1)
	d=$((in - out))
	if [ "$d" -ge 86400 ] && [ "$d" -le 86410 ]; then ok "uptime +$d s"; else bad "uptime shifted by $d s, not 86400"; fi
fi

# exit status passthrough
"$RUN" -- sh -c 'exit 7'; check "exit status" 7 $?
"$RUN" -- sh -c 'kill -9 $$'; check "killed by SIGKILL" 137 $?  # (pid 1 of a pid namespace cannot SIGKILL itself)
"$RUN" --fork -- true; check "--fork accepted" 0 $?
"$RUN" -- /nonexistent 2>"$tmp/err"; check "missing command" 127 $?
grep -q "^ns-run: failed to execute /nonexistent: No such file or directory$" "$tmp/err" && ok "missing command message" \
	|| bad "missing command message: $(cat "$tmp/err")"
"$RUN" -- no-such-command-anywhere 2>"$tmp/err"; check "command not in PATH" 127 $?
printf '#!/bin/sh\n' >"$tmp/noexec"; chmod 644 "$tmp/noexec"
"$RUN" -- "$tmp/noexec" 2>"$tmp/err"; check "command not executable" 126 $?
grep -q "failed to execute $tmp/noexec: Permission denied" "$tmp/err" && ok "not executable message" \
	|| bad "not executable message: $(cat "$tmp/err")"
"$RUN" --no-such-option 2>/dev/null; check "bad option" 1 $?
"$RUN" --hostname x --net --mount-proc -- true 2>"$tmp/err"; check "--mount-proc without --pid" 1 $?
grep -q "pid namespace" "$tmp/err" && ok "--mount-proc without --pid explains" || bad "message: $(cat "$tmp/err")"

# net, ipc, cgroup
check "only lo in a new network namespace" 1 "$("$RUN" --net -- grep -c : /proc/net/dev)"
# lo: down in a new network namespace, up with --loopback (ip as the oracle), and 127.0.0.1 answers
lo_flags() { "$RUN" "$@" -- ip -o link show dev lo | sed -n 's/^[0-9]*: lo: <\([^>]*\)>.*/\1/p'; }
check "lo down by default" LOOPBACK "$(lo_flags --net)"
check "lo up with --loopback" LOOPBACK,UP,LOWER_UP "$(lo_flags --loopback)"
check "--loopback: 127.0.0.1 answers inside" ok "$("$RUN" --loopback -- python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.sendto(b"ok", s.getsockname())
print(s.recv(2).decode())')"
[ "$("$RUN" --ipc -- readlink /proc/self/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ] \
	&& ok "new ipc namespace" || bad "ipc namespace shared"
check "cgroup namespace root" "0::/" "$("$RUN" --cgroup -- grep '^0::' /proc/self/cgroup)"

# user namespaces: root inside, as root and as an unprivileged user
check "map-root-user" "0 0" "$("$RUN" --user --map-root-user -- sh -c 'echo $(id -u) $(id -g)')"
if command -v setpriv >/dev/null; then
	out=$(as_nobody --user --map-root-user --pid --mount-proc --uts --hostname box -- \
		sh -c 'echo $(id -u) $$ $(hostname); cat /proc/self/uid_map')
	check "unprivileged sandbox" "0 1 box 0 65534 1" "$(echo $out)"
	as_nobody --net -- true 2>"$tmp/err"
	check "unprivileged --net without --user fails" 1 $?
	grep -q CAP_SYS_ADMIN "$tmp/err" && ok "EPERM names CAP_SYS_ADMIN" || bad "message: $(cat "$tmp/err")"
	check "map-current-user" 65534 "$(as_nobody --map-current-user -- id -u)"
	check "--loopback unprivileged, with the new user namespace's CAP_NET_ADMIN" LOOPBACK,UP,LOWER_UP \
		"$(as_nobody --map-root-user --loopback -- ip -o link show dev lo | sed -n 's/^[0-9]*: lo: <\([^>]*\)>.*/\1/p')"
	check "map-user, map-group" "1000 1000 deny" "$(as_nobody --map-user=1000 --map-group=1000 -- \
		sh -c 'echo $(id -u) $(id -g) $(cat /proc/self/setgroups)')"
	# --keep-caps: uid 1000 inside keeps the namespace's capabilities through exec (ambient set)
	check "keep-caps" "1000 000001ffffffffff" "$(as_nobody --map-user=1000 --keep-caps -- \
		sh -c 'echo $(id -u) $(sed -n "s/^CapEff:\t//p" /proc/self/status)')"
	check "no keep-caps" "0000000000000000" "$(as_nobody --map-user=1000 -- sed -n 's/^CapEff:\t//p' /proc/self/status)"
else
	echo "skip unprivileged checks: no setpriv"
fi

# maps as root: ranges, both spellings, written directly (root needs no newuidmap)
check "map-users, map-groups" "0 100000 65536 0 200000 10" "$(echo $("$RUN" --map-users=0:100000:65536 \
	--map-groups=200000,0,10 -- cat /proc/self/uid_map /proc/self/gid_map))"
check "map-root-user plus a range" "0 0 1 1 100000 1000" "$(echo $("$RUN" -r --map-users=1:100000:1000 -- cat /proc/self/uid_map))"
"$RUN" --map-users=0:100000 -- true 2>"$tmp/err"; check "malformed --map-users" 1 $?
grep -q "invalid --map-users: '0:100000'" "$tmp/err" && ok "--map-users message" || bad "message: $(cat "$tmp/err")"
"$RUN" --map-users=0:100000:10 --map-users=5:300000:10 -- true 2>"$tmp/err"; check "overlapping ranges" 1 $?
if grep -q "^root:" /etc/subuid 2>/dev/null && grep -q "^root:" /etc/subgid 2>/dev/null; then
	"$RUN" --map-auto -- true && ok "--map-auto" || bad "--map-auto"
else
	"$RUN" --map-auto -- true 2>"$tmp/err"; check "--map-auto without subordinate ids" 1 $?
	grep -q "^ns-run: --map-auto: .*subuid" "$tmp/err" && ok "--map-auto explains" || bad "message: $(cat "$tmp/err")"
fi
"$RUN" -r --setgroups allow -- true 2>"$tmp/err"; check "--setgroups allow with -r" 1 $?
check "setgroups deny" deny "$("$RUN" --user --setgroups deny -- cat /proc/self/setgroups)"
check "setgroups allow" allow "$("$RUN" --map-users=0:0:1 --setgroups allow -- cat /proc/self/setgroups)"
"$RUN" --propagation shared -m -- true 2>"$tmp/err"; check "--propagation shared refused" 1 $?
grep -q "private" "$tmp/err" && ok "--propagation explains" || bad "message: $(cat "$tmp/err")"
"$RUN" --propagation private -m -- true; check "--propagation private" 0 $?

# -w, -S, -G, --mount-proc=DIR
check "--wd" "$tmp" "$("$RUN" -w "$tmp" -- pwd)"
check "-S -G" "1234 4321" "$("$RUN" -S 1234 -G 4321 -- sh -c 'echo $(id -u) $(id -g)')"
mkdir "$tmp/p"
check "--mount-proc=DIR: the command is pid 1 there" cat "$("$RUN" --pid --mount-proc="$tmp/p" -- cat "$tmp/p/1/comm")"
check "--mount-proc=DIR left nothing mounted" 0 "$(grep -c "$tmp/p" /proc/self/mountinfo)"

# signals: forwarded, the status is 128 + N, no child is left (pid 1 of a new pid namespace too)
child_of() { # the child of ns-run $1, once there is one (and it runs the command, not libns's setup)
	i=0
	while c=$(awk '{print $1}' /proc/$1/task/$1/children 2>/dev/null); [ -z "$c" ] ||
	      [ "$(cat /proc/$c/comm 2>/dev/null)" != "$2" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || { echo ""; return; }; sleep 0.05
	done
	echo "$c"
}
for opts in "" "--pid" "--pid --mount-proc"; do
	# shellcheck disable=SC2086
	"$RUN" $opts -- sleep 300 >/dev/null &
	run=$!
	child=$(child_of $run sleep)
	kill -TERM $run
	wait $run; check "SIGTERM to ns-run $opts: 128+15" 143 $?
	[ -n "$child" ] && ! kill -0 "$child" 2>/dev/null && ok "SIGTERM to ns-run $opts: no child left" \
		|| { bad "SIGTERM to ns-run $opts: child '$child' left"; [ -n "$child" ] && kill -9 "$child"; }
done
"$RUN" --pid -- sh -c 'trap "kill \$!; exit 9" HUP; sleep 300 >/dev/null & wait' &
run=$!
child=$(child_of $run sh)
i=0   # until the shell has its handler (SigCgt bit 0 is SIGHUP)
while [ -n "$child" ] && [ $(( 0x$(sed -n 's/^SigCgt:\t//p' /proc/$child/status) & 1 )) = 0 ] && [ $i -lt 200 ]; do
	i=$((i + 1)); sleep 0.05
done
kill -HUP $run
wait $run; check "SIGHUP forwarded to a handler (pid 1 of a new pid namespace)" 9 $?
"$RUN" --kill-child=TERM -- sleep 300 >/dev/null &
run=$!
child=$(child_of $run sleep)
kill -KILL $run
wait $run 2>/dev/null
i=0
while [ -n "$child" ] && kill -0 "$child" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
[ -n "$child" ] && ! kill -0 "$child" 2>/dev/null && ok "--kill-child: the child dies with ns-run" \
	|| { bad "--kill-child: child '$child' left"; [ -n "$child" ] && kill -9 "$child"; }

# --root: a minimal root holding only a shell and its libraries
mkdir -p "$tmp/root/proc" "$tmp/root/bin"
cp /bin/sh "$tmp/root/bin/sh"
for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do
	mkdir -p "$tmp/root$(dirname "$lib")" && cp "$lib" "$tmp/root$lib"
done
touch "$tmp/root/marker"
out=$("$RUN" --root "$tmp/root" --pid --mount-proc -- /bin/sh -c \
	'test -e /marker && test ! -e /etc/passwd && test -e /proc/1/status && echo inside')
check "pivot into --root" inside "$out"
check "no mount left behind" 0 "$(grep -c "$tmp" /proc/self/mountinfo)"

echo "$fails failed"
[ "$fails" = 0 ]
