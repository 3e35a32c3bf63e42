#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Query a DPDK process's telemetry socket non-interactively.

    tools/tw-telemetry.py [-p FILE_PREFIX] [--pretty] CMD [CMD ...]

Connects to /var/run/dpdk/<prefix>/dpdk_telemetry.v2 (a unix SEQPACKET
socket; the path is the same from inside a network namespace), sends each
command (e.g. /twinsec/sa, /twinsec/drops, /twinsec/interfaces, /ethdev/list)
and prints one JSON object per command on stdout: {"CMD": reply}.
The same thing as DPDK's interactive dpdk-telemetry.py, without a prompt.
Exit status 1 if the socket cannot be reached or a reply is not JSON.
"""

import argparse
import json
import os
import socket
import sys


def runtime_dir(prefix):
    base = os.environ.get("RUNTIME_DIRECTORY")
    if not base:
        base = "/var/run/dpdk" if os.getuid() == 0 else \
            os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


def query(path, cmds, timeout=5.0):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.settimeout(timeout)
    sock.connect(path)
    # The server greets with {"version": ..., "pid": ..., "max_output_len": N}
    hello = json.loads(sock.recv(16384).decode())
    buflen = int(hello.get("max_output_len", 16384))
    out = {}
    for cmd in cmds:
        sock.send(cmd.encode())
        reply = sock.recv(buflen + 1024).decode()
        out.update(json.loads(reply))
    sock.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--file-prefix", default="rte",
                    help="EAL --file-prefix of the process (default rte)")
    ap.add_argument("-s", "--socket", help="socket path (overrides -p)")
    ap.add_argument("--pretty", action="store_true", help="indent JSON")
    ap.add_argument("cmds", nargs="+", metavar="CMD")
    args = ap.parse_args()
    path = args.socket or os.path.join(runtime_dir(args.file_prefix),
                                       "dpdk_telemetry.v2")
    try:
        res = query(path, args.cmds)
    except (OSError, ValueError) as e:
        print("tw-telemetry: %s: %s" % (path, e), file=sys.stderr)
        return 1
    print(json.dumps(res, indent=2 if args.pretty else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
