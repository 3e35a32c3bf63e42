# SPDX-License-Identifier: BSD-3-Clause
# Sourced by tests/ha/{failover,sync_faults,config_mismatch,ike_failover,
# marks_restart}.sh and tools/bench-sync; not a test itself
# (tools/run-tests runs *.sh).
#
# The topology: twins A and B (twinsecd, HSRP v2 on inside and outside,
# scheme group HA-out, the sync channel over their own veth pair, SCTP in
# UDP), a peer gateway P (twinsecd with manual SAs, the mirror image of
# the twins' crypto map, its peer the outside VIP), host HA behind the
# twins and host HB behind P:
#
#   HA 10.1.0.10 ── br-in ──┬── A 10.1.0.1 | 192.0.2.1 ──┬── br-out ── P 192.0.2.3 | 10.2.0.1 ── HB 10.2.0.10
#   (SW holds the bridges)  └── B 10.1.0.2 | 192.0.2.2 ──┘
#   VIPs 10.1.0.254, 192.0.2.254; sync A 198.51.100.1 <-> B 198.51.100.2
#
# The caller sets P (namespace prefix, "tw-fo"), WORK, TWINSECD, ROOT and
# defines fail(); ha_setup builds it, ha_cleanup (from its trap) removes it.
#
# shellcheck shell=bash

HELLO=${HELLO:-200}
HOLD=${HOLD:-900}
KA_MS=${KA_MS:-300}
KA_THR=${KA_THR:-4}
SYNC_KEY=${SYNC_KEY:-lab-only-sync-key-0123456789abcdef}
PYTHON=/usr/bin/python3
pid_a= pid_b= pid_p=
HA_PIDS=""

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ha_cleanup() {
	local p ns
	for p in $HA_PIDS $pid_a $pid_b $pid_p; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	for ns in $P-a $P-b $P-p $P-sw $P-ha $P-hb; do
		ip netns delete "$ns" 2>/dev/null
	done
	rm -rf /var/run/dpdk/$P-a /var/run/dpdk/$P-b /var/run/dpdk/$P-p
}

ha_setup() {
	local ns br
	ha_cleanup
	for ns in $P-a $P-b $P-p $P-sw $P-ha $P-hb; do
		ip netns add "$ns" || fail "cannot create $ns"
		nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		nsx "$ns" ip link set lo up
	done
	for br in br-in br-out; do
		nsx $P-sw ip link add $br type bridge stp_state 0 forward_delay 0 \
			mcast_snooping 0 ageing_time 30000
		nsx $P-sw ip link set $br up
	done
	_link $P-a a-in br-in sw-a-in
	_link $P-a a-out br-out sw-a-out
	_link $P-b b-in br-in sw-b-in
	_link $P-b b-out br-out sw-b-out
	_link $P-p p-out br-out sw-p-out
	_link $P-ha eth0 br-in sw-ha
	nsx $P-ha ip addr add 10.1.0.10/24 dev eth0
	nsx $P-ha ip route add default via 10.1.0.254
	ip link add p-in netns $P-p type veth peer name eth0 netns $P-hb ||
		fail "veth p-in"
	nsx $P-p ip link set p-in up
	nsx $P-hb ip link set eth0 up
	nsx $P-hb ip addr add 10.2.0.10/24 dev eth0
	nsx $P-hb ip route add default via 10.2.0.1
	# the sync link: kernel addresses, not DPDK
	ip link add a-sync netns $P-a type veth peer name b-sync netns $P-b ||
		fail "veth sync"
	nsx $P-a ip addr add 198.51.100.1/24 dev a-sync
	nsx $P-b ip addr add 198.51.100.2/24 dev b-sync
	nsx $P-a ip link set a-sync up
	nsx $P-b ip link set b-sync up
	for ns in $P-a $P-b $P-p; do
		nsx $ns ethtool -K lo tx off >/dev/null 2>&1
	done
}

# _link NS IF BRIDGE SWPORT
_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns $P-sw ||
		fail "veth $2"
	nsx $P-sw ip link set "$4" master "$3"
	nsx $P-sw ip link set "$4" up
	nsx "$1" ip link set "$2" up
	nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1
}

