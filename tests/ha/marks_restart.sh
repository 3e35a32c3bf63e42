#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Persisted sequence number marks across a restart without a twin
# (tests/lib/topo_twins.bash's topology, twin B never started):
#   1. A alone goes ACTIVE (its twin never heard: SAs from the config);
#      host HA pings HB through the tunnel every 10 ms for 6 s;
#   2. meanwhile A renews only the stamp of its marks file each second
#      (STATE_DIR/twin-a.seq.stamp) and rewrites the marks themselves
#      only when one moved: telemetry stamp_writes grows, mark_writes
#      stays small; the mark's line names the SA's peer;
#   3. kill -9 A, 2 s down, A restarts on the same state directory and
#      takes over from the persisted marks: its outbound sequence number
#      starts past the mark plus what sync_seq.h allows for the time since
#      the stamp, and that time, recomputed from the jump A logs, is the
#      downtime plus at most the 1 s renewal period (the stamp file was
#      read: the marks file's own stamp is from step 1's start);
#   4. a capture of everything sent from the VIP shows no ESP sequence
#      number used twice, and the peer's replay window refused nothing.
# Namespaces tw-mr-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-mr

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir marks
on_fail() { logs_tail 25; }
# pings N SECONDS: HA pings HB every 10 ms; at least N replies
pings() {
	ping_ok "$P-ha" 10.2.0.10 "$1" -i 0.01 -w "$2" -W 1 ||
		fail "$PING_GOT pings answered in $2 s, wanted $1"
	echo "   $PING_GOT pings answered in $2 s"
}
# mark_of FILE SPI: the persisted mark of SPI (0x%08x)
mark_of() {
	awk -v s="$2" '$1 == s { print $2 }' "$1"
}

twins_up
twin_conf ha-a a
peer_conf
marks=$WORK/state-a/twin-a.seq

capture_start "$WORK/out.pcap" 'ip proto 50'
start p p
start a a
wait_rf a my_state ACTIVE 20
echo "1. A alone ACTIVE ($(rf a takeover_sas) SAs)"
w0=$(rf a mark_writes)
s0=$(rf a stamp_writes)
pings 400 6
w1=$(rf a mark_writes)
s1=$(rf a stamp_writes)
[ $((s1 - s0)) -ge 4 ] || fail "stamp renewed $((s1 - s0)) times in 6 s"
[ $((w1 - w0)) -le 1 ] || fail "marks file rewritten $((w1 - w0)) times in 6 s with no mark moving"
[ -f "$marks.stamp" ] || fail "no $marks.stamp"
m=$(mark_of "$marks" 0x00001001)
[ -n "$m" ] && [ "$m" -gt 0 ] || fail "no mark for SPI 0x00001001 in $marks"
# the peer chose the SPI: the line names it
grep -q "^0x00001001 $m 192\.0\.2\.3\$" "$marks" ||
	fail "the mark of 0x00001001 does not name its peer 192.0.2.3: $(grep 0x00001001 "$marks")"
echo "2. in 6 s: stamp renewed $((s1 - s0)) times, marks rewritten $((w1 - w0)) times; mark of 0x00001001: $m"

t0=$(date +%s%N)
twin_kill a
m=$(mark_of "$marks" 0x00001001)
sleep 2
start a a
wait_rf a my_state ACTIVE 20
t1=$(date +%s%N)
line=$(grep 'takeover: .* SAs taken over' "$WORK/a.log" | tail -n 1)
case "$line" in *"never synced: persisted marks"*) ;;
*) fail "the restart did not take over from persisted marks: $line" ;;
esac
jump=$(sed -n 's/.*jumped by at least \([0-9]*\).*/\1/p' <<<"$line")
down=$(( (t1 - t0) / 1000000 ))
# sync_seq.h: seed = mark + interval (20) + RATE x (since + 110 ms)
# + 65536, the interval 20 (config/ha-a.conf); since = now - the stamp;
# RATE the workers x 2^24/s (telemetry seq_rate_pps)
rate=$(rf a seq_rate_pps)
[ -n "$rate" ] && [ "$rate" -ge 16777216 ] || fail "seq_rate_pps '$rate'"
since=$(( (jump - m - 20 - 65536) * 1000 / rate - 110 ))
echo "3. kill -9, restart: jump $jump over mark $m: the stamp was $since ms old, A was down $down ms"
[ "$since" -ge 0 ] || fail "jump $jump below the mark $m and the margins"
[ "$since" -le $((down + 1500)) ] ||
	fail "the stamp was $since ms old after $down ms down: not renewed each second"
pings 100 2
capture_stop

rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/out.pcap" || fail "sequence numbers reused (above)"
echo "4. no outbound sequence number reused per SPI; peer replay drops 0"

twins_stop a p
echo PASS
