#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reload of ipsec-isakmp entries and IKE settings without a restart
# (SIGHUP): the two-site lab (tools/lab) with twinsecd on both gateways
# negotiating over IKEv2, three tunnels told apart by host A's source
# address (one crypto map entry each, one IKE SA each, all with peer B):
#
#   seq 10  10.1.0.10 <-> 10.2.0.0/16   "keep": in both of A's configs
#   seq 20  10.1.0.20 <-> 10.2.0.0/16   "gone": removed by the reload
#   seq 30  10.1.0.30 <-> 10.2.0.0/16   "new":  added by the reload
#
# A initiates (initiate = "start"); B, the responder, has all three
# throughout. A is reloaded from (10, 20) to (10, 30), with its ike
# section's DPD interval changed too, while host A pings host B from
# 10.1.0.10 at 100 packets a second. Checks, each printed PASS/FAIL:
#   - before: keep and gone are up on both sides (one IKE SA each, B
#     matched each to its own entry) and carry traffic; new does not
#   - the reload is applied and says so (1 added, 1 removed, the IKE
#     settings updated for new negotiations)
#   - not one ping of the keep tunnel is lost across the reload, and its
#     IKE SA and Child SA are the same ones on both sides (same SPIs)
#   - the peer's view of gone is gone: B has no IKE SA for seq 20 any more
#     (A's INFORMATIONAL DELETE reached it), and neither has A
#   - new comes up (A initiates it at once) and carries traffic; gone's
#     traffic is discarded
#   - B logged the IKE SA as deleted by its peer
#   - a reload changing seq 30's Child SA lifetime takes its tunnel down
#     (DELETE) and up again on a new IKE SA; seq 10 untouched
#   - a reload changing A's pre-shared key (B keeps the old one) is
#     applied to both entries for new negotiations, and their SAs up are
#     untouched (same SPIs, traffic passes); both gateways exit 0 on
#     SIGTERM
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
work_dir reloadike

# entry SEQ HOST PEER INITIATE [REVERSE]: one ipsec-isakmp entry;
# REVERSE=1 writes it from B's side
entry() {
	local seq=$1 host=$2 peer=$3 init=$4 rev=${5:-0}
	local src="10.1.0.$host/32" dst="10.2.0.0/16"
	if [ "$rev" = 1 ]; then
		src="10.2.0.0/16" dst="10.1.0.$host/32"
	fi
	cat <<EOF
			{
				seq = $seq;
				type = "ipsec-isakmp";
				peer = "$peer";
				transform_set = "gcm128";
				match = ( { action = "protect"; src = "$src"; dst = "$dst"; } );
				initiate = "$init";
			}
EOF
}
ea() { entry "$1" "$1" 192.0.2.2 start; }
eb() { entry "$1" "$1" 192.0.2.1 responder 1; }

# gw_conf NAME INSIDE OUTSIDE ROUTE PEER DPD WHICH ENTRIES...
gw_conf() {
	local name=$1 in=$2 out=$3 route=$4 peer=$5 dpd=$6 which=$7 s
	shift 7
	cat <<EOF
# lab_reload_ike.sh: gateway $name (generated)
hostname = "$name";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0";
	  address = "$in"; mtu = 1500; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1";
	  address = "$out"; mtu = 1500; crypto_map = "vpn"; }
);
routes = ( $route );
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
ike = {
	proposals = ( { name = "lab"; encryption = ["aes-gcm-128"];
		prf = ["sha256"]; dh = [19]; } );
	pre_shared_keys = ( { peer = "$peer";
		key = "twinsec-lab-psk-published-do-not-reuse"; } );
	dpd = { interval = $dpd; retries = 5; };
};
crypto_maps = (
	{
		name = "vpn";
		entries = (
EOF
	for s in "$@"; do
		"$which" "$s"
		[ "$s" = "${!#}" ] || echo "			,"
	done
	cat <<EOF
		);
	}
);
dataplane = { workers = 1; crypto_device = "auto"; poll_mode = "adaptive";
	default_policy = "discard"; };
