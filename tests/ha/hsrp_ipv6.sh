#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# HSRP version 2 for IPv6 between two twinsecd twins (config/hsrp6-{a,b}.conf:
# config/hsrp-{a,b}.conf plus 2001:db8:1::/64 on the inside LAN and group 6
# for IPv6 there, "autoconfig" and the global 2001:db8:1::254/64, MD5):
#   1. the pair elects: A (110) Active on every group, B (100) Standby;
#   2. the inside host's NS for the link-local virtual address
#      fe80::5:73ff:fea0:6 and for 2001:db8:1::254 are answered with the
#      virtual MAC 00:05:73:a0:00:06 (scapy);
#   3. tshark's hsrp2 dissector (independent of lib/hsrp) decodes the
#      hellos on the LAN: UDP 2029 to ff02::66, hop limit 255, from the
#      twins' link-local addresses, ip-version 6, group 6, that VIP;
#   4. kill -9 A: B is Active within the hold time (900 ms, asserted with a
#      margin for two loaded cores) and sends unsolicited NAs (to ff02::1,
#      override set, solicited clear, the virtual MAC) for both virtual
#      addresses; the bridge moves the virtual MAC to B; the host's NS are
#      answered again.
# The sync channel stays IPv4 here (not configured: HSRP only).
#
#   tw-h6-ha 10.1.0.10 2001:db8:1::10 ── br-in ──┬── A .1 ::1 | 192.0.2.1 ──┬── br-out
#   (tw-h6-sw holds the bridges)               └── B .2 ::2 | 192.0.2.2 ──┘
# (tests/lib/topo_twins.bash with IPv6 turned on again in the host.)
#
# Namespaces tw-h6-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-h6
VMAC=00:05:73:a0:00:06
LL_VIP=fe80::5:73ff:fea0:6
G_VIP=2001:db8:1::254

need_root
need_built "$TWINSECD"
need_cmd ip "ip not found (tools/setup)"
need_cmd tcpdump
need_cmd tshark "tshark not installed (tools/setup)"
need_python scapy

work_dir hsrp-ipv6
on_fail() { logs_tail 15; }

twins_up
nsx "$P-ha" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0
nsx "$P-ha" ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad
twin_conf hsrp6-a a
twin_conf hsrp6-b b
chmod 600 "$WORK/a.conf" "$WORK/b.conf"

# h6_state a|b: the IPv6 group's state
h6_state() { tel_py "$P-$1" /twinsec/standby 'd["inside_6"]["state"]'; }
_h6_is() { [ "$(h6_state "$1")" = "$2" ]; }

# capture NAME: everything HSRP-for-IPv6 and ICMPv6 the host sees
capture() {
	nsx "$P-ha" tcpdump -i eth0 -U -s 0 -w "$WORK/$1.pcap" \
		'udp port 2029 or icmp6' >"$WORK/$1.tcpdump" 2>&1 &
	cap_pid=$!
	track "$cap_pid"
	sleep 1
}
capture_stop() { sleep 0.5; stop_pid "$cap_pid" TERM; }

# ns_check WHO: NS from the host for both virtual addresses, answered by
# an NA whose target link-layer address is the virtual MAC
ns_check() {
	local out
	out=$(ip netns exec "$P-ha" "$PYTHON" - "$VMAC" "$LL_VIP" "$G_VIP" <<'PY'
import sys
from scapy.all import (Ether, IPv6, ICMPv6ND_NS, ICMPv6ND_NA,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr,
                       in6_getnsma, in6_getnsmac, inet_pton, inet_ntop,
                       get_if_hwaddr, sendp, AsyncSniffer, conf)
import socket
import time
conf.verb = 0
vmac, targets = sys.argv[1], sys.argv[2:]
me = get_if_hwaddr("eth0")
bad = 0
for t in targets:
    sn = inet_ntop(socket.AF_INET6,
                   in6_getnsma(inet_pton(socket.AF_INET6, t)))
    p = (Ether(src=me, dst=in6_getnsmac(inet_pton(socket.AF_INET6, sn))) /
         IPv6(src="2001:db8:1::10", dst=sn, hlim=255) /
         ICMPv6ND_NS(tgt=t) / ICMPv6NDOptSrcLLAddr(lladdr=me))
    r = None
    for _ in range(3):
        sn_ = AsyncSniffer(iface="eth0", count=1, timeout=1.5,
                           lfilter=lambda x: ICMPv6ND_NA in x and
                           x[ICMPv6ND_NA].tgt == t and x[IPv6].dst != "ff02::1")
        sn_.start()
        time.sleep(0.2)
        sendp(p, iface="eth0")
        sn_.join()
        if sn_.results:
            r = sn_.results[0]
            break
    if r is None:
        print("no NA for %s" % t)
        bad += 1
        continue
    na = r[ICMPv6ND_NA]
    tll = r[ICMPv6NDOptDstLLAddr].lladdr if ICMPv6NDOptDstLLAddr in r else "-"
    print("NA for %s: tll %s, from %s, S=%d O=%d" %
          (t, tll, r[Ether].src, na.S, na.O))
    if tll != vmac or r[Ether].src != vmac or not na.S or not na.O:
        bad += 1
sys.exit(1 if bad else 0)
PY
	) || { echo "$out" | sed 's/^/    /'; fail "$1: NS for the virtual addresses not answered with $VMAC"; }
	echo "$out" | sed 's/^/    /'
}

