#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The control lcore on real frames through the workers' punt path, with
# net_pcap ports: ARP replies and learning, ICMP echo, next-hop resolution
# (answered; unanswered: 3 requests, a bounded queue, then FAILED),
# fragmentation needed, UDP to us without a listener. pcap_local.py makes
# the frames and checks what twinsecd sent.
#   local.sh TWINSECD
set -u
D=$1
here=$(cd "$(dirname "$0")" && pwd)
tel="python3 $here/../../../tools/tw-telemetry.py -p tw-test-d2"
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; sed 's/^/    /' "$dir/log"; exit 1; }

python3 "$here/pcap_local.py" gen "$dir/in0.pcap" "$dir/in1.pcap" ||
	fail "cannot make the frames"
"$D" --no-pci --no-huge -m 512 --file-prefix tw-test-d2 -l 0,1 \
	--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$here/pcap.conf" --log-level arp:debug >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "twinsec.main: running" "$dir/log" && break
	kill -0 "$pid" 2>/dev/null || fail "twinsecd exited at start"
	sleep 0.1
done
# 3 ARP tries 1 s apart, then FAILED: wait for it.
for _ in $(seq 60); do
	grep -q "192.0.2.9 unresolved" "$dir/log" && break
	sleep 0.1
done
out=$($tel /twinsec/control /twinsec/arp) || fail "telemetry: $out"
echo "$out" | cut -c1-600
for want in '"tx_echo_reply": 1' '"tx_frag_needed": 1' \
	'"udp_no_listener": 1' '"resolve_failed": 1' '"unresolved": 8' \
	'"queue_full": 2' '"pending": 0' \
	'"192_0_2_2": {"port": 1, "interface": "outside", "state": "REACHABLE"' \
	'"192_0_2_9": {"port": 1, "interface": "outside", "state": "FAILED"'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "exit status $rc"
python3 "$here/pcap_local.py" check "$dir/out0.pcap" "$dir/out1.pcap" ||
	fail "wrong frames out"
