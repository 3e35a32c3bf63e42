#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_hsrp_engine (see the script format in fuzz_hsrp_engine.c):
# a configuration, then events. Run from tests/fuzz: writes
# corpus/hsrp_engine/.
import os

D = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                 'corpus', 'hsrp_engine')


def fire(n):
    # op 2: the earliest armed deadline fires
    return bytes([2, 0]) * n


def up():
    return bytes([4, 0])


def forged(src, b, prio, dt=1):
    # op 1 with the source in bits 4-5: a message under the group's key
    return bytes([1 | src << 4, dt, b, prio])


def raw(src, data, dt=1):
    return bytes([0 | src << 4, dt, len(data)]) + data


def hsrp(name):
    p = os.path.join(os.path.dirname(D), 'hsrp', name)
    with open(p, 'rb') as f:
        return f.read()


HELLO_ACTIVE = 0 | 5 << 2
HELLO_STANDBY = 0 | 4 << 2
COUP_SPEAK = 1 | 3 << 2
RESIGN_ACTIVE = 2 | 5 << 2

seeds = {
    # v1, text "cisco", priority 100, alone on the LAN: becomes Active
    'v1_alone': bytes([0x00, 1, 100]) + up() + fire(12),
    # v2, MD5, preempt: a higher active neighbour, then it resigns
    'v2_md5_preempt': bytes([0x13, 10, 90]) + up() +
    forged(0, HELLO_ACTIVE, 120) + fire(4) +
    forged(0, RESIGN_ACTIVE, 120) + fire(6),
    # v2 without authentication, lower priority, preempted by our coup
    'v2_coup': bytes([0x23, 20, 150]) + up() +
    forged(0, HELLO_ACTIVE, 100) + fire(3) + forged(1, HELLO_STANDBY, 50) +
    fire(8) + bytes([6, 0x00]) + bytes([6, 0x10 | 6]) + bytes([7, 3, 10]),
    # learned timers (v1 hello with its own), then the active goes silent
    'v1_learn_timers': bytes([0x40, 0, 100]) + up() +
    forged(0, HELLO_ACTIVE | 0x40, 200) + bytes([1, 0, 0, 0]) +
    bytes([0, 0, 5, 0]) + fire(10),
    # the raw packets of the codec corpus, then admin and follow events
    'raw_packets': bytes([0x01, 0, 100]) + up() +
    raw(0, hsrp('v2_text')) + raw(1, hsrp('v2_md5')) +
    raw(0, hsrp('v1_hello_active')) + fire(4) + bytes([8, 0]) +
    bytes([8, 0x20]) + bytes([8, 0x10]) + fire(4),
    'follow': bytes([0x03, 5, 100]) + up() + bytes([9, 0, ]) +
    bytes([9 | 0x10, 0]) + fire(5) + bytes([9 | 0x20, 0]) + fire(5) +
    forged(0, HELLO_ACTIVE, 200) + bytes([10, 0]) + fire(3) +
    bytes([5, 0]) + bytes([11, 0]) + fire(3),
    # IPv6 group 6 (version 2, bit 0x80), MD5, preempt: as v2_md5_preempt
    'v6_md5_preempt': bytes([0x93, 6, 90]) + up() +
    forged(0, HELLO_ACTIVE, 120) + fire(4) +
    forged(0, RESIGN_ACTIVE, 120) + fire(6),
    # IPv6 group 6, text: the codec's IPv6 packets and an IPv4 one
    'v6_raw': bytes([0x81, 6, 100]) + up() +
    raw(0, hsrp('v6_text')) + raw(1, hsrp('v6_md5_standby')) +
    raw(0, hsrp('v2_text')) + fire(6),
}

os.makedirs(D, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
