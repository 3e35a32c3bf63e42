#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Split brain: the twins stop hearing each other's HSRP (nftables on the
# switch drops UDP 1985 between their ports, inside and outside) while
# both still reach the peer and the sync channel carries on
# (tests/lib/topo_twins.bash draws the topology; 100/300 ms HSRP timers,
# preempt off, host HA pings HB every 10 ms all along):
#   1. A (priority 110) ACTIVE, B (100) STANDBY HOT;
#   2. HSRP cut: B hears no active router and takes over; the twins see
#      each other ACTIVE over the sync channel and resolve it by the IOS
#      rule (higher priority, then higher address): B yields at once (its
#      groups leave Active and stay out, its SAs leave the fast path) and
#      resynchronises from A; B reports the last numbers it used on the
#      shared outbound SA and A moves past them. Asserted: both twins log
#      the split at LOG_CRIT ("SPLIT BRAIN") and show it (show redundancy,
#      show crypto ha, telemetry), never both RF ACTIVE for longer than a
#      hold time, B holds no VIP while it yields; a burst of A's Hellos
#      from before the cut reaching B late (a loaded box's queues; replayed
#      with scapy) does not free B's group: no second split;
#   3. HSRP back: A stays ACTIVE, B STANDBY HOT;
#   4. the other order: force-switchover (B ACTIVE, A STANDBY HOT), HSRP
#      cut again: now the newcomer A outranks the active B, B yields;
#   5. per-twin captures of the outside ports: no (SPI, sequence number)
#      sent by both twins, and after each split the winner's last packet
#      is above every number the loser used (it moved past them when the
#      loser reported); over the whole run the outside bridge shows no
#      number twice per SPI.
# Without split resolution both twins stay RF ACTIVE for the whole HSRP
# cut, both sending on the SA: steps 2 and 5 fail.
# Namespaces tw-sb-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip. DEBUG_SPLIT=DIR (debugging): on failure the logs and pcaps go to DIR.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-sb
HOLD_MS=300

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_cmd nft "nft (nftables) not installed"
need_python scapy

