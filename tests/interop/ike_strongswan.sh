#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IKEv2 interop with strongSwan 5.9.8 (charon with kernel-libipsec, which
# only does UDP-encapsulated ESP: NAT-T must work for any traffic).
#
#   tw-ik-h (host A 10.1.0.10) -- gw-in tw-ik-gw [twinsecd] gw-out -- tw-ik-p
#   (charon, 192.0.2.2, protecting 10.2.0.10/32 on lo); tests/lib/topo_gw.bash
#
# Scenarios (IKE_SCENARIOS to pick some; default all):
#   resp-gcm19    strongSwan initiates, AES-GCM-128, ECP-256: ping + TCP,
#                 /twinsec/ike shows the IKE SA and its Child SA (also in
#                 the two scenarios below)
#   resp-cbc14    strongSwan initiates, AES-CBC-256/SHA-256, MODP-2048
#   resp-gcm31    strongSwan initiates, AES-GCM-256, Curve25519, PFS
#   init-gcm19    twinsec initiates (initiate = "start"): ping
#   init-traffic  twinsec initiates on traffic (initiate = "traffic"): no
#                 IKE before it, then a ping from host A brings the tunnel
#                 up; the packets meanwhile are dropped and counted
#                 (no-out-sa) and raise one ACQUIRE (/twinsec/acquire)
#   init-traffic-standby  the same with a redundancy scheme (HSRP group on
#                 the outside, VIP 192.0.2.10 as the tunnel endpoint, no
#                 twin): while the group is not Active the ACQUIREs are
#                 ignored (counted as standby, no IKE); once Active, traffic
#                 brings the tunnel up from the VIP
#   rekey         Child and IKE SA rekeys from strongSwan's side under
#                 ping traffic without loss
#   rekey-ours    Child and IKE SA rekeys from our side (short lifetimes in
#                 twinsec's config, strongSwan's long) under 50 pings a
#                 second without a loss; strongSwan shows the new SPIs
#   narrow        TS narrowing both ways: strongSwan proposes 10.0.0.0/8
#                 where the crypto map protects 10.1.0.0/16 (we narrow),
#                 then we initiate 10.1.0.0/16 <-> 10.2.0.0/16 and
#                 strongSwan narrows to its 10.2.0.10/32; both sides show
#                 the narrowed selectors
#   delete-peer   strongSwan deletes: twinsec removes the SAs
#   delete-ours   clear crypto isakmp (console): strongSwan sees DELETE
#   clear-sa      the console's IKE views of an established SA, then clear
#                 crypto sa peer 192.0.2.2: strongSwan receives the Child
#                 SA DELETE, its child is gone, both keep the IKE SA; the
#                 policy is initiate = "traffic": a ping from host A then
#                 makes us open a new Child SA on the same IKE SA
#                 (CREATE_CHILD_SA without REKEY_SA): new SPIs on both
#                 sides, the same IKE SPIs, pings pass
#   clear-sa-start  the same with initiate = "start" (we set the IKE SA
#                 up): after the clear the new Child SA comes by itself
#   dpd           strongSwan killed: twinsec's DPD removes the IKE SA
#   peer-restart  twinsec initiated the IKE SA; strongSwan is killed (no
#                 DELETE) under a ping every 0.1 s and comes back with
#                 start_action = start: its IKE_AUTH carries
#                 INITIAL_CONTACT, twinsec drops the IKE SA it had
#                 initiated, traffic flows again within 3 s of strongSwan
#                 being back (before, traffic came back on the new
#                 CHILD_SA too, but the old IKE SA stayed until DPD)
#   stop-delete   twinsec stopped cleanly (SIGTERM) under a ping:
#                 strongSwan receives the DELETE of the IKE SA and holds
#                 no SA; twinsec back (initiate = "start"): traffic within
#                 3 s of its start
#   simultaneous  both ends bring the tunnel up at once: a ping from host
#                 A (twinsec initiate = "traffic"), then swanctl --initiate;
#                 nftables in strongSwan's namespace drops twinsec's
#                 IKE_SA_INIT requests for the first second, so that
#                 strongSwan's IKE SA is up when twinsec's retry arrives,
#                 and is answered: two IKE SAs. twinsec deletes its own when it
#                 is the redundant one (lib/ike/ike_dup.c; strongSwan keeps
#                 duplicates with its default unique = no); then, under a
#                 ping every 20 ms, nothing is lost from the first reply
#                 on but what strongSwan sends on a Child SA it answered
#                 for before our commit of it (counted: unknown_spi_early;
#                 1 ping in 4 runs of 24 when that commit waited for the
#                 control loop's next turn, none in 24 since it is made at
#                 once), no IKE SA is set up again (no
#                 flapping), and both ends hold the same number of IKE SAs
#   wrong-psk     AUTHENTICATION_FAILED, logged on our side
#   no-proposal   NO_PROPOSAL_CHOSEN
# Exit 0 when all pass, 77 (with the reason) when it cannot run here,
# else 1. Kills only the PIDs it started; namespaces removed on exit.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/blackhole.bash
. "$ROOT/tests/lib/blackhole.bash"
SCENARIOS=${IKE_SCENARIOS:-resp-gcm19 resp-cbc14 resp-gcm31 init-gcm19 init-traffic init-traffic-standby rekey rekey-ours narrow delete-peer delete-ours clear-sa clear-sa-start dpd peer-restart stop-delete simultaneous wrong-psk no-proposal}
P=tw-ik
NS_GW=$P-gw NS_SW=$P-p NS_H=$P-h
SW_NS=$NS_SW
# the gateway's console (gw_conf)
CONSOLE_PORT=2399 CONSOLE_PASS=admin

