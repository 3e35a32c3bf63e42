#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Stateful failover over an IPv6 tunnel (issue 18): tests/ha/failover.sh's
# kill -9 with IPv6 on both sides (config/ha6-{a,b,peer}.conf; the
# topology of tests/lib/topo_twins.bash, twins_up + twins_ipv6):
#   1. A Active, B STANDBY HOT after its bulk sync; the redundancy scheme
#      is the outside HSRP IPv6 group 6 (VIP 2001:db8:ff::fe, the local
#      endpoint of the manual SAs to P at 2001:db8:ff::3), the inside
#      group 6's link-local VIP FE80::5:73FF:FEA0:6 is host HA's gateway;
#      ping6 HA -> HB (2001:db8:2::10) crosses the tunnel; the inside
#      global VIP 2001:db8:1::fe answers echo on A (from the VIP), and on
#      B, which does not hold it, a packet to it is dropped and counted
#      (vip-standby) rather than routed;
#   2. HA pings HB every 10 ms; kill -9 A mid-stream: B takes over,
#      traffic resumes; the outage (the longest run of lost replies) is
#      printed; B's "show crypto ha" lists the VIP6 as its IPsec VIP;
#   3. a capture of the outside bridge (ESP over IPv6, ip6 proto 50)
#      shows ESP from the VIP6 and no sequence number sent twice per SPI
#      (seq_unique, scapy), and P's replay window refused nothing.
# Namespaces tw-fo6-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-fo6
HB6=2001:db8:2::10
OUT_VIP6=2001:db8:ff::fe
IN_VIP6=2001:db8:1::fe

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir failover6
on_fail() { logs_tail 25; }

twins_up
twins_ipv6
twin_conf ha6-a a
twin_conf ha6-b b
cp "$ROOT/config/ha6-peer.conf" "$WORK/p.conf" || fail "cannot copy ha6-peer.conf"
chmod 600 "$WORK/a.conf" "$WORK/b.conf" "$WORK/p.conf"

# nd_ctr a|b|p KEY: one counter of /twinsec/control's nd section
nd_ctr() { tel_py "$P-$1" /twinsec/control 'd["nd"].get(args[0], 0)' "$2"; }

capture_start "$WORK/out.pcap" 'ip6 proto 50'
start p p
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
echo "1. A ACTIVE, B STANDBY HOT ($(rf b records_in) records in its bulk sync)"
# The first pings wait for ND (HA's gateway, the peer, HB): let them.
ping_ok "$P-ha" "$HB6" 1 -c 3 -i 0.3 -W 2 || true
check "ping6 HA -> HB through A's IPv6 tunnel (4 of 5 at least)" \
	ping_ok "$P-ha" "$HB6" 4 -c 5 -i 0.2 -W 1

e0=$(nd_ctr a rx_echo_vip)
check "A (Active) answers echo to the inside global VIP $IN_VIP6" \
	ping_ok "$P-ha" "$IN_VIP6" 2 -c 3 -i 0.2 -W 1
check "... counted rx_echo_vip ($e0 -> $(nd_ctr a rx_echo_vip))" \
	test "$(nd_ctr a rx_echo_vip)" -ge $((e0 + 2))

# To B's own MAC, for the VIP B does not hold: dropped, not routed.
bmac=$(nsx "$P-b" cat /sys/class/net/b-in/address)
v0=$(drops b vip_standby)
nsx "$P-ha" "$PYTHON" - "$bmac" "$IN_VIP6" <<'PY' || fail "scapy cannot send"
import sys
from scapy.all import Ether, IPv6, ICMPv6EchoRequest, sendp, conf
conf.verb = 0
sendp(Ether(dst=sys.argv[1]) / IPv6(src="2001:db8:1::10", dst=sys.argv[2]) /
      ICMPv6EchoRequest(id=6, seq=1), iface="eth0", count=3)
PY
sleep 0.5
check "B (Standby) drops what is sent to the VIP6 it does not hold: vip_standby $v0 -> $(drops b vip_standby)" \
	test "$(drops b vip_standby)" -ge $((v0 + 3))

ping_bg "$WORK/ping.log" 0.01 "$HB6"
sleep 2
check "B got COUNTER_UPDATEs before the kill ($(rf b counter_updates_in))" \
	test "$(rf b counter_updates_in)" -gt 0
t0=$(date +%s%N)
twin_kill a
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_sas) SAs, $(rf b counter_updates_in) counter updates received before)"
console "$P-b" "show crypto ha" >"$WORK/ha-b.txt" 2>&1 || true
sed 's/^/   /' "$WORK/ha-b.txt" | grep -E 'VIP|state' || true
check "show crypto ha on B: IPSec VIP 2001:DB8:FF::FE, state ACTIVE" \
	grep -qzE 'IPSec VIP: 2001:DB8:FF::FE.*state: ACTIVE' "$WORK/ha-b.txt"
sleep 1
check "ping6 HA -> HB through B after the takeover (4 of 5 at least)" \
	ping_ok "$P-ha" "$HB6" 4 -c 5 -i 0.2 -W 1
sleep 1
ping_bg_stop
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'
capture_stop

# The outage: the longest run of icmp_seq without a reply, at 10 ms
# each; and how many replies came after it (the traffic resumed).
read -r gap after < <(grep -oE 'icmp_seq=[0-9]+ ' "$WORK/ping.log" |
	cut -d= -f2 | sort -n | awk '
	NR > 1 && $1 - p > m { m = $1 - p; n = 0 }
	{ p = $1; n++ }
	END { print (m > 0 ? m - 1 : 0) * 10, n }')
echo "   outage: $gap ms of ping6 at 10 ms, $after replies after it"
check "traffic resumed after the kill (at least 100 replies after the outage)" \
	test "${after:-0}" -ge 100

rd=$(drops p replay)
check "P's replay window refused nothing (replay drops $rd)" test "$rd" = 0
check "no ESP sequence number sent twice per SPI from $OUT_VIP6 (ESP over IPv6)" \
	seq_unique "$WORK/out.pcap" esp "$OUT_VIP6"

twins_stop b p
check_summary failover6
