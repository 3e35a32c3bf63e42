#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Outer IPv4 fragments to the gateway, reassembled in the fast path
# (dataplane/dp_reasm.c), on net_pcap so the kernel does not reassemble
# them first (net_af_packet would): ESP that scapy encrypted for a manual
# AES-GCM SA, fragmented in order, reversed and shuffled, and NAT-T ESP
# (UDP 4500) out of order, each inner packet delivered exactly once; UDP
# fragments reassembled for the control lcore; too many fragments, overlap, a duplicate, an incomplete datagram
# (timeout), too big, a bad fragment length and a full table each dropped
# and counted under its own reason in /twinsec/drops. ESP datagrams of 4 to
# 10 KB (past one 2 KB mbuf: jumbo inner packets over a 1500-byte path)
# are reassembled, decrypted and delivered, fragmented to the inside MTU;
# larger ones refused (frag-too-big). In both crypto modes.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
here=$ROOT/tests/interop

need_built "$TWINSECD"
need_python scapy.layers.ipsec cryptography
work_dir esp-frag
dir=$WORK
on_fail() { sed 's/^/    /' "$dir/log" "$dir/tel.json"; }

"$PYTHON" "$here/esp_frag_pcap.py" gen "$dir/in0.pcap" "$dir/in1.pcap" \
	"$dir/expect.json" || fail "cannot make the frames"
# The incomplete datagrams are dropped 3 s after their first fragment.
want=$("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["drops"]["frag-timeout"])' "$dir/expect.json")
timeouts() {
	[ "$(tel_py tw-test-frag /twinsec/drops 'd.get("frag_timeout")')" \
		= "$want" ]
}
# Both crypto modes: the large reassembled datagrams go through
# librte_ipsec's CPU-crypto and lookaside paths.
for mode in cpu-crypto lookaside; do
	echo "--- crypto_mode $mode"
	sed -e s/@INSIDE@/net_pcap0/ -e s/@OUTSIDE@/net_pcap1/ \
		-e "s/^\(\tcrypto_device = .*\)/\1\n\tcrypto_mode = \"$mode\";/" \
		"$here/esp_pcap.conf" >"$dir/tw.conf"
	grep -q "crypto_mode = \"$mode\"" "$dir/tw.conf" ||
		fail "cannot set crypto_mode"
	chmod 600 "$dir/tw.conf"
	# a fresh state each run: no replay window resumed from the last
	mkdir -p "$dir/state-$mode"
	rm -f "$dir/out0.pcap" "$dir/out1.pcap"
	twinsecd_bg "" tw-test-frag "$dir/log" \
		--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
		--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
		-- -f "$dir/tw.conf" --state-dir "$dir/state-$mode"
	pid=$TW_PID
	wait_running "$dir/log" "$pid"
	wait_until 10 timeouts || echo "frag-timeout did not reach $want"
	tel tw-test-frag /twinsec/drops /twinsec/control >"$dir/tel.json" ||
		fail "telemetry ($mode)"
	stop_pid "$pid" TERM
	rc=$?
	[ "$rc" = 0 ] || fail "exit status $rc ($mode)"
	"$PYTHON" "$here/esp_frag_pcap.py" check "$dir/out0.pcap" \
		"$dir/expect.json" "$dir/tel.json" ||
		fail "wrong frames or counts ($mode)"
	: >"$dir/log"
done
