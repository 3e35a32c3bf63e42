#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Known-answer vectors for lib/ike, computed independently of it with Python's
`cryptography` (Debian's python3-cryptography, so run it with /usr/bin/python3)
and plain Python integers for MODP:

    /usr/bin/python3 tests/unit/ike_vectors.py > tests/unit/ike_vectors.h

Every construction is written here from RFC 7296 (prf+ 2.13, SKEYSEED and
the SK_* keys 2.14, rekey 2.18, KEYMAT 2.17, PSK AUTH 2.15, NAT detection
2.23, the Encrypted payload 3.14), RFC 5282 (AES-GCM in IKEv2), RFC 5903
(ECP public values x | y and the x-coordinate secret) and RFC 8031
(Curve25519). test_ike_crypto.c and test_ike_sk.c compare lib/ike against
the header this prints.
"""

import hashlib
import struct
import sys

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import dh, ec, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# RFC 3526 section 3: the 2048-bit MODP group (group 14), generator 2.
MODP2048_P = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)

PRF_SHA256, PRF_SHA384, PRF_SHA512 = 5, 6, 7
PRF_HASH = {PRF_SHA256: hashes.SHA256, PRF_SHA384: hashes.SHA384,
            PRF_SHA512: hashes.SHA512}
INTEG_SHA1_96, INTEG_SHA256_128 = 2, 12
INTEG_KEY = {0: 0, INTEG_SHA1_96: 20, INTEG_SHA256_128: 32}
ENCR_AES_CBC, ENCR_AES_GCM_16 = 12, 20


def prf(alg, key, data):
    h = hmac.HMAC(key, PRF_HASH[alg]())
    h.update(data)
    return h.finalize()


def prfplus(alg, key, seed, n):
    """RFC 7296 2.13: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n)."""
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(alg, key, t + seed + bytes([i]))
        out += t
        i += 1
    return out[:n]


def encr_key_len(encr, bits):
    return bits // 8 + (4 if encr == ENCR_AES_GCM_16 else 0)


def sa_keys(alg_prf, encr, bits, integ, skeyseed, ni, nr, spii, spir):
    """RFC 7296 2.14: the seven keys, in order."""
    p = len(prf(alg_prf, b"k", b""))
    a = INTEG_KEY[integ]
    e = encr_key_len(encr, bits)
    km = prfplus(alg_prf, skeyseed, ni + nr + spii + spir,
                 3 * p + 2 * a + 2 * e)
    keys, off = {}, 0
    for name, n in (("d", p), ("ai", a), ("ar", a), ("ei", e), ("er", e),
                    ("pi", p), ("pr", p)):
        keys[name] = km[off:off + n]
        off += n
    return keys


def child_keys(alg_prf, sk_d, gir, ni, nr, encr, bits, integ):
    """RFC 7296 2.17: encr then integ, initiator-to-responder first."""
    e = encr_key_len(encr, bits)
    a = INTEG_KEY[integ]
    km = prfplus(alg_prf, sk_d, gir + ni + nr, 2 * (e + a))
    return {"encr_i2r": km[0:e], "integ_i2r": km[e:e + a],
            "encr_r2i": km[e + a:2 * e + a], "integ_r2i": km[2 * e + a:]}


def auth_psk(alg, psk, msg, nonce, sk_p, id_body):
    """RFC 7296 2.15."""
    maced = prf(alg, sk_p, id_body)
    return prf(alg, prf(alg, psk, b"Key Pad for IKEv2"), msg + nonce + maced)


def sha1(data):
    h = hashes.Hash(hashes.SHA1())
    h.update(data)
    return h.finalize()


def seeded(label, n):
    """Fixed, documented test inputs."""
    out, i = b"", 0
    while len(out) < n:
        out += hashlib.sha512(("%s/%d" % (label, i)).encode()).digest()
        i += 1
    return out[:n]


# ---- Diffie-Hellman with fixed private values ----

def dh_modp(priv_i, priv_r):
    pn = dh.DHParameterNumbers(MODP2048_P, 2)
    xi, xr = int.from_bytes(priv_i, "big"), int.from_bytes(priv_r, "big")
    yi, yr = pow(2, xi, MODP2048_P), pow(2, xr, MODP2048_P)
    ki = dh.DHPrivateNumbers(xi, dh.DHPublicNumbers(yi, pn)).private_key()
    kr_pub = dh.DHPublicNumbers(yr, pn).public_key()
    shared = ki.exchange(kr_pub).rjust(256, b"\0")
    assert shared == pow(yr, xi, MODP2048_P).to_bytes(256, "big")
    return yi.to_bytes(256, "big"), yr.to_bytes(256, "big"), shared


def dh_ecp(curve, clen, priv_i, priv_r):
    ki = ec.derive_private_key(int.from_bytes(priv_i, "big"), curve)
    kr = ec.derive_private_key(int.from_bytes(priv_r, "big"), curve)

    def pub(k):
        n = k.public_key().public_numbers()
        return n.x.to_bytes(clen, "big") + n.y.to_bytes(clen, "big")
    shared = ki.exchange(ec.ECDH(), kr.public_key())
    assert shared == kr.exchange(ec.ECDH(), ki.public_key())
    return pub(ki), pub(kr), shared


def dh_x25519(priv_i, priv_r):
    ki = x25519.X25519PrivateKey.from_private_bytes(priv_i)
    kr = x25519.X25519PrivateKey.from_private_bytes(priv_r)

    def pub(k):
        return k.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    shared = ki.exchange(kr.public_key())
    return pub(ki), pub(kr), shared


# ---- Encrypted payload (RFC 7296 3.14, RFC 5282) ----

def ike_header(spii, spir, nxt, exch, flags, msgid, length):
    return spii + spir + struct.pack("!BBBBII", nxt, 0x20, exch, flags,
                                     msgid, length)


def payload(nxt, body):
    return struct.pack("!BBH", nxt, 0, 4 + len(body)) + body


def sk_cbc(hdr_fields, inner_first, inner, ek, ak, iv):
    pad = (16 - (len(inner) + 1) % 16) % 16
    pt = inner + b"\0" * pad + bytes([pad])
    icv_len = 16
    sk_len = 4 + len(iv) + len(pt) + icv_len
    hdr = ike_header(*hdr_fields, 28 + sk_len)
    skh = struct.pack("!BBH", inner_first, 0, sk_len)
    enc = Cipher(algorithms.AES(ek), modes.CBC(iv)).encryptor()
    ct = enc.update(pt) + enc.finalize()
    msg = hdr + skh + iv + ct
    h = hmac.HMAC(ak, hashes.SHA256())
    h.update(msg)
    return msg + h.finalize()[:icv_len]


def sk_gcm(hdr_fields, inner_first, inner, ek_salt, iv):
    pt = inner + b"\0"              # no padding, Pad Length 0
    sk_len = 4 + len(iv) + len(pt) + 16
    hdr = ike_header(*hdr_fields, 28 + sk_len)
    skh = struct.pack("!BBH", inner_first, 0, sk_len)
    key, salt = ek_salt[:-4], ek_salt[-4:]
    aad = hdr + skh
    return aad + iv + AESGCM(key).encrypt(salt + iv, pt, aad)


# ---- output ----

def c_array(name, data):
    # unused: each test uses a part of the header.
    lines = ["static const uint8_t %s[%d] __attribute__((unused)) = {" %
             (name, len(data))]
    for i in range(0, len(data), 12):
        lines.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
    lines.append("};")
    return "\n".join(lines)


def main():
    out = []

    def emit(name, data):
        if not data:       # e.g. SK_a with GCM: nothing to compare
            return
        out.append(c_array("ikev_" + name, data))

    # prf+ for each PRF: key, seed given in two chunks, 150 bytes.
    pkey = seeded("prf+ key", 40)
    seed1, seed2 = seeded("prf+ seed 1", 23), seeded("prf+ seed 2", 41)
    emit("prfplus_key", pkey)
    emit("prfplus_seed1", seed1)
    emit("prfplus_seed2", seed2)
    for alg, name in ((PRF_SHA256, "sha256"), (PRF_SHA384, "sha384"),
                      (PRF_SHA512, "sha512")):
        emit("prfplus_" + name, prfplus(alg, pkey, seed1 + seed2, 150))

    # DH: fixed private values, both public values, the shared secret.
    groups = {}
    for grp, fn in ((14, lambda a, b: dh_modp(a, b)),
                    (19, lambda a, b: dh_ecp(ec.SECP256R1(), 32, a, b)),
                    (20, lambda a, b: dh_ecp(ec.SECP384R1(), 48, a, b)),
                    (31, lambda a, b: dh_x25519(a, b))):
        n = {14: 32, 19: 32, 20: 48, 31: 32}[grp]
        pi, pr = seeded("dh %d i" % grp, n), seeded("dh %d r" % grp, n)
        pub_i, pub_r, shared = fn(pi, pr)
        groups[grp] = shared
        for k, v in (("priv_i", pi), ("priv_r", pr), ("pub_i", pub_i),
                     ("pub_r", pub_r), ("shared", shared)):
            emit("dh%d_%s" % (grp, k), v)

    # IKE SA "A": PRF-SHA256, AES-CBC-256, HMAC-SHA256-128, ECP-256.
    ni, nr = seeded("Ni", 32), seeded("Nr", 32)
    spii = bytes.fromhex("0102030405060708")
    spir = bytes.fromhex("f1f2f3f4f5f6f7f8")
    emit("ni", ni)
    emit("nr", nr)
    emit("spi_i", spii)
    emit("spi_r", spir)
    skeyseed_a = prf(PRF_SHA256, ni + nr, groups[19])
    emit("a_skeyseed", skeyseed_a)
    ka = sa_keys(PRF_SHA256, ENCR_AES_CBC, 256, INTEG_SHA256_128,
                 skeyseed_a, ni, nr, spii, spir)
    for k, v in ka.items():
        emit("a_sk_" + k, v)

    # IKE SA "B": PRF-SHA384, AES-GCM-16-256 (no INTEG), Curve25519,
    # nonces of different lengths.
    ni_b, nr_b = seeded("Ni B", 48), seeded("Nr B", 20)
    emit("b_ni", ni_b)
    emit("b_nr", nr_b)
    skeyseed_b = prf(PRF_SHA384, ni_b + nr_b, groups[31])
    emit("b_skeyseed", skeyseed_b)
    kb = sa_keys(PRF_SHA384, ENCR_AES_GCM_16, 256, 0, skeyseed_b,
                 ni_b, nr_b, spii, spir)
    for k, v in kb.items():
        emit("b_sk_" + k, v)

    # Rekey of A (2.18) with MODP-2048 into PRF-SHA512, AES-GCM-16-128.
    ni_rk, nr_rk = seeded("Ni rekey", 32), seeded("Nr rekey", 32)
    spii_rk = bytes.fromhex("1111222233334444")
    spir_rk = bytes.fromhex("5555666677778888")
    emit("rk_ni", ni_rk)
    emit("rk_nr", nr_rk)
    emit("rk_spi_i", spii_rk)
    emit("rk_spi_r", spir_rk)
    skeyseed_rk = prf(PRF_SHA256, ka["d"], groups[14] + ni_rk + nr_rk)
    emit("rk_skeyseed", skeyseed_rk)
    krk = sa_keys(PRF_SHA512, ENCR_AES_GCM_16, 128, 0, skeyseed_rk,
                  ni_rk, nr_rk, spii_rk, spir_rk)
    for k, v in krk.items():
        emit("rk_sk_" + k, v)

    # KEYMAT (2.17) from A's SK_d.
    c1 = child_keys(PRF_SHA256, ka["d"], b"", ni, nr, ENCR_AES_GCM_16, 128, 0)
    c2 = child_keys(PRF_SHA256, ka["d"], groups[20], ni_rk, nr_rk,
                    ENCR_AES_CBC, 128, INTEG_SHA1_96)
    c3 = child_keys(PRF_SHA256, ka["d"], b"", ni, nr, ENCR_AES_CBC, 256,
                    INTEG_SHA256_128)
    for tag, c in (("gcm128", c1), ("pfs_cbc128_sha1", c2),
                   ("cbc256_sha256", c3)):
        for k, v in c.items():
            if v:
                emit("child_%s_%s" % (tag, k), v)

    # PSK AUTH (2.15) for A, both sides.
    psk = b"twinsec-psk-secret"
    msg1, msg2 = seeded("RealMessage1", 312), seeded("RealMessage2", 296)
    idi = bytes([2, 0, 0, 0]) + b"initiator.example"
    idr = bytes([1, 0, 0, 0, 192, 0, 2, 1])
    emit("psk", psk)
    emit("msg1", msg1)
    emit("msg2", msg2)
    emit("idi_body", idi)
    emit("idr_body", idr)
    emit("auth_i", auth_psk(PRF_SHA256, psk, msg1, nr, ka["pi"], idi))
    emit("auth_r", auth_psk(PRF_SHA256, psk, msg2, ni, ka["pr"], idr))
    # ... and with PRF-SHA384 keys of B.
    emit("b_auth_i", auth_psk(PRF_SHA384, psk, msg1, nr_b, kb["pi"], idi))

    # NAT detection (2.23).
    emit("natd_1", sha1(spii + spir + bytes([192, 0, 2, 1]) +
                        struct.pack("!H", 500)))
    emit("natd_2", sha1(spii + bytes(8) + bytes([198, 51, 100, 7]) +
                        struct.pack("!H", 4500)))

    # Encrypted payload: IKE_AUTH request (msg id 1, I flag) carrying
    # IDi | AUTH | N(INITIAL_CONTACT), sent by the initiator.
    auth_data = seeded("AUTH data", 32)
    inner = (payload(39, idi) +
             payload(41, bytes([2, 0, 0, 0]) + auth_data) +
             payload(0, struct.pack("!BBH", 0, 0, 16384)))
    emit("sk_inner", inner)
    emit("sk_auth_data", auth_data)
    hdr_fields = (spii, spir, 46, 35, 0x08, 1)
    iv_cbc, iv_gcm = seeded("IV CBC", 16), seeded("IV GCM", 8)
    emit("sk_iv_cbc", iv_cbc)
    emit("sk_iv_gcm", iv_gcm)
    emit("sk_cbc_msg", sk_cbc(hdr_fields, 35, inner, ka["ei"], ka["ai"],
                              iv_cbc))
    emit("sk_gcm_msg", sk_gcm(hdr_fields, 35, inner, kb["ei"], iv_gcm))

    print("/* SPDX-License-Identifier: BSD-3-Clause */")
    print("/* Generated by tests/unit/ike_vectors.py with Python's "
          "cryptography; do not edit. */")
    print("#ifndef IKE_VECTORS_H")
    print("#define IKE_VECTORS_H")
    print()
    print("#include <stdint.h>")
    print()
    print("\n\n".join(out))
    print()
    print("#endif /* IKE_VECTORS_H */")


if __name__ == "__main__":
    sys.exit(main())
