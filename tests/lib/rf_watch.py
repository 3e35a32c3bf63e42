# SPDX-License-Identifier: BSD-3-Clause
"""Sample the RF state of two twinsecd every few ms until killed.

    rf_watch.py PREFIX_A PREFIX_B OUT [PERIOD_MS]

Writes one line per sample to OUT: "t_ms A_STATE|B_STATE" (wall-clock
milliseconds, to compare with ping -D; a state twinsecd does not answer for is "-"). Used by
tests/ha/split_*.sh to measure how long both twins were ACTIVE at once:
one process holding both telemetry sockets samples much faster than a
tw-telemetry.py run per reading.
"""
import json
import os
import socket
import sys
import time


def connect(prefix):
    path = os.path.join("/var/run/dpdk", prefix, "dpdk_telemetry.v2")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(1.0)
    s.connect(path)
    hello = json.loads(s.recv(16384).decode())
    return s, int(hello.get("max_output_len", 16384))


def state(conn):
    s, n = conn
    s.send(b"/twinsec/redundancy")
    d = json.loads(s.recv(n + 1024).decode())["/twinsec/redundancy"]
    return d.get("my_state", "-")


def main():
    a, b, out = sys.argv[1], sys.argv[2], sys.argv[3]
    period = float(sys.argv[4] if len(sys.argv) > 4 else 10) / 1000.0
    conns = {}
    with open(out, "w", buffering=1) as f:
        while True:
            row = []
            for p in (a, b):
                try:
                    if p not in conns:
                        conns[p] = connect(p)
                    row.append(state(conns[p]))
                except (OSError, ValueError, KeyError):
                    conns.pop(p, None)
                    row.append("-")
            f.write("%d %s\n" % (time.time_ns() // 1000000,
                                 "|".join(row)))
            time.sleep(period)


if __name__ == "__main__":
    main()
