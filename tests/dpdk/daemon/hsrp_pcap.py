#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check what a lone twinsecd sent on its two HSRP interfaces (hsrp.sh).

  hsrp_pcap.py OUT0.pcap OUT1.pcap

Parsed with scapy (an implementation nobody here wrote): inside carries
HSRP v1 group 1 (text "cisco", 1 s / 2 s on the wire), outside HSRP v2
group 7 (MD5, key id 7, 100 / 300 ms). For both: Ethernet, IPv4 (TTL 1,
valid checksum) and UDP 1985 -> 1985 (valid checksum) around every hello;
Speak hellos from the interface MAC, Active ones from the virtual MAC; the
first Active hello no earlier than the hold time after the first hello;
gratuitous ARPs for the VIP from the virtual MAC, as many as configured and
spaced as configured; a Resign from the virtual MAC at shutdown.
"""
import struct
import sys

from scapy.all import ARP, IP, UDP, Ether, rdpcap, raw
from scapy.layers.hsrp import HSRP

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def l3_ok(p, dst, where):
    ip, udp = p[IP], p[UDP]
    check(ip.dst == dst, f"{where}: IP dst {ip.dst}, want {dst}")
    check(ip.ttl == 1, f"{where}: TTL {ip.ttl}, want 1")
    check(udp.sport == 1985 and udp.dport == 1985,
          f"{where}: UDP {udp.sport}->{udp.dport}")
    c = IP(raw(ip))
    want_ip = c.chksum
    del c.chksum
    check(IP(raw(c)).chksum == want_ip, f"{where}: bad IPv4 checksum")
    c = IP(raw(ip))
    want_udp = c[UDP].chksum
    del c[UDP].chksum
    check(IP(raw(c))[UDP].chksum == want_udp, f"{where}: bad UDP checksum")


def v2_fields(payload):
    """Group state TLV (type 1, len 40) and the TLV types that follow."""
    t, ln = payload[0], payload[1]
    check(t == 1 and ln == 40, f"v2: first TLV {t}/{ln}")
    (ver, op, state, ipver, group) = struct.unpack("!BBBBH", payload[2:8])
    ident = payload[8:14]
    prio, hello, hold = struct.unpack("!III", payload[14:26])
    vip = ".".join(str(b) for b in payload[26:30])
    tlvs = []
    off = 42
    while off + 2 <= len(payload):
        tlvs.append((payload[off], payload[off + 2:off + 2 + payload[off + 1]]))
        off += 2 + payload[off + 1]
    return dict(ver=ver, op=op, state=state, ipver=ipver, group=group,
                ident=ident, prio=prio, hello=hello, hold=hold, vip=vip,
                tlvs=tlvs)


def garps(pkts, vip, vmac, count, interval, where):
    g = [p for p in pkts if ARP in p and p[ARP].psrc == vip]
    check(len(g) == count, f"{where}: {len(g)} gratuitous ARPs, want {count}")
    for p in g:
        check(p[ARP].pdst == vip and p[ARP].hwsrc == vmac and
              p[Ether].src == vmac and p[Ether].dst == "ff:ff:ff:ff:ff:ff",
              f"{where}: bad gratuitous ARP {p.summary()}")
    for a, b in zip(g, g[1:]):
        gap = float(b.time - a.time)
        check(interval * 0.8 <= gap <= interval + 0.3,
              f"{where}: gratuitous ARPs {gap:.3f} s apart, want {interval}")
    return g


def inside(path):
    pkts = rdpcap(path)
    vmac = "00:00:0c:07:ac:01"
    hellos = [p for p in pkts if HSRP in p]
    check(len(hellos) >= 5, f"inside: {len(hellos)} HSRP packets")
    if not hellos:
        return
    for i, p in enumerate(hellos):
        where = f"inside HSRP #{i + 1}"
        check(p[Ether].dst == "01:00:5e:00:00:02", f"{where}: dst MAC")
        l3_ok(p, "224.0.0.2", where)
        h = p[HSRP]
        check(h.version == 0 and h.group == 1 and h.priority == 110 and
              h.virtualIP == "10.1.0.254" and h.auth.rstrip(b"\0") == b"cisco"
              and h.hellotime == 1 and h.holdtime == 2,
              f"{where}: fields {h.fields}")
        active = h.state == 16
        if active or (h.opcode == 2):
            check(p[Ether].src == vmac, f"{where}: Active from {p[Ether].src}")
        else:
            check(p[Ether].src != vmac, f"{where}: not Active but from the VMAC")
    first_active = [p for p in hellos if p[HSRP].state == 16]
    check(first_active, "inside: never Active")
    if first_active:
        dt = float(first_active[0].time - hellos[0].time)
        check(dt >= 1.0, f"inside: Active {dt:.3f} s after the first hello")
        g = garps(pkts, "10.1.0.254", vmac, 3, 0.2, "inside")
        if g:
            check(abs(float(g[0].time - first_active[0].time)) < 0.1,
                  "inside: first gratuitous ARP not with becoming Active")
    check(hellos[-1][HSRP].opcode == 2, "inside: no Resign at shutdown")


def outside(path):
    pkts = rdpcap(path)
    vmac = "00:00:0c:9f:f0:07"
    hellos = [p for p in pkts if UDP in p and p[UDP].dport == 1985]
    check(len(hellos) >= 5, f"outside: {len(hellos)} HSRP packets")
    states = []
    for i, p in enumerate(hellos):
        where = f"outside HSRPv2 #{i + 1}"
        check(p[Ether].dst == "01:00:5e:00:00:66", f"{where}: dst MAC")
        l3_ok(p, "224.0.0.102", where)
        f = v2_fields(bytes(p[UDP].payload))
        check(f["ver"] == 2 and f["group"] == 7 and f["prio"] == 110 and
              f["hello"] == 100 and f["hold"] == 300 and
              f["vip"] == "192.0.2.10" and f["ipver"] == 4,
              f"{where}: fields {f}")
        md5 = [v for t, v in f["tlvs"] if t == 4]
        check(len(md5) == 1 and len(md5[0]) == 28 and md5[0][0] == 1 and
              struct.unpack("!I", md5[0][8:12])[0] == 7 and
              md5[0][4:8] == bytes([192, 0, 2, 1]),
              f"{where}: MD5 TLV {md5}")
        active = f["state"] == 6
        if active or f["op"] == 2:
            check(p[Ether].src == vmac, f"{where}: Active from {p[Ether].src}")
        states.append((p.time, f["state"], f["op"]))
    act = [t for t, s, _ in states if s == 6]
    check(act, "outside: never Active")
    if act and states:
        dt = float(act[0] - states[0][0])
        check(dt >= 0.27, f"outside: Active {dt:.3f} s after the first hello")
        garps(pkts, "192.0.2.10", vmac, 2, 0.2, "outside")
    if states:
        check(states[-1][2] == 2, "outside: no Resign at shutdown")


inside(sys.argv[1])
outside(sys.argv[2])
for e in errors:
    print("FAIL:", e)
if not errors:
    print("ok: hellos, state order, MACs, checksums, gratuitous ARPs, resign")
sys.exit(1 if errors else 0)