need_root
need_built "$TWINSECD"
need_strongswan
need_netns

work_dir ike-ss
log() { echo "ike_strongswan: $*"; }

# topo: the gateway's topology afresh; strongSwan's protected host on its lo
topo() {
	gw_up
	nsx "$NS_SW" ip addr add 10.2.0.10/32 dev lo
}
# gw_conf ENC_TS PROPOSAL_LINE PSK INITIATE PFS
gw_conf() {
	cat >"$WORK/gw.conf" <<EOF
hostname = "ike-gw";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.1.0.1/24"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.1/24"; crypto_map = "VPN"; }
);
routes = ( { prefix = "10.2.0.0/16"; gateway = "192.0.2.2"; } );
transform_sets = ( $1 );
ike = {
	proposals = ( { name = "p1"; $2 } );
	pre_shared_keys = ( { peer = "192.0.2.2"; key = "$3"; } );
	dpd = { interval = ${DPD_INTERVAL:-10}; retries = ${DPD_RETRIES:-5}; };
	retransmit = { timeout_ms = 500; tries = 3; };
	${IKE_LIFETIME:+lifetime = $IKE_LIFETIME;}
};
crypto_maps = ( { name = "VPN"; entries = ( {
	seq = 10; type = "ipsec-isakmp"; peer = "192.0.2.2"; transform_set = "t1";
	match = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.2.0.0/16"; } );
	initiate = "$4"; $5
} ); } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "discard"; };
console = { listen = "127.0.0.1:2399"; users = ( { name = "admin"; secret = "$(openssl passwd -6 admin)"; privilege = 15; } ); };
EOF
}

# gw_run: twinsecd on $WORK/gw.conf (GW_EXTRA_ARGS too), up once host A's
# pings to its inside address are answered
gw_answers() {
	nsx "$NS_H" ping -c1 -W1 -q 10.1.0.1 >/dev/null 2>&1 && return 0
	dead "$GW_PID" # no use waiting
}
gw_run() {
	# shellcheck disable=SC2086 # GW_EXTRA_ARGS: words
	gw_start "$WORK/gw.conf" --vdev crypto_aesni_mb0 -- --log-level debug ${GW_EXTRA_ARGS:-}
	wait_until 30 gw_answers && alive "$GW_PID" && return 0
	log "twinsecd did not come up"; tail -20 "$WORK/gw.log"
	return 1
}

gw_stop() { stop_pid "$GW_PID"; GW_PID=; }

# sw_conf IKE_PROPOSAL ESP_PROPOSAL PSK START_ACTION [extra child lines]
sw_conf() {
	sw_charon_conf
	cat >"$WORK/sw/swanctl.conf" <<EOF
connections {
	tw {
		version = 2
		local_addrs = 192.0.2.2
		remote_addrs = 192.0.2.1
		proposals = $1
		${SW_EXTRA_CONN:-}
		local {
			auth = psk
			id = 192.0.2.2
		}
		remote {
			auth = psk
			id = 192.0.2.1
		}
		children {
			net {
				local_ts = 10.2.0.10/32
				remote_ts = ${SW_REMOTE_TS:-10.1.0.0/16}
				esp_proposals = $2
				start_action = $4
				${SW_EXTRA_CHILD:-}
			}
		}
	}
}
secrets {
	ike-1 {
		id = 192.0.2.1
		secret = "$3"
	}
}
EOF
}

# sw_ping [COUNT]: COUNT (3) pings host A -> 10.2.0.10, one answered
sw_ping() { ping_ok "$NS_H" 10.2.0.10 1 -c "${1:-3}" -i 0.2 -W 2; }

# /twinsec/ike: an ESTABLISHED IKE SA with strongSwan carrying a Child SA,
# its detail (conn-id parameter) and the engine counters.
tel_ike_ok() {
	local id
	tel "$NS_GW" /twinsec/ike >"$WORK/tel-ike.json" || return 1
	id=$("$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))["/twinsec/ike"]
c = d["counters"]
assert c["sa_established"] >= 1 and c["child_created"] >= 1 and c["rx"] >= 2
ok = [k for k, v in d.items() if k != "counters" and v["state"] == "ESTABLISHED"
      and v["peer"] == "192.0.2.2" and v["children"] >= 1 and v["spi_r"] != "0x0000000000000000"
      and v["msgid_in"] >= 2 and v["role"] == "responder"]
print(ok[0])' "$WORK/tel-ike.json" 2>>"$WORK/tel-ike.err") || return 1
	tel "$NS_GW" "/twinsec/ike,$id" >"$WORK/tel-ike1.json" || return 1
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))["/twinsec/ike"]
assert d["conn_id"] == int(sys.argv[2]) and d["child0"]["state"] == "INSTALLED"
assert d["child0"]["spi_in"][2:] in d["child_spis"]' "$WORK/tel-ike1.json" "$id" 2>>"$WORK/tel-ike.err"
}

