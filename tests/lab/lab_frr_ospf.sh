#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The exception path and the routes learned from FRR (docs/control-plane.md).
# tests/lib/topo_gw.bash: twinsecd (tw-fr-gw) owns gw-in / gw-out through
# net_af_packet; its inside interface has a control-plane interface
# "cp-in" (net_tap, 10.1.0.1/24 mirrored from the config) on which FRR's
# zebra and ospfd run in tw-fr-gw. The host (tw-fr-h, 10.1.0.10) is an
# inside router running FRR ospfd, announcing 10.9.0.0/16 (a veth pair
# inside it); the peer (tw-fr-p, 192.0.2.2) routes 10.9.0.0/16 to the
# gateway. Checks:
#   0. a kernel interface of that name exists already: twinsecd refuses
#      to start, naming the interface;
#   1. before any route is learned, 10.9.0.1 is unreachable from the peer
#      (the fast path has no route);
#   2. the OSPF adjacency comes up (Full at the inside router) through the
#      DPDK port, the fast path's punt and the exception path: counted
#      both ways at /twinsec/control_plane;
#   3. 10.9.0.0/16 via 10.1.0.10 is learned from the kernel (proto ospf,
#      distance 110) and in the fast path's FIB: the peer's ping to
#      10.9.0.1 is forwarded by the fast path; 10.8.0.0/16, which the
#      config has as a static route, is learned but shadowed;
#   4. TCP to the box's inside address (nc, 4 MB) works through the
#      port and the control-plane interface; show interfaces counts it;
#   5. the inside router withdraws 10.9.0.0/16: gone from the FIB, the
#      peer's ping fails again; two kernel routes to one prefix: the one
#      of lower distance (bgp 20) is programmed over the lower metric
#      (kernel 250), which takes over when the first goes;
#   6. bad input: netlink messages from a process rather than the kernel
#      (a route, an unknown type, a truncated message) are counted and
#      ignored (tests/lib/nl_inject.py);
#   7. bad input: 4100 kernel routes through cp-in (more than the 4096
#      learned routes held) are counted table_full and nothing else
#      breaks; with room again the refused ones are learned; all are
#      removed when deleted; cp-in's address changed by hand is put
#      back (SIGHUP, or the check every second);
#   8. cp-in deleted under twinsecd: logged, counted, its routes flushed;
#      the fast path still forwards (host to peer); another interface
#      named cp-in is left alone; twinsecd exits 0.
# Exit 0 pass, 1 fail, 77 skip (FRR not installed).
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_gw.bash
. "$ROOT/tests/lib/topo_gw.bash"
P=tw-fr
# the tests' published console secret (cisco)
ADMIN='$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ.'
FRR=/usr/lib/frr

need_root
need_built "$TWINSECD"
need_cmd nc
[ -x "$FRR/zebra" ] && [ -x "$FRR/ospfd" ] && command -v vtysh >/dev/null ||
	skip "FRR not installed (tools/setup installs frr)"

work_dir frr
on_fail() {
	gw_log_tail 30
	tel "$P-gw" /twinsec/control_plane
	tel "$P-gw" /twinsec/kernel_routes | head -c 2000
	for f in "$WORK"/*/*.out "$WORK"/*/ospfd.log; do
		[ -e "$f" ] && { echo "--- $f"; tail -n 10 "$f"; }
	done
}

gw_up
# the announced subnet: a veth pair inside the router (no dummy module)
nsx "$P-h" ip link add d9 type veth peer name d9b
nsx "$P-h" ip addr add 10.9.0.1/16 dev d9
nsx "$P-h" ip link set d9b up
nsx "$P-h" ip link set d9 up
# 10.8.0.0/16 too, which the gateway has as a static route (to a next hop
# that does not answer): the static one wins (distance 1 against 110)
nsx "$P-h" ip link add d8 type veth peer name d8b
nsx "$P-h" ip addr add 10.8.0.1/16 dev d8
nsx "$P-h" ip link set d8b up
nsx "$P-h" ip link set d8 up
nsx "$P-p" ip route add 10.8.0.0/16 via 192.0.2.1
nsx "$P-p" ip route add 10.9.0.0/16 via 192.0.2.1
nsx "$P-p" ip route add 10.1.0.0/24 via 192.0.2.1

