#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_punt: steps of (reason/port byte, [next hop 2 bytes],
# MTU byte, time byte, length 2 bytes, frame). Writes corpus/punt/.
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus',
                 'punt')
LOCAL, NEIGH, TOO_BIG, TTL, NO_SA, TUNNEL = range(6)
TUNNEL_TTL = 6      # reason 5 with bit 2 of the byte set
OUT = bytes([192, 0, 2, 1])
PEER = bytes([192, 0, 2, 7])
IN = bytes([10, 0, 0, 1])
HOST = bytes([10, 0, 0, 9])
VIP = bytes([10, 0, 0, 254])
MAC_P = b'\x02\x00\x00\x00\x00\x77'
MAC_US0 = b'\x02\x00\x00\x00\x00\x10'
MAC_US1 = b'\x02\x00\x00\x00\x00\x11'


def cksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip(src, dst, proto, payload, ttl=64, df=False):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 7,
                    0x4000 if df else 0, ttl, proto, 0, src, dst)
    return h[:10] + struct.pack('!H', cksum(h)) + h[12:] + payload


def eth(dst, src, payload, etype=0x0800):
    return dst + src + struct.pack('!H', etype) + payload


def udp(sport, dport, payload):
    return struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload


def icmp_echo():
    body = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'ping' * 4
    return body[:2] + struct.pack('!H', cksum(body)) + body[4:]


def arp(op, sha, spa, tha, tpa):
    return (struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + sha + spa + tha +
            tpa)


def rbyte(reason, port, fixed_nh=True):
    tt = reason == TUNNEL_TTL
    reason = TUNNEL if tt else reason
    for r in range(256):
        if reason == TUNNEL and bool(r & 4) != tt:
            continue
        if (r % 6 == reason and (r >> 3) & 1 == port and
                bool(r & 0x20) == fixed_nh and r & 0xc0 != 0xc0):
            return r
    raise ValueError


def step(reason, port, frame, dt=1, mtu=0xdc, nh=None):
    b = bytes([rbyte(reason, port, nh is None)])
    if nh is not None:
        b += bytes(nh)
    return b + bytes([mtu, dt]) + struct.pack('!H', len(frame)) + frame


BC = b'\xff' * 6
seeds = {
    'arp_request_for_us': step(LOCAL, 0, eth(BC, MAC_P, arp(
        1, MAC_P, PEER, bytes(6), OUT), 0x0806)),
    'arp_request_for_vip': step(LOCAL, 1, eth(BC, MAC_P, arp(
        1, MAC_P, HOST, bytes(6), VIP), 0x0806)),
    'arp_probe_and_conflict': step(LOCAL, 0, eth(BC, MAC_P, arp(
        1, MAC_P, bytes(4), bytes(6), OUT), 0x0806)) +
    step(LOCAL, 0, eth(BC, MAC_P, arp(2, MAC_P, OUT, bytes(6), OUT),
                       0x0806)),
    'echo_request': step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 1, icmp_echo()))),
    'ike_500_4500': step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 17, udp(500, 500, b'\x11' * 28)))) +
    step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 17, udp(4500, 4500, b'\0' * 4 + b'\x11' * 28)))),
    'hsrp_multicast': step(LOCAL, 1, eth(b'\x01\x00\x5e\x00\x00\x66',
                                         MAC_P, ip(HOST, bytes(
                                             [224, 0, 0, 102]), 17, udp(
                                             1985, 1985, b'\0' * 40),
                                             ttl=1))),
    'udp_no_listener_tcp': step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 17, udp(9, 9, b'x')))) +
    step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(PEER, OUT, 6, b'\0' * 20))) +
    step(LOCAL, 0, eth(MAC_US0, MAC_P, ip(PEER, HOST, 1, icmp_echo()))),
    'neigh_then_reply': step(NEIGH, 1, ip(PEER, HOST, 1, icmp_echo())) +
    step(NEIGH, 1, ip(PEER, HOST, 1, icmp_echo())) +
    step(LOCAL, 1, eth(MAC_US1, MAC_P, arp(2, MAC_P, HOST, MAC_US1, IN),
                       0x0806)) +
    step(NEIGH, 1, ip(PEER, HOST, 1, icmp_echo())),
    'neigh_unanswered': step(NEIGH, 1, ip(PEER, HOST, 17, udp(1, 2, b'')))
    + step(NEIGH, 1, b'', dt=20) + step(NEIGH, 1, b'', dt=40),
    'too_big': step(TOO_BIG, 1, eth(MAC_US1, MAC_P, ip(
        HOST, PEER, 17, udp(1, 2, b'\0' * 1400), df=True)), mtu=0xdc),
    'ttl_expired': step(TTL, 1, eth(MAC_US1, MAC_P, ip(
        HOST, PEER, 17, udp(1, 2, b'abc'), ttl=1))),
    # decrypted, behind the fast path's header (zeros, IPv4): an echo
    # request to us answered through the tunnel, a TTL run out here
    'tunnel_echo': step(TUNNEL, 0, eth(bytes(6), bytes(6), ip(
        bytes([10, 2, 0, 5]), IN, 1, icmp_echo()))),
    'tunnel_ttl': step(TUNNEL_TTL, 1, eth(bytes(6), bytes(6), ip(
        bytes([10, 2, 0, 5]), HOST, 17, udp(1, 2, b'abc'), ttl=1))),
    'no_sa': step(NO_SA, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 50, b'\0\0\x20\x01' + b'\0' * 20))) +
    step(NO_SA, 0, eth(MAC_US0, MAC_P, ip(
        PEER, OUT, 17, udp(4500, 4500, b'\0\0\x20\x01' + b'\0' * 20)))),
}

os.makedirs(D, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
