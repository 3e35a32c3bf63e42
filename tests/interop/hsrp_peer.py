#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A scapy HSRP v1 router (scapy.layers.hsrp: an implementation nobody
here wrote), for tests/interop/hsrp_scapy.sh.

  hsrp_peer.py IFACE hello SECONDS   Active hellos every second (from the VMAC)
  hsrp_peer.py IFACE coup SECONDS    a Coup, then Active hellos
  hsrp_peer.py IFACE check PCAP MYIP TWINIP VIP HOLD
      after the fact: the twin's first gratuitous ARP for VIP (from the VMAC)
      came at most HOLD seconds (+ slack) after our last hello before we
      went silent; prints the delay.
"""
import sys
import time

from scapy.all import ARP, IP, UDP, Ether, rdpcap, sendp
from scapy.layers.hsrp import HSRP

GROUP = 1
PRIO = 200
VMAC = "00:00:0c:07:ac:01"
SRC = "192.0.2.2"
VIP = "192.0.2.254"


def frame(op):
    # RFC 2281: state 16 Active, op 0 Hello / 1 Coup; 1 s / 3 s timers.
    return (Ether(src=VMAC, dst="01:00:5e:00:00:02") /
            IP(src=SRC, dst="224.0.0.2", ttl=1, tos=0xc0) /
            UDP(sport=1985, dport=1985) /
            HSRP(opcode=op, state=16, hellotime=1, holdtime=3,
                 priority=PRIO, group=GROUP, auth=b"cisco\0\0\0",
                 virtualIP=VIP))


def run(iface, mode, seconds):
    if mode == "coup":
        sendp(frame(1), iface=iface, verbose=False)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sendp(frame(0), iface=iface, verbose=False)
        time.sleep(1)


def check(path, myip, twin, vip, hold):
    pkts = rdpcap(path)
    mine = [p for p in pkts if IP in p and p[IP].src == myip and HSRP in p]
    garps = [p for p in pkts if ARP in p and p[ARP].psrc == vip and
             p[ARP].pdst == vip and p[ARP].hwsrc == VMAC]
    # The silence: the longest gap in our hellos.
    gaps = [(float(b.time - a.time), a) for a, b in zip(mine, mine[1:])]
    if not gaps or not garps:
        print(f"FAIL: {len(mine)} peer hellos, {len(garps)} gratuitous ARPs")
        return 1
    gap, last = max(gaps, key=lambda g: g[0])
    after = [g for g in garps if g.time > last.time]
    if not after:
        print("FAIL: no gratuitous ARP after the peer went silent")
        return 1
    d = float(after[0].time - last.time)
    print(f"peer silent after its hello at {float(last.time):.3f}; "
          f"twin's first gratuitous ARP {d * 1000:.0f} ms later (hold {hold} s)")
    # The hold time, plus one poll interval and scheduling slack.
    if d > hold + 0.3:
        print("FAIL: later than the hold time")
        return 1
    twin_active = [p for p in pkts if IP in p and p[IP].src == twin and
                   HSRP in p and p[HSRP].state == 16]
    if not twin_active or twin_active[0][Ether].src != VMAC:
        print("FAIL: the twin's Active hellos do not come from the VMAC")
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[2] == "check":
        sys.exit(check(sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6],
                       float(sys.argv[7])))
    run(sys.argv[1], sys.argv[2], float(sys.argv[3]))
