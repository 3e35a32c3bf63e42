#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_sctp: a flags byte (bit 0 usrsctp's decoder, bit 1
# initiator), then pieces: a byte (bit 0 end of record, bit 1
# notification, bits 2-4: 0 a run of n*257+m bytes, 1 EOF, 2 error, else
# raw bytes with a length byte). Writes corpus/sctp/.
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus',
                 'sctp')


def raw(data, eor=True, notif=False):
    return bytes([3 << 2 | eor | notif << 1, len(data)]) + data


def run(n, m, fill, eor=True):
    return bytes([0 << 2 | eor, n, m, fill])


def kernel_paddr(state, addr=bytes([198, 51, 100, 7])):
    # struct sctp_paddr_change: type, flags, length, sockaddr_storage,
    # state, error, assoc id
    sa = struct.pack('<H', 2) + b'\x00\x00' + addr
    sa += bytes(128 - len(sa))
    return (struct.pack('<HHI', 0x8002, 0, 148) + sa +
            struct.pack('<iiI', state, 0, 1))


def paddr6(state, kind):
    # The same with a Linux sockaddr_in6 (family 10, port, flowinfo,
    # 2001:db8:5::2, scope id): kind 0x8002 kernel, 0x0002 usrsctp
    # (whose structure ends in 4 bytes of padding: 152 bytes).
    pad = 4 if kind == 0x0002 else 0
    sa = struct.pack('<HHI', 10, 0, 0) + bytes.fromhex(
        '20010db8000500000000000000000002') + struct.pack('<I', 0)
    sa += bytes(128 - len(sa))
    return (struct.pack('<HHI', kind, 0, 148 + pad) + sa +
            struct.pack('<iiI', state, 0, 1) + bytes(pad))


def kernel_assoc(state):
    return struct.pack('<HHIHHHHI', 0x8001, 0, 20, state, 0, 1, 1, 1)


def usr_paddr(state, addr=bytes([198, 51, 100, 7])):
    sa = struct.pack('<BB', 16, 2) + b'\x00\x00' + addr
    sa += bytes(128 - len(sa))
    return (struct.pack('<HHI', 0x0002, 0, 148) + sa +
            struct.pack('<III', state, 0, 1))


def usr_assoc(state):
    return struct.pack('<HHIHHHHI', 0x0001, 0, 20, state, 0, 1, 1, 1)


seeds = {
    'one_message': b'\x00' + raw(b'hello twin'),
    'three_pieces': b'\x00' + raw(b'abc', False) + raw(b'def', False) +
    raw(b'ghi'),
    'two_messages': b'\x02' + raw(b'first') + raw(b'second'),
    'max_message': b'\x00' + run(255, 1, 7),
    'oversized_by_one': b'\x00' + run(255, 2, 7),
    'oversized_no_eor': b'\x00' + run(255, 10, 7, False) + raw(b'x'),
    'eof_then_new': b'\x02' + raw(b'part', False) + b'\x04' + raw(b'next'),
    'error': b'\x00' + raw(b'a') + b'\x08' + raw(b'b'),
    'kernel_path_down_up': b'\x00' + raw(kernel_paddr(1), True, True) +
    raw(b'between') + raw(kernel_paddr(5), True, True),
    'kernel_assoc_events': b'\x00' + raw(kernel_assoc(0), True, True) +
    raw(kernel_assoc(2), True, True) + raw(b'm') +
    raw(kernel_assoc(1), True, True) + raw(b'after'),
    'kernel_notif_in_pieces': b'\x00' +
    raw(kernel_paddr(0)[:50], False, True) +
    raw(kernel_paddr(0)[50:], True, True),
    'kernel_path6': b'\x00' + raw(paddr6(1, 0x8002), True, True) +
    raw(b'v6') + raw(paddr6(5, 0x8002), True, True),
    'usrsctp_path6': b'\x01' + raw(paddr6(1, 0x0002), True, True) +
    raw(b'v6') + raw(paddr6(3, 0x0002), True, True),
    'usrsctp_path': b'\x01' + raw(usr_paddr(1), True, True) +
    raw(usr_assoc(4), True, True) + raw(b'again'),
}

os.makedirs(D, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