cat >"$WORK/gw.conf" <<CONF
hostname = "frr-lab";
interfaces = (
	{ name = "inside"; role = "inside"; device = "net_af_packet0"; address = "10.1.0.1/24";
	  control_plane = true; control_plane_name = "cp-in"; },
	{ name = "outside"; role = "outside"; device = "net_af_packet1"; address = "192.0.2.1/24"; }
);
routes = ( { prefix = "10.8.0.0/16"; gateway = "10.1.0.99"; } );
dataplane = { workers = 1; poll_mode = "adaptive"; default_policy = "bypass"; };
console = { listen = "127.0.0.1:2323"; users = ( { name = "admin"; privilege = 15; secret = "$ADMIN"; } ); };
CONF

# frr_start NS NAME ROUTER_ID NETWORKS IFACE [CONF]: zebra and ospfd in NS,
# files in $WORK/NAME; OSPF point-to-point with 1 s hellos on IFACE, or
# ospfd's configuration CONF as it is
frr_start() {
	local ns=$1 d=$WORK/$2 rid=$3 nets=$4 ifc=$5 conf=${6:-} n
	# FRR runs as its own user (frr, vty group frrvty): its files in d
	mkdir -p "$d" "/var/run/frr/$P-$2"
	chown frr:frr "$d" "/var/run/frr/$P-$2"
	chmod 755 "$WORK"
	if [ -n "$conf" ]; then
		cp "$conf" "$d/ospfd.conf"
	else
		{
			echo "hostname $2"
			echo "log file $d/ospfd.log"
			echo "interface $ifc"
			echo " ip ospf network point-to-point"
			echo " ip ospf hello-interval 1"
			echo " ip ospf dead-interval 4"
			echo "router ospf"
			echo " ospf router-id $rid"
			echo " timers throttle spf 0 50 1000"
			echo " timers throttle lsa all 0"
			echo " timers lsa min-arrival 0"
			for n in $nets; do echo " network $n area 0"; done
		} >"$d/ospfd.conf"
	fi
	echo "hostname $2" >"$d/zebra.conf"
	nsx "$ns" "$FRR/zebra" -N "$P-$2" -f "$d/zebra.conf" \
		-i "$d/zebra.pid" -z "$d/zserv.api" --vty_socket "$d" -P 0 \
		>"$d/zebra.out" 2>&1 &
	track $!
	FRR_PIDS+=($!)
	sleep 1
	nsx "$ns" "$FRR/ospfd" -N "$P-$2" -f "$d/ospfd.conf" \
		-i "$d/ospfd.pid" -z "$d/zserv.api" --vty_socket "$d" -P 0 \
		>"$d/ospfd.out" 2>&1 &
	track $!
	FRR_PIDS+=($!)
}
FRR_PIDS=()
vty() { # NS NAME CMD
	nsx "$1" vtysh --vty_socket "$WORK/$2" -c "$3" 2>>"$WORK/vtysh.err"
}

# 0. the kernel name is taken: a clear start error, nothing left behind
nsx "$P-gw" ip link add cp-in type veth peer name cp-in-peer
gw_start "$WORK/gw.conf" --log-level lib.eal:warning
wait_until 20 dead "$GW_PID" || fail "twinsecd started with cp-in taken"
stop_pid "$GW_PID" TERM 1
grep -q "interface inside: cannot create control-plane interface cp-in" "$WORK/gw.log" ||
	fail "no clear error for a taken name: $(gw_log_tail 5)"
echo "0. cp-in taken by another interface: $(grep -o 'cannot create control-plane interface cp-in.*' "$WORK/gw.log" | head -n 1)"
nsx "$P-gw" ip link del cp-in

gw_start "$WORK/gw.conf" --log-level lib.eal:warning
wait_running "$WORK/gw.log" "$GW_PID" 20
nsx "$P-gw" ip -4 addr show dev cp-in | grep -q "inet 10.1.0.1/24" ||
	fail "cp-in does not carry 10.1.0.1/24: $(nsx "$P-gw" ip addr show dev cp-in 2>&1)"
mac() { nsx "$P-gw" cat "/sys/class/net/$1/address"; }
[ "$(mac cp-in)" = "$(mac gw-in)" ] ||
	fail "cp-in has MAC $(mac cp-in), the port $(mac gw-in)"
