#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The control lcore on real frames through the workers' punt path, with
# net_pcap ports: ARP replies and learning, ICMP echo, next-hop resolution
# (answered; unanswered: 3 requests, a bounded queue, then FAILED),
# fragmentation needed, time exceeded (TTL 1 in transit), UDP to us
# without a listener. pcap_local.py makes
# the frames and checks what twinsecd sent.
#   local.sh TWINSECD
set -u
TWINSECD=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/daemon
work_dir test-d2
dir=$WORK
on_fail() { sed 's/^/    /' "$dir/log"; }

python3 "$here/pcap_local.py" gen "$dir/in0.pcap" "$dir/in1.pcap" ||
	fail "cannot make the frames"
twinsecd_bg "" tw-test-d2 "$dir/log" \
	--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$here/pcap.conf" --log-level arp:debug
pid=$TW_PID
wait_running "$dir/log" "$pid"
# 3 ARP tries 1 s apart, then FAILED: wait for it.
wait_until 6 grep -q "192.0.2.9 unresolved" "$dir/log"
out=$(tel tw-test-d2 /twinsec/control /twinsec/arp) || fail "telemetry: $out"
echo "$out" | cut -c1-600
for want in '"tx_echo_reply": 1' '"tx_frag_needed": 1' \
	'"tx_time_exceeded": 1' \
	'"udp_no_listener": 1' '"resolve_failed": 1' '"unresolved": 8' \
	'"queue_full": 2' '"pending": 0' \
	'"192_0_2_2": {"port": 1, "interface": "outside", "state": "REACHABLE"' \
	'"192_0_2_9": {"port": 1, "interface": "outside", "state": "FAILED"'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
stop_pid "$pid" TERM
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc"
python3 "$here/pcap_local.py" check "$dir/out0.pcap" "$dir/out1.pcap" ||
	fail "wrong frames out"
