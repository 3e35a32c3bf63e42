#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The twin-pair routing lab (issue 15): the pieces together. The twins
# (tests/lib/twins_ike.bash, strongSwan the peer at 192.0.2.3 protecting
# 10.2.0.10) with control_plane = true on their inside ports (kernel
# interface cp-in, net_tap) and reverse_route = { remote_peer = true;
# tag = 100; metric = 7; }; FRR (zebra, ospfd) in each twin's namespace
# runs over cp-in, redistributing the reverse routes (route-map RRI:
# interface cp-in, tag 100, the crypto map's metric 7). An inside router
# R (tw-ro-r, 10.1.0.20 on the inside LAN, FRR ospfd, DR: the twins have
# priority 0) peers with both twins through their DPDK inside ports and
# announces 10.1.9.0/24, where the inside host HR (10.1.9.10) is: that
# subnet is inside the crypto map's 10.1.0.0/16, so the peer site
# reaches it through the tunnel and the twins' learned OSPF route.
#   1. the adjacencies come up through the exception path (Full at R with
#      both twins); 10.1.9.0/24 is in both twins' fast-path FIB as O;
#   2. tunnel up: R learns 10.2.0.10/32 and 192.0.2.3/32 from the ACTIVE
#      twin only (next hop 10.1.0.1), tag 100, metric 7, within a few
#      seconds; none from the standby (B's ospfd has no LSA of its own);
#      HR (behind R) reaches the peer site and back;
#   3. R withdraws 10.1.9.0/24: gone from both twins' FIB, the peer site
#      no longer reaches 10.1.9.10; announced again: back in both, reached
#      through the tunnel and A's learned route;
#   4. TCP to A's inside address 10.1.0.1 (4 MB, through cp-in) while HR's
#      ping runs through the tunnel on the same port;
#   5. kill -9 A: R learns both from B; measured: kill -> route via B at
#      R, kill -> A's route gone at R, kill -> HR's traffic flowing again
#      (the first two polled every 100 ms: upper bounds);
#   6. the peer site reaches 10.1.9.10 through B.
# OSPF_TIMERS=default (bench: tools/bench-rri): ospfd's default hellos
# (10 s, dead 40 s) on all three instead of 1 s / dead 4 s.
# Namespaces tw-ro-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-ro
SW_NS=$P-p
FRR=/usr/lib/frr
TIMERS=${OSPF_TIMERS:-fast}

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd nc
[ -x "$FRR/zebra" ] && [ -x "$FRR/ospfd" ] && command -v vtysh >/dev/null ||
	skip "FRR not installed (tools/setup installs frr)"

work_dir rri-ospf
on_fail() {
	twins_ike_on_fail
	local x
	for x in a b r; do
		echo "  --- $x: kernel routes"
		ip -n "$P-$x" route 2>&1 | sed 's/^/    /'
		echo "  --- $x: ospf neighbors"
		vty "$x" "show ip ospf neighbor" 2>&1 | sed 's/^/    /'
	done
	for x in a b; do
		echo "  --- $x: show ip route, drops"
		console "$P-$x" "show ip route" 2>&1 | sed 's/^/    /'
		tel "$P-$x" /twinsec/drops 2>&1 | head -c 1500
		echo
		echo "  --- $x: /twinsec/control_plane"
		tel "$P-$x" /twinsec/control_plane 2>&1 | head -c 1500
		echo
	done
	for f in "$WORK"/frr-*/*.out "$WORK"/frr-*/ospfd.log; do
		[ -s "$f" ] && { echo "  --- $f"; tail -n 10 "$f"; }
	done
}

vty() { # a|b|r CMD
	nsx "$P-$1" vtysh --vty_socket "$WORK/frr-$1" -c "$2" 2>>"$WORK/vtysh.err"
}

