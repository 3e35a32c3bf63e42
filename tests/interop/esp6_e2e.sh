#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ESP over IPv6 end to end in the fast path (issue 18), against scapy:
#
#   $P-h eth0 2001:db8:1::10 10.1.0.10 ── gw-in [twinsecd] gw-out ── eth0 $P-p
#                                   2001:db8:1::1   2001:db8:2::1    2001:db8:2::20
#                                   10.1.0.1        192.0.2.1        192.0.2.20
#
# Three ipsec-manual entries (esp6_e2e.conf): IPv6 in IPv6, IPv6 in IPv4
# and IPv4 in IPv6, all with the scapy host on the outside as the peer.
# - inside UDP of each leaves as ESP that scapy decrypts to the original
#   (outer of the SA's family, from the gateway to the peer);
# - ESP sealed by scapy reaches the inside host in clear;
# - an IPv6 packet too big for the tunnel: ICMPv6 packet too big
#   (ipv6-too-big), never fragmented;
# - ESP over IPv6 on an unknown SPI: no-sa.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop

need_built "$TWINSECD"
need_root
need_netns
need_cmd tcpdump
need_python scapy.layers.ipsec cryptography
work_dir esp6-e2e
dir=$WORK
P=tw-e6
on_fail() {
	grep -v '^EAL' "$dir/gw.log" 2>/dev/null | tail -n 30 | sed 's/^/    /'
	tel "$P-gw" /twinsec/drops 2>/dev/null | head -c 3000
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
nsx "$P-h" ip addr add 10.1.0.10/24 dev eth0
nsx "$P-h" ip route add default via 10.1.0.1
nsx "$P-p" ip -6 addr add 2001:db8:2::20/64 dev eth0 nodad
nsx "$P-p" ip addr add 192.0.2.20/24 dev eth0

: >"$dir/gw.log"
twinsecd_bg "$P-gw" "$P-gw" "$dir/gw.log" \
	--vdev net_af_packet0,iface=gw-in --vdev net_af_packet1,iface=gw-out \
	-- -f "$here/esp6_e2e.conf"
gw=$TW_PID
wait_running "$dir/gw.log" "$gw"

drop() { tel_py "$P-gw" /twinsec/drops "d.get('$1', 0)"; }

nsx "$P-p" tcpdump -i eth0 -n -U --immediate-mode -w "$dir/out.pcap" \
	'esp or ip6[6] == 50' >"$dir/tcpdump-p.log" 2>&1 &
dp=$!
track $dp
nsx "$P-h" tcpdump -i eth0 -n -U --immediate-mode -w "$dir/in.pcap" \
	'udp port 6001' >"$dir/tcpdump-h.log" 2>&1 &
dh=$!
track $dh
sleep 1

# 1. Inside -> ESP: the first packet of each flow may wait for ND/ARP.
nsx "$P-h" "$PYTHON" "$here/esp6_e2e.py" send-in || fail "scapy cannot send"
sleep 0.5
nsx "$P-h" "$PYTHON" "$here/esp6_e2e.py" send-in || fail "scapy cannot send"
sleep 0.5
stop_pid "$dp" TERM
untrack "$dp"
tcpdump -r "$dir/out.pcap" -n 2>/dev/null | head -n 12 | cut -c 1-140
# 2. ...and scapy's ESP towards the gateway (sent by the same step).
check "inside traffic leaves as ESP scapy decrypts (6in6, 6in4, 4in6); scapy seals ESP back" \
	nsx "$P-p" "$PYTHON" "$here/esp6_e2e.py" peer "$dir/out.pcap"
sleep 1
stop_pid "$dh" TERM
untrack "$dh"
check "scapy-sealed ESP delivered in clear to the inside host (all three)" \
	"$PYTHON" "$here/esp6_e2e.py" got "$dir/in.pcap"

# 3. Too big for the IPv6-in-IPv6 tunnel (1500 less ESP): packet too big.
b=$(drop ipv6_too_big)
out=$(nsx "$P-h" ping -6 -c 1 -s 1440 -M "do" -W 2 2001:db8:a::5 2>&1)
echo "$out" | head -3
check "1488-byte IPv6 packet into the tunnel: ICMPv6 packet too big" \
	grep -Eq "Packet too big: mtu=14[0-9][0-9]|mtu=14[0-9][0-9]" <<<"$out"
check "too big: counted ipv6-too-big" \
	test "$(drop ipv6_too_big)" -ge $((b + 1))

# 4. ESP over IPv6 on an SPI the gateway does not have.
b=$(drop no_sa)
nsx "$P-p" "$PYTHON" - <<'PY' || fail "scapy cannot send"
from scapy.all import IPv6, send, conf
from scapy.layers.ipsec import ESP
conf.verb = 0
send(IPv6(src="2001:db8:2::20", dst="2001:db8:2::1") / ESP(spi=0x7777, seq=1)
     / (b"x" * 40))
PY
sleep 0.5
check "ESP over IPv6 on an unknown SPI: counted no-sa" \
	test "$(drop no_sa)" -ge $((b + 1))

stop_pid "$gw" TERM || echo "twinsecd exit status $?"
untrack "$gw"
check_summary esp6_e2e
