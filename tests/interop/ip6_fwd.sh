#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IPv6 forwarding (issue 18) on net_af_packet between two Linux hosts:
#
#   $P-h eth0 2001:db8:1::10/64 ── gw-in [twinsecd] gw-out ── eth0 2001:db8:2::20/64 $P-p
#        default via 2001:db8:1::1   2001:db8:1::1  2001:db8:2::1 (MTU 1400)  lo 2001:db8:99::1
#
# - ping6 both ways through the gateway: the gateway resolves both hosts
#   by Neighbour Solicitation (learned from their advertisements, shown
#   REACH in show ipv6 neighbors), and a static route (2001:db8:99::/64
#   via the outside host) carries the second ping;
# - hop limit 1: ICMPv6 time exceeded from the gateway, ipv6-hop-limit;
# - 1450 bytes towards the 1400-byte outside port: ICMPv6 packet too big
#   (mtu 1400), ipv6-too-big, and no fragment ever reaches the outside;
# - a routing header with segments left: ipv6-ext-header, not forwarded;
# - no route: ipv6-transit;
# - with default_policy discard no IPv6 is routed in clear (discard) but
#   what an IPv6 bypass rule of a crypto map entry selects (the SPD6).
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop

need_built "$TWINSECD"
need_root
need_netns
need_cmd tcpdump
need_python scapy.all
work_dir ip6-fwd
dir=$WORK
P=tw-i6
on_fail() {
	grep -v '^EAL' "$dir/gw.log" 2>/dev/null | tail -n 30 | sed 's/^/    /'
	tel "$P-gw" /twinsec/drops /twinsec/control 2>/dev/null | head -c 3000
}

down() {
	netns_del "$P-gw" "$P-h" "$P-p"
	rm -rf "/var/run/dpdk/$P-gw"
}
down
at_exit down
for ns in "$P-gw" "$P-h" "$P-p"; do
	ip netns add "$ns" || fail "cannot create $ns"
	nsx "$ns" ip link set lo up
done
ip link add gw-in netns "$P-gw" type veth peer name eth0 netns "$P-h" &&
	ip link add gw-out netns "$P-gw" type veth peer name eth0 netns "$P-p" ||
	fail "cannot create the veths"
# The gateway's ends belong to DPDK: no kernel IPv6 on them.
nsx "$P-gw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
for i in gw-in gw-out; do
	nsx "$P-gw" ip link set $i up
	nsx "$P-gw" ethtool -K $i tx off rx off >/dev/null 2>&1
done
for ns in "$P-h" "$P-p"; do
	nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0
	nsx "$ns" ethtool -K eth0 tx off tso off gso off >/dev/null 2>&1
	nsx "$ns" ip link set eth0 up
done
nsx "$P-h" ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad
nsx "$P-h" ip -6 route add default via 2001:db8:1::1
# The outside link is a 1400-byte one, as the gateway is configured.
nsx "$P-p" ip link set eth0 mtu 1400
nsx "$P-p" ip -6 addr add 2001:db8:2::20/64 dev eth0 nodad
nsx "$P-p" ip -6 addr add 2001:db8:99::1/128 dev lo
nsx "$P-p" ip -6 route add default via 2001:db8:2::1

: >"$dir/gw.log"
twinsecd_bg "$P-gw" "$P-gw" "$dir/gw.log" \
	--vdev net_af_packet0,iface=gw-in --vdev net_af_packet1,iface=gw-out \
	-- -f "$here/ip6_fwd.conf"
gw=$TW_PID
wait_running "$dir/gw.log" "$gw"

# Everything the outside host receives, to look for fragments after.
nsx "$P-p" tcpdump -i eth0 -n -U --immediate-mode -w "$dir/out.pcap" ip6 \
	>"$dir/tcpdump.log" 2>&1 &
dump=$!
track $dump
sleep 1

drop() { tel_py "$P-gw" /twinsec/drops "d.get('$1', 0)"; }
ndc() { tel_py "$P-gw" /twinsec/control "d['nd']['$1']"; }

# 1. Both ways, the next hops resolved by the gateway's solicitations.
out=$(nsx "$P-h" ping -6 -c 3 -i 0.3 -W 2 2001:db8:2::20 2>&1)
check "ping6 inside -> outside host through the gateway" \
	grep -q " 0% packet loss" <<<"$out" || echo "$out"
out=$(nsx "$P-h" ping -6 -c 2 -i 0.3 -W 2 2001:db8:99::1 2>&1)
check "ping6 over the static route 2001:db8:99::/64" \
	grep -q " 0% packet loss" <<<"$out" || echo "$out"
ns=$(ndc tx_ns)
res=$(ndc resolved)
echo "nd: tx_ns=$ns resolved=$res"
check "the gateway solicited and resolved its next hops" \
	test "${ns:-0}" -ge 1 -a "${res:-0}" -ge 1
con=$(nsx "$P-gw" "$PYTHON" "$TOOLS/twinsec-console" "127.0.0.1:23237" \
	-u admin -p cisco -c "show ipv6 neighbors" 2>&1)
echo "$con"
hmac=$(nsx "$P-h" cat /sys/class/net/eth0/address | tr -d : |
	sed -E 's/(....)(....)(....)/\1.\2.\3/')
pmac=$(nsx "$P-p" cat /sys/class/net/eth0/address | tr -d : |
	sed -E 's/(....)(....)(....)/\1.\2.\3/')
