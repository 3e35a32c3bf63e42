#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Seeds for fuzz_cli: the command lines of the console transcripts
# (tests/golden/console/*.txt), one seed per transcript, as a telnet client
# sends them, plus telnet negotiation and paging. Writes corpus/cli/.
import glob
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
D = os.path.join(HERE, 'corpus', 'cli')
GOLDEN = os.path.join(HERE, '..', 'golden', 'console')
PROMPT = re.compile(r'^tw[-\w]*(\([-\w]+\))?[#>](.*)$')

os.makedirs(D, exist_ok=True)
for path in sorted(glob.glob(os.path.join(GOLDEN, '*.txt'))):
    lines = []
    for ln in open(path, encoding='utf-8', errors='replace'):
        m = PROMPT.match(ln.rstrip('\n'))
        if m:
            lines.append(m.group(2))
    if not lines:
        continue
    name = os.path.basename(path)[:-4]
    body = ''.join(x + '\r\n' for x in lines).encode()
    # privileged unless the transcript is an operator's
    flags = 0 if name.startswith('oper') else 1
    with open(os.path.join(D, 'golden_' + name), 'wb') as f:
        f.write(bytes([flags]) + body)

extra = {
    # a user session: enable with a wrong then the right secret
    'enable_secret': bytes([0]) + b'show version\renable\rnope\renable\r'
    b's3cret\rshow running-config\rdisable\r',
    # telnet options a client sends first, IAC IAC as data, a SB
    'telnet_options': bytes([1]) + b'\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18'
    b'\xff\xfa\x18\x00xterm\xff\xf0show clock\r\n\xff\xff\r\x00',
    # paging on: --More-- answered by space, return and q
    'paging': bytes([3]) + b'show running-config\r \rshow interfaces\rq'
    b'show crypto ipsec sa\r\r',
}
for name, data in extra.items():
    with open(os.path.join(D, name), 'wb') as f:
        f.write(data)
