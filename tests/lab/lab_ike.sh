#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# twinsec against twinsec over IKEv2: the lab of lab_e2e.sh (tools/lab,
# tools/lab-gw) with config/lab-{a,b}.conf, whose crypto map entries are
# ipsec-isakmp (AES-GCM-128 ESP, IKE AES-GCM-128/SHA-256/ECP-256, PSK, PFS
# 19; A initiate = "start", B responder) with IPv4 and IPv6 protect rules:
# one IKE SA, two Child SAs (IPv4 in IKE_AUTH, IPv6 by CREATE_CHILD_SA,
# both over IPv4), the hosts' IPv6 traffic on the second. Copies of the two configs in a
# scratch directory shorten the lifetimes so that rekeys happen during the
# test (120 s is the shortest lifetime the config accepts):
#   A: IKE SA lifetime 120 s (A rekeys the IKE SA at 102-114 s), Child SA
#      volume lifetime 2560 kB (A rekeys the Child SA after ~2.3 MB);
#   B: Child SA lifetime 120 s (B rekeys its Child SA at 102-114 s of age).
#
# Checks, each printed PASS/FAIL:
#  1. the tunnel comes up: on each side one IKE SA ESTABLISHED (A initiator,
#     B responder, same IKE SPIs) carrying two Child SAs INSTALLED (one per
#     inner family) whose SPIs mirror the other side's (telemetry
#     /twinsec/ike, tools/lab-ike wait --children 2)
#  2. ping and ping6 both ways without loss; 1 MiB over TCP each way, over
#     IPv4 and over IPv6, sha256 matches
#  3. WAN capture: IKE first, then data only as ESP (no 10.x in clear, no
#     other IPv4), the ESP SPIs on the wire are exactly the Child SA's SPIs
#     that both gateways report
#  4. under 50 pings and 50 ping6 a second: A's volume Child SA rekey (2
#     MiB over TCP, sha256 checked: the IPv4 Child SA), A's IKE SA rekey,
#     B's time Child SA rekey (the IPv6 Child SA: the IPv4 one is new since
#     A's rekey), with no ping or ping6 lost; afterwards one
#     IKE SA and two Child SAs each, mirrored, the IKE SA a new one; the
#     ESP SPIs on the wire are all among the Child SAs the gateways
#     logged; rekey counters in /twinsec/ike
#  5. clear crypto isakmp on B (console): A removes its SAs (DELETE seen),
#     A re-establishes (initiate = "start"), ping passes again
#  6. clear crypto isakmp on A: B removes its SAs (DELETE), A re-establishes
#  7. B restarted with PFS group 14 refuses A's IPv6 Child SA (its
#     CREATE_CHILD_SA carries a KE of group 19: the tunnel has the IPv4
#     Child SA only) and A's Child SA rekey; A's child passes its hard
#     volume limit and goes alone; A deletes the IKE SA left without a
#     Child SA and re-establishes the tunnel
#  8. both gateways exit 0 on SIGTERM; the lab leaves nothing behind
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) without root,
# network namespaces or scapy. Run under flock /tmp/tw-net.lock.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_lab.bash
. "$ROOT/tests/lib/topo_lab.bash"
cd "$ROOT" || exit 1
work_dir labike
PY=$PYTHON

finish() {
	lab_fail_logs "IKE lines" 30 "ike|child|error"
	check_summary lab_ike
	exit $?
}
# KEEP=1 keeps the gateways' logs with the rest
keep_logs() { [ "${KEEP:-0}" = 1 ] && cp "$LAB_DIR"/tw-gw?.log "$WORK/" 2>/dev/null; }

need_root "needs root (network namespaces)"
need_python scapy.all
need_netns

# The config copies with short lifetimes (see the top).
sed -e 's/^\tlifetime = 86400;/\tlifetime = 120;/' \
	-e 's/lifetime = { seconds = 3600; kilobytes = 4608000; };/lifetime = { seconds = 3600; kilobytes = 2560; };/' \
	config/lab-a.conf >"$WORK/lab-a.conf"
sed -e 's/lifetime = { seconds = 3600; kilobytes = 4608000; };/lifetime = { seconds = 120; kilobytes = 4608000; };/' \
	config/lab-b.conf >"$WORK/lab-b.conf"
if ! grep -q '^	lifetime = 120;' "$WORK/lab-a.conf" ||
	! grep -q 'kilobytes = 2560;' "$WORK/lab-a.conf" ||
	! grep -q 'seconds = 120;' "$WORK/lab-b.conf" ||
	! grep -q 'initiate = "start";' "$WORK/lab-a.conf" ||
	! grep -q 'initiate = "responder";' "$WORK/lab-b.conf"; then
	echo "FAIL: could not derive the short-lifetime configs from config/lab-{a,b}.conf (have they changed?)"
	exit 1
