#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A crypto map change reloaded (SIGHUP) on a twin pair, one twin at a
# time: twins A and B (tests/lib/topo_twins.bash, config/ha-{a,b}-ike.conf,
# IKE endpoint the outside VIP) against strongSwan (as in
# ike_failover.sh), which initiates the tunnel 10.2.0.10 <-> 10.1.0.0/16;
# the change adds an ipsec-isakmp entry (seq 20, 10.1.0.0/16 <->
# 10.9.0.0/16) to crypto map to-p.
#   1. A ACTIVE, B STANDBY HOT holding the IKE SA (ike_sas_standby 1);
#   2. B reloaded first: applied (1 entry added, digest sent to the twin);
#      B reports the mismatch naming crypto map to-p (telemetry, "show
#      redundancy", log) and is STANDBY COLD; A logs it too;
#   3. A reloaded: applied; the mismatch is cleared on B, which takes a
#      new bulk sync and is STANDBY HOT again with the IKE SA;
#   (pings every 10 ms through A across both reloads: none lost)
#   4. kill -9 A: B takes over, traffic resumes through B, strongSwan's
#      IKE SA and CHILD_SA are unchanged (no renegotiation), and the
#      outside capture shows no ESP sequence number sent twice per SPI.
# Namespaces tw-ir-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-ir
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan
need_cmd tcpdump

work_dir ike-reload
on_fail() {
	logs_tail 25
	grep -hE "hsrp|sync|reload" "$WORK/a.log" | tail -n 80 | sed "s/^/  A: /"
	echo "  --- charon"
	tail -n 20 "$WORK/sw/charon.log" 2>/dev/null | sed 's/^/    /'
}
twins_ike_up
twins_ike_sw_conf 2s

# The change: one more ipsec-isakmp entry in crypto map to-p.
ENTRY20='}, { seq = 20; type = "ipsec-isakmp"; peer = "192.0.2.3"; transform_set = "t1"; match = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.9.0.0/16"; } ); initiate = "responder"; } ); } );'
for x in a b; do
	sed "s|initiate = \"responder\"; } ); } );|initiate = \"responder\"; $ENTRY20|" \
		"$WORK/$x.conf" >"$WORK/$x-new.conf"
	grep -q 'seq = 20;' "$WORK/$x-new.conf" ||
		fail "config/ha-$x-ike.conf: the end of crypto map to-p's entries not found (has it changed?)"
	"$TWINSECD" -- -f "$WORK/$x-new.conf" --check >"$WORK/check-$x.log" 2>&1 ||
		fail "$x-new.conf does not load: $(cat "$WORK/check-$x.log")"
	cp "$WORK/$x.conf" "$WORK/$x-run.conf"
done

capture_start "$WORK/out.pcap" 'udp port 4500' --immediate-mode -s 128
start a a-run --log-level debug
sleep 1
start b b-run
twins_ike_initiate
before=$(sw_sas)
bulks0=$(rf b bulks_received)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan: $before"

# reload X FILE: FILE becomes X's config, SIGHUP; RELOAD_LINE the result
reload() {
	local x=$1 from p
	eval "p=\$pid_$x"
	from=$(($(wc -l <"$WORK/$x.log") + 1))
	cp "$WORK/$2.conf" "$WORK/$x-run.conf"
	kill -HUP "$p"
	_reload_logged() { tail -n +"$from" "$WORK/$x.log" | grep -q 'twinsec.reload'; }
	wait_until 10 _reload_logged || fail "no reload line in $x's log"
	RELOAD_LINE=$(tail -n +"$from" "$WORK/$x.log" | grep 'twinsec.reload' | head -1)
	echo "   $x: $RELOAD_LINE"
	grep -q 'reloaded: ipsec-isakmp entries: 1 added, 0 removed, 0 changed.*configuration digest sent to the twin and compared again' \
		<<<"$RELOAD_LINE" || fail "$x's reload was not applied as one ipsec-isakmp entry added"
}

ping_bg "$WORK/ping.log"
sleep 1
reload b b-new
wait_rf b my_state "STANDBY COLD" 10
why=$(rf b mismatch)
case "$why" in *"crypto map 'to-p'"*) ;; *) fail "B's mismatch does not name crypto map to-p: '$why'" ;; esac
console "$P-b" "show redundancy" >"$WORK/show-b.txt" 2>&1 || fail "console: $(cat "$WORK/show-b.txt")"
grep -q "Configuration mismatch = .*crypto map 'to-p'" "$WORK/show-b.txt" ||
	fail "show redundancy on B does not report the mismatch: $(cat "$WORK/show-b.txt")"
grep -q "configuration differs from twin twin-a's" "$WORK/b.log" || fail "B did not log the mismatch"
a_logged() { grep -q "configuration differs from twin twin-b's" "$WORK/a.log"; }
wait_until 5 a_logged || fail "A did not log the mismatch"
sleep 2
[ "$(rf b my_state)" = "STANDBY COLD" ] || fail "B left STANDBY COLD with only one twin changed: $(rf b my_state)"
echo "2. B reloaded: STANDBY COLD, show redundancy: $(grep 'Configuration mismatch' "$WORK/show-b.txt" | sed 's/^ *//')"

reload a a-new
wait_rf b mismatch "" 10
wait_rf b my_state "STANDBY HOT" 30
wait_until 10 twins_ike_b_has_ike || fail "B holds $(rf b ike_sas_standby) standby IKE SAs after the resync, wanted 1"
[ "$(rf b bulks_received)" -gt "$bulks0" ] || fail "B took no new bulk sync ($(rf b bulks_received))"
[ "$(rf a my_state)" = ACTIVE ] || fail "A is $(rf a my_state)"
echo "3. A reloaded: mismatch cleared, B STANDBY HOT again after bulk sync $(rf b bulks_received), with the IKE SA"
sleep 2
ping_bg_stop
# Lost: the sequence numbers missing below the last one answered (the
# request in flight when ping is interrupted is not a loss).
got=$(grep -cE 'icmp_seq=[0-9]+ ' "$WORK/ping.log")
lost=$(grep -oE 'icmp_seq=[0-9]+ ' "$WORK/ping.log" | cut -d= -f2 | sort -n |
	awk 'BEGIN { e = 1 } { while (e < $1) { printf "%d ", e; e++ } e = $1 + 1 }')
echo "   pings through A across both reloads: $got answered, lost: ${lost:-none}"
[ "$got" -gt 100 ] && [ -z "$lost" ] ||
	fail "pings lost across the reloads: icmp_seq $lost"
[ "$(sw_sas)" = "$before" ] || fail "strongSwan's SAs changed across the reloads: '$before' -> '$(sw_sas)'"

ping_bg "$WORK/ping4.log"
sleep 2
twin_kill a
wait_rf b my_state ACTIVE 10
replies 4 "through B"
after=$(sw_sas)
[ "$after" = "$before" ] || fail "strongSwan's SAs changed: before '$before', after '$after'"
ping_bg_stop
echo "4. kill -9 A: B ACTIVE ($(rf b takeover_ike_sas) IKE SA taken over), strongSwan's SAs unchanged: $after"
capture_stop
seq_unique "$WORK/out.pcap" udp || fail "sequence numbers reused (above)"
echo "   no outbound sequence number reused per SPI"
twins_stop b
echo "PASS"
