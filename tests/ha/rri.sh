#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reverse route injection on the twins (tests/lib/twins_ike.bash: twins A
# and B with config/ha-{a,b}-ike.conf, their entry given reverse_route =
# { remote_peer = true; tag = 100; metric = 7; }, strongSwan the peer at
# 192.0.2.3 protecting 10.2.0.10/32). Each twin namespace has an
# interface "inside" (a veth pair, no dummy module here), standing for
# the inside port's control-plane interface (the kernel side of RRI goes
# there), and FRR (zebra, ospfd: "redistribute kernel route-map RRI",
# matching interface inside, setting tag 100) announcing what it finds:
# its own AS-external LSAs show what the inside network would learn.
#   0. B's namespace holds a route of protocol 213 (twinsec) from "a
#      previous run": B removes it at start;
#   1. A ACTIVE, B STANDBY HOT, tunnel up: A holds the two reverse routes
#      (10.2.0.10/32 and the peer's host route) in its fast path ("show
#      ip route 10.2.0.10": known via reverse-route, tag 100) and in the
#      kernel (proto 213 on "inside", metric 7, realm 100), and A's ospfd
#      announces both with tag 100; B holds none (fast path: the static
#      route; kernel: nothing; ospfd: no external LSA);
#   2. kill -9 A: B takes over and injects both as part of the takeover
#      (telemetry takeover_rri_routes, its log line); measured: kill to
#      B's kernel routes present, and to B's ospfd announcing them;
#      traffic flows through B; a CHILD_SA rekey moves no route;
#   3. A restarts (STANDBY): the routes its killed run left in its
#      namespace are removed at start; it injects nothing;
#   4. B relinquishes (console redundancy force-switchover): A takes over
#      and injects both (fast path, kernel, ospfd), B withdraws both;
#   5. clear crypto sa on A: the Child SA goes, both routes are withdrawn
#      from A's fast path and kernel, and A's ospfd flushes its LSAs.
# Namespaces tw-rr-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-rr
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd vtysh "FRR not installed (tools/setup: frr)"
[ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/ospfd ] ||
	skip "FRR's zebra and ospfd not in /usr/lib/frr (tools/setup: frr)"

work_dir rri
on_fail() {
	twins_ike_on_fail
	for x in a b; do
		echo "  --- kernel routes of $x"
		ip -n "$P-$x" route show proto 213 2>&1 | sed 's/^/    /'
		echo "  --- $x: routes, roles, SAs"
		grep -E "reverse route|kernel route|RF:|takeover|relinquish|sadb" \
			"$WORK/$x.log" 2>/dev/null | tail -n 30 | sed 's/^/    /'
	done
}

# kroutes a|b: the twin namespace's kernel routes of protocol twinsec
kroutes() { ip -n "$P-$1" route show proto 213 | sort; }
n_kroutes() { kroutes "$1" | grep -c .; }
_n_kroutes_is() { [ "$(n_kroutes "$1")" = "$2" ]; }
route_tel() { tel_py "$P-$1" /twinsec/route 'd.get(args[0], "")' "$2"; }
# frr_start a|b ROUTER_ID: zebra and ospfd in the twin's namespace
frr_start() {
	local d=$WORK/frr-$1 x
	mkdir -p "$d" && chmod 777 "$d" || fail "cannot make $d"
	printf 'hostname %s-zebra\nlog file %s/zebra.log\n' "$1" "$d" >"$d/zebra.conf"
	printf '%s\n' "hostname $1-ospfd" "log file $d/ospfd.log" \
		"route-map RRI permit 10" " match interface inside" \
		" set tag 100" "!" "router ospf" " ospf router-id $2" \
		" redistribute kernel route-map RRI" "!" >"$d/ospfd.conf"
	for x in zebra ospfd; do
		nsx "$P-$1" "/usr/lib/frr/$x" -d -u frr -g frr -f "$d/$x.conf" \
			-i "$d/$x.pid" -z "$d/zserv.api" --vty_socket "$d" \
			>"$d/$x.out" 2>&1 || fail "$x in $1: $(cat "$d/$x.out")"
		wait_until 5 test -s "$d/$x.pid" || fail "$x in $1 wrote no pid file"
		track "$(cat "$d/$x.pid")"
	done
}
# ospf_ext a|b: the twin's live AS-external LSAs, "PREFIX/LEN tag T" a line
ospf_ext() {
	ip netns exec "$P-$1" vtysh --vty_socket "$WORK/frr-$1" \
		-c "show ip ospf database external" 2>/dev/null | awk '
		/LS age:/ { age = $3 }
		/Link State ID:/ { id = $4 }
		/Network Mask:/ { len = $3 }
		/External Route Tag:/ { if (age < 3600) print id len " tag " $4 }' |
		sort
}
_ospf_n_is() { [ "$(ospf_ext "$1" | grep -c .)" = "$2" ]; }
# via a|b A.B.C.D: how the twin's fast path routes A ("Known via" line)
via() { console "$P-$1" "show ip route $2" 2>&1 | sed -n 's/^  Known via "\([^"]*\)".*/\1/p'; }

