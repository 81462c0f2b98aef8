#!/bin/sh
# Test of examples/net-veth.c: $1 is the built program. Exit 0 pass, 1 fail, 77 skip.
# Both pings must be answered, each namespace must hold only lo and its veth end, and afterwards
# no namespace, pin, mount or link of the demo may be left.
set -eu
prog=$1
[ -x "$prog" ] || { echo "usage: $0 path/to/net-veth"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (moves links, writes /run/netns)"; exit 77; }
PATH=$PATH:/usr/sbin:/sbin
command -v ip >/dev/null || { echo "SKIP: ip (iproute2) is not installed"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: ping is not installed (apt-get install iputils-ping)"; exit 77; }
if ip netns list | grep -q '^libns-demo-[ab]\b'; then
	echo "SKIP: a namespace libns-demo-a or -b already exists (left by someone else?)"; exit 77
fi
out=$(mktemp)
cleanup() {
	rm -f "$out"
	ip netns del libns-demo-a 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
links_before=$(ip -o link show | grep -c .)

"$prog" >"$out" 2>&1 || fail "exit status $?"
grep -q '^1 packets transmitted, 1 received' "$out" || fail "no answered ping"
[ "$(grep -c '^1 packets transmitted, 1 received' "$out")" = 2 ] || fail "not both pings answered"
grep -q '^both pings answered' "$out" || fail "no success line"
# each namespace listed exactly two interfaces: lo and its veth end with its address
for x in a:1 b:2; do
	side=${x%:*} addr=10.200.0.${x#*:}
	sed -n "/^libns-demo-$side  *\\\$ ip -brief addr/,/\\\$/p" "$out" | grep -v '\$' > "$out.$side"
	[ "$(grep -c . "$out.$side")" = 2 ] || { rm -f "$out.$side"; fail "namespace $side lists other than 2 interfaces"; }
	grep -q "^lo " "$out.$side" || { rm -f "$out.$side"; fail "no lo in namespace $side"; }
	grep -Eq "^lnsveth[0-9]+$side@.* $addr/24" "$out.$side" || { rm -f "$out.$side"; fail "no veth with $addr in $side"; }
	rm -f "$out.$side"
done
grep -q '^removed libns-demo-a and libns-demo-b with the veth pair$' "$out" || fail "no teardown line"

# nothing left: names, pins, mounts, links (on the host the pair existed only before the move)
ip netns list | grep -q 'libns-demo' && fail "ip netns list still shows a demo namespace"
ls /run/netns 2>/dev/null | grep -q 'libns-demo' && fail "a pin file is left in /run/netns"
grep -q '/run/netns/libns-demo' /proc/self/mountinfo && fail "a pin mount is left"
ip -o link show | grep -q 'lnsveth' && fail "a veth end is left on the host"
[ "$(ip -o link show | grep -c .)" = "$links_before" ] || fail "the host's link count changed"
# addresses were only ever inside the demo's namespaces
ip -o addr show | grep -q '10\.200\.0\.' && fail "a 10.200.0.x address is on the host"

# a name that is taken is reported, and that namespace is left alone
ip netns add libns-demo-a
if "$prog" >"$out" 2>&1; then fail "ran although libns-demo-a existed"; fi
grep -q 'already exists' "$out" || fail "no 'already exists' message"
ip netns list | grep -q '^libns-demo-a' || fail "the demo deleted a namespace it had not made"
ip netns list | grep -q '^libns-demo-b' && fail "libns-demo-b left behind after the failure"
ip netns del libns-demo-a
echo "net-veth: ok"
exit 0
