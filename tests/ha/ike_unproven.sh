#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A takeover that cannot prove a safe first sequence number for an
# IKE-negotiated Child SA rekeys it at once (issue 13, "do not guess"):
# twins A and B with config/ha-{a,b}-ike.conf against strongSwan (as in
# tests/ha/ike_failover.sh), B started with TWINSEC_SEQ_WORKER_PPS=2^40,
# a per-worker rate bound so large that any jump exhausts the 32-bit
# sequence space (HA_UNPROVEN_SPENT: the same path as a connection too old
# to date, a clock behind the marks, no marks):
#   1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan initiates; HA
#      pings 10.2.0.10 through A;
#   2. kill -9 A under traffic: B takes over, does not send on the Child
#      SA's outbound SA, and rekeys it (CREATE_CHILD_SA with REKEY_SA from
#      B, with the synced message IDs): telemetry unproven_spent and
#      unproven_rekeyed, the log says why;
#   3. strongSwan has a new CHILD_SA on the same IKE SA and traffic flows
#      through B on it; after the kill no ESP leaves the VIP under the old
#      outbound SPI, and over both captures no (SPI, sequence number) pair
#      is sent twice.
# Namespaces tw-iu-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-iu
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd tcpdump

work_dir ike-unproven
on_fail() { twins_ike_on_fail; }

twins_ike_up
twins_ike_sw_conf 2s

capture_start "$WORK/c1.pcap" 'udp port 4500' --immediate-mode -s 128
start a a --log-level debug
sleep 1
# B assumes a fast path of 2^40 packets/s per worker: any takeover jump
# leaves no room in the 32-bit space (never smaller than the default,
# ha_seq_worker_pps())
TWINSEC_SEQ_WORKER_PPS=1099511627776 start b b --log-level debug
twins_ike_initiate
[ "$(rf a ike_sas_active)" = 1 ] || fail "A runs $(rf a ike_sas_active) IKE SAs, wanted 1"
before=$(sw_sas)

old_out=$(echo "$before" | cut -d' ' -f4)
[ -n "$old_out" ] && [ "$old_out" != - ] || fail "no CHILD_SA at strongSwan: $before"
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan: $before (B's outbound SPI 0x$old_out)"

ping_bg "$WORK/ping.log"
sleep 2
twin_kill a
capture_stop
mv "$WORK/c1.pcap" "$WORK/before.pcap"
capture_start "$WORK/c2.pcap" 'udp port 4500' --immediate-mode -s 128
wait_rf b my_state ACTIVE 10
[ "$(rf b unproven_spent)" -ge 1 ] || fail "unproven_spent '$(rf b unproven_spent)'"
[ "$(rf b unproven_rekeyed)" = 1 ] || fail "unproven_rekeyed '$(rf b unproven_rekeyed)', wanted 1"
grep -q "SA 0x0*$old_out out (crypto map .*) not sent on: the jump leaves no room in its 32-bit sequence space: its Child SA is rekeyed now" "$WORK/b.log" ||
	fail "B's log does not say why 0x$old_out is not sent on"
echo "2. kill -9 A: B ACTIVE, 0x$old_out not sent on and rekeyed (unproven_spent $(rf b unproven_spent), rekeyed $(rf b unproven_rekeyed)):"
grep "SA 0x0*$old_out out .*not sent on" "$WORK/b.log" | tail -n 1 | sed 's/^[^:]*: /   /'

new_child() {
	local s
	s=$(sw_sas)
	[ "$(echo "$s" | cut -d' ' -f4)" != "$old_out" ] && [ "$(echo "$s" | cut -d' ' -f4)" != - ]
}
wait_until 15 new_child || fail "strongSwan has no new CHILD_SA: $(sw_children)"
after=$(sw_sas)
[ "$(echo "$after" | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed: before '$before', after '$after'"
grep -qE "received .*CREATE_CHILD_SA|parsed CREATE_CHILD_SA request" "$WORK/sw/charon.log" ||
	fail "strongSwan got no CREATE_CHILD_SA request"
replies 4 "through B on the new CHILD_SA ($after)"
ping_bg_stop
capture_stop
n_old=$("$PYTHON" - "$WORK/c2.pcap" "$old_out" <<'PY'
import struct, sys
from scapy.all import rdpcap, IP, UDP
spi = int(sys.argv[2], 16)
n = 0
for p in rdpcap(sys.argv[1]):
    if IP in p and UDP in p and p[IP].src == "192.0.2.254" and p[UDP].sport == 4500:
        b = bytes(p[UDP].payload)
        if len(b) >= 8 and struct.unpack("!I", b[:4])[0] == spi:
            n += 1
print(n)
PY
)
[ "$n_old" = 0 ] || fail "$n_old ESP packets under the old SPI 0x$old_out after the kill"
echo "3. the same IKE SA, a new CHILD_SA; no ESP under 0x$old_out after the kill"
"$PYTHON" - "$WORK/before.pcap" "$WORK/c2.pcap" "$WORK/all.pcap" <<'PY' ||
import sys
from scapy.all import rdpcap, wrpcap
wrpcap(sys.argv[3], [p for f in sys.argv[1:3] for p in rdpcap(f)])
PY
	fail "cannot merge the captures"
seq_unique "$WORK/all.pcap" udp || fail "sequence numbers reused (above)"
twins_stop b
echo "PASS"