EOF
}
conf_a() {
	gw_conf lab-a 10.1.0.1/24 192.0.2.1/24 \
		'{ prefix = "10.2.0.0/16"; gateway = "192.0.2.2"; }' \
		192.0.2.2 "$1" ea "${@:2}"
}
conf_a 10 10 20 >"$WORK/a-before.conf"
conf_a 15 10 30 >"$WORK/a-after.conf"
# seq 30 changed (its Child SA lifetime): taken down and set up again.
sed '/src = "10.1.0.30\/32"/a\				lifetime = { seconds = 3000; };' \
	"$WORK/a-after.conf" >"$WORK/a-chg.conf"
# A keyring change (B keeps the old key): for new negotiations only.
sed 's/key = "twinsec-lab-psk-published-do-not-reuse"/key = "another-lab-psk-published-do-not-reuse"/' \
	"$WORK/a-chg.conf" >"$WORK/a-psk.conf"
gw_conf lab-b 10.2.0.1/24 192.0.2.2/24 \
	'{ prefix = "10.1.0.0/16"; gateway = "192.0.2.1"; }' \
	192.0.2.1 10 eb 10 20 30 >"$WORK/b.conf"
cp "$WORK/a-before.conf" "$WORK/a.conf"
for f in a-before a-after a-chg a-psk b; do
	"$TWINSECD" -- -f "$WORK/$f.conf" --check >"$WORK/check-$f.log" 2>&1 ||
		{ cat "$WORK/check-$f.log"; fail "generated config $f.conf does not load"; }
done
export CONF_A=$WORK/a.conf CONF_B=$WORK/b.conf
LOG_A=$LAB_DIR/tw-gwa.log

finish() {
	lab_fail_logs "last IKE/reload lines" 25 "ike|child|reload|error"
	check_summary lab_reload_ike
	exit $?
}

lab_up || finish
check "twinsecd B starts" "$TOOLS/lab-gw" start b
check "twinsecd A starts" "$TOOLS/lab-gw" start a
[ "$TW_FAIL" = 0 ] || finish
ip netns exec tw-hosta ip addr add 10.1.0.20/24 dev eth0
ip netns exec tw-hosta ip addr add 10.1.0.30/24 dev eth0
PID_A=$(cat "$LAB_DIR/tw-gwa.pid")