RRI="{ remote_peer = true; tag = 100; metric = 7; }"
export RRI
twins_ike_up
unset RRI
grep -q 'reverse_route = { remote_peer = true; tag = 100; metric = 7; };' "$WORK/a.conf" ||
	fail "a.conf has no reverse_route"
for x in a b; do
	nsx "$P-$x" ip link add inside type veth peer name inside-k ||
		fail "interface inside in $x"
	nsx "$P-$x" ip link set inside up
	nsx "$P-$x" ip link set inside-k up
done
chmod 755 "$WORK"
frr_start a 10.1.0.1
frr_start b 10.1.0.2
nsx "$P-b" ip route add 10.99.0.0/16 dev inside proto 213 || fail "stale route in B"
twins_ike_sw_conf

start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
[ "$(n_kroutes b)" = 0 ] || fail "B kept the stale route: $(kroutes b)"
[ "$(route_tel b kernel_flushed)" = 1 ] || fail "B flushed $(route_tel b kernel_flushed) routes, wanted 1"
echo "0. B removed the route of protocol 213 left in its namespace"

sw_start || fail "swanctl --load-all: $(cat "$WORK/sw/load.out")"
swan --initiate --child net >"$WORK/init.out" 2>&1 ||
	fail "swanctl --initiate: $(tail -3 "$WORK/init.out")"
replies 4 "through A"
wait_until 5 _n_kroutes_is a 2 || fail "A's kernel routes: '$(kroutes a)', wanted 2"
kroutes a >"$WORK/kr-a.txt"
grep -q '^10\.2\.0\.10 dev inside scope link metric 7 realm 100' "$WORK/kr-a.txt" ||
	fail "A's kernel route to 10.2.0.10: $(cat "$WORK/kr-a.txt")"
grep -q '^192\.0\.2\.3 dev inside scope link metric 7 realm 100' "$WORK/kr-a.txt" ||
	fail "A's kernel route to the peer: $(cat "$WORK/kr-a.txt")"
[ "$(via a 10.2.0.10)" = reverse-route ] || fail "A's fast path routes 10.2.0.10 via '$(via a 10.2.0.10)'"
[ "$(via a 192.0.2.3)" = reverse-route ] || fail "A's fast path routes the peer via '$(via a 192.0.2.3)'"
console "$P-a" "show ip route 10.2.0.10" >"$WORK/route-a.txt" 2>&1
grep -q "^  Tag 100, type reverse-route" "$WORK/route-a.txt" ||
	fail "show ip route 10.2.0.10 on A: $(cat "$WORK/route-a.txt")"
console "$P-a" "show crypto route" >"$WORK/crypto-route-a.txt" 2>&1
grep -q "^10.2.0.10/255.255.255.255 \[1/7\] via 192.0.2.3 tag 100" "$WORK/crypto-route-a.txt" ||
	fail "show crypto route on A: $(cat "$WORK/crypto-route-a.txt")"
