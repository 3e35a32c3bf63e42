#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run one command in a VM's root shell on a serial port (QEMU chardev on
a unix socket, server mode) and print its output; exit with its status
(124 when it does not finish within TIMEOUT seconds, 125 when the shell
cannot be reached).

    guest_shell.py SOCKET 'COMMAND' [TIMEOUT]

The output is what the command printed between two markers the shell
prints itself (printf assembles them, so the echo of the typed line never
matches), carriage returns removed."""
import re
import socket
import sys
import time


def main():
    path, cmd = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    tag = "%09d" % (time.time_ns() % 10**9)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        print("guest_shell: %s: %s" % (path, e), file=sys.stderr)
        return 125
    s.settimeout(0.2)
    line = ("stty -echo 2>/dev/null; printf '%%s%%s\\n' __TWB %s; ( %s ); "
            "printf '%%s%%s:%%s\\n' __TWE %s $?\n" % (tag, cmd, tag))
    s.sendall(b"\n" + line.encode())
    buf = b""
    end = re.compile(rb"__TWE" + tag.encode() + rb":(\d+)")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        if not d:
            break
        buf += d
        m = end.search(buf)
        if m:
            start = buf.find(b"__TWB" + tag.encode())
            out = buf[start + len(tag) + 5:m.start()] if start >= 0 else b""
            text = out.decode(errors="replace").replace("\r", "")
            sys.stdout.write(text.lstrip("\n"))
            return int(m.group(1))
    sys.stdout.write(buf.decode(errors="replace").replace("\r", "")[-2000:])
    print("guest_shell: no answer within %.0f s" % timeout, file=sys.stderr)
    return 124


if __name__ == "__main__":
    sys.exit(main())