# tunnels G: "seq:spi_i:in/out,..." of gateway G's ESTABLISHED IKE SAs
# with one INSTALLED Child SA or more, sorted (lab-ike json)
tunnels() {
	"$TOOLS/lab-ike" json 2>/dev/null | "$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)[sys.argv[1]]
print(" ".join(sorted("%s:%s:%s" % (s.get("map_seq"), s.get("spi_i"),
	",".join("%s/%s" % (c["spi_in"], c["spi_out"]) for c in s["children"]))
	for s in d["sas"] if s["children"])))' "$1"
}
# seqs G: just the entries with a tunnel up on G
seqs() { tunnels "$1" | tr ' ' '\n' | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//'; }
up_are() { # WANT_SEQS: both gateways have exactly these tunnels up
	[ "$(seqs a)" = "$1" ] && [ "$(seqs b)" = "$1" ]
}
wait_up() {
	wait_until "$2" up_are "$1"
	local rc=$?
	echo "    A: $(tunnels a)"
	echo "    B: $(tunnels b)"
	return $rc
}
tunnel_ok() {
	ip netns exec tw-hosta ping -c 1 -W 2 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
	ping_ok tw-hosta 10.2.0.10 3 -c 3 -i 0.2 -W 2 -I "10.1.0.$1"
}
tunnel_dead() {
	! ip netns exec tw-hosta ping -c 3 -i 0.2 -W 1 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
}

check "before: IKE tunnels of seq 10 and 20 up on both sides, each on its own entry" \
	wait_up "10 20" 40
check "before: tunnel seq 10 (from 10.1.0.10) carries traffic" tunnel_ok 10
check "before: tunnel seq 20 (from 10.1.0.20) carries traffic" tunnel_ok 20
check "before: no tunnel for 10.1.0.30 yet (discarded)" tunnel_dead 30
keep_a=$(tunnels a | tr ' ' '\n' | grep '^10:')
keep_b=$(tunnels b | tr ' ' '\n' | grep '^10:')

# 100 pings a second on the keep tunnel: 3 s before the reload, 4 s after.
ip netns exec tw-hosta ping -q -c 700 -i 0.01 -W 2 -I 10.1.0.10 10.2.0.10 \
	>"$WORK/flood.out" 2>&1 &
flood=$!
track "$flood"
sleep 3
check "reload (seq 20 removed, seq 30 added, DPD 10 -> 15 s) is applied and says so" \
	lab_reload "$WORK/a-after.conf" "reloaded: .*ipsec-isakmp entries: 1 added, 1 removed, 0 changed \(1 DELETEs sent\); ike section changed \(0 entries. keys or proposals with it\): used by new negotiations and rekeys, SAs up untouched"
wait "$flood"
untrack "$flood"
no_loss() {
	grep -E 'packets transmitted' "$WORK/flood.out" | sed 's/^/    /'
	grep -qE '^700 packets transmitted, 700 received' "$WORK/flood.out"
}
check "keep tunnel: 700 of 700 pings at 10 ms across the reload, none lost" no_loss
check "after: tunnels of seq 10 and 30 up on both sides, seq 20 gone on both (B saw the DELETE)" \
	wait_up "10 30" 30
same_keep() {
	local a b
	a=$(tunnels a | tr ' ' '\n' | grep '^10:')
	b=$(tunnels b | tr ' ' '\n' | grep '^10:')
	echo "    keep before: A $keep_a, B $keep_b"
	echo "    keep after:  A $a, B $b"
	[ -n "$keep_a" ] && [ "$a" = "$keep_a" ] && [ "$b" = "$keep_b" ]
}
check "keep tunnel: the same IKE SA and Child SA (same SPIs) on both sides" same_keep
b_deleted() {
	grep -E "DELETE|deleted by the peer" "$LAB_DIR/tw-gwb.log" | tail -n 3 | sed 's/^/    B: /'
	grep -qE "deleted by the peer" "$LAB_DIR/tw-gwb.log"
}
check "B logged the IKE SA deleted by its peer (A's INFORMATIONAL DELETE)" b_deleted
check "after: tunnel seq 30 (from 10.1.0.30) carries traffic" tunnel_ok 30
check "after: tunnel seq 20 is gone (discarded)" tunnel_dead 20
check "after: tunnel seq 10 still carries traffic" tunnel_ok 10
# seq 30 changed: a new IKE SA for it, seq 10 untouched.
new_before=$(tunnels a | tr ' ' '\n' | grep '^30:')
check "a changed ipsec-isakmp entry (seq 30) is applied: its SAs deleted, set up again" \
	lab_reload "$WORK/a-chg.conf" "reloaded: ipsec-isakmp entries: 0 added, 0 removed, 1 changed \(1 DELETEs sent\)"
renewed() {
	local n
	n=$(tunnels a | tr ' ' '\n' | grep '^30:')
	[ -n "$n" ] && [ "$n" != "$new_before" ] && up_are "10 30"
}
check "after the change: seq 30 up again on a new IKE SA, seq 10 the same" \
	eval 'wait_until 20 renewed && same_keep && tunnel_ok 30'
# The keyring: both of A's entries take the new key, their SAs up stay.
check "a keyring change is applied to both entries for new negotiations" \
	lab_reload "$WORK/a-psk.conf" "reloaded: ike section changed \(2 entries. keys or proposals with it\)"
keep_a=$(tunnels a | tr ' ' '\n' | grep '^10:')
keep_b=$(tunnels b | tr ' ' '\n' | grep '^10:')
new_a=$(tunnels a | tr ' ' '\n' | grep '^30:')
sleep 2
same_both() {
	same_keep && [ -n "$new_a" ] &&
		[ "$(tunnels a | tr ' ' '\n' | grep '^30:')" = "$new_a" ]
}
check "after the keyring change: the SAs of seq 10 and 30 are the same (untouched)" same_both
check "after the keyring change: seq 10 and 30 carry traffic" \
	eval 'tunnel_ok 10 && tunnel_ok 30'
check "twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all
finish