[ "$(route_tel a rri_now)" = 2 ] || fail "A: rri_now $(route_tel a rri_now)"
wait_until 5 _ospf_n_is a 2 || fail "A's ospfd announces '$(ospf_ext a)', wanted 2 LSAs"
[ "$(ospf_ext a | tr '\n' ';')" = "10.2.0.10/32 tag 100;192.0.2.3/32 tag 100;" ] ||
	fail "A's ospfd announces '$(ospf_ext a)'"
# the standby: SAs decoupled, no route anywhere
[ "$(n_kroutes b)" = 0 ] || fail "standby B has kernel routes: $(kroutes b)"
[ "$(route_tel b rri_now)" = 0 ] || fail "standby B: rri_now $(route_tel b rri_now)"
[ "$(via b 10.2.0.10)" = static ] || fail "B's fast path routes 10.2.0.10 via '$(via b 10.2.0.10)'"
[ "$(via b 192.0.2.3)" = connected ] || fail "B's fast path routes the peer via '$(via b 192.0.2.3)'"
_ospf_n_is b 0 || fail "standby B's ospfd announces '$(ospf_ext b)'"
echo "1. A ACTIVE: 2 reverse routes in its fast path and kernel ($(tr '\n' ';' <"$WORK/kr-a.txt")), announced by its ospfd ($(ospf_ext a | tr '\n' ';')); standby B: none"

# traffic through the failover (HA pings HB every 10 ms)
ping_bg "$WORK/ping.log"
sleep 1
t0=$(now_ms)
twin_kill a
wait_until 10 _n_kroutes_is b 2 || fail "B's kernel routes after the kill: '$(kroutes b)'"
t1=$(now_ms)
wait_until 10 _ospf_n_is b 2 || fail "B's ospfd announces '$(ospf_ext b)' after the takeover"
t2=$(now_ms)
wait_rf b my_state ACTIVE 5
[ "$(rf b takeover_rri_routes)" = 2 ] || fail "B's takeover injected $(rf b takeover_rri_routes) routes"
grep -q "takeover: .* 2 reverse routes injected in" "$WORK/b.log" ||
	fail "no reverse routes in B's takeover line: $(grep 'takeover:' "$WORK/b.log")"
[ "$(via b 10.2.0.10)" = reverse-route ] || fail "B's fast path routes 10.2.0.10 via '$(via b 10.2.0.10)'"
echo "2. kill -9 A: B's kernel routes present $((t1 - t0)) ms after the kill, announced by B's ospfd after $((t2 - t0)) ms; the takeover injected $(rf b takeover_rri_routes) in $(rf b takeover_rri_us) us (takeover $(rf b takeover_us) us)"
ping_bg_stop
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'
replies 4 "through B"
# a rekey installs the new SA before the old one goes: no flap
inj0=$(route_tel b rri_injected)
wd0=$(route_tel b rri_withdrawn)
swan --rekey --child net >"$WORK/rekey.out" 2>&1 || fail "swanctl --rekey: $(cat "$WORK/rekey.out")"
wait_until 10 grep -q 'INSTALLED (rekeyed by the peer)' "$WORK/b.log" ||
	fail "B did not install the rekeyed CHILD_SA"
old_gone() { [ "$(sw_children | grep -c '^INSTALLED ')" = 1 ]; }
wait_until 10 old_gone || fail "strongSwan's CHILD_SAs after the rekey: $(sw_children)"
[ "$(route_tel b rri_withdrawn)" = "$wd0" ] && [ "$(route_tel b rri_injected)" = "$inj0" ] ||
	fail "the rekey moved routes: injected $inj0 -> $(route_tel b rri_injected), withdrawn $wd0 -> $(route_tel b rri_withdrawn)"
[ "$(n_kroutes b)" = 2 ] && _ospf_n_is b 2 ||
	fail "after the rekey: kernel '$(kroutes b)', ospfd '$(ospf_ext b)'"
