#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Issue 13: a split brain heals and the twin that holds what the peer
# believes in carries on. Twins A (priority 110) and B (100)
# (config/ha-{a,b}-ike.conf, preempt off, 100/300 ms HSRP timers)
# against strongSwan (DPD every 2 s) in the peer namespace
# (tests/lib/topo_twins.bash):
#   1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan initiates;
#   2. the twins are cut off from each other, both still reach the peer:
#      the switch drops every frame between their ports (HSRP, inside and
#      outside) and B's end of the sync link drops the sync channel. B
#      hears no active router and takes over: both RF ACTIVE. The switch
#      sends what is for the VIPs to B (the MAC table points there: A's
#      ports learn nothing), so the peer talks to B alone;
#   3. during the split strongSwan rekeys the CHILD_SA and then the IKE
#      SA (swanctl --rekey) with B: new SPIs and keys B alone knows, the
#      old ones deleted; pings flow through B;
#   4. heal: the twins hear each other again and see two ACTIVE twins.
#      B, which the peer spoke to last, stays ACTIVE (the rule: newer IKE
#      state before the IOS rank, which would keep A); A yields, says why
#      (show redundancy, log), and resynchronises from B. Asserted: no
#      renegotiation afterwards (strongSwan's IKE and Child SPIs as after
#      the rekeys), no request left unanswered once the rule decided (until
#      then the switch may send strongSwan's request to A: it retransmits),
#      DPD answered, pings flow;
#   5. kill -9 B: A takes over with B's SAs and carries on (same checks);
#   6. all along: no (SPI, sequence number) sent twice on the WAN (ESP
#      in UDP 4500 from the VIP, both twins).
# Before: the IOS rank kept A ACTIVE at the heal with the IKE SA and
# CHILD_SA the peer had deleted: pings died, strongSwan's DPD went
# unanswered and everything was renegotiated (steps 4 and 5 fail).
# Namespaces tw-sh-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-sh
SW_NS=$P-p
VMAC=00:00:0c:9f:f0:01      # HSRP v2 group 1, inside and outside

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd tcpdump
need_cmd nft "nft (nftables) not installed"
need_cmd bridge

work_dir split-heal
on_fail() {
	twins_ike_on_fail
	for x in a b; do
		echo "  --- $x: show redundancy"
		console "$P-$x" "show redundancy" 2>/dev/null | grep -E "state|Split|Comm" |
			sed 's/^/    /'
	done
}

# partition on|off: the twins cannot hear each other (switch and sync
# link), both reach the peer; what is for the VIPs goes to B
partition() {
	local port
	if [ "$1" = on ]; then
		nsx "$P-sw" nft -f - <<-EOF || fail "nft in $P-sw"
		table bridge twheal {
			chain cut {
				type filter hook forward priority 0; policy accept;
				iifname "sw-a-*" oifname "sw-b-*" counter drop
				iifname "sw-b-*" oifname "sw-a-*" counter drop
			}
		}
		EOF
		nsx "$P-b" nft -f - <<-EOF || fail "nft in $P-b"
		table inet twsync {
			chain in { type filter hook input priority 0; iifname "b-sync" drop; }
			chain out { type filter hook output priority 0; oifname "b-sync" drop; }
		}
		EOF
		for port in in out; do
			nsx "$P-sw" bridge link set dev "sw-a-$port" learning off ||
				fail "bridge learning off"
			nsx "$P-sw" bridge fdb replace "$VMAC" dev "sw-b-$port" master static ||
				fail "bridge fdb"
		done
	else
		for port in in out; do
			nsx "$P-sw" bridge fdb del "$VMAC" dev "sw-b-$port" master 2>/dev/null
			nsx "$P-sw" bridge link set dev "sw-a-$port" learning on
		done
		nsx "$P-b" nft delete table inet twsync || fail "nft delete in $P-b"
		nsx "$P-sw" nft delete table bridge twheal || fail "nft delete in $P-sw"
	fi
}

# sw_ok WHAT: strongSwan's SAs as in $want, nothing negotiated since
# $neg0, no request retransmitted since $rtx0
# retransmits: requests strongSwan retransmitted and never got the first
# copy's answer for. A twin that answers late (a loaded box) shows as a
# retransmission plus "received message ID N, expected N+1, ignored" (the
# late answer): not counted; a request a twin dropped (stale IKE state)
# or that went to the twin without the IKE SA is.
retransmits() {
	local r l
	r=$(grep -c "retransmit .* of request" "$WORK/sw/charon.log")
	l=$(grep -c "received message ID .*, expected .*, ignored" "$WORK/sw/charon.log")
	echo $((r - l))
}
sw_ok() {
	[ "$(sw_sas | cut -d' ' -f2-5)" = "$(echo "$want" | cut -d' ' -f2-5)" ] ||
		fail "$1: strongSwan's SAs changed: wanted '$want', now '$(sw_sas)'"
	[ "$(negotiations)" = "$neg0" ] ||
		fail "$1: strongSwan negotiated ($neg0 -> $(negotiations) establishments)"
	[ "$(retransmits)" = "$rtx0" ] ||
		fail "$1: strongSwan retransmitted a request nobody answered ($rtx0 -> $(retransmits))"
	return 0
}

