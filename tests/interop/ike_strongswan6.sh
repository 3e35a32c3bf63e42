#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IKEv2 over IPv6 with strongSwan 5.9.8 (issue 18): the IKE SA over IPv6
# transport, a Child SA with IPv6 selectors and one with IPv4 selectors
# on it. strongSwan's kernel-libipsec does UDP-encapsulated ESP only,
# which is IPv4's (RFC 3948): it cannot carry ESP over IPv6, so no traffic
# goes through these tunnels here (that is a twinsec-to-twinsec test once
# the fast path routes IPv6). kernel-libipsec asks for encapsulation by
# faking its NAT_DETECTION_SOURCE_IP: twinsec detects "a NAT" over IPv6,
# follows it to port 4500 and keeps its Child SAs in plain ESP.
#
#   tw-ik6-gw [twinsecd] gw-out 2001:db8:ff::1 -- eth0 2001:db8:ff::2 tw-ik6-p
#   (charon: 2001:db8:2::/64 and 10.2.0.10/32 behind it); tests/lib/topo_gw.bash
#
# Scenarios (IKE6_SCENARIOS to pick some; default all):
#   up        strongSwan initiates: IKE SA and both CHILD_SAs in
#             swanctl --list-sas, with the SPIs twinsecd shows in
#             show crypto ikev2 sa detailed / show crypto ipsec sa, its
#             show crypto isakmp sa printing the IPv6 peer as IOS does;
#             twinsecd's DPD answered; a CHILD_SA and an IKE SA rekey
#             from strongSwan's side (new SPIs on both sides)
#   inner6    IKE over IPv4 (so strongSwan's ESP, UDP-encapsulated, can
#             carry traffic), the same entry's two Child SAs: IPv6 inside
#             and IPv4 inside, each bound to the entry's rules of its
#             family (one SPD binding per inner family). ping6 and ping
#             from the host behind twinsecd to strongSwan's protected
#             addresses, each on its Child SA (its counters in show
#             crypto ipsec sa); then strongSwan rekeys the IPv6 one
#             under 50 pings a second, none lost, and both still carry
#   inner6-init  the same entry, but we initiate, to strongSwan's one
#             CHILD_SA config holding both families: the IPv4 Child SA
#             in IKE_AUTH, the IPv6 one by CREATE_CHILD_SA, both carry
#   wrong-psk AUTHENTICATION_FAILED, logged on our side
# Exit 0 when all pass, 77 (with the reason) when it cannot run here,
# else 1. Kills only the PIDs it started; namespaces removed on exit.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
SCENARIOS=${IKE6_SCENARIOS:-up inner6 inner6-init wrong-psk}
P=tw-ik6
NS_GW=$P-gw NS_SW=$P-p
SW_NS=$NS_SW
CONSOLE_PORT=2398 CONSOLE_PASS=admin
PSK=interop6-secret

need_root
need_built "$TWINSECD"
need_strongswan
need_netns

work_dir ike-ss6
log() { echo "ike_strongswan6: $*"; }

# topo: the gateway's topology, IPv6 on strongSwan's side
topo() {
	gw_up
	nsx "$NS_SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0
	nsx "$NS_SW" ip -6 addr add 2001:db8:ff::2/64 dev eth0 nodad
	nsx "$NS_SW" ip -6 addr add 2001:db8:2::10/128 dev lo
	nsx "$NS_SW" ip addr add 10.2.0.10/32 dev lo
	# the host behind twinsecd, for inner6
	nsx "$P-h" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.default.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0
	nsx "$P-h" ip -6 addr add 2001:db8:1::10/64 dev eth0 nodad
	nsx "$P-h" ip -6 route add default via 2001:db8:1::1
}

