#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A hostile IKEv2 peer against twinsecd, while a legitimate one keeps its
# tunnel and its traffic. The lab of lab_ike.sh (tools/lab: gateway A
# 192.0.2.1, config/lab-a.conf, initiates; gateway B 192.0.2.2 responds),
# plus a namespace tw-evil on the WAN bridge: 192.0.2.66 (the hostile
# peer, tests/hostile/ike_hostile), 192.0.2.70 (a newcomer that sets up a
# tunnel under a flood) and 192.0.2.100-115 (flood sources). B's config
# (written below) has an ipsec-isakmp entry for each of them (PFS 19;
# 10.2.0.0/16 <-> 10.66.0.0/16 for the hostile peer, initiate "traffic";
# a COOKIE from 8 half-open SAs). All along, host A pings host B through
# the A-B tunnel every 0.2 s.
#
# Checks, each printed PASS/FAIL:
#  1. the A-B tunnel comes up; the newcomer sets up in quiet (its time)
#  2. ts16: B asks the hostile peer for a new Child SA (host B sends
#     traffic for 10.66/16 after the peer deleted its child) and gets 16
#     selectors in TSi and TSr: B keeps the first 4 of each (logged), its
#     one Child SA of that peer mirrors the peer's, nothing else in it.
#     The 11th selector of TSr is an IPv6 one whose bytes, on a gateway
#     that copies all 16 into the child's 4 (issue #14's overflow), make
#     the next child slot an INSTALLED child with SPI 0bad5bad: B must
#     show no such child and send no DELETE for it
#  3. tswide: the same answered with 0.0.0.0/0 both ways: refused, B
#     DELETEs the ESP SA the peer made (ts_widened counted, logged), no
#     Child SA on B
#  2b, 3b. ts16rekey, tswiderekey: the same in the answer to B's rekey of
#     the peer's Child SA (its 2560 kB volume lifetime, host B's traffic):
#     with 16 selectors the rekey completes as in 2; widened, B refuses it
#     (DELETE of the new SA) and keeps the old child
#  4. nopfs: a Child SA rekey without KE (and without a DH transform)
#     under a PFS policy: NO_PROPOSAL_CHOSEN, pfs_refused counted, the old
#     child stays
#  5. spoof: against the message ID of the peer's last request: a 28-byte
#     header (20 copies) and the request re-sealed (authentic, not the
#     same bytes: 20) get no answer (rx_retransmit_mismatch); the request
#     byte for byte, 20 back to back: one answer, the rest rate-limited
#     (rx_retransmit_limited); once more 2 s after that answer: answered
#  6. rekey storm: CREATE_CHILD_SA as fast as answers come for 12 s: at
#     least 10 accepted, at most 10 per 10 s window that fits in the time
#     from the first request leaving to the last answer (B's windows are
#     fixed, opened by an accepted request), the rest TEMPORARY_FAILURE
#     (create_child_limited), B holds one IKE SA of the peer with at most
#     2 children
#  6b. B reloaded with ike limits create_child = 4: show running-config
#     shows "crypto ikev2 limit twinsec create-child-sa 4 per 10 seconds",
#     and a storm of 6 s gets 4 rekeys (4 per window, as in 6)
#  6c. sastorm: the peer sets up 12 IKE SAs at once, only the first with
#     INITIAL_CONTACT: B lets exactly 8 up (IKE_PEER_SA_MAX, half-open
#     ones counted: without that, 9 came up), the others' IKE_SA_INIT
#     dropped or, in parallel, made to echo a COOKIE and replace the
#     peer's oldest half-open SA (counted, logged)
#  7. IKE_SA_INIT flood from one source (not answering cookies): at most 4
#     half-open SAs of it on B (IKE_PEER_HALF_OPEN_MAX), then COOKIEs
#     (peer_half_open_limit)
#  8. IKE_SA_INIT flood from 16 sources that echo cookies: B's COOKIE
#     threshold engages, no source ever holds more than 4 half-open SAs,
#     the half-open total stays within 16 x 4; the newcomer still sets up
#     during the flood (its time printed, within 5 s)
#  9. all along: the A-B tunnel is the same IKE SA with traffic (at most
#     one ping lost: the one in flight at the end), B never logged a
#     crash, both gateways exit 0
# Against a twinsecd with each fix of issue #14 undone, these fail: 2 and
# 2b (the overflow: B deletes the phantom 0bad5bad), 3b (rekey replies not
# held to the policy), 4 (PFS not enforced), 5 (any datagram with the
# previous message ID answered), 6 (no rate limit: thousands accepted),
# 7 and 8 (no per-peer half-open cap: 8 and 10 of one source); 6c (before
# the half-open SAs counted towards the peer's IKE SAs: 9 up).
# Exit 0 pass, 1 fail, 77 skip. Run isolated (/work/isolated-run).
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_lab.bash
. "$ROOT/tests/lib/topo_lab.bash"
cd "$ROOT" || exit 1
HOSTILE=$BUILD/tests/hostile/ike_hostile
PSK=twinsec-hostile-psk-published-do-not-reuse
EVIL=tw-evil
# IKE_SA_INIT per second of the 16-source flood (8)
FLOOD_PPS=${FLOOD_PPS:-400}