check "show ipv6 neighbors: the outside host learned by NS/NA (REACH)" \
	grep -Eqi "^2001:DB8:2::20 +[0-9]+ $pmac +REACH +outside" <<<"$con"
check "show ipv6 neighbors: the inside host learned" \
	grep -Eqi "^2001:DB8:1::10 +[0-9]+ $hmac +(REACH|STALE) +inside" <<<"$con"

# 2. Hop limit 1: time exceeded from the gateway.
b=$(drop ipv6_hop_limit)
out=$(nsx "$P-h" ping -6 -c 1 -t 1 -W 2 2001:db8:2::20 2>&1)
echo "$out" | head -3
check "hop limit 1: ICMPv6 time exceeded from 2001:db8:1::1" \
	grep -q "From 2001:db8:1::1 .*Time exceeded" <<<"$out"
check "hop limit 1: counted ipv6-hop-limit" \
	test "$(drop ipv6_hop_limit)" -ge $((b + 1))

# 3. Larger than the outside port's MTU: packet too big, never fragmented.
b=$(drop ipv6_too_big)
out=$(nsx "$P-h" ping -6 -c 1 -s 1450 -M "do" -W 2 2001:db8:2::20 2>&1)
echo "$out" | head -3
check "1498-byte packet: ICMPv6 packet too big, mtu 1400" \
	grep -Eq "Packet too big: mtu=1400|mtu=1400" <<<"$out"
check "too big: counted ipv6-too-big" \
	test "$(drop ipv6_too_big)" -ge $((b + 1))
out=$(nsx "$P-h" ping -6 -c 1 -s 1450 -W 2 2001:db8:2::20 2>&1)
check "the host now sends 1400-byte fragments, and they pass" \
	grep -q " 0% packet loss" <<<"$out" ||
	{ echo "$out"; tel "$P-gw" /twinsec/drops; }

# 4. An extension header we do not process, and a destination without
# a route, each dropped under its own reason.
b=$(drop ipv6_ext_header)
t=$(drop ipv6_transit)
nsx "$P-h" "$PYTHON" - <<'PY' || fail "scapy cannot send"
from scapy.all import Ether, IPv6, IPv6ExtHdrRouting, UDP, sendp, conf
import subprocess
conf.verb = 0
gw = subprocess.run(["ip", "-6", "neigh", "show", "2001:db8:1::1"],
                    capture_output=True, text=True).stdout.split()
mac = gw[gw.index("lladdr") + 1]
p = IPv6(src="2001:db8:1::10", dst="2001:db8:2::20")
sendp(Ether(dst=mac) / p / IPv6ExtHdrRouting(segleft=1,
      addresses=["2001:db8:2::21"]) / UDP(dport=9) / b"rh", iface="eth0")
sendp(Ether(dst=mac) / IPv6(src="2001:db8:1::10", dst="2001:db8:77::1") /
      UDP(dport=9) / b"nowhere", iface="eth0")
PY
sleep 0.5
check "routing header with segments left: counted ipv6-ext-header" \
	test "$(drop ipv6_ext_header)" -ge $((b + 1))
check "no IPv6 route: counted ipv6-transit" \
	test "$(drop ipv6_transit)" -ge $((t + 1))

sleep 0.3
stop_pid "$dump" TERM
untrack "$dump"
n=$(tcpdump -r "$dir/out.pcap" -n 2>/dev/null | wc -l)
# what the gateway sent (from the inside host), frames past 14 + 1400
frag_big=$(tcpdump -r "$dir/out.pcap" -n \
	'ip6 src 2001:db8:1::10 and greater 1415' 2>/dev/null | wc -l)
tcpdump -r "$dir/out.pcap" -n -e 2>/dev/null | tail -n 8 | cut -c 1-150
rh=$(tcpdump -r "$dir/out.pcap" -n 'ip6[6] == 43' 2>/dev/null | wc -l)
echo "outside saw $n IPv6 frames, $frag_big above 1400 bytes, $rh with a routing header"
check "nothing above the outside MTU left the gateway" test "$frag_big" = 0
check "the routing-header packet was not forwarded" test "$rh" = 0

stop_pid "$gw" TERM || echo "twinsecd exit status $?"
untrack "$gw"

# 5. default_policy discard and an IPv6 bypass rule (SPD6): only the
# bypassed prefix is routed in clear; the rest is discarded. Both ways:
# the outside host's answers match the rule mirrored.
install -m 600 "$here/ip6_fwd_spd.conf" "$dir/discard.conf"
: >"$dir/gw.log"
twinsecd_bg "$P-gw" "$P-gw" "$dir/gw.log" \
	--vdev net_af_packet0,iface=gw-in --vdev net_af_packet1,iface=gw-out \
	-- -f "$dir/discard.conf"
gw=$TW_PID
wait_running "$dir/gw.log" "$gw"
out=$(nsx "$P-h" ping -6 -c 2 -i 0.3 -W 2 2001:db8:99::1 2>&1)
check "SPD6 bypass rule: 2001:db8:99::/64 routed in clear" \
	grep -q " 0% packet loss" <<<"$out" || echo "$out"
b=$(drop discard)
out=$(nsx "$P-h" ping -6 -c 1 -W 2 2001:db8:2::20 2>&1)
check "default_policy discard: other IPv6 not routed in clear" \
	grep -q "100% packet loss" <<<"$out"
check "default_policy discard: counted discard" \
	test "$(drop discard)" -ge $((b + 1))
stop_pid "$gw" TERM || echo "twinsecd exit status $?"
check_summary ip6_fwd
