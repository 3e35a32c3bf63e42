#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A restarted peer is back in seconds (issue 19): twinsec against twinsec
# in the lab of lab_ike.sh (config/lab-a.conf: A initiate = "start"; B a
# copy of config/lab-b.conf with initiate = "traffic" instead of
# "responder", as a gateway that has traffic of its own to send). Under a
# ping every 0.1 s, one gateway is restarted and the black hole measured:
# from the moment the restarted gateway answers again (tools/lab-gw start
# returns) to the first ping reply through the tunnel. Bound: 3 s (before
# issue 19, scenarios 3 and 4 waited for A's DPD to give up: 72.9 s
# measured with the previous daemon; 1 and 2 were already quick: A
# initiates at start and B, the responder, honoured its INITIAL_CONTACT).
#
# Checks, each printed PASS/FAIL:
#  1. A stopped cleanly (SIGTERM): B gets A's DELETE of the IKE SA at once
#     and drops its SAs; A logs the answered DELETE; A back: traffic again
#     within 3 s (A initiates at start)
#  1b. both ends set the tunnel up at once: A stopped cleanly, host B
#     pings host A, so B (initiate = "traffic") starts an IKE SA towards
#     A, down; A starts again and initiates its own at once; B's retry
#     reaches it. One of the two IKE SAs is redundant (lib/ike/ike_dup.c):
#     its initiator deletes it, each gateway is left with the same one
#     IKE SA and its Child SAs, and a ping from host A every 20 ms loses
#     nothing from its first reply on (before: both IKE SAs stayed, and
#     the check after A's restart failed now and then, when an echo
#     reply in flight made B initiate the same way)
#  2. A killed (SIGKILL, no DELETE): B still holds the old SAs; A back:
#     its IKE_AUTH carries INITIAL_CONTACT, B drops the old IKE SA at
#     once, traffic within 3 s
#  3. B killed (SIGKILL) under a ping from host A only: A holds the IKE
#     SA it initiated and keeps sending ESP on its old SPIs; B back, that
#     ESP on unknown SPIs from a peer without an IKE SA makes B set one
#     up (invalid-SPI recovery) with INITIAL_CONTACT, A drops its old SA
#     (the one it had initiated) and traffic flows within 3 s
#  4. B stopped cleanly (SIGTERM) and started again as a responder only
#     (config/lab-b.conf) under a ping from host A: A gets B's DELETE at
#     once and, as the peer that deleted is likely back in a moment,
#     sends its IKE_SA_INIT again every second (no 2, 4, 8 s back-off):
#     traffic within 3 s of B being back (before: A kept its SAs and
#     waited for DPD, about 70 s)
#  5. both gateways exit 0 on SIGTERM; the lab leaves nothing behind
# Exit 0 if all pass, 1 if any fails, 77 (skip) without root, network
# namespaces or scapy.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_lab.bash
. "$ROOT/tests/lib/topo_lab.bash"
# shellcheck source=tests/lib/blackhole.bash
. "$ROOT/tests/lib/blackhole.bash"
cd "$ROOT" || exit 1
work_dir labikerestart
BOUND_MS=3000

finish() {
	lab_fail_logs "IKE lines" 30 "ike|child|error|stopping"
	check_summary lab_ike_restart
	exit $?
}

need_root "needs root (network namespaces)"
need_python scapy.all
need_netns

sed 's/initiate = "responder";/initiate = "traffic";/' config/lab-b.conf \
	>"$WORK/lab-b.conf"
if ! grep -q 'initiate = "traffic";' "$WORK/lab-b.conf" ||
	! grep -q 'initiate = "start";' config/lab-a.conf; then
	echo "FAIL: config/lab-{a,b}.conf changed: cannot derive B with initiate = traffic"
	exit 1
fi
export CONF_B=$WORK/lab-b.conf

lab_up || finish
check "twinsecd B starts" "$TOOLS/lab-gw" start b
check "twinsecd A starts" "$TOOLS/lab-gw" start a
[ "$TW_FAIL" = 0 ] || finish
# the lab's entry has IPv4 and IPv6 rules: a Child SA per family, each
# time the tunnel is set up (whichever side initiates)
tunnel_up() {
	"$TOOLS/lab-ike" wait --timeout 40 --children 2 >"$WORK/wait.out" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/wait.out"
	return $rc
}
check "IKE SA + both Child SAs up on both sides" tunnel_up
check "ping host A -> host B" lab_ping tw-hosta 10.2.0.10

log_count() { grep -c -- "$2" "$LAB_DIR/tw-gw$1.log"; }
log_past() { [ "$(log_count "$1" "$2")" -gt "$3" ]; } # GW PATTERN N
kill9() { # GW: SIGKILL the gateway (its recorded PID), wait for its end
	local pid
	pid=$(cat "$LAB_DIR/tw-gw$1.pid") || return 1
	kill -KILL "$pid" || return 1
	wait_until 10 test -e "$LAB_DIR/tw-gw$1.rc" || return 1
	rm -f "$LAB_DIR/tw-gw$1.pid"
}

# ---- 1. A stopped cleanly and started again ----
n_del=$(log_count b "IKE SA deleted by the peer")
bh_ping_start tw-hosta 10.2.0.10
sleep 1
check "A stops cleanly (SIGTERM)" "$TOOLS/lab-gw" stop a
deleted_on_stop() {
	grep 'stopping' "$LAB_DIR/tw-gwa.log" | tail -n 3 | sed 's/^/    A: /'
	log_past b "IKE SA deleted by the peer" "$n_del" &&
		grep -q "the peers answered the DELETE" "$LAB_DIR/tw-gwa.log"
}
check "A's stop sent the DELETE: B dropped the IKE SA, A saw the answer" deleted_on_stop
check "A starts again" "$TOOLS/lab-gw" start a
t_up=$(bh_now)
check "clean restart of A: traffic again within $BOUND_MS ms" bh_measure "A restarted" "$t_up" "$BOUND_MS"
bh_ping_stop
check "IKE SA + both Child SAs up on both sides after A's restart" tunnel_up