echo "   CHILD_SA rekeyed by strongSwan against B: routes stayed (none withdrawn or injected again)"

# A's killed run left its kernel routes (the veth outlives it; a
# control-plane interface the process owns goes with it, and the kernel
# drops its routes with it)
[ "$(n_kroutes a)" = 2 ] || fail "A's namespace: '$(kroutes a)' after the kill, wanted its 2 routes"
start a a
wait_rf a my_state "STANDBY HOT" 20
[ "$(n_kroutes a)" = 0 ] || fail "restarted A kept routes: $(kroutes a)"
[ "$(route_tel a kernel_flushed)" = 2 ] || fail "A flushed $(route_tel a kernel_flushed) routes"
[ "$(route_tel a rri_now)" = 0 ] || fail "standby A: rri_now $(route_tel a rri_now)"
wait_until 5 _ospf_n_is a 0 || fail "standby A's ospfd announces '$(ospf_ext a)'"
echo "3. A restarted as standby: the 2 routes of its killed run removed, none injected"

# B relinquishes (console force-switchover): A injects, B withdraws
b_w0=$(route_tel b rri_withdrawn)
console "$P-b" "redundancy force-switchover" >"$WORK/swact-b.txt" 2>&1 ||
	fail "force-switchover on B: $(cat "$WORK/swact-b.txt")"
wait_rf a my_state ACTIVE 15
wait_until 5 _n_kroutes_is a 2 || fail "A's kernel routes after the switchover: '$(kroutes a)'"
wait_until 5 _n_kroutes_is b 0 || fail "B's kernel routes after relinquishing: '$(kroutes b)'"
[ "$(rf a takeover_rri_routes)" = 2 ] || fail "A's takeover injected $(rf a takeover_rri_routes) routes"
[ "$(route_tel b rri_now)" = 0 ] && [ "$(route_tel b rri_withdrawn)" = $((b_w0 + 2)) ] ||
	fail "B after relinquishing: rri_now $(route_tel b rri_now), withdrawn $(route_tel b rri_withdrawn) (had $b_w0)"
[ "$(via b 10.2.0.10)" = static ] || fail "B's fast path routes 10.2.0.10 via '$(via b 10.2.0.10)' after relinquishing"
[ "$(via a 10.2.0.10)" = reverse-route ] || fail "A's fast path routes 10.2.0.10 via '$(via a 10.2.0.10)'"
wait_until 5 _ospf_n_is a 2 || fail "A's ospfd announces '$(ospf_ext a)' after the switchover"
wait_until 5 _ospf_n_is b 0 || fail "B's ospfd still announces '$(ospf_ext b)' after relinquishing"
echo "4. B relinquished (force-switchover): A injected 2 in $(rf a takeover_rri_us) us, B withdrew both (fast path, kernel, ospfd)"
replies 4 "through A"

console "$P-a" "clear crypto sa" >"$WORK/clear-a.txt" 2>&1 ||
	fail "clear crypto sa on A: $(cat "$WORK/clear-a.txt")"
wait_until 5 _n_kroutes_is a 0 || fail "A's kernel routes after clear crypto sa: '$(kroutes a)'"
[ "$(route_tel a rri_now)" = 0 ] || fail "A: rri_now $(route_tel a rri_now) after clear crypto sa"
[ "$(route_tel a rri_withdrawn)" = 2 ] || fail "A withdrew $(route_tel a rri_withdrawn) routes"
[ "$(via a 10.2.0.10)" = static ] || fail "A's fast path routes 10.2.0.10 via '$(via a 10.2.0.10)' after clear"
wait_until 5 _ospf_n_is a 0 || fail "A's ospfd still announces '$(ospf_ext a)' after clear crypto sa"
echo "5. clear crypto sa on A: both routes withdrawn (fast path: static again; kernel: none; ospfd: LSAs flushed)"

twins_stop a b
echo "PASS"
