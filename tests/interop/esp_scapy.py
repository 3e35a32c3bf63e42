#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ESP interop between twinsec's dp_sa (through esp_pcap_tool) and scapy's
SecurityAssociation, an implementation nobody here wrote.

For every algorithm, with and without RFC 3948 UDP encapsulation, in both
crypto modes:
  (a) scapy makes plaintext, twinsec encrypts (sequence numbers from a
      seed), scapy decrypts every packet and gets the plaintext back; the
      outer header is what twinsec promises (addresses, protocol 50 or
      UDP 4500, TTL 64, DF copied, valid checksum);
  (b) scapy encrypts, twinsec decrypts to the same inner packets; a
      replayed, a tampered and an unknown-SPI packet and an inner packet
      outside the SA's selectors are dropped and counted per reason.

Usage: esp_scapy.py PATH/TO/esp_pcap_tool [WORKDIR]
Prints one PASS/FAIL line per check; exit 0 if all pass.
"""

import os
import subprocess
import sys
import tempfile

from scapy.all import Ether, IP, UDP, TCP, ICMP, Raw, rdpcap, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

LOCAL = "192.0.2.1"     # twinsec's tunnel endpoint
REMOTE = "198.51.100.7"  # scapy's
SPI_OUT = 0x11223344   # twinsec -> scapy
SPI_IN = 0x55667788    # scapy -> twinsec
SEED = 1000

ALGOS = [
    # name, twinsec cipher, twinsec integ, scapy crypt, scapy auth,
    # cipher key bytes (GCM: + 4 salt), auth key bytes
    ("aes-gcm-128", "aes-gcm-128", "none", "AES-GCM", None, 20, 0),
    ("aes-gcm-256", "aes-gcm-256", "none", "AES-GCM", None, 36, 0),
    ("aes-cbc-128/sha1-96", "aes-cbc-128", "sha1-96", "AES-CBC",
     "HMAC-SHA1-96", 16, 20),
    ("aes-cbc-128/sha256-128", "aes-cbc-128", "sha256-128", "AES-CBC",
     "SHA2-256-128", 16, 32),
    ("aes-cbc-256/sha1-96", "aes-cbc-256", "sha1-96", "AES-CBC",
     "HMAC-SHA1-96", 32, 20),
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
    return bytes((seed + 7 * i) & 0xff for i in range(n))


def plaintexts():
    """Inner packets between the two protected sites: assorted sizes and
    protocols, DF on some."""
    pkts = []
    for i, size in enumerate([0, 1, 17, 100, 500, 1300]):
        payload = bytes((i * 13 + j) & 0xff for j in range(size))
        flags = "DF" if i % 2 == 0 else 0
        if i % 3 == 0:
            p = IP(src="10.1.0.5", dst="10.2.0.9", id=100 + i, flags=flags,
                   ttl=63) / UDP(sport=4000 + i, dport=53) / Raw(payload)
        elif i % 3 == 1:
            p = IP(src="10.1.0.6", dst="10.2.3.4", id=100 + i, flags=flags,
                   ttl=63) / TCP(sport=40000, dport=80, flags="PA",
                                 seq=i) / Raw(payload)
        else:
            p = IP(src="10.1.9.9", dst="10.2.0.1", id=100 + i, flags=flags,
                   ttl=63) / ICMP(id=7, seq=i) / Raw(payload)
        pkts.append(IP(bytes(p)))
    return pkts


def scapy_sa(algo, spi, udp, src, dst, seq=1):
    _, _, _, crypt, auth, klen, alen = algo
    kw = dict(crypt_algo=crypt, crypt_key=key(klen, 0x30),
              tunnel_header=IP(src=src, dst=dst))
    if auth:
        kw["auth_algo"] = auth
        kw["auth_key"] = key(alen, 0x80)
    if udp:
        sport, dport = (4500, 4500)
        kw["nat_t_header"] = UDP(sport=sport, dport=dport)
    return SecurityAssociation(ESP, spi=spi, seq_num=seq, **kw)


def run_tool(tool, algo, direction, mode, udp, spi, seq, pin, pout,
             extra=()):
    _, cipher, integ, _, _, klen, alen = algo
    cmd = [tool, "--dir", direction, "--mode", mode, "--cipher", cipher,
           "--integ", integ, "--ckey", key(klen, 0x30).hex(),
           "--spi", str(spi), "--local", LOCAL, "--remote", REMOTE,
           "--seq", str(seq)]
    if alen:
        cmd += ["--akey", key(alen, 0x80).hex()]
    if udp:
        cmd += ["--udp", "4500:4500"]
    cmd += list(extra) + [pin, pout]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        print("tool failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
        return None
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition("=")
        out[k] = int(v)
    return out


def outbound(tool, work, algo, mode, udp):
    tag = "%s %s%s outbound" % (algo[0], mode, " udp-encap" if udp else "")
    plain = plaintexts()
    pin = os.path.join(work, "out-in.pcap")
    pout = os.path.join(work, "out-out.pcap")
    wrpcap(pin, [Ether() / p for p in plain])
    ctr = run_tool(tool, algo, "out", mode, udp, SPI_OUT, SEED, pin, pout)
    if not check(ctr is not None, tag + ": tool ran"):
        return
    got = [p[IP] for p in rdpcap(pout)]
    check(len(got) == len(plain) and ctr["sa.encaps"] == len(plain) and
          ctr["sa.encrypt"] == len(plain) and ctr["sa.digest"] == len(plain),
          tag + ": %d packets encapsulated, counters encaps/encrypt/digest"
          % len(plain))
    check(ctr["sa.seq"] == SEED + len(plain),
          tag + ": sa.seq %d = seed + %d" % (ctr["sa.seq"], len(plain)))
    rx = scapy_sa(algo, SPI_OUT, udp, LOCAL, REMOTE)
    ok_hdr = ok_dec = True
    for i, (p, want) in enumerate(zip(got, plain)):
        outer = IP(bytes(p))
        chk = outer.chksum
        del outer.chksum
        good = (outer.src == LOCAL and outer.dst == REMOTE and
                outer.ttl == 64 and
                IP(bytes(outer)).chksum == chk and
                bool(outer.flags.DF) == bool(want.flags.DF))
        if udp:
            good = good and outer.proto == 17 and \
                outer[UDP].sport == 4500 and outer[UDP].dport == 4500 and \
                outer[UDP].len == len(outer) - 20 and outer[UDP].chksum == 0
            esp = ESP(bytes(outer[UDP].payload))
        else:
            good = good and outer.proto == 50
            esp = ESP(bytes(outer.payload))
        good = good and esp.spi == SPI_OUT and esp.seq == SEED + 1 + i
        if not good:
            ok_hdr = False
            print("  outer header %d: %r" % (i, outer))
        try:
            if udp:
                # scapy decrypts IP/ESP; NAT-T is only the wrapper
                inner = rx.decrypt(IP(src=outer.src, dst=outer.dst,
                                      proto=50) / esp)
            else:
                inner = rx.decrypt(outer)
        except Exception as e:  # scapy raises on a bad ICV or padding
            print("  scapy could not decrypt %d: %s" % (i, e))
            ok_dec = False
            continue
        if bytes(inner) != bytes(want):
            print("  packet %d differs:\n   got  %s\n   want %s"
                  % (i, bytes(inner).hex(), bytes(want).hex()))
            ok_dec = False
    check(ok_hdr, tag + ": outer headers (addresses, proto, ports, TTL 64, "
          "DF copied, checksum, SPI, seq from %d)" % (SEED + 1))
    check(ok_dec and len(got) == len(plain),
          tag + ": scapy decrypts every packet to the original plaintext")


def inbound(tool, work, algo, mode, udp):
    tag = "%s %s%s inbound" % (algo[0], mode, " udp-encap" if udp else "")
    plain = plaintexts()
    tx = scapy_sa(algo, SPI_IN, udp, REMOTE, LOCAL, seq=SEED + 1)
    enc = [tx.encrypt(p) for p in plain]
    # Unknown SPI: same keys, another SPI.
    stranger = scapy_sa(algo, SPI_IN + 1, udp, REMOTE, LOCAL, seq=5)
    unknown = stranger.encrypt(plain[0])
    # Tampered: flip one byte of the ciphertext of a fresh packet.
    t = bytearray(bytes(tx.encrypt(plain[1])))
    t[len(t) - 20] ^= 0x01
    tampered = IP(bytes(t))
    # Outside the selectors (10.1/16 -> 10.2/16): a third site.
    stray = tx.encrypt(IP(bytes(IP(src="10.7.0.1", dst="10.2.0.9") /
                                UDP(sport=1, dport=2) / Raw(b"x" * 20))))
    seq_after = SEED + len(plain) + 2  # the stray one authenticated
    # A packet scapy numbers at the seed itself, and one far below it.
    old = scapy_sa(algo, SPI_IN, udp, REMOTE, LOCAL, seq=SEED)
    at_seed = old.encrypt(plain[2])
    old = scapy_sa(algo, SPI_IN, udp, REMOTE, LOCAL, seq=SEED - 500)
    below = old.encrypt(plain[2])
    stream = enc + [enc[2], tampered, unknown, stray, at_seed, below]
    pin = os.path.join(work, "in-in.pcap")
    pout = os.path.join(work, "in-out.pcap")
    wrpcap(pin, [Ether() / p for p in stream])
    ctr = run_tool(tool, algo, "in", mode, udp, SPI_IN, SEED, pin, pout,
                   ["--sel", "10.1.0.0/16,10.2.0.0/16"])
    if not check(ctr is not None, tag + ": tool ran"):
        return
    got = [p[IP] for p in rdpcap(pout)]
    same = len(got) == len(plain) and all(
        bytes(g) == bytes(w) for g, w in zip(got, plain))
    if not same:
        for i, g in enumerate(got):
            print("  got %d: %s" % (i, bytes(g).hex()))
    check(same, tag + ": twinsec decrypts scapy's %d packets to the "
          "originals" % len(plain))
    check(ctr["sa.decaps"] == len(plain) and ctr["sa.decrypt"] == len(plain)
          and ctr["sa.verify"] == len(plain),
          tag + ": counters decaps/decrypt/verify = %d" % len(plain))
    check(ctr["drop.replay"] == 3 and ctr["sa.replay_fails"] == 3,
          tag + ": replayed packet, seq at the seed and seq below the "
          "window dropped as replay (%d)" % ctr["drop.replay"])
    check(ctr["drop.icv"] == 1 and ctr["sa.auth_fails"] == 1,
          tag + ": tampered packet dropped as icv (%d)" % ctr["drop.icv"])
    check(ctr["drop.no-sa"] == 1,
          tag + ": unknown SPI dropped as no-sa (%d)" % ctr["drop.no-sa"])
    check(ctr["drop.policy"] == 1 and ctr["sa.policy_fails"] == 1,
          tag + ": inner packet outside the selectors dropped as policy "
          "(%d)" % ctr["drop.policy"])
    check(ctr["sa.seq"] == seq_after,
          tag + ": highest sequence number seen %d" % ctr["sa.seq"])


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(
        prefix="tw-esp-scapy-")
    os.makedirs(work, exist_ok=True)
    for mode in MODES:
        for algo in ALGOS:
            for udp in (False, True):
                outbound(tool, work, algo, mode, udp)
                inbound(tool, work, algo, mode, udp)
    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
