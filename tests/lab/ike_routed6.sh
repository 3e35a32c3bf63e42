#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IKEv2 over IPv6 to a peer behind a router (issue 18): twinsec's IKE
# messages over IPv6 go through the next hop of the configuration's IPv6
# routes, as over IPv4, not only to peers on the link. Before, a peer
# that was not on the link of our endpoint was solicited there, never
# answered, and A's IKE_SA_INIT never left.
#
#   host A -- gateway A (2001:db8:a::1) -- router -- (2001:db8:b::1)
#   gateway B -- host B
#
# The router is a namespace forwarding IPv6 (the kernel's); each gateway
# is a twinsecd with a route to the other's outside prefix (and the far
# site) via the router; A initiates (initiate = "start"), B answers.
#   1. the IKE SA and its IPv6 Child SA come up on both gateways, and A
#      logs no IKE message without a route;
#   2. ping6 host A -> host B through the tunnel;
#   3. a capture on the router's B side: IKE (UDP 500) and ESP from
#      2001:db8:a::1 to 2001:db8:b::1, forwarded (hop limit 63).
# Namespaces tw-r6-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
P=tw-r6
PSK=routed6-lab-key-not-secret

need_root
need_netns
need_built "$TWINSECD"
need_cmd tcpdump

work_dir ike-routed6
NSS=("$P-a" "$P-b" "$P-r" "$P-ha" "$P-hb")
down() {
	local n
	for n in "${NSS[@]}"; do netns_del "$n"; done
}
at_exit down
down

for n in "${NSS[@]}"; do
	ip netns add "$n" || fail "netns $n"
	nsx "$n" ip link set lo up
done
# link NS1 IF1 NS2 IF2
link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		fail "veth $2 - $4"
	nsx "$1" ip link set "$2" up
	nsx "$3" ip link set "$4" up
	nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1
	nsx "$3" ethtool -K "$4" tx off rx off >/dev/null 2>&1
}
link "$P-ha" eth0 "$P-a" a-in
link "$P-a" a-out "$P-r" r-a
link "$P-r" r-b "$P-b" b-out
link "$P-b" b-in "$P-hb" eth0
nsx "$P-r" sysctl -qw net.ipv6.conf.all.forwarding=1
nsx "$P-r" ip -6 addr add 2001:db8:a::fe/64 dev r-a nodad
nsx "$P-r" ip -6 addr add 2001:db8:b::fe/64 dev r-b nodad
nsx "$P-ha" ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad
nsx "$P-ha" ip -6 route add default via 2001:db8:1::1
nsx "$P-hb" ip -6 addr add 2001:db8:2::10/64 dev eth0 nodad
nsx "$P-hb" ip -6 route add default via 2001:db8:2::1
# The gateways' veth ends: no kernel IPv6 on them (twinsecd owns them).
for x in a b; do
	for i in in out; do
		nsx "$P-$x" sysctl -qw "net.ipv6.conf.$x-$i.disable_ipv6=1"
	done
done

# gw_conf X SITE PEER_SITE INITIATE: gateway X's configuration
gw_conf() {
	local x=$1 s=$2 ps=$3 peer
	[ "$x" = a ] && peer=b || peer=a
	cat >"$WORK/$x.conf" <<EOF
hostname = "gw$x";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.$s.0.1/24";
	  ipv6_address = "2001:db8:$s::1/64"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "198.51.100.$s/24";
	  ipv6_address = "2001:db8:$x::1/64"; crypto_map = "VPN"; }
);
routes = (
	{ prefix = "2001:db8:$peer::/64"; gateway = "2001:db8:$x::fe"; },
	{ prefix = "2001:db8:$ps::/64"; gateway = "2001:db8:$x::fe"; }
);
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "p1"; encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = ( { peer = "2001:db8:$peer::1"; key = "$PSK"; } );
	dpd = { interval = 10; retries = 5; };
};
crypto_maps = ( { name = "VPN"; entries = ( {
	seq = 10; type = "ipsec-isakmp"; peer = "2001:db8:$peer::1"; transform_set = "gcm128";
	match = ( { action = "protect"; src = "2001:db8:$s::/64"; dst = "2001:db8:$ps::/64"; } );
	initiate = "$4"; } ); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; };
EOF
	chmod 600 "$WORK/$x.conf"
}
gw_conf a 1 2 start
gw_conf b 2 1 responder

ip netns exec "$P-r" tcpdump -i r-b -n -U -w "$WORK/rb.pcap" \
	'ip6 and (udp port 500 or udp port 4500 or ip6 proto 50)' \
	>"$WORK/tcpdump.log" 2>&1 &
CAP=$!
track "$CAP"
sleep 1

# start X: twinsecd X on X-in and X-out
start() {
	twinsecd_bg "$P-$1" "$P-$1" "$WORK/$1.log" \
		--vdev "net_af_packet0,iface=$1-in" \
		--vdev "net_af_packet1,iface=$1-out" -- -f "$WORK/$1.conf"
	eval "pid_$1=\$TW_PID"
	wait_running "$WORK/$1.log" "$TW_PID" 20
}
start b
start a

child_up() { grep -q "Child SA up" "$WORK/$1.log"; }
check "A's IKE SA and IPv6 Child SA with 2001:db8:b::1, behind the router, are up" \
	wait_until 20 child_up a
check "B's too" child_up b
no_route=$(tel_py "$P-a" /twinsec/ike 'd["counters"].get("no_route", 0)')
check "A sent no IKE message without a route (no_route $no_route)" test "$no_route" = 0
ping_ok "$P-ha" 2001:db8:2::10 1 -c 3 -i 0.3 -W 2 || true
check "ping6 host A -> host B through the tunnel (4 of 5 at least)" \
	ping_ok "$P-ha" 2001:db8:2::10 4 -c 5 -i 0.2 -W 1

stop_pid "$CAP" INT
CAP=
# seen SRC-DST-WHAT: frames of the capture from 2001:db8:a::1 to
# 2001:db8:b::1 with hop limit 63 (forwarded once)
seen() {
	tcpdump -r "$WORK/rb.pcap" -n -v "src 2001:db8:a::1 and dst 2001:db8:b::1 and $1" 2>/dev/null |
		grep -c "hlim 63"
}
ike=$(seen "udp port 500")
esp=$(seen "ip6 proto 50")
echo "    on the router's B side, from A to B: $ike IKE, $esp ESP (hop limit 63)"
check "IKE from A to B went through the router" test "$ike" -ge 2
check "ESP from A to B went through the router" test "$esp" -ge 4

for x in a b; do
	eval "pid=\$pid_$x"
	# shellcheck disable=SC2154 # pid_a, pid_b: set by start
	check "twinsecd $x exits 0 on SIGTERM" stop_pid "$pid"
done
check_summary ike_routed6
