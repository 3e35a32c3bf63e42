#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Stateful switchover of an IKE-negotiated tunnel: twins A and B
# (tests/lib/topo_twins.bash, config/ha-{a,b}-ike.conf; the outside VIP 192.0.2.254 is the IKE
# endpoint) against strongSwan 5.9.8 (charon, kernel-libipsec, so NAT-T:
# ESP in UDP 4500) in the peer namespace at 192.0.2.3, protecting
# 10.2.0.10 (on its lo):
#   1. A ACTIVE, B STANDBY HOT; strongSwan initiates; host HA pings
#      10.2.0.10 through the tunnel; B holds the IKE SA as a standby copy
#      (telemetry ike_sas_standby, "show crypto isakmp sa" STDBY) and the
#      Child SA's two SAs decoupled;
#   2. pings every 10 ms; kill -9 A: B takes over, traffic resumes;
#      strongSwan's IKE SA keeps its SPIs and unique id, its CHILD_SA the
#      same SPIs (no renegotiation);
#   3. IKE exchanges against the new active: strongSwan's DPD (dpd_delay
#      2s, answered with the synced message IDs and keys, else charon
#      would retransmit and close the IKE SA) and a child rekey forced
#      with swanctl --rekey (CREATE_CHILD_SA): the new CHILD_SA carries
#      traffic;
#   5. relinquish: A restarted is STANDBY HOT with the IKE SA from B's
#      bulk sync; B gives up the role (console redundancy
#      force-switchover): A takes the IKE SA over, B's becomes a standby
#      copy refreshed by A's records; strongSwan keeps its SAs, traffic
#      flows through A, strongSwan's DPD is answered without
#      retransmission;
#   4. (checked last, over both switchovers) the capture of the outside
#      bridge: no ESP sequence number sent twice per SPI from the VIP (ESP
#      in UDP 4500, RFC 3948: a non-zero SPI first; IKE has the zero
#      non-ESP marker).
# Namespaces tw-fi-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-fi
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd tcpdump

work_dir ike-failover
on_fail() { twins_ike_on_fail; }

twins_ike_up
twins_ike_sw_conf 2s

capture_start "$WORK/out.pcap" 'udp port 4500' --immediate-mode -s 128
start a a --log-level debug
sleep 1
start b b --log-level debug
twins_ike_initiate
[ "$(rf a ike_sas_active)" = 1 ] || fail "A runs $(rf a ike_sas_active) IKE SAs, wanted 1"
console "$P-b" "show crypto isakmp sa" >"$WORK/isakmp-b.txt" 2>&1
grep -q "STDBY" "$WORK/isakmp-b.txt" || fail "show crypto isakmp sa on B: $(cat "$WORK/isakmp-b.txt")"
before=$(sw_sas)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA (STDBY) and $(rf b sas_decoupled) SAs decoupled; strongSwan: $before"

ping_bg "$WORK/ping.log"
sleep 2
[ "$(rf b counter_updates_in)" -gt 0 ] || fail "B got no COUNTER_UPDATE for the IKE Child SA"
t0=$(date +%s%N)
twin_kill a
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_sas) SAs, $(rf b takeover_ike_sas) IKE SAs taken over)"
replies 4 "through B"
after=$(sw_sas)
[ "$after" = "$before" ] || fail "strongSwan's SAs changed: before '$before', after '$after'"
echo "   strongSwan's IKE SA and CHILD_SA unchanged: $after"
ping_bg_stop
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'

