#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Stateful switchover of an IKE-negotiated tunnel: twins A and B
# (tests/ha/ha_topo.bash; the outside VIP 192.0.2.254 is the IKE
# endpoint) against strongSwan 5.9.8 (charon, kernel-libipsec, so NAT-T:
# ESP in UDP 4500) in the peer namespace at 192.0.2.3, protecting
# 10.2.0.10 (on its lo):
#   1. A ACTIVE, B STANDBY HOT; strongSwan initiates; host HA pings
#      10.2.0.10 through the tunnel; B holds the IKE SA as a standby copy
#      (telemetry ike_sas_standby, "show crypto isakmp sa" STDBY) and the
#      Child SA's two SAs decoupled;
#   2. pings every 10 ms; kill -9 A: B takes over, traffic resumes;
#      strongSwan's IKE SA keeps its SPIs and unique id, its CHILD_SA the
#      same SPIs (no renegotiation);
#   3. IKE exchanges against the new active: strongSwan's DPD (dpd_delay
#      2s, answered with the synced message IDs and keys, else charon
#      would retransmit and close the IKE SA) and a child rekey forced
#      with swanctl --rekey (CREATE_CHILD_SA): the new CHILD_SA carries
#      traffic;
#   5. relinquish: A restarted is STANDBY HOT with the IKE SA from B's
#      bulk sync; B gives up the role (console redundancy
#      force-switchover): A takes the IKE SA over, B's becomes a standby
#      copy refreshed by A's records; strongSwan keeps its SAs, traffic
#      flows through A, strongSwan's DPD is answered without
#      retransmission;
#   4. (checked last, over both switchovers) the capture of the outside
#      bridge: no ESP sequence number sent twice per SPI from the VIP (ESP
#      in UDP 4500, RFC 3948: a non-zero SPI first; IKE has the zero
#      non-ESP marker).
# Namespaces tw-fi-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=${TWINSECD:-$BUILD/app/twinsecd/twinsecd}
P=tw-fi
SW_NS=$P-p
. "$ROOT/tests/interop/strongswan.bash"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TWINSECD" ] || skip "$TWINSECD not built (ninja -C $BUILD)"
[ -x "$CHARON" ] || skip "strongSwan charon not installed (strongswan-charon)"
command -v swanctl >/dev/null || skip "swanctl not installed (strongswan-swanctl)"
[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	skip "kernel-libipsec plugin missing (libcharon-extra-plugins)"
command -v tcpdump >/dev/null || skip "tcpdump not installed (tools/setup)"

WORK=$(mktemp -d /tmp/tw-ike-failover.XXXXXX)
ping_pid= dump_pid=
. "$ROOT/tests/ha/ha_topo.bash"
cleanup() {
	local p
	for p in $ping_pid $dump_pid $SW_PID; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	ha_cleanup
	if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	logs_tail 30
	echo "  --- charon"
	tail -n 30 "$WORK/sw/charon.log" 2>/dev/null | sed 's/^/    /'
	echo "  --- charon's CHILD_SA events"
	grep -E "CHILD_SA|IKE_SA .* established|DELETE" "$WORK/sw/charon.log" 2>/dev/null |
		tail -n 20 | sed 's/^/    /'
	echo "  --- swanctl --list-sas"
	swan --list-sas 2>/dev/null | sed 's/^/    /'
	exit 1
}
PSK=ha-ike-secret-1

# ike_twin_conf NAME IN_ADDR OUT_ADDR PRIORITY SYNC_LOCAL SYNC_REMOTE
ike_twin_conf() {
	cat >"$WORK/$1.conf" <<CONF
hostname = "twin-$1";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "$2/24";
	  standby = ( { group = 1; version = 2; ip = "10.1.0.254"; name = "HA-in";
		priority = $4; preempt = false; timers = { hello_ms = $HELLO; hold_ms = $HOLD; };
		track = ( { interface = "outside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 300; }; } ); },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "$3/24";
	  crypto_map = "to-p";
	  standby = ( { group = 1; version = 2; ip = "192.0.2.254"; name = "HA-out";
		priority = $4; preempt = false; timers = { hello_ms = $HELLO; hold_ms = $HOLD; };
		track = ( { interface = "inside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 300; }; } ); }
);
routes = ( { prefix = "10.2.0.0/16"; gateway = "192.0.2.3"; } );
transform_sets = ( { name = "t1"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "p1"; encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = ( { peer = "192.0.2.3"; key = "$PSK"; } );
	dpd = { interval = 30; retries = 5; };
	retransmit = { timeout_ms = 500; tries = 3; };
};
crypto_maps = ( {
	name = "to-p";
	replay_interval = { inbound = 20; outbound = 20; };
	entries = ( {
		seq = 10; type = "ipsec-isakmp"; peer = "192.0.2.3"; transform_set = "t1";
		match = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.2.0.0/16"; } );
		initiate = "responder"; } ); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; };
console = { listen = "127.0.0.1:2323"; exec_timeout = 0;
	users = ( { name = "admin"; privilege = 15;
	  secret = "\$6\$twinsecadmin\$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ."; } ); };
redundancy = { scheme = "HA-out"; keepalive = { interval_ms = $KA_MS; threshold = $KA_THR; };
	security = { key = "$SYNC_KEY"; }; };
ipc = { transport = "sctp-udp"; local_port = 5000; remote_port = 5000;
	local_ip = ["$5"]; remote_ip = ["$6"];
	retransmit_timeout = { min = 300; max = 600; }; path_retransmit = 4; assoc_retransmit = 4; };
CONF
}

sw_conf() {
	sw_charon_conf
	cat >"$WORK/sw/swanctl.conf" <<EOF
connections {
	tw {
		version = 2
		local_addrs = 192.0.2.3
		remote_addrs = 192.0.2.254
		proposals = aes128gcm16-prfsha256-ecp256
		dpd_delay = 2s
		rekey_time = 0
		local {
			auth = psk
			id = 192.0.2.3
		}
		remote {
			auth = psk
			id = 192.0.2.254
		}
		children {
			net {
				local_ts = 10.2.0.10/32
				remote_ts = 10.1.0.0/16
				esp_proposals = aes128gcm16
				start_action = none
				rekey_time = 0
			}
		}
	}
}
secrets {
	ike-1 {
		id = 192.0.2.254
		secret = "$PSK"
	}
}
EOF
}

# sw_sas: "IKE_UNIQUE SPI_I SPI_R CHILD_IN CHILD_OUT" of strongSwan's SAs
sw_sas() {
	swan --list-sas --raw 2>/dev/null | /usr/bin/python3 -c '
import re, sys
t = sys.stdin.read()
def f(k):
    m = re.search(r"\b" + k + r"=([0-9a-fx]+)", t)
    return m.group(1) if m else "-"
print(f("uniqueid"), f("initiator-spi"), f("responder-spi"), f("spi-in"), f("spi-out"))'
}

# sw_children: strongSwan's CHILD_SAs, one "STATE SPI_IN SPI_OUT" a line
# (after a rekey the old one stays listed until charon destroys it)
sw_children() {
	swan --list-sas --raw 2>/dev/null | /usr/bin/python3 -c '
import re, sys
t = sys.stdin.read()
for m in re.finditer(r"reqid=\d+ state=(\w+).*?spi-in=([0-9a-f]+) spi-out=([0-9a-f]+)", t):
    print(*m.groups())'
}

# negotiations: IKE_SAs and CHILD_SAs charon has established so far
negotiations() {
	grep -cE "(IKE_SA|CHILD_SA) .*established" "$WORK/sw/charon.log"
}

# replies N WHAT: at least N of 5 pings HA -> 10.2.0.10 come back
replies() {
	local got
	got=$(nsx $P-ha ping -c 5 -i 0.2 -W 1 -q 10.2.0.10 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge "$1" ] || fail "$2: ${got:-0} of 5 pings through the tunnel"
	echo "   $2: ${got} of 5 pings through the tunnel"
}

wait_for() { # seconds command...
	local n=$1 i; shift
	for i in $(seq $((n * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

ha_setup
# strongSwan's side: the peer namespace, protected host on its lo
nsx $P-p ip addr add 192.0.2.3/24 dev p-out
nsx $P-p ip addr add 10.2.0.10/32 dev lo
nsx $P-p ethtool -K p-out tx off tso off gso off >/dev/null 2>&1
ike_twin_conf a 10.1.0.1 192.0.2.1 110 198.51.100.1 198.51.100.2
ike_twin_conf b 10.1.0.2 192.0.2.2 100 198.51.100.2 198.51.100.1
sw_conf

ip netns exec $P-sw tcpdump -i br-out -n -U --immediate-mode -s 128 \
	-w "$WORK/out.pcap" 'udp port 4500' >"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
start a a --log-level debug
sleep 1
start b b --log-level debug
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
sw_start || fail "swanctl --load-all: $(cat "$WORK/sw/load.out")"
swan --initiate --child net >"$WORK/init.out" 2>&1 ||
	fail "swanctl --initiate: $(tail -3 "$WORK/init.out")"
replies 4 "through A"
b_has_ike() { [ "$(rf b ike_sas_standby)" = 1 ]; }
wait_for 10 b_has_ike
[ "$(rf b ike_sas_standby)" = 1 ] || fail "B holds $(rf b ike_sas_standby) standby IKE SAs, wanted 1"
[ "$(rf a ike_sas_active)" = 1 ] || fail "A runs $(rf a ike_sas_active) IKE SAs, wanted 1"
con b "show crypto isakmp sa" >"$WORK/isakmp-b.txt" 2>&1
grep -q "STDBY" "$WORK/isakmp-b.txt" || fail "show crypto isakmp sa on B: $(cat "$WORK/isakmp-b.txt")"
before=$(sw_sas)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA (STDBY) and $(rf b sas_decoupled) SAs decoupled; strongSwan: $before"

ip netns exec $P-ha ping -i 0.01 -W 1 10.2.0.10 >"$WORK/ping.log" 2>&1 &
ping_pid=$!
sleep 2
[ "$(rf b counter_updates_in)" -gt 0 ] || fail "B got no COUNTER_UPDATE for the IKE Child SA"
t0=$(date +%s%N)
kill -KILL "$pid_a"
wait "$pid_a" 2>/dev/null
pid_a=
wait_rf b my_state ACTIVE 10
t1=$(date +%s%N)
echo "2. kill -9 A: B ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf b takeover_sas) SAs, $(rf b takeover_ike_sas) IKE SAs taken over)"
replies 4 "through B"
after=$(sw_sas)
[ "$after" = "$before" ] || fail "strongSwan's SAs changed: before '$before', after '$after'"
echo "   strongSwan's IKE SA and CHILD_SA unchanged: $after"
kill -INT $ping_pid
wait $ping_pid 2>/dev/null
ping_pid=
tail -n 2 "$WORK/ping.log" | sed 's/^/   /'

# 3. IKE exchanges with the new active: strongSwan's DPD (idle > 2 s)
n_dpd0=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
sleep 7
n_dpd=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
[ "$n_dpd" -gt "$n_dpd0" ] || fail "strongSwan sent no DPD after the takeover"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request (unanswered by the new active)"
[ "$(sw_sas | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed after DPD: $(sw_sas)"
echo "3. $((n_dpd - n_dpd0)) DPD exchanges from strongSwan answered by B, no retransmission"
swan --rekey --child net >"$WORK/rekey.out" 2>&1 || fail "swanctl --rekey: $(cat "$WORK/rekey.out")"
wait_for 10 sh -c "grep -q 'INSTALLED (rekeyed by the peer)' '$WORK/b.log'" ||
	fail "B did not install the rekeyed CHILD_SA"
# strongSwan lists the new CHILD_SA (the old one goes once deleted)
new_child() {
	swan --list-sas --raw 2>/dev/null | grep -o 'spi-in=[0-9a-f]*' |
		grep -qv "spi-in=$(echo "$before" | cut -d' ' -f4)"
}
wait_for 10 new_child || fail "strongSwan shows no new CHILD_SA: $(sw_sas)"
rekeyed=$(sw_sas)
[ "$(echo "$rekeyed" | cut -d' ' -f1-3)" = "$(echo "$before" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed: $rekeyed"
replies 4 "   child rekeyed by strongSwan against B ($rekeyed)"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request"

# 5. Relinquish: A comes back (STANDBY HOT, B's IKE SA by bulk sync), then
# B gives the role up from its console: A takes the IKE SA over, B's own
# becomes a passive copy, refreshed by A's records; strongSwan renegotiates
# nothing and its DPD is answered by A.
start a a --log-level debug
wait_rf a my_state "STANDBY HOT" 30
a_has_ike() { [ "$(rf a ike_sas_standby)" = 1 ]; }
wait_for 15 a_has_ike ||
	fail "A holds $(rf a ike_sas_standby) standby IKE SAs after its bulk sync, wanted 1"
before5=$(sw_sas)
children5=$(sw_children)
neg5=$(negotiations)
ip netns exec $P-ha ping -i 0.01 -W 1 10.2.0.10 >"$WORK/ping5.log" 2>&1 &
ping_pid=$!
sleep 2
b_in0=$(rf b ike_add_in)
con b "redundancy force-switchover" >"$WORK/con-b.log" 2>&1 ||
	fail "console force-switchover on B: $(cat "$WORK/con-b.log")"
t0=$(date +%s%N)
wait_rf a my_state ACTIVE 15
t1=$(date +%s%N)
wait_rf b my_state "STANDBY HOT" 30
b_passive() {
	[ "$(rf b ike_sas_standby)" = 1 ] && [ "$(rf b ike_sas_active)" = 0 ] &&
		[ "$(rf b ike_add_in)" -gt "$b_in0" ]
}
wait_for 15 b_passive ||
	fail "B after relinquishing: $(rf b ike_sas_active) active, $(rf b ike_sas_standby) standby IKE SAs, $(rf b ike_add_in) IKE records in (had $b_in0)"
[ "$(rf a ike_sas_active)" = 1 ] || fail "A runs $(rf a ike_sas_active) IKE SAs, wanted 1"
[ "$(rf b ike_refused)" = 0 ] || fail "B refused $(rf b ike_refused) IKE SA records"
echo "5. B relinquished (force-switchover): A ACTIVE after $(( (t1 - t0) / 1000000 )) ms ($(rf a takeover_ike_sas) IKE SA taken over); B's IKE SA a standby copy, refreshed by $(( $(rf b ike_add_in) - b_in0 )) records from A"
replies 4 "through A"
# strongSwan renegotiated nothing: the same IKE SA, no CHILD_SA it did
# not have before (the one rekeyed in 3. may have gone meanwhile), no
# negotiation in its log
after5=$(sw_sas)
[ "$(echo "$after5" | cut -d' ' -f1-3)" = "$(echo "$before5" | cut -d' ' -f1-3)" ] ||
	fail "strongSwan's IKE SA changed across the relinquish: before '$before5', after '$after5'"
installed5=$(sw_children | grep '^INSTALLED ' | cut -d' ' -f2-)
[ -n "$installed5" ] || fail "strongSwan has no installed CHILD_SA: $(sw_children)"
echo "$installed5" | while read -r i o; do
	echo "$children5" | grep -q " $i $o\$" || echo "new CHILD_SA $i/$o"
done | grep -q . && fail "strongSwan has CHILD_SAs it did not have before the relinquish: before '$children5', now '$(sw_children)'"
[ "$(negotiations)" = "$neg5" ] ||
	fail "strongSwan negotiated across the relinquish ($neg5 -> $(negotiations) establishments)"
echo "   strongSwan's IKE SA unchanged, no CHILD_SA negotiated: $(echo "$after5" | cut -d' ' -f1-3), installed $(echo $installed5)"
kill -INT $ping_pid
wait $ping_pid 2>/dev/null
ping_pid=
tail -n 2 "$WORK/ping5.log" | sed 's/^/   /'
n_dpd0=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
sleep 7
n_dpd=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
[ "$n_dpd" -gt "$n_dpd0" ] || fail "strongSwan sent no DPD after the relinquish"
grep -q "retransmit .* of request" "$WORK/sw/charon.log" &&
	fail "strongSwan retransmitted a request (unanswered after the relinquish)"
[ "$(sw_sas | cut -d' ' -f1-3)" = "$(echo "$before5" | cut -d' ' -f1-3)" ] &&
	[ "$(negotiations)" = "$neg5" ] ||
	fail "strongSwan's SAs changed after DPD: $(sw_sas), $(negotiations) establishments (had $neg5)"
echo "   $((n_dpd - n_dpd0)) DPD exchanges from strongSwan answered by A, no retransmission"

sleep 0.5
kill -INT $dump_pid
wait $dump_pid 2>/dev/null
dump_pid=
/usr/bin/python3 - "$WORK/out.pcap" <<'PY' || fail "sequence numbers reused (above)"
import struct, sys
from scapy.all import rdpcap, IP, UDP
seen, dup, n = {}, 0, 0
for p in rdpcap(sys.argv[1]):
    if IP not in p or UDP not in p or p[IP].src != "192.0.2.254" or p[UDP].sport != 4500:
        continue
    b = bytes(p[UDP].payload)
    if len(b) < 8 or b[:4] == b"\0\0\0\0":
        continue  # NAT keepalive or IKE (non-ESP marker)
    spi, seq = struct.unpack("!II", b[:8])
    n += 1
    s = seen.setdefault(spi, {})
    if seq in s:
        dup += 1
        if dup <= 5:
            print("   reused: SPI 0x%08x seq %d" % (spi, seq))
    s[seq] = 1
for spi, s in seen.items():
    q = sorted(s)
    gaps = [b - a for a, b in zip(q, q[1:]) if b - a > 1]
    print("   SPI 0x%08x: %d ESP-in-UDP packets from the VIP, seq %d..%d, jumps %s"
          % (spi, len(q), q[0], q[-1], gaps[:4]))
if n == 0:
    print("   no ESP from the VIP captured")
    sys.exit(1)
sys.exit(1 if dup else 0)
PY
echo "4. no outbound sequence number reused per SPI (both switchovers)"

for x in a b; do
	eval "p=\$pid_$x"
	kill -TERM "$p"
	wait "$p"
	rc=$?
	eval "pid_$x="
	[ $rc = 0 ] || fail "$x exit status $rc"
done
echo "PASS"
