#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The two-site lab with IPv6 hosts (issue 18): tools/lab gives host A
# 2001:db8:1::10 and host B 2001:db8:2::10 beside their IPv4 addresses,
# config/lab-*.conf protect 2001:db8:1::/64 <-> 2001:db8:2::/64 beside
# 10.1/16 <-> 10.2/16, through the same IPv4 tunnel (192.0.2.1 <->
# 192.0.2.2):
#
#   host A 2001:db8:1::10 -- twinsecd A -- WAN bridge (capture) -- twinsecd B -- host B 2001:db8:2::10
#          via 2001:db8:1::1                                          via 2001:db8:2::1
#
# Run twice, each check printed PASS/FAIL:
#  manual SAs (config/lab-{a,b}-manual.conf: the IPv6 entry seq 20, SPIs
#  0x1002 A->B and 0x2002 B->A, keys of its own):
#   - ping6 A -> B and B -> A, no loss; TTL (hop limit) 64 -> 62
#   - 1 MiB over TCP/IPv6 each way (nc), sha256 of what arrived == sent
#   - the WAN capture holds only ESP between 192.0.2.1 and 192.0.2.2 and
#     ARP: no IPv6 frame, no inside address (10.x, 2001:db8:1/2::) in
#     clear; scapy decrypts every ESP packet of SPIs 0x1002 / 0x2002 with
#     the config's keys to IPv6 between the two sites' /64s (thousands of
#     them), sequence numbers increasing; the IPv4 entry's SPIs carried
#     nothing of it
#  IKEv2 (config/lab-{a,b}.conf, one entry with IPv4 and IPv6 rules):
#   - one IKE SA carrying exactly two Child SAs, mirrored (tools/lab-ike
#     wait --children 2), one of each inner family (the gateways' "Child
#     SA up" log lines: selectors 2001:db8:1::/64 <-> 2001:db8:2::/64 for
#     one)
#   - ping6 both ways, 1 MiB TCP/IPv6 each way, sha256 checked
#   - the WAN capture: IKE first, then only ESP (tools/lab-ike pcap: no
#     other packet, no IPv6 frame), exactly the two Child SAs' SPIs; the
#     IPv6 Child SA's SPIs carried the IPv6 traffic (scapy counts)
#   - both gateways exit 0 on SIGTERM; the lab leaves nothing behind
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) without
# root, network namespaces or scapy.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_lab.bash
. "$ROOT/tests/lib/topo_lab.bash"
cd "$ROOT" || exit 1
work_dir labipv6

finish() {
	lab_fail_logs "last lines" 25
	check_summary lab_ipv6
	exit $?
}

need_root "needs root (network namespaces)"
need_netns
need_python scapy.layers.ipsec cryptography

HA6=2001:db8:1::10
HB6=2001:db8:2::10
# Pings for the capture's decryption check: thousands of ESP packets
# (replies waited for 5 s: a loaded machine stalls for seconds at times).
N6=1000

ping6_ttl() { # hop limit of host B's reply at host A: 64 less two routers
	local hl
	hl=$(ip netns exec tw-hosta ping -6 -c 1 -W 2 $HB6 | sed -n 's/.* ttl=\([0-9]*\) .*/\1/p')
	echo "    reply hop limit at host A: ${hl:-none}"
	[ "$hl" = 62 ]
}

# traffic6 WHAT: the IPv6 traffic of both runs (ping6 both ways, many
# pings, the hop limit, 1 MiB of TCP each way)
traffic6() {
	check "$1: ping6 host A -> host B ($HB6), no loss" lab_ping tw-hosta $HB6
	check "$1: ping6 host B -> host A ($HA6), no loss" lab_ping tw-hostb $HA6
	check "$1: $N6 ping6 host A -> host B at 2 ms, at most 1% lost" \
		ping_ok tw-hosta $HB6 $((N6 * 99 / 100)) -c $N6 -i 0.002 -W 5
	sed 's/^/    /' <<<"$PING_SUMMARY"
	check "$1: hop limit decremented once by each gateway (64 -> 62)" ping6_ttl
	check "$1: TCP/IPv6 1 MiB host A -> host B, sha256 matches" \
		tcp_xfer tw-hosta tw-hostb $HB6 1048576
	check "$1: TCP/IPv6 1 MiB host B -> host A, sha256 matches" \
		tcp_xfer tw-hostb tw-hosta $HA6 1048576
}

