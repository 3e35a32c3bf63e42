#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The outer DSCP of twinsec's ESP, for tests/interop/esp_dscp.sh: inner
packets with assorted TOS bytes from the inside, the ESP that came out
decrypted with scapy's SecurityAssociation.

    esp_dscp.py gen IN0 IN1
    esp_dscp.py check OUT1 copy|DSCP
"""

import sys

from scapy.all import ARP, Ether, IP, UDP, Raw, checksum, rdpcap, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

HOST_MAC, PEER_MAC, BCAST = "02:00:00:00:01:02", "02:00:00:00:02:02", \
    "ff:ff:ff:ff:ff:ff"
HOST, GW_IN, PEER, GW_OUT = "10.1.0.2", "10.1.0.1", "192.0.2.2", "192.0.2.1"
# esp_pcap.conf's outbound SA
SPI, KEY = 0x1001, "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"
# DSCP EF with ECT(1), CE with DSCP 0, AF41 with ECT(0), all zero
TOS = [0xb8 | 1, 0x03, 0x88 | 2, 0x00]


def gen(in0, in1):
    f0 = [Ether(dst=BCAST, src=HOST_MAC) /
          ARP(op=1, hwsrc=HOST_MAC, psrc=HOST, pdst=GW_IN)]
    for i, tos in enumerate(TOS):
        f0.append(Ether(dst=BCAST, src=HOST_MAC) /
                  IP(src=HOST, dst="10.2.0.5", tos=tos, id=0x600 + i) /
                  UDP(sport=1234, dport=80) / Raw(b"tos-%d" % i))
    f1 = [Ether(dst=BCAST, src=PEER_MAC) /
          ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=GW_OUT)]
    wrpcap(in0, f0)
    wrpcap(in1, f1)


def check(out1, mode):
    sa = SecurityAssociation(ESP, spi=SPI, crypt_algo="AES-GCM",
                             crypt_key=bytes.fromhex(KEY),
                             tunnel_header=IP(src=GW_OUT, dst=PEER))
    bad = 0
    got = {}
    for f in rdpcap(out1):
        if IP in f and f[IP].proto == 50:
            hdr = bytes(f[IP])[:20]
            if checksum(hdr) != 0:
                print("FAIL: outer header checksum of id %d" % f[IP].id)
                bad += 1
            inner = sa.decrypt(f[IP])
            got[inner[IP].id - 0x600] = (f[IP].tos, inner[IP].tos)
    for i, tos in enumerate(TOS):
        ecn = tos & 3
        # RFC 6040 4.1 normal mode: the outer ECN is the inner's
        want = tos if mode == "copy" else (int(mode) << 2) | ecn
        ok = got.get(i) == (want, tos)
        print("%s: inner TOS 0x%02x: outer 0x%02x (got %s)" %
              ("PASS" if ok else "FAIL", tos, want,
               "0x%02x, inner 0x%02x" % got[i] if i in got else "nothing"))
        bad += not ok
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(*sys.argv[2:4])
    else:
        sys.exit(1 if check(*sys.argv[2:4]) else 0)