need_root
need_netns
need_built "$TWINSECD" "$HOSTILE"
work_dir ikehostile

BLOG=$LAB_DIR/tw-gwb.log
finish() {
	if [ "$TW_FAIL" != 0 ] && [ -f "$BLOG" ]; then
		echo "--- IKE lines of $BLOG"
		grep -iE "ike|child|error" "$BLOG" | tail -n 40
	fi
	check_summary ike_hostile
	exit $?
}

# ---- B's config: lab-b's tunnel to A, and the hostile peers' entries
entry() { # SEQ PEER REMOTE_NET INITIATE [KILOBYTES]
	printf '\t\t\t{ seq = %d; type = "ipsec-isakmp"; peer = "%s"; transform_set = "gcm128";\n' "$1" "$2"
	printf '\t\t\t  match = ( { action = "protect"; src = "10.2.0.0/16"; dst = "%s"; } );\n' "$3"
	printf '\t\t\t  lifetime = { seconds = 3600; kilobytes = %d; };\n' "${5:-4608000}"
	printf '\t\t\t  pfs = 19; initiate = "%s"; }' "$4"
}
psk() { printf '\t\t{ peer = "%s"; key = "%s"; }' "$1" "$2"; }
{
	cat <<CONF
hostname = "lab-b-hostile";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.2.0.1/24"; mtu = 1500; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.2/24"; mtu = 1500; crypto_map = "to-site-a"; }
);
routes = (
	{ prefix = "10.1.0.0/16"; gateway = "192.0.2.1"; },
	{ prefix = "10.66.0.0/16"; gateway = "192.0.2.66"; }
);
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "lab"; encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = (
		{ peer = "192.0.2.1"; key = "twinsec-lab-psk-published-do-not-reuse"; },
$(psk 192.0.2.66 $PSK),
$(psk 192.0.2.70 $PSK),
$(for i in $(seq 100 115); do psk "192.0.2.$i" $PSK; [ "$i" = 115 ] || echo ,; done)
	);
	dpd = { interval = 10; retries = 5; };
	lifetime = 86400;
	cookie_threshold = 8;
};
crypto_maps = ( { name = "to-site-a"; entries = (
	{ seq = 10; type = "ipsec-isakmp"; peer = "192.0.2.1"; transform_set = "gcm128";
	  match = ( { action = "protect"; src = "10.2.0.0/16"; dst = "10.1.0.0/16"; } );
	  pfs = 19; lifetime = { seconds = 3600; kilobytes = 4608000; }; initiate = "responder"; },
$(entry 20 192.0.2.66 10.66.0.0/16 traffic 2560),
$(entry 30 192.0.2.70 10.70.0.0/16 responder),
$(for i in $(seq 100 115); do entry "$i" "192.0.2.$i" "10.$i.0.0/16" responder; [ "$i" = 115 ] || echo ,; done)
); } );
dataplane = { workers = 1; crypto_device = "auto"; poll_mode = "adaptive"; default_policy = "discard"; };
console = {
	listen = "127.0.0.1:2323";
	users = ( { name = "admin"; privilege = 15;
		secret = "\$6\$twinsecadmin\$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ."; } );
};
CONF
} >"$WORK/lab-b.conf"
export CONF_B=$WORK/lab-b.conf