FRR_PIDS=()
# frr_start a|b|r ROUTER_ID PRIORITY IFACE EXTRA: zebra and ospfd in the
# namespace; EXTRA lines (| separated) end ospfd's router section
frr_start() {
	local x=$1 d=$WORK/frr-$1 l
	mkdir -p "$d" "/var/run/frr/$P-$x"
	chown frr:frr "$d" "/var/run/frr/$P-$x"
	chmod 755 "$WORK"
	{
		echo "hostname $x"
		echo "log file $d/ospfd.log"
		echo "interface $4"
		echo " ip ospf priority $3"
		if [ "$TIMERS" = fast ]; then
			echo " ip ospf hello-interval 1"
			echo " ip ospf dead-interval 4"
		fi
		echo "router ospf"
		echo " ospf router-id $2"
		echo " timers throttle spf 0 50 1000"
		echo " timers throttle lsa all 0"
		echo " timers lsa min-arrival 0"
		echo " network 10.1.0.0/24 area 0"
		IFS='|' read -ra l <<<"$5"
		printf '%s\n' "${l[@]}"
	} >"$d/ospfd.conf"
	echo "hostname $x" >"$d/zebra.conf"
	nsx "$P-$x" "$FRR/zebra" -N "$P-$x" -f "$d/zebra.conf" \
		-i "$d/zebra.pid" -z "$d/zserv.api" --vty_socket "$d" -P 0 \
		>"$d/zebra.out" 2>&1 &
	track $!
	FRR_PIDS+=($!)
	sleep 1
	nsx "$P-$x" "$FRR/ospfd" -N "$P-$x" -f "$d/ospfd.conf" \
		-i "$d/ospfd.pid" -z "$d/zserv.api" --vty_socket "$d" -P 0 \
		>"$d/ospfd.out" 2>&1 &
	track $!
	FRR_PIDS+=($!)
}
# the twins' ospfd: the reverse routes twinsec puts on cp-in, as
# AS-external LSAs with the crypto map's tag and metric
TWIN_OSPF=" redistribute kernel route-map RRI|!|route-map RRI permit 10| match interface cp-in| set tag 100| set metric 7"

RRI="{ remote_peer = true; tag = 100; metric = 7; }"
export RRI
twins_ike_up
unset RRI
at_exit netns_del "$P-r" "$P-hr"
for x in a b; do
	sed -i 's|^\(\t{ name = "inside"; .*address = "10\.1\.0\.[12]/24";\)$|\1 control_plane = true; control_plane_name = "cp-in";|' \
		"$WORK/$x.conf"
	grep -q 'control_plane = true; control_plane_name = "cp-in";' "$WORK/$x.conf" ||
		fail "$x.conf: no control-plane interface set on inside"
done
# R on the inside LAN, HR behind R, 10.9.0.0/16 nowhere (a black hole
# check: R has no default route, so what it reaches it learned)
for ns in "$P-r" "$P-hr"; do
	ip netns add "$ns" || fail "cannot create $ns"
	nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	nsx "$ns" ip link set lo up
done
_twins_link "$P-r" eth0 br-in sw-r
nsx "$P-r" ip addr add 10.1.0.20/24 dev eth0
nsx "$P-r" sysctl -qw net.ipv4.ip_forward=1
ip link add r-h netns "$P-r" type veth peer name eth0 netns "$P-hr" || fail "veth r-h"
nsx "$P-r" ip addr add 10.1.9.1/24 dev r-h
nsx "$P-r" ip link set r-h up
nsx "$P-hr" ip addr add 10.1.9.10/24 dev eth0
nsx "$P-hr" ip link set eth0 up
nsx "$P-hr" ip route add default via 10.1.9.1
twins_ike_sw_conf

start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 20
wait_rf b my_state "STANDBY HOT" 20
for x in a b; do
	nsx "$P-$x" ip -4 addr show dev cp-in | grep -q "inet 10.1.0.[12]/24" ||
		fail "$x: cp-in: $(nsx "$P-$x" ip addr show dev cp-in 2>&1)"
done
frr_start a 10.1.0.1 0 cp-in "$TWIN_OSPF"
frr_start b 10.1.0.2 0 cp-in "$TWIN_OSPF"
frr_start r 10.1.0.20 1 eth0 " network 10.1.9.0/24 area 0"

# 1.
t0=$(now_ms)
full_with() { vty r "show ip ospf neighbor" | grep -q "^$1 .*Full"; }
both_full() { full_with 10.1.0.1 && full_with 10.1.0.2; }
wait_until 90 both_full || fail "R's adjacencies: $(vty r "show ip ospf neighbor")"
echo "1. R Full with both twins through their DPDK ports after $(($(now_ms) - t0)) ms ($TIMERS hellos)"
# show ip route on a twin: the learned route as O
o_route() { console "$P-$1" "show ip route" 2>&1 | grep -Eq '^O +10\.1\.9\.0/24 \[110/[0-9]+\] via 10\.1\.0\.20'; }
for x in a b; do
	wait_until 20 o_route "$x" ||
		fail "$x: show ip route: $(console "$P-$x" "show ip route" 2>&1)"
done
echo "   10.1.9.0/24 via 10.1.0.20 in both twins' fast-path FIB (show ip route: O)"

