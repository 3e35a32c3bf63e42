#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The inner-packet checks of the fast path on the wire, against scapy's
# ESP, on net_pcap and on net_af_packet: inner IHL 0 and 4, total length
# 0, 8 and past the data, a bad header checksum, a packet to the gateway's
# own inside address, next header 59 (dummy), bad padding, a wrong next
# header and a truncated packet are each dropped under their own reason in
# /twinsec/drops; a valid packet, and one with TFC padding (trimmed to its
# 68 bytes), are forwarded to the inside host.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop

need_built "$TWINSECD"
need_python scapy.layers.ipsec cryptography
work_dir esp-inner
dir=$WORK
on_fail() { sed 's/^/    /' "$dir"/*.log "$dir"/tel-*.json 2>/dev/null; }

# check_run NAME PREFIX OUT: the counters and what came out
check_run() {
	tel "$2" /twinsec/drops >"$dir/tel-$1.json" || fail "$1: telemetry"
	stop_pid "$TW_PID" TERM || fail "$1: twinsecd exit status $?"
	sleep 0.3
	[ -n "${dump_pid:-}" ] && stop_pid "$dump_pid" TERM
	echo "--- $1"
	"$PYTHON" "$here/esp_inner.py" check "$host" "$3" "$dir/expect-$1.json" \
		"$dir/tel-$1.json" || fail "$1: wrong frames or counts"
}

# 1. net_pcap: what the NIC delivers, nothing in between.
host=10.1.0.2
sed -e s/@INSIDE@/net_pcap0/ -e s/@OUTSIDE@/net_pcap1/ \
	"$here/esp_pcap.conf" >"$dir/pcap.conf"
"$PYTHON" "$here/esp_inner.py" gen $host "$dir/in0.pcap" "$dir/in1.pcap" \
	"$dir/expect-pcap.json" || fail "cannot make the frames"
twinsecd_bg "" tw-test-inner "$dir/pcap.log" \
	--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$dir/pcap.conf"
wait_running "$dir/pcap.log" "$TW_PID"
# The truncated packet comes last: once it is counted, all went through.
last_seen() {
	[ "$(tel_py "$1" /twinsec/drops 'd["esp_truncated"]')" = 1 ]
}
wait_until 10 last_seen tw-test-inner || echo "the last packet was not seen"
sleep 0.5
check_run pcap tw-test-inner "$dir/out0.pcap"

# 2. net_af_packet on veths, scapy sending from the peer's namespace.
need_root
need_netns
need_cmd tcpdump
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
P=tw-ei
host=10.1.0.10
gw_up
sed -e s/@INSIDE@/net_af_packet0/ -e s/@OUTSIDE@/net_af_packet1/ \
	"$here/esp_pcap.conf" >"$dir/afp.conf"
"$PYTHON" "$here/esp_inner.py" gen $host "$dir/afp-in0.pcap" \
	"$dir/afp-in1.pcap" "$dir/expect-afp.json" || fail "cannot make the frames"
gw_start "$dir/afp.conf"
wait_running "$WORK/gw.log" "$GW_PID"
TW_PID=$GW_PID
ip netns exec "$P-h" tcpdump -i eth0 -n -U --immediate-mode \
	-w "$dir/afp-out.pcap" udp >"$dir/tcpdump.log" 2>&1 &
dump_pid=$!
track $dump_pid
# The gateway learns the host; the peer's kernel answers the gateway.
ip netns exec "$P-h" ping -c 1 -W 2 10.1.0.1 >/dev/null 2>&1 ||
	fail "the host cannot ping the gateway"
sleep 0.5
ip netns exec "$P-p" "$PYTHON" "$here/esp_inner.py" send eth0 \
	"$dir/afp-in1.pcap" || fail "scapy cannot send"
wait_until 10 last_seen "$P-gw" || echo "the last packet was not seen"
sleep 0.5
check_run afp "$P-gw" "$dir/afp-out.pcap"
echo PASS
