#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""nl_inject.py PID IFINDEX: netlink messages a process (not the kernel) sends to
the NETLINK_ROUTE socket of process PID that listens to IPv4 route and
link changes (groups RTMGRP_LINK | RTMGRP_IPV4_ROUTE): an RTM_NEWROUTE
that would add 10.77.0.0/16 via 10.1.0.10 out of IFINDEX, a message of an unknown type, and a
truncated one. Prints the port id it sent to. Run in that process's
network namespace, as root (sending to another port needs CAP_NET_ADMIN).
"""
import os
import socket
import struct
import sys

RTM_NEWROUTE = 24
RTMGRP_LINK = 0x1
RTMGRP_IPV4_ROUTE = 0x40


def port_id(pid):
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(int(link[8:-1]))
    with open("/proc/net/netlink") as f:
        next(f)
        for line in f:
            c = line.split()
            # sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
            if (int(c[1]) == 0 and int(c[9]) in inodes and
                    int(c[3], 16) == RTMGRP_LINK | RTMGRP_IPV4_ROUTE):
                return int(c[2])
    sys.exit("no route listener socket in process %d" % pid)


def attr(t, data):
    return struct.pack("=HH", 4 + len(data), t) + data


def main():
    dst = port_id(int(sys.argv[1]))
    # rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type
    rtm = struct.pack("=BBBBBBBBI", socket.AF_INET, 16, 0, 0, 254, 188, 0, 1, 0)
    body = rtm + attr(1, socket.inet_aton("10.77.0.0")) + \
        attr(5, socket.inet_aton("10.1.0.10")) + attr(4, struct.pack("=I", int(sys.argv[2])))
    msgs = [
        struct.pack("=IHHII", 16 + len(body), RTM_NEWROUTE, 0, 1, 0) + body,
        struct.pack("=IHHII", 20, 0x7777, 0, 2, 0) + b"\0" * 4,
        struct.pack("=IHHII", 200, RTM_NEWROUTE, 0, 3, 0) + rtm,
    ]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, 0))
    for m in msgs:
        s.sendto(m, (dst, 0))
    print(dst)


main()
