#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Decrypted inner packets and ESP trailers a peer that holds the keys can
get wrong, for tests/interop/esp_inner.sh. scapy's SecurityAssociation
(nobody here wrote it) encrypts; the bad inner headers and trailers are
built here byte by byte (RFC 791 3.1, RFC 4303 2.4-2.6).

    esp_inner.py gen HOST IN0 IN1 EXPECT   frames for each port (ARP
                                           first), expected drops
    esp_inner.py send IFACE IN1            send IN1's frames on IFACE
    esp_inner.py check HOST OUT EXPECT TELEMETRY
"""

import json
import struct
import sys

from scapy.all import ARP, Ether, IP, UDP, Raw, rdpcap, sendp, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation, _ESPPlain

HOST_MAC, PEER_MAC, BCAST = "02:00:00:00:01:02", "02:00:00:00:02:02", \
    "ff:ff:ff:ff:ff:ff"
GW_IN, PEER, GW_OUT, REMOTE = "10.1.0.1", "192.0.2.2", "192.0.2.1", \
    "10.2.0.5"
SPI = 0x2001
KEY = bytes.fromhex("4f2156b8b8d629a85d864406708db30e58ba911e")


def cksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Peer:
    """scapy's SA, and ESP with a trailer of our choosing."""

    def __init__(self):
        self.sa = SecurityAssociation(ESP, spi=SPI, crypt_algo="AES-GCM",
                                      crypt_key=KEY,
                                      tunnel_header=IP(src=PEER, dst=GW_OUT))

    def frame(self, esp):
        return Ether(dst=BCAST, src=PEER_MAC) / \
            IP(src=PEER, dst=GW_OUT, proto=50) / esp

    def good(self, inner):
        return Ether(dst=BCAST, src=PEER_MAC) / self.sa.encrypt(inner)

    def raw(self, data, nh=4, padding=None):
        """data (bytes) as the ESP payload, next header nh; padding
        replaces RFC 4303's 1, 2, 3, ... (the length stays aligned)."""
        sa = self.sa
        esp = _ESPPlain(spi=SPI, seq=sa.seq_num,
                        iv=sa.crypt_algo.generate_iv(), data=Raw(data),
                        nh=nh)
        esp = sa.crypt_algo.pad(esp)
        if padding is not None:
            n = len(esp.padding) + 4
            esp.padding, esp.padlen = bytes([padding] * n), n
        out = sa.crypt_algo.encrypt(sa, esp, sa.crypt_key,
                                    sa.crypt_icv_size)
        sa.auth_algo.sign(out, sa.auth_key)
        sa.seq_num += 1
        return self.frame(out)


def udp_to(dst, tag, size=40, ttl=64):
    return IP(bytes(IP(src=REMOTE, dst=dst, ttl=ttl) /
                    UDP(sport=5000, dport=7) /
                    Raw((tag + ":").encode().ljust(size, b"."))))


def mangle(pkt, **kw):
    """pkt's bytes with header fields set, the checksum redone unless
    cksum is given."""
    b = bytearray(bytes(pkt))
    if "vihl" in kw:
        b[0] = kw["vihl"]
    if "tl" in kw:
        struct.pack_into("!H", b, 2, kw["tl"])
    struct.pack_into("!H", b, 10, 0)
    hl = max(20, (b[0] & 15) * 4)
    struct.pack_into("!H", b, 10, kw.get("cksum", cksum(bytes(b[:hl]))))
    return bytes(b)


def gen(host, in0, in1, expect):
    p = Peer()
    f0 = [Ether(dst=BCAST, src=HOST_MAC) /
          ARP(op=1, hwsrc=HOST_MAC, psrc=host, pdst=GW_IN)]
    f1 = [Ether(dst=BCAST, src=PEER_MAC) /
          ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=GW_OUT)]
    want = {}
    good = {}

    def bad(reason, frame):
        f1.append(frame)
        want[reason] = want.get(reason, 0) + 1

    f1.append(p.good(udp_to(host, "valid")))
    good["valid"] = 68
    # TFC padding (RFC 4303 2.7): 16 bytes after a 68-byte datagram.
    f1.append(p.raw(bytes(udp_to(host, "tfc")) + b"\xee" * 16))
    good["tfc"] = 68
    u = udp_to(host, "hdr")
    bad("inner-bad-header", p.raw(mangle(u, vihl=0x40)))   # IHL 0
    bad("inner-bad-header", p.raw(mangle(u, vihl=0x44)))   # IHL 4
    bad("inner-bad-length", p.raw(mangle(u, tl=0)))
    bad("inner-bad-length", p.raw(mangle(u, tl=8)))
    bad("inner-bad-length", p.raw(mangle(u, tl=len(u) + 10)))
    bad("inner-bad-checksum", p.raw(mangle(u, cksum=0x1234)))
    bad("inner-to-us", p.raw(bytes(udp_to(GW_IN, "to-us"))))
    # RFC 4303 2.6: next header 59, a dummy packet, dropped silently.
    bad("dummy", p.raw(b"\x5a" * 40, nh=59))
    bad("esp-bad-padding", p.raw(bytes(udp_to(host, "pad")), padding=9))
    bad("esp-next-header", p.raw(bytes(udp_to(host, "nh")), nh=17))
    # SPI, sequence, IV and less than the 16-byte ICV.
    bad("esp-truncated", p.frame(Raw(struct.pack("!II", SPI, 900) +
                                     b"\0" * 8 + b"\1" * 10)))
    for r in ("icv", "replay", "no-sa", "crypto", "policy", "malformed"):
        want.setdefault(r, 0)
    wrpcap(in0, f0)
    wrpcap(in1, f1)
    with open(expect, "w") as f:
        json.dump({"drops": want, "good": good}, f)


def send(iface, in1):
    # The ARP is for net_pcap: on veths the kernels do it.
    sendp([f for f in rdpcap(in1) if ARP not in f], iface=iface,
          verbose=False, inter=0.01)


def check(host, out, expect, telemetry):
    with open(expect) as f:
        exp = json.load(f)
    with open(telemetry) as f:
        drops = json.load(f)["/twinsec/drops"]
    bad = 0

    def expect_(cond, what):
        nonlocal bad
        print(("PASS: " if cond else "FAIL: ") + what)
        bad += not cond

    seen = {}
    for f in rdpcap(out):
        if IP not in f or f[IP].src != REMOTE or UDP not in f:
            continue
        tag = bytes(f[UDP].payload).split(b":")[0].decode(errors="replace")
        seen.setdefault(tag, []).append(f)
    for tag, size in exp["good"].items():
        fs = seen.get(tag, [])
        ok = len(fs) == 1
        if ok:
            ip = fs[0][IP]
            ok = (ip.dst == host and ip.len == size and
                  len(bytes(ip)) == size and ip.ttl == 63 and
                  cksum(bytes(ip)[:20]) == 0)
        expect_(ok, "%s: forwarded once, %d bytes, TTL 63" % (tag, size))
    extra = sorted(set(seen) - set(exp["good"]))
    expect_(not extra, "nothing else forwarded (%s)" % extra)
    for r, n in sorted(exp["drops"].items()):
        got = drops.get(r.replace("-", "_"))
        expect_(got == n, "drops %s = %d (%s)" % (r, n, got))
    return bad


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gen":
        gen(*args[:4])
    elif cmd == "send":
        send(*args[:2])
    else:
        sys.exit(1 if check(*args[:4]) else 0)
