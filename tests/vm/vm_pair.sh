#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The twin pair as two appliance VMs (the image of `make image`, booted in
# QEMU as tests/vm/vm_boot.sh does): twins A and B on virtio-net NICs
# through DPDK's virtio PMD, their sync channel over the Debian kernel's
# SCTP (ipc transport "sctp": the kernel backend's first real run) on a
# third, kernel NIC; the peer gateway P and the hosts of
# tests/lib/topo_twins.bash in namespaces (P is twinsecd on virtual
# devices, with config/ha-peer.conf):
#
#   HA 10.1.0.10 ── br-in ──┬── VM A 10.1.0.1 | 192.0.2.1 ──┬── br-out ── P 192.0.2.3 ── HB 10.2.0.10
#                           └── VM B 10.1.0.2 | 192.0.2.2 ──┘
#   VIPs 10.1.0.254, 192.0.2.254; sync A 198.51.100.1 <-> B 198.51.100.2
#   over br-sync (kernel SCTP), where the host reaches their consoles
#
# Checks, each printed PASS/FAIL:
#   - both VMs boot and their twinsecd.service is active
#   - A is ACTIVE, B STANDBY HOT (bulk sync over kernel SCTP done)
#   - host HA pings host HB through the tunnel (the VIP)
#   - A's VM is killed (QEMU monitor "quit") mid-stream: B becomes ACTIVE
#     and the tunnel carries traffic again
#   - in a capture of br-out, no ESP sequence number was sent twice per
#     SPI from the VIP (scapy), and P's replay window refused nothing
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) without
# root, QEMU, scapy or an image.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
cd "$ROOT" || exit 1
P=tw-vp
need_root "needs root (taps in network namespaces)"
need_netns
need_built "$TWINSECD"
need_cmd qemu-system-x86_64 "QEMU not installed (tools/setup installs qemu-system-x86)"
need_cmd tcpdump
need_python scapy
[ -c /dev/net/tun ] || skip "no /dev/net/tun: cannot give the VMs tap NICs"
IMG_DIR=${IMG_DIR:-$ROOT/build-image}
[ -f "$IMG_DIR/twinsec.img" ] ||
	skip "no image in $IMG_DIR: make image (tests/vm/vm_boot.sh builds it when run first)"
work_dir vmpair
on_fail() { logs_tail 20; }

finish() {
	local x
	if [ "$TW_FAIL" != 0 ]; then
		logs_tail 20
		for x in a b; do
			echo "--- VM $x: last lines of the serial console"
			grep -aE 'twinsecd\[|systemd\[1\]: .*twinsec' "$WORK/serial-$x.log" | tail -n 25 | tr -d '\r'
		done
	fi
	check_summary vm_pair
	exit $?
}

twins_up
nsx "$P-sw" ip link add br-sync type bridge stp_state 0 forward_delay 0
nsx "$P-sw" ip link set br-sync up
nsx "$P-sw" ip addr add 198.51.100.10/24 dev br-sync

# Slow guests (TCG): HSRP and keep-alive timers of seconds, not 200 ms.
HELLO=1000 HOLD=4000 KA_MS=1000 KA_THR=6 PRIORITY=110 twin_conf ha-a a
HELLO=1000 HOLD=4000 KA_MS=1000 KA_THR=6 PRIORITY=100 twin_conf ha-b b
peer_conf
# vm_cfg X ADDR: the config partition of twin X
vm_cfg() {
	local x=$1 addr=$2 d=$WORK/cfg-$1
	mkdir -p "$d"
	sed -e 's/device = "net_af_packet0"/device = "0000:00:04.0"/' \
		-e 's/device = "net_af_packet1"/device = "0000:00:05.0"/' \
		-e 's/transport = "sctp-udp"/transport = "sctp"/' \
		-e 's/listen = "127.0.0.1:2323"/listen = "0.0.0.0:2323"/' \
		"$WORK/$x.conf" >"$d/twinsecd.conf"
	grep -q 'transport = "sctp"' "$d/twinsecd.conf" || fail "ha-$x.conf: no ipc transport to patch"
	grep -q '0000:00:05.0' "$d/twinsecd.conf" || fail "ha-$x.conf: no devices to patch"
	cat >"$d/twinsecd.default" <<'EOF'
EAL_ARGS="--lcores 0@0,1@0 -a 0000:00:04.0 -a 0000:00:05.0 --vdev crypto_aesni_mb0"
HUGEPAGES=256
DPDK_DRIVER=auto
EOF
	cat >"$d/05-sync.network" <<EOF
[Match]
MACAddress=52:54:00:00:0$x:03
[Network]
Address=$addr/24
EOF
	mke2fs -q -t ext4 -L TWCONFIG -d "$d" "$WORK/cfg-$x.img" 8M >/dev/null || fail "mke2fs"
	cp --sparse=always "$IMG_DIR/twinsec.img" "$WORK/disk-$x.img"
}
vm_cfg a 198.51.100.1
vm_cfg b 198.51.100.2