# gw_conf [PEER]: strongSwan at PEER (default its IPv6 address)
gw_conf() {
	local peer=${1:-2001:db8:ff::2}
	cat >"$WORK/gw.conf" <<EOF
hostname = "ike6-gw";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.1.0.1/24"; ipv6_address = "2001:db8:1::1/64"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.1/24"; ipv6_address = "2001:db8:ff::1/64"; crypto_map = "VPN"; }
);
transform_sets = ( { name = "t1"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "p1"; encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = ( { peer = "$peer"; key = "$PSK"; } );
	dpd = { interval = 2; retries = 3; };
	retransmit = { timeout_ms = 500; tries = 3; };
};
crypto_maps = ( { name = "VPN"; entries = ( {
	seq = 10; type = "ipsec-isakmp"; peer = "$peer"; transform_set = "t1";
	match = ( { action = "protect"; src = "2001:db8:1::/64"; dst = "2001:db8:2::/64"; },
		  { action = "protect"; src = "10.1.0.0/16"; dst = "10.2.0.0/16"; } );
	initiate = "${GW_INITIATE:-responder}";
} ); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; };
console = { listen = "127.0.0.1:$CONSOLE_PORT"; users = ( { name = "admin"; secret = "$(openssl passwd -6 admin)"; privilege = 15; } ); };
EOF
}

gw_run() {
	gw_start "$WORK/gw.conf" --vdev crypto_aesni_mb0 -- --log-level debug
	wait_until 30 gw_ready && alive "$GW_PID" && return 0
	log "twinsecd did not come up"; tail -20 "$WORK/gw.log"
	return 1
}
gw_ready() { grep -q "crypto map VPN seq 10: peer ${GW_PEER:-2001:db8:ff::2} from ${GW_LOCAL:-2001:db8:ff::1}" "$WORK/gw.log"; }
gw_stop() { stop_pid "$GW_PID"; GW_PID=; }

# sw_conf PSK [LOCAL REMOTE]: the IKE SA's addresses (default IPv6)
sw_conf() {
	local l=${2:-2001:db8:ff::2} r=${3:-2001:db8:ff::1}
	sw_charon_conf
	cat >"$WORK/sw/swanctl.conf" <<EOF
connections {
	tw {
		version = 2
		local_addrs = $l
		remote_addrs = $r
		proposals = aes128gcm16-prfsha256-ecp256
		local {
			auth = psk
			id = $l
		}
		remote {
			auth = psk
			id = $r
		}
		children {
$(if [ -n "${SW_DUAL:-}" ]; then cat <<EOC
			net {
				local_ts = 10.2.0.10/32,2001:db8:2::/64
				remote_ts = 10.1.0.0/16,2001:db8:1::/64
				esp_proposals = aes128gcm16
			}
EOC
else cat <<EOC
			net6 {
				local_ts = 2001:db8:2::/64
				remote_ts = 2001:db8:1::/64
				esp_proposals = aes128gcm16
			}
			net4 {
				local_ts = 10.2.0.10/32
				remote_ts = 10.1.0.0/16
				esp_proposals = aes128gcm16
			}
EOC
fi)
		}
	}
}
secrets {
	ike-1 {
		id = $r
		secret = "$1"
	}
}
EOF
}

gw_log_has() { grep -q "$1" "$WORK/gw.log"; }

result() { # name rc [why]
	if ! check_rc "$2" "$1${3:+: $3}"; then
		log "--- twinsecd log tail"; grep -i "ike\|error" "$WORK/gw.log" | tail -25 | sed 's/^/    /'
		log "--- charon log tail"; tail -25 "$WORK/sw/charon.log" | sed 's/^/    /'
		[ -s "$WORK/show.out" ] && { log "--- console"; sed 's/^/    /' "$WORK/show.out"; }
	fi
	sw_stop; gw_stop
}

# /twinsec/ike counters satisfy the python expression $1 over dict c
tel_cnt() {
	tel "$NS_GW" /twinsec/ike >"$WORK/tel-ike.json" || return 1
	"$PYTHON" -c 'import json, sys
c = json.load(open(sys.argv[1]))["/twinsec/ike"]["counters"]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$WORK/tel-ike.json" "$1"
}

# The SPIs strongSwan lists: IKE "spi_i spi_r", then each CHILD_SA's
# "in out" (hex, lower case, no leading zeros).
sw_spis() {
	swan --list-sas >"$WORK/sas.out" 2>&1 || return 1
	"$PYTHON" - "$WORK/sas.out" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"tw: #\d+, ESTABLISHED, IKEv2, ([0-9a-f]+)_i\*? ([0-9a-f]+)_r", t)
if not m:
    sys.exit(1)
print("%x %x" % (int(m.group(1), 16), int(m.group(2), 16)))
for c in re.finditer(r"net[46]: #\d+, reqid \d+, INSTALLED, TUNNEL[^\n]*\n"
                     r"(?:[^\n]*\n)*?\s+in\s+([0-9a-f]+)[^\n]*\n\s+out\s+([0-9a-f]+)", t):
    print("%x %x" % (int(c.group(1), 16), int(c.group(2), 16)))
EOF
}