# ---- the lab, and tw-evil on its WAN bridge
evil_down() { netns_del "$EVIL"; }
lab_up || finish
evil_down
at_exit evil_down
evil_up() {
	local i
	ip netns add "$EVIL" &&
		nsx "$EVIL" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
		nsx "$EVIL" ip link set lo up &&
		ip link add eth0 netns "$EVIL" type veth peer name wan-evil netns tw-wan &&
		nsx tw-wan ip link set wan-evil master br0 &&
		nsx tw-wan ip link set wan-evil up &&
		nsx "$EVIL" ip link set eth0 up &&
		nsx "$EVIL" ip addr add 192.0.2.66/24 dev eth0 &&
		nsx "$EVIL" ip addr add 192.0.2.70/24 dev eth0 || return 1
	for i in $(seq 100 115); do
		nsx "$EVIL" ip addr add "192.0.2.$i/24" dev eth0 || return 1
	done
}
check "namespace $EVIL on the WAN bridge (192.0.2.66, .70, .100-.115)" evil_up

check "twinsecd B starts (the hostile peers' config)" "$TOOLS/lab-gw" start b
check "twinsecd A starts" "$TOOLS/lab-gw" start a
[ "$TW_FAIL" = 0 ] || finish

tunnel_up() {
	"$TOOLS/lab-ike" wait --timeout 40 >"$WORK/wait.out" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/wait.out"
	return $rc
}
check "the A-B tunnel is up" tunnel_up
[ "$TW_FAIL" = 0 ] || finish

a_spi() { tel_py tw-gwa /twinsec/ike '[v["spi_i"] for k, v in d.items() if isinstance(v, dict) and v.get("peer") == "192.0.2.2" and v.get("state") == "ESTABLISHED"]'; }
A_SPI=$(a_spi)
echo "    A's IKE SA with B: SPIi $A_SPI"

# the traffic of the legitimate peer, all along
ip netns exec tw-hosta ping -D -i 0.2 -W 1 10.2.0.10 >"$WORK/ping.out" 2>&1 &
PING_PID=$!
track "$PING_PID"

# ---- helpers
# mark NAME: the scenarios' start times, to place lost pings
mark() { echo "$(date +%s.%N) $1" >>"$WORK/marks"; }
bcnt() { tel_py tw-gwb /twinsec/ike 'd["counters"].get(args[0], 0)' "$1"; }
# bsas PEER: "state children child_spis" of B's IKE SAs with PEER, one a line
bsas() {
	tel_py tw-gwb /twinsec/ike '"\n".join("%s %s %s" % (v["state"], v["children"], v["child_spis"] or "-") for k, v in sorted(d.items()) if isinstance(v, dict) and v.get("peer") == args[0])' "$1"
}
# jget FILE EXPR: EXPR over j, the last line of FILE (the tool's JSON)
jget() {
	tail -n 1 "$1" | "$PYTHON" -c 'import json, sys
j = json.loads(sys.stdin.read())
r = eval(sys.argv[1])
print(" ".join(map(str, r)) if isinstance(r, (list, tuple)) else r)' "$2" 2>/dev/null
}
hostile() { # OUT ARGS...: the tool in tw-evil, its JSON in OUT, stderr OUT.err
	local out=$1
	shift
	nsx "$EVIL" "$HOSTILE" -k "$PSK" "$@" >"$out" 2>"$out.err"
}
# blog_since MARK PATTERN: B logged PATTERN after line MARK of its log
blog_since() { tail -n +"$(( $1 + 1 ))" "$BLOG" | grep -E -- "$2"; }
bmark() { wc -l <"$BLOG"; }

# ---- 1. a newcomer, in quiet
newcomer() { # OUT
	hostile "$1" -l 192.0.2.70 -L 10.70.0.0/16 -t 1 setup || return 1
	[ "$(jget "$1" 'j["ike_up"]')" = True ] || return 1
	echo "    set-up time (IKE_SA_INIT to the Child SA): $(jget "$1" 'j["setup_ms"]') ms"
}
mark newcomer
check "the newcomer 192.0.2.70 sets up a tunnel (no load)" newcomer "$WORK/newcomer0.json"