sw_up() { swan --list-sas 2>/dev/null | grep -q "INSTALLED"; }
# /twinsec/acquire satisfies the python expression $1 over dict a.
tel_acq() {
	tel "$NS_GW" /twinsec/acquire >"$WORK/tel-acq.json" || return 1
	"$PYTHON" -c 'import json, sys
a = json.load(open(sys.argv[1]))["/twinsec/acquire"]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$WORK/tel-acq.json" "$1"
}
gw_log_has() { grep -q "$1" "$WORK/gw.log"; }

result() { # name rc [why]
	if ! check_rc "$2" "$1${3:+: $3}"; then
		log "--- twinsecd log tail"; grep -i "ike\|error" "$WORK/gw.log" | tail -25 | sed 's/^/    /'
		log "--- charon log tail"; tail -25 "$WORK/sw/charon.log" | sed 's/^/    /'
	fi
	sw_stop; gw_stop
}

TS_GCM128='{ name = "t1"; esp = "aes-gcm-128"; }'
TS_GCM256='{ name = "t1"; esp = "aes-gcm-256"; }'
TS_CBC256='{ name = "t1"; esp = "aes-cbc-256"; integrity = "sha256-128"; }'
P_GCM19='encryption = ["aes-gcm-128"]; prf = ["sha256"]; dh = [19];'
P_CBC14='encryption = ["aes-cbc-256"]; prf = ["sha256"]; integrity = ["sha256"]; dh = [14];'
P_GCM31='encryption = ["aes-gcm-256"]; prf = ["sha384"]; dh = [31];'
PSK=interop-secret-1

tcp_ok() {
	command -v iperf3 >/dev/null || return 0
	ip netns exec "$NS_SW" iperf3 -s -1 -B 10.2.0.10 >/dev/null 2>&1 &
	local sp=$! rc
	track $sp
	sleep 0.5
	nsx $NS_H timeout 20 iperf3 -c 10.2.0.10 -t 2 -4 >"$WORK/iperf.out" 2>&1
	rc=$?
	stop_pid $sp
	return $rc
}

