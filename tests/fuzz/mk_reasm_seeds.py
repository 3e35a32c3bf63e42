#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_reasm: a script of steps (see tests/fuzz/fuzz_reasm.c).
#   fragment: 0x00, key, flags, offset (2 bytes, 8-byte units), length (2)
#     flags: 1 MF, 2 DF, 4 "the next piece" (offset: what the key holds),
#            8 VLAN, 0x30 IP option words, 0x40 Ethernet padding,
#            0x80 length rounded down to a multiple of 8
#   time:     0x02 | ms << 2, then a byte of 20 ms units
#   pools:    0x03 | 4 (ordinary pool dry) | 8 (reassembly pool dry)
# Writes corpus/reasm/.
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus',
                 'reasm')
MF, DF, CONT, VLAN, PAD, R8 = 1, 2, 4, 8, 0x40, 0x80


def frag(key, off, ln, fl=0):
    return struct.pack('!BBBHH', 0, key, fl, off // 8, ln)


def cont(key, ln, more=True, fl=0):
    return frag(key, 0, ln, fl | CONT | (MF if more else 0))


def wait(ms):
    return bytes([0x02 | ((ms % 20) << 2), ms // 20])


def pools(small_dry, big_dry):
    return bytes([0x03 | (4 if small_dry else 0) | (8 if big_dry else 0)])


def even(key, total, size, fl=0):
    out = b''
    for o in range(0, total, size):
        n = min(size, total - o)
        out += frag(key, o, n, fl | (MF if o + n < total else 0))
    return out


S = {}
S['in_order'] = even(0, 1300, 512)
S['reversed'] = frag(1, 1024, 276) + frag(1, 512, 512, MF) + \
    frag(1, 0, 512, MF)
S['vlan_options_padding'] = even(2, 1000, 400, VLAN | 0x20 | PAD)
# past one 2 KB mbuf: the reassembly pool
S['big_6k'] = b''.join(cont(3, 1480) for _ in range(4)) + \
    cont(3, 400, more=False)
S['big_max'] = b''.join(cont(4, 1480) for _ in range(6)) + \
    cont(4, 10240 - 20 - 6 * 1480, more=False)
S['too_big'] = b''.join(cont(5, 1480) for _ in range(6)) + \
    cont(5, 10240 - 20 - 6 * 1480 + 8, more=False) + frag(5, 0, 8, MF)
S['too_big_offset'] = frag(6, 65528, 8)
S['too_many'] = b''.join(cont(7, 8) for _ in range(33)) + \
    cont(7, 8, more=False)
S['overlap'] = frag(8, 0, 512, MF) + frag(8, 256, 512, MF) + \
    frag(8, 768, 100)
S['duplicate'] = frag(9, 0, 512, MF) + frag(9, 0, 512, MF)
S['second_end'] = frag(10, 512, 100) + frag(10, 512, 200) + \
    frag(10, 0, 512, MF)
S['end_before_data'] = frag(11, 1024, 64, MF) + frag(11, 0, 512)
S['malformed'] = frag(12, 0, 100, MF) + frag(12, 0, 0, MF) + \
    frag(12, 8, 0)
S['timeout'] = frag(13, 0, 512, MF) + wait(2999) + frag(13, 512, 64) + \
    frag(14, 0, 512, MF) + wait(3000) + frag(14, 512, 64)
S['table_full'] = b''.join(frag(k, 0, 64, MF) for k in range(17)) + \
    wait(3000) + frag(16, 0, 64, MF)
S['no_mbuf'] = pools(True, False) + even(15, 1000, 512) + \
    pools(False, True) + b''.join(cont(17, 1480) for _ in range(2)) + \
    cont(17, 400, more=False) + pools(False, False) + even(18, 600, 304)
S['interleaved'] = frag(19, 0, 512, MF) + frag(20, 512, 88) + \
    frag(19, 512, 40) + frag(20, 0, 512, MF | DF)

os.makedirs(D, exist_ok=True)
for name, data in S.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
