#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reconnect, then kill (issue 13, item 1), topology from
# tests/lib/topo_twins.bash, manual AES-GCM SAs, nftables on B's end of
# the sync link (SCTP in UDP, port 9899):
#   1. A ACTIVE, B STANDBY HOT, HA pings HB every 10 ms through A;
#   2. the sync link is cut for PART seconds under that traffic: B says
#      Communications Down (its knowledge of A's SAs ends with the last
#      frame it got before the cut); the traffic stops before the heal, so
#      A has no COUNTER_UPDATE to send on the new connection (one would
#      confirm the SA there with A's current number: a sound bound);
#   3. the link heals, but B's BULK_REQUEST (the one 12-byte message, so
#      the one frame of its length B sends) is dropped: a new connection
#      comes up, A's HELLO and keep-alives reach B, the bulk never does;
#      kill -9 A in that window (B never STANDBY HOT again);
#   4. B takes over: the jump of the outbound SA must cover the time since
#      the last frame of the connection its state was confirmed on (at
#      least the cut), not the time since the new connection's last
#      keep-alive (today's code: about the hold time); the log says which
#      connection dated it; traffic resumes; a capture of everything both
#      twins sent shows no (SPI, sequence number) pair twice and the peer
#      refused nothing as a replay.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-rk
PART=4

need_root
need_built "$TWINSECD"
need_cmd nft "nft (nftables) not installed"
need_cmd tcpdump
need_python scapy

work_dir reconnect-kill
on_fail() { logs_tail 25; nsx "$P-b" nft list ruleset 2>/dev/null | sed 's/^/    /'; }

# B's BULK_REQUEST is the one SCTP DATA chunk of 76 bytes it sends (chunk
# header 16 + frame: header 32, message 8 + 4, tag 16); a KEEPALIVE's is
# 80, a HELLO's far longer. The frame is sealed, the chunk header is not:
# nftables matches the chunk first in the packet (UDP 8 + SCTP common
# header 12 bytes in: bit 160) or after a SACK chunk without gap reports
# (16 bytes more: bit 288): type 0 (DATA), length 76.
BR_MATCH=("@th,160,8 0 @th,176,16 76" "@th,288,8 0 @th,304,16 76")

# nft_sync partition | bulk_request | none  (on B's sync link)
nft_sync() {
	nsx "$P-b" nft delete table inet twsync 2>/dev/null
	case $1 in
	none) return 0 ;;
	partition)
		nsx "$P-b" nft -f - <<NFT || fail "nft"
table inet twsync {
	chain in { type filter hook input priority 0; udp dport 9899 drop; }
	chain out { type filter hook output priority 0; udp dport 9899 drop; }
}
NFT
		;;
	bulk_request)
		nsx "$P-b" nft -f - <<NFT || fail "nft"
table inet twsync {
	chain out { type filter hook output priority 0;
		udp dport 9899 ${BR_MATCH[0]} counter drop;
		udp dport 9899 ${BR_MATCH[1]} counter drop; }
}
NFT
		;;
	esac
}
new_conn() { [ "$(rf b sync_connections)" -gt "$1" ]; }
dropped_requests() {
	nsx "$P-b" nft list table inet twsync 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p' |
		awk '{ n += $1 } END { print n + 0 }'
}

twins_up
RI_OUT=20 RI_IN=20
twin_conf ha-a a
twin_conf ha-b b
peer_conf
capture_start "$WORK/out.pcap" 'ip proto 50'

start p p
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 30
echo "1. A ACTIVE, B STANDBY HOT"

# The drop rule relies on how SCTP bundles chunks: when the request gets
# through in another layout, B is HOT again before A dies and the case
# is not exercised; that is found before the kill and the cut tried
# again (at most 3 times), never counted as a pass.
for try in 1 2 3; do
	c0=$(rf b sync_connections)
	bulks0=$(rf b bulks_received)
	ta0=$(rf a relinquishes) tb0=$(rf b takeovers)
	ping_bg "$WORK/ping.log"
	sleep 1
	t_cut=$(date +%s%N)
	nft_sync partition
	wait_rf b communications Down 10
	sleep "$PART"
	ping_bg_stop
	echo "2. sync link cut for $PART s under traffic ($(grep -c 'bytes from' "$WORK/ping.log") pings answered): B Communications Down"
	nft_sync bulk_request
	# B has heard A on a new connection (a frame of it accepted)
	wait_until 15 new_conn "$c0" ||
		fail "no frame from A on a new sync connection in 15 s"
	st=$(rf b my_state)
	# A must have stayed ACTIVE through the cut (the HSRP groups
	# are not touched; a machine too loaded for their 900 ms hold
	# time flaps them, and then A did not carry the SA all along)
	[ "$(rf a relinquishes)" = "$ta0" ] && [ "$(rf b takeovers)" = "$tb0" ] ||
		fail "HSRP moved during the cut (A relinquished $ta0 -> $(rf a relinquishes), B took over $tb0 -> $(rf b takeovers)): the scenario did not hold"
	if [ "$(rf b bulks_received)" = "$bulks0" ] && [ "$st" != "STANDBY HOT" ]; then
		t_kill=$(date +%s%N)
		twin_kill a
		break
	fi
	echo "   attempt $try: B's BULK_REQUEST got through ($st): again"
	[ "$try" -lt 3 ] || fail "B's bulk sync completed before A could be killed, 3 times: the window was missed"
	nft_sync none
	wait_rf b my_state "STANDBY HOT" 30
done
c1=$(rf b sync_connections)
bulks1=$(rf b bulks_received)
req=$(dropped_requests)
echo "3. healed but for B's BULK_REQUEST ($req dropped): connection $c0 -> $c1, B $st, killed A"
[ "$c1" -gt "$c0" ] || fail "no new sync connection ($c0 -> $c1)"
[ "$bulks1" = "$bulks0" ] ||
	fail "the new connection's bulk sync completed as A was killed ($bulks0 -> $bulks1): the window was missed"

wait_rf b my_state ACTIVE 10
nft_sync none
ping_ok "$P-ha" 10.2.0.10 4 -c 5 -i 0.2 -W 1 ||
	fail "traffic did not resume through B ($PING_GOT of 5)"
capture_stop

line=$(grep 'takeover: .* SAs taken over' "$WORK/b.log" | tail -n 1)
jump=$(sed -n 's/.*jumped by at least \([0-9]*\).*/\1/p' <<<"$line")
rate=$(rf b seq_rate_pps)
[ -n "$jump" ] && [ -n "$rate" ] && [ "$rate" -gt 0 ] ||
	fail "no jump or rate: '$line' rate '$rate'"
# sync_seq.h: jump >= interval (20) + RATE x (since + 110 ms) + 65536 over
# B's copy, which its standby mark may exceed by the interval at most
since=$(( (jump - 2 * 20 - 65536) * 1000 / rate - 110 ))
gap=$(( (t_kill - t_cut) / 1000000 ))
echo "4. B ACTIVE, jump $jump at $rate packets/s: B dated its knowledge at least $since ms back; the cut began $gap ms before the kill"
[ "$since" -ge $((gap - 300)) ] ||
	fail "the jump covers $since ms, but A was unheard on the old connection for $gap ms: dated by the new connection's keep-alives"
rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "PASS"