fi
export CONF_A=$WORK/lab-a.conf CONF_B=$WORK/lab-b.conf

lab_up || finish
at_exit keep_logs

capture_start() { wan_capture_start "$1" -s 128; }
capture_stop() {
	sleep 0.5
	wan_capture_stop
}

# B (responder) first, so that A's first IKE_SA_INIT is answered at once;
# the capture runs from before either starts.
capture_start "$WORK/wan1.pcap"
check "twinsecd B starts and answers ping on 10.2.0.1" "$TOOLS/lab-gw" start b
check "twinsecd A starts and answers ping on 10.1.0.1" "$TOOLS/lab-gw" start a
if [ "$TW_FAIL" != 0 ]; then
	finish
fi

tunnel_up() { # [--not-spi SPI_I]; CHILDREN Child SAs (default 2)
	"$TOOLS/lab-ike" wait --timeout 40 --children "${CHILDREN:-2}" "$@" >"$WORK/wait.out" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/wait.out"
	return $rc
}
check "IKE SA + two Child SAs (IPv4, IPv6) up on both sides, SPIs mirrored" tunnel_up

ike_json() { "$TOOLS/lab-ike" json >"$WORK/ike.json" 2>/dev/null; }
jq_py() { # python expression over d (the lab-ike json)
	$PY -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$WORK/ike.json"
}
roles_ok() {
	ike_json || return 1
	local r
	r=$(jq_py '",".join(sa["role"] for g in "ab" for sa in d[g]["sas"])')
	echo "    roles (A, B): $r"
	[ "$r" = "initiator,responder" ]
}
check "A is the IKE initiator, B the responder" roles_ok

check "ping host A -> host B, no loss" lab_ping tw-hosta 10.2.0.10
check "ping host B -> host A, no loss" lab_ping tw-hostb 10.1.0.10
check "ping6 host A -> host B (2001:db8:2::10), no loss" lab_ping tw-hosta 2001:db8:2::10
check "ping6 host B -> host A (2001:db8:1::10), no loss" lab_ping tw-hostb 2001:db8:1::10

check "TCP 1 MiB host A -> host B, sha256 matches" tcp_xfer tw-hosta tw-hostb 10.2.0.10 1048576
check "TCP 1 MiB host B -> host A, sha256 matches" tcp_xfer tw-hostb tw-hosta 10.1.0.10 1048576
check "TCP/IPv6 1 MiB host A -> host B, sha256 matches" tcp_xfer tw-hosta tw-hostb 2001:db8:2::10 1048576
check "TCP/IPv6 1 MiB host B -> host A, sha256 matches" tcp_xfer tw-hostb tw-hosta 2001:db8:1::10 1048576

