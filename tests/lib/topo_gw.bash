# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/topo_gw.bash: one gateway between a host and a peer, after
# tests/lib/common.bash. Sourced by tests/interop/ike_strongswan.sh,
# tests/interop/hsrp_scapy.sh and tests/lab/ike_spi_collision.sh.
#
#   $P-h  eth0 10.1.0.10/24 ── gw-in  $P-gw [twinsecd] gw-out ── eth0 192.0.2.2/24  $P-p
#         default via 10.1.0.1        inside 10.1.0.1              (strongSwan, scapy, ike_load)
#                                      outside 192.0.2.1
#
# The gateway's ends carry no kernel address (DPDK's net_af_packet owns
# them); checksum and segmentation offloads are off on every veth (the
# gateway would otherwise get frames with partial checksums, or larger
# than the wire's). IPv6 is off everywhere. The caller sets P (e.g.
# "tw-ik") and adds what its peer and host need on top (addresses on lo,
# routes). gw_up builds it afresh (the old one removed first), and
# registers its removal with at_exit; gw_start starts twinsecd (file
# prefix $P-gw, log $WORK/gw.log).

gw_down() {
	netns_del "$P-gw" "$P-h" "$P-p"
	rm -rf "/var/run/dpdk/$P-gw"
}

gw_up() {
	local ns i
	gw_down
	at_exit gw_down
	for ns in "$P-gw" "$P-h" "$P-p"; do
		ip netns add "$ns" || fail "cannot create $ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		ip netns exec "$ns" ip link set lo up
	done
	ip link add gw-in netns "$P-gw" type veth peer name eth0 netns "$P-h" &&
		ip link add gw-out netns "$P-gw" type veth peer name eth0 netns "$P-p" ||
		fail "cannot create the veths"
	for i in gw-in gw-out; do
		ip netns exec "$P-gw" ip link set $i up
		ip netns exec "$P-gw" ethtool -K $i tx off rx off >/dev/null 2>&1
	done
	for ns in "$P-h" "$P-p"; do
		ip netns exec "$ns" ethtool -K eth0 tx off tso off gso off >/dev/null 2>&1
		ip netns exec "$ns" ip link set eth0 up
	done
	ip netns exec "$P-h" ip addr add 10.1.0.10/24 dev eth0
	ip netns exec "$P-h" ip route add default via 10.1.0.1
	ip netns exec "$P-p" ip addr add 192.0.2.2/24 dev eth0
}

# gw_start CONF [EAL options] [-- twinsecd options]: twinsecd in $P-gw on
# gw-in / gw-out with CONF, its output in $WORK/gw.log (emptied first:
# what a test greps there is from this run of the daemon); GW_PID
gw_start() {
	local conf=$1 eal=()
	shift
	: >"$WORK/gw.log"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		eal+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	twinsecd_bg "$P-gw" "$P-gw" "$WORK/gw.log" \
		--vdev net_af_packet0,iface=gw-in --vdev net_af_packet1,iface=gw-out "${eal[@]}" \
		-- -f "$conf" "$@"
	# shellcheck disable=SC2034 # read by the scripts that source this
	GW_PID=$TW_PID
}

# gw_log_tail [N]: the last N (20) lines of the gateway's log, EAL's left out
gw_log_tail() {
	grep -v '^EAL' "$WORK/gw.log" 2>/dev/null | tail -n "${1:-20}" | sed 's/^/    /'
}
