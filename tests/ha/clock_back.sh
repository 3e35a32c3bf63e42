#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A wall clock behind the persisted marks' stamp at takeover (issue 13,
# item 4), tests/lib/topo_twins.bash's topology, twin B never started:
#   1. A alone ACTIVE, HA pings HB through the tunnel (manual AES-GCM SA
#      0x1001), its marks file stamped each second;
#   2. kill -9 A; the stamps of its marks (STATE_DIR/twin-a.seq and
#      .seq.stamp) are set one hour ahead, which is what a wall clock one
#      hour behind them at restart looks like to the takeover (it compares
#      only the two: sync_seq_since_wall(wall, stamp)); a clock stepped
#      back by NTP, or no RTC after a power cycle;
#   3. A restarts: the time since its marks is unknown, so the outbound SA
#      is not sent on (not taken as "no time passed"): telemetry counts it
#      (unproven_clock, unproven_refused), the log says why and what to do,
#      show crypto ha lists it, and no ESP leaves with SPI 0x1001;
#   4. the mark of the SA not sent on keeps its own date (the future
#      one: A's saves, stamped with its clock, must not vouch for it);
#      the operator sets the clock right (every stamp back to the past)
#      and restarts A: the SA is sent on again, past the mark;
#   5. a capture of everything sent from the VIP: no sequence number twice.
# Namespaces tw-cb-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-cb

need_root
need_built "$TWINSECD"
need_cmd tcpdump
need_python scapy

work_dir clock-back
on_fail() { logs_tail 25; }
marks=$WORK/state-a/twin-a.seq
# restamp MS: every stamp of A's marks set to MS (ms since the epoch):
# the file's, the stamp file's, and the own date a mark not sent on
# carries ("stamp=MS" on its line, ha_marks.c)
restamp() {
	sed -i -e "s/^# stamp [0-9]*\$/# stamp $1/" \
		-e "s/ stamp=[0-9]*\$/ stamp=$1/" "$marks" || fail "sed $marks"
	echo "# stamp $1" >"$marks.stamp"
	grep -q "^# stamp $1\$" "$marks" || fail "no stamp line in $marks"
}
# esp_after PCAP SPI N: ESP packets from the VIP with SPI after the Nth
esp_count() {
	"$PYTHON" - "$1" "$2" <<'PY'
import sys
from scapy.all import rdpcap, IP, ESP
spi = int(sys.argv[2], 16)
print(sum(1 for p in rdpcap(sys.argv[1])
          if IP in p and p[IP].src == "192.0.2.254" and ESP in p and p[ESP].spi == spi))
PY
}

twins_up
twin_conf ha-a a
peer_conf
capture_start "$WORK/out.pcap" 'ip proto 50'
start p p
start a a
wait_rf a my_state ACTIVE 20
ping_ok "$P-ha" 10.2.0.10 100 -i 0.01 -w 3 -W 1 ||
	fail "$PING_GOT pings answered in 3 s, wanted 100"
sleep 1.5
echo "1. A alone ACTIVE, $PING_GOT pings through SA 0x1001"

twin_kill a
[ -f "$marks" ] || fail "no $marks"
now_ms=$(( $(date +%s%N) / 1000000 ))
restamp $((now_ms + 3600000))
capture_stop
before=$(esp_count "$WORK/out.pcap" 0x00001001)
mv "$WORK/out.pcap" "$WORK/out1.pcap"
capture_start "$WORK/out2.pcap" 'ip proto 50'
echo "2. kill -9 A; its marks stamped an hour ahead of the clock ($before ESP packets so far)"

start a a
wait_rf a my_state ACTIVE 20
ping_ok "$P-ha" 10.2.0.10 1 -c 10 -i 0.1 -W 1 &&
	fail "$PING_GOT pings went through an SA whose start is not proven"
capture_stop
after=$(esp_count "$WORK/out2.pcap" 0x00001001)
[ "$after" = 0 ] || fail "$after ESP packets with SPI 0x1001 after the restart"
[ "$(rf a unproven_clock)" = 1 ] || fail "unproven_clock '$(rf a unproven_clock)', wanted 1"
[ "$(rf a unproven_refused)" = 1 ] || fail "unproven_refused '$(rf a unproven_refused)', wanted 1"
[ "$(rf a unproven_now)" = 1 ] || fail "unproven_now '$(rf a unproven_now)', wanted 1"
grep -q "SA 0x00001001 out (crypto map to-p seq 10, manual) not sent on: the wall clock is behind the stamp of the persisted marks.*set the clock right and restart twinsecd" "$WORK/a.log" ||
	fail "the log does not say why 0x1001 is not sent on and what to do"
console "$P-a" "show crypto ha" >"$WORK/ha.txt" 2>&1
grep -q "SA 0x00001001 out not sent on: the wall clock is behind" "$WORK/ha.txt" ||
	fail "show crypto ha: $(cat "$WORK/ha.txt")"
echo "3. restart: 0x1001 not sent on (0 ESP packets, unproven_clock 1); the log:"
grep "SA 0x00001001 out .* not sent on" "$WORK/a.log" | tail -n 1 | sed 's/^[^:]*: /   /'
echo "   show crypto ha:"
grep "not sent on" "$WORK/ha.txt" | sed 's/^/   /'

twin_kill a
grep -q "^0x00001001 [0-9]* 192\.0\.2\.3 stamp=$((now_ms + 3600000))\$" "$marks" ||
	fail "the mark of 0x1001 not sent on lost its own date: $(grep 0x00001001 "$marks")"
now_ms=$(( $(date +%s%N) / 1000000 ))
restamp $((now_ms - 2000))
capture_start "$WORK/out3.pcap" 'ip proto 50'
start a a
wait_rf a my_state ACTIVE 20
ping_ok "$P-ha" 10.2.0.10 4 -c 5 -i 0.2 -W 1 ||
	fail "the clock set right, $PING_GOT of 5 pings through"
[ "$(rf a unproven_now)" = 0 ] || fail "unproven_now '$(rf a unproven_now)' with the clock right"
echo "4. clock right, restart: $PING_GOT of 5 pings through SA 0x1001 again"
capture_stop

"$PYTHON" - "$WORK/out1.pcap" "$WORK/out2.pcap" "$WORK/out3.pcap" "$WORK/all.pcap" <<'PY' ||
import sys
from scapy.all import rdpcap, wrpcap
wrpcap(sys.argv[4], [p for f in sys.argv[1:4] for p in rdpcap(f)])
PY
	fail "cannot merge the captures"
rd=$(drops p replay)
[ "$rd" = 0 ] || fail "the peer's replay window refused $rd packets"
seq_unique "$WORK/all.pcap" || fail "sequence numbers reused (above)"
echo "5. no outbound sequence number reused per SPI; peer replay drops 0"
twins_stop a p
echo PASS