gw_console() { # GW COMMAND
	console "tw-gw$1" "$2" >"$WORK/console.out" 2>&1
	local rc=$?
	sed 's/^/    console: /' "$WORK/console.out" | tail -n 3
	return $rc
}
# show crypto ipsec sa on A: each IKE-negotiated SA (two per Child SA, the
# IPv4 one and the IPv6 one) shows what is left of its Child SA's
# lifetime, kB (A's volume lifetime, 2560 kB, minus the MiB each way just
# sent over each family, as last reported) and seconds (3600), and no HA
# line (no twin)
ipsec_sa_life() {
	sleep 1.5 # the fast path's bytes reach IKE every second
	gw_console a "show crypto ipsec sa" || return 1
	grep 'sa timing\|HA last' "$WORK/console.out" | sed 's/^/    /'
	awk '
	/sa timing: remaining key lifetime \(k\/sec\): \(/ {
		split($0, a, /[(\/)]/)
		kb = a[5] + 0; sec = a[6] + 0; n++
		if (kb <= 0 || kb >= 2560 || sec <= 3000 || sec > 3600) bad++
	}
	/manually keyed|\(unknown\)/ { bad++ }
	/HA last key lifetime sent\(k\): \(none\)/ { ha++ }
	END { exit !(n == 4 && ha == 4 && !bad) }' "$WORK/console.out"
}
check "show crypto ipsec sa on A: remaining key lifetime (k/sec) of the four IKE SAs" ipsec_sa_life
capture_stop

# The SPIs both gateways report now (no rekey yet: 2.2 MB is below A's
# volume limit, the lifetimes are 100 s away).
ike_json
spis_a=$(jq_py '" ".join(sorted(c["spi_in"][2:] + " " + c["spi_out"][2:] for sa in d["a"]["sas"] for c in sa["children"]))')
spis_b=$(jq_py '" ".join(sorted(c["spi_out"][2:] + " " + c["spi_in"][2:] for sa in d["b"]["sas"] for c in sa["children"]))')
wire1() {
	echo "    A reports in/out $spis_a, B reports out/in $spis_b"
	[ -n "$spis_a" ] && [ "$spis_a" = "$spis_b" ] || return 1
	# shellcheck disable=SC2086
	$PY "$TOOLS/lab-ike" pcap "$WORK/wan1.pcap" $spis_a >"$WORK/pcap1.out" 2>&1
	local rc=$?
	grep -v WARNING "$WORK/pcap1.out" | sed 's/^/    /'
	return $rc
}
check "WAN: IKE first, then data only as ESP, with exactly the Child SA SPIs both gateways report" wire1

# ---- 4. rekeys under traffic ----
spi_i=$(jq_py 'd["a"]["sas"][0]["spi_i"]')
capture_start "$WORK/wan2.pcap"
ip netns exec tw-hosta ping -i 0.02 -W 2 10.2.0.10 >"$WORK/ping-rekey.out" 2>&1 &
ping_pid=$!
track "$ping_pid"
ip netns exec tw-hosta ping -6 -i 0.02 -W 2 2001:db8:2::10 >"$WORK/ping6-rekey.out" 2>&1 &
ping6_pid=$!
track "$ping6_pid"
t_ping=$SECONDS
check "TCP 2 MiB host A -> host B under ping (past A's 2560 kB Child SA volume), sha256 matches" \
	tcp_xfer tw-hosta tw-hostb 10.2.0.10 2097152

gw_log_has() { grep -q -- "$2" "$LAB_DIR/tw-gw$1.log"; }
wait_log() { wait_until "$3" gw_log_has "$1" "$2"; } # GW PATTERN SECONDS
check "A rekeys the Child SA (volume lifetime)" wait_log a "rekeying Child SA" 20
check "A rekeys the IKE SA (lifetime 120 s)" wait_log a "IKE SA rekeyed by us" 150
check "B sees the IKE SA rekeyed by the peer" wait_log b "IKE SA rekeyed by the peer" 10
check "B rekeys its Child SA (lifetime 120 s)" wait_log b "rekeying Child SA" 150
# B's rekey completes on A as "INSTALLED (rekeyed by the peer)" and the old
# pair goes; a few seconds more of ping after the last rekey.
sleep 5
stop_pid "$ping_pid" INT
stop_pid "$ping6_pid" INT
capture_stop
ping_lost() { # FILE
	# Every request but the last one or two (maybe in flight at the
	# SIGINT) must have had its reply.
	local sent lost
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$1")
	lost=$($PY - "$1" "${sent:-0}" <<'EOF'
import re, sys
got = {int(m.group(1)) for m in re.finditer(r"icmp_seq=(\d+) ttl", open(sys.argv[1]).read())}
sent = int(sys.argv[2])
lost = [s for s in range(1, sent - 1) if s not in got]
if lost:
    print("%d: %s%s" % (len(lost), " ".join(map(str, lost[:20])), " ..." if len(lost) > 20 else ""))
EOF
)
	echo "    $(grep 'packets transmitted' "$1") over $((SECONDS - t_ping)) s; lost icmp_seq: ${lost:-none}"
	[ "${sent:-0}" -gt 100 ] && [ -z "$lost" ]
}
check "no ping lost during the rekeys (50 a second)" ping_lost "$WORK/ping-rekey.out"
check "no ping6 lost during the rekeys (50 a second, the IPv6 Child SA)" ping_lost "$WORK/ping6-rekey.out"
check "after the rekeys: one IKE SA and two Child SAs each, mirrored" tunnel_up
new_ike() {
	ike_json || return 1
	local a b
	a=$(jq_py 'd["a"]["sas"][0]["spi_i"]')
	b=$(jq_py 'd["b"]["sas"][0]["spi_i"]')
	echo "    IKE SA initiator SPI $spi_i -> A $a, B $b"
	jq_py '"    counters A: " + str({k: d["a"]["counters"].get(k) for k in ("sa_rekeyed", "child_rekeyed", "child_created", "child_deleted")})'
	jq_py '"    counters B: " + str({k: d["b"]["counters"].get(k) for k in ("sa_rekeyed", "child_rekeyed", "child_created", "child_deleted")})'
	[ "$a" != "$spi_i" ] && [ "$a" = "$b" ] &&
		[ "$(jq_py 'd["a"]["counters"]["sa_rekeyed"] >= 1 and d["b"]["counters"]["sa_rekeyed"] >= 1 and d["a"]["counters"]["child_rekeyed"] >= 2 and d["b"]["counters"]["child_rekeyed"] >= 2')" = True ]
}
check "the IKE SA is a new one on both sides; rekey counters (IKE 1, Child 2 each)" new_ike
wire2() {
	local logged
	logged=$(cat "$LAB_DIR/tw-gwa.log" "$LAB_DIR/tw-gwb.log" |
		sed -n 's/.*Child SA up, in \([0-9a-f]*\) out \([0-9a-f]*\).*/\1 \2/p' | tr '\n' ' ')
	echo "    Child SAs logged (in out): $logged"
	# shellcheck disable=SC2086
	$PY "$TOOLS/lab-ike" pcap --within "$WORK/wan2.pcap" $logged >"$WORK/pcap2.out" 2>&1
	local rc=$?
	grep -v WARNING "$WORK/pcap2.out" | sed 's/^/    /'
	return $rc
}
check "WAN during the rekeys: IKE and ESP only, ESP SPIs all among the logged Child SAs" wire2
check "ping host A -> host B after the rekeys" lab_ping tw-hosta 10.2.0.10

# ---- 5./6. clear crypto isakmp ----
sadb_spis() { # GW: the SPIs of the SA database (/twinsec/sa)
	"$TOOLS/tw-telemetry.py" -p "tw-gw$1" --sas 2>/dev/null | $PY -c '
import json, sys
d = json.load(sys.stdin)["/twinsec/sa"]
print(" ".join(sorted(str(v.get("spi")) for v in d.values() if isinstance(v, dict))))'
}
clear_on() { # GW OTHER: clear on GW; OTHER logs the DELETE and drops its SAs
	local g=$1 o=$2 before after n
	ike_json || return 1
	spi_i=$(jq_py 'd["a"]["sas"][0]["spi_i"]')
	before=$(sadb_spis "$o")
	n=$(grep -c "IKE SA deleted by the peer" "$LAB_DIR/tw-gw$o.log")
	echo "    SAs of gateway ${o^^} before: ${before:-none}"
	[ -n "$before" ] || return 1
	gw_console "$g" "clear crypto isakmp" || return 1
	deletes_past() { [ "$(grep -c "IKE SA deleted by the peer" "$LAB_DIR/tw-gw$1.log")" != "$2" ]; }
	if ! wait_until 10 deletes_past "$o" "$n"; then
		echo "    gateway ${o^^} logged no DELETE"
		return 1
	fi
	after=$(sadb_spis "$o")
	echo "    SAs of gateway ${o^^} right after the DELETE: ${after:-none}"
	local s
	for s in $before; do
		case " $after " in *" $s "*)
			echo "    SA $s still there"; return 1 ;;
		esac
	done
}
check "clear crypto isakmp on B: A gets the DELETE and removes its SAs" clear_on b a
check "A re-establishes the tunnel (initiate = start)" tunnel_up --not-spi "$spi_i"
check "ping host A -> host B through the new tunnel" lab_ping tw-hosta 10.2.0.10
check "clear crypto isakmp on A: B gets the DELETE and removes its SAs" clear_on a b
check "A re-establishes the tunnel again" tunnel_up --not-spi "$spi_i"
check "ping host B -> host A through the new tunnel" lab_ping tw-hostb 10.1.0.10

