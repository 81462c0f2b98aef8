#!/bin/sh
# ns-info shows this process's namespaces and a child's fresh ones: check both against /proc.
set -eu
prog=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$prog" > "$out"
# ns-info runs in the same namespaces as this shell: its net line must carry our net inode
mynet=$(stat -L -c %i /proc/$$/ns/net)
grep -A9 '^this process' "$out" | grep -Eq "^  net +$mynet " || { echo "our net inode $mynet not shown"; cat "$out"; exit 1; }
# the child's uts, ipc, net and mnt namespaces are new, its pid namespace is shared
child=$(sed -n '/^a child/,$p' "$out")
for t in uts ipc net mnt; do
	echo "$child" | grep -Eq "^  $t .*no \(new\)$" || { echo "child's $t not new"; cat "$out"; exit 1; }
done
echo "$child" | grep -Eq '^  pid .*yes$' || { echo "child's pid namespace should be shared"; exit 1; }
# with a pid: that process's namespaces
"$prog" $$ | grep -Eq "^  net +$mynet " || { echo "ns-info PID wrong"; exit 1; }
# bad input: a clear message and exit 1
if "$prog" 999999999 2>"$out"; then echo "bad pid accepted"; exit 1; fi
grep -q 'ns-info: ' "$out" || { echo "no message for a bad pid"; exit 1; }
echo "ns-info: ok"
exit 0
