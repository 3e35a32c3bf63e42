#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks of the lab's WAN capture, independent of twinsecd's own code.

    tools/lab-check.py pcap FILE CONF_A [MIN_IVS]
        Reads the capture taken on the WAN bridge with scapy and checks that
        every IPv4 packet is ESP between the two gateways (no inside address
        in clear), then decrypts the ESP packets with scapy's own ESP
        implementation (SecurityAssociation), with the transform and keys
        read from CONF_A (gateway A's manual SAs; GCM or CBC+HMAC), and
        checks that each decrypts (and authenticates), that
        its inner packet goes between the two sites, and that sequence
        numbers increase. The IVs: pairwise distinct in each direction
        (RFC 3602 2.4, RFC 4106 3.1); AES-GCM's is the sequence number
        (what twinsecd sends, unique under the key); an AES-CBC IV is
        neither AES_K(0^128) nor AES_K(seq || 0^64), the IVs DPDK 22.11's
        librte_ipsec made (issue 14). With MIN_IVS, each direction must
        have at least that many ESP packets. Prints one JSON summary line,
        then "ok" or the problems; exit 0 only if everything holds.

Run with /usr/bin/python3 (Debian's python3-scapy).
"""

import json
import re
import sys

from scapy.all import ARP, ESP, IP, UDP, rdpcap  # noqa: E402
from scapy.layers.ipsec import SecurityAssociation  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

GW_A = "192.0.2.1"
GW_B = "192.0.2.2"


def in_net(addr, net, plen):
    a = int.from_bytes(bytes(int(x) for x in addr.split(".")), "big")
    n = int.from_bytes(bytes(int(x) for x in net.split(".")), "big")
    mask = (0xffffffff << (32 - plen)) & 0xffffffff
    return a & mask == n & mask


def conf_sas(path):
    """The transform and the inbound and outbound SA of a lab config:
    {"inbound": (spi, key hex, auth key hex or None), ...}, (esp, integrity)."""
    text = open(path).read()
    m = re.search(r'esp\s*=\s*"([^"]+)"', text)
    if m is None:
        raise SystemExit("lab-check: no transform set in %s" % path)
    esp = m.group(1)
    m = re.search(r'integrity\s*=\s*"([^"]+)"', text)
    integ = m.group(1) if m else None
    sas = {}
    for direction in ("inbound", "outbound"):
        m = re.search(direction + r"\s*=\s*\{([^}]*)\}", text)
        if m is None:
            raise SystemExit("lab-check: no %s SA in %s" % (direction, path))
        body = m.group(1)
        spi = re.search(r"spi\s*=\s*(0x[0-9a-fA-F]+|\d+)", body)
        key = re.search(r'\bkey\s*=\s*"([0-9a-fA-F]+)"', body)
        auth = re.search(r'auth_key\s*=\s*"([0-9a-fA-F]+)"', body)
        if spi is None or key is None:
            raise SystemExit("lab-check: %s SA in %s lacks spi or key" % (direction, path))
        sas[direction] = (int(spi.group(1), 0), key.group(1),
                          auth.group(1) if auth else None)
    return sas, (esp, integ)


CIPHERS = {"aes-gcm-128": "AES-GCM", "aes-gcm-256": "AES-GCM",
           "aes-cbc-128": "AES-CBC", "aes-cbc-256": "AES-CBC"}
INTEGS = {None: None, "sha1-96": "HMAC-SHA1-96", "sha256-128": "SHA2-256-128"}


def make_sa(transform, spi, keyhex, authhex, src, dst):
    esp, integ = transform
    if esp not in CIPHERS or integ not in INTEGS:
        raise SystemExit("lab-check: transform %s/%s unknown here" % (esp, integ))
    kw = {}
    if INTEGS[integ] is not None:
        kw = {"auth_algo": INTEGS[integ], "auth_key": bytes.fromhex(authhex)}
    # GCM key material is the AES key followed by the 4-byte salt: the form
    # scapy takes (RFC 4106 8.1). A tunnel header makes scapy decrypt in
    # tunnel mode (inner packet out).
    return SecurityAssociation(ESP, spi=spi, crypt_algo=CIPHERS[esp],
                               crypt_key=bytes.fromhex(keyhex),
                               tunnel_header=IP(src=src, dst=dst), **kw)


def aes_block(keyhex, block):
    """AES_K(block), one raw block (FIPS 197): the cryptography package."""
    enc = Cipher(algorithms.AES(bytes.fromhex(keyhex)), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def check_ivs(name, cbc, keyhex, ivs, problems, min_ivs):
    """ivs: [(seq, iv bytes)] of one direction. RFC 3602 2.4 (CBC: random,
    unpredictable), RFC 4106 3.1 (GCM: never repeated under one key)."""
    res = {"ivs": len(ivs), "distinct": len(set(iv for _, iv in ivs))}
    if len(ivs) < min_ivs:
        problems.append("%s: %d ESP packets, the IV check wants at least %d"
                        % (name, len(ivs), min_ivs))
    if res["distinct"] != len(ivs):
        seen, dup = {}, []
        for seq, iv in ivs:
            if iv in seen:
                dup.append((seen[iv], seq, iv))
            seen.setdefault(iv, seq)
        problems.append("%s: %d of %d IVs repeat an earlier one (seq %d and %d: %s)"
                        % (name, len(ivs) - res["distinct"], len(ivs),
                           dup[0][0], dup[0][1], dup[0][2].hex()))
    if not cbc:
        bad = [seq for seq, iv in ivs if iv != seq.to_bytes(8, "big")]
        if bad:
            problems.append("%s: %d GCM IVs are not the sequence number (first seq %d)"
                            % (name, len(bad), bad[0]))
        return res
    k0 = aes_block(keyhex, bytes(16))
    bad0 = [seq for seq, iv in ivs if iv == k0]
    badseq = [seq for seq, iv in ivs
              if iv == aes_block(keyhex, seq.to_bytes(8, "big") + bytes(8))]
    if bad0:
        problems.append("%s: %d IVs are AES_K(0) (first seq %d)" % (name, len(bad0), bad0[0]))
    if badseq:
        problems.append("%s: %d IVs are AES_K(seq || 0) (first seq %d)"
                        % (name, len(badseq), badseq[0]))
    return res


def check_pcap(pcap, conf_a, min_ivs=0):
    sas, transform = conf_sas(conf_a)
    cbc = CIPHERS.get(transform[0]) == "AES-CBC"
    ivlen = 16 if cbc else 8
    keys = {"A->B": sas["outbound"][1], "B->A": sas["inbound"][1]}
    ivs = {"A->B": [], "B->A": []}
    # A's outbound SA carries A -> B, A's inbound carries B -> A.
    by_dir = {
        (GW_A, GW_B): ("A->B", sas["outbound"][0],
                       make_sa(transform, *sas["outbound"], GW_A, GW_B),
                       ("10.1.0.0", 16), ("10.2.0.0", 16)),
        (GW_B, GW_A): ("B->A", sas["inbound"][0],
                       make_sa(transform, *sas["inbound"], GW_B, GW_A),
                       ("10.2.0.0", 16), ("10.1.0.0", 16)),
    }
    problems = []
    summary = {"frames": 0, "arp": 0, "esp": {"A->B": 0, "B->A": 0},
               "decrypted": {"A->B": 0, "B->A": 0}, "other": 0,
               "clear_inside": 0, "tos_b9": 0}
    last_seq = {}
    for p in rdpcap(pcap):
        summary["frames"] += 1
        if ARP in p:
            summary["arp"] += 1
            continue
        if IP not in p:
            summary["other"] += 1
            if len(problems) < 10:
                problems.append("non-IP frame on the WAN: %s" % p.summary())
            continue
        ip = p[IP]
        if any(in_net(a, "10.0.0.0", 8) for a in (ip.src, ip.dst)):
            summary["clear_inside"] += 1
            if len(problems) < 10:
                problems.append("inside address in clear: %s" % ip.summary())
            continue
        key = (ip.src, ip.dst)
        if ip.proto != 50 or key not in by_dir:
            summary["other"] += 1
            if len(problems) < 10:
                problems.append("not ESP between the gateways: %s" % ip.summary())
            continue
        name, spi, sa, src_net, dst_net = by_dir[key]
        summary["esp"][name] += 1
        esp = ip[ESP]
        if esp.spi != spi:
            problems.append("%s ESP with SPI 0x%x, expected 0x%x" % (name, esp.spi, spi))
            continue
        if name in last_seq and esp.seq <= last_seq[name]:
            problems.append("%s sequence number %d after %d" % (name, esp.seq, last_seq[name]))
        last_seq[name] = esp.seq
        # The IV opens the ESP payload (RFC 4303 2.3, RFC 3602 3,
        # RFC 4106 3.1); scapy keeps the payload in data.
        ivs[name].append((esp.seq, bytes(esp.data)[:ivlen]))
        try:
            inner = sa.decrypt(IP(bytes(ip)))
        except Exception as e:  # scapy raises IPSecIntegrityError and others
            if len(problems) < 10:
                problems.append("%s seq %d does not decrypt: %s" % (name, esp.seq, e))
            continue
        if IP not in inner or not in_net(inner[IP].src, *src_net) or \
                not in_net(inner[IP].dst, *dst_net):
            problems.append("%s seq %d: inner packet %s is not %s/%d -> %s/%d" %
                            (name, esp.seq, inner.summary(), src_net[0], src_net[1],
                             dst_net[0], dst_net[1]))
            continue
        summary["decrypted"][name] += 1
        # RFC 4301 5.1.2.1 (DSCP) and RFC 6040 4.1 (ECN, normal mode): the
        # outer TOS byte is the inner one.
        if ip.tos != inner[IP].tos:
            if len(problems) < 10:
                problems.append("%s seq %d: outer TOS 0x%02x, inner 0x%02x" %
                                (name, esp.seq, ip.tos, inner[IP].tos))
        elif ip.tos == 0xb9 and name == "A->B":
            summary["tos_b9"] += 1
    for name in ("A->B", "B->A"):
        if summary["esp"][name] == 0:
            problems.append("no ESP %s in the capture" % name)
    if summary["tos_b9"] == 0:
        problems.append("no A->B ESP packet with TOS 0xb9 (lab_e2e.sh's "
                        "ping -Q 0xb9) outside and in")
    summary["iv"] = {name: check_ivs(name, cbc, keys[name], ivs[name],
                                     problems, min_ivs)
                     for name in ("A->B", "B->A")}
    print(json.dumps(summary))
    if problems:
        for pr in problems:
            print("problem: " + pr)
        return 1
    print("ok")
    return 0


def parse_spi(v):
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            try:
                return int(v, 16)
            except ValueError:
                return None
    return None


def find_sas(node, out, spi_hint=None):
    """Every JSON object that describes an SA: it has an "spi" (or is keyed
    by one) and counters. The walk does not assume a nesting."""
    if isinstance(node, dict):
        spi = parse_spi(node.get("spi")) if "spi" in node else spi_hint
        if spi is not None and any(isinstance(v, int) for v in node.values()):
            out.append((spi, node))
        for k, v in node.items():
            find_sas(v, out, parse_spi(k) if isinstance(v, dict) else None)
    elif isinstance(node, list):
        for v in node:
            find_sas(v, out)


def counter(sa, word):
    """The counter of sa whose name contains word (e.g. encaps)."""
    vals = [v for k, v in sa.items() if word in k.lower() and isinstance(v, int)]
    return max(vals) if vals else None


def errors(sa):
    return {k: v for k, v in sa.items()
            if isinstance(v, int) and v != 0 and
            any(w in k.lower() for w in ("fail", "error"))}


def find_drops(node):
    """The drop counters: the object under a key containing "drops"."""
    if isinstance(node, dict):
        for k, v in node.items():
            if "drop" in k.lower() and isinstance(v, dict):
                ints = {kk: vv for kk, vv in v.items() if isinstance(vv, int)}
                if ints:
                    return ints
                sub = find_drops(v)
                if sub is not None:
                    return sub
            elif isinstance(v, (dict, list)):
                sub = find_drops(v)
                if sub is not None:
                    return sub
    elif isinstance(node, list):
        for v in node:
            sub = find_drops(v)
            if sub is not None:
                return sub
    return None


# Drops that must not happen in a clean lab run (MTU drops are expected:
# they are the PMTUD "fragmentation needed" cases).
# What counted as crypto before it had reasons of its own stays bad.
BAD_DROPS = ("icv", "replay", "no_sa", "nosa", "crypto", "policy",
             "esp_truncated", "esp_bad_padding", "esp_next_header",
             "inner_ipv6", "inner_bad_header", "inner_bad_length",
             "inner_bad_checksum", "inner_to_us", "ecn_ce_not_ect")


def check_counters(tel_a, tel_b, capture=None, spi_ab=0x1001, spi_ba=0x2001):
    ja = json.load(open(tel_a))
    jb = json.load(open(tel_b))
    cap = json.load(open(capture)) if capture else None
    sas_a, sas_b = [], []
    find_sas(ja.get("/twinsec/sa", ja), sas_a)
    find_sas(jb.get("/twinsec/sa", jb), sas_b)
    problems = []

    def one(sas, spi, word, gw):
        vals = [counter(sa, word) for s, sa in sas if s == spi]
        vals = [v for v in vals if v is not None]
        if not vals:
            problems.append("gateway %s: no SA 0x%x with a '%s' counter in /twinsec/sa"
                            % (gw, spi, word))
            return None
        return max(vals)

    res = {}
    for name, spi, enc_gw, enc_sas, dec_gw, dec_sas in (
            ("A->B", spi_ab, "A", sas_a, "B", sas_b),
            ("B->A", spi_ba, "B", sas_b, "A", sas_a)):
        enc = one(enc_sas, spi, "encaps", enc_gw)
        dec = one(dec_sas, spi, "decaps", dec_gw)
        res[name] = {"spi": "0x%x" % spi, "encaps_" + enc_gw: enc,
                     "decaps_" + dec_gw: dec}
        if enc is None or dec is None:
            continue
        if enc == 0:
            problems.append("%s: SA 0x%x encapsulated nothing on %s" % (name, spi, enc_gw))
        # Nothing is lost on the lab's links; allow a little for the odd
        # packet dropped by an af_packet ring under a burst.
        if dec > enc or enc - dec > max(2, enc // 100):
            problems.append("%s: %d encapsulated on %s but %d decapsulated on %s"
                            % (name, enc, enc_gw, dec, dec_gw))
        # The capture (complete: tcpdump dropped nothing) saw every ESP
        # packet the gateway counted.
        if cap is not None:
            seen = cap["esp"][name]
            res[name]["captured"] = seen
            if seen != enc:
                problems.append("%s: %d encapsulated on %s but %d ESP packets captured"
                                % (name, enc, enc_gw, seen))
    for gw, sas in (("A", sas_a), ("B", sas_b)):
        for spi, sa in sas:
            e = errors(sa)
            if e:
                problems.append("gateway %s SA 0x%x: %s" % (gw, spi, e))
    for gw, j in (("A", ja), ("B", jb)):
        d = j.get("/twinsec/drops", j)
        drops = {k: v for k, v in d.items() if isinstance(v, int)} \
            if isinstance(d, dict) else {}
        if not drops:
            drops = find_drops(d) or {}
        nz = {k: v for k, v in drops.items() if v}
        res["drops_" + gw] = nz
        bad = {k: v for k, v in nz.items() if any(w in k.lower() for w in BAD_DROPS)}
        if bad:
            problems.append("gateway %s drops: %s" % (gw, bad))
    print(json.dumps(res))
    if problems:
        for pr in problems:
            print("problem: " + pr)
        return 1
    print("ok")
    return 0


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "pcap":
        return check_pcap(sys.argv[2], sys.argv[3],
                          int(sys.argv[4]) if len(sys.argv) == 5 else 0)
    if len(sys.argv) in (4, 5) and sys.argv[1] == "counters":
        return check_counters(*sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