# 2.
# r_via DST: R's next hops to DST (kernel, from ospfd), sorted
r_via() { ip -n "$P-r" route show "$1" 2>/dev/null | grep -o 'via [0-9.]*' | sort | tr '\n' ' '; }
_r_via_is() { [ "$(r_via "$1")" = "$2" ]; }
sw_start || fail "swanctl --load-all: $(cat "$WORK/sw/load.out")"
swan --initiate --child net >"$WORK/init.out" 2>&1 ||
	fail "swanctl --initiate: $(tail -3 "$WORK/init.out")"
t0=$(now_ms)
for d in 10.2.0.10/32 192.0.2.3/32; do
	wait_until 10 _r_via_is $d "via 10.1.0.1 " ||
		fail "R's route to $d: '$(r_via $d)', wanted via A (10.1.0.1)"
done
t1=$(now_ms)
vty r "show ip route 10.2.0.10/32" >"$WORK/r-route.txt"
grep -q 'Known via "ospf", distance 110, metric 7, tag 100' "$WORK/r-route.txt" ||
	fail "R's route to 10.2.0.10: $(cat "$WORK/r-route.txt")"
vty r "show ip ospf database external" >"$WORK/r-ext.txt"
adv=$(awk '/Advertising Router:/ { print $3 }' "$WORK/r-ext.txt" | sort -u | tr '\n' ' ')
[ "$adv" = "10.1.0.1 " ] || fail "R's external LSAs advertised by '$adv', wanted A only"
[ "$(grep -c 'External Route Tag: 100' "$WORK/r-ext.txt")" = 2 ] &&
	[ "$(grep -c 'Metric: 7$' "$WORK/r-ext.txt")" = 2 ] ||
	fail "R's external LSAs: $(cat "$WORK/r-ext.txt")"
[ "$(ip -n "$P-b" route show proto 213 | grep -c .)" = 0 ] ||
	fail "standby B injected: $(ip -n "$P-b" route show proto 213)"
# the standby's FIB: A's reverse routes learned back through its ospfd
# (O, toward A's inside address): it forwards such traffic to the active
via() { console "$P-$1" "show ip route $2" 2>&1 | sed -n 's/^  Known via "\([^"]*\)".*/\1/p'; }
_via_is() { [ "$(via "$1" "$2")" = "$3" ]; }
wait_until 10 _via_is b 10.2.0.10 ospf ||
	fail "standby B's fast path routes 10.2.0.10 via '$(via b 10.2.0.10)', wanted ospf (A's LSA)"
echo "2. tunnel up: R learned 10.2.0.10/32 and 192.0.2.3/32 via A only, tag 100 metric 7, $((t1 - t0)) ms after the initiate; none from standby B (its FIB: A's routes learned back as O)"
ping_ok "$P-hr" 10.2.0.10 4 -c 5 -i 0.2 -W 1 ||
	fail "HR (behind R) to the peer site: $PING_GOT of 5"
echo "   HR 10.1.9.10 -> R -> A -> tunnel -> 10.2.0.10: $PING_GOT of 5"
# a host on the inside LAN routing through the VIP (HSRP) works beside it
replies 4 "HA 10.1.0.10 -> VIP (A) -> tunnel"

# 3.
peer_ping() { ping_ok "$P-p" 10.1.9.10 "$1" -I 10.2.0.10 -c 3 -i 0.2 -W 1; }
peer_ping 3 || fail "the peer site to 10.1.9.10 through A: $PING_GOT of 3"
t0=$(now_ms)
nsx "$P-r" ip link set r-h down
o_gone() { ! o_route "$1"; }
for x in a b; do
	wait_until 30 o_gone "$x" ||
		fail "10.1.9.0/24 still in $x's FIB: $(console "$P-$x" "show ip route" 2>&1)"
done
echo "3. R withdrew 10.1.9.0/24: gone from both twins' FIB after $(($(now_ms) - t0)) ms"
peer_ping 1 && fail "the peer site still reaches 10.1.9.10 after the withdrawal"
nsx "$P-r" ip link set r-h up
t0=$(now_ms)
for x in a b; do
	wait_until 30 o_route "$x" ||
		fail "10.1.9.0/24 not back in $x's FIB: $(console "$P-$x" "show ip route" 2>&1)"
done
peer_ping 3 || fail "the peer site to 10.1.9.10 after the new announcement: $PING_GOT of 3"
echo "   announced again: in both FIBs after $(($(now_ms) - t0)) ms; the peer site reaches 10.1.9.10 through the tunnel and A's learned route ($PING_GOT of 3)"