# ---- 7. a Child SA that goes alone ----
# B with PFS group 14 refuses A's Child SA rekeys (A offers 19): A's child
# then runs into its hard volume limit and is deleted by itself, which
# leaves A's IKE SA without a Child SA. initiate = "start" must bring the
# tunnel back (the glue deletes the bare IKE SA and starts again).
sed 's/pfs = 19;/pfs = 14;/' "$WORK/lab-b.conf" >"$WORK/lab-b-pfs14.conf"
check "gateways restarted, B with PFS group 14" bash -c "'$TOOLS/lab-gw' stop all &&
	CONF_B='$WORK/lab-b-pfs14.conf' '$TOOLS/lab-gw' start b && '$TOOLS/lab-gw' start a"
# The IPv6 Child SA's CREATE_CHILD_SA carries A's KE (group 19): B
# refuses it, and A does not ask again for this IKE SA; the IPv4 one
# (IKE_AUTH) needs no PFS
CHILDREN=1
check "tunnel up with the IPv4 Child SA only (the initial Child SA needs no PFS)" tunnel_up
check "B refuses A's IPv6 Child SA (PFS 19 against 14)" wait_log a "new Child SA refused" 10
ike_json
spi_i=$(jq_py 'd["a"]["sas"][0]["spi_i"]')
check "TCP 3 MiB host A -> host B (past A's 2560 kB volume), sha256 matches" \
	tcp_xfer tw-hosta tw-hostb 10.2.0.10 3145728
check "B refuses A's Child SA rekey (PFS 19 against 14)" wait_log a "Child SA rekey refused" 20
check "A deletes the IKE SA left without a Child SA" wait_log a "has no Child SA left" 60
check "A re-establishes the tunnel (the IPv4 Child SA)" tunnel_up --not-spi "$spi_i"
check "ping host A -> host B through the new tunnel" lab_ping tw-hosta 10.2.0.10

check "twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all
check "tools/lab down leaves none of its namespaces, no gateway process, no DPDK runtime dir" lab_gone
finish
