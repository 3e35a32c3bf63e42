#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The crypto map's dscp knob on the wire (net_pcap, scapy decrypting):
# by default the outer TOS is the inner one (DSCP copied, RFC 4301
# 5.1.2.1; ECN per RFC 6040 4.1); with dscp = 10 the outer DSCP is 10
# whatever the inner one (cpu-crypto and lookaside), the ECN bits still
# the inner ones, and the inner packet untouched.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop

need_built "$TWINSECD"
need_python scapy.layers.ipsec cryptography
work_dir esp-dscp
dir=$WORK
on_fail() { sed 's/^/    /' "$dir"/*.log 2>/dev/null; }

"$PYTHON" "$here/esp_dscp.py" gen "$dir/in0.pcap" "$dir/in1.pcap" ||
	fail "cannot make the frames"
resolved() {
	[ "$(tel_py tw-test-dscp /twinsec/control \
		'(d["arp"]["entries"], d["arp"]["pending"])')" = "2 0" ]
}
# dscp 10 in both crypto modes: the outer header is finished in one place
# for both, but the packets get there by different paths.
for run in copy 10 10-lookaside; do
	mode=${run%-*}
	line="" cmode=cpu-crypto
	[ $mode = copy ] || line="dscp = $mode;"
	[ $run = 10-lookaside ] && cmode=lookaside
	sed -e s/@INSIDE@/net_pcap0/ -e s/@OUTSIDE@/net_pcap1/ \
		-e "s/name = \"to-site-b\";/& $line/" \
		-e "s/crypto_device = \"auto\";/& crypto_mode = \"$cmode\";/" \
		"$here/esp_pcap.conf" >"$dir/$run.conf"
	rm -f "$dir/out1.pcap"
	twinsecd_bg "" tw-test-dscp "$dir/$run.log" \
		--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
		--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
		-- -f "$dir/$run.conf"
	wait_running "$dir/$run.log" "$TW_PID"
	grep -q "$cmode" "$dir/$run.log" || fail "$run: not in $cmode"
	# The ESP waits for the peer's MAC (its ARP comes on the other port).
	wait_until 10 resolved || echo "the peer was not resolved"
	sleep 0.5
	stop_pid "$TW_PID" TERM || fail "$run: exit status $?"
	echo "--- dscp $run"
	"$PYTHON" "$here/esp_dscp.py" check "$dir/out1.pcap" $mode ||
		fail "dscp $run: wrong outer TOS"
done
