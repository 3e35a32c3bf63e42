#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Stateful failover with traffic flowing (tests/lib/topo_twins.bash draws
# the topology: twins A and B, peer gateway P with manual SAs, hosts HA, HB):
#   1. A Active, B STANDBY HOT after its bulk sync; host HA pings HB
#      through the tunnel every 10 ms (replay_interval 20/20, so counter
#      updates flow);
#   2. kill -9 A mid-stream: B takes over, traffic resumes;
#   3. A restarts (priority 90, below B): STANDBY HOT again;
#   4. B loses its outside link (ip link set b-out down, and the console's
#      "shutdown" on it, because net_af_packet does not report a veth's
#      link state to DPDK): B's scheme group leaves Active, A takes over,
#      traffic resumes; B relinquishes (SAs out of its fast path) and is
#      STANDBY HOT again after a bulk sync from A over the sync link;
#   5. a capture of everything the twins sent on the outside bridge shows
#      no ESP sequence number used twice per SPI (scapy), and the peer's
#      replay window refused nothing (its "replay" drop counter is 0).
# Namespaces tw-fo-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-fo

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir failover
on_fail() { logs_tail 25; }

twins_up
PREEMPT=true
twin_conf ha-a a110
twin_conf ha-b b
PRIORITY=90 twin_conf ha-a a90
peer_conf

capture_start "$WORK/out.pcap" 'ip proto 50'
start p p
start a a110
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
echo "1. A ACTIVE, B STANDBY HOT ($(rf b records_in) records in its bulk sync)"
replies 4 "through A"

ping_bg "$WORK/ping.log"
sleep 2
[ "$(rf b counter_updates_in)" -gt 0 ] || fail "B got no COUNTER_UPDATE"
t0=$(date +%s%N)
twin_kill a
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_sas) SAs, $(rf b counter_updates_in) counter updates received before)"
replies 4 "through B"

start a a90
wait_rf a my_state "STANDBY HOT" 20
echo "3. A back (priority 90): STANDBY HOT"
sleep 1

nsx "$P-b" ip link set b-out down
console "$P-b" "configure terminal" "interface outside" "shutdown" >"$WORK/con-b.log" 2>&1 ||
	fail "console shutdown on B: $(cat "$WORK/con-b.log")"
wait_rf a my_state ACTIVE 10
# B relinquished and resynchronised from A over the sync link (intact)
wait_rf b my_state "STANDBY HOT" 10
[ "$(rf b sas_installed)" = 0 ] || fail "B still has SAs in its fast path"
echo "4. B lost its outside link: A ACTIVE; B relinquished ($(rf b relinquished_sas) SAs out of its fast path) and is STANDBY HOT again"
replies 4 "through A again"
sleep 1
ping_bg_stop
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'
capture_stop

rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "5. no outbound sequence number reused per SPI; peer replay drops 0"

twins_stop a b p
echo "PASS"
