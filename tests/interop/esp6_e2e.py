# SPDX-License-Identifier: BSD-3-Clause
"""ESP over IPv6 end to end (tests/interop/esp6_e2e.sh), scapy's side.

  send-in HOST_MODE: (inside host) clear UDP into the three tunnels
  peer OUT_PCAP: (outside host) decrypt what the gateway sent, check each
    flow's inner packet is the original; then seal one packet per flow
    towards the gateway (delivered to the inside host, checked there)
  got IN_PCAP: (inside host) the sealed packets arrived in clear
"""
import sys

from scapy.all import IP, IPv6, UDP, Raw, rdpcap, send, conf
from scapy.layers.ipsec import ESP, SecurityAssociation

conf.verb = 0
GW6, PEER6, GW4, PEER4 = "2001:db8:2::1", "2001:db8:2::20", "192.0.2.1", \
    "192.0.2.20"
# name, outer, spi out, key out, spi in, key in, inner src/dst (inside)
FLOWS = [
    ("6in6", 6, 0x1010, "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b",
     0x2010, "4f2156b8b8d629a85d864406708db30e58ba911e",
     IPv6, "2001:db8:1::10", "2001:db8:a::5"),
    ("6in4", 4, 0x1020, "e3e02880b4fbe9c7181c5babfa863b74e14dfa9b",
     0x2020, "5f2156b8b8d629a85d864406708db30e58ba911e",
     IPv6, "2001:db8:1::10", "2001:db8:b::5"),
    ("4in6", 6, 0x1030, "d3e02880b4fbe9c7181c5babfa863b74e14dfa9b",
     0x2030, "6f2156b8b8d629a85d864406708db30e58ba911e",
     IP, "10.1.0.10", "10.20.0.5"),
]


def outer(af, src, dst):
    return IPv6(src=src, dst=dst) if af == 6 else IP(src=src, dst=dst)


def sa(spi, key, hdr):
    return SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM",
                               crypt_key=bytes.fromhex(key),
                               tunnel_header=hdr)


def send_in():
    for f in FLOWS:
        name, _, _, _, _, _, ip, src, dst = f
        for i in range(3):
            send(ip(src=src, dst=dst) / UDP(sport=5000, dport=5001) /
                 Raw(b"out-%s-%d" % (name.encode(), i)))


def peer(pcap):
    pkts = rdpcap(pcap)
    bad = 0
    for name, af, spo, ko, spi_in, ki, ip, src, dst in FLOWS:
        gw, pr = (GW6, PEER6) if af == 6 else (GW4, PEER4)
        s = sa(spo, ko, outer(af, gw, pr))
        ok = 0
        for p in pkts:
            o = p.getlayer(IPv6 if af == 6 else IP)
            if o is None or ESP not in p or p[ESP].spi != spo:
                continue
            if o.src != gw or o.dst != pr:
                print("%s: outer %s -> %s" % (name, o.src, o.dst))
                continue
            inner = s.decrypt(o)
            if (isinstance(inner, ip) and inner.src == src and
                    inner.dst == dst and UDP in inner and
                    bytes(inner[UDP].payload).startswith(
                        b"out-%s-" % name.encode())):
                ok += 1
        print("%s: %d packets decrypted to the original" % (name, ok))
        if ok == 0:
            bad += 1
        # scapy-sealed ESP towards the gateway, for the inside host
        s = sa(spi_in, ki, outer(af, pr, gw))
        for i in range(3):
            send(s.encrypt(ip(src=dst, dst=src) /
                           UDP(sport=6000, dport=6001) /
                           Raw(b"in-%s-%d" % (name.encode(), i))))
    return bad


def got(pcap):
    pkts = rdpcap(pcap)
    bad = 0
    for name, _, _, _, _, _, ip, src, dst in FLOWS:
        n = sum(1 for p in pkts if ip in p and p[ip].src == dst and
                p[ip].dst == src and UDP in p and p[UDP].dport == 6001 and
                bytes(p[UDP].payload).startswith(
                    b"in-%s-" % name.encode()))
        print("%s: %d sealed packets delivered in clear" % (name, n))
        bad += n == 0
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "send-in":
        send_in()
        sys.exit(0)
    sys.exit(1 if (peer if sys.argv[1] == "peer" else got)(sys.argv[2])
             else 0)
