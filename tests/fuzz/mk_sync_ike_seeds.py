#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds of fuzz_sync for the IKE issue: sync messages carrying IKE_SA
# records (kind 2) and IKE_SA_DELETE (type 32), from the records
# test_ike_export writes (TW_IKE_REC_SEEDS=tests/fuzz/corpus/ike_rec) and
# the IPSEC_SA record of corpus/sync/sa_add. Layout: lib/sync/sync_msg.h.
#   tests/fuzz/mk_sync_ike_seeds.py tests/fuzz/corpus
import struct
import sys

corpus = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus"


def msg(mtype, body):
    return struct.pack(">BBHI", 1, mtype, 0, 8 + len(body)) + body


def records(recs):
    out = struct.pack(">I", len(recs))
    for kind, body in recs:
        out += struct.pack(">HH", kind, len(body)) + body
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


est = read(f"{corpus}/ike_rec/established")
dpd = read(f"{corpus}/ike_rec/dpd_in_flight")
sa_add = read(f"{corpus}/sync/sa_add")
# the IPSEC_SA record of that SA_ADD: header, n, kind, len, body
(ipsec_len,) = struct.unpack(">H", sa_add[14:16])
ipsec = sa_add[16:16 + ipsec_len]
spis = lambda r: r[4:20]   # spi_i(8) spi_r(8) after version/state/flags/req

seeds = {
    "sa_add_ike": msg(7, records([(2, est)])),
    "sa_add_ike_dpd": msg(7, records([(2, dpd)])),
    "bulk_records_ike_mixed": msg(5, records([(1, ipsec), (2, est),
                                              (1, ipsec), (2, dpd),
                                              (9, b"later kind")])),
    "ike_sa_delete": msg(32, struct.pack(">I", 2) + spis(est) +
                         struct.pack(">QQ", 0x0102030405060708,
                                     0x1112131415161718)),
    "ike_sa_delete_empty": msg(32, struct.pack(">I", 0)),
}
for name, data in seeds.items():
    with open(f"{corpus}/sync/{name}", "wb") as f:
        f.write(data)
