#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds of fuzz_net (lib/net): what the control lcore gets punted. An ARP
# payload (after the Ethernet header) or an IPv4 packet, valid checksums,
# so that every decoder of the target gets past its checks.
#   tests/fuzz/mk_net_seeds.py tests/fuzz/corpus/net
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/net"


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def arp(op, sha, spa, tha, tpa):
    return struct.pack(">HHBBH", 1, 0x0800, 6, 4, op) + sha + ip4(spa) + \
        tha + ip4(tpa)


def ipv4(proto, src, dst, payload, frag=0x4000, opts=b"", ttl=64):
    hlen = 20 + len(opts)
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | hlen // 4, 0, hlen + len(payload),
                    0x1234, frag, ttl, proto, 0, ip4(src), ip4(dst)) + opts
    h = h[:10] + struct.pack(">H", cksum(h)) + h[12:]
    return h + payload


def icmp(typ, code, rest, data):
    m = struct.pack(">BBH", typ, code, 0) + rest + data
    return m[:2] + struct.pack(">H", cksum(m)) + m[4:]


def udp(sport, dport, data):
    # The target does not check the UDP checksum: 0 (none) is valid.
    return struct.pack(">HHHH", sport, dport, 8 + len(data), 0) + data


mac_a = bytes.fromhex("020000000001")
mac_b = bytes.fromhex("020000000002")
ping = icmp(8, 0, struct.pack(">HH", 0x77, 1), bytes(range(56)))
seeds = {
    "arp_request": arp(1, mac_a, "192.0.2.2", bytes(6), "192.0.2.1"),
    "arp_reply": arp(2, mac_b, "192.0.2.1", mac_a, "192.0.2.2"),
    "arp_gratuitous": arp(1, mac_b, "192.0.2.3", bytes(6), "192.0.2.3"),
    "icmp_echo": ipv4(1, "10.1.0.10", "10.1.0.1", ping),
    "icmp_echo_padded": ipv4(1, "10.1.0.10", "10.1.0.1", ping) + bytes(6),
    "icmp_unreach": ipv4(1, "192.0.2.2", "192.0.2.1",
                         icmp(3, 3, bytes(4), ipv4(17, "192.0.2.1",
                                                   "192.0.2.2",
                                                   udp(500, 500, b""))[:28])),
    "udp_ike": ipv4(17, "192.0.2.2", "192.0.2.1",
                    udp(500, 500, bytes(28))),
    "udp_options": ipv4(17, "10.1.0.10", "10.2.0.10",
                        udp(4500, 4500, b"\xff" + bytes(40)),
                        opts=b"\x01\x01\x01\x00"),
    "tcp_df_big": ipv4(6, "10.1.0.10", "10.2.0.10", bytes(1480)),
    "fragment": ipv4(17, "10.1.0.10", "10.2.0.10", bytes(64), frag=0x2000),
}
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
