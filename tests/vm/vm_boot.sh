#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The appliance image in QEMU (tools/mkimage, `make image`; built first if
# build-image/ has none): a VM with three virtio-net PCI NICs, two for
# DPDK (inside 0000:00:04.0, outside 0000:00:05.0, on taps in namespace
# tw-vmh) and one the kernel keeps for management (QEMU user networking,
# the console forwarded to a host port), and a config partition (label
# TWCONFIG) with its twinsecd.conf and twinsecd.default.
#
#   tw-vmh: vmin 10.1.0.10/24 ---- [VM 0000:00:04.0 inside 10.1.0.1 ]
#           vmout 192.0.2.2/24 --- [VM 0000:00:05.0 outside 192.0.2.1]
#           127.0.0.1:PORT ------- [VM mgmt NIC, console 0.0.0.0:2323]
#
# The VM boots the bootable disk (twinsec-disk.img: GPT, ESP with
# systemd-boot) under UEFI with OVMF, or without OVMF the root filesystem
# by QEMU's direct kernel boot.
# Checks, each printed PASS/FAIL:
#   - the image boots (kernel, systemd) on the serial console
#   - twinsec-config.service took the config partition's files
#   - twinsec-prepare bound both DPDK NICs (vfio-pci in no-IOMMU mode, or
#     uio_pci_generic) and reserved hugepages
#   - twinsecd.service reached "active" (Type=notify: READY=1 came) on the
#     virtio PMD's two ports
#   - twinsecd answers ping on its inside and outside addresses
#   - its console answers over telnet from the host (show version, show
#     interfaces through tools/twinsec-console)
#   - systemctl reload: an added crypto map entry shows up in the
#     console's SA list, and the service stays active (same PID)
#   - systemctl stop: the service stops cleanly (inactive, not failed)
# The guest's commands run through a root shell on a second serial port
# (virtio-serial would do too); its log is kept on failure. Accelerator:
# KVM when VM_ACCEL=kvm, else TCG (KVM hung at boot on this machine).
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) without
# root, QEMU, or an image and the means to build one.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
cd "$ROOT" || exit 1
need_root "needs root (taps in a network namespace)"
need_netns
need_cmd qemu-system-x86_64 "QEMU not installed (tools/setup installs qemu-system-x86)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun: cannot give the VM tap NICs"
IMG_DIR=${IMG_DIR:-$ROOT/build-image}
# No image, or one older than the package (make test's deb_package.sh
# builds it first): make image.
deb=$(ls -t "$ROOT"/build-deb/twinsec_*_amd64.deb 2>/dev/null | head -1)
if [ ! -f "$IMG_DIR/twinsec.img" ] || { [ -n "$deb" ] && [ "$deb" -nt "$IMG_DIR/twinsec.img" ]; }; then
	need_cmd mmdebstrap "no image in $IMG_DIR and mmdebstrap not installed (tools/setup)"
	if [ -z "$deb" ]; then
		tools/mkdeb >/dev/null || fail "make deb failed"
	fi
	t0=$SECONDS
	tools/mkimage "$IMG_DIR" || fail "make image failed (no Debian mirror reachable?)"
	echo "    image built in $((SECONDS - t0)) s"
fi
work_dir vm
VM_ACCEL=${VM_ACCEL:-tcg}
PORT=${VM_CONSOLE_PORT:-2523}

# The config partition.
mkdir -p "$WORK/cfg"
cat >"$WORK/cfg/twinsecd.conf" <<'EOF'
# tests/vm/vm_boot.sh: the appliance on two virtio-net NICs.
hostname = "twinsec-vm";
interfaces = (
	{ name = "inside"; role = "inside"; device = "0000:00:04.0";
	  address = "10.1.0.1/24"; },
	{ name = "outside"; role = "outside"; device = "0000:00:05.0";
	  address = "192.0.2.1/24"; crypto_map = "vpn"; }
);
transform_sets = ( { name = "gcm128"; esp = "aes-gcm-128"; } );
crypto_maps = ( { name = "vpn"; entries = (
	{ seq = 10; type = "ipsec-manual"; peer = "192.0.2.2"; transform_set = "gcm128";
	  match = ( { src = "10.1.0.0/24"; dst = "10.2.0.0/16"; } );
	  inbound = { spi = 0x2001; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };
	  outbound = { spi = 0x1001; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; }; }
); } );
dataplane = { workers = 1; crypto_device = "auto"; poll_mode = "adaptive"; };
console = { listen = "0.0.0.0:2323"; exec_timeout = 0;
	users = ( { name = "admin"; privilege = 15;
	  secret = "$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ."; } ); };
