#!/bin/sh
# Test of examples/net-veth.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# While the demo is paused, ip (the oracle; the program itself uses none) must see in each namespace
# only lo and its veth end, both up, with its 10.0.0.x/24 address; both echoes must be answered; two
# runs at once must not collide; afterwards no namespace, pin, mount or link of the demo may be left,
# and the host's links and addresses must be as before.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/net-veth"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (creates named namespaces and links)"; exit 77; }
PATH=$PATH:/usr/sbin:/sbin
command -v ip >/dev/null || { echo "SKIP: ip (iproute2), the oracle, is not installed"; exit 77; }
tmp=$(mktemp -d /tmp/libns-net-veth-XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	exec 3>&- 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out" 2>/dev/null; exit 1; }
# others' tests may change the host's links meanwhile: count only what this demo could have left
demo_addrs() { ip -o addr show | grep -c ' inet 10\.0\.0\.[12]/24 ' || true; }
addrs_before=$(demo_addrs)

# 1. paused before the teardown: look at what it made with ip
mkfifo "$tmp/in"
"$prog" --pause <"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
exec 3>"$tmp/in"
while ! grep -q '^paused' "$tmp/out"; do
	kill -0 "$pid" 2>/dev/null || fail "the demo ended before pausing"
	sleep 0.1
done
for x in a:1 b:2; do
	side=${x%:*} addr=10.0.0.${x#*:}
	ns="libns-veth-$pid-$side" veth="veth$pid$side"
	ip netns list | grep -q "^$ns\b" || fail "ip netns list does not show $ns"
	j=$(ip -n "$ns" -j addr show)
	[ "$(printf '%s' "$j" | grep -o '"ifname":"[^"]*"' | sort | tr '\n' ' ')" = "\"ifname\":\"lo\" \"ifname\":\"$veth\" " ] ||
		fail "$ns holds other than lo and $veth: $j"
	printf '%s' "$(ip -n "$ns" -j addr show dev "$veth")" | grep -q "\"local\":\"$addr\",\"prefixlen\":24" ||
		fail "$veth has no $addr/24"
	for l in lo "$veth"; do
		ip -n "$ns" -j link show dev "$l" | grep -q '"UP"' || fail "$l in $ns is not up"
	done
done
ip -o link show | grep -q "veth$pid" && fail "a veth end is on the host"
echo >&3
exec 3>&-
wait "$pid" || fail "exit status $?"
pid=""
grep -q "^libns-veth-[0-9]*-a -> libns-veth-[0-9]*-b: echo reply from 10.0.0.2$" "$tmp/out" || fail "no echo a -> b"
grep -q "^libns-veth-[0-9]*-b -> libns-veth-[0-9]*-a: echo reply from 10.0.0.1$" "$tmp/out" || fail "no echo b -> a"
grep -q '^both echoes answered' "$tmp/out" || fail "no success line"
[ "$(grep -c '^removed libns-veth-' "$tmp/out")" = 2 ] || fail "no teardown lines"

# 2. two runs at once: unique names, both succeed
"$prog" >"$tmp/out1" 2>&1 & p1=$!
"$prog" >"$tmp/out2" 2>&1 & p2=$!
wait "$p1" || { cat "$tmp/out1"; fail "first of two parallel runs failed"; }
wait "$p2" || { cat "$tmp/out2"; fail "second of two parallel runs failed"; }

# 3. nothing left: names, pins, mounts, links, addresses (the addresses only ever lived inside)
ip netns list | grep -q 'libns-veth-' && fail "ip netns list still shows a demo namespace"
ls /run/netns 2>/dev/null | grep -q 'libns-veth-' && fail "a pin file is left in /run/netns"
grep -q '/run/netns/libns-veth-' /proc/self/mountinfo && fail "a pin mount is left"
ip -o link show | grep -Eq 'veth[0-9]+[ab][@:]' && ip -o link show | grep -Eq "veth($p1|$p2)[ab][@:]" &&
	fail "a veth end of a parallel run is on the host"
[ "$(demo_addrs)" = "$addrs_before" ] || fail "a 10.0.0.1/24 or 10.0.0.2/24 address is on the host"
src=$(dirname "$0")/../../examples/net-veth.c
if [ -f "$src" ] && grep -Eq '\<(exec[lv]p?e?|system|popen|posix_spawnp?)\(' "$src"; then
	fail "net-veth.c runs an external program"
fi
echo "net-veth: ok"
exit 0
