#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A switch-side cut of the active twin's outside link under traffic, with
# the IOS-style tracking the HA configs carry (inside and outside groups
# tracking each other, decrement 20, preempt off) and 100/300 ms HSRP
# timers (tests/lib/topo_twins.bash draws the topology):
#   1. A (priority 110) ACTIVE, B STANDBY HOT; host HA pings HB through
#      the tunnel every 10 ms (ping -D: each reply stamped);
#   2. the switch takes A's outside port down (ip link set sw-a-out down
#      in the switch namespace: A's veth loses its carrier, nothing is
#      done on A): A's port reports the link down, A's outside group goes
#      Init, A's RF leaves ACTIVE and its inside group gives up the VIP
#      (the groups follow the RF role); B takes both groups and carries
#      the traffic. Asserted: the outage (the longest gap between two
#      replies) is at most 400 ms, A holds no VIP, A's interface shows
#      the link down;
#   3. the link comes back: A stays STANDBY (preempt off) and is STANDBY
#      HOT again, B keeps both groups, traffic flows;
#   4. the same with the roles swapped: B's outside cut (the lower
#      priority twin is the active one now), A takes over within 400 ms,
#      B heals as standby;
#   5. all along, never two twins RF ACTIVE for longer than a hold time
#      (300 ms; sampled every 20 ms through telemetry); a capture of
#      everything the twins sent on the outside bridge shows no ESP
#      sequence number used twice per SPI, and every packet the peer's
#      replay window refused is a frame the cut twin sent before it saw
#      its carrier go, held by the dead link and sent late when it came
#      back (below the window by then).
# On a port that does not report carrier loss (net_af_packet before
# dp_link.c) A keeps its inside group, B takes the outside one, both are
# RF ACTIVE for the whole cut and inside-to-peer traffic is lost: steps
# 2 and 5 fail.
# Namespaces tw-sc-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip. DEBUG_HEAL=DIR (debugging): captures of the heal on both outside ports and the switch port, and on failure the logs and pcaps go to DIR.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-sc
HOLD_MS=300
OUTAGE_MAX_MS=400

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir split_cut
on_fail() {
	logs_tail 30
	[ -n "${DEBUG_HEAL:-}" ] && cp "$WORK"/*.pcap "$WORK"/*.log "$DEBUG_HEAL"/
	[ -f "$WORK/rf.log" ] && both_active "$WORK/rf.log" 0
}

# both_active FILE MAX_MS: the longest run of samples with both twins
# ACTIVE (or ACTIVE FAST) in rf_watch.py's output is at most MAX_MS
both_active() {
	"$PYTHON" - "$1" "$2" <<'PY'
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
        worst = max(worst, t - start)
        start = None
    last = t
if start is not None and last is not None:
    worst = max(worst, last - start)
print("   both twins RF ACTIVE at most %d ms at a time" % worst)
sys.exit(0 if worst <= int(sys.argv[2]) else 1)
PY
}

# late_frames PCAP: ESP frames from the VIP whose sequence number is below
# one the capture already had for their SPI
late_frames() {
	"$PYTHON" - "$1" <<'PY'
import sys
from scapy.all import rdpcap, IP, ESP
top, late = {}, 0
for p in rdpcap(sys.argv[1]):
    if IP not in p or ESP not in p or p[IP].src != "192.0.2.254":
        continue
    spi, seq = p[ESP].spi, p[ESP].seq
    if seq < top.get(spi, 0):
        late += 1
    top[spi] = max(top.get(spi, 0), seq)
print(late)
PY
}

# outage LOG FROM_S: the longest gap (ms) between two replies in ping -D
# output LOG after wall-clock second FROM_S
outage() {
	"$PYTHON" - "$1" "$2" <<'PY'
import re, sys
t0 = float(sys.argv[2])
ts = [float(m.group(1)) for m in
      (re.match(r"\[(\d+\.\d+)\] \d+ bytes from", l) for l in open(sys.argv[1]))
      if m]
ts = [t for t in ts if t >= t0 - 1]
gaps = [b - a for a, b in zip(ts, ts[1:])]
print(int(max(gaps) * 1000) if gaps else 99999)
PY
}

# rf_times FROM_S: when (ms after wall-clock second FROM_S) each twin
# last changed between ACTIVE and not in rf_watch.py's samples
rf_times() {
	"$PYTHON" - "$WORK/rf.log" "$1" <<'PY'
import sys
t0 = float(sys.argv[2]) * 1000
prev, out = None, {}
for line in open(sys.argv[1]):
    try:
        t, st = line.split(" ", 1)
        t = int(t)
        a, b = [s.startswith("ACTIVE") for s in st.strip().split("|")]
    except ValueError:
        continue
    if prev is not None and t >= t0:
        for name, was, now in (("A", prev[0], a), ("B", prev[1], b)):
            if was != now and name + ("+" if now else "-") not in out:
                out[name + ("+" if now else "-")] = int(t - t0)
    prev = (a, b)
print(", ".join("%s %s ACTIVE at %d ms" % (k[0], "became" if k[1] == "+" else "left", v)
                for k, v in sorted(out.items(), key=lambda kv: kv[1])) or "no RF change sampled")
PY
}

# cut_link X Y: the switch takes X's outside port down; the other twin must
# carry the traffic within OUTAGE_MAX_MS
cut_link() {
	local x=$1 y=$2 t0 gap
	ip netns exec "$P-ha" ping -D -i 0.01 -W 1 10.2.0.10 >"$WORK/ping-$x.log" 2>&1 &
	pingpid=$!
	track "$pingpid"
	sleep 2
	t0=$(date +%s.%N)
	nsx "$P-sw" ip link set "sw-$x-out" down
	wait_rf "$y" my_state ACTIVE 5
	wait_states "$y" "Active Active" 5
	wait_until 5 _link_is "$x" outside down ||
		fail "twin $x: its outside interface does not show the link down"
	sleep 2
	stop_pid "$pingpid" INT
	gap=$(outage "$WORK/ping-$x.log" "$t0")
	echo "   $x's outside cut: $y ACTIVE with both groups, outage $gap ms ($(rf_times "$t0"), load $(cut -d' ' -f1 /proc/loadavg))"
	[ "$gap" -le "$OUTAGE_MAX_MS" ] ||
		fail "outage of $gap ms after the cut of $x's outside link (at most $OUTAGE_MAX_MS ms)"
	case "$(rf "$x" my_state)" in
	ACTIVE*) fail "twin $x is still RF ACTIVE with its outside link cut" ;;
	esac
	[ "$(hsrp_states "$x" | cut -d' ' -f1)" != Active ] ||
		fail "twin $x holds the inside VIP while not ACTIVE: $(hsrp_states "$x")"
	[ "$(hsrp_states "$x" | cut -d' ' -f2)" = Init ] ||
		fail "twin $x: outside group $(hsrp_states "$x" | cut -d' ' -f2), wanted Init (link down)"
	replies 4 "through $y during the cut"
}

# heal_link X Y: X's outside port back; X stays standby (preempt off)
heal_link() {
	local x=$1 y=$2
	if [ -n "${DEBUG_HEAL:-}" ]; then
		ip netns exec "$P-$x" tcpdump -Z root -i "$x-out" -n -e -U -w "$DEBUG_HEAL/heal-$x.pcap" >/dev/null 2>&1 &
		track $!
		ip netns exec "$P-$y" tcpdump -Z root -i "$y-out" -n -e -U -w "$DEBUG_HEAL/heal-$y-side.pcap" >/dev/null 2>&1 &
		track $!
		sleep 1
	fi
	nsx "$P-sw" ip link set "sw-$x-out" up
	if [ -n "${DEBUG_HEAL:-}" ]; then
		ip netns exec "$P-sw" tcpdump -Z root -i "sw-$x-out" -n -e -U -w "$DEBUG_HEAL/heal-sw-$x.pcap" >/dev/null 2>&1 &
		track $!
	fi
	wait_until 5 _link_is "$x" outside up || fail "twin $x: link still down"
	wait_rf "$x" my_state "STANDBY HOT" 10
	sleep 1
	[ "$(rf "$y" my_state)" = ACTIVE ] || fail "twin $y: $(rf "$y" my_state) after $x healed"
	wait_states "$y" "Active Active" 5
	case "$(hsrp_states "$x")" in
	*Active*) fail "twin $x holds a VIP as standby: $(hsrp_states "$x")" ;;
	esac
	replies 4 "through $y after $x healed"
}

_link_is() { [ "$(tel_py "$P-$1" /twinsec/interfaces 'd[args[0]]["link"]' "$2")" = "$3" ]; }

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
wait_states a "Active Active" 5
echo "1. A ACTIVE with both groups, B STANDBY HOT: $(hsrp_states b)"
replies 4 "through A"
"$PYTHON" "$ROOT/tests/lib/rf_watch.py" "$P-a" "$P-b" "$WORK/rf.log" 20 &
track $!
watchpid=$!

cut_link a b
echo "2. A's outside link cut on the switch: A $(rf a my_state) ($(hsrp_states a)), B ACTIVE ($(hsrp_states b))"
heal_link a b
echo "3. A's link back: A $(rf a my_state) ($(hsrp_states a)), B ACTIVE"
cut_link b a
heal_link b a
echo "4. B's outside link cut and healed: A ACTIVE ($(hsrp_states a)), B $(rf b my_state) ($(hsrp_states b))"
stop_pid "$watchpid" TERM
capture_stop

both_active "$WORK/rf.log" "$HOLD_MS" ||
	fail "two twins RF ACTIVE for longer than a hold time ($HOLD_MS ms)"
# A cut twin's frames queued under its dead link (sent before it saw the
# carrier go) leave when the link is back: late, below the peer's window,
# refused by it as replays. Every refusal must be such a frame.
rd=$(drops p replay)
late=$(late_frames "$WORK/out.pcap")
[ "$rd" -le "$late" ] ||
	fail "the peer's replay window refused $rd packets, only $late came late from a healed link"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "5. no outbound sequence number reused per SPI; peer replay drops $rd, all of them frames held by a cut link"

twins_stop a b p
echo "PASS"
