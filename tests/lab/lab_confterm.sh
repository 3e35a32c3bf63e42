#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# configure terminal on the wire (issue 19): the two-site lab (tools/lab)
# with manual SAs. Gateway B has two crypto map entries (seq 10 for host
# A's 10.1.0.10, seq 30 for 10.1.0.30); gateway A starts with seq 10 only
# and a console. Over A's console (tools/twinsec-console, as an operator):
#   - a change the reload path refuses (an unknown transform set) prints
#     IOS's "% ..." and changes nothing: 10.1.0.30 stays discarded
#   - crypto map vpn 30 ipsec-manual, its peer, transform set, match
#     address and session keys: from then on 10.1.0.30 reaches host B
#     through the tunnel, while seq 10 carries on
#   - write memory: the file it writes is accepted by --check, the old one
#     is kept as a.conf.bak, and A restarted on it carries both tunnels
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) without
# root or network namespaces.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_lab.bash
. "$ROOT/tests/lib/topo_lab.bash"
cd "$ROOT" || exit 1
need_root "needs root (network namespaces)"
need_netns
need_built "$TWINSECD"
work_dir confterm

# Lab keys (published, protect nothing): GCM-128 key and salt per direction.
K1AB=f3e02880b4fbe9c7181c5babfa863b74e14dfa9b K1BA=4f2156b8b8d629a85d864406708db30e58ba911e
K3AB=2c3d4e5f60718293a4b5c6d7e8f9012345678901 K3BA=3d4e5f60718293a4b5c6d7e8f901234567890123
# console user admin, secret "cisco"; enable secret "cisco"
ADMIN='$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ.'
PORT=2323

# entry SEQ SRC DST OUT_SPI IN_SPI OUT_KEY IN_KEY PEER
entry() {
	cat <<EOF
			{ seq = $1; type = "ipsec-manual"; peer = "$8";
			  transform_set = "gcm128";
			  match = ( { action = "protect"; src = "$2"; dst = "$3"; } );
			  inbound = { spi = $5; key = "$7"; };
			  outbound = { spi = $4; key = "$6"; }; }
EOF
}
# gw NAME INSIDE OUTSIDE ROUTE CONSOLE ENTRIES
gw() {
	cat <<EOF
# lab_confterm.sh: gateway $1 (generated)
hostname = "$1";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0";
	  address = "$2"; mtu = 1500; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1";
	  address = "$3"; mtu = 1500; crypto_map = "vpn"; }
);
routes = ( $4 );
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
crypto_maps = ( { name = "vpn"; entries = (
$6
); } );
dataplane = { workers = 1; crypto_device = "auto"; poll_mode = "adaptive";
	default_policy = "discard"; };
$5
EOF
}
gw lab-a 10.1.0.1/24 192.0.2.1/24 \
	'{ prefix = "10.2.0.0/16"; gateway = "192.0.2.2"; }' \
	"console = { listen = \"127.0.0.1:$PORT\"; users = ( { name = \"admin\"; privilege = 15; secret = \"$ADMIN\"; } ); };" \
	"$(entry 10 10.1.0.10/32 10.2.0.0/16 0x1001 0x2001 $K1AB $K1BA 192.0.2.2)" \
	>"$WORK/a.conf"
cp "$WORK/a.conf" "$WORK/a-start.conf"
gw lab-b 10.2.0.1/24 192.0.2.2/24 \
	'{ prefix = "10.1.0.0/16"; gateway = "192.0.2.1"; }' "" \
	"$(entry 10 10.2.0.0/16 10.1.0.10/32 0x2001 0x1001 $K1BA $K1AB 192.0.2.1),
$(entry 30 10.2.0.0/16 10.1.0.30/32 0x2003 0x1003 $K3BA $K3AB 192.0.2.1)" \
	>"$WORK/b.conf"
for f in a b; do
	"$TWINSECD" -- -f "$WORK/$f.conf" --check >"$WORK/check-$f.log" 2>&1 ||
		{ cat "$WORK/check-$f.log"; fail "generated config $f.conf does not load"; }
done
export CONF_A=$WORK/a.conf CONF_B=$WORK/b.conf
LOG_A=$LAB_DIR/tw-gwa.log