# 3. IKE exchanges with the new active: strongSwan's DPD (idle > 2 s)
n_dpd0=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
sleep 7
n_dpd=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
[ "$n_dpd" -gt "$n_dpd0" ] || fail "strongSwan sent no DPD after the takeover"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request (unanswered by the new active)"
[ "$(sw_sas | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed after DPD: $(sw_sas)"
echo "3. $((n_dpd - n_dpd0)) DPD exchanges from strongSwan answered by B, no retransmission"
swan --rekey --child net >"$WORK/rekey.out" 2>&1 || fail "swanctl --rekey: $(cat "$WORK/rekey.out")"
wait_until 10 sh -c "grep -q 'INSTALLED (rekeyed by the peer)' '$WORK/b.log'" ||
	fail "B did not install the rekeyed CHILD_SA"
# strongSwan lists the new CHILD_SA (the old one goes once deleted)
new_child() {
	swan --list-sas --raw 2>/dev/null | grep -o 'spi-in=[0-9a-f]*' |
		grep -qv "spi-in=$(echo "$before" | cut -d' ' -f4)"
}
wait_until 10 new_child || fail "strongSwan shows no new CHILD_SA: $(sw_sas)"
rekeyed=$(sw_sas)
[ "$(echo "$rekeyed" | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed: $rekeyed"
replies 4 "   child rekeyed by strongSwan against B ($rekeyed)"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request"

# 5. Relinquish: A comes back (STANDBY HOT, B's IKE SA by bulk sync), then
# B gives the role up from its console: A takes the IKE SA over, B's own
# becomes a passive copy, refreshed by A's records; strongSwan renegotiates
# nothing and its DPD is answered by A.
start a a --log-level debug
wait_rf a my_state "STANDBY HOT" 30
a_has_ike() { [ "$(rf a ike_sas_standby)" = 1 ]; }
wait_until 15 a_has_ike ||
	fail "A holds $(rf a ike_sas_standby) standby IKE SAs after its bulk sync, wanted 1"
before5=$(sw_sas)
children5=$(sw_children)
neg5=$(negotiations)
ping_bg "$WORK/ping5.log"
sleep 2
b_in0=$(rf b ike_add_in)
console "$P-b" "redundancy force-switchover" >"$WORK/con-b.log" 2>&1 ||
	fail "console force-switchover on B: $(cat "$WORK/con-b.log")"
t0=$(date +%s%N)
wait_rf a my_state ACTIVE 15
t1=$(date +%s%N)
wait_rf b my_state "STANDBY HOT" 30
b_passive() {
	[ "$(rf b ike_sas_standby)" = 1 ] && [ "$(rf b ike_sas_active)" = 0 ] &&
		[ "$(rf b ike_add_in)" -gt "$b_in0" ]
}
wait_until 15 b_passive ||
	fail "B after relinquishing: $(rf b ike_sas_active) active, $(rf b ike_sas_standby) standby IKE SAs, $(rf b ike_add_in) IKE records in (had $b_in0)"
[ "$(rf a ike_sas_active)" = 1 ] || fail "A runs $(rf a ike_sas_active) IKE SAs, wanted 1"
[ "$(rf b ike_refused)" = 0 ] || fail "B refused $(rf b ike_refused) IKE SA records"
echo "5. B relinquished (force-switchover): A ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf a takeover_ike_sas) IKE SA taken over); B's IKE SA a standby copy, refreshed by $(( $(rf b ike_add_in) - b_in0 )) records from A"
replies 4 "through A"
# strongSwan renegotiated nothing: the same IKE SA, no CHILD_SA it did
# not have before (the one rekeyed in 3. may have gone meanwhile), no
# negotiation in its log
after5=$(sw_sas)
[ "$(echo "$after5" | cut -d' ' -f1-3)" = "$(echo "$before5" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed across the relinquish: before '$before5', after '$after5'"
installed5=$(sw_children | grep '^INSTALLED ' | cut -d' ' -f2-)
[ -n "$installed5" ] || fail "strongSwan has no installed CHILD_SA: $(sw_children)"
echo "$installed5" | while read -r i o; do
	echo "$children5" | grep -q " $i $o\$" || echo "new CHILD_SA $i/$o"
done | grep -q . && fail "strongSwan has CHILD_SAs it did not have before the relinquish: before '$children5', now '$(sw_children)'"
[ "$(negotiations)" = "$neg5" ] ||
	fail "strongSwan negotiated across the relinquish ($neg5 -> $(negotiations) establishments)"
echo "   strongSwan's IKE SA unchanged, no CHILD_SA negotiated: $(echo "$after5" | cut -d' ' -f1-3), installed $(echo $installed5)"
ping_bg_stop
tail -n 2 "$WORK/ping5.log" | sed 's/^/   /'
n_dpd0=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
sleep 7
n_dpd=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
[ "$n_dpd" -gt "$n_dpd0" ] || fail "strongSwan sent no DPD after the relinquish"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request (unanswered after the relinquish)"
[ "$(sw_sas | cut -d' ' -f1-3)" = "$(echo "$before5" | cut -d' ' -f1-3)" ] &&
	[ "$(negotiations)" = "$neg5" ] ||
	fail "strongSwan's SAs changed after DPD: $(sw_sas), $(negotiations) establishments (had $neg5)"
echo "   $((n_dpd - n_dpd0)) DPD exchanges from strongSwan answered by A, no retransmission"

capture_stop
seq_unique "$WORK/out.pcap" udp || fail "sequence numbers reused (above)"
echo "4. no outbound sequence number reused per SPI (both switchovers)"

twins_stop a b
echo "PASS"
