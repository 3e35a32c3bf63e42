#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The Debian package (debian/, tools/mkdeb, `make deb`): built from this
# tree with dpkg-buildpackage -us -uc -b, then taken apart with dpkg-deb.
# Checks, each printed PASS/FAIL:
#   - the package builds (the time is printed)
#   - it holds twinsecd in /usr/sbin, twinsec-console in /usr/bin, the
#     preparation helper, the unit, both man pages
#   - /etc/twinsec/twinsecd.conf and /etc/default/twinsecd are conffiles;
#     the configuration is not world-readable (it holds keys)
#   - the unit is Type=notify with a watchdog, reloads with SIGHUP,
#     restarts on failure, checks the config and prepares the machine
#     before start; systemd-analyze verify finds nothing wrong with it
#   - the man pages format without a warning (groff -ww)
#   - the packaged twinsecd runs (--version), and accepts the packaged
#     configuration (--check)
#   - the packaged twinsec-prepare, on a fake sysfs, reserves the
#     hugepages asked for and finds the configuration's PCI devices
#     (DPDK_DRIVER=none: binding itself is tested in the VM)
# Exit 0 if all pass, 1 if any fails, 77 (skip) without debhelper.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
cd "$ROOT" || exit 1
need_cmd dpkg-buildpackage "dpkg-dev not installed (tools/setup)"
need_cmd dh "debhelper not installed (tools/setup)"
work_dir deb

OUT=${DEB_OUT:-$ROOT/build-deb}
deb=""
build() {
	local t0=$SECONDS
	local rc
	deb=$(tools/mkdeb "$OUT")
	rc=$?
	echo "    $deb in $((SECONDS - t0)) s"
	[ "$rc" = 0 ] && [ -f "$deb" ]
}
check "dpkg-buildpackage -us -uc -b builds the package" build || {
	check_summary deb_package
	exit 1
}
dpkg-deb -c "$deb" >"$WORK/contents"
dpkg-deb -x "$deb" "$WORK/root"
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$WORK" ./conffiles

has() {
	local f
	for f in "$@"; do
		grep -qE " \./${f#/}\$" "$WORK/contents" || { echo "    missing: $f"; return 1; }
	done
}
check "contents: daemon, console client, helper, unit, man pages" has \
	/usr/sbin/twinsecd /usr/bin/twinsec-console /usr/libexec/twinsec/twinsec-prepare \
	/lib/systemd/system/twinsecd.service /usr/share/man/man8/twinsecd.8.gz \
	/usr/share/man/man5/twinsecd.conf.5.gz /etc/twinsec/twinsecd.conf /etc/default/twinsecd
conffiles() {
	sed 's/^/    conffile: /' "$WORK/conffiles"
	grep -qx /etc/twinsec/twinsecd.conf "$WORK/conffiles" &&
		grep -qx /etc/default/twinsecd "$WORK/conffiles"
}
check "conffiles: /etc/twinsec/twinsecd.conf, /etc/default/twinsecd" conffiles
check "the configuration is mode 0640 (not world-readable)" \
	grep -qE '^-rw-r----- root/root .* \./etc/twinsec/twinsecd.conf$' "$WORK/contents"

UNIT=$WORK/root/lib/systemd/system/twinsecd.service
unit_has() {
	local l
	for l in "$@"; do
		grep -qx -- "$l" "$UNIT" || { echo "    missing in the unit: $l"; return 1; }
	done
}
check "unit: Type=notify, watchdog, reload by SIGHUP, restart on failure, check and prepare before start" \
	unit_has Type=notify WatchdogSec=30s 'ExecReload=/bin/kill -HUP $MAINPID' \
	Restart=on-failure 'ExecStartPre=/usr/sbin/twinsecd -- -f ${TWINSEC_CONFIG} --check' \
	'ExecStartPre=+/usr/libexec/twinsec/twinsec-prepare ${TWINSEC_CONFIG}' \
	'EnvironmentFile=-/etc/default/twinsecd'
verify_unit() {
	command -v systemd-analyze >/dev/null || { echo "    (no systemd-analyze)"; return 0; }
	# The package's programs where they are unpacked (verify wants them
	# executable); the man pages are not installed here.
	sed -e "s#/usr/sbin/twinsecd#$WORK/root/usr/sbin/twinsecd#g" \
		-e "s#/usr/libexec/#$WORK/root/usr/libexec/#g" "$UNIT" >"$WORK/twinsecd.service"
	systemd-analyze verify --man=no "$WORK/twinsecd.service" >"$WORK/verify.log" 2>&1
	local rc=$?
	sed 's/^/    /' "$WORK/verify.log"
	[ "$rc" = 0 ]
}
check "systemd-analyze verify: the unit is valid" verify_unit
man_clean() {
	local m w
	for m in man8/twinsecd.8.gz man5/twinsecd.conf.5.gz; do
		w=$(zcat "$WORK/root/usr/share/man/$m" | LC_ALL=C.UTF-8 groff -mandoc -ww -z 2>&1)
		[ -z "$w" ] || { echo "    $m: $w"; return 1; }
		zcat "$WORK/root/usr/share/man/$m" | grep -q '^\.Sh NAME' || return 1
	done
}
check "man pages twinsecd(8), twinsecd.conf(5) format without warnings" man_clean
version() {
	"$WORK/root/usr/sbin/twinsecd" -- --version | sed 's/^/    /'
	[ "${PIPESTATUS[0]}" = 0 ]
}
check "packaged twinsecd runs (--version)" version
conf_ok() {
	"$WORK/root/usr/sbin/twinsecd" -- -f "$WORK/root/etc/twinsec/twinsecd.conf" --check 2>&1 |
		tail -1 | sed 's/^/    /'
	[ "${PIPESTATUS[0]}" = 0 ]
}
check "packaged configuration passes twinsecd --check" conf_ok

# The helper on a fake sysfs: hugepages raised to HUGEPAGES, the PCI
# devices of the configuration found (and, with DPDK_DRIVER=none, left).
prepare_fake() {
	local sys=$WORK/sys conf=$WORK/pci.conf out
	mkdir -p "$sys/kernel/mm/hugepages/hugepages-2048kB"
	echo 0 >"$sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
	sed -e 's/device = "net_af_packet0";/device = "0000:00:04.0";/' \
		-e 's/device = "net_af_packet1";/device = "0000:00:05.0";/' \
		"$WORK/root/etc/twinsec/twinsecd.conf" >"$conf"
	out=$(SYSFS=$sys HUGEPAGES=64 DPDK_DRIVER=none \
		"$WORK/root/usr/libexec/twinsec/twinsec-prepare" "$conf" 2>&1)
	local rc=$?
	sed 's/^/    /' <<<"$out"
	[ "$rc" = 0 ] &&
		[ "$(cat "$sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")" = 64 ] &&
		grep -q "PCI NICs in $conf: 0000:00:04.0 0000:00:05.0 " <<<"$out"
}
check "twinsec-prepare (fake sysfs): 64 hugepages reserved, both PCI NICs of the config found" prepare_fake
check_summary deb_package