EOF
cat >"$WORK/cfg/twinsecd.default" <<'EOF'
EAL_ARGS="-l 0,1 -a 0000:00:04.0 -a 0000:00:05.0 --vdev crypto_aesni_mb0"
HUGEPAGES=256
DPDK_DRIVER=auto
EOF
mke2fs -q -t ext4 -L TWCONFIG -d "$WORK/cfg" "$WORK/cfg.img" 8M >/dev/null || fail "mke2fs"
# The bootable disk under UEFI (OVMF) as the appliance boots, its loader
# entry given the test's extra kernel options (mtools, on a copy); else
# the root filesystem with QEMU's direct kernel boot.
OVMF=/usr/share/ovmf/OVMF.fd
SERIAL=$WORK/serial.log
extra="systemd.journald.forward_to_console=1 systemd.debug_shell=ttyS1 panic=-1"
if [ -f "$IMG_DIR/twinsec-disk.img" ] && [ -f "$OVMF" ] && command -v mcopy >/dev/null; then
	cp --sparse=always "$IMG_DIR/twinsec-disk.img" "$WORK/disk.img"
	printf 'title twinsec (test)\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s %s\n' \
		"$(cat "$IMG_DIR/cmdline")" "$extra" >"$WORK/entry.conf"
	mcopy -o -i "$WORK/disk.img@@1M" "$WORK/entry.conf" ::/loader/entries/twinsec.conf ||
		fail "cannot write the loader entry into the disk's ESP"
	boot=(-bios "$OVMF")
	how="UEFI (OVMF, systemd-boot) from twinsec-disk.img"
else
	cp --sparse=always "$IMG_DIR/twinsec.img" "$WORK/disk.img"
	boot=(-kernel "$IMG_DIR/vmlinuz" -initrd "$IMG_DIR/initrd.img"
		-append "$(cat "$IMG_DIR/cmdline") $extra")
	how="direct kernel boot of twinsec.img (no OVMF or mtools)"
fi

VMH=tw-vmh
netns_del "$VMH" 2>/dev/null
ip netns add "$VMH" || fail "ip netns add $VMH"
at_exit netns_del "$VMH"
nsx "$VMH" ip link set lo up
for t in vmin vmout; do
	nsx "$VMH" ip tuntap add dev "$t" mode tap || fail "tap $t"
	nsx "$VMH" ip link set "$t" up
done
nsx "$VMH" ip addr add 10.1.0.10/24 dev vmin
nsx "$VMH" ip addr add 192.0.2.2/24 dev vmout

# The guest's root shell: a second serial port on a unix socket.
SHELL_SOCK=$WORK/shell.sock
accel=(-accel "tcg,thread=multi" -cpu max)
if [ "$VM_ACCEL" = kvm ]; then
	accel=(-accel kvm -cpu host)
fi
echo "    QEMU with ${accel[*]}, 2 vCPUs, 1 GB; $how"
nsx "$VMH" qemu-system-x86_64 "${accel[@]}" -smp 2 -m 1024 -nodefaults -no-reboot \
	-display none -serial "file:$SERIAL" -serial "unix:$SHELL_SOCK,server=on,wait=off" \
	"${boot[@]}" \
	-drive "file=$WORK/disk.img,format=raw,if=virtio" \
	-drive "file=$WORK/cfg.img,format=raw,if=virtio" \
	-netdev "user,id=mgmt,hostfwd=tcp:127.0.0.1:$PORT-:2323" \
	-device virtio-net-pci,netdev=mgmt,addr=0x3 \
	-netdev tap,id=in,ifname=vmin,script=no,downscript=no \
	-device virtio-net-pci,netdev=in,addr=0x4,mac=52:54:00:00:00:04 \
	-netdev tap,id=out,ifname=vmout,script=no,downscript=no \
	-device virtio-net-pci,netdev=out,addr=0x5,mac=52:54:00:00:00:05 \
	>"$WORK/qemu.log" 2>&1 &
QEMU=$!
track "$QEMU"

on_fail() { :; }
finish() {
	if [ "$TW_FAIL" != 0 ]; then
		echo "--- qemu:"
		tail -n 5 "$WORK/qemu.log"
		echo "--- last lines of the serial console:"
		tail -n 60 "$SERIAL" | tr -d '\r'
	fi
	check_summary vm_boot
	exit $?
}

# gsh CMD: run CMD in the guest's root shell (ttyS1), print its output;
# its exit status is the command's. GSH_TIMEOUT (60) s at most.
gsh() {
	"$PYTHON" "$ROOT/tests/vm/guest_shell.py" "$SHELL_SOCK" "$*" "${GSH_TIMEOUT:-60}"
}
# within SECS CMD...: CMD until it succeeds, for SECS seconds of wall time
# (the guest is slow under TCG: each try may take seconds)
within() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt $end ]; do
		"$@" && return 0
		sleep 1
	done
	"$@"
}

