#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Two IKE peers that choose the same SPI for our outbound SAs: each peer
# picks the SPIs it receives on, so nothing keeps two of them apart. The
# peers are two tests/bench/ike_load initiators, one tunnel each, from
# 10.128.0.0 and 10.128.0.1 (namespace tw-sc-p), both drawing the inbound
# ESP SPI 0xc0ffee01 (IKE_LOAD_ESP_SPI); twinsecd (tw-sc-gw) is the
# responder with one ipsec-isakmp entry per peer; a host (tw-sc-h) behind
# it sends into each tunnel's selectors (tests/lib/topo_gw.bash). The
# peers are twinsec's own IKE code, hence tests/lab, not tests/interop.
# Checks:
#   1. both tunnels come up; twinsecd installed both Child SAs (no SA
#      database error): two outbound SAs 0xc0ffee01, one per peer;
#   2. traffic into each tunnel leaves as ESP with SPI 0xc0ffee01 to the
#      right peer (a capture on the peers' side);
#   3. twinsecd exits 0 on SIGTERM.
# Exit 0 pass, 1 fail, 77 skip. Run under flock /tmp/tw-net.lock.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
LOAD=$BUILD/tests/bench/ike_load
P=tw-sc
SPI=0xc0ffee01

need_root
need_built "$TWINSECD" "$LOAD"
need_cmd tcpdump

work_dir spicoll
on_fail() { gw_log_tail 20; }

gw_up
nsx "$P-h" ip addr add 172.16.0.1/32 dev lo
nsx "$P-h" ip addr add 172.16.0.5/32 dev lo
nsx "$P-h" ip route replace default via 10.1.0.1 src 172.16.0.1
nsx "$P-p" ip addr add 10.128.0.0/32 dev lo
nsx "$P-p" ip addr add 10.128.0.1/32 dev lo
nsx "$P-p" sysctl -qw net.ipv4.conf.all.rp_filter=0

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

gw_start "$WORK/gw.conf" --log-level lib.eal:warning -- --state-dir "$WORK/state"
ike_up() {
	tel "$P-gw" /twinsec/ike >/dev/null && return 0
	alive "$GW_PID" || fail "twinsecd exited"
	return 1
}
wait_until 20 ike_up

# 1. the two peers, one after the other, the same SPI
for first in 0 1; do
	nsx "$P-p" env IKE_LOAD_ESP_SPI=$SPI "$LOAD" 192.0.2.1 10.128.0.0 1 1 \
		3600 3600 0 $first >"$WORK/load$first.json" 2>"$WORK/load$first.err" ||
		fail "peer 10.128.0.$first: no tunnel: $(cat "$WORK/load$first.json" "$WORK/load$first.err")"
done
sleep 0.5
tel "$P-gw" /twinsec/ike >"$WORK/ike.json" || fail "no /twinsec/ike"
tel "$P-gw" --sas >"$WORK/sas.json" || fail "no /twinsec/sa"
"$PYTHON" - "$WORK/ike.json" "$WORK/sas.json" "$SPI" <<'PY' || fail "SA database (above)"
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
ip netns exec "$P-p" tcpdump -i eth0 -nn -U -w "$WORK/esp.pcap" 'ip proto 50' \
	>"$WORK/tcpdump.log" 2>&1 &
dump_pid=$!
track $dump_pid
sleep 1
nsx "$P-h" ping -c 3 -i 0.2 -W 1 -I 172.16.0.1 10.64.0.1 >/dev/null 2>&1
nsx "$P-h" ping -c 3 -i 0.2 -W 1 -I 172.16.0.5 10.64.0.5 >/dev/null 2>&1
sleep 1
stop_pid $dump_pid TERM
tcpdump -nn -r "$WORK/esp.pcap" >"$WORK/esp.txt" 2>/dev/null
for peer in 10.128.0.0 10.128.0.1; do
	n=$(grep -c "192.0.2.1 > $peer: ESP(spi=$SPI," "$WORK/esp.txt")
	[ "$n" -ge 3 ] || fail "ESP $SPI to $peer: $n packets (of 3 pings): $(head -n 5 "$WORK/esp.txt")"
	echo "   $n ESP packets with SPI $SPI to $peer"
done
echo "2. each tunnel's traffic leaves with SPI $SPI to its own peer"

stop_pid "$GW_PID" TERM
rc=$?
[ $rc = 0 ] || fail "twinsecd exited $rc on SIGTERM"
echo "3. twinsecd exits 0"
echo PASS
