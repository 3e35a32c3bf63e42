#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""IPv6 frames for tests/dpdk/daemon/local6.sh, and the checks of what came
out, with scapy (an implementation independent of twinsec's codecs).

    pcap_local6.py gen IN0 IN1       write the frames each port receives
    pcap_local6.py check OUT0 OUT1   check what twinsecd sent on each port

Port 0 is the inside (2001:db8:1::1/64), port 1 the outside
(2001:db8:ff::1/64, 2001:db8:fe::1/64) of pcap6.conf.
"""

import sys

from scapy.all import (Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, UDP, in6_getnsma, inet_pton,
                       inet_ntop, rdpcap, wrpcap)
import socket

HOST_MAC = "02:00:00:00:01:02"
PEER_MAC = "02:00:00:00:02:02"
HOST_LL, HOST = "fe80::2", "2001:db8:1::2"
PEER_LL = "fe80::1:2"
GW_IN, GW_OUT, GW_OUT2 = "2001:db8:1::1", "2001:db8:ff::1", "2001:db8:fe::1"


def sn_group(a):
    return inet_ntop(socket.AF_INET6,
                     in6_getnsma(inet_pton(socket.AF_INET6, a)))


def sn_mac(group):
    b = inet_pton(socket.AF_INET6, group)
    return "33:33:" + ":".join("%02x" % x for x in b[12:])


def ns(src_mac, src, target, hlim=255, lla=True):
    g = sn_group(target)
    p = (Ether(dst=sn_mac(g), src=src_mac) / IPv6(src=src, dst=g, hlim=hlim)
         / ICMPv6ND_NS(tgt=target))
    if lla:
        p = p / ICMPv6NDOptSrcLLAddr(lladdr=src_mac)
    return p


def echo(dst, ident, data, ext=None, mac="02:00:00:00:00:01"):
    p = Ether(dst=mac, src=HOST_MAC) / IPv6(src=HOST, dst=dst)
    if ext is not None:
        p = p / ext
    return p / ICMPv6EchoRequest(id=ident, seq=1, data=data)


def gen(in0, in1):
    f0 = [
        # answered: NA with S, O, R; the host learned
        ns(HOST_MAC, HOST_LL, GW_IN),
        # answered: echo, plain and behind a destination options header
        echo(GW_IN, 0x101, b"plain-echo"),
        echo(GW_IN, 0x102, b"odd-size-echo!", IPv6ExtHdrDestOpt()),
        # to all nodes: answered from the port's link-local address
        echo("ff02::1", 0x105, b"all-nodes", mac="33:33:00:00:00:01"),
        # not answered: a target not ours sharing our solicited-node
        # group (the control lcore refuses it), a routed NS (hop limit 254)
        ns(HOST_MAC, HOST_LL, "2001:db8:1::5:0:1"),
        ns(HOST_MAC, HOST_LL, GW_IN, hlim=254),
        # a group we do not listen to: the fast path drops it
        ns(HOST_MAC, HOST_LL, "2001:db8:1::99"),
        # IKE to us (UDP 500): punted to the control lcore, which has
        # no IKE listener with this config (counted udp_no_listener)
        Ether(dst="02:00:00:00:00:01", src=HOST_MAC)
        / IPv6(src=HOST, dst=GW_IN) / UDP(sport=500, dport=500) / b"ike?",
        # fast-path drops: other UDP to us, a fragment to us, transit
        Ether(dst="02:00:00:00:00:01", src=HOST_MAC)
        / IPv6(src=HOST, dst=GW_IN) / UDP(sport=9, dport=9) / b"discard",
        echo(GW_IN, 0x103, b"frag", IPv6ExtHdrFragment(offset=0, m=1)),
        echo("2001:db8:9::1", 0x104, b"transit"),
    ]
    # the outside answers for its second address too
    f1 = [ns(PEER_MAC, PEER_LL, GW_OUT2)]
    wrpcap(in0, f0)
    wrpcap(in1, f1)


def check_na(p, target, dst, dst_mac):
    assert p[Ether].dst == dst_mac, p[Ether].dst
    assert p[IPv6].src == target and p[IPv6].dst == dst, p.summary()
    assert p[IPv6].hlim == 255
    na = p[ICMPv6ND_NA]
    assert na.tgt == target and na.R == 1 and na.S == 1 and na.O == 1
    assert p[ICMPv6NDOptDstLLAddr].lladdr == p[Ether].src
    # scapy recomputes the checksum: ours must be the same
    want = IPv6(bytes(p[IPv6]))
    del want[ICMPv6ND_NA].cksum
    assert IPv6(bytes(want))[ICMPv6ND_NA].cksum == na.cksum, "NA checksum"


def link_local(mac):
    b = bytes.fromhex(mac.replace(":", ""))
    eui = bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:]
    return inet_ntop(socket.AF_INET6, b"\xfe\x80" + b"\0" * 6 + eui)


def check_echo(p, ident, data, src=GW_IN):
    assert p[Ether].dst == HOST_MAC
    assert p[IPv6].src == src and p[IPv6].dst == HOST, p.summary()
    assert p[IPv6].nh == 58, "extension headers echoed back"
    r = p[ICMPv6EchoReply]
    assert r.id == ident and r.seq == 1 and r.data == data, p.summary()
    want = IPv6(bytes(p[IPv6]))
    del want[ICMPv6EchoReply].cksum
    assert IPv6(bytes(want))[ICMPv6EchoReply].cksum == r.cksum, "cksum"


def check(out0, out1):
    o0 = [p for p in rdpcap(out0) if IPv6 in p]
    o1 = [p for p in rdpcap(out1) if IPv6 in p]
    assert len(o0) == 4, "port 0 sent %d IPv6 frames: %s" % (
        len(o0), [p.summary() for p in o0])
    assert len(o1) == 1, "port 1 sent %d IPv6 frames" % len(o1)
    nas = [p for p in o0 if ICMPv6ND_NA in p]
    reps = [p for p in o0 if ICMPv6EchoReply in p]
    assert len(nas) == 1 and len(reps) == 3
    check_na(nas[0], GW_IN, HOST_LL, HOST_MAC)
    check_echo([p for p in reps if p[ICMPv6EchoReply].id == 0x101][0],
               0x101, b"plain-echo")
    check_echo([p for p in reps if p[ICMPv6EchoReply].id == 0x102][0],
               0x102, b"odd-size-echo!")
    check_echo([p for p in reps if p[ICMPv6EchoReply].id == 0x105][0],
               0x105, b"all-nodes", link_local(nas[0][Ether].src))
    check_na(o1[0], GW_OUT2, PEER_LL, PEER_MAC)
    print("ok: 2 NAs, 3 echo replies, nothing else")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3])
    else:
        try:
            check(sys.argv[2], sys.argv[3])
        except AssertionError as e:
            print("check failed:", e)
            sys.exit(1)
