# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/topo_twins.bash: the twins topology, after tests/lib/common.bash.
# Sourced by tests/ha/*.sh (all but sctp_loss.sh) and tools/bench-sync.
#
# Twins A and B (twinsecd, HSRP v2 on inside and outside, scheme group
# HA-out, the sync channel over their own veth pair, SCTP in UDP), a peer
# gateway P (twinsecd with manual SAs, the mirror image of the twins'
# crypto map, its peer the outside VIP; or strongSwan), host HA behind the
# twins and host HB behind P:
#
#   HA 10.1.0.10 ── br-in ──┬── A 10.1.0.1 | 192.0.2.1 ──┬── br-out ── P 192.0.2.3 | 10.2.0.1 ── HB 10.2.0.10
#   (SW holds the bridges)  └── B 10.1.0.2 | 192.0.2.2 ──┘
#   VIPs 10.1.0.254, 192.0.2.254; sync A 198.51.100.1 <-> B 198.51.100.2
#
# Namespaces $P-{a,b,p,sw,ha,hb} (the caller sets P, e.g. "tw-fo"); the
# twins' ports are X-in and X-out, the bridge ports sw-X-in and sw-X-out.
# The configs are files: config/ha-{a,b,peer}.conf (manual SAs),
# config/ha6-{a,b,peer}.conf (the same over IPv6, with twins_ipv6),
# config/ha-{a,b}-ike.conf (IKEv2), config/hsrp-{a,b}.conf (HSRP only);
# twin_conf copies one into $WORK and patches it. twins_up builds the
# topology and registers its removal with at_exit.

# shellcheck disable=SC2034 # set and read through eval "pid_$x" and by the tests
pid_a='' pid_b='' pid_p=''

twins_down() {
	netns_del "$P-a" "$P-b" "$P-p" "$P-sw" "$P-ha" "$P-hb"
	rm -rf "/var/run/dpdk/$P-a" "/var/run/dpdk/$P-b" "/var/run/dpdk/$P-p"
}

twins_up() {
	local ns br
	twins_down
	at_exit twins_down
	for ns in "$P-a" "$P-b" "$P-p" "$P-sw" "$P-ha" "$P-hb"; do
		ip netns add "$ns" || fail "cannot create $ns"
		nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		nsx "$ns" ip link set lo up
	done
	for br in br-in br-out; do
		nsx "$P-sw" ip link add $br type bridge stp_state 0 forward_delay 0 \
			mcast_snooping 0 ageing_time 30000
		nsx "$P-sw" ip link set $br up
	done
	_twins_link "$P-a" a-in br-in sw-a-in
	_twins_link "$P-a" a-out br-out sw-a-out
	_twins_link "$P-b" b-in br-in sw-b-in
	_twins_link "$P-b" b-out br-out sw-b-out
	_twins_link "$P-p" p-out br-out sw-p-out
	_twins_link "$P-ha" eth0 br-in sw-ha
	nsx "$P-ha" ip addr add 10.1.0.10/24 dev eth0
	nsx "$P-ha" ip route add default via 10.1.0.254
	ip link add p-in netns "$P-p" type veth peer name eth0 netns "$P-hb" ||
		fail "veth p-in"
	nsx "$P-p" ip link set p-in up
	nsx "$P-hb" ip link set eth0 up
	nsx "$P-hb" ip addr add 10.2.0.10/24 dev eth0
	nsx "$P-hb" ip route add default via 10.2.0.1
	# the sync link: kernel addresses, not DPDK
	ip link add a-sync netns "$P-a" type veth peer name b-sync netns "$P-b" ||
		fail "veth sync"
	nsx "$P-a" ip addr add 198.51.100.1/24 dev a-sync
	nsx "$P-b" ip addr add 198.51.100.2/24 dev b-sync
	nsx "$P-a" ip link set a-sync up
	nsx "$P-b" ip link set b-sync up
	for ns in "$P-a" "$P-b" "$P-p"; do
		nsx "$ns" ethtool -K lo tx off >/dev/null 2>&1
	done
}