# vm_start X: QEMU for twin X in $P-sw, its NICs on the bridges
vm_start() {
	local x=$1 t
	for t in in out sync; do
		nsx "$P-sw" ip tuntap add dev "v$x-$t" mode tap || fail "tap v$x-$t"
		nsx "$P-sw" ip link set "v$x-$t" master "br-$t"
		nsx "$P-sw" ip link set "v$x-$t" up
	done
	nsx "$P-sw" qemu-system-x86_64 -accel "tcg,thread=multi" -cpu max -smp 1 -m 1024 \
		-nodefaults -no-reboot -display none \
		-serial "file:$WORK/serial-$x.log" \
		-monitor "unix:$WORK/mon-$x.sock,server=on,wait=off" \
		-kernel "$IMG_DIR/vmlinuz" -initrd "$IMG_DIR/initrd.img" \
		-append "$(cat "$IMG_DIR/cmdline") systemd.journald.forward_to_console=1 panic=-1" \
		-drive "file=$WORK/disk-$x.img,format=raw,if=virtio" \
		-drive "file=$WORK/cfg-$x.img,format=raw,if=virtio" \
		-netdev "tap,id=sync,ifname=v$x-sync,script=no,downscript=no" \
		-device "virtio-net-pci,netdev=sync,addr=0x3,mac=52:54:00:00:0$x:03" \
		-netdev "tap,id=in,ifname=v$x-in,script=no,downscript=no" \
		-device "virtio-net-pci,netdev=in,addr=0x4,mac=52:54:00:00:0$x:04" \
		-netdev "tap,id=out,ifname=v$x-out,script=no,downscript=no" \
		-device "virtio-net-pci,netdev=out,addr=0x5,mac=52:54:00:00:0$x:05" \
		>"$WORK/qemu-$x.log" 2>&1 &
	eval "qemu_$x=\$!"
	track "$!"
}
# vcon X CMD...: console commands on twin X (its sync address, port 2323)
vcon() {
	local x=$1 a args=() addr=198.51.100.1
	shift
	[ "$x" = b ] && addr=198.51.100.2
	for a in "$@"; do args+=(-c "$a"); done
	ip netns exec "$P-sw" timeout 30 "$PYTHON" "$TOOLS/twinsec-console" "$addr:2323" \
		-u admin -p cisco "${args[@]}" 2>/dev/null
}
my_state() { vcon "$1" "show redundancy states" | sed -n 's/.*my state = [0-9]* *-\(.*\)$/\1/p' | tr -d '\r'; }
# within SECS CMD...: CMD until it succeeds, SECS seconds of wall time
within() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" && return 0
		sleep 1
	done
	"$@"
}
state_is() { [ "$(my_state "$1")" = "$2" ]; }

capture_start "$WORK/out.pcap" 'ip proto 50'
start p p
t0=$SECONDS
# shellcheck disable=SC2034 # set through eval in vm_start; B's is not needed
qemu_a='' qemu_b=''
vm_start a
sleep 20
vm_start b
running() { grep -aq 'Started twinsecd.service' "$WORK/serial-$1.log"; }
check "VM A boots and twinsecd.service is active (READY=1)" within 400 running a || finish
check "VM B boots and twinsecd.service is active (READY=1)" within 200 running b || finish
echo "    both up $((SECONDS - t0)) s after the first QEMU started"
check "A is ACTIVE" within 120 state_is a ACTIVE
check "B is STANDBY HOT (bulk sync over kernel SCTP)" within 120 state_is b "STANDBY HOT"
vcon b "show redundancy" | grep -iE 'sctp|transport|state|Communications' | head -n 8 | sed 's/^/    /'
[ "$TW_FAIL" = 0 ] || finish
through() { ping_ok "$P-ha" 10.2.0.10 3 -c 5 -i 0.3 -W 2; }
check "host HA -> host HB through the tunnel (VM A active)" within 30 through

ping_bg "$WORK/ping.log" 0.05
sleep 5
t1=$SECONDS
echo quit | nsx "$P-sw" "$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"quit\n"); s.recv(100)' \
	"$WORK/mon-a.sock" 2>/dev/null
within 10 dead "$qemu_a"
check "VM A is gone (QEMU monitor quit)" dead "$qemu_a"
check "B becomes ACTIVE" within 60 state_is b ACTIVE
echo "    B ACTIVE about $((SECONDS - t1)) s after A's VM quit"
check "host HA -> host HB through the tunnel again (VM B active)" within 60 through
sleep 3
ping_bg_stop
capture_stop
grep -E 'packets transmitted' "$WORK/ping.log" | sed 's/^/    ping during the failover: /'
check "capture of br-out: no ESP sequence number sent twice per SPI from the VIP" \
	seq_unique "$WORK/out.pcap"
replay_none() {
	local n
	n=$(drops p replay)
	echo "    P's replay drops: ${n:-unreadable}"
	[ "$n" = 0 ]
}
check "peer P's replay window refused nothing" replay_none
finish
