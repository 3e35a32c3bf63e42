#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A lone twinsecd with two HSRP groups (v1 inside, v2 with MD5 outside) on
# net_pcap ports: nobody answers, so each group goes Listen, Speak,
# Standby, Active after its hold time, sends well-formed hellos from the
# virtual MAC, gratuitous ARPs for its VIP, and a Resign when stopped.
# /twinsec/standby says so too. hsrp_pcap.py (scapy) checks the frames.
#   hsrp.sh TWINSECD
set -u
D=$1
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3 # the python3 on PATH may lack scapy
tel="python3 $here/../../../tools/tw-telemetry.py -p tw-test-hsrp"
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; sed 's/^/    /' "$dir/log"; exit 1; }

if ! "$PY" -c 'import scapy.layers.hsrp' 2>/dev/null; then
	echo "SKIP: $PY lacks scapy (tools/setup installs python3-scapy)"
	exit 77
fi
"$PY" -c 'from scapy.all import wrpcap; wrpcap("'"$dir"'/empty.pcap", [])' \
	2>/dev/null || fail "cannot make an empty pcap"
"$D" --no-pci --no-huge -m 512 --file-prefix tw-test-hsrp -l 0,1 \
	--vdev "net_pcap0,rx_pcap=$dir/empty.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/empty.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$here/hsrp.conf" >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "twinsec.main: running" "$dir/log" && break
	kill -0 "$pid" 2>/dev/null || fail "twinsecd exited at start"
	sleep 0.1
done
# Inside: hold 1.1 s, then 3 gratuitous ARPs 200 ms apart.
for _ in $(seq 50); do
	[ "$(grep -c -- '-> Active' "$dir/log")" = 2 ] && break
	sleep 0.1
done
sleep 1
out=$($tel /twinsec/standby) || fail "telemetry: $out"
echo "$out" | cut -c1-400
for want in '"inside_1": {"interface": "inside", "group": 1, "version": 1, "name": "HA-in", "state": "Active", "vip": "10.1.0.254", "vmac": "0000.0c07.ac01", "vip_owned": "yes"' \
	'"outside_7": {"interface": "outside", "group": 7, "version": 2, "name": "HA-out", "state": "Active", "vip": "192.0.2.10", "vmac": "0000.0c9f.f007", "vip_owned": "yes"' \
	'"active_router": "local"' '"gratuitous_arps": 3' '"gratuitous_arps": 2' \
	'"split": "no", "splits": 0'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "exit status $rc"
"$PY" "$here/hsrp_pcap.py" "$dir/out0.pcap" "$dir/out1.pcap" ||
	fail "wrong frames out"
