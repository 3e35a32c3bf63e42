#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Issue 13 item 5b: an IKE tunnel across switch-side cuts and heals,
# twins A (priority 110) and B (100) (config/ha-{a,b}-ike.conf, IOS-style
# tracking, preempt off, 100/300 ms HSRP timers) against strongSwan (DPD
# every 2 s) in the peer namespace (tests/lib/topo_twins.bash):
#   1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan initiates;
#   2. A's outside link cut on the switch (the higher priority twin):
#      B takes over, answers strongSwan's DPD (the IKE SA's message IDs
#      move on, mirrored to A over the intact sync link) for 7 s;
#   3. A's link back: A stays STANDBY HOT (preempt off, and its stale
#      frames from before the cut do not make B yield); strongSwan's DPD
#      is still answered;
#   4. the same with B (the lower priority twin, now active) cut: A takes
#      over and answers DPD, B heals as standby;
#   5. all along: strongSwan's IKE SA keeps its SPIs and nothing is
#      renegotiated (no "established" line after the first), no request
#      retransmitted, no twin saw a request past its window
#      (rx_msgid_ahead 0), no ESP sequence number reused (ESP in UDP 4500
#      from the VIP).
# Before: the cut twin kept its inside group and stayed RF ACTIVE (its
# af_packet port never reported the cut); at the heal the twins split and
# the IKE state of one of them was thrown away, strongSwan retransmitted
# and renegotiated: steps 2, 3 and 5 fail.
# Namespaces tw-si-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-si
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd tcpdump

work_dir split-ike
on_fail() { twins_ike_on_fail; }

# sw_ok WHAT: strongSwan's IKE SA as at the start, nothing renegotiated,
# no request retransmitted
sw_ok() {
	[ "$(sw_sas | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
		fail "$1: strongSwan's IKE SA changed: before '$before', now '$(sw_sas)'"
	[ "$(negotiations)" = "$neg0" ] ||
		fail "$1: strongSwan negotiated ($neg0 -> $(negotiations) establishments)"
	grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
		fail "$1: strongSwan retransmitted a request"
	return 0
}

# what dpd_answered (tests/lib/twins_ike.bash) reports unchanged
SW_KEPT="IKE SA"

# cut_heal X Y: X (ACTIVE) loses its outside link, Y carries the tunnel
# and answers DPD; X's link back, X stays standby
cut_heal() {
	local x=$1 y=$2
	nsx "$P-sw" ip link set "sw-$x-out" down
	wait_rf "$y" my_state ACTIVE 5
	wait_states "$y" "Active Active" 5
	replies 4 "through $y with $x's outside link cut"
	dpd_answered "$x cut, $y ACTIVE"
	nsx "$P-sw" ip link set "sw-$x-out" up
	wait_rf "$x" my_state "STANDBY HOT" 10
	sleep 1
	[ "$(rf "$y" my_state)" = ACTIVE ] || fail "twin $y: $(rf "$y" my_state) after $x healed"
	case "$(hsrp_states "$x")" in
	*Active*) fail "twin $x holds a VIP as standby: $(hsrp_states "$x")" ;;
	esac
	replies 4 "through $y after $x healed"
	dpd_answered "$x healed, $y still ACTIVE"
}

HELLO=100 HOLD=300 twins_ike_up
twins_ike_sw_conf 2s

capture_start "$WORK/out.pcap" 'udp port 4500' --immediate-mode -s 128
twins_ike_tunnel
before=$(sw_sas)
neg0=$(negotiations)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan: $before"

cut_heal a b
echo "2-3. A (priority 110) cut and healed: B ACTIVE all along, A STANDBY HOT"
cut_heal b a
echo "4. B (priority 100) cut and healed: A ACTIVE all along, B STANDBY HOT"

for x in a b; do
	n=$(tel_py "$P-$x" /twinsec/ike 'd["counters"]["rx_msgid_ahead"]' 2>/dev/null)
	[ "${n:-0}" = 0 ] || fail "twin $x saw $n requests past its IKE window"
done
capture_stop
seq_unique "$WORK/out.pcap" udp || fail "sequence numbers reused (above)"
sw_ok "the end"
echo "5. strongSwan's IKE SA unchanged, nothing renegotiated or retransmitted; no ESP sequence number reused"

twins_stop a b
echo "PASS"
