#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reload without restart (SIGHUP, what `systemctl reload twinsecd` sends):
# the two-site lab (tools/lab) with manual SAs, three tunnels told apart
# by host A's source address (10.1.0.10, .20, .30 on host A; one crypto
# map entry each on both gateways):
#
#   seq 10  10.1.0.10 <-> 10.2.0.0/16   "keep": in both of A's configs
#   seq 20  10.1.0.20 <-> 10.2.0.0/16   "gone": removed by the reload
#   seq 30  10.1.0.30 <-> 10.2.0.0/16   "new":  added by the reload
#
# Gateway B has all three throughout; gateway A starts with 10 and 20 and
# is reloaded with 10 and 30 while host A pings host B from 10.1.0.10 at
# 100 packets a second. Checks, each printed PASS/FAIL:
#   - before: keep and gone carry traffic, new does not (A discards it)
#   - the reload is applied (1 added, 1 removed) and logged
#   - not one ping of the keep tunnel is lost across the reload, and its
#     SAs are the same ones (same SA ids in telemetry, counters carried on)
#   - after: new carries traffic, gone does not; gone's SAs (0x1002,
#     0x2002) are not in A's SA table, new's (0x1003, 0x2003) are
#   - a reload with a config error is refused with file:line, and nothing
#     changes (keep and new still work, same SAs)
#   - a reload changing what needs a restart (an interface's MTU) is
#     refused naming it with file:line, and nothing changes
#   - A exits 0 on SIGTERM after the reloads
#   - sd_notify (A runs with NOTIFY_SOCKET and WATCHDOG_USEC, as under
#     systemd): READY=1 with a status line once up, RELOADING=1 and
#     READY=1 for each reload, STOPPING=1 at the end, and WATCHDOG=1 from
#     the control loop, never as much as WATCHDOG_USEC apart
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
work_dir reload

# entry SEQ SRC_HOST SPI_A_OUT SPI_A_IN KEY_OUT KEY_IN PEER [REVERSE]:
# one ipsec-manual entry; REVERSE=1 writes it from B's side
entry() {
	local seq=$1 host=$2 out=$3 in=$4 kout=$5 kin=$6 peer=$7 rev=${8:-0}
	local src="10.1.0.$host/32" dst="10.2.0.0/16"
	if [ "$rev" = 1 ]; then
		src="10.2.0.0/16" dst="10.1.0.$host/32"
	fi
	cat <<EOF
			{
				seq = $seq;
				type = "ipsec-manual";
				peer = "$peer";
				transform_set = "gcm128";
				match = ( { action = "protect"; src = "$src"; dst = "$dst"; } );
				inbound = { spi = $in; key = "$kin"; };
				outbound = { spi = $out; key = "$kout"; };
			}
EOF
}

# Lab keys (published, protect nothing): GCM-128 key and salt per direction.
K1AB=f3e02880b4fbe9c7181c5babfa863b74e14dfa9b K1BA=4f2156b8b8d629a85d864406708db30e58ba911e
K2AB=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 K2BA=1b2c3d4e5f60718293a4b5c6d7e8f90123456789
K3AB=2c3d4e5f60718293a4b5c6d7e8f9012345678901 K3BA=3d4e5f60718293a4b5c6d7e8f901234567890123

e10a() { entry 10 10 0x1001 0x2001 $K1AB $K1BA 192.0.2.2; }
e20a() { entry 20 20 0x1002 0x2002 $K2AB $K2BA 192.0.2.2; }
e30a() { entry 30 30 0x1003 0x2003 $K3AB $K3BA 192.0.2.2; }

