#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The sync channel under faults, nftables on B's end of the sync link
# (SCTP in UDP, port 9899), topology from tests/lib/topo_twins.bash:
#   1. 20 % random loss each way: B still reaches STANDBY HOT, and with
#      traffic flowing its copy stays consistent (its outbound sequence
#      number within the replay interval of A's once traffic stops);
#   2. partition: B shows Communications Down and goes STANDBY COLD
#      (keeping its SAs); heal: bulk resync, STANDBY HOT again;
#   3. wrong key on B: nothing accepted (bad tags counted on A), B never
#      HOT, A's log says to check redundancy.security.key;
#   4. partition again, kill -9 A: B takes over with the state it had,
#      traffic resumes, no ESP sequence number reused per SPI.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-sf

need_root
need_built "$TWINSECD"
need_cmd nft "nft (nftables) not installed"
need_cmd tcpdump
need_python scapy

work_dir sync-faults
on_fail() { logs_tail 20; }

# nft_sync loss PERCENT | partition | none  (on B's sync link, both ways)
nft_sync() {
	local rule
	nsx "$P-b" nft delete table inet twsync 2>/dev/null
	case $1 in
	none) return 0 ;;
	partition) rule="udp dport 9899 drop" ;;
	*) rule="udp dport 9899 numgen random mod 100 < $1 drop" ;;
	esac
	nsx "$P-b" nft -f - <<NFT || fail "nft"
table inet twsync {
	chain in { type filter hook input priority 0; $rule; }
	chain out { type filter hook output priority 0; $rule; }
}
NFT
}
# seq_of a|b SPI: the sequence number of the outbound SA (fast path or held)
seq_of() {
	tel "$P-$1" --sas | "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)
def walk(o):
    if isinstance(o, dict):
        if o.get("spi") == sys.argv[1] and o.get("dir") == "out" and "seq" in o:
            print(o["seq"]); sys.exit(0)
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(d)' "$2"
}

twins_up
RI_OUT=20 RI_IN=20
twin_conf ha-a a
twin_conf ha-b b-good
SYNC_KEY="not-the-same-key-0123456789abcdef" twin_conf ha-b b-badkey
peer_conf
capture_start "$WORK/out.pcap" 'ip proto 50'

nft_sync 20
start p p
start a a
sleep 1
start b b-good
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 40
ip netns exec "$P-ha" ping -c 300 -i 0.01 -W 1 -q 10.2.0.10 >/dev/null 2>&1
sleep 3
sa=$(seq_of a 0x00001001) sb=$(seq_of b 0x00001001)
echo "1. 20 % loss: B STANDBY HOT; after 300 pings A's outbound seq $sa, B holds $sb ($(rf b transport_retransmits) SCTP retransmissions)"
[ -n "$sa" ] && [ -n "$sb" ] || fail "no sequence numbers read"
[ $((sa - sb)) -le 20 ] && [ "$sb" -le "$sa" ] || fail "B's copy is not within the replay interval of A's"
nft_sync none

nft_sync partition
wait_rf b communications Down 15
wait_rf b my_state "STANDBY COLD" 5
echo "2. partition: B Communications Down, STANDBY COLD, holding $(rf b sas_decoupled) SAs"
nft_sync none
wait_rf b my_state "STANDBY HOT" 30
echo "   healed: STANDBY HOT again ($(rf b bulks_received) bulk syncs received)"

twin_kill b
start b b-badkey
sleep 6
[ "$(rf b my_state)" != "STANDBY HOT" ] || fail "B is HOT with a wrong key"
bad=$(rf a frames_bad_tag)
[ "${bad:-0}" -gt 0 ] || fail "A counted no bad tags"
grep -q "is redundancy.security.key the same on both twins" "$WORK/a.log" ||
	fail "A did not say to check the key"
echo "3. wrong key: B $(rf b my_state), A refused $bad frames with bad tags:"
grep "is redundancy.security.key the same" "$WORK/a.log" | tail -n 1 | sed 's/^[^:]*: /   /'
twin_kill b
start b b-good
wait_rf b my_state "STANDBY HOT" 30

ping_bg "$WORK/ping.log"
sleep 1
nft_sync partition
wait_rf b my_state "STANDBY COLD" 15
sleep 1
twin_kill a
wait_rf b my_state ACTIVE 10
ping_ok "$P-ha" 10.2.0.10 4 -c 5 -i 0.2 -W 1 ||
	fail "traffic did not resume through B ($PING_GOT of 5)"
echo "4. partition, kill -9 A: B ACTIVE from COLD ($(rf b takeover_sas) SAs), $PING_GOT of 5 pings through"
ping_bg_stop
capture_stop
rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "PASS"
