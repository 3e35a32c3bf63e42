#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A gateway without redundancy restarted under traffic with a manual
# AES-GCM SA pair (issue 13, item 2): the peer gateway P of
# tests/lib/topo_twins.bash (config/ha-peer.conf: no redundancy section,
# SAs 0x2001 out / 0x1001 in, inbound replay_interval 20 here), twin A
# ACTIVE alone on the other end; HA pings HB every 10 ms through both:
#   1. P is stopped (SIGTERM) and started again, then killed (kill -9)
#      and started again, each time on its own state directory
#      (WORK/state-p, the persisted sequence numbers: out, a reservation
#      a block ahead; in, the highest number seen);
#   2. P's outbound numbers carry on past what it sent before each
#      restart: over the three captures no (SPI, sequence number) pair
#      is sent twice by P or by A, and A's replay window refused nothing;
#   3. the ESP A sent to P before each restart, replayed to P afterwards,
#      is dropped as replays and counted (drops replay): every frame at
#      or below the inbound high P persisted (after the clean stop that
#      is everything it had accepted: the exact high is saved at exit;
#      after the kill -9 the persisted high lags the last frame P got by
#      at most the inbound replay interval, plus one 10 ms watch period);
#   4. P's telemetry says it resumed 2 SAs from its state directory.
# Namespaces tw-mx-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-mx
RI=20

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir manual-restart
on_fail() { logs_tail 20; echo "  --- P drops"; tel "$P-p" /twinsec/drops; echo; tel "$P-p" /twinsec/interfaces; echo; }

# unique_from PCAP... : no (SPI, seq) twice per source over the captures;
# prints per source and SPI the count and range
unique_from() {
	"$PYTHON" - "$@" <<'PY'
import sys
from scapy.all import rdpcap, IP, ESP
seen, dup = {}, 0
for f in sys.argv[1:]:
    for p in rdpcap(f):
        if IP not in p or ESP not in p:
            continue
        k = (p[IP].src, p[ESP].spi)
        s = seen.setdefault(k, set())
        if p[ESP].seq in s:
            dup += 1
            if dup <= 5:
                print("   reused: %s SPI 0x%08x seq %d" % (k[0], k[1], p[ESP].seq))
        s.add(p[ESP].seq)
for (src, spi), s in sorted(seen.items()):
    print("   %s SPI 0x%08x: %d packets, seq %d..%d" % (src, spi, len(s), min(s), max(s)))
sys.exit(1 if dup or len(seen) < 2 else 0)
PY
}
# replay PCAP HIGH [BEFORE]: every ESP frame A sent to P in PCAP, sent
# again from the switch's own port of br-out (the captures take only what
# the bridge receives, -Q in, so not these); prints how many, how many of them have a sequence
# number <= HIGH, and the highest number among those captured before the
# time BEFORE (epoch seconds; 0: all)
replay() {
	ip netns exec "$P-sw" "$PYTHON" - "$@" <<'PY'
import sys
from scapy.all import rdpcap, sendp, IP, ESP
high = int(sys.argv[2])
before = float(sys.argv[3]) if len(sys.argv) > 3 else 0
ps = [p for p in rdpcap(sys.argv[1])
      if IP in p and ESP in p and p[IP].dst == "192.0.2.3"]
sendp(ps, iface="br-out", inter=0.002, verbose=False)
le = sum(1 for p in ps if p[ESP].seq <= high)
top = max([p[ESP].seq for p in ps if not before or float(p.time) < before] or [0])
print(len(ps), le, top)
PY
}
# high_in: the inbound high P persisted for SA 0x1001
high_in() { awk '$1 == "in" && $2 == "0x00001001" { print $5 }' "$WORK/state-p/manual-sa.seq"; }
# p_up: P answers telemetry and HA reaches HB again
p_up() {
	wait_until 20 tel_py "$P-p" /twinsec/control 'd["manual_marks_writes"]' >/dev/null ||
		fail "P's telemetry did not come up"
	ping_ok "$P-ha" 10.2.0.10 3 -c 5 -i 0.2 -W 1 ||
		fail "HA -> HB after P's restart: $PING_GOT of 5"
}
replays() { drops p replay; }