basic() { # name ts proposal sw_ike sw_esp [pfs-line]
	local name=$1 rc=0 why=
	gw_conf "$2" "$3" $PSK responder "${6:-}"
	sw_conf "$4" "$5" $PSK none
	gw_run || { result "$name" 1 "twinsecd start"; return; }
	sw_start
	swan --initiate --child net >"$WORK/init.out" 2>&1 || { rc=1; why="swanctl --initiate: $(tail -1 "$WORK/init.out")"; }
	[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping through the tunnel"; }; }
	[ $rc = 0 ] && { tcp_ok || { rc=1; why="TCP transfer"; }; }
	[ $rc = 0 ] && { tel_ike_ok || { rc=1; why="/twinsec/ike: $(tail -1 "$WORK/tel-ike.err" 2>/dev/null)"; }; }
	result "$name" $rc "$why"
}

for s in $SCENARIOS; do
	topo
	case $s in
	resp-gcm19)
		basic $s "$TS_GCM128" "$P_GCM19" aes128gcm16-prfsha256-ecp256 aes128gcm16 ;;
	resp-cbc14)
		basic $s "$TS_CBC256" "$P_CBC14" aes256-sha256-modp2048 aes256-sha256 ;;
	resp-gcm31)
		basic $s "$TS_GCM256" "$P_GCM31" aes256gcm16-prfsha384-x25519 aes256gcm16-x25519 "pfs = 31;" ;;
	init-gcm19)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK start ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		sw_start
		gw_run || rc=1
		[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping"; }; }
		result $s $rc "$why" ;;
	init-traffic)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK traffic ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		sw_start
		gw_run || rc=1
		# Nothing covered by the policy yet: no IKE at all.
		[ $rc = 0 ] && sleep 4
		[ $rc = 0 ] && swan --list-sas 2>/dev/null | grep -q "tw:" &&
			{ rc=1; why="an IKE SA exists before any traffic"; }
		[ $rc = 0 ] && { tel_acq 'a["raised"] == 0 and a["initiated"] == 0 and a["dropped_no_out_sa"] == 0' ||
			{ rc=1; why="ACQUIRE before traffic: $(cat "$WORK/tel-acq.json")"; }; }
		# The first ping has no SA to go out on: dropped, counted, and it
		# starts IKE; the tunnel comes up and later pings pass.
		[ $rc = 0 ] && { nsx $NS_H ping -c1 -W1 -q 10.2.0.10 >/dev/null 2>&1; :; }
		[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA after traffic"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping through the tunnel"; }; }
		[ $rc = 0 ] && { gw_log_has "traffic without an SA, initiating IKE with 192.0.2.2" ||
			{ rc=1; why="no initiation logged"; }; }
		[ $rc = 0 ] && { tel_acq 'a["dropped_no_out_sa"] >= 1 and a["raised"] >= 1 and a["initiated"] == 1 and a["received"] == a["raised"] and a["ring_full"] == 0 and a["standby"] == 0' ||
			{ rc=1; why="/twinsec/acquire: $(cat "$WORK/tel-acq.json")"; }; }
		[ $rc = 0 ] && { swan --list-sas 2>/dev/null | grep -q "tw: #1, ESTABLISHED, IKEv2, [0-9a-f]*_i [0-9a-f]*_r\*" ||
			{ rc=1; why="strongSwan is not the responder of the IKE SA: $(swan --list-sas 2>/dev/null | head -2)"; }; }
		[ $rc = 0 ] && log "init-traffic: $(cat "$WORK/tel-acq.json")"
		result $s $rc "$why" ;;
	init-traffic-standby)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK traffic ""
		# The outside group decides ACTIVE; hold 6 s: a window of
		# several seconds before it is Active (Listen, Speak, Standby).
		sed -i 's|crypto_map = "VPN"; }|crypto_map = "VPN"; standby = ( { group = 1; version = 2; ip = "192.0.2.10"; name = "HA-out"; timers = { hello_ms = 1000; hold_ms = 6000; }; } ); }|' "$WORK/gw.conf"
		echo 'redundancy = { scheme = "HA-out"; security = { insecure = true; }; };' >>"$WORK/gw.conf"
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		sed -i 's/192\.0\.2\.1$/192.0.2.10/' "$WORK/sw/swanctl.conf"
		sw_start
		mkdir -p "$WORK/state"
		GW_EXTRA_ARGS="--state-dir $WORK/state" gw_run || { rc=1; why="twinsecd start"; }
		# Not Active yet: the ACQUIRE reaches the control lcore and is
		# ignored there.
		[ $rc = 0 ] && { nsx $NS_H ping -c1 -W1 -q 10.2.0.10 >/dev/null 2>&1; :; }
		[ $rc = 0 ] && { wait_until 5 tel_acq 'a["standby"] >= 1 and a["initiated"] == 0' ||
			{ rc=1; why="no ACQUIRE ignored as standby (was it Active already?): $(cat "$WORK/tel-acq.json")"; }; }
		[ $rc = 0 ] && { gw_log_has "traffic without an SA, not initiating IKE: not the active twin" ||
			{ rc=1; why="standby not logged"; }; }
		[ $rc = 0 ] && swan --list-sas 2>/dev/null | grep -q "tw:" &&
			{ rc=1; why="IKE while standby"; }
		# Active after the hold times: traffic brings the tunnel up.
		ping_then_up() { nsx $NS_H ping -c1 -W1 -q 10.2.0.10 >/dev/null 2>&1; sw_up; }
		[ $rc = 0 ] && { wait_until 45 ping_then_up || { rc=1; why="no CHILD_SA once Active"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping through the tunnel"; }; }
		[ $rc = 0 ] && { tel_acq 'a["initiated"] == 1 and a["standby"] >= 1 and a["dropped_no_out_sa"] >= 2' ||
			{ rc=1; why="/twinsec/acquire: $(cat "$WORK/tel-acq.json")"; }; }
		[ $rc = 0 ] && { gw_log_has "initiating IKE with 192.0.2.2" || { rc=1; why="no initiation logged"; }; }
		[ $rc = 0 ] && log "init-traffic-standby: $(cat "$WORK/tel-acq.json")"
		result $s $rc "$why" ;;
	rekey)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		SW_EXTRA_CONN="rekey_time = 12s
		over_time = 20s
		rand_time = 0" SW_EXTRA_CHILD="rekey_time = 6s
				life_time = 40s
				rand_time = 0" \
			sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		[ $rc = 0 ] && swan --initiate --child net >/dev/null 2>&1
		[ $rc = 0 ] && { wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }; }
		if [ $rc = 0 ]; then
			nsx $NS_H ping -c 100 -i 0.2 -W 1 10.2.0.10 >"$WORK/ping.out" 2>&1
			lost=$(sed -n 's/.* \([0-9]*\)% packet loss.*/\1/p' "$WORK/ping.out")
			grep -q "INSTALLED (rekeyed by the peer)" "$WORK/gw.log" || { rc=1; why="no Child SA rekey seen"; }
			grep -q "IKE SA rekeyed by the peer" "$WORK/gw.log" || { rc=1; why="no IKE SA rekey seen"; }
			[ "${lost:-100}" = 0 ] || { rc=1; why="$lost% loss during rekeys"; }
		fi
		result $s $rc "$why" ;;
	rekey-ours)
		# IOS minimums: 120 s for both lifetimes; the child rekeys at
		# 102-114 s, the IKE SA (150 s) at 127-142 s.
		rc=0 why=
		IKE_LIFETIME=150 gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder \
			"lifetime = { seconds = 120; };"
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		[ $rc = 0 ] && swan --initiate --child net >/dev/null 2>&1
		[ $rc = 0 ] && { wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }; }
		swan --list-sas >"$WORK/sas-before.out" 2>&1
		if [ $rc = 0 ]; then
			# 50 a second: a gap of a few ms around a rekey
			# (the old SA gone at strongSwan while we still send
			# on it) shows.
			nsx $NS_H ping -c 8000 -i 0.02 -W 1 10.2.0.10 >"$WORK/ping.out" 2>&1
			lost=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$WORK/ping.out")
			lost=$([ -n "$lost" ] && echo $((${lost% *} - ${lost#* })))
			log "rekey-ours: $(grep 'packets transmitted' "$WORK/ping.out")"
			swan --list-sas >"$WORK/sas-after.out" 2>&1
			gw_log_has "INSTALLED (rekeyed by us)" || { rc=1; why="no Child SA rekey of ours"; }
			gw_log_has "IKE SA rekeyed by us" || { rc=1; why="no IKE SA rekey of ours"; }
			grep -q "INSTALLED" "$WORK/sas-after.out" || { rc=1; why="strongSwan holds no CHILD_SA"; }
			# New IKE SPIs and new ESP SPIs on strongSwan's side.
			b=$(grep -o "[0-9a-f]\{16\}_i[*]\? [0-9a-f]\{16\}_r" "$WORK/sas-before.out" | head -1)
			a=$(grep -o "[0-9a-f]\{16\}_i[*]\? [0-9a-f]\{16\}_r" "$WORK/sas-after.out" | head -1)
			[ -n "$a" ] && [ "$a" != "$b" ] || { rc=1; why="strongSwan shows no new IKE SA ($b -> $a)"; }
			b=$(grep -o "^ *in  [0-9a-f]\{8\}" "$WORK/sas-before.out" | head -1)
			a=$(grep -o "^ *in  [0-9a-f]\{8\}" "$WORK/sas-after.out" | head -1)
			[ -n "$a" ] && [ "$a" != "$b" ] || { rc=1; why="strongSwan shows no new CHILD_SA ($b -> $a)"; }
			[ "${lost:-x}" = 0 ] || { rc=1; why="${lost:-all} pings lost during our rekeys"; }
		fi
		result $s $rc "$why" ;;
	narrow)
		rc=0 why=
		# 1. strongSwan asks for 10.0.0.0/8; the crypto map allows
		# 10.1.0.0/16: we answer with the narrowed TSr.
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		SW_REMOTE_TS=10.0.0.0/8 sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		[ $rc = 0 ] && swan --initiate --child net >/dev/null 2>&1
		[ $rc = 0 ] && { wait_until 5 sw_ping 2 || { rc=1; why="no ping (we narrow)"; }; }
		swan --list-sas >"$WORK/sas-narrow1.out" 2>&1
		[ $rc = 0 ] && { grep -q "remote 10.1.0.0/16" "$WORK/sas-narrow1.out" || { rc=1; why="strongSwan's CHILD_SA is not narrowed to 10.1.0.0/16"; }; }
		[ $rc = 0 ] && { gw_log_has "selectors 10.1.0.0-10.1.255.255 <-> 10.2.0.10-10.2.0.10" || { rc=1; why="our Child SA selectors are not 10.1.0.0/16 <-> 10.2.0.10"; }; }
		sw_stop; gw_stop
		# 2. We initiate 10.1.0.0/16 <-> 10.2.0.0/16; strongSwan
		# protects 10.2.0.10/32 only and narrows our TSr.
		if [ $rc = 0 ]; then
			topo
			: >"$WORK/gw.log"
			gw_conf "$TS_GCM128" "$P_GCM19" $PSK start ""
			sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
			sw_start
			gw_run || rc=1
			[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA (it narrows)"; }; }
			[ $rc = 0 ] && { wait_until 5 sw_ping 2 || { rc=1; why="no ping (strongSwan narrows)"; }; }
			swan --list-sas >"$WORK/sas-narrow2.out" 2>&1
			[ $rc = 0 ] && { grep -q "local  10.2.0.10/32" "$WORK/sas-narrow2.out" || { rc=1; why="strongSwan's CHILD_SA is not 10.2.0.10/32"; }; }
			[ $rc = 0 ] && { gw_log_has "selectors 10.1.0.0-10.1.255.255 <-> 10.2.0.10-10.2.0.10" || { rc=1; why="our Child SA did not take strongSwan's narrowed TSr"; }; }
		fi
		result $s $rc "$why" ;;
	delete-peer)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		swan --initiate --child net >/dev/null 2>&1
		wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }
		swan --terminate --ike tw >/dev/null 2>&1
		wait_until 5 gw_log_has "IKE SA deleted by the peer" || { rc=1; why="no DELETE seen"; }
		sw_ping 1 && { rc=1; why="traffic still passes"; }
		result $s $rc "$why" ;;
	delete-ours)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		swan --initiate --child net >/dev/null 2>&1
		wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }
		console "$NS_GW" "clear crypto isakmp" >"$WORK/console.out" 2>&1
		wait_until 5 grep -q "received DELETE for IKE_SA" "$WORK/sw/charon.log" || { rc=1; why="strongSwan saw no DELETE"; }
		result $s $rc "$why" ;;
	clear-sa|clear-sa-start)
		rc=0 why='' mode=traffic
		[ $s = clear-sa-start ] && mode=start
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK $mode ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		if [ $mode = start ]; then
			sw_start
			gw_run || rc=1
			[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA"; }; }
		else
			gw_run || rc=1
			sw_start
			swan --initiate --child net >/dev/null 2>&1
		fi
		[ $rc = 0 ] && { wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }; }
		# strongSwan's SPIs of the child: its in is our out, its out our
		# in (the SPI our DELETE names, RFC 7296 3.11).
		swan --list-sas >"$WORK/sas-before.out" 2>&1
		sw_spi=$(sed -n 's/^ *in  \([0-9a-f]\{8\}\).*/\1/p' "$WORK/sas-before.out" | head -1)
		sw_out=$(sed -n 's/^ *out \([0-9a-f]\{8\}\).*/\1/p' "$WORK/sas-before.out" | head -1)
		[ $rc = 0 ] && { [ -z "$sw_spi" ] || [ -z "$sw_out" ]; } && { rc=1; why="no CHILD_SA SPIs in swanctl --list-sas"; }
		# The console prints SPIs as IOS does, in hex without leading
		# zeros (0xF502AD6); swanctl pads them to eight digits.
		if [ $rc = 0 ]; then
			console "$NS_GW" "show crypto ikev2 sa detailed" "show crypto isakmp sa detail" \
				"show crypto session detail" >"$WORK/show-up.out" 2>&1
			for want in "192.0.2.2/[0-9]* *none/none *READY" "Encr: AES-GCM, keysize: 128, PRF: SHA256, Hash: None, DH Grp:19, Auth sign: PSK" \
				"Remote id: 192.0.2.2" "Child SAs: 1, crypto map VPN 10" "ESP spi in/out: 0x$(printf %X "0x$sw_out")/0x$(printf %X "0x$sw_spi")" "Encr: AES-GCM, keysize: 128, esp_hmac: None" \
				"ACTIVE aes  sha256 psk  19" "Session status: UP-ACTIVE" \
				"IKEv2 SA: local 192.0.2.1/[0-9]* remote 192.0.2.2/[0-9]* Active" \
				"Active SAs: 2, origin: crypto map VPN 10$"; do
				grep -q -- "$want" "$WORK/show-up.out" || { rc=1; why="console views: no '$want'"; break; }
			done
		fi
		if [ $rc = 0 ]; then
			console "$NS_GW" "clear crypto sa peer 192.0.2.2" >"$WORK/console.out" 2>&1 ||
				{ rc=1; why="clear crypto sa peer: $(tail -1 "$WORK/console.out")"; }
		fi
		[ $rc = 0 ] && { wait_until 5 grep -q "received DELETE for ESP CHILD_SA with SPI $sw_out" "$WORK/sw/charon.log" ||
			{ rc=1; why="strongSwan saw no Child SA DELETE for $sw_out"; }; }
		[ $rc = 0 ] && { wait_until 5 gw_log_has "Child SA in $sw_out out $sw_spi removed" ||
			{ rc=1; why="our Child SA was not removed"; }; }
		if [ $rc = 0 ]; then
			swan --list-sas >"$WORK/sas-after.out" 2>&1
			grep -q "ESTABLISHED" "$WORK/sas-after.out" || { rc=1; why="strongSwan lost the IKE SA"; }
			grep -q "in  $sw_spi" "$WORK/sas-after.out" && { rc=1; why="strongSwan still has the child $sw_spi"; }
			gw_log_has "IKE SA [0-9]* with 192.0.2.2 down" && { rc=1; why="our IKE SA went down"; }
			gw_log_has "clear crypto sa peer 192.0.2.2 by admin.*DELETE sent for 1 IKE Child SA;" ||
				{ rc=1; why="no clear crypto sa log line"; }
		fi
		# initiate = "traffic": nothing until a packet; "start" renews
		# at once (the IKE SA is up without a child).
		if [ $rc = 0 ] && [ $mode = traffic ]; then
			console "$NS_GW" "show crypto session" "show crypto ikev2 sa detailed" >"$WORK/show-after.out" 2>&1
			grep -q "Session status: UP-IDLE" "$WORK/show-after.out" &&
				grep -q "Child SAs: 0" "$WORK/show-after.out" ||
				{ rc=1; why="console: not UP-IDLE with no Child SA after the clear"; }
			[ $rc = 0 ] && { nsx $NS_H ping -c1 -W1 -q 10.2.0.10 >/dev/null 2>&1; :; }
		fi
		t0=$(date +%s.%N)
		[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="no new CHILD_SA on strongSwan after the clear"; }; }
		t1=$(date +%s.%N)
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping through the new Child SA"; }; }
		if [ $rc = 0 ]; then
			swan --list-sas >"$WORK/sas-new.out" 2>&1
			new_in=$(sed -n 's/^ *in  \([0-9a-f]\{8\}\).*/\1/p' "$WORK/sas-new.out" | head -1)
			new_out=$(sed -n 's/^ *out \([0-9a-f]\{8\}\).*/\1/p' "$WORK/sas-new.out" | head -1)
			ike_before=$(grep -o "tw: #[0-9]*, ESTABLISHED, IKEv2, [0-9a-f]*_i\*\? [0-9a-f]*_r\*\?" "$WORK/sas-before.out")
			ike_after=$(grep -o "tw: #[0-9]*, ESTABLISHED, IKEv2, [0-9a-f]*_i\*\? [0-9a-f]*_r\*\?" "$WORK/sas-new.out")
			[ -n "$new_in" ] && [ "$new_in" != "$sw_spi" ] && [ "$new_out" != "$sw_out" ] ||
				{ rc=1; why="strongSwan's Child SA SPIs did not change: $sw_spi/$sw_out -> $new_in/$new_out"; }
			[ "$(grep -c "^ *in  " "$WORK/sas-new.out")" = 1 ] || { rc=1; why="strongSwan holds more than one CHILD_SA"; }
			[ -n "$ike_before" ] && [ "$ike_before" = "$ike_after" ] ||
				{ rc=1; why="the IKE SA changed: '$ike_before' -> '$ike_after'"; }
			gw_log_has "Child SA $new_out/$new_in created by us\|in $new_out out $new_in" ||
				gw_log_has "$new_out" || { rc=1; why="our side does not show the new Child SA in $new_out"; }
			grep -q "CREATE_CHILD_SA" "$WORK/sw/charon.log" || { rc=1; why="strongSwan logged no CREATE_CHILD_SA"; }
			if [ $mode = traffic ]; then
				gw_log_has "traffic without an SA, initiating a Child SA on IKE SA [0-9]* with 192.0.2.2" ||
					{ rc=1; why="no 'initiating a Child SA' log line"; }
				tel_acq 'a["initiated"] == 1' || { rc=1; why="/twinsec/acquire: $(cat "$WORK/tel-acq.json")"; }
			else
				gw_log_has "IKE SA [0-9]* has no Child SA left, a new one in 0 ms" ||
					{ rc=1; why="no renewal log line"; }
			fi
			gw_log_has "IKE SA [0-9]* with 192.0.2.2 down" && { rc=1; why="our IKE SA went down"; }
			log "$s: IKE SA kept ($ike_after), Child SA $sw_spi/$sw_out -> $new_in/$new_out, new child $(echo "$t1 - $t0" | bc 2>/dev/null || echo ?) s after the clear/ping"
		fi
		result $s $rc "$why" ;;
	dpd)
		rc=0 why=
		DPD_INTERVAL=2 DPD_RETRIES=2 gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		swan --initiate --child net >/dev/null 2>&1
		wait_until 5 sw_ping 2 || { rc=1; why="no ping"; }
		stop_pid "$SW_PID" KILL; SW_PID=
		wait_until 20 gw_log_has "peer dead" || { rc=1; why="DPD did not declare the peer dead"; }
		wait_until 5 gw_log_has "Child SA in .* removed" || { rc=1; why="Child SA not removed"; }
		result $s $rc "$why" ;;
	peer-restart)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK start ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		sw_start
		gw_run || rc=1
		[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping"; }; }
		bh_ping_start "$NS_H" 10.2.0.10
		sleep 1
		stop_pid "$SW_PID" KILL; SW_PID=
		sleep 1
		# Back as a gateway that brings its tunnel up by itself.
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK start
		sw_start
		t=$(bh_now)
		[ $rc = 0 ] && { bh_measure "strongSwan killed and restarted" "$t" 3000 || { rc=1; why="traffic not back within 3 s"; }; }
		bh_ping_stop
		[ $rc = 0 ] && { gw_log_has "INITIAL_CONTACT on IKE SA" || { rc=1; why="the old IKE SA not dropped on INITIAL_CONTACT"; }; }
		result $s $rc "$why" ;;
	stop-delete)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK start ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		sw_start
		gw_run || rc=1
		[ $rc = 0 ] && { wait_until 15 sw_up || { rc=1; why="strongSwan has no CHILD_SA"; }; }
		[ $rc = 0 ] && { wait_until 5 sw_ping 3 || { rc=1; why="no ping"; }; }
		bh_ping_start "$NS_H" 10.2.0.10
		sleep 1
		gw_stop || { rc=1; why="twinsecd did not exit 0 on SIGTERM"; }
		[ $rc = 0 ] && { gw_log_has "the peers answered the DELETE of 1 IKE SA" || { rc=1; why="no DELETE answered on stop"; }; }
		[ $rc = 0 ] && { wait_until 3 grep -q "received DELETE for IKE_SA" "$WORK/sw/charon.log" || { rc=1; why="strongSwan saw no DELETE"; }; }
		[ $rc = 0 ] && { ! swan --list-sas 2>/dev/null | grep -q "ESTABLISHED" || { rc=1; why="strongSwan still holds the IKE SA"; }; }
		[ $rc = 0 ] && { gw_run || { rc=1; why="twinsecd restart"; }; }
		t=$(bh_now)
		[ $rc = 0 ] && { bh_measure "twinsec stopped and started again" "$t" 3000 || { rc=1; why="traffic not back within 3 s"; }; }
		bh_ping_stop
		result $s $rc "$why" ;;
	simultaneous)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK traffic ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		nsx "$NS_SW" nft -f - <<-'EOF' || { rc=1; why="nft"; }
		table inet twsim {
			chain in {
				type filter hook input priority 0;
				ip saddr 192.0.2.1 udp dport 500 @th,208,8 34 @th,216,8 & 0x20 == 0 counter drop
			}
		}
		EOF
		ip netns exec "$NS_H" ping -D -i 0.02 -W 1 10.2.0.10 >"$WORK/sim-ping.out" 2>&1 &
		sim_ping=$!
		track $sim_ping
		sleep 0.2
		swan --initiate --child net >"$WORK/init.out" 2>&1 &
		track $!
		sleep 1
		nsx "$NS_SW" nft list table inet twsim 2>/dev/null | grep -o 'packets [0-9]*' | sed 's/^/    twinsec IKE_SA_INIT dropped: /'
		nsx "$NS_SW" nft delete table inet twsim
		tw_sas() { tel_py "$NS_GW" /twinsec/ike 'd["counters"][args[0]]' "$1"; }
		two_seen() { [ "$(tw_sas sa_established)" -ge 2 ]; }
		[ $rc = 0 ] && { wait_until 20 two_seen || { rc=1; why="no second IKE SA: not a simultaneous set-up"; }; }
		sleep 10
		stop_pid $sim_ping INT
		est=$(tw_sas sa_established) dup=$(tw_sas dup_sas) del=$(tw_sas dup_deleted)
		n_tw=$(tel_py "$NS_GW" /twinsec/ike 'len([k for k, v in d.items() if k != "counters" and v["state"] == "ESTABLISHED"])')
		n_sw=$(swan --list-sas 2>/dev/null | grep -c "ESTABLISHED, IKEv2")
		log "IKE SAs set up by twinsec's count: $est; duplicates seen: $dup, of ours deleted: $del; ESTABLISHED now: twinsec $n_tw, strongSwan $n_sw"
		awk '/bytes from/ { for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) {
			sub(/icmp_seq=/, "", $i); q = $i + 0
			if (!(q in seen)) { seen[q] = 1; n++ }
			if (first == "" || q < first) first = q
			if (q > last) last = q } }
			END { printf "%d %d\n", n, (n ? last - first + 1 - n : -1) }' \
			"$WORK/sim-ping.out" >"$WORK/sim-loss"
		read -r got lost <"$WORK/sim-loss"
		nosa=$(tel_py "$NS_GW" /twinsec/drops 'd.get("no_sa", 0)')
		early=$(tw_sas unknown_spi_early)
		log "ping every 20 ms: $got replies, $lost lost after the first; twinsec's no-sa drops: $nosa, of them ESP that came before its SA was in the fast path: $early"
		# strongSwan sends on the Child SA it answered for at once:
		# before our commit of it, that ESP is lost (counted as
		# early; rare since the commit is made at once, the only loss
		# allowed). None to the duplicate's deletion.
		[ $rc = 0 ] && { [ "$got" -gt 200 ] && [ "$lost" -le "$early" ] ||
			{ rc=1; why="$lost pings lost after the first reply ($got replies), $early of them ESP before its SA"; }; }
		[ $rc = 0 ] && { [ "$est" = 2 ] || { rc=1; why="$est IKE SAs set up: flapping"; }; }
		[ $rc = 0 ] && { [ "$dup" = 1 ] || { rc=1; why="the duplicate was not seen ($dup)"; }; }
		[ $rc = 0 ] && { [ "$n_tw" = "$n_sw" ] && [ "$n_tw" = $((2 - del)) ] ||
			{ rc=1; why="IKE SAs: twinsec $n_tw, strongSwan $n_sw, ours deleted $del"; }; }
		result $s $rc "$why" ;;
	wrong-psk)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		sw_conf aes128gcm16-prfsha256-ecp256 aes128gcm16 not-the-key none
		gw_run || rc=1
		sw_start
		swan --initiate --child net >"$WORK/init.out" 2>&1 && { rc=1; why="came up"; }
		grep -q "AUTHENTICATION_FAILED" "$WORK/sw/charon.log" || { rc=1; why="strongSwan did not get AUTHENTICATION_FAILED"; }
		gw_log_has "AUTHENTICATION_FAILED: AUTH of '192.0.2.2'.*pre-shared key mismatch" || { rc=1; why="no clear log on our side"; }
		result $s $rc "$why" ;;
	no-proposal)
		rc=0 why=
		gw_conf "$TS_GCM128" "$P_GCM19" $PSK responder ""
		sw_conf aes256-sha512-modp4096 aes128gcm16 $PSK none
		gw_run || rc=1
		sw_start
		swan --initiate --child net >"$WORK/init.out" 2>&1 && { rc=1; why="came up"; }
		grep -q "NO_PROPOSAL_CHOSEN" "$WORK/sw/charon.log" || { rc=1; why="strongSwan did not get NO_PROPOSAL_CHOSEN"; }
		gw_log_has "no acceptable IKE proposal" || { rc=1; why="no log on our side"; }
		result $s $rc "$why" ;;
	*)
		check_rc 1 "unknown scenario $s" ;;
	esac
done
check_summary ike_strongswan
