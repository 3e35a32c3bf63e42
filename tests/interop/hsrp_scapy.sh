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
#   tw-hs-p: eth0 192.0.2.2 (scapy, tcpdump) ── gw-out  tw-hs-gw [twinsecd]
#   tw-hs-h: eth0 10.1.0.10 (unused)          ── gw-in
# (tests/lib/topo_gw.bash)
#
# Namespaces tw-hs-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip (not root, tools missing).
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
P=tw-hs

need_root
need_built "$TWINSECD"
for t in ip tcpdump tshark; do
	need_cmd $t "$t not found (tools/setup)"
done
need_python scapy.layers.hsrp

work_dir hsrp-scapy
on_fail() { gw_log_tail 25; }

gw_up
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

ip netns exec "$P-p" tcpdump -i eth0 -n -U --immediate-mode \
	-w "$WORK/cap.pcap" 'udp port 1985 or arp' >"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
track $dump_pid
# The peer is Active before twinsecd starts, for 12 s.
ip netns exec "$P-p" "$PYTHON" "$ROOT/tests/interop/hsrp_peer.py" eth0 \
	hello 12 >"$WORK/peer.log" 2>&1 &
peer_pid=$!
track $peer_pid
sleep 1

gw_start "$WORK/gw.conf"

field() { tel_py "$P-gw" /twinsec/standby '[d["outside_1"][k] for k in args]' "$@"; }
_state_is() {
	alive "$GW_PID" || fail "twinsecd exited"
	[ "$(field state)" = "$1" ]
}
# wait_state STATE SECONDS
wait_state() {
	wait_until "$2" _state_is "$1" || fail "not $1 after $2 s (state $(field state))"
}

wait_state Standby 10
got=$(field active_router active_priority standby_router)
echo "1. Standby behind the peer: active router, priority, standby = $got"
[ "$got" = "192.0.2.2 200 local" ] || fail "expected '192.0.2.2 200 local'"

wait $peer_pid
untrack $peer_pid
echo "2. the peer went silent"
wait_state Active 5
echo "   twinsecd Active: $(field active_router vip_owned gratuitous_arps)"

ip netns exec "$P-p" "$PYTHON" "$ROOT/tests/interop/hsrp_peer.py" eth0 \
	coup 4 >>"$WORK/peer.log" 2>&1 &
peer_pid=$!
track $peer_pid
wait_state Standby 4
got=$(field vip_owned coups_in resigns_out active_router)
echo "3. after the peer's Coup: vip_owned, coups_in, resigns_out, active = $got"
[ "$got" = "no 1 1 192.0.2.2" ] || fail "expected 'no 1 1 192.0.2.2'"
wait $peer_pid
untrack $peer_pid

stop_pid "$GW_PID" TERM
rc=$?
[ $rc = 0 ] || fail "twinsecd exit status $rc"
sleep 0.5
stop_pid $dump_pid TERM

ip netns exec "$P-p" "$PYTHON" "$ROOT/tests/interop/hsrp_peer.py" - check \
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
