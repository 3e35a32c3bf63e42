#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two IKE peers that choose the same SPI for our outbound SAs: each peer
# picks the SPIs it receives on, so nothing keeps two of them apart. The
# peers are two tests/bench/ike_load initiators, one tunnel each, from
# 10.128.0.0 and 10.128.0.1 (namespace tw-sc-ld), both drawing the inbound
# ESP SPI 0xc0ffee01 (IKE_LOAD_ESP_SPI); twinsecd (tw-sc-gw) is the
# responder with one ipsec-isakmp entry per peer; a host (tw-sc-h) behind
# it sends into each tunnel's selectors.
# Checks:
#   1. both tunnels come up; twinsecd installed both Child SAs (no SA
#      database error): two outbound SAs 0xc0ffee01, one per peer;
#   2. traffic into each tunnel leaves as ESP with SPI 0xc0ffee01 to the
#      right peer (a capture on the peers' side);
#   3. twinsecd exits 0 on SIGTERM.
# Exit 0 pass, 1 fail, 77 skip. Run under flock /tmp/tw-net.lock.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=$BUILD/app/twinsecd/twinsecd
LOAD=$BUILD/tests/bench/ike_load
PY=/usr/bin/python3
P=tw-sc
SPI=0xc0ffee01

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
[ -x "$TWINSECD" ] || skip "$TWINSECD not built (ninja -C $BUILD)"
[ -x "$LOAD" ] || skip "$LOAD not built (ninja -C $BUILD)"
command -v tcpdump >/dev/null || skip "tcpdump not installed (tools/setup)"

WORK=
gw_pid= dump_pid=
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
cleanup() {
	local p ns
	for p in $dump_pid $gw_pid; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	for ns in $P-gw $P-ld $P-h; do
		ip netns delete "$ns" 2>/dev/null
	done
	rm -rf /var/run/dpdk/$P
	[ -z "$WORK" ] || rm -rf "$WORK"
}
fail() {
	echo "FAIL: $*"
	grep -v '^EAL' "$WORK/gw.log" 2>/dev/null | tail -n 20 | sed 's/^/    /'
	exit 1
}
tel() {
	"$PY" "$ROOT/tools/tw-telemetry.py" -p $P "$@" 2>/dev/null
}

cleanup
trap cleanup EXIT
WORK=$(mktemp -d /tmp/tw-spicoll.XXXXXX)
for ns in $P-gw $P-ld $P-h; do
	ip netns add $ns || fail "cannot create $ns"
	nsx $ns ip link set lo up
done
ip link add scgw-in netns $P-gw type veth peer name eth0 netns $P-h || fail veth
ip link add scgw-out netns $P-gw type veth peer name eth0 netns $P-ld || fail veth
for i in scgw-in scgw-out; do
	nsx $P-gw sysctl -qw net.ipv6.conf.$i.disable_ipv6=1
	nsx $P-gw ip link set $i up
	nsx $P-gw ethtool -K $i tx off rx off >/dev/null 2>&1
done
nsx $P-h ip addr add 10.1.0.10/24 dev eth0
nsx $P-h ip addr add 172.16.0.1/32 dev lo
nsx $P-h ip addr add 172.16.0.5/32 dev lo
nsx $P-h ip link set eth0 up
nsx $P-h ip route add default via 10.1.0.1 src 172.16.0.1
nsx $P-ld ip addr add 192.0.2.2/24 dev eth0
nsx $P-ld ip addr add 10.128.0.0/32 dev lo
nsx $P-ld ip addr add 10.128.0.1/32 dev lo
nsx $P-ld ip link set eth0 up
nsx $P-ld sysctl -qw net.ipv4.conf.all.rp_filter=0

entry() { # SEQ PEER LOCAL REMOTE
	printf '{ seq = %d; type = "ipsec-isakmp"; peer = "%s"; remote_id = "bench"; transform_set = "t1";
	  match = ( { action = "protect"; src = "%s/30"; dst = "%s/30"; } );
	  initiate = "responder"; lifetime = { seconds = 3600; }; }' "$@"
}
cat >"$WORK/gw.conf" <<CONF
hostname = "spi-collision";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.1.0.1/24"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.1/24"; crypto_map = "VPN"; }
);
routes = ( { prefix = "10.128.0.0/16"; gateway = "192.0.2.2"; },
	{ prefix = "172.16.0.0/12"; gateway = "10.1.0.10"; } );
