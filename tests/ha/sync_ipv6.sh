#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The sync channel over IPv6 (tests/lib/topo_twins.bash, the manual-SA
# configs config/ha-{a,b}.conf with their ipc addresses changed to
# two IPv6 addresses each on the sync veth, 2001:db8:5::1/::2 and
# 2001:db8:6::1/::2 (SCTP multi-homing), transport sctp-udp: usrsctp on an
# AF_INET6 socket, UDP-encapsulated over IPv6):
#   1. A ACTIVE, B STANDBY HOT: the association came up over IPv6;
#   2. "show redundancy" on both prints the twin's two IPv6 addresses with
#      their paths up, telemetry names the peer by its IPv6 address;
#   3. the SAs A installed are held on B (bulk sync over IPv6), and B's
#      "show crypto ipsec sa" lists A's SPIs;
#   4. a capture on the sync link holds UDP over IPv6 to port 9899 (the
#      SCTP encapsulation) and no IPv4 at all.
# Namespaces tw-s6-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-s6
A6=2001:db8:5::1
B6=2001:db8:5::2
A6B=2001:db8:6::1
B6B=2001:db8:6::2

need_root
need_built "$TWINSECD"
need_cmd ip "ip not found (tools/setup)"
need_cmd tcpdump

work_dir sync-ipv6
on_fail() { logs_tail 20; }

twins_up
# IPv6 back on for the sync link only; the IPv4 addresses go away.
for x in a b; do
	nsx "$P-$x" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.disable_ipv6=0 \
		"net.ipv6.conf.$x-sync.disable_ipv6=0"
	nsx "$P-$x" ip -4 addr flush dev "$x-sync"
done
nsx "$P-a" ip -6 addr add "$A6/64" dev a-sync nodad
nsx "$P-a" ip -6 addr add "$A6B/64" dev a-sync nodad
nsx "$P-b" ip -6 addr add "$B6/64" dev b-sync nodad
nsx "$P-b" ip -6 addr add "$B6B/64" dev b-sync nodad
twin_conf ha-a a
twin_conf ha-b b
sed -i -e "s/\"198.51.100.1\"/\"$A6\", \"$A6B\"/" \
	-e "s/\"198.51.100.2\"/\"$B6\", \"$B6B\"/" "$WORK/a.conf" "$WORK/b.conf"
grep -qF "local_ip = [\"$A6\", \"$A6B\"]; remote_ip = [\"$B6\", \"$B6B\"]" \
	"$WORK/a.conf" || fail "a.conf: the ipc addresses were not patched"
grep -qF "local_ip = [\"$B6\", \"$B6B\"]; remote_ip = [\"$A6\", \"$A6B\"]" \
	"$WORK/b.conf" || fail "b.conf: the ipc addresses were not patched"

nsx "$P-a" tcpdump -i a-sync -U -n -w "$WORK/sync.pcap" >"$WORK/tcpdump.log" 2>&1 &
cap_pid=$!
track "$cap_pid"
sleep 1
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b my_state "STANDBY HOT" 15
echo "1. A ACTIVE, B STANDBY HOT over the IPv6 sync association"

for x in a b; do
	console "$P-$x" "show redundancy" >"$WORK/red-$x.log" 2>&1 ||
		fail "show redundancy on $x: $(cat "$WORK/red-$x.log")"
done
grep -q "^Sync peer = \[$B6\]:5000 (IPv6), path up" "$WORK/red-a.log" ||
	fail "A's show redundancy: $(grep Sync "$WORK/red-a.log")"
grep -q "^Sync peer = \[$A6\]:5000 (IPv6), path up" "$WORK/red-b.log" ||
	fail "B's show redundancy: $(grep Sync "$WORK/red-b.log")"
grep -q "^Sync peer = \[$B6B\]:5000 (IPv6), path up" "$WORK/red-a.log" ||
	fail "A's show redundancy: $(grep Sync "$WORK/red-a.log")"
grep -q "^Sync peer = \[$A6B\]:5000 (IPv6), path up" "$WORK/red-b.log" ||
	fail "B's show redundancy: $(grep Sync "$WORK/red-b.log")"
grep -q "^Sync local = \[$B6\]:5000 \[$B6B\]:5000, association up" \
	"$WORK/red-b.log" ||
	fail "B's show redundancy: $(grep Sync "$WORK/red-b.log")"
[ "$(rf b transport_peer)" = "$A6" ] ||
	fail "B's telemetry transport_peer: '$(rf b transport_peer)'"
[ "$(rf a transport_peer_up)" = 2 ] ||
	fail "A's telemetry transport_peer_up: '$(rf a transport_peer_up)'"
grep "^Sync" "$WORK/red-b.log" | sed 's/^/   B: /'
echo "2. show redundancy and telemetry name the twin by its IPv6 addresses, both paths up"

inst=$(rf a sas_installed)
[ "$inst" -gt 0 ] || fail "A installed no SAs"
wait_until 10 _rf_is b sas_decoupled "$inst" ||
	fail "B holds $(rf b sas_decoupled) SAs, A installed $inst"
[ "$(rf b records_in)" -gt 0 ] || fail "B received no sync records"
console "$P-a" "show crypto ipsec sa" >"$WORK/sa-a.log" 2>&1
console "$P-b" "show crypto ipsec sa" >"$WORK/sa-b.log" 2>&1
spis=$(grep -o '  spi: 0x[1-9A-F][0-9A-F]*(' "$WORK/sa-a.log" | sort -u)
[ -n "$spis" ] || fail "no SPI in A's show crypto ipsec sa"
while read -r s; do
	grep -qF "$s" "$WORK/sa-b.log" || fail "B does not list A's $s"
done <<<"$spis"
echo "3. A's $inst SAs held on B ($(rf b records_in) records over IPv6), SPIs listed on B"

sleep 0.5
stop_pid "$cap_pid" TERM
n6=$(tcpdump -nr "$WORK/sync.pcap" "ip6 and udp port 9899" 2>/dev/null | wc -l)
n4=$(tcpdump -nr "$WORK/sync.pcap" ip 2>/dev/null | wc -l)
[ "$n6" -gt 0 ] || fail "no SCTP-in-UDP over IPv6 on the sync link"
[ "$n4" = 0 ] || fail "$n4 IPv4 packets on the sync link"
echo "4. sync link: $n6 SCTP-in-UDP/IPv6 packets, no IPv4"

twins_stop a b
echo "PASS"
