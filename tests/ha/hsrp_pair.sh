#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two twinsecd twins on shared LANs (Linux bridges), HSRP v2 on both sides
# (timers HELLO/HOLD ms, default 200/900: two daemons, a bridge and a ping
# share two cores here, and a twin that misses its peer's hellos for a
# whole hold time becomes Active too; tools/bench-hsrp measures 100/300),
# each group tracking the other side:
#   1. A (priority 110) is Active on both groups, B (100) Standby on both;
#   2. kill -9 A: B becomes Active on both; the inside host keeps reaching
#      the inside VIP (the gratuitous ARPs move the bridge's entry for the
#      virtual MAC to B);
#   3. A comes back with preempt: it takes both groups over again;
#   4. kill -9 A, bring it back without preempt: B stays Active.
#
#   tw-hp-host 10.1.0.10 ── br-in ──┬── A 10.1.0.1 | 192.0.2.1 ──┬── br-out
#   (tw-hp-sw holds the bridges)   └── B 10.1.0.2 | 192.0.2.2 ──┘
#   VIPs 10.1.0.254 (inside), 192.0.2.254 (outside)
#
# Namespaces tw-hp-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=${TWINSECD:-$BUILD/app/twinsecd/twinsecd}
PY=/usr/bin/python3
NSS="tw-hp-a tw-hp-b tw-hp-sw tw-hp-host"
HELLO=${HELLO:-200}
HOLD=${HOLD:-900}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TWINSECD" ] || skip "$TWINSECD not built (ninja -C $BUILD)"
command -v ip >/dev/null || skip "ip not found (tools/setup)"

WORK=$(mktemp -d /tmp/tw-hsrp-pair.XXXXXX)
pid_a= pid_b= ping_pid=
cleanup() {
	local p ns
	for p in $ping_pid $pid_a $pid_b; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	for ns in $NSS; do ip netns delete "$ns" 2>/dev/null; done
	rm -rf /var/run/dpdk/tw-hp-a /var/run/dpdk/tw-hp-b "$WORK"
}
trap cleanup EXIT
fail() {
	local x
	echo "FAIL: $*"
	for x in a b; do
		[ -f "$WORK/$x.log" ] || continue
		echo "  --- twin $x"
		grep -v '^EAL' "$WORK/$x.log" | tail -n 15 | sed 's/^/    /'
	done
	exit 1
}
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

for ns in $NSS; do ip netns delete "$ns" 2>/dev/null; done
for ns in $NSS; do
	ip netns add "$ns" || fail "cannot create $ns"
	nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	nsx "$ns" ip link set lo up
done
for br in br-in br-out; do
	nsx tw-hp-sw ip link add $br type bridge stp_state 0 forward_delay 0 \
		mcast_snooping 0 ageing_time 30000
	nsx tw-hp-sw ip link set $br up
done
# link NS IF BRIDGE SWPORT
link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns tw-hp-sw ||
		fail "veth $2"
	nsx tw-hp-sw ip link set "$4" master "$3"
	nsx tw-hp-sw ip link set "$4" up
	nsx "$1" ip link set "$2" up
}
link tw-hp-a a-in br-in sw-a-in
link tw-hp-a a-out br-out sw-a-out
link tw-hp-b b-in br-in sw-b-in
link tw-hp-b b-out br-out sw-b-out
link tw-hp-host eth0 br-in sw-h
nsx tw-hp-host ip addr add 10.1.0.10/24 dev eth0