twins_up
twin_conf ha-a a
peer_conf
sed -i "s/name = \"to-twins\";/name = \"to-twins\"; replay_interval = { inbound = $RI; outbound = $RI; };/" \
	"$WORK/p.conf" || fail "sed p.conf"
grep -q "inbound = $RI;" "$WORK/p.conf" || fail "p.conf not patched"

# p_tel: P's telemetry answers (no traffic sent)
p_tel() {
	wait_until 20 tel_py "$P-p" /twinsec/control 'd["manual_marks_writes"]' >/dev/null ||
		fail "P's telemetry did not come up"
}

capture_start "$WORK/c1.pcap" 'ip proto 50' -s 0 -Q in
start p p
start a a
wait_rf a my_state ACTIVE 20
p_up
ping_bg "$WORK/ping.log"
sleep 3
twins_stop p
ping_bg_stop
capture_stop
h1=$(high_in)
echo "1. P up, 3 s of pings, SIGTERM to P under them (exit 0): its state (inbound high $h1):"
grep -E '^(out|in) ' "$WORK/state-p/manual-sa.seq" | sed 's/^/   /'
[ -n "$h1" ] && [ "$h1" -gt 100 ] || fail "no inbound high persisted for 0x1001 ('$h1')"

# Restarted, before any new traffic moves its window: the frames of
# the run before replayed
capture_start "$WORK/c2.pcap" 'ip proto 50' -s 0 -Q in
start p p
p_tel
r0=$(replays)
read -r n1 le1 _ < <(replay "$WORK/c1.pcap" "$h1")
sleep 0.5
r1=$(replays)
echo "2. P restarted; replayed to it: $n1 frames A sent it before the stop, $le1 at or below the high it saved: $((r1 - r0)) dropped as replays"
[ "$n1" -gt 100 ] || fail "too few frames to replay ($n1)"
[ $((r1 - r0)) = "$le1" ] ||
	fail "after a clean stop every packet P had accepted must be a replay: $((r1 - r0)) dropped, $le1 expected"
p_up
ping_bg "$WORK/ping.log"
sleep 3
t_kill=$(date +%s.%N)
twin_kill p
ping_bg_stop
capture_stop
h2=$(high_in)
echo "3. 3 s of pings, kill -9 P under them (inbound high persisted: $h2)"

capture_start "$WORK/c3.pcap" 'ip proto 50' -s 0 -Q in
start p p
p_tel
r1=$(replays)
read -r n2 le2 top2 < <(replay "$WORK/c2.pcap" "$h2" "$t_kill")
sleep 0.5
r2=$(replays)
echo "4. P restarted; replayed to it: $n2 frames from before the kill, $le2 at or below the persisted high ($h2; the highest P got before the kill: $top2): $((r2 - r1)) dropped as replays"
[ "$n2" -gt 100 ] || fail "too few frames to replay ($n2)"
[ $((r2 - r1)) = "$le2" ] ||
	fail "after kill -9 every packet at or below the persisted high must be a replay: $((r2 - r1)) dropped, $le2 expected"
[ "$h2" -ge $((top2 - RI - 2)) ] ||
	fail "the persisted high $h2 lags the last packet received before the kill ($top2) by more than the replay interval $RI"
p_up
ping_ok "$P-ha" 10.2.0.10 50 -c 100 -i 0.01 -W 1 ||
	fail "HA -> HB after the second restart: $PING_GOT of 100"
capture_stop

unique_from "$WORK/c1.pcap" "$WORK/c2.pcap" "$WORK/c3.pcap" ||
	fail "an ESP sequence number was sent twice (above)"
ra=$(drops a replay)
[ "$ra" = 0 ] || fail "A's replay window refused $ra of P's packets: P restarted its numbers"
res=$(tel_py "$P-p" /twinsec/control 'd["manual_marks_resumed"]')
[ "$res" = 2 ] || fail "P resumed $res SAs from its state, wanted 2"
echo "5. no (SPI, seq) twice from P or A over the three runs; A's replay drops 0; P resumed $res SAs ($(tel_py "$P-p" /twinsec/control 'd["manual_marks_reads"]') counter reads by its watch since the last start)"
twins_stop a p
echo PASS