# twins_ipv6 (after twins_up): IPv6 beside IPv4 for the hosts (issue 18).
# HA 2001:db8:1::10/64, its default gateway the link-local virtual
# address of the twins' inside HSRP IPv6 group 6 (FE80::5:73FF:FEA0:6, as
# IOS derives it; the twins' configs must have that group); HB
# 2001:db8:2::10/64 via 2001:db8:2::1 (P's inside IPv6 address). The
# twins' and P's own addresses are their configs' (DPDK owns their
# ports); the bridges stay without IPv6 (they only forward).
twins_ipv6() {
	local ns
	for ns in "$P-ha" "$P-hb"; do
		nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 \
			net.ipv6.conf.eth0.disable_ipv6=0 \
			net.ipv6.conf.lo.disable_ipv6=0
	done
	nsx "$P-ha" ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad
	nsx "$P-ha" ip -6 route add default via fe80::5:73ff:fea0:6 dev eth0
	nsx "$P-hb" ip -6 addr add 2001:db8:2::10/64 dev eth0 nodad
	nsx "$P-hb" ip -6 route add default via 2001:db8:2::1
}

# _twins_link NS IF BRIDGE SWPORT
_twins_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$P-sw" ||
		fail "veth $2"
	nsx "$P-sw" ip link set "$4" master "$3"
	nsx "$P-sw" ip link set "$4" up
	nsx "$1" ip link set "$2" up
	nsx "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1
}