t0=$SECONDS
booted() { [ -f "$SERIAL" ] && grep -qE 'Reached target .*Multi-User|Startup finished' "$SERIAL"; }
check "the image boots to systemd's multi-user target" within 300 booted || finish
echo "    booted in $((SECONDS - t0)) s (boot to multi-user)"
check "the guest's root shell answers" within 30 gsh true || finish
check "twinsec-config took twinsecd.conf and twinsecd.default from the TWCONFIG partition" \
	gsh 'journalctl -b -u twinsec-config --no-pager | grep -E "[2-9] file\(s\) from" && grep -q twinsec-vm /etc/twinsec/twinsecd.conf'
active() { GSH_TIMEOUT=20 gsh 'systemctl is-active twinsecd' | grep -qx active; }
check "twinsecd.service is active (Type=notify: READY=1 received)" within 180 active
gsh 'systemctl status twinsecd --no-pager -n 0; journalctl -b -u twinsecd --no-pager | grep -E "twinsec-prepare|twinsec.main|EAL: Probe|virtio" | tail -n 15' |
	sed 's/^/    /'
check "twinsec-prepare bound both NICs to a DPDK driver (vfio-pci or uio_pci_generic) and reserved hugepages" \
	gsh 'for d in 0000:00:04.0 0000:00:05.0; do basename "$(readlink /sys/bus/pci/devices/$d/driver)"; done | grep -cxE "vfio-pci|uio_pci_generic" | grep -qx 2 && test "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)" -ge 256'
check "twinsecd runs on the virtio PMD (net_virtio probed both NICs, 2 interfaces up)" \
	gsh 'journalctl -b -u twinsecd --no-pager -o cat | grep -cE "Probe PCI driver: net_virtio .* device: 0000:00:0[45].0" | grep -qvx 0 && journalctl -b -u twinsecd --no-pager -o cat | grep -E "running: 1 worker, 2 interfaces" | tail -n 1'
check "ping the inside address 10.1.0.1 from the host" \
	within 30 ping_ok "$VMH" 10.1.0.1 3 -c 3 -i 0.3 -W 2
check "ping the outside address 192.0.2.1 from the host" \
	ping_ok "$VMH" 192.0.2.1 3 -c 3 -i 0.3 -W 2
con() {
	ip netns exec "$VMH" "$PYTHON" "$TOOLS/twinsec-console" "127.0.0.1:$PORT" \
		-u admin -p cisco "$@"
}
console_ok() {
	con -c "show version" -c "show interfaces" >"$WORK/console.out" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/console.out" | head -20
	[ "$rc" = 0 ] && grep -q 'twinsec-vm' "$WORK/console.out"
}
check "the console answers over telnet from the host (hostfwd to 2323)" within 30 console_ok

# systemctl reload: a second crypto map entry appears without a restart.
pid1=$(gsh 'systemctl show -p MainPID --value twinsecd')
gsh "sed -i 's/^); } );\$/\t, { seq = 20; type = \"ipsec-manual\"; peer = \"192.0.2.2\"; transform_set = \"gcm128\"; match = ( { src = \"10.1.0.0\\/24\"; dst = \"10.3.0.0\\/16\"; } ); inbound = { spi = 0x2002; key = \"1b2c3d4e5f60718293a4b5c6d7e8f90123456789\"; }; outbound = { spi = 0x1002; key = \"0a1b2c3d4e5f60718293a4b5c6d7e8f901234567\"; }; }\n); } );/' /etc/twinsec/twinsecd.conf && twinsecd -- -f /etc/twinsec/twinsecd.conf --check" |
	sed 's/^/    /'
reloaded() {
	gsh 'systemctl reload twinsecd && sleep 2 && journalctl -b -u twinsecd --no-pager | grep "twinsec.reload"' \
		>"$WORK/reload.out"
	sed 's/^/    /' "$WORK/reload.out"
	con -c "show crypto ipsec sa" >"$WORK/sa.out" 2>&1
	# once: the journal has each line once (stderr, not syslog too)
	[ "$(grep -c 'reloaded: crypto map entries: 1 added' "$WORK/reload.out")" = 1 ] &&
		grep -qiE 'spi: 0x1002|0x00001002|0x1002' "$WORK/sa.out" &&
		[ "$(gsh 'systemctl show -p MainPID --value twinsecd')" = "$pid1" ] && active
}
check "systemctl reload: logged once, entry seq 20's SA appears in the console, same PID, still active" reloaded
stopped() {
	gsh 'systemctl stop twinsecd; systemctl is-active twinsecd; systemctl show -p Result --value twinsecd' |
		tr '\n' ' ' | sed 's/^/    /'
	echo
	gsh 'systemctl show -p Result --value twinsecd' | grep -qx success &&
		! active
}
check "systemctl stop: twinsecd stops cleanly (result success)" stopped
gsh 'poweroff' >/dev/null 2>&1
within 60 dead "$QEMU" || kill "$QEMU"
finish