finish() {
	if [ "$TW_FAIL" != 0 ]; then
		echo "--- last lines of $LOG_A"
		tail -n 30 "$LOG_A"
	fi
	check_summary lab_confterm
	exit $?
}

lab_up || finish
check "twinsecd A starts" "$TOOLS/lab-gw" start a
check "twinsecd B starts" "$TOOLS/lab-gw" start b
[ "$TW_FAIL" = 0 ] || finish
ip netns exec tw-hosta ip addr add 10.1.0.30/24 dev eth0

tunnel_ok() {
	ip netns exec tw-hosta ping -c 1 -W 2 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
	ping_ok tw-hosta 10.2.0.10 3 -c 3 -i 0.2 -W 2 -I "10.1.0.$1"
}
tunnel_dead() {
	! ip netns exec tw-hosta ping -c 3 -i 0.2 -W 1 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
}
# console OUT WANT_RC COMMANDS...: on A's console as admin; output to OUT
console() {
	local out=$1 want=$2 c rc
	local args=()
	shift 2
	for c in "$@"; do
		args+=(-c "$c")
	done
	ip netns exec tw-gwa "$PYTHON" "$TOOLS/twinsec-console" -t 20 \
		"127.0.0.1:$PORT" -u admin -p cisco "${args[@]}" >"$WORK/$out" 2>&1
	rc=$?
	sed 's/^/    /' "$WORK/$out"
	[ "$rc" = "$want" ]
}

check "before: tunnel seq 10 (from 10.1.0.10) carries traffic" tunnel_ok 10
check "before: nothing for 10.1.0.30 (discarded)" tunnel_dead 30

refused() {
	console refused.txt 1 "configure terminal" "crypto map vpn 30 ipsec-manual" \
		"set peer 192.0.2.2" "set transform-set gcm129" \
		"match address 10.1.0.30/32 10.2.0.0/16" \
		"set session-key inbound esp 0x2003 cipher $K3BA" \
		"set session-key outbound esp 0x1003 cipher $K3AB" "end" &&
		grep -q "^% transform set 'gcm129' undefined in crypto map 'vpn' entry 30" \
			"$WORK/refused.txt"
}
check "an entry naming an unknown transform set is refused with IOS's %" refused
check "after the refusal: still nothing for 10.1.0.30" tunnel_dead 30

# logged PATTERN: A's log has a line matching it (printed)
logged() {
	wait_until 5 grep -qE "$1" "$LOG_A"
	local rc=$?
	grep -E "configured from console|twinsec.reload" "$LOG_A" | sed 's/^/    log: /'
	return $rc
}
t0=$(now_ms)
added() {
	console added.txt 0 "configure terminal" "crypto map vpn 30 ipsec-manual" \
		"set peer 192.0.2.2" "set transform-set gcm128" \
		"match address 10.1.0.30/32 10.2.0.0/16" \
		"set session-key inbound esp 0x2003 cipher $K3BA" \
		"set session-key outbound esp 0x1003 cipher $K3AB" "end" \
		"show crypto map | include Crypto Map" &&
		grep -q 'Crypto Map "vpn" 30 ipsec-manual' "$WORK/added.txt" &&
		logged "configured from console: .*crypto map entries: 1 added, 0 removed"
}
check "configure terminal adds crypto map vpn 30 through the reload path" added
check "after: tunnel seq 30 (from 10.1.0.30) carries traffic" tunnel_ok 30
echo "    seq 30 up $(($(now_ms) - t0)) ms after the console session began"
check "after: tunnel seq 10 still carries traffic" tunnel_ok 10

saved() {
	console saved.txt 0 "write memory" &&
		grep -q '^\[OK\]' "$WORK/saved.txt" &&
		"$TWINSECD" -- -f "$WORK/a.conf" --check >"$WORK/check-saved.log" 2>&1 &&
		grep -q "seq = 30;" "$WORK/a.conf" &&
		cmp -s "$WORK/a.conf.bak" "$WORK/a-start.conf"
}
check "write memory: --check accepts the file, a.conf.bak is the old one" saved
check "twinsecd A restarts on the written file" "$TOOLS/lab-gw" restart a
check "after the restart: tunnel seq 30 carries traffic" tunnel_ok 30
check "after the restart: tunnel seq 10 carries traffic" tunnel_ok 10
check "twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all
finish
