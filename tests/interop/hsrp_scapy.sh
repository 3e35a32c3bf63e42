#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# HSRP interop with scapy's HSRP layer as the peer router (v1, group 1,
# priority 200 against twinsecd's 100, 1 s / 3 s):
#   1. the peer is Active: twinsecd goes Standby behind it;
#   2. the peer goes silent: twinsecd becomes Active within the hold time
#      and sends gratuitous ARPs for the VIP from the virtual MAC;
#   3. the peer comes back with a Coup (it preempts): twinsecd gives the
#      VIP up and stands by again;
#   4. tshark's HSRP dissector decodes every HSRP packet twinsecd sent,
#      none malformed.
#
#   tw-hs-peer: peer-out 192.0.2.2 (scapy, tcpdump) ── gw-out  tw-hs-gw
#               peer-in  (unused)                  ── gw-in   [twinsecd]
#
# Namespaces tw-hs-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip (not root, tools missing).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=${TWINSECD:-$BUILD/app/twinsecd/twinsecd}
PY=/usr/bin/python3 # the python3 on PATH may lack scapy
NS_GW=tw-hs-gw
NS_PEER=tw-hs-peer
PREFIX=tw-hs-gw

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TWINSECD" ] || skip "$TWINSECD not built (ninja -C $BUILD)"
for t in ip tcpdump tshark; do
	command -v $t >/dev/null || skip "$t not found (tools/setup)"
done
"$PY" -c 'import scapy.layers.hsrp' 2>/dev/null ||
	skip "$PY lacks scapy (tools/setup installs python3-scapy)"

WORK=$(mktemp -d /tmp/tw-hsrp-scapy.XXXXXX)
gw_pid= dump_pid= peer_pid=
cleanup() {
	local p
	for p in $peer_pid $gw_pid $dump_pid; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	ip netns delete $NS_GW 2>/dev/null
	ip netns delete $NS_PEER 2>/dev/null
	rm -rf "/var/run/dpdk/$PREFIX" "$WORK"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	[ -f "$WORK/gw.log" ] && grep -v '^EAL' "$WORK/gw.log" | tail -n 25 | sed 's/^/    /'
	exit 1
}

ip netns delete $NS_GW 2>/dev/null
ip netns delete $NS_PEER 2>/dev/null
ip netns add $NS_GW && ip netns add $NS_PEER || fail "cannot create namespaces"
for ns in $NS_GW $NS_PEER; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip netns exec $ns ip link set lo up
done
ip link add gw-in netns $NS_GW type veth peer name peer-in netns $NS_PEER &&
ip link add gw-out netns $NS_GW type veth peer name peer-out netns $NS_PEER ||
	fail "cannot create veths"
for l in gw-in gw-out; do ip netns exec $NS_GW ip link set $l up; done
ip netns exec $NS_PEER ip addr add 192.0.2.2/24 dev peer-out
for l in peer-in peer-out; do ip netns exec $NS_PEER ip link set $l up; done

cat >"$WORK/gw.conf" <<CONF
hostname = "hsrp-scapy";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.1.0.1/24"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.1/24";
	  standby = ( { group = 1; ip = "192.0.2.254"; priority = 100; preempt = true;
		timers = { hello = 1; hold = 3; }; garp = { count = 2; interval_ms = 500; }; } ); }
);
dataplane = { workers = 1; poll_mode = "adaptive"; };
CONF

ip netns exec $NS_PEER tcpdump -i peer-out -n -U --immediate-mode \
	-w "$WORK/cap.pcap" 'udp port 1985 or arp' >"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
# The peer is Active before twinsecd starts, for 12 s.
ip netns exec $NS_PEER "$PY" "$ROOT/tests/interop/hsrp_peer.py" peer-out \
	hello 12 >"$WORK/peer.log" 2>&1 &
peer_pid=$!
sleep 1

ip netns exec $NS_GW "$TWINSECD" --no-pci --no-huge -m 512 \
	--file-prefix $PREFIX -l 0,1 \
	--vdev net_af_packet0,iface=gw-in --vdev net_af_packet1,iface=gw-out \
	-- -f "$WORK/gw.conf" >"$WORK/gw.log" 2>&1 </dev/null &
gw_pid=$!

field() {
	python3 "$ROOT/tools/tw-telemetry.py" -p $PREFIX /twinsec/standby 2>/dev/null |
		"$PY" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/standby"]["outside_1"]
print(" ".join(str(d[k]) for k in sys.argv[1:]))' "$@" 2>/dev/null
}
# wait_state STATE SECONDS
wait_state() {
	local i
	for i in $(seq $(($2 * 10))); do
		kill -0 $gw_pid 2>/dev/null || fail "twinsecd exited"
		[ "$(field state)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "not $1 after $2 s (state $(field state))"
}

wait_state Standby 10
got=$(field active_router active_priority standby_router)
echo "1. Standby behind the peer: active router, priority, standby = $got"
[ "$got" = "192.0.2.2 200 local" ] || fail "expected '192.0.2.2 200 local'"

wait $peer_pid
peer_pid=
echo "2. the peer went silent"
wait_state Active 5
echo "   twinsecd Active: $(field active_router vip_owned gratuitous_arps)"

ip netns exec $NS_PEER "$PY" "$ROOT/tests/interop/hsrp_peer.py" peer-out \
	coup 4 >>"$WORK/peer.log" 2>&1 &
peer_pid=$!
wait_state Standby 4
got=$(field vip_owned coups_in resigns_out active_router)
echo "3. after the peer's Coup: vip_owned, coups_in, resigns_out, active = $got"
[ "$got" = "no 1 1 192.0.2.2" ] || fail "expected 'no 1 1 192.0.2.2'"
wait $peer_pid
peer_pid=

kill -TERM $gw_pid
wait $gw_pid
rc=$?
gw_pid=
[ $rc = 0 ] || fail "twinsecd exit status $rc"
sleep 0.5
kill -TERM $dump_pid
wait $dump_pid
dump_pid=

ip netns exec $NS_PEER "$PY" "$ROOT/tests/interop/hsrp_peer.py" - check \
	"$WORK/cap.pcap" 192.0.2.2 192.0.2.1 192.0.2.254 3 ||
	fail "takeover timing or frames"
ours="ip.src == 192.0.2.1 && udp.port == 1985"
n_udp=$(tshark -r "$WORK/cap.pcap" -Y "$ours" 2>/dev/null | wc -l)
n_hsrp=$(tshark -r "$WORK/cap.pcap" -Y "$ours && hsrp" 2>/dev/null | wc -l)
n_bad=$(tshark -r "$WORK/cap.pcap" -Y "$ours && (_ws.malformed || _ws.expert.severity >= 6291456)" 2>/dev/null | wc -l)
echo "4. tshark: $n_hsrp of $n_udp HSRP packets from twinsecd decoded, $n_bad malformed or warned"
tshark -r "$WORK/cap.pcap" -Y "$ours" -T fields -e frame.time_relative \
	-e eth.src -e hsrp.opcode -e hsrp.state 2>/dev/null | sort -u -k3,4 | head -n 8 | sed 's/^/    /'
[ "$n_udp" -gt 5 ] && [ "$n_udp" = "$n_hsrp" ] && [ "$n_bad" = 0 ] ||
	fail "tshark did not decode every packet cleanly"
grep -q "twinsec.main: twinsecd stopped" "$WORK/gw.log" || fail "no clean stop"
echo "PASS"