# ---- 1b. both ends set the tunnel up at once ----
ike_counter() { # COUNTER: A's and B's summed (lab-ike json)
	"$TOOLS/lab-ike" json >"$WORK/ike.json" 2>/dev/null || return 1
	$PYTHON -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(d[g]["counters"].get(sys.argv[2], 0) for g in "ab"))' \
		"$WORK/ike.json" "$1"
}
n_dup=$(ike_counter dup_deleted)
n_acq=$(log_count b "traffic without an SA, initiating IKE with")
check "A stops cleanly (SIGTERM)" "$TOOLS/lab-gw" stop a
ip netns exec tw-hostb ping -c 1 -W 1 10.1.0.10 >/dev/null 2>&1
b_initiated() { log_past b "traffic without an SA, initiating IKE with" "$n_acq"; }
check "host B's ping made B initiate towards A, which is down" wait_until 5 b_initiated
check "A starts again" "$TOOLS/lab-gw" start a
ip netns exec tw-hosta ping -D -i 0.02 -W 1 10.2.0.10 >"$WORK/dup-ping.out" 2>&1 &
DUP_PING=$!
track "$DUP_PING"
dup_gone() { [ "$(ike_counter dup_deleted)" -gt "$n_dup" ]; }
check "the redundant IKE SA of the two was deleted by its initiator" wait_until 20 dup_gone
grep -h "set up at the same time" "$LAB_DIR"/tw-gw[ab].log | tail -n 4 | sed 's/^/    /'
check "IKE SA + both Child SAs up on both sides, one IKE SA each" tunnel_up
sleep 3
stop_pid "$DUP_PING" INT
# lost: sequence numbers missing between the first and the last reply
no_loss_after_first() {
	awk '/bytes from/ { for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) {
		sub(/icmp_seq=/, "", $i); s = $i + 0
		if (!(s in seen)) { seen[s] = 1; n++ }
		if (first == "" || s < first) first = s
		if (s > last) last = s } }
	END { lost = (n ? last - first + 1 - n : -1)
		printf "    %d replies, seq %s..%s, %d lost after the first reply\n", n, first, last, lost
		exit !(n > 100 && lost == 0) }' "$WORK/dup-ping.out"
}
check "ping host A -> host B every 20 ms: nothing lost from the first reply on" no_loss_after_first

# ---- 2. A killed and started again ----
n_ic=$(log_count b "INITIAL_CONTACT on IKE SA")
bh_ping_start tw-hosta 10.2.0.10
sleep 1
check "A killed (SIGKILL: no DELETE)" kill9 a
sleep 1
b_holds() {
	"$TOOLS/lab-ike" json >"$WORK/ike.json" 2>/dev/null || return 1
	$PYTHON -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["b"]["sas"] else 1)' "$WORK/ike.json"
}
check "B still holds the IKE SA of the killed A" b_holds
check "A starts again" "$TOOLS/lab-gw" start a
t_up=$(bh_now)
check "A killed and restarted: traffic again within $BOUND_MS ms" bh_measure "A restarted" "$t_up" "$BOUND_MS"
bh_ping_stop
check "B dropped the old IKE SA on A's INITIAL_CONTACT" log_past b "INITIAL_CONTACT on IKE SA" "$n_ic"
check "IKE SA + both Child SAs up on both sides" tunnel_up

# ---- 3. B killed and started again ----
n_ic=$(log_count a "INITIAL_CONTACT on IKE SA")
n_rec=$(log_count b "on unknown SPI .* and no IKE SA with it: initiating IKE")
bh_ping_start tw-hosta 10.2.0.10
sleep 1
check "B killed (SIGKILL: no DELETE)" kill9 b
check "B starts again" "$TOOLS/lab-gw" start b
t_up=$(bh_now)
check "B killed and restarted: traffic again within $BOUND_MS ms" bh_measure "B restarted" "$t_up" "$BOUND_MS"
bh_ping_stop
check "B set up an IKE SA on A's ESP to unknown SPIs (invalid-SPI recovery)" \
	log_past b "on unknown SPI .* and no IKE SA with it: initiating IKE" "$n_rec"
check "A dropped the IKE SA it had initiated on B's INITIAL_CONTACT" log_past a "INITIAL_CONTACT on IKE SA" "$n_ic"
check "IKE SA + both Child SAs up on both sides" tunnel_up
check "ping host A -> host B" lab_ping tw-hosta 10.2.0.10

# ---- 4. B, responder only, stopped cleanly and started again ----
n_del=$(log_count a "IKE SA deleted by the peer")
bh_ping_start tw-hosta 10.2.0.10
sleep 1
check "B stops cleanly (SIGTERM)" "$TOOLS/lab-gw" stop b
check "A got B's DELETE of the IKE SA at once" log_past a "IKE SA deleted by the peer" "$n_del"
check "B starts again, responder only (config/lab-b.conf)" \
	env CONF_B="$ROOT/config/lab-b.conf" "$TOOLS/lab-gw" start b
t_up=$(bh_now)
check "clean restart of B (responder): traffic again within $BOUND_MS ms" bh_measure "B restarted" "$t_up" "$BOUND_MS"
bh_ping_stop
check "IKE SA + both Child SAs up on both sides" tunnel_up

check "twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all
check "tools/lab down leaves none of its namespaces, no gateway process, no DPDK runtime dir" lab_gone
finish
