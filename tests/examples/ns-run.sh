#!/bin/sh
# Test of examples/ns-run.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Each check compares what the command sees inside with what the kernel shows outside.
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
trap 'rm -rf "$tmp"' EXIT

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
grep -q "exec /nonexistent: No such file or directory" "$tmp/err" && ok "missing command message" \
	|| bad "missing command message: $(cat "$tmp/err")"
"$RUN" --no-such-option 2>/dev/null; check "bad option" 1 $?
"$RUN" --hostname x --net --mount-proc -- true 2>"$tmp/err"; check "--mount-proc without --pid" 1 $?
grep -q "pid namespace" "$tmp/err" && ok "--mount-proc without --pid explains" || bad "message: $(cat "$tmp/err")"

# net, ipc, cgroup
check "only lo in a new network namespace" 1 "$("$RUN" --net -- grep -c : /proc/net/dev)"
[ "$("$RUN" --ipc -- readlink /proc/self/ns/ipc)" != "$(readlink /proc/self/ns/ipc)" ] \
	&& ok "new ipc namespace" || bad "ipc namespace shared"
check "cgroup namespace root" "0::/" "$("$RUN" --cgroup -- grep '^0::' /proc/self/cgroup)"

# user namespaces: root inside, as root and as an unprivileged user
check "map-root-user" "0 0" "$("$RUN" --user --map-root-user -- sh -c 'echo $(id -u) $(id -g)')"
if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$RUN" --user --map-root-user --pid \
		--mount-proc --uts --hostname box -- sh -c 'echo $(id -u) $$ $(hostname); cat /proc/self/uid_map')
	check "unprivileged sandbox" "0 1 box 0 65534 1" "$(echo $out)"
	setpriv --reuid 65534 --regid 65534 --clear-groups "$RUN" --net -- true 2>"$tmp/err"
	check "unprivileged --net without --user fails" 1 $?
	grep -q CAP_SYS_ADMIN "$tmp/err" && ok "EPERM names CAP_SYS_ADMIN" || bad "message: $(cat "$tmp/err")"
	check "map-current-user" 65534 "$(setpriv --reuid 65534 --regid 65534 --clear-groups "$RUN" \
		--map-current-user -- id -u)"
else
	echo "skip unprivileged checks: no setpriv"
fi

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
