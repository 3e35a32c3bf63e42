#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_ha_sync: the sync messages of corpus/sync, each with a
# 2-byte length, in the orders a standby hears them (records, then
# counters, then deletes, again). Writes corpus/ha_sync/.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
S = os.path.join(HERE, 'corpus', 'sync')
D = os.path.join(HERE, 'corpus', 'ha_sync')


def m(name):
    with open(os.path.join(S, name), 'rb') as f:
        b = f.read()
    return struct.pack('>H', len(b)) + b


def flip_dir(b, offsets, d):
    b = bytearray(b)
    for o in offsets:
        b[2 + o] = d   # past the 2-byte length
    return bytes(b)


# counters and a delete naming the SA of sa_add (id 1, SPI 0x1001, out)
CTR_OUT = flip_dir(m('counter_update'), (20, 64), 1)
DEL_OUT = flip_dir(m('sa_delete'), (20,), 1)

seeds = {
    'add_count_delete_same_sa': m('sa_add') + CTR_OUT + CTR_OUT + DEL_OUT +
    CTR_OUT,
    'add_count_delete': m('sa_add') + m('counter_update') + m('sa_delete'),
    'bulk_then_updates': m('bulk_start') + m('bulk_records') +
    m('counter_update') + m('counter_update') + m('bulk_end'),
    'add_twice_then_delete': m('sa_add') + m('sa_add') + m('sa_delete') +
    m('sa_add'),
    'ike_records_and_deletes': m('sa_add_ike') + m('bulk_records_ike_mixed')
    + m('ike_sa_delete') + m('ike_sa_delete_empty'),
    'other_messages': m('hello') + m('keepalive') + m('bulk_request') +
    m('sa_add'),
}
os.makedirs(D, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
