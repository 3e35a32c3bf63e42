#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Query a DPDK process's telemetry socket non-interactively.

    tools/tw-telemetry.py [-p FILE_PREFIX] [--pretty] CMD [CMD ...]
    tools/tw-telemetry.py [-p FILE_PREFIX] --sas [--table]

Connects to /var/run/dpdk/<prefix>/dpdk_telemetry.v2 (a unix SEQPACKET
socket; the path is the same from inside a network namespace), sends each
command (e.g. /twinsec/sa, /twinsec/drops, /twinsec/interfaces, /ethdev/list)
and prints one JSON object with every reply on stdout: {"CMD": reply, ...}.
--sas asks twinsecd for its SA list (/twinsec/sa) and then for each SA's
detail with counters (/twinsec/sa,ID), plus /twinsec/drops and
/twinsec/acquire (traffic for a protect policy without an SA, which
initiates IKE), and prints {"/twinsec/sa": {ID: detail, ...},
"/twinsec/drops": {...}, "/twinsec/acquire": {...}}; with --table the same
as an IOS-like text summary.
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


def collect_sas(path):
    lst = query(path, ["/twinsec/sa"]).get("/twinsec/sa") or {}
    ids = [k for k, v in lst.items() if isinstance(v, dict)]
    # Replies come back keyed by the command without its parameter, so ask
    # one at a time for the details.
    details = {}
    for i in ids:
        details[i] = query(path, ["/twinsec/sa,%s" % i]).get("/twinsec/sa")
    drops = query(path, ["/twinsec/drops"]).get("/twinsec/drops")
    acq = query(path, ["/twinsec/acquire"]).get("/twinsec/acquire")
    return {"/twinsec/sa": details, "/twinsec/drops": drops,
            "/twinsec/acquire": acq}


def sa_table(res):
    lines = []
    for i, sa in sorted(res["/twinsec/sa"].items(), key=lambda kv: int(kv[0])):
        if not isinstance(sa, dict):
            continue
        head = "  SA %s %-3s spi %s  local %s peer %s  %s  map %s %s  %s" % (
            i, sa.get("dir", "?"), sa.get("spi", "?"), sa.get("local", "?"),
            sa.get("peer", "?"), sa.get("cipher", ""), sa.get("map", ""),
            sa.get("map_seq", ""), sa.get("state", ""))
        lines.append(head)
        if "pkts_encaps" in sa:
            lines.append("      #pkts encaps: %d, #pkts encrypt: %d, #pkts digest: %d,"
                         " send errors %d, seq %d" % (
                             sa["pkts_encaps"], sa.get("pkts_encrypt", 0),
                             sa.get("pkts_digest", 0), sa.get("send_errors", 0),
                             sa.get("seq", 0)))
        if "pkts_decaps" in sa:
            lines.append("      #pkts decaps: %d, #pkts decrypt: %d, #pkts verify: %d,"
                         " recv errors %d (replay %d, auth %d, policy %d)" % (
                             sa["pkts_decaps"], sa.get("pkts_decrypt", 0),
                             sa.get("pkts_verify", 0), sa.get("recv_errors", 0),
                             sa.get("replay_fails", 0), sa.get("auth_fails", 0),
                             sa.get("policy_fails", 0)))
    drops = res.get("/twinsec/drops") or {}
    nz = ["%s %d" % (k, v) for k, v in drops.items() if isinstance(v, int) and v]
    lines.append("  drops: " + (", ".join(nz) if nz else "none"))
    acq = res.get("/twinsec/acquire")
    if isinstance(acq, dict):
        lines.append("  acquires: raised %d, suppressed %d, ring full %d;"
                     " initiated %d, pending %d, standby %d" % (
                         acq.get("raised", 0), acq.get("suppressed", 0),
                         acq.get("ring_full", 0), acq.get("initiated", 0),
                         acq.get("pending", 0), acq.get("standby", 0)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--file-prefix", default="rte",
                    help="EAL --file-prefix of the process (default rte)")
    ap.add_argument("-s", "--socket", help="socket path (overrides -p)")
    ap.add_argument("--pretty", action="store_true", help="indent JSON")
    ap.add_argument("--sas", action="store_true",
                    help="every SA with its counters, and the drops")
    ap.add_argument("--table", action="store_true",
                    help="with --sas: a text summary instead of JSON")
    ap.add_argument("cmds", nargs="*", metavar="CMD")
    args = ap.parse_args()
    if not args.sas and not args.cmds:
        ap.error("give a command or --sas")
    path = args.socket or os.path.join(runtime_dir(args.file_prefix),
                                       "dpdk_telemetry.v2")
    try:
        res = collect_sas(path) if args.sas else query(path, args.cmds)
    except (OSError, ValueError) as e:
        print("tw-telemetry: %s: %s" % (path, e), file=sys.stderr)
        return 1
    if args.sas and args.table:
        print(sa_table(res))
    else:
        print(json.dumps(res, indent=2 if args.pretty else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
