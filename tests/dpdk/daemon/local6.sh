#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv6 for the box, on real frames through the workers' punt path with
# net_pcap ports: Neighbour Solicitations answered (and the solicitor
# learned), ICMPv6 echo answered (also behind an extension header, and to
# all nodes from the link-local address), what
# is not answered counted (a target not ours, a routed NS), and the fast
# path's IPv6 drops per reason (UDP to us but IKE's, a group we do not listen to, a
# fragment, transit).
# pcap_local6.py makes the frames and checks what twinsecd sent (scapy).
#   local6.sh TWINSECD
set -u
TWINSECD=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/daemon
work_dir test-d6
dir=$WORK
on_fail() { sed 's/^/    /' "$dir/log"; }

/usr/bin/python3 "$here/pcap_local6.py" gen "$dir/in0.pcap" "$dir/in1.pcap" ||
	fail "cannot make the frames"
twinsecd_bg "" tw-test-d6 "$dir/log" \
	--vdev "net_pcap0,rx_pcap=$dir/in0.pcap,tx_pcap=$dir/out0.pcap" \
	--vdev "net_pcap1,rx_pcap=$dir/in1.pcap,tx_pcap=$dir/out1.pcap" \
	-- -f "$here/pcap6.conf" --log-level nd:debug
pid=$TW_PID
wait_running "$dir/log" "$pid"
# 12 frames in: the control lcore sees 8 of them (IKE's UDP 500 too).
seen_all() { tel tw-test-d6 /twinsec/control | grep -q '"ipv6": 8'; }
wait_until 5 seen_all ||
	fail "the control lcore did not get 8 IPv6 frames: $(tel tw-test-d6 /twinsec/control /twinsec/drops)"
out=$(tel tw-test-d6 /twinsec/control /twinsec/drops) ||
	fail "telemetry: $out"
# Each counter where it belongs: nd, ctl and the fast path's drops.
echo "$out" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
c, x = d["/twinsec/control"], d["/twinsec/drops"]
drops = x.get("total", x)
print("nd:", c["nd"])
want = {"rx_ns": 3, "tx_na": 2, "rx_echo": 3, "tx_echo_reply": 3,
        "learned": 2, "not_ours": 1, "malformed": 1, "entries": 2,
        "rx_na": 0, "refused": 0}
bad = ["nd %s %s != %s" % (k, c["nd"][k], v) for k, v in want.items()
       if c["nd"][k] != v]
if c["ctl"]["ipv6"] != 8:
    bad.append("ctl ipv6 %s" % c["ctl"]["ipv6"])
if c["ctl"]["udp_no_listener"] != 1:
    bad.append("ctl udp_no_listener %s" % c["ctl"]["udp_no_listener"])
for r, n in (("ipv6-not-handled", 2), ("ipv6-fragment", 1),
             ("ipv6-transit", 1)):
    if drops.get(r.replace("-", "_")) != n:
        bad.append("drop %s: %s" % (r, drops.get(r.replace("-", "_"))))
for r in ("ipv6-bad-header", "ipv6-ext-header", "not-ipv4"):
    if drops.get(r.replace("-", "_"), 0) != 0:
        bad.append("drop %s: %s" % (r, drops.get(r.replace("-", "_"))))
if bad:
    print("\n".join(bad))
    sys.exit(1)
' || fail "counters"
# The console listens on ::1 and shows the cache and the addresses as
# IOS does: the two solicitors learned (STALE), each port's link-local
# address first, then its global ones.
con=$("$PYTHON" "$TOOLS/twinsec-console" "[::1]:23236" -u admin -p cisco \
	-c "show ipv6 neighbors" -c "show ipv6 interface brief" \
	-c "show ipv6 route") ||
	fail "console over IPv6: $con"
echo "$con"
for want in \
	'FE80::2 +[0-9]+ 0200\.0000\.0102  STALE inside' \
	'FE80::1:2 +[0-9]+ 0200\.0000\.0202  STALE outside' \
	'^inside +\[up/up\]' '^    FE80::[0-9A-F:]+$' '^    2001:DB8:1::1$' \
	'^    2001:DB8:FF::1$' '^    2001:DB8:FE::1$' \
	'IPv6 Routing Table - default - 6 entries' \
	'^C   2001:DB8:FE::/64 \[0/0\]$' '^L   2001:DB8:1::1/128 \[0/0\]$'; do
	echo "$con" | grep -Eq "$want" || fail "console lacks /$want/"
done
# Telemetry lists each port's IPv6 addresses, link-local first.
ifs=$(tel tw-test-d6 /twinsec/interfaces) || fail "telemetry: $ifs"
echo "$ifs" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)["/twinsec/interfaces"]
i, o = d["inside"]["ipv6"], d["outside"]["ipv6"]
print("ipv6:", i, o)
ok = (len(i) == 2 and i[0].startswith("fe80::") and i[0].endswith("/64")
      and i[1] == "2001:db8:1::1/64"
      and o[1:] == ["2001:db8:ff::1/64", "2001:db8:fe::1/64"])
sys.exit(0 if ok else 1)' || fail "telemetry's IPv6 addresses"
stop_pid "$pid" TERM
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc"
/usr/bin/python3 "$here/pcap_local6.py" check "$dir/out0.pcap" \
	"$dir/out1.pcap" || fail "wrong frames out"