HELLO=100 HOLD=300 twins_ike_up
twins_ike_sw_conf 2s

capture_start "$WORK/out.pcap" 'udp port 4500' --immediate-mode -s 128
twins_ike_tunnel
before=$(sw_sas)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan: $before"

partition on
wait_rf b my_state ACTIVE 5
sleep 2
[ "$(rf a my_state)" = ACTIVE ] || fail "twin A: $(rf a my_state) during the partition"
replies 4 "through B during the partition"
echo "2. partition: A and B both RF ACTIVE, the peer reaches B"

swan --rekey --child net >"$WORK/rekey.out" 2>&1 || fail "swanctl --rekey --child: $(cat "$WORK/rekey.out")"
new_child() {
	[ "$(sw_children | grep -c INSTALLED)" = 1 ] &&
		[ "$(sw_sas | cut -d' ' -f4)" != "$(echo "$before" | cut -d' ' -f4)" ]
}
wait_until 10 new_child || fail "strongSwan shows no single new CHILD_SA: $(sw_children)"
swan --rekey --ike tw >"$WORK/rekey-ike.out" 2>&1 || fail "swanctl --rekey --ike: $(cat "$WORK/rekey-ike.out")"
new_ike() {
	local s
	s=$(sw_sas)
	[ "$(echo "$s" | cut -d' ' -f2)" != "$(echo "$before" | cut -d' ' -f2)" ] &&
		[ "$(swan --list-sas --raw 2>/dev/null | grep -o 'initiator-spi=' | wc -l)" = 1 ]
}
wait_until 10 new_ike || fail "strongSwan did not rekey its IKE SA: $(sw_sas)"
grep -q "IKE SA .*rekeyed by the peer" "$WORK/b.log" || fail "B did not log the IKE SA rekey"
sleep 1
want=$(sw_sas)
neg0=$(negotiations)
replies 4 "through B after the rekeys"
echo "3. strongSwan rekeyed the CHILD_SA and the IKE SA with B: $before -> $want"

partition off
t0=$(now_ms)
a_left() { [ "$(rf a my_state)" != ACTIVE ]; }
wait_until 10 a_left || fail "twin A is still ACTIVE 10 s after the heal"
t1=$(now_ms)
wait_until 10 _rf_is a my_state "STANDBY HOT" ||
	fail "twin A is $(rf a my_state) after the heal, wanted STANDBY HOT (B has the peer's SAs)"
echo "   A left ACTIVE $((t1 - t0)) ms after the heal (HSRP and the sync link back)"
[ "$(rf b my_state)" = ACTIVE ] || fail "twin B: $(rf b my_state) after the heal"
[ "$(rf a splits_lost)" = 1 ] || fail "twin A: splits_lost $(rf a splits_lost), wanted 1"
[ "$(rf b splits_won)" = 1 ] || fail "twin B: splits_won $(rf b splits_won), wanted 1"
for x in a b; do
	rule=$(rf "$x" split_rule)
	case $rule in
	"newer IKE state: a peer spoke to "*) ;;
	*) fail "twin $x: split decided by '$rule', wanted the newer IKE state" ;;
	esac
	grep -q "SPLIT BRAIN: twin .*newer IKE state" "$WORK/$x.log" ||
		fail "twin $x did not log the rule of the split"
	console "$P-$x" "show redundancy" >"$WORK/show-$x.txt" 2>&1
	grep -q "^Split brain = .*newer IKE state" "$WORK/show-$x.txt" ||
		fail "show redundancy on $x: $(grep Split "$WORK/show-$x.txt")"
done
echo "   A: $(grep "^Split brain" "$WORK/show-a.txt")"
# Until the rule decided, the switch sent the VIP's frames to whichever
# twin claimed its MAC last: a request of strongSwan's that reached A then
# is retransmitted 1 s later (retransmit_timeout) and answered by B. None
# from here on.
sleep 1.5
rtx0=$(retransmits)
echo "   strongSwan retransmitted $rtx0 requests during the split and the heal"
a_synced() { [ "$(rf a ike_sas_standby)" = 1 ]; }
wait_until 10 a_synced || fail "A holds $(rf a ike_sas_standby) standby IKE SAs after its bulk sync, wanted 1"
replies 4 "through B after the heal"
dpd_answered "healed, B ACTIVE"
case "$(hsrp_states a)" in
*Active*) fail "twin A holds a VIP as standby: $(hsrp_states a)" ;;
esac
echo "4. healed: B (the peer spoke to it last) stayed ACTIVE, A yielded and resynchronised; nothing renegotiated"

twin_kill b
wait_rf a my_state ACTIVE 10
# A request of strongSwan's that B took with it is retransmitted after
# 1 s (retransmit_timeout) and answered by A (same message ID); none after
r0=$rtx0
sleep 1.5
rtx0=$(retransmits)
echo "   strongSwan retransmitted $((rtx0 - r0)) requests across the kill -9"
replies 4 "through A after kill -9 of B"
dpd_answered "B killed, A ACTIVE"
echo "5. kill -9 B: A carries the rekeyed SAs on"

capture_stop
seq_unique "$WORK/out.pcap" udp || fail "sequence numbers reused (above)"
sw_ok "the end"
echo "6. no ESP sequence number reused on the WAN"

twins_stop a
echo "PASS"