# ---- 2, 3. hostile selectors in the reply to B's CREATE_CHILD_SA
# ts_scenario NAME: the tool waits for B's request, which host B's
# traffic for 10.66.0.1 makes: a new Child SA (initiate "traffic"), or,
# for the *rekey ones, a rekey (2560 kB: B rekeys at 85-95 % of it; the
# bytes of B's outbound SA count, metered by B's telemetry)
udp_to_evil() { # N: N datagrams of 1400 bytes from host B to 10.66.0.1
	ip netns exec tw-hostb "$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])):
    s.sendto(b"x" * 1400, ("10.66.0.1", 9))' "$1"
}
# evil_bytes: the bytes B counted on its installed Child SA of the
# hostile peer (its volume lifetime's), 0 when none
evil_bytes() {
	local id
	id=$(tel_py tw-gwb /twinsec/ike '([k for k, v in d.items() if isinstance(v, dict) and v.get("peer") == "192.0.2.66" and v.get("state") == "ESTABLISHED"] + [""])[0]')
	[ -n "$id" ] || { echo 0; return; }
	tel tw-gwb "/twinsec/ike,$id" | "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/ike"]
print(max([v["bytes"] for k, v in d.items() if k.startswith("child") and v.get("state") == "INSTALLED"], default=0))' 2>/dev/null || echo 0
}
ts_scenario() {
	local name=$1 out=$WORK/$1.json pid i t=20
	case $name in *rekey) t=40 ;; esac
	hostile "$out" -t "$t" "$name" &
	pid=$!
	track "$pid"
	for ((i = 0; i < 300; i++)); do
		grep -q '^ready' "$out" 2>/dev/null && break
		alive "$pid" || break
		sleep 0.1
	done
	while alive "$pid"; do
		case $name in
		*rekey)
			# what B counted (a second late): to 1.8 MB in steps
			# of 290 kB, then 71 kB/s, none once B asked: the soft
			# limit (2.23-2.49 MB) is passed slowly, the hard one
			# (2.62 MB, a DELETE) stays ahead
			if grep -q '^edited' "$out"; then
				sleep 0.2
			elif [ "$(evil_bytes)" -lt 1800000 ]; then
				udp_to_evil 200
				sleep 1.2
			else
				udp_to_evil 25
				sleep 0.5
			fi ;;
		*) ip netns exec tw-hostb ping -c 1 -W 1 10.66.0.1 >/dev/null 2>&1 ;;
		esac
	done
	wait "$pid"
	untrack "$pid"
	sed 's/^/    /' "$out"
	grep -q '^ready' "$out"
}
m=$(bmark)
w0=$(bcnt ts_widened)
mark ts16
check "ts16: the hostile peer ran (set up, deleted its child, answered B's request)" ts_scenario ts16
# no_phantom FILE: the child slot after the new one, which an overflow of
# its four selectors would fill with the tool's planted bytes (state
# INSTALLED, inbound SPI 0bad5bad), is not a child on B: B lists it in
# none of the peer's IKE SAs and sends no DELETE for it
no_phantom() {
	local ph
	ph=$(jget "$1" 'j["phantom_spi"]')
	[ -n "$ph" ] || { echo "    (no phantom planted: lib/ike's layout does not allow it)"; return 0; }
	if bsas 192.0.2.66 | grep -q "$ph" ||
		jget "$1" 'j["del_esp"]' | grep -q "$ph"; then
		echo "    a phantom child (SPI $ph, the tool's bytes) on B: the selectors overflowed into the next child"
		return 1
	fi
}
ts16_ok() {
	local spis mine
	[ "$(jget "$WORK/ts16.json" 'j["edited"]')" -ge 1 ] || { echo "    no request of B was answered"; return 1; }
	mine=$(jget "$WORK/ts16.json" '" ".join("%s/%s" % (c["spi_out"], c["spi_in"]) for c in j["children"] if c["state"] == "INSTALLED")')
	spis=$(bsas 192.0.2.66)
	echo "    peer's child (B's view in/out): $mine; B's IKE SAs of the peer: $spis"
	no_phantom "$WORK/ts16.json" || return 1
	blog_since "$m" "answered 16\+16 traffic selectors: the first 4 of each kept" | sed 's/^/    B: /' | grep -q . || return 1
	[ "$(jget "$WORK/ts16.json" 'j["del_esp"]')" = "" ] || { echo "    B deleted it"; return 1; }
	# one IKE SA of the peer on B with one child: the peer's, mirrored
	[ "$spis" = "ESTABLISHED 1 $mine" ]
}
check "ts16: B keeps the first 4 selectors of each, one Child SA mirroring the peer's, nothing else" ts16_ok

