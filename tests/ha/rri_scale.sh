#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reverse route injection at scale: twins A and B (tests/lib/topo_twins.bash,
# config/ha-{a,b}.conf) with 1000 more manual crypto map entries
# (N_EXTRA_SAS: remote subnets 10.100.0.0/24 ... , 100 peers shared by ten
# entries each), every entry with reverse_route = { remote_peer = true; }.
# Each twin namespace has an interface "inside" (a veth pair) for the
# kernel side.
#   1. A ACTIVE: 1102 reverse routes (1001 subnets, 101 peers: a peer's
#      host route is counted once however many entries share it) in its
#      RIB and kernel; standby B: none;
#   2. kill -9 A: B's takeover injects all 1102 (fast path and kernel);
#      measured: the takeover's time, its reverse routes' share, kill to
#      B's kernel holding them all;
#   3. SIGTERM to B: its SAs go, and every kernel route with them.
# Namespaces tw-rs-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-rs
N=1000
WANT=$((N + 1 + 100 + 1))

need_root
need_built "$TWINSECD"

work_dir rri-scale
on_fail() { logs_tail 20; }

route_tel() { tel_py "$P-$1" /twinsec/route 'd.get(args[0], "")' "$2"; }
n_kroutes() { ip -n "$P-$1" route show proto 213 | grep -c .; }
_n_kroutes_is() { [ "$(n_kroutes "$1")" = "$2" ]; }

twins_up
for x in a b; do
	nsx "$P-$x" ip link add inside type veth peer name inside-k ||
		fail "interface inside in $x"
	nsx "$P-$x" ip link set inside up
	nsx "$P-$x" ip link set inside-k up
done
RRI="{ remote_peer = true; }" N_EXTRA_SAS=$N MAX_SAS=$((2 * N + 64)) twin_conf ha-a a
RRI="{ remote_peer = true; }" N_EXTRA_SAS=$N MAX_SAS=$((2 * N + 64)) twin_conf ha-b b
[ "$(grep -c 'reverse_route = { remote_peer = true; };' "$WORK/a.conf")" = $((N + 1)) ] ||
	fail "a.conf: $(grep -c reverse_route "$WORK/a.conf") entries with reverse_route"

start a a
wait_rf a my_state ACTIVE 60
start b b
wait_rf b my_state "STANDBY HOT" 120
wait_until 10 _n_kroutes_is a "$WANT" || fail "A's kernel routes: $(n_kroutes a), wanted $WANT"
[ "$(route_tel a rri_now)" = "$WANT" ] || fail "A: rri_now $(route_tel a rri_now), wanted $WANT"
[ "$(route_tel a rri_errors)" = 0 ] && [ "$(route_tel a kernel_errors)" = 0 ] ||
	fail "A: $(route_tel a rri_errors) RRI errors, $(route_tel a kernel_errors) kernel errors"
[ "$(n_kroutes b)" = 0 ] && [ "$(route_tel b rri_now)" = 0 ] ||
	fail "standby B: $(n_kroutes b) kernel routes, rri_now $(route_tel b rri_now)"
echo "1. A ACTIVE: $WANT reverse routes in its RIB and kernel ($(route_tel a rib_routes) routes in the RIB); standby B: none"

t0=$(now_ms)
twin_kill a
wait_until 20 _n_kroutes_is b "$WANT" || fail "B's kernel routes after the kill: $(n_kroutes b), wanted $WANT"
t1=$(now_ms)
wait_rf b my_state ACTIVE 10
[ "$(rf b takeover_rri_routes)" = "$WANT" ] ||
	fail "B's takeover injected $(rf b takeover_rri_routes) routes, wanted $WANT"
[ "$(route_tel b rri_now)" = "$WANT" ] || fail "B: rri_now $(route_tel b rri_now)"
echo "2. kill -9 A: B's takeover of $(rf b takeover_sas) SAs took $(rf b takeover_us) us, of which $(rf b takeover_rri_routes) reverse routes $(rf b takeover_rri_us) us; all in B's kernel $((t1 - t0)) ms after the kill"

twins_stop b
[ "$(n_kroutes b)" = 0 ] || fail "B stopped, $(n_kroutes b) kernel routes left"
echo "3. SIGTERM to B: its $WANT kernel routes withdrawn with its SAs"
echo "PASS"