transform_sets = ( { name = "t1"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "p1"; encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = ( { id = "bench"; key = "bench-bench-psk!"; } );
	dpd = { interval = 0; retries = 5; };
	lifetime = 3600;
};
crypto_maps = ( { name = "VPN"; entries = (
$(entry 1 10.128.0.0 172.16.0.0 10.64.0.0),
$(entry 2 10.128.0.1 172.16.0.4 10.64.0.4)
); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; max_sas = 64; };
CONF

# ip netns exec itself (not nsx): $! must be twinsecd, not a subshell
ip netns exec $P-gw "$TWINSECD" --no-pci --no-huge -m 512 --file-prefix $P -l 0,1 \
	--log-level lib.eal:warning \
	--vdev net_af_packet0,iface=scgw-in --vdev net_af_packet1,iface=scgw-out \
	-- -f "$WORK/gw.conf" --state-dir "$WORK/state" >"$WORK/gw.log" 2>&1 &
gw_pid=$!
for i in $(seq 100); do
	tel /twinsec/ike >/dev/null && break
	kill -0 $gw_pid 2>/dev/null || fail "twinsecd exited"
	sleep 0.2
done

# 1. the two peers, one after the other, the same SPI
for first in 0 1; do
	nsx $P-ld env IKE_LOAD_ESP_SPI=$SPI "$LOAD" 192.0.2.1 10.128.0.0 1 1 \
		3600 3600 0 $first >"$WORK/load$first.json" 2>"$WORK/load$first.err" ||
		fail "peer 10.128.0.$first: no tunnel: $(cat "$WORK/load$first.json" "$WORK/load$first.err")"
done
sleep 0.5
tel /twinsec/ike >"$WORK/ike.json" || fail "no /twinsec/ike"
tel --sas >"$WORK/sas.json" || fail "no /twinsec/sa"
"$PY" - "$WORK/ike.json" "$WORK/sas.json" "$SPI" <<'PY' || fail "SA database (above)"
import json, sys
ike = json.load(open(sys.argv[1]))["/twinsec/ike"]
sas = json.load(open(sys.argv[2]))["/twinsec/sa"]
spi = "0x%08x" % int(sys.argv[3], 16)
glue = ike["counters"]
errs = glue.get("sadb_errors")
outs = sorted(v["peer"] for v in sas.values() if isinstance(v, dict) and
              v.get("dir") == "out" and v.get("spi") == spi and
              v.get("state") == "INSTALLED")
print("   sadb_errors %s; outbound SAs %s: peers %s" % (errs, spi, outs))
sys.exit(0 if errs == 0 and outs == ["10.128.0.0", "10.128.0.1"] else 1)
PY
echo "1. both peers chose $SPI for us: two outbound SAs installed, one per peer"

# 2. each tunnel's traffic leaves with that SPI to its own peer
ip netns exec $P-ld tcpdump -i eth0 -nn -U -w "$WORK/esp.pcap" 'ip proto 50' \
	>"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
sleep 1
nsx $P-h ping -c 3 -i 0.2 -W 1 -I 172.16.0.1 10.64.0.1 >/dev/null 2>&1
nsx $P-h ping -c 3 -i 0.2 -W 1 -I 172.16.0.5 10.64.0.5 >/dev/null 2>&1
sleep 1
kill -TERM $dump_pid
wait $dump_pid 2>/dev/null
dump_pid=
tcpdump -nn -r "$WORK/esp.pcap" >"$WORK/esp.txt" 2>/dev/null
for peer in 10.128.0.0 10.128.0.1; do
	n=$(grep -c "192.0.2.1 > $peer: ESP(spi=$SPI," "$WORK/esp.txt")
	[ "$n" -ge 3 ] || fail "ESP $SPI to $peer: $n packets (of 3 pings): $(head -n 5 "$WORK/esp.txt")"
	echo "   $n ESP packets with SPI $SPI to $peer"
done
echo "2. each tunnel's traffic leaves with SPI $SPI to its own peer"

kill -TERM $gw_pid
wait $gw_pid
rc=$?
gw_pid=
[ $rc = 0 ] || fail "twinsecd exited $rc on SIGTERM"
echo "3. twinsecd exits 0"
echo PASS
