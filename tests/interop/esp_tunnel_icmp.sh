#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Answers to tunnel traffic go back through the tunnel (RFC 4301 6.1.1),
# on net_pcap with scapy as the remote gateway of a manual SA: a ping of
# the gateway's inside address from the remote site gets its echo reply
# encrypted; traceroute-like probes whose inner TTL runs out at the
# gateway get ICMP time exceeded encrypted, within the ICMP error rate
# limit; nothing ICMP leaves in clear.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop
PROBES=150

need_built "$TWINSECD"
need_python scapy.layers.ipsec cryptography
work_dir esp-ticmp
dir=$WORK
on_fail() { sed 's/^/    /' "$dir/log" "$dir/tel.json" 2>/dev/null; }

sed -e s/@INSIDE@/net_pcap0/ -e s/@OUTSIDE@/net_pcap1/ \
	"$here/esp_pcap.conf" >"$dir/tw.conf"
"$PYTHON" "$here/esp_tunnel_icmp.py" gen "$dir/in0.pcap" "$dir/in1.pcap" \
	$PROBES || fail "cannot make the frames"
twinsecd_bg "" tw-test-ticmp "$dir/log" \
	--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$dir/tw.conf"
wait_running "$dir/log" "$TW_PID"
answered() {
	[ "$(tel_py tw-test-ticmp /twinsec/drops 'd["inner_ttl_expired"]')" \
		= $PROBES ]
}
wait_until 10 answered || echo "not every probe seen"
sleep 0.5
tel tw-test-ticmp /twinsec/control /twinsec/drops >"$dir/tel.json" ||
	fail "telemetry"
stop_pid "$TW_PID" TERM || fail "exit status $?"
"$PYTHON" "$here/esp_tunnel_icmp.py" check "$dir/out0.pcap" \
	"$dir/out1.pcap" $PROBES "$dir/tel.json" || fail "wrong answers"