m=$(bmark)
mark tswide
check "tswide: the hostile peer ran" ts_scenario tswide
tswide_ok() {
	local del mine w
	del=$(jget "$WORK/tswide.json" 'j["del_esp"]')
	mine=$(jget "$WORK/tswide.json" 'j["gw_ccs_requests"]')
	w=$(bcnt ts_widened)
	echo "    B's requests: $mine, ESP SAs B deleted: $del, ts_widened $w0 -> $w"
	blog_since "$m" "the peer widened our traffic selectors: no Child SA, DELETE of" | head -n 2 | sed 's/^/    B: /' | grep -q . || return 1
	[ -n "$del" ] && [ "$w" -gt "$w0" ] || return 1
	bsas 192.0.2.66 | sed 's/^/    B: /'
	# no Child SA of the peer on B (it refused every widened one)
	! bsas 192.0.2.66 | awk '$2 != 0 { bad = 1 } END { exit !bad }'
}
check "tswide: refused, B deletes the peer's ESP SA (ts_widened, logged), no Child SA on B" tswide_ok

# the same in the answers to B's rekeys of the peer's Child SA
m=$(bmark)
mark ts16rekey
check "ts16rekey: the hostile peer ran (answered B's rekey)" ts_scenario ts16rekey
ts16rekey_ok() {
	local spis mine
	[ "$(jget "$WORK/ts16rekey.json" 'j["edited"]')" -ge 1 ] || { echo "    no rekey of B was answered"; return 1; }
	mine=$(jget "$WORK/ts16rekey.json" '" ".join("%s/%s" % (c["spi_out"], c["spi_in"]) for c in j["children"] if c["state"] == "INSTALLED")')
	spis=$(bsas 192.0.2.66)
	echo "    peer's child (B's view in/out): $mine; B's IKE SAs of the peer: $spis"
	no_phantom "$WORK/ts16rekey.json" || return 1
	blog_since "$m" "answered 16\+16 traffic selectors: the first 4 of each kept" | head -n 1 | sed 's/^/    B: /' | grep -q . || return 1
	blog_since "$m" "rekeyed by us" | head -n 1 | sed 's/^/    B: /' | grep -q . || return 1
	[ "$spis" = "ESTABLISHED 1 $mine" ]
}
check "ts16rekey: B's rekey with 16 selectors: the first 4 kept, the new child mirrors the peer's, nothing else" ts16rekey_ok

m=$(bmark)
w0=$(bcnt ts_widened)
mark tswiderekey
check "tswiderekey: the hostile peer ran" ts_scenario tswiderekey
tswiderekey_ok() {
	local del w first
	del=$(jget "$WORK/tswiderekey.json" 'j["del_esp"]')
	first=$(jget "$WORK/tswiderekey.json" '" ".join("%s/%s" % (c["spi_out"], c["spi_in"]) for c in j["children"])')
	w=$(bcnt ts_widened)
	echo "    ESP SAs B deleted: $del, ts_widened $w0 -> $w; the peer's children (B's view): $first"
	blog_since "$m" "the peer widened our traffic selectors: no rekey, DELETE of" | head -n 2 | sed 's/^/    B: /' | grep -q . || return 1
	[ -n "$del" ] && [ "$w" -gt "$w0" ] || return 1
	bsas 192.0.2.66 | sed 's/^/    B: /'
	# B kept the old child (the only one it has), none with the widened selectors
	[ "$(bsas 192.0.2.66 | awk '{ print $1, $2 }')" = "ESTABLISHED 1" ] &&
		! bsas 192.0.2.66 | grep -qE "($(echo "$del" | tr ' ' '|'))"
}
check "tswiderekey: B's rekey answered wider: refused (DELETE, ts_widened, logged), B keeps the old child" tswiderekey_ok

# ---- 4. CREATE_CHILD_SA without KE under a PFS policy
m=$(bmark)
p0=$(bcnt pfs_refused)
nopfs_ok() {
	local out=$WORK/nopfs.json n p
	hostile "$out" -p 0 -t 10 nopfs || return 1
	sed 's/^/    /' "$out"
	n=$(jget "$out" 'j["ccs_notify"]')
	p=$(bcnt pfs_refused)
	echo "    answer: $n; pfs_refused $p0 -> $p"
	[ "$n" = NO_PROPOSAL_CHOSEN ] && [ "$(jget "$out" 'j["ccs_ok"]')" = 0 ] &&
		[ "$p" = $((p0 + 1)) ] || return 1
	blog_since "$m" "CREATE_CHILD_SA: .*NO_PROPOSAL_CHOSEN" | head -n 1 | sed 's/^/    B: /' | grep -q .
}
mark nopfs
check "nopfs: a rekey without KE is refused with NO_PROPOSAL_CHOSEN (pfs_refused)" nopfs_ok