echo "   cp-in: $(nsx "$P-gw" ip -br addr show dev cp-in), MAC $(mac cp-in) as the port's"

# 1.
ping_ok "$P-p" 10.9.0.1 1 -c 2 -i 0.2 -W 1 &&
	fail "10.9.0.1 answered before any route was learned"
echo "1. no route to 10.9.0.0/16 yet: the peer's ping is not forwarded"

# 2.
# the gateway's ospfd runs the shipped example as it is
frr_start "$P-gw" gw 10.1.0.1 "10.1.0.0/24" cp-in "$ROOT/config/frr-gw.conf"
frr_start "$P-h" rtr 10.1.0.10 "10.1.0.0/24 10.9.0.0/16 10.8.0.0/16" eth0
t0=$(now_ms)
full() { vty "$P-h" rtr "show ip ospf neighbor" | grep -q "10.1.0.1 .*Full"; }
wait_until 30 full || fail "no OSPF adjacency: $(vty "$P-h" rtr "show ip ospf neighbor") $(tail -n 3 "$WORK/vtysh.err")"
echo "   adjacency Full after $(( $(now_ms) - t0 )) ms"
cp_cnt() { tel_py "$P-gw" /twinsec/control_plane "d['inside']['$1']"; }
mc=$(cp_cnt to_kernel_multicast)
fk=$(cp_cnt from_kernel)
[ "${mc:-0}" -gt 0 ] && [ "${fk:-0}" -gt 0 ] ||
	fail "exception path counters: to_kernel_multicast=$mc from_kernel=$fk"
echo "2. OSPF Full through the port: to-kernel multicast $mc, from-kernel $fk"

# 3.
learned() {
	tel_py "$P-gw" /twinsec/kernel_routes \
		"[r for r in d['routes'] if r.startswith('10.9.0.0/16 via 10.1.0.10 inside ospf [110/') and r.endswith(' fib')]" |
		grep -q 10.9
}
wait_until 20 learned || fail "10.9.0.0/16 not learned: $(tel "$P-gw" /twinsec/kernel_routes)"
echo "   learned $(( $(now_ms) - t0 )) ms after FRR started: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
fwd() { ping_ok "$P-p" 10.9.0.1 3 -c 3 -i 0.2 -W 1; }
wait_until 5 fwd || fail "10.9.0.1 not reached through the fast path: $PING_SUMMARY"
echo "3. 10.9.0.0/16 learned from OSPF, in the FIB; the peer reaches 10.9.0.1 ($PING_GOT/3)"
shadow() {
	tel_py "$P-gw" /twinsec/kernel_routes "d['routes']" |
		grep -q "10.8.0.0/16 via 10.1.0.10 inside ospf \[110/[0-9]*\] shadowed"
}
wait_until 10 shadow || fail "10.8.0.0/16 not shadowed: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
ping_ok "$P-p" 10.8.0.1 1 -c 2 -i 0.2 -W 1 &&
	fail "10.8.0.1 reached: the learned route won over the static one"
echo "   10.8.0.0/16 learned but shadowed by the static route (distance 1 < 110): not forwarded via OSPF's next hop"
# The console's routing table is the RIB: the learned route as O, the
# static one winning its prefix as S.
console "$P-gw" "show ip route" >"$WORK/route.out" 2>&1
grep -Eq '^O +10\.9\.0\.0/16 \[110/[0-9]+\] via 10\.1\.0\.10' "$WORK/route.out" &&
	grep -Eq '^S +10\.8\.0\.0/16 \[1/0\]' "$WORK/route.out" &&
	! grep -Eq '^O +10\.8\.0\.0/16' "$WORK/route.out" ||
	fail "show ip route: $(cat "$WORK/route.out")"
echo "   show ip route: $(grep -E '^[OS] ' "$WORK/route.out" | tr -s ' ' | paste -sd ';')"

# 4.
t0=$(now_ms)
tcp_xfer "$P-h" "$P-gw" 10.1.0.1 4000000 || fail "TCP to 10.1.0.1 through cp-in failed"
ms=$(( $(now_ms) - t0 - 500 ))   # tcp_xfer waits 0.5 s for the listener
echo "   4 MB in ${ms} ms: $(( 4000000 / (ms > 0 ? ms : 1) )) kB/s through the exception path (not a benchmark: a loaded 2-core VM)"
console "$P-gw" "show interfaces inside" >"$WORK/console.out" 2>&1
line=$(grep "Control-plane interface cp-in: [1-9][0-9]* to kernel, [1-9][0-9]* from kernel, 0 dropped" "$WORK/console.out") ||
	fail "show interfaces inside: $(cat "$WORK/console.out")"
