#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Outer IPv4 fragments of ESP and UDP to the gateway, for
tests/interop/esp_frag_pcap.sh: scapy's SecurityAssociation encrypts, the
fragments are cut here by RFC 791 3.2, twinsecd reassembles (or refuses)
on net_pcap, which unlike net_af_packet does not let the kernel do it.

    esp_frag_pcap.py gen IN0 IN1 EXPECT   frames for each port, and the
                                           expected drop counts
    esp_frag_pcap.py check OUT0 EXPECT TELEMETRY
"""

import json
import sys

from scapy.all import ARP, Ether, IP, UDP, Raw, defragment, rdpcap, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

HOST_MAC, PEER_MAC, BCAST = "02:00:00:00:01:02", "02:00:00:00:02:02", \
    "ff:ff:ff:ff:ff:ff"
HOST, GW_IN, PEER, GW_OUT = "10.1.0.2", "10.1.0.1", "192.0.2.2", "192.0.2.1"
NATT_PEER = "192.0.2.3"
REMOTE = "10.2.0.5"
SPI = 0x2001
KEY = bytes.fromhex("4f2156b8b8d629a85d864406708db30e58ba911e")
SLOTS = 16          # DP_REASM_SLOTS
MAX_FRAGS = 32      # DP_REASM_FRAGS
DGRAM_MAX = 10240   # DP_REASM_DGRAM_MAX: the largest datagram rebuilt


def sa():
    return SecurityAssociation(ESP, spi=SPI, crypt_algo="AES-GCM",
                               crypt_key=KEY,
                               tunnel_header=IP(src=PEER, dst=GW_OUT))


def inner(tag, size, ident=1):
    body = (tag.encode() + b":" + b"-" * size)[:max(size, len(tag) + 1)]
    return IP(bytes(IP(src=REMOTE, dst=HOST, ttl=64, id=ident) /
                    UDP(sport=5000, dport=7) / Raw(body)))


def frags(pkt, ident, cuts):
    """pkt (IP) cut at the payload offsets in cuts: [(off, len, mf)]"""
    payload = bytes(pkt[IP].payload)
    payload += bytes(max(0, max(o + n for o, n, _ in cuts) - len(payload)))
    out = []
    for off, ln, mf in cuts:
        ip = IP(src=pkt[IP].src, dst=pkt[IP].dst, id=ident,
                proto=pkt[IP].proto, ttl=64, flags="MF" if mf else 0,
                frag=off // 8) / Raw(payload[off:off + ln])
        out.append(Ether(dst=BCAST, src=PEER_MAC) / ip)
    return out


def even(pkt, size):
    """Cuts of size bytes (a multiple of 8), the last one shorter."""
    n = len(bytes(pkt[IP].payload))
    return [(o, min(size, n - o), o + size < n) for o in range(0, n, size)]


def gen(in0, in1, expect):
    tx = sa()
    p0 = [Ether(dst=BCAST, src=HOST_MAC) /
          ARP(op=1, hwsrc=HOST_MAC, psrc=HOST, pdst=GW_IN)]
    p1 = [Ether(dst=BCAST, src=PEER_MAC) /
          ARP(op=1, hwsrc=PEER_MAC, psrc=PEER, pdst=GW_OUT)]
    want = {}
    good = []
    # Unfragmented, the reference.
    e = tx.encrypt(inner("whole", 300))
    p1.append(Ether(dst=BCAST, src=PEER_MAC) / e)
    good.append("whole")
    # In order, reversed, middle first: each delivered once.
    for tag, order in (("in-order", [0, 1, 2]), ("reversed", [2, 1, 0]),
                       ("shuffled", [1, 2, 0])):
        e = tx.encrypt(inner(tag, 1200))
        f = frags(e, 0x100 + len(good), even(e, 512))
        assert len(f) == 3
        p1 += [f[i] for i in order]
        good.append(tag)
    # A last fragment of a few bytes, its frame padded to Ethernet's 60
    # as a NIC would: the padding is not part of the datagram.
    e = tx.encrypt(inner("short-last", 700))
    n = len(bytes(e[IP].payload))
    m = (n - 1) // 8 * 8
    f = frags(e, 0x140, [(0, m, True), (m, n - m, False)])
    f[1] = Ether(bytes(f[1]) + bytes(60 - len(f[1])))
    assert len(f[1]) == 60
    p1 += f
    good.append("short-last")
    # ESP in UDP 4500 (RFC 3948) from the NAT-T peer, fragmented.
    nt = SecurityAssociation(ESP, spi=0x2003, crypt_algo="AES-GCM",
                             crypt_key=bytes.fromhex(
                                 "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4"),
                             tunnel_header=IP(src=NATT_PEER, dst=GW_OUT),
                             nat_t_header=UDP(sport=4500, dport=4500))
    e = nt.encrypt(IP(bytes(IP(src="10.3.0.5", dst=HOST, ttl=64) /
                            UDP(sport=5000, dport=7) /
                            Raw(b"nat-t:" + b"-" * 1200))))
    f = frags(e, 0x150, even(e, 512))
    p1 += [f[2], f[0], f[1]]
    good.append("nat-t")
    # UDP to us (port 9, nobody listens), fragmented: reassembled, then
    # the control lcore counts it like any unfragmented one.
    u = IP(bytes(IP(src=PEER, dst=GW_OUT, id=0x200) /
                 UDP(sport=40000, dport=9) / Raw(b"u" * 1000)))
    p1 += frags(u, 0x200, even(u, 400))
    # Past one 2 KB mbuf once whole (jumbo inner packets a peer sends
    # over a 1500-byte path): 4 and 8 KB ESP datagrams in 1480-byte
    # fragments, in order and shuffled, the largest one we take, and
    # NAT-T. The inner packets are larger than the inside MTU: they leave
    # in fragments (DF clear), reassembled here to check them.
    big = []
    for tag, size, ident, order in (("big-4k", 4000, 0x180, None),
                                    ("big-8k", 8000, 0x181, "shuffle"),
                                    ("big-max", None, 0x182, None)):
        if size is None:
            # ESP (8 SPI/seq + 8 IV + 16 ICV + 2 + padding) around the
            # inner packet: the whole IPv4 datagram exactly DGRAM_MAX
            size = DGRAM_MAX - 20 - 8 - 8 - 16 - 2 - 28 - (len(tag) + 1)
            size = size - size % 4 + (len(tag) + 1)
        # distinct inner IDs: their fragments are told apart on the inside
        e = tx.encrypt(inner(tag, size, ident))
        if tag == "big-max":
            assert len(e) <= DGRAM_MAX and len(e) > DGRAM_MAX - 8, len(e)
        f = frags(e, ident, even(e, 1480))
        if order:
            f = f[1::2] + f[0::2]
        p1 += f
        good.append(tag)
        big.append(tag)
    e = nt.encrypt(IP(bytes(IP(src="10.3.0.5", dst=HOST, ttl=64) /
                            UDP(sport=5000, dport=7) /
                            Raw(b"big-nat-t:" + b"-" * 6000))))
    f = frags(e, 0x183, even(e, 1480))
    p1 += f[::-1]
    good.append("big-nat-t")
    big.append("big-nat-t")
    # More than MAX_FRAGS fragments: every one dropped.
    e = tx.encrypt(inner("too-many", 2200))
    f = frags(e, 0x300, even(e, 64))
    assert len(f) > MAX_FRAGS
    p1 += f
    want["frag-too-many"] = len(f)
    # Overlap: the second fragment reaches back into the first; then the
    # rest of that datagram comes (dropped under the same reason).
    e = tx.encrypt(inner("overlap", 1200))
    n = len(bytes(e[IP].payload))
    p1 += frags(e, 0x400, [(0, 512, True), (256, 512, True),
                           (768, n - 768, False)])
    # A duplicate is an overlap too.
    e = tx.encrypt(inner("duplicate", 900))
    n = len(bytes(e[IP].payload))
    p1 += frags(e, 0x401, [(0, 512, True), (0, 512, True),
                           (512, n - 512, False)])
    want["frag-overlap"] = 6
    # Incomplete: 2 of 3 fragments, dropped when the 3 s run out.
    e = tx.encrypt(inner("incomplete", 1200))
    p1 += frags(e, 0x500, even(e, 512))[:2]
    timeouts = 2
    # Larger than the largest datagram we rebuild (by 8 bytes, and a
    # 12 KB one); past 65535.
    e = tx.encrypt(inner("too-big", 100))
    n = DGRAM_MAX - 20 + 8
    cuts = [(o, 1480, True) for o in range(0, n - 1480, 1480)]
    cuts.append((cuts[-1][0] + 1480, n - cuts[-1][0] - 1480, False))
    f = frags(e, 0x600, cuts)              # zeros past the ESP
    p1 += f
    too_big = len(f)
    e = tx.encrypt(inner("too-big-12k", 12000))
    f = frags(e, 0x602, even(e, 1480))
    p1 += f
    too_big += len(f)
    e = tx.encrypt(inner("past-65535", 100))
    p1 += frags(e, 0x601, [(65472, 104, False)])  # zeros past the ESP
    want["frag-too-big"] = too_big + 1
    # All but the last carry a multiple of 8 bytes (RFC 791): malformed.
    e = tx.encrypt(inner("odd", 600))
    p1 += frags(e, 0x700, [(0, 300, True)])
    want["malformed"] = 1
    # The table: too-many, overlap, duplicate, incomplete, the two
    # too-big and past-65535 hold a slot each until their deadline; fill
    # the rest with first fragments that never complete, and 4 more.
    busy = 7
    for i in range(SLOTS - busy + 4):
        e = tx.encrypt(inner("fill-%d" % i, 600))
        p1 += frags(e, 0x800 + i, [(0, 64, True)])
    timeouts += SLOTS - busy
    want["frag-table-full"] = 4
    want["frag-timeout"] = timeouts
    for r in ("no-sa", "icv", "replay", "crypto", "esp-truncated",
              "esp-bad-padding", "inner-bad-header", "inner-bad-length"):
        want[r] = 0
    wrpcap(in0, p0)
    wrpcap(in1, p1)
    with open(expect, "w") as f:
        # every good one but "whole", and the UDP datagram
        json.dump({"drops": want, "good": good, "big": big,
                   "udp_no_listener": 1,
                   "reassembled": len(good) - 1 + 1}, f)


def check(out0, expect, telemetry):
    with open(expect) as f:
        exp = json.load(f)
    with open(telemetry) as f:
        tel = json.load(f)
    drops, ctl = tel["/twinsec/drops"], tel["/twinsec/control"]
    bad = 0

    def expect_(cond, what):
        nonlocal bad
        print(("PASS: " if cond else "FAIL: ") + what)
        bad += not cond

    seen = {}
    out = [p for p in rdpcap(out0)
           if IP in p and p[IP].src in (REMOTE, "10.3.0.5") and
           p[IP].dst == HOST]
    # inner packets above the inside MTU leave in fragments
    frag_tags = set()
    for p in out:
        if p[IP].flags.MF or p[IP].frag:
            expect_(len(p[IP]) <= 1500, "an inner fragment fits the MTU "
                    "(%d)" % len(p[IP]))
    whole = [p for p in out if not (p[IP].flags.MF or p[IP].frag)]
    rebuilt = [p for p in defragment(
        [p[IP] for p in out if p[IP].flags.MF or p[IP].frag])
        if not (p.flags.MF or p.frag)]
    for was_frag, p in [(False, p) for p in whole] + \
            [(True, p) for p in rebuilt]:
        ip = p[IP]
        if UDP not in ip:
            continue
        tag = bytes(ip[UDP].payload).split(b":")[0].decode()
        seen[tag] = seen.get(tag, 0) + 1
        if was_frag:
            frag_tags.add(tag)
        expect_(ip.ttl == 63 and ip.len == len(ip),
                "%s: whole inner packet, TTL 63" % tag)
        body = bytes(ip[UDP].payload)
        expect_(body[len(tag) + 1:] == b"-" * (len(body) - len(tag) - 1),
                "%s: inner payload intact (%d bytes)" % (tag, len(body)))
    for tag in exp["big"]:
        expect_(tag in frag_tags, "%s: delivered, fragmented to the "
                "inside MTU" % tag)
    for tag in exp["good"]:
        expect_(seen.get(tag) == 1, "%s: delivered once (%s)" %
                (tag, seen.get(tag, 0)))
    extra = sorted(set(seen) - set(exp["good"]))
    expect_(not extra, "nothing else delivered (%s)" % extra)
    for r, n in sorted(exp["drops"].items()):
        # telemetry keys have '_' for the names' '-'
        got = drops.get(r.replace("-", "_"))
        expect_(got == n, "drops %s = %d (%s)" % (r, n, got))
    got = ctl.get("reassembled")
    expect_(got == exp["reassembled"],
            "reassembled: %s datagrams (the fragmented ESP and the UDP)" %
            got)
    expect_(ctl.get("reassembly_slots") == 0,
            "no reassembly slot left in use (%s)" %
            ctl.get("reassembly_slots"))
    got = ctl.get("ctl", {}).get("udp_no_listener")
    expect_(got == exp["udp_no_listener"],
            "reassembled UDP reached the control lcore: udp_no_listener "
            "%s" % got)
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(*sys.argv[2:5])
    else:
        sys.exit(1 if check(*sys.argv[2:5]) else 0)