# ---- 5. spoofed retransmissions
spoof_ok() {
	local out=$WORK/spoof.json mm0 mm ll0 ll rt0 rt
	mm0=$(bcnt rx_retransmit_mismatch)
	ll0=$(bcnt rx_retransmit_limited)
	rt0=$(bcnt rx_retransmits)
	hostile "$out" spoof || return 1
	sed 's/^/    /' "$out"
	mm=$(bcnt rx_retransmit_mismatch)
	ll=$(bcnt rx_retransmit_limited)
	rt=$(bcnt rx_retransmits)
	echo "    B: rx_retransmit_mismatch +$((mm - mm0)), rx_retransmit_limited +$((ll - ll0)), rx_retransmits +$((rt - rt0))"
	[ "$(jget "$out" 'j["hdr_answers"]')" = 0 ] || { echo "    the 28-byte header was answered"; return 1; }
	[ "$(jget "$out" 'j["resealed_answers"]')" = 0 ] || { echo "    a modified request was answered"; return 1; }
	[ "$(jget "$out" 'j["identical_burst_answers"]')" = 1 ] || { echo "    not one answer to the burst"; return 1; }
	[ "$(jget "$out" 'j["identical_later_answers"]')" = 1 ] || { echo "    the later retransmission was not answered"; return 1; }
	[ $((mm - mm0)) = 40 ] && [ $((ll - ll0)) = 19 ] && [ $((rt - rt0)) = 2 ]
}
mark spoof
check "spoof: header-only and modified retransmissions unanswered, identical ones answered once per 0.5 s" spoof_ok

# ---- 6. a rekey storm
# windows_ok FILE K: the rekeys the tool saw accepted are at least K and
# at most K per window of 10 s: B's windows are fixed, each opened by an
# accepted request, and B took each accepted request between its leaving
# and its answer coming back, so as many windows as fit from the first
# one's leaving to the last answer, plus one. Prints that span and bound.
windows_ok() {
	jget "$1" "(lambda s: '%d %d' % (s, $2 * (s // 10000 + 1)))(j['ok_ms'][-1] - j['ok_sent_ms'][0] if j['ok_ms'] else 0)"
}
storm_ok() {
	local out=$WORK/storm.json l0 l ok tf span bound
	l0=$(bcnt create_child_limited)
	hostile "$out" -t 12 rekeystorm || return 1
	sed 's/^/    /' "$out"
	l=$(bcnt create_child_limited)
	ok=$(jget "$out" 'j["ccs_ok"]')
	tf=$(jget "$out" 'j["ccs_tempfail"]')
	read -r span bound < <(windows_ok "$out" 10)
	echo "    in 12 s: $ok rekeys accepted (at most $bound in the $span ms from the first leaving to the last answer), $tf TEMPORARY_FAILURE; B create_child_limited +$((l - l0))"
	bsas 192.0.2.66 | sed 's/^/    B: /'
	# the budget is there, and no more: the rest refused, as B counted
	[ "$ok" -ge 10 ] && [ "$ok" -le "$bound" ] && [ "$tf" -ge 1 ] &&
		[ $((l - l0)) -ge 1 ] && [ $((l - l0)) -le "$tf" ] || return 1
	# the table did not fill: one IKE SA of the peer, at most 2 children
	bsas 192.0.2.66 | awk '{ n++; if ($2 > 2) bad = 1 } END { exit !(n == 1 && !bad) }'
}
mark rekeystorm
check "rekey storm: 10 per 10 s accepted, the rest TEMPORARY_FAILURE, one IKE SA on B" storm_ok