# 4.
ip netns exec "$P-hr" stdbuf -oL ping -D -i 0.02 -W 1 10.2.0.10 >"$WORK/ping.log" 2>&1 &
ping_pid=$!
track "$ping_pid"
n_rep() { grep -c 'bytes from' "$WORK/ping.log"; }
five() { [ "$(n_rep)" -ge 5 ]; }
wait_until 5 five || fail "HR's ping through the tunnel: $(n_rep) replies"
n0=$(n_rep)
k0=$(tel_py "$P-a" /twinsec/control_plane "d['inside']['to_kernel_protocol']")
tcp_xfer "$P-r" "$P-a" 10.1.0.1 4000000 ||
	fail "TCP to 10.1.0.1 through cp-in failed"
k1=$(tel_py "$P-a" /twinsec/control_plane "d['inside']['to_kernel_protocol']")
# the transfer takes at least tcp_xfer's 0.5 s wait: 25 pings at 20 ms
n1=$(n_rep)
[ $((n1 - n0)) -ge 10 ] || fail "HR's ping during the TCP transfer: $((n1 - n0)) replies"
echo "4. TCP to A's inside address through cp-in (4 MB, sha256 equal; to-kernel protocol $k0 -> $k1) while HR's ping ran through the tunnel ($((n1 - n0)) replies meanwhile)"

# 5.
sleep 1
t0=$(now_ms)
twin_kill a
via_b() { r_via 10.2.0.10/32 | grep -q 'via 10.1.0.2 '; }
wait_until 60 via_b || fail "R's route to 10.2.0.10 after the kill: '$(r_via 10.2.0.10/32)'"
t1=$(now_ms)
at_t1=$(r_via 10.2.0.10/32)
wait_until 60 _r_via_is 10.2.0.10/32 "via 10.1.0.2 " ||
	fail "R's route to 10.2.0.10: '$(r_via 10.2.0.10/32)', wanted via B only"
wait_until 10 _r_via_is 192.0.2.3/32 "via 10.1.0.2 " ||
	fail "R's route to the peer: '$(r_via 192.0.2.3/32)', wanted via B only"
t2=$(now_ms)
wait_rf b my_state ACTIVE 5
# traffic again: the first reply of HR's ping after the kill
# (ping -D: "[EPOCH.US] 64 bytes from ...", line-buffered)
first_reply() {
	awk -v t="$t0" '/bytes from/ { s = substr($1, 2, length($1) - 2) * 1000; if (s > t) { printf "%.0f\n", s; exit } }' \
		"$WORK/ping.log"
}
flowing() { first_reply | grep -q .; }
wait_until 60 flowing || fail "HR's traffic did not come back after the kill: $(tail -n 3 "$WORK/ping.log")"
t3=$(first_reply)
stop_pid "$ping_pid" INT
echo "5. kill -9 A: route via B at R after $((t1 - t0)) ms (R then: $at_t1), via B only after $((t2 - t0)) ms, HR's traffic flowing again after $((t3 - t0)) ms ($TIMERS hellos; takeover injected $(rf b takeover_rri_routes) reverse routes in $(rf b takeover_rri_us) us)"
echo "FIGURE kill_to_route_ms=$((t1 - t0)) kill_to_route_only_ms=$((t2 - t0)) kill_to_traffic_ms=$((t3 - t0)) timers=$TIMERS"
# B's own reverse routes win over the learned ones (distance 1 < 110) and
# resolve the peer on the outside, not through A's learned peer route
[ "$(via b 10.2.0.10)" = reverse-route ] && [ "$(via b 192.0.2.3)" = reverse-route ] ||
	fail "B's fast path after the takeover: 10.2.0.10 via '$(via b 10.2.0.10)', 192.0.2.3 via '$(via b 192.0.2.3)'"
console "$P-b" "show crypto route" >"$WORK/crypto-route-b.txt" 2>&1
grep -q "^10.2.0.10/255.255.255.255 \[1/7\] via 192.0.2.3 tag 100" "$WORK/crypto-route-b.txt" ||
	fail "show crypto route on B: $(cat "$WORK/crypto-route-b.txt")"
echo "   B's reverse routes win over the learned ones and go out via the peer: $(grep '^10.2.0.10/' "$WORK/crypto-route-b.txt")"
replies_hr() { ping_ok "$P-hr" 10.2.0.10 4 -c 5 -i 0.2 -W 1; }
replies_hr || fail "HR through B: $PING_GOT of 5"
echo "   HR -> R -> B -> tunnel: $PING_GOT of 5"
replies 4 "HA 10.1.0.10 -> VIP (B) -> tunnel"

# 6.
peer_ping 3 || fail "the peer site to 10.1.9.10 through B: $PING_GOT of 3"
echo "6. the peer site reaches 10.1.9.10 through B's tunnel and learned route ($PING_GOT of 3)"

for p in "${FRR_PIDS[@]}"; do stop_pid "$p" TERM 10; done
twins_stop b
echo "PASS"
