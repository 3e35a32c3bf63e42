#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Stateful failover with traffic flowing (tests/ha/ha_topo.bash draws the
# topology: twins A and B, peer gateway P with manual SAs, hosts HA, HB):
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

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=${TWINSECD:-$BUILD/app/twinsecd/twinsecd}
P=tw-fo

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TWINSECD" ] || skip "$TWINSECD not built (ninja -C $BUILD)"
command -v tcpdump >/dev/null || skip "tcpdump not installed (tools/setup)"
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "scapy not installed for /usr/bin/python3"

WORK=$(mktemp -d /tmp/tw-failover.XXXXXX)
ping_pid= dump_pid=
. "$ROOT/tests/ha/ha_topo.bash"
cleanup() {
	local p
	for p in $ping_pid $dump_pid; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	ha_cleanup
	rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	logs_tail 25
	exit 1
}
# replies N: at least N of 5 pings HA -> HB come back
replies() {
	local got
	got=$(nsx $P-ha ping -c 5 -i 0.2 -W 1 -q 10.2.0.10 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge "$1" ] || fail "$2: ${got:-0} of 5 pings through the tunnel"
	echo "   $2: ${got} of 5 pings through the tunnel"
}

ha_setup
PREEMPT=true
twin_conf a 10.1.0.1 192.0.2.1 110 198.51.100.1 198.51.100.2
twin_conf b 10.1.0.2 192.0.2.2 100 198.51.100.2 198.51.100.1
mv "$WORK/a.conf" "$WORK/a110.conf"
twin_conf a 10.1.0.1 192.0.2.1 90 198.51.100.1 198.51.100.2
mv "$WORK/a.conf" "$WORK/a90.conf"
peer_conf

ip netns exec $P-sw tcpdump -i br-out -n -U -s 128 -w "$WORK/out.pcap" 'ip proto 50' \
	>"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
start p p
start a a110
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
echo "1. A ACTIVE, B STANDBY HOT ($(rf b records_in) records in its bulk sync)"
replies 4 "through A"

ip netns exec $P-ha ping -i 0.01 -W 1 10.2.0.10 >"$WORK/ping.log" 2>&1 &
ping_pid=$!
sleep 2
[ "$(rf b counter_updates_in)" -gt 0 ] || fail "B got no COUNTER_UPDATE"
t0=$(date +%s%N)
kill -KILL "$pid_a"
wait "$pid_a" 2>/dev/null
pid_a=
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_sas) SAs, $(rf b counter_updates_in) counter updates received before)"
replies 4 "through B"

start a a90
wait_rf a my_state "STANDBY HOT" 20
echo "3. A back (priority 90): STANDBY HOT"
sleep 1

nsx $P-b ip link set b-out down
con b "configure terminal" "interface outside" "shutdown" >"$WORK/con-b.log" 2>&1 ||
	fail "console shutdown on B: $(cat "$WORK/con-b.log")"
wait_rf a my_state ACTIVE 10
# B relinquished and resynchronised from A over the sync link (intact)
wait_rf b my_state "STANDBY HOT" 10
[ "$(rf b sas_installed)" = 0 ] || fail "B still has SAs in its fast path"
echo "4. B lost its outside link: A ACTIVE; B relinquished ($(rf b relinquished_sas) SAs out of its fast path) and is STANDBY HOT again"
replies 4 "through A again"
sleep 1
kill -INT $ping_pid
wait $ping_pid 2>/dev/null
ping_pid=
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'
sleep 0.5
kill -INT $dump_pid
wait $dump_pid 2>/dev/null
dump_pid=

rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "5. no outbound sequence number reused per SPI; peer replay drops 0"

for x in a b p; do
	eval "p=\$pid_$x"
	kill -TERM "$p"
	wait "$p"
	rc=$?
	eval "pid_$x="
	[ $rc = 0 ] || fail "$x exit status $rc"
done
echo "PASS"