# ---- 6b. the rate limit configured, by a reload (ike limits)
limits_reload_ok() {
	local from out=$WORK/storm2.json ok tf span bound
	from=$(bmark)
	sed -i 's/^\tcookie_threshold = 8;$/&\n\tlimits = { create_child = 4; create_child_window = 10; };/' "$WORK/lab-b.conf"
	grep -q 'create_child = 4;' "$WORK/lab-b.conf" || { echo "    could not edit B's config"; return 1; }
	kill -HUP "$(cat "$LAB_DIR/tw-gwb.pid")"
	_reloaded() { blog_since "$from" "twinsec.reload" | grep -q .; }
	wait_until 10 _reloaded || { echo "    no reload line in B's log"; return 1; }
	blog_since "$from" "twinsec.reload" | sed 's/^/    B: /'
	blog_since "$from" "twinsec.reload" | grep -q "ike section changed" || return 1
	console tw-gwb "show running-config" >"$WORK/runconf.out" 2>&1
	grep "crypto ikev2 limit" "$WORK/runconf.out" | sed 's/^/    B: /'
	grep -q "^crypto ikev2 limit twinsec create-child-sa 4 per 10 seconds" "$WORK/runconf.out" || return 1
	hostile "$out" -t 6 rekeystorm || return 1
	ok=$(jget "$out" 'j["ccs_ok"]')
	tf=$(jget "$out" 'j["ccs_tempfail"]')
	read -r span bound < <(windows_ok "$out" 4)
	echo "    in 6 s: $ok rekeys accepted (at most $bound in the $span ms from the first leaving to the last answer), $tf TEMPORARY_FAILURE"
	[ "$ok" -ge 4 ] && [ "$ok" -le "$bound" ] && [ "$tf" -ge 1 ]
}
mark reload
check "ike limits create_child = 4 by a reload: shown in show running-config, 4 rekeys per 10 s accepted" limits_reload_ok

# ---- 6c. IKE SAs of one peer without INITIAL_CONTACT
sastorm_ok() {
	local out=$WORK/sastorm.json sl0 sl hl0 hl up n from
	from=$(bmark)
	sl0=$(bcnt peer_sa_limit)
	hl0=$(bcnt peer_half_open_limit)
	hostile "$out" -n 12 -t 6 sastorm || return 1
	sed 's/^/    /' "$out"
	sl=$(bcnt peer_sa_limit)
	hl=$(bcnt peer_half_open_limit)
	up=$(jget "$out" 'j["ike_sas_up"]')
	n=$(bsas 192.0.2.66 | grep -c '^ESTABLISHED')
	echo "    the peer tried 12 IKE SAs: $up up, B holds $n of it; peer_sa_limit +$((sl - sl0)), peer_half_open_limit +$((hl - hl0))"
	# refused at the limit: dropped, or a COOKIE and the oldest replaced
	blog_since "$from" "IKE_SA_INIT from 192.0.2.66 dropped: the peer holds|half-open IKE SA replaced" |
		head -n 2 | sed 's/^/    B: /' | grep -q . || return 1
	[ "$up" = 8 ] && [ "$n" = 8 ] && [ $((sl - sl0 + hl - hl0)) -ge 1 ]
}
mark sastorm
check "12 IKE SAs of one peer at once without INITIAL_CONTACT: 8 up (peer_sas), the rest refused" sastorm_ok

# ---- 7, 8. IKE_SA_INIT floods
# half_open_max: the most half-open SAs one peer of PEERS (regex) held on
# B, and their total, sampled every 0.3 s while PID runs: "max total"
half_open_watch() { # PID REGEX
	local max=0 tot=0 m t
	while alive "$1"; do
		read -r m t < <(tel_py tw-gwb /twinsec/ike '"%d %d" % (lambda c: (max(c.values(), default=0), sum(c.values())))(__import__("collections").Counter(v["peer"] for v in d.values() if isinstance(v, dict) and v.get("state") == "HALF_OPEN" and __import__("re").match(args[0], v.get("peer", ""))))' "$2")
		[ "${m:-0}" -gt "$max" ] && max=$m
		[ "${t:-0}" -gt "$tot" ] && tot=$t
		sleep 0.3
	done
	echo "$max $tot"
}
flood1_ok() {
	local out=$WORK/flood1.json pid hl0 hl ck0 ck mt
	hl0=$(bcnt peer_half_open_limit)
	ck0=$(bcnt cookies_sent)
	hostile "$out" -l 192.0.2.100 -n 1 -r 200 -t 5 initflood &
	pid=$!
	track "$pid"
	mt=$(half_open_watch "$pid" '192\.0\.2\.100$')
	wait "$pid"
	untrack "$pid"
	sed 's/^/    /' "$out"
	hl=$(bcnt peer_half_open_limit)
	ck=$(bcnt cookies_sent)
	echo "    B: half-open SAs of the source at most ${mt% *}; peer_half_open_limit +$((hl - hl0)), cookies_sent +$((ck - ck0))"
	[ "${mt% *}" -ge 1 ] && [ "${mt% *}" -le 4 ] && [ $((hl - hl0)) -ge 1 ] &&
		[ "$(jget "$out" 'j["cookies"]')" -ge 1 ]
}
mark flood1
check "IKE_SA_INIT flood from one source: at most 4 half-open SAs of it, then COOKIEs" flood1_ok

