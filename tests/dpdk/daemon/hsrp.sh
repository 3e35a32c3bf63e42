#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A lone twinsecd with two HSRP groups (v1 inside, v2 with MD5 outside) on
# net_pcap ports: nobody answers, so each group goes Listen, Speak,
# Standby, Active after its hold time, sends well-formed hellos from the
# virtual MAC, gratuitous ARPs for its VIP, and a Resign when stopped.
# /twinsec/standby says so too. hsrp_pcap.py (scapy) checks the frames.
#   hsrp.sh TWINSECD
set -u
TWINSECD=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/daemon
work_dir test-hsrp
dir=$WORK
on_fail() { sed 's/^/    /' "$dir/log"; }

need_python scapy.layers.hsrp
"$PYTHON" -c 'from scapy.all import wrpcap; wrpcap("'"$dir"'/empty.pcap", [])' \
	2>/dev/null || fail "cannot make an empty pcap"
twinsecd_bg "" tw-test-hsrp "$dir/log" \
	--vdev "net_pcap0,rx_pcap=$dir/empty.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/empty.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$here/hsrp.conf" --state-dir "$dir/state"
pid=$TW_PID
wait_running "$dir/log" "$pid"
# Inside: hold 1.1 s, then 3 gratuitous ARPs 200 ms apart.
both_active() { [ "$(grep -c -- '-> Active' "$dir/log")" = 2 ]; }
wait_until 5 both_active
sleep 1
out=$(tel tw-test-hsrp /twinsec/standby) || fail "telemetry: $out"
echo "$out" | cut -c1-400
for want in '"inside_1": {"interface": "inside", "group": 1, "version": 1, "name": "HA-in", "state": "Active", "vip": "10.1.0.254", "address_family": 4, "vmac": "0000.0c07.ac01", "vip_owned": "yes"' \
	'"outside_7": {"interface": "outside", "group": 7, "version": 2, "name": "HA-out", "state": "Active", "vip": "192.0.2.10", "address_family": 4, "vmac": "0000.0c9f.f007", "vip_owned": "yes"' \
	'"active_router": "local"' '"gratuitous_arps": 3' '"gratuitous_arps": 2' \
	'"split": "no", "splits": 0'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
stop_pid "$pid" TERM
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc"
"$PYTHON" "$here/hsrp_pcap.py" "$dir/out0.pcap" "$dir/out1.pcap" ||
	fail "wrong frames out"
