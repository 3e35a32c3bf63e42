#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `make demo` run non-interactively (DEMO_DURATION=0: no closing live
# phase), its figures asserted from its "demo-summary:" line: twins A and B
# (config/twin-{a,b}.conf, HSRP hello 100 ms / hold 300 ms) against a
# twinsec peer (config/twin-peer.conf), IPv4 and IPv6 hosts (one IKE SA,
# a Child SA per inner family); kill -9 of the active under a ping and a
# ping6 every 10 ms and a TCP transfer:
#   - the time without ping replies across the kill under 400 ms (the
#     hold time, 300 ms, plus 100 ms for the takeover, the gratuitous ARPs
#     and the scheduling of this loaded machine), and the same for ping6
#     (HA's gateway the link-local VIP of the inside HSRP IPv6 group 6);
#   - the TCP transfer completes;
#   - the peer's IKE SA keeps its SPIs, 0 IKE or Child SA negotiations;
#     both Child SAs (IPv4, IPv6) kept with their SPIs, B's the same;
#   - 0 ESP sequence numbers reused from the VIP on the capture, the IPv6
#     Child SA's SPI among them (packets from the VIP on it);
#   - ping6 HA -> HB shown through the tunnel before the kill; show
#     standby brief shows the group 6 VIP FE80::5:73FF:FEA0:6;
#   - the old active, restarted, is STANDBY HOT; the demo exits 0;
#   - the consoles: 13 ACTIVE / 8 STANDBY HOT, STANDBY SAs on B, its IKE
#     VIP (show crypto ha), 0 switchovers after A's first start, 1 on B
#     after its takeover; B's ping to the peer's outside address (from
#     the appliance, through ARP): 5 of 5.
# Namespaces tw-demo-*. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"

need_root
need_built "$TWINSECD"
need_cmd iperf3
need_cmd tcpdump
need_python scapy.all

work_dir demo-test
DEMO_DURATION=0 DEMO_XFER=6 "$TOOLS/demo" >"$WORK/demo.out" 2>&1
rc=$?
on_fail() {
	sed 's/^/  | /' "$WORK/demo.out" | tail -n 80
	grep -A1 "NOT OK" "$WORK/demo.out" | sed 's/^/  problem | /'
}
line=$(grep '^demo-summary: ' "$WORK/demo.out")
[ -n "$line" ] || fail "the demo printed no summary (exit $rc)"
echo "  $line"
# field NAME: the value of NAME=... in the summary line
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
gap=$(field gap_ms)
[ "$rc" = 0 ] || fail "tools/demo exited $rc"
[ "$(field problems)" = 0 ] || fail "the demo saw $(field problems) problems"
[ -n "$gap" ] && [ "$gap" -ge 0 ] 2>/dev/null || fail "no ping gap measured ('$gap')"
[ "$gap" -lt 400 ] || fail "the ping gap across the takeover was $gap ms, wanted < 400"
# Not 0 either: the old active was killed, some replies must be missing
# (else the kill did not happen under the ping).
[ "$gap" -gt 100 ] || fail "a ping gap of $gap ms: was the active killed under the ping?"
gap6=$(field gap6_ms)
[ -n "$gap6" ] && [ "$gap6" -ge 0 ] 2>/dev/null || fail "no ping6 gap measured ('$gap6')"
[ "$gap6" -lt 400 ] || fail "the ping6 gap across the takeover was $gap6 ms, wanted < 400"
[ "$gap6" -gt 100 ] || fail "a ping6 gap of $gap6 ms: was the active killed under the ping6?"
[ "$(field children)" = kept ] || fail "the Child SAs were not both kept with their SPIs ($(field children))"
[ "$(field esp6_pkts)" -gt 0 ] 2>/dev/null ||
	fail "no ESP from the VIP on the IPv6 Child SA's SPI on the capture ($(field esp6_pkts))"
grep -q "64 bytes from 2001:db8:2::10: icmp_seq=1 " "$WORK/demo.out" ||
	fail "no ping6 HA -> HB shown before the kill"
grep -q "^ *inside *6 *110 *Active" "$WORK/demo.out" &&
	grep -q "FE80::5:73FF:FEA0:6" "$WORK/demo.out" ||
	fail "show standby brief on A did not show group 6 Active with FE80::5:73FF:FEA0:6"
[ "$(field xfer)" = ok ] || fail "the TCP transfer did not survive the takeover"
[ "$(field renegotiations)" = 0 ] || fail "$(field renegotiations) IKE renegotiations"
[ "$(field reused)" = 0 ] || fail "$(field reused) sequence numbers reused"
[ "$(field back)" = STANDBY_HOT ] || fail "the old active did not come back as STANDBY HOT"
grep -q "B: twinsec.sync: takeover: .* SAs taken over" "$WORK/demo.out" ||
	fail "no takeover line shown live"
grep -q "my state = 13 -ACTIVE" "$WORK/demo.out" &&
	grep -q "my state = 8  -STANDBY HOT" "$WORK/demo.out" ||
	fail "show redundancy states did not show 13 ACTIVE and 8 STANDBY HOT"
grep -q "Status: STANDBY" "$WORK/demo.out" ||
	fail "show crypto ipsec sa standby on B showed no STANDBY SA"
grep -q "IKE VIP: 192.0.2.254" "$WORK/demo.out" ||
	fail "show crypto ha showed no IKE VIP"
grep -q "Success rate is 100 percent (5/5)" "$WORK/demo.out" ||
	fail "B's ping to the peer: $(grep -A3 "ping 192.0.2.3" "$WORK/demo.out")"
# A's first start is no switchover (its count, shown first, is 0); B's
# takeover is one more (under load HSRP may flap, hence "at least")
[ "$(grep -m1 "Switchovers system experienced" "$WORK/demo.out" | tr -d ' ')" = \
	"Switchoverssystemexperienced=0" ] ||
	fail "A's first start counted as a switchover: $(grep Switchovers "$WORK/demo.out")"
[ "$(field switchovers_b)" -ge 1 ] 2>/dev/null ||
	fail "B's takeover not counted as a switchover ($(field switchovers_b))"
# clear crypto sa counters: B's counters from zero, after traffic (the
# last "#pkts encaps" lines, one per SA, 4 (two Child SAs) shown before
# the clear and 4 after): some before not 0, all after 0
enc=$(grep "#pkts encaps" "$WORK/demo.out" | tail -n 8)
grep -q "#pkts encaps: [1-9]" <<<"$(head -n 4 <<<"$enc")" &&
	[ "$(tail -n 4 <<<"$enc" | grep -c "#pkts encaps: 0, #pkts encrypt: 0")" = 4 ] ||
	fail "clear crypto sa counters on B: before/after: $enc"
echo "PASS: takeover gap $gap ms, IPv6 $gap6 ms (< 400), transfer ok, 0 renegotiations, both Child SAs kept, 0 reused, old active STANDBY HOT"