# gw_conf NAME INSIDE OUTSIDE ROUTE MTU ENTRIES...: a lab gateway config
gw_conf() {
	local name=$1 in=$2 out=$3 route=$4 mtu=$5 e
	shift 5
	cat <<EOF
# lab_reload.sh: gateway $name (generated)
hostname = "$name";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0";
	  address = "$in"; mtu = $mtu; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1";
	  address = "$out"; mtu = 1500; crypto_map = "vpn"; }
);
routes = ( $route );
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
crypto_maps = (
	{
		name = "vpn";
		entries = (
EOF
	for e in "$@"; do
		"$e"
		[ "$e" = "${!#}" ] || echo "			,"
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
		'{ prefix = "10.2.0.0/16"; gateway = "192.0.2.2"; }' "$@"
}
e10b() { entry 10 10 0x2001 0x1001 $K1BA $K1AB 192.0.2.1 1; }
e20b() { entry 20 20 0x2002 0x1002 $K2BA $K2AB 192.0.2.1 1; }
e30b() { entry 30 30 0x2003 0x1003 $K3BA $K3AB 192.0.2.1 1; }

conf_a 1500 e10a e20a >"$WORK/a-before.conf"
conf_a 1500 e10a e30a >"$WORK/a-after.conf"
# A typo in a new entry: an unknown transform set (the line is known).
sed 's/transform_set = "gcm128";/transform_set = "gcm129";/' \
	"$WORK/a-after.conf" >"$WORK/a-bad.conf"
bad_line=$(grep -n 'gcm129' "$WORK/a-bad.conf" | head -1 | cut -d: -f1)
# The inside MTU: a port setting, only at start.
conf_a 1400 e10a e30a >"$WORK/a-mtu.conf"
mtu_line=$(grep -n 'mtu = 1400' "$WORK/a-mtu.conf" | head -1 | cut -d: -f1)
gw_conf lab-b 10.2.0.1/24 192.0.2.2/24 \
	'{ prefix = "10.1.0.0/16"; gateway = "192.0.2.1"; }' 1500 \
	e10b e20b e30b >"$WORK/b.conf"
cp "$WORK/a-before.conf" "$WORK/a.conf"
for f in a-before a-after a-mtu b; do
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
	check_summary lab_reload
	exit $?
}

# Gateway A runs as under systemd's Type=notify: a datagram socket in
# NOTIFY_SOCKET takes its notifications (each line timestamped), and
# WATCHDOG_USEC asks for watchdog pings.
NOTIFY_LOG=$WORK/notify.log
"$PYTHON" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    for l in s.recv(4096).decode(errors="replace").split("\n"):
        out.write("%.3f %s\n" % (time.monotonic(), l))' "$WORK/notify.sock" "$NOTIFY_LOG" &
track $!
wait_until 5 test -S "$WORK/notify.sock" || fail "notify socket listener did not start"

lab_up || finish
check "twinsecd A starts" env NOTIFY_SOCKET="$WORK/notify.sock" WATCHDOG_USEC=1000000 \
	"$TOOLS/lab-gw" start a
check "twinsecd B starts" "$TOOLS/lab-gw" start b
[ "$TW_FAIL" = 0 ] || finish
ip netns exec tw-hosta ip addr add 10.1.0.20/24 dev eth0
ip netns exec tw-hosta ip addr add 10.1.0.30/24 dev eth0
PID_A=$(cat "$LAB_DIR/tw-gwa.pid")

# tunnel_ok SRC: 3 of 3 pings from host A's SRC to host B
tunnel_ok() {
	ip netns exec tw-hosta ping -c 1 -W 2 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
	ping_ok tw-hosta 10.2.0.10 3 -c 3 -i 0.2 -W 2 -I "10.1.0.$1"
}
tunnel_dead() {
	! ip netns exec tw-hosta ping -c 3 -i 0.2 -W 1 -q -I "10.1.0.$1" 10.2.0.10 >/dev/null 2>&1
}
check "before: tunnel seq 10 (from 10.1.0.10) carries traffic" tunnel_ok 10
check "before: tunnel seq 20 (from 10.1.0.20) carries traffic" tunnel_ok 20
check "before: no tunnel for 10.1.0.30 yet (discarded)" tunnel_dead 30

# sa_ids: "SPI:ID" of each of A's SAs, sorted
sa_ids() {
	"$PYTHON" "$TOOLS/tw-telemetry.py" -p tw-gwa --sas 2>/dev/null |
		"$PYTHON" -c 'import json, sys
d = json.load(sys.stdin)["/twinsec/sa"]
print(" ".join(sorted("%s:%s" % (v.get("spi"), k) for k, v in d.items() if isinstance(v, dict))))'
}
# sa_spis: just the SPIs, as telemetry writes them
sa_spis() { sa_ids | tr ' ' '\n' | cut -d: -f1 | tr '\n' ' '; }
before_ids=$(sa_ids)
echo "    A's SAs before (spi:id): $before_ids"

# 100 pings a second on the keep tunnel across the reload: 3 s before,
# 3 s after. Every one must come back.
ip netns exec tw-hosta ping -q -c 700 -i 0.01 -W 2 -I 10.1.0.10 10.2.0.10 \
	>"$WORK/flood.out" 2>&1 &
flood=$!
track "$flood"
sleep 3
check "reload (seq 20 removed, seq 30 added) is applied and says so" \
	lab_reload "$WORK/a-after.conf" "reloaded: crypto map entries: 1 added, 1 removed, 0 changed"
wait "$flood"
untrack "$flood"
no_loss() {
	grep -E 'packets transmitted' "$WORK/flood.out" | sed 's/^/    /'
	grep -qE '^700 packets transmitted, 700 received' "$WORK/flood.out"
}
check "keep tunnel: 700 of 700 pings at 10 ms across the reload, none lost" no_loss

after_ids=$(sa_ids)
echo "    A's SAs after (spi:id): $after_ids"
same_keep_sas() {
	local s
	for s in $before_ids; do
		case "$s" in
		*1001:* | *2001:*) grep -qw -- "$s" <<<"$after_ids" || return 1 ;;
		esac
	done
	grep -qE '1001:' <<<"$after_ids" && grep -qE '2001:' <<<"$after_ids"
}
check "keep tunnel: its SAs are the same records (same SA ids) after the reload" same_keep_sas
gone_sas_gone() {
	local spis
	spis=$(sa_spis)
	echo "    SPIs now: $spis"
	! grep -qiE '0x0*1002|0x0*2002' <<<"$spis" &&
		grep -qiE '0x0*1003' <<<"$spis" && grep -qiE '0x0*2003' <<<"$spis"
}
check "SAs of seq 20 (0x1002/0x2002) deleted, of seq 30 (0x1003/0x2003) installed" gone_sas_gone
check "after: tunnel seq 30 (from 10.1.0.30) carries traffic" tunnel_ok 30
check "after: tunnel seq 20 is gone (discarded)" tunnel_dead 20
check "after: tunnel seq 10 still carries traffic" tunnel_ok 10

