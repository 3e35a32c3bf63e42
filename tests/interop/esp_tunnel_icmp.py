#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ICMP answered through the tunnel, for tests/interop/esp_tunnel_icmp.sh:
scapy's SecurityAssociation plays the remote gateway of the manual SA in
esp_pcap.conf, encrypts a ping of the gateway's inside address and
traceroute-like probes with inner TTL 1, then decrypts what the gateway
sent back.

    esp_tunnel_icmp.py gen IN0 IN1 PROBES
    esp_tunnel_icmp.py check OUT0 OUT1 PROBES TELEMETRY
"""

import json
import sys

from scapy.all import ARP, Ether, ICMP, IP, UDP, Raw, rdpcap, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

HOST_MAC, PEER_MAC, BCAST = "02:00:00:00:01:02", "02:00:00:00:02:02", \
    "ff:ff:ff:ff:ff:ff"
HOST, GW_IN, PEER, GW_OUT, REMOTE = "10.1.0.2", "10.1.0.1", "192.0.2.2", \
    "192.0.2.1", "10.2.0.5"
# esp_pcap.conf: its inbound is our outbound and the other way round.
TO_GW = (0x2001, "4f2156b8b8d629a85d864406708db30e58ba911e")
FROM_GW = (0x1001, "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b")
PING = b"through-the-tunnel"


def sa(spi_key, src, dst):
    return SecurityAssociation(ESP, spi=spi_key[0], crypt_algo="AES-GCM",
                               crypt_key=bytes.fromhex(spi_key[1]),
                               tunnel_header=IP(src=src, dst=dst))


def gen(in0, in1, probes):
    tx = sa(TO_GW, PEER, GW_OUT)

    def esp(inner):
        return Ether(dst=BCAST, src=PEER_MAC) / tx.encrypt(IP(bytes(inner)))

    f0 = [Ether(dst=BCAST, src=HOST_MAC) /
          ARP(op=1, hwsrc=HOST_MAC, psrc=HOST, pdst=GW_IN)]
    f1 = [Ether(dst=BCAST, src=PEER_MAC) /
          ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=GW_OUT),
          esp(IP(src=REMOTE, dst=GW_IN) / ICMP(id=0x77, seq=1) / Raw(PING)),
          # Not ICMP: still nothing to answer it (inner-to-us).
          esp(IP(src=REMOTE, dst=GW_IN) / UDP(sport=5000, dport=9) /
              Raw(b"x"))]
    # Traceroute's probe with TTL 1 towards the inside host, repeated
    # past the ICMP error rate limit's burst.
    for i in range(int(probes)):
        f1.append(esp(IP(src=REMOTE, dst=HOST, ttl=1, id=0x5100 + i) /
                      UDP(sport=40000, dport=33434 + i) / Raw(b"probe")))
    wrpcap(in0, f0)
    wrpcap(in1, f1)


def check(out0, out1, probes, telemetry):
    probes = int(probes)
    with open(telemetry) as f:
        tel = json.load(f)
    icmp = tel["/twinsec/control"]["icmp"]
    drops = tel["/twinsec/drops"]
    rx = sa(FROM_GW, GW_OUT, PEER)
    bad = 0

    def expect(cond, what):
        nonlocal bad
        print(("PASS: " if cond else "FAIL: ") + what)
        bad += not cond

    clear, esp, inner = [], [], []
    for path in (out0, out1):
        for f in rdpcap(path):
            if IP not in f:
                continue
            if f[IP].proto == 50:
                esp.append(f)
            elif ICMP in f:
                clear.append(f)
    expect(not clear, "no ICMP in clear on either side (%d)" % len(clear))
    for f in esp:
        ok = f[IP].src == GW_OUT and f[IP].dst == PEER and \
            f[ESP].spi == FROM_GW[0]
        try:
            inner.append(rx.decrypt(f[IP]))
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            print("   cannot decrypt: %s" % e)
            ok = False
        if not ok:
            expect(False, "ESP from the gateway to the peer, SA 0x1001")
    replies = [p for p in inner if ICMP in p and p[ICMP].type == 0]
    ok = len(replies) == 1
    if ok:
        r = replies[0]
        ok = (r[IP].src == GW_IN and r[IP].dst == REMOTE and
              r[ICMP].code == 0 and r[ICMP].id == 0x77 and
              r[ICMP].seq == 1 and bytes(r[ICMP].payload) == PING and
              r[IP].ttl == 64)
    expect(ok, "echo reply from %s to %s through the tunnel" %
           (GW_IN, REMOTE))
    te = [p for p in inner if ICMP in p and p[ICMP].type == 11]
    good = 0
    for p in te:
        q = bytes(p[ICMP].payload)
        if (p[IP].src == GW_IN and p[IP].dst == REMOTE and
                p[ICMP].code == 0 and len(q) == 28 and q[8] == 1 and
                q[12:16] == bytes(map(int, REMOTE.split("."))) and
                q[16:20] == bytes(map(int, HOST.split(".")))):
            good += 1
    sent = icmp.get("tx_tunnel_time_exceeded", 0)
    limited = icmp["rate_limited"]
    print("   %d probes: %d time exceeded through the tunnel, %d rate "
          "limited" % (probes, sent, limited))
    expect(good == len(te) == sent and sent >= 1,
           "time exceeded from %s to %s quoting the probe (TTL 1), "
           "through the tunnel, as many as counted (%d of %d)" %
           (GW_IN, REMOTE, good, sent))
    # The bucket holds 100 (ICMP_ERR_BURST) and refills at 100/s: a burst
    # of probes well past it is cut, every probe accounted for.
    expect(sent + limited == probes and limited >= 1 and sent >= 100,
           "rate limit: %d sent + %d limited = %d probes" %
           (sent, limited, probes))
    expect(len(inner) == 1 + sent, "nothing else through the tunnel (%d)"
           % (len(inner) - 1 - sent))
    expect(icmp.get("tx_tunnel_echo_reply") == 1, "tx_tunnel_echo_reply 1")
    expect(drops["inner_ttl_expired"] == probes,
           "inner-ttl-expired counts every probe (%d)" %
           drops["inner_ttl_expired"])
    expect(drops["inner_to_us"] == 1, "UDP to us through the tunnel: "
           "inner-to-us (%d)" % drops["inner_to_us"])
    expect(drops["policy"] == 0, "no answer refused by the SPD")
    return bad


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gen":
        gen(*args[:3])
    else:
        sys.exit(1 if check(*args[:4]) else 0)
