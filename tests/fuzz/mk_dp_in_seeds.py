#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_dp_in: three bytes (flags, segment split, tailroom), then
# an Ethernet frame. Writes corpus/dp_in/ next to this script.
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus',
                 'dp_in')
OUT = bytes([192, 0, 2, 1])
PEER = bytes([198, 51, 100, 7])
IN = bytes([10, 0, 0, 1])
HOST = bytes([10, 0, 0, 9])
REMOTE = bytes([10, 9, 0, 5])


def cksum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip(src, dst, proto, payload, ttl=64, tos=0, frag=0, bad_sum=False):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, tos, 20 + len(payload), 1, frag,
                    ttl, proto, 0, src, dst)
    s = cksum(h) ^ (1 if bad_sum else 0)
    return h[:10] + struct.pack('!H', s) + h[12:] + payload


def eth(payload, etype=0x0800):
    return (b'\x02\x00\x00\x00\x00\x01' + b'\x02\x00\x00\x00\x00\x02' +
            struct.pack('!H', etype) + payload)


def udp(sport, dport, payload):
    return struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload


def esp(spi, seq, iv, icv, align, inner, nh=4, badpad=False):
    body = inner
    padlen = (-(len(body) + 2)) % align
    pad = bytes(range(1, padlen + 1))
    if badpad and padlen:
        pad = pad[:-1] + b'\x00'
    return (struct.pack('!II', spi, seq) + bytes(iv) + body + pad +
            bytes([padlen, nh]) + bytes(icv))


ICMP = b'\x08\x00\xf7\xff\x00\x00\x00\x00'
INNER = ip(REMOTE, HOST, 1, ICMP)
GCM = dict(iv=8, icv=16, align=4)
CBC = dict(iv=16, icv=12, align=16)


def gcm(spi, inner, **kw):
    return esp(spi, 5, b'\x11' * 8, b'\x22' * 16, 4, inner, **kw)


def cbc(spi, inner, **kw):
    return esp(spi, 6, b'\x33' * 16, b'\x44' * 12, 16, inner, **kw)


arp = (struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + b'\x02' * 6 + PEER +
       b'\x00' * 6 + OUT)
esp_gcm = eth(ip(PEER, OUT, 50, gcm(0x1001, INNER)))
seeds = {
    'esp_gcm': (0, 0, 32, esp_gcm),
    'esp_gcm_two_segments': (0, 40, 32, esp_gcm),
    'esp_gcm_esn': (8, 0, 32, eth(ip(PEER, OUT, 50,
                                     gcm(0x1001, INNER) + b'\0\0\0\1')) ),
    'esp_cbc_tfc_padded': (0, 0, 16, eth(ip(PEER, OUT, 50,
                                          cbc(0x1002, INNER + b'\0' * 16)))),
    'esp_cbc_sha256': (2, 0, 16, eth(ip(PEER, OUT, 50,
                                      esp(0x1003, 9, b'\x55' * 16,
                                          b'\x66' * 16, 16, INNER)))),
    'natt_esp': (0, 0, 32, eth(ip(PEER, OUT, 17,
                                  udp(4500, 4500, gcm(0x80000004, INNER))))),
    'natt_ike_marker': (0, 0, 0, eth(ip(PEER, OUT, 17,
                                        udp(4500, 4500, b'\0' * 4 +
                                            b'\x01' * 28)))),
    'ike_500': (0, 0, 0, eth(ip(PEER, OUT, 17, udp(500, 500, b'\x01' * 28)))),
    'esp_unknown_spi': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(0x2001, INNER)))),
    'esp_dummy': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(0x1001, b'', nh=59)))),
    'esp_ipv6': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(0x1001, INNER, nh=41)))),
    'esp_bad_pad': (0, 0, 32, eth(ip(PEER, OUT, 50,
                                     cbc(0x1002, INNER[:-1], badpad=True)))),
    'esp_inner_bad_ihl': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(
        0x1001, b'\x44' + INNER[1:])))),
    'esp_inner_bad_sum': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(
        0x1001, ip(REMOTE, HOST, 1, ICMP, bad_sum=True))))),
    'esp_ecn_ce_over_ect0': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(
        0x1001, ip(REMOTE, HOST, 1, ICMP, tos=2)), tos=3))),
    'esp_ecn_ce_over_notect': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(
        0x1001, INNER), tos=3))),
    'esp_truncated': (0, 0, 32, eth(ip(PEER, OUT, 50, gcm(0x1001, b'')[:20]))),
    'arp': (0, 0, 0, eth(arp, 0x0806)),
    'ipv6': (0, 0, 0, eth(b'\x60' + b'\0' * 39, 0x86dd)),
    'transit_inside_tcp': (1, 0, 0, eth(ip(HOST, REMOTE, 6,
                                           b'\x30\x39\x00\x50' + b'\0' * 16))),
    'transit_outside_udp_padded': (2, 0, 0, eth(ip(PEER, HOST, 17,
                                                   udp(1, 2, b'x'))) +
                                   b'\0' * 12),
    'transit_ttl1': (1, 0, 0, eth(ip(HOST, REMOTE, 1, ICMP, ttl=1))),
    'fragment_to_us': (0, 0, 0, eth(ip(PEER, OUT, 50, gcm(0x1001, INNER),
                                       frag=0x2000))),
    'hsrp_multicast': (1, 0, 0, eth(ip(HOST, bytes([224, 0, 0, 102]), 17,
                                       udp(1985, 1985, b'\0' * 40), ttl=1))),
    'vip_of_twin': (1, 0, 0, eth(ip(HOST, bytes([10, 0, 0, 254]), 1,
                                    ICMP))),
    'bad_outer_sum_rx_good': (2, 0, 0, eth(ip(PEER, HOST, 1, ICMP,
                                              bad_sum=True))),
    'rx_cksum_bad': (4, 0, 0, eth(ip(PEER, HOST, 1, ICMP))),
    'to_inside_addr': (1, 0, 0, eth(ip(HOST, IN, 1, ICMP))),
}

os.makedirs(D, exist_ok=True)
for name, (flags, split, tail, frame) in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(bytes([flags, split, tail]) + frame)