capture hello
start a a
sleep 1
start b b
wait_states a "Active Active" 10
wait_states b "Standby Standby" 10
wait_until 5 _h6_is a Active || fail "A's IPv6 group: '$(h6_state a)', wanted Active"
wait_until 5 _h6_is b Standby || fail "B's IPv6 group: '$(h6_state b)', wanted Standby"
ar=$(tel_py "$P-b" /twinsec/standby 'd["inside_6"]["active_router"], d["inside_6"]["vip"]')
case $ar in
"fe80::"*" $LL_VIP") ;;
*) fail "B's telemetry of the IPv6 group: active router and VIP '$ar'" ;;
esac
echo "1. A Active on every group (the IPv6 one too), B Standby (active router $ar)"

ns_check "A Active"
echo "2. the host's NS for $LL_VIP and $G_VIP answered with $VMAC"

sleep 1
capture_stop
tshark -r "$WORK/hello.pcap" -d udp.port==2029,hsrp -Y hsrp2.version -T fields \
	-E separator=' ' -e ipv6.src -e ipv6.dst -e ipv6.hlim \
	-e hsrp2.ipversion -e hsrp2.group -e hsrp2.state -e hsrp2.priority \
	-e hsrp2.virt_ip_v6 -e hsrp2.md5_key_id >"$WORK/hello.txt" \
	2>"$WORK/tshark.err" ||
	fail "tshark cannot read the capture: $(tail -n 3 "$WORK/tshark.err")"
n=$(wc -l <"$WORK/hello.txt")
echo "   tshark: $n HSRPv2 packets, e.g."
grep -m 1 ' 110 ' "$WORK/hello.txt" | sed 's/^/    /'
grep -m 1 ' 100 ' "$WORK/hello.txt" | sed 's/^/    /'
[ "$n" -ge 5 ] || fail "tshark decoded $n HSRPv2 packets on UDP 2029"
# every one: link-local source, ff02::66, hop limit 255, IPv6 group 6, our VIP, key id 6
bad=$(awk -v v="$LL_VIP" '!($1 ~ /^fe80::/ && $2 == "ff02::66" && $3 == 255 &&
	$4 == 6 && $5 == 6 && $8 == v && $9 == 6)' "$WORK/hello.txt" | head -n 3)
[ -z "$bad" ] || fail "hellos tshark decodes differently: $bad"
# A (110) says Active (6), B (100) Standby (5)
grep -q ' 6 6 6 110 ' "$WORK/hello.txt" || fail "no Active hello from A (priority 110)"
grep -q ' 6 6 5 100 ' "$WORK/hello.txt" || fail "no Standby hello from B (priority 100)"
echo "3. tshark decodes the hellos: to ff02::66, hop limit 255, IPv6 group 6, VIP $LL_VIP"

capture takeover
t0=$(date +%s%N)
twin_kill a
wait_until 3 _h6_is b Active || fail "B's IPv6 group: '$(h6_state b)' 3 s after A died"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "4. kill -9 A: B's IPv6 group Active after $ms ms (hold time 900 ms)"
[ "$ms" -le 2500 ] || fail "takeover took $ms ms, hold time 900 ms"
capture_stop
tshark -r "$WORK/takeover.pcap" -Y 'icmpv6.type == 136 && ipv6.dst == ff02::1' \
	-T fields -E separator=' ' -e eth.src -e icmpv6.nd.na.target_address \
	-e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o -e icmpv6.opt.linkaddr \
	>"$WORK/na.txt" 2>"$WORK/tshark.err" ||
	fail "tshark cannot read the takeover capture: $(tail -n 3 "$WORK/tshark.err")"
sed 's/^/    /' "$WORK/na.txt" | sort | uniq -c | head -n 4
for t in "$LL_VIP" "$G_VIP"; do
	awk -v t="$t" -v m="$VMAC" '$1 == m && $2 == t && ($3 == "0" || $3 == "False") &&
		($4 == "1" || $4 == "True") && $5 == m' "$WORK/na.txt" | grep -q . ||
		fail "no unsolicited NA (override, virtual MAC) for $t after the takeover"
done
echo "   unsolicited NAs to ff02::1 for $LL_VIP and $G_VIP, override set, from $VMAC"
nsx "$P-sw" bridge fdb show br br-in | grep -i "$VMAC dev sw-b-in" >/dev/null ||
	fail "the bridge did not move the virtual MAC to B"
ns_check "B Active"
echo "   the bridge has $VMAC on B's port; B answers the NS"

twins_stop b
echo "PASS"