# esp6_check PCAP MODE [ARGS]: scapy over the WAN capture (below)
esp6_check() {
	"$PYTHON" - "$@" >"$WORK/esp6.out" 2>&1 <<'PY'
import re, sys
from scapy.all import rdpcap, ARP, IP, IPv6, ESP, UDP
from scapy.layers.ipsec import SecurityAssociation

GW_A, GW_B = "192.0.2.1", "192.0.2.2"
pcap, mode = sys.argv[1], sys.argv[2]
problems = []
inside = ("10.", "2001:db8:1:", "2001:db8:2:")
n = {"frames": 0, "arp": 0, "esp": 0, "ike": 0, "ipv6": 0, "other": 0,
     "clear": 0}
by_spi = {}
sas = {}
if mode == "manual":
    # the IPv6 entry (seq 20) of config/lab-a-manual.conf: its SAs
    text = open(sys.argv[3]).read()
    ent = text[text.index("seq = 20;"):]
    for d in ("inbound", "outbound"):
        body = re.search(d + r"\s*=\s*\{([^}]*)\}", ent).group(1)
        spi = int(re.search(r"spi\s*=\s*(0x[0-9a-fA-F]+)", body).group(1), 16)
        key = bytes.fromhex(re.search(r'key\s*=\s*"([0-9a-f]+)"', body).group(1))
        src, dst = (GW_A, GW_B) if d == "outbound" else (GW_B, GW_A)
        sas[spi] = (d, SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM",
                                           crypt_key=key, auth_algo=None,
                                           tunnel_header=IP(src=src, dst=dst)))
want6 = {int(s, 16) for s in sys.argv[3:]} if mode == "ike" else set(sas)
if len(want6) != 2:
    problems.append("not two IPv6 SPIs to look for: %s" % sys.argv[3:])
dec = {s: 0 for s in want6}
last = {}
for p in rdpcap(pcap):
    n["frames"] += 1
    if ARP in p:
        n["arp"] += 1
        continue
    if IPv6 in p:
        n["ipv6"] += 1
        if len(problems) < 10:
            problems.append("IPv6 frame on the WAN: %s" % p.summary())
        continue
    if IP not in p:
        n["other"] += 1
        continue
    ip = p[IP]
    if any(a.startswith(inside) for a in (ip.src, ip.dst)):
        n["clear"] += 1
    if {ip.src, ip.dst} != {GW_A, GW_B}:
        n["other"] += 1
        continue
    if ip.proto == 17 and UDP in ip and 500 in (ip[UDP].sport, ip[UDP].dport):
        n["ike"] += 1
        continue
    if ip.proto != 50:
        n["other"] += 1
        if len(problems) < 10:
            problems.append("neither IKE nor ESP: %s" % ip.summary())
        continue
    n["esp"] += 1
    spi, seq = ip[ESP].spi, ip[ESP].seq
    by_spi[spi] = by_spi.get(spi, 0) + 1
    if spi not in want6:
        continue
    if seq <= last.get(spi, 0):
        problems.append("SPI 0x%x: sequence number %d after %d" % (spi, seq, last[spi]))
    last[spi] = seq
    if mode != "manual":
        dec[spi] += 1
        continue
    d, sa = sas[spi]
    try:
        inner = sa.decrypt(IP(bytes(ip)))
    except Exception as e:
        if len(problems) < 10:
            problems.append("SPI 0x%x seq %d does not decrypt: %s" % (spi, seq, e))
        continue
    a, b = ("2001:db8:1:", "2001:db8:2:") if d == "outbound" else ("2001:db8:2:", "2001:db8:1:")
    if IPv6 not in inner or not inner[IPv6].src.startswith(a) or \
            not inner[IPv6].dst.startswith(b):
        problems.append("SPI 0x%x seq %d: inner %s is not %s:/64 -> %s:/64"
                        % (spi, seq, inner.summary(), a, b))
        continue
    dec[spi] += 1
if n["clear"]:
    problems.append("%d packets with an inside address in clear" % n["clear"])
if n["other"]:
    problems.append("%d packets neither IKE nor ESP between the gateways" % n["other"])
for s in sorted(want6):
    # both ways of the IPv6 SAs carried the IPv6 traffic: well over the
    # pings' count each
    if dec[s] < 1000:
        problems.append("SPI 0x%x: only %d %s" % (
            s, dec[s], "decrypted to IPv6" if mode == "manual" else "ESP packets"))
print("%s; ESP per SPI: %s; IPv6 SAs %s: %s" % (
    ", ".join("%s %d" % kv for kv in n.items()),
    " ".join("0x%x %d" % kv for kv in sorted(by_spi.items())),
    "decrypted" if mode == "manual" else "ESP",
    " ".join("0x%x %d" % kv for kv in sorted(dec.items()))))
for pr in problems:
    print("problem: " + pr)
sys.exit(1 if problems else 0)
PY
	local rc=$?
	grep -v WARNING "$WORK/esp6.out" | sed 's/^/    /'
	return $rc
}