# conf NAME IN_ADDR OUT_ADDR PRIORITY PREEMPT HELLO_MS HOLD_MS
conf() {
	cat >"$WORK/$1.conf" <<CONF
hostname = "twin-$1";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "$2/24";
	  standby = ( { group = 1; version = 2; ip = "10.1.0.254"; name = "HA-in";
		priority = $4; preempt = $5; timers = { hello_ms = $6; hold_ms = $7; };
		track = ( { interface = "outside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 500; }; } ); },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "$3/24";
	  standby = ( { group = 1; version = 2; ip = "192.0.2.254"; name = "HA-out";
		priority = $4; preempt = $5; timers = { hello_ms = $6; hold_ms = $7; };
		track = ( { interface = "inside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 500; }; } ); }
);
dataplane = { workers = 1; poll_mode = "adaptive"; };
redundancy = { scheme = "HA-out"; };
CONF
}
conf a 10.1.0.1 192.0.2.1 110 true $HELLO $HOLD
conf a-nopreempt 10.1.0.1 192.0.2.1 110 false $HELLO $HOLD
conf b 10.1.0.2 192.0.2.2 100 true $HELLO $HOLD

# start a|b CONF: sets pid_a / pid_b
start() {
	# ip netns exec execs: $! is twinsecd itself (a function would fork).
	ip netns exec tw-hp-$1 "$TWINSECD" --no-pci --no-huge -m 512 --file-prefix tw-hp-$1 \
		-l 0,1 --vdev net_af_packet0,iface=$1-in \
		--vdev net_af_packet1,iface=$1-out \
		-- -f "$WORK/$2.conf" >>"$WORK/$1.log" 2>&1 </dev/null &
	eval "pid_$1=\$!"
}
# states a|b: "INSIDE OUTSIDE" group states
states() {
	python3 "$ROOT/tools/tw-telemetry.py" -p tw-hp-$1 /twinsec/standby 2>/dev/null |
		"$PY" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/standby"]
print(d["inside_1"]["state"], d["outside_1"]["state"])' 2>/dev/null
}
# wait_states a|b "STATES" SECONDS
wait_states() {
	local i
	for i in $(seq $(($3 * 20))); do
		[ "$(states "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	fail "twin $1: '$(states "$1")' after $3 s, wanted '$2'"
}

start a a
sleep 1
start b b
wait_states a "Active Active" 10
wait_states b "Standby Standby" 10
echo "1. A Active on both groups, B Standby on both"
nsx tw-hp-host ping -c 3 -i 0.2 -W 1 -q 10.1.0.254 >/dev/null ||
	fail "the host cannot reach the inside VIP"

ip netns exec tw-hp-host ping -i 0.05 -W 1 10.1.0.254 >"$WORK/ping.log" 2>&1 &
ping_pid=$!
sleep 0.5
t0=$(date +%s%N)
kill -KILL "$pid_a"
wait "$pid_a" 2>/dev/null
pid_a=
wait_states b "Active Active" 3
t1=$(date +%s%N)
echo "2. kill -9 A: B Active on both after $(( (t1 - t0) / 1000000 )) ms"
sleep 1
kill -INT $ping_pid
wait $ping_pid
ping_pid=
sent=$(grep -c 'icmp_seq=' "$WORK/ping.log")
tail -n 2 "$WORK/ping.log" | sed 's/^/    /'
nsx tw-hp-host ping -c 3 -i 0.2 -W 1 -q 10.1.0.254 >/dev/null ||
	fail "the host lost the inside VIP after the failover"
echo "   the inside host still reaches 10.1.0.254 ($sent replies during the test), ARP: $(nsx tw-hp-host ip neigh show 10.1.0.254)"
echo "   bridge: $(nsx tw-hp-sw bridge fdb show br br-in | grep -i 00:00:0c:9f:f0:01 | head -n 1)"
nsx tw-hp-sw bridge fdb show br br-in | grep -i '00:00:0c:9f:f0:01 dev sw-b-in' >/dev/null ||
	fail "the bridge did not move the virtual MAC to B"

start a a
wait_states a "Active Active" 10
wait_states b "Standby Standby" 3
echo "3. A back with preempt: A Active on both again, B Standby"
nsx tw-hp-host ping -c 3 -i 0.2 -W 1 -q 10.1.0.254 >/dev/null ||
	fail "the host cannot reach the inside VIP after preemption"

kill -KILL "$pid_a"
wait "$pid_a" 2>/dev/null
pid_a=
wait_states b "Active Active" 3
start a a-nopreempt
wait_states a "Standby Standby" 10
sleep 1
[ "$(states b)" = "Active Active" ] || fail "B lost Active to A without preempt"
[ "$(states a)" = "Standby Standby" ] || fail "A took over without preempt"
echo "4. A back without preempt: A stays Standby, B stays Active"
nsx tw-hp-host ping -c 3 -i 0.2 -W 1 -q 10.1.0.254 >/dev/null ||
	fail "the host cannot reach the inside VIP"

for x in a b; do
	p=$(eval echo "\$pid_$x")
	kill -TERM "$p"
	wait "$p"
	rc=$?
	eval "pid_$x="
	[ $rc = 0 ] || fail "twin $x exit status $rc"
done
! grep -q "SPLIT" "$WORK/a.log" "$WORK/b.log" || fail "a split was declared"
echo "PASS"