ids=$(sa_ids)
check "a config error is refused with file:line, nothing changed" \
	lab_reload "$WORK/a-bad.conf" "reload refused, nothing changed: $WORK/a.conf:$bad_line: "
unchanged() {
	[ "$(sa_ids)" = "$ids" ] && tunnel_ok 10 && tunnel_ok 30 && tunnel_dead 20
}
check "after the refused reload: same SAs, seq 10 and 30 carry traffic" unchanged
check "an MTU change is refused as needing a restart, with file:line" \
	lab_reload "$WORK/a-mtu.conf" "refused, nothing changed: $WORK/a.conf:$mtu_line: interfaces changed: needs a restart"
check "after the refused reload: same SAs, seq 10 and 30 carry traffic" unchanged
check "twinsecd A and B exit 0 on SIGTERM" "$TOOLS/lab-gw" stop all

# sd_notify: READY=1 with a status once up; WATCHDOG=1 never more than
# WATCHDOG_USEC (1 s, what systemd enforces) apart while it ran;
# RELOADING=1 then READY=1 for each of the 3 reloads; STOPPING=1 at the end.
notified() {
	grep -E 'READY|STATUS|STOPPING|RELOADING' "$NOTIFY_LOG" | sort -k2 | uniq -c -f1 | sed 's/^/    /'
	grep -qE ' STATUS=2 interfaces, 4 SAs, 1 worker$' "$NOTIFY_LOG" &&
		[ "$(grep -c ' READY=1$' "$NOTIFY_LOG")" = 4 ] &&
		[ "$(grep -c ' RELOADING=1$' "$NOTIFY_LOG")" = 3 ] &&
		grep -q ' STOPPING=1$' "$NOTIFY_LOG"
}
check "sd_notify: READY=1 with status, RELOADING=1/READY=1 per reload, STOPPING=1" notified
watchdog_regular() {
	awk '$2 == "WATCHDOG=1" { if (last) { g = $1 - last; if (g > max) max = g }
		last = $1; n++ }
		END { printf "    %d watchdog pings, longest gap %.0f ms\n", n, max * 1000
		exit !(n >= 10 && max < 1.0) }' "$NOTIFY_LOG"
}
check "sd_notify: WATCHDOG=1 from the control loop, never 1 s (WATCHDOG_USEC) apart" watchdog_regular
finish
