#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Frames for tests/dpdk/daemon/local.sh, and the checks of what came out.

    pcap_local.py gen IN0 IN1       write the frames each port receives
    pcap_local.py check OUT0 OUT1   check what twinsecd sent on each port

Port 0 is the inside (10.1.0.1/24), port 1 the outside (192.0.2.1/24) of
pcap.conf. Plain struct packing: the headers are built and parsed here by
the RFCs, independently of twinsec's own codecs.
"""

import struct
import sys

HOST_MAC = bytes.fromhex("020000000102")
PEER_MAC = bytes.fromhex("020000000202")
BCAST = b"\xff" * 6
HOST, GW_IN = "10.1.0.2", "10.1.0.1"
PEER, GW_OUT, DEAD = "192.0.2.2", "192.0.2.1", "192.0.2.9"


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def cksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, etype, payload):
    f = dst + src + struct.pack("!H", etype) + payload
    return f + b"\0" * max(0, 60 - len(f))


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, ip4(spa),
                       tha, ip4(tpa))


def ipv4(src, dst, proto, payload, df=False, ttl=64, ident=1, tos=0):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload),
                              ident, 0x4000 if df else 0, ttl, proto, 0,
                              ip4(src), ip4(dst)))
    struct.pack_into("!H", h, 10, cksum(bytes(h)))
    return bytes(h) + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def icmp_echo(ident, seq, data):
    h = bytearray(struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data)
    struct.pack_into("!H", h, 2, cksum(bytes(h)))
    return bytes(h)


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1, i, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def gen(in0, in1):
    our_mac = BCAST  # the worker takes any destination (promiscuous)
    p0 = [
        eth(BCAST, HOST_MAC, 0x0806,
            arp(1, HOST_MAC, HOST, b"\0" * 6, GW_IN)),
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, GW_IN, 1, icmp_echo(0x77, 1, b"twinsec-ping"))),
        # Protected: ESP to 192.0.2.2, which announces itself on port 1.
        # DSCP EF and ECT(0): the outer header carries both (RFC 4301
        # 5.1.2.1, RFC 6040 4.1).
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, "10.2.0.5", 17, udp(1234, 80, b"hello"),
                 tos=0xb8 | 2)),
    ]
    # Bypass, routed via 192.0.2.9 which never answers: 8 packets wait for
    # it (the per-next-hop queue), 2 overflow; all 10 are dropped.
    p0 += [eth(our_mac, HOST_MAC, 0x0800,
               ipv4(HOST, "10.9.0.5", 17, udp(1234, 80, b"nobody"),
                    ident=100 + i)) for i in range(10)]
    p0 += [
        # Too big for the tunnel with DF set: fragmentation needed. AES-GCM
        # at 1500 carries 1446 bytes exactly (RFC 4303 2.4 padding to 4):
        # 1447 is refused, 1446 leaves as one 1500-byte ESP packet.
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, "10.2.0.6", 17, udp(1234, 80, b"x" * (1447 - 28)),
                 df=True, ident=0x4242)),
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, "10.2.0.6", 17, udp(1234, 80, b"y" * (1446 - 28)),
                 df=True, ident=0x4343)),
        # TTL 1 in transit (traceroute's first probe), to the tunnel:
        # ICMP time exceeded (RFC 1812 5.3.1) back to the host, no ESP.
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, "10.2.0.7", 17, udp(40000, 33434, b"probe"),
                 ttl=1, ident=0x5151)),
        # UDP to us, nobody listens: dropped and counted.
        eth(our_mac, HOST_MAC, 0x0800,
            ipv4(HOST, GW_IN, 17, udp(1234, 9, b"discard"))),
    ]
    p1 = [
        eth(BCAST, PEER_MAC, 0x0806,
            arp(1, PEER_MAC, PEER, b"\0" * 6, GW_OUT)),
    ]
    write_pcap(in0, p0)
    write_pcap(in1, p1)


def parse(fr):
    """(ethertype, dict) of a frame."""
    dst, src, et = fr[:6], fr[6:12], struct.unpack("!H", fr[12:14])[0]
    d = {"dst": dst, "src": src}
    if et == 0x0806:
        (_, _, _, _, op, sha, spa, tha, tpa) = struct.unpack(
            "!HHBBH6s4s6s4s", fr[14:42])
        d.update(op=op, sha=sha, spa=spa, tha=tha, tpa=tpa)
    elif et == 0x0800:
        ip = fr[14:]
        hl = (ip[0] & 15) * 4
        tl = struct.unpack("!H", ip[2:4])[0]
        d.update(proto=ip[9], tos=ip[1], src_ip=ip[12:16], dst_ip=ip[16:20],
                 ip_ok=cksum(ip[:hl]) == 0, l4=ip[hl:tl], tl=tl)
    return et, d


def check(out0, out1):
    errors = []
    f0 = [parse(f) for f in read_pcap(out0)]
    f1 = [parse(f) for f in read_pcap(out1)]

    def expect(cond, what):
        print(("ok: " if cond else "FAIL: ") + what)
        if not cond:
            errors.append(what)

    # Port 0 (inside).
    rep = [d for et, d in f0 if et == 0x0806 and d["op"] == 2]
    expect(len(rep) == 1 and rep[0]["spa"] == ip4(GW_IN) and
           rep[0]["tpa"] == ip4(HOST) and rep[0]["tha"] == HOST_MAC and
           rep[0]["dst"] == HOST_MAC and rep[0]["sha"] == rep[0]["src"],
           "ARP reply for 10.1.0.1 to the host")
    garp = [d for et, d in f0 if et == 0x0806 and d["op"] == 1 and
            d["spa"] == d["tpa"] == ip4(GW_IN) and d["dst"] == BCAST]
    expect(len(garp) >= 1, "gratuitous ARP for 10.1.0.1 on port 0")
    echo = [d for et, d in f0 if et == 0x0800 and d["proto"] == 1 and
            d["l4"][0] == 0]
    expect(len(echo) == 1 and echo[0]["ip_ok"] and
           echo[0]["src_ip"] == ip4(GW_IN) and
           echo[0]["dst_ip"] == ip4(HOST) and echo[0]["dst"] == HOST_MAC and
           cksum(echo[0]["l4"]) == 0 and
           echo[0]["l4"][4:] == struct.pack("!HH", 0x77, 1) + b"twinsec-ping",
           "ICMP echo reply from 10.1.0.1")
    ptb = [d for et, d in f0 if et == 0x0800 and d["proto"] == 1 and
           d["l4"][0] == 3]
    ok = len(ptb) == 1
    if ok:
        d = ptb[0]
        mtu = struct.unpack("!H", d["l4"][6:8])[0]
        quoted = d["l4"][8:]
        print("   fragmentation needed: next-hop MTU %d" % mtu)
        ok = (d["ip_ok"] and d["l4"][1] == 4 and cksum(d["l4"]) == 0 and
              d["src_ip"] == ip4(GW_IN) and d["dst_ip"] == ip4(HOST) and
              d["dst"] == HOST_MAC and mtu == 1446 and
              len(quoted) == 28 and quoted[4:6] == b"\x42\x42")
    expect(ok, "ICMP fragmentation needed (RFC 1191) back to the host")
    te = [d for et, d in f0 if et == 0x0800 and d["proto"] == 1 and
          d["l4"][0] == 11]
    ok = len(te) == 1
    if ok:
        d = te[0]
        quoted = d["l4"][8:]
        ok = (d["ip_ok"] and d["l4"][1] == 0 and cksum(d["l4"]) == 0 and
              d["l4"][4:8] == b"\0" * 4 and
              d["src_ip"] == ip4(GW_IN) and d["dst_ip"] == ip4(HOST) and
              d["dst"] == HOST_MAC and len(quoted) == 28 and
              quoted[4:6] == b"\x51\x51" and quoted[8] == 1 and
              quoted[20:24] == struct.pack("!HH", 40000, 33434))
    expect(ok, "ICMP time exceeded (RFC 792 type 11 code 0) back to the "
           "host, from 10.1.0.1, quoting the probe (got %d)" % len(te))

    # Port 1 (outside).
    rep = [d for et, d in f1 if et == 0x0806 and d["op"] == 2]
    expect(len(rep) == 1 and rep[0]["tpa"] == ip4(PEER) and
           rep[0]["dst"] == PEER_MAC, "ARP reply for 192.0.2.1 to the peer")
    req = [d for et, d in f1 if et == 0x0806 and d["op"] == 1 and
           d["tpa"] == ip4(DEAD)]
    expect(len(req) == 3 and all(d["spa"] == ip4(GW_OUT) for d in req),
           "3 ARP requests for the silent next hop 192.0.2.9 (got %d)"
           % len(req))
    esp = [d for et, d in f1 if et == 0x0800 and d["proto"] == 50]
    expect(len(esp) == 2 and
           all(d["dst"] == PEER_MAC and d["dst_ip"] == ip4(PEER) and
               d["l4"][:4] == struct.pack("!I", 0x1001) for d in esp),
           "ESP (SPI 0x1001) to the peer's MAC")
    hello = [d for d in esp if d["tl"] < 1500]
    expect(len(hello) == 1 and hello[0]["tos"] == 0xba and
           hello[0]["ip_ok"],
           "outer TOS of the EF/ECT(0) packet 0xba (got %s)" %
           [hex(d["tos"]) for d in hello])
    expect(sorted(d["tl"] for d in esp)[1:] == [1500],
           "the 1446-byte DF packet leaves as one 1500-byte ESP packet "
           "(got %s)" % [d["tl"] for d in esp])
    clear = [d for et, d in f1 if et == 0x0800 and d["proto"] == 17]
    expect(len(clear) == 0, "nothing to the silent next hop")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    print(__doc__)
    sys.exit(2)