work_dir split_brain
on_fail() {
	logs_tail 30
	[ -n "${DEBUG_SPLIT:-}" ] && cp "$WORK"/*.pcap "$WORK"/*.log "$DEBUG_SPLIT"/
}

# hsrp_cut on|off: the switch drops HSRP between the twins' ports
hsrp_cut() {
	if [ "$1" = on ]; then
		ip netns exec "$P-sw" nft -f - <<-EOF || fail "nft in $P-sw"
		table bridge twsplit {
			chain hsrp {
				type filter hook forward priority 0; policy accept;
				iifname "sw-a-*" oifname "sw-b-*" udp dport 1985 counter drop
				iifname "sw-b-*" oifname "sw-a-*" udp dport 1985 counter drop
			}
		}
		EOF
	else
		ip netns exec "$P-sw" nft delete table bridge twsplit || fail "nft delete"
	fi
}

# port_capture X: ESP the twin X sends (its switch port's ingress)
port_capture() {
	ip netns exec "$P-sw" tcpdump -i "sw-$1-out" -Q in -n -U -s 128 \
		-w "$WORK/$1-out.pcap" 'ip proto 50' >"$WORK/tcpdump-$1.log" 2>&1 &
	track $!
	eval "cap_$1=\$!"
}

# winner_above WINNER LOSER: in the per-port captures no (SPI, sequence
# number) of the VIP's ESP was sent by both twins, and WINNER's last
# packet on each SPI LOSER used is above every number LOSER used (the
# winner moved past them: it may send its own lower numbers only until
# the loser's report arrives)
winner_above() {
	"$PYTHON" - "$WORK/$1-out.pcap" "$WORK/$2-out.pcap" <<'PY'
import sys
from scapy.all import rdpcap, IP, ESP
def esp(f):
    return [(float(p.time), p[ESP].spi, p[ESP].seq) for p in rdpcap(f)
            if IP in p and ESP in p and p[IP].src == "192.0.2.254"]
win, lose = esp(sys.argv[1]), esp(sys.argv[2])
if not lose:
    print("   the loser sent no ESP")
    sys.exit(0)
top, last = {}, {}
for _, spi, seq in lose:
    top[spi] = max(top.get(spi, 0), seq)
for t, spi, seq in sorted(win):
    last[spi] = seq
both = {(spi, seq) for _, spi, seq in win} & {(spi, seq) for _, spi, seq in lose}
print("   loser: %d ESP packets, up to %s; winner's last: %s"
      % (len(lose), {hex(k): v for k, v in top.items()},
         {hex(k): v for k, v in last.items()}))
for spi, seq in sorted(both)[:5]:
    print("   sent by both twins: SPI 0x%08x seq %d" % (spi, seq))
behind = [spi for spi in top if last.get(spi, 0) <= top[spi]]
for spi in behind:
    print("   the winner is still below the loser's numbers on SPI 0x%08x" % spi)
sys.exit(1 if both or behind else 0)
PY
}

# stale_hellos X Y: what a loaded box does to Y's yield: a burst of X's
# Active Hellos from before the cut reaches Y late (they waited in its
# queues), then nothing more (the switch drops X's HSRP). Replayed into
# Y's switch port from the capture taken while X was Active.
stale_hellos() {
	ip netns exec "$P-sw" "$PYTHON" - "$WORK/hello-$1.pcap" "sw-$2-out" <<'PY' ||
import sys, time
from scapy.all import rdpcap, sendp
p = rdpcap(sys.argv[1])[0]
for _ in range(3):
    sendp(p, iface=sys.argv[2], verbose=False)
    time.sleep(0.01)
PY
		fail "cannot replay $1's Hello to $2"
}

# split X Y ROUND: HSRP cut with X ACTIVE and Y STANDBY HOT; WIN keeps it
split_round() {
	local win=$1 lose=$2 n=$3 c
	port_capture a
	port_capture b
	sleep 1
	hsrp_cut on
	wait_until 5 _rf_is "$lose" splits "$n" ||
		fail "twin $lose saw no split brain ($(rf "$lose" splits) splits, state $(rf "$lose" my_state))"
	wait_until 5 _rf_is "$win" splits "$n" ||
		fail "twin $win saw no split brain ($(rf "$win" splits) splits)"
	wait_rf "$lose" yield yes 2
	wait_rf "$win" my_state ACTIVE 2
	wait_until 5 _rf_is "$lose" my_state "STANDBY HOT" ||
		fail "twin $lose is $(rf "$lose" my_state) after yielding, wanted STANDBY HOT"
	[ "$(rf "$win" splits_won)" -ge 1 ] || fail "twin $win: splits_won $(rf "$win" splits_won)"
	[ "$(rf "$lose" splits_lost)" -ge 1 ] || fail "twin $lose: splits_lost $(rf "$lose" splits_lost)"
	stale_hellos "$win" "$lose"
	sleep 2
	# The late Hellos did not free the loser's group: no second split
	for c in "$win" "$lose"; do
		[ "$(rf "$c" splits)" = "$n" ] ||
			fail "twin $c: $(rf "$c" splits) splits after $win's stale Hellos reached $lose, wanted $n"
	done
	case "$(hsrp_states "$lose")" in
	*Active*) fail "twin $lose holds a VIP while yielding: $(hsrp_states "$lose")" ;;
	esac
	[ "$(rf "$lose" my_state)" = "STANDBY HOT" ] ||
		fail "twin $lose: $(rf "$lose" my_state) during the HSRP cut"
	for c in "$win" "$lose"; do
		grep -q "SPLIT BRAIN: twin" "$WORK/$c.log" ||
			fail "twin $c did not log the split brain"
		console "$P-$c" "show redundancy" "show crypto ha" >"$WORK/show-$c.txt" 2>&1
		grep -q "^Split brain = " "$WORK/show-$c.txt" ||
			fail "show redundancy on $c shows no split: $(cat "$WORK/show-$c.txt")"
		grep -q "split brain: " "$WORK/show-$c.txt" ||
			fail "show crypto ha on $c shows no split"
	done
	echo "   $(grep "^Split brain" "$WORK/show-$lose.txt") (on $lose)"
	replies 4 "through $win during the HSRP cut"
	hsrp_cut off
	sleep 2
	[ "$(rf "$win" my_state)" = ACTIVE ] || fail "twin $win: $(rf "$win" my_state) after HSRP came back"
	[ "$(rf "$lose" my_state)" = "STANDBY HOT" ] || fail "twin $lose: $(rf "$lose" my_state) after HSRP came back"
	stop_pid "$(eval echo "\$cap_a")" INT
	stop_pid "$(eval echo "\$cap_b")" INT
	winner_above "$win" "$lose" ||
		fail "twin $win sent sequence numbers twin $lose had used"
	cp "$WORK/a-out.pcap" "$WORK/a-out-$n.pcap"
	cp "$WORK/b-out.pcap" "$WORK/b-out-$n.pcap"
}

twins_up
HELLO=100 HOLD=$HOLD_MS twin_conf ha-a a
HELLO=100 HOLD=$HOLD_MS twin_conf ha-b b
peer_conf

capture_start "$WORK/out.pcap" 'ip proto 50'
start p p
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
echo "1. A ACTIVE, B STANDBY HOT"
# One of A's Active Hellos on the outside (stale_hellos replays it)
ip netns exec "$P-sw" timeout 5 tcpdump -i sw-a-out -Q in -n -c 1 \
	-w "$WORK/hello-a.pcap" 'udp port 1985' >/dev/null 2>&1 ||
	fail "no HSRP Hello from A captured"
replies 4 "through A"
ping_bg "$WORK/ping.log"
"$PYTHON" "$ROOT/tests/lib/rf_watch.py" "$P-a" "$P-b" "$WORK/rf.log" 20 &
watchpid=$!
track "$watchpid"

split_round a b 1
echo "2-3. HSRP cut: B took over, saw A ACTIVE, yielded (A moved $(rf a split_moved) SAs past B's numbers); HSRP back: A ACTIVE, B STANDBY HOT"

console "$P-a" "redundancy force-switchover" >"$WORK/swo.txt" 2>&1 ||
	fail "force-switchover on A: $(cat "$WORK/swo.txt")"
wait_rf b my_state ACTIVE 10
wait_rf a my_state "STANDBY HOT" 10
sleep 1
split_round a b 2
echo "4. force-switchover to B, HSRP cut: A (priority 110) took over, B yielded; HSRP back: A ACTIVE, B STANDBY HOT"
# A carried the pings before the switchover: its takeover's rate is never
# below the peak its counter watch saw then (sync_seq_rate_seen())
line=$(grep 'takeover: .* SAs taken over' "$WORK/a.log" | tail -n 1)
peak=$(sed -n 's/.*observed peak \([0-9]*\) pps, bound \([0-9]*\) pps.*/\1/p' <<<"$line")
bound=$(sed -n 's/.*observed peak \([0-9]*\) pps, bound \([0-9]*\) pps.*/\2/p' <<<"$line")
rate=$(rf a seq_rate_pps)
tpeak=$(rf a seq_peak_pps)
[ -n "$peak" ] && [ "$peak" -gt 0 ] ||
	fail "A's takeover saw no peak of the SAs it carried before: '$line'"
[ -n "$tpeak" ] && [ "$tpeak" -ge "$peak" ] ||
	fail "telemetry seq_peak_pps '$tpeak' below the peak logged ($peak)"
[ -n "$rate" ] && [ "$bound" -ge "$rate" ] && [ "$bound" -ge $((2 * peak)) ] ||
	fail "A's takeover rate $bound: below the bound $rate or twice the observed peak $peak"
echo "   A's takeover: observed peak $peak pps, rate $bound pps per SA"

ping_bg_stop
stop_pid "$watchpid" TERM
capture_stop
"$PYTHON" - "$WORK/rf.log" "$HOLD_MS" <<'PY' || fail "two twins RF ACTIVE for longer than a hold time ($HOLD_MS ms)"
import sys
worst, start, last = 0, None, None
for line in open(sys.argv[1]):
    try:
        t, st = line.split(" ", 1)
        a, b = st.strip().split("|")
        t = int(t)
    except ValueError:
        continue
    both = a.startswith("ACTIVE") and b.startswith("ACTIVE")
    if both and start is None:
        start = t
    if not both and start is not None:
        worst, start = max(worst, t - start), None
    last = t
if start is not None:
    worst = max(worst, last - start)
print("   both twins RF ACTIVE at most %d ms at a time" % worst)
sys.exit(0 if worst <= int(sys.argv[2]) else 1)
PY
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "5. no outbound sequence number used by both twins; none reused per SPI"

twins_stop a b p
echo "PASS"