# ---- 1. manual SAs ----
export CONF_A=$ROOT/config/lab-a-manual.conf CONF_B=$ROOT/config/lab-b-manual.conf
lab_up || finish
check "manual: twinsecd A starts and answers ping on 10.1.0.1" "$TOOLS/lab-gw" start a
check "manual: twinsecd B starts and answers ping on 10.2.0.1" "$TOOLS/lab-gw" start b
[ "$TW_FAIL" != 0 ] && finish
wan_capture_start "$WORK/wan-manual.pcap"
traffic6 manual
sleep 0.5
wan_capture_stop
check "manual: WAN capture only ESP (and ARP), no IPv6, no inside address in clear; the IPv6 entry's SAs (0x1002, 0x2002) decrypt to IPv6 2001:db8:1::/64 <-> 2001:db8:2::/64" \
	esp6_check "$WORK/wan-manual.pcap" manual "$CONF_A"
ipv4_sa_idle() { # the IPv4 entry's SAs on A carried none of it
	"$TOOLS/tw-telemetry.py" -p tw-gwa --sas >"$WORK/tel-a.json" || return 1
	"$PYTHON" - "$WORK/tel-a.json" <<'PY'
import json, sys
v = {}
def walk(n):  # every SA object: it has an "spi" and packet counters
    if isinstance(n, dict):
        if "spi" in n and "pkts_encaps" in n:
            v[int(str(n["spi"]), 0)] = n["pkts_encaps"]
        for x in n.values():
            walk(x)
walk(json.load(open(sys.argv[1])))
out4, out6 = v.get(0x1001), v.get(0x1002)
print("    A's outbound SAs: 0x1001 (IPv4) %s packets, 0x1002 (IPv6) %s packets"
      % (out4, out6))
# the IPv4 SA: a few packets at most (nothing of this run is IPv4 inside)
sys.exit(0 if out4 is not None and out6 is not None and out4 < 100 and
         out6 >= 1000 else 1)
PY
}
check "manual: the IPv6 traffic left A on the IPv6 entry's SA, not the IPv4 one (telemetry)" ipv4_sa_idle
check "manual: twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all

# ---- 2. IKEv2 ----
export CONF_A=$ROOT/config/lab-a.conf CONF_B=$ROOT/config/lab-b.conf
lab_up || finish
wan_capture_start "$WORK/wan-ike.pcap" -s 128
fails=$TW_FAIL
check "ike: twinsecd B starts and answers ping on 10.2.0.1" "$TOOLS/lab-gw" start b
check "ike: twinsecd A starts and answers ping on 10.1.0.1" "$TOOLS/lab-gw" start a
[ "$TW_FAIL" != "$fails" ] && finish
two_children() {
	"$TOOLS/lab-ike" wait --timeout 40 --children 2 >"$WORK/wait.out" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/wait.out"
	return $rc
}
check "ike: one IKE SA carrying two Child SAs on each side, SPIs mirrored" two_children
# the IPv6 Child SA: A's log line with IPv6 selectors, "in X out Y"
# (selectors as ranges: 2001:db8:1::-2001:db8:1:0:ffff:ffff:ffff:ffff)
spis6=$(sed -n 's/.*Child SA up, in \([0-9a-f]*\) out \([0-9a-f]*\),.*selectors 2001:db8:1::-[0-9a-f:]* <-> 2001:db8:2::-.*/\1 \2/p' \
	"$LAB_DIR/tw-gwa.log" | tail -n 1)
spis4=$(sed -n 's/.*Child SA up, in \([0-9a-f]*\) out \([0-9a-f]*\),.*selectors 10\.1\.0\.0-10\.1\.255\.255 <-> 10\.2\.0\.0-.*/\1 \2/p' \
	"$LAB_DIR/tw-gwa.log" | tail -n 1)
families() {
	grep "Child SA up" "$LAB_DIR/tw-gwa.log" | sed 's/^/    /'
	echo "    IPv4 Child SA in/out: ${spis4:-none}; IPv6 Child SA in/out: ${spis6:-none}"
	[ -n "$spis4" ] && [ -n "$spis6" ]
}
check "ike: one Child SA per inner family (A's log: IPv4 and IPv6 selectors)" families
check "ike: ping host A -> host B (10.2.0.10) beside, no loss" lab_ping tw-hosta 10.2.0.10
traffic6 ike
sleep 0.5
wan_capture_stop
wire_ike() {
	# shellcheck disable=SC2086
	"$PYTHON" "$TOOLS/lab-ike" pcap "$WORK/wan-ike.pcap" $spis4 $spis6 >"$WORK/pcap.out" 2>&1
	local rc=$?
	grep -v WARNING "$WORK/pcap.out" | sed 's/^/    /'
	return $rc
}
check "ike: WAN capture IKE first, then only ESP, exactly the two Child SAs' SPIs" wire_ike
# shellcheck disable=SC2086
check "ike: the IPv6 Child SA's SPIs ($spis6) carried the IPv6 traffic both ways, no IPv6 frame on the WAN" \
	esp6_check "$WORK/wan-ike.pcap" ike $spis6
check "ike: twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all
check "tools/lab down leaves none of its namespaces, no gateway process, no DPDK runtime dir" lab_gone
finish