# twin_conf NAME IN_ADDR OUT_ADDR PRIORITY SYNC_LOCAL SYNC_REMOTE [KEY] [EXTRA_ENTRY]
# EXTRA_ENTRY: a second crypto map entry (config mismatch test)
twin_conf() {
	local key=${7:-$SYNC_KEY} extra=${8:-} n_ent=${N_EXTRA_SAS:-0} i
	{
	cat <<CONF
hostname = "twin-$1";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "$2/24";
	  standby = ( { group = 1; version = 2; ip = "10.1.0.254"; name = "HA-in";
		priority = $4; preempt = ${PREEMPT:-false}; timers = { hello_ms = $HELLO; hold_ms = $HOLD; };
		track = ( { interface = "outside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 300; }; } ); },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "$3/24";
	  crypto_map = "to-p";
	  standby = ( { group = 1; version = 2; ip = "192.0.2.254"; name = "HA-out";
		priority = $4; preempt = ${PREEMPT:-false}; timers = { hello_ms = $HELLO; hold_ms = $HOLD; };
		track = ( { interface = "inside"; decrement = 20; } );
		garp = { count = 3; interval_ms = 300; }; } ); }
);
routes = ( { prefix = "10.2.0.0/16"; gateway = "192.0.2.3"; } );
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
crypto_maps = ( {
	name = "to-p";
	replay_interval = { inbound = ${RI_IN:-20}; outbound = ${RI_OUT:-20}; };
	entries = ( {
		seq = 10; type = "ipsec-manual"; peer = "192.0.2.3"; transform_set = "gcm128";
		match = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.2.0.0/16"; } );
		inbound = { spi = 0x2001; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };
		outbound = { spi = 0x1001; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; };
		replay_window = 64; }
CONF
	[ -n "$extra" ] && printf '%s\n' "$extra"
	for i in $(seq 1 "$n_ent"); do
		printf '\t, { seq = %d; type = "ipsec-manual"; peer = "192.0.2.%d"; transform_set = "gcm128";\n' \
			$((100 + i)) $((100 + i % 100))
		printf '\t\tmatch = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.%d.%d.0/24"; } );\n' \
			$((100 + i / 250)) $((i % 250))
		printf '\t\tinbound = { spi = 0x%x; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };\n' $((0x100000 + i))
		printf '\t\toutbound = { spi = 0x%x; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; }; }\n' $((0x200000 + i))
	done
	cat <<CONF
	); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; max_sas = ${MAX_SAS:-64}; };
# admin / cisco (published test secret, tests/dpdk/console/console.conf)
console = { listen = "127.0.0.1:2323"; exec_timeout = 0;
	users = ( { name = "admin"; privilege = 15;
	  secret = "\$6\$twinsecadmin\$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ."; } ); };
redundancy = { scheme = "HA-out"; keepalive = { interval_ms = $KA_MS; threshold = $KA_THR; };
	security = { key = "$key"; }; };
ipc = { transport = "sctp-udp"; local_port = 5000; remote_port = 5000;
	local_ip = ["$5"]; remote_ip = ["$6"];
	retransmit_timeout = { min = 300; max = 600; }; path_retransmit = 4; assoc_retransmit = 4; };
CONF
	} >"$WORK/$1.conf"
}

peer_conf() {
	cat >"$WORK/p.conf" <<CONF
hostname = "peer";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.2.0.1/24"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.3/24";
	  crypto_map = "to-twins"; }
);
routes = ( { prefix = "10.1.0.0/16"; gateway = "192.0.2.254"; } );
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
crypto_maps = ( { name = "to-twins"; entries = ( {
	seq = 10; type = "ipsec-manual"; peer = "192.0.2.254"; transform_set = "gcm128";
	match = ( { action = "protect"; src = "10.2.0.0/16"; dst = "10.1.0.0/16"; } );
	inbound = { spi = 0x1001; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; };
	outbound = { spi = 0x2001; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };
	replay_window = 64; } ); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; };
CONF
}

# start a|b|p CONF_NAME [extra twinsecd args]: sets pid_X
start() {
	local x=$1 conf=$2
	shift 2
	mkdir -p "$WORK/state-$x"
	ip netns exec $P-$x "$TWINSECD" --no-pci --no-huge -m 512 --file-prefix $P-$x \
		-l 0,1 --vdev net_af_packet0,iface=$x-in \
		--vdev net_af_packet1,iface=$x-out \
		-- -f "$WORK/$conf.conf" --state-dir "$WORK/state-$x" "$@" \
		>>"$WORK/$x.log" 2>&1 </dev/null &
	eval "pid_$x=\$!"
}

# tel a|b|p CMD: telemetry JSON of CMD
tel() {
	"$PYTHON" "$ROOT/tools/tw-telemetry.py" -p $P-$1 "$2" 2>/dev/null
}

# rf a|b KEY: one field of /twinsec/redundancy
rf() {
	tel "$1" /twinsec/redundancy | "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/redundancy"]
print(d.get(sys.argv[1], ""))' "$2" 2>/dev/null
}

# wait_rf a|b KEY VALUE SECONDS
wait_rf() {
	local i
	for i in $(seq $(($4 * 10))); do
		[ "$(rf "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	fail "twin $1: $2 = '$(rf "$1" "$2")' after $4 s, wanted '$3'"
}

# drops p REASON
drops() {
	tel "$1" /twinsec/drops | "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/drops"]
print(d.get(sys.argv[1], 0))' "$2" 2>/dev/null
}

# con a|b CMD...: console commands on twin a|b (admin, privilege 15)
con() {
	local x=$1 a
	shift
	local args=()
	for a in "$@"; do args+=(-c "$a"); done
	nsx $P-$x "$PYTHON" "$ROOT/tools/twinsec-console" 127.0.0.1:2323 \
		-u admin -p cisco "${args[@]}"
}

# seq_unique PCAP: no ESP sequence number sent twice per SPI from the
# outside VIP in the capture (and some ESP from it at all); prints each
# SPI's packets, range and first jumps, and the numbers reused
seq_unique() {
	"$PYTHON" - "$1" <<'PY'
import sys
from scapy.all import rdpcap, IP, ESP
seen, dup = {}, 0
for p in rdpcap(sys.argv[1]):
    if IP not in p or ESP not in p or p[IP].src != "192.0.2.254":
        continue
    s = seen.setdefault(p[ESP].spi, set())
    if p[ESP].seq in s:
        dup += 1
        if dup <= 5:
            print("   reused: SPI 0x%08x seq %d" % (p[ESP].spi, p[ESP].seq))
    s.add(p[ESP].seq)
for spi, s in seen.items():
    q = sorted(s)
    gaps = [b - a for a, b in zip(q, q[1:]) if b - a > 1]
    print("   SPI 0x%08x: %d packets from the VIP, seq %d..%d, jumps %s"
          % (spi, len(q), q[0], q[-1], gaps[:4]))
if not seen:
    print("   no ESP from the VIP captured")
sys.exit(1 if dup or not seen else 0)
PY
}

# logs_tail: the last lines of every daemon log
logs_tail() {
	local x
	for x in a b p; do
		[ -f "$WORK/$x.log" ] || continue
		echo "  --- $x"
		grep -v '^EAL' "$WORK/$x.log" | tail -n ${1:-20} | sed 's/^/    /'
	done
}
