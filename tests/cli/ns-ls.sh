#!/bin/sh
# ns-ls lists every namespace like lsns: check rows, -t, --json, --method and --tree against /proc.
set -eu
prog=$1
[ "$(id -u)" = 0 ] || { echo "ns-ls: needs root to make namespaces"; exit 77; }
dir=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null || :; done; rm -rf "$dir"' EXIT
fail() { echo "ns-ls: $*"; exit 1; }

# a process in new uts and net namespaces, run as a command whose name needs JSON escaping
weird='q"b\s'
ln -s "$(command -v sleep)" "$dir/$weird"
unshare -u -n "$dir/$weird" 60 &
pid=$!
pids="$pids $pid"
i=0
while [ "$(stat -L -c %i /proc/$pid/ns/net)" = "$(stat -L -c %i /proc/self/ns/net)" ] ||
      [ "$(cat /proc/$pid/comm)" != "$weird" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "child did not start"; sleep 0.05
done
net=$(stat -L -c %i /proc/$pid/ns/net)
uts=$(stat -L -c %i /proc/$pid/ns/uts)
myuser=$(stat -L -c %i /proc/self/ns/user)

"$prog" > "$dir/out"
head -1 "$dir/out" | grep -Eq '^ +NS +TYPE +NPROCS +PID +USER +COMMAND$' || fail "bad header: $(head -1 "$dir/out")"
grep -Eq "^ *$net +net +1 +$pid +root +q\"b\\\\s$" "$dir/out" || { cat "$dir/out"; fail "no row for net $net of $pid"; }
grep -Eq "^ *$uts +uts +1 +$pid " "$dir/out" || fail "no row for uts $uts"

# -t: only that type
"$prog" -t net > "$dir/net"
[ "$(tail -n +2 "$dir/net" | awk '$2 != "net"' | wc -l)" = 0 ] || fail "-t net lists other types"
grep -Eq "^ *$net +net " "$dir/net" || fail "-t net misses $net"
"$prog" -t net -t uts | grep -Eq "^ *$uts +uts " || fail "-t net -t uts misses $uts"
if "$prog" -t bogus 2>"$dir/err"; then fail "-t bogus accepted"; fi
grep -q 'ns-ls: ' "$dir/err" || fail "no message for -t bogus"

# --json: valid JSON, lsns -J's field names, and the row for our namespace
"$prog" --json > "$dir/json"
python3 -m json.tool "$dir/json" > /dev/null || fail "--json is not valid JSON"
python3 - "$dir/json" "$net" "$pid" "$weird" "$myuser" <<'PY' || fail "--json content"
import json, sys
doc = json.load(open(sys.argv[1]))
net, pid, weird, myuser = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
rows = [r for r in doc["namespaces"] if r["ns"] == net]
assert len(rows) == 1, rows
r = rows[0]
assert r["type"] == "net" and r["nprocs"] == 1 and r["pid"] == pid, r
assert r["user"] == "root" and r["command"] == weird, r
assert r["owner"] == myuser and r["parent"] is None and r["held_by"] == ["process"], r
assert isinstance(r["id"], int) or r["id"] is None, r
for r in doc["namespaces"]:
    for k in ("ns", "nprocs", "pid"):
        assert isinstance(r[k], int), (k, r)
    for k in ("type", "command"):
        assert isinstance(r[k], str), (k, r)
PY
# every field lsns -J prints, ns-ls --json prints too
if command -v lsns > /dev/null; then
	lsns -J -l > "$dir/lsns"   # -l: flat, as ns-ls prints it
	python3 - "$dir/lsns" "$dir/json" <<'PY' || fail "--json lacks lsns fields"
import json, sys
theirs = {k for r in json.load(open(sys.argv[1]))["namespaces"] for k in r}
ours = {k for r in json.load(open(sys.argv[2]))["namespaces"] for k in r}
assert theirs <= ours, theirs - ours
PY
fi

# --method: every path lists our namespace alike; bpf fails where it may not be taken, and says why
for m in proc auto; do
	"$prog" --method=$m -t net | grep -Eq "^ *$net +net +1 +$pid " || fail "--method=$m misses $net"
done
if "$prog" --method=bpf -t net > "$dir/bpf" 2>"$dir/err"; then
	grep -Eq "^ *$net +net +1 +$pid " "$dir/bpf" || fail "--method=bpf misses $net"
	# as uid 65534, through a copy it can reach (tests/tools/nobody-copy.sh)
	nobody=$("$(dirname "$0")/../tools/nobody-copy.sh" "$prog")
	status=0
	setpriv --reuid=65534 --regid=65534 --clear-groups env LD_LIBRARY_PATH="$nobody" \
		"$nobody/$(basename "$prog")" --method=bpf 2>"$dir/err" >/dev/null || status=$?
	rm -rf "$nobody"
	[ $status != 0 ] || fail "--method=bpf worked for uid 65534"
	grep -q "CAP_SYS_PTRACE" "$dir/err" || fail "--method=bpf as uid 65534: $(cat "$dir/err")"
else
	grep -q "NS_FEATURE_BPF_ITER" "$dir/err" || fail "--method=bpf: $(cat "$dir/err")"
fi
if "$prog" --method=bogus 2>/dev/null; then fail "--method=bogus accepted"; fi

# --tree: our net namespace hangs under the initial user namespace
"$prog" --tree > "$dir/tree"
grep -Eq "^ *$myuser +user " "$dir/tree" || fail "--tree has no root user namespace"
grep -Eq "^ *$net +net +1 +$pid +root +[├└]─q\"b" "$dir/tree" || { cat "$dir/tree"; fail "--tree: $net not under it"; }
# --tree=parent: user and pid namespaces under their parent; lsns's 'process' relation is refused
"$prog" --tree=parent -t user > "$dir/tree" || fail "--tree=parent"
grep -Eq "^ *$myuser +user " "$dir/tree" || fail "--tree=parent has no root user namespace"
if "$prog" --tree=process 2>"$dir/err"; then fail "--tree=process accepted"; fi
grep -q "not available" "$dir/err" || fail "--tree=process: $(cat "$dir/err")"

# -p PID: exactly the namespaces that process is in
"$prog" -p "$pid" -n -o NS,TYPE > "$dir/task"
n=0
for t in mnt cgroup uts ipc user pid net time; do
	# a type this kernel (or the simulated older one of scripts/ci-old-kernels.sh) lacks is not listed
	[ -e /proc/$pid/ns/$t ] && [ -n "$("$prog" -n -o TYPE -t $t)" ] || continue
	n=$((n + 1))
	grep -Eq "^ *$(stat -L -c %i /proc/$pid/ns/$t) +$t\$" "$dir/task" || fail "-p $pid lacks its $t namespace"
done
[ "$(wc -l < "$dir/task")" = "$n" ] || { cat "$dir/task"; fail "-p lists more than its $n namespaces"; }
# a namespace by inode; --noheadings; --raw; --output with PATH and PPID; --filter
[ "$("$prog" -n -o TYPE,PID "$net")" = "net  $pid" ] || fail "NS argument: '$("$prog" -n -o TYPE,PID "$net")'"
[ "$("$prog" -r -n -o NS,COMMAND "$net")" = "$net q\"b\\x5cs" ] || fail "--raw: '$("$prog" -r -n -o NS,COMMAND "$net")'"
[ "$("$prog" -n -o PATH,PPID "$net" | tr -s ' ')" = "/proc/$pid/ns/net $$" ] || fail "PATH, PPID: '$("$prog" -n -o PATH,PPID "$net")'"
[ "$("$prog" -n -o NS -Q "TYPE==net && PID==$pid")" = "$net" ] || fail "--filter: '$("$prog" -n -o NS -Q "TYPE==net && PID==$pid")'"
[ -z "$("$prog" -n -o NS -Q "TYPE!=net && NS==$net")" ] || fail "--filter !="
[ "$("$prog" -n -o NS -Q "NS==$net && NPROCS>=1 && NPROCS<2")" = "$net" ] || fail "--filter numbers"
if "$prog" -Q "BOGUS==1" 2>/dev/null; then fail "--filter with an unknown column accepted"; fi
if "$prog" -o NS,NETNSID 2>"$dir/err"; then fail "NETNSID accepted"; fi
grep -q "NETNSID is not available" "$dir/err" || fail "NETNSID: $(cat "$dir/err")"
# --json -o: the columns asked for, lower case
"$prog" -J -o NS,TYPE,NSFS "$net" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["namespaces"]
assert rows == [{"ns": int(sys.argv[1]), "type": "net", "nsfs": None}], rows' "$net" || fail "--json -o"

# NSFS: a pin of the namespace; shown once, even with /run/netns a shared mount (ip netns makes it so)
pin=$dir/pin
touch "$pin"
mount --bind /proc/$pid/ns/net "$pin"
[ "$("$prog" -n -o NSFS "$net")" = "$pin" ] || fail "NSFS: '$("$prog" -n -o NSFS "$net")'"
"$prog" -J -o NS,NSFS "$net" | grep -q "\"nsfs\": \"$pin\"" || fail "NSFS in JSON"
umount "$pin"
if command -v ip >/dev/null && ip netns attach libns-ls-test-$$ "$pid" 2>/dev/null; then
	nsfs=$("$prog" -n -o NSFS "$net")
	ip netns del libns-ls-test-$$
	[ "$nsfs" = /run/netns/libns-ls-test-$$ ] || fail "NSFS with /run/netns: '$nsfs'"
fi
echo "ns-ls: ok"
