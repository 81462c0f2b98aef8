#!/bin/sh
# Test of examples/proc-ns-links.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Part 1 must list our real links with their stat() inodes; part 2 must call "same" exactly the
# types whose inodes match (uts and net new); part 3 must show time_for_children new at once,
# pid_for_children unreadable until the first child, then both differing, with the child pid 1 in
# them. As root and, when possible, as uid 65534 (where the user namespace is new too).
set -eu
. "$(dirname "$0")/lib.sh"
start "${1:-}"
need_userns

check() {   # $1: the types part 2 must show as new
	# a kernel (or kernel-profile) without time namespaces: no time in parts 1 and 2, pid alone in 3
	timens=yes
	grep -q '^   (no time namespaces before Linux 5.6' "$out" && timens=no
	for l in cgroup ipc mnt net pid pid_for_children time time_for_children user uts; do
		case $timens$l in notime*) continue;; esac
		t=$(readlink /proc/self/ns/$l); ino=$(stat -L -c %i /proc/self/ns/$l)
		grep -Eq "^   $l +$(echo "$t" | sed 's/[][]/\\&/g') +$ino +[0-9]+$" "$out" || fail "part 1: $l is not $t ($ino)"
	done
	sed -n '/^2\./,/^3\./p' "$out" | grep -E '^   [a-z]+ +[a-z]+:\[' > "$out.2"
	[ "$(wc -l < "$out.2")" = "$([ $timens = yes ] && echo 8 || echo 7)" ] || fail "part 2 does not compare every type"
	while read -r type ours theirs same; do
		if echo " $1 " | grep -q " $type "; then
			[ "$ours" != "$theirs" ] && [ "$same" = "no: a new namespace" ] || fail "part 2: $type should be new"
		else
			[ "$ours" = "$theirs" ] && [ "$same" = yes ] || fail "part 2: $type should be shared"
		fi
	done < "$out.2"
	rm -f "$out.2"
	p3=$(sed -n '/^3\./,$p' "$out")
	[ $timens = yes ] || p3=$(echo "$p3" | sed 2d)
	first=$(echo "$p3" | sed -n '2,5p')
	echo "$first" | grep -q "^   pid_for_children   -> No such file or directory$" || fail "pid_for_children readable before the first child"
	pid=$(echo "$first" | sed -n 's/^   pid                -> //p')
	time=$(echo "$first" | sed -n 's/^   time               -> //p')
	tfc=$(echo "$first" | sed -n 's/^   time_for_children  -> //p')
	[ "$pid" = "pid:[$(stat -L -c %i /proc/self/ns/pid)]" ] || fail "part 3: the caller's pid namespace changed"
	[ "$time" = "$(readlink /proc/self/ns/time)" ] || fail "part 3: the caller's time namespace changed"
	if [ "$timens" = no ]; then
		[ "$tfc" = "$time" ] || fail "time_for_children changed without time namespaces"
	else
		case $tfc in time:\[*\]) [ "$tfc" != "$time" ] || fail "time_for_children is not new";; *) fail "no time_for_children";; esac
	fi
	echo "$p3" | grep -Eq '^   a child forked now is pid [0-9]+ here and pid 1 in its namespace' || fail "the child is not pid 1"
	after=$(echo "$p3" | sed -n '/a child forked now/,$p')
	pfc=$(echo "$after" | sed -n 's/^   pid_for_children   -> //p')
	case $pfc in pid:\[*\]) [ "$pfc" != "$pid" ] || fail "pid_for_children is not new";; *) fail "pid_for_children still unreadable";; esac
	echo "$after" | grep -qx "   the child's pid -> $(echo "$pfc" | sed 's/[][]/\\&/g'), time -> $(echo "$tfc" | sed 's/[][]/\\&/g')" \
		|| fail "the child is not in the *_for_children namespaces"
	if [ "$timens" = no ]; then
		echo "$after" | grep -q 'pid_for_children: yes$' || fail "ns_equal disagrees"
		echo "$after" | grep -qx '   pid_for_children differs from pid' || fail "pid_for_children not new"
	else
		echo "$after" | grep -q 'pid_for_children: yes; its time namespace is our time_for_children: yes$' || fail "ns_equal disagrees"
		echo "$after" | grep -qx '   pid_for_children and time_for_children differ from pid and time' || fail "the links did not both change"
	fi
}

"$prog" >"$out" 2>&1 || fail "exit status $?"
if [ "$(id -u)" = 0 ]; then check "uts net"; else check "uts net user"; fi
if rerun_as_nobody; then
	check "uts net user"
fi
echo "proc-ns-links: ok"
exit 0
