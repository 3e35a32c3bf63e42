#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# twinsecd --check (like nginx -t): exit 0 on a good file, exit 1 with
# "file:line: message" on a bad one; no EAL needed, with or without EAL
# options; a bad config refuses to start; too few lcores is a clear error.
#   check.sh TWINSECD
set -u
D=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/daemon
good=$here/good.conf
bad=$here/bad.conf
fail=0
work_dir test-dc
out=$WORK/out
missing=$WORK/missing-port.conf

expect() { # expect RC GREP-PATTERN -- command...
	local want=$1 pat=$2 rc
	shift 3
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" != "$want" ] || ! grep -q -- "$pat" "$out"; then
		echo "FAIL: $* -> rc $rc (want $want), output:"
		sed 's/^/    /' "$out"
		fail=1
	else
		echo "ok: $* -> rc $rc, '$pat'"
	fi
}

expect 0 "configuration file $good test is successful" -- \
	"$D" -- -f "$good" --check
expect 0 "test is successful" -- \
	"$D" --no-pci -l 0 --file-prefix tw-test-dc -- -f "$good" -t
expect 1 "bad.conf:9: transform set 'nope' undefined" -- \
	"$D" -- -f "$bad" --check
expect 1 "bad.conf:9: " -- \
	"$D" --no-pci -l 0,1 --file-prefix tw-test-dc -- --config="$bad" --check
expect 1 "No such file" -- "$D" -- -f "$here/missing.conf" --check
expect 1 "test failed" -- "$D" -f "$bad" --check
# A bad file is refused before anything starts (no EAL messages).
expect 1 "bad configuration, not starting" -- \
	"$D" --no-pci --no-huge -m 64 --file-prefix tw-test-dc -l 0,1 -- -f "$bad"
# The config is fine but there is no worker lcore.
expect 1 "need at least 2 lcores" -- \
	"$D" --no-pci --no-huge -m 256 --file-prefix tw-test-dc -l 0 \
	--vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 -- -f "$good"
# A port the EAL does not have: refused with the interface's file:line.
sed 's/net_null1/net_null7/' "$good" >"$missing"
expect 1 "missing-port.conf:13: interface 'outside': DPDK port 'net_null7' not found" -- \
	"$D" --no-pci --no-huge -m 256 --file-prefix tw-test-dc -l 0,1 \
	--vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 -- -f "$missing"
# An IPv6 peer is carried (issue 18), but needs an IPv6 address on the
# crypto map's interface to send from: the start refuses it by file:line.
v6=$WORK/ipv6-peer.conf
sed -e 's|address = "10.1.0.1/24";|&\n\tipv6_address = "2001:db8:1::1/64";|' \
	-e 's|peer = "192.0.2.2";|peer = "2001:db8:ff::2";|' "$good" >"$v6"
expect 1 "ipv6-peer.conf:[0-9]*: crypto map [^ ]* seq [0-9]*: IPv6 peer, but interface [^ ]* has no IPv6 address to send from" -- \
	"$D" --no-pci --no-huge -m 256 --file-prefix tw-test-dc -l 0,1 \
	--vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 -- -f "$v6"
expect 0 "twinsecd 0.1" -- "$D" -- --version
expect 0 "DPDK 22" -- "$D" -l 0,1 -- -V
expect 1 "unknown option '--bogus'" -- "$D" -- -f "$good" --bogus
expect 1 "needs a file name" -- "$D" -- -f
expect 1 "bad log level" -- "$D" -- -f "$good" --log-level loud --check
exit $fail