sw_two_children() { [ "$(sw_spis 2>/dev/null | wc -l)" = 3 ]; }
# sw_n_children N: strongSwan lists N installed CHILD_SAs ($WORK/sas.out)
sw_n_children() {
	swan --list-sas >"$WORK/sas.out" 2>&1 &&
		[ "$(grep -c "reqid [0-9]*, INSTALLED" "$WORK/sas.out")" = "$1" ]
}

# Every SPI strongSwan lists in twinsecd's console (IOS prints them in
# upper-case hex, the IKE SPIs with 16 digits).
spis_match() {
	local ike ci co
	console "$NS_GW" "show crypto ikev2 sa detailed" "show crypto ipsec sa" \
		"show crypto isakmp sa" >"$WORK/show.out" 2>&1 || return 1
	sw_spis >"$WORK/spis.out" || return 1
	read -r a b < <(head -1 "$WORK/spis.out")
	ike=$(printf 'Local spi: %016X       Remote spi: %016X' "0x$b" "0x$a")
	grep -qF "$ike" "$WORK/show.out" || { echo "no '$ike'"; return 1; }
	while read -r ci co; do
		# strongSwan's inbound SA is our outbound one and v.v.
		grep -qF "spi: 0x$(printf %X "0x$ci")(" "$WORK/show.out" ||
			{ echo "no outbound $ci"; return 1; }
		grep -qF "spi: 0x$(printf %X "0x$co")(" "$WORK/show.out" ||
			{ echo "no inbound $co"; return 1; }
	done < <(tail -n +2 "$WORK/spis.out")
}

