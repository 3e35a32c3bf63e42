#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two twinsecd twins on shared LANs (Linux bridges), HSRP v2 on both sides
# (timers HELLO/HOLD ms, default 200/900: two daemons, a bridge and a ping
# share two cores here, and a twin that misses its peer's hellos for a
# whole hold time becomes Active too; tools/bench-hsrp measures 100/300),
# each group tracking the other side (config/hsrp-{a,b}.conf):
#   1. A (priority 110) is Active on both groups, B (100) Standby on both;
#   2. kill -9 A: B becomes Active on both; the inside host keeps reaching
#      the inside VIP (the gratuitous ARPs move the bridge's entry for the
#      virtual MAC to B);
#   3. A comes back with preempt: it takes both groups over again;
#   4. kill -9 A, bring it back without preempt: B stays Active.
#
#   tw-hp-ha 10.1.0.10 ── br-in ──┬── A 10.1.0.1 | 192.0.2.1 ──┬── br-out
#   (tw-hp-sw holds the bridges) └── B 10.1.0.2 | 192.0.2.2 ──┘
#   VIPs 10.1.0.254 (inside), 192.0.2.254 (outside)
# (tests/lib/topo_twins.bash; its peer gateway and sync link stay unused)
#
# Namespaces tw-hp-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-hp

need_root
need_built "$TWINSECD"
need_cmd ip "ip not found (tools/setup)"

work_dir hsrp-pair
on_fail() { logs_tail 15; }

twins_up
twin_conf hsrp-a a
PREEMPT=false twin_conf hsrp-a a-nopreempt
twin_conf hsrp-b b

# vip_ok: the inside host reaches the inside VIP (3 pings, one answered)
vip_ok() { ping_ok "$P-ha" 10.1.0.254 1 -c 3 -i 0.2 -W 1; }

start a a
sleep 1
start b b
wait_states a "Active Active" 10
wait_states b "Standby Standby" 10
echo "1. A Active on both groups, B Standby on both"
vip_ok || fail "the host cannot reach the inside VIP"

ip netns exec "$P-ha" ping -i 0.05 -W 1 10.1.0.254 >"$WORK/ping.log" 2>&1 &
ping_pid=$!
track "$ping_pid"
sleep 0.5
t0=$(date +%s%N)
twin_kill a
wait_states b "Active Active" 3
t1=$(date +%s%N)
echo "2. kill -9 A: B Active on both after $(( (t1 - t0) / 1000000 )) ms"
sleep 1
ping_bg_stop
sent=$(grep -c 'icmp_seq=' "$WORK/ping.log")
tail -n 2 "$WORK/ping.log" | sed 's/^/    /'
vip_ok || fail "the host lost the inside VIP after the failover"
echo "   the inside host still reaches 10.1.0.254 ($sent replies during the test), ARP: $(nsx "$P-ha" ip neigh show 10.1.0.254)"
echo "   bridge: $(nsx "$P-sw" bridge fdb show br br-in | grep -i 00:00:0c:9f:f0:01 | head -n 1)"
nsx "$P-sw" bridge fdb show br br-in | grep -i '00:00:0c:9f:f0:01 dev sw-b-in' >/dev/null ||
	fail "the bridge did not move the virtual MAC to B"

start a a
wait_states a "Active Active" 10
wait_states b "Standby Standby" 3
echo "3. A back with preempt: A Active on both again, B Standby"
vip_ok || fail "the host cannot reach the inside VIP after preemption"

twin_kill a
wait_states b "Active Active" 3
start a a-nopreempt
wait_states a "Standby Standby" 10
sleep 1
[ "$(hsrp_states b)" = "Active Active" ] || fail "B lost Active to A without preempt"
[ "$(hsrp_states a)" = "Standby Standby" ] || fail "A took over without preempt"
echo "4. A back without preempt: A stays Standby, B stays Active"
vip_ok || fail "the host cannot reach the inside VIP"

twins_stop a b
! grep -q "SPLIT" "$WORK/a.log" "$WORK/b.log" || fail "a split was declared"
echo "PASS"