echo "   console:$line"
echo "4. TCP to the box (sha256 equal) through the exception path: to-kernel protocol $(cp_cnt to_kernel_protocol), from-kernel $(cp_cnt from_kernel)"

# 5.
t0=$(now_ms)
nsx "$P-h" ip link set d9 down
gone() { ! learned; }
wait_until 20 gone || fail "10.9.0.0/16 not withdrawn: $(tel "$P-gw" /twinsec/kernel_routes)"
echo "   withdrawn from the FIB $(( $(now_ms) - t0 )) ms after the inside router lost it"
ping_ok "$P-p" 10.9.0.1 1 -c 2 -i 0.2 -W 1 && fail "10.9.0.1 still reached after the withdrawal"
nsx "$P-h" ip link set d8 down
none() { [ "$(tel_py "$P-gw" /twinsec/kernel_routes "d['n_routes']")" = 0 ]; }
wait_until 20 none || fail "learned routes left: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
# distance before metric: a BGP route (20, metric 700) beats an
# operator's (250, metric 500) to the same prefix; withdrawn, the other
# takes over (zebra leaves kernel routes of FRR's protocols alone)
has() { tel_py "$P-gw" /twinsec/kernel_routes "d['routes']" | grep -q "$1"; }
nsx "$P-gw" ip route add 10.77.0.0/16 via 10.1.0.11 dev cp-in metric 500
nsx "$P-gw" ip route add 10.77.0.0/16 via 10.1.0.12 dev cp-in proto bgp metric 700
ad() {
	has "10.77.0.0/16 via 10.1.0.12 inside bgp \\[20/700\\] fib" &&
		has "10.77.0.0/16 via 10.1.0.11 inside kernel \\[250/500\\] standby"
}
wait_until 10 ad || fail "distance: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
nsx "$P-gw" ip route del 10.77.0.0/16 via 10.1.0.12 dev cp-in proto bgp metric 700
wait_until 10 has "10.77.0.0/16 via 10.1.0.11 inside kernel \\[250/500\\] fib" ||
	fail "no take-over: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
nsx "$P-gw" ip route del 10.77.0.0/16 via 10.1.0.11 dev cp-in metric 500
wait_until 10 none || fail "10.77.0.0/16 left: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
echo "   distance before metric: bgp [20/700] in the FIB over kernel [250/500], which takes over when it goes"
echo "5. the withdrawal removes it; the peer's ping is no longer forwarded (10.8.0.0/16 withdrawn too)"

rcnt() { tel_py "$P-gw" /twinsec/kernel_routes "d['counters']['$1']"; }
nroutes() { tel_py "$P-gw" /twinsec/kernel_routes "d['n_routes']"; }

# 6.
ifx=$(nsx "$P-gw" cat /sys/class/net/cp-in/ifindex)
pid=$(nsx "$P-gw" /usr/bin/python3 "$ROOT/tests/lib/nl_inject.py" "$GW_PID" "$ifx") ||
	fail "cannot inject netlink messages: $pid"
foreign() { [ "$(rcnt nl_foreign)" = 3 ]; }
wait_until 5 foreign || fail "3 messages from a process: nl_foreign $(rcnt nl_foreign)"
[ "$(nroutes)" = 0 ] || fail "a process's netlink message was taken: $(tel_py "$P-gw" /twinsec/kernel_routes "d['routes']")"
echo "6. 3 netlink messages from a process (port $pid: a route, an unknown type, a truncated one): counted nl_foreign, none taken"

# 7.
for i in $(seq 0 4099); do
	echo "route add 172.20.$((i / 256)).$((i % 256))/32 via 10.1.0.10 dev cp-in"