for s in $SCENARIOS; do
	topo
	case $s in
	up)
		rc=0 why=
		gw_conf
		sw_conf "$PSK"
		gw_run || { result $s 1 "twinsecd start"; continue; }
		sw_start
		swan --initiate --child net6 >"$WORK/init6.out" 2>&1 ||
			{ rc=1; why="swanctl --initiate net6: $(tail -1 "$WORK/init6.out")"; }
		[ $rc = 0 ] && { swan --initiate --child net4 >"$WORK/init4.out" 2>&1 ||
			{ rc=1; why="swanctl --initiate net4: $(tail -1 "$WORK/init4.out")"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_two_children ||
			{ rc=1; why="strongSwan lacks a CHILD_SA: $(cat "$WORK/sas.out")"; }; }
		[ $rc = 0 ] && { out=$(spis_match) || { rc=1; why="SPIs: $out"; }; }
		# IOS prints an IKE SA over IPv6 as a block (we are the responder:
		# dst is ours); both Child SAs in the SA database with IPv6 peers.
		# Plain ESP over IPv6 (no port), the IPv4 and IPv6 flows apart.
		for want in "IPv6 Crypto ISAKMP SA" " dst: 2001:DB8:FF::1" " src: 2001:DB8:FF::2" \
			" IPv6 Crypto IKEv2  SA" "2001:DB8:FF::1/4500   2001:DB8:FF::2/4500" \
			"NAT-T is detected outside" "current_peer 2001:DB8:FF::2" \
			"local  ident (addr/prefixlen/proto/port): (2001:DB8:1::/64/0/0)" \
			"remote ident (addr/prefixlen/proto/port): (2001:DB8:2::/64/0/0)" \
			"remote ident (addr/mask/prot/port): (10.2.0.10/255.255.255.255/0/0)" \
			"remote selector 10.2.0.10/0 - 10.2.0.10/65535"; do
			[ $rc = 0 ] && { grep -qF -- "$want" "$WORK/show.out" ||
				{ rc=1; why="console lacks '$want'"; }; }
		done
		# Our DPD every 2 s idle: answered, the IKE SA stays.
		[ $rc = 0 ] && sleep 5
		[ $rc = 0 ] && { tel_cnt 'c["dpd_sent"] >= 1 and c["dpd_dead"] == 0 and c["sa_established"] == 1' ||
			{ rc=1; why="DPD: $(cat "$WORK/tel-ike.json")"; }; }
		# Rekeys from strongSwan's side: new SPIs, both sides agree.
		[ $rc = 0 ] && { cp "$WORK/spis.out" "$WORK/spis.before"
			swan --rekey --child net6 >"$WORK/rekey.out" 2>&1 &&
			swan --rekey --ike tw >>"$WORK/rekey.out" 2>&1 ||
			{ rc=1; why="swanctl --rekey: $(tail -1 "$WORK/rekey.out")"; }; }
		[ $rc = 0 ] && { wait_until 5 tel_cnt 'c["child_rekeyed"] >= 1 and c["sa_rekeyed"] >= 1' ||
			{ rc=1; why="no rekey on our side: $(cat "$WORK/tel-ike.json")"; }; }
		[ $rc = 0 ] && sleep 1
		[ $rc = 0 ] && { wait_until 5 sw_two_children ||
			{ rc=1; why="after the rekeys: $(cat "$WORK/sas.out")"; }; }
		[ $rc = 0 ] && { out=$(spis_match) || { rc=1; why="SPIs after the rekeys: $out"; }; }
		[ $rc = 0 ] && { [ "$(head -1 "$WORK/spis.out")" != "$(head -1 "$WORK/spis.before")" ] ||
			{ rc=1; why="IKE SPIs unchanged by the rekey"; }; }
		result $s $rc "$why" ;;
	inner6)
		rc=0 why=
		GW_PEER=192.0.2.2 GW_LOCAL=192.0.2.1
		gw_conf 192.0.2.2
		sw_conf "$PSK" 192.0.2.2 192.0.2.1
		gw_run || rc=1
		sw_start
		[ $rc = 0 ] && { swan --initiate --child net6 >"$WORK/init6.out" 2>&1 ||
			{ rc=1; why="swanctl --initiate net6: $(tail -1 "$WORK/init6.out")"; }; }
		[ $rc = 0 ] && { swan --initiate --child net4 >"$WORK/init4.out" 2>&1 ||
			{ rc=1; why="swanctl --initiate net4: $(tail -1 "$WORK/init4.out")"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_two_children ||
			{ rc=1; why="strongSwan lacks a CHILD_SA: $(cat "$WORK/sas.out")"; }; }
		# Both families through their own Child SA of one entry.
		[ $rc = 0 ] && { wait_until 10 nsx "$P-h" ping -6 -c 1 -W 1 2001:db8:2::10 >/dev/null 2>&1 ||
			{ rc=1; why="no ping6 through the IPv6-inner Child SA"; }; }
		[ $rc = 0 ] && { nsx "$P-h" ping -c 3 -i 0.2 -W 1 10.2.0.10 >"$WORK/ping4.out" 2>&1 ||
			{ rc=1; why="no ping through the IPv4-inner Child SA beside it: $(tail -2 "$WORK/ping4.out")"; }; }
		[ $rc = 0 ] && { nsx "$P-h" ping -6 -c 3 -i 0.2 -W 1 2001:db8:2::10 >"$WORK/ping6.out" 2>&1 ||
			{ rc=1; why="ping6 after ping: $(tail -2 "$WORK/ping6.out")"; }; }
		[ $rc = 0 ] && { console "$NS_GW" "show crypto ipsec sa" >"$WORK/show.out" 2>&1
			"$PYTHON" - "$WORK/show.out" >"$WORK/pkts.out" <<'EOF' || { rc=1; why="counters per Child SA: $(cat "$WORK/pkts.out")"; }
import re, sys
t = open(sys.argv[1]).read()
ok = True
# Each flow's block: its local ident, then its #pkts encaps.
for ident in ("(addr/prefixlen/proto/port): (2001:DB8:1::/64/0/0)",
              "(addr/mask/prot/port): (10.1.0.0/255.255.0.0/0/0)"):
    i = t.find("local  ident " + ident)
    m = re.search(r"#pkts encaps: (\d+)", t[i:]) if i >= 0 else None
    print(ident, m.group(1) if m else "none")
    ok = ok and m is not None and int(m.group(1)) >= 3
sys.exit(0 if ok else 1)
EOF
		}
		# strongSwan rekeys the IPv6 one under 50 pings a second.
		if [ $rc = 0 ]; then
			nsx "$P-h" ping -6 -c 250 -i 0.02 -W 1 2001:db8:2::10 >"$WORK/ping-rekey.out" 2>&1 &
			ping_pid=$!
			track "$ping_pid"
			sleep 2
			swan --rekey --child net6 >"$WORK/rekey.out" 2>&1 ||
				{ rc=1; why="swanctl --rekey: $(tail -1 "$WORK/rekey.out")"; }
			wait "$ping_pid"
			lost=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$WORK/ping-rekey.out")
			log "inner6 rekey: $(grep 'packets transmitted' "$WORK/ping-rekey.out")"
			[ -n "$lost" ] && [ "${lost% *}" = "${lost#* }" ] ||
				{ rc=1; why="pings lost during strongSwan's rekey: ${lost:-none}"; }
		fi
		[ $rc = 0 ] && { wait_until 5 tel_cnt 'c["child_rekeyed"] >= 1' ||
			{ rc=1; why="no rekey on our side: $(cat "$WORK/tel-ike.json")"; }; }
		[ $rc = 0 ] && { nsx "$P-h" ping -6 -c 2 -i 0.2 -W 1 2001:db8:2::10 >/dev/null 2>&1 &&
			nsx "$P-h" ping -c 2 -i 0.2 -W 1 10.2.0.10 >/dev/null 2>&1 ||
			{ rc=1; why="after the rekey: ping6 or ping fails"; }; }
		unset GW_PEER GW_LOCAL
		result $s $rc "$why" ;;
	inner6-init)
		# We initiate (initiate = "start") an entry with IPv4 and IPv6
		# rules to strongSwan, whose one CHILD_SA config holds both
		# families: IKE_AUTH brings the IPv4 Child SA, a
		# CREATE_CHILD_SA the IPv6 one (a fast-path SA carries one
		# inner family); both carry.
		rc=0 why=
		GW_PEER=192.0.2.2 GW_LOCAL=192.0.2.1 GW_INITIATE=start
		gw_conf 192.0.2.2
		SW_DUAL=1 sw_conf "$PSK" 192.0.2.2 192.0.2.1
		sw_start
		gw_run || rc=1
		[ $rc = 0 ] && { wait_until 15 sw_n_children 2 ||
			{ rc=1; why="strongSwan holds not two CHILD_SAs: $(cat "$WORK/sas.out")"; }; }
		[ $rc = 0 ] && { grep -q "local  10.2.0.10/32" "$WORK/sas.out" &&
			grep -q "local  2001:db8:2::/64" "$WORK/sas.out" ||
			{ rc=1; why="not one CHILD_SA per family: $(cat "$WORK/sas.out")"; }; }
		[ $rc = 0 ] && { wait_until 10 nsx "$P-h" ping -6 -c 1 -W 1 2001:db8:2::10 >/dev/null 2>&1 ||
			{ rc=1; why="no ping6 through the IPv6 Child SA we opened"; }; }
		[ $rc = 0 ] && { nsx "$P-h" ping -c 3 -i 0.2 -W 1 10.2.0.10 >"$WORK/ping4.out" 2>&1 ||
			{ rc=1; why="no ping through the IPv4 one: $(tail -2 "$WORK/ping4.out")"; }; }
		[ $rc = 0 ] && { gw_log_has "creating a new Child SA (in [0-9a-f]*, IPv6)" ||
			{ rc=1; why="no CREATE_CHILD_SA for the IPv6 rules in our log"; }; }
		unset GW_PEER GW_LOCAL GW_INITIATE
		result $s $rc "$why" ;;
	wrong-psk)
		rc=0 why=
		gw_conf
		sw_conf not-the-key
		gw_run || rc=1
		sw_start
		swan --initiate --child net6 >"$WORK/init.out" 2>&1 && { rc=1; why="came up"; }
		grep -q "AUTHENTICATION_FAILED" "$WORK/sw/charon.log" ||
			{ rc=1; why="strongSwan did not get AUTHENTICATION_FAILED"; }
		gw_log_has "AUTHENTICATION_FAILED: AUTH of '2001:db8:ff::2'.*pre-shared key mismatch" ||
			{ rc=1; why="no clear log on our side"; }
		result $s $rc "$why" ;;
	*)
		check_rc 1 "unknown scenario $s" ;;
	esac
done
check_summary ike_strongswan6