flood16_ok() {
	local out=$WORK/flood16.json pid ck0 ck mt pw
	ck0=$(bcnt cookies_sent)
	hostile "$out" -l 192.0.2.100 -n 16 -r "$FLOOD_PPS" -t 12 -c initflood &
	pid=$!
	track "$pid"
	(sleep 4; newcomer "$WORK/newcomer1.json" >"$WORK/newcomer1.out" 2>&1; echo $? >"$WORK/newcomer1.rc") &
	pw=$!
	track "$pw"
	mt=$(half_open_watch "$pid" '192\.0\.2\.1[01][0-9]$')
	wait "$pid"
	untrack "$pid"
	wait "$pw"
	untrack "$pw"
	sed 's/^/    /' "$out"
	ck=$(bcnt cookies_sent)
	echo "    B: half-open SAs: at most ${mt% *} of one source, ${mt#* } in all (threshold 8, 16 sources x 4); cookies_sent +$((ck - ck0))"
	cat "$WORK/newcomer1.out"
	[ "${mt% *}" -le 4 ] && [ "${mt#* }" -ge 8 ] && [ "${mt#* }" -le 64 ] &&
		[ $((ck - ck0)) -ge 100 ] || return 1
	[ "$(cat "$WORK/newcomer1.rc")" = 0 ] && [ "$(jget "$WORK/newcomer1.json" 'j["setup_ms"]')" -le 5000 ]
}
mark flood16
check "IKE_SA_INIT flood from 16 sources echoing cookies: threshold engaged, 4 per source, the newcomer sets up within 5 s" flood16_ok

# ---- 9. the legitimate peer all along
# lost_pings: the pings of ping.out (-D) never answered, by scenario
# (marks), and the longest run of them
lost_pings() {
	"$PYTHON" - "$WORK/ping.out" "$WORK/marks" <<'PY'
import re, sys
got, t0 = {}, None
for line in open(sys.argv[1]):
    m = re.match(r"\[([0-9.]+)\] .*icmp_seq=([0-9]+) ", line)
    if m:
        got[int(m.group(2))] = float(m.group(1))
tx = re.search(r"([0-9]+) packets transmitted", open(sys.argv[1]).read())
tx = int(tx.group(1)) if tx else max(got, default=0)
if got:
    s0 = min(got)
    t0 = got[s0] - 0.2 * (s0 - 1)
marks = [(float(a), b) for a, b in (l.split() for l in open(sys.argv[2]))]
lost = [s for s in range(1, tx + 1) if s not in got]
run = best = 0
for s in range(1, tx + 1):
    run = run + 1 if s not in got else 0
    best = max(best, run)
where = {}
for s in lost:
    t = t0 + 0.2 * (s - 1) if t0 else 0
    name = "start"
    for mt, mn in marks:
        if mt <= t:
            name = mn
    where.setdefault(name, []).append(s)
print("    lost %d of %d, longest run %d; %s" % (len(lost), tx, best,
      ", ".join("%s: %s" % (k, v) for k, v in where.items()) or "none"))
PY
}
legit_ok() {
	local spi tx rx
	spi=$(a_spi)
	kill -INT "$PING_PID" 2>/dev/null
	wait "$PING_PID"
	untrack "$PING_PID"
	grep -E 'transmitted' "$WORK/ping.out" | sed 's/^/    /'
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$WORK/ping.out")
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$WORK/ping.out")
	echo "    A's IKE SA with B: SPIi $A_SPI at the start, $spi at the end"
	lost_pings
	[ -n "$A_SPI" ] && [ "$spi" = "$A_SPI" ] && [ "${tx:-0}" -ge 100 ] &&
		[ $((tx - rx)) -le 1 ]
}
mark end
check "the A-B tunnel: the same IKE SA throughout, at most one ping lost" legit_ok
check "B logged no crash or corruption" bash -c "! grep -E 'AddressSanitizer|SIGSEGV|Segmentation|assert|panic' '$BLOG'"
check "twinsecd B exits 0 on SIGTERM" "$TOOLS/lab-gw" stop b
check "twinsecd A exits 0 on SIGTERM" "$TOOLS/lab-gw" stop a
finish