done >"$WORK/routes.batch"
t0=$(now_ms)
nsx "$P-gw" ip -batch "$WORK/routes.batch" || fail "ip -batch add"
full_now() { [ "$(rcnt table_full)" -ge 4 ] 2>/dev/null; }
wait_until 60 full_now || fail "table_full not counted: $(tel "$P-gw" /twinsec/kernel_routes | head -c 600)"
echo "   4100 kernel routes: table_full $(rcnt table_full) after $(( $(now_ms) - t0 )) ms"
alive "$GW_PID" || fail "twinsecd died"
# room for 100: the 4 refused are taken from the kernel table again
sed 's/^route add/route del/' "$WORK/routes.batch" >"$WORK/routes.del"
head -n 100 "$WORK/routes.del" >"$WORK/routes.del1"
nsx "$P-gw" ip -batch "$WORK/routes.del1" || fail "ip -batch del"
n4000() { [ "$(nroutes)" = 4000 ]; }
wait_until 20 n4000 || fail "after 100 deleted: $(nroutes) learned routes, not 4000"
echo "   100 deleted: the 4 refused are learned from the kernel table ($(nroutes) held)"
tail -n +101 "$WORK/routes.del" >"$WORK/routes.del2"
nsx "$P-gw" ip -batch "$WORK/routes.del2" || fail "ip -batch del"
empty() { [ "$(nroutes)" = 0 ]; }
wait_until 60 empty || fail "learned routes left after the deletion: $(nroutes)"
full
fwd_h() { ping_ok "$P-h" 192.0.2.2 2 -c 2 -i 0.2 -W 1; }
wait_until 5 fwd_h || fail "host to peer not forwarded after the route flood"
echo "7. a route flood beyond the table: counted table_full, all removed when withdrawn; forwarding unharmed"

# address changed by hand: put back (at the next check, or at a reload)
# (one SIOCSIFADDR: atomic, so the check every second cannot catch it
# half done)
nsx "$P-gw" /usr/bin/python3 -c 'import fcntl, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s, 0x8916, struct.pack("16sH2s4s8s", b"cp-in", socket.AF_INET,
            bytes(2), socket.inet_aton("10.1.0.77"), bytes(8)))' ||
	fail "cannot change cp-in's address"
kill -HUP "$GW_PID"
back() {
	nsx "$P-gw" ip -4 addr show dev cp-in | grep -q "inet 10.1.0.1/24" &&
		! nsx "$P-gw" ip -4 addr show dev cp-in | grep -q 10.1.0.77
}
wait_until 3 back || fail "cp-in's address not put back: $(nsx "$P-gw" ip -4 addr show dev cp-in)"
[ "$(cp_cnt address_fixes)" = 1 ] || fail "address_fixes $(cp_cnt address_fixes)"
grep -q "the address of cp-in was changed outside twinsec: put back" "$WORK/gw.log" ||
	fail "no log line for the address put back"
echo "   cp-in's address changed by hand (10.1.0.77): put back, counted, logged"

# 8.
nsx "$P-gw" ip route add 172.21.0.0/16 via 10.1.0.10 dev cp-in
one() { [ "$(nroutes)" = 1 ]; }
wait_until 10 one || fail "172.21.0.0/16 not learned"
nsx "$P-gw" ip link del cp-in || fail "cannot delete cp-in"
lost() { [ "$(cp_cnt interface_lost)" = 1 ] && [ "$(nroutes)" = 0 ]; }
wait_until 10 lost || fail "deleted cp-in: interface_lost $(cp_cnt interface_lost), routes $(nroutes)"
grep -q "control-plane interface cp-in is gone" "$WORK/gw.log" || fail "no log line for the deleted cp-in"
wait_until 5 fwd_h || fail "host to peer not forwarded after cp-in was deleted"
# a stranger by that name is not taken for ours
nsx "$P-gw" ip link add cp-in type veth peer name cp-in-peer
sleep 1.5
[ -z "$(nsx "$P-gw" ip -4 addr show dev cp-in)" ] || fail "twinsecd configured a new cp-in: $(nsx "$P-gw" ip -4 addr show dev cp-in)"
[ "$(cp_cnt interface_lost)" = 1 ] || fail "interface_lost $(cp_cnt interface_lost)"
echo "8. cp-in deleted: logged, counted, its routes flushed ($(rcnt flushed)); the fast path forwards on"

for p in "${FRR_PIDS[@]}"; do stop_pid "$p" TERM 10; done
stop_pid "$GW_PID" TERM
rc=$?
[ $rc = 0 ] || fail "twinsecd exited $rc on SIGTERM"
echo PASS
