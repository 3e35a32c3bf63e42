#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ESP tunnel mode with IPv6 (issue 18) between twinsec's dp_sa (through
esp_pcap_tool) and scapy's SecurityAssociation, an implementation nobody
here wrote.

For IPv6 inner over IPv6 outer, IPv6 inner over IPv4 outer and IPv4 inner
over IPv6 outer, a GCM and two CBC/HMAC transforms, both crypto modes:
  (a) twinsec encrypts scapy's plaintext (odd sizes, UDP, TCP, ICMP/ICMPv6)
      from a sequence number seed; every packet has the outer header of its
      family (addresses, next header 50, hop limit / TTL 64, payload length;
      IPv4: DF, as an IPv6 inner packet is never fragmented on the way, and
      a valid checksum), the SPI, sequence numbers increasing by one, and
      scapy decrypts it back to the plaintext;
  (b) scapy encrypts, twinsec decrypts to the same inner packets; a replay,
      a tampered packet and an inner packet outside the SA's selectors are
      dropped and counted per reason.

Usage: esp_scapy6.py PATH/TO/esp_pcap_tool [WORKDIR]
Prints one PASS/FAIL line per check; exit 0 if all pass.
"""

import os
import subprocess
import sys
import tempfile

from scapy.all import (IP, IPv6, UDP, TCP, ICMP, ICMPv6EchoRequest, Raw,
                       rdpcap, wrpcap, checksum)
from scapy.layers.ipsec import ESP, SecurityAssociation

ENDPOINTS = {
    # outer family: twinsec's tunnel endpoint, scapy's
    4: ("192.0.2.1", "198.51.100.7"),
    6: ("2001:db8:ff::1", "2001:db8:ff::7"),
}
SITES = {
    # inner family: (twinsec's site, scapy's site) as --sel prefixes
    4: ("10.1.0.0/16", "10.2.0.0/16"),
    6: ("2001:db8:1::/48", "2001:db8:2::/48"),
}
COMBOS = [("ipv6-in-ipv6", 6, 6), ("ipv6-in-ipv4", 4, 6),
          ("ipv4-in-ipv6", 6, 4)]
SPI_OUT = 0x61000001   # twinsec -> scapy
SPI_IN = 0x62000002    # scapy -> twinsec
SEED = 500

ALGOS = [
    # name, twinsec cipher, twinsec integ, scapy crypt, scapy auth,
    # cipher key bytes (GCM: + 4 salt), auth key bytes
    ("aes-gcm-128", "aes-gcm-128", "none", "AES-GCM", None, 20, 0),
    ("aes-cbc-128/sha1-96", "aes-cbc-128", "sha1-96", "AES-CBC",
     "HMAC-SHA1-96", 16, 20),
    ("aes-cbc-256/sha256-128", "aes-cbc-256", "sha256-128", "AES-CBC",
     "SHA2-256-128", 32, 32),
]
MODES = ["cpu-crypto", "lookaside"]

failures = 0
passes = 0


def check(cond, what):
    global failures, passes
    if cond:
        passes += 1
        print("PASS: " + what)
    else:
        failures += 1
        print("FAIL: " + what)
    return cond


def key(n, seed):
    return bytes((seed + 11 * i) & 0xff for i in range(n))


def inner(family, i, size, stray=False):
    """One inner packet from twinsec's site to scapy's (stray: from
    outside the site)."""
    payload = bytes((i * 29 + j) & 0xff for j in range(size))
    if family == 6:
        src = "2001:db8:9::5" if stray else "2001:db8:1::%x" % (i + 5)
        hdr = IPv6(src=src, dst="2001:db8:2::9", hlim=63, tc=0, fl=i)
        if i % 3 == 0:
            p = hdr / UDP(sport=4000 + i, dport=53) / Raw(payload)
        elif i % 3 == 1:
            p = hdr / TCP(sport=40000, dport=80, flags="PA",
                          seq=i) / Raw(payload)
        else:
            p = hdr / ICMPv6EchoRequest(id=7, seq=i, data=payload)
        return IPv6(bytes(p))
    src = "172.16.0.1" if stray else "10.1.0.%d" % (i + 5)
    hdr = IP(src=src, dst="10.2.0.9", id=200 + i, ttl=63)
    if i % 2 == 0:
        p = hdr / UDP(sport=4000 + i, dport=53) / Raw(payload)
    else:
        p = hdr / ICMP(id=7, seq=i) / Raw(payload)
    return IP(bytes(p))


def plaintexts(family):
    return [inner(family, i, s)
            for i, s in enumerate([0, 1, 17, 100, 333, 1201])]


def outer_hdr(family, src, dst):
    return IPv6(src=src, dst=dst) if family == 6 else IP(src=src, dst=dst)


def scapy_sa(algo, spi, outer, src, dst, seq=1):
    _, _, _, crypt, auth, klen, alen = algo
    kw = dict(crypt_algo=crypt, crypt_key=key(klen, 0x41),
              tunnel_header=outer_hdr(outer, src, dst))
    if auth:
        kw["auth_algo"] = auth
        kw["auth_key"] = key(alen, 0x95)
    return SecurityAssociation(ESP, spi=spi, seq_num=seq, **kw)


def run_tool(tool, algo, direction, mode, outer, inner_af, spi, seq, pin,
             pout, sel=None):
    _, cipher, integ, _, _, klen, alen = algo
    local, remote = ENDPOINTS[outer]
    if direction == "in":
        local, remote = remote, local
    cmd = [tool, "--dir", direction, "--mode", mode, "--cipher", cipher,
           "--integ", integ, "--ckey", key(klen, 0x41).hex(),
           "--spi", str(spi), "--local", local, "--remote", remote,
           "--seq", str(seq), "--inner", str(inner_af)]
    if alen:
        cmd += ["--akey", key(alen, 0x95).hex()]
    if sel:
        cmd += ["--sel", sel]
    cmd += [pin, pout]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        print("tool failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
        return None
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition("=")
        out[k] = int(v)
    return out


def raw_pcap(path, pkts):
    """Raw IP (linktype 101): the outer family shows in the first nibble."""
    wrpcap(path, [Raw(bytes(p)) for p in pkts], linktype=101)


def read_raw(path):
    got = []
    for p in rdpcap(path):
        b = bytes(p)
        got.append(IPv6(b) if b[0] >> 4 == 6 else IP(b))
    return got


def outbound(tool, work, algo, mode, combo):
    name, outer, inner_af = combo
    tag = "%s %s %s outbound" % (name, algo[0], mode)
    local, remote = ENDPOINTS[outer]
    plain = plaintexts(inner_af)
    pin = os.path.join(work, "o-in.pcap")
    pout = os.path.join(work, "o-out.pcap")
    raw_pcap(pin, plain)
    ctr = run_tool(tool, algo, "out", mode, outer, inner_af, SPI_OUT, SEED,
                   pin, pout)
    if not check(ctr is not None, tag + ": tool ran"):
        return
    got = read_raw(pout)
    check(len(got) == len(plain) and ctr["sa.encaps"] == len(plain),
          tag + ": %d packets encapsulated" % len(plain))
    sa = scapy_sa(algo, SPI_OUT, outer, local, remote)
    seqs = []
    for i, (o, p) in enumerate(zip(got, plain)):
        w = "%s pkt %d (%d bytes)" % (tag, i, len(p))
        if outer == 6:
            ok = (isinstance(o, IPv6) and o.src == local and o.dst == remote
                  and o.nh == 50 and o.hlim == 64 and
                  o.plen == len(bytes(o)) - 40)
        else:
            raw = bytes(o)
            ok = (isinstance(o, IP) and o.src == local and o.dst == remote
                  and o.proto == 50 and o.ttl == 64 and
                  o.len == len(raw) and checksum(raw[:20]) == 0 and
                  (inner_af == 4 or "DF" in str(o.flags)))
        check(ok, w + ": outer header of its family")
        esp = o[ESP]
        check(esp.spi == SPI_OUT, w + ": SPI 0x%08x" % esp.spi)
        seqs.append(esp.seq)
        try:
            dec = sa.decrypt(o)
            check(bytes(dec) == bytes(p), w + ": scapy decrypts it back")
        except Exception as e:  # noqa: BLE001 (report, go on)
            check(False, w + ": scapy decrypt: %s" % e)
    check(seqs == list(range(SEED + 1, SEED + 1 + len(plain))),
          tag + ": sequence numbers %s" % seqs)


def inbound(tool, work, algo, mode, combo):
    name, outer, inner_af = combo
    tag = "%s %s %s inbound" % (name, algo[0], mode)
    local, remote = ENDPOINTS[outer]
    # scapy is the remote end: it sends from remote to local
    sa = scapy_sa(algo, SPI_IN, outer, remote, local)
    plain = plaintexts(inner_af)
    # twinsec's view of traffic arriving: scapy's site -> ours
    rev = []
    for p in plain:
        q = p.copy()
        q.src, q.dst = q.dst, q.src
        rev.append(q.__class__(bytes(q)))
    enc = [sa.encrypt(p) for p in rev]
    tampered = bytearray(bytes(sa.encrypt(rev[2])))
    tampered[-20] ^= 0x01
    stray = inner(inner_af, 9, 30, stray=True)
    stray.src, stray.dst = stray.dst, stray.src
    stray = stray.__class__(bytes(stray))
    cls = IPv6 if outer == 6 else IP
    pkts = enc + [enc[1], cls(bytes(tampered)), sa.encrypt(stray)]
    pin = os.path.join(work, "i-in.pcap")
    pout = os.path.join(work, "i-out.pcap")
    raw_pcap(pin, pkts)
    site_local, site_remote = SITES[inner_af]
    ctr = run_tool(tool, algo, "in", mode, outer, inner_af, SPI_IN, 0, pin,
                   pout, sel="%s,%s" % (site_remote, site_local))
    if not check(ctr is not None, tag + ": tool ran"):
        return
    got = read_raw(pout)
    check([bytes(g) for g in got] == [bytes(p) for p in rev],
          tag + ": %d inner packets back, byte for byte" % len(rev))
    check(ctr["drop.replay"] == 1 and ctr["drop.icv"] == 1 and
          ctr["drop.policy"] == 1,
          tag + ": replay %d, icv %d, policy %d dropped" %
          (ctr["drop.replay"], ctr["drop.icv"], ctr["drop.policy"]))
    check(ctr["sa.decaps"] == len(rev) and ctr["sa.seq"] == len(pkts) - 1,
          tag + ": decaps %d, highest seq %d" % (ctr["sa.decaps"],
                                                ctr["sa.seq"]))


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp()
    os.makedirs(work, exist_ok=True)
    for combo in COMBOS:
        for algo in ALGOS:
            for mode in MODES:
                outbound(tool, work, algo, mode, combo)
                inbound(tool, work, algo, mode, combo)
    print("%d passed, %d failed" % (passes, failures))
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
