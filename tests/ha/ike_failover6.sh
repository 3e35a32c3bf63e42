#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# An IKE tunnel over IPv6 transport through a kill -9 failover (issue 18):
# the IPv6 HSRP pair of failover6.sh (config/ha6-{a,b}.conf, the outside
# group's global VIP 2001:db8:ff::fe the tunnel's endpoint), its crypto
# map entry turned ipsec-isakmp (responder), and the peer P a third
# twinsecd initiating IKEv2 to the VIP over IPv6 (config/ha6-peer.conf,
# its entry ipsec-isakmp, initiate = "start"):
#   1. A ACTIVE, B STANDBY HOT; P's IKE SA and Child SA up with the VIP6;
#      B holds the IKE SA as a passive copy; ping6 HA -> HB through it;
#   2. a ping6 every 10 ms; kill -9 of A; B ACTIVE takes the IKE SA over;
#      ping6 through B;
#   3. P renegotiated nothing: one IKE SA set up in its log, the same
#      IKE SPIs and Child SA SPIs in its console before and after;
#   4. the capture of the outside bridge (ESP over IPv6): no sequence
#      number sent twice per SPI from the VIP6; P's replay drops 0.
# Namespaces tw-ik6f-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-ik6f
HB6=2001:db8:2::10
OUT_VIP6=2001:db8:ff::fe
PSK=ike6-failover-lab-key

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir ike-failover6
on_fail() { logs_tail 25; }

# isakmp SRC DST PEER INITIATE: SRC's crypto map (from its crypto_maps
# line to the line that closes it) replaced by one ipsec-isakmp entry
# with SRC's protect rule, and an ike section with a PSK for PEER.
isakmp() {
	"$PYTHON" - "$1" "$2" "$3" "$4" "$PSK" <<'PY' || fail "cannot write $2"
import re, sys
src, dst, peer, initiate, psk = sys.argv[1:]
t = open(src).read()
m = re.search(r'^crypto_maps = \(.*?\); \} \);$', t, re.S | re.M)
name = re.search(r'name = "([^"]+)"', m.group(0)).group(1)
match = re.search(r'match = \(.*?\);', m.group(0)).group(0)
new = ('ike = {\n'
       '\tproposals = ( { name = "p1"; encryption = ["aes-gcm-128"]; '
       'prf = ["sha256"]; dh = [19]; } );\n'
       '\tpre_shared_keys = ( { peer = "%s"; key = "%s"; } );\n'
       '\tdpd = { interval = 10; retries = 5; };\n'
       '};\n'
       'crypto_maps = ( { name = "%s";\n'
       '\treplay_interval = { inbound = 20; outbound = 20; };\n'
       '\tentries = ( {\n'
       '\t\tseq = 10; type = "ipsec-isakmp"; peer = "%s"; '
       'transform_set = "gcm128";\n'
       '\t\t%s\n'
       '\t\tinitiate = "%s"; } ); } );'
       % (peer, psk, name, peer, match, initiate))
open(dst, "w").write(t[:m.start()] + new + t[m.end():])
PY
	chmod 600 "$2"
}

# P's IKE SAs (telemetry /twinsec/ike, one key per SA id): each one's
# SPIs and its Child SAs' SPIs; nothing when it holds none
p_spis() {
	tel_py "$P-p" /twinsec/ike \
		'["%s/%s:%s" % (v["spi_i"], v["spi_r"], v.get("child_spis"))
		  for k, v in sorted(d.items())
		  if isinstance(v, dict) and "spi_i" in v]'
}
# B holds A's IKE SA as a passive copy
b_passive() { [ "$(rf b ike_sas_standby)" = 1 ] && [ "$(rf b ike_sas_active)" = 0 ]; }
p_up() { grep -q "crypto map to-twins seq 10: Child SA up" "$WORK/p.log"; }

twins_up
twins_ipv6
twin_conf ha6-a a0
twin_conf ha6-b b0
isakmp "$WORK/a0.conf" "$WORK/a.conf" 2001:db8:ff::3 responder
isakmp "$WORK/b0.conf" "$WORK/b.conf" 2001:db8:ff::3 responder
isakmp "$ROOT/config/ha6-peer.conf" "$WORK/p.conf" "$OUT_VIP6" start

capture_start "$WORK/out.pcap" 'ip6 proto 50'
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
start p p
check "P's IKE SA and Child SA with the VIP6 over IPv6 are up" \
	wait_until 15 p_up
check "B holds the IKE SA as a passive copy (standby 1, active 0)" \
	wait_until 10 b_passive
ping_ok "$P-ha" "$HB6" 1 -c 3 -i 0.3 -W 2 || true
check "ping6 HA -> HB through A's IKE tunnel (4 of 5 at least)" \
	ping_ok "$P-ha" "$HB6" 4 -c 5 -i 0.2 -W 1
p_spis >"$WORK/spis-before.txt"
echo "1. A ACTIVE, B STANDBY HOT; P's IKE SA/Child SAs: $(cat "$WORK/spis-before.txt")"

ping_bg "$WORK/ping.log" 0.01 "$HB6"
sleep 2
t0=$(date +%s%N)
twin_kill a
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_ike_sas) IKE SA taken over)"
check "B took the IKE SA over ($(rf b takeover_ike_sas))" \
	test "$(rf b takeover_ike_sas)" = 1
sleep 1
check "ping6 HA -> HB through B after the takeover (4 of 5 at least)" \
	ping_ok "$P-ha" "$HB6" 4 -c 5 -i 0.2 -W 1
sleep 1
ping_bg_stop
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'
capture_stop

p_spis >"$WORK/spis-after.txt"
echo "   P's IKE SA/Child SAs after: $(cat "$WORK/spis-after.txt")"
check "P's IKE SA and Child SA SPIs unchanged across the failover" \
	eval '[ -n "$(cat "$WORK/spis-before.txt")" ] &&
	cmp -s "$WORK/spis-before.txt" "$WORK/spis-after.txt"'
n=$(grep -c "up: established as initiator" "$WORK/p.log")
check "P set up one IKE SA in all ($n)" test "$n" = 1
rd=$(drops p replay)
check "P's replay window refused nothing (replay drops $rd)" test "$rd" = 0
check "no ESP sequence number sent twice per SPI from $OUT_VIP6 (ESP over IPv6)" \
	seq_unique "$WORK/out.pcap" esp "$OUT_VIP6"

twins_stop b p
check_summary ike_failover6