# twin_conf SRC NAME: config/SRC.conf copied to $WORK/NAME.conf, patched
# with those of these that are set:
#   PRIORITY, PREEMPT, HELLO, HOLD   both HSRP groups (HELLO/HOLD: ms)
#   RI_IN, RI_OUT                    the crypto map's replay_interval
#   KA_MS, KA_THR                    redundancy keep-alive interval, threshold
#   SYNC_KEY, MAX_SAS
#   RRI                              reverse_route group of the entries,
#                                    N_EXTRA_SAS's too (its text:
#                                    "{ remote_peer = true; }")
#   EXTRA_ENTRY                      more crypto map entries (their text)
#   N_EXTRA_SAS                      that many more manual entries (bench)
# Each patch must hit every line the setting has in SRC, else the test fails
# (the file changed under the patch).
twin_conf() {
	local src=$ROOT/config/$1.conf dst=$WORK/$2.conf key
	local exprs=(-e '') checks=()
	_patch() { # RE NEW [NEW_AS_WRITTEN]: s/RE/NEW/g, checked
		local n
		n=$(grep -c -- "$1" "$src")
		[ "$n" -gt 0 ] || fail "$src has no /$1/ to patch"
		exprs+=(-e "s/$1/$2/g")
		checks+=("$n" "${3:-$2}")
	}
	[ -n "${PRIORITY:-}" ] && _patch 'priority = [0-9]*;' "priority = $PRIORITY;"
	[ -n "${PREEMPT:-}" ] && _patch 'preempt = [a-z]*;' "preempt = $PREEMPT;"
	[ -n "${HELLO:-}" ] && _patch 'hello_ms = [0-9]*;' "hello_ms = $HELLO;"
	[ -n "${HOLD:-}" ] && _patch 'hold_ms = [0-9]*;' "hold_ms = $HOLD;"
	[ -n "${RI_IN:-}" ] && _patch 'inbound = [0-9]*;' "inbound = $RI_IN;"
	[ -n "${RI_OUT:-}" ] && _patch 'outbound = [0-9]*;' "outbound = $RI_OUT;"
	[ -n "${KA_MS:-}" ] && _patch 'keepalive = { interval_ms = [0-9]*;' \
		"keepalive = { interval_ms = $KA_MS;"
	[ -n "${KA_THR:-}" ] && _patch 'threshold = [0-9]*;' "threshold = $KA_THR;"
	if [ -n "${SYNC_KEY:-}" ]; then
		key=$(printf '%s' "$SYNC_KEY" | sed 's/[\/&]/\\&/g')
		_patch 'security = { key = "[^"]*"; }' "security = { key = \"$key\"; }" \
			"security = { key = \"$SYNC_KEY\"; }"
	fi
	[ -n "${MAX_SAS:-}" ] && _patch 'max_sas = [0-9]*;' "max_sas = $MAX_SAS;"
	[ -n "${RRI:-}" ] && _patch '^\([[:space:]]*match = (.*);\)$' \
		"\\1 reverse_route = $RRI;" "reverse_route = $RRI;"
	sed "${exprs[@]}" "$src" >"$dst" || fail "cannot write $dst"
	while [ ${#checks[@]} -gt 0 ]; do
		[ "$(grep -cF -- "${checks[1]}" "$dst")" -ge "${checks[0]}" ] ||
			fail "$dst: '${checks[1]}' not set on the ${checks[0]} lines of $src"
		checks=("${checks[@]:2}")
	done
	if [ -n "${EXTRA_ENTRY:-}" ] || [ "${N_EXTRA_SAS:-0}" -gt 0 ]; then
		_twin_extra >"$WORK/.extra" || fail "cannot write $WORK/.extra"
		# before the line that closes the crypto map's entries
		grep -q '^	); } );$' "$dst" || fail "$src: no end of the crypto map entries"
		awk -v f="$WORK/.extra" '$0 == "\t); } );" { while ((getline l < f) > 0) print l } { print }' \
			"$dst" >"$dst.new" && mv "$dst.new" "$dst"
	fi
}

_twin_extra() {
	local i
	[ -n "${EXTRA_ENTRY:-}" ] && printf '%s\n' "$EXTRA_ENTRY"
	for ((i = 1; i <= ${N_EXTRA_SAS:-0}; i++)); do
		printf '\t, { seq = %d; type = "ipsec-manual"; peer = "192.0.2.%d"; transform_set = "gcm128";\n' \
			$((100 + i)) $((100 + i % 100))
		printf '\t\tmatch = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.%d.%d.0/24"; } );%s\n' \
			$((100 + i / 250)) $((i % 250)) "${RRI:+ reverse_route = $RRI;}"
		printf '\t\tinbound = { spi = 0x%x; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };\n' $((0x100000 + i))
		printf '\t\toutbound = { spi = 0x%x; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; }; }\n' $((0x200000 + i))
	done
}

# peer_conf: the peer gateway's config/ha-peer.conf as $WORK/p.conf
peer_conf() { cp "$ROOT/config/ha-peer.conf" "$WORK/p.conf" || fail "cannot copy ha-peer.conf"; }

# start a|b|p CONF_NAME [twinsecd args]: $WORK/CONF_NAME.conf on X-in and
# X-out, log $WORK/X.log, state in $WORK/state-X (NO_STATE_DIR=1: none);
# sets pid_X
start() {
	local x=$1 conf=$2 state=()
	shift 2
	if [ "${NO_STATE_DIR:-0}" != 1 ]; then
		mkdir -p "$WORK/state-$x"
		state=(--state-dir "$WORK/state-$x")
	fi
	twinsecd_bg "$P-$x" "$P-$x" "$WORK/$x.log" \
		--vdev "net_af_packet0,iface=$x-in" --vdev "net_af_packet1,iface=$x-out" \
		-- -f "$WORK/$conf.conf" "${state[@]}" "$@"
	eval "pid_$x=\$TW_PID"
}

# twin_kill a|b|p: kill -9, reaped
twin_kill() {
	local p
	eval "p=\$pid_$1"
	stop_pid "$p" KILL
	eval "pid_$1="
}

# twins_stop X...: SIGTERM to each; each must exit 0
twins_stop() {
	local x p rc
	for x in "$@"; do
		eval "p=\$pid_$x"
		stop_pid "$p" TERM
		rc=$?
		eval "pid_$x="
		[ $rc = 0 ] || fail "twinsecd $x exited $rc on SIGTERM"
	done
}

# rf a|b KEY: one field of /twinsec/redundancy
rf() { tel_py "$P-$1" /twinsec/redundancy 'd.get(args[0], "")' "$2"; }

_rf_is() { [ "$(rf "$1" "$2")" = "$3" ]; }

# wait_rf a|b KEY VALUE SECONDS
wait_rf() {
	wait_until "$4" _rf_is "$1" "$2" "$3" ||
		fail "twin $1: $2 = '$(rf "$1" "$2")' after $4 s, wanted '$3'"
}

# drops p REASON: one drop counter
drops() { tel_py "$P-$1" /twinsec/drops 'd.get(args[0], 0)' "$2"; }

# hsrp_states a|b: "INSIDE OUTSIDE" HSRP group states
hsrp_states() { tel_py "$P-$1" /twinsec/standby 'd["inside_1"]["state"], d["outside_1"]["state"]'; }

_hsrp_states_are() { [ "$(hsrp_states "$1")" = "$2" ]; }

# wait_states a|b "STATES" SECONDS
wait_states() {
	wait_until "$3" _hsrp_states_are "$1" "$2" ||
		fail "twin $1: '$(hsrp_states "$1")' after $3 s, wanted '$2'"
}

# replies N WHAT: at least N of 5 pings HA -> HB (10.2.0.10) come back
replies() {
	ping_ok "$P-ha" 10.2.0.10 "$1" -c 5 -i 0.2 -W 1 ||
		fail "$2: $PING_GOT of 5 pings through the tunnel"
	echo "   $2: $PING_GOT of 5 pings through the tunnel"
}

# ping_bg LOG [INTERVAL [DST]]: HA pings HB (DST: 10.2.0.10; 2001:db8:2::10
# over IPv6) every INTERVAL (0.01) s in the background until ping_bg_stop;
# ping_pid
ping_pid=
ping_bg() {
	ip netns exec "$P-ha" ping -i "${2:-0.01}" -W 1 "${3:-10.2.0.10}" >"$1" 2>&1 &
	ping_pid=$!
	track "$ping_pid"
}
ping_bg_stop() {
	stop_pid "$ping_pid" INT
	ping_pid=
}

# capture_start FILE FILTER [TCPDUMP_OPTIONS...]: tcpdump on the outside
# bridge (-s 128 unless the options say otherwise) until capture_stop
dump_pid=
capture_start() {
	local file=$1 filter=$2
	shift 2
	[ $# -gt 0 ] || set -- -s 128
	ip netns exec "$P-sw" tcpdump -i br-out -n -U "$@" -w "$file" "$filter" \
		>"$WORK/tcpdump.log" 2>&1 &
	dump_pid=$!
	track "$dump_pid"
}
capture_stop() {
	sleep 0.5
	stop_pid "$dump_pid" INT
	dump_pid=
}

# seq_unique PCAP [esp|udp [VIP]]: no ESP sequence number sent twice per
# SPI from the outside VIP (192.0.2.254; an IPv6 one for ESP over IPv6)
# in the capture (and some ESP from it at all); ESP (protocol 50) or ESP
# in UDP 4500 (RFC 3948: a non-zero SPI first, IKE has the zero non-ESP
# marker). Prints each SPI's packets, range and first jumps, and the
# numbers reused.
seq_unique() {
	"$PYTHON" - "$1" "${2:-esp}" "${3:-192.0.2.254}" <<'PY'
import ipaddress, struct, sys
from scapy.all import rdpcap, IP, IPv6, ESP, UDP
udp = sys.argv[2] == "udp"
vip = ipaddress.ip_address(sys.argv[3])
L3 = IPv6 if vip.version == 6 else IP
seen, dup = {}, 0
for p in rdpcap(sys.argv[1]):
    if L3 not in p or ipaddress.ip_address(p[L3].src) != vip:
        continue
    if udp:
        if UDP not in p or p[UDP].sport != 4500:
            continue
        b = bytes(p[UDP].payload)
        if len(b) < 8 or b[:4] == b"\0\0\0\0":
            continue  # NAT keepalive or IKE (non-ESP marker)
        spi, seq = struct.unpack("!II", b[:8])
    else:
        if ESP not in p:
            continue
        spi, seq = p[ESP].spi, p[ESP].seq
    s = seen.setdefault(spi, set())
    if seq in s:
        dup += 1
        if dup <= 5:
            print("   reused: SPI 0x%08x seq %d" % (spi, seq))
    s.add(seq)
for spi, s in seen.items():
    q = sorted(s)
    gaps = [b - a for a, b in zip(q, q[1:]) if b - a > 1]
    print("   SPI 0x%08x: %d %s from the VIP, seq %d..%d, jumps %s"
          % (spi, len(q), "ESP-in-UDP packets" if udp else "packets", q[0], q[-1], gaps[:4]))
if not seen:
    print("   no ESP from the VIP captured")
print("   %d sequence numbers reused" % dup)
sys.exit(1 if dup or not seen else 0)
PY
}

# logs_tail [N]: the last N (20) lines of every daemon log
logs_tail() {
	local x
	for x in a b p; do
		[ -f "$WORK/$x.log" ] || continue
		echo "  --- $x"
		grep -v '^EAL' "$WORK/$x.log" | tail -n "${1:-20}" | sed 's/^/    /'
	done
}
